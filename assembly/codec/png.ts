// PNG decoding to the mode Pillow 12.3 holds after `Image.open(f)`, byte for byte as its
// `tobytes()` gives it (mode "1" as one 0/255 byte a pixel, which is how Pillow stores it).
//
// Colour type / bit depth -> mode (PngImagePlugin._MODES, Unpack.c):
//   grey 1 -> "1" (0 or 255); grey 2, 4 -> "L" (v * 0x55, v * 0x11); grey 8 -> "L";
//   grey 16 -> "I;16" (little-endian u16); RGB 8 -> "RGB"; RGB 16 -> "RGB" (the high byte);
//   palette 1, 2, 4, 8 -> "P" (indices; palette and tRNS alpha in aux); grey+alpha 8 -> "LA";
//   grey+alpha 16 -> "RGBA" (g, g, g, a: high bytes); RGBA 8 -> "RGBA"; RGBA 16 -> "RGBA" (high bytes).
//
// Where we are stricter than Pillow (it decodes these; we return a status): every chunk's CRC
// is checked (Pillow skips IDAT's and those after it), the zlib Adler-32 is checked (Pillow
// stops inflating at the last row), image data that inflates to more or less than the header's
// size is refused (Pillow ignores extra data and leaves missing rows black when the stream ends
// cleanly), a missing IEND is truncation, and an unknown critical chunk is refused as libpng
// does (Pillow skips it).
//
// Where we follow Pillow on purpose: a tRNS chunk anywhere before IEND counts (Pillow reads the
// ones after IDAT while loading, into the same info dict), the last PLTE before the image data
// wins, PLTE/tRNS/eXIf in colour types that do not use them are ignored, and the palette has
// (0, 0, 0) for entries the PLTE chunk does not list and alpha 255 where tRNS says nothing.
//
// INFO_ORIENTATION is what Pillow's getexif() (and so ImageOps.exif_transpose) finds: the
// orientation tag of the last eXIf chunk, or when it has none, the XMP packet's
// tiff:Orientation from the last tEXt or uncompressed iTXt chunk keyed "XML:com.adobe.xmp"
// (exif.ts reads both). Not read: XMP in zTXt or compressed iTXt, and ImageMagick's "Raw
// profile type exif" text, which Pillow inflates and reads too; such files get 0.
import {
  AUX_ALPHA, FLAG_INTERLACED, FLAG_KEY, FLAG_PALETTE_ALPHA, FORMAT_PNG,
  INFO_BITS, INFO_BYTES, INFO_COMPONENTS, INFO_DETAIL, INFO_DETAIL2, INFO_END, INFO_EXIF, INFO_EXIF_LEN,
  INFO_FLAGS, INFO_FORMAT, INFO_HEIGHT, INFO_KEY, INFO_MODE, INFO_ORIENTATION, INFO_SCRATCH, INFO_WIDTH, INFO_WORDS,
  MODE_1, MODE_I16, MODE_L, MODE_LA, MODE_P, MODE_RGB, MODE_RGBA, getInfo, setInfo,
} from "./info";
import {
  E_FORMAT, E_PNG_CHUNK, E_PNG_CHUNK_END, E_PNG_CRC, E_PNG_CRITICAL, E_PNG_DEPTH, E_PNG_DIMENSIONS,
  E_PNG_FILTER, E_PNG_IDAT_ORDER, E_PNG_IHDR, E_PNG_INFO, E_PNG_METHOD, E_PNG_NO_IDAT, E_PNG_NO_IEND,
  E_PNG_NO_PLTE, E_PNG_PLTE, E_PNG_TRNS, E_TOO_LARGE, E_TRUNCATED, E_TRUNCATED_DATA, OK,
} from "./status";
import { crc32 } from "./checksum";
import { exifOrientationTag, xmpOrientation } from "./exif";
import { zlibInflate } from "./inflate";

// Chunk types as big-endian u32.
const IHDR: u32 = 0x49484452;
const PLTE: u32 = 0x504c5445;
const IDAT: u32 = 0x49444154;
const IEND: u32 = 0x49454e44;
const TRNS: u32 = 0x74524e53;
const EXIF: u32 = 0x65584966;
const TEXT: u32 = 0x74455874;
const ITXT: u32 = 0x69545874;
/** The keyword of the text chunk that carries XMP: "XML:com.adobe.xmp" and its NUL. */
const XMP_KEY = memory.data<u8>([0x58, 0x4d, 0x4c, 0x3a, 0x63, 0x6f, 0x6d, 0x2e, 0x61, 0x64, 0x6f, 0x62, 0x65, 0x2e, 0x78, 0x6d, 0x70, 0]);

/** How a file's samples become the native mode's bytes. */
const K_COPY: i32 = 0; // 8-bit samples, already the native layout (L, LA, RGB, RGBA, P)
const K_G1: i32 = 1;
const K_G2: i32 = 2;
const K_G4: i32 = 3;
const K_P1: i32 = 4;
const K_P2: i32 = 5;
const K_P4: i32 = 6;
const K_G16: i32 = 7;
const K_RGB16: i32 = 8;
const K_GA16: i32 = 9;
const K_RGBA16: i32 = 10;

/** Scratch sizes are i32 for the hosts; anything bigger is refused as too large. */
const MAX_SCRATCH: u64 = 0x7fff0000;

// What the chunk walk learnt (module state: the kernel is single-threaded).
let width: u32 = 0;
let height: u32 = 0;
let depth: u32 = 0;
let colorType: u32 = 0;
let interlaced = false;
let samples: u32 = 0;
let compLen: u64 = 0;
let rawSize: u64 = 0;
let rowMax: u64 = 0;
let nativeBytes: u32 = 0;
let idatEnd: u32 = 0;

// @ts-ignore: decorator
@inline function be32(p: usize): u32 {
  return bswap<u32>(load<u32>(p));
}

// @ts-ignore: decorator
@inline function be16(p: usize): u32 {
  return <u32>bswap<u16>(load<u16>(p));
}

// @ts-ignore: decorator
@inline function a16(n: u64): u64 {
  return (n + 15) & ~(<u64>15);
}

/** Filtered bytes of one scanline of `w` pixels (without the filter byte). */
// @ts-ignore: decorator
@inline function rowBytes(w: u64): u64 {
  return (w * <u64>(samples * depth) + 7) >> 3;
}

const SIGNATURE = memory.data<u8>([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const PASS_X0 = memory.data<u8>([0, 4, 0, 2, 0, 1, 0]);
const PASS_Y0 = memory.data<u8>([0, 0, 4, 0, 2, 0, 1]);
const PASS_DX = memory.data<u8>([8, 8, 4, 4, 2, 2, 1]);
const PASS_DY = memory.data<u8>([8, 8, 8, 4, 4, 2, 2]);

// @ts-ignore: decorator
@inline function passW(p: usize): u32 {
  const x0 = <u32>load<u8>(PASS_X0 + p);
  const dx = <u32>load<u8>(PASS_DX + p);
  return width > x0 ? (width - x0 + dx - 1) / dx : 0;
}

// @ts-ignore: decorator
@inline function passH(p: usize): u32 {
  const y0 = <u32>load<u8>(PASS_Y0 + p);
  const dy = <u32>load<u8>(PASS_DY + p);
  return height > y0 ? (height - y0 + dy - 1) / dy : 0;
}

function modeOf(ct: u32, d: u32): i32 {
  if (ct == 0) return d == 1 ? MODE_1 : d == 16 ? MODE_I16 : MODE_L;
  if (ct == 2) return MODE_RGB;
  if (ct == 3) return MODE_P;
  if (ct == 4) return d == 16 ? MODE_RGBA : MODE_LA;
  return MODE_RGBA;
}

function kindOf(ct: u32, d: u32): i32 {
  if (d == 8) return K_COPY;
  if (ct == 0) return d == 1 ? K_G1 : d == 2 ? K_G2 : d == 4 ? K_G4 : K_G16;
  if (ct == 3) return d == 1 ? K_P1 : d == 2 ? K_P2 : K_P4;
  if (ct == 2) return K_RGB16;
  if (ct == 4) return K_GA16;
  return K_RGBA16;
}

function bytesOf(mode: i32): u32 {
  if (mode == MODE_LA || mode == MODE_I16) return 2;
  if (mode == MODE_RGB) return 3;
  if (mode == MODE_RGBA) return 4;
  return 1;
}

function fail(info: usize, code: i32, d0: i32, d1: i32): i32 {
  setInfo(info, INFO_DETAIL, d0);
  setInfo(info, INFO_DETAIL2, d1);
  return code;
}

/**
 * Walks every chunk: signature, IHDR first, lengths inside the file, CRCs, chunk order, PLTE
 * and tRNS, up to IEND. With `gather` it also copies the IDAT data there (and checks IDAT
 * CRCs), and with `aux` it writes the palette. Fills the info block.
 */
function walk(src: usize, len: i32, info: usize, gather: usize, cap: u64, aux: usize): i32 {
  for (let i = 0; i < INFO_WORDS; i++) setInfo(info, i, 0);
  const n = <u64>max(len, 0);
  const sig0: u32 = 0x474e5089; // 89 50 4e 47 little-endian
  const sig1: u32 = 0x0a1a0a0d;
  if (n < 8) {
    // A prefix of the signature is a truncated PNG; anything else is not a PNG.
    const want = SIGNATURE;
    if (n == 0) return fail(info, E_FORMAT, 0, 0);
    for (let i: usize = 0; i < <usize>n; i++) if (load<u8>(src + i) != load<u8>(want + i)) return fail(info, E_FORMAT, 0, 0);
    return fail(info, E_TRUNCATED, <i32>n, 0);
  }
  if (load<u32>(src) != sig0 || load<u32>(src + 4) != sig1) return fail(info, E_FORMAT, 0, 0);
  setInfo(info, INFO_FORMAT, FORMAT_PNG);
  width = 0;
  height = 0;
  compLen = 0;
  idatEnd = 0;
  let off: u64 = 8;
  let index = 0;
  let idats = 0;
  let idatDone = false;
  let havePalette = false;
  let flags = 0;
  let mode = 0;
  // XMP text (Pillow's orientation fallback): the last tEXt/iTXt value, and the last iTXt one.
  let xmpAt: usize = 0;
  let xmpLen: i32 = 0;
  let xmpItxtAt: usize = 0;
  let xmpItxtLen: i32 = 0;
  for (;; index++) {
    if (off + 8 > n) {
      if (off == n) return fail(info, E_PNG_NO_IEND, <i32>n, 0);
      return fail(info, E_TRUNCATED, <i32>n, 0);
    }
    const at = src + <usize>off;
    const clen = be32(at);
    const type = be32(at + 4);
    if (clen > 0x7fffffff || !isType(type)) return fail(info, E_PNG_CHUNK, <i32>off, 0);
    if (off + 12 + <u64>clen > n) return fail(info, E_PNG_CHUNK_END, <i32>off, <i32>n);
    const data = at + 8;
    const want = be32(data + clen);
    if (index == 0 && (type != IHDR || clen != 13)) return fail(info, E_PNG_IHDR, <i32>off, 0);
    if (type != IDAT) {
      if (crc32(0, at + 4, <usize>clen + 4) != want) return fail(info, E_PNG_CRC, <i32>off, 0);
    }
    if (type == IHDR) {
      if (index != 0) return fail(info, E_PNG_IHDR, <i32>off, 0);
      width = be32(data);
      height = be32(data + 4);
      depth = <u32>load<u8>(data + 8);
      colorType = <u32>load<u8>(data + 9);
      const cm = <i32>load<u8>(data + 10);
      const fm = <i32>load<u8>(data + 11);
      const im = <i32>load<u8>(data + 12);
      if (width == 0 || height == 0 || width > 0x7fffffff || height > 0x7fffffff) {
        return fail(info, E_PNG_DIMENSIONS, <i32>width, <i32>height);
      }
      samples = colorType == 0 ? 1 : colorType == 2 ? 3 : colorType == 3 ? 1 : colorType == 4 ? 2 : colorType == 6 ? 4 : 0;
      let okDepth = false;
      if (colorType == 0) okDepth = depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
      else if (colorType == 3) okDepth = depth == 1 || depth == 2 || depth == 4 || depth == 8;
      else if (samples != 0) okDepth = depth == 8 || depth == 16;
      if (!okDepth) return fail(info, E_PNG_DEPTH, <i32>colorType, <i32>depth);
      if (cm != 0) return fail(info, E_PNG_METHOD, cm, 0);
      if (fm != 0) return fail(info, E_PNG_METHOD, fm, 0);
      if (im > 1) return fail(info, E_PNG_METHOD, im, 0);
      interlaced = im == 1;
      mode = modeOf(colorType, depth);
      nativeBytes = bytesOf(mode);
      setInfo(info, INFO_WIDTH, <i32>width);
      setInfo(info, INFO_HEIGHT, <i32>height);
      setInfo(info, INFO_MODE, mode);
      setInfo(info, INFO_BYTES, <i32>nativeBytes);
      setInfo(info, INFO_COMPONENTS, <i32>samples);
      setInfo(info, INFO_BITS, <i32>depth);
      if (interlaced) flags |= FLAG_INTERLACED;
      // Sizes: refuse what cannot be addressed before reading further (a header that claims
      // 65535 x 65535 costs nothing).
      if (interlaced) {
        rawSize = 0;
        rowMax = 0;
        for (let p: usize = 0; p < 7; p++) {
          const pw = <u64>passW(p);
          const ph = <u64>passH(p);
          if (pw != 0 && ph != 0) {
            const rb = rowBytes(pw);
            rawSize += ph * (rb + 1);
            if (rb > rowMax) rowMax = rb;
          }
        }
      } else {
        rowMax = rowBytes(<u64>width);
        rawSize = <u64>height * (rowMax + 1);
      }
      const pixels = <u64>width * <u64>height;
      if (rawSize > MAX_SCRATCH || pixels * <u64>nativeBytes > MAX_SCRATCH) {
        return fail(info, E_TOO_LARGE, <i32>width, <i32>height);
      }
      if (colorType == 3 && aux != 0) {
        // Pillow's palette: (0, 0, 0) where PLTE says nothing, alpha 255 where tRNS says nothing.
        memory.fill(aux, 0, AUX_ALPHA);
        memory.fill(aux + AUX_ALPHA, 255, 256);
      }
    } else if (type == IDAT) {
      if (idatDone) return fail(info, E_PNG_IDAT_ORDER, <i32>off, 0);
      if (colorType == 3 && !havePalette) return fail(info, E_PNG_NO_PLTE, <i32>off, 0);
      if (gather != 0) {
        if (compLen + <u64>clen + 16 > cap) return fail(info, E_PNG_INFO, 0, 0);
        if (crc32(crc32(0, at + 4, 4), data, <usize>clen) != want) return fail(info, E_PNG_CRC, <i32>off, 0);
        memory.copy(gather + <usize>compLen, data, <usize>clen);
      }
      compLen += <u64>clen;
      idats++;
      idatEnd = <u32>(off + 8 + <u64>clen);
    } else if (type == IEND) {
      if (idats == 0) return fail(info, E_PNG_NO_IDAT, <i32>off, 0);
      setInfo(info, INFO_END, <i32>(off + 12 + <u64>clen));
      break;
    } else if (type == PLTE) {
      if (colorType == 3 && idats == 0) {
        if (clen == 0 || clen > 768 || clen % 3 != 0) return fail(info, E_PNG_PLTE, <i32>clen, 0);
        havePalette = true;
        if (aux != 0) {
          memory.fill(aux, 0, AUX_ALPHA);
          memory.copy(aux, data, clen);
        }
      }
    } else if (type == TRNS) {
      if (colorType == 3) {
        if (clen > 256) return fail(info, E_PNG_TRNS, <i32>clen, <i32>colorType);
        flags |= FLAG_PALETTE_ALPHA;
        if (aux != 0) {
          memory.fill(aux + AUX_ALPHA, 255, 256);
          memory.copy(aux + AUX_ALPHA, data, clen);
        }
      } else if (colorType == 0 || colorType == 2) {
        if (clen < (colorType == 0 ? 2 : 6)) return fail(info, E_PNG_TRNS, <i32>clen, <i32>colorType);
        flags |= FLAG_KEY;
        const k0 = be16(data);
        setInfo(info, INFO_KEY, <i32>k0);
        setInfo(info, INFO_KEY + 1, <i32>(colorType == 0 ? k0 : be16(data + 2)));
        setInfo(info, INFO_KEY + 2, <i32>(colorType == 0 ? k0 : be16(data + 4)));
      }
    } else if (type == EXIF) {
      setInfo(info, INFO_EXIF, <i32>(off + 8));
      setInfo(info, INFO_EXIF_LEN, <i32>clen);
    } else if ((type == TEXT || type == ITXT) && clen >= 18 && isXmpKey(data)) {
      if (type == TEXT) {
        xmpAt = data + 18;
        xmpLen = <i32>clen - 18;
      } else {
        // iTXt: keyword, compression flag and method, language, translated keyword, text.
        // Compressed XMP is not read (Pillow inflates it; see the note at the top).
        const v = itxtText(data, clen);
        if (v != 0) {
          xmpAt = xmpItxtAt = v;
          xmpLen = xmpItxtLen = <i32>(data + <usize>clen - v);
        }
      }
    } else if ((type & 0x20000000) == 0) {
      return fail(info, E_PNG_CRITICAL, <i32>off, <i32>type);
    }
    if (type != IDAT && idats > 0) idatDone = true;
    off += 12 + <u64>clen;
  }
  setInfo(info, INFO_FLAGS, flags);
  // Orientation as Pillow's getexif() finds it: the eXIf chunk's tag; without one, XMP's.
  let t: i32 = -1;
  const exifAt = getInfo(info, INFO_EXIF);
  if (exifAt != 0) t = exifOrientationTag(src + <usize>exifAt, getInfo(info, INFO_EXIF_LEN));
  if (t == -1) {
    // Pillow reads info["XML:com.adobe.xmp"], and the raw iTXt bytes when that is empty.
    if (xmpLen == 0 && xmpItxtLen > 0) {
      xmpAt = xmpItxtAt;
      xmpLen = xmpItxtLen;
    }
    if (xmpLen > 0) t = xmpOrientation(xmpAt, xmpLen);
  }
  setInfo(info, INFO_ORIENTATION, t > 0 ? t : 0);
  const scratch = a16(compLen + 16) + a16(rowMax + 32) + a16(<u64>width * 4 + 32) + a16(rawSize + 64);
  if (scratch > MAX_SCRATCH) return fail(info, E_TOO_LARGE, <i32>width, <i32>height);
  setInfo(info, INFO_SCRATCH, <i32>scratch);
  return OK;
}

/** The chunk data starts with the XMP keyword and its NUL. */
function isXmpKey(data: usize): bool {
  for (let i: usize = 0; i < 18; i++) if (load<u8>(data + i) != load<u8>(XMP_KEY + i)) return false;
  return true;
}

/**
 * Where an iTXt chunk's text starts, when it is uncompressed and well-formed as Pillow splits
 * it (keyword NUL, flag, method, language NUL, translated keyword NUL); else 0.
 */
function itxtText(data: usize, clen: u32): usize {
  const end = data + <usize>clen;
  if (clen < 20 || load<u8>(data + 18) != 0) return 0; // too short, or compressed
  let p = data + 20;
  for (let nuls = 0; nuls < 2; nuls++) {
    while (p < end && load<u8>(p) != 0) p++;
    if (p >= end) return 0;
    p++;
  }
  return p;
}

/** Four ASCII letters. */
function isType(t: u32): bool {
  for (let i = 0; i < 4; i++) {
    const c = (t >> (i * 8)) & 0xdf; // upper-case
    if (c < 0x41 || c > 0x5a) return false;
  }
  return true;
}

/**
 * Reads a PNG's structure without inflating it: the signature, every chunk's length, type and
 * order, and every CRC except IDAT's (pngDecode checks those as it gathers the data). Fills
 * the info block: INFO_FORMAT, WIDTH, HEIGHT, MODE and BYTES of the native decode, SCRATCH
 * (bytes pngDecode needs beyond dst and aux), FLAGS (interlaced, colour key, palette alpha),
 * KEY (raw tRNS sample values), COMPONENTS and BITS of the file, EXIF and EXIF_LEN (the data
 * of an eXIf chunk, the last one), END (just past IEND). Returns a status (status.ts).
 */
export function pngInfo(src: usize, len: i32, info: usize): i32 {
  return walk(src, len, info, 0, 0, 0);
}

/**
 * Decodes a PNG to its native mode (see the table at the top of this file): `dst` gets
 * width * height * INFO_BYTES bytes, rows packed; for MODE_P, `aux` gets the palette (AUX_BYTES:
 * 256 RGB triples, then 256 alpha bytes). `info` must be the block pngInfo filled for the same
 * bytes (E_PNG_INFO otherwise), and `scratch` must have INFO_SCRATCH bytes. Returns a status.
 */
export function pngDecode(src: usize, len: i32, info: usize, dst: usize, aux: usize, scratch: usize): i32 {
  const w0 = getInfo(info, INFO_WIDTH);
  const h0 = getInfo(info, INFO_HEIGHT);
  const m0 = getInfo(info, INFO_MODE);
  const s0 = getInfo(info, INFO_SCRATCH);
  const comp = scratch;
  let st = walk(src, len, info, comp, <u64>max(s0, 0), getInfo(info, INFO_FORMAT) == FORMAT_PNG && m0 == MODE_P ? aux : 0);
  if (st != OK) return st;
  if (getInfo(info, INFO_WIDTH) != w0 || getInfo(info, INFO_HEIGHT) != h0 || getInfo(info, INFO_MODE) != m0 || getInfo(info, INFO_SCRATCH) > s0) {
    return fail(info, E_PNG_INFO, 0, 0);
  }
  const zero = comp + <usize>a16(compLen + 16);
  const tmp = zero + <usize>a16(rowMax + 32);
  const raw = tmp + <usize>a16(<u64>width * 4 + 32);
  memory.fill(zero, 0, <usize>rowMax + 32);
  st = zlibInflate(comp, <i32>compLen, raw, <i32>rawSize, info);
  if (st != OK) {
    if (st == E_TRUNCATED_DATA) setInfo(info, INFO_DETAIL, <i32>idatEnd);
    return st;
  }
  const kind = kindOf(colorType, depth);
  const bpp = <usize>max<u32>(1, (samples * depth) >> 3);
  const nb = <usize>nativeBytes;
  const w = <usize>width;
  if (!interlaced) {
    const rb = <usize>rowMax;
    let prev = zero;
    for (let y: usize = 0; y < <usize>height; y++) {
      const row = raw + y * (rb + 1);
      const f = <u32>load<u8>(row);
      if (f > 4) return fail(info, E_PNG_FILTER, <i32>f, <i32>y);
      if (
        kind == K_COPY && f == 4 && (bpp == 3 || bpp == 4) && y + 3 < <usize>height &&
        load<u8>(row + rb + 1) == 4 && load<u8>(row + 2 * (rb + 1)) == 4 && load<u8>(row + 3 * (rb + 1)) == 4
      ) {
        // Four Paeth rows at once, each a pixel behind the one above (see paethQuad).
        const out = dst + y * rb;
        if (bpp == 3) paethQuad(row + 1, rb, prev, out, w, 3);
        else paethQuad(row + 1, rb, prev, out, w, 4);
        prev = out + 3 * rb;
        y += 3;
        continue;
      }
      if (kind == K_COPY && f == 4 && (bpp == 3 || bpp == 4) && y + 1 < <usize>height && load<u8>(row + rb + 1) == 4) {
        // Two Paeth rows at once: most rows of photos are Paeth, and its chain is the longest.
        const out = dst + y * rb;
        if (bpp == 3) paethPair(row + 1, row + rb + 2, prev, out, out + rb, w, 3);
        else paethPair(row + 1, row + rb + 2, prev, out, out + rb, w, 4);
        prev = out + rb;
        y++;
        continue;
      }
      if (kind == K_COPY) {
        // 8-bit: unfilter straight into dst, the previous output row as the prior row.
        const out = dst + y * rb;
        unfilter(f, row + 1, prev, out, rb, bpp);
        prev = out;
      } else {
        unfilter(f, row + 1, prev, row + 1, rb, bpp);
        unpack(kind, row + 1, dst + y * w * nb, w);
        prev = row + 1;
      }
    }
    return OK;
  }
  // Adam7: unfilter each pass in place, unpack a row to native pixels, scatter them.
  let row = raw;
  let line: i32 = 0;
  for (let p: usize = 0; p < 7; p++) {
    const pw = <usize>passW(p);
    const ph = <usize>passH(p);
    if (pw == 0 || ph == 0) continue;
    const rb = <usize>rowBytes(<u64>pw);
    const x0 = <usize>load<u8>(PASS_X0 + p);
    const y0 = <usize>load<u8>(PASS_Y0 + p);
    const dx = <usize>load<u8>(PASS_DX + p);
    const dy = <usize>load<u8>(PASS_DY + p);
    let prev = zero;
    for (let r: usize = 0; r < ph; r++, line++) {
      const f = <u32>load<u8>(row);
      if (f > 4) return fail(info, E_PNG_FILTER, <i32>f, line);
      unfilter(f, row + 1, prev, row + 1, rb, bpp);
      const px = kind == K_COPY ? row + 1 : tmp;
      if (kind != K_COPY) unpack(kind, row + 1, tmp, pw);
      scatter(px, pw, nb, dst + ((y0 + r * dy) * w + x0) * nb, dx * nb);
      prev = row + 1;
      row += rb + 1;
    }
  }
  return OK;
}

/** Writes `n` pixels of `nb` bytes from `src` (packed) to `dst`, `step` bytes apart. */
function scatter(src: usize, n: usize, nb: usize, dst: usize, step: usize): void {
  if (nb == 1) {
    for (let i: usize = 0; i < n; i++) store<u8>(dst + i * step, load<u8>(src + i));
  } else if (nb == 2) {
    for (let i: usize = 0; i < n; i++) store<u16>(dst + i * step, load<u16>(src + (i << 1)));
  } else if (nb == 3) {
    for (let i: usize = 0; i < n; i++) {
      const s = src + i * 3;
      const d = dst + i * step;
      store<u16>(d, load<u16>(s));
      store<u8>(d + 2, load<u8>(s + 2));
    }
  } else {
    for (let i: usize = 0; i < n; i++) store<u32>(dst + i * step, load<u32>(src + (i << 2)));
  }
}

/** One row of `w` pixels from unfiltered file samples to the native mode's bytes. */
function unpack(kind: i32, src: usize, dst: usize, w: usize): void {
  switch (kind) {
    case K_G1:
    case K_P1: {
      const one: u32 = kind == K_G1 ? 255 : 1;
      for (let x: usize = 0; x < w; x++) {
        const b = <u32>load<u8>(src + (x >> 3));
        store<u8>(dst + x, <u8>(((b >> (7 - <u32>(x & 7))) & 1) * one));
      }
      break;
    }
    case K_G2:
    case K_P2: {
      const mul: u32 = kind == K_G2 ? 0x55 : 1;
      for (let x: usize = 0; x < w; x++) {
        const b = <u32>load<u8>(src + (x >> 2));
        store<u8>(dst + x, <u8>(((b >> (6 - (<u32>(x & 3) << 1))) & 3) * mul));
      }
      break;
    }
    case K_G4:
    case K_P4: {
      const mul: u32 = kind == K_G4 ? 0x11 : 1;
      for (let x: usize = 0; x < w; x++) {
        const b = <u32>load<u8>(src + (x >> 1));
        store<u8>(dst + x, <u8>(((b >> (4 - (<u32>(x & 1) << 2))) & 15) * mul));
      }
      break;
    }
    case K_G16: {
      // big-endian samples to little-endian u16 ("I;16")
      for (let x: usize = 0; x < w; x++) store<u16>(dst + (x << 1), bswap<u16>(load<u16>(src + (x << 1))));
      break;
    }
    case K_RGB16: {
      for (let x: usize = 0; x < w; x++) {
        const s = src + x * 6;
        const d = dst + x * 3;
        store<u8>(d, load<u8>(s));
        store<u8>(d + 1, load<u8>(s + 2));
        store<u8>(d + 2, load<u8>(s + 4));
      }
      break;
    }
    case K_GA16: {
      for (let x: usize = 0; x < w; x++) {
        const s = src + (x << 2);
        const g = <u32>load<u8>(s);
        store<u32>(dst + (x << 2), g | (g << 8) | (g << 16) | (<u32>load<u8>(s + 2) << 24));
      }
      break;
    }
    case K_RGBA16: {
      for (let x: usize = 0; x < w; x++) {
        const s = src + (x << 3);
        const d = dst + (x << 2);
        store<u8>(d, load<u8>(s));
        store<u8>(d + 1, load<u8>(s + 2));
        store<u8>(d + 2, load<u8>(s + 4));
        store<u8>(d + 3, load<u8>(s + 6));
      }
      break;
    }
    default:
      break;
  }
}

// ---- unfiltering ----------------------------------------------------------------------------

/**
 * Reverses one scanline's filter (PNG 9.2): `cur` holds the filtered bytes, `prev` the previous
 * row's unfiltered bytes (a zero row for the first), `out` gets the result (`out` may be `cur`).
 * `bpp` is bytes per complete pixel, at least 1. Reads up to 8 bytes past a pixel (inside the
 * buffers' slack); writes exactly `rb` bytes.
 */
function unfilter(f: u32, cur: usize, prev: usize, out: usize, rb: usize, bpp: usize): void {
  if (f == 0) {
    if (out != cur) memory.copy(out, cur, rb);
  } else if (f == 2) {
    let i: usize = 0;
    for (; i + 16 <= rb; i += 16) v128.store(out + i, i8x16.add(v128.load(cur + i), v128.load(prev + i)));
    for (; i < rb; i++) store<u8>(out + i, load<u8>(cur + i) + load<u8>(prev + i));
  } else if (bpp >= 3) {
    if (bpp == 3) vectorRow(f, cur, prev, out, rb, 3);
    else if (bpp == 4) vectorRow(f, cur, prev, out, rb, 4);
    else if (bpp == 6) vectorRow(f, cur, prev, out, rb, 6);
    else vectorRow(f, cur, prev, out, rb, 8);
  } else if (f == 1) {
    for (let i: usize = 0; i < bpp; i++) store<u8>(out + i, load<u8>(cur + i));
    for (let i = bpp; i < rb; i++) store<u8>(out + i, load<u8>(cur + i) + load<u8>(out + i - bpp));
  } else if (f == 3) {
    for (let i: usize = 0; i < bpp; i++) store<u8>(out + i, load<u8>(cur + i) + (load<u8>(prev + i) >> 1));
    for (let i = bpp; i < rb; i++) {
      store<u8>(out + i, load<u8>(cur + i) + <u8>((<u32>load<u8>(out + i - bpp) + <u32>load<u8>(prev + i)) >> 1));
    }
  } else {
    for (let i: usize = 0; i < bpp; i++) store<u8>(out + i, load<u8>(cur + i) + load<u8>(prev + i));
    for (let i = bpp; i < rb; i++) {
      const a = <i32>load<u8>(out + i - bpp);
      const b = <i32>load<u8>(prev + i);
      const c = <i32>load<u8>(prev + i - bpp);
      const pa = abs(b - c);
      const pb = abs(a - c);
      const pc = abs(a + b - c - c);
      const pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      store<u8>(out + i, load<u8>(cur + i) + <u8>pred);
    }
  }
}

/**
 * Paeth-unfilters rows y and y + 1 together, row y + 1 one pixel behind: its left neighbour
 * and the pixel above are then both known, and one vector holds a pixel of each row (row y in
 * i16 lanes 0-3, row y + 1 in lanes 4-7), so every step of the left-neighbour dependency
 * decodes two pixels. `cur0`/`cur1` are the rows' filtered bytes, `prev0` row y - 1's output,
 * `out0`/`out1` the output rows; `w` pixels of `bpp` (3 or 4) bytes. (Pairing Sub and Average
 * rows the same way measured slower: their chains are short already.)
 */
// @ts-ignore: decorator
@inline function paethPair(cur0: usize, cur1: usize, prev0: usize, out0: usize, out1: usize, w: usize, bpp: usize): void {
  const low = i64x2.replace_lane(i64x2.splat(-1), 1, 0);
  let a = i16x8.splat(0); // [row y pixel j - 1 | row y + 1 pixel j - 2]
  let c = i16x8.splat(0); // [row y - 1 pixel j - 1 | row y pixel j - 2]
  for (let j: usize = 0; j <= w; j++) {
    const o = j * bpp;
    // [row y - 1 pixel j | row y pixel j - 1 (just decoded, in a's low lanes)]
    const b = i8x16.shuffle(i16x8.extend_low_i8x16_u(v128.load32_zero(prev0 + o)), a, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
    const x = i16x8.extend_low_i8x16_u(i32x4.replace_lane(v128.load32_zero(cur0 + o), 1, load<i32>(cur1 + o - bpp)));
    a = paethStep(a, b, c, x);
    c = b;
    const v = i8x16.narrow_i16x8_u(a, a);
    if (j < w) {
      if (bpp == 3 && j + 1 == w) {
        v128.store16_lane(out0 + o, v, 0);
        v128.store8_lane(out0 + o, v, 2, 2);
      } else {
        // 3 bytes a pixel: a 4-byte store whose last byte the next pixel overwrites.
        v128.store32_lane(out0 + o, v, 0);
      }
    }
    if (j > 0) {
      if (bpp == 3 && j == w) {
        v128.store16_lane(out1 + o - 3, v, 2);
        v128.store8_lane(out1 + o - 3, v, 6, 2);
      } else if (bpp == 3) {
        v128.store32_lane(out1 + o - 3, v, 1);
      } else {
        v128.store32_lane(out1 + o - 4, v, 1);
      }
    } else {
      a = v128.and(a, low); // row y + 1 starts with a = 0 at its pixel 0
    }
  }
}

/** One Paeth step on i16 lanes: x + the predictor of (a, b, c), in 0..255. */
// @ts-ignore: decorator
@inline function paethStep(a: v128, b: v128, c: v128, x: v128): v128 {
  const mask = i16x8.splat(0xff);
  const bc = i16x8.sub(b, c);
  const ac = i16x8.sub(a, c);
  const pa = i16x8.abs(bc);
  const pb = i16x8.abs(ac);
  const pc = i16x8.abs(i16x8.add(bc, ac));
  const xa = v128.and(i16x8.add(x, a), mask);
  const xb = v128.and(i16x8.add(x, b), mask);
  const xc = v128.and(i16x8.add(x, c), mask);
  return v128.bitselect(xa, v128.bitselect(xb, xc, i16x8.le_s(pb, pc)), i16x8.le_s(pa, i16x8.min_s(pb, pc)));
}

/** Stores pixel `v` (`bpp` bytes of lane group `lane`) at `p`; 4 bytes unless it is the row's last. */
// @ts-ignore: decorator
@inline function storeLane(p: usize, v: v128, lane: u8, bpp: usize, lastPixel: bool): void {
  if (lane == 0) {
    if (bpp == 4 || !lastPixel) {
      v128.store32_lane(p, v, 0);
    } else {
      v128.store16_lane(p, v, 0);
      v128.store8_lane(p, v, 2, 2);
    }
  } else if (bpp == 4 || !lastPixel) {
    v128.store32_lane(p, v, 1);
  } else {
    v128.store16_lane(p, v, 2);
    v128.store8_lane(p, v, 6, 2);
  }
}

/**
 * Paeth-unfilters rows y..y + 3 together, each row one pixel behind the row above, so every
 * step decodes four pixels whose left and upper neighbours are all known: vector 0 holds row y
 * pixel j and row y + 1 pixel j - 1 (i16 lanes 0-3 and 4-7), vector 1 rows y + 2 and y + 3 at
 * pixels j - 2 and j - 3. A row's upper neighbour is the row above's last output, already in a
 * register. Two dependency chains run side by side (paethPair has one). `cur` is row y's
 * filtered bytes (rows are rb + 1 bytes apart), `prev` row y - 1's output, `out` row y's
 * output (rows rb apart); `w` pixels of `bpp` (3 or 4) bytes. Loads reach up to 3 pixels
 * before and after a row, inside the buffers.
 */
// @ts-ignore: decorator
@inline function paethQuad(cur: usize, rb: usize, prev: usize, out: usize, w: usize, bpp: usize): void {
  const low = i64x2.replace_lane(i64x2.splat(-1), 1, 0);
  const zero = i16x8.splat(0);
  const s = rb + 1;
  let a0 = zero; // [row y pixel j - 1 | row y + 1 pixel j - 2]
  let a1 = zero; // [row y + 2 pixel j - 3 | row y + 3 pixel j - 4]
  let c0 = zero;
  let c1 = zero;
  for (let j: usize = 0; j < w + 3; j++) {
    const o = j * bpp;
    const b0 = i8x16.shuffle(i16x8.extend_low_i8x16_u(v128.load32_zero(prev + o)), a0, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
    const b1 = i8x16.shuffle(a0, a1, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23);
    const x0 = i16x8.extend_low_i8x16_u(i32x4.replace_lane(v128.load32_zero(cur + o), 1, load<i32>(cur + s + o - bpp)));
    const x1 = i16x8.extend_low_i8x16_u(
      i32x4.replace_lane(v128.load32_zero(cur + 2 * s + o - 2 * bpp), 1, load<i32>(cur + 3 * s + o - 3 * bpp)),
    );
    a0 = paethStep(a0, b0, c0, x0);
    a1 = paethStep(a1, b1, c1, x1);
    c0 = b0;
    c1 = b1;
    const v0 = i8x16.narrow_i16x8_u(a0, a0);
    const v1 = i8x16.narrow_i16x8_u(a1, a1);
    if (j < w) storeLane(out + o, v0, 0, bpp, j + 1 == w);
    if (j >= 1 && j <= w) storeLane(out + rb + o - bpp, v0, 1, bpp, j == w);
    if (j >= 2 && j <= w + 1) storeLane(out + 2 * rb + o - 2 * bpp, v1, 0, bpp, j == w + 1);
    if (j >= 3) storeLane(out + 3 * rb + o - 3 * bpp, v1, 1, bpp, j == w + 2);
    // A row starts with a = 0 (and so c = 0 a step later): zero it until its first pixel.
    if (j < 3) {
      if (j == 0) a0 = v128.and(a0, low);
      a1 = j == 2 ? v128.and(a1, low) : zero;
    }
  }
}

/**
 * Stores the low `bpp` bytes of `v`; with `room` (the byte after the pixel is written later
 * and read by no one before), 3-byte pixels as one 4-byte store.
 */
// @ts-ignore: decorator
@inline function storePixel(p: usize, v: v128, bpp: usize, room: bool): void {
  if (bpp == 3 && room) {
    v128.store32_lane(p, v, 0);
  } else if (bpp == 3) {
    v128.store16_lane(p, v, 0);
    v128.store8_lane(p, v, 2, 2);
  } else if (bpp == 4) {
    v128.store32_lane(p, v, 0);
  } else if (bpp == 6) {
    v128.store32_lane(p, v, 0);
    v128.store16_lane(p, v, 2, 4);
  } else {
    v128.store64_lane(p, v, 0);
  }
}

/**
 * Sub, Average and Paeth a pixel at a time in vector lanes (lanes past `bpp` carry garbage
 * that never reaches memory): the left-neighbour dependency is per pixel, not per byte.
 */
// @ts-ignore: decorator
@inline function vectorRow(f: u32, cur: usize, prev: usize, out: usize, rb: usize, bpp: usize): void {
  // Wide stores only out of place: in place, the extra byte is the next pixel's filtered one.
  const last = out != cur ? rb - bpp : 0;
  if (f == 1) {
    let a = i8x16.splat(0);
    for (let i: usize = 0; i < rb; i += bpp) {
      a = i8x16.add(a, v128.load64_zero(cur + i));
      storePixel(out + i, a, bpp, i < last);
    }
  } else if (f == 3) {
    // x + floor((a + b) / 2), carried as its complement n = ~a: floor((a + b) / 2) is
    // ~avgr(~a, ~b), so ~(x + floor((a + b) / 2)) = avgr(n, ~b) - x (mod 256): two steps from
    // one pixel to the next where (x + avgr(a, b)) - ((a ^ b) & 1) takes three.
    let n = i8x16.splat(-1); // ~0
    for (let i: usize = 0; i < rb; i += bpp) {
      const nb = v128.not(v128.load64_zero(prev + i));
      const x = v128.load64_zero(cur + i);
      n = i8x16.sub(i8x16.avgr_u(n, nb), x);
      storePixel(out + i, v128.not(n), bpp, i < last);
    }
  } else {
    // Paeth with everything that does not depend on a (the pixel just decoded) computed off
    // the critical path: |b - c|, and the two outcomes x + b and x + c.
    let a = i16x8.splat(0);
    let c = i16x8.splat(0);
    const mask = i16x8.splat(0xff);
    for (let i: usize = 0; i < rb; i += bpp) {
      const b = v128.load8x8_u(prev + i);
      const x = v128.load8x8_u(cur + i);
      const bc = i16x8.sub(b, c);
      const pa = i16x8.abs(bc);
      const xb = v128.and(i16x8.add(x, b), mask);
      const xc = v128.and(i16x8.add(x, c), mask);
      const ac = i16x8.sub(a, c);
      const pb = i16x8.abs(ac);
      const pc = i16x8.abs(i16x8.add(bc, ac));
      const xa = v128.and(i16x8.add(x, a), mask);
      const useA = i16x8.le_s(pa, i16x8.min_s(pb, pc));
      a = v128.bitselect(xa, v128.bitselect(xb, xc, i16x8.le_s(pb, pc)), useA);
      storePixel(out + i, i8x16.narrow_i16x8_u(a, a), bpp, i < last);
      c = b;
    }
  }
}

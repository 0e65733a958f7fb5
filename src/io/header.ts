// Reads PNG and JPEG headers without decoding pixels: format, size and the file's own channel
// count, plus a structural walk that catches truncation and corruption with a clear message
// before any codec runs. Every error message starts with "decode:".
import { checkArea, checkSide, MAX_PIXELS, type Channels } from "../image.js";

/** What the header of a PNG or JPEG file says, found without decoding any pixels. */
export interface ImageHeader {
  /** The container format, from the magic bytes. */
  format: "png" | "jpeg";
  width: number;
  height: number;
  /** Channels {@link decode} returns for this file (1 grey, 3 RGB, 4 RGBA). */
  channels: Channels;
  /** Byte just past the end of the image (after PNG IEND / JPEG EOI); trailing bytes are ignored. */
  end: number;
  /** PNG only: Adam7 interlacing. */
  interlaced?: boolean;
  /** PNG only: bits per sample (1, 2, 4, 8 or 16). */
  bitDepth?: number;
  /** PNG only: IHDR colour type (0, 2, 3, 4 or 6). */
  colorType?: number;
  /** PNG only: total bytes of compressed IDAT data. */
  idatBytes?: number;
  /** PNG only, colour types 0 and 2: the tRNS colour key (raw sample values), when there is one. */
  trnsKey?: number[];
  /** JPEG only: number of colour components in the frame (1, 3 or 4). */
  components?: number;
  /** JPEG only: progressive (SOF2) rather than sequential coding. */
  progressive?: boolean;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** "first bytes 00 01 02 03" for error messages. */
function firstBytes(b: Uint8Array): string {
  const n = Math.min(b.length, 8);
  const hex = Array.from(b.subarray(0, n), (x) => x.toString(16).padStart(2, "0")).join(" ");
  return `first bytes ${hex}${b.length > n ? " …" : ""}`;
}

/** The format from the magic bytes, or a `decode:` TypeError naming the first bytes. */
export function sniff(b: Uint8Array): "png" | "jpeg" {
  if (b.length === 0) throw new TypeError("decode: empty input (0 bytes); expected the bytes of a PNG or JPEG file");
  if (b.length >= 8 && PNG_SIGNATURE.every((v, i) => b[i] === v)) return "png";
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  // A file that starts like a PNG signature but is cut short inside it.
  if (b.length < 8 && PNG_SIGNATURE.slice(0, b.length).every((v, i) => b[i] === v)) {
    throw new Error(`decode: truncated PNG: the file has only ${b.length} bytes, fewer than the 8-byte signature`);
  }
  if (b.length < 3 && b[0] === 0xff && (b.length === 1 || b[1] === 0xd8)) {
    throw new Error(`decode: truncated JPEG: the file has only ${b.length} bytes`);
  }
  throw new TypeError(`decode: not a PNG or JPEG file (${firstBytes(b)}, ${b.length} bytes)`);
}

/** Checks a header's size against MAX_SIDE / MAX_PIXELS; `what` is "PNG" or "JPEG". */
function checkSize(what: string, width: number, height: number): void {
  checkSide(width, `decode: ${what} width`);
  checkSide(height, `decode: ${what} height`);
  checkArea(width, height, `decode: ${what} image`);
}

// ---- PNG ----------------------------------------------------------------------------------

let crcTable: Uint32Array | undefined;

/** CRC-32 (ISO-HDLC, as PNG and zlib use) of `b[start, end)`. */
export function crc32(b: Uint8Array, start = 0, end = b.length): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  const t = crcTable;
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = t[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

function isLetter(x: number): boolean {
  return (x >= 0x41 && x <= 0x5a) || (x >= 0x61 && x <= 0x7a);
}

const PNG_DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
const PNG_SAMPLES: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Walks every chunk of a PNG: checks the signature, IHDR, chunk bounds and CRCs, and that
 * IDAT and IEND are present. Throws `decode:` errors; the size limit is checked right after
 * IHDR, before anything else is read.
 */
export function readPngHeader(b: Uint8Array): ImageHeader {
  const n = b.length;
  let off = 8;
  let width = 0;
  let height = 0;
  let bitDepth = 0;
  let colorType = -1;
  let interlaced = false;
  let hasPalette = false;
  let hasTrns = false;
  let trnsKey: number[] | undefined;
  let idatBytes = 0;
  let idatChunks = 0;
  let idatDone = false;
  for (let index = 0; ; index++) {
    if (off + 8 > n) {
      const where = off === n ? `after the last complete chunk (byte ${off})` : `inside a chunk header at byte ${off}`;
      throw new Error(`decode: truncated PNG: the file ends ${where} without an IEND chunk (${n} bytes in all)`);
    }
    const len = u32(b, off);
    const type = String.fromCharCode(b[off + 4]!, b[off + 5]!, b[off + 6]!, b[off + 7]!);
    if (![4, 5, 6, 7].every((k) => isLetter(b[off + k]!))) {
      throw new Error(`decode: corrupt PNG: invalid chunk type ${JSON.stringify(type)} at byte ${off}`);
    }
    if (len > 0x7fffffff) throw new Error(`decode: corrupt PNG: the ${type} chunk at byte ${off} claims ${len} bytes`);
    if (index === 0) {
      if (type !== "IHDR") throw new Error(`decode: corrupt PNG: the first chunk is ${JSON.stringify(type)}, not IHDR`);
      if (len !== 13) throw new Error(`decode: corrupt PNG: IHDR has ${len} bytes, not 13`);
    }
    if (off + 12 + len > n) {
      throw new Error(`decode: truncated PNG: the ${type} chunk at byte ${off} needs ${12 + len} bytes, but the file has only ${n - off} left`);
    }
    const want = u32(b, off + 8 + len);
    const got = crc32(b, off + 4, off + 8 + len);
    if (want !== got) {
      throw new Error(`decode: corrupt PNG: CRC mismatch in the ${type} chunk at byte ${off} (stored ${hex32(want)}, computed ${hex32(got)})`);
    }
    const d = off + 8;
    switch (type) {
      case "IHDR": {
        if (index !== 0) throw new Error(`decode: corrupt PNG: a second IHDR chunk at byte ${off}`);
        width = u32(b, d);
        height = u32(b, d + 4);
        bitDepth = b[d + 8]!;
        colorType = b[d + 9]!;
        const compression = b[d + 10]!;
        const filter = b[d + 11]!;
        const interlace = b[d + 12]!;
        if (width === 0 || height === 0) throw new Error(`decode: corrupt PNG: IHDR says ${width}x${height}`);
        // Decompression-bomb guard: refuse before reading any further.
        checkSize("PNG", width, height);
        const depths = PNG_DEPTHS[colorType];
        if (!depths) throw new Error(`decode: corrupt PNG: invalid colour type ${colorType} (expected 0, 2, 3, 4 or 6)`);
        if (!depths.includes(bitDepth)) {
          throw new Error(`decode: corrupt PNG: bit depth ${bitDepth} is not allowed for colour type ${colorType} (allowed: ${depths.join(", ")})`);
        }
        if (compression !== 0) throw new Error(`decode: corrupt PNG: unknown compression method ${compression}`);
        if (filter !== 0) throw new Error(`decode: corrupt PNG: unknown filter method ${filter}`);
        if (interlace > 1) throw new Error(`decode: corrupt PNG: unknown interlace method ${interlace}`);
        interlaced = interlace === 1;
        break;
      }
      case "PLTE":
        if (len === 0 || len % 3 !== 0 || len > 768) throw new Error(`decode: corrupt PNG: PLTE has ${len} bytes (expected a multiple of 3, at most 768)`);
        hasPalette = true;
        break;
      case "tRNS":
        if (idatChunks === 0) {
          hasTrns = true;
          if (colorType === 0 && len >= 2) trnsKey = [u16(b, d)];
          if (colorType === 2 && len >= 6) trnsKey = [u16(b, d), u16(b, d + 2), u16(b, d + 4)];
        }
        break;
      case "IDAT":
        if (idatDone) throw new Error(`decode: corrupt PNG: IDAT chunks are not consecutive (another at byte ${off})`);
        idatChunks++;
        idatBytes += len;
        break;
      case "IEND": {
        if (idatChunks === 0) throw new Error("decode: corrupt PNG: no IDAT chunk (no image data)");
        if (colorType === 3 && !hasPalette) throw new Error("decode: corrupt PNG: palette image without a PLTE chunk");
        const channels: Channels = colorType === 0 ? 1 : colorType === 2 ? 3 : colorType === 3 ? (hasTrns ? 4 : 3) : 4;
        return { format: "png", width, height, channels, end: off + 12 + len, interlaced, bitDepth, colorType, idatBytes, ...(trnsKey ? { trnsKey } : {}) };
      }
    }
    if (type !== "IDAT" && idatChunks > 0) idatDone = true;
    off += 12 + len;
  }
}

/** The data of each IDAT chunk of a PNG that {@link readPngHeader} accepted. */
export function pngIdat(b: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let off = 8; off + 8 <= b.length; ) {
    const len = u32(b, off);
    if (b[off + 4] === 0x49 && b[off + 5] === 0x44 && b[off + 6] === 0x41 && b[off + 7] === 0x54) out.push(b.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  return out;
}

function hex32(x: number): string {
  return "0x" + x.toString(16).padStart(8, "0");
}

/** Bytes of filtered scanlines (filter byte + packed samples per row) the IDAT stream must inflate to. */
export function pngRawSize(h: ImageHeader): number {
  const bitsPerPixel = PNG_SAMPLES[h.colorType!]! * h.bitDepth!;
  const rows = (w: number, hgt: number) => (w === 0 || hgt === 0 ? 0 : hgt * (1 + Math.ceil((w * bitsPerPixel) / 8)));
  if (!h.interlaced) return rows(h.width, h.height);
  // Adam7 passes: [x0, y0, dx, dy].
  const passes = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const;
  let total = 0;
  for (const [x0, y0, dx, dy] of passes) {
    total += rows(Math.ceil((h.width - x0) / dx), Math.ceil((h.height - y0) / dy));
  }
  return total;
}

// ---- JPEG ---------------------------------------------------------------------------------

/** Most scans accepted in one JPEG: real progressive files have about 10; each scan costs a pass over the image. */
export const MAX_JPEG_SCANS = 1000;

const SOF_NAMES: Record<number, string> = {
  0xc0: "baseline",
  0xc1: "extended sequential",
  0xc2: "progressive",
  0xc3: "lossless",
  0xc5: "differential sequential",
  0xc6: "differential progressive",
  0xc7: "differential lossless",
  0xc9: "arithmetic-coded sequential",
  0xca: "arithmetic-coded progressive",
  0xcb: "arithmetic-coded lossless",
  0xcd: "differential arithmetic-coded sequential",
  0xce: "differential arithmetic-coded progressive",
  0xcf: "differential arithmetic-coded lossless",
};

/**
 * Walks the markers of a JPEG up to its EOI: checks each segment fits in the file, finds the
 * frame header (SOF) and checks its size against the limits as soon as it is read, and skips
 * entropy-coded data to the end-of-image marker. Throws `decode:` errors.
 */
export function readJpegHeader(b: Uint8Array): ImageHeader {
  const n = b.length;
  let off = 2;
  let frame: { width: number; height: number; components: number; progressive: boolean } | undefined;
  let scans = 0;
  let adobe = false;
  for (;;) {
    if (off >= n) {
      throw new Error(`decode: truncated JPEG: the file ends at byte ${n} without an end-of-image marker${frame ? "" : " or a frame header"}`);
    }
    if (b[off] !== 0xff) {
      throw new Error(`decode: corrupt JPEG: expected a marker at byte ${off}, found 0x${b[off]!.toString(16).padStart(2, "0")}`);
    }
    while (off + 1 < n && b[off + 1] === 0xff) off++; // fill bytes
    if (off + 1 >= n) throw new Error(`decode: truncated JPEG: the file ends inside a marker at byte ${off}`);
    const m = b[off + 1]!;
    const at = off;
    off += 2;
    if (m === 0xd9) {
      if (!frame) throw new Error("decode: corrupt JPEG: end-of-image marker before any frame header");
      if (scans === 0) throw new Error("decode: corrupt JPEG: end-of-image marker before any image data (no SOS)");
      return { format: "jpeg", width: frame.width, height: frame.height, channels: frame.components === 1 ? 1 : 3, end: off, components: frame.components, progressive: frame.progressive };
    }
    if (m === 0x01 || (m >= 0xd0 && m <= 0xd7)) continue; // standalone markers
    if (m === 0xd8) throw new Error(`decode: corrupt JPEG: a second start-of-image marker at byte ${at}`);
    if (m === 0x00) throw new Error(`decode: corrupt JPEG: invalid marker 0xff00 at byte ${at}`);
    if (off + 2 > n) throw new Error(`decode: truncated JPEG: the file ends inside the 0xff${hex8(m)} segment at byte ${at}`);
    const len = u16(b, off);
    if (len < 2) throw new Error(`decode: corrupt JPEG: the 0xff${hex8(m)} segment at byte ${at} has length ${len}`);
    if (off + len > n) {
      throw new Error(`decode: truncated JPEG: the 0xff${hex8(m)} segment at byte ${at} needs ${len + 2} bytes, but the file has only ${n - at} left`);
    }
    if (m === 0xee && len >= 7 && String.fromCharCode(...b.subarray(off + 2, off + 7)) === "Adobe") adobe = true;
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
      if (frame) throw new Error(`decode: unsupported JPEG: a second frame header at byte ${at} (hierarchical or multi-frame JPEG)`);
      if (len < 8) throw new Error(`decode: corrupt JPEG: the frame header at byte ${at} has length ${len}`);
      const precision = b[off + 2]!;
      const height = u16(b, off + 3);
      const width = u16(b, off + 5);
      const components = b[off + 7]!;
      if (len < 8 + 3 * components) throw new Error(`decode: corrupt JPEG: the frame header at byte ${at} is too short for ${components} components`);
      if (m !== 0xc0 && m !== 0xc1 && m !== 0xc2) {
        throw new Error(`decode: unsupported JPEG: ${SOF_NAMES[m]} coding (SOF${m - 0xc0}); only baseline, extended and progressive Huffman JPEGs are supported`);
      }
      if (precision !== 8) throw new Error(`decode: unsupported JPEG: ${precision}-bit samples; only 8-bit JPEGs are supported`);
      if (height === 0) throw new Error("decode: unsupported JPEG: height 0 in the frame header (set later by a DNL marker)");
      if (width === 0) throw new Error("decode: corrupt JPEG: width 0 in the frame header");
      checkSize("JPEG", width, height);
      if (components !== 1 && components !== 3 && components !== 4) {
        throw new Error(`decode: unsupported JPEG: ${components} colour components (expected 1 grey, 3 colour or 4 CMYK)`);
      }
      for (let c = 0; c < components; c++) {
        const hv = b[off + 9 + 3 * c]!;
        if (hv >> 4 < 1 || hv >> 4 > 4 || (hv & 15) < 1 || (hv & 15) > 4) {
          throw new Error(`decode: corrupt JPEG: invalid sampling factors ${hv >> 4}x${hv & 15} for component ${c}`);
        }
      }
      frame = { width, height, components, progressive: m === 0xc2 };
    }
    off += len;
    if (m === 0xda) {
      if (!frame) throw new Error(`decode: corrupt JPEG: image data (SOS at byte ${at}) before any frame header`);
      if (frame.components === 4 && !adobe) {
        throw new Error("decode: unsupported JPEG: 4 colour components without an Adobe APP14 marker (unknown CMYK/YCCK layout)");
      }
      if (++scans > MAX_JPEG_SCANS) throw new Error(`decode: unsupported JPEG: more than ${MAX_JPEG_SCANS} scans`);
      // Entropy-coded data runs to the next marker that is not a stuffed 0xff00 or a restart marker.
      for (;;) {
        const ff = b.indexOf(0xff, off);
        if (ff < 0 || ff + 1 >= n) {
          throw new Error(`decode: truncated JPEG: the file ends inside the image data of scan ${scans} (${n} bytes in all, no end-of-image marker)`);
        }
        const next = b[ff + 1]!;
        if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) {
          off = ff + 2;
          continue;
        }
        if (next === 0xff) {
          off = ff + 1; // fill byte before a marker
          continue;
        }
        off = ff;
        break;
      }
    }
  }
}

function hex8(x: number): string {
  return x.toString(16).padStart(2, "0");
}

/**
 * Reads the header of a PNG or JPEG file and walks its structure, without decoding pixels.
 * Throws a `decode:` error for an unknown format, truncated or corrupt structure, or a size over
 * MAX_SIDE / MAX_PIXELS.
 */
export function readHeader(b: Uint8Array): ImageHeader {
  return sniff(b) === "png" ? readPngHeader(b) : readJpegHeader(b);
}

/** MAX_PIXELS in (decimal) megapixels, rounded up, for codecs that take a megapixel limit. */
export const MAX_MEGAPIXELS = Math.ceil(MAX_PIXELS / 1e6);

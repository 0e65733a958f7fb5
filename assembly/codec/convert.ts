// Pillow's `Image.convert("RGB" | "RGBA" | "L")` from every mode a decoder gives (info.ts),
// byte for byte (src/libImaging/Convert.c and Image.convert's transparency handling, Pillow 12.3):
//
//   from \ to   L                        RGB                     RGBA
//   1           v (0 or 255)             v, v, v                 v, v, v, 255 (key: alpha 0)
//   L           v                        v, v, v                 v, v, v, 255 (key: alpha 0)
//   LA          l                        l, l, l                 l, l, l, a
//   RGB         luma                     copy                    r, g, b, 255 (key: alpha 0)
//   RGBA        luma (alpha ignored)     r, g, b                 copy
//   P           luma of palette[i]       palette[i]              palette[i], alpha[i]
//   I;16        clip(v, 255)             clip, x3                clip, x3, 255 (key: alpha 0)
//   CMYK        luma of the RGB below    255-k - (c*(255-k))/255 (rounded as MULDIV255), ...   ..., 255
//
// - luma is Pillow's L24: (19595 r + 38470 g + 7471 b + 0x8000) >> 16.
// - A colour key (FLAG_KEY, the raw tRNS values in INFO_KEY) only matters for RGBA, as in
//   Image.convert, which calls convert_transparent for 1/L/I;16/RGB -> RGBA: the pixel is
//   converted first and then compared with the key truncated to 8 bits (`r & 0xff` in rgbT2a),
//   so a 16-bit key matches pixels whose converted value equals its low byte, and an I;16 key of
//   255 matches every pixel at or above 255. For mode "1" the key is 255 if the raw key is
//   non-zero, else 0 (PngImagePlugin). Matching pixels keep their colour and get alpha 0.
// - P uses the aux block: the palette, and per-entry alpha (255 where tRNS says nothing), which
//   is what Image.convert's putpalettealphas / putpalettealpha give.
import { AUX_ALPHA, FLAG_KEY, FLAG_PALETTE_ALPHA, INFO_DETAIL, INFO_DETAIL2, INFO_FLAGS, INFO_KEY, MODE_1, MODE_CMYK, MODE_I16, MODE_L, MODE_LA, MODE_P, MODE_RGB, MODE_RGBA, getInfo, setInfo } from "./info";
import { E_CONVERT, OK } from "./status";
import { l24 as luma } from "../luma";


/** Pillow's MULDIV255: (a * b + 128 + ((a * b + 128) >> 8)) >> 8, a * b / 255 rounded. */
// @ts-ignore: decorator
@inline function muldiv255(a: u32, b: u32): u32 {
  const t = a * b + 128;
  return ((t >> 8) + t) >> 8;
}

/** CMYK -> RGB as one u32 (r | g << 8 | b << 16), Pillow's cmyk2rgb. */
// @ts-ignore: decorator
@inline function cmyk(p: usize): u32 {
  const nk = 255 - <u32>load<u8>(p + 3);
  const r = nk - muldiv255(<u32>load<u8>(p), nk);
  const g = nk - muldiv255(<u32>load<u8>(p + 1), nk);
  const b = nk - muldiv255(<u32>load<u8>(p + 2), nk);
  return r | (g << 8) | (b << 16);
}

/** Pillow's I;16 -> L: a value above 255 becomes 255. */
// @ts-ignore: decorator
@inline function clip16(p: usize): u32 {
  const v = <u32>load<u16>(p);
  return v > 255 ? 255 : v;
}

/**
 * The mode lockstep's `mode: "keep"` converts to: the file's own channels as 1, 3 or 4 bytes a
 * pixel. Grey-like (1, L, I;16) -> L; LA -> RGBA (r = g = b); RGB, CMYK -> RGB; RGBA -> RGBA;
 * P -> RGBA when it has tRNS (FLAG_PALETTE_ALPHA in `flags`), else RGB. A colour key does not
 * add a channel. The pixels are then exactly Pillow's `.convert()` to that mode.
 */
export function keepMode(mode: i32, flags: i32): i32 {
  if (mode == MODE_1 || mode == MODE_L || mode == MODE_I16) return MODE_L;
  if (mode == MODE_LA || mode == MODE_RGBA) return MODE_RGBA;
  if (mode == MODE_P) return (flags & FLAG_PALETTE_ALPHA) != 0 ? MODE_RGBA : MODE_RGB;
  return MODE_RGB;
}

/**
 * Converts `w * h` pixels of `srcMode` at `src` to `dstMode` (MODE_L, MODE_RGB or MODE_RGBA) at
 * `dst`, as Pillow's `.convert(dstMode)` does (table above). `aux` is the palette block for
 * MODE_P (info.ts: AUX_BYTES); `info` gives FLAGS and KEY (a colour key) as a decoder filled
 * them. `dst` must not overlap `src` unless they are the same address and the mode is the
 * same. Returns OK, or E_CONVERT (INFO_DETAIL: srcMode, INFO_DETAIL2: dstMode) for a pair
 * it does not convert.
 */
export function convertMode(src: usize, srcMode: i32, w: i32, h: i32, aux: usize, info: usize, dstMode: i32, dst: usize): i32 {
  const n = <usize>w * <usize>h;
  if (dstMode != MODE_L && dstMode != MODE_RGB && dstMode != MODE_RGBA) return bad(info, srcMode, dstMode);
  if (srcMode < MODE_1 || srcMode > MODE_CMYK) return bad(info, srcMode, dstMode);
  const keyed = dstMode == MODE_RGBA && (getInfo(info, INFO_FLAGS) & FLAG_KEY) != 0;
  if (srcMode == dstMode || (srcMode == MODE_1 && dstMode == MODE_L)) {
    // "1" is stored as 0/255 bytes, which is what "1" -> "L" gives.
    const size = n * (dstMode == MODE_L ? 1 : dstMode == MODE_RGB ? 3 : 4);
    if (dst != src) memory.copy(dst, src, size);
    return OK;
  }
  if (dstMode == MODE_L) {
    toL(src, srcMode, n, aux, dst);
  } else if (dstMode == MODE_RGB) {
    toRGB(src, srcMode, n, aux, dst);
  } else {
    toRGBA(src, srcMode, n, aux, dst);
    if (keyed && srcMode != MODE_P && srcMode != MODE_LA && srcMode != MODE_CMYK) {
      let kr = <u32>getInfo(info, INFO_KEY) & 0xff;
      let kg = <u32>getInfo(info, INFO_KEY + 1) & 0xff;
      let kb = <u32>getInfo(info, INFO_KEY + 2) & 0xff;
      if (srcMode != MODE_RGB) {
        // grey modes: one key, compared against the converted (v, v, v)
        if (srcMode == MODE_1) kr = getInfo(info, INFO_KEY) != 0 ? 255 : 0;
        kg = kr;
        kb = kr;
      }
      const key = kr | (kg << 8) | (kb << 16) | 0xff000000;
      for (let i: usize = 0; i < n; i++) {
        const p = dst + (i << 2);
        if (load<u32>(p) == key) store<u32>(p, key & 0x00ffffff);
      }
    }
  }
  return OK;
}

function bad(info: usize, a: i32, b: i32): i32 {
  setInfo(info, INFO_DETAIL, a);
  setInfo(info, INFO_DETAIL2, b);
  return E_CONVERT;
}

const LUT = memory.data(256, 16);

function toL(src: usize, mode: i32, n: usize, aux: usize, dst: usize): void {
  if (mode == MODE_LA) {
    for (let i: usize = 0; i < n; i++) store<u8>(dst + i, load<u8>(src + (i << 1)));
  } else if (mode == MODE_RGB) {
    for (let i: usize = 0; i < n; i++) {
      const p = src + i * 3;
      store<u8>(dst + i, <u8>luma(load<u8>(p), load<u8>(p + 1), load<u8>(p + 2)));
    }
  } else if (mode == MODE_RGBA) {
    for (let i: usize = 0; i < n; i++) {
      const v = load<u32>(src + (i << 2));
      store<u8>(dst + i, <u8>luma(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff));
    }
  } else if (mode == MODE_P) {
    // luma of each palette entry once, then a lookup per pixel
    for (let k: usize = 0; k < 256; k++) {
      const e = aux + k * 3;
      store<u8>(LUT + k, <u8>luma(load<u8>(e), load<u8>(e + 1), load<u8>(e + 2)));
    }
    for (let i: usize = 0; i < n; i++) store<u8>(dst + i, load<u8>(LUT + <usize>load<u8>(src + i)));
  } else if (mode == MODE_I16) {
    for (let i: usize = 0; i < n; i++) store<u8>(dst + i, <u8>clip16(src + (i << 1)));
  } else {
    // CMYK: Pillow has no CMYK -> L converter and goes through RGB
    for (let i: usize = 0; i < n; i++) {
      const v = cmyk(src + (i << 2));
      store<u8>(dst + i, <u8>luma(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff));
    }
  }
}

function toRGB(src: usize, mode: i32, n: usize, aux: usize, dst: usize): void {
  if (mode == MODE_1 || mode == MODE_L) {
    for (let i: usize = 0; i < n; i++) {
      const v = load<u8>(src + i);
      const o = dst + i * 3;
      store<u8>(o, v);
      store<u8>(o + 1, v);
      store<u8>(o + 2, v);
    }
  } else if (mode == MODE_LA) {
    for (let i: usize = 0; i < n; i++) {
      const v = load<u8>(src + (i << 1));
      const o = dst + i * 3;
      store<u8>(o, v);
      store<u8>(o + 1, v);
      store<u8>(o + 2, v);
    }
  } else if (mode == MODE_RGBA) {
    let i: usize = 0;
    // 4 pixels a step: 16 bytes in, 12 out (the vector store writes 4 more, overwritten next).
    if (n >= 6) {
      for (; i + 6 <= n; i += 4) {
        const v = v128.load(src + (i << 2));
        v128.store(dst + i * 3, i8x16.shuffle(v, v, 0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0, 0, 0, 0));
      }
    }
    for (; i < n; i++) {
      const p = src + (i << 2);
      const o = dst + i * 3;
      store<u16>(o, load<u16>(p));
      store<u8>(o + 2, load<u8>(p + 2));
    }
  } else if (mode == MODE_P) {
    for (let i: usize = 0; i < n; i++) {
      const e = aux + <usize>load<u8>(src + i) * 3;
      const o = dst + i * 3;
      store<u16>(o, load<u16>(e));
      store<u8>(o + 2, load<u8>(e + 2));
    }
  } else if (mode == MODE_I16) {
    for (let i: usize = 0; i < n; i++) {
      const v = <u8>clip16(src + (i << 1));
      const o = dst + i * 3;
      store<u8>(o, v);
      store<u8>(o + 1, v);
      store<u8>(o + 2, v);
    }
  } else {
    for (let i: usize = 0; i < n; i++) {
      const v = cmyk(src + (i << 2));
      const o = dst + i * 3;
      store<u16>(o, <u16>v);
      store<u8>(o + 2, <u8>(v >> 16));
    }
  }
}

function toRGBA(src: usize, mode: i32, n: usize, aux: usize, dst: usize): void {
  if (mode == MODE_1 || mode == MODE_L) {
    for (let i: usize = 0; i < n; i++) store<u32>(dst + (i << 2), <u32>load<u8>(src + i) * 0x010101 | 0xff000000);
  } else if (mode == MODE_LA) {
    for (let i: usize = 0; i < n; i++) {
      const p = src + (i << 1);
      store<u32>(dst + (i << 2), <u32>load<u8>(p) * 0x010101 | (<u32>load<u8>(p + 1) << 24));
    }
  } else if (mode == MODE_RGB) {
    for (let i: usize = 0; i < n; i++) {
      const p = src + i * 3;
      store<u32>(dst + (i << 2), <u32>load<u16>(p) | (<u32>load<u8>(p + 2) << 16) | 0xff000000);
    }
  } else if (mode == MODE_P) {
    for (let i: usize = 0; i < n; i++) {
      const k = <usize>load<u8>(src + i);
      const e = aux + k * 3;
      store<u32>(dst + (i << 2), <u32>load<u16>(e) | (<u32>load<u8>(e + 2) << 16) | (<u32>load<u8>(aux + AUX_ALPHA + k) << 24));
    }
  } else if (mode == MODE_I16) {
    for (let i: usize = 0; i < n; i++) store<u32>(dst + (i << 2), clip16(src + (i << 1)) * 0x010101 | 0xff000000);
  } else {
    for (let i: usize = 0; i < n; i++) store<u32>(dst + (i << 2), cmyk(src + (i << 2)) | 0xff000000);
  }
}

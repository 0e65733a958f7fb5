// Colour ops as torchvision runs them on PIL images (Pillow 12.3), bit for bit: what
// `"pil"` semantics computes. Where Pillow works in floating point, these functions do the
// same IEEE operations in the same order, which WebAssembly fixes exactly (round to
// nearest even, no fused multiply-add, no extra precision), so every engine gives the same
// bytes; integer parts stay integers.
//
// - ImageEnhance (brightness, contrast, colour, sharpness) is Image.blend(degenerate,
//   image, factor): Blend.c's `(UINT8)(d + alpha * (x - d))` in binary32, alpha the factor
//   rounded to binary32, clipped to [0, 255] when alpha is outside [0, 1].
// - Grey is convert("L"): (19595 r + 38470 g + 7471 b + 0x8000) >> 16 (Convert.c's L24).
// - Contrast's degenerate is the grey image's mean, ImageStat's float64 sum / count,
//   rounded as int(mean + 0.5).
// - Sharpness's degenerate is ImageFilter.SMOOTH (Filter.c's 3x3 kernel in binary32 with
//   weights float(1 / 13) and float(5 / 13); the border and images under 3x3 are copied).
// - Hue is torchvision's HSV round trip: Convert.c's rgb2hsv and hsv2rgb (binary32 and
//   binary64 exactly as C evaluates them), the hue byte shifted by int(factor * 255) mod 256.
// - Gamma is torchvision's point table int(255.999 * gain * pow(v / 255, gamma)) in
//   binary64 (pow is musl's, the same algorithm as glibc's since 2.28), clipped by point().
// - Autocontrast is ImageOps' float64 table int(v * scale + offset), clipped.
// 4-channel images: the colour is changed and alpha kept (ImageEnhance keeps it the same
// way; ImageOps and the HSV route do not take RGBA, see the README's deliberate differences).
import { l24 } from "./luma";
import { vR, vG, vB, vA, deinterleave16, interleave16, quarterI, bytes16, laneSum, putGrey } from "./pixels";

/** Blend.c's blend of degenerate d and image value x by alpha (binary32), clipped. */
// @ts-ignore: decorator
@inline function blend1(d: i32, x: i32, alpha: f32): u8 {
  const t = <f32>d + alpha * <f32>(x - d);
  return <u8><i32>min<f32>(max<f32>(t, 0), 255);
}

/** 256-entry table of the blend of a constant degenerate `d` with every value (brightness: d = 0; contrast: d = the mean). */
export function pilLutBlend(d: i32, alpha: f32, out: usize): void {
  for (let v = 0; v < 256; v++) store<u8>(out + <usize>v, blend1(d, v, alpha));
}

/** One vector of 16 blended bytes: degenerate bytes dv, image bytes xv. */
// @ts-ignore: decorator
@inline function blend16(dv: v128, xv: v128, a: v128): v128 {
  const dl = i16x8.extend_low_i8x16_u(dv), dh = i16x8.extend_high_i8x16_u(dv);
  const xl = i16x8.extend_low_i8x16_u(xv), xh = i16x8.extend_high_i8x16_u(xv);
  const d0 = f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(dl)), d1 = f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(dl));
  const d2 = f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(dh)), d3 = f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(dh));
  const x0 = f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(xl)), x1 = f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(xl));
  const x2 = f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(xh)), x3 = f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(xh));
  // x - d of two small integers is exact in binary32.
  const r0 = i32x4.trunc_sat_f32x4_s(f32x4.add(d0, f32x4.mul(a, f32x4.sub(x0, d0))));
  const r1 = i32x4.trunc_sat_f32x4_s(f32x4.add(d1, f32x4.mul(a, f32x4.sub(x1, d1))));
  const r2 = i32x4.trunc_sat_f32x4_s(f32x4.add(d2, f32x4.mul(a, f32x4.sub(x2, d2))));
  const r3 = i32x4.trunc_sat_f32x4_s(f32x4.add(d3, f32x4.mul(a, f32x4.sub(x3, d3))));
  // Truncating first and clipping after is the same byte as clipping the float first (every
  // value in (-1, 0] truncates to 0); the saturating narrows clip.
  return i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_s(r0, r1), i16x8.narrow_i32x4_s(r2, r3));
}

/**
 * pilLutBlend's table applied without the table: blend1(d, x, alpha) of each byte, 16 at a
 * time (blend16 with a constant degenerate); for c = 4 alpha is kept.
 */
export function pilBlendConst(src: usize, bytes: i32, c: i32, d: i32, alpha: f32, dst: usize): void {
  const a = f32x4.splat(alpha);
  const dv = i8x16.splat(<u8>d);
  const keep = c == 4 ? i32x4.splat(0xff000000) : i32x4.splat(0);
  let i = 0;
  for (; i + 16 <= bytes; i += 16) {
    const x = v128.load(src + <usize>i);
    v128.store(dst + <usize>i, v128.bitselect(x, blend16(dv, x, a), keep));
  }
  for (; i < bytes; i++) {
    const x = <i32>load<u8>(src + <usize>i);
    store<u8>(dst + <usize>i, c == 4 && (i & 3) == 3 ? <u8>x : blend1(d, x, alpha));
  }
}

/**
 * Image.blend(degenerate, image, alpha) byte by byte over `bytes` bytes of c-channel
 * images; for c = 4 the alpha bytes are the image's (as ImageEnhance puts the image's
 * alpha on its degenerate, and blending equal values returns them).
 */
export function pilBlend(img: usize, deg: usize, bytes: i32, c: i32, alpha: f32, dst: usize): void {
  const a = f32x4.splat(alpha);
  const keep = c == 4 ? i32x4.splat(0xff000000) : i32x4.splat(0);
  let i = 0;
  for (; i + 16 <= bytes; i += 16) {
    const x = v128.load(img + <usize>i);
    v128.store(dst + <usize>i, v128.bitselect(x, blend16(v128.load(deg + <usize>i), x, a), keep));
  }
  for (; i < bytes; i++) {
    const x = <i32>load<u8>(img + <usize>i);
    store<u8>(dst + <usize>i, c == 4 && (i & 3) == 3 ? <u8>x : blend1(<i32>load<u8>(deg + <usize>i), x, alpha));
  }
}

/** Convert.c's L24: the grey byte of (r, g, b). */
// @ts-ignore: decorator
@inline function grey(r: u32, g: u32, b: u32): u8 {
  return <u8>l24(r, g, b);
}

/**
 * convert("L") of n pixels with c channels into outC channels: 1 (grey), 3 (grey thrice)
 * or, for c = 4, 4 (grey thrice and the alpha). A grey image is copied or repeated.
 */
export function pilGrey(src: usize, n: i32, c: i32, outC: i32, dst: usize): void {
  for (let i = 0; i < n; i++) {
    const p = src + <usize>i * <usize>c;
    const v = c == 1 ? load<u8>(p) : grey(load<u8>(p), load<u8>(p, 1), load<u8>(p, 2));
    putGrey(dst + <usize>i * <usize>outC, v, outC, p);
  }
}

/**
 * ImageEnhance.Color: each colour byte blended with its pixel's grey (convert("L") back to
 * the image's mode). A grey image is its own degenerate, so it comes back unchanged.
 */
export function pilColor(src: usize, n: i32, c: i32, alpha: f32, dst: usize): void {
  if (c == 1) {
    memory.copy(dst, src, <usize>n);
    return;
  }
  const a = f32x4.splat(alpha);
  const cu = <usize>c;
  let i = 0;
  // 16 pixels at a time: the same integer grey and binary32 blend per byte as below.
  for (; i + 16 <= n; i += 16) {
    deinterleave16(src + <usize>i * cu, c);
    const r = vR, g = vG, b = vB;
    const gy = grey16(r, g, b);
    interleave16(dst + <usize>i * cu, c, blend16(gy, r, a), blend16(gy, g, a), blend16(gy, b, a), vA);
  }
  for (; i < n; i++) {
    const p = src + <usize>i * cu;
    const g = <i32>grey(load<u8>(p), load<u8>(p, 1), load<u8>(p, 2));
    const q = dst + <usize>i * cu;
    store<u8>(q, blend1(g, <i32>load<u8>(p), alpha));
    store<u8>(q, blend1(g, <i32>load<u8>(p, 1), alpha), 1);
    store<u8>(q, blend1(g, <i32>load<u8>(p, 2), alpha), 2);
    if (c == 4) store<u8>(q, load<u8>(p, 3), 3);
  }
}

/** Convert.c's L24 of one quarter (4 pixels) of r, g, b as u32 lanes. */
// @ts-ignore: decorator
@inline function l24x4(r: v128, g: v128, b: v128): v128 {
  const t = i32x4.add(i32x4.add(i32x4.mul(r, i32x4.splat(19595)), i32x4.mul(g, i32x4.splat(38470))), i32x4.add(i32x4.mul(b, i32x4.splat(7471)), i32x4.splat(0x8000)));
  return i32x4.shr_u(t, 16);
}

/** The L24 grey bytes of 16 pixels given as r, g, b planes. */
// @ts-ignore: decorator
@inline function grey16(r: v128, g: v128, b: v128): v128 {
  const rl = i16x8.extend_low_i8x16_u(r), rh = i16x8.extend_high_i8x16_u(r);
  const gl = i16x8.extend_low_i8x16_u(g), gh = i16x8.extend_high_i8x16_u(g);
  const bl = i16x8.extend_low_i8x16_u(b), bh = i16x8.extend_high_i8x16_u(b);
  const y0 = l24x4(i32x4.extend_low_i16x8_u(rl), i32x4.extend_low_i16x8_u(gl), i32x4.extend_low_i16x8_u(bl));
  const y1 = l24x4(i32x4.extend_high_i16x8_u(rl), i32x4.extend_high_i16x8_u(gl), i32x4.extend_high_i16x8_u(bl));
  const y2 = l24x4(i32x4.extend_low_i16x8_u(rh), i32x4.extend_low_i16x8_u(gh), i32x4.extend_low_i16x8_u(bh));
  const y3 = l24x4(i32x4.extend_high_i16x8_u(rh), i32x4.extend_high_i16x8_u(gh), i32x4.extend_high_i16x8_u(bh));
  return i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_u(y0, y1), i16x8.narrow_i32x4_u(y2, y3));
}

/**
 * ImageEnhance.Contrast's grey level: int(mean + 0.5) of the grey image (the image itself
 * for 1 channel), the mean being ImageStat's float64 sum / count (the sum is exact).
 */
export function pilContrastMean(src: usize, n: i32, c: i32): i32 {
  let total: u64 = 0;
  let i = 0;
  if (c != 1) {
    // 16 grey bytes at a time into four u32 lanes, emptied into the u64 total every
    // 2^16 blocks (a lane gains at most 4 * 255 per block).
    while (i + 16 <= n) {
      let acc = i32x4.splat(0);
      const stop = min(n - 15, i + (16 << 16));
      for (; i < stop; i += 16) {
        deinterleave16(src + <usize>i * <usize>c, c);
        const gy = grey16(vR, vG, vB);
        acc = i32x4.add(acc, i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(gy)));
      }
      total += laneSum(acc);
    }
  }
  for (; i < n; i++) {
    const p = src + <usize>i * <usize>c;
    total += <u64>(c == 1 ? load<u8>(p) : grey(load<u8>(p), load<u8>(p, 1), load<u8>(p, 2)));
  }
  const mean = <f64>total / <f64>n;
  return <i32>(mean + 0.5);
}

const K1: f32 = <f32>(1.0 / 13.0);
const K5: f32 = <f32>(5.0 / 13.0);

/**
 * ImageFilter.SMOOTH as Filter.c computes it for 8-bit bands: per value
 * ss = 0.5 + row below + row + row above, each row ((p[-1] * k + p[0] * k') + p[1] * k),
 * all binary32, then truncated to [0, 255]. The first and last rows and columns are
 * copied, and images under 3 x 3 are copied whole. Alpha is filtered too (the caller
 * replaces it).
 */
export function pilSmooth(src: usize, w: i32, h: i32, c: i32, dst: usize): void {
  const rb = <usize>w * <usize>c;
  memory.copy(dst, src, rb * <usize>h);
  if (w < 3 || h < 3) return;
  const cs = <usize>c;
  const end = <usize>(w - 1) * cs;
  const k1 = f32x4.splat(K1), k5 = f32x4.splat(K5), half = f32x4.splat(0.5);
  for (let y = 1; y < h - 1; y++) {
    const mid = src + <usize>y * rb;
    const up = mid - rb;
    const dn = mid + rb;
    const out = dst + <usize>y * rb;
    let p = cs;
    for (; p + 4 <= end; p += 4) {
      // Four consecutive bytes at a time: each has its neighbours c bytes away.
      const a0 = f4(dn + p - cs), a1 = f4(dn + p), a2 = f4(dn + p + cs);
      const b0 = f4(mid + p - cs), b1 = f4(mid + p), b2 = f4(mid + p + cs);
      const d0 = f4(up + p - cs), d1 = f4(up + p), d2 = f4(up + p + cs);
      let ss = f32x4.add(half, f32x4.add(f32x4.add(f32x4.mul(a0, k1), f32x4.mul(a1, k1)), f32x4.mul(a2, k1)));
      ss = f32x4.add(ss, f32x4.add(f32x4.add(f32x4.mul(b0, k1), f32x4.mul(b1, k5)), f32x4.mul(b2, k1)));
      ss = f32x4.add(ss, f32x4.add(f32x4.add(f32x4.mul(d0, k1), f32x4.mul(d1, k1)), f32x4.mul(d2, k1)));
      const r = i32x4.trunc_sat_f32x4_s(f32x4.min(ss, f32x4.splat(255)));
      const n16 = i16x8.narrow_i32x4_u(r, r);
      v128.store32_lane(out + p, i8x16.narrow_i16x8_u(n16, n16), 0);
    }
    for (; p < end; p++) {
      let ss: f32 = 0.5;
      ss += (<f32>load<u8>(dn + p - cs) * K1 + <f32>load<u8>(dn + p) * K1) + <f32>load<u8>(dn + p + cs) * K1;
      ss += (<f32>load<u8>(mid + p - cs) * K1 + <f32>load<u8>(mid + p) * K5) + <f32>load<u8>(mid + p + cs) * K1;
      ss += (<f32>load<u8>(up + p - cs) * K1 + <f32>load<u8>(up + p) * K1) + <f32>load<u8>(up + p + cs) * K1;
      store<u8>(out + p, <u8><i32>min<f32>(ss, 255));
    }
  }
}

/** Four bytes at p as f32x4 (the signed convert: exact for bytes, one x64 instruction). */
// @ts-ignore: decorator
@inline function f4(p: usize): v128 {
  return f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(p))));
}

/** C's round(): halves away from zero (x >= 0 here), without the rounding of x + 0.5. */
// @ts-ignore: decorator
@inline function cround(x: f64): i32 {
  const f = Math.floor(x);
  return <i32>f + (x - f >= 0.5 ? 1 : 0);
}

// @ts-ignore: decorator
@inline function clip8(v: i32): i32 {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

// Parts of the HSV round trip that depend on one or two bytes only, computed once with the
// same operations and looked up afterwards (the per-pixel arithmetic is otherwise
// identical): the saturation byte of (max, min), fs = float(s / 255.0) per saturation byte,
// the sector and fraction of each hue byte, and p = round(v * (1 - fs)) per (s, v).
const US: usize = memory.data(65536);
const FS: usize = memory.data(256 * 4, 16);
const SECTOR: usize = memory.data(256, 16);
const FH: usize = memory.data(256 * 4, 16);
const PV: usize = memory.data(65536);
// Per (saturation byte s, shifted hue byte h): the sector (bits 25..27) and M (bits 0..24)
// with (v * M + 2^23) >> 24 == round(v * K) for every byte v, K being the factor the
// sector's q or t takes: 1 - float(fs * f) (odd sectors, q) or 1 - fs * (1 - f) (even, t).
// M = round(K * 2^24); tests/color.test.ts checks the identity for all 2^24 (s, h, v).
const MSEC: usize = memory.data(65536 * 4, 16);
let hsvTables = false;

function buildHsvTables(): void {
  for (let mx = 1; mx < 256; mx++) {
    for (let mn = 0; mn < mx; mn++) {
      const s = <f32>(mx - mn) / <f32>mx;
      store<u8>(US + <usize>(mx << 8 | mn), <u8>clip8(<i32>(<f64>s * 255.0)));
    }
  }
  for (let v = 0; v < 256; v++) {
    // i = floor((float)h * 6.0 / 255.0); f = (float)(that - (float)i); fs = (float)(s / 255.0)
    const x6 = <f64><f32>v * 6.0 / 255.0;
    const sector = <i32>Math.floor(x6);
    store<u8>(SECTOR + <usize>v, <u8>(sector % 6));
    store<f32>(FH + (<usize>v << 2), <f32>(x6 - <f64><f32>sector));
    store<f32>(FS + (<usize>v << 2), <f32>(<f64><f32>v / 255.0));
  }
  for (let sb = 0; sb < 256; sb++) {
    const fs = <f64>load<f32>(FS + (<usize>sb << 2));
    for (let v = 0; v < 256; v++) store<u8>(PV + <usize>(sb << 8 | v), <u8>clip8(cround(<f64><f32>v * (1.0 - fs))));
  }
  for (let sb = 0; sb < 256; sb++) {
    const fs = load<f32>(FS + (<usize>sb << 2));
    for (let hb = 0; hb < 256; hb++) {
      const f = load<f32>(FH + (<usize>hb << 2));
      const sector = <u32>load<u8>(SECTOR + <usize>hb);
      const k = (sector & 1) != 0 ? 1.0 - <f64>(fs * f) : 1.0 - <f64>fs * (1.0 - <f64>f);
      store<u32>(MSEC + (<usize>(sb << 8 | hb) << 2), <u32>Math.floor(k * 16777216.0 + 0.5) | sector << 25);
    }
  }
  buildHueTable();
  hsvTables = true;
}

/**
 * Copies the HSV tables pilHue reads, for the WebGPU backend, to `out`: US (65536 bytes),
 * FS (256 f32), SECTOR (256 i32), FH (256 f32), PV (65536 bytes), in that order.
 */
export function pilHsvTables(out: usize): void {
  if (!hsvTables) buildHsvTables();
  memory.copy(out, US, 65536);
  memory.copy(out + 65536, FS, 1024);
  // pilHue keeps SECTOR as bytes; the GPU reads words.
  for (let v: usize = 0; v < 256; v++) store<i32>(out + 66560 + (v << 2), <i32>load<u8>(SECTOR + v));
  memory.copy(out + 67584, FH, 1024);
  memory.copy(out + 68608, PV, 65536);
}

/**
 * Convert.c's rgb2hsv_row hue byte for a pixel with max != min, from which channel m is the
 * maximum (0 r, 1 g, 2 b, the first of equals) and the maximum's distances da, db to the
 * other two channels in order (r max: g, b; g max: r, b; b max: r, g); max - min is the
 * larger distance. C evaluates `2.0 + rc - bc` in double and stores a float.
 */
function hueOf(m: i32, da: i32, db: i32): i32 {
  const cr = <f32>max(da, db);
  const qa = <f32>da / cr, qb = <f32>db / cr;
  let h: f32;
  if (m == 0) h = qb - qa;
  else if (m == 1) h = <f32>((2.0 + <f64>qa) - <f64>qb);
  else h = <f32>((4.0 + <f64>qb) - <f64>qa);
  // fmod(h / 6.0 + 1.0, 1.0): the argument lies in [5/6, 11/6], so fmod subtracts 1 or nothing.
  let u = <f64>h / 6.0 + 1.0;
  if (u >= 1.0) u -= 1.0;
  return clip8(<i32>(<f64><f32>u * 255.0));
}

// The hue byte of every (m, da, db): the two divisions and the float64 steps of hueOf once
// per table entry instead of once per pixel (3 * 64 KiB, filled on first use).
const HUE: usize = memory.data(3 << 16);

function buildHueTable(): void {
  for (let m = 0; m < 3; m++) {
    for (let da = 0; da < 256; da++) {
      for (let db = 0; db < 256; db++) {
        store<u8>(HUE + <usize>(m << 16 | da << 8 | db), <u8>(da == 0 && db == 0 ? 0 : hueOf(m, da, db)));
      }
    }
  }
}

// Scratch for pilHue's per-pixel table lookups: the (v, min) and (da, db) index pairs and
// the m bytes in; the MSEC entries (16 u32) and p (16 bytes) out.
const BV: usize = memory.data(80, 16);
const GM: usize = memory.data(64, 16);
const GP: usize = memory.data(16, 16);


/** round(v * K) of quarter k (pixels 4k..4k+3) of the 16 v bytes, from the gathered MSEC entries e (see MSEC); i32x4. */
// @ts-ignore: decorator
@inline function qtQuad(v: v128, e: v128, k: i32): v128 {
  const m = v128.and(e, i32x4.splat(0x1ffffff));
  return i32x4.shr_u(i32x4.add(i32x4.mul(quarterI(v, k), m), i32x4.splat(1 << 23)), 24);
}

/**
 * torchvision's adjust_hue on PIL images: convert("HSV"), the hue byte plus
 * int(hueFactor * 255) (numpy's uint8 wrap-around), convert back (Convert.c's hsv2rgb).
 * n pixels, c = 3 or 4 (alpha copied).
 */
export function pilHue(src: usize, n: i32, c: i32, hueFactor: f64, dst: usize): void {
  if (!hsvTables) buildHsvTables();
  const shift = <i32>(hueFactor * 255.0) & 255;
  const cu = <usize>c;
  // Per sector 0..5, the channels that take q-or-t (x) and p (the rest take v):
  // 0 (v, t, p), 1 (q, v, p), 2 (p, v, t), 3 (p, q, v), 4 (t, p, v), 5 (v, p, q).
  const rx = v128(0, -1, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), rp = v128(0, 0, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  const gx = v128(-1, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), gp = v128(0, 0, 0, 0, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  const bx = v128(0, 0, -1, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), bp = v128(-1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    deinterleave16(src + <usize>i * cu, c);
    const r = vR, g = vG, b = vB, al = vA;
    const v = i8x16.max_u(r, i8x16.max_u(g, b));
    const mn = i8x16.min_u(r, i8x16.min_u(g, b));
    // Per pixel, the table lookups of the scalar loop below (saturation and shifted hue
    // bytes, then their MSEC entry and p); a grey pixel (s = 0) gets p = q = t = v.
    // The maximum's channel m (r, then g, then b) and its distances da, db to the other two
    // as hueOf takes them, as byte masks (no per-pixel branches); the table indices
    // v << 8 | min and da << 8 | db as u16, m << 16 added below.
    const isR = i8x16.eq(r, v);
    const isG = v128.andnot(i8x16.eq(g, v), isR);
    const isB = v128.not(v128.or(isR, isG));
    const da = i8x16.sub(v, v128.bitselect(g, r, isR));
    const db = i8x16.sub(v, v128.bitselect(g, b, isB));
    v128.store(BV, i8x16.shuffle(mn, v, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23));
    v128.store(BV + 16, i8x16.shuffle(mn, v, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31));
    v128.store(BV + 32, i8x16.shuffle(db, da, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23));
    v128.store(BV + 48, i8x16.shuffle(db, da, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31));
    v128.store(BV + 64, v128.or(v128.and(isG, i8x16.splat(1)), v128.and(isB, i8x16.splat(2))));
    for (let k: usize = 0; k < 16; k++) {
      const vm = <usize>load<u16>(BV + (k << 1));
      const ss = <usize>load<u8>(US + vm);
      const hh = <usize>((<i32>load<u8>(HUE + (<usize>load<u8>(BV + 64 + k) << 16 | <usize>load<u16>(BV + 32 + (k << 1)))) + shift) & 255);
      const vk = vm >> 8;
      store<u32>(GM + (k << 2), load<u32>(MSEC + ((ss << 8 | hh) << 2)));
      store<u8>(GP + k, load<u8>(PV + (ss << 8 | vk)));
    }
    const e0 = v128.load(GM), e1 = v128.load(GM + 16), e2 = v128.load(GM + 32), e3 = v128.load(GM + 48);
    const x = bytes16(qtQuad(v, e0, 0), qtQuad(v, e1, 1), qtQuad(v, e2, 2), qtQuad(v, e3, 3));
    const sec = bytes16(i32x4.shr_u(e0, 25), i32x4.shr_u(e1, 25), i32x4.shr_u(e2, 25), i32x4.shr_u(e3, 25));
    const p = v128.load(GP);
    const R = v128.bitselect(x, v128.bitselect(p, v, i8x16.swizzle(rp, sec)), i8x16.swizzle(rx, sec));
    const G = v128.bitselect(x, v128.bitselect(p, v, i8x16.swizzle(gp, sec)), i8x16.swizzle(gx, sec));
    const B = v128.bitselect(x, v128.bitselect(p, v, i8x16.swizzle(bp, sec)), i8x16.swizzle(bx, sec));
    interleave16(dst + <usize>i * cu, c, R, G, B, al);
  }
  for (; i < n; i++) {
    const p = src + <usize>i * cu;
    const q = dst + <usize>i * cu;
    const r = <i32>load<u8>(p), g = <i32>load<u8>(p, 1), b = <i32>load<u8>(p, 2);
    const v = max(r, max(g, b));
    const mn = min(r, min(g, b));
    if (c == 4) store<u8>(q, load<u8>(p, 3), 3);
    const ss = mn == v ? 0 : <i32>load<u8>(US + <usize>(v << 8 | mn));
    if (ss == 0) {
      store<u8>(q, <u8>v);
      store<u8>(q, <u8>v, 1);
      store<u8>(q, <u8>v, 2);
      continue;
    }
    // The maximum's channel and its distances to the other two, as hueOf takes them.
    const m = r == v ? 0 : g == v ? 1 : 2;
    const da = v - (m == 0 ? g : r);
    const db = v - (m == 2 ? g : b);
    const hh = (<i32>load<u8>(HUE + <usize>(m << 16 | da << 8 | db)) + shift) & 255;
    const fs = load<f32>(FS + (<usize>ss << 2));
    const f = load<f32>(FH + (<usize>hh << 2));
    const vv = <f64>v;
    const pp = <i32>load<u8>(PV + <usize>(ss << 8 | v));
    const qq = clip8(cround(vv * (1.0 - <f64>(fs * f))));
    const tt = clip8(cround(vv * (1.0 - <f64>fs * (1.0 - <f64>f))));
    let R = v, G = v, B = v;
    switch (<i32>load<u8>(SECTOR + <usize>hh)) {
      case 0: G = tt; B = pp; break;
      case 1: R = qq; B = pp; break;
      case 2: R = pp; B = tt; break;
      case 3: R = pp; G = qq; break;
      case 4: R = tt; G = pp; break;
      default: G = pp; B = qq; break;
    }
    store<u8>(q, <u8>R);
    store<u8>(q, <u8>G, 1);
    store<u8>(q, <u8>B, 2);
  }
}

/** torchvision's PIL gamma table: int((255 + 1 - 1e-3) * gain * pow(v / 255.0, gamma)), clipped to [0, 255] by point(). */
export function pilLutGamma(gamma: f64, gain: f64, out: usize): void {
  const k = (255.0 + 1.0 - 1e-3) * gain;
  for (let v = 0; v < 256; v++) {
    const y = k * Math.pow(<f64>v / 255.0, gamma);
    // int() truncates toward zero; point() clips the list to bytes.
    const t = y >= 256.0 ? 255 : y <= -1.0 ? 0 : clip8(<i32>y);
    store<u8>(out + <usize>v, <u8>t);
  }
}

/**
 * ImageOps.autocontrast's table for a channel with extreme values lo, hi: identity when
 * hi <= lo, else int(v * scale + offset) clipped, scale = 255.0 / (hi - lo),
 * offset = -lo * scale, in float64.
 */
export function pilLutAutocontrast(lo: i32, hi: i32, out: usize): void {
  if (hi <= lo) {
    for (let v = 0; v < 256; v++) store<u8>(out + <usize>v, <u8>v);
    return;
  }
  const scale = 255.0 / <f64>(hi - lo);
  const offset = -<f64>lo * scale;
  for (let v = 0; v < 256; v++) store<u8>(out + <usize>v, <u8>clip8(<i32>(<f64>v * scale + offset)));
}

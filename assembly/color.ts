// Colour ops on u8 HWC images: torchvision's v1 tensor kernels on uint8 (the
// "tensor-v1" semantics, which torchvision's AugMix runs), bit for bit, and the tables and
// statistics every semantics shares (invert, posterize, solarize, equalize, min/max,
// histograms, the brightness table, the sharpness smoothing, channel permutation). The
// "pil" and "tensor" colour kernels are in pilcolor.ts and tvcolor.ts.
//
// Where each pixel value comes from:
// - 256-entry lookup tables built here (brightness, contrast, gamma, invert, posterize,
//   solarize, autocontrast, equalize): every entry is computed with binary32 operations in
//   torchvision's order, or with integers (equalize, posterize, invert).
// - Per-pixel binary32 +, -, *, /, floor, min, max and int<->float conversions (grayscale,
//   the saturation and sharpness blends). WebAssembly fixes these to IEEE 754
//   round-to-nearest-even with subnormals, no fused multiply-add and no extra precision, so
//   every engine gives the same bits (only NaN payloads may differ, and no NaN can arise:
//   inputs are bytes and the host rejects non-finite factors). No relaxed SIMD, and no
//   transcendental function touches a pixel (gamma's pow only fills its table, compiled
//   into this binary).
// - Integers: the sharpness smoothing, histograms, channel sums, min/max.
//
// 4-channel images: colour ops act on R, G, B and copy alpha unchanged.
// Buffers carry at least 16 bytes of slack after their end (vector loads may run past).

import { vR, vG, vB, vA, deinterleave16, interleave16, laneSum, putGrey } from "./pixels";

const C_R: f32 = <f32>(0.2989 as f64);
const C_G: f32 = <f32>(0.587 as f64);
const C_B: f32 = <f32>(0.114 as f64);

/** torchvision's `(x).clamp(0, 255).to(uint8)`: clamp, then truncate toward zero. */
// @ts-ignore: decorator
@inline function toU8(x: f32): u8 {
  return <u8><i32>min<f32>(max<f32>(x, 0), 255);
}

/** rgb_to_grayscale's `(0.2989 * r + 0.587 * g + 0.114 * b).to(uint8)`. */
// @ts-ignore: decorator
@inline function grey(r: u32, g: u32, b: u32): u8 {
  return <u8><i32>(C_R * <f32>r + C_G * <f32>g + C_B * <f32>b);
}

// ------------------------------------------------------------------ lookup tables

/**
 * `(a * v + b * other).clamp(0, 255).to(uint8)` for v in 0..255: torchvision's _blend of
 * the image with a constant (0 for brightness, the grey mean for contrast). `a` is the
 * ratio and `b` is `1 - ratio` computed in float64, both rounded to f32 by the caller.
 */
export function colorLutBlend(a: f32, b: f32, other: f32, out: usize): void {
  const k = b * other;
  for (let v = 0; v < 256; v++) store<u8>(out + <usize>v, toU8(a * <f32>v + k));
}

/**
 * colorLutBlend's table applied without the table: toU8(a * v + b * other) of each byte,
 * 16 at a time in binary32 (the same two operations per value); for c = 4 alpha is kept.
 */
export function colorBlendConst(src: usize, bytes: i32, c: i32, a: f32, b: f32, other: f32, dst: usize): void {
  const k = b * other;
  const av = f32x4.splat(a), kv = f32x4.splat(k);
  const keep = c == 4 ? i32x4.splat(0xff000000) : i32x4.splat(0);
  let i = 0;
  for (; i + 16 <= bytes; i += 16) {
    const x = v128.load(src + <usize>i);
    const xl = i16x8.extend_low_i8x16_u(x), xh = i16x8.extend_high_i8x16_u(x);
    // Truncated, then clipped by the saturating narrows: toU8's clamp first gives the same byte.
    const r0 = i32x4.trunc_sat_f32x4_s(f32x4.add(f32x4.mul(av, f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(xl))), kv));
    const r1 = i32x4.trunc_sat_f32x4_s(f32x4.add(f32x4.mul(av, f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_u(xl))), kv));
    const r2 = i32x4.trunc_sat_f32x4_s(f32x4.add(f32x4.mul(av, f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(xh))), kv));
    const r3 = i32x4.trunc_sat_f32x4_s(f32x4.add(f32x4.mul(av, f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_u(xh))), kv));
    const r = i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_s(r0, r1), i16x8.narrow_i32x4_s(r2, r3));
    v128.store(dst + <usize>i, v128.bitselect(x, r, keep));
  }
  for (; i < bytes; i++) {
    const x = load<u8>(src + <usize>i);
    store<u8>(dst + <usize>i, c == 4 && (i & 3) == 3 ? x : toU8(a * <f32>x + k));
  }
}

/**
 * adjust_gamma: `(gain * (v / 255) ** gamma).clamp(0, 1)` then convert_image_dtype's
 * `* 255.999` and truncation. torch's pow specialises 0, 1, 0.5, 2 and 3; other exponents
 * use a correctly rounded-in-practice f64 pow (musl's, compiled here) rounded to f32.
 */
export function colorLutGamma(gamma: f64, gain: f32, out: usize): void {
  const g32 = <f32>gamma;
  const scale = <f32>(256.0 - 0.001);
  for (let v = 0; v < 256; v++) {
    const x = <f32>v / <f32>255;
    let y: f32;
    if (gamma == 0) y = 1;
    else if (gamma == 1) y = x;
    else if (gamma == 0.5) y = sqrt<f32>(x);
    else if (gamma == 2) y = x * x;
    else if (gamma == 3) y = x * x * x;
    else y = <f32>Math.pow(<f64>x, <f64>g32);
    y = min<f32>(max<f32>(gain * y, 0), 1);
    store<u8>(out + <usize>v, <u8><i32>(y * scale));
  }
}

/** invert: 255 - v. */
export function colorLutInvert(out: usize): void {
  for (let v = 0; v < 256; v++) store<u8>(out + <usize>v, <u8>(255 - v));
}

/** posterize: v & -(2 ** (8 - bits)), bits in [0, 8]. */
export function colorLutPosterize(bits: i32, out: usize): void {
  const mask = (0xff << (8 - bits)) & 0xff;
  for (let v = 0; v < 256; v++) store<u8>(out + <usize>v, <u8>(v & mask));
}

/** solarize: `where(v >= threshold, 255 - v, v)`, compared in f32 as torch does. */
export function colorLutSolarize(threshold: f32, out: usize): void {
  for (let v = 0; v < 256; v++) store<u8>(out + <usize>v, <f32>v >= threshold ? <u8>(255 - v) : <u8>v);
}

/**
 * autocontrast for a channel with minimum `lo` and maximum `hi`:
 * `((v - lo) * scale).clamp(0, 255)` with `scale = 255.0 / (hi - lo)`, which torch
 * evaluates as `reciprocal(hi - lo) * 255`. A flat channel is left unchanged.
 */
export function colorLutAutocontrast(lo: i32, hi: i32, out: usize): void {
  if (hi == lo) {
    for (let v = 0; v < 256; v++) store<u8>(out + <usize>v, <u8>v);
    return;
  }
  const scale = (<f32>1 / (<f32>hi - <f32>lo)) * <f32>255;
  const flo = <f32>lo;
  for (let v = 0; v < 256; v++) store<u8>(out + <usize>v, toU8((<f32>v - flo) * scale));
}

/**
 * equalize for one channel's histogram (256 u32), torchvision's _scale_channel in integers:
 * step = (sum of the non-zero bins but the last) / 255; unchanged if step is 0; else
 * lut[v] = min(255, (cumsum[v - 1] + step / 2) / step), lut[0] = 0.
 */
export function colorLutEqualize(hist: usize, out: usize): void {
  let last = 255;
  while (last >= 0 && load<u32>(hist + (<usize>last << 2)) == 0) last--;
  let total: u64 = 0;
  for (let v = 0; v < last; v++) total += <u64>load<u32>(hist + (<usize>v << 2));
  const step = total / 255;
  if (step == 0) {
    for (let v = 0; v < 256; v++) store<u8>(out + <usize>v, <u8>v);
    return;
  }
  const half = step >> 1;
  let acc: u64 = 0;
  for (let v = 0; v < 256; v++) {
    const q = (acc + half) / step;
    store<u8>(out + <usize>v, <u8>(q > 255 ? 255 : q));
    acc += <u64>load<u32>(hist + (<usize>v << 2));
  }
}

// ------------------------------------------------------------------ statistics

/**
 * Per-channel minimum and maximum of n pixels: writes c minima then c maxima at `out`.
 * `out` needs 112 bytes (the rest is scratch).
 */
export function colorMinMax(src: usize, n: i32, c: i32, out: usize): void {
  const bytes = <usize>n * <usize>c;
  const scratch = out + 16;
  let lo0 = i8x16.splat(-1), lo1 = lo0, lo2 = lo0;
  let hi0 = i8x16.splat(0), hi1 = hi0, hi2 = hi0;
  let i: usize = 0;
  // 48 bytes = a whole number of pixels for c = 1, 3, 4, so lane l of accumulator k always
  // holds channel (16k + l) % c.
  for (; i + 48 <= bytes; i += 48) {
    const a = v128.load(src + i);
    const b = v128.load(src + i + 16);
    const d = v128.load(src + i + 32);
    lo0 = i8x16.min_u(lo0, a);
    lo1 = i8x16.min_u(lo1, b);
    lo2 = i8x16.min_u(lo2, d);
    hi0 = i8x16.max_u(hi0, a);
    hi1 = i8x16.max_u(hi1, b);
    hi2 = i8x16.max_u(hi2, d);
  }
  v128.store(scratch, lo0);
  v128.store(scratch + 16, lo1);
  v128.store(scratch + 32, lo2);
  v128.store(scratch + 48, hi0);
  v128.store(scratch + 64, hi1);
  v128.store(scratch + 80, hi2);
  for (let ch = 0; ch < c; ch++) {
    store<u8>(out + <usize>ch, 255);
    store<u8>(out + <usize>(c + ch), 0);
  }
  if (i > 0) {
    for (let l = 0; l < 48; l++) {
      const ch = <usize>(l % c);
      const lo = load<u8>(scratch + <usize>l);
      const hi = load<u8>(scratch + 48 + <usize>l);
      if (lo < load<u8>(out + ch)) store<u8>(out + ch, lo);
      if (hi > load<u8>(out + <usize>c + ch)) store<u8>(out + <usize>c + ch, hi);
    }
  }
  for (; i < bytes; i++) {
    const ch = <usize>(<i32>(i % <usize>c));
    const v = load<u8>(src + i);
    if (v < load<u8>(out + ch)) store<u8>(out + ch, v);
    if (v > load<u8>(out + <usize>c + ch)) store<u8>(out + <usize>c + ch, v);
  }
}

/** Histograms (256 u32 each, zeroed here) of the colour channels (all but alpha) at `hist`. */
export function colorHistograms(src: usize, n: i32, c: i32, hist: usize): void {
  const cc = c == 4 ? 3 : c;
  memory.fill(hist, 0, <usize>cc * 1024);
  for (let i = 0; i < n; i++) {
    const p = src + <usize>i * <usize>c;
    for (let ch = 0; ch < cc; ch++) {
      const q = hist + (<usize>ch << 10) + (<usize>load<u8>(p + <usize>ch) << 2);
      store<u32>(q, load<u32>(q) + 1);
    }
  }
}

/**
 * adjust_contrast's mean: the mean of the grey image (rgb_to_grayscale, or the image
 * itself for 1 channel) as f32. The sum is exact (integers), then rounded to f32 once and
 * divided by f32(n), as torch's `sum(...).div_(n)` when its f32 sum is exact (always
 * below 2^24, i.e. up to 65793 pixels; above, torch's own rounding depends on its SIMD
 * width, which is exactly what lockstep avoids). `tmp` holds n bytes of scratch.
 */
export function colorMean(src: usize, n: i32, c: i32, tmp: usize): f32 {
  let g = src;
  if (c != 1) {
    colorGrayscale(src, n, c, 1, tmp);
    g = tmp;
  }
  let total: u64 = 0;
  let i = 0;
  while (i < n) {
    // Each i32 lane gains at most 4 * 255 per vector: flush well before overflow.
    let acc = i32x4.splat(0);
    const end = min<i32>(n, i + (1 << 20));
    for (; i + 16 <= end; i += 16) acc = i32x4.add(acc, i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(v128.load(g + <usize>i))));
    for (; i < end; i++) total += <u64>load<u8>(g + <usize>i);
    total += laneSum(acc);
  }
  return <f32>total / <f32>n;
}

// ------------------------------------------------------------------ per-pixel ops

/** Maps the colour channels of n pixels through their tables (256 bytes each); copies alpha. */
export function colorApplyLut(src: usize, n: i32, c: i32, luts: usize, dst: usize): void {
  // One table for every byte (grey, or three equal tables for RGB: brightness, contrast...).
  if (c == 1 || (c == 3 && sameTables(luts))) {
    applyLut1(src, <usize>n * <usize>c, luts, dst);
    return;
  }
  const t1 = luts + 256;
  const t2 = luts + 512;
  for (let i = 0; i < n; i++) {
    const p = <usize>i * <usize>c;
    store<u8>(dst + p, load<u8>(luts + <usize>load<u8>(src + p)));
    store<u8>(dst + p + 1, load<u8>(t1 + <usize>load<u8>(src + p + 1)));
    store<u8>(dst + p + 2, load<u8>(t2 + <usize>load<u8>(src + p + 2)));
    if (c == 4) store<u8>(dst + p + 3, load<u8>(src + p + 3));
  }
}

/** Whether the three 256-byte tables at luts are equal. */
function sameTables(luts: usize): bool {
  let diff = i32x4.splat(0);
  for (let o: usize = 0; o < 256; o += 16) {
    const t = v128.load(luts + o);
    diff = v128.or(diff, v128.or(v128.xor(t, v128.load(luts + 256 + o)), v128.xor(t, v128.load(luts + 512 + o))));
  }
  return !v128.any_true(diff);
}

/** dst[i] = lut[src[i]] for `bytes` bytes, eight a step. */
function applyLut1(src: usize, bytes: usize, lut: usize, dst: usize): void {
  let i: usize = 0;
  for (; i + 8 <= bytes; i += 8) {
    const s = src + i, d = dst + i;
    store<u8>(d, load<u8>(lut + <usize>load<u8>(s)));
    store<u8>(d, load<u8>(lut + <usize>load<u8>(s, 1)), 1);
    store<u8>(d, load<u8>(lut + <usize>load<u8>(s, 2)), 2);
    store<u8>(d, load<u8>(lut + <usize>load<u8>(s, 3)), 3);
    store<u8>(d, load<u8>(lut + <usize>load<u8>(s, 4)), 4);
    store<u8>(d, load<u8>(lut + <usize>load<u8>(s, 5)), 5);
    store<u8>(d, load<u8>(lut + <usize>load<u8>(s, 6)), 6);
    store<u8>(d, load<u8>(lut + <usize>load<u8>(s, 7)), 7);
  }
  for (; i < bytes; i++) store<u8>(dst + i, load<u8>(lut + <usize>load<u8>(src + i)));
}

/** Lanes 4k..4k+3 of 16 bytes as f32x4 (k is a constant after inlining). */
// @ts-ignore: decorator
@inline function quad(v: v128, k: i32): v128 {
  let w: v128;
  if (k < 2) w = i16x8.extend_low_i8x16_u(v);
  else w = i16x8.extend_high_i8x16_u(v);
  if ((k & 1) == 0) w = i32x4.extend_low_i16x8_u(w);
  else w = i32x4.extend_high_i16x8_u(w);
  return f32x4.convert_i32x4_s(w); // lanes are bytes: the signed convert (one instruction) is exact
}

/** Four i32x4 in [0, 255] back to 16 bytes. */
// @ts-ignore: decorator
@inline function pack(q0: v128, q1: v128, q2: v128, q3: v128): v128 {
  return i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_u(q0, q1), i16x8.narrow_i32x4_u(q2, q3));
}

// @ts-ignore: decorator
@inline function greyQuad(r: v128, g: v128, b: v128): v128 {
  const s = f32x4.add(f32x4.add(f32x4.mul(f32x4.splat(C_R), r), f32x4.mul(f32x4.splat(C_G), g)), f32x4.mul(f32x4.splat(C_B), b));
  return i32x4.trunc_sat_f32x4_s(s); // s >= 0: the signed truncation (shorter on x64) is the same
}

/** Grey values of the 16 pixels in vR, vG, vB. */
// @ts-ignore: decorator
@inline function grey16(): v128 {
  const r = vR, g = vG, b = vB;
  return pack(
    greyQuad(quad(r, 0), quad(g, 0), quad(b, 0)),
    greyQuad(quad(r, 1), quad(g, 1), quad(b, 1)),
    greyQuad(quad(r, 2), quad(g, 2), quad(b, 2)),
    greyQuad(quad(r, 3), quad(g, 3), quad(b, 3)),
  );
}

/**
 * rgb_to_grayscale of n pixels with c channels into outC channels: 1 (grey), 3 (grey
 * thrice) or, for c = 4, 4 (grey thrice and the alpha). A 1-channel image is copied (or
 * repeated thrice for outC = 3).
 */
export function colorGrayscale(src: usize, n: i32, c: i32, outC: i32, dst: usize): void {
  let i = 0;
  if (c == 1) {
    if (outC == 1) {
      memory.copy(dst, src, <usize>n);
      return;
    }
    for (; i < n; i++) {
      const v = load<u8>(src + <usize>i);
      const q = dst + <usize>i * 3;
      store<u8>(q, v);
      store<u8>(q + 1, v);
      store<u8>(q + 2, v);
    }
    return;
  }
  for (; i + 16 <= n; i += 16) {
    const p = src + <usize>i * <usize>c;
    deinterleave16(p, c);
    const g = grey16();
    const q = dst + <usize>i * <usize>outC;
    if (outC == 1) v128.store(q, g);
    else if (outC == 3) interleave16(q, 3, g, g, g, g);
    else interleave16(q, 4, g, g, g, vA);
  }
  for (; i < n; i++) {
    const p = src + <usize>i * <usize>c;
    const v = grey(load<u8>(p), load<u8>(p + 1), load<u8>(p + 2));
    putGrey(dst + <usize>i * <usize>outC, v, outC, p);
  }
}

// @ts-ignore: decorator
@inline function blendQuad(x: v128, y: v128, a: v128, b: v128): v128 {
  const s = f32x4.add(f32x4.mul(a, x), f32x4.mul(b, y));
  return i32x4.trunc_sat_f32x4_s(f32x4.min(f32x4.max(s, f32x4.splat(0)), f32x4.splat(255)));
}

/**
 * torchvision's _blend of two images, byte by byte: `(a * x + b * y).clamp(0, 255)`
 * truncated, with a = ratio and b = 1 - ratio (f32). For c = 4 the alpha of x is kept.
 */
export function colorBlend(x: usize, y: usize, bytes: i32, c: i32, a: f32, b: f32, dst: usize): void {
  const va = f32x4.splat(a);
  const vb = f32x4.splat(b);
  const alpha = c == 4 ? i32x4.splat(0xff000000) : i32x4.splat(0);
  let i = 0;
  for (; i + 16 <= bytes; i += 16) {
    const p = <usize>i;
    const u = v128.load(x + p);
    const v = v128.load(y + p);
    const r = pack(blendQuad(quad(u, 0), quad(v, 0), va, vb), blendQuad(quad(u, 1), quad(v, 1), va, vb), blendQuad(quad(u, 2), quad(v, 2), va, vb), blendQuad(quad(u, 3), quad(v, 3), va, vb));
    v128.store(dst + p, v128.bitselect(u, r, alpha));
  }
  for (; i < bytes; i++) {
    const p = <usize>i;
    const u = load<u8>(x + p);
    store<u8>(dst + p, c == 4 && (i & 3) == 3 ? u : toU8(a * <f32>u + b * <f32>load<u8>(y + p)));
  }
}

/**
 * adjust_sharpness's smoothed image: interior pixels are the 3x3 filter
 * [1 1 1; 1 5 1; 1 1 1] / 13 rounded to nearest (torch: f32 conv2d, then round; the exact
 * value k / 13 is never a tie and lies > 1/26 from one, far beyond f32 error, so integer
 * rounding gives torch's bytes whatever its summation order); border pixels are copied.
 * Needs w >= 3 and h >= 3.
 */
export function colorBlur3(src: usize, w: i32, h: i32, c: i32, dst: usize): void {
  const rb = <usize>w * <usize>c;
  memory.copy(dst, src, rb * <usize>h);
  const cs = <usize>c;
  const end = <usize>(w - 1) * cs;
  const m = i16x8.splat(5042);
  const six = i16x8.splat(6);
  for (let y = 1; y < h - 1; y++) {
    const mid = src + <usize>y * rb;
    const up = mid - rb;
    const dn = mid + rb;
    const out = dst + <usize>y * rb;
    let p = cs;
    for (; p + 16 <= end; p += 16) {
      const a0 = v128.load(up + p - cs), a1 = v128.load(up + p), a2 = v128.load(up + p + cs);
      const b0 = v128.load(mid + p - cs), b1 = v128.load(mid + p), b2 = v128.load(mid + p + cs);
      const d0 = v128.load(dn + p - cs), d1 = v128.load(dn + p), d2 = v128.load(dn + p + cs);
      // s = the 9 neighbours + 4 * centre + 6, at most 13 * 255 + 6 = 3321 (u16).
      let lo = i16x8.add(i16x8.add(i16x8.extend_low_i8x16_u(a0), i16x8.extend_low_i8x16_u(a1)), i16x8.add(i16x8.extend_low_i8x16_u(a2), i16x8.extend_low_i8x16_u(b0)));
      lo = i16x8.add(lo, i16x8.add(i16x8.add(i16x8.extend_low_i8x16_u(b2), i16x8.extend_low_i8x16_u(d0)), i16x8.add(i16x8.extend_low_i8x16_u(d1), i16x8.extend_low_i8x16_u(d2))));
      lo = i16x8.add(i16x8.add(lo, six), i16x8.mul(i16x8.extend_low_i8x16_u(b1), i16x8.splat(5)));
      let hi = i16x8.add(i16x8.add(i16x8.extend_high_i8x16_u(a0), i16x8.extend_high_i8x16_u(a1)), i16x8.add(i16x8.extend_high_i8x16_u(a2), i16x8.extend_high_i8x16_u(b0)));
      hi = i16x8.add(hi, i16x8.add(i16x8.add(i16x8.extend_high_i8x16_u(b2), i16x8.extend_high_i8x16_u(d0)), i16x8.add(i16x8.extend_high_i8x16_u(d1), i16x8.extend_high_i8x16_u(d2))));
      hi = i16x8.add(i16x8.add(hi, six), i16x8.mul(i16x8.extend_high_i8x16_u(b1), i16x8.splat(5)));
      // floor(s / 13) = (s * 5042) >> 16 for s <= 3321 (error < s * 10 / 2^16 / 13 < 1/13).
      const q0 = i32x4.shr_u(i32x4.extmul_low_i16x8_u(lo, m), 16);
      const q1 = i32x4.shr_u(i32x4.extmul_high_i16x8_u(lo, m), 16);
      const q2 = i32x4.shr_u(i32x4.extmul_low_i16x8_u(hi, m), 16);
      const q3 = i32x4.shr_u(i32x4.extmul_high_i16x8_u(hi, m), 16);
      v128.store(out + p, pack(q0, q1, q2, q3));
    }
    for (; p < end; p++) {
      let s: u32 = 4 * <u32>load<u8>(mid + p) + 6;
      s += <u32>load<u8>(up + p - cs) + <u32>load<u8>(up + p) + <u32>load<u8>(up + p + cs);
      s += <u32>load<u8>(mid + p - cs) + <u32>load<u8>(mid + p) + <u32>load<u8>(mid + p + cs);
      s += <u32>load<u8>(dn + p - cs) + <u32>load<u8>(dn + p) + <u32>load<u8>(dn + p + cs);
      store<u8>(out + p, <u8>(s / 13));
    }
  }
}

/** dst channel k = src channel perm[k] for n pixels; perm packs one byte per channel (p0 | p1 << 8 | ...). */
export function colorPermute(src: usize, n: i32, c: i32, perm: u32, dst: usize): void {
  const p0 = <usize>(perm & 0xff), p1 = <usize>((perm >> 8) & 0xff), p2 = <usize>((perm >> 16) & 0xff), p3 = <usize>(perm >> 24);
  let i = 0;
  if (c == 4) {
    const idx = i32x4.add(i32x4.splat(<i32>perm), i32x4(0, 0x04040404, 0x08080808, 0x0c0c0c0c));
    for (; i + 4 <= n; i += 4) v128.store(dst + <usize>(i * 4), i8x16.swizzle(v128.load(src + <usize>(i * 4)), idx));
  } else if (c == 3) {
    // Five pixels per vector; the 16th byte lands on a pixel written next.
    let idx = i8x16.splat(15);
    idx = i8x16.replace_lane(idx, 0, <i8>p0);
    idx = i8x16.replace_lane(idx, 1, <i8>p1);
    idx = i8x16.replace_lane(idx, 2, <i8>p2);
    idx = i8x16.add(i8x16.shuffle(idx, idx, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 3), i8x16(0, 0, 0, 3, 3, 3, 6, 6, 6, 9, 9, 9, 12, 12, 12, 0));
    for (; i + 6 <= n; i += 5) v128.store(dst + <usize>(i * 3), i8x16.swizzle(v128.load(src + <usize>(i * 3)), idx));
  }
  for (; i < n; i++) {
    const s = src + <usize>i * <usize>c;
    const d = dst + <usize>i * <usize>c;
    store<u8>(d, load<u8>(s + p0));
    if (c >= 3) {
      store<u8>(d + 1, load<u8>(s + p1));
      store<u8>(d + 2, load<u8>(s + p2));
    }
    if (c == 4) store<u8>(d + 3, load<u8>(s + p3));
  }
}

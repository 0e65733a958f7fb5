// Colour ops as torchvision 0.28's v2 kernels compute them on uint8 tensors
// (torchvision/transforms/v2/functional/_color.py on torch 2.13's x86-64 CPU build): what
// `"tensor"` semantics computes. torch evaluates `a.add_(b, alpha=k)` as one fused
// multiply-add a + k * b in binary32 (its AVX2/AVX-512 kernels, vector body and scalar
// tail alike); fused.ts emulates that rounding exactly. Everything else is plain binary32
// + - * / in torch's order.
//
// - grey: r.mul(0.2989).add_(g, alpha=0.587).add_(b, alpha=0.114), floored (saturation,
//   contrast) or truncated to uint8 (rgb_to_grayscale): the same value.
// - _blend(x, y, r): x.mul(r).add_(y, alpha=1 - r), clamped, truncated.
// - sharpness: inside the border, x + (1 - r) * (blur - x) as one fused operation.
// - hue: _rgb_to_hsv / _hsv_to_rgb with uint8 <-> float32 as x * float(1 / 255) and
//   trunc(x * 255.999).
// - gamma: pow of x * float(1 / 255) (torch's pow specialises 0.5, 2 and 3; other
//   exponents use a binary64 pow rounded to binary32 here, where torch uses Sleef's powf:
//   they can differ by one binary32 ulp), times gain clamped to [0, 1] when gain != 1.
// - autocontrast: (x - min) / ((max - min) * float(1 / 255)), clamped, truncated.
// 4-channel images (which torchvision rejects): the colour is changed and alpha kept.

import { fma32, fma32x4 } from "./fused";

const C_R: f32 = <f32>(0.2989 as f64);
const C_G: f32 = <f32>(0.587 as f64);
const C_B: f32 = <f32>(0.114 as f64);
const INV255: f32 = <f32>(1.0 / 255.0);
const TO_U8: f32 = <f32>(255.0 + 1.0 - 1e-3);

/** The v2 grey value of (r, g, b) as binary32, floored. */
// @ts-ignore: decorator
@inline function grey(r: u32, g: u32, b: u32): f32 {
  return floor<f32>(fma32(<f32>b, C_B, fma32(<f32>g, C_G, <f32>r * C_R)));
}

/** Grey of four pixels (f32x4 of byte values), floored. */
// @ts-ignore: decorator
@inline function grey4(r: v128, g: v128, b: v128): v128 {
  return f32x4.floor(fma32x4(b, f32x4.splat(C_B), fma32x4(g, f32x4.splat(C_G), f32x4.mul(r, f32x4.splat(C_R)))));
}

/** Byte k (0..3) of each of four pixels at p (stride c) as f32x4. */
// @ts-ignore: decorator
@inline function lanes(p: usize, c: i32, k: i32): v128 {
  const s = <usize>c;
  let v = f32x4.splat(<f32>load<u8>(p + <usize>k));
  v = f32x4.replace_lane(v, 1, <f32>load<u8>(p + s + <usize>k));
  v = f32x4.replace_lane(v, 2, <f32>load<u8>(p + 2 * s + <usize>k));
  return f32x4.replace_lane(v, 3, <f32>load<u8>(p + 3 * s + <usize>k));
}

// @ts-ignore: decorator
@inline function toByte(x: f32): u8 {
  return <u8><i32>min<f32>(max<f32>(x, 0), 255);
}

/**
 * rgb_to_grayscale (v2) of n pixels with c channels into outC channels: 1, 3 (grey
 * thrice) or, for c = 4, 4 (grey thrice and the alpha). A grey image is copied (outC 1)
 * or repeated (outC 3), as v2 does.
 */
export function tvGrayscale(src: usize, n: i32, c: i32, outC: i32, dst: usize): void {
  for (let i = 0; i < n; i++) {
    const p = src + <usize>i * <usize>c;
    const v = c == 1 ? load<u8>(p) : <u8><i32>grey(load<u8>(p), load<u8>(p, 1), load<u8>(p, 2));
    const q = dst + <usize>i * <usize>outC;
    store<u8>(q, v);
    if (outC >= 3) {
      store<u8>(q, v, 1);
      store<u8>(q, v, 2);
    }
    if (outC == 4) store<u8>(q, load<u8>(p, 3), 3);
  }
}

/**
 * adjust_contrast's mean (v2): the mean of the floored grey values (of the image itself for
 * 1 channel) as binary32: the exact integer sum rounded once, divided by float(n). torch's
 * own binary32 sum is exact (and so equal) while it stays below 2^24, i.e. up to 65793
 * pixels; beyond, torch rounds partial sums in an order that depends on its vector width.
 */
export function tvMean(src: usize, n: i32, c: i32): f32 {
  let total: u64 = 0;
  for (let i = 0; i < n; i++) {
    const p = src + <usize>i * <usize>c;
    total += c == 1 ? <u64>load<u8>(p) : <u64><i32>grey(load<u8>(p), load<u8>(p, 1), load<u8>(p, 2));
  }
  return <f32>total / <f32>n;
}

/** 256-entry table of _blend(v, other, r) = clamp(fma(other, b, v * a)) truncated, a = float(r), b = float(1 - r). */
export function tvLutBlend(a: f32, b: f32, other: f32, out: usize): void {
  for (let v = 0; v < 256; v++) store<u8>(out + <usize>v, toByte(fma32(other, b, <f32>v * a)));
}

/** Three i32x4 of bytes (channel planes of four pixels) as [r0..r3, g0..g3, b0..b3, b0..b3]. */
// @ts-ignore: decorator
@inline function pack3(o0: v128, o1: v128, o2: v128): v128 {
  return i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_u(o0, o1), i16x8.narrow_i32x4_u(o2, o2));
}

/** adjust_saturation (v2): each colour byte blended with its pixel's floored grey; c = 3 or 4 (alpha copied). */
export function tvSaturation(src: usize, n: i32, c: i32, a: f32, b: f32, dst: usize): void {
  const av = f32x4.splat(a), bv = f32x4.splat(b);
  const zero = f32x4.splat(0), top = f32x4.splat(255);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const p = src + <usize>i * <usize>c;
    const q = dst + <usize>i * <usize>c;
    const r = lanes(p, c, 0), g = lanes(p, c, 1), bl = lanes(p, c, 2);
    const gy = grey4(r, g, bl);
    const o0 = i32x4.trunc_sat_f32x4_u(f32x4.min(f32x4.max(fma32x4(gy, bv, f32x4.mul(r, av)), zero), top));
    const o1 = i32x4.trunc_sat_f32x4_u(f32x4.min(f32x4.max(fma32x4(gy, bv, f32x4.mul(g, av)), zero), top));
    const o2 = i32x4.trunc_sat_f32x4_u(f32x4.min(f32x4.max(fma32x4(gy, bv, f32x4.mul(bl, av)), zero), top));
    const bytes = pack3(o0, o1, o2);
    if (c == 4) {
      v128.store(q, i8x16.shuffle(bytes, v128.load(p), 0, 4, 8, 19, 1, 5, 9, 23, 2, 6, 10, 27, 3, 7, 11, 31));
    } else {
      const t = i8x16.shuffle(bytes, bytes, 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11, 0, 0, 0, 0);
      v128.store64_lane(q, t, 0);
      v128.store32_lane(q + 8, t, 2);
    }
  }
  for (; i < n; i++) {
    const p = src + <usize>i * <usize>c;
    const q = dst + <usize>i * <usize>c;
    const r = load<u8>(p), g = load<u8>(p, 1), bl = load<u8>(p, 2);
    const gy = grey(r, g, bl);
    store<u8>(q, toByte(fma32(gy, b, <f32>r * a)));
    store<u8>(q, toByte(fma32(gy, b, <f32>g * a)), 1);
    store<u8>(q, toByte(fma32(gy, b, <f32>bl * a)), 2);
    if (c == 4) store<u8>(q, load<u8>(p, 3), 3);
  }
}

/**
 * adjust_sharpness's blend (v2) over `bytes` bytes: x + (1 - r) * (blurred - x) as one
 * fused operation, clamped, truncated; `blurred` equals x on the border (colorBlur3), where
 * the result is x. For c = 4 the alpha bytes are copied.
 */
export function tvSharpness(src: usize, blurred: usize, bytes: i32, c: i32, k: f32, dst: usize): void {
  const kv = f32x4.splat(k);
  const zero = f32x4.splat(0), top = f32x4.splat(255);
  const keep = c == 4 ? i32x4.splat(0xff000000) : i32x4.splat(0);
  let i = 0;
  for (; i + 16 <= bytes; i += 16) {
    const x = v128.load(src + <usize>i);
    const y = v128.load(blurred + <usize>i);
    const xl = i16x8.extend_low_i8x16_u(x), xh = i16x8.extend_high_i8x16_u(x);
    const yl = i16x8.extend_low_i8x16_u(y), yh = i16x8.extend_high_i8x16_u(y);
    const r0 = sharpQuad(i32x4.extend_low_i16x8_u(xl), i32x4.extend_low_i16x8_u(yl), kv, zero, top);
    const r1 = sharpQuad(i32x4.extend_high_i16x8_u(xl), i32x4.extend_high_i16x8_u(yl), kv, zero, top);
    const r2 = sharpQuad(i32x4.extend_low_i16x8_u(xh), i32x4.extend_low_i16x8_u(yh), kv, zero, top);
    const r3 = sharpQuad(i32x4.extend_high_i16x8_u(xh), i32x4.extend_high_i16x8_u(yh), kv, zero, top);
    const r = i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_u(r0, r1), i16x8.narrow_i32x4_u(r2, r3));
    v128.store(dst + <usize>i, v128.bitselect(x, r, keep));
  }
  for (; i < bytes; i++) {
    const x = <i32>load<u8>(src + <usize>i);
    const y = <i32>load<u8>(blurred + <usize>i);
    store<u8>(dst + <usize>i, c == 4 && (i & 3) == 3 ? <u8>x : toByte(fma32(<f32>(y - x), k, <f32>x)));
  }
}

// @ts-ignore: decorator
@inline function sharpQuad(x: v128, y: v128, k: v128, zero: v128, top: v128): v128 {
  const d = f32x4.convert_i32x4_s(i32x4.sub(y, x));
  return i32x4.trunc_sat_f32x4_u(f32x4.min(f32x4.max(fma32x4(d, k, f32x4.convert_i32x4_s(x)), zero), top));
}

let hR: i32 = 0;
let hG: i32 = 0;
let hB: i32 = 0;

/** v2's adjust_hue of one pixel (bytes r, g, b) by hf: results to hR, hG, hB. */
// @ts-ignore: decorator
@inline function huePixel(R: i32, G: i32, B: i32, hf: f32): void {
  const r = <f32>R * INV255, g = <f32>G * INV255, b = <f32>B * INV255;
  const maxc = max<f32>(r, max<f32>(g, b));
  const minc = min<f32>(r, min<f32>(g, b));
  const eqc = maxc == minc;
  const cr = maxc - minc;
  const s = cr / (eqc ? <f32>1 : maxc);
  const crd = eqc ? <f32>1 : cr;
  const rc = (maxc - r) / crd, gc = (maxc - g) / crd, bc = (maxc - b) / crd;
  // torch sums three masked terms; exactly one is live and the others are +-0.
  let h: f32;
  if (maxc == r) h = bc - gc;
  else if (maxc == g) h = (rc + 2) - bc;
  else h = (gc + 4) - rc;
  h = h * <f32>(1.0 / 6.0) + 1;
  if (h >= 1) h -= 1; // fmod(h, 1) for h in [5/6, 11/6]
  // (h + hf).remainder_(1.0): fmod, plus 1 when negative (a rounded addition)
  let u = h + hf;
  if (u >= 1) u -= 1;
  else if (u < 0) u += 1;
  // _hsv_to_rgb
  const h6 = u * 6;
  const fi = floor<f32>(h6);
  const f = h6 - fi;
  let i = <i32>fi;
  if (i == 6) i = 0;
  const sxf = s * f;
  const oms = <f32>1 - s;
  const v = maxc;
  const q = min<f32>(max<f32>((1 - sxf) * v, 0), 1);
  const t = min<f32>(max<f32>((sxf + oms) * v, 0), 1);
  const p = min<f32>(max<f32>(oms * v, 0), 1);
  let rr = v, gg = v, bb = v;
  switch (i) {
    case 0: gg = t; bb = p; break;
    case 1: rr = q; bb = p; break;
    case 2: rr = p; bb = t; break;
    case 3: rr = p; gg = q; break;
    case 4: rr = t; gg = p; break;
    default: gg = p; bb = q; break;
  }
  hR = <i32>(rr * TO_U8);
  hG = <i32>(gg * TO_U8);
  hB = <i32>(bb * TO_U8);
}

/** adjust_hue (v2) of n pixels (c = 3 or 4; alpha copied) by hf in [-0.5, 0.5]. */
export function tvHue(src: usize, n: i32, c: i32, hf: f32, dst: usize): void {
  for (let i = 0; i < n; i++) {
    const p = src + <usize>i * <usize>c;
    huePixel(load<u8>(p), load<u8>(p, 1), load<u8>(p, 2), hf);
    const q = dst + <usize>i * <usize>c;
    store<u8>(q, <u8>hR);
    store<u8>(q, <u8>hG, 1);
    store<u8>(q, <u8>hB, 2);
    if (c == 4) store<u8>(q, load<u8>(p, 3), 3);
  }
}

/** binary32 x ** e as torch's pow_tensor_scalar computes it (see the note at the top). */
// @ts-ignore: decorator
@inline function powf(x: f32, e: f32): f32 {
  if (e == 0) return 1;
  if (e == 1) return x;
  if (e == 0.5) return sqrt<f32>(x);
  if (e == 2) return x * x;
  if (e == 3) return x * x * x;
  return <f32>Math.pow(<f64>x, <f64>e);
}

/** adjust_gamma's table (v2): trunc(255.999 * y), y = (v * float(1 / 255)) ** gamma, times gain and clamped to [0, 1] when gain != 1. */
export function tvLutGamma(gamma: f64, gain: f64, out: usize): void {
  const e = <f32>gamma;
  const k = <f32>gain;
  for (let v = 0; v < 256; v++) {
    let y = powf(<f32>v * INV255, e);
    if (gain != 1.0) y = min<f32>(max<f32>(y * k, 0), 1);
    store<u8>(out + <usize>v, <u8><i32>(y * TO_U8));
  }
}

/** autocontrast's table (v2) for a channel with extremes lo, hi: (v - lo) / ((hi - lo) * float(1 / 255)), clamped and truncated; identity when flat. */
export function tvLutAutocontrast(lo: i32, hi: i32, out: usize): void {
  if (hi == lo) {
    for (let v = 0; v < 256; v++) store<u8>(out + <usize>v, <u8>v);
    return;
  }
  const inv = <f32>(hi - lo) * INV255;
  const l = <f32>lo;
  for (let v = 0; v < 256; v++) store<u8>(out + <usize>v, toByte((<f32>v - l) / inv));
}

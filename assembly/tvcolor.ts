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
import { vR, vG, vB, vA, deinterleave16, interleave16, quarterF, bytes16, laneSum, putGrey } from "./pixels";

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

/**
 * grey4 by plain binary64 arithmetic, for byte-valued lanes: both fused sums are exact in
 * binary64 (r * C_R rounded to binary32 is a multiple of 2^-25 below 2^7, g * C_G a multiple
 * of 2^-24 below 2^8, b * C_B a multiple of 2^-27 below 2^5: at most 36 significant bits),
 * so rounding each sum once to binary32 is the fused result.
 */
// @ts-ignore: decorator
@inline function greyBytes4(r: v128, g: v128, b: v128): v128 {
  const r32 = f32x4.mul(r, f32x4.splat(C_R));
  const kg = f64x2.splat(<f64>C_G), kb = f64x2.splat(<f64>C_B);
  const tl = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(f64x2.promote_low_f32x4(g), kg), f64x2.promote_low_f32x4(r32)));
  const th = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(f64x2.promote_low_f32x4(hi2(g)), kg), f64x2.promote_low_f32x4(hi2(r32))));
  const yl = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(f64x2.promote_low_f32x4(b), kb), f64x2.promote_low_f32x4(tl)));
  const yh = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(f64x2.promote_low_f32x4(hi2(b)), kb), f64x2.promote_low_f32x4(th)));
  return f32x4.floor(i64x2.shuffle(yl, yh, 0, 2));
}

/** Lanes 2 and 3 of an f32x4 moved to lanes 0 and 1. */
// @ts-ignore: decorator
@inline function hi2(v: v128): v128 {
  return i64x2.shuffle(v, v, 1, 0);
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
    putGrey(dst + <usize>i * <usize>outC, v, outC, p);
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
  let i = 0;
  if (c != 1) {
    // 16 pixels at a time; the floored grey values (at most 255) are summed exactly in
    // i32 lanes, emptied into the u64 total every 2^16 blocks.
    while (i + 16 <= n) {
      let acc = i32x4.splat(0);
      const stop = min(n - 15, i + (16 << 16));
      for (; i < stop; i += 16) {
        deinterleave16(src + <usize>i * <usize>c, c);
        const r = vR, g = vG, b = vB;
        const y = i32x4.add(
          i32x4.add(i32x4.trunc_sat_f32x4_s(greyBytes4(quarterF(r, 0), quarterF(g, 0), quarterF(b, 0))), i32x4.trunc_sat_f32x4_s(greyBytes4(quarterF(r, 1), quarterF(g, 1), quarterF(b, 1)))),
          i32x4.add(i32x4.trunc_sat_f32x4_s(greyBytes4(quarterF(r, 2), quarterF(g, 2), quarterF(b, 2))), i32x4.trunc_sat_f32x4_s(greyBytes4(quarterF(r, 3), quarterF(g, 3), quarterF(b, 3)))),
        );
        acc = i32x4.add(acc, y);
      }
      total += laneSum(acc);
    }
  }
  for (; i < n; i++) {
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
  const cu = <usize>c;
  const plain = plainSum(a, b);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    deinterleave16(src + <usize>i * cu, c);
    const r = vR, g = vG, bl = vB, al = vA;
    const y0 = greyBytes4(quarterF(r, 0), quarterF(g, 0), quarterF(bl, 0));
    const y1 = greyBytes4(quarterF(r, 1), quarterF(g, 1), quarterF(bl, 1));
    const y2 = greyBytes4(quarterF(r, 2), quarterF(g, 2), quarterF(bl, 2));
    const y3 = greyBytes4(quarterF(r, 3), quarterF(g, 3), quarterF(bl, 3));
    interleave16(dst + <usize>i * cu, c, blendPlane(r, y0, y1, y2, y3, av, bv, plain), blendPlane(g, y0, y1, y2, y3, av, bv, plain), blendPlane(bl, y0, y1, y2, y3, av, bv, plain), al);
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

/** Unbiased binary exponent of a normal binary32 value. */
// @ts-ignore: decorator
@inline function expOf(x: f32): i32 {
  return <i32>((reinterpret<u32>(x) >> 23) & 255) - 127;
}

/**
 * Whether y * b + x * a (y, x bytes, x * a rounded to binary32) is always exact in binary64,
 * so that rounding the binary64 sum once equals the fused binary32 result. x * a is a
 * multiple of a's last-bit weight (rounding to binary32 at a larger magnitude keeps that),
 * y * b a multiple of b's; the sum stays below 2^(max exponent + 10). Zero terms are exact.
 */
function plainSum(a: f32, b: f32): bool {
  if (a == 0 || b == 0) return true;
  const ea = expOf(abs<f32>(a)), eb = expOf(abs<f32>(b));
  if (ea < -100 || eb < -100) return false;
  return max(ea, eb) + 10 - (min(ea, eb) - 23) <= 53;
}

/** fma32(y, b, x * a) clamped and truncated, for the 16 bytes xs and grey quarters y0..y3. */
// @ts-ignore: decorator
@inline function blendPlane(xs: v128, y0: v128, y1: v128, y2: v128, y3: v128, av: v128, bv: v128, plain: bool): v128 {
  return bytes16(blendQuad(quarterF(xs, 0), y0, av, bv, plain), blendQuad(quarterF(xs, 1), y1, av, bv, plain), blendQuad(quarterF(xs, 2), y2, av, bv, plain), blendQuad(quarterF(xs, 3), y3, av, bv, plain));
}

// @ts-ignore: decorator
@inline function blendQuad(x: v128, y: v128, av: v128, bv: v128, plain: bool): v128 {
  const xa = f32x4.mul(x, av);
  let t: v128;
  if (plain) {
    const bd = f64x2.promote_low_f32x4(bv);
    const lo = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(f64x2.promote_low_f32x4(y), bd), f64x2.promote_low_f32x4(xa)));
    const hi = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(f64x2.promote_low_f32x4(hi2(y)), bd), f64x2.promote_low_f32x4(hi2(xa))));
    t = i64x2.shuffle(lo, hi, 0, 2);
  } else t = fma32x4(y, bv, xa);
  // Truncated, then clipped by bytes16: the same byte as clamping the float first.
  return i32x4.trunc_sat_f32x4_s(t);
}

/**
 * adjust_sharpness's blend (v2) over `bytes` bytes: x + (1 - r) * (blurred - x) as one
 * fused operation, clamped, truncated; `blurred` equals x on the border (colorBlur3), where
 * the result is x. For c = 4 the alpha bytes are copied.
 */
export function tvSharpness(src: usize, blurred: usize, bytes: i32, c: i32, k: f32, dst: usize): void {
  const kv = f32x4.splat(k);
  const keep = c == 4 ? i32x4.splat(0xff000000) : i32x4.splat(0);
  let i = 0;
  for (; i + 16 <= bytes; i += 16) {
    const x = v128.load(src + <usize>i);
    const y = v128.load(blurred + <usize>i);
    const xl = i16x8.extend_low_i8x16_u(x), xh = i16x8.extend_high_i8x16_u(x);
    const yl = i16x8.extend_low_i8x16_u(y), yh = i16x8.extend_high_i8x16_u(y);
    const r0 = sharpQuad(i32x4.extend_low_i16x8_u(xl), i32x4.extend_low_i16x8_u(yl), kv);
    const r1 = sharpQuad(i32x4.extend_high_i16x8_u(xl), i32x4.extend_high_i16x8_u(yl), kv);
    const r2 = sharpQuad(i32x4.extend_low_i16x8_u(xh), i32x4.extend_low_i16x8_u(yh), kv);
    const r3 = sharpQuad(i32x4.extend_high_i16x8_u(xh), i32x4.extend_high_i16x8_u(yh), kv);
    const r = bytes16(r0, r1, r2, r3);
    v128.store(dst + <usize>i, v128.bitselect(x, r, keep));
  }
  for (; i < bytes; i++) {
    const x = <i32>load<u8>(src + <usize>i);
    const y = <i32>load<u8>(blurred + <usize>i);
    store<u8>(dst + <usize>i, c == 4 && (i & 3) == 3 ? <u8>x : toByte(fma32(<f32>(y - x), k, <f32>x)));
  }
}

// @ts-ignore: decorator
@inline function sharpQuad(x: v128, y: v128, k: v128): v128 {
  const d = f32x4.convert_i32x4_s(i32x4.sub(y, x));
  // Truncated, then clipped by the saturating narrows: the same byte as clamping first.
  return i32x4.trunc_sat_f32x4_s(fma32x4(d, k, f32x4.convert_i32x4_s(x)));
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

/** huePixel on four pixels (f32x4 of byte values): the same binary32 operations lane by lane, branches as selects; bytes as i32x4 to oR, oG, oB. */
// @ts-ignore: decorator
@inline function hue4(R: v128, G: v128, B: v128, hf: v128): void {
  const one = f32x4.splat(1), zero = f32x4.splat(0);
  const inv = f32x4.splat(INV255);
  const r = f32x4.mul(R, inv), g = f32x4.mul(G, inv), b = f32x4.mul(B, inv);
  const maxc = f32x4.max(r, f32x4.max(g, b));
  const minc = f32x4.min(r, f32x4.min(g, b));
  const eqc = f32x4.eq(maxc, minc);
  const cr = f32x4.sub(maxc, minc);
  const s = f32x4.div(cr, v128.bitselect(one, maxc, eqc));
  const crd = v128.bitselect(one, cr, eqc);
  // h = (x / crd + off) - y / crd with (x, y, off) = (b, g, 0) where maxc == r, else
  // (r, b, 2) where maxc == g, else (g, r, 4), x and y standing for maxc - x: huePixel's
  // bc - gc, (rc + 2) - bc, (gc + 4) - rc with two of its three divisions (adding 0 is exact).
  const isR = f32x4.eq(maxc, r), isG = f32x4.eq(maxc, g);
  const xs = v128.bitselect(b, v128.bitselect(r, g, isG), isR);
  const ys = v128.bitselect(g, v128.bitselect(b, r, isG), isR);
  const off = v128.bitselect(zero, v128.bitselect(f32x4.splat(2), f32x4.splat(4), isG), isR);
  let h = f32x4.sub(f32x4.add(f32x4.div(f32x4.sub(maxc, xs), crd), off), f32x4.div(f32x4.sub(maxc, ys), crd));
  h = f32x4.add(f32x4.mul(h, f32x4.splat(<f32>(1.0 / 6.0))), one);
  h = v128.bitselect(f32x4.sub(h, one), h, f32x4.ge(h, one));
  let u = f32x4.add(h, hf);
  u = v128.bitselect(f32x4.sub(u, one), v128.bitselect(f32x4.add(u, one), u, f32x4.lt(u, zero)), f32x4.ge(u, one));
  const h6 = f32x4.mul(u, f32x4.splat(6));
  const fi = f32x4.floor(h6);
  const f = f32x4.sub(h6, fi);
  let i = i32x4.trunc_sat_f32x4_s(fi);
  i = v128.andnot(i, i32x4.eq(i, i32x4.splat(6)));
  const sxf = f32x4.mul(s, f);
  const oms = f32x4.sub(one, s);
  const v = maxc;
  // pmax/pmin are min/max here: no operand is NaN, and a -0 (for +0) only truncates to 0.
  const q = f32x4.pmin(f32x4.pmax(f32x4.mul(f32x4.sub(one, sxf), v), zero), one);
  const t = f32x4.pmin(f32x4.pmax(f32x4.mul(f32x4.add(sxf, oms), v), zero), one);
  const p = f32x4.pmin(f32x4.pmax(f32x4.mul(oms, v), zero), one);
  const i0 = i32x4.eq(i, i32x4.splat(0)), i1 = i32x4.eq(i, i32x4.splat(1)), i2 = i32x4.eq(i, i32x4.splat(2));
  const i3 = i32x4.eq(i, i32x4.splat(3)), i4 = i32x4.eq(i, i32x4.splat(4));
  // sector: 0 (v, t, p), 1 (q, v, p), 2 (p, v, t), 3 (p, q, v), 4 (t, p, v), else (v, p, q)
  const rr = v128.bitselect(q, v128.bitselect(p, v128.bitselect(t, v, i4), v128.or(i2, i3)), i1);
  const gg = v128.bitselect(t, v128.bitselect(v, v128.bitselect(q, p, i3), v128.or(i1, i2)), i0);
  const bb = v128.bitselect(p, v128.bitselect(t, v128.bitselect(v, q, v128.or(i3, i4)), i2), v128.or(i0, i1));
  const k = f32x4.splat(TO_U8);
  oR = i32x4.trunc_sat_f32x4_s(f32x4.mul(rr, k));
  oG = i32x4.trunc_sat_f32x4_s(f32x4.mul(gg, k));
  oB = i32x4.trunc_sat_f32x4_s(f32x4.mul(bb, k));
}

let oR: v128 = i32x4.splat(0);
let oG: v128 = i32x4.splat(0);
let oB: v128 = i32x4.splat(0);

/** adjust_hue (v2) of n pixels (c = 3 or 4; alpha copied) by hf in [-0.5, 0.5]. */
export function tvHue(src: usize, n: i32, c: i32, hf: f32, dst: usize): void {
  const hv = f32x4.splat(hf);
  const cu = <usize>c;
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    deinterleave16(src + <usize>i * cu, c);
    const r = vR, g = vG, b = vB, al = vA;
    hue4(quarterF(r, 0), quarterF(g, 0), quarterF(b, 0), hv);
    const r0 = oR, g0 = oG, b0 = oB;
    hue4(quarterF(r, 1), quarterF(g, 1), quarterF(b, 1), hv);
    const r1 = oR, g1 = oG, b1 = oB;
    hue4(quarterF(r, 2), quarterF(g, 2), quarterF(b, 2), hv);
    const r2 = oR, g2 = oG, b2 = oB;
    hue4(quarterF(r, 3), quarterF(g, 3), quarterF(b, 3), hv);
    interleave16(dst + <usize>i * cu, c, bytes16(r0, r1, r2, oR), bytes16(g0, g1, g2, oG), bytes16(b0, b1, b2, oB), al);
  }
  for (; i < n; i++) {
    const p = src + <usize>i * cu;
    huePixel(load<u8>(p), load<u8>(p, 1), load<u8>(p, 2), hf);
    const q = dst + <usize>i * cu;
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

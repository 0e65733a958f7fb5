// IEEE 754 binary32 and binary64 arithmetic in WGSL from u32 operations only, so a shader
// reproduces the kernel's float steps bit for bit on every adapter: WGSL's own f32 division
// is only accurate to 2.5 ULP, a driver may fuse a * b + c into one rounding, flush
// subnormals, and WGSL has no f64 at all. Every operation here is correctly rounded (round
// to nearest, ties to even) with subnormals, as WebAssembly computes.
//
// Representation: a binary32 is its bits (u32); a binary64 is vec2<u32>(low word, high
// word) of its bits; a 64-bit integer is vec2<u32>(low, high) too. Inside, operations work
// on an unpacked value XF: (-1)^s * m * 2^e with the 64-bit significand m normalised so its
// leading one is bit 62 (bit 63 stays free for carries; lost low bits are OR-ed into bit 0,
// the "sticky" bit, which is all rounding needs). k: 0 finite, 1 infinity, 2 NaN.
// NaN results are the canonical quiet NaN; no pixel path produces one.
import { mulhiloFn } from "./philox.wgsl.js";

export default /* wgsl */ `
// ---- 64-bit unsigned integers: vec2<u32>(low, high)

fn add64(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  let lo = a.x + b.x;
  return vec2<u32>(lo, a.y + b.y + select(0u, 1u, lo < a.x));
}

fn sub64(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  return vec2<u32>(a.x - b.x, a.y - b.y - select(0u, 1u, a.x < b.x));
}

fn neg64(a: vec2<u32>) -> vec2<u32> {
  return sub64(vec2<u32>(0u, 0u), a);
}

fn lt64(a: vec2<u32>, b: vec2<u32>) -> bool {
  return a.y < b.y || (a.y == b.y && a.x < b.x);
}

fn zero64(a: vec2<u32>) -> bool {
  return (a.x | a.y) == 0u;
}

/** a << n, n in [0, 63] (branch-free: shifts of 32 or more are computed apart). */
fn shl64(a: vec2<u32>, n: u32) -> vec2<u32> {
  let m = n & 31u;
  let carry = select(a.x >> ((32u - m) & 31u), 0u, m == 0u);
  let small = vec2<u32>(a.x << m, (a.y << m) | carry);
  return select(small, vec2<u32>(0u, a.x << m), n >= 32u);
}

/** a >> n (logical), n in [0, 63]. */
fn shr64(a: vec2<u32>, n: u32) -> vec2<u32> {
  let m = n & 31u;
  let carry = select(a.y << ((32u - m) & 31u), 0u, m == 0u);
  let small = vec2<u32>((a.x >> m) | carry, a.y >> m);
  return select(small, vec2<u32>(a.y >> m, 0u), n >= 32u);
}

/** a >> n for any n, the bits shifted out OR-ed into bit 0. */
fn shr64jam(a: vec2<u32>, n: u32) -> vec2<u32> {
  let k = min(n, 63u);
  let r = shr64(a, k);
  let back = shl64(r, k);
  let lost = back.x != a.x || back.y != a.y || (n >= 64u && !zero64(a));
  let out = select(r, vec2<u32>(0u, 0u), n >= 64u);
  return vec2<u32>(out.x | select(0u, 1u, lost), out.y);
}

/** a >> 32-bit n, lost bits into bit 0. */
fn shr32jam(a: u32, n: u32) -> u32 {
  let k = min(n, 31u);
  let r = select(a >> k, 0u, n >= 32u);
  return r | select(0u, 1u, (r << k) != a || (n >= 32u && a != 0u));
}

fn clz64(a: vec2<u32>) -> u32 {
  return select(32u + countLeadingZeros(a.x), countLeadingZeros(a.y), a.y != 0u);
}

${mulhiloFn}
/** The 64-bit product of two u32 as (low, high), this file's word order. */
fn mul32(a: u32, b: u32) -> vec2<u32> {
  let p = mulhilo(a, b);
  return vec2<u32>(p.y, p.x);
}

/** The low 64 bits of a * b (wrapping). */
fn mul64lo(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  let p = mul32(a.x, b.x);
  return vec2<u32>(p.x, p.y + a.x * b.y + a.y * b.x);
}

/** The 128-bit product of two u64: (w0, w1, w2, w3) from the lowest word. */
fn mul64x64(a: vec2<u32>, b: vec2<u32>) -> vec4<u32> {
  let ll = mul32(a.x, b.x);
  let lh = mul32(a.x, b.y);
  let hl = mul32(a.y, b.x);
  let hh = mul32(a.y, b.y);
  // middle = lh + hl + ll.hi, as 96 bits
  var mid = add64(lh, hl);
  let c1 = select(0u, 1u, lt64(mid, lh));
  let mid2 = add64(mid, vec2<u32>(ll.y, 0u));
  let c2 = select(0u, 1u, lt64(mid2, mid));
  let top = add64(hh, vec2<u32>(mid2.y, c1 + c2));
  return vec4<u32>(ll.x, mid2.x, top.x, top.y);
}

/** Signed 64-bit a * b (wrapping) and a + b work as unsigned; these are the signed extras. */
fn neg64s(a: vec2<u32>) -> bool {
  return (a.y & 0x80000000u) != 0u;
}

/** Arithmetic a >> n, n in [0, 63]. */
fn sar64(a: vec2<u32>, n: u32) -> vec2<u32> {
  if (!neg64s(a)) { return shr64(a, n); }
  return ~shr64(~a, n);
}

fn i64from(v: i32) -> vec2<u32> {
  return vec2<u32>(bitcast<u32>(v), select(0u, 0xffffffffu, v < 0));
}

/** Signed a < b. */
fn lt64s(a: vec2<u32>, b: vec2<u32>) -> bool {
  let sa = neg64s(a);
  let sb = neg64s(b);
  if (sa != sb) { return sa; }
  return lt64(a, b);
}

// ---- unpacked floats

struct XF {
  s: u32,
  e: i32,
  m: vec2<u32>,
  k: u32,
}

/** (-1)^s * m * 2^e, m != 0, normalised to bit 62. */
fn xnorm(s: u32, e: i32, m: vec2<u32>) -> XF {
  let z = clz64(m);
  // leading one at bit 63: one step right (its lost bit sticky), else left to bit 62
  let right = vec2<u32>((m.x >> 1u) | (m.y << 31u) | (m.x & 1u), m.y >> 1u);
  return XF(s, e - i32(z) + 1, select(shl64(m, max(z, 1u) - 1u), right, z == 0u), 0u);
}

fn xzero(s: u32) -> XF {
  return XF(s, 0, vec2<u32>(0u, 0u), 0u);
}

fn xf32(a: u32) -> XF {
  let s = a >> 31u;
  let e = (a >> 23u) & 0xffu;
  let f = a & 0x7fffffu;
  if (e == 255u) { return XF(s, 0, vec2<u32>(0u, 0u), select(1u, 2u, f != 0u)); }
  if (e == 0u) {
    if (f == 0u) { return xzero(s); }
    return xnorm(s, -149, vec2<u32>(f, 0u));
  }
  return xnorm(s, i32(e) - 150, vec2<u32>(f | 0x800000u, 0u));
}

fn xf64(a: vec2<u32>) -> XF {
  let s = a.y >> 31u;
  let e = (a.y >> 20u) & 0x7ffu;
  let f = vec2<u32>(a.x, a.y & 0xfffffu);
  if (e == 2047u) { return XF(s, 0, vec2<u32>(0u, 0u), select(1u, 2u, !zero64(f))); }
  if (e == 0u) {
    if (zero64(f)) { return xzero(s); }
    return xnorm(s, -1074, f);
  }
  return xnorm(s, i32(e) - 1075, vec2<u32>(f.x, f.y | 0x100000u));
}

fn xzeroq(x: XF) -> bool {
  return x.k == 0u && zero64(x.m);
}

/** Rounds to binary32 (branch-free: the special cases are selected at the end). */
fn r32(x: XF) -> u32 {
  // sig: bits 32..62 of m (leading one at bit 30) and a sticky bit; value = sig * 2^(exp - 157).
  let exp = x.e + 189;
  let sig = shr32jam(x.m.y | select(0u, 1u, x.m.x != 0u), u32(clamp(1 - exp, 0, 40)));
  let rb = sig & 0x7fu;
  let m = ((sig + 0x40u) >> 7u) & select(0xffffffffu, 0xfffffffeu, rb == 0x40u);
  let bits = (u32(clamp(exp, 1, 255) - 1) << 23u) + m;
  var r = select(bits, 0x7f800000u, exp >= 255 || bits >= 0x7f800000u || x.k == 1u);
  r = select(r, 0u, zero64(x.m) && x.k == 0u) | (x.s << 31u);
  return select(r, 0x7fc00000u, x.k == 2u);
}

/** Rounds to binary64. */
fn r64(x: XF) -> vec2<u32> {
  let exp = x.e + 1085;
  let sig = shr64jam(x.m, u32(clamp(1 - exp, 0, 80)));
  let rb = sig.x & 0x3ffu;
  var m = shr64(add64(sig, vec2<u32>(0x200u, 0u)), 10u);
  m.x = m.x & select(0xffffffffu, 0xfffffffeu, rb == 0x200u);
  let bits = add64(vec2<u32>(0u, u32(clamp(exp, 1, 2047) - 1) << 20u), m);
  var r = select(bits, vec2<u32>(0u, 0x7ff00000u), exp >= 2047 || bits.y >= 0x7ff00000u || x.k == 1u);
  r = select(r, vec2<u32>(0u, 0u), zero64(x.m) && x.k == 0u);
  r.y = r.y | (x.s << 31u);
  return select(r, vec2<u32>(0u, 0x7ff80000u), x.k == 2u);
}

fn xnan() -> XF {
  return XF(0u, 0, vec2<u32>(0u, 0u), 2u);
}

fn xadd(a: XF, b: XF) -> XF {
  // The finite sum, then the special cases.
  let swap = b.e > a.e || (b.e == a.e && lt64(a.m, b.m));
  let bm = select(a.m, b.m, swap);
  let be = select(a.e, b.e, swap);
  let bs = select(a.s, b.s, swap);
  let sm = shr64jam(select(b.m, a.m, swap), u32(be - select(b.e, a.e, swap)));
  let same = a.s == b.s;
  let m = select(sub64(bm, sm), add64(bm, sm), same);
  var r = xnorm(bs, be, select(m, vec2<u32>(1u, 0u), zero64(m)));
  if (zero64(m)) { r = xzero(0u); }
  let az = zero64(a.m);
  let bz = zero64(b.m);
  if (az) { r = b; }
  if (bz) { r = a; }
  if (az && bz) { r = xzero(a.s & b.s); }
  if (b.k == 1u) { r = b; }
  if (a.k == 1u) { r = a; }
  if ((a.k == 1u && b.k == 1u && a.s != b.s) || a.k == 2u || b.k == 2u) { r = xnan(); }
  return r;
}

fn xneg(a: XF) -> XF {
  return XF(a.s ^ 1u, a.e, a.m, a.k);
}

fn xmul(a: XF, b: XF) -> XF {
  let s = a.s ^ b.s;
  if (a.k == 2u || b.k == 2u) { return xnan(); }
  if (a.k == 1u || b.k == 1u) {
    if (xzeroq(a) || xzeroq(b)) { return xnan(); }
    return XF(s, 0, vec2<u32>(0u, 0u), 1u);
  }
  if (zero64(a.m) || zero64(b.m)) { return xzero(s); }
  // (2 a.m) (2 b.m) lies in [2^126, 2^128): its top 64 bits, the rest sticky.
  let p = mul64x64(shl64(a.m, 1u), shl64(b.m, 1u));
  var hi = vec2<u32>(p.z, p.w | 0u);
  hi.x = hi.x | select(0u, 1u, (p.x | p.y) != 0u);
  var e = a.e + b.e + 62;
  if ((hi.y & 0x80000000u) != 0u) {
    hi = shr64jam(hi, 1u);
    e = e + 1;
  }
  return XF(s, e, hi, 0u);
}

fn xdiv(a: XF, b: XF) -> XF {
  let s = a.s ^ b.s;
  if (a.k == 2u || b.k == 2u) { return xnan(); }
  if (a.k == 1u) {
    if (b.k == 1u) { return xnan(); }
    return XF(s, 0, vec2<u32>(0u, 0u), 1u);
  }
  if (b.k == 1u) { return xzero(s); }
  let az = zero64(a.m);
  let bz = zero64(b.m);
  if (bz) {
    if (az) { return xnan(); }
    return XF(s, 0, vec2<u32>(0u, 0u), 1u);
  }
  if (az) { return xzero(s); }
  // Restoring division: q = floor(a.m * 2^63 / b.m) in (2^62, 2^64), the remainder sticky.
  var rem = a.m;
  var q = vec2<u32>(0u, 0u);
  for (var i = 0u; i < 64u; i++) {
    q = shl64(q, 1u);
    if (!lt64(rem, b.m)) {
      rem = sub64(rem, b.m);
      q.x = q.x | 1u;
    }
    rem = shl64(rem, 1u);
  }
  q.x = q.x | select(0u, 1u, !zero64(rem));
  var e = a.e - b.e - 63;
  if ((q.y & 0x80000000u) != 0u) {
    q = shr64jam(q, 1u);
    e = e + 1;
  }
  return XF(s, e, q, 0u);
}

/** Exact: a signed 32-bit integer. */
fn xi32(v: i32) -> XF {
  if (v == 0) { return xzero(0u); }
  let s = select(0u, 1u, v < 0);
  let mag = select(bitcast<u32>(v), 0u - bitcast<u32>(v), v < 0);
  return xnorm(s, 0, vec2<u32>(mag, 0u));
}

/** Exact: an unsigned 64-bit integer. */
fn xu64(v: vec2<u32>) -> XF {
  if (zero64(v)) { return xzero(0u); }
  return xnorm(0u, 0, v);
}

/** Exact: a signed 64-bit integer. */
fn xi64(v: vec2<u32>) -> XF {
  if (neg64s(v)) { return xneg(xu64(neg64(v))); }
  return xu64(v);
}

/** Truncation toward zero to a signed 64-bit integer (|x| < 2^63; NaN gives 0). */
fn xtrunc64(x: XF) -> vec2<u32> {
  if (x.k != 0u || zero64(x.m) || x.e <= -63) { return vec2<u32>(0u, 0u); }
  var mag: vec2<u32>;
  if (x.e >= 0) { mag = shl64(x.m, u32(min(x.e, 63))); } else { mag = shr64(x.m, u32(-x.e)); }
  return select(mag, neg64(mag), x.s == 1u);
}

// ---- binary32

fn f32_add(a: u32, b: u32) -> u32 { return r32(xadd(xf32(a), xf32(b))); }
fn f32_sub(a: u32, b: u32) -> u32 { return r32(xadd(xf32(a), xneg(xf32(b)))); }
fn f32_mul(a: u32, b: u32) -> u32 { return r32(xmul(xf32(a), xf32(b))); }
fn f32_div(a: u32, b: u32) -> u32 { return r32(xdiv(xf32(a), xf32(b))); }
/** round32(a * b + c), one rounding (the kernel's fma32). */
fn f32_fma(a: u32, b: u32, c: u32) -> u32 { return r32(xadd(xmul(xf32(a), xf32(b)), xf32(c))); }
/** An integer to the nearest binary32. */
fn f32_i32(v: i32) -> u32 { return r32(xi32(v)); }
fn f32_u64(v: vec2<u32>) -> u32 { return r32(xu64(v)); }
fn f32_f64(a: vec2<u32>) -> u32 { return r32(xf64(a)); }
fn f32_neg(a: u32) -> u32 { return a ^ 0x80000000u; }
fn f32_abs(a: u32) -> u32 { return a & 0x7fffffffu; }

/** A total order key for non-NaN binary32 (both zeros alike). */
fn f32_key(a: u32) -> u32 {
  let z = select(a, 0u, (a & 0x7fffffffu) == 0u);
  return select(z | 0x80000000u, ~z, (z & 0x80000000u) != 0u);
}
fn f32_lt(a: u32, b: u32) -> bool { return f32_key(a) < f32_key(b); }
fn f32_le(a: u32, b: u32) -> bool { return f32_key(a) <= f32_key(b); }
fn f32_eq(a: u32, b: u32) -> bool { return f32_key(a) == f32_key(b); }
/** WebAssembly's f32.min / f32.max on non-NaN values (-0 < +0). */
fn f32_min(a: u32, b: u32) -> u32 {
  if (f32_eq(a, b)) { return a | b; }
  return select(b, a, f32_lt(a, b));
}
fn f32_max(a: u32, b: u32) -> u32 {
  if (f32_eq(a, b)) { return a & b; }
  return select(b, a, f32_lt(b, a));
}
fn f32_clamp(a: u32, lo: u32, hi: u32) -> u32 { return f32_min(f32_max(a, lo), hi); }

/**
 * Rounds to an integral binary32 with integer operations only: mode 0 toward zero, 1 down
 * (floor), 2 up (ceil), 3 to nearest with ties to even (f32.nearest). Moving away from zero
 * adds one unit of the integer position to the magnitude bits; a carry into the exponent
 * field is exactly the next power of two.
 */
fn f32_round_int(a: u32, mode: u32) -> u32 {
  let mag = a & 0x7fffffffu;
  let sign = a & 0x80000000u;
  let e = i32(mag >> 23u) - 127;
  if (e >= 23) { return a; }
  if (mag == 0u) { return a; }
  let neg = sign != 0u;
  var t: u32;
  var frac: u32;
  var half: u32;
  var unit: u32;
  if (e < 0) {
    t = sign;
    // the fraction is the whole magnitude; compare it with 0.5 directly
    frac = mag;
    half = 0x3f000000u;
    unit = 0u;
  } else {
    let mask = 0x7fffffu >> u32(e);
    t = a & ~mask;
    frac = mag & mask;
    half = (mask + 1u) >> 1u;
    unit = mask + 1u;
  }
  if (frac == 0u) { return a; }
  var away = false;
  if (mode == 1u) { away = neg; }
  else if (mode == 2u) { away = !neg; }
  else if (mode == 3u) {
    if (e < 0) { away = frac > half; }
    else { away = frac > half || (frac == half && ((t >> u32(23 - e)) & 1u) != 0u && e < 23); }
    if (e == 0 && frac == half) { away = true; } // 1.5 -> 2 (the integer 1 is odd)
  }
  if (!away) { return t; }
  if (e < 0) { return sign | 0x3f800000u; }
  return t + unit;
}

fn f32_trunc(a: u32) -> u32 { return f32_round_int(a, 0u); }
fn f32_floor(a: u32) -> u32 { return f32_round_int(a, 1u); }
fn f32_ceil(a: u32) -> u32 { return f32_round_int(a, 2u); }
fn f32_nearest(a: u32) -> u32 { return f32_round_int(a, 3u); }

/** Saturating truncation to i32 (WebAssembly's i32.trunc_sat_f32_s; NaN gives 0). */
fn f32_trunc_i32(a: u32) -> i32 {
  let e = i32((a >> 23u) & 0xffu) - 127;
  if ((a & 0x7fffffffu) > 0x7f800000u) { return 0; }
  if (e < 0) { return 0; }
  let neg = (a & 0x80000000u) != 0u;
  if (e >= 31) { return select(2147483647, -2147483647 - 1, neg); }
  let m = (a & 0x7fffffu) | 0x800000u;
  var v: u32;
  if (e >= 23) { v = m << u32(e - 23); } else { v = m >> u32(23 - e); }
  return select(bitcast<i32>(v), -bitcast<i32>(v), neg);
}

// ---- binary64

fn f64_add(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> { return r64(xadd(xf64(a), xf64(b))); }
fn f64_sub(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> { return r64(xadd(xf64(a), xneg(xf64(b)))); }
fn f64_mul(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> { return r64(xmul(xf64(a), xf64(b))); }
fn f64_div(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> { return r64(xdiv(xf64(a), xf64(b))); }
fn f64_i32(v: i32) -> vec2<u32> { return r64(xi32(v)); }
fn f64_u64(v: vec2<u32>) -> vec2<u32> { return r64(xu64(v)); }
fn f64_i64(v: vec2<u32>) -> vec2<u32> { return r64(xi64(v)); }
fn f64_f32(a: u32) -> vec2<u32> { return r64(xf32(a)); }
fn f64_neg(a: vec2<u32>) -> vec2<u32> { return vec2<u32>(a.x, a.y ^ 0x80000000u); }

fn f64_key(a: vec2<u32>) -> vec2<u32> {
  var z = a;
  if ((a.x | (a.y & 0x7fffffffu)) == 0u) { z = vec2<u32>(0u, 0u); }
  if ((z.y & 0x80000000u) != 0u) { return ~z; }
  return vec2<u32>(z.x, z.y | 0x80000000u);
}
fn f64_lt(a: vec2<u32>, b: vec2<u32>) -> bool { return lt64(f64_key(a), f64_key(b)); }
fn f64_le(a: vec2<u32>, b: vec2<u32>) -> bool { return !lt64(f64_key(b), f64_key(a)); }
fn f64_eq(a: vec2<u32>, b: vec2<u32>) -> bool { let x = f64_key(a); let y = f64_key(b); return x.x == y.x && x.y == y.y; }

/** f32_round_int for binary64 (the same modes). */
fn f64_round_int(a: vec2<u32>, mode: u32) -> vec2<u32> {
  let mag = vec2<u32>(a.x, a.y & 0x7fffffffu);
  let sign = a.y & 0x80000000u;
  let e = i32(mag.y >> 20u) - 1023;
  if (e >= 52 || zero64(mag)) { return a; }
  let neg = sign != 0u;
  var t: vec2<u32>;
  var frac: vec2<u32>;
  var half: vec2<u32>;
  var unit: vec2<u32>;
  if (e < 0) {
    t = vec2<u32>(0u, sign);
    frac = mag;
    half = vec2<u32>(0u, 0x3fe00000u);
    unit = vec2<u32>(0u, 0u);
  } else {
    let mask = shr64(vec2<u32>(0xffffffffu, 0xfffffu), u32(e));
    t = vec2<u32>(a.x & ~mask.x, a.y & ~mask.y);
    frac = vec2<u32>(mag.x & mask.x, mag.y & mask.y);
    unit = add64(mask, vec2<u32>(1u, 0u));
    half = shr64(unit, 1u);
  }
  if (zero64(frac)) { return a; }
  var away = false;
  if (mode == 1u) { away = neg; }
  else if (mode == 2u) { away = !neg; }
  else if (mode == 3u) {
    if (e < 0) { away = lt64(half, frac); }
    else {
      let odd = (shr64(t, u32(52 - e)).x & 1u) != 0u;
      away = lt64(half, frac) || (frac.x == half.x && frac.y == half.y && odd);
    }
  }
  if (!away) { return t; }
  if (e < 0) { return vec2<u32>(0u, sign | 0x3ff00000u); }
  return add64(t, unit);
}

fn f64_trunc(a: vec2<u32>) -> vec2<u32> { return f64_round_int(a, 0u); }
fn f64_floor(a: vec2<u32>) -> vec2<u32> { return f64_round_int(a, 1u); }
fn f64_ceil(a: vec2<u32>) -> vec2<u32> { return f64_round_int(a, 2u); }

/** Saturating truncation to i32 (i32.trunc_sat_f64_s; NaN gives 0). */
fn f64_trunc_i32(a: vec2<u32>) -> i32 {
  let x = xf64(a);
  if (x.k == 2u || (x.k == 0u && zero64(x.m))) { return 0; }
  if (x.k == 1u || x.e >= -31) { return select(2147483647, -2147483647 - 1, x.s == 1u); }
  let v = xtrunc64(x);
  return bitcast<i32>(v.x);
}
`;

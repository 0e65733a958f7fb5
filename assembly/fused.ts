// The binary32 fused multiply-add that torch's x86-64 CPU kernels use (its vector code and
// the scalar code GCC contracts alike: `add_(other, alpha)`, grid_sample's unnormalize and
// bilinear sum), emulated exactly with binary64 + - * only, since WebAssembly has no FMA
// outside relaxed SIMD.
//
// fma32(a, b, c) = round32(a * b + c), one rounding. a * b of two binary32 values has at
// most 48 significant bits, so it is exact in binary64; the sum is rounded to binary64
// ("round to odd": the rounding error, found exactly by TwoSum, forces the last bit to 1
// when it is not zero), and binary64 rounded to odd then rounded to binary32 is the
// correctly rounded binary32 result, because 53 >= 24 + 2 (Boldo and Melquiond,
// "Emulation of FMA and correctly rounded sums: proved algorithms using rounding to odd",
// IEEE Trans. Computers, 2008). Overflow cannot arise for the pixel-sized values here.

/** round32(a * b + c) with a single rounding. */
// @ts-ignore: decorator
@inline export function fma32(a: f32, b: f32, c: f32): f32 {
  const p = <f64>a * <f64>b;
  const q = <f64>c;
  const s = p + q;
  const z = s - p;
  const err = (p - (s - z)) + (q - z);
  let bits = reinterpret<i64>(s);
  if (err != 0 && (bits & 1) == 0) {
    // Step one unit toward the exact value: up in magnitude when err has the sign of s.
    bits += (bits ^ reinterpret<i64>(err)) < 0 ? -1 : 1;
  }
  return <f32>reinterpret<f64>(bits);
}

/**
 * a * b + c on two lanes of binary32 values held as f64x2, rounded to binary64 with round
 * to odd: f32x4.demote_f64x2_zero of the result gives fma32 of each lane.
 */
// @ts-ignore: decorator
@inline function fmaOdd(a: v128, b: v128, c: v128): v128 {
  const p = f64x2.mul(a, b);
  const s = f64x2.add(p, c);
  const z = f64x2.sub(s, p);
  const err = f64x2.add(f64x2.sub(p, f64x2.sub(s, z)), f64x2.sub(c, z));
  // Lanes to adjust: err != 0 and the last bit of s is 0.
  const even = i64x2.eq(v128.and(s, i64x2.splat(1)), i64x2.splat(0));
  const live = v128.andnot(even, f64x2.eq(err, f64x2.splat(0)));
  // +1 when err and s share a sign, else -1.
  const step = v128.or(i64x2.shr_s(v128.xor(s, err), 63), i64x2.splat(1));
  return i64x2.add(s, v128.and(step, live));
}

/** fma32 on the four lanes of f32x4 a, b, c. */
// @ts-ignore: decorator
@inline export function fma32x4(a: v128, b: v128, c: v128): v128 {
  const lo = fmaOdd(f64x2.promote_low_f32x4(a), f64x2.promote_low_f32x4(b), f64x2.promote_low_f32x4(c));
  const ah = i64x2.shuffle(a, a, 1, 0);
  const bh = i64x2.shuffle(b, b, 1, 0);
  const ch = i64x2.shuffle(c, c, 1, 0);
  const hi = fmaOdd(f64x2.promote_low_f32x4(ah), f64x2.promote_low_f32x4(bh), f64x2.promote_low_f32x4(ch));
  return i64x2.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
}

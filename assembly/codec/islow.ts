// libjpeg-turbo's "islow" fixed point, shared by the inverse DCT (jidctint.c, jpegidct.ts) and
// the forward DCT (jfdctint.c, jpegencdct.ts): the same 13-bit constants and the pmaddwd lane
// pairing both x86 SIMD versions use.

export const CONST_BITS = 13;
export const PASS1_BITS = 2;

// FIX(x) = round(x * 2^13), as in jidctint.c and jfdctint.c.
export const F_0_298: i32 = 2446;
export const F_0_390: i32 = 3196;
export const F_0_541: i32 = 4433;
export const F_0_765: i32 = 6270;
export const F_0_899: i32 = 7373;
export const F_1_175: i32 = 9633;
export const F_1_501: i32 = 12299;
export const F_1_847: i32 = 15137;
export const F_1_961: i32 = 16069;
export const F_2_053: i32 = 16819;
export const F_2_562: i32 = 20995;
export const F_3_072: i32 = 25172;

/** Two i16 constants in every i32 lane, for i32x4.dot_i16x8_s (pmaddwd). */
// @ts-ignore: decorator
@inline export function pair(a: i32, b: i32): v128 {
  return i32x4.splat((a & 0xffff) | (b << 16));
}

/** The low four i16 lanes of a and b, interleaved. */
// @ts-ignore: decorator
@inline export function lo16(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23);
}

/** The high four i16 lanes of a and b, interleaved. */
// @ts-ignore: decorator
@inline export function hi16(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31);
}

// Lane transposes of the 8x8 block between the passes.
// @ts-ignore: decorator
@inline export function i32x4_lo(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23);
}
// @ts-ignore: decorator
@inline export function i32x4_hi(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31);
}
// @ts-ignore: decorator
@inline export function i64x2_lo(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
}
// @ts-ignore: decorator
@inline export function i64x2_hi(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
}

// The 8x8 transpose of i16 lanes between the passes (both DCTs): vector k of the result is
// lane k of r0..r7. Written to globals, as AssemblyScript returns one value.
export let t0: v128, t1: v128, t2: v128, t3: v128, t4: v128, t5: v128, t6: v128, t7: v128;

// @ts-ignore: decorator
@inline export function transpose(r0: v128, r1: v128, r2: v128, r3: v128, r4: v128, r5: v128, r6: v128, r7: v128): void {
  const a0 = lo16(r0, r1), a1 = hi16(r0, r1), a2 = lo16(r2, r3), a3 = hi16(r2, r3);
  const a4 = lo16(r4, r5), a5 = hi16(r4, r5), a6 = lo16(r6, r7), a7 = hi16(r6, r7);
  const b0 = i32x4_lo(a0, a2), b1 = i32x4_hi(a0, a2), b2 = i32x4_lo(a1, a3), b3 = i32x4_hi(a1, a3);
  const b4 = i32x4_lo(a4, a6), b5 = i32x4_hi(a4, a6), b6 = i32x4_lo(a5, a7), b7 = i32x4_hi(a5, a7);
  t0 = i64x2_lo(b0, b4); t1 = i64x2_hi(b0, b4);
  t2 = i64x2_lo(b1, b5); t3 = i64x2_hi(b1, b5);
  t4 = i64x2_lo(b2, b6); t5 = i64x2_hi(b2, b6);
  t6 = i64x2_lo(b3, b7); t7 = i64x2_hi(b3, b7);
}

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

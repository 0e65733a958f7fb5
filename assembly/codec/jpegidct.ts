// JPEG inverse DCT: libjpeg-turbo's "islow" (jidctint.c), computed exactly the way its x86
// AVX2/SSE2 code computes it (jidctint-avx2.asm), which is what Pillow runs on x86-64:
// dequantization and the (in0 +- in4), (in7 + in3), (in5 + in1) sums wrap at 16 bits, the
// rotations are 16x16->32 multiply-adds (i32x4.dot_i16x8_s is pmaddwd), each pass's results
// are narrowed with signed saturation, and the final samples are clamped to [0, 255]. On valid
// files this equals the C code's int arithmetic; on damaged files (huge coefficients) it still
// gives the bytes Pillow gives on x86.

import { CONST_BITS, PASS1_BITS, F_0_298, F_0_390, F_0_541, F_0_765, F_0_899, F_1_175, F_1_501, F_1_847, F_1_961, F_2_053, F_2_562, F_3_072, lo16, hi16, i32x4_lo, i32x4_hi, transpose, t0, t1, t2, t3, t4, t5, t6, t7 } from "./islow";

// The passes' constants, loaded where used: V8 rebuilds a v128 constant from immediates each
// time it is used (three instructions), a load is one. Two i16 constants in every i32 lane
// (pmaddwd pairs, as pair() makes them), then each pass's rounding (i32 lanes).
const K_C3: i32 = ((F_0_541 + F_0_765) & 0xffff) | ((F_0_541) << 16);
const K_C2: i32 = ((F_0_541) & 0xffff) | ((F_0_541 - F_1_847) << 16);
const K_Z3: i32 = ((F_1_175 - F_1_961) & 0xffff) | ((F_1_175) << 16);
const K_Z4: i32 = ((F_1_175) & 0xffff) | ((F_1_175 - F_0_390) << 16);
const K_T0: i32 = ((F_0_298 - F_0_899) & 0xffff) | ((-F_0_899) << 16);
const K_T3: i32 = ((-F_0_899) & 0xffff) | ((F_1_501 - F_0_899) << 16);
const K_T1: i32 = ((F_2_053 - F_2_562) & 0xffff) | ((-F_2_562) << 16);
const K_T2: i32 = ((-F_2_562) & 0xffff) | ((F_3_072 - F_2_562) << 16);
const K_R1: i32 = 1 << (CONST_BITS - PASS1_BITS - 1);
const K_R2: i32 = 1 << (CONST_BITS + PASS1_BITS + 3 - 1);
const K_BIAS: i32 = -0x7f7f7f80; // 0x80808080: -128 in every byte
const IK: usize = memory.data<i32>([
  K_C3, K_C3, K_C3, K_C3,
  K_C2, K_C2, K_C2, K_C2,
  K_Z3, K_Z3, K_Z3, K_Z3,
  K_Z4, K_Z4, K_Z4, K_Z4,
  K_T0, K_T0, K_T0, K_T0,
  K_T3, K_T3, K_T3, K_T3,
  K_T1, K_T1, K_T1, K_T1,
  K_T2, K_T2, K_T2, K_T2,
  K_R1, K_R1, K_R1, K_R1,
  K_R2, K_R2, K_R2, K_R2,
  K_BIAS, K_BIAS, K_BIAS, K_BIAS,
], 16);
const O_C3: usize = 0;
const O_C2: usize = 16;
const O_Z3: usize = 32;
const O_Z4: usize = 48;
const O_T0: usize = 64;
const O_T3: usize = 80;
const O_T1: usize = 96;
const O_T2: usize = 112;
const O_R1: usize = 128;
const O_R2: usize = 144;
const O_BIAS: usize = 160;

/** Bytes a0 b0 a1 b1 ... a7 b7 (punpcklbw). */
// @ts-ignore: decorator
@inline function unpackLo8(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
}
/** Bytes a8 b8 ... a15 b15 (punpckhbw). */
// @ts-ignore: decorator
@inline function unpackHi8(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
}

// Pass outputs (i16x8 each), written by `pass`.
let o0: v128, o1: v128, o2: v128, o3: v128, o4: v128, o5: v128, o6: v128, o7: v128;

/**
 * One 1-D pass over eight lanes: in_k holds frequency k of eight independent vectors. Results
 * are descaled by `shift` (with rounding) and narrowed to i16 with saturation.
 */
// @ts-ignore: decorator
@inline function pass(
  in0: v128, in1: v128, in2: v128, in3: v128, in4: v128, in5: v128, in6: v128, in7: v128, shift: i32,
): void {
  const round = v128.load(IK + (shift == CONST_BITS - PASS1_BITS ? O_R1 : O_R2));
  // Even part: tmp3 = in2 * (F054 + F076) + in6 * F054, tmp2 = in2 * F054 + in6 * (F054 - F184).
  const e26l = lo16(in2, in6);
  const e26h = hi16(in2, in6);
  const c3 = v128.load(IK + O_C3);
  const c2 = v128.load(IK + O_C2);
  const t3l = i32x4.dot_i16x8_s(e26l, c3);
  const t3h = i32x4.dot_i16x8_s(e26h, c3);
  const t2l = i32x4.dot_i16x8_s(e26l, c2);
  const t2h = i32x4.dot_i16x8_s(e26h, c2);
  const s04 = i16x8.add(in0, in4);
  const d04 = i16x8.sub(in0, in4);
  const t0l = i32x4.add(i32x4.shl(i32x4.extend_low_i16x8_s(s04), CONST_BITS), round);
  const t0h = i32x4.add(i32x4.shl(i32x4.extend_high_i16x8_s(s04), CONST_BITS), round);
  const t1l = i32x4.add(i32x4.shl(i32x4.extend_low_i16x8_s(d04), CONST_BITS), round);
  const t1h = i32x4.add(i32x4.shl(i32x4.extend_high_i16x8_s(d04), CONST_BITS), round);
  const t10l = i32x4.add(t0l, t3l), t10h = i32x4.add(t0h, t3h);
  const t13l = i32x4.sub(t0l, t3l), t13h = i32x4.sub(t0h, t3h);
  const t11l = i32x4.add(t1l, t2l), t11h = i32x4.add(t1h, t2h);
  const t12l = i32x4.sub(t1l, t2l), t12h = i32x4.sub(t1h, t2h);

  // Odd part.
  const z3 = i16x8.add(in7, in3);
  const z4 = i16x8.add(in5, in1);
  const z34l = lo16(z3, z4);
  const z34h = hi16(z3, z4);
  const cz3 = v128.load(IK + O_Z3);
  const cz4 = v128.load(IK + O_Z4);
  const z3l = i32x4.dot_i16x8_s(z34l, cz3), z3h = i32x4.dot_i16x8_s(z34h, cz3);
  const z4l = i32x4.dot_i16x8_s(z34l, cz4), z4h = i32x4.dot_i16x8_s(z34h, cz4);
  const a71l = lo16(in7, in1), a71h = hi16(in7, in1);
  const a53l = lo16(in5, in3), a53h = hi16(in5, in3);
  const ct0 = v128.load(IK + O_T0);
  const ct3 = v128.load(IK + O_T3);
  const ct1 = v128.load(IK + O_T1);
  const ct2 = v128.load(IK + O_T2);
  const u0l = i32x4.add(i32x4.dot_i16x8_s(a71l, ct0), z3l), u0h = i32x4.add(i32x4.dot_i16x8_s(a71h, ct0), z3h);
  const u3l = i32x4.add(i32x4.dot_i16x8_s(a71l, ct3), z4l), u3h = i32x4.add(i32x4.dot_i16x8_s(a71h, ct3), z4h);
  const u1l = i32x4.add(i32x4.dot_i16x8_s(a53l, ct1), z4l), u1h = i32x4.add(i32x4.dot_i16x8_s(a53h, ct1), z4h);
  const u2l = i32x4.add(i32x4.dot_i16x8_s(a53l, ct2), z3l), u2h = i32x4.add(i32x4.dot_i16x8_s(a53h, ct2), z3h);

  // Final stage.
  o0 = i16x8.narrow_i32x4_s(i32x4.shr_s(i32x4.add(t10l, u3l), shift), i32x4.shr_s(i32x4.add(t10h, u3h), shift));
  o7 = i16x8.narrow_i32x4_s(i32x4.shr_s(i32x4.sub(t10l, u3l), shift), i32x4.shr_s(i32x4.sub(t10h, u3h), shift));
  o1 = i16x8.narrow_i32x4_s(i32x4.shr_s(i32x4.add(t11l, u2l), shift), i32x4.shr_s(i32x4.add(t11h, u2h), shift));
  o6 = i16x8.narrow_i32x4_s(i32x4.shr_s(i32x4.sub(t11l, u2l), shift), i32x4.shr_s(i32x4.sub(t11h, u2h), shift));
  o2 = i16x8.narrow_i32x4_s(i32x4.shr_s(i32x4.add(t12l, u1l), shift), i32x4.shr_s(i32x4.add(t12h, u1h), shift));
  o5 = i16x8.narrow_i32x4_s(i32x4.shr_s(i32x4.sub(t12l, u1l), shift), i32x4.shr_s(i32x4.sub(t12h, u1h), shift));
  o3 = i16x8.narrow_i32x4_s(i32x4.shr_s(i32x4.add(t13l, u0l), shift), i32x4.shr_s(i32x4.add(t13h, u0h), shift));
  o4 = i16x8.narrow_i32x4_s(i32x4.shr_s(i32x4.sub(t13l, u0l), shift), i32x4.shr_s(i32x4.sub(t13h, u0h), shift));
}

/**
 * Inverse DCT of one block: `coef` holds 64 i16 coefficients in natural order (row = vertical
 * frequency), `quant` the 64 quantizer values (low 16 bits) in the same order. Writes 8 rows
 * of 8 samples to `out`, rows `stride` bytes apart.
 */
export function idctBlock(coef: usize, quant: usize, out: usize, stride: usize): void {
  const k0 = v128.load(coef), k1 = v128.load(coef, 16), k2 = v128.load(coef, 32), k3 = v128.load(coef, 48);
  const k4 = v128.load(coef, 64), k5 = v128.load(coef, 80), k6 = v128.load(coef, 96), k7 = v128.load(coef, 112);
  const r0 = i16x8.mul(k0, v128.load(quant));
  const acRows = v128.or(v128.or(v128.or(k1, k2), v128.or(k3, k4)), v128.or(v128.or(k5, k6), k7));
  let c0: v128, c1: v128, c2: v128, c3: v128, c4: v128, c5: v128, c6: v128, c7: v128;
  if (!v128.any_true(acRows)) {
    // AVX2's shortcut: no vertical frequencies, so every row of pass 1 is row 0 << PASS1_BITS
    // (a 16-bit shift, wrapping like psllw).
    const s = i16x8.shl(r0, PASS1_BITS);
    if (!v128.any_true(i64x2.replace_lane(s, 0, i64x2.extract_lane(s, 0) & ~0xffff))) {
      // DC only: one value for the whole block.
      const d = <i32>i16x8.extract_lane_s(s, 0);
      let v = (d + 16) >> 5;
      v = v < -128 ? -128 : v > 127 ? 127 : v;
      const fill = i8x16.splat(<i8>(v + 128));
      for (let r: usize = 0; r < 8; r++) v128.store64_lane(out + r * stride, fill, 0);
      return;
    }
    c0 = i16x8.splat(i16x8.extract_lane_s(s, 0));
    c1 = i16x8.splat(i16x8.extract_lane_s(s, 1));
    c2 = i16x8.splat(i16x8.extract_lane_s(s, 2));
    c3 = i16x8.splat(i16x8.extract_lane_s(s, 3));
    c4 = i16x8.splat(i16x8.extract_lane_s(s, 4));
    c5 = i16x8.splat(i16x8.extract_lane_s(s, 5));
    c6 = i16x8.splat(i16x8.extract_lane_s(s, 6));
    c7 = i16x8.splat(i16x8.extract_lane_s(s, 7));
  } else {
    const r1 = i16x8.mul(k1, v128.load(quant, 16));
    const r2 = i16x8.mul(k2, v128.load(quant, 32));
    const r3 = i16x8.mul(k3, v128.load(quant, 48));
    const r4 = i16x8.mul(k4, v128.load(quant, 64));
    const r5 = i16x8.mul(k5, v128.load(quant, 80));
    const r6 = i16x8.mul(k6, v128.load(quant, 96));
    const r7 = i16x8.mul(k7, v128.load(quant, 112));
    // Pass 1: columns (lane j = column j).
    pass(r0, r1, r2, r3, r4, r5, r6, r7, CONST_BITS - PASS1_BITS);
    // Transpose so that lane j = row j and vector k = horizontal frequency k.
    transpose(o0, o1, o2, o3, o4, o5, o6, o7);
    c0 = t0; c1 = t1; c2 = t2; c3 = t3;
    c4 = t4; c5 = t5; c6 = t6; c7 = t7;
  }
  // Pass 2: rows (lane j = row j); o_k = output column k.
  pass(c0, c1, c2, c3, c4, c5, c6, c7, CONST_BITS + PASS1_BITS + 3);
  // Saturate to [-128, 127], recentre, and transpose the bytes back to rows with unpacks only
  // (V8 turns other byte shuffles into two pshufb with masks built from immediates).
  const bias = v128.load(IK + O_BIAS);
  const p01 = i8x16.add(i8x16.narrow_i16x8_s(o0, o1), bias); // column 0 rows 0-7, column 1 rows 0-7
  const p23 = i8x16.add(i8x16.narrow_i16x8_s(o2, o3), bias);
  const p45 = i8x16.add(i8x16.narrow_i16x8_s(o4, o5), bias);
  const p67 = i8x16.add(i8x16.narrow_i16x8_s(o6, o7), bias);
  // Rows r: columns 0 2 (lo) or 1 3 (hi), then 4 6 / 5 7.
  const e02 = unpackLo8(p01, p23), e13 = unpackHi8(p01, p23);
  const e46 = unpackLo8(p45, p67), e57 = unpackHi8(p45, p67);
  // Rows 0-3 (lo) or 4-7 (hi), four columns each.
  const f0 = unpackLo8(e02, e13), f1 = unpackHi8(e02, e13);
  const f4 = unpackLo8(e46, e57), f5 = unpackHi8(e46, e57);
  const w01 = i32x4_lo(f0, f4);
  const w23 = i32x4_hi(f0, f4);
  const w45 = i32x4_lo(f1, f5);
  const w67 = i32x4_hi(f1, f5);
  v128.store64_lane(out, w01, 0);
  v128.store64_lane(out + stride, w01, 1);
  v128.store64_lane(out + 2 * stride, w23, 0);
  v128.store64_lane(out + 3 * stride, w23, 1);
  v128.store64_lane(out + 4 * stride, w45, 0);
  v128.store64_lane(out + 5 * stride, w45, 1);
  v128.store64_lane(out + 6 * stride, w67, 0);
  v128.store64_lane(out + 7 * stride, w67, 1);
}


// JPEG forward DCT and quantization: libjpeg-turbo's "islow" (jfdctint.c) and jcdctmgr.c's
// quantizer, computed exactly. jfdctint.c works in integers that cannot overflow for 8-bit
// samples (pass-1 outputs stay within +-4096, pass-2 sums within i16), so any arrangement of
// the same integer sums gives the same coefficients: the x86 AVX2 code Pillow and torchvision
// run (jfdctint-avx2.asm, pmaddwd pairs) and the C code agree, and so does this SIMD version,
// which uses the AVX2 code's pairing (i32x4.dot_i16x8_s is pmaddwd). Only the rounding points
// (DESCALE after each pass) matter, and they are jfdctint.c's.
//
// Quantization divides by 8 * quantval with rounding, through libjpeg-turbo's reciprocals
// (compute_reciprocal): q = ((|x| + corr) * recip) >> r, computed as two unsigned 16-bit
// high multiplies like jquanti-avx2.asm. (For every divisor of an 8-bit table and every |x| up
// to 10240 this equals the round-half-up division of IJG libjpeg and of libjpeg-turbo's 12-bit
// path: checked exhaustively when this was written. The reciprocals are what libjpeg-turbo
// runs for 8-bit samples, so they are what this code uses.)

import { CONST_BITS, PASS1_BITS, F_0_298, F_0_390, F_0_541, F_0_765, F_0_899, F_1_175, F_1_501, F_1_847, F_1_961, F_2_053, F_2_562, F_3_072, pair, lo16, hi16, transpose, t0, t1, t2, t3, t4, t5, t6, t7 } from "./islow";


// @ts-ignore: decorator
@inline function descale(lo: v128, hi: v128, shift: i32): v128 {
  const round = i32x4.splat(1 << (shift - 1));
  return i16x8.narrow_i32x4_s(i32x4.shr_s(i32x4.add(lo, round), shift), i32x4.shr_s(i32x4.add(hi, round), shift));
}

// Pass outputs (i16x8 each), written by `pass`.
let o0: v128, o1: v128, o2: v128, o3: v128, o4: v128, o5: v128, o6: v128, o7: v128;

/**
 * One 1-D pass over eight lanes: d_k holds element k of eight independent vectors. Pass 1
 * (`first`) keeps the DC and frequency-4 terms scaled by 2^PASS1_BITS and descales the rest by
 * CONST_BITS - PASS1_BITS; pass 2 descales everything back to the overall factor of 8.
 */
// @ts-ignore: decorator
@inline function pass(d0: v128, d1: v128, d2: v128, d3: v128, d4: v128, d5: v128, d6: v128, d7: v128, first: bool): void {
  const tmp0 = i16x8.add(d0, d7), tmp7 = i16x8.sub(d0, d7);
  const tmp1 = i16x8.add(d1, d6), tmp6 = i16x8.sub(d1, d6);
  const tmp2 = i16x8.add(d2, d5), tmp5 = i16x8.sub(d2, d5);
  const tmp3 = i16x8.add(d3, d4), tmp4 = i16x8.sub(d3, d4);
  const tmp10 = i16x8.add(tmp0, tmp3), tmp13 = i16x8.sub(tmp0, tmp3);
  const tmp11 = i16x8.add(tmp1, tmp2), tmp12 = i16x8.sub(tmp1, tmp2);
  const shift = first ? CONST_BITS - PASS1_BITS : CONST_BITS + PASS1_BITS;

  // DC and frequency 4: (tmp10 +- tmp11), in 32 bits on pass 2 (the sum reaches 2^15).
  if (first) {
    o0 = i16x8.shl(i16x8.add(tmp10, tmp11), PASS1_BITS);
    o4 = i16x8.shl(i16x8.sub(tmp10, tmp11), PASS1_BITS);
  } else {
    const a = i32x4.extend_low_i16x8_s(tmp10), b = i32x4.extend_high_i16x8_s(tmp10);
    const c = i32x4.extend_low_i16x8_s(tmp11), d = i32x4.extend_high_i16x8_s(tmp11);
    o0 = descale(i32x4.add(a, c), i32x4.add(b, d), PASS1_BITS);
    o4 = descale(i32x4.sub(a, c), i32x4.sub(b, d), PASS1_BITS);
  }

  // Even part: z1 = (tmp12 + tmp13) * F054; out2 = z1 + tmp13 * F076, out6 = z1 - tmp12 * F184.
  const e_l = lo16(tmp13, tmp12), e_h = hi16(tmp13, tmp12);
  const c2 = pair(F_0_541 + F_0_765, F_0_541);
  const c6 = pair(F_0_541, F_0_541 - F_1_847);
  o2 = descale(i32x4.dot_i16x8_s(e_l, c2), i32x4.dot_i16x8_s(e_h, c2), shift);
  o6 = descale(i32x4.dot_i16x8_s(e_l, c6), i32x4.dot_i16x8_s(e_h, c6), shift);

  // Odd part: z3 = tmp4 + tmp6, z4 = tmp5 + tmp7, z5 = (z3 + z4) * F117 folded into the pairs.
  const z3 = i16x8.add(tmp4, tmp6);
  const z4 = i16x8.add(tmp5, tmp7);
  const z_l = lo16(z3, z4), z_h = hi16(z3, z4);
  const cz3 = pair(F_1_175 - F_1_961, F_1_175);
  const cz4 = pair(F_1_175, F_1_175 - F_0_390);
  const za_l = i32x4.dot_i16x8_s(z_l, cz3), za_h = i32x4.dot_i16x8_s(z_h, cz3); // z3 + z5
  const zb_l = i32x4.dot_i16x8_s(z_l, cz4), zb_h = i32x4.dot_i16x8_s(z_h, cz4); // z4 + z5
  const p47_l = lo16(tmp4, tmp7), p47_h = hi16(tmp4, tmp7);
  const p56_l = lo16(tmp5, tmp6), p56_h = hi16(tmp5, tmp6);
  const c7 = pair(F_0_298 - F_0_899, -F_0_899); // tmp4 * F029 + z1 * -F089
  const c1 = pair(-F_0_899, F_1_501 - F_0_899); // tmp7 * F150 + z1 * -F089
  const c5 = pair(F_2_053 - F_2_562, -F_2_562); // tmp5 * F205 + z2 * -F256
  const c3 = pair(-F_2_562, F_3_072 - F_2_562); // tmp6 * F307 + z2 * -F256
  o7 = descale(i32x4.add(i32x4.dot_i16x8_s(p47_l, c7), za_l), i32x4.add(i32x4.dot_i16x8_s(p47_h, c7), za_h), shift);
  o1 = descale(i32x4.add(i32x4.dot_i16x8_s(p47_l, c1), zb_l), i32x4.add(i32x4.dot_i16x8_s(p47_h, c1), zb_h), shift);
  o5 = descale(i32x4.add(i32x4.dot_i16x8_s(p56_l, c5), zb_l), i32x4.add(i32x4.dot_i16x8_s(p56_h, c5), zb_h), shift);
  o3 = descale(i32x4.add(i32x4.dot_i16x8_s(p56_l, c3), za_l), i32x4.add(i32x4.dot_i16x8_s(p56_h, c3), za_h), shift);
}

// @ts-ignore: decorator
@inline function samples(p: usize): v128 {
  // Eight samples, widened and centred (convsamp: x - 128).
  return i16x8.sub(i16x8.extend_low_i8x16_u(v128.load64_zero(p)), i16x8.splat(128));
}

/**
 * Quantizes one natural-order row of coefficients: (|x| + corr) * recip >> 16, times scale >> 16,
 * with x's sign (jcdctmgr.c's quantize, as jquanti-avx2.asm computes it).
 */
// @ts-ignore: decorator
@inline function quantRow(x: v128, div: usize, row: usize): v128 {
  const off = row << 4;
  const recip = v128.load(div + off);
  const corr = v128.load(div + 128 + off);
  const scale = v128.load(div + 256 + off);
  const sign = i16x8.shr_s(x, 15);
  const t = i16x8.add(i16x8.abs(x), corr);
  // High halves of the u16 x u16 products (pmulhuw); they fit u16, so narrowing is exact.
  const p = i16x8.narrow_i32x4_u(i32x4.shr_u(i32x4.extmul_low_i16x8_u(t, recip), 16), i32x4.shr_u(i32x4.extmul_high_i16x8_u(t, recip), 16));
  const q = i16x8.narrow_i32x4_u(i32x4.shr_u(i32x4.extmul_low_i16x8_u(p, scale), 16), i32x4.shr_u(i32x4.extmul_high_i16x8_u(p, scale), 16));
  return i16x8.sub(v128.xor(q, sign), sign);
}

// @ts-ignore: decorator
@inline function nonzero16(a: v128, b: v128): i32 {
  const z = i16x8.splat(0);
  return i8x16.bitmask(i8x16.narrow_i16x8_s(i16x8.ne(a, z), i16x8.ne(b, z)));
}

/** For row r and a byte b of nonzero columns in it, the zigzag positions as bits: at ZZMASK + (r * 256 + b) * 8. */
const ZZMASK: usize = memory.data(8 * 256 * 8, 16);
let zzMaskReady = false;

/** Fills ZZMASK once. */
export function initZigzagMasks(): void {
  if (zzMaskReady) return;
  for (let r = 0; r < 8; r++) {
    for (let b = 0; b < 256; b++) {
      let m: u64 = 0;
      for (let c = 0; c < 8; c++) if ((b >> c) & 1) m |= <u64>1 << <u64>load<u8>(ZIGZAG_OF + <usize>(r * 8 + c));
      store<u64>(ZZMASK + (<usize>(r * 256 + b) << 3), m);
    }
  }
  zzMaskReady = true;
}

/** The zigzag position of each natural-order position. */
const ZIGZAG_OF: usize = memory.data<u8>([
  0, 1, 5, 6, 14, 15, 27, 28,
  2, 4, 7, 13, 16, 26, 29, 42,
  3, 8, 12, 17, 25, 30, 41, 43,
  9, 11, 18, 24, 31, 40, 44, 53,
  10, 19, 23, 32, 39, 45, 52, 54,
  20, 22, 33, 38, 46, 51, 55, 60,
  21, 34, 37, 47, 50, 56, 59, 61,
  35, 36, 48, 49, 57, 58, 62, 63,
]);

// @ts-ignore: decorator
@inline function zzBits(row: i32, b: i32): u64 {
  return load<u64>(ZZMASK + (<usize>((row << 8) | b) << 3));
}

/**
 * Forward DCT and quantization of one 8x8 block of samples (rows `stride` bytes apart at `src`)
 * with the divisors at `div` (see setDivisors): 64 i16 coefficients in natural order to `dst`.
 * Returns the mask of nonzero coefficients in zigzag order (bit k for zigzag position k), the
 * order the entropy coder visits them in (initZigzagMasks must have run).
 */
export function fdctQuantBlock(src: usize, stride: usize, div: usize, dst: usize): u64 {
  // Pass 1 over rows: transpose so that lane j is row j and vector k is column k.
  transpose(
    samples(src), samples(src + stride), samples(src + 2 * stride), samples(src + 3 * stride),
    samples(src + 4 * stride), samples(src + 5 * stride), samples(src + 6 * stride), samples(src + 7 * stride),
  );
  pass(t0, t1, t2, t3, t4, t5, t6, t7, true);
  // Pass 2 over columns: o_k (lane j = row j's frequency k) transposed to rows of frequencies.
  transpose(o0, o1, o2, o3, o4, o5, o6, o7);
  pass(t0, t1, t2, t3, t4, t5, t6, t7, false);
  // o_v: vertical frequency v, lane u = horizontal frequency u: natural order row v.
  const q0 = quantRow(o0, div, 0), q1 = quantRow(o1, div, 1), q2 = quantRow(o2, div, 2), q3 = quantRow(o3, div, 3);
  const q4 = quantRow(o4, div, 4), q5 = quantRow(o5, div, 5), q6 = quantRow(o6, div, 6), q7 = quantRow(o7, div, 7);
  v128.store(dst, q0);
  v128.store(dst, q1, 16);
  v128.store(dst, q2, 32);
  v128.store(dst, q3, 48);
  v128.store(dst, q4, 64);
  v128.store(dst, q5, 80);
  v128.store(dst, q6, 96);
  v128.store(dst, q7, 112);
  const m01 = nonzero16(q0, q1), m23 = nonzero16(q2, q3), m45 = nonzero16(q4, q5), m67 = nonzero16(q6, q7);
  return zzBits(0, m01 & 255) | zzBits(1, m01 >> 8) | zzBits(2, m23 & 255) | zzBits(3, m23 >> 8) |
    zzBits(4, m45 & 255) | zzBits(5, m45 >> 8) | zzBits(6, m67 & 255) | zzBits(7, m67 >> 8);
}

/** flss: the position of the highest set bit, counted from 1 (0 for 0). */
// @ts-ignore: decorator
@inline function flss(v: u32): i32 {
  return 32 - <i32>clz(v);
}

/**
 * Fills the divisor block at `div` (3 * 64 u16: reciprocal, correction, scale; natural order)
 * for a quantization table of 64 u16 values in natural order, as start_pass_fdctmgr does for
 * the islow DCT (divisor = quantval * 8) with compute_reciprocal.
 */
export function setDivisors(qtable: usize, div: usize): void {
  for (let i: usize = 0; i < 64; i++) {
    const d = <u32>load<u16>(qtable + (i << 1)) << 3;
    const b = flss(d) - 1;
    let r = 16 + b;
    let fq = (<u32>1 << <u32>r) / d;
    const fr = (<u32>1 << <u32>r) % d;
    let c = d >> 1;
    if (fr == 0) {
      fq >>= 1;
      r--;
    } else if (fr <= (d >> 1)) {
      c++;
    } else {
      fq++;
    }
    store<u16>(div + (i << 1), <u16>fq);
    store<u16>(div + 128 + (i << 1), <u16>c);
    store<u16>(div + 256 + (i << 1), <u16>(<i32>1 << (32 - r)));
  }
}

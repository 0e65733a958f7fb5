// Packed 8-bit pixels <-> channel planes, 16 pixels at a time (the colour kernels' SIMD
// loads and stores, and small lane helpers; color.ts, pilcolor.ts and tvcolor.ts share them).

// Multi-value returns of the vector helpers below.
export let vR: v128 = i32x4.splat(0);
export let vG: v128 = i32x4.splat(0);
export let vB: v128 = i32x4.splat(0);
export let vA: v128 = i32x4.splat(0);

/** Splits 16 pixels at p (c = 3 or 4) into vR, vG, vB (and vA for c = 4). */
// @ts-ignore: decorator
@inline export function deinterleave16(p: usize, c: i32): void {
  if (c == 3) {
    const v0 = v128.load(p);
    const v1 = v128.load(p + 16);
    const v2 = v128.load(p + 32);
    const r = i8x16.shuffle(v0, v1, 0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 0, 0, 0, 0, 0);
    const g = i8x16.shuffle(v0, v1, 1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 0, 0, 0, 0, 0);
    const b = i8x16.shuffle(v0, v1, 2, 5, 8, 11, 14, 17, 20, 23, 26, 29, 0, 0, 0, 0, 0, 0);
    vR = i8x16.shuffle(r, v2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 17, 20, 23, 26, 29);
    vG = i8x16.shuffle(g, v2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 18, 21, 24, 27, 30);
    vB = i8x16.shuffle(b, v2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 19, 22, 25, 28, 31);
  } else {
    const v0 = v128.load(p);
    const v1 = v128.load(p + 16);
    const v2 = v128.load(p + 32);
    const v3 = v128.load(p + 48);
    // Gather each channel's 8 bytes from each half, then join the halves.
    const l = i8x16.shuffle(v0, v1, 0, 4, 8, 12, 16, 20, 24, 28, 1, 5, 9, 13, 17, 21, 25, 29);
    const h = i8x16.shuffle(v2, v3, 0, 4, 8, 12, 16, 20, 24, 28, 1, 5, 9, 13, 17, 21, 25, 29);
    const l2 = i8x16.shuffle(v0, v1, 2, 6, 10, 14, 18, 22, 26, 30, 3, 7, 11, 15, 19, 23, 27, 31);
    const h2 = i8x16.shuffle(v2, v3, 2, 6, 10, 14, 18, 22, 26, 30, 3, 7, 11, 15, 19, 23, 27, 31);
    vR = i8x16.shuffle(l, h, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
    vG = i8x16.shuffle(l, h, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
    vB = i8x16.shuffle(l2, h2, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
    vA = i8x16.shuffle(l2, h2, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
  }
}

/** Writes 16 pixels from r, g, b (and a for c = 4) at p, interleaved. */
// @ts-ignore: decorator
@inline export function interleave16(p: usize, c: i32, r: v128, g: v128, b: v128, a: v128): void {
  if (c == 3) {
    const t0 = i8x16.shuffle(r, g, 0, 16, 0, 1, 17, 0, 2, 18, 0, 3, 19, 0, 4, 20, 0, 5);
    v128.store(p, i8x16.shuffle(t0, b, 0, 1, 16, 3, 4, 17, 6, 7, 18, 9, 10, 19, 12, 13, 20, 15));
    const t1 = i8x16.shuffle(r, g, 21, 0, 6, 22, 0, 7, 23, 0, 8, 24, 0, 9, 25, 0, 10, 26);
    v128.store(p + 16, i8x16.shuffle(t1, b, 0, 21, 2, 3, 22, 5, 6, 23, 8, 9, 24, 11, 12, 25, 14, 15));
    const t2 = i8x16.shuffle(r, g, 0, 11, 27, 0, 12, 28, 0, 13, 29, 0, 14, 30, 0, 15, 31, 0);
    v128.store(p + 32, i8x16.shuffle(t2, b, 26, 1, 2, 27, 4, 5, 28, 7, 8, 29, 10, 11, 30, 13, 14, 31));
  } else {
    const rgL = i8x16.shuffle(r, g, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const baL = i8x16.shuffle(b, a, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const rgH = i8x16.shuffle(r, g, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    const baH = i8x16.shuffle(b, a, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    v128.store(p, i8x16.shuffle(rgL, baL, 0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23));
    v128.store(p + 16, i8x16.shuffle(rgL, baL, 8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31));
    v128.store(p + 32, i8x16.shuffle(rgH, baH, 0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23));
    v128.store(p + 48, i8x16.shuffle(rgH, baH, 8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31));
  }
}

/** Quarter k (bytes 4k..4k+3) of 16 bytes as i32x4. */
// @ts-ignore: decorator
@inline export function quarterI(v: v128, k: i32): v128 {
  const h = k < 2 ? i16x8.extend_low_i8x16_u(v) : i16x8.extend_high_i8x16_u(v);
  return (k & 1) == 0 ? i32x4.extend_low_i16x8_u(h) : i32x4.extend_high_i16x8_u(h);
}

/**
 * Quarter k of 16 bytes as f32x4: byte lanes, so the signed convert (one instruction on x64,
 * the unsigned one takes eight) is exact.
 */
// @ts-ignore: decorator
@inline export function quarterF(v: v128, k: i32): v128 {
  return f32x4.convert_i32x4_s(quarterI(v, k));
}

/** Four i32x4 as 16 bytes, each clipped to [0, 255] (saturating narrows). */
// @ts-ignore: decorator
@inline export function bytes16(a: v128, b: v128, c: v128, d: v128): v128 {
  return i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_s(a, b), i16x8.narrow_i32x4_s(c, d));
}

/** The sum of the four lanes of an i32x4 of non-negative counts, as u64. */
// @ts-ignore: decorator
@inline export function laneSum(acc: v128): u64 {
  return <u64>i32x4.extract_lane(acc, 0) + <u64>i32x4.extract_lane(acc, 1) + <u64>i32x4.extract_lane(acc, 2) + <u64>i32x4.extract_lane(acc, 3);
}

/**
 * A grey pixel v written as outC channels at q: 1 (grey), 3 (grey thrice) or 4 (grey
 * thrice and the alpha of the source pixel at p).
 */
// @ts-ignore: decorator
@inline export function putGrey(q: usize, v: u8, outC: i32, p: usize): void {
  store<u8>(q, v);
  if (outC >= 3) {
    store<u8>(q, v, 1);
    store<u8>(q, v, 2);
  }
  if (outC == 4) store<u8>(q, load<u8>(p, 3), 3);
}

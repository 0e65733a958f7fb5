// The JPEG encoder's preprocessing, as libjpeg-turbo's jccolor.c, jcsample.c and jcprepct.c
// prepare samples for the default compression path: RGB -> YCbCr with jccolor.c's 16-bit
// fixed-point tables (each sample rounded on its own), and 2x2 downsampling of Cb and Cr
// (h2v2_downsample: the sum of four samples plus a bias of 1, 2, 1, 2... along the row, >> 2).
//
// Edges as jcprepct.c and jcsample.c pad them: columns past the image repeat its last column
// (expand_right_edge, before downsampling); a missing second row of the last row pair repeats
// the last row (expand_bottom_edge on the colour buffer); rows past that, up to the iMCU row's
// height, repeat the last row of each component after downsampling.

// jccolor.c's FIX(x) = round(x * 2^16) coefficients.
const R_Y: i32 = 19595;  // FIX(0.29900)
const G_Y: i32 = 38470;  // FIX(0.58700)
const B_Y: i32 = 7471;   // FIX(0.11400)
const R_CB: i32 = 11059; // FIX(0.16874)
const G_CB: i32 = 21709; // FIX(0.33126)
const HALF: i32 = 32768; // FIX(0.50000)
const G_CR: i32 = 27439; // FIX(0.41869)
const B_CR: i32 = 5329;  // FIX(0.08131)
const ONE_HALF: i32 = 1 << 15;
/** CBCR_OFFSET + ONE_HALF - 1: the "0.5 - epsilon" rounding of Cb and Cr. */
const CBCR_ROUND: i32 = (128 << 16) + ONE_HALF - 1;

// @ts-ignore: decorator
@inline function lumaOf(r: i32, g: i32, b: i32): i32 {
  return (R_Y * r + G_Y * g + B_Y * b + ONE_HALF) >> 16;
}
// @ts-ignore: decorator
@inline function cbOf(r: i32, g: i32, b: i32): i32 {
  return (HALF * b - R_CB * r - G_CB * g + CBCR_ROUND) >> 16;
}
// @ts-ignore: decorator
@inline function crOf(r: i32, g: i32, b: i32): i32 {
  return (HALF * r - G_CR * g - B_CR * b + CBCR_ROUND) >> 16;
}

// Vector forms of the three conversions on four pixels (r, g, b as i32x4).
// @ts-ignore: decorator
@inline function lumaV(r: v128, g: v128, b: v128): v128 {
  return i32x4.shr_s(i32x4.add(i32x4.add(i32x4.mul(r, i32x4.splat(R_Y)), i32x4.mul(g, i32x4.splat(G_Y))), i32x4.add(i32x4.mul(b, i32x4.splat(B_Y)), i32x4.splat(ONE_HALF))), 16);
}
// @ts-ignore: decorator
@inline function cbV(r: v128, g: v128, b: v128): v128 {
  return i32x4.shr_s(i32x4.sub(i32x4.add(i32x4.shl(b, 15), i32x4.splat(CBCR_ROUND)), i32x4.add(i32x4.mul(r, i32x4.splat(R_CB)), i32x4.mul(g, i32x4.splat(G_CB)))), 16);
}
// @ts-ignore: decorator
@inline function crV(r: v128, g: v128, b: v128): v128 {
  return i32x4.shr_s(i32x4.sub(i32x4.add(i32x4.shl(r, 15), i32x4.splat(CBCR_ROUND)), i32x4.add(i32x4.mul(g, i32x4.splat(G_CR)), i32x4.mul(b, i32x4.splat(B_CR)))), 16);
}

/**
 * Converts the RGB rows `a` and `b` (the second row of the pair; `a` again when the image ends)
 * of `width` pixels into two luma rows `ya`, `yb` and one downsampled Cb and Cr row, `cols`
 * chroma samples wide (the luma rows get 2 * cols samples); columns past the image repeat its
 * last pixel.
 */
export function convertRowPair(a: usize, b: usize, width: i32, cols: i32, ya: usize, yb: usize, cb: usize, cr: usize): void {
  // Whole groups of 4 chroma samples (8 pixels) inside the image, four at a time in SIMD.
  const inner = (width >> 1) & ~3;
  let j = 0;
  const bias = i32x4(1, 2, 1, 2);
  for (; j < inner; j += 4) {
    const pa = a + <usize>(j * 6), pb = b + <usize>(j * 6);
    // 8 pixels of each row: r, g, b of the even pixels (lanes 0-3) and of the odd ones.
    const la = v128.load(pa), la2 = v128.load64_zero(pa + 16);
    const lb = v128.load(pb), lb2 = v128.load64_zero(pb + 16);
    const aEr = widen4(la, la2, 0), aEg = widen4(la, la2, 1), aEb = widen4(la, la2, 2);
    const aOr = widen4(la, la2, 3), aOg = widen4(la, la2, 4), aOb = widen4(la, la2, 5);
    const bEr = widen4(lb, lb2, 0), bEg = widen4(lb, lb2, 1), bEb = widen4(lb, lb2, 2);
    const bOr = widen4(lb, lb2, 3), bOg = widen4(lb, lb2, 4), bOb = widen4(lb, lb2, 5);
    storeLuma(ya + <usize>(2 * j), lumaV(aEr, aEg, aEb), lumaV(aOr, aOg, aOb));
    storeLuma(yb + <usize>(2 * j), lumaV(bEr, bEg, bEb), lumaV(bOr, bOg, bOb));
    const sCb = i32x4.add(i32x4.add(cbV(aEr, aEg, aEb), cbV(aOr, aOg, aOb)), i32x4.add(i32x4.add(cbV(bEr, bEg, bEb), cbV(bOr, bOg, bOb)), bias));
    const sCr = i32x4.add(i32x4.add(crV(aEr, aEg, aEb), crV(aOr, aOg, aOb)), i32x4.add(i32x4.add(crV(bEr, bEg, bEb), crV(bOr, bOg, bOb)), bias));
    store4(cb + <usize>j, i32x4.shr_s(sCb, 2));
    store4(cr + <usize>j, i32x4.shr_s(sCr, 2));
  }
  // The rest, with the right edge repeated.
  const last = width - 1;
  for (; j < cols; j++) {
    const x0 = 2 * j < last ? 2 * j : last;
    const x1 = 2 * j + 1 < last ? 2 * j + 1 : last;
    const p0 = a + <usize>(x0 * 3), p1 = a + <usize>(x1 * 3);
    const q0 = b + <usize>(x0 * 3), q1 = b + <usize>(x1 * 3);
    const r0 = <i32>load<u8>(p0), g0 = <i32>load<u8>(p0, 1), b0 = <i32>load<u8>(p0, 2);
    const r1 = <i32>load<u8>(p1), g1 = <i32>load<u8>(p1, 1), b1 = <i32>load<u8>(p1, 2);
    const r2 = <i32>load<u8>(q0), g2 = <i32>load<u8>(q0, 1), b2 = <i32>load<u8>(q0, 2);
    const r3 = <i32>load<u8>(q1), g3 = <i32>load<u8>(q1, 1), b3 = <i32>load<u8>(q1, 2);
    store<u8>(ya + <usize>(2 * j), <u8>lumaOf(r0, g0, b0));
    store<u8>(ya + <usize>(2 * j + 1), <u8>lumaOf(r1, g1, b1));
    store<u8>(yb + <usize>(2 * j), <u8>lumaOf(r2, g2, b2));
    store<u8>(yb + <usize>(2 * j + 1), <u8>lumaOf(r3, g3, b3));
    const bs = 1 + (j & 1);
    store<u8>(cb + <usize>j, <u8>((cbOf(r0, g0, b0) + cbOf(r1, g1, b1) + cbOf(r2, g2, b2) + cbOf(r3, g3, b3) + bs) >> 2));
    store<u8>(cr + <usize>j, <u8>((crOf(r0, g0, b0) + crOf(r1, g1, b1) + crOf(r2, g2, b2) + crOf(r3, g3, b3) + bs) >> 2));
  }
}

/** Channel `k` (0-5: r, g, b of the even pixel, then of the odd one) of 4 pixel pairs, as i32x4. */
// @ts-ignore: decorator
@inline function widen4(lo: v128, hi: v128, k: i32): v128 {
  // Byte 6 * i + k of the 24 bytes (lo: 0-15, hi: 16-23), i = 0..3, zero-extended to 32 bits.
  switch (k) {
    case 0: return i8x16.shuffle(lo, hi, 0, 31, 31, 31, 6, 31, 31, 31, 12, 31, 31, 31, 18, 31, 31, 31);
    case 1: return i8x16.shuffle(lo, hi, 1, 31, 31, 31, 7, 31, 31, 31, 13, 31, 31, 31, 19, 31, 31, 31);
    case 2: return i8x16.shuffle(lo, hi, 2, 31, 31, 31, 8, 31, 31, 31, 14, 31, 31, 31, 20, 31, 31, 31);
    case 3: return i8x16.shuffle(lo, hi, 3, 31, 31, 31, 9, 31, 31, 31, 15, 31, 31, 31, 21, 31, 31, 31);
    case 4: return i8x16.shuffle(lo, hi, 4, 31, 31, 31, 10, 31, 31, 31, 16, 31, 31, 31, 22, 31, 31, 31);
    default: return i8x16.shuffle(lo, hi, 5, 31, 31, 31, 11, 31, 31, 31, 17, 31, 31, 31, 23, 31, 31, 31);
  }
}

/** Stores four luma samples of even pixels and four of odd ones, interleaved (8 bytes). */
// @ts-ignore: decorator
@inline function storeLuma(p: usize, even: v128, odd: v128): void {
  v128.store64_lane(p, i8x16.shuffle(even, odd, 0, 16, 4, 20, 8, 24, 12, 28, 0, 0, 0, 0, 0, 0, 0, 0), 0);
}

/** Stores the low bytes of four i32 lanes. */
// @ts-ignore: decorator
@inline function store4(p: usize, v: v128): void {
  v128.store32_lane(p, i8x16.shuffle(v, v, 0, 4, 8, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0);
}

/** Copies a grey row of `width` samples to `dst` and repeats its last sample up to `cols`. */
export function copyGreyRow(src: usize, width: i32, cols: i32, dst: usize): void {
  memory.copy(dst, src, <usize>width);
  const v = load<u8>(src + <usize>(width - 1));
  if (cols > width) memory.fill(dst + <usize>width, v, <usize>(cols - width));
}

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

// @ts-ignore: decorator
@inline function pair(a: i32, b: i32): v128 {
  return i32x4.splat((a & 0xffff) | (b << 16));
}

/**
 * Y, Cb and Cr of four RGB pixels (12 bytes at `p`) into ly, lcb, lcr (i32x4). The products are
 * pmaddwd pairs over (r, g) and (b, g), G's luma coefficient split as 22086 + 16384 as in
 * libjpeg-turbo's SIMD code and the 32768 * x terms taken as 2 * (16384 * x): integer sums of
 * the same products as jccolor.c's tables, so exactly its values.
 */
// @ts-ignore: decorator
@inline function ycc4(p: usize): void {
  const v = v128.load(p);
  const rg = i8x16.swizzle(v, i8x16(0, -1, 1, -1, 3, -1, 4, -1, 6, -1, 7, -1, 9, -1, 10, -1));
  const bg = i8x16.swizzle(v, i8x16(2, -1, 1, -1, 5, -1, 4, -1, 8, -1, 7, -1, 11, -1, 10, -1));
  ly = i32x4.shr_s(i32x4.add(i32x4.add(i32x4.dot_i16x8_s(rg, pair(R_Y, G_Y - 16384)), i32x4.dot_i16x8_s(bg, pair(B_Y, 16384))), i32x4.splat(ONE_HALF)), 16);
  const half = pair(16384, 0);
  lcb = i32x4.shr_s(i32x4.add(i32x4.add(i32x4.dot_i16x8_s(rg, pair(-R_CB, -G_CB)), i32x4.shl(i32x4.dot_i16x8_s(bg, half), 1)), i32x4.splat(CBCR_ROUND)), 16);
  lcr = i32x4.shr_s(i32x4.add(i32x4.add(i32x4.shl(i32x4.dot_i16x8_s(rg, half), 1), i32x4.dot_i16x8_s(bg, pair(-B_CR, -G_CR))), i32x4.splat(CBCR_ROUND)), 16);
}
let ly: v128, lcb: v128, lcr: v128;

/**
 * Converts the RGB rows `a` and `b` (the second row of the pair; `a` again when the image ends)
 * of `width` pixels into two luma rows `ya`, `yb` and one downsampled Cb and Cr row, `cols`
 * chroma samples wide (the luma rows get 2 * cols samples); columns past the image repeat its
 * last pixel.
 */
export function convertRowPair(a: usize, b: usize, width: i32, cols: i32, ya: usize, yb: usize, cb: usize, cr: usize): void {
  // Groups of 4 chroma samples (8 pixels a row) in SIMD while every 16-byte load stays in the row.
  const inner = width >= 2 ? ((width - 2) >> 1) & ~3 : 0;
  let j = 0;
  const bias = i32x4(1, 2, 1, 2);
  for (; j < inner; j += 4) {
    const pa = a + <usize>(j * 6), pb = b + <usize>(j * 6);
    ycc4(pa);
    const ya0 = ly, cba0 = lcb, cra0 = lcr;
    ycc4(pa + 12);
    const ya1 = ly, cba1 = lcb, cra1 = lcr;
    ycc4(pb);
    const yb0 = ly, cbb0 = lcb, crb0 = lcr;
    ycc4(pb + 12);
    const yb1 = ly, cbb1 = lcb, crb1 = lcr;
    v128.store64_lane(ya + <usize>(2 * j), i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_u(ya0, ya1), i16x8.splat(0)), 0);
    v128.store64_lane(yb + <usize>(2 * j), i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_u(yb0, yb1), i16x8.splat(0)), 0);
    // Column sums of the two rows, then the horizontal pairs (pixels 2k and 2k + 1).
    const sb0 = i32x4.add(cba0, cbb0), sb1 = i32x4.add(cba1, cbb1);
    const sr0 = i32x4.add(cra0, crb0), sr1 = i32x4.add(cra1, crb1);
    const sCb = i32x4.add(i32x4.add(i8x16.shuffle(sb0, sb1, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), i8x16.shuffle(sb0, sb1, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31)), bias);
    const sCr = i32x4.add(i32x4.add(i8x16.shuffle(sr0, sr1, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), i8x16.shuffle(sr0, sr1, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31)), bias);
    v128.store32_lane(cb + <usize>j, i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_u(i32x4.shr_s(sCb, 2), i32x4.splat(0)), i16x8.splat(0)), 0);
    v128.store32_lane(cr + <usize>j, i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_u(i32x4.shr_s(sCr, 2), i32x4.splat(0)), i16x8.splat(0)), 0);
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

/** Copies a grey row of `width` samples to `dst` and repeats its last sample up to `cols`. */
export function copyGreyRow(src: usize, width: i32, cols: i32, dst: usize): void {
  memory.copy(dst, src, <usize>width);
  const v = load<u8>(src + <usize>(width - 1));
  if (cols > width) memory.fill(dst + <usize>width, v, <usize>(cols - width));
}

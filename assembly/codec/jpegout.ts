// The JPEG decoder's output side: decoded samples of each component live in a ring of three
// iMCU rows; each output row is upsampled (jdsample.c's methods, chosen as libjpeg-turbo
// chooses them) and colour-converted (jdcolor.c's integer tables) straight into the image,
// then shaped the way Pillow stores it (RGB, L, CMYK with its "CMYK;I" inversion).

import * as St from "./status";
import {
  width, height, ncomp, maxH, maxV, imcuRows, color, COLOR_GRAY, COLOR_YCC, COLOR_RGB, COLOR_CMYK,
  cget, cset, C_H, C_V, C_WB, C_HB, C_DW, C_DH, C_BPR, C_COEF, C_RING, C_STRIDE, C_UP, C_HEXP, C_VEXP,
  C_TMP, QLATCH, fail,
} from "./jpegstate";
import { idctBlock } from "./jpegidct";
import { smoothingUseful, smoothRow } from "./jpegsmooth";
import { lo16, hi16 } from "./islow";

export const UP_FULL = 0;
export const UP_H2V1_FANCY = 1;
export const UP_H2V1 = 2;
export const UP_H1V2_FANCY = 3;
export const UP_H2V2_FANCY = 4;
export const UP_H2V2 = 5;
export const UP_INT = 6;

/** jinit_upsampler's choice of method for each component (fancy upsampling on). */
export function chooseUpsampling(): i32 {
  for (let c = 0; c < ncomp; c++) {
    const h = cget(c, C_H), v = cget(c, C_V), dw = cget(c, C_DW);
    let m = -1;
    if (h == maxH && v == maxV) m = UP_FULL;
    else if (h * 2 == maxH && v == maxV) m = dw > 2 ? UP_H2V1_FANCY : UP_H2V1;
    else if (h == maxH && v * 2 == maxV) m = UP_H1V2_FANCY;
    else if (h * 2 == maxH && v * 2 == maxV) m = dw > 2 ? UP_H2V2_FANCY : UP_H2V2;
    else if (maxH % h == 0 && maxV % v == 0) m = UP_INT;
    if (m < 0) return fail(St.E_JPEG_SAMPLING, c);
    cset(c, C_UP, m);
    cset(c, C_HEXP, maxH / h);
    cset(c, C_VEXP, maxV / v);
  }
  return St.OK;
}

// ---- the ring ----------------------------------------------------------------------------------

/** Address of sample row `r` of component `c` (rows of three consecutive iMCU rows are held). */
// @ts-ignore: decorator
@inline export function ringRow(c: i32, r: i32): usize {
  const rows = cget(c, C_V) << 3;
  const q = r / rows;
  return <usize>cget(c, C_RING) + <usize>((q % 3) * rows + (r - q * rows)) * <usize>cget(c, C_STRIDE);
}

/** Inverse DCT of one block into its place in the component's ring. */
export function blockToRing(c: i32, by: i32, bx: i32, blk: usize): void {
  idctBlock(blk, QLATCH + <usize>c * 128, ringRow(c, by << 3) + (<usize>bx << 3), <usize>cget(c, C_STRIDE));
}

// ---- colour conversion tables (build_ycc_rgb_table) -------------------------------------------
const CRR: usize = memory.data(256 * 4, 16);
const CBB: usize = memory.data(256 * 4, 16);
const CRG: usize = memory.data(256 * 4, 16);
const CBG: usize = memory.data(256 * 4, 16);
let tablesReady = false;

function buildTables(): void {
  for (let i = 0; i < 256; i++) {
    const x = i - 128;
    store<i32>(CRR + (<usize>i << 2), (91881 * x + 32768) >> 16);
    store<i32>(CBB + (<usize>i << 2), (116130 * x + 32768) >> 16);
    store<i32>(CRG + (<usize>i << 2), -46802 * x);
    store<i32>(CBG + (<usize>i << 2), -22554 * x + 32768);
  }
  tablesReady = true;
}

// @ts-ignore: decorator
@inline function clamp255(x: i32): i32 {
  return x < 0 ? 0 : x > 255 ? 255 : x;
}

// ---- upsampling one output row -------------------------------------------------------------

/** Colsum scratch for h2v2 fancy upsampling (i16 per input column): one row, and a second for
 * the fused 4:2:0 path, which holds Cb's and Cr's at once. */
let colsum: usize = 0;
let colsum2: usize = 0;
export function setColsum(p: usize, p2: usize): void {
  colsum = p;
  colsum2 = p2;
}

// @ts-ignore: decorator
@inline function clampRow(r: i32, dh: i32): i32 {
  return r < 0 ? 0 : r >= dh ? dh - 1 : r;
}

/** Returns the address of output row `y` of component `c`, upsampled to the image width. */
function upsampleRow(c: i32, y: i32): usize {
  const m = cget(c, C_UP);
  if (m == UP_FULL) return ringRow(c, y);
  const out = <usize>cget(c, C_TMP);
  const dw = cget(c, C_DW);
  const dh = cget(c, C_DH);
  if (m == UP_H2V1_FANCY) {
    const inp = ringRow(c, y);
    h2v1Fancy(inp, out, dw);
  } else if (m == UP_H2V1) {
    const inp = ringRow(c, y);
    for (let x = 0; x < dw; x++) {
      const v = load<u8>(inp + <usize>x);
      store<u8>(out + <usize>(2 * x), v);
      store<u8>(out + <usize>(2 * x + 1), v);
    }
  } else if (m == UP_H1V2_FANCY) {
    const r = y >> 1;
    const near = ringRow(c, r);
    const far = ringRow(c, clampRow((y & 1) != 0 ? r + 1 : r - 1, dh));
    h1v2Fancy(near, far, out, dw, (y & 1) != 0 ? 2 : 1);
  } else if (m == UP_H2V2_FANCY) {
    const r = y >> 1;
    const near = ringRow(c, r);
    const far = ringRow(c, clampRow((y & 1) != 0 ? r + 1 : r - 1, dh));
    h2v2Fancy(near, far, out, dw);
  } else if (m == UP_H2V2) {
    const inp = ringRow(c, y >> 1);
    for (let x = 0; x < dw; x++) {
      const v = load<u8>(inp + <usize>x);
      store<u8>(out + <usize>(2 * x), v);
      store<u8>(out + <usize>(2 * x + 1), v);
    }
  } else {
    const he = cget(c, C_HEXP);
    const inp = ringRow(c, y / cget(c, C_VEXP));
    let o = out;
    for (let x = 0; x < dw; x++) {
      const v = load<u8>(inp + <usize>x);
      for (let k = 0; k < he; k++) store<u8>(o + <usize>k, v);
      o += <usize>he;
    }
  }
  return out;
}

/** h2v1_fancy_upsample: a triangle filter, 3/4 nearer + 1/4 further, alternating rounding:
 * out[2x] = (3 in[x] + in[x-1] + 1) >> 2, out[2x+1] = (3 in[x] + in[x+1] + 2) >> 2, with the
 * end samples repeated. Eight input samples a step; the loads at x - 1 and x + 1 run one byte
 * past the row's ends (inside scratch), and the two outputs they touch are set afterwards. */
function h2v1Fancy(inp: usize, out: usize, dw: i32): void {
  const one = i16x8.splat(1), two = i16x8.splat(2);
  for (let x = 0; x < dw; x += 8) {
    const a = inp + <usize>x;
    const cur = i16x8.extend_low_i8x16_u(v128.load64_zero(a));
    const prev = i16x8.extend_low_i8x16_u(v128.load64_zero(a - 1));
    const next = i16x8.extend_low_i8x16_u(v128.load64_zero(a + 1));
    const c3 = i16x8.add(i16x8.shl(cur, 1), cur);
    const even = i16x8.shr_u(i16x8.add(i16x8.add(c3, prev), one), 2);
    const odd = i16x8.shr_u(i16x8.add(i16x8.add(c3, next), two), 2);
    v128.store(out + <usize>(2 * x), interleave(even, odd));
  }
  store<u8>(out, load<u8>(inp));
  store<u8>(out + <usize>(2 * dw - 1), load<u8>(inp + <usize>(dw - 1)));
}

/** Bytes e0 o0 e1 o1 ... e7 o7 of two i16x8 vectors holding values 0..255. */
// @ts-ignore: decorator
@inline function interleave(even: v128, odd: v128): v128 {
  const b = i8x16.narrow_i16x8_u(even, odd);
  return i8x16.shuffle(b, b, 0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15);
}

/** h1v2_fancy_upsample: (3 near + far + bias) >> 2, bias 1 above, 2 below. */
function h1v2Fancy(near: usize, far: usize, out: usize, dw: i32, bias: i32): void {
  const b = i16x8.splat(<i16>bias);
  for (let x = 0; x < dw; x += 16) {
    const n = v128.load(near + <usize>x), f = v128.load(far + <usize>x);
    const nl = i16x8.extend_low_i8x16_u(n), nh = i16x8.extend_high_i8x16_u(n);
    const lo = i16x8.add(i16x8.add(i16x8.add(i16x8.shl(nl, 1), nl), i16x8.extend_low_i8x16_u(f)), b);
    const hi = i16x8.add(i16x8.add(i16x8.add(i16x8.shl(nh, 1), nh), i16x8.extend_high_i8x16_u(f)), b);
    v128.store(out + <usize>x, i8x16.narrow_i16x8_u(i16x8.shr_u(lo, 2), i16x8.shr_u(hi, 2)));
  }
}

/** h2v2_fancy_upsample: the triangle filter in both directions (9/16, 3/16, 3/16, 1/16). Column
 * sums 3 near + far go to the colsum row first (colsumRow); then
 * out[2x] = (3 cs[x] + cs[x-1] + 8) >> 4, out[2x+1] = (3 cs[x] + cs[x+1] + 7) >> 4. */
function h2v2Fancy(near: usize, far: usize, out: usize, dw: i32): void {
  const cs = colsumRow(near, far, colsum, dw);
  const eight = i16x8.splat(8), seven = i16x8.splat(7);
  for (let x = 0; x < dw; x += 8) {
    const a = cs + <usize>(2 * x);
    const cur = v128.load(a);
    const c3 = i16x8.add(i16x8.shl(cur, 1), cur);
    const even = i16x8.shr_u(i16x8.add(i16x8.add(c3, v128.load(a - 2)), eight), 4);
    const odd = i16x8.shr_u(i16x8.add(i16x8.add(c3, v128.load(a + 2)), seven), 4);
    v128.store(out + <usize>(2 * x), interleave(even, odd));
  }
}

/** The vertical half of h2v2 fancy upsampling: cs[x] = 3 near[x] + far[x] into the row at
 * `buf` + 16, with the end sums repeated one place beyond each end. Returns the address of cs[0]. */
function colsumRow(near: usize, far: usize, buf: usize, dw: i32): usize {
  const cs = buf + 16;
  for (let x = 0; x < dw; x += 8) {
    const n = i16x8.extend_low_i8x16_u(v128.load64_zero(near + <usize>x));
    const f = i16x8.extend_low_i8x16_u(v128.load64_zero(far + <usize>x));
    v128.store(cs + <usize>(2 * x), i16x8.add(i16x8.add(i16x8.shl(n, 1), n), f));
  }
  store<i16>(cs - 2, load<i16>(cs));
  store<i16>(cs + <usize>(2 * dw), load<i16>(cs + <usize>(2 * dw - 2)));
  return cs;
}

/**
 * Output row `y` of a 4:2:0 YCbCr image into `o`: h2v2 fancy upsampling of Cb and Cr and
 * ycc_rgb_convert in one pass, the same arithmetic as h2v2Fancy + yccRow without the
 * upsampled rows in between. Sixteen pixels a step take eight column sums of each chroma
 * component: the even output pixels' chroma is (3 cs[x] + cs[x-1] + 8) >> 4, the odd ones'
 * (3 cs[x] + cs[x+1] + 7) >> 4, both centred on 0 by folding -128 (2048 before the shift) into
 * the rounding; Y splits into even and odd pixels the same way.
 */
function yccRowH2V2(y: i32, o: usize): void {
  const w = width;
  const py = ringRow(0, y);
  const dw = cget(1, C_DW), dh = cget(1, C_DH);
  const r = y >> 1;
  const fr = clampRow((y & 1) != 0 ? r + 1 : r - 1, dh);
  const cb = colsumRow(ringRow(1, r), ringRow(1, fr), colsum, dw);
  const cr = colsumRow(ringRow(2, r), ringRow(2, fr), colsum2, dw);
  const kr = yk(0), kb = yk(1), kg = yk(2), half = yk(3), two = yk(4);
  const evenBias = yk(5), oddBias = yk(6), lowByte = yk(7);
  let p = 0;
  for (; p + 16 <= w; p += 16) {
    const a = cb + <usize>p, b = cr + <usize>p; // column x = p / 2, two bytes a sum
    const bc = v128.load(a), b3 = i16x8.add(i16x8.shl(bc, 1), bc);
    const cbE = i16x8.shr_s(i16x8.add(i16x8.add(b3, v128.load(a - 2)), evenBias), 4);
    const cbO = i16x8.shr_s(i16x8.add(i16x8.add(b3, v128.load(a + 2)), oddBias), 4);
    const rc = v128.load(b), r3 = i16x8.add(i16x8.shl(rc, 1), rc);
    const crE = i16x8.shr_s(i16x8.add(i16x8.add(r3, v128.load(b - 2)), evenBias), 4);
    const crO = i16x8.shr_s(i16x8.add(i16x8.add(r3, v128.load(b + 2)), oddBias), 4);
    const Y = v128.load(py + <usize>p);
    const yE = v128.and(Y, lowByte), yO = i16x8.shr_u(Y, 8);
    const R = interleaveBytes(i16x8.add(yE, redDiff(crE, kr, two)), i16x8.add(yO, redDiff(crO, kr, two)));
    const G = interleaveBytes(i16x8.add(yE, greenDiff(cbE, crE, kg, half)), i16x8.add(yO, greenDiff(cbO, crO, kg, half)));
    const B = interleaveBytes(i16x8.add(yE, blueDiff(cbE, kb, two)), i16x8.add(yO, blueDiff(cbO, kb, two)));
    storeRGB(o + <usize>(3 * p), R, G, B);
  }
  for (; p < w; p++) {
    const x = p >> 1;
    const a = cb + <usize>(2 * x), b = cr + <usize>(2 * x);
    let u: i32, v: i32;
    if ((p & 1) == 0) {
      u = (3 * <i32>load<i16>(a) + <i32>load<i16>(a - 2) + 8) >> 4;
      v = (3 * <i32>load<i16>(b) + <i32>load<i16>(b - 2) + 8) >> 4;
    } else {
      u = (3 * <i32>load<i16>(a) + <i32>load<i16>(a + 2) + 7) >> 4;
      v = (3 * <i32>load<i16>(b) + <i32>load<i16>(b + 2) + 7) >> 4;
    }
    yccPixel(o + <usize>(3 * p), <i32>load<u8>(py + <usize>p), u, v);
  }
}

/** Bytes e0 o0 e1 o1 ... e7 o7, each i16 lane saturated to 0..255. */
// @ts-ignore: decorator
@inline function interleaveBytes(even: v128, odd: v128): v128 {
  return i8x16.shuffle(i8x16.narrow_i16x8_u(even, even), i8x16.narrow_i16x8_u(odd, odd),
    0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
}

// ---- emitting rows -----------------------------------------------------------------------------

let dst: usize = 0;
export function setDestination(p: usize): void {
  dst = p;
}

/** Upsamples and converts the output rows of iMCU row `n` into the image. */
export function emitRows(n: i32): void {
  if (!tablesReady) buildTables();
  const y0 = n * maxV * 8;
  let y1 = y0 + maxV * 8;
  if (y1 > height) y1 = height;
  const w = width;
  // 4:2:0 YCbCr, the common case: upsampling and colour conversion in one pass.
  const fused = ncomp == 3 && color == COLOR_YCC && cget(0, C_UP) == UP_FULL &&
    cget(1, C_UP) == UP_H2V2_FANCY && cget(2, C_UP) == UP_H2V2_FANCY;
  for (let y = y0; y < y1; y++) {
    if (color == COLOR_GRAY) {
      memory.copy(dst + <usize>y * <usize>w, upsampleRow(0, y), <usize>w);
      continue;
    }
    if (fused) {
      yccRowH2V2(y, dst + <usize>y * <usize>(w * 3));
      continue;
    }
    const p0 = upsampleRow(0, y), p1 = upsampleRow(1, y), p2 = upsampleRow(2, y);
    if (ncomp == 3) {
      const o = dst + <usize>y * <usize>(w * 3);
      if (color == COLOR_YCC) yccRow(p0, p1, p2, o, w, 3);
      else {
        for (let x = 0; x < w; x++) {
          store<u8>(o + <usize>(3 * x), load<u8>(p0 + <usize>x));
          store<u8>(o + <usize>(3 * x + 1), load<u8>(p1 + <usize>x));
          store<u8>(o + <usize>(3 * x + 2), load<u8>(p2 + <usize>x));
        }
      }
    } else {
      const p3 = upsampleRow(3, y);
      const o = dst + <usize>y * <usize>(w * 4);
      if (color == COLOR_CMYK) {
        // Pillow's "CMYK;I" unpacker inverts the samples of an Adobe CMYK file.
        for (let x = 0; x < w; x++) {
          store<u8>(o + <usize>(4 * x), 255 - load<u8>(p0 + <usize>x));
          store<u8>(o + <usize>(4 * x + 1), 255 - load<u8>(p1 + <usize>x));
          store<u8>(o + <usize>(4 * x + 2), 255 - load<u8>(p2 + <usize>x));
          store<u8>(o + <usize>(4 * x + 3), 255 - load<u8>(p3 + <usize>x));
        }
      } else {
        // YCCK: libjpeg gives C = 255 - R etc. (K unchanged) and Pillow inverts all four,
        // so the stored bytes are R, G, B of the YCC part and 255 - K.
        yccRow(p0, p1, p2, o, w, 4);
        for (let x = 0; x < w; x++) store<u8>(o + <usize>(4 * x + 3), 255 - load<u8>(p3 + <usize>x));
      }
    }
  }
}

/**
 * ycc_rgb_convert for one row, `step` bytes a pixel. Sixteen pixels a step for RGB with the
 * table entries computed exactly (R - Y = cr + (26345 cr + 2^15) >> 16 equals
 * (91881 cr + 2^15) >> 16, and likewise for B and G, as libjpeg-turbo's SIMD code does), then
 * the remaining pixels from the tables.
 */
function yccRow(py: usize, pcb: usize, pcr: usize, o: usize, w: i32, step: i32): void {
  let x = 0;
  if (step == 3) {
    const kr = yk(0), kb = yk(1), kg = yk(2), half = yk(3), two = yk(4), c128 = yk(8);
    for (; x + 16 <= w; x += 16) {
      const Y = v128.load(py + <usize>x), CB = v128.load(pcb + <usize>x), CR = v128.load(pcr + <usize>x);
      const yl = i16x8.extend_low_i8x16_u(Y), yh = i16x8.extend_high_i8x16_u(Y);
      const bl = i16x8.sub(i16x8.extend_low_i8x16_u(CB), c128), bh = i16x8.sub(i16x8.extend_high_i8x16_u(CB), c128);
      const rl = i16x8.sub(i16x8.extend_low_i8x16_u(CR), c128), rh = i16x8.sub(i16x8.extend_high_i8x16_u(CR), c128);
      const R = i8x16.narrow_i16x8_u(i16x8.add(yl, redDiff(rl, kr, two)), i16x8.add(yh, redDiff(rh, kr, two)));
      const G = i8x16.narrow_i16x8_u(i16x8.add(yl, greenDiff(bl, rl, kg, half)), i16x8.add(yh, greenDiff(bh, rh, kg, half)));
      const B = i8x16.narrow_i16x8_u(i16x8.add(yl, blueDiff(bl, kb, two)), i16x8.add(yh, blueDiff(bh, kb, two)));
      storeRGB(o + <usize>(3 * x), R, G, B);
    }
  }
  for (; x < w; x++) {
    yccPixel(o + <usize>(x * step), <i32>load<u8>(py + <usize>x), <i32>load<u8>(pcb + <usize>x), <i32>load<u8>(pcr + <usize>x));
  }
}

/** One pixel of ycc_rgb_convert from the tables: R, G, B at q. */
// @ts-ignore: decorator
@inline function yccPixel(q: usize, yy: i32, cb: i32, cr: i32): void {
  const b4 = <usize>cb << 2, r4 = <usize>cr << 2;
  store<u8>(q, <u8>clamp255(yy + load<i32>(CRR + r4)));
  store<u8>(q + 1, <u8>clamp255(yy + ((load<i32>(CBG + b4) + load<i32>(CRG + r4)) >> 16)));
  store<u8>(q + 2, <u8>clamp255(yy + load<i32>(CBB + b4)));
}

// The colour loops' constants, loaded once before each loop: V8 rebuilds a v128 constant each
// time a loop uses it (three instructions), a loaded one stays in a register. yk(i) is the i-th.
const K_RED: i32 = 26345 | (16384 << 16); // (26345, 2^14) i16 pairs
const K_BLUE: i32 = (-14942 & 0xffff) | (16384 << 16); // (-14942, 2^14)
const K_GREEN: i32 = (-22554 & 0xffff) | (18734 << 16); // (-22554, 18734)
const K_HALF: i32 = 32768; // 2^15 (i32)
const K_TWO: i32 = 2 | (2 << 16); // then i16 lanes: 2
const K_EVEN: i32 = ((8 - 2048) & 0xffff) | ((8 - 2048) << 16); // 8 - 2048
const K_ODD: i32 = ((7 - 2048) & 0xffff) | ((7 - 2048) << 16); // 7 - 2048
const K_LOW: i32 = 0xff | (0xff << 16); // 0xff
const K_128: i32 = 128 | (128 << 16); // 128
const YK: usize = memory.data<i32>([
  K_RED, K_RED, K_RED, K_RED,
  K_BLUE, K_BLUE, K_BLUE, K_BLUE,
  K_GREEN, K_GREEN, K_GREEN, K_GREEN,
  K_HALF, K_HALF, K_HALF, K_HALF,
  K_TWO, K_TWO, K_TWO, K_TWO,
  K_EVEN, K_EVEN, K_EVEN, K_EVEN,
  K_ODD, K_ODD, K_ODD, K_ODD,
  K_LOW, K_LOW, K_LOW, K_LOW,
  K_128, K_128, K_128, K_128,
], 16);

// @ts-ignore: decorator
@inline function yk(i: usize): v128 {
  return v128.load(YK + (i << 4));
}

/** R - Y for eight centred Cr values: cr + ((26345 cr + 2^15) >> 16), the product and its
 * rounding as one multiply-add of (cr, 2) pairs with k = (26345, 2^14). */
// @ts-ignore: decorator
@inline function redDiff(cr: v128, k: v128, two: v128): v128 {
  const lo = i32x4.shr_s(i32x4.dot_i16x8_s(lo16(cr, two), k), 16);
  const hi = i32x4.shr_s(i32x4.dot_i16x8_s(hi16(cr, two), k), 16);
  return i16x8.add(i16x8.narrow_i32x4_s(lo, hi), cr);
}

/** B - Y: 2 cb + ((-14942 cb + 2^15) >> 16) = (116130 cb + 2^15) >> 16; k = (-14942, 2^14). */
// @ts-ignore: decorator
@inline function blueDiff(cb: v128, k: v128, two: v128): v128 {
  const lo = i32x4.shr_s(i32x4.dot_i16x8_s(lo16(cb, two), k), 16);
  const hi = i32x4.shr_s(i32x4.dot_i16x8_s(hi16(cb, two), k), 16);
  return i16x8.add(i16x8.narrow_i32x4_s(lo, hi), i16x8.shl(cb, 1));
}

/** G - Y: ((-22554 cb + 18734 cr + 2^15) >> 16) - cr = (-22554 cb - 46802 cr + 2^15) >> 16;
 * k = (-22554, 18734), h = 2^15. */
// @ts-ignore: decorator
@inline function greenDiff(cb: v128, cr: v128, k: v128, h: v128): v128 {
  const lo = i32x4.shr_s(i32x4.add(i32x4.dot_i16x8_s(lo16(cb, cr), k), h), 16);
  const hi = i32x4.shr_s(i32x4.add(i32x4.dot_i16x8_s(hi16(cb, cr), k), h), 16);
  return i16x8.sub(i16x8.narrow_i32x4_s(lo, hi), cr);
}

/** Stores 16 RGB pixels (48 bytes) from planar R, G, B. */
// @ts-ignore: decorator
@inline function storeRGB(o: usize, R: v128, G: v128, B: v128): void {
  const rg0 = i8x16.shuffle(R, G, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  const rg1 = i8x16.shuffle(R, G, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  v128.store(o, i8x16.shuffle(rg0, B, 0, 1, 16, 2, 3, 17, 4, 5, 18, 6, 7, 19, 8, 9, 20, 10));
  // rg0 bytes 11-15 then rg1 bytes 0-10: one palignr.
  const t = i8x16.shuffle(rg0, rg1, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26);
  v128.store(o + 16, i8x16.shuffle(t, B, 0, 21, 1, 2, 22, 3, 4, 23, 5, 6, 24, 7, 8, 25, 9, 10));
  v128.store(o + 32, i8x16.shuffle(rg1, B, 26, 6, 7, 27, 8, 9, 28, 10, 11, 29, 12, 13, 30, 14, 15, 31));
}

// ---- the output pass of a multi-scan file ---------------------------------------------------

/** IDCTs every iMCU row from the coefficient buffer (with libjpeg's block smoothing where it
 * applies) and emits the image. */
export function outputFromCoefficients(smooth: bool): void {
  const useSmoothing = smooth && smoothingUseful();
  const last = imcuRows - 1;
  for (let n = 0; n < imcuRows; n++) {
    for (let c = 0; c < ncomp; c++) {
      const v = cget(c, C_V);
      let rows = v;
      if (n == last) {
        rows = cget(c, C_HB) % v;
        if (rows == 0) rows = v;
      }
      if (useSmoothing) {
        smoothRow(c, n, rows);
        continue;
      }
      const wb = cget(c, C_WB), bpr = cget(c, C_BPR);
      const base = <usize>cget(c, C_COEF);
      for (let br = 0; br < rows; br++) {
        const by = n * v + br;
        const row = base + <usize>(by * bpr) * 128;
        for (let bx = 0; bx < wb; bx++) blockToRing(c, by, bx, row + <usize>bx * 128);
      }
    }
    if (n > 0) emitRows(n - 1);
  }
  emitRows(last);
}

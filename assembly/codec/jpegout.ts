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

/** Colsum scratch for h2v2 fancy upsampling (i16 per input column). */
let colsum: usize = 0;
export function setColsum(p: usize): void {
  colsum = p;
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
    const bias = (y & 1) != 0 ? 2 : 1;
    for (let x = 0; x < dw; x++) {
      store<u8>(out + <usize>x, <u8>((3 * <i32>load<u8>(near + <usize>x) + <i32>load<u8>(far + <usize>x) + bias) >> 2));
    }
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

/** h2v1_fancy_upsample: a triangle filter, 3/4 nearer + 1/4 further, alternating rounding. */
function h2v1Fancy(inp: usize, out: usize, dw: i32): void {
  let prev = <i32>load<u8>(inp);
  let cur = prev;
  for (let x = 0; x < dw; x++) {
    const next = <i32>load<u8>(inp + <usize>(x + 1 < dw ? x + 1 : x));
    store<u8>(out + <usize>(2 * x), <u8>((3 * cur + prev + 1) >> 2));
    store<u8>(out + <usize>(2 * x + 1), <u8>((3 * cur + next + 2) >> 2));
    prev = cur;
    cur = next;
  }
}

/** h2v2_fancy_upsample: the triangle filter in both directions (9/16, 3/16, 3/16, 1/16). */
function h2v2Fancy(near: usize, far: usize, out: usize, dw: i32): void {
  let prev = 3 * <i32>load<u8>(near) + <i32>load<u8>(far);
  let cur = prev;
  for (let x = 0; x < dw; x++) {
    const nx = x + 1 < dw ? x + 1 : x;
    const next = 3 * <i32>load<u8>(near + <usize>nx) + <i32>load<u8>(far + <usize>nx);
    store<u8>(out + <usize>(2 * x), <u8>((3 * cur + prev + 8) >> 4));
    store<u8>(out + <usize>(2 * x + 1), <u8>((3 * cur + next + 7) >> 4));
    prev = cur;
    cur = next;
  }
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
  for (let y = y0; y < y1; y++) {
    if (color == COLOR_GRAY) {
      memory.copy(dst + <usize>y * <usize>w, upsampleRow(0, y), <usize>w);
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

/** ycc_rgb_convert for one row, `step` bytes a pixel. */
function yccRow(py: usize, pcb: usize, pcr: usize, o: usize, w: i32, step: i32): void {
  for (let x = 0; x < w; x++) {
    const yy = <i32>load<u8>(py + <usize>x);
    const cb = <usize>load<u8>(pcb + <usize>x) << 2;
    const cr = <usize>load<u8>(pcr + <usize>x) << 2;
    const q = o + <usize>(x * step);
    store<u8>(q, <u8>clamp255(yy + load<i32>(CRR + cr)));
    store<u8>(q + 1, <u8>clamp255(yy + ((load<i32>(CBG + cb) + load<i32>(CRG + cr)) >> 16)));
    store<u8>(q + 2, <u8>clamp255(yy + load<i32>(CBB + cb)));
  }
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

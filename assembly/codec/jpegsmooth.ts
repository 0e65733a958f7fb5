// libjpeg's inter-block smoothing for progressive files whose first AC coefficients are not
// known to full precision (jdcoefct.c: smoothing_ok, decompress_smooth_data): those
// coefficients are estimated from the DC values of the 5x5 neighbouring blocks. Complete
// progressive files from ordinary encoders never trigger it; files with scan scripts that stop
// early, and truncated files decoded with allowTruncated, do.

import {
  progressive, ncomp, imcuRows, cget, C_WB, C_BPR, C_V, C_COEF, C_LATCHED, QLATCH, CBITS, CBITS_PREV,
} from "./jpegstate";
import { scanCount, lastGoodRow } from "./jpegscan";
import { blockToRing } from "./jpegout";

/** coef_bits_latch (current, then previous scan), 10 entries a component. */
const LATCH: usize = memory.data(4 * 10 * 4, 16);
const LATCH_PREV: usize = memory.data(4 * 10 * 4, 16);
const WORK: usize = memory.data(128, 16);

// Natural-order positions of the quantizers smoothing needs.
const Q01 = 1, Q10 = 8, Q20 = 16, Q11 = 9, Q02 = 2, Q03 = 3, Q12 = 10, Q21 = 17, Q30 = 24;

// @ts-ignore: decorator
@inline function q(c: i32, pos: i32): i64 {
  return <i64>load<u16>(QLATCH + <usize>c * 128 + (<usize>pos << 1));
}

/** smoothing_ok: latches coef_bits and says whether smoothing would change anything. */
export function smoothingUseful(): bool {
  if (!progressive) return false;
  let useful = false;
  for (let c = 0; c < ncomp; c++) {
    if (cget(c, C_LATCHED) == 0) return false;
    if (q(c, 0) == 0 || q(c, Q01) == 0 || q(c, Q10) == 0 || q(c, Q20) == 0 || q(c, Q11) == 0 ||
      q(c, Q02) == 0 || q(c, Q03) == 0 || q(c, Q12) == 0 || q(c, Q21) == 0 || q(c, Q30) == 0) return false;
    const cb = CBITS + <usize>c * 256;
    const pb = CBITS_PREV + <usize>c * 256;
    if (load<i32>(cb) < 0) return false;
    const lat = LATCH + <usize>c * 40;
    const lp = LATCH_PREV + <usize>c * 40;
    store<i32>(lat, load<i32>(cb));
    for (let k = 1; k < 10; k++) {
      store<i32>(lp + (<usize>k << 2), scanCount > 1 ? load<i32>(pb + (<usize>k << 2)) : -1);
      const v = load<i32>(cb + (<usize>k << 2));
      store<i32>(lat + (<usize>k << 2), v);
      if (v != 0) useful = true;
    }
  }
  return useful;
}

// @ts-ignore: decorator
@inline function dcAt(row: usize, bx: i32): i32 {
  return <i32>load<i16>(row + <usize>bx * 128);
}

/** One estimated coefficient: rounds num / (Q << 8) to nearest, clamps to 2^Al - 1 when Al > 0. */
// @ts-ignore: decorator
@inline function estimate(num: i64, qv: i64, al: i32): i32 {
  let pred: i32;
  if (num >= 0) {
    pred = <i32>(((qv << 7) + num) / (qv << 8));
    if (al > 0 && pred >= 1 << al) pred = (1 << al) - 1;
  } else {
    pred = <i32>(((qv << 7) - num) / (qv << 8));
    if (al > 0 && pred >= 1 << al) pred = (1 << al) - 1;
    pred = -pred;
  }
  return pred;
}

/** decompress_smooth_data for iMCU row `n` of component `c` (`blockRows` non-dummy rows). */
export function smoothRow(c: i32, n: i32, blockRows: i32): void {
  const bits = n > lastGoodRow ? LATCH_PREV + <usize>c * 40 : LATCH + <usize>c * 40;
  let changeDC = true;
  for (let k = 1; k < 10; k++) if (load<i32>(bits + (<usize>k << 2)) != -1) changeDC = false;
  const Q00 = q(c, 0), Q01v = q(c, Q01), Q10v = q(c, Q10), Q20v = q(c, Q20), Q11v = q(c, Q11), Q02v = q(c, Q02);
  const Q03v = q(c, Q03), Q12v = q(c, Q12), Q21v = q(c, Q21), Q30v = q(c, Q30);
  const v = cget(c, C_V), bpr = cget(c, C_BPR), wb = cget(c, C_WB);
  const base = <usize>cget(c, C_COEF);
  const rowBytes = <usize>bpr * 128;
  const imageBlockRows = blockRows * imcuRows;
  const last = wb - 1;
  const b1 = load<i32>(bits + 4), b2 = load<i32>(bits + 8), b3 = load<i32>(bits + 12);
  const b4 = load<i32>(bits + 16), b5 = load<i32>(bits + 20), b6 = load<i32>(bits + 24);
  const b7 = load<i32>(bits + 28), b8 = load<i32>(bits + 32), b9 = load<i32>(bits + 36);
  for (let br = 0; br < blockRows; br++) {
    // libjpeg numbers this iMCU row's block rows with `blockRows`, even for a short last row.
    const ibr = n * blockRows + br;
    const cur = base + <usize>(n * v + br) * rowBytes;
    const prev = ibr > 0 ? cur - rowBytes : cur;
    const prev2 = ibr > 1 ? cur - 2 * rowBytes : prev;
    const next = ibr < imageBlockRows - 1 ? cur + rowBytes : cur;
    const next2 = ibr < imageBlockRows - 2 ? cur + 2 * rowBytes : next;
    let DC01 = dcAt(prev2, 0), DC02 = DC01, DC03 = DC01, DC04 = DC01, DC05 = DC01;
    let DC06 = dcAt(prev, 0), DC07 = DC06, DC08 = DC06, DC09 = DC06, DC10 = DC06;
    let DC11 = dcAt(cur, 0), DC12 = DC11, DC13 = DC11, DC14 = DC11, DC15 = DC11;
    let DC16 = dcAt(next, 0), DC17 = DC16, DC18 = DC16, DC19 = DC16, DC20 = DC16;
    let DC21 = dcAt(next2, 0), DC22 = DC21, DC23 = DC21, DC24 = DC21, DC25 = DC21;
    for (let bx = 0; bx < wb; bx++) {
      const blk = cur + <usize>bx * 128;
      memory.copy(WORK, blk, 128);
      if (bx == 0 && bx < last) {
        DC04 = DC05 = dcAt(prev2, 1);
        DC09 = DC10 = dcAt(prev, 1);
        DC14 = DC15 = dcAt(cur, 1);
        DC19 = DC20 = dcAt(next, 1);
        DC24 = DC25 = dcAt(next2, 1);
      }
      if (bx + 1 < last) {
        DC05 = dcAt(prev2, bx + 2);
        DC10 = dcAt(prev, bx + 2);
        DC15 = dcAt(cur, bx + 2);
        DC20 = dcAt(next, bx + 2);
        DC25 = dcAt(next2, bx + 2);
      }
      let num: i64;
      if (b1 != 0 && load<i16>(WORK + 2) == 0) {
        num = Q00 * <i64>(changeDC
          ? -DC01 - DC02 + DC04 + DC05 - 3 * DC06 + 13 * DC07 - 13 * DC09 + 3 * DC10 - 3 * DC11 +
            38 * DC12 - 38 * DC14 + 3 * DC15 - 3 * DC16 + 13 * DC17 - 13 * DC19 + 3 * DC20 - DC21 - DC22 + DC24 + DC25
          : -7 * DC11 + 50 * DC12 - 50 * DC14 + 7 * DC15);
        store<i16>(WORK + 2, <i16>estimate(num, Q01v, b1));
      }
      if (b2 != 0 && load<i16>(WORK + 16) == 0) {
        num = Q00 * <i64>(changeDC
          ? -DC01 - 3 * DC02 - 3 * DC03 - 3 * DC04 - DC05 - DC06 + 13 * DC07 + 38 * DC08 + 13 * DC09 -
            DC10 + DC16 - 13 * DC17 - 38 * DC18 - 13 * DC19 + DC20 + DC21 + 3 * DC22 + 3 * DC23 + 3 * DC24 + DC25
          : -7 * DC03 + 50 * DC08 - 50 * DC18 + 7 * DC23);
        store<i16>(WORK + 16, <i16>estimate(num, Q10v, b2));
      }
      if (b3 != 0 && load<i16>(WORK + 32) == 0) {
        num = Q00 * <i64>(changeDC
          ? DC03 + 2 * DC07 + 7 * DC08 + 2 * DC09 - 5 * DC12 - 14 * DC13 - 5 * DC14 + 2 * DC17 + 7 * DC18 +
            2 * DC19 + DC23
          : -DC03 + 13 * DC08 - 24 * DC13 + 13 * DC18 - DC23);
        store<i16>(WORK + 32, <i16>estimate(num, Q20v, b3));
      }
      if (b4 != 0 && load<i16>(WORK + 18) == 0) {
        num = Q00 * <i64>(changeDC
          ? -DC01 + DC05 + 9 * DC07 - 9 * DC09 - 9 * DC17 + 9 * DC19 + DC21 - DC25
          : DC10 + DC16 - 10 * DC17 + 10 * DC19 - DC02 - DC20 + DC22 - DC24 + DC04 - DC06 + 10 * DC07 - 10 * DC09);
        store<i16>(WORK + 18, <i16>estimate(num, Q11v, b4));
      }
      if (b5 != 0 && load<i16>(WORK + 4) == 0) {
        num = Q00 * <i64>(changeDC
          ? 2 * DC07 - 5 * DC08 + 2 * DC09 + DC11 + 7 * DC12 - 14 * DC13 + 7 * DC14 + DC15 + 2 * DC17 -
            5 * DC18 + 2 * DC19
          : -DC11 + 13 * DC12 - 24 * DC13 + 13 * DC14 - DC15);
        store<i16>(WORK + 4, <i16>estimate(num, Q02v, b5));
      }
      if (changeDC) {
        if (b6 != 0 && load<i16>(WORK + 6) == 0) {
          num = Q00 * <i64>(DC07 - DC09 + 2 * DC12 - 2 * DC14 + DC17 - DC19);
          store<i16>(WORK + 6, <i16>estimate(num, Q03v, b6));
        }
        if (b7 != 0 && load<i16>(WORK + 20) == 0) {
          num = Q00 * <i64>(DC07 - 3 * DC08 + DC09 - DC17 + 3 * DC18 - DC19);
          store<i16>(WORK + 20, <i16>estimate(num, Q12v, b7));
        }
        if (b8 != 0 && load<i16>(WORK + 34) == 0) {
          num = Q00 * <i64>(DC07 - DC09 - 3 * DC12 + 3 * DC14 + DC17 - DC19);
          store<i16>(WORK + 34, <i16>estimate(num, Q21v, b8));
        }
        if (b9 != 0 && load<i16>(WORK + 48) == 0) {
          num = Q00 * <i64>(DC07 + 2 * DC08 + DC09 - DC17 - 2 * DC18 - DC19);
          store<i16>(WORK + 48, <i16>estimate(num, Q30v, b9));
        }
        num = Q00 * <i64>(-2 * DC01 - 6 * DC02 - 8 * DC03 - 6 * DC04 - 2 * DC05 - 6 * DC06 + 6 * DC07 +
          42 * DC08 + 6 * DC09 - 6 * DC10 - 8 * DC11 + 42 * DC12 + 152 * DC13 + 42 * DC14 - 8 * DC15 -
          6 * DC16 + 6 * DC17 + 42 * DC18 + 6 * DC19 - 6 * DC20 - 2 * DC21 - 6 * DC22 - 8 * DC23 -
          6 * DC24 - 2 * DC25);
        store<i16>(WORK, <i16>estimate(num, Q00, 0));
      }
      blockToRing(c, n * v + br, bx, WORK);
      DC01 = DC02; DC02 = DC03; DC03 = DC04; DC04 = DC05;
      DC06 = DC07; DC07 = DC08; DC08 = DC09; DC09 = DC10;
      DC11 = DC12; DC12 = DC13; DC13 = DC14; DC14 = DC15;
      DC16 = DC17; DC17 = DC18; DC18 = DC19; DC19 = DC20;
      DC21 = DC22; DC22 = DC23; DC23 = DC24; DC24 = DC25;
    }
  }
}

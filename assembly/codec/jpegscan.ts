// Entropy-coded data: the byte-unstuffing window, the bit reader, restart markers, and the
// Huffman block decoders for sequential and progressive scans (jdhuff.c, jdphuff.c).
//
// The scan's bytes are unstuffed (FF 00 -> FF) into a window in scratch memory, up to the next
// marker; past the data the window holds zeros, which is what libjpeg feeds its decoder once it
// has hit a marker. The decoder checks at each MCU boundary whether it consumed more bits than
// the data held (libjpeg's insufficient_data): a truncated scan. By default that is an error;
// with allowTruncated the scan goes on as libjpeg does (Pillow's LOAD_TRUNCATED_IMAGES).

import * as St from "./status";
import {
  ZZ2, src, srcLen, allowTruncated, noteTruncation, fail, cget, cset, C_H, C_V, C_WB, C_HB, C_BPR,
  C_COEF, C_DCT, C_ACT, C_LATCHED, C_TQ, C_SCANNED, C_STRIDE, QT, QDEF, QLATCH, HDEF, LUT, FAST, FAST_EOB, CBITS,
  CBITS_PREV, ncomp, progressive, restartInterval, mcusPerRow, imcuRows, LOOK_SHIFT, LUT_BYTES, FAST_BYTES,
} from "./jpegstate";
import { deriveTable, decodeLong, extend } from "./jpeghuff";
import { ringRow } from "./jpegout";
import { idctBlock } from "./jpegidct";

// ---- the scan being decoded ----------------------------------------------------------------
export let scanN: i32 = 0;
export const SCAN_COMP: usize = memory.data(16, 16); // component index of each scan slot (i32)
export let Ss: i32 = 0;
export let Se: i32 = 63;
export let Ah: i32 = 0;
export let Al: i32 = 0;
/** Offset of the scan's SOS marker, for messages. */
export let scanAt: i32 = 0;
export let scanCount: i32 = 0;
/** libjpeg's last_good_iMCU_row (block smoothing of truncated progressive files). */
export let lastGoodRow: i32 = 0;
export let eoiReached: bool = false;

export function resetScans(): void {
  scanCount = 0;
  lastGoodRow = 0;
  eoiReached = false;
  // coef_bits start at -1 (no scan yet).
  memory.fill(CBITS, 0xff, 4 * 64 * 4);
  memory.fill(CBITS_PREV, 0, 4 * 64 * 4);
}

export function setScan(n: i32, ss: i32, se: i32, ah: i32, al: i32, at: i32): void {
  scanN = n; Ss = ss; Se = se; Ah = ah; Al = al; scanAt = at;
}

// ---- MCU layout of the scan -----------------------------------------------------------------
/** Per block of an interleaved MCU: scan slot, row and column offset inside the MCU. */
const MCU_SLOT: usize = memory.data(10 * 4, 16);
const MCU_DY: usize = memory.data(10 * 4, 16);
const MCU_DX: usize = memory.data(10 * 4, 16);
export let blocksInMCU: i32 = 0;

// ---- the window and the bit reader ------------------------------------------------------------
const WIN_DATA: i32 = 65536;
const WIN_LOW: i32 = 4096; // an MCU never consumes more (10 blocks x 64 coefficients x 31 bits)
const WIN_PAD: i32 = 4096 + 64;
/** Bytes of scratch the window needs. */
export const WIN_BYTES: i32 = WIN_DATA + WIN_LOW + WIN_PAD + 64;

let win: usize = 0;
let winLen: i32 = 0; // unstuffed data bytes in the window
let rp: i32 = 0; // next window byte not yet in the bit buffer
let bb: u64 = 0; // bit buffer, MSB first; the top `bc` bits are valid
let bc: i32 = 0;
/** 0: more data follows, 1: the segment ended at a marker, 2: at the end of the file. */
let segEnd: i32 = 0;
export let segMarker: i32 = 0;
export let segMarkerPos: i32 = 0;
/** File offset of the next byte the unstuffer (or the marker reader) takes. */
export let pos: i32 = 0;
let segStart: i32 = 0;
let insufficient: bool = false;
let restartsToGo: i32 = 0;
let nextRestart: i32 = 0;
let eobrun: i32 = 0;
const PRED: usize = memory.data(16, 16); // last DC value of each scan slot (i32)

export function setWindow(w: usize): void {
  win = w;
}
export function setPos(p: i32): void {
  pos = p;
}

/** Unstuffs entropy-coded bytes from `pos` into the window until it holds `target` bytes or the
 * segment ends at a marker (libjpeg's fill rules: FF FF ... FF 00 is one FF byte). */
function unstuff(target: i32): void {
  let p = pos;
  let n = winLen;
  const s = src;
  const end = srcLen;
  const ff = i8x16.splat(-1);
  while (n < target) {
    if (p + 16 <= end) {
      const v = v128.load(s + <usize>p);
      if (!v128.any_true(i8x16.eq(v, ff))) {
        v128.store(win + <usize>n, v);
        n += 16;
        p += 16;
        continue;
      }
    }
    if (p >= end) {
      segEnd = 2;
      break;
    }
    const b = load<u8>(s + <usize>p);
    if (b != 0xff) {
      store<u8>(win + <usize>n, b);
      n++;
      p++;
      continue;
    }
    let j = p + 1;
    while (j < end && load<u8>(s + <usize>j) == 0xff) j++;
    if (j >= end) {
      segEnd = 2;
      break;
    }
    const c = <i32>load<u8>(s + <usize>j);
    if (c == 0) {
      store<u8>(win + <usize>n, 0xff);
      n++;
      p = j + 1;
      continue;
    }
    segEnd = 1;
    segMarker = c;
    segMarkerPos = p;
    p = j + 1;
    break;
  }
  winLen = n;
  pos = p;
  if (segEnd == 2) {
    segMarkerPos = end;
    if (allowTruncated) {
      // Pillow's LOAD_TRUNCATED_IMAGES feeds libjpeg an EOI where the file ends.
      segEnd = 1;
      segMarker = 0xd9;
      noteTruncation();
    }
  }
  if (segEnd != 0) memory.fill(win + <usize>n, 0, <usize>WIN_PAD);
}

/** The eight window bytes at `p` as a big-endian u64 (wasm has no byte swap; one shuffle). */
// @ts-ignore: decorator
@inline function peek64(p: usize): u64 {
  const v = v128.load64_zero(p);
  return i64x2.extract_lane(i8x16.shuffle(v, v, 7, 6, 5, 4, 3, 2, 1, 0, 8, 9, 10, 11, 12, 13, 14, 15), 0);
}

/** Starts a new entropy-coded segment at `pos`. */
function segBegin(): void {
  winLen = 0;
  rp = 0;
  bb = 0;
  bc = 0;
  segEnd = 0;
  segStart = pos;
  unstuff(WIN_DATA);
}

/** Keeps WIN_LOW bytes (or the zero padding) ahead of the reader. */
// @ts-ignore: decorator
@inline function ensureWindow(): void {
  if (segEnd == 0 && winLen - rp < WIN_LOW) {
    const rem = winLen - rp;
    memory.copy(win, win + <usize>rp, <usize>rem);
    winLen = rem;
    rp = 0;
    unstuff(WIN_DATA);
  }
}

/** Skips to the next marker (libjpeg's next_marker: any other bytes are discarded). */
export function toMarker(): void {
  if (segEnd != 0) return;
  const s = src;
  const end = srcLen;
  let p = pos;
  while (true) {
    while (p < end && load<u8>(s + <usize>p) != 0xff) p++;
    let j = p + 1;
    while (j < end && load<u8>(s + <usize>j) == 0xff) j++;
    if (j >= end) {
      segEnd = 2;
      segMarkerPos = end;
      pos = end;
      if (allowTruncated) {
        segEnd = 1;
        segMarker = 0xd9;
        noteTruncation();
      }
      return;
    }
    const c = <i32>load<u8>(s + <usize>j);
    if (c != 0) {
      segEnd = 1;
      segMarker = c;
      segMarkerPos = p;
      pos = j + 1;
      return;
    }
    p = j + 1;
  }
}

/** After a scan: the marker that follows it (0 when the file ended first). */
export function markerAfterScan(): i32 {
  toMarker();
  return segEnd == 1 ? segMarker : 0;
}

/** Did the decoder consume bits the segment does not have? */
// @ts-ignore: decorator
@inline function overran(): bool {
  return segEnd != 0 && (rp << 3) - bc > (winLen << 3);
}

/** Called after each MCU: a scan that ran out of data is an error unless allowTruncated. */
function checkData(): i32 {
  // Without allowTruncated the file's end inside a scan is an error even when the data it has
  // suffices: libjpeg reads ahead and suspends there, and Pillow reports a truncated file.
  if (segEnd == 2) return fail(St.E_TRUNCATED_DATA, srcLen);
  if (!overran()) return St.OK;
  if (!allowTruncated) return fail(St.E_JPEG_SCAN_END, segMarkerPos, segMarker);
  insufficient = true;
  noteTruncation();
  return St.OK;
}

/** process_restart + read_restart_marker: at the start of an MCU whose interval is used up. */
function restart(): i32 {
  toMarker();
  if (segEnd == 2) return fail(St.E_TRUNCATED_DATA, srcLen);
  for (let i = 0; i < 4; i++) store<i32>(PRED + (<usize>i << 2), 0);
  eobrun = 0;
  restartsToGo = restartInterval;
  if (segMarker == 0xd0 + nextRestart) {
    nextRestart = (nextRestart + 1) & 7;
    insufficient = false;
    segBegin();
    return St.OK;
  }
  // libjpeg resyncs; its only outcome we follow is "leave a non-RST marker (the EOI that
  // ends a truncated file) unread", after which the rest of the scan decodes as zeros.
  if (allowTruncated && (segMarker < 0xd0 || segMarker > 0xd7)) {
    nextRestart = (nextRestart + 1) & 7;
    // The data before the marker is gone; what follows reads as zeros (and runs out at once).
    rp = winLen;
    bb = 0;
    bc = 0;
    return St.OK;
  }
  return fail(St.E_JPEG_MARKER, segMarker, segMarkerPos);
}

// @ts-ignore: decorator
@inline function mcuStart(): i32 {
  if (restartInterval != 0) {
    if (restartsToGo == 0) {
      const st = restart();
      if (st != St.OK) return st;
    }
    restartsToGo--;
  }
  ensureWindow();
  return St.OK;
}

// ---- scan setup -------------------------------------------------------------------------------

/** start_input_pass: validates the scan against the frame, latches quantization tables, updates
 * the progression status and derives the Huffman tables the scan uses. */
export function startScan(): i32 {
  scanCount++;
  // per_scan_setup
  blocksInMCU = 0;
  if (scanN > 1) {
    for (let i = 0; i < scanN; i++) {
      const c = load<i32>(SCAN_COMP + (<usize>i << 2));
      const h = cget(c, C_H), v = cget(c, C_V);
      if (blocksInMCU + h * v > 10) return fail(St.E_JPEG_SAMPLING, scanAt);
      for (let dy = 0; dy < v; dy++) {
        for (let dx = 0; dx < h; dx++) {
          store<i32>(MCU_SLOT + (<usize>blocksInMCU << 2), i);
          store<i32>(MCU_DY + (<usize>blocksInMCU << 2), dy);
          store<i32>(MCU_DX + (<usize>blocksInMCU << 2), dx);
          blocksInMCU++;
        }
      }
    }
  } else {
    blocksInMCU = 1;
  }
  // latch_quant_tables
  for (let i = 0; i < scanN; i++) {
    const c = load<i32>(SCAN_COMP + (<usize>i << 2));
    cset(c, C_SCANNED, 1);
    if (cget(c, C_LATCHED) != 0) continue;
    const t = cget(c, C_TQ);
    if (t > 3 || load<u8>(QDEF + t) == 0) return fail(St.E_JPEG_NO_TABLE, scanAt);
    memory.copy(QLATCH + <usize>c * 128, QT + <usize>t * 128, 128);
    cset(c, C_LATCHED, 1);
  }
  if (progressive) {
    // start_pass_phuff_decoder
    const dc = Ss == 0;
    let bad = false;
    if (dc) {
      if (Se != 0) bad = true;
    } else {
      if (Ss > Se || Se > 63) bad = true;
      if (scanN != 1) bad = true;
    }
    if (Ah != 0 && Al != Ah - 1) bad = true;
    if (Al > 13) bad = true;
    if (bad) return fail(St.E_JPEG_SCAN, scanAt);
    for (let i = 0; i < scanN; i++) {
      const c = load<i32>(SCAN_COMP + (<usize>i << 2));
      const cb = CBITS + <usize>c * 256;
      const pb = CBITS_PREV + <usize>c * 256;
      const lo = Ss < 1 ? Ss : 1;
      const hi = Se > 9 ? Se : 9;
      for (let k = lo; k <= hi; k++) {
        store<i32>(pb + (<usize>k << 2), scanCount > 1 ? load<i32>(cb + (<usize>k << 2)) : 0);
      }
      for (let k = Ss; k <= Se; k++) store<i32>(cb + (<usize>k << 2), Al);
    }
    for (let i = 0; i < scanN; i++) {
      const c = load<i32>(SCAN_COMP + (<usize>i << 2));
      if (dc) {
        if (Ah == 0) {
          const t = cget(c, C_DCT);
          if (t > 3 || load<u8>(HDEF + t) == 0) return fail(St.E_JPEG_NO_TABLE, scanAt);
          if (!deriveTable(t, true)) return fail(St.E_JPEG_HUFFMAN_TABLE, scanAt);
        }
      } else {
        const t = cget(c, C_ACT);
        if (t > 3 || load<u8>(HDEF + 4 + t) == 0) return fail(St.E_JPEG_NO_TABLE, scanAt);
        if (!deriveTable(4 + t, false)) return fail(St.E_JPEG_HUFFMAN_TABLE, scanAt);
      }
    }
  } else {
    for (let i = 0; i < scanN; i++) {
      const c = load<i32>(SCAN_COMP + (<usize>i << 2));
      const td = cget(c, C_DCT), ta = cget(c, C_ACT);
      if (td > 3 || load<u8>(HDEF + td) == 0) return fail(St.E_JPEG_NO_TABLE, scanAt);
      if (!deriveTable(td, true)) return fail(St.E_JPEG_HUFFMAN_TABLE, scanAt);
      if (ta > 3 || load<u8>(HDEF + 4 + ta) == 0) return fail(St.E_JPEG_NO_TABLE, scanAt);
      if (!deriveTable(4 + ta, false)) return fail(St.E_JPEG_HUFFMAN_TABLE, scanAt);
    }
  }
  // Per block of the MCU: its tables and DC predictor, so the block loop looks nothing up.
  for (let i = 0; i < blocksInMCU; i++) {
    const slot = scanN > 1 ? load<i32>(MCU_SLOT + (<usize>i << 2)) : 0;
    const c = load<i32>(SCAN_COMP + (<usize>slot << 2));
    const td = cget(c, C_DCT), ta = 4 + cget(c, C_ACT);
    const b = BLOCKS + <usize>i * BLOCK_FIELDS;
    store<u32>(b, <u32>(LUT + <usize>td * LUT_BYTES));
    store<u32>(b, <u32>td, 4);
    store<u32>(b, <u32>(LUT + <usize>ta * LUT_BYTES), 8);
    store<u32>(b, <u32>(FAST + <usize>ta * FAST_BYTES), 12);
    store<u32>(b, <u32>ta, 16);
    store<u32>(b, <u32>(PRED + (<usize>slot << 2)), 20);
    store<u32>(b, <u32>(FAST + <usize>td * FAST_BYTES), 24);
  }
  for (let i = 0; i < 4; i++) store<i32>(PRED + (<usize>i << 2), 0);
  eobrun = 0;
  insufficient = false;
  restartsToGo = restartInterval;
  nextRestart = 0;
  segBegin();
  return St.OK;
}

/** Per MCU block: DC lookup table, DC slot, AC lookup table, AC fast table, AC slot,
 * DC predictor address, DC fast table (u32 each). */
const BLOCK_FIELDS: usize = 32;
const BLOCKS: usize = memory.data(10 * 32, 16);

// ---- block decoders ---------------------------------------------------------------------------
// Each keeps the bit reader in locals and writes it back. `bc >= 32` after a refill covers one
// code (<= 16 bits) plus its extra bits (<= 15).

/**
 * Sequential (baseline / extended) MCU: for each block, the DC difference and the AC
 * coefficients into the zeroed block at BLK[i]. The bit reader stays in locals for the MCU.
 */
function decodeSequentialMCU(nb: i32): i32 {
  let b = bb;
  let n = bc;
  let r = rp;
  const w = win;
  for (let i = 0; i < nb; i++) {
    const blk = <usize>load<u32>(BLK + (<usize>i << 2));
    const t = BLOCKS + <usize>i * BLOCK_FIELDS;
    if (n < 32) {
      b |= peek64(w + <usize>r) >> <u64>n;
      r += (63 - n) >> 3;
      n |= 56;
    }
    // DC
    let len = 0;
    let diff = 0;
    const fd = load<i32>(<usize>load<u32>(t, 24) + (<usize>(b >> LOOK_SHIFT) << 2));
    if (fd != 0) {
      b <<= <u64><u32>fd;
      n -= fd & 31;
      diff = fd >> 16;
    } else {
      let e = <i32>load<u16>(<usize>load<u32>(t) + (<usize>(b >> LOOK_SHIFT) << 1));
      if (e == 0) {
        e = decodeLong(<i32>load<u32>(t, 4), b);
        if (e < 0) return fail(St.E_JPEG_HUFFMAN, scanAt);
      }
      len = e >> 8;
      b <<= <u64>len;
      n -= len;
      const s = e & 0xff;
      if (s != 0) {
        diff = extend(<i32>(b >> <u64>(64 - s)), s);
        b <<= <u64>s;
        n -= s;
      }
    }
    const pa = <usize>load<u32>(t, 20);
    const dc = load<i32>(pa) + diff;
    store<i32>(pa, dc);
    store<i16>(blk, <i16>dc);
    // AC
    const lut = <usize>load<u32>(t, 8);
    const fast = <usize>load<u32>(t, 12);
    let k = 1;
    while (k < 64) {
      if (n < 32) {
        b |= peek64(w + <usize>r) >> <u64>n;
        r += (63 - n) >> 3;
        n |= 56;
      }
      const look = <usize>(b >> LOOK_SHIFT);
      const f = load<i32>(fast + (look << 2));
      if (f != 0) {
        // The length is the entry's low six bits, and i64.shl takes its count modulo 64: the
        // shift needs no masking, one step less on the decoder's critical path.
        b <<= <u64><u32>f;
        n -= f & 31;
        if ((f & FAST_EOB) != 0) break;
        k += (f >> 8) & 15;
        store<i16>(blk + <usize>load<u8>(ZZ2 + <usize>k), <i16>(f >> 16));
        k++;
        // A fast code is at most LOOK_BITS (11) bits, so 21 or more remain: a second one needs no refill.
        if (k >= 64) break;
        const f2 = load<i32>(fast + (<usize>(b >> LOOK_SHIFT) << 2));
        if (f2 != 0) {
          b <<= <u64><u32>f2;
          n -= f2 & 31;
          if ((f2 & FAST_EOB) != 0) break;
          k += (f2 >> 8) & 15;
          store<i16>(blk + <usize>load<u8>(ZZ2 + <usize>k), <i16>(f2 >> 16));
          k++;
        }
        continue;
      }
      let e = <i32>load<u16>(lut + (look << 1));
      if (e == 0) {
        e = decodeLong(<i32>load<u32>(t, 16), b);
        if (e < 0) return fail(St.E_JPEG_HUFFMAN, scanAt);
      }
      len = e >> 8;
      b <<= <u64>len;
      n -= len;
      const s = e & 15;
      const run = (e >> 4) & 15;
      if (s != 0) {
        k += run;
        const v = extend(<i32>(b >> <u64>(64 - s)), s);
        b <<= <u64>s;
        n -= s;
        store<i16>(blk + <usize>load<u8>(ZZ2 + <usize>k), <i16>v);
        k++;
      } else {
        if (run != 15) break;
        k += 16;
      }
    }
  }
  bb = b;
  bc = n;
  rp = r;
  return St.OK;
}

/** Progressive DC first scan. */
function decodeDCFirst(blk: usize, slot: i32, dcTbl: i32): i32 {
  let b = bb;
  let n = bc;
  let r = rp;
  if (n < 32) {
    b |= peek64(win + <usize>r) >> <u64>n;
    r += (63 - n) >> 3;
    n |= 56;
  }
  let e = <i32>load<u16>(LUT + <usize>dcTbl * LUT_BYTES + (<usize>(b >> LOOK_SHIFT) << 1));
  if (e == 0) {
    e = decodeLong(dcTbl, b);
    if (e < 0) return fail(St.E_JPEG_HUFFMAN, scanAt);
  }
  const len = e >> 8;
  b <<= <u64>len;
  n -= len;
  const s = e & 0xff;
  let diff = 0;
  if (s != 0) {
    diff = extend(<i32>(b >> <u64>(64 - s)), s);
    b <<= <u64>s;
    n -= s;
  }
  const pa = PRED + (<usize>slot << 2);
  const last = load<i32>(pa);
  // libjpeg-turbo refuses a DC value that overflows an int (JERR_BAD_DCT_COEF).
  const sum = <i64>last + <i64>diff;
  if (sum > <i64>i32.MAX_VALUE || sum < <i64>i32.MIN_VALUE) return fail(St.E_CORRUPT, scanAt);
  store<i32>(pa, <i32>sum);
  store<i16>(blk, <i16>(<i32>sum << Al));
  bb = b;
  bc = n;
  rp = r;
  return St.OK;
}

/** Progressive DC refinement: one bit a block. */
// @ts-ignore: decorator
@inline function decodeDCRefine(blk: usize): void {
  if (bc < 1) {
    bb |= peek64(win + <usize>rp) >> <u64>bc;
    rp += (63 - bc) >> 3;
    bc |= 56;
  }
  if ((bb >> 63) != 0) store<i16>(blk, <i16>(<i32>load<i16>(blk) | (1 << Al)));
  bb <<= 1;
  bc -= 1;
}

/** Progressive AC first scan (one block a MCU). */
function decodeACFirst(blk: usize, acTbl: i32): i32 {
  if (eobrun > 0) {
    eobrun--;
    return St.OK;
  }
  let b = bb;
  let n = bc;
  let r = rp;
  const w = win;
  const lut = LUT + <usize>acTbl * LUT_BYTES;
  const se = Se;
  const al = Al;
  for (let k = Ss; k <= se; k++) {
    if (n < 32) {
      b |= peek64(w + <usize>r) >> <u64>n;
      r += (63 - n) >> 3;
      n |= 56;
    }
    let e = <i32>load<u16>(lut + (<usize>(b >> LOOK_SHIFT) << 1));
    if (e == 0) {
      e = decodeLong(acTbl, b);
      if (e < 0) return fail(St.E_JPEG_HUFFMAN, scanAt);
    }
    const len = e >> 8;
    b <<= <u64>len;
    n -= len;
    const s = e & 15;
    let run = (e >> 4) & 15;
    if (s != 0) {
      k += run;
      const v = extend(<i32>(b >> <u64>(64 - s)), s);
      b <<= <u64>s;
      n -= s;
      store<i16>(blk + <usize>load<u8>(ZZ2 + <usize>k), <i16>(v << al));
    } else if (run == 15) {
      k += 15;
    } else {
      let eob = 1 << run;
      if (run != 0) {
        if (n < 32) {
          b |= peek64(w + <usize>r) >> <u64>n;
          r += (63 - n) >> 3;
          n |= 56;
        }
        eob += <i32>(b >> <u64>(64 - run));
        b <<= <u64>run;
        n -= run;
      }
      eobrun = eob - 1;
      break;
    }
  }
  bb = b;
  bc = n;
  rp = r;
  return St.OK;
}

const NEWNZ: usize = memory.data(64 * 4, 16);

/** Progressive AC refinement scan (one block a MCU), as decode_mcu_AC_refine. */
function decodeACRefine(blk: usize, acTbl: i32): i32 {
  let b = bb;
  let n = bc;
  let r = rp;
  const w = win;
  const lut = LUT + <usize>acTbl * LUT_BYTES;
  const se = Se;
  const p1 = 1 << Al;
  const m1 = -1 << Al;
  let k = Ss;
  let eob = eobrun;
  if (eob > 0) {
    // Inside an end-of-band run a block only takes correction bits for its non-zero AC
    // coefficients; a block without any needs none.
    const row0 = i16x8.replace_lane(v128.load(blk), 0, 0);
    const any = v128.or(
      v128.or(v128.or(row0, v128.load(blk, 16)), v128.or(v128.load(blk, 32), v128.load(blk, 48))),
      v128.or(v128.or(v128.load(blk, 64), v128.load(blk, 80)), v128.or(v128.load(blk, 96), v128.load(blk, 112))),
    );
    if (!v128.any_true(any)) {
      eobrun = eob - 1;
      return St.OK;
    }
  }
  if (eob == 0) {
    for (; k <= se; k++) {
      if (n < 32) {
        b |= peek64(w + <usize>r) >> <u64>n;
        r += (63 - n) >> 3;
        n |= 56;
      }
      let e = <i32>load<u16>(lut + (<usize>(b >> LOOK_SHIFT) << 1));
      if (e == 0) {
        e = decodeLong(acTbl, b);
        if (e < 0) return fail(St.E_JPEG_HUFFMAN, scanAt);
      }
      const len = e >> 8;
      b <<= <u64>len;
      n -= len;
      let s = e & 15;
      let run = (e >> 4) & 15;
      if (s != 0) {
        // The size of a newly non-zero coefficient is 1; libjpeg only warns otherwise.
        s = (b >> 63) != 0 ? p1 : m1;
        b <<= 1;
        n -= 1;
      } else if (run != 15) {
        eob = 1 << run;
        if (run != 0) {
          eob += <i32>(b >> <u64>(64 - run));
          b <<= <u64>run;
          n -= run;
        }
        break;
      }
      // Advance over already-non-zero coefficients (appending correction bits) and `run` zeros.
      do {
        const a = blk + <usize>load<u8>(ZZ2 + <usize>k);
        const c = <i32>load<i16>(a);
        if (c != 0) {
          if (n < 1) {
            b |= peek64(w + <usize>r) >> <u64>n;
            r += (63 - n) >> 3;
            n |= 56;
          }
          if ((b >> 63) != 0 && (c & p1) == 0) store<i16>(a, <i16>(c >= 0 ? c + p1 : c + m1));
          b <<= 1;
          n -= 1;
        } else {
          if (--run < 0) break;
        }
        k++;
      } while (k <= se);
      if (s != 0) store<i16>(blk + <usize>load<u8>(ZZ2 + <usize>k), <i16>s);
    }
  }
  if (eob > 0) {
    for (; k <= se; k++) {
      const a = blk + <usize>load<u8>(ZZ2 + <usize>k);
      const c = <i32>load<i16>(a);
      if (c != 0) {
        if (n < 1) {
          b |= peek64(w + <usize>r) >> <u64>n;
          r += (63 - n) >> 3;
          n |= 56;
        }
        if ((b >> 63) != 0 && (c & p1) == 0) store<i16>(a, <i16>(c >= 0 ? c + p1 : c + m1));
        b <<= 1;
        n -= 1;
      }
    }
    eob--;
  }
  eobrun = eob;
  bb = b;
  bc = n;
  rp = r;
  return St.OK;
}

// ---- scans ------------------------------------------------------------------------------------

/** Decodes one MCU's blocks (addresses in BLK) with the scan's method. */
const BLK: usize = memory.data(10 * 4, 16);

function decodeMCU(): i32 {
  if (insufficient) return St.OK; // libjpeg leaves the blocks as they are
  const nb = blocksInMCU;
  if (!progressive) {
    const st = decodeSequentialMCU(nb);
    if (st != St.OK) return st;
  } else if (Ss == 0) {
    if (Ah == 0) {
      for (let i = 0; i < nb; i++) {
        const slot = scanN > 1 ? load<i32>(MCU_SLOT + (<usize>i << 2)) : 0;
        const c = load<i32>(SCAN_COMP + (<usize>slot << 2));
        const st = decodeDCFirst(load<u32>(BLK + (<usize>i << 2)), slot, cget(c, C_DCT));
        if (st != St.OK) return st;
      }
    } else {
      for (let i = 0; i < nb; i++) decodeDCRefine(load<u32>(BLK + (<usize>i << 2)));
    }
  } else {
    const c = load<i32>(SCAN_COMP);
    const st = Ah == 0
      ? decodeACFirst(load<u32>(BLK), 4 + cget(c, C_ACT))
      : decodeACRefine(load<u32>(BLK), 4 + cget(c, C_ACT));
    if (st != St.OK) return st;
  }
  return checkData();
}

/** Decodes a whole scan into the coefficient buffer (multi-scan files). */
export function decodeScanToCoefficients(): i32 {
  if (scanN == 1) {
    const c = load<i32>(SCAN_COMP);
    const wb = cget(c, C_WB), hb = cget(c, C_HB), bpr = cget(c, C_BPR), v = cget(c, C_V);
    const base = <usize>cget(c, C_COEF);
    for (let by = 0; by < hb; by++) {
      const row = base + <usize>(by * bpr) * 128;
      for (let bx = 0; bx < wb; bx++) {
        if (!insufficient) lastGoodRow = by / v;
        let st = mcuStart();
        if (st != St.OK) return st;
        store<u32>(BLK, <u32>(row + <usize>bx * 128));
        st = decodeMCU();
        if (st != St.OK) return st;
      }
    }
  } else {
    for (let my = 0; my < imcuRows; my++) {
      for (let mx = 0; mx < mcusPerRow; mx++) {
        if (!insufficient) lastGoodRow = my;
        let st = mcuStart();
        if (st != St.OK) return st;
        for (let i = 0; i < blocksInMCU; i++) {
          const c = load<i32>(SCAN_COMP + (<usize>load<i32>(MCU_SLOT + (<usize>i << 2)) << 2));
          const by = my * cget(c, C_V) + load<i32>(MCU_DY + (<usize>i << 2));
          const bx = mx * cget(c, C_H) + load<i32>(MCU_DX + (<usize>i << 2));
          store<u32>(BLK + (<usize>i << 2), <u32>(<usize>cget(c, C_COEF) + <usize>(by * cget(c, C_BPR) + bx) * 128));
        }
        st = decodeMCU();
        if (st != St.OK) return st;
      }
    }
  }
  return St.OK;
}

/** Where a streaming (single-scan) decode puts each decoded block before its IDCT. */
export const MCU_BUF: usize = memory.data(10 * 128, 16);

/**
 * Decodes iMCU row `my` of a single-scan file one MCU at a time (into MCU_BUF) and puts each
 * block's samples in its component's ring.
 */
export function decodeStreamingRow(my: i32): i32 {
  const zero = i64x2.splat(0);
  if (scanN == 1) {
    // A single-component image: an iMCU row is v block rows of one-block MCUs.
    const c = load<i32>(SCAN_COMP);
    const v = cget(c, C_V), wb = cget(c, C_WB), hb = cget(c, C_HB);
    const stride = <usize>cget(c, C_STRIDE);
    const quant = QLATCH + <usize>c * 128;
    store<u32>(BLK, <u32>MCU_BUF);
    for (let dy = 0; dy < v; dy++) {
      const by = my * v + dy;
      if (by >= hb) break;
      const row = ringRow(c, by << 3);
      for (let bx = 0; bx < wb; bx++) {
        let st = mcuStart();
        if (st != St.OK) return st;
        for (let j: usize = 0; j < 128; j += 16) v128.store(MCU_BUF + j, zero);
        st = decodeMCU();
        if (st != St.OK) return st;
        idctBlock(MCU_BUF, quant, row + (<usize>bx << 3), stride);
      }
    }
    return St.OK;
  }
  // Where each block of the MCU goes in this iMCU row: ring address at MCU 0, step per MCU,
  // and how many MCUs show it (dummy blocks past the component's edge are never shown).
  const nb = blocksInMCU;
  for (let i = 0; i < nb; i++) {
    const c = load<i32>(SCAN_COMP + (<usize>load<i32>(MCU_SLOT + (<usize>i << 2)) << 2));
    const h = cget(c, C_H);
    const dx = load<i32>(MCU_DX + (<usize>i << 2));
    const by = my * cget(c, C_V) + load<i32>(MCU_DY + (<usize>i << 2));
    const o = OUTS + <usize>i * 16;
    store<u32>(o, <u32>(ringRow(c, by << 3) + (<usize>dx << 3)));
    store<u32>(o, <u32>(h << 3), 4);
    const wb = cget(c, C_WB);
    store<i32>(o, by < cget(c, C_HB) && wb > dx ? (wb - dx + h - 1) / h : 0, 8);
    store<u32>(o, <u32>cget(c, C_STRIDE), 12);
    store<u32>(QUANTS + (<usize>i << 2), <u32>(QLATCH + <usize>c * 128));
    store<u32>(BLK + (<usize>i << 2), <u32>(MCU_BUF + <usize>i * 128));
  }
  const bytes = <usize>nb * 128;
  for (let mx = 0; mx < mcusPerRow; mx++) {
    let st = mcuStart();
    if (st != St.OK) return st;
    for (let j: usize = 0; j < bytes; j += 16) v128.store(MCU_BUF + j, zero);
    st = decodeMCU();
    if (st != St.OK) return st;
    for (let i = 0; i < nb; i++) {
      const o = OUTS + <usize>i * 16;
      if (mx >= load<i32>(o, 8)) continue;
      idctBlock(MCU_BUF + <usize>i * 128, <usize>load<u32>(QUANTS + (<usize>i << 2)),
        <usize>load<u32>(o) + <usize>mx * <usize>load<u32>(o, 4), <usize>load<u32>(o, 12));
    }
  }
  return St.OK;
}

const OUTS: usize = memory.data(10 * 16, 16);
const QUANTS: usize = memory.data(10 * 4, 16);

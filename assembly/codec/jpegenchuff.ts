// Huffman coding for the JPEG encoder, as libjpeg-turbo's jchuff.c writes a baseline scan: the
// standard tables jpeg_set_defaults installs (jstdhuff.c), codes derived the canonical way
// (jpeg_make_c_derived_tbl), DC differences per component, AC run lengths with ZRL and EOB,
// 0xFF bytes stuffed with 0x00, and the last byte padded with 1 bits (flush_bits).
//
// The bit stream of a block is fully determined by its quantized coefficients, so the order of
// operations inside libjpeg-turbo (C or SIMD Huffman coder) cannot change a byte.

import {
  STD_DC_LUM_BITS, STD_DC_CHR_BITS, STD_DC_VALS, STD_AC_LUM_BITS, STD_AC_LUM_VALS, STD_AC_CHR_BITS, STD_AC_CHR_VALS,
} from "./jpeghuff";
import { ZZ2 } from "./jpegstate";

/** Table slots: DC and AC of luminance (table 0), DC and AC of chrominance (table 1). */
export const H_DC0 = 0;
export const H_AC0 = 1;
export const H_DC1 = 2;
export const H_AC1 = 3;

/** (code length << 16) | code, per symbol, for each slot; 0 for symbols the table lacks. */
const EHUF: usize = memory.data(4 * 256 * 4, 16);
let derived = false;

function derive(slot: i32, bits: usize, vals: usize): void {
  const t = EHUF + (<usize>slot << 10);
  memory.fill(t, 0, 1024);
  let code: u32 = 0;
  let p: usize = 0;
  for (let l = 1; l <= 16; l++) {
    const n = <i32>load<u8>(bits + <usize>l);
    for (let i = 0; i < n; i++) {
      const sym = <usize>load<u8>(vals + p++);
      store<u32>(t + (sym << 2), (<u32>l << 16) | code);
      code++;
    }
    code <<= 1;
  }
}

/** Derives the four standard tables once. */
export function deriveStandardTables(): void {
  if (derived) return;
  derive(H_DC0, STD_DC_LUM_BITS, STD_DC_VALS);
  derive(H_AC0, STD_AC_LUM_BITS, STD_AC_LUM_VALS);
  derive(H_DC1, STD_DC_CHR_BITS, STD_DC_VALS);
  derive(H_AC1, STD_AC_CHR_BITS, STD_AC_CHR_VALS);
  derived = true;
}

// ---- the bit writer ----------------------------------------------------------------------------

let out: usize = 0;   // next output byte
let acc: u64 = 0;     // pending bits, the newest in the low end
let nbits: i32 = 0;   // how many of acc's low bits are pending (< 32 between calls)
/** DC predictions of the three components. */
let dc0: i32 = 0;
let dc1: i32 = 0;
let dc2: i32 = 0;

/** Starts a scan writing at `at`. */
export function startBits(at: usize): void {
  out = at;
  acc = 0;
  nbits = 0;
  dc0 = 0;
  dc1 = 0;
  dc2 = 0;
}

/** The next output address (whole bytes written so far). */
export function bitsPosition(): usize {
  return out;
}

/** Writes byte `b` at `o`, with a 0x00 after a 0xFF; returns the next address. */
// @ts-ignore: decorator
@inline function byteAt(o: usize, b: u32): usize {
  store<u8>(o, <u8>b);
  if (b != 0xff) return o + 1;
  store<u8>(o + 1, 0);
  return o + 2;
}

/** Writes the 32 bits `w` (big-endian, stuffed) at `o`; returns the next address. */
// @ts-ignore: decorator
@inline function wordAt(o: usize, w: u32): usize {
  // A 0xFF byte in w needs stuffing: test for a zero byte in ~w.
  const v = ~w;
  if (((v - 0x01010101) & ~v & 0x80808080) == 0) {
    store<u32>(o, bswap<u32>(w));
    return o + 4;
  }
  return byteAt(byteAt(byteAt(byteAt(o, w >> 24), (w >> 16) & 0xff), (w >> 8) & 0xff), w & 0xff);
}

/** Pads the last byte with 1 bits and writes every pending byte (flush_bits). */
export function flushBits(): void {
  let o = out;
  while (nbits >= 8) {
    nbits -= 8;
    o = byteAt(o, <u32>(acc >> <u64>nbits) & 0xff);
  }
  if (nbits > 0) o = byteAt(o, ((<u32>acc << <u32>(8 - nbits)) | (0xff >> <u32>nbits)) & 0xff);
  out = o;
  nbits = 0;
  acc = 0;
}

// ---- blocks -------------------------------------------------------------------------------------

/**
 * Codes one block: `blk` holds its 64 quantized coefficients (i16, natural order) and `nonzero`
 * the mask of those that are not 0 in zigzag order (bit k for zigzag position k, as
 * fdctQuantBlock returns it); `comp` picks the DC prediction (0, 1, 2), `dc`/`ac` the table
 * slots. The bit writer's state lives in locals for the block (globals cost memory traffic).
 */
export function encodeBlock(blk: usize, nonzero: u64, comp: i32, dc: i32, ac: i32): void {
  let a = acc;
  let n = nbits;
  let o = out;
  // DC difference.
  const v = <i32>load<i16>(blk);
  let diff: i32;
  if (comp == 0) {
    diff = v - dc0;
    dc0 = v;
  } else if (comp == 1) {
    diff = v - dc1;
    dc1 = v;
  } else {
    diff = v - dc2;
    dc2 = v;
  }
  {
    const m = diff < 0 ? -diff : diff;
    const nb = 32 - <i32>clz(m); // 0 for 0
    const e = load<u32>(EHUF + (<usize>dc << 10) + (<usize>nb << 2));
    const size = <i32>(e >> 16) + nb;
    a = (a << <u64>size) | <u64>(((e & 0xffff) << <u32>nb) | (<u32>(diff < 0 ? diff - 1 : diff) & ((<u32>1 << <u32>nb) - 1)));
    n += size;
    if (n >= 32) {
      n -= 32;
      o = wordAt(o, <u32>(a >> <u64>n));
    }
  }
  // AC coefficients, visited in zigzag order through the mask.
  const act = EHUF + (<usize>ac << 10);
  let mask = nonzero & ~(<u64>1);
  let last = 0;
  while (mask != 0) {
    const k = <i32>ctz(mask);
    mask &= mask - 1;
    let run = k - last - 1;
    last = k;
    while (run > 15) {
      const z = load<u32>(act + (0xf0 << 2));
      a = (a << <u64>(z >> 16)) | <u64>(z & 0xffff);
      n += <i32>(z >> 16);
      if (n >= 32) {
        n -= 32;
        o = wordAt(o, <u32>(a >> <u64>n));
      }
      run -= 16;
    }
    const x = <i32>load<i16>(blk + <usize>load<u8>(ZZ2 + <usize>k));
    const m = x < 0 ? -x : x;
    const nb = 32 - <i32>clz(m);
    const e = load<u32>(act + (<usize>((run << 4) | nb) << 2));
    const size = <i32>(e >> 16) + nb;
    a = (a << <u64>size) | <u64>(((e & 0xffff) << <u32>nb) | (<u32>(x < 0 ? x - 1 : x) & ((<u32>1 << <u32>nb) - 1)));
    n += size;
    if (n >= 32) {
      n -= 32;
      o = wordAt(o, <u32>(a >> <u64>n));
    }
  }
  if (last != 63) {
    const z = load<u32>(act);
    a = (a << <u64>(z >> 16)) | <u64>(z & 0xffff);
    n += <i32>(z >> 16);
    if (n >= 32) {
      n -= 32;
      o = wordAt(o, <u32>(a >> <u64>n));
    }
  }
  acc = a;
  nbits = n;
  out = o;
}

/** Codes a dummy block at the image's right or bottom edge: all-zero AC, the DC of the block before. */
export function encodeDummyBlock(dc: i32, ac: i32): void {
  const d = load<u32>(EHUF + (<usize>dc << 10));
  const e = load<u32>(EHUF + (<usize>ac << 10));
  // Two codes of at most 16 bits each: one write of up to 32 bits.
  const size = <i32>(d >> 16) + <i32>(e >> 16);
  acc = (acc << <u64>size) | <u64>(((d & 0xffff) << (e >> 16)) | (e & 0xffff));
  nbits += size;
  if (nbits >= 32) {
    nbits -= 32;
    out = wordAt(out, <u32>(acc >> <u64>nbits));
  }
}

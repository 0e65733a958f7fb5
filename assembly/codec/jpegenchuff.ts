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

// @ts-ignore: decorator
@inline function emitByte(b: u32): void {
  store<u8>(out, <u8>b);
  out++;
  if (b == 0xff) {
    store<u8>(out, 0);
    out++;
  }
}

/** Writes out 32 pending bits. */
function flush32(): void {
  nbits -= 32;
  const w = <u32>(acc >> <u64>nbits);
  // A 0xFF byte in w needs stuffing: test for a zero byte in ~w.
  const v = ~w;
  if (((v - 0x01010101) & ~v & 0x80808080) == 0) {
    store<u32>(out, bswap<u32>(w));
    out += 4;
  } else {
    emitByte(w >> 24);
    emitByte((w >> 16) & 0xff);
    emitByte((w >> 8) & 0xff);
    emitByte(w & 0xff);
  }
}

// @ts-ignore: decorator
@inline function putBits(bits: u32, n: i32): void {
  acc = (acc << <u64>n) | <u64>bits;
  nbits += n;
  if (nbits >= 32) flush32();
}

/** Pads the last byte with 1 bits and writes every pending byte (flush_bits). */
export function flushBits(): void {
  while (nbits >= 8) {
    nbits -= 8;
    emitByte(<u32>(acc >> <u64>nbits) & 0xff);
  }
  if (nbits > 0) {
    const b = ((<u32>acc << <u32>(8 - nbits)) | (0xff >> <u32>nbits)) & 0xff;
    emitByte(b);
    nbits = 0;
  }
  acc = 0;
}

// ---- blocks -------------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline function magnitudeBits(a: i32): i32 {
  return 32 - <i32>clz(a);
}

/**
 * Codes one block: `zz` holds its 64 quantized coefficients (i16, zigzag order) and `nonzero`
 * the mask of those that are not 0 (bit k for position k, as fdctQuantBlock returns it);
 * `comp` picks the DC prediction (0, 1, 2), `dc`/`ac` the table slots.
 */
export function encodeBlock(zz: usize, nonzero: u64, comp: i32, dc: i32, ac: i32): void {
  let mask = nonzero & ~(<u64>1);
  // DC difference.
  const v = <i32>load<i16>(zz);
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
  putSymbolAndValue(EHUF + (<usize>dc << 10), diff, 0);

  // AC coefficients.
  const act = EHUF + (<usize>ac << 10);
  let last = 0;
  while (mask != 0) {
    const k = <i32>ctz(mask);
    mask &= mask - 1;
    let run = k - last - 1;
    while (run > 15) {
      const e = load<u32>(act + (0xf0 << 2));
      putBits(e & 0xffff, <i32>(e >> 16));
      run -= 16;
    }
    putSymbolAndValue(act, <i32>load<i16>(zz + (<usize>k << 1)), run << 4);
    last = k;
  }
  if (last != 63) {
    const e = load<u32>(act);
    putBits(e & 0xffff, <i32>(e >> 16));
  }
}

/** The code of symbol (runBits | category of v), then v's category bits (one's complement when negative). */
// @ts-ignore: decorator
@inline function putSymbolAndValue(table: usize, v: i32, runBits: i32): void {
  const a = v < 0 ? -v : v;
  const nb = a == 0 ? 0 : magnitudeBits(a);
  const e = load<u32>(table + (<usize>(runBits | nb) << 2));
  const extra = <u32>(v < 0 ? v - 1 : v) & ((<u32>1 << <u32>nb) - 1);
  putBits(((e & 0xffff) << <u32>nb) | extra, <i32>(e >> 16) + nb);
}

/** Codes a dummy block at the image's right or bottom edge: all-zero AC, the DC of the block before. */
export function encodeDummyBlock(dc: i32, ac: i32): void {
  const d = load<u32>(EHUF + (<usize>dc << 10));
  putBits(d & 0xffff, <i32>(d >> 16));
  const e = load<u32>(EHUF + (<usize>ac << 10));
  putBits(e & 0xffff, <i32>(e >> 16));
}

// Huffman decoding tables for the JPEG decoder, derived the way libjpeg's
// jpeg_make_d_derived_tbl (jdhuff.c) derives them, with the same validation, plus the
// standard tables libjpeg-turbo installs for sequential files that define none (Motion JPEG).

import { HBITS, HVAL, HDEF, LUT, MAXCODE, VALOFF, FASTAC, LOOK_BITS, LUT_BYTES, FAST_BYTES } from "./jpegstate";

const HUFFSIZE: usize = memory.data(260);
const HUFFCODE: usize = memory.data(260 * 4, 16);

/** Derives slot `slot`'s tables (0-3 DC, 4-7 AC); false where libjpeg says JERR_BAD_HUFF_TABLE. */
export function deriveTable(slot: i32, isDC: bool): bool {
  const bits = HBITS + <usize>slot * 17;
  const vals = HVAL + <usize>slot * 256;
  // Code lengths in symbol order.
  let p = 0;
  for (let l = 1; l <= 16; l++) {
    const n = <i32>load<u8>(bits + l);
    if (p + n > 256) return false;
    for (let i = 0; i < n; i++) store<u8>(HUFFSIZE + p++, <u8>l);
  }
  store<u8>(HUFFSIZE + p, 0);
  const numsymbols = p;
  // Canonical codes.
  let code: u32 = 0;
  let si = <i32>load<u8>(HUFFSIZE);
  p = 0;
  while (load<u8>(HUFFSIZE + p) != 0) {
    while (<i32>load<u8>(HUFFSIZE + p) == si) {
      store<u32>(HUFFCODE + (<usize>p << 2), code);
      p++;
      code++;
    }
    if (<u64>code >= (<u64>1 << <u64>si)) return false;
    code <<= 1;
    si++;
  }
  const maxcode = MAXCODE + <usize>slot * 72;
  const valoff = VALOFF + <usize>slot * 72;
  p = 0;
  for (let l = 1; l <= 16; l++) {
    const n = <i32>load<u8>(bits + l);
    if (n != 0) {
      store<i32>(valoff + (<usize>l << 2), p - <i32>load<u32>(HUFFCODE + (<usize>p << 2)));
      p += n;
      store<i32>(maxcode + (<usize>l << 2), <i32>load<u32>(HUFFCODE + (<usize>(p - 1) << 2)));
    } else {
      store<i32>(maxcode + (<usize>l << 2), -1);
    }
  }
  store<i32>(valoff + 68, 0);
  store<i32>(maxcode + 68, 0xfffff);
  if (isDC) {
    for (let i = 0; i < numsymbols; i++) if (load<u8>(vals + i) > 15) return false;
  }
  // Lookahead table: every LOOK_BITS-bit prefix that begins with a complete code.
  const lut = LUT + <usize>slot * LUT_BYTES;
  memory.fill(lut, 0, LUT_BYTES);
  p = 0;
  for (let l = 1; l <= LOOK_BITS; l++) {
    const n = <i32>load<u8>(bits + l);
    for (let i = 0; i < n; i++, p++) {
      const first = <i32>load<u32>(HUFFCODE + (<usize>p << 2)) << (LOOK_BITS - l);
      const e = <u16>((l << 8) | <i32>load<u8>(vals + p));
      for (let j = 0; j < 1 << (LOOK_BITS - l); j++) store<u16>(lut + (<usize>(first + j) << 1), e);
    }
  }
  if (!isDC) {
    // Coefficient table: code and extra bits together, when they fit in LOOK_BITS.
    const fast = FASTAC + <usize>(slot - 4) * FAST_BYTES;
    for (let x = 0; x < 1 << LOOK_BITS; x++) {
      const e = <i32>load<u16>(lut + (<usize>x << 1));
      let f = 0;
      if (e != 0) {
        const l = e >> 8;
        const rs = e & 0xff;
        const s = rs & 15;
        if (s != 0 && l + s <= LOOK_BITS) {
          const extra = (x >> (LOOK_BITS - l - s)) & ((1 << s) - 1);
          const v = extend(extra, s);
          f = (v << 16) | ((rs >> 4) << 8) | (l + s);
        }
      }
      store<i32>(fast + (<usize>x << 2), f);
    }
  }
  return true;
}

/** HUFF_EXTEND: the signed value of an s-bit magnitude category. */
// @ts-ignore: decorator
@inline export function extend(x: i32, s: i32): i32 {
  return x + (((x - (1 << (s - 1))) >> 31) & ((-1 << s) + 1));
}

/**
 * Decodes a code longer than LOOK_BITS from the top of `bb` (at least 16 valid bits):
 * (length << 8) | symbol, or -1 when no code matches (libjpeg's JWRN_HUFF_BAD_CODE).
 */
export function decodeLong(slot: i32, bb: u64): i32 {
  const maxcode = MAXCODE + <usize>slot * 72;
  for (let l = LOOK_BITS + 1; l <= 16; l++) {
    const code = <i32>(bb >> <u64>(64 - l));
    if (code <= load<i32>(maxcode + (<usize>l << 2))) {
      const i = code + load<i32>(VALOFF + <usize>slot * 72 + (<usize>l << 2));
      return (l << 8) | <i32>load<u8>(HVAL + <usize>slot * 256 + <usize>(i & 0xff));
    }
  }
  return -1;
}

// The standard tables of jstdhuff.c (bits[0..16], then the symbols): what libjpeg installs for
// sequential files that define none, and what its encoder writes by default (jpegenc.ts).
export const STD_DC_LUM_BITS: usize = memory.data<u8>([0, 0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
export const STD_DC_CHR_BITS: usize = memory.data<u8>([0, 0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
export const STD_DC_VALS: usize = memory.data<u8>([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
export const STD_AC_LUM_BITS: usize = memory.data<u8>([0, 0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d]);
export const STD_AC_LUM_VALS: usize = memory.data<u8>([
  0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
  0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
  0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
  0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
  0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
  0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
  0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
  0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
  0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
  0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
  0xf9, 0xfa,
]);
export const STD_AC_CHR_BITS: usize = memory.data<u8>([0, 0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77]);
export const STD_AC_CHR_VALS: usize = memory.data<u8>([
  0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
  0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
  0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
  0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
  0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
  0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
  0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
  0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
  0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
  0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
  0xf9, 0xfa,
]);

function installStd(slot: i32, bits: usize, vals: usize, n: i32): void {
  if (load<u8>(HDEF + slot) != 0) return;
  memory.copy(HBITS + <usize>slot * 17, bits, 17);
  memory.fill(HVAL + <usize>slot * 256, 0, 256);
  memory.copy(HVAL + <usize>slot * 256, vals, n);
  store<u8>(HDEF + slot, 1);
}

/** jinit_huff_decoder's std_huff_tables: DC/AC tables 0 and 1 the file left undefined. */
export function installStandardTables(): void {
  installStd(0, STD_DC_LUM_BITS, STD_DC_VALS, 12);
  installStd(4, STD_AC_LUM_BITS, STD_AC_LUM_VALS, 162);
  installStd(1, STD_DC_CHR_BITS, STD_DC_VALS, 12);
  installStd(5, STD_AC_CHR_BITS, STD_AC_CHR_VALS, 162);
}

// JPEG encoding with libjpeg-turbo's bytes for the default compression path: what
// torchvision's encode_jpeg (jpeg_set_defaults, then jpeg_set_quality(q, TRUE)) and Pillow's
// Image.save(f, "JPEG", quality=q) write for an RGB or greyscale image. Baseline (SOF0),
// 8-bit, JFIF 1.01 with no density, the Annex K quantization tables scaled by
// jpeg_quality_scaling and limited to 255, the standard Huffman tables (no optimization), no
// restart markers; RGB is converted to YCbCr and Cb/Cr downsampled 2x2 (4:2:0), grey is coded
// as one component. See jpegencprep.ts (colour, downsampling, edges), jpegencdct.ts (DCT and
// quantization) and jpegenchuff.ts (entropy coding).
//
// The host gives the pixels, an output buffer (jpegEncodeBound bytes always suffice) and
// scratch of jpegEncodeScratch bytes; nothing else is touched. An output buffer that turns out
// too small stops the encode with E_ENC_SPACE before anything is written past its end.

import { setInfo, INFO_END, INFO_DETAIL, INFO_DETAIL2 } from "./info";
import * as St from "./status";
import { ZZ2 } from "./jpegstate";
import {
  STD_DC_LUM_BITS, STD_DC_CHR_BITS, STD_DC_VALS, STD_AC_LUM_BITS, STD_AC_LUM_VALS, STD_AC_CHR_BITS, STD_AC_CHR_VALS,
} from "./jpeghuff";
import { fdctQuantBlock, setDivisors, initZigzagMasks } from "./jpegencdct";
import { convertRowPair, copyGreyRow } from "./jpegencprep";
import {
  H_DC0, H_AC0, H_DC1, H_AC1, deriveStandardTables, startBits, bitsPosition, flushBits, encodeBlock, encodeDummyBlock,
} from "./jpegenchuff";

/** Largest width or height a JPEG frame header can hold. */
const MAX_SIDE = 65535;
/** Most bytes one block can take: 16 + 11 DC bits and 63 * (16 + 10) AC bits, every byte stuffed. */
const BLOCK_BYTES = 420;
/** Header bytes (SOI, JFIF, two DQT, SOF0, four DHT, SOS) are at most this many; EOI and the last bits fit in the rest. */
const HEADER_BYTES = 640;
const TAIL_BYTES = 32;

// Annex K's tables (jcparam.c), natural order.
export const STD_LUM_Q: usize = memory.data<u8>([
  16, 11, 10, 16, 24, 40, 51, 61,
  12, 12, 14, 19, 26, 58, 60, 55,
  14, 13, 16, 24, 40, 57, 69, 56,
  14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77,
  24, 35, 55, 64, 81, 104, 113, 92,
  49, 64, 78, 87, 103, 121, 120, 101,
  72, 92, 95, 98, 112, 100, 103, 99,
]);
export const STD_CHR_Q: usize = memory.data<u8>([
  17, 18, 24, 47, 99, 99, 99, 99,
  18, 21, 26, 66, 99, 99, 99, 99,
  24, 26, 56, 99, 99, 99, 99, 99,
  47, 66, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99,
]);

/** The two scaled tables (u16, natural order), their divisors (jpegencdct.ts), and one block. */
const QTAB: usize = memory.data(2 * 128, 16);
const DIV: usize = memory.data(2 * 384, 16);
const BLK: usize = memory.data(128, 16);

/** jpeg_quality_scaling: quality 1..100 to a percentage. */
export function qualityScale(q: i32): i32 {
  return q < 50 ? 5000 / q : 200 - 2 * q;
}

/** jpeg_add_quant_table with force_baseline: (basic * scale + 50) / 100, in [1, 255]. */
export function scaleTable(basic: usize, scale: i32, dst: usize): void {
  for (let i: usize = 0; i < 64; i++) {
    let t = (<i32>load<u8>(basic + i) * scale + 50) / 100;
    if (t <= 0) t = 1;
    if (t > 255) t = 255;
    store<u16>(dst + (i << 1), <u16>t);
  }
}

// ---- geometry -----------------------------------------------------------------------------------

/** Blocks of 8x8 the scan codes (dummy blocks at the edges included). */
function totalBlocks(width: i32, height: i32, channels: i32): i64 {
  if (channels == 1) return <i64>((width + 7) >> 3) * <i64>((height + 7) >> 3);
  return <i64>((width + 15) >> 4) * <i64>((height + 15) >> 4) * 6;
}

function validSize(width: i32, height: i32, channels: i32): bool {
  return width >= 1 && width <= MAX_SIDE && height >= 1 && height <= MAX_SIDE && (channels == 1 || channels == 3);
}

// @ts-ignore: decorator
@inline function clampI32(n: i64): i32 {
  return n > <i64>i32.MAX_VALUE ? i32.MAX_VALUE : <i32>n;
}

/**
 * Output bytes that always suffice for jpegEncode of a width x height image with 1 or 3
 * channels, at any quality (i32.MAX_VALUE when more); -1 for sizes jpegEncode refuses.
 */
export function jpegEncodeBound(width: i32, height: i32, channels: i32): i32 {
  if (!validSize(width, height, channels)) return -1;
  return clampI32(<i64>HEADER_BYTES + <i64>TAIL_BYTES + totalBlocks(width, height, channels) * BLOCK_BYTES);
}

/** Scratch bytes jpegEncode needs: one iMCU row of samples per component; -1 for sizes it refuses. */
export function jpegEncodeScratch(width: i32, height: i32, channels: i32): i32 {
  if (!validSize(width, height, channels)) return -1;
  if (channels == 1) return clampI32(<i64>8 * <i64>(((width + 7) >> 3) << 3) + 64);
  return clampI32(<i64>24 * <i64>(((width + 15) >> 4) << 4) + 64);
}

// ---- markers ------------------------------------------------------------------------------------

let wp: usize = 0;

// @ts-ignore: decorator
@inline function byte(v: i32): void {
  store<u8>(wp, <u8>v);
  wp++;
}
// @ts-ignore: decorator
@inline function word(v: i32): void {
  byte(v >> 8);
  byte(v & 0xff);
}

function dqt(index: i32): void {
  word(0xffdb);
  word(67);
  byte(index);
  const t = QTAB + (<usize>index << 7);
  for (let k: usize = 0; k < 64; k++) byte(<i32>load<u16>(t + <usize>load<u8>(ZZ2 + k)));
}

function dht(index: i32, bits: usize, vals: usize): void {
  let n = 0;
  for (let l: usize = 1; l <= 16; l++) n += <i32>load<u8>(bits + l);
  word(0xffc4);
  word(n + 19);
  byte(index);
  for (let l: usize = 1; l <= 16; l++) byte(<i32>load<u8>(bits + l));
  for (let i = 0; i < n; i++) byte(<i32>load<u8>(vals + <usize>i));
}

/** SOI, JFIF APP0, DQT, SOF0, DHT and SOS as write_file_header / write_frame_header / write_scan_header order them. */
function writeHeaders(width: i32, height: i32, channels: i32): void {
  word(0xffd8);
  // JFIF 1.01, density unit 0, 1:1, no thumbnail (jpeg_set_defaults).
  word(0xffe0);
  word(16);
  byte(0x4a); byte(0x46); byte(0x49); byte(0x46); byte(0);
  byte(1); byte(1); byte(0); word(1); word(1); byte(0); byte(0);
  dqt(0);
  if (channels == 3) dqt(1);
  word(0xffc0);
  word(8 + 3 * channels);
  byte(8);
  word(height);
  word(width);
  byte(channels);
  if (channels == 3) {
    byte(1); byte(0x22); byte(0);
    byte(2); byte(0x11); byte(1);
    byte(3); byte(0x11); byte(1);
  } else {
    byte(1); byte(0x11); byte(0);
  }
  dht(0x00, STD_DC_LUM_BITS, STD_DC_VALS);
  dht(0x10, STD_AC_LUM_BITS, STD_AC_LUM_VALS);
  if (channels == 3) {
    dht(0x01, STD_DC_CHR_BITS, STD_DC_VALS);
    dht(0x11, STD_AC_CHR_BITS, STD_AC_CHR_VALS);
  }
  word(0xffda);
  word(6 + 2 * channels);
  byte(channels);
  if (channels == 3) {
    byte(1); byte(0x00);
    byte(2); byte(0x11);
    byte(3); byte(0x11);
  } else {
    byte(1); byte(0x00);
  }
  byte(0); byte(63); byte(0);
}

// ---- the scan -----------------------------------------------------------------------------------

/** YCbCr 4:2:0: MCUs of four luma blocks and one Cb and one Cr block. False when `end` is reached. */
function encodeColor(src: usize, width: i32, height: i32, scratch: usize, end: usize): bool {
  const mcus = (width + 15) >> 4;
  const rows = (height + 15) >> 4;
  const lumaStride = <usize>mcus << 4;
  const chromaStride = <usize>mcus << 3;
  const yBuf = scratch;
  const cbBuf = yBuf + 16 * lumaStride;
  const crBuf = cbBuf + 8 * chromaStride;
  const lumaCols = (width + 7) >> 3;  // luma width_in_blocks
  const lumaRows = (height + 7) >> 3; // luma height_in_blocks
  const rowBytes = <usize>width * 3;
  for (let n = 0; n < rows; n++) {
    const row0 = n << 4;
    for (let r = 0; r < 8; r++) {
      const y0 = row0 + 2 * r;
      const ya = yBuf + <usize>(2 * r) * lumaStride;
      if (y0 < height) {
        const y1 = y0 + 1 < height ? y0 + 1 : y0;
        convertRowPair(src + <usize>y0 * rowBytes, src + <usize>y1 * rowBytes, width, mcus << 3, ya, ya + lumaStride,
          cbBuf + <usize>r * chromaStride, crBuf + <usize>r * chromaStride);
      } else {
        // Below the image: luma repeats the image's last row, chroma its last downsampled row.
        const lastY = yBuf + <usize>(height - 1 - row0) * lumaStride;
        memory.copy(ya, lastY, lumaStride);
        memory.copy(ya + lumaStride, lastY, lumaStride);
        memory.copy(cbBuf + <usize>r * chromaStride, cbBuf + <usize>(r - 1) * chromaStride, chromaStride);
        memory.copy(crBuf + <usize>r * chromaStride, crBuf + <usize>(r - 1) * chromaStride, chromaStride);
      }
    }
    for (let m = 0; m < mcus; m++) {
      if (bitsPosition() + 6 * BLOCK_BYTES + TAIL_BYTES > end) return false;
      for (let by = 0; by < 2; by++) {
        for (let bx = 0; bx < 2; bx++) {
          const bc = 2 * m + bx;
          if (2 * n + by < lumaRows && bc < lumaCols) {
            encodeBlock(BLK, fdctQuantBlock(yBuf + <usize>(8 * by) * lumaStride + (<usize>bc << 3), lumaStride, DIV, BLK), 0, H_DC0, H_AC0);
          } else {
            // compress_data's dummy blocks: zero AC, the DC of the block coded before.
            encodeDummyBlock(H_DC0, H_AC0);
          }
        }
      }
      encodeBlock(BLK, fdctQuantBlock(cbBuf + (<usize>m << 3), chromaStride, DIV + 384, BLK), 1, H_DC1, H_AC1);
      encodeBlock(BLK, fdctQuantBlock(crBuf + (<usize>m << 3), chromaStride, DIV + 384, BLK), 2, H_DC1, H_AC1);
    }
  }
  return true;
}

/** Greyscale: one component, one block a MCU. False when `end` is reached. */
function encodeGrey(src: usize, width: i32, height: i32, scratch: usize, end: usize): bool {
  const cols = (width + 7) >> 3;
  const rows = (height + 7) >> 3;
  const stride = <usize>cols << 3;
  for (let n = 0; n < rows; n++) {
    for (let r = 0; r < 8; r++) {
      const y = (n << 3) + r < height ? (n << 3) + r : height - 1;
      copyGreyRow(src + <usize>y * <usize>width, width, cols << 3, scratch + <usize>r * stride);
    }
    for (let m = 0; m < cols; m++) {
      if (bitsPosition() + BLOCK_BYTES + TAIL_BYTES > end) return false;
      encodeBlock(BLK, fdctQuantBlock(scratch + (<usize>m << 3), stride, DIV, BLK), 0, H_DC0, H_AC0);
    }
  }
  return true;
}

function finish(info: usize, status: i32, d: i32, d2: i32): i32 {
  setInfo(info, INFO_DETAIL, d);
  setInfo(info, INFO_DETAIL2, d2);
  return status;
}

/**
 * Encodes `width` x `height` pixels at `src` (HWC, `channels` 1 = grey or 3 = RGB, rows tightly
 * packed) as a baseline JPEG at `quality` (1..100) into `dst` (`cap` bytes), using `scratch`
 * (jpegEncodeScratch bytes). Returns a status (status.ts); on success the file's length is in
 * the info block's INFO_END slot.
 */
export function jpegEncode(
  src: usize, width: i32, height: i32, channels: i32, quality: i32, dst: usize, cap: i32, scratch: usize, info: usize,
): i32 {
  setInfo(info, INFO_END, 0);
  if (channels != 1 && channels != 3) return finish(info, St.E_ENC_CHANNELS, channels, 0);
  if (width < 1 || width > MAX_SIDE || height < 1 || height > MAX_SIDE) return finish(info, St.E_ENC_SIZE, width, height);
  if (quality < 1 || quality > 100) return finish(info, St.E_ENC_QUALITY, quality, 0);
  if (cap < HEADER_BYTES + TAIL_BYTES) return finish(info, St.E_ENC_SPACE, cap, 0);
  const scale = qualityScale(quality);
  scaleTable(STD_LUM_Q, scale, QTAB);
  scaleTable(STD_CHR_Q, scale, QTAB + 128);
  setDivisors(QTAB, DIV);
  setDivisors(QTAB + 128, DIV + 384);
  deriveStandardTables();
  initZigzagMasks();
  wp = dst;
  writeHeaders(width, height, channels);
  startBits(wp);
  const end = dst + <usize>cap;
  const ok = channels == 3 ? encodeColor(src, width, height, scratch, end) : encodeGrey(src, width, height, scratch, end);
  if (!ok) return finish(info, St.E_ENC_SPACE, cap, 0);
  flushBits();
  wp = bitsPosition();
  word(0xffd9);
  setInfo(info, INFO_END, <i32>(wp - dst));
  return finish(info, St.OK, 0, 0);
}

// The decoders' one entry point for every host (TypeScript, Python): sniff the format, read the
// header, then decode straight into the mode the caller wants, optionally turned by its EXIF
// orientation. Three calls a file, whatever the host:
//
//   imageInfo(src, len, info)            format, size, native mode, orientation (no pixels)
//   imagePlan(info, mode, orient)        the output's mode and size, and the scratch it needs
//   imageDecode(src, len, info, dst, aux, scratch)
//
// The host checks its pixel limit between the first two calls, before it allocates anything.
// Scratch layout (after the decoder's own INFO_SCRATCH bytes): the native pixels when they are
// not already the output, then the converted pixels when an orientation still has to move them.
import {
  FORMAT_JPEG, FORMAT_PNG, INFO_BYTES, INFO_DETAIL, INFO_DETAIL2, INFO_EXIF, INFO_EXIF_LEN, INFO_FLAGS, INFO_FORMAT,
  INFO_HEIGHT, INFO_MODE, INFO_ORIENTATION, INFO_SCRATCH, INFO_WIDTH, MODE_1, MODE_L, MODE_RGB, MODE_RGBA,
  getInfo, setInfo,
} from "./info";
import { E_FORMAT, E_TRUNCATED, OK, statusText } from "./status";
import { jpegDecode, jpegInfo } from "./jpeg";
import { pngDecode, pngInfo } from "./png";
import { convertMode, keepMode } from "./convert";
import { exifOrientation } from "./exif";
import { orient } from "./orient";

/** Slots of the info block this file fills (18-23; info.ts owns the numbering). */
export const INFO_OUT_MODE: i32 = 18;     // MODE_L / MODE_RGB / MODE_RGBA the output holds
export const INFO_OUT_WIDTH: i32 = 19;    // after orientation (5-8 swap the sides)
export const INFO_OUT_HEIGHT: i32 = 20;
export const INFO_OUT_CHANNELS: i32 = 21; // 1, 3 or 4
export const INFO_OUT_SCRATCH: i32 = 22;  // scratch bytes imageDecode needs; -1 when over 2 GiB
export const INFO_OUT_ORIENT: i32 = 23;   // the orientation imageDecode applies (1: none)

/** `mode` of imagePlan: 0 keeps the file's channels (convert.ts keepMode), else MODE_L/RGB/RGBA. */
export const WANT_KEEP: i32 = 0;

const PNG_MAGIC: u64 = 0x0a1a0a0d474e5089; // \x89PNG\r\n\x1a\n, little-endian

/** Reads the header of a PNG or JPEG file into `info` (see info.ts). Returns a status. */
export function imageInfo(src: usize, len: i32, info: usize): i32 {
  if (len >= 8 && load<u64>(src) == PNG_MAGIC) {
    const st = pngInfo(src, len, info);
    if (st == OK && getInfo(info, INFO_EXIF_LEN) > 0) {
      setInfo(info, INFO_ORIENTATION, exifOrientation(src + <usize>getInfo(info, INFO_EXIF), getInfo(info, INFO_EXIF_LEN)));
    }
    return st;
  }
  if (len >= 3 && load<u8>(src) == 0xff && load<u8>(src + 1) == 0xd8 && load<u8>(src + 2) == 0xff) return jpegInfo(src, len, info);
  // A file cut inside the 8-byte PNG signature, or inside JPEG's SOI: truncated, not unknown.
  if (len > 0 && len < 8 && prefixOf(src, len, PNG_MAGIC, 8)) return fail(info, E_TRUNCATED, len, 0);
  if (len > 0 && len < 3 && load<u8>(src) == 0xff && (len == 1 || load<u8>(src + 1) == 0xd8)) return fail(info, E_TRUNCATED, len, 0);
  setInfo(info, INFO_FORMAT, 0);
  return fail(info, E_FORMAT, len, 0);
}

/**
 * After imageInfo: chooses the output for `mode` (WANT_KEEP or MODE_L/RGB/RGBA) and whether to
 * apply the file's EXIF orientation (`applyOrientation` non-zero), and fills the INFO_OUT_*
 * slots. Returns OK, or E_FORMAT for a mode it does not produce.
 */
export function imagePlan(info: usize, mode: i32, applyOrientation: i32): i32 {
  const native = getInfo(info, INFO_MODE);
  const out = mode == WANT_KEEP ? keepMode(native, getInfo(info, INFO_FLAGS)) : mode;
  if (out != MODE_L && out != MODE_RGB && out != MODE_RGBA) return fail(info, E_FORMAT, mode, 0);
  const w = getInfo(info, INFO_WIDTH), h = getInfo(info, INFO_HEIGHT);
  let o = applyOrientation != 0 ? getInfo(info, INFO_ORIENTATION) : 1;
  if (o < 1 || o > 8) o = 1;
  const c = channelsOf(out);
  const swap = o >= 5;
  setInfo(info, INFO_OUT_MODE, out);
  setInfo(info, INFO_OUT_WIDTH, swap ? h : w);
  setInfo(info, INFO_OUT_HEIGHT, swap ? w : h);
  setInfo(info, INFO_OUT_CHANNELS, c);
  setInfo(info, INFO_OUT_ORIENT, o);
  const n = <i64>w * <i64>h;
  let need = <i64>getInfo(info, INFO_SCRATCH);
  if (!sameBytes(native, out)) need += align(n * <i64>getInfo(info, INFO_BYTES));
  if (o != 1) need += align(n * <i64>c);
  setInfo(info, INFO_OUT_SCRATCH, need > <i64>i32.MAX_VALUE ? -1 : <i32>need);
  return OK;
}

/**
 * Decodes into `dst` (INFO_OUT_WIDTH x INFO_OUT_HEIGHT x INFO_OUT_CHANNELS bytes) after imageInfo
 * and imagePlan on the same bytes. `aux` is AUX_BYTES (info.ts) for palettes; `scratch` holds
 * INFO_OUT_SCRATCH bytes. Returns a status; on failure `dst` holds no meaningful pixels.
 */
export function imageDecode(src: usize, len: i32, info: usize, dst: usize, aux: usize, scratch: usize): i32 {
  const native = getInfo(info, INFO_MODE);
  const out = getInfo(info, INFO_OUT_MODE);
  const o = getInfo(info, INFO_OUT_ORIENT);
  const w = getInfo(info, INFO_WIDTH), h = getInfo(info, INFO_HEIGHT);
  const n = <i64>w * <i64>h;
  const direct = sameBytes(native, out);
  let at = scratch + <usize>getInfo(info, INFO_SCRATCH);
  const nativeBuf = direct ? (o == 1 ? dst : 0) : at;
  if (!direct) at += <usize>align(n * <i64>getInfo(info, INFO_BYTES));
  const converted = o == 1 ? dst : at;
  const decodeTo = direct ? converted : nativeBuf;
  const format = getInfo(info, INFO_FORMAT);
  let st: i32;
  if (format == FORMAT_JPEG) st = jpegDecode(src, len, info, decodeTo, scratch);
  else if (format == FORMAT_PNG) st = pngDecode(src, len, info, decodeTo, aux, scratch);
  else st = fail(info, E_FORMAT, len, 0);
  if (st != OK) return st;
  if (!direct) {
    st = convertMode(nativeBuf, native, w, h, aux, info, out, converted);
    if (st != OK) return st;
  }
  if (o != 1) orient(converted, w, h, channelsOf(out), o, dst);
  return OK;
}

/**
 * Writes the message for `code` into `out` (at most `cap` bytes of ASCII), with {0} and {1}
 * replaced by INFO_DETAIL and INFO_DETAIL2 of `info` (0xFF{0} in hexadecimal). Returns the length.
 * Every host shows these exact words (after its own "decode: " prefix).
 */
export function codecMessage(code: i32, info: usize, out: usize, cap: i32): i32 {
  const text = statusText(code);
  let n = 0;
  for (let i = 0; i < text.length && n < cap; i++) {
    const ch = text.charCodeAt(i);
    if (ch == 0x7b && i + 2 < text.length && text.charCodeAt(i + 2) == 0x7d) {
      const which = text.charCodeAt(i + 1) - 0x30;
      if (which == 0 || which == 1) {
        const v = getInfo(info, which == 0 ? INFO_DETAIL : INFO_DETAIL2);
        const hex = i >= 4 && text.charCodeAt(i - 1) == 0x46 && text.charCodeAt(i - 2) == 0x46; // "FF{0}"
        n = hex ? writeHex(v, out, n, cap) : writeInt(v, out, n, cap);
        i += 2;
        continue;
      }
    }
    store<u8>(out + <usize>n, <u8>(ch < 0x80 ? ch : 0x3f));
    n++;
  }
  return n;
}

function writeInt(v: i32, out: usize, n: i32, cap: i32): i32 {
  let x = <i64>v;
  if (x < 0) {
    if (n < cap) {
      store<u8>(out + <usize>n, 0x2d);
      n++;
    }
    x = -x;
  }
  let digits = 1;
  for (let t = x; t >= 10; t /= 10) digits++;
  if (n + digits > cap) return n;
  for (let k = digits - 1; k >= 0; k--) {
    store<u8>(out + <usize>(n + k), <u8>(0x30 + <i32>(x % 10)));
    x /= 10;
  }
  return n + digits;
}

function writeHex(v: i32, out: usize, n: i32, cap: i32): i32 {
  const HEX = "0123456789ABCDEF";
  if (n + 2 > cap) return n;
  store<u8>(out + <usize>n, <u8>HEX.charCodeAt((v >> 4) & 15));
  store<u8>(out + <usize>(n + 1), <u8>HEX.charCodeAt(v & 15));
  return n + 2;
}

// @ts-ignore: decorator
@inline function channelsOf(mode: i32): i32 {
  return mode == MODE_L ? 1 : mode == MODE_RGB ? 3 : 4;
}

/** Whether a native mode's bytes already are the output's (1 is stored as 0/255 L bytes). */
// @ts-ignore: decorator
@inline function sameBytes(native: i32, out: i32): bool {
  return native == out || (native == MODE_1 && out == MODE_L);
}

// @ts-ignore: decorator
@inline function align(n: i64): i64 {
  return (n + 63) & ~(<i64>63);
}

function prefixOf(src: usize, len: i32, magic: u64, size: i32): bool {
  for (let i = 0; i < len && i < size; i++) if (load<u8>(src + <usize>i) != <u8>(magic >> (<u64>i * 8))) return false;
  return true;
}

function fail(info: usize, code: i32, d0: i32, d1: i32): i32 {
  setInfo(info, INFO_DETAIL, d0);
  setInfo(info, INFO_DETAIL2, d1);
  return code;
}

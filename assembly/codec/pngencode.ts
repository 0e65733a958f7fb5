// PNG encoding of 8-bit grey, RGB and RGBA images: the same file bytes on every runtime.
//
// The file is the signature, IHDR, one IDAT and IEND: no ancillary chunks (no time, gamma or
// text), no interlacing. Each scanline's filter is chosen as libpng does by default: the one
// whose output has the smallest sum of absolute values (bytes read as signed), ties to the
// lower filter type. The filtered data is compressed by deflate.ts.
import { crc32 } from "./checksum";
import { deflateBound, deflateScratch, deflateZlib } from "./deflate";

const MAX_BYTES: u64 = 0x7fff0000;

// @ts-ignore: decorator
@inline function a16(n: u64): u64 {
  return (n + 15) & ~(<u64>15);
}

function rawSize(w: i32, h: i32, c: i32): u64 {
  return <u64>h * (<u64>w * <u64>c + 1);
}

function valid(w: i32, h: i32, c: i32): bool {
  return w > 0 && h > 0 && (c == 1 || c == 3 || c == 4) && rawSize(w, h, c) + <u64>w * <u64>c < MAX_BYTES;
}

// @ts-ignore: decorator
@inline function fileBound(raw: u64): u64 {
  return 8 + 25 + 12 + 12 + deflateBound(raw);
}

/**
 * Scratch bytes pngEncode needs for a `w` x `h` image of `channels` (1, 3 or 4) bytes a pixel,
 * the encoded file included (it is written at the start of the scratch). 0 for arguments
 * pngEncode refuses or sizes past 2 GiB.
 */
export function pngEncodeScratch(w: i32, h: i32, channels: i32): i32 {
  if (!valid(w, h, channels)) return 0;
  const raw = rawSize(w, h, channels);
  const row = a16(<u64>w * <u64>channels + 48);
  const total = a16(fileBound(raw)) + a16(raw + 16) + 2 * row + deflateScratch();
  return total > MAX_BYTES ? 0 : <i32>total;
}

/**
 * Encodes `w` x `h` pixels at `src` (rows packed, `channels` bytes a pixel: 1 grey, 3 RGB,
 * 4 RGBA) as an 8-bit PNG written at the start of `scratch` (pngEncodeScratch bytes). Returns
 * the file's length, or 0 for arguments it refuses.
 */
export function pngEncode(src: usize, w: i32, h: i32, channels: i32, scratch: usize): i32 {
  if (pngEncodeScratch(w, h, channels) == 0) return 0;
  const raw = rawSize(w, h, channels);
  const filtered = scratch + <usize>a16(fileBound(raw));
  const rb = <usize>w * <usize>channels;
  const row = <usize>a16(<u64>rb + 48);
  let rowA = filtered + <usize>a16(raw + 16);
  let rowB = rowA + row;
  const work = rowB + row;
  const bpp = <usize>channels;
  // Padded copies of the current and previous rows: 16 zero bytes in front, slack behind.
  memory.fill(rowA, 0, row);
  memory.fill(rowB, 0, row);
  for (let y: usize = 0; y < <usize>h; y++) {
    memory.copy(rowA + 16, src + y * rb, rb);
    filterRow(rowA + 16, rowB + 16, filtered + y * (rb + 1), rb, bpp);
    const t = rowA;
    rowA = rowB;
    rowB = t;
  }
  memory.fill(filtered + <usize>raw, 0, 16); // the matcher reads a few bytes past the end
  // signature, IHDR
  let o = scratch;
  store<u64>(o, 0x0a1a0a0d474e5089);
  o += 8;
  const ihdr = o;
  store<u32>(o, bswap<u32>(13));
  store<u32>(o + 4, bswap<u32>(0x49484452));
  store<u32>(o + 8, bswap<u32>(<u32>w));
  store<u32>(o + 12, bswap<u32>(<u32>h));
  store<u8>(o + 16, 8);
  store<u8>(o + 17, <u8>(channels == 1 ? 0 : channels == 3 ? 2 : 6));
  store<u8>(o + 18, 0);
  store<u8>(o + 19, 0);
  store<u8>(o + 20, 0);
  store<u32>(o + 21, bswap<u32>(crc32(0, ihdr + 4, 17)));
  o += 25;
  // IDAT
  const idat = o;
  store<u32>(o + 4, bswap<u32>(0x49444154));
  const zlen = deflateZlib(filtered, <u32>raw, o + 8, work);
  store<u32>(o, bswap<u32>(zlen));
  store<u32>(o + 8 + zlen, bswap<u32>(crc32(0, idat + 4, <usize>zlen + 4)));
  o += 12 + zlen;
  // IEND
  store<u32>(o, 0);
  store<u32>(o + 4, bswap<u32>(0x49454e44));
  store<u32>(o + 8, bswap<u32>(0xae426082));
  o += 12;
  return <i32>(o - scratch);
}

/**
 * Writes the filter byte and the filtered row with the smallest sum of |signed byte|.
 * `pa` and `pb` hold the current and previous rows with 16 zero bytes in front (so that the
 * left neighbours of the first pixel read as 0) and 16 bytes of slack after.
 */
function filterRow(pa: usize, pb: usize, out: usize, rb: usize, bpp: usize): void {
  let s0 = i32x4.splat(0);
  let s1 = i32x4.splat(0);
  let s2 = i32x4.splat(0);
  let s3 = i32x4.splat(0);
  let s4 = i32x4.splat(0);
  for (let i: usize = 0; i < rb; i += 16) {
    const x = v128.load(pa + i);
    const a = v128.load(pa + i - bpp);
    const b = v128.load(pb + i);
    const c = v128.load(pb + i - bpp);
    let keep = i8x16.splat(-1);
    if (rb - i < 16) keep = i8x16.lt_u(v128.load(IOTA), i8x16.splat(<i8>(rb - i)));
    s0 = i32x4.add(s0, costs(x, keep));
    s1 = i32x4.add(s1, costs(i8x16.sub(x, a), keep));
    s2 = i32x4.add(s2, costs(i8x16.sub(x, b), keep));
    s3 = i32x4.add(s3, costs(i8x16.sub(x, average(a, b)), keep));
    s4 = i32x4.add(s4, costs(i8x16.sub(x, paeth(a, b, c)), keep));
  }
  let f: u32 = 0;
  let best = hsum(s0);
  const t1 = hsum(s1);
  const t2 = hsum(s2);
  const t3 = hsum(s3);
  const t4 = hsum(s4);
  if (t1 < best) { f = 1; best = t1; }
  if (t2 < best) { f = 2; best = t2; }
  if (t3 < best) { f = 3; best = t3; }
  if (t4 < best) { f = 4; best = t4; }
  store<u8>(out, <u8>f);
  const o = out + 1;
  // The last vector may write up to 15 bytes past the row: the next row overwrites them (the
  // buffer has slack after the last row).
  for (let i: usize = 0; i < rb; i += 16) {
    const x = v128.load(pa + i);
    let v = x;
    if (f == 1) v = i8x16.sub(x, v128.load(pa + i - bpp));
    else if (f == 2) v = i8x16.sub(x, v128.load(pb + i));
    else if (f == 3) v = i8x16.sub(x, average(v128.load(pa + i - bpp), v128.load(pb + i)));
    else if (f == 4) v = i8x16.sub(x, paeth(v128.load(pa + i - bpp), v128.load(pb + i), v128.load(pb + i - bpp)));
    v128.store(o + i, v);
  }
}

const IOTA = memory.data<u8>([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);

/** Sum of |signed byte| over the lanes `keep` selects, as four u32 partial sums. */
// @ts-ignore: decorator
@inline function costs(v: v128, keep: v128): v128 {
  return i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(v128.and(i8x16.abs(v), keep)));
}

/** floor((a + b) / 2) per byte. */
// @ts-ignore: decorator
@inline function average(a: v128, b: v128): v128 {
  return i8x16.sub(i8x16.avgr_u(a, b), v128.and(v128.xor(a, b), i8x16.splat(1)));
}

// @ts-ignore: decorator
@inline function paeth16(a: v128, b: v128, c: v128): v128 {
  const bc = i16x8.sub(b, c);
  const ac = i16x8.sub(a, c);
  const pa = i16x8.abs(bc);
  const pb = i16x8.abs(ac);
  const pc = i16x8.abs(i16x8.add(bc, ac));
  return v128.bitselect(a, v128.bitselect(b, c, i16x8.le_s(pb, pc)), v128.and(i16x8.le_s(pa, pb), i16x8.le_s(pa, pc)));
}

/** The Paeth predictor per byte (PNG 9.4), in 16-bit lanes. */
// @ts-ignore: decorator
@inline function paeth(a: v128, b: v128, c: v128): v128 {
  const lo = paeth16(i16x8.extend_low_i8x16_u(a), i16x8.extend_low_i8x16_u(b), i16x8.extend_low_i8x16_u(c));
  const hi = paeth16(i16x8.extend_high_i8x16_u(a), i16x8.extend_high_i8x16_u(b), i16x8.extend_high_i8x16_u(c));
  return i8x16.narrow_i16x8_u(lo, hi);
}

// @ts-ignore: decorator
@inline function hsum(v: v128): u32 {
  return <u32>(i32x4.extract_lane(v, 0) + i32x4.extract_lane(v, 1) + i32x4.extract_lane(v, 2) + i32x4.extract_lane(v, 3));
}

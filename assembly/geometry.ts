// Memory-bound geometry: one extraction kernel serves crop and every pad mode, plus flips.
// Buffers handed in by the host carry at least 16 bytes of slack after their end, so
// vector loads and stores may run past the last pixel.

/** Border modes, shared with the host (src/kernel/constants.ts). */
export const MODE_CONSTANT: i32 = 0;
export const MODE_EDGE: i32 = 1;
export const MODE_REFLECT: i32 = 2;
export const MODE_SYMMETRIC: i32 = 3;

/** Maps a coordinate that may lie outside [0, n) to a source index, or -1 for "use fill". */
// @ts-ignore: decorator
@inline function mapIndex(i: i32, n: i32, mode: i32): i32 {
  if (i >= 0 && i < n) return i;
  if (mode == MODE_CONSTANT) return -1;
  if (mode == MODE_EDGE) return i < 0 ? 0 : n - 1;
  if (mode == MODE_REFLECT) {
    if (n == 1) return 0;
    const p = 2 * n - 2;
    let m = i % p;
    if (m < 0) m += p;
    return m < n ? m : p - m;
  }
  const p = 2 * n;
  let m = i % p;
  if (m < 0) m += p;
  return m < n ? m : p - 1 - m;
}

// @ts-ignore: decorator
@inline function copyPixel(dst: usize, src: usize, c: i32): void {
  for (let k = 0; k < c; k++) store<u8>(dst + k, load<u8>(src + k));
}

/**
 * Writes the h x w window whose top-left corner is (top, left) in src (sw x sh, c channels)
 * to dst. Pixels outside the source come from `mode`: the c fill bytes at `fill`
 * (constant), the nearest edge, a reflection without (reflect) or with (symmetric) the
 * edge pixel repeated. A crop is the window with mode constant; a pad is a window that
 * starts at (-top pad, -left pad).
 */
export function extract(
  src: usize, sw: i32, sh: i32, c: i32,
  top: i32, left: i32, h: i32, w: i32,
  mode: i32, fill: usize, dst: usize,
): void {
  const rowBytes = <usize>(w * c);
  // [x0, x1) is the span of output columns whose source column is inside the image.
  let x0 = -left;
  if (x0 < 0) x0 = 0;
  if (x0 > w) x0 = w;
  let x1 = sw - left;
  if (x1 > w) x1 = w;
  if (x1 < x0) x1 = x0;
  for (let y = 0; y < h; y++) {
    const d = dst + <usize>y * rowBytes;
    const sy = mapIndex(top + y, sh, mode);
    if (sy < 0) {
      for (let x = 0; x < w; x++) copyPixel(d + <usize>(x * c), fill, c);
      continue;
    }
    const row = src + <usize>sy * <usize>(sw * c);
    for (let x = 0; x < x0; x++) {
      const sx = mapIndex(left + x, sw, mode);
      copyPixel(d + <usize>(x * c), sx < 0 ? fill : row + <usize>(sx * c), c);
    }
    if (x1 > x0) memory.copy(d + <usize>(x0 * c), row + <usize>((left + x0) * c), <usize>((x1 - x0) * c));
    for (let x = x1; x < w; x++) {
      const sx = mapIndex(left + x, sw, mode);
      copyPixel(d + <usize>(x * c), sx < 0 ? fill : row + <usize>(sx * c), c);
    }
  }
}

/**
 * Mirrors each row of src (w x h, c channels) into dst. Each 16-byte vector loaded from the
 * row's end is byte-shuffled into place: 16 pixels of 1 byte, 4 of 4 bytes, or 5 of 3 bytes
 * (the 16th byte stored lands on a pixel of this row that the next store rewrites, never on
 * another row: callers may emit rows in any order). The loops walk pointers and do eight
 * vectors per step: with the pixel index recomputed per vector, the address arithmetic, not
 * the shuffle, was the cost (~3x memcpy; now ~1.3x).
 */
export function hflip(src: usize, w: i32, h: i32, c: i32, dst: usize): void {
  const rowBytes = <usize>w * <usize>c;
  if (c == 1) flipRows(src, rowBytes, h, dst, 16, v128(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
  else if (c == 4) flipRows(src, rowBytes, h, dst, 16, v128(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3));
  else flipRows(src, rowBytes, h, dst, 15, v128(12, 13, 14, 9, 10, 11, 6, 7, 8, 3, 4, 5, 0, 1, 2, 15));
  // The pixels the vectors did not reach (fewer than 16 / 6 / 4 per row).
  const cu = <usize>c;
  const done: usize = rowBytes < 16 ? 0 : ((rowBytes - 16) / <usize>step(c) + 1) * <usize>step(c);
  for (let y = 0; y < h; y++) {
    const s = src + <usize>y * rowBytes;
    const d = dst + <usize>y * rowBytes;
    for (let o = done; o < rowBytes; o += cu) {
      const q = s + rowBytes - cu - o;
      for (let k: usize = 0; k < cu; k++) store<u8>(d + o + k, load<u8>(q + k));
    }
  }
}

/** Bytes of whole pixels one shuffled vector writes. */
// @ts-ignore: decorator
@inline function step(c: i32): i32 {
  return c == 3 ? 15 : 16;
}

/**
 * The vector part of hflip: for each row, vectors of `adv` bytes (whole pixels) from the
 * row's end shuffled by `rev` to the row's start, while a whole 16-byte store stays inside
 * the row; hflip finishes the rest.
 */
// @ts-ignore: decorator
@inline function flipRows(src: usize, rowBytes: usize, h: i32, dst: usize, adv: usize, rev: v128): void {
  if (rowBytes < 16) return;
  const a2 = adv * 2, a3 = adv * 3, a4 = adv * 4, a5 = adv * 5, a6 = adv * 6, a7 = adv * 7, a8 = adv * 8;
  for (let y = 0; y < h; y++) {
    const d0 = dst + <usize>y * rowBytes;
    let d = d0;
    let s = src + <usize>y * rowBytes + rowBytes - adv;
    // The last vector may start at rowBytes - 16.
    const last = d0 + rowBytes - 16;
    for (; d + a7 <= last; d += a8, s -= a8) {
      v128.store(d, i8x16.swizzle(v128.load(s), rev));
      v128.store(d + adv, i8x16.swizzle(v128.load(s - adv), rev));
      v128.store(d + a2, i8x16.swizzle(v128.load(s - a2), rev));
      v128.store(d + a3, i8x16.swizzle(v128.load(s - a3), rev));
      v128.store(d + a4, i8x16.swizzle(v128.load(s - a4), rev));
      v128.store(d + a5, i8x16.swizzle(v128.load(s - a5), rev));
      v128.store(d + a6, i8x16.swizzle(v128.load(s - a6), rev));
      v128.store(d + a7, i8x16.swizzle(v128.load(s - a7), rev));
    }
    for (; d <= last; d += adv, s -= adv) v128.store(d, i8x16.swizzle(v128.load(s), rev));
  }
}

/** Copies the rows of src (w x h, c channels) into dst in reverse order. */
export function vflip(src: usize, w: i32, h: i32, c: i32, dst: usize): void {
  const rowBytes = <usize>(w * c);
  for (let y = 0; y < h; y++) {
    memory.copy(dst + <usize>y * rowBytes, src + <usize>(h - 1 - y) * rowBytes, rowBytes);
  }
}

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

/** Mirrors each row of src (w x h, c channels) into dst. */
export function hflip(src: usize, w: i32, h: i32, c: i32, dst: usize): void {
  const rowBytes = <usize>(w * c);
  // Byte-reversal masks as loop-invariant swizzles: engines lower a variable-mask swizzle to
  // one byte shuffle, where a constant i8x16.shuffle may rebuild its mask on every use.
  const rev1 = v128(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
  const rev3 = v128(12, 13, 14, 9, 10, 11, 6, 7, 8, 3, 4, 5, 0, 1, 2, 15);
  const rev4 = v128(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
  for (let y = 0; y < h; y++) {
    const s = src + <usize>y * rowBytes;
    const d = dst + <usize>y * rowBytes;
    let x = 0;
    if (c == 1) {
      for (; x + 16 <= w; x += 16) {
        const v = v128.load(s + <usize>(w - 16 - x));
        v128.store(d + <usize>x, i8x16.swizzle(v, rev1));
      }
    } else if (c == 4) {
      for (; x + 4 <= w; x += 4) {
        const v = v128.load(s + <usize>((w - 4 - x) * 4));
        v128.store(d + <usize>(x * 4), i8x16.swizzle(v, rev4));
      }
    } else if (c == 3) {
      // Five pixels per vector; the 16th byte stored lands on a pixel of this row that is
      // written next, never on another row (callers may emit rows in any order).
      for (; x + 6 <= w; x += 5) {
        const v = v128.load(s + <usize>((w - 5 - x) * 3));
        v128.store(d + <usize>(x * 3), i8x16.swizzle(v, rev3));
      }
    }
    for (; x < w; x++) copyPixel(d + <usize>(x * c), s + <usize>((w - 1 - x) * c), c);
  }
}

/** Copies the rows of src (w x h, c channels) into dst in reverse order. */
export function vflip(src: usize, w: i32, h: i32, c: i32, dst: usize): void {
  const rowBytes = <usize>(w * c);
  for (let y = 0; y < h; y++) {
    memory.copy(dst + <usize>y * rowBytes, src + <usize>(h - 1 - y) * rowBytes, rowBytes);
  }
}

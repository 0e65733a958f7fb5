// EXIF orientation applied to decoded pixels: the bytes of Pillow's `ImageOps.exif_transpose`,
// i.e. `Image.transpose` with FLIP_LEFT_RIGHT (2), ROTATE_180 (3), FLIP_TOP_BOTTOM (4),
// TRANSPOSE (5), ROTATE_270 (6), TRANSVERSE (7), ROTATE_90 (8). Pure byte moves, any band count.

const TILE = 32;

/**
 * Writes `src` (w x h, `bands` bytes a pixel) transformed for EXIF `orientation` to `dst`.
 * Orientations 5-8 swap the sides (dst is h x w); 1 and anything outside 2..8 copy.
 */
export function orient(src: usize, w: i32, h: i32, bands: i32, orientation: i32, dst: usize): void {
  const b = <usize>bands;
  const row = <usize>w * b;
  if (orientation < 2 || orientation > 8) {
    memory.copy(dst, src, row * <usize>h);
    return;
  }
  if (orientation <= 4) {
    const flipX = orientation != 4;
    const flipY = orientation != 2;
    for (let y = 0; y < h; y++) {
      const s = src + <usize>(flipY ? h - 1 - y : y) * row;
      const d = dst + <usize>y * row;
      if (!flipX) {
        memory.copy(d, s, row);
        continue;
      }
      for (let x = 0; x < w; x++) copyPixel(d + <usize>x * b, s + <usize>(w - 1 - x) * b, b);
    }
    return;
  }
  // Output is h wide and w high; output pixel (x', y') comes from source (sx, sy):
  //   5 TRANSPOSE   (y', x')            6 ROTATE_270 (y', h-1-x')
  //   7 TRANSVERSE  (w-1-y', h-1-x')    8 ROTATE_90  (w-1-y', x')
  const revX = orientation == 7 || orientation == 8; // sx runs backwards along y'
  const revY = orientation == 6 || orientation == 7; // sy runs backwards along x'
  const orow = <usize>h * b;
  for (let ty = 0; ty < w; ty += TILE) {
    const ey = ty + TILE < w ? ty + TILE : w;
    for (let tx = 0; tx < h; tx += TILE) {
      const ex = tx + TILE < h ? tx + TILE : h;
      for (let yo = ty; yo < ey; yo++) {
        const sx = revX ? w - 1 - yo : yo;
        const d = dst + <usize>yo * orow;
        for (let xo = tx; xo < ex; xo++) {
          const sy = revY ? h - 1 - xo : xo;
          copyPixel(d + <usize>xo * b, src + <usize>sy * row + <usize>sx * b, b);
        }
      }
    }
  }
}

// @ts-ignore: decorator
@inline function copyPixel(d: usize, s: usize, b: usize): void {
  if (b == 3) {
    store<u16>(d, load<u16>(s));
    store<u8>(d + 2, load<u8>(s + 2));
  } else if (b == 4) {
    store<u32>(d, load<u32>(s));
  } else if (b == 1) {
    store<u8>(d, load<u8>(s));
  } else {
    for (let k: usize = 0; k < b; k++) store<u8>(d + k, load<u8>(s + k));
  }
}

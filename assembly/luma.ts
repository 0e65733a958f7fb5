// Pillow's grey value, shared by every op that needs it (convert("L") in the decoders, grayscale
// and the ImageEnhance colour ops): Convert.c's L24, (19595 r + 38470 g + 7471 b + 0x8000) >> 16.

/** Pillow's L24 grey byte of (r, g, b). */
// @ts-ignore: decorator
@inline export function l24(r: u32, g: u32, b: u32): u32 {
  return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
}

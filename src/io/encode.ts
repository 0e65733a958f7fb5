// Image to PNG bytes, deterministically.
import { checkImage, type Image } from "../image.js";
import { asBuffer, codecs } from "./codecs.js";

/** PNG colour type for each channel count: grey, RGB, RGBA. */
const COLOR_TYPE = { 1: 0, 3: 2, 4: 6 } as const;

/**
 * Encodes an {@link Image} as an 8-bit PNG: 1 channel as greyscale, 3 as RGB, 4 as RGBA, so
 * {@link decode} gives back the same image exactly.
 *
 * The bytes are deterministic: the same image gives the same file on every call and every run.
 * The options are fixed (pngjs adaptive per-row filtering, zlib level 9 with the Z_RLE strategy,
 * a single IDAT chunk, no ancillary chunks: no time, gamma or text). Z_RLE only matches runs
 * of the previous byte, so the output does not depend on zlib's hash-chain implementation.
 *
 * @param img The image to encode; checked with `checkImage` (errors name `img`).
 * @returns The PNG file's bytes, in a new Uint8Array.
 */
export async function encodePng(img: Image): Promise<Uint8Array> {
  checkImage(img, "img");
  const { png } = await codecs();
  const colorType = COLOR_TYPE[img.channels];
  const out = await png.encode(
    { width: img.width, height: img.height, data: asBuffer(img.data) },
    {
      colorType,
      inputColorType: colorType,
      inputHasAlpha: img.channels === 4,
      bitDepth: 8,
      deflateLevel: 9,
      deflateStrategy: 3,
      deflateChunkSize: 32 * 1024,
      filterType: -1,
    },
  );
  return new Uint8Array(out); // a copy: pngjs may hand back a view into Node's shared pool
}

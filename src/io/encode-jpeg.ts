// Image to JPEG bytes, in the kernel: the same file on every platform.
import { ready } from "../kernel/instance.js";
import type { Image } from "../image.js";
import { checkJpegImage, encodeJpeg as encodeJpegSync, type EncodeJpegOptions } from "../functional/jpeg.js";

export type { EncodeJpegOptions };

/**
 * Encodes a grey or RGB {@link Image} as a baseline JPEG with the bytes torchvision's
 * `encode_jpeg(img, quality)` and Pillow's `save(f, "JPEG", quality=quality)` write
 * (libjpeg-turbo's defaults: JFIF, YCbCr 4:2:0 for RGB, standard tables scaled to `quality`).
 * Computed in the kernel, so the bytes are the same on every platform. RGBA is refused (a
 * RangeError naming `img.channels`), as torchvision refuses it.
 *
 * @param img The image; checked with `checkImage` (errors name `img`).
 * @param opts `quality`: an integer in [1, 100], default 75.
 * @returns The file's bytes, in a new Uint8Array.
 */
export async function encodeJpeg(img: Image, opts: EncodeJpegOptions = {}): Promise<Uint8Array> {
  // Bad input fails before the kernel loads; the snapshot (not `img`) is what gets encoded, and
  // it is checked again after the await (its buffer may have been transferred meanwhile).
  const snap = checkJpegImage(img);
  await ready();
  return encodeJpegSync(snap, opts);
}

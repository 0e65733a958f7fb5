// Image to PNG bytes, deterministically, by the kernel's encoder (assembly/codec/pngencode.ts).
import { checkImage, type Image } from "../image.js";
import { kernel, ready } from "../kernel/instance.js";

/**
 * Encodes an {@link Image} as an 8-bit PNG: 1 channel as greyscale, 3 as RGB, 4 as RGBA, so
 * {@link decode} gives back the same image exactly.
 *
 * The bytes are the same on every runtime and every call: the kernel (WebAssembly) writes the
 * whole file, so nothing depends on the platform's zlib. The file is the signature, IHDR, one
 * IDAT and IEND (no ancillary chunks: no time, gamma or text), not interlaced. Each row's filter
 * is chosen as libpng does (the smallest sum of absolute values), and the data is compressed
 * with LZ77 hash chains and dynamic Huffman codes at about zlib's default level.
 *
 * @param img The image to encode; checked with `checkImage` (errors name `img`).
 * @returns The PNG file's bytes, in a new Uint8Array.
 * @throws TypeError or RangeError for an invalid `img`; RangeError for an image whose PNG data
 *   would pass 2 GiB.
 */
export async function encodePng(img: Image): Promise<Uint8Array> {
  // A snapshot before the await (bad input fails before the kernel loads), checked again after
  // it: its buffer may have been transferred meanwhile.
  const snap = checkImage(img, "img");
  await ready();
  img = checkImage(snap, "img");
  const { exports: k, arena } = kernel();
  const { width: w, height: h, channels: c } = img;
  const scratchSize = k.pngEncodeScratch(w, h, c);
  if (scratchSize === 0) throw new RangeError(`img: a ${w}x${h}x${c} image is too large to encode as PNG (over 2 GiB of image data)`);
  arena.reset();
  const src = arena.put(img.data);
  const scratch = arena.alloc(scratchSize);
  const length = k.pngEncode(src, w, h, c, scratch);
  if (length === 0) throw new Error("lockstep: internal error: the PNG encoder refused a checked image; please report it");
  return arena.takeU8(scratch, length);
}

// JPEG compression artefacts (torchvision v2 F.jpeg: encode_jpeg, then decode_jpeg) and the
// encoder on its own, both in the kernel: assembly/codec/jpegenc.ts writes libjpeg-turbo's
// bytes for torchvision's encode_jpeg(img, quality) (= Pillow's save(quality=q)), and
// assembly/codec/jpeg.ts decodes them as libjpeg-turbo does. The file never leaves wasm
// memory on the way from one to the other.
import { kernel } from "../kernel/instance.js";
import type { Arena } from "../kernel/arena.js";
import { checkImage, describe, type Image } from "../image.js";
import type { OutOptions } from "./geometry.js";
import { checkOut } from "./resample.js";
import { checkOptions } from "./args.js";

/** The kernel's JPEG exports (assembly/codec/jpegenc.ts, assembly/codec/jpeg.ts). Addresses are byte offsets. */
interface JpegKernel {
  jpegEncode(
    src: number,
    width: number,
    height: number,
    channels: number,
    quality: number,
    dst: number,
    cap: number,
    scratch: number,
    info: number,
  ): number;
  jpegEncodeBound(width: number, height: number, channels: number): number;
  jpegEncodeScratch(width: number, height: number, channels: number): number;
  jpegInfo(src: number, len: number, info: number): number;
  jpegDecode(src: number, len: number, info: number, dst: number, scratch: number): number;
}

/** Info block slots used here (assembly/codec/info.ts). */
const INFO_WIDTH = 1;
const INFO_HEIGHT = 2;
const INFO_BYTES = 4;
const INFO_SCRATCH = 5;
const INFO_END = 10;
const INFO_JPEG_OPTIONS = 26;
const INFO_BLOCK = 128;
/** jpegEncode's status for an output buffer that is too small (assembly/codec/status.ts). */
const E_ENC_SPACE = 13;

/** Options of {@link encodeJpeg}. */
export interface EncodeJpegOptions {
  /** 1 (smallest) to 100 (best); 75 as torchvision's encode_jpeg and Pillow default to. */
  quality?: number;
}

function jpegKernel(): { k: JpegKernel; arena: Arena } {
  const { exports, arena } = kernel();
  return { k: exports as unknown as JpegKernel, arena };
}

/** Checks a JPEG quality: an integer in [1, 100] (torchvision's encode_jpeg and JPEG). */
export function checkQuality(q: unknown, name = "quality"): number {
  if (typeof q !== "number" || !Number.isInteger(q) || q < 1 || q > 100) {
    throw new RangeError(`${name} must be an integer in [1, 100], got ${describe(q)}`);
  }
  return q;
}

/** Checks that an image can be coded as JPEG: 1 (grey) or 3 (RGB) channels, as torchvision's encode_jpeg. */
export function checkJpegImage(img: unknown, name = "img"): Image {
  const i = checkImage(img, name);
  if (i.channels !== 1 && i.channels !== 3) {
    throw new RangeError(
      `${name}.channels must be 1 (grey) or 3 (RGB) to code as JPEG (torchvision's encode_jpeg takes no alpha), got ${i.channels}`,
    );
  }
  return i;
}

function internal(what: string, status: number): Error {
  return new Error(`lockstep: internal error: the kernel's JPEG ${what} returned status ${status}; please report it with the image size`);
}

/**
 * Encodes `img` in the kernel (arena reset first) and returns where the file lies and its
 * length. The output buffer starts at the raw image size (plenty for photographs) and grows to
 * jpegEncodeBound only for files that need more (noise at high quality).
 */
function encodeInKernel(img: Image, quality: number): { k: JpegKernel; arena: Arena; at: number; length: number } {
  const { k, arena } = jpegKernel();
  const { width: w, height: h, channels: c } = img;
  arena.reset();
  const src = arena.put(img.data);
  const info = arena.alloc(INFO_BLOCK);
  const scratch = arena.alloc(k.jpegEncodeScratch(w, h, c));
  const bound = k.jpegEncodeBound(w, h, c);
  let cap = Math.min(bound, w * h * c + 2048);
  let dst = arena.alloc(cap);
  let status = k.jpegEncode(src, w, h, c, quality, dst, cap, scratch, info);
  if (status === E_ENC_SPACE && cap < bound) {
    cap = bound;
    dst = arena.alloc(cap);
    status = k.jpegEncode(src, w, h, c, quality, dst, cap, scratch, info);
  }
  if (status !== 0) throw internal("encoder", status);
  return { k, arena, at: dst, length: arena.u32()[(info >>> 2) + INFO_END]! };
}

/**
 * Encodes an image as a baseline JPEG file, in the kernel, with the bytes torchvision's
 * `torchvision.io.encode_jpeg(img, quality)` writes (libjpeg-turbo's jpeg_set_defaults and
 * jpeg_set_quality(quality, TRUE); also what Pillow's `save(f, "JPEG", quality=quality)`
 * writes): JFIF, the standard quantization tables scaled to `quality`, the standard Huffman
 * tables, RGB as YCbCr 4:2:0 and grey as one component. The same bytes on every platform.
 *
 * @param img A grey (1 channel) or RGB (3 channel) image; RGBA is refused, as torchvision does.
 * @param opts `quality`: an integer in [1, 100], default 75.
 * @returns The file's bytes, in a new Uint8Array.
 */
export function encodeJpeg(img: Image, opts: EncodeJpegOptions = {}): Uint8Array {
  img = checkJpegImage(img);
  if (typeof opts !== "object" || opts === null)
    throw new TypeError(`options must be an object like { quality: 75 }, got ${describe(opts)}`);
  const q: unknown = opts.quality;
  const quality = checkQuality(q === undefined ? 75 : q, "quality");
  const { arena, at, length } = encodeInKernel(img, quality);
  return arena.takeU8(at, length);
}

/**
 * JPEG compression artefacts (torchvision v2 `F.jpeg`): encodes the image at `quality` as
 * {@link encodeJpeg} does and decodes the file again as libjpeg-turbo decodes it (islow IDCT,
 * fancy upsampling), all in the kernel. Grey stays grey, RGB stays RGB.
 *
 * @param img A grey or RGB image (RGBA is refused, as torchvision's encode_jpeg does).
 * @param quality An integer in [1, 100].
 * @param opts `out`: a Uint8Array of the image's size to receive the bytes.
 */
export function jpeg(img: Image, quality: number, opts: OutOptions = {}): Image {
  opts = checkOptions(opts);
  img = checkJpegImage(img);
  checkQuality(quality);
  const n = img.data.length;
  const out = checkOut(opts.out, Uint8Array, n);
  const { k, arena, at, length } = encodeInKernel(img, quality);
  const info = arena.alloc(INFO_BLOCK);
  const u32 = arena.u32();
  u32[(info >>> 2) + INFO_JPEG_OPTIONS] = 0;
  let status = k.jpegInfo(at, length, info);
  if (status !== 0) throw internal("decoder's header pass", status);
  const slots = arena.u32().subarray(info >>> 2, (info >>> 2) + 32);
  if (slots[INFO_WIDTH] !== img.width || slots[INFO_HEIGHT] !== img.height || slots[INFO_BYTES] !== img.channels)
    throw internal("decoder's header pass", -1);
  const scratch = arena.alloc(slots[INFO_SCRATCH]!);
  const dst = arena.alloc(n);
  status = k.jpegDecode(at, length, info, dst, scratch);
  if (status !== 0) throw internal("decoder", status);
  return { width: img.width, height: img.height, channels: img.channels, data: arena.takeU8(dst, n, out) };
}

// Image files to Images through the kernel's own decoders (assembly/codec/): PNG and JPEG give
// Pillow 12.3's bytes (`Image.open(f).convert(mode)`) on every runtime, because one wasm binary
// does all of it. Other formats (BMP, GIF, TIFF) go through jimp, loaded only for them.
import { bytesOf, describe, MAX_PIXELS, MAX_SIDE, type Channels, type Image } from "../image.js";
import { kernel, ready } from "../kernel/instance.js";
import { KERNEL_CONSTANTS as C, type KernelExports } from "../kernel/exports.js";
import type { HeldImage } from "../kernel/arena.js";
import { allocKernelImage, addressOf, type KernelImage } from "../kernel/image.js";

/**
 * What to convert the file's pixels to, as Pillow's `.convert(mode)`: "RGB" (3 channels), "RGBA"
 * (4), "L" (1, Pillow's fixed-point luma), or "keep" the file's own channels (grey 1, colour 3,
 * with alpha or a palette with transparency 4).
 */
export type DecodeMode = "RGB" | "RGBA" | "L" | "keep";

/** Options of {@link decode}. */
export interface DecodeOptions {
  /** Pixel mode of the result (default "keep"). Datasets and `lockstep augment` use "RGB". */
  mode?: DecodeMode;
  /**
   * Turn the image upright by its EXIF orientation, giving `ImageOps.exif_transpose`'s bytes
   * (default false, as Pillow's `Image.open` and torchvision's decoders).
   */
  applyExifOrientation?: boolean;
  /**
   * Refuse images with more pixels than this, from the header, before anything is allocated.
   * Default: Pillow's decompression-bomb error limit (2 x 89,478,485); lockstep's own image
   * limits (MAX_SIDE per side, MAX_PIXELS in all) apply as well.
   */
  maxPixels?: number;
  /**
   * Decode a JPEG whose data ends early the way Pillow does with `ImageFile.LOAD_TRUNCATED_IMAGES`
   * (default false: a truncated file is an error, as in Pillow by default).
   */
  allowTruncated?: boolean;
}

/** Pillow's decompression-bomb error limit: `2 * Image.MAX_IMAGE_PIXELS`. */
export const DEFAULT_MAX_PIXELS = 2 * 89_478_485;

/** What a file's header says, read without decoding pixels (see {@link readInfo}). */
export interface ImageInfo {
  format: "png" | "jpeg";
  width: number;
  height: number;
  /** The mode Pillow's `Image.open` gives the file: "1", "L", "LA", "RGB", "RGBA", "P", "I;16" or "CMYK". */
  mode: string;
  /** Channels `decode(bytes, { mode: "keep" })` returns. */
  channels: Channels;
  /** EXIF orientation, 1 to 8, or 0 when the file has none. */
  orientation: number;
  /** JPEG: progressive; PNG: Adam7-interlaced. */
  progressive: boolean;
  interlaced: boolean;
}

/** Why a file could not be decoded: its status in the kernel's table and the kind of problem. */
export class DecodeError extends Error {
  /** The decoder's status code (assembly/codec/status.ts). */
  readonly code: number;
  /** "unsupported" (a valid file lockstep does not decode), "truncated" or "corrupt". */
  readonly reason: "unsupported" | "truncated" | "corrupt";
  constructor(message: string, code: number) {
    super(message);
    this.name = "DecodeError";
    this.code = code;
    this.reason = code < 100 ? "unsupported" : code < 200 ? "truncated" : "corrupt";
  }
}

// The info block's slots (assembly/codec/info.ts and image.ts).
const SLOT = {
  format: C.INFO_FORMAT,
  width: C.INFO_WIDTH,
  height: C.INFO_HEIGHT,
  mode: C.INFO_MODE,
  orientation: C.INFO_ORIENTATION,
  flags: C.INFO_FLAGS,
  components: C.INFO_COMPONENTS,
  bits: C.INFO_BITS,
  jpegOptions: C.INFO_JPEG_OPTIONS,
  outWidth: C.INFO_OUT_WIDTH,
  outHeight: C.INFO_OUT_HEIGHT,
  outChannels: C.INFO_OUT_CHANNELS,
  outScratch: C.INFO_OUT_SCRATCH,
} as const;
/** Pillow's names of the codec's modes. */
const MODE_NAMES: Record<number, string> = {
  [C.MODE_1]: "1",
  [C.MODE_L]: "L",
  [C.MODE_LA]: "LA",
  [C.MODE_RGB]: "RGB",
  [C.MODE_RGBA]: "RGBA",
  [C.MODE_P]: "P",
  [C.MODE_I16]: "I;16",
  [C.MODE_CMYK]: "CMYK",
};
const WANT: Record<DecodeMode, number> = { keep: C.WANT_KEEP, L: C.MODE_L, RGB: C.MODE_RGB, RGBA: C.MODE_RGBA };
/** Deflate's largest expansion: a 258-byte match coded in two bits (zlib's "1032:1"). */
const MAX_INFLATE_RATIO = 1032;

/**
 * Decodes a PNG or JPEG file to an {@link Image}: Pillow 12.3's `Image.open(f).convert(mode)`
 * bytes on every runtime (libjpeg-turbo's islow IDCT, fancy upsampling and colour conversion;
 * every PNG colour type and depth, palettes, tRNS, Adam7). With `applyExifOrientation`, also
 * `ImageOps.exif_transpose`. BMP, GIF and TIFF files decode through jimp (loaded for them
 * only), without the Pillow guarantee.
 *
 * @param bytes The file's bytes (not modified).
 * @returns A new image sharing no memory with `bytes`.
 * @throws TypeError for a bad argument or a file that is no image format lockstep reads;
 *   RangeError when the header's size is over `maxPixels` or lockstep's limits; DecodeError for a
 *   truncated, corrupt or unsupported file (every message starts with "decode:").
 */
export async function decode(bytes: Uint8Array | ArrayBuffer, options: DecodeOptions = {}): Promise<Image> {
  const b = asBytes(bytes);
  const opts = checkOptions(options);
  const other = otherFormat(b);
  if (other) return decodeOther(b, other, opts);
  await ready();
  return decodeKernel(b, opts);
}

/**
 * {@link decode} without awaiting, for PNG and JPEG, once the kernel is loaded (`await ready()`):
 * what hot loops and workers call.
 */
export function decodeSync(bytes: Uint8Array | ArrayBuffer, options: DecodeOptions = {}): Image {
  const b = asBytes(bytes);
  const opts = checkOptions(options);
  const other = otherFormat(b);
  if (other)
    throw new TypeError(`decode: ${other.toUpperCase()} files decode through jimp, which loads asynchronously: use await decode(bytes)`);
  return decodeKernel(b, opts);
}

/**
 * Where {@link decode} carries its in-kernel pair ({@link planDecode}, {@link decodeHeld}), so
 * the Loader decodes into kernel memory whether it loaded lockstep/io itself or was handed this
 * `decode` (a registered symbol: every copy of this module, in every bundle, agrees on it).
 */
export const IN_KERNEL = Symbol.for("lockstep.decode.inKernel");
Object.defineProperty(decode, IN_KERNEL, { value: { planDecode, decodeHeld } });

/** Reads a PNG or JPEG header: format, size, Pillow's mode, orientation. No pixels are decoded. */
export async function readInfo(bytes: Uint8Array | ArrayBuffer): Promise<ImageInfo> {
  const b = asBytes(bytes);
  await ready();
  const { exports: k, arena } = kernel();
  arena.reset();
  const src = arena.put(b);
  const info = infoBlock();
  check(k, k.imageInfo(src, b.length, info), info, b);
  return infoOf(k, info);
}

/** A file whose header is read and checked and whose output is planned: its bytes at `src`, its info block at `info`. */
interface Planned {
  src: number;
  info: number;
  width: number;
  height: number;
  channels: Channels;
}

function decodeKernel(b: Uint8Array, opts: Required<DecodeOptions>): Image {
  const p = planKernel(b, opts);
  const dst = decodePlanned(b, p);
  return { width: p.width, height: p.height, channels: p.channels, data: kernel().arena.takeU8(dst, p.width * p.height * p.channels) };
}

/**
 * {@link decodeSync}'s pixels left in kernel memory and held there (`Arena.hold`) for the next
 * kernel call to read in place; the caller must `kernel().arena.release()` after it. The bytes
 * are decodeSync's. PNG and JPEG only (BMP, GIF and TIFF throw as in decodeSync). Internal: the
 * Loader's decode-into-the-pipeline path.
 */
export function decodeHeld(bytes: Uint8Array, options: DecodeOptions = {}): HeldImage {
  const b = asBytes(bytes);
  const opts = checkOptions(options);
  const other = otherFormat(b);
  if (other)
    throw new TypeError(`decode: ${other.toUpperCase()} files decode through jimp, which loads asynchronously: use await decode(bytes)`);
  const p = planKernel(b, opts);
  const at = decodePlanned(b, p);
  kernel().arena.hold();
  return { held: true, width: p.width, height: p.height, channels: p.channels, at };
}

/**
 * {@link decodeSync} into a new {@link KernelImage}: the pixels are decoded straight into kernel
 * memory, where transforms and `F` ops read them in place (no copy out of the decoder, none
 * back in). Same bytes as decodeSync; PNG and JPEG only, once the kernel is loaded (`await
 * ready()`). Dispose the image when done.
 * @throws as {@link decodeSync}; RangeError when kernel memory cannot hold the image.
 */
export function decodeToKernel(bytes: Uint8Array | ArrayBuffer, options: DecodeOptions = {}): KernelImage {
  const b = asBytes(bytes);
  const opts = checkOptions(options);
  const other = otherFormat(b);
  if (other)
    throw new TypeError(
      `decode: ${other.toUpperCase()} files decode through jimp, which loads asynchronously: use toKernel(await decode(bytes))`,
    );
  const p = planKernel(b, opts);
  const img = allocKernelImage(p.height, p.width, p.channels);
  try {
    decodePlanned(b, p, addressOf(img, "decodeToKernel"));
  } catch (e) {
    img.dispose();
    throw e;
  }
  return img;
}

/**
 * The size and channels {@link decodeSync} would return, from the header alone, with the same
 * checks and errors; null for BMP, GIF and TIFF files (they decode through jimp). Internal: the
 * Loader plans a batch with it before decoding any pixels.
 */
export function planDecode(bytes: Uint8Array, options: DecodeOptions = {}): { width: number; height: number; channels: Channels } | null {
  const b = asBytes(bytes);
  const opts = checkOptions(options);
  if (otherFormat(b)) return null;
  const { width, height, channels } = planKernel(b, opts);
  return { width, height, channels };
}

/** Decodes a planned file's pixels into a new arena block (or at `into`); returns their address. */
function decodePlanned(b: Uint8Array, p: Planned, into?: number): number {
  const { exports: k, arena } = kernel();
  const word = (slot: number) => arena.u32()[(p.info >>> 2) + slot]! | 0;
  const scratchBytes = word(SLOT.outScratch);
  // Allocating may grow memory and detach views: read the info block before, take views after.
  const dst = into ?? arena.alloc(p.width * p.height * p.channels);
  const aux = arena.alloc(C.AUX_BYTES);
  const scratch = arena.alloc(scratchBytes);
  check(k, k.imageDecode(p.src, b.length, p.info, dst, aux, scratch), p.info);
  return dst;
}

/** Reads and checks the header and plans the output (the arena is reset; the file is copied in). */
function planKernel(b: Uint8Array, opts: Required<DecodeOptions>): Planned {
  const { exports: k, arena } = kernel();
  arena.reset();
  const src = arena.put(b);
  const info = infoBlock();
  check(k, k.imageInfo(src, b.length, info), info, b);
  const word = (slot: number) => arena.u32()[(info >>> 2) + slot]! | 0;
  const width = word(SLOT.width),
    height = word(SLOT.height);
  const what = word(SLOT.format) === C.FORMAT_PNG ? "PNG" : "JPEG";
  if (width > MAX_SIDE || height > MAX_SIDE)
    throw new RangeError(`decode: the ${what} is ${width}x${height}, over lockstep's limit of ${MAX_SIDE} pixels a side`);
  const limit = Math.min(opts.maxPixels, MAX_PIXELS);
  if (width * height > limit) {
    throw new RangeError(
      `decode: the ${what} is ${width}x${height} = ${width * height} pixels, over the limit of ${limit} (${limit === opts.maxPixels ? "maxPixels" : "lockstep's MAX_PIXELS"}); refused before decoding`,
    );
  }
  if (what === "PNG") {
    // A PNG's pixel data is deflated, so its file holds at least 1/1032 of the bytes the header's
    // size needs. One that cannot is refused before its memory is taken: a 68-byte file claiming
    // 11585 x 11585 16-bit RGBA would otherwise leave 1.5 GiB of kernel memory behind (Pillow
    // allocates it too, then finds the data short). The 1 MiB of slack keeps every small image's
    // error the decoder's own.
    const raw = Math.floor((width * height * word(SLOT.components) * word(SLOT.bits)) / 8);
    if (raw > MAX_INFLATE_RATIO * b.length + 2 ** 20) {
      throw new DecodeError(
        `decode: corrupt PNG: its ${b.length} bytes cannot inflate to the ${raw} bytes of pixel data its ${width}x${height} header needs (deflate expands at most ${MAX_INFLATE_RATIO}:1); refused before decoding`,
        C.E_PNG_SHORT,
      );
    }
  }
  check(k, k.imagePlan(info, WANT[opts.mode], opts.applyExifOrientation ? 1 : 0), info);
  const scratchBytes = word(SLOT.outScratch);
  if (scratchBytes < 0) throw new RangeError(`decode: the ${what} needs over 2 GiB of working memory to decode`);
  const ow = word(SLOT.outWidth),
    oh = word(SLOT.outHeight),
    oc = word(SLOT.outChannels) as Channels;
  if (opts.allowTruncated) arena.u32()[(info >>> 2) + SLOT.jpegOptions] = C.JPEG_ALLOW_TRUNCATED;
  return { src, info, width: ow, height: oh, channels: oc };
}

function infoBlock(): number {
  const { arena } = kernel();
  const at = arena.alloc(C.INFO_WORDS * 4);
  arena.u32().fill(0, at >>> 2, (at >>> 2) + C.INFO_WORDS);
  return at;
}

function infoOf(k: KernelExports, info: number): ImageInfo {
  const u = kernel().arena.u32();
  const word = (slot: number) => u[(info >>> 2) + slot]! | 0;
  const flags = word(SLOT.flags);
  const format = word(SLOT.format) === C.FORMAT_PNG ? "png" : "jpeg";
  const keep = k.keepMode(word(SLOT.mode), flags);
  return {
    format,
    width: word(SLOT.width),
    height: word(SLOT.height),
    mode: MODE_NAMES[word(SLOT.mode)] ?? "?",
    channels: (keep === C.MODE_L ? 1 : keep === C.MODE_RGB ? 3 : 4) as Channels,
    orientation: word(SLOT.orientation),
    progressive: format === "jpeg" && (flags & C.FLAG_PROGRESSIVE) !== 0,
    interlaced: format === "png" && (flags & C.FLAG_INTERLACED) !== 0,
  };
}

/** Throws the status's error, with the kernel's own message; `b` names the file's first bytes. */
function check(k: KernelExports, status: number, info: number, b?: Uint8Array): void {
  if (status === 0) return;
  const { arena } = kernel();
  const cap = 512;
  const at = arena.alloc(cap);
  const n = k.codecMessage(status, info, at, cap);
  const text = new TextDecoder().decode(arena.u8().subarray(at, at + n));
  if (status === C.E_TOO_LARGE) throw new RangeError(`decode: ${text}`);
  if (status === C.E_FORMAT && b)
    throw new TypeError(`decode: ${text} (${firstBytes(b)}); lockstep reads PNG and JPEG, and BMP, GIF and TIFF through jimp`);
  throw new DecodeError(`decode: ${text}`, status);
}

function firstBytes(b: Uint8Array): string {
  const n = Math.min(b.length, 8);
  return `first bytes ${Array.from(b.subarray(0, n), (x) => x.toString(16).padStart(2, "0")).join(" ")}${b.length > n ? " …" : ""}, ${b.length} bytes`;
}

/** The file's bytes, read once as a plain view (see {@link bytesOf}): what is checked is what is decoded. */
function asBytes(bytes: unknown): Uint8Array {
  const b = bytesOf(bytes, "decode: bytes");
  if (!b) {
    if (ArrayBuffer.isView(bytes))
      throw new TypeError(
        `decode: bytes must be a Uint8Array or ArrayBuffer, got ${describe(bytes)}; wrap it with new Uint8Array(x.buffer, x.byteOffset, x.byteLength)`,
      );
    throw new TypeError(`decode: bytes must be a Uint8Array or ArrayBuffer, got ${describe(bytes)}`);
  }
  if (b.length === 0) throw new TypeError("decode: empty input (0 bytes); expected the bytes of an image file");
  return b;
}

const MODES = new Set<string>(["RGB", "RGBA", "L", "keep"]);
const KEYS = new Set(["mode", "applyExifOrientation", "maxPixels", "allowTruncated"]);

function checkOptions(o: unknown): Required<DecodeOptions> {
  if (typeof o !== "object" || o === null || Array.isArray(o)) throw new TypeError(`decode: options must be an object, got ${describe(o)}`);
  for (const key of Object.keys(o))
    if (!KEYS.has(key)) throw new TypeError(`decode: unknown option ${JSON.stringify(key)} (allowed: ${[...KEYS].join(", ")})`);
  const { mode = "keep", applyExifOrientation = false, maxPixels = DEFAULT_MAX_PIXELS, allowTruncated = false } = o as DecodeOptions;
  if (typeof mode !== "string" || !MODES.has(mode))
    throw new TypeError(`decode: mode must be "RGB", "RGBA", "L" or "keep", got ${describe(mode)}`);
  if (typeof applyExifOrientation !== "boolean")
    throw new TypeError(`decode: applyExifOrientation must be a boolean, got ${describe(applyExifOrientation)}`);
  if (typeof allowTruncated !== "boolean") throw new TypeError(`decode: allowTruncated must be a boolean, got ${describe(allowTruncated)}`);
  if (typeof maxPixels !== "number" || !Number.isSafeInteger(maxPixels) || maxPixels < 1)
    throw new RangeError(`decode: maxPixels must be a positive integer, got ${describe(maxPixels)}`);
  return { mode, applyExifOrientation, maxPixels, allowTruncated };
}

// ---- other formats, through jimp ------------------------------------------------------------

type Other = "bmp" | "gif" | "tiff";

function otherFormat(b: Uint8Array): Other | null {
  if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) return "bmp";
  if (b.length >= 6 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38) return "gif";
  if (
    b.length >= 4 &&
    ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 0x2a))
  )
    return "tiff";
  return null;
}

/** The size in a BMP, GIF or TIFF header (TIFF: the first page), to refuse bombs before decoding. */
function otherSize(b: Uint8Array, f: Other): [number, number] | null {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (f === "gif") return b.length >= 10 ? [dv.getUint16(6, true), dv.getUint16(8, true)] : null;
  if (f === "bmp") return b.length >= 26 ? [Math.abs(dv.getInt32(18, true)), Math.abs(dv.getInt32(22, true))] : null;
  // TIFF: ImageWidth (256) and ImageLength (257) in IFD0, SHORT or LONG.
  const le = b[0] === 0x49;
  if (b.length < 8) return null;
  const ifd = dv.getUint32(4, le);
  if (ifd + 2 > b.length) return null;
  const count = dv.getUint16(ifd, le);
  let w = 0,
    h = 0;
  for (let i = 0, e = ifd + 2; i < count && e + 12 <= b.length; i++, e += 12) {
    const tag = dv.getUint16(e, le),
      type = dv.getUint16(e + 2, le);
    const v = type === 3 ? dv.getUint16(e + 8, le) : type === 4 ? dv.getUint32(e + 8, le) : 0;
    if (tag === 256) w = v;
    if (tag === 257) h = v;
  }
  return w > 0 && h > 0 ? [w, h] : null;
}

async function decodeOther(b: Uint8Array, f: Other, opts: Required<DecodeOptions>): Promise<Image> {
  const size = otherSize(b, f);
  if (!size) throw new DecodeError(`decode: truncated or corrupt ${f.toUpperCase()} header (${b.length} bytes)`, 200);
  const limit = Math.min(opts.maxPixels, MAX_PIXELS);
  const refuse = (w: number, h: number) => {
    if (w > MAX_SIDE || h > MAX_SIDE || w * h > limit)
      throw new RangeError(`decode: the ${f.toUpperCase()} is ${w}x${h}, over the size limit (maxPixels ${limit}, ${MAX_SIDE} a side)`);
  };
  if (size) refuse(size[0], size[1]);
  const { decodeWithJimp } = await import("./jimp.js");
  let rgba: { width: number; height: number; data: Uint8Array };
  try {
    rgba = await decodeWithJimp(b, f);
  } catch (e) {
    throw new DecodeError(`decode: corrupt or unsupported ${f.toUpperCase()} file: ${e instanceof Error ? e.message : String(e)}`, 200);
  }
  refuse(rgba.width, rgba.height);
  await ready();
  return fromRgba(rgba, opts.mode);
}

/** RGBA pixels (from jimp) to the requested mode, with the kernel's Pillow conversions. */
function fromRgba(rgba: { width: number; height: number; data: Uint8Array }, mode: DecodeMode): Image {
  const { width, height, data } = rgba;
  const n = width * height;
  let opaque = true;
  for (let i = 3; i < data.length; i += 4)
    if (data[i] !== 255) {
      opaque = false;
      break;
    }
  const want = mode === "keep" ? (opaque ? "RGB" : "RGBA") : mode;
  const channels: Channels = want === "L" ? 1 : want === "RGB" ? 3 : 4;
  if (want === "RGBA") return { width, height, channels, data: data.slice(0, n * 4) };
  const { exports: k, arena } = kernel();
  arena.reset();
  const src = arena.put(data.subarray(0, n * 4));
  const info = infoBlock();
  const dst = arena.alloc(n * channels);
  const st = k.convertMode(src, C.MODE_RGBA, width, height, 0, info, WANT[want], dst);
  if (st !== 0) check(k, st, info);
  return { width, height, channels, data: arena.takeU8(dst, n * channels) };
}

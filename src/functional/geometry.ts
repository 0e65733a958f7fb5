// Flips, crops and pads: torchvision.transforms.functional's bytes, from two kernel calls.
import { kernel } from "../kernel/instance.js";
import { MODE } from "../kernel/exports.js";
import { checkArea, checkImage, checkSide, type Image } from "../image.js";
import { checkOptions, checkHW, checkInt, checkPadding, checkPaddingMode, fillBytes, roundHalfEven, type PaddingMode } from "./args.js";
import { checkInput, checkOut, kernelOut, onePass } from "./resample.js";
import { addressOf, isKernelImage, type KernelImage } from "../kernel/image.js";

/** Options shared by ops that write an image: `out` receives the bytes instead of a new array. */
export interface OutOptions {
  out?: Uint8Array;
}

/**
 * Options of the flips: `out` as {@link OutOptions}, or a {@link KernelImage} of the image's size,
 * written in place and returned. A KernelImage input and out flip in one pass with no copy.
 */
export interface FlipOptions {
  out?: Uint8Array | KernelImage;
}

const COORD_LIMIT = 1 << 30;

/**
 * Rows per kernel call of a flip: bands of about 64 KiB keep the copy in, the flip and the
 * copy out in cache (the whole 500x375 image at once measured ~15% slower).
 */
const BAND_BYTES = 1 << 16;

function flip(input: Image | KernelImage, which: "hflip" | "vflip", opts: FlipOptions): Image | KernelImage {
  const { exports: k, arena } = kernel();
  const kout = isKernelImage(opts.out) ? opts.out : undefined;
  if (isKernelImage(input)) {
    // In kernel memory already: one pass, straight into a KernelImage out when it is another image.
    const src = addressOf(input, "img");
    const { width: w, height: h, channels: c } = input;
    const n = w * h * c;
    const outAt = kout ? kernelOut(kout, [h, w, c]) : -1;
    if (kout && outAt !== src) {
      k[which](src, w, h, c, outAt);
      return kout;
    }
    arena.reset();
    const dst = arena.alloc(n);
    k[which](src, w, h, c, dst);
    if (kout) {
      arena.move(outAt, dst, n);
      return kout;
    }
    return { width: w, height: h, channels: c, data: arena.takeU8(dst, n, checkOut(opts.out, Uint8Array, n)) };
  }
  const img = checkImage(input);
  const n = img.data.length;
  const outAt = kout ? kernelOut(kout, [img.height, img.width, img.channels]) : -1;
  const out = kout ? null : (checkOut(opts.out, Uint8Array, n) ?? new Uint8Array(n));
  const row = img.width * img.channels;
  // An `out` over the input's memory gets one band: a vflip's later bands read rows that
  // earlier bands would already have overwritten.
  const rows = out?.buffer === img.data.buffer ? img.height : Math.max(1, Math.min(img.height, Math.floor(BAND_BYTES / row)));
  arena.reset();
  const src = arena.alloc(rows * row);
  const dst = kout ? -1 : arena.alloc(rows * row);
  const mem = arena.u8();
  for (let y = 0; y < img.height; y += rows) {
    const h = Math.min(rows, img.height - y);
    // Output rows [y, y + h) come from the same rows (hflip) or the mirrored band (vflip).
    const from = (which === "hflip" ? y : img.height - y - h) * row;
    mem.set(img.data.subarray(from, from + h * row), src);
    // A KernelImage out takes each band where it belongs (bands run top down, so a vector
    // store past a band's end is overwritten by the next band).
    k[which](src, img.width, h, img.channels, kout ? outAt + y * row : dst);
    if (out) out.set(mem.subarray(dst, dst + h * row), y * row);
  }
  return kout ?? { width: img.width, height: img.height, channels: img.channels, data: out! };
}

/** Mirrors the image left to right (torchvision F.hflip). */
export function hflip(img: Image, opts?: { out?: Uint8Array }): Image;
/** A {@link KernelImage} input or out: mirrored in kernel memory (a KernelImage out is returned). */
export function hflip(img: Image | KernelImage, opts: { out: KernelImage }): KernelImage;
export function hflip(img: KernelImage, opts?: { out?: Uint8Array }): Image;
export function hflip(img: Image | KernelImage, opts: FlipOptions = {}): Image | KernelImage {
  opts = checkOptions(opts);
  return flip(img, "hflip", opts);
}

/** Mirrors the image top to bottom (torchvision F.vflip). */
export function vflip(img: Image, opts?: { out?: Uint8Array }): Image;
/** A {@link KernelImage} input or out: mirrored in kernel memory (a KernelImage out is returned). */
export function vflip(img: Image | KernelImage, opts: { out: KernelImage }): KernelImage;
export function vflip(img: KernelImage, opts?: { out?: Uint8Array }): Image;
export function vflip(img: Image | KernelImage, opts: FlipOptions = {}): Image | KernelImage {
  opts = checkOptions(opts);
  return flip(img, "vflip", opts);
}

/**
 * The height x width window at (top, left), with the border filled by `mode`. The shared
 * core of crop (constant fill outside) and pad (a window that starts before the image).
 */
export function window(
  img: Image | KernelImage,
  top: number,
  left: number,
  height: number,
  width: number,
  mode: PaddingMode,
  fill: Uint8Array,
  out?: Uint8Array | KernelImage,
): Image {
  checkArea(width, height, "the output");
  const { exports: k, arena } = kernel();
  // A KernelImage is read in place and a KernelImage out written in place (and returned).
  const p = onePass(img, out, [height, width, img.channels]);
  const f = arena.put(fill);
  k.extract(p.src, img.width, img.height, img.channels, top, left, height, width, MODE[mode], f, p.dst);
  return p.finish() as Image;
}

/** Options of {@link crop}. */
export interface CropOptions extends OutOptions {
  /** Value for pixels outside the image: one number or one per channel. Default 0, as torchvision. */
  fill?: number | number[];
}

/**
 * The height x width region whose top-left corner is (top, left) (torchvision F.crop).
 * Parts outside the image are filled with `fill` (0 by default), as torchvision pads them.
 */
export function crop(img: Image, top: number, left: number, height: number, width: number, opts: CropOptions = {}): Image {
  opts = checkOptions(opts);
  const im = checkInput(img);
  checkInt(top, "top", -COORD_LIMIT, COORD_LIMIT);
  checkInt(left, "left", -COORD_LIMIT, COORD_LIMIT);
  checkSide(height, "height");
  checkSide(width, "width");
  checkArea(width, height, "the crop");
  return window(im, top, left, height, width, "constant", fillBytes(opts.fill ?? 0, im.channels), opts.out);
}

/** torchvision's center-crop offsets (with its padding when the crop is larger): [top, left]. */
export function centerCropOffsets(height: number, width: number, ch: number, cw: number): [number, number] {
  // torchvision pads by floor(diff / 2) first, then rounds (H - h) / 2 half to even.
  const padT = ch > height ? Math.floor((ch - height) / 2) : 0;
  const padL = cw > width ? Math.floor((cw - width) / 2) : 0;
  const ph = ch > height ? ch : height;
  const pw = cw > width ? cw : width;
  return [roundHalfEven((ph - ch) / 2) - padT, roundHalfEven((pw - cw) / 2) - padL];
}

/** The central region of `size` (a number for a square, or [h, w]); zero-padded when larger (torchvision F.center_crop). */
export function centerCrop(img: Image, size: number | [number] | [number, number], opts: OutOptions = {}): Image {
  opts = checkOptions(opts);
  const im = checkInput(img);
  const [ch, cw] = checkHW(size);
  checkArea(cw, ch, "size");
  const [top, left] = centerCropOffsets(im.height, im.width, ch, cw);
  return window(im, top, left, ch, cw, "constant", new Uint8Array(im.channels), opts.out);
}

/** Options of {@link pad}. */
export interface PadOptions extends OutOptions {
  /** Value of constant padding: one number or one per channel. Default 0. */
  fill?: number | number[];
  /** "constant" (default), "edge", "reflect" or "symmetric", as torchvision's padding_mode. */
  paddingMode?: PaddingMode;
}

/**
 * Pads each side (torchvision F.pad). `padding` is n, [leftRight, topBottom] or
 * [left, top, right, bottom]. Reflect and symmetric repeat their pattern when the padding
 * is wider than the image, where torchvision would raise.
 */
export function pad(img: Image, padding: number | number[], opts: PadOptions = {}): Image {
  opts = checkOptions(opts);
  const im = checkInput(img);
  const [l, t, r, b] = checkPadding(padding);
  const mode = checkPaddingMode(opts.paddingMode ?? "constant");
  const fill = fillBytes(opts.fill ?? 0, im.channels);
  const width = checkSide(im.width + l + r, "padded width");
  const height = checkSide(im.height + t + b, "padded height");
  checkArea(width, height, "the padded image");
  return window(im, -t, -l, height, width, mode, fill, opts.out);
}

// The single entry to the kernel's resampler, shared by resize, resizedCrop and the fused
// pipeline path: box -> resize -> window -> flips -> u8 or CHW f32.
import { kernel } from "../kernel/instance.js";
import { FILTER, FLAG } from "../kernel/exports.js";
import { checkArea, checkImage, type Image, type Tensor } from "../image.js";
import { isHeld, type Arena, type HeldImage } from "../kernel/arena.js";
import { addressOf, isKernelImage, type KernelImage } from "../kernel/image.js";
import type { Interpolation } from "./args.js";
import type { Semantics } from "./semantics.js";

/** A rectangle in pixels. */
export interface Box {
  top: number;
  left: number;
  height: number;
  width: number;
}

/** One resampler call. The box lies inside the source; the window inside `size`. */
export interface ResamplePlan {
  box: Box;
  /** [h, w] the box is resized to; equal to the box's size for no resize. */
  size: [number, number];
  window: Box;
  interpolation: Interpolation;
  antialias: boolean;
  hflip: boolean;
  vflip: boolean;
  /** Set for CHW f32 output: per-channel (v / 255 - mean) / std. */
  tensor: { mean: number[]; std: number[] } | null;
  /**
   * "tensor": torch's uint8 resize and nearest, and bytes to f32 as v * float(1 / 255)
   * (torchvision v2); absent or "pil": Pillow's resampler and v / 255.
   */
  semantics?: Semantics;
}

/** A plan that copies the whole image unchanged. */
export function identityPlan(img: { width: number; height: number }): ResamplePlan {
  const full = { top: 0, left: 0, height: img.height, width: img.width };
  return {
    box: full,
    size: [img.height, img.width],
    window: { ...full },
    interpolation: "bilinear",
    antialias: true,
    hflip: false,
    vflip: false,
    tensor: null,
  };
}

/**
 * Runs a plan; `out` receives the result when given (its length must match). A {@link HeldImage}
 * or {@link KernelImage} is read where it lies in kernel memory (the box by its offset and row
 * stride, no copy in); a KernelImage `out` (an image result) is written in place and returned.
 */
export function runResample(img: Image | HeldImage | KernelImage, plan: ResamplePlan, out?: Uint8Array | Float32Array): Image | Tensor;
export function runResample(
  img: Image | HeldImage | KernelImage,
  plan: ResamplePlan,
  out?: Uint8Array | Float32Array | KernelImage,
): Image | Tensor | KernelImage;
export function runResample(
  img: Image | HeldImage | KernelImage,
  plan: ResamplePlan,
  out?: Uint8Array | Float32Array | KernelImage,
): Image | Tensor | KernelImage {
  const { exports: k, arena } = kernel();
  const c = img.channels;
  const box = plan.box;
  const w = plan.window;
  const oh = plan.size[0];
  const ow = plan.size[1];
  checkArea(ow, oh, "the resized image");
  arena.reset();
  // Only the box's rows reach the kernel: a random crop copies a fraction of the image. A held
  // image is already there: the kernel reads the box in place, rows `img.width` apart. A copied
  // box of whole rows (see putBox) is read through the image's stride too.
  let src: number, sw: number, sh: number, bl: number;
  let bt = 0;
  if (isHeld(img) || isKernelImage(img)) {
    src = isHeld(img) ? img.at : addressOf(img, "input");
    sw = img.width;
    sh = img.height;
    bl = box.left;
    bt = box.top;
  } else {
    src = putBox(arena, img, box);
    const whole = wholeRows(img, box);
    sw = whole ? img.width : box.width;
    sh = box.height;
    bl = whole ? box.left : 0;
  }
  const filter = FILTER[plan.interpolation];
  // Sized for the whole image, an upper bound for any box: random crops then reuse one
  // allocation instead of growing memory to each new largest box.
  const aa = plan.antialias ? 1 : 0;
  const scratch = arena.alloc(
    Math.max(
      k.resampleScratch(box.width, box.height, ow, oh, w.width, w.height, c, filter, aa),
      k.resampleScratch(img.width, img.height, ow, oh, w.width, w.height, c, filter, aa),
    ),
  );
  let flags = (plan.hflip ? FLAG.hflip : 0) | (plan.vflip ? FLAG.vflip : 0) | (plan.semantics === "tensor" ? FLAG.torch : 0);
  let norm = 0;
  const n = w.width * w.height * c;
  let dst: number;
  if (plan.tensor) {
    flags |= FLAG.tensor | (plan.semantics === "tensor" ? FLAG.scaleMul : 0);
    // c means then c stds, written in place (no intermediate arrays per call).
    norm = arena.alloc(8 * c);
    const f = arena.f32();
    const { mean, std } = plan.tensor;
    for (let i = 0; i < c; i++) {
      f[(norm >>> 2) + i] = mean[i]!;
      f[(norm >>> 2) + c + i] = std[i]!;
    }
    dst = arena.alloc(n * 4);
  } else {
    dst = arena.alloc(n);
  }
  // A KernelImage out is written in place, unless it is the input itself (read while written).
  const outAt = isKernelImage(out) ? kernelOut(out, plan.tensor ? null : [w.height, w.width, c]) : -1;
  if (outAt >= 0 && outAt !== src) dst = outAt;
  k.resample(
    src,
    sw,
    sh,
    c,
    bl,
    bt,
    box.width,
    box.height,
    ow,
    oh,
    w.left,
    w.top,
    w.width,
    w.height,
    filter,
    plan.antialias ? 1 : 0,
    flags,
    norm,
    dst,
    scratch,
  );
  if (isKernelImage(out)) {
    arena.move(outAt, dst, n);
    return out;
  }
  if (plan.tensor) {
    return { shape: [c, w.height, w.width], data: arena.takeF32(dst, n, checkOut(out, Float32Array, n)) };
  }
  return { width: w.width, height: w.height, channels: c, data: arena.takeU8(dst, n, checkOut(out, Uint8Array, n)) };
}

/**
 * The address of a KernelImage `out`, checked usable and of the result's [h, w, c] (null: the
 * result is a tensor, which a KernelImage cannot hold).
 */
export function kernelOut(out: KernelImage, hwc: readonly [number, number, number] | null): number {
  const at = addressOf(out, "out");
  if (!hwc) throw new TypeError("out is a KernelImage, but this output is a tensor: pass a Float32Array (or no out)");
  const [h, w, c] = hwc;
  if (out.height !== h || out.width !== w || out.channels !== c)
    throw new RangeError(`out is a ${out.width}x${out.height}x${out.channels} KernelImage, but this output is ${w}x${h}x${c}`);
  return at;
}

/**
 * Most bytes per row putBox copies beyond the box's own to copy whole rows: one copy of
 * the rows instead of a subarray (garbage) and a copy per row, which cost more than ~4 KiB of
 * extra memcpy a row (a 500x375 random crop made 30 KB of garbage per call that way).
 */
const WHOLE_ROW_SLACK = 4096;

/** Whether putBox copies the box's rows whole (read through the image's stride) rather than packed. */
function wholeRows(img: Image, box: Box): boolean {
  return 2 * box.width >= img.width || (img.width - box.width) * img.channels <= WHOLE_ROW_SLACK;
}

/**
 * Copies the box of `img` into the arena; returns its address. The rows the box spans are
 * copied whole, in one copy, unless the box is narrow in a wide image (see wholeRows): then
 * row by row, packed (row stride: the box's width).
 */
function putBox(arena: Arena, img: Image, box: Box): number {
  const row = img.width * img.channels;
  // Reserve the whole image's size so every box of this image reuses the same memory.
  const at = arena.alloc(img.data.length);
  const mem = arena.u8();
  if (wholeRows(img, box)) {
    mem.set(img.data.subarray(box.top * row, (box.top + box.height) * row), at);
    return at;
  }
  const n = box.width * img.channels;
  for (let y = 0; y < box.height; y++) {
    const from = (box.top + y) * row + box.left * img.channels;
    mem.set(img.data.subarray(from, from + n), at + y * n);
  }
  return at;
}

/** Checks a caller-supplied output buffer's type and length. */
export function checkOut<T extends Uint8Array | Float32Array>(
  out: unknown,
  type: { new (n: number): T; name: string },
  n: number,
): T | undefined {
  if (out === undefined) return undefined;
  if (!(out instanceof type)) throw new TypeError(`out must be a ${type.name} of length ${n}`);
  if (out.length !== n) throw new RangeError(`out has length ${out.length}, but this output needs ${n}`);
  return out;
}

/** A functional op's input: a snapshot of a plain image (checkImage), or a usable KernelImage as it is. */
export function checkInput(img: unknown, name = "img"): Image | KernelImage {
  if (!isKernelImage(img)) return checkImage(img, name);
  addressOf(img, name);
  return img;
}

/**
 * The two ends of a one-pass op on the arena (reset): `src`, where the input lies (a KernelImage
 * in place, a plain image copied in), and `dst`, where an `n`-byte image result goes (a KernelImage
 * `out` in place, unless it is the input, else a new block). `finish` returns the result:
 * `out` itself for a KernelImage (moved in when it was the input), else an Image copied out.
 */
export function onePass(
  img: Image | KernelImage,
  out: unknown,
  hwc: readonly [number, number, number],
): { src: number; dst: number; finish(): Image | KernelImage } {
  const { arena } = kernel();
  const [h, w, c] = hwc;
  const n = h * w * c;
  const kout = isKernelImage(out) ? out : undefined;
  const outAt = kout ? kernelOut(kout, hwc) : -1;
  const o = kout ? undefined : checkOut(out, Uint8Array, n);
  arena.reset();
  const src = isKernelImage(img) ? addressOf(img, "img") : arena.put(img.data);
  const dst = kout && outAt !== src ? outAt : arena.alloc(n);
  return {
    src,
    dst,
    finish() {
      if (kout) {
        arena.move(outAt, dst, n);
        return kout;
      }
      return { width: w, height: h, channels: c as Image["channels"], data: arena.takeU8(dst, n, o) };
    },
  };
}

// Consecutive ops that keep an image's shape and can run on kernel memory (OpSpec.resident:
// the colour ops) run as one chain: the image is copied in once, each op reads one buffer
// and writes the other, and the result is copied out once (into the caller's `out` when
// given). The bytes are those of running the ops one by one; only the copies go.
import { kernel } from "../kernel/instance.js";
import { checkOut, kernelOut } from "../functional/resample.js";
import type { Image } from "../image.js";
import { isHeld, type HeldImage } from "../kernel/arena.js";
import { addressOf, isKernelImage, type KernelImage } from "../kernel/image.js";
import { opSpec, type Op } from "./ops.js";

/** Whether the op has an in-kernel form (OpSpec.resident). */
export function hasResident(op: Op): boolean {
  return op.op === "call" && opSpec(op.name).resident !== undefined;
}

/**
 * Runs `ops` (each with an in-kernel form, all keeping the shape) on `img` with one copy in and
 * one out. A held image is read in place and used up; a KernelImage is read in place and kept.
 * A KernelImage `out` receives the last op's result directly and is returned.
 */
export function runResident(img: Image | HeldImage | KernelImage, ops: readonly Op[], out?: Uint8Array | KernelImage): Image | KernelImage {
  const { arena } = kernel();
  const n = img.width * img.height * img.channels;
  const outAt = isKernelImage(out) ? kernelOut(out, [img.height, img.width, img.channels]) : -1;
  arena.reset();
  // A held image is already in kernel memory (and is used up: the chain writes over it); a
  // KernelImage is the caller's and is only read.
  const borrowed = isKernelImage(img);
  const start = isHeld(img) ? img.at : borrowed ? addressOf(img, "input") : arena.put(img.data);
  let src = start;
  let dst = arena.alloc(n);
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (op.op !== "call") throw new Error(`runResident: ${op.op} has no in-kernel form`);
    // The last op writes straight into a KernelImage out, unless that is what it reads.
    const to = i === ops.length - 1 && outAt >= 0 && outAt !== src ? outAt : dst;
    opSpec(op.name).resident!({ width: img.width, height: img.height, channels: img.channels, src, dst: to }, op.args);
    if (i === ops.length - 1) src = to;
    else [src, dst] = [to, borrowed && src === start ? arena.alloc(n) : src];
  }
  if (isKernelImage(out)) {
    arena.move(outAt, src, n);
    return out;
  }
  return { width: img.width, height: img.height, channels: img.channels, data: arena.takeU8(src, n, checkOut(out, Uint8Array, n)) };
}

/** A held image's pixels copied out of kernel memory into a new Image. */
export function takeHeld(img: HeldImage): Image {
  const n = img.width * img.height * img.channels;
  return { width: img.width, height: img.height, channels: img.channels, data: kernel().arena.takeU8(img.at, n) };
}

// Consecutive ops that keep an image's shape and can run on kernel memory (OpSpec.resident:
// the colour ops) run as one chain: the image is copied in once, each op reads one buffer
// and writes the other, and the result is copied out once (into the caller's `out` when
// given). The bytes are those of running the ops one by one; only the copies go.
import { kernel } from "../kernel/instance.js";
import { checkOut } from "../functional/resample.js";
import type { Image } from "../image.js";
import { opSpec, type Op } from "./ops.js";

/** Whether the op has an in-kernel form (OpSpec.resident). */
export function hasResident(op: Op): boolean {
  return op.op === "call" && opSpec(op.name).resident !== undefined;
}

/** Runs `ops` (each with an in-kernel form, all keeping the shape) on `img` with one copy in and one out. */
export function runResident(img: Image, ops: readonly Op[], out?: Uint8Array): Image {
  const { arena } = kernel();
  const n = img.data.length;
  arena.reset();
  let src = arena.put(img.data);
  let dst = arena.alloc(n);
  for (const op of ops) {
    if (op.op !== "call") throw new Error(`runResident: ${op.op} has no in-kernel form`);
    opSpec(op.name).resident!({ width: img.width, height: img.height, channels: img.channels, src, dst }, op.args);
    [src, dst] = [dst, src];
  }
  return { width: img.width, height: img.height, channels: img.channels, data: arena.takeU8(src, n, checkOut(out, Uint8Array, n)) };
}

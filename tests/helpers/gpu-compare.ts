// Shared by the GPU tests: the bytes of a batch result, and a first-difference message.
import { createHash } from "node:crypto";
import type { Image, Tensor } from "../../src/index.js";
import type { BatchResult } from "../../src/ir/batch.js";

/** All output bytes of a batch: the NCHW f32 data, or the images' bytes one after another. */
export function batchBytes(r: BatchResult): Uint8Array {
  const out = r.output;
  if (!Array.isArray(out)) return new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength);
  const bytes = new Uint8Array(out.reduce((a, i) => a + i.data.length, 0));
  let at = 0;
  for (const i of out as Image[]) {
    bytes.set(i.data, at);
    at += i.data.length;
  }
  return bytes;
}

export function sha(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** null when equal, else where and how the two differ. */
export function firstDifference(a: Uint8Array, b: Uint8Array): string | null {
  if (a.length !== b.length) return `lengths ${a.length} vs ${b.length}`;
  let n = 0;
  let first = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      if (first < 0) first = i;
      n++;
    }
  }
  return n === 0 ? null : `${n} of ${a.length} bytes differ, first at byte ${first}: ${a[first]} vs ${b[first]}`;
}

export function shapeOf(r: BatchResult): string {
  const out = r.output;
  return Array.isArray(out) ? out.map((i) => `${i.width}x${i.height}x${i.channels}`).join(",") : (out as Tensor).shape.join("x");
}

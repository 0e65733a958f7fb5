// Shared by the per-family GPU tests: run (sample, ops) pairs through the GPU in one
// submission and compare every output with the wasm executor's bytes.
import * as assert from "uvu/assert";
import type { Image, Tensor } from "../../src/index.js";
import type { Op } from "../../src/ir/ops.js";
import { execute, type Sample } from "../../src/ir/execute.js";
import { gpuBackend } from "../../src/gpu/device.js";
import { lower } from "../../src/gpu/plan.js";
import { runOnGpu } from "../../src/gpu/run.js";
import { firstDifference } from "./gpu-compare.js";

export { mulberry32 } from "./prng.js";

export interface Pair {
  image: Sample;
  ops: Op[];
  what: string;
}

const bytesOf = (x: Sample): Uint8Array => {
  const d = (x as Image | Tensor).data;
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
};

/**
 * Runs every pair on the GPU (one runOnGpu call) and on wasm (execute), asserting equal
 * bytes; pairs the wasm executor refuses must be refused by the GPU lowering with the same
 * message. Returns the submissions made.
 */
export async function sameOnGpu(pairs: Pair[]): Promise<number> {
  const runnable: { pair: Pair; ref: Uint8Array; lowered: ReturnType<typeof lower> }[] = [];
  for (const pair of pairs) {
    let ref: Sample;
    try {
      ref = execute(pair.image, pair.ops);
    } catch (e) {
      assert.throws(() => lower(pair.image as Image, pair.ops), (g: Error) => g.message === (e as Error).message, `${pair.what}: the GPU must refuse what wasm refuses`);
      continue;
    }
    runnable.push({ pair, ref: bytesOf(ref).slice(), lowered: lower(pair.image as Image, pair.ops) });
  }
  const got: Uint8Array[] = new Array(runnable.length);
  const b = await gpuBackend();
  assert.ok(b, "a WebGPU adapter");
  const { submissions } = await runOnGpu(b!, runnable.map((r) => ({ image: r.pair.image, lowered: r.lowered })), (i, bytes) => (got[i] = bytes.slice()));
  const bad: string[] = [];
  runnable.forEach((r, i) => {
    const d = firstDifference(got[i]!, r.ref);
    if (d !== null) bad.push(`${r.pair.what}: ${d} (${JSON.stringify(r.pair.ops).slice(0, 300)})`);
  });
  assert.equal(bad.slice(0, 8), [], `${bad.length} of ${runnable.length} differ`);
  return submissions;
}

/** A synthetic image with smooth ramps, noise, flat patches (extremes) and grey pixels. */
export function testImage(r: () => number, width: number, height: number, channels: 1 | 3 | 4): Image {
  const data = new Uint8Array(width * height * channels);
  const kind = Math.floor(r() * 4);
  const base = Math.floor(r() * 256);
  for (let i = 0; i < width * height; i++) {
    const x = i % width;
    const y = (i / width) | 0;
    const grey = r() < 0.15;
    const g = Math.floor(r() * 256);
    for (let c = 0; c < channels; c++) {
      let v: number;
      if (kind === 0) v = Math.floor(r() * 256);
      else if (kind === 1) v = (x * 13 + y * 7 + c * 50 + base) & 255;
      else if (kind === 2) v = Math.min(255, Math.max(0, base + Math.floor((r() - 0.5) * 40)));
      else v = r() < 0.1 ? (r() < 0.5 ? 0 : 255) : Math.floor(r() * 256);
      data[i * channels + c] = grey && c < 3 ? g : v;
    }
  }
  return { width, height, channels, data };
}

/** An IR `call` op: the op `name` with its arguments, as transforms lower to. */
export const call = (name: string, args: Record<string, unknown> = {}): Op => ({ op: "call", name, args });

/** Sizes (width, height) at the edges of the shaders' work split: single pixels, rows, columns, odd sizes. */
export const EDGE_SIZES: readonly [number, number][] = [
  [1, 1],
  [2, 2],
  [3, 3],
  [1, 7],
  [9, 1],
  [17, 9],
  [31, 24],
];

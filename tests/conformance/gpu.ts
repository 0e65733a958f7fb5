// A platform-neutral entry point for proving the WebGPU backend's bytes equal the wasm
// backend's on any runtime: Node (npm webgpu), Deno, a browser page or a Web Worker. It
// needs only the kernel (`init`/`ready` first), WebGPU where it runs, and crypto.subtle.
//
//   import { gpuCases, gpuHashes, wasmHashes } from "./conformance/gpu.js";   // from tests/
//   await init({ bytes });
//   const cases = gpuCases(40, 1);            // or JSON.parse(...) of cases made elsewhere
//   const gpu = await gpuHashes(cases);       // { backend: "webgpu", adapter, hashes }
//   const ref = await wasmHashes(cases);      // the same hashes, from the wasm kernel
//
// Cases are plain JSON (a pipeline as TransformJSON, synthetic images by size and salt), so
// a runner can make them once and ship them to every platform.
import type { Image } from "../../src/image.js";
import { fromJSON } from "../../src/transforms/schema.js";
import type { TransformJSON } from "../../src/transforms/base.js";
import { Compose, RandomApply, RandomOrder, RandomChoice } from "../../src/transforms/container.js";
import { CenterCrop, Pad, RandomCrop, RandomHorizontalFlip, RandomResizedCrop, RandomVerticalFlip, Resize } from "../../src/transforms/geometry.js";
import { Normalize, ToTensor } from "../../src/transforms/tensor.js";
import type { Transform } from "../../src/transforms/base.js";
import { applyBatch } from "../../src/gpu/batch.js";
import type { Backend } from "../../src/ir/batch.js";
import { mulberry32 } from "../helpers/prng.js";

/** One batch: a pipeline, synthetic images (all the same size) and the keys. */
export interface GpuCase {
  pipeline: TransformJSON;
  images: { width: number; height: number; channels: 1 | 3 | 4; salt: number }[];
  seed: number;
  epoch: number;
  indices: number[];
}

/** The hashes of a set of cases on one backend. */
export interface CaseHashes {
  backend: "wasm" | "webgpu";
  adapter?: string;
  /** SHA-256 (hex) of each case's whole output: the NCHW f32 or the images' bytes in order. */
  hashes: string[];
}

/** A synthetic image: integer arithmetic only, the same bytes on every engine. */
export function syntheticImage(width: number, height: number, channels: 1 | 3 | 4, salt: number): Image {
  const data = new Uint8Array(width * height * channels);
  let s = (salt * 0x9e3779b9) | 0;
  for (let i = 0; i < data.length; i++) {
    // A smooth ramp plus hashed noise, so resampling sees both edges and gradients.
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0;
    const x = ((i / channels) | 0) % width;
    data[i] = ((x * 7 + ((i / (width * channels)) | 0) * 3) & 0xff) ^ ((s >>> 27) << 1);
  }
  return { width, height, channels, data };
}

const MEAN = [0.485, 0.456, 0.406, 0.5];
const STD = [0.229, 0.224, 0.225, 0.25];

/** A random pipeline over every op the GPU has a shader for (containers included). */
export function randomGpuPipeline(r: () => number, c: number): Transform {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const interp = () => pick(["nearest", "bilinear", "bicubic"] as const);
  let varying = false; // some images of a batch may end up another size
  const one = (): Transform => {
    const s = 3 + Math.floor(r() * 30);
    return pick<() => Transform>([
      () => new RandomResizedCrop([s, 2 + Math.floor(r() * 30)], { interpolation: interp(), antialias: r() < 0.7 }),
      () => new RandomHorizontalFlip(),
      () => new RandomVerticalFlip(),
      () => new RandomCrop(s, { padIfNeeded: true, fill: Math.floor(r() * 256), paddingMode: pick(["constant", "edge", "reflect", "symmetric"] as const) }),
      () => new CenterCrop([s, 1 + Math.floor(r() * 40)]),
      () => new Resize(r() < 0.5 ? s : [s, 1 + Math.floor(r() * 40)], { interpolation: interp(), antialias: r() < 0.8 }),
      () => new Pad([Math.floor(r() * 4), Math.floor(r() * 4), Math.floor(r() * 4), Math.floor(r() * 4)], { paddingMode: pick(["constant", "edge", "reflect", "symmetric"] as const), fill: Math.floor(r() * 256) }),
      () => ((varying = true), new RandomApply([new RandomHorizontalFlip(1), new Resize(s, { interpolation: interp() })], 0.5)),
      () => new RandomOrder([new RandomVerticalFlip(), new CenterCrop(s)]),
      () => new RandomChoice([new RandomCrop(s, { padIfNeeded: true }), new RandomResizedCrop(s, { interpolation: interp() })]),
    ])();
  };
  const n = 1 + Math.floor(r() * 4);
  const ts: Transform[] = [];
  for (let i = 0; i < n; i++) ts.push(one());
  if (r() < 0.6) {
    // An NCHW batch needs one shape.
    if (varying) ts.push(new CenterCrop([1 + Math.floor(r() * 20), 1 + Math.floor(r() * 20)]));
    ts.push(new ToTensor());
    if (r() < 0.7) ts.push(new Normalize(MEAN.slice(0, c), STD.slice(0, c)));
  }
  return new Compose(ts);
}

/**
 * `count` cases from `seed`: random pipelines on batches of 1 to 6 synthetic images of
 * 1, 3 or 4 channels and sizes from 1x1 up, the classic training recipe among them.
 */
export function gpuCases(count: number, seed = 1): GpuCase[] {
  const r = mulberry32(seed);
  const cases: GpuCase[] = [];
  for (let k = 0; k < count; k++) {
    const c = ([1, 3, 4] as const)[k % 3]!;
    const big = k % 10 === 9;
    const width = big ? 200 + Math.floor(r() * 300) : 1 + Math.floor(r() * 60);
    const height = big ? 150 + Math.floor(r() * 300) : 1 + Math.floor(r() * 60);
    const pipeline = big
      ? new Compose([new RandomResizedCrop(64, { interpolation: k % 20 === 9 ? "bicubic" : "bilinear" }), new RandomHorizontalFlip(), new ToTensor(), new Normalize(MEAN.slice(0, c), STD.slice(0, c))])
      : randomGpuPipeline(r, c);
    const n = 1 + Math.floor(r() * 6);
    cases.push({
      pipeline: pipeline.toJSON(),
      images: Array.from({ length: n }, (_, i) => ({ width, height, channels: c, salt: k * 16 + i })),
      seed: k,
      epoch: k % 3,
      indices: Array.from({ length: n }, (_, i) => k * 100 + i),
    });
  }
  return cases;
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Runs each case as one batch on `backend` and hashes its output. */
export async function caseHashes(cases: readonly GpuCase[], backend: Backend): Promise<CaseHashes> {
  const hashes: string[] = [];
  let used: "wasm" | "webgpu" = "wasm";
  let adapter: string | undefined;
  for (const c of cases) {
    const pipeline = fromJSON(JSON.stringify(c.pipeline));
    const images = c.images.map((i) => syntheticImage(i.width, i.height, i.channels, i.salt));
    const res = await applyBatch(pipeline, images, { seed: c.seed, epoch: c.epoch, indices: c.indices, backend });
    used = res.backend;
    adapter = res.adapter ?? adapter;
    const out = res.output;
    let bytes: Uint8Array;
    if (Array.isArray(out)) {
      const total = out.reduce((a, i) => a + i.data.length, 0);
      bytes = new Uint8Array(total);
      let at = 0;
      for (const i of out) {
        bytes.set(i.data, at);
        at += i.data.length;
      }
    } else {
      bytes = new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength);
    }
    hashes.push(await sha256(bytes));
  }
  return adapter === undefined ? { backend: used, hashes } : { backend: used, adapter, hashes };
}

/** The cases' hashes on WebGPU; rejects when there is no adapter or an op has no shader. */
export function gpuHashes(cases: readonly GpuCase[]): Promise<CaseHashes> {
  return caseHashes(cases, "webgpu");
}

/** The cases' hashes on the wasm kernel: the reference. */
export function wasmHashes(cases: readonly GpuCase[]): Promise<CaseHashes> {
  return caseHashes(cases, "wasm");
}

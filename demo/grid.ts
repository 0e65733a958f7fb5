// The demo's computation, shared by the Web Worker and the main thread: a grid of augmented
// samples of one image, each with its index, params and the SHA-256 of its output bytes.
import { fromJSON, toRGBA, type Image, type Tensor } from "../src/index.js";

/** One augmented sample. `rgba` is a preview (tensors are stretched to [0, 255] for display only). */
export interface Cell {
  index: number;
  params: unknown;
  sha256: string;
  /** "image WxHxC" or "tensor CxHxW". */
  out: string;
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

export interface GridRequest {
  image: Image;
  pipeline: string;
  /** A decimal string (seeds up to 2^64 - 1). */
  seed: string;
  epoch: number;
  count: number;
  /** Which backend computes the pixels; only "wasm" so far (WebGPU is coming). */
  backend: string;
}

/** The training recipe: torchvision's classic ImageNet augmentation. */
export const DEFAULT_PIPELINE = {
  type: "Compose",
  transforms: [
    { type: "RandomResizedCrop", size: 224 },
    { type: "RandomHorizontalFlip" },
    { type: "ToTensor" },
    { type: "Normalize", mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
  ],
};

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function parseSeed(s: string): number | bigint {
  const t = s.trim();
  if (!/^\d{1,20}$/.test(t)) throw new RangeError(`seed must be a non-negative integer, got ${JSON.stringify(t.slice(0, 30))}`);
  const b = BigInt(t);
  return b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

/** A display-only preview of a CHW tensor: each value stretched by the tensor's min and max. */
function tensorPreview(t: Tensor): { width: number; height: number; rgba: Uint8ClampedArray } {
  const [c, h, w] = t.shape.length === 3 ? (t.shape as [number, number, number]) : [1, t.shape[0] ?? 1, t.shape[1] ?? 1];
  let lo = Infinity, hi = -Infinity;
  for (const v of t.data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const n = h * w;
  const rgba = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) rgba[i * 4 + k] = (t.data[(c >= 3 ? k : 0) * n + i]! - lo) * scale;
    rgba[i * 4 + 3] = 255;
  }
  return { width: w, height: h, rgba };
}

/** Computes one sample of the grid. */
export async function computeCell(t: ReturnType<typeof fromJSON>, req: GridRequest, index: number): Promise<Cell> {
  const { output, record } = t.applyWithRecord(req.image, { seed: parseSeed(req.seed), epoch: req.epoch, index });
  const d = output.data;
  const sha256 = await sha256Hex(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
  if ("shape" in output) {
    return { index, params: record.params, sha256, out: `tensor ${output.shape.join("x")}`, ...tensorPreview(output) };
  }
  return { index, params: record.params, sha256, out: `image ${output.width}x${output.height}x${output.channels}`, width: output.width, height: output.height, rgba: toRGBA(output) };
}

/** Builds the pipeline of a request (with the backend check). */
export function pipelineOf(req: GridRequest): ReturnType<typeof fromJSON> {
  if (req.backend !== "wasm") throw new Error(`backend ${JSON.stringify(req.backend)} is not available in this build yet (only "wasm")`);
  return fromJSON(req.pipeline);
}

// The demo's computation, shared by the Web Worker and the main thread: a grid of augmented
// samples of one image, each with its index, params and the SHA-256 of its output bytes.
import { boundingBoxes, convertBoundingBoxFormat, fromJSON, keyPoints, mask, toRGBA, type BoundingBoxes, type Image, type KeyPoints, type Mask, type Tensor } from "../src/index.js";

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
  /** With targets: the boxes (XYXY), key points and the mask's overlay (RGBA, same size), and the SHA-256 of the targets. */
  boxes?: number[][];
  labels?: number[];
  points?: number[][];
  overlay?: Uint8ClampedArray;
  targetsSha256?: string;
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
  /** Give the photo demo annotations (boxes, a label mask, key points) that move with it. */
  targets?: boolean;
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

/** torchvision's detection tutorial pipeline, with a mask fill of its own (on uint8 tensors after ToImage: "tensor"). */
export const DETECTION_PIPELINE = {
  type: "Compose",
  semantics: "tensor",
  transforms: [
    { type: "ToImage" },
    { type: "RandomPhotometricDistort", p: 1 },
    { type: "RandomZoomOut", fill: { image: [123, 117, 104], mask: 0 } },
    { type: "RandomIoUCrop" },
    { type: "RandomHorizontalFlip", p: 1 },
    { type: "SanitizeBoundingBoxes" },
    { type: "ToDtype", dtype: "float32", scale: true },
  ],
};

/** Demo annotations for any photo, from its size only (integer arithmetic): two boxes, a mask with their ellipses, key points. */
export function demoTargets(image: Image): { boxes: BoundingBoxes; labels: number[]; masks: Mask; points: KeyPoints } {
  const { width: w, height: h } = image;
  const rows = [
    [Math.floor(w / 10), Math.floor(h / 6), Math.floor((w * 11) / 20), Math.floor((h * 4) / 5)],
    [Math.floor(w / 2), Math.floor((h * 3) / 10), Math.floor((w * 9) / 10), Math.floor((h * 7) / 10)],
  ];
  const data = new Uint8Array(w * h);
  rows.forEach(([x1, y1, x2, y2], k) => {
    const cx2 = x1! + x2!, cy2 = y1! + y2!, rx = x2! - x1!, ry = y2! - y1!;
    for (let y = y1!; y < y2!; y++) {
      for (let x = x1!; x < x2!; x++) {
        const dx = 2 * x + 1 - cx2, dy = 2 * y + 1 - cy2; // doubled, so the test stays in integers
        if (dx * dx * ry * ry + dy * dy * rx * rx <= rx * rx * ry * ry) data[y * w + x] = k + 1;
      }
    }
  });
  const points = rows.flatMap(([x1, y1, x2, y2]) => [[(x1! + x2!) / 2, (y1! + y2!) / 2], [x1!, y1!]]);
  return {
    boxes: boundingBoxes(rows, { format: "XYXY", canvasSize: [h, w] }),
    labels: [1, 2],
    masks: mask(data, [h, w]),
    points: keyPoints(points, { canvasSize: [h, w] }),
  };
}

const COLOURS = [[0, 0, 0, 0], [255, 64, 64, 110], [64, 160, 255, 110]];

/** An RGBA overlay of a label mask (transparent for 0). */
function maskOverlay(m: Mask): Uint8ClampedArray {
  const out = new Uint8ClampedArray(m.data.length * 4);
  m.data.forEach((v, i) => out.set(COLOURS[v % COLOURS.length]!, i * 4));
  return out;
}

/** The text whose SHA-256 identifies a sample's targets: their values' bytes (so -0 and NaN count). */
export function targetsText(t: { boxes: BoundingBoxes; labels: number[]; masks: Mask; points: KeyPoints }): string {
  const hex = (a: ArrayBufferView) => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), (b) => b.toString(16).padStart(2, "0")).join("");
  return JSON.stringify({ boxes: [t.boxes.format, t.boxes.canvasSize, hex(t.boxes.data)], labels: t.labels, masks: [t.masks.shape, hex(t.masks.data)], points: [t.points.canvasSize, hex(t.points.data)] });
}

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

/** Computes one sample of the grid (with the demo annotations when `targets` is set). */
export async function computeCell(t: ReturnType<typeof fromJSON>, req: GridRequest, index: number): Promise<Cell> {
  const key = { seed: parseSeed(req.seed), epoch: req.epoch, index };
  const sample = req.targets ? { image: req.image, ...demoTargets(req.image) } : req.image;
  const { output: result, record } = t.applyWithRecord(sample, key);
  const output = (req.targets ? (result as { image: Image | Tensor }).image : result) as Image | Tensor;
  const d = output.data;
  const sha256 = await sha256Hex(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
  const cell: Cell = "shape" in output
    ? { index, params: record.params, sha256, out: `tensor ${output.shape.join("x")}`, ...tensorPreview(output) }
    : { index, params: record.params, sha256, out: `image ${output.width}x${output.height}x${output.channels}`, width: output.width, height: output.height, rgba: toRGBA(output) };
  if (req.targets) {
    const o = result as unknown as ReturnType<typeof demoTargets>;
    const xyxy = convertBoundingBoxFormat(o.boxes, "XYXY").data;
    cell.boxes = Array.from({ length: xyxy.length / 4 }, (_, i) => Array.from(xyxy.subarray(4 * i, 4 * i + 4)));
    cell.labels = [...o.labels];
    cell.points = Array.from({ length: o.points.data.length / 2 }, (_, i) => [o.points.data[2 * i]!, o.points.data[2 * i + 1]!]);
    cell.overlay = maskOverlay(o.masks);
    cell.targetsSha256 = await sha256Hex(new TextEncoder().encode(targetsText(o)));
  }
  return cell;
}

/** Builds the pipeline of a request (with the backend check). */
export function pipelineOf(req: GridRequest): ReturnType<typeof fromJSON> {
  if (req.backend !== "wasm") throw new Error(`backend ${JSON.stringify(req.backend)} is not available in this build yet (only "wasm")`);
  return fromJSON(req.pipeline);
}

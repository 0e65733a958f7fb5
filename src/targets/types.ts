// Targets in the spirit of torchvision's tv_tensors: bounding boxes, masks and key points that
// travel with an image through a pipeline. Plain objects (like Image), tagged by `kind`, with
// constructors that validate every field and name the bad one.
import { describe, viewOf, MAX_SIDE } from "../image.js";

/** Box formats, as torchvision's BoundingBoxFormat (rotated angles in degrees, counter-clockwise). */
export type BoxFormat = "XYXY" | "XYWH" | "CXCYWH" | "XYWHR" | "CXCYWHR" | "XYXYXYXY";
/** Every box format. */
export const BOX_FORMATS: readonly BoxFormat[] = ["XYXY", "XYWH", "CXCYWH", "XYWHR", "CXCYWHR", "XYXYXYXY"];
/** How transforms clamp boxes that leave the canvas (torchvision's clamping_mode); null: never. */
export type ClampingMode = "soft" | "hard" | null;

/**
 * Boxes on a canvas of [height, width] (torchvision's tv_tensors.BoundingBoxes): N boxes of 4
 * (XYXY, XYWH, CXCYWH), 5 (XYWHR, CXCYWHR) or 8 (XYXYXYXY) float32 values, row after row.
 */
export interface BoundingBoxes {
  kind: "boxes";
  format: BoxFormat;
  canvasSize: [number, number];
  clampingMode: ClampingMode;
  data: Float32Array;
}

/**
 * A mask (tv_tensors.Mask): `shape` [H, W] (a label map) or [N, H, W] (one plane per
 * instance, N may be 0), planes one after the other. u8 or i32 values; transforms move
 * them with nearest interpolation only, so they stay label-valued.
 */
export interface Mask {
  kind: "mask";
  shape: number[];
  data: Uint8Array | Int32Array;
}

/** Points on a canvas of [height, width] (tv_tensors.KeyPoints): `shape` [..., 2] of float32 (x, y). */
export interface KeyPoints {
  kind: "keypoints";
  canvasSize: [number, number];
  shape: number[];
  data: Float32Array;
}

/** Any target. */
export type Target = BoundingBoxes | Mask | KeyPoints;

/** Values per box of a format. */
export function boxSize(format: BoxFormat): 4 | 5 | 8 {
  return format === "XYXYXYXY" ? 8 : format === "XYWHR" || format === "CXCYWHR" ? 5 : 4;
}

/** Whether a format is one of the rotated ones. */
export function isRotated(format: BoxFormat): boolean {
  return format === "XYWHR" || format === "CXCYWHR" || format === "XYXYXYXY";
}

/** Number of boxes. */
export function boxCount(b: BoundingBoxes): number {
  return b.data.length / boxSize(b.format);
}

/** A mask's [height, width]. */
export function maskSize(m: Mask): [number, number] {
  return [m.shape[m.shape.length - 2]!, m.shape[m.shape.length - 1]!];
}

export function checkFormat(v: unknown, name = "format"): BoxFormat {
  if (typeof v !== "string" || !(BOX_FORMATS as readonly string[]).includes(v.toUpperCase())) {
    throw new RangeError(`${name} must be one of ${BOX_FORMATS.join(", ")}, got ${describe(v)}`);
  }
  return v.toUpperCase() as BoxFormat;
}

export function checkCanvas(v: unknown, name = "canvasSize"): [number, number] {
  // Each entry read once: what is checked is what is returned.
  const pair = Array.isArray(v) && v.length === 2 ? [v[0] as unknown, v[1] as unknown] : null;
  if (!pair || !pair.every((s) => Number.isInteger(s) && (s as number) >= 1 && (s as number) <= MAX_SIDE)) {
    throw new RangeError(`${name} must be [height, width], integers in [1, ${MAX_SIDE}], got ${describe(v)}`);
  }
  return pair as [number, number];
}

/** Most dimensions a target's shape may have. */
const MAX_DIMS = 8;

/** A shape's entries, read once (a copy), or null when `v` is not an array of at most MAX_DIMS. */
function shapeOf(v: unknown): unknown[] | null {
  if (!Array.isArray(v)) return null;
  const n: unknown = v.length;
  if (typeof n !== "number" || n > MAX_DIMS) return null;
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(v[i]);
  return out;
}

export function checkClampingMode(v: unknown, name = "clampingMode"): ClampingMode {
  if (v !== "soft" && v !== "hard" && v !== null) throw new RangeError(`${name} must be "soft", "hard" or null, got ${describe(v)}`);
  return v;
}

/** Most values an array (not a Float32Array) of boxes or points may hold: 2^24. */
export const MAX_ARRAY_VALUES = 2 ** 24;

/** An array's entries, read once, after checking its length (a sparse or Proxy array may claim 2^32). */
function entries(v: unknown[], name: string): unknown[] {
  const n: unknown = v.length;
  if (typeof n !== "number" || n > MAX_ARRAY_VALUES)
    throw new RangeError(`${name} may hold at most ${MAX_ARRAY_VALUES} values, got an array of length ${describe(n)}`);
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(v[i]);
  return out;
}

function floats(data: unknown, per: number, name: string): Float32Array {
  let out: Float32Array;
  const view = viewOf(data, "Float32Array", name);
  if (view) out = view;
  else if (Array.isArray(data)) {
    const items = entries(data, name);
    const rows = items.length > 0 && Array.isArray(items[0]);
    if (rows && items.length * per > MAX_ARRAY_VALUES)
      throw new RangeError(`${name} may hold at most ${MAX_ARRAY_VALUES} values, got ${items.length} rows`);
    const flat = rows
      ? items.flatMap((r, i) => {
          const row = Array.isArray(r) ? entries(r, `${name}[${i}]`) : null;
          if (!row || row.length !== per) throw new RangeError(`${name}[${i}] must have ${per} numbers, got ${describe(r)}`);
          return row;
        })
      : items;
    flat.forEach((v, i) => {
      if (typeof v !== "number")
        throw new TypeError(`${name}[${rows ? `${Math.floor(i / per)}][${i % per}` : i}] must be a number, got ${describe(v)}`);
    });
    out = Float32Array.from(flat as number[]);
  } else throw new TypeError(`${name} must be a Float32Array or an array of numbers (or of rows), got ${describe(data)}`);
  if (out.length % per !== 0) throw new RangeError(`${name} has ${out.length} values, not a multiple of ${per}`);
  return out;
}

function checkFinite32(data: Float32Array, per: number, name: string): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) throw new RangeError(`${name}[${Math.floor(i / per)}][${i % per}] must be finite, got ${data[i]}`);
  }
}

/** Options of {@link boundingBoxes}. */
export interface BoundingBoxesOptions {
  format: BoxFormat | Lowercase<BoxFormat>;
  /** [height, width] of the image the boxes belong to. */
  canvasSize: [number, number];
  /** "soft" (default, as torchvision), "hard" or null. */
  clampingMode?: ClampingMode;
}

/**
 * Makes BoundingBoxes from rows ([[x1, y1, x2, y2], ...]), a flat array or a Float32Array
 * (kept, not copied). Values are float32 as torchvision's default dtype; they must be finite,
 * and widths and heights (XYWH, CXCYWH, XYWHR, CXCYWHR) must not be negative.
 */
export function boundingBoxes(data: number[][] | number[] | Float32Array, opts: BoundingBoxesOptions): BoundingBoxes {
  if (typeof opts !== "object" || opts === null)
    throw new TypeError(`boundingBoxes needs options { format, canvasSize }, got ${describe(opts)}`);
  const format = checkFormat(opts.format, "format");
  const mode: unknown = opts.clampingMode;
  const b = {
    kind: "boxes",
    format,
    canvasSize: checkCanvas(opts.canvasSize),
    clampingMode: checkClampingMode(mode === undefined ? "soft" : mode),
    data: floats(data, boxSize(format), "boxes"),
  };
  return checkBoundingBoxes(b, "boxes");
}

/**
 * Validates BoundingBoxes (e.g. from a sample) and returns a snapshot: a new object whose
 * fields were each read once, `data` a plain view of the same memory. Use the snapshot, not
 * the argument: getters that answer differently on a second read cannot reach a transform.
 * `name` goes into every message.
 */
export function checkBoundingBoxes(v: unknown, name = "boxes"): BoundingBoxes {
  if (typeof v !== "object" || v === null)
    throw new TypeError(`${name} must be BoundingBoxes (made by boundingBoxes()), got ${describe(v)}`);
  const o = v as Record<string, unknown>;
  if (o.kind !== "boxes") throw new TypeError(`${name} must be BoundingBoxes (made by boundingBoxes()), got ${describe(v)}`);
  const rawFormat = o.format;
  const format = checkFormat(rawFormat, `${name}.format`);
  if (format !== rawFormat) throw new RangeError(`${name}.format must be upper case (${format}), got ${describe(rawFormat)}`);
  const canvasSize = checkCanvas(o.canvasSize, `${name}.canvasSize`);
  const clampingMode = checkClampingMode(o.clampingMode, `${name}.clampingMode`);
  const raw = o.data;
  const data = viewOf(raw, "Float32Array", `${name}.data`);
  if (!data) throw new TypeError(`${name}.data must be a Float32Array, got ${describe(raw)}`);
  const per = boxSize(format);
  if (data.length % per !== 0) throw new RangeError(`${name}.data has ${data.length} values, not a multiple of ${per} (format ${format})`);
  checkFinite32(data, per, `${name}.data`);
  if (format !== "XYXYXYXY") {
    const xyxy = format === "XYXY";
    for (let i = 0; i < data.length; i += per) {
      const w = xyxy ? data[i + 2]! - data[i]! : data[i + 2]!;
      const h = xyxy ? data[i + 3]! - data[i + 1]! : data[i + 3]!;
      if (w < 0 || h < 0)
        throw new RangeError(
          `${name}.data[${i / per}]: ${xyxy ? "x2 and y2 must be >= x1 and y1" : "width and height must be >= 0"} (a negative size), got [${Array.from(data.subarray(i, i + per)).join(", ")}]`,
        );
    }
  }
  return { kind: "boxes", format, canvasSize, clampingMode, data };
}

/** Options of {@link keyPoints}. */
export interface KeyPointsOptions {
  canvasSize: [number, number];
  /** The shape, last entry 2 (default [N, 2]). */
  shape?: number[];
}

/** Makes KeyPoints from [[x, y], ...], a flat array or a Float32Array (kept). */
export function keyPoints(data: number[][] | number[] | Float32Array, opts: KeyPointsOptions): KeyPoints {
  if (typeof opts !== "object" || opts === null) throw new TypeError(`keyPoints needs options { canvasSize }, got ${describe(opts)}`);
  const d = floats(data, 2, "keypoints");
  const shape: unknown = opts.shape;
  // checkKeyPoints copies the shape (each entry read once).
  const k = { kind: "keypoints", canvasSize: checkCanvas(opts.canvasSize), shape: shape ?? [d.length / 2, 2], data: d };
  return checkKeyPoints(k, "keypoints");
}

/** Validates KeyPoints and returns a snapshot (see {@link checkBoundingBoxes}). */
export function checkKeyPoints(v: unknown, name = "keypoints"): KeyPoints {
  if (typeof v !== "object" || v === null) throw new TypeError(`${name} must be KeyPoints (made by keyPoints()), got ${describe(v)}`);
  const o = v as Record<string, unknown>;
  if (o.kind !== "keypoints") throw new TypeError(`${name} must be KeyPoints (made by keyPoints()), got ${describe(v)}`);
  const canvasSize = checkCanvas(o.canvasSize, `${name}.canvasSize`);
  const rawShape = o.shape;
  const shape = shapeOf(rawShape);
  if (!shape || shape.length < 1 || shape[shape.length - 1] !== 2 || !shape.every((s) => Number.isSafeInteger(s) && (s as number) >= 0)) {
    throw new RangeError(`${name}.shape must be [..., 2] of at most ${MAX_DIMS} non-negative integers, got ${describe(rawShape)}`);
  }
  const raw = o.data;
  const data = viewOf(raw, "Float32Array", `${name}.data`);
  if (!data) throw new TypeError(`${name}.data must be a Float32Array, got ${describe(raw)}`);
  const want = (shape as number[]).reduce((a, b) => a * b, 1);
  if (data.length !== want) throw new RangeError(`${name}.data has ${data.length} values, but shape [${shape.join(", ")}] needs ${want}`);
  checkFinite32(data, 2, `${name}.data`);
  return { kind: "keypoints", canvasSize, shape: shape as number[], data };
}

/**
 * Makes a Mask: `shape` [H, W] or [N, H, W]; `data` a Uint8Array (labels 0..255, or 0/1
 * instance masks) or an Int32Array (larger label ids), kept, not copied.
 */
export function mask(data: Uint8Array | Int32Array, shape: number[]): Mask {
  // checkMask copies the shape (each entry read once) and views the data.
  return checkMask({ kind: "mask", shape, data }, "mask");
}

/** Validates a Mask and returns a snapshot (see {@link checkBoundingBoxes}). */
export function checkMask(v: unknown, name = "mask"): Mask {
  if (typeof v !== "object" || v === null) throw new TypeError(`${name} must be a Mask (made by mask()), got ${describe(v)}`);
  const o = v as Record<string, unknown>;
  if (o.kind !== "mask") throw new TypeError(`${name} must be a Mask (made by mask()), got ${describe(v)}`);
  const rawShape = o.shape;
  const shape = shapeOf(rawShape);
  if (!shape || (shape.length !== 2 && shape.length !== 3))
    throw new RangeError(`${name}.shape must be [H, W] or [N, H, W], got ${describe(rawShape)}`);
  shape.forEach((s, i) => {
    const lo = shape.length === 3 && i === 0 ? 0 : 1;
    const hi = i === 0 && shape.length === 3 ? 2 ** 20 : MAX_SIDE;
    if (!Number.isInteger(s) || (s as number) < lo || (s as number) > hi)
      throw new RangeError(`${name}.shape[${i}] must be an integer in [${lo}, ${hi}], got ${describe(s)}`);
  });
  const raw = o.data;
  const data = viewOf(raw, "Uint8Array", `${name}.data`) ?? viewOf(raw, "Int32Array", `${name}.data`);
  if (!data) throw new TypeError(`${name}.data must be a Uint8Array or an Int32Array, got ${describe(raw)}`);
  const want = (shape as number[]).reduce((a, b) => a * b, 1);
  if (data.length !== want) throw new RangeError(`${name}.data has ${data.length} values, but shape [${shape.join(", ")}] needs ${want}`);
  return { kind: "mask", shape: shape as number[], data };
}

/** Whether `v` is a target (by its `kind`). */
export function isTarget(v: unknown): v is Target {
  if (typeof v !== "object" || v === null) return false;
  const k = (v as { kind?: unknown }).kind;
  return k === "boxes" || k === "mask" || k === "keypoints";
}

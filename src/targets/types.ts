// Targets in the spirit of torchvision's tv_tensors: bounding boxes, masks and key points that
// travel with an image through a pipeline. Plain objects (like Image), tagged by `kind`, with
// constructors that validate every field and name the bad one.
import { describe, MAX_SIDE } from "../image.js";

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
  if (!Array.isArray(v) || v.length !== 2 || !v.every((s) => Number.isInteger(s) && s >= 1 && s <= MAX_SIDE)) {
    throw new RangeError(`${name} must be [height, width], integers in [1, ${MAX_SIDE}], got ${describe(v)}`);
  }
  return [v[0], v[1]];
}

export function checkClampingMode(v: unknown, name = "clampingMode"): ClampingMode {
  if (v !== "soft" && v !== "hard" && v !== null) throw new RangeError(`${name} must be "soft", "hard" or null, got ${describe(v)}`);
  return v;
}

function floats(data: unknown, per: number, name: string): Float32Array {
  let out: Float32Array;
  if (data instanceof Float32Array) out = data;
  else if (Array.isArray(data)) {
    const rows = data.length > 0 && Array.isArray(data[0]);
    const flat = rows ? (data as unknown[]).flatMap((r, i) => {
      if (!Array.isArray(r) || r.length !== per) throw new RangeError(`${name}[${i}] must have ${per} numbers, got ${describe(r)}`);
      return r as unknown[];
    }) : (data as unknown[]);
    flat.forEach((v, i) => {
      if (typeof v !== "number") throw new TypeError(`${name}[${rows ? `${Math.floor(i / per)}][${i % per}` : i}] must be a number, got ${describe(v)}`);
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
  if (typeof opts !== "object" || opts === null) throw new TypeError(`boundingBoxes needs options { format, canvasSize }, got ${describe(opts)}`);
  const format = checkFormat(opts.format, "format");
  const b: BoundingBoxes = { kind: "boxes", format, canvasSize: checkCanvas(opts.canvasSize), clampingMode: checkClampingMode(opts.clampingMode === undefined ? "soft" : opts.clampingMode), data: floats(data, boxSize(format), "boxes") };
  return checkBoundingBoxes(b, "boxes");
}

/** Validates BoundingBoxes (e.g. from a sample); `name` goes into every message. */
export function checkBoundingBoxes(v: unknown, name = "boxes"): BoundingBoxes {
  if (typeof v !== "object" || v === null || (v as Target).kind !== "boxes") throw new TypeError(`${name} must be BoundingBoxes (made by boundingBoxes()), got ${describe(v)}`);
  const b = v as BoundingBoxes;
  const format = checkFormat(b.format, `${name}.format`);
  if (format !== b.format) throw new RangeError(`${name}.format must be upper case (${format}), got ${describe(b.format)}`);
  checkCanvas(b.canvasSize, `${name}.canvasSize`);
  checkClampingMode(b.clampingMode, `${name}.clampingMode`);
  if (!(b.data instanceof Float32Array)) throw new TypeError(`${name}.data must be a Float32Array, got ${describe(b.data)}`);
  const per = boxSize(format);
  if (b.data.length % per !== 0) throw new RangeError(`${name}.data has ${b.data.length} values, not a multiple of ${per} (format ${format})`);
  checkFinite32(b.data, per, `${name}.data`);
  if (format !== "XYXYXYXY") {
    const xyxy = format === "XYXY";
    for (let i = 0; i < b.data.length; i += per) {
      const w = xyxy ? b.data[i + 2]! - b.data[i]! : b.data[i + 2]!;
      const h = xyxy ? b.data[i + 3]! - b.data[i + 1]! : b.data[i + 3]!;
      if (w < 0 || h < 0) throw new RangeError(`${name}.data[${i / per}]: ${xyxy ? "x2 and y2 must be >= x1 and y1" : "width and height must be >= 0"} (a negative size), got [${Array.from(b.data.subarray(i, i + per)).join(", ")}]`);
    }
  }
  return b;
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
  const k: KeyPoints = { kind: "keypoints", canvasSize: checkCanvas(opts.canvasSize), shape: opts.shape ? [...opts.shape] : [d.length / 2, 2], data: d };
  return checkKeyPoints(k, "keypoints");
}

/** Validates KeyPoints. */
export function checkKeyPoints(v: unknown, name = "keypoints"): KeyPoints {
  if (typeof v !== "object" || v === null || (v as Target).kind !== "keypoints") throw new TypeError(`${name} must be KeyPoints (made by keyPoints()), got ${describe(v)}`);
  const k = v as KeyPoints;
  checkCanvas(k.canvasSize, `${name}.canvasSize`);
  if (!Array.isArray(k.shape) || k.shape.length < 1 || k.shape[k.shape.length - 1] !== 2 || !k.shape.every((s) => Number.isInteger(s) && s >= 0)) {
    throw new RangeError(`${name}.shape must be [..., 2] of non-negative integers, got ${describe(k.shape)}`);
  }
  if (!(k.data instanceof Float32Array)) throw new TypeError(`${name}.data must be a Float32Array, got ${describe(k.data)}`);
  const want = k.shape.reduce((a, b) => a * b, 1);
  if (k.data.length !== want) throw new RangeError(`${name}.data has ${k.data.length} values, but shape [${k.shape.join(", ")}] needs ${want}`);
  checkFinite32(k.data, 2, `${name}.data`);
  return k;
}

/**
 * Makes a Mask: `shape` [H, W] or [N, H, W]; `data` a Uint8Array (labels 0..255, or 0/1
 * instance masks) or an Int32Array (larger label ids), kept, not copied.
 */
export function mask(data: Uint8Array | Int32Array, shape: number[]): Mask {
  return checkMask({ kind: "mask", shape: Array.isArray(shape) ? [...shape] : shape, data }, "mask");
}

/** Validates a Mask. */
export function checkMask(v: unknown, name = "mask"): Mask {
  if (typeof v !== "object" || v === null || (v as Target).kind !== "mask") throw new TypeError(`${name} must be a Mask (made by mask()), got ${describe(v)}`);
  const m = v as Mask;
  if (!Array.isArray(m.shape) || (m.shape.length !== 2 && m.shape.length !== 3)) throw new RangeError(`${name}.shape must be [H, W] or [N, H, W], got ${describe(m.shape)}`);
  m.shape.forEach((s, i) => {
    const lo = m.shape.length === 3 && i === 0 ? 0 : 1;
    if (!Number.isInteger(s) || s < lo || s > (i === 0 && m.shape.length === 3 ? 2 ** 20 : MAX_SIDE)) throw new RangeError(`${name}.shape[${i}] must be an integer in [${lo}, ${i === 0 && m.shape.length === 3 ? 2 ** 20 : MAX_SIDE}], got ${describe(s)}`);
  });
  if (!(m.data instanceof Uint8Array) && !(m.data instanceof Int32Array)) throw new TypeError(`${name}.data must be a Uint8Array or an Int32Array, got ${describe(m.data)}`);
  const want = m.shape.reduce((a, b) => a * b, 1);
  if (m.data.length !== want) throw new RangeError(`${name}.data has ${m.data.length} values, but shape [${m.shape.join(", ")}] needs ${want}`);
  return m;
}

/** Whether `v` is a target (by its `kind`). */
export function isTarget(v: unknown): v is Target {
  if (typeof v !== "object" || v === null) return false;
  const k = (v as { kind?: unknown }).kind;
  return k === "boxes" || k === "mask" || k === "keypoints";
}

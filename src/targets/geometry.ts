// The geometric calls a transform makes, as torchvision's functional calls (F.crop, F.pad,
// F.resize, F.rotate, ...), and what each does to boxes, key points and masks. A transform
// lists its calls once (Transform.geometry); this file holds one mapping per call per target
// type, with torchvision 0.28's arithmetic, so every transform that makes the call moves its
// targets the same way.
import { describe } from "../image.js";
import { kernel } from "../kernel/instance.js";
import { kmath } from "../kernel/math.js";
import { centerCropOffsets } from "../functional/geometry.js";
import type { PaddingMode } from "../functional/args.js";
import { rotatedSize, type Corners } from "../functional/warp.js";
import type { KernelSemantics } from "../functional/semantics.js";
import { clampBoxes, convertFormat, parallelogramToBoxes } from "./boxes.js";
import { affine32, affinePoints, expandShift, perspectivePoints, perspectiveThetas } from "./points.js";
import { fillPixel, maskOps, perPlane } from "./masks.js";
import { boxSize, isRotated, maskSize, type BoundingBoxes, type BoxFormat, type KeyPoints, type Mask, type Target } from "./types.js";

const f = Math.fround;

/**
 * One geometric call, with the arguments torchvision's functional takes. `fill` is the masks'
 * fill (null: the transform has none for masks); a rotation's `semantics` is the image's, which
 * sizes an expanding rotation's canvas (absent: "pil").
 */
export type Geo =
  | { fn: "hflip" }
  | { fn: "vflip" }
  | { fn: "crop"; top: number; left: number; height: number; width: number }
  | { fn: "pad"; padding: [number, number, number, number]; mode: PaddingMode; fill: number | null }
  | { fn: "centerCrop"; size: [number, number] }
  | { fn: "resize"; size: [number, number] }
  | { fn: "rotate"; angle: number; expand: boolean; center: [number, number] | null; fill: number | null; semantics?: KernelSemantics }
  | {
      fn: "affine";
      angle: number;
      translate: [number, number];
      scale: number;
      shear: [number, number];
      center: [number, number] | null;
      fill: number | null;
    }
  | { fn: "perspective"; startpoints: Corners; endpoints: Corners; fill: number | null }
  | { fn: "elastic"; key: [number, number]; alpha: [number, number]; sigma: [number, number]; fill: number | null };

/**
 * The centre crop's corner, as the image's (torchvision pads by floor(d / 2), then rounds half
 * to even). torchvision 0.28 moves boxes and key points by round((H - h) / 2) even when padding,
 * which is a pixel off its own image when the crop is larger by 3 (mod 4); lockstep follows the image.
 */
function centerAnchor(canvas: [number, number], size: [number, number]): [number, number] {
  return centerCropOffsets(canvas[0], canvas[1], size[0], size[1]);
}

// ---------------------------------------------------------------------------------------
// Boxes

function shift(data: Float32Array, format: BoxFormat, dx: number, dy: number): Float32Array {
  const per = boxSize(format);
  const out = data.slice();
  const pointsOnly = format === "XYXYXYXY" || format === "XYXY";
  for (let i = 0; i < out.length; i += per) {
    out[i] = out[i]! + dx;
    out[i + 1] = out[i + 1]! + dy;
    if (pointsOnly) {
      for (let k = 2; k < per; k += 2) {
        out[i + k] = out[i + k]! + dx;
        out[i + k + 1] = out[i + k + 1]! + dy;
      }
    } else {
      for (let k = 2; k < per; k++) out[i + k] = out[i + k]! + 0; // torch adds 0 there (-0 becomes 0)
    }
  }
  return out;
}

/** torch subtracts tensor([left, top, ...]): x - left, which is x + (-left) exactly. */
function cropBoxes(b: BoundingBoxes, top: number, left: number, height: number, width: number): BoundingBoxes {
  let d = shiftSub(b.data, b.format, left, top);
  if (b.format === "XYXYXYXY") d = parallelogramToBoxes(d);
  const canvas: [number, number] = [height, width];
  return { ...b, canvasSize: canvas, data: clampBoxes(d, b.format, canvas, b.clampingMode) };
}

function shiftSub(data: Float32Array, format: BoxFormat, dx: number, dy: number): Float32Array {
  const per = boxSize(format);
  const out = data.slice();
  const pointsOnly = format === "XYXYXYXY" || format === "XYXY";
  for (let i = 0; i < out.length; i += per) {
    out[i] = out[i]! - dx;
    out[i + 1] = out[i + 1]! - dy;
    if (pointsOnly) {
      for (let k = 2; k < per; k += 2) {
        out[i + k] = out[i + k]! - dx;
        out[i + k + 1] = out[i + k + 1]! - dy;
      }
    }
  }
  return out;
}

function flipBoxes(b: BoundingBoxes, horizontal: boolean): BoundingBoxes {
  const [H, W] = b.canvasSize;
  const per = boxSize(b.format);
  const d = b.data.slice();
  const S = horizontal ? W : H;
  const o = horizontal ? 0 : 1; // the coordinate that flips
  for (let i = 0; i < d.length; i += per) {
    switch (b.format) {
      case "XYXY": {
        const a = d[i + o]!,
          c = d[i + o + 2]!;
        d[i + o] = -f(c - S);
        d[i + o + 2] = -f(a - S);
        break;
      }
      case "XYWH":
        d[i + o] = -f(f(d[i + o]! + d[i + o + 2]!) - S);
        break;
      case "CXCYWH":
      case "CXCYWHR":
        d[i + o] = -f(d[i + o]! - S);
        if (b.format === "CXCYWHR") d[i + 4] = horizontal ? -d[i + 4]! : f(-d[i + 4]! + 180);
        break;
      case "XYXYXYXY": {
        for (let k = o; k < 8; k += 2) d[i + k] = -f(d[i + k]! - S);
        const t = Array.from(d.subarray(i, i + 8));
        [2, 3, 0, 1, 6, 7, 4, 5].forEach((j, k) => (d[i + k] = t[j]!));
        break;
      }
      case "XYWHR": {
        const r = f(f(d[i + 4]! * f(Math.PI)) / 180);
        const c = f(kmath.cos(r)),
          s = f(kmath.sin(r));
        const x = d[i]!,
          y = d[i + 1]!,
          w = d[i + 2]!;
        if (horizontal) {
          d[i] = -f(f(x + f(w * c)) - S);
          d[i + 1] = f(y - f(w * s));
          d[i + 4] = -d[i + 4]!;
        } else {
          d[i + 1] = -f(f(y - f(w * s)) - S);
          d[i] = f(x + f(w * c));
          d[i + 4] = f(-d[i + 4]! + 180);
        }
        break;
      }
    }
  }
  return { ...b, data: d };
}

function resizeBoxes(b: BoundingBoxes, size: [number, number]): BoundingBoxes {
  const [H, W] = b.canvasSize;
  const [nh, nw] = size;
  if (nh === H && nw === W) return b;
  const rw = f(nw / W),
    rh = f(nh / H);
  const canvas: [number, number] = [nh, nw];
  if (!isRotated(b.format)) {
    const d = b.data.slice();
    for (let i = 0; i < d.length; i += 2) {
      d[i] = d[i]! * rw;
      d[i + 1] = d[i + 1]! * rh;
    }
    return { ...b, canvasSize: canvas, data: d };
  }
  const p = convertFormat(b.data, b.format, "XYXYXYXY");
  for (let i = 0; i < p.length; i += 2) {
    p[i] = p[i]! * rw;
    p[i + 1] = p[i + 1]! * rh;
  }
  const out = clampBoxes(parallelogramToBoxes(p), "XYXYXYXY", canvas, b.clampingMode);
  return { ...b, canvasSize: canvas, data: convertFormat(out, "XYXYXYXY", b.format) };
}

/** Corners of XYXY boxes as (x, y) pairs: (x1, y1), (x2, y1), (x2, y2), (x1, y2). */
function corners(xyxy: Float32Array): Float32Array {
  const p = new Float32Array(xyxy.length * 2);
  for (let i = 0, j = 0; i < xyxy.length; i += 4, j += 8) {
    const [x1, y1, x2, y2] = [xyxy[i]!, xyxy[i + 1]!, xyxy[i + 2]!, xyxy[i + 3]!];
    p.set([x1, y1, x2, y1, x2, y2, x1, y2], j);
  }
  return p;
}

/** The XYXY hull of mapped corners (torch.aminmax over each box's 4 points). */
function hull(p: Float32Array): Float32Array {
  const out = new Float32Array(p.length / 2);
  for (let i = 0, j = 0; i < p.length; i += 8, j += 4) {
    const xs = [p[i]!, p[i + 2]!, p[i + 4]!, p[i + 6]!],
      ys = [p[i + 1]!, p[i + 3]!, p[i + 5]!, p[i + 7]!];
    out.set([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)], j);
  }
  return out;
}

/** Maps boxes by a point map (corners for unrotated boxes, the parallelogram's rectangle for rotated ones), then clamps. */
function mapBoxPoints(
  b: BoundingBoxes,
  map: (p: Float32Array) => void,
  canvas: [number, number],
  after?: (boxes: Float32Array, inter: BoxFormat) => void,
): BoundingBoxes {
  const rotated = isRotated(b.format);
  const inter: BoxFormat = rotated ? "XYXYXYXY" : "XYXY";
  const bb = convertFormat(b.data, b.format, inter);
  let out: Float32Array;
  if (rotated) {
    map(bb);
    out = parallelogramToBoxes(bb);
  } else {
    const p = corners(bb);
    map(p);
    out = hull(p);
  }
  after?.(out, inter);
  const clamped = clampBoxes(out, inter, canvas, b.clampingMode);
  return { ...b, canvasSize: canvas, data: convertFormat(clamped, inter, b.format) };
}

/**
 * The canvas after an expanding rotation: the image's own size (Pillow's under "pil", v2's
 * under "tensor", as lockstep rotates the image). torchvision 0.28 computes the boxes' and key
 * points' canvas from a matrix around the absolute centre, which differs from its own image's
 * size in most expanding rotations (by a pixel); lockstep keeps every target on the image's
 * canvas, so a pipeline can go on.
 */
function expandedTo(canvas: [number, number], geo: Extract<Geo, { fn: "rotate" }>): [number, number] {
  return rotatedSize(canvas[1], canvas[0], geo.angle, true, geo.center, geo.semantics ?? "pil");
}

/** A rotate or affine call, which moves boxes and key points by one affine map. */
type AffineGeo = Extract<Geo, { fn: "rotate" | "affine" }>;

/**
 * What a rotate or affine call does to points on `canvas`: the output canvas, and (unless there
 * is nothing to move) the f32 matrix (about `center`, the canvas's centre by default) with, for
 * an expanding rotation, the shift of the origin onto the larger canvas. A rotation is an affine
 * map by -angle (torchvision's rotate_bounding_boxes and rotate_keypoints).
 */
function affineMap(
  geo: AffineGeo,
  canvas: [number, number],
  empty: boolean,
): { to: [number, number]; m: number[] | null; tr: [number, number] | null } {
  const [H, W] = canvas;
  const expand = geo.fn === "rotate" && geo.expand;
  const to = expand ? expandedTo(canvas, geo) : canvas;
  if (empty) return { to, m: null, tr: null };
  const c = geo.center ?? [W * 0.5, H * 0.5];
  const m = geo.fn === "rotate" ? affine32(c, -geo.angle, [0, 0], 1, [0, 0]) : affine32(c, geo.angle, geo.translate, geo.scale, geo.shear);
  return { to, m, tr: expand ? expandShift(m, canvas) : null };
}

/** Moves interleaved points [x, y, ...] by -tr, in place. */
function unshift(p: Float32Array, tr: readonly [number, number]): void {
  for (let i = 0; i < p.length; i += 2) {
    p[i] = p[i]! - tr[0];
    p[i + 1] = p[i + 1]! - tr[1];
  }
}

function affineBoxes(b: BoundingBoxes, geo: AffineGeo): BoundingBoxes {
  const { to, m, tr } = affineMap(geo, b.canvasSize, b.data.length === 0);
  if (!m) return { ...b, canvasSize: to };
  return mapBoxPoints(b, (p) => affinePoints(p, m), to, tr ? (out) => unshift(out, tr) : undefined);
}

/** Pixel offsets [dx, dy] of an elastic field at pixels `cells` (y * W + x), exact from the kernel's Q22 field. */
function elasticOffsets(
  key: [number, number],
  alpha: [number, number],
  sigma: [number, number],
  W: number,
  H: number,
  cells: number[],
): [number[], number[]] {
  const { exports: x, arena } = kernel();
  const exports = x;
  arena.reset();
  const field = arena.alloc(W * H * 16);
  const scratch = arena.alloc(x.elasticScratch(W, H, sigma[0], sigma[1]));
  x.elasticField(key[0], key[1], W, H, alpha[0], alpha[1], sigma[0], sigma[1], field, scratch);
  const words = new Int32Array(exports.memory.buffer, field, W * H * 4);
  const q = (i: number) => (words[2 * i + 1]! * 4294967296 + (words[2 * i]! >>> 0)) / 4194304; // i64 / 2^22
  return [cells.map(q), cells.map((c) => q(c + W * H))];
}

/**
 * Moves points as torchvision's elastic kernels: each point takes the offset at its pixel
 * (index = trunc of ceil(x) for boxes, trunc(x) for key points, clamped to the canvas) and
 * becomes index - offset (torchvision computes the same through its normalised grid).
 */
function elasticPoints(p: Float32Array, geo: Extract<Geo, { fn: "elastic" }>, canvas: [number, number], ceil: boolean): void {
  const [H, W] = canvas;
  const cells: number[] = [];
  const ix: number[] = [],
    iy: number[] = [];
  for (let i = 0; i < p.length; i += 2) {
    const x = Math.min(Math.max(Math.trunc(ceil ? Math.ceil(p[i]!) : p[i]!), 0), W - 1);
    const y = Math.min(Math.max(Math.trunc(ceil ? Math.ceil(p[i + 1]!) : p[i + 1]!), 0), H - 1);
    ix.push(x);
    iy.push(y);
    cells.push(y * W + x);
  }
  const [dx, dy] = elasticOffsets(geo.key, geo.alpha, geo.sigma, W, H, cells);
  for (let k = 0; k < cells.length; k++) {
    p[2 * k] = f(ix[k]! - dx[k]!);
    p[2 * k + 1] = f(iy[k]! - dy[k]!);
  }
}

function elasticBoxes(b: BoundingBoxes, geo: Extract<Geo, { fn: "elastic" }>): BoundingBoxes {
  if (b.data.length === 0) return b;
  if (!isRotated(b.format)) return mapBoxPoints(b, (p) => elasticPoints(p, geo, b.canvasSize, true), b.canvasSize);
  const c = convertFormat(b.data, b.format, "CXCYWHR");
  const pts = new Float32Array((c.length / 5) * 2);
  for (let i = 0, j = 0; i < c.length; i += 5, j += 2) pts.set([c[i]!, c[i + 1]!], j);
  elasticPoints(pts, geo, b.canvasSize, true);
  for (let i = 0, j = 0; i < c.length; i += 5, j += 2) c.set([pts[j]!, pts[j + 1]!], i);
  const clamped = clampBoxes(c, "CXCYWHR", b.canvasSize, b.clampingMode);
  return { ...b, data: convertFormat(clamped, "CXCYWHR", b.format) };
}

function checkConstant(mode: PaddingMode, what: string): void {
  if (mode !== "constant")
    throw new TypeError(`padding mode ${JSON.stringify(mode)} is not supported with ${what} (only "constant", as torchvision)`);
}

/** What one geometric call does to boxes (torchvision 0.28's *_bounding_boxes kernels). */
export function mapBoxes(geo: Geo, b: BoundingBoxes): BoundingBoxes {
  switch (geo.fn) {
    case "hflip":
      return flipBoxes(b, true);
    case "vflip":
      return flipBoxes(b, false);
    case "crop":
      return cropBoxes(b, geo.top, geo.left, geo.height, geo.width);
    case "centerCrop": {
      const [top, left] = centerAnchor(b.canvasSize, geo.size);
      return cropBoxes(b, top, left, geo.size[0], geo.size[1]);
    }
    case "pad": {
      checkConstant(geo.mode, "bounding boxes");
      const [l, t, r, bo] = geo.padding;
      const canvas: [number, number] = [b.canvasSize[0] + t + bo, b.canvasSize[1] + l + r];
      return { ...b, canvasSize: canvas, data: clampBoxes(shift(b.data, b.format, l, t), b.format, canvas, b.clampingMode) };
    }
    case "resize":
      return resizeBoxes(b, geo.size);
    case "rotate":
    case "affine":
      return affineBoxes(b, geo);
    case "perspective": {
      if (b.data.length === 0) return b;
      const t = perspectiveThetas(geo.startpoints, geo.endpoints);
      return mapBoxPoints(b, (p) => perspectivePoints(p, t), b.canvasSize);
    }
    case "elastic":
      return elasticBoxes(b, geo);
  }
}

// ---------------------------------------------------------------------------------------
// Key points

function mapXY(k: KeyPoints, fx: (x: number) => number, fy: (y: number) => number, canvas = k.canvasSize): KeyPoints {
  const d = k.data.slice();
  for (let i = 0; i < d.length; i += 2) {
    d[i] = fx(d[i]!);
    d[i + 1] = fy(d[i + 1]!);
  }
  return { ...k, canvasSize: canvas, data: d };
}

function affineKeyPoints(k: KeyPoints, geo: AffineGeo): KeyPoints {
  const { to, m, tr } = affineMap(geo, k.canvasSize, k.data.length === 0);
  if (!m) return { ...k, canvasSize: to };
  const d = k.data.slice();
  affinePoints(d, m);
  if (tr) unshift(d, tr);
  return { ...k, canvasSize: to, data: d };
}

/** What one geometric call does to key points (torchvision 0.28's *_keypoints kernels; no clamping). */
export function mapKeyPoints(geo: Geo, k: KeyPoints): KeyPoints {
  const [H, W] = k.canvasSize;
  switch (geo.fn) {
    case "hflip":
      return mapXY(
        k,
        (x) => -f(x - (W - 1)),
        (y) => y,
      );
    case "vflip":
      return mapXY(
        k,
        (x) => x,
        (y) => -f(y - (H - 1)),
      );
    case "crop":
      return mapXY(
        k,
        (x) => f(x - geo.left),
        (y) => f(y - geo.top),
        [geo.height, geo.width],
      );
    case "centerCrop": {
      const [top, left] = centerAnchor(k.canvasSize, geo.size);
      return mapXY(
        k,
        (x) => f(x - left),
        (y) => f(y - top),
        [geo.size[0], geo.size[1]],
      );
    }
    case "pad": {
      checkConstant(geo.mode, "key points");
      const [l, t, r, b] = geo.padding;
      return mapXY(
        k,
        (x) => f(x + l),
        (y) => f(y + t),
        [H + t + b, W + l + r],
      );
    }
    case "resize": {
      const [nh, nw] = geo.size;
      if (nh === H && nw === W) return k;
      const rw = f(nw / W),
        rh = f(nh / H);
      return mapXY(
        k,
        (x) => f(x * rw),
        (y) => f(y * rh),
        [nh, nw],
      );
    }
    case "rotate":
    case "affine":
      return affineKeyPoints(k, geo);
    case "perspective": {
      if (k.data.length === 0) return k;
      const t = perspectiveThetas(geo.startpoints, geo.endpoints);
      const d = k.data.slice();
      perspectivePoints(d, t);
      return { ...k, data: d };
    }
    case "elastic": {
      if (k.data.length === 0) return k;
      const d = k.data.slice();
      elasticPoints(d, geo, k.canvasSize, false);
      return { ...k, data: d };
    }
  }
}

// ---------------------------------------------------------------------------------------
// Masks

function maskFill(geo: { fn: string; fill: number | null }, m: Mask): number[] {
  if (geo.fill === null) {
    throw new TypeError(
      `${geo.fn}: this transform's fill is per channel, which torchvision does not accept for masks either; give fill as { image: [...], mask: n }`,
    );
  }
  return fillPixel(m, geo.fill);
}

/** What one geometric call does to a mask: the image op with nearest interpolation (resize: torch's nearest), plane by plane. */
export function mapMask(geo: Geo, m: Mask): Mask {
  const [H, W] = maskSize(m);
  switch (geo.fn) {
    case "hflip":
      return perPlane(m, maskOps.hflip);
    case "vflip":
      return perPlane(m, maskOps.vflip);
    case "crop":
      return perPlane(m, (p) =>
        maskOps.window(p, geo.top, geo.left, geo.height, geo.width, "constant", new Array<number>(p.channels).fill(0)),
      );
    case "centerCrop": {
      const [top, left] = centerCropOffsets(H, W, geo.size[0], geo.size[1]);
      return perPlane(m, (p) => maskOps.window(p, top, left, geo.size[0], geo.size[1], "constant", new Array<number>(p.channels).fill(0)));
    }
    case "pad": {
      const [l, t, r, b] = geo.padding;
      const fill = geo.mode === "constant" ? maskFill(geo, m) : fillPixel(m, 0);
      return perPlane(m, (p) => maskOps.window(p, -t, -l, H + t + b, W + l + r, geo.mode, fill));
    }
    case "resize":
      return perPlane(m, (p) => maskOps.resize(p, geo.size));
    case "rotate": {
      const fill = maskFill(geo, m);
      const to = geo.expand ? expandedTo([H, W], geo) : null;
      return perPlane(m, (p) => maskOps.rotate(p, geo.angle, to, geo.center, fill));
    }
    case "affine": {
      const fill = maskFill(geo, m);
      return perPlane(m, (p) => maskOps.affine(p, geo, fill));
    }
    case "perspective": {
      const fill = maskFill(geo, m);
      return perPlane(m, (p) => maskOps.perspective(p, geo.startpoints, geo.endpoints, fill));
    }
    case "elastic": {
      const fill = maskFill(geo, m);
      return perPlane(m, (p) => maskOps.elastic(p, geo.key, geo.alpha, geo.sigma, fill));
    }
  }
}

/** What one geometric call does to any target. */
export function mapTarget<T extends Target>(geo: Geo, t: T): T {
  switch (t.kind) {
    case "boxes":
      return mapBoxes(geo, t) as T;
    case "keypoints":
      return mapKeyPoints(geo, t) as T;
    case "mask":
      return mapMask(geo, t) as T;
    default:
      throw new TypeError(`not a target: ${describe(t)}`);
  }
}

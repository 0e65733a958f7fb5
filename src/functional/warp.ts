// Rotate, affine, perspective and elastic warps, plus five/ten crops: torchvision's
// functional API under each semantics: "pil" is Pillow 12.3's Geometry.c (assembly/warp.ts,
// pilwarp.ts: its binary64 arithmetic reproduced exactly), "tensor" torchvision v2's
// grid_sample warps on uint8 tensors (assembly/tvwarp.ts), "tensor-v1" the v1 ones
// AugMix runs. Matrices are built in the kernel (its sin/cos/tan), so no engine math
// reaches a pixel.
import { kernel } from "../kernel/instance.js";
import { KERNEL_CONSTANTS as C, type KernelExports } from "../kernel/exports.js";
import { checkArea, checkImage, checkSide, checkTensor, describe, type Image, type Tensor } from "../image.js";
import { checkOptions, checkFinite, checkHW, fillBytes, type Size } from "./args.js";
import { centerCropOffsets, hflip, vflip, window, type OutOptions } from "./geometry.js";
import { checkOut } from "./resample.js";
import { checkKernelSemantics, type KernelSemantics, type SemanticsOptions } from "./semantics.js";

function k(): { exports: KernelExports; arena: ReturnType<typeof kernel>["arena"] } {
  return kernel();
}

/** The interpolations the warps support (torchvision's tensor backend supports the same two). */
export type WarpInterpolation = "nearest" | "bilinear";

const KIND = { affine: C.WARP_AFFINE, perspective: C.WARP_PERSPECTIVE } as const;
const FILTER = { nearest: C.WARP_NEAREST, bilinear: C.WARP_BILINEAR } as const;
const COORD_LIMIT = 2 ** 30;

export function checkWarpInterpolation(v: unknown, name = "interpolation"): WarpInterpolation {
  if (v !== "nearest" && v !== "bilinear") throw new RangeError(`${name} must be "nearest" or "bilinear", got ${describe(v)}`);
  return v;
}

function checkBool(v: unknown, name: string): boolean {
  if (typeof v !== "boolean") throw new TypeError(`${name} must be a boolean, got ${describe(v)}`);
  return v;
}

function checkCoord(v: unknown, name: string): number {
  const x = checkFinite(v, name);
  if (Math.abs(x) > COORD_LIMIT) throw new RangeError(`${name} must be in [-2^30, 2^30], got ${x}`);
  return x;
}

/** A point [x, y] of finite numbers. */
export function checkPoint(v: unknown, name: string): [number, number] {
  if (!Array.isArray(v) || v.length !== 2) throw new TypeError(`${name} must be [x, y], got ${describe(v)}`);
  return [checkCoord(v[0], `${name}[0]`), checkCoord(v[1], `${name}[1]`)];
}

/** A centre [x, y] or null/undefined (the image centre). */
export function checkCenter(v: unknown, name = "center"): [number, number] | null {
  return v === undefined || v === null ? null : checkPoint(v, name);
}

/** Shear as torchvision takes it: a number (x only), [s] (both) or [sx, sy], in degrees. */
export function checkShear(v: unknown, name = "shear"): [number, number] {
  if (typeof v === "number") return [checkFinite(v, name), 0];
  if (Array.isArray(v) && v.length === 1) {
    const s = checkFinite(v[0], `${name}[0]`);
    return [s, s];
  }
  if (Array.isArray(v) && v.length === 2) return [checkFinite(v[0], `${name}[0]`), checkFinite(v[1], `${name}[1]`)];
  throw new TypeError(`${name} must be a number, [s] or [sx, sy] (degrees), got ${describe(v)}`);
}

function f64View(at: number, n: number): Float64Array {
  return new Float64Array(k().exports.memory.buffer, at, n);
}

function fitsFixed(status: number, what: string): void {
  if (status !== 0)
    throw new RangeError(`${what}: the transform maps pixels too far (or is degenerate) for lockstep's fixed-point coordinates`);
}

/** A warp's fill: bytes, or null for torchvision's fill=None (tensor semantics' zeros; Pillow's 0). */
function warpFill(fill: unknown, img: Image, sem: KernelSemantics): Uint8Array | null {
  if (fill === undefined || fill === null) return sem === "pil" ? new Uint8Array(img.channels) : null;
  return fillBytes(fill, img.channels);
}

/**
 * Runs a warp: output dw x dh from `coeffs` (6 affine values or 8 perspective ones). "pil" runs
 * Pillow's transform (fill bytes required); the tensor semantics run torchvision's grid_sample
 * warp, where `fill` null keeps grid_sample's zeros (torchvision's fill=None) and bytes mix in
 * through the mask.
 */
function runWarp(
  img: Image,
  coeffs: ArrayLike<number>,
  kind: keyof typeof KIND,
  interpolation: WarpInterpolation,
  fill: Uint8Array | null,
  dw: number,
  dh: number,
  sem: KernelSemantics,
  what: string,
  out?: Uint8Array,
): Image {
  checkArea(dw, dh, what);
  const { exports: x, arena } = k();
  const n = dw * dh * img.channels;
  arena.reset();
  const m = arena.alloc(64);
  f64View(m, 8).set(Array.from(coeffs).concat([0, 0]).slice(0, 8));
  const src = arena.put(img.data);
  const f = arena.put(fill ?? new Uint8Array(img.channels));
  const dst = arena.alloc(n);
  if (sem === "pil") {
    const scratch = arena.alloc(x.warpScratch(dw));
    fitsFixed(x.warp(src, img.width, img.height, img.channels, dst, dw, dh, m, KIND[kind], FILTER[interpolation], f, scratch), what);
  } else {
    const flags = (fill ? C.TV_FILL : 0) | (sem === "tensor-v1" ? C.TV_V1 : 0);
    x.tvWarp(src, img.width, img.height, img.channels, dst, dw, dh, m, kind === "perspective" ? 1 : 0, FILTER[interpolation], f, flags);
  }
  return { width: dw, height: dh, channels: img.channels, data: arena.takeU8(dst, n, checkOut(out, Uint8Array, n)) };
}

/**
 * Warps with explicit inverse coefficients (output pixel centre -> input position), as
 * Pillow's Image.transform: 6 for "affine", 8 for "perspective". The primitive under
 * rotate/affine/perspective; exposed for tests and advanced use.
 */
export function warpWith(
  img: Image,
  coeffs: number[],
  kind: "affine" | "perspective",
  opts: { interpolation?: WarpInterpolation; fill?: number | number[]; size?: [number, number]; out?: Uint8Array } = {},
): Image {
  opts = checkOptions(opts);
  img = checkImage(img);
  if (kind !== "affine" && kind !== "perspective") throw new RangeError(`kind must be "affine" or "perspective", got ${describe(kind)}`);
  const want = kind === "affine" ? 6 : 8;
  if (!Array.isArray(coeffs) || coeffs.length !== want)
    throw new TypeError(`coefficients must be an array of ${want} finite numbers, got ${describe(coeffs)}`);
  coeffs.forEach((v, i) => checkFinite(v, `coefficients[${i}]`));
  const [dh, dw] = opts.size ? [checkSide(opts.size[0], "size[0]"), checkSide(opts.size[1], "size[1]")] : [img.height, img.width];
  return runWarp(
    img,
    coeffs,
    kind,
    checkWarpInterpolation(opts.interpolation ?? "nearest"),
    fillBytes(opts.fill ?? 0, img.channels),
    dw,
    dh,
    "pil",
    "warp",
    opts.out,
  );
}

/** How Pillow's rotate proceeds: a copy, a quarter-turn transpose, or an affine warp to [h, w]. */
export type RotatePlan =
  | { kind: "copy" }
  | { kind: "quarter"; quarter: 1 | 2 | 3 }
  | { kind: "affine"; matrix: number[]; size: [number, number] };

/**
 * How rotate proceeds, from the kernel: Pillow's Image.rotate(angle, expand, center)
 * decisions and inverse matrix ("pil"), or torchvision's tensor rotate ("tensor": v2's fast
 * paths and grid; "tensor-v1": v1's, without fast paths).
 */
export function rotatePlan(
  width: number,
  height: number,
  angle: number,
  expand: boolean,
  center: [number, number] | null,
  semantics: KernelSemantics = "pil",
): RotatePlan {
  const { exports: x, arena } = k();
  arena.reset();
  const m = arena.alloc(64);
  const cx = center ? center[0] : 0;
  const cy = center ? center[1] : 0;
  const code =
    semantics === "pil"
      ? x.warpRotateMatrix(angle, width, height, cx, cy, center ? 1 : 0, expand ? 1 : 0, m)
      : x.tvRotateMatrix(angle, width, height, cx, cy, center ? 1 : 0, expand ? 1 : 0, semantics === "tensor-v1" ? 1 : 0, m);
  if (code === 0) return { kind: "copy" };
  if (code > 0) return { kind: "quarter", quarter: code as 1 | 2 | 3 };
  const v = Array.from(f64View(m, 8));
  const w = checkSide(v[6], "rotated width");
  const h = checkSide(v[7], "rotated height");
  return { kind: "affine", matrix: v.slice(0, 6), size: [h, w] };
}

/** The [height, width] F.rotate produces. */
export function rotatedSize(
  width: number,
  height: number,
  angle: number,
  expand: boolean,
  center: [number, number] | null,
  semantics: KernelSemantics = "pil",
): [number, number] {
  const p = rotatePlan(width, height, angle, expand, center, semantics);
  if (p.kind === "affine") return p.size;
  return p.kind === "quarter" && p.quarter !== 2 ? [width, height] : [height, width];
}

/** Options of {@link rotate}. */
export interface RotateOptions extends OutOptions, SemanticsOptions {
  /** "nearest" (default, as torchvision) or "bilinear". */
  interpolation?: WarpInterpolation;
  /** Grow the output to hold the whole rotated image (default false). */
  expand?: boolean;
  /** Centre of rotation [x, y], origin top-left; default the image centre. */
  center?: [number, number] | null;
  /** Value outside the rotated image: one number or one per channel (default: 0; "tensor": none, grid_sample's zeros, as torchvision's fill=None). */
  fill?: number | number[] | null;
}

/**
 * Rotates counter-clockwise by `angle` degrees (torchvision F.rotate): "pil" is Pillow's
 * Image.rotate with its 0/90/180/270 fast paths, "tensor" v2's rotate_image (its rot90 fast
 * paths, then grid_sample). Bit-exact with both (bilinear "tensor" within 1).
 */
export function rotate(img: Image, angle: number, opts: RotateOptions = {}): Image {
  opts = checkOptions(opts);
  img = checkImage(img);
  const a = checkFinite(angle, "angle");
  const interpolation = checkWarpInterpolation(opts.interpolation ?? "nearest");
  const expand = checkBool(opts.expand ?? false, "expand");
  const center = checkCenter(opts.center);
  const sem = checkKernelSemantics(opts.semantics);
  const fill = warpFill(opts.fill, img, sem);
  const plan = rotatePlan(img.width, img.height, a, expand, center, sem);
  const n = img.data.length;
  if (plan.kind === "copy") {
    const out = checkOut(opts.out, Uint8Array, n) ?? new Uint8Array(n);
    out.set(img.data);
    return { ...img, data: out };
  }
  if (plan.kind === "quarter") {
    const { exports: x, arena } = k();
    arena.reset();
    const src = arena.put(img.data);
    const dst = arena.alloc(n);
    x.rotate90(src, img.width, img.height, img.channels, plan.quarter, dst);
    const [h, w] = plan.quarter === 2 ? [img.height, img.width] : [img.width, img.height];
    return { width: w, height: h, channels: img.channels, data: arena.takeU8(dst, n, checkOut(opts.out, Uint8Array, n)) };
  }
  return runWarp(img, plan.matrix, "affine", interpolation, fill, plan.size[1], plan.size[0], sem, "rotate", opts.out);
}

/**
 * torchvision's _get_inverse_affine_matrix (computed in the kernel): the inverse of
 * translate . centre . rotate-scale-shear . centre^-1, as Pillow's AFFINE data. `v2`
 * selects torchvision.transforms.v2's order of operations ("tensor"), else v1's ("pil",
 * "tensor-v1"); they can differ in the last bits.
 */
export function inverseAffineMatrix(
  center: [number, number],
  angle: number,
  translate: [number, number],
  scale: number,
  shear: [number, number],
  v2 = false,
): number[] {
  const { exports: x, arena } = k();
  arena.reset();
  const m = arena.alloc(64);
  (v2 ? x.warpAffineMatrixV2 : x.warpAffineMatrix)(center[0], center[1], angle, translate[0], translate[1], scale, shear[0], shear[1], m);
  return Array.from(f64View(m, 6));
}

/** Options of {@link affine}: torchvision's F.affine arguments (defaults give the identity). */
export interface AffineOptions extends OutOptions, SemanticsOptions {
  /** Rotation in degrees, clockwise as torchvision's affine (default 0). */
  angle?: number;
  /** Post-rotation translation [tx, ty] in pixels (default [0, 0]). */
  translate?: [number, number];
  /** Overall scale, > 0 (default 1). */
  scale?: number;
  /** Shear in degrees: a number (x), [s] (x and y) or [sx, sy] (default 0). */
  shear?: number | [number] | [number, number];
  /** "nearest" (default) or "bilinear". */
  interpolation?: WarpInterpolation;
  /** Value outside the image: one number or one per channel (default: 0; "tensor": none, grid_sample's zeros). */
  fill?: number | number[] | null;
  /** Centre [x, y], origin top-left; default the image centre (width / 2, height / 2). */
  center?: [number, number] | null;
}

/** The validated arguments of an affine warp. */
export interface AffineArgs {
  angle: number;
  translate: [number, number];
  scale: number;
  shear: [number, number];
  center: [number, number] | null;
}

export function checkAffineArgs(opts: {
  angle?: unknown;
  translate?: unknown;
  scale?: unknown;
  shear?: unknown;
  center?: unknown;
}): AffineArgs {
  const angle = checkFinite(opts.angle ?? 0, "angle");
  const translate = checkPoint(opts.translate ?? [0, 0], "translate");
  const scale = checkFinite(opts.scale ?? 1, "scale");
  if (!(scale > 0)) throw new RangeError(`scale must be > 0, got ${scale}`);
  const shear = checkShear(opts.shear ?? 0);
  return { angle, translate, scale, shear, center: checkCenter(opts.center) };
}

/**
 * Affine transform keeping the centre invariant (torchvision F.affine): "pil" is Pillow's
 * AFFINE transform with the inverse matrix, "tensor" v2's affine_image (the matrix about
 * the image centre, then grid_sample). Bit-exact with both (bilinear "tensor" within 1).
 */
export function affine(img: Image, opts: AffineOptions = {}): Image {
  opts = checkOptions(opts);
  img = checkImage(img);
  const a = checkAffineArgs(opts);
  const interpolation = checkWarpInterpolation(opts.interpolation ?? "nearest");
  const sem = checkKernelSemantics(opts.semantics);
  const fill = warpFill(opts.fill, img, sem);
  const m = affineCoefficients(img.width, img.height, a, sem);
  return runWarp(img, m, "affine", interpolation, fill, img.width, img.height, sem, "affine", opts.out);
}

/**
 * The 6 coefficients `affine` warps a width x height image with: Pillow's inverse matrix
 * about `center` (default the image centre) for "pil"; for the tensor semantics
 * torchvision's, about the image centre (the centre taken relative to it).
 */
export function affineCoefficients(width: number, height: number, a: AffineArgs, sem: KernelSemantics): number[] {
  if (sem !== "pil") {
    const c: [number, number] = a.center ? [a.center[0] - width * 0.5, a.center[1] - height * 0.5] : [0, 0];
    return inverseAffineMatrix(c, a.angle, a.translate, a.scale, a.shear, sem === "tensor");
  }
  const center = a.center ?? [width * 0.5, height * 0.5];
  return inverseAffineMatrix(center, a.angle, a.translate, a.scale, a.shear);
}

/** Four corners [[x, y] x 4]: top-left, top-right, bottom-right, bottom-left. */
export type Corners = [[number, number], [number, number], [number, number], [number, number]];

export function checkCorners(v: unknown, name: string): Corners {
  if (!Array.isArray(v) || v.length !== 4)
    throw new TypeError(`${name} must be four [x, y] corners (top-left, top-right, bottom-right, bottom-left), got ${describe(v)}`);
  return v.map((p, i) => checkPoint(p, `${name}[${i}]`)) as Corners;
}

/**
 * torchvision's _get_perspective_coeffs: the 8 coefficients (a..h) with which Pillow maps
 * each output pixel to (a x + b y + c) / (g x + h y + 1), (d x + e y + f) / (g x + h y + 1).
 * Solved in f64 in the kernel and rounded to f32, where torchvision solves in f32.
 */
export function perspectiveCoeffs(startpoints: Corners | number[][], endpoints: Corners | number[][]): number[] {
  const s = checkCorners(startpoints, "startpoints");
  const e = checkCorners(endpoints, "endpoints");
  const { exports: x, arena } = k();
  arena.reset();
  const pts = arena.alloc(128);
  const out = arena.alloc(64);
  const scratch = arena.alloc(8 * 72);
  f64View(pts, 16).set([...s.flat(), ...e.flat()]);
  if (x.warpPerspectiveCoeffs(pts, out, scratch) !== 0) {
    throw new RangeError(
      `startpoints and endpoints give no perspective transform (three or more points on a line): ${JSON.stringify(s)} -> ${JSON.stringify(e)}`,
    );
  }
  return Array.from(f64View(out, 8));
}

/** Options of {@link perspective}. */
export interface PerspectiveOptions extends OutOptions, SemanticsOptions {
  /** "bilinear" (default, as torchvision) or "nearest". */
  interpolation?: WarpInterpolation;
  /** Value outside the image: one number or one per channel (default: 0; "tensor": none, grid_sample's zeros). */
  fill?: number | number[] | null;
  /** The 8 coefficients directly (torchvision v2's `coefficients`); then the points must be null. */
  coefficients?: number[] | null;
}

/**
 * Perspective transform mapping `startpoints` to `endpoints`, or by `opts.coefficients`
 * (torchvision F.perspective): "pil" is Pillow's PERSPECTIVE transform, "tensor" v2's
 * perspective_image (its float32 grid, then grid_sample).
 */
export function perspective(
  img: Image,
  startpoints: Corners | number[][] | null,
  endpoints: Corners | number[][] | null,
  opts: PerspectiveOptions = {},
): Image {
  opts = checkOptions(opts);
  img = checkImage(img);
  const interpolation = checkWarpInterpolation(opts.interpolation ?? "bilinear");
  const sem = checkKernelSemantics(opts.semantics);
  const fill = warpFill(opts.fill, img, sem);
  let coeffs: number[];
  if (opts.coefficients !== undefined && opts.coefficients !== null) {
    if (startpoints !== null || endpoints !== null)
      throw new TypeError("pass either startpoints and endpoints or coefficients (with startpoints = endpoints = null), not both");
    const c = opts.coefficients;
    if (!Array.isArray(c) || c.length !== 8) throw new TypeError(`coefficients must be an array of 8 finite numbers, got ${describe(c)}`);
    coeffs = c.map((v, i) => checkFinite(v, `coefficients[${i}]`));
  } else {
    coeffs = perspectiveCoeffs(startpoints as Corners, endpoints as Corners);
  }
  return runWarp(img, coeffs, "perspective", interpolation, fill, img.width, img.height, sem, "perspective", opts.out);
}

/** Options of {@link elastic}. */
export interface ElasticOptions extends OutOptions {
  /** "bilinear" (default) or "nearest". */
  interpolation?: WarpInterpolation;
  /** Value outside the image: one number or one per channel (default 0). */
  fill?: number | number[];
}

/** Runs the elastic warp of `img` through the field `makeField` writes (Q22 offsets, 16 bytes a pixel). */
function elasticRun(
  img: Image,
  opts: ElasticOptions,
  makeField: (x: KernelExports, arena: ReturnType<typeof kernel>["arena"], field: number) => void,
): Image {
  // Checked after the field's own arguments, so that errors come in the same order as ever.
  const interpolation = checkWarpInterpolation(opts.interpolation ?? "bilinear");
  const fill = fillBytes(opts.fill ?? 0, img.channels);
  const out = opts.out;
  const { exports: x, arena } = k();
  const n = img.data.length;
  arena.reset();
  const field = arena.alloc(img.width * img.height * 16);
  makeField(x, arena, field);
  const src = arena.put(img.data);
  const f = arena.put(fill);
  const dst = arena.alloc(n);
  x.elasticWarp(src, img.width, img.height, img.channels, field, FILTER[interpolation], f, dst);
  return { ...img, data: arena.takeU8(dst, n, checkOut(out, Uint8Array, n)) };
}

/**
 * Elastic transform with a given displacement (torchvision F.elastic_transform):
 * `displacement` is a [1, H, W, 2] tensor of (dx, dy) in grid units (-1..1 spans the
 * image), sampled as grid_sample(align_corners=False); outside the image the fill is
 * mixed in by the interpolated mask.
 */
export function elastic(img: Image, displacement: Tensor, opts: ElasticOptions = {}): Image {
  opts = checkOptions(opts);
  img = checkImage(img);
  displacement = checkTensor(displacement, "displacement");
  const s = displacement.shape;
  if (s.length !== 4 || s[0] !== 1 || s[1] !== img.height || s[2] !== img.width || s[3] !== 2) {
    throw new RangeError(`displacement must have shape [1, ${img.height}, ${img.width}, 2], got [${s.join(", ")}]`);
  }
  for (let i = 0; i < displacement.data.length; i++) {
    if (!Number.isFinite(displacement.data[i]!))
      throw new RangeError(`displacement.data[${i}] must be finite, got ${displacement.data[i]}`);
  }
  return elasticRun(img, opts, (x, arena, field) => {
    const d = arena.putF32(displacement.data);
    x.elasticFromDisplacement(d, img.width, img.height, field);
  });
}

/** Checks ElasticTransform's alpha or sigma: a number or [x, y]. */
export function checkPair(v: unknown, name: string, min: number, exclusive: boolean): [number, number] {
  const arr = typeof v === "number" ? [v, v] : Array.isArray(v) && v.length === 1 ? [v[0], v[0]] : v;
  if (!Array.isArray(arr) || arr.length !== 2) throw new TypeError(`${name} must be a number or [x, y], got ${describe(v)}`);
  return arr.map((x, i) => {
    const n = checkFinite(x, Array.isArray(v) ? `${name}[${i}]` : name);
    if (exclusive ? !(n > min) : !(n >= min)) throw new RangeError(`${name} must be ${exclusive ? ">" : ">="} ${min}, got ${n}`);
    if (n > 1e6) throw new RangeError(`${name} must be at most 1e6, got ${n}`);
    return n;
  }) as [number, number];
}

/**
 * ElasticTransform's warp from a field key: the displacement is drawn in the kernel from
 * Philox under `key` (per-pixel counters), blurred with torchvision's Gaussian
 * (size int(8 sigma + 1), odd) and scaled by alpha as torchvision's get_params does.
 */
export function elasticKeyed(
  img: Image,
  key: [number, number],
  alpha: number | [number, number],
  sigma: number | [number, number],
  opts: ElasticOptions = {},
): Image {
  opts = checkOptions(opts);
  img = checkImage(img);
  if (!Array.isArray(key) || key.length !== 2 || !key.every((v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff)) {
    throw new TypeError(`key must be two unsigned 32-bit integers, got ${describe(key)}`);
  }
  const [ax, ay] = checkPair(alpha, "alpha", 0, false);
  const [sx, sy] = checkPair(sigma, "sigma", 0, true);
  if (sx > 1000 || sy > 1000) throw new RangeError(`sigma must be at most 1000, got [${sx}, ${sy}]`);
  return elasticRun(img, opts, (x, arena, field) => {
    const scratch = arena.alloc(x.elasticScratch(img.width, img.height, sx, sy));
    x.elasticField(key[0], key[1], img.width, img.height, ax, ay, sx, sy, field, scratch);
  });
}

/** The corner and centre crops of torchvision's five_crop: [top, left] each, for crop [ch, cw]. */
export function fiveCropBoxes(H: number, W: number, ch: number, cw: number): [number, number][] {
  if (ch > H || cw > W) throw new RangeError(`crop size [${ch}, ${cw}] is bigger than the image (${H}x${W})`);
  return [[0, 0], [0, W - cw], [H - ch, 0], [H - ch, W - cw], centerCropOffsets(H, W, ch, cw)];
}

/**
 * The four corner crops and the centre crop (torchvision F.five_crop):
 * [topLeft, topRight, bottomLeft, bottomRight, center].
 */
export function fiveCrop(img: Image, size: Size): Image[] {
  img = checkImage(img);
  const [ch, cw] = checkHW(size);
  const zero = new Uint8Array(img.channels);
  return fiveCropBoxes(img.height, img.width, ch, cw).map(([t, l]) => window(img, t, l, ch, cw, "constant", zero));
}

/** five_crop of the image, then of its flip (horizontal, or vertical with `verticalFlip`): 10 images (torchvision F.ten_crop). */
export function tenCrop(img: Image, size: Size, opts: { verticalFlip?: boolean } = {}): Image[] {
  opts = checkOptions(opts);
  img = checkImage(img);
  const vf = checkBool(opts.verticalFlip ?? false, "verticalFlip");
  const first = fiveCrop(img, size);
  return first.concat(fiveCrop(vf ? vflip(img) : hflip(img), size));
}

// Rotations, affine and perspective warps, elastic deformation, zoom-out, the random
// resizes of torchvision v2 and the five/ten crops, as transforms: sampling exactly as
// torchvision's get_params / make_params, pixels from src/functional/warp.ts. The resize
// family and RandomZoomOut emit the core `resize` / `window` ops, so they fuse.
import { describe, MAX_SIDE, type Image, type Meta } from "../image.js";
import { checkFinite, checkHW, checkInt, checkInterpolation, roundHalfEven, type Interpolation, type Size } from "../functional/args.js";
import { resizedSize } from "../functional/size.js";
import { toTensor } from "../functional/tensor.js";
import {
  affine,
  checkAffineArgs,
  checkCenter,
  checkCorners,
  checkPair,
  checkWarpInterpolation,
  elasticKeyed,
  fiveCrop,
  perspective,
  rotate,
  rotatedSize,
  tenCrop,
  type Corners,
  type WarpInterpolation,
} from "../functional/warp.js";
import { Context, Deterministic, Transform, type Json } from "./base.js";
import { defineOp, padWindow, type Op } from "../ir/ops.js";
import type { AffineArgs, CropsArgs, ElasticArgs, PerspectiveArgs, RotateArgs, WarpArgs } from "../ir/args.js";
import { checkBool, expectParams, isInt, isObject, imageMeta, checkProbability } from "./params.js";
import { define, parseArgs, type CtorArgs, type Declaration } from "./declare.js";
import * as K from "./kinds.js";
import { fillJSON, imageFill, maskFill, type Fill } from "./fill.js";
import type { Geo } from "../targets/geometry.js";
import { refuseTargets, type TargetState } from "../targets/sample.js";
import { checkKernelSemantics, DEFAULT_SEMANTICS, type Semantics } from "../functional/semantics.js";

/** RandomAffine's translate: [a, b], fractions of width and height in [0, 1]. */
function checkRange01(v: unknown, name: string): [number, number] {
  if (!Array.isArray(v) || v.length !== 2)
    throw new TypeError(`${name} must be [a, b] (fractions of width and height), got ${describe(v)}`);
  return v.map((t, i) => {
    const x = checkFinite(t, `${name}[${i}]`);
    if (x < 0 || x > 1) throw new RangeError(`${name} values must be in [0, 1], got ${x}`);
    return x;
  }) as [number, number];
}

/** torchvision's _setup_angle: a number d >= 0 means [-d, d]; else [min, max] with min <= max. */
function checkDegrees(v: unknown, name: string, sizes: readonly number[] = [2]): number[] {
  if (typeof v === "number") {
    const d = checkFinite(v, name);
    if (d < 0) throw new RangeError(`${name}: if a single number, it must be >= 0 (the range is [-${name}, ${name}]), got ${d}`);
    return [-d, d];
  }
  if (!Array.isArray(v) || !sizes.includes(v.length)) {
    throw new TypeError(
      `${name} must be a number or ${sizes.map((n) => (n === 2 ? "[min, max]" : "[xmin, xmax, ymin, ymax]")).join(" or ")}, got ${describe(v)}`,
    );
  }
  const r = v.map((x, i) => checkFinite(x, `${name}[${i}]`));
  for (let i = 0; i < r.length; i += 2) {
    if (r[i]! > r[i + 1]!) throw new RangeError(`${name} must be [min, max] pairs with min <= max, got ${describe(r)}`);
  }
  return r;
}

const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isPoint = (v: unknown): boolean => Array.isArray(v) && v.length === 2 && v.every(isNum);
const isCorners = (v: unknown): v is Corners => Array.isArray(v) && v.length === 4 && v.every(isPoint);
const isFill = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => isInt(x) && x >= 0 && x <= 255);
/** A warp op's fill: bytes, or null (torchvision's fill=None: grid_sample's zeros under "tensor", 0 under "pil"). */
const isWarpFill = (v: unknown): v is number[] | null => v === null || isFill(v);
const guard = (fn: () => unknown): string | null => {
  try {
    fn();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
};

// ---------------------------------------------------------------------------------------
// Ops

const checkWarpCommon = (a: WarpArgs): void => {
  if (!isWarpFill(a.fill)) throw new RangeError("fill must be integers in [0, 255] or null");
  checkKernelSemantics(a.semantics);
};

defineOp<RotateArgs>("rotate", {
  meta: (a, meta) => {
    const m = imageMeta(meta, "rotate");
    const [height, width] = rotatedSize(m.width, m.height, a.angle, a.expand, a.center, a.semantics ?? "pil");
    return { ...m, width, height };
  },
  check: (a) =>
    guard(() => {
      checkFinite(a.angle, "angle");
      checkWarpInterpolation(a.interpolation);
      if (typeof a.expand !== "boolean") throw new TypeError("expand must be a boolean");
      checkCenter(a.center);
      checkWarpCommon(a);
    }),
  run: (x, a) =>
    rotate(x as Image, a.angle, {
      interpolation: a.interpolation,
      expand: a.expand,
      center: a.center,
      fill: a.fill,
      semantics: a.semantics,
    }),
});

defineOp<AffineArgs>("affine", {
  meta: (_, meta) => imageMeta(meta, "affine"),
  check: (a) =>
    guard(() => {
      checkAffineArgs(a);
      checkWarpInterpolation(a.interpolation);
      checkWarpCommon(a);
    }),
  run: (x, a) => affine(x as Image, a),
});

defineOp<PerspectiveArgs>("perspective", {
  meta: (_, meta) => imageMeta(meta, "perspective"),
  check: (a) =>
    guard(() => {
      checkCorners(a.startpoints, "startpoints");
      checkCorners(a.endpoints, "endpoints");
      checkWarpInterpolation(a.interpolation);
      checkWarpCommon(a);
    }),
  run: (x, a) =>
    perspective(x as Image, a.startpoints, a.endpoints, { interpolation: a.interpolation, fill: a.fill, semantics: a.semantics }),
});

defineOp<ElasticArgs>("elastic", {
  meta: (_, meta) => imageMeta(meta, "elastic"),
  check: (a) =>
    guard(() => {
      if (!Array.isArray(a.key) || a.key.length !== 2 || !a.key.every((v) => isInt(v) && v >= 0 && v <= 0xffffffff))
        throw new TypeError("key must be two unsigned 32-bit integers");
      checkPair(a.alpha, "alpha", 0, false);
      checkPair(a.sigma, "sigma", 0, true);
      checkWarpInterpolation(a.interpolation);
      if (!isFill(a.fill)) throw new RangeError("fill must be integers in [0, 255]");
    }),
  run: (x, a) => elasticKeyed(x as Image, a.key, a.alpha, a.sigma, { interpolation: a.interpolation, fill: a.fill }),
});

defineOp<CropsArgs>("multiCrop", {
  meta: (a, meta) => {
    const m = imageMeta(meta, a.ten ? "TenCrop" : "FiveCrop");
    if (a.size[0] > m.height || a.size[1] > m.width)
      throw new RangeError(
        `${a.ten ? "TenCrop" : "FiveCrop"}: crop size [${a.size.join(", ")}] is bigger than the image (${m.height}x${m.width})`,
      );
    return { kind: "tensor", shape: [a.ten ? 10 : 5, m.channels, a.size[0], a.size[1]] };
  },
  check: (a) =>
    guard(() => {
      checkHW(a.size);
      if (typeof a.ten !== "boolean" || typeof a.verticalFlip !== "boolean") throw new TypeError("ten and verticalFlip must be booleans");
    }),
  run: (x, a) => {
    const crops = a.ten ? tenCrop(x as Image, a.size, { verticalFlip: a.verticalFlip }) : fiveCrop(x as Image, a.size);
    const first = crops[0]!;
    const per = first.width * first.height * first.channels;
    const data = new Float32Array(per * crops.length);
    crops.forEach((c, i) => data.set(toTensor(c).data, i * per));
    return { shape: [crops.length, first.channels, first.height, first.width], data };
  },
});

// ---------------------------------------------------------------------------------------
// Rotation, affine, perspective

/** Options of {@link RandomRotation}. */
export interface RandomRotationOptions {
  interpolation?: WarpInterpolation;
  expand?: boolean;
  center?: [number, number] | null;
  fill?: Fill;
}

/** Params of {@link RandomRotation}: the angle in degrees (counter-clockwise). */
export interface AngleParams {
  [k: string]: Json;
  angle: number;
}

/** Rotates by an angle uniform in `degrees` (torchvision RandomRotation; nearest by default). */
export class RandomRotation extends Transform<AngleParams> {
  readonly type = "RandomRotation";
  readonly random = true;
  readonly degrees: [number, number];
  readonly interpolation: WarpInterpolation;
  readonly expand: boolean;
  readonly center: [number, number] | null;
  readonly fill: Fill;

  /** torchvision's `(degrees, interpolation, expand, center, fill)`, any prefix of them, then optionally the rest by name. */
  constructor(...args: CtorArgs<RandomRotationOptions & { degrees: number | [number, number] }, typeof RandomRotationDecl.positional>) {
    super();
    const { degrees, ...opts } = parseArgs<RandomRotationOptions & { degrees: number | [number, number] }>(RandomRotationDecl, args);
    this.degrees = checkDegrees(degrees, "degrees") as [number, number];
    this.interpolation = checkWarpInterpolation(opts.interpolation ?? "nearest");
    this.expand = checkBool(opts.expand, "expand", false);
    this.center = checkCenter(opts.center);
    this.fill = fillJSON(opts.fill ?? 0);
  }

  makeParams(ctx: Context, meta: Meta): AngleParams {
    imageMeta(meta, this.type);
    return { angle: ctx.rng.uniform(this.degrees[0], this.degrees[1]) };
  }

  ops(params: AngleParams, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Op[] {
    const m = imageMeta(meta, this.type);
    expectParams(isObject(params) && isNum(params.angle), this.type, "{ angle: number }", params);
    return [
      {
        op: "call",
        name: "rotate",
        args: {
          angle: params.angle,
          interpolation: this.interpolation,
          expand: this.expand,
          center: this.center,
          fill: imageFill(this.fill, m.channels),
          semantics,
        },
      },
    ];
  }

  override geometry(params: AngleParams, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Geo[] {
    this.ops(params, meta, semantics);
    return [{ fn: "rotate", angle: params.angle, expand: this.expand, center: this.center, fill: maskFill(this.fill), semantics }];
  }
}

/** Options of {@link RandomAffine}. */
export interface RandomAffineOptions {
  /** Maximum fractions [a, b] of width and height for the translation, in [0, 1]. */
  translate?: [number, number] | null;
  /** Scale range [min, max], > 0. */
  scale?: [number, number] | null;
  /** Shear range in degrees: d (x in [-d, d]), [min, max] (x) or [xmin, xmax, ymin, ymax]. */
  shear?: number | number[] | null;
  interpolation?: WarpInterpolation;
  fill?: Fill;
  center?: [number, number] | null;
}

/** Params of {@link RandomAffine}, as torchvision's get_params returns them. */
export interface AffineParams {
  [k: string]: Json;
  angle: number;
  translate: [number, number];
  scale: number;
  shear: [number, number];
}

/** Random affine transform keeping the centre invariant (torchvision RandomAffine). */
export class RandomAffine extends Transform<AffineParams> {
  readonly type = "RandomAffine";
  readonly random = true;
  readonly degrees: [number, number];
  readonly translate: [number, number] | null;
  readonly scale: [number, number] | null;
  readonly shear: number[] | null;
  readonly interpolation: WarpInterpolation;
  readonly fill: Fill;
  readonly center: [number, number] | null;

  /** torchvision's `(degrees, translate, scale, shear, interpolation, fill, center)`, any prefix of them, then optionally the rest by name. */
  constructor(...args: CtorArgs<RandomAffineOptions & { degrees: number | [number, number] }, typeof RandomAffineDecl.positional>) {
    super();
    const { degrees, ...opts } = parseArgs<RandomAffineOptions & { degrees: number | [number, number] }>(RandomAffineDecl, args);
    this.degrees = checkDegrees(degrees, "degrees") as [number, number];
    this.translate = opts.translate === undefined || opts.translate === null ? null : checkRange01(opts.translate, "translate");
    if (opts.scale === undefined || opts.scale === null) {
      this.scale = null;
    } else {
      if (!Array.isArray(opts.scale) || opts.scale.length !== 2)
        throw new TypeError(`scale must be [min, max], got ${describe(opts.scale)}`);
      const s = opts.scale.map((v, i) => checkFinite(v, `scale[${i}]`));
      if (!(s[0]! > 0 && s[1]! > 0)) throw new RangeError(`scale values must be > 0, got ${describe(s)}`);
      if (s[0]! > s[1]!) throw new RangeError(`scale must be [min, max] with min <= max, got ${describe(s)}`);
      this.scale = s as [number, number];
    }
    this.shear = opts.shear === undefined || opts.shear === null ? null : checkDegrees(opts.shear, "shear", [2, 4]);
    this.interpolation = checkWarpInterpolation(opts.interpolation ?? "nearest");
    this.fill = fillJSON(opts.fill ?? 0);
    this.center = checkCenter(opts.center);
  }

  makeParams(ctx: Context, meta: Meta): AffineParams {
    const { width, height } = imageMeta(meta, this.type);
    const angle = ctx.rng.uniform(this.degrees[0], this.degrees[1]);
    let translate: [number, number] = [0, 0];
    if (this.translate) {
      const maxDx = this.translate[0] * width;
      const maxDy = this.translate[1] * height;
      translate = [roundHalfEven(ctx.rng.uniform(-maxDx, maxDx)), roundHalfEven(ctx.rng.uniform(-maxDy, maxDy))];
    }
    const scale = this.scale ? ctx.rng.uniform(this.scale[0], this.scale[1]) : 1.0;
    let shear: [number, number] = [0, 0];
    if (this.shear) {
      shear = [ctx.rng.uniform(this.shear[0]!, this.shear[1]!), 0];
      if (this.shear.length === 4) shear[1] = ctx.rng.uniform(this.shear[2]!, this.shear[3]!);
    }
    // -0 (from rounding a small negative) is not JSON-stable: normalise it.
    return { angle, translate: [translate[0] + 0, translate[1] + 0], scale, shear };
  }

  ops(params: AffineParams, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Op[] {
    const m = imageMeta(meta, this.type);
    expectParams(
      isObject(params) &&
        isNum(params.angle) &&
        isPoint(params.translate) &&
        isNum(params.scale) &&
        params.scale > 0 &&
        isPoint(params.shear),
      this.type,
      "{ angle, translate: [tx, ty], scale > 0, shear: [sx, sy] }",
      params,
    );
    return [
      {
        op: "call",
        name: "affine",
        args: {
          angle: params.angle,
          translate: params.translate,
          scale: params.scale,
          shear: params.shear,
          interpolation: this.interpolation,
          fill: imageFill(this.fill, m.channels),
          center: this.center,
          semantics,
        },
      },
    ];
  }

  override geometry(params: AffineParams, meta: Meta): Geo[] {
    this.ops(params, meta);
    return [
      {
        fn: "affine",
        angle: params.angle,
        translate: [params.translate[0], params.translate[1]],
        scale: params.scale,
        shear: [params.shear[0], params.shear[1]],
        center: this.center,
        fill: maskFill(this.fill),
      },
    ];
  }
}

/** Options of {@link RandomPerspective}. */
export interface RandomPerspectiveOptions {
  /** Degree of distortion in [0, 1] (default 0.5). */
  distortionScale?: number;
  /** Probability of applying it (default 0.5). */
  p?: number;
  interpolation?: WarpInterpolation;
  fill?: Fill;
}

/** Params of {@link RandomPerspective}: the corners (null when not applied). */
export interface PerspectiveParams {
  [k: string]: Json;
  applied: boolean;
  startpoints: Corners | null;
  endpoints: Corners | null;
}

/** Random perspective transform with probability p (torchvision RandomPerspective; bilinear by default). */
export class RandomPerspective extends Transform<PerspectiveParams> {
  readonly type = "RandomPerspective";
  readonly random = true;
  readonly distortionScale: number;
  readonly p: number;
  readonly interpolation: WarpInterpolation;
  readonly fill: Fill;

  /** torchvision's `(distortionScale, p, interpolation, fill)`, any prefix of them, then optionally the rest by name. */
  constructor(...args: CtorArgs<RandomPerspectiveOptions, typeof RandomPerspectiveDecl.positional>) {
    super();
    const opts = parseArgs<RandomPerspectiveOptions>(RandomPerspectiveDecl, args);
    this.distortionScale = checkFinite(opts.distortionScale ?? 0.5, "distortionScale");
    if (this.distortionScale < 0 || this.distortionScale > 1)
      throw new RangeError(`distortionScale must be in [0, 1], got ${this.distortionScale}`);
    this.p = checkProbability(opts.p ?? 0.5);
    this.interpolation = checkWarpInterpolation(opts.interpolation ?? "bilinear");
    this.fill = fillJSON(opts.fill ?? 0);
  }

  makeParams(ctx: Context, meta: Meta): PerspectiveParams {
    const { width, height } = imageMeta(meta, this.type);
    if (!(ctx.rng.random() < this.p)) return { applied: false, startpoints: null, endpoints: null };
    const bw = Math.trunc(this.distortionScale * Math.floor(width / 2)) + 1;
    const bh = Math.trunc(this.distortionScale * Math.floor(height / 2)) + 1;
    const r = (lo: number, hi: number) => ctx.rng.randint(lo, hi);
    const topleft: [number, number] = [r(0, bw), r(0, bh)];
    const topright: [number, number] = [r(width - bw, width), r(0, bh)];
    const botright: [number, number] = [r(width - bw, width), r(height - bh, height)];
    const botleft: [number, number] = [r(0, bw), r(height - bh, height)];
    return {
      applied: true,
      startpoints: [
        [0, 0],
        [width - 1, 0],
        [width - 1, height - 1],
        [0, height - 1],
      ],
      endpoints: [topleft, topright, botright, botleft],
    };
  }

  ops(params: PerspectiveParams, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Op[] {
    const m = imageMeta(meta, this.type);
    expectParams(
      isObject(params) &&
        typeof params.applied === "boolean" &&
        (params.applied
          ? isCorners(params.startpoints) && isCorners(params.endpoints)
          : params.startpoints === null && params.endpoints === null),
      this.type,
      "{ applied, startpoints: 4 corners | null, endpoints: 4 corners | null }",
      params,
    );
    if (!params.applied) return [];
    return [
      {
        op: "call",
        name: "perspective",
        args: {
          startpoints: params.startpoints,
          endpoints: params.endpoints,
          interpolation: this.interpolation,
          fill: imageFill(this.fill, m.channels),
          semantics,
        },
      },
    ];
  }

  override geometry(params: PerspectiveParams, meta: Meta): Geo[] {
    if (this.ops(params, meta).length === 0) return [];
    return [{ fn: "perspective", startpoints: params.startpoints!, endpoints: params.endpoints!, fill: maskFill(this.fill) }];
  }
}

// ---------------------------------------------------------------------------------------
// Elastic

/** Options of {@link ElasticTransform}. */
export interface ElasticTransformOptions {
  /** Magnitude: a number or [x, y] (default 50). */
  alpha?: number | [number, number];
  /** Smoothness: a number or [x, y], > 0 (default 5). */
  sigma?: number | [number, number];
  interpolation?: WarpInterpolation;
  fill?: Fill;
}

/** Params of {@link ElasticTransform}: the Philox key of the displacement field (the field itself is recomputed from it). */
export interface ElasticParams {
  [k: string]: Json;
  key: [number, number];
}

/**
 * Elastic deformation (torchvision ElasticTransform): a displacement field of uniform
 * noise in [-1, 1), blurred by a Gaussian of size int(8 sigma + 1) and scaled by alpha,
 * moves every pixel. The noise is per-pixel Philox under the slot key (counter = the
 * pixel block), so params are just that key; torchvision's torch.rand field cannot be
 * reproduced, so only the recipe matches it.
 */
export class ElasticTransform extends Transform<ElasticParams> {
  readonly type = "ElasticTransform";
  readonly random = true;
  readonly alpha: [number, number];
  readonly sigma: [number, number];
  readonly interpolation: WarpInterpolation;
  readonly fill: Fill;

  /** torchvision's `(alpha, sigma, interpolation, fill)`, any prefix of them, then optionally the rest by name. */
  constructor(...args: CtorArgs<ElasticTransformOptions, typeof ElasticTransformDecl.positional>) {
    super();
    const opts = parseArgs<ElasticTransformOptions>(ElasticTransformDecl, args);
    this.alpha = checkPair(opts.alpha ?? 50, "alpha", 0, false);
    this.sigma = checkPair(opts.sigma ?? 5, "sigma", 0, true);
    if (this.sigma[0] > 1000 || this.sigma[1] > 1000) throw new RangeError(`sigma must be at most 1000, got ${describe(this.sigma)}`);
    this.interpolation = checkWarpInterpolation(opts.interpolation ?? "bilinear");
    this.fill = fillJSON(opts.fill ?? 0);
  }

  makeParams(ctx: Context, meta: Meta): ElasticParams {
    imageMeta(meta, this.type);
    return { key: [ctx.key[0], ctx.key[1]] };
  }

  ops(params: ElasticParams, meta: Meta): Op[] {
    const m = imageMeta(meta, this.type);
    expectParams(
      isObject(params) &&
        Array.isArray(params.key) &&
        params.key.length === 2 &&
        params.key.every((v) => isInt(v) && v >= 0 && v <= 0xffffffff),
      this.type,
      "{ key: [k0, k1] }",
      params,
    );
    return [
      {
        op: "call",
        name: "elastic",
        args: {
          key: params.key,
          alpha: this.alpha,
          sigma: this.sigma,
          interpolation: this.interpolation,
          fill: imageFill(this.fill, m.channels),
        },
      },
    ];
  }

  override geometry(params: ElasticParams, meta: Meta): Geo[] {
    this.ops(params, meta);
    return [{ fn: "elastic", key: [params.key[0], params.key[1]], alpha: this.alpha, sigma: this.sigma, fill: maskFill(this.fill) }];
  }
}

// ---------------------------------------------------------------------------------------
// Zoom-out and the random resizes (core ops: fused and bit-exact with Pillow)

/** Options of {@link RandomZoomOut}. */
export interface RandomZoomOutOptions {
  fill?: Fill;
  /** Canvas side as a multiple of the image side: [min, max] with 1 <= min <= max (default [1, 4]). */
  sideRange?: [number, number];
  /** Probability of applying it (default 0.5). */
  p?: number;
}

/** Params of {@link RandomZoomOut}: the padding [left, top, right, bottom] (null when not applied). */
export interface ZoomOutParams {
  [k: string]: Json;
  applied: boolean;
  padding: [number, number, number, number] | null;
}

/** Places the image at a random spot of a larger canvas filled with `fill` (torchvision v2 RandomZoomOut). */
export class RandomZoomOut extends Transform<ZoomOutParams> {
  readonly type = "RandomZoomOut";
  readonly random = true;
  readonly fill: Fill;
  readonly sideRange: [number, number];
  readonly p: number;

  /** torchvision's `(fill, sideRange, p)`, any prefix of them, then optionally the rest by name. */
  constructor(...args: CtorArgs<RandomZoomOutOptions, typeof RandomZoomOutDecl.positional>) {
    super();
    const opts = parseArgs<RandomZoomOutOptions>(RandomZoomOutDecl, args);
    this.fill = fillJSON(opts.fill ?? 0);
    const r = opts.sideRange ?? [1.0, 4.0];
    if (!Array.isArray(r) || r.length !== 2) throw new TypeError(`sideRange must be [min, max], got ${describe(r)}`);
    const [a, b] = [checkFinite(r[0], "sideRange[0]"), checkFinite(r[1], "sideRange[1]")];
    if (a < 1 || a > b) throw new RangeError(`sideRange must be [min, max] with 1 <= min <= max, got [${a}, ${b}]`);
    if (b > MAX_SIDE) throw new RangeError(`sideRange[1] must be at most ${MAX_SIDE}, got ${b}`);
    this.sideRange = [a, b];
    this.p = checkProbability(opts.p ?? 0.5);
  }

  makeParams(ctx: Context, meta: Meta): ZoomOutParams {
    const { width: w, height: h } = imageMeta(meta, this.type);
    if (!(ctx.rng.random() < this.p)) return { applied: false, padding: null };
    const r = this.sideRange[0] + ctx.rng.random() * (this.sideRange[1] - this.sideRange[0]);
    const cw = Math.trunc(w * r);
    const ch = Math.trunc(h * r);
    if (cw > MAX_SIDE || ch > MAX_SIDE) throw new RangeError(`RandomZoomOut: the canvas ${cw}x${ch} is over ${MAX_SIDE}; lower sideRange`);
    const left = Math.trunc((cw - w) * ctx.rng.random());
    const top = Math.trunc((ch - h) * ctx.rng.random());
    return { applied: true, padding: [left, top, cw - (left + w), ch - (top + h)] };
  }

  ops(params: ZoomOutParams, meta: Meta): Op[] {
    const m = imageMeta(meta, this.type);
    const p = params?.padding;
    expectParams(
      isObject(params) &&
        typeof params.applied === "boolean" &&
        (params.applied ? Array.isArray(p) && p.length === 4 && p.every((v) => isInt(v) && v >= 0 && v <= MAX_SIDE) : p === null),
      this.type,
      "{ applied, padding: [l, t, r, b] | null }",
      params,
    );
    if (!params.applied) return [];
    return [padWindow(p!, m.height, m.width, "constant", imageFill(this.fill, m.channels))];
  }

  override geometry(params: ZoomOutParams, meta: Meta): Geo[] {
    if (this.ops(params, meta).length === 0) return [];
    const [l, t, r, b] = params.padding!;
    return [{ fn: "pad", padding: [l, t, r, b], mode: "constant", fill: maskFill(this.fill) }];
  }
}

/** Params of the random resizes: the output [height, width]. */
export interface SizeParams {
  [k: string]: Json;
  size: [number, number];
}

function checkAntialias(v: unknown): boolean {
  return checkBool(v, "antialias", true);
}

abstract class RandomResizeBase extends Transform<SizeParams> {
  readonly random = true;
  readonly interpolation: Interpolation;
  readonly antialias: boolean;

  constructor(opts: { interpolation?: Interpolation; antialias?: boolean }) {
    super();
    this.interpolation = checkInterpolation(opts.interpolation ?? "bilinear");
    this.antialias = checkAntialias(opts.antialias);
  }

  /** [h, w] from the scale r as v2 does (int(side * r)), at least 1 and at most MAX_SIDE. */
  protected scaled(h: number, w: number, r: number): [number, number] {
    const nh = Math.trunc(h * r);
    const nw = Math.trunc(w * r);
    if (nh > MAX_SIDE || nw > MAX_SIDE) throw new RangeError(`${this.type}: the resized image ${nw}x${nh} is over ${MAX_SIDE}`);
    return [Math.max(1, nh), Math.max(1, nw)];
  }

  ops(params: SizeParams, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Op[] {
    imageMeta(meta, this.type);
    expectParams(
      isObject(params) &&
        Array.isArray(params.size) &&
        params.size.length === 2 &&
        params.size.every((v) => isInt(v) && v >= 1 && v <= MAX_SIDE),
      this.type,
      "{ size: [h, w] }",
      params,
    );
    return [
      { op: "resize", size: [params.size[0], params.size[1]], interpolation: this.interpolation, antialias: this.antialias, semantics },
    ];
  }

  override geometry(params: SizeParams, meta: Meta): Geo[] {
    this.ops(params, meta);
    return [{ fn: "resize", size: [params.size[0], params.size[1]] }];
  }
}

/** Options of {@link ScaleJitter}. */
export interface ScaleJitterOptions {
  scaleRange?: [number, number];
  interpolation?: Interpolation;
  antialias?: boolean;
}

/**
 * Large-scale jitter (torchvision v2 ScaleJitter): resize by
 * min(targetSize[1] / height, targetSize[0] / width) * uniform(scaleRange), sides truncated
 * (torchvision's formula, including its pairing of targetSize with the sides). Sides are
 * at least 1.
 */
export class ScaleJitter extends RandomResizeBase {
  readonly type = "ScaleJitter";
  readonly targetSize: [number, number];
  readonly scaleRange: [number, number];

  /** torchvision's `(targetSize, scaleRange, interpolation, antialias)`, any prefix of them, then optionally the rest by name. */
  constructor(...args: CtorArgs<ScaleJitterOptions & { targetSize: [number, number] }, typeof ScaleJitterDecl.positional>) {
    const { targetSize, ...opts } = parseArgs<ScaleJitterOptions & { targetSize: [number, number] }>(ScaleJitterDecl, args);
    super(opts);
    if (!Array.isArray(targetSize) || targetSize.length !== 2)
      throw new TypeError(`targetSize must be [h, w], got ${describe(targetSize)}`);
    this.targetSize = checkHW(targetSize, "targetSize");
    const r = opts.scaleRange ?? [0.1, 2.0];
    if (!Array.isArray(r) || r.length !== 2) throw new TypeError(`scaleRange must be [min, max], got ${describe(r)}`);
    const [a, b] = [checkFinite(r[0], "scaleRange[0]"), checkFinite(r[1], "scaleRange[1]")];
    if (!(a > 0) || a > b) throw new RangeError(`scaleRange must be [min, max] with 0 < min <= max, got [${a}, ${b}]`);
    this.scaleRange = [a, b];
  }

  makeParams(ctx: Context, meta: Meta): SizeParams {
    const { width, height } = imageMeta(meta, this.type);
    const scale = this.scaleRange[0] + ctx.rng.random() * (this.scaleRange[1] - this.scaleRange[0]);
    const r = Math.min(this.targetSize[1] / height, this.targetSize[0] / width) * scale;
    return { size: this.scaled(height, width, r) };
  }
}

/** Options of {@link RandomShortestSize}. */
export interface RandomShortestSizeOptions {
  maxSize?: number | null;
  interpolation?: Interpolation;
  antialias?: boolean;
}

/** Resizes the shorter side to one of `minSize` (chosen uniformly), the longer capped by maxSize (torchvision v2 RandomShortestSize). */
export class RandomShortestSize extends RandomResizeBase {
  readonly type = "RandomShortestSize";
  readonly minSize: number[];
  readonly maxSize: number | null;

  /** torchvision's `(minSize, maxSize, interpolation, antialias)`, any prefix of them, then optionally the rest by name. */
  constructor(...args: CtorArgs<RandomShortestSizeOptions & { minSize: number | number[] }, typeof RandomShortestSizeDecl.positional>) {
    const { minSize, ...opts } = parseArgs<RandomShortestSizeOptions & { minSize: number | number[] }>(RandomShortestSizeDecl, args);
    super(opts);
    const list = typeof minSize === "number" ? [minSize] : minSize;
    if (!Array.isArray(list) || !(list.length >= 1 && list.length <= 65536))
      throw new TypeError(`minSize must be a positive integer or a non-empty array of at most 65536 of them, got ${describe(minSize)}`);
    this.minSize = list.map((v, i) => checkInt(v, typeof minSize === "number" ? "minSize" : `minSize[${i}]`, 1, MAX_SIDE));
    this.maxSize = opts.maxSize === undefined || opts.maxSize === null ? null : checkInt(opts.maxSize, "maxSize", 1, MAX_SIDE);
  }

  makeParams(ctx: Context, meta: Meta): SizeParams {
    const { width, height } = imageMeta(meta, this.type);
    const minSize = this.minSize[ctx.rng.randint(0, this.minSize.length)]!;
    let r = minSize / Math.min(height, width);
    if (this.maxSize !== null) r = Math.min(r, this.maxSize / Math.max(height, width));
    return { size: this.scaled(height, width, r) };
  }
}

/** Resizes the shorter side to an integer uniform in [minSize, maxSize) (torchvision v2 RandomResize). */
export class RandomResize extends RandomResizeBase {
  readonly type = "RandomResize";
  readonly minSize: number;
  readonly maxSize: number;

  /** torchvision's `(minSize, maxSize, interpolation, antialias)`, any prefix of them, then optionally the rest by name. */
  constructor(
    ...args: CtorArgs<
      { minSize: number; maxSize: number; interpolation?: Interpolation; antialias?: boolean },
      typeof RandomResizeDecl.positional
    >
  ) {
    const { minSize, maxSize, ...opts } = parseArgs<{
      minSize: number;
      maxSize: number;
      interpolation?: Interpolation;
      antialias?: boolean;
    }>(RandomResizeDecl, args);
    super(opts);
    this.minSize = checkInt(minSize, "minSize", 1, MAX_SIDE);
    this.maxSize = checkInt(maxSize, "maxSize", 2, MAX_SIDE + 1);
    if (this.maxSize <= this.minSize)
      throw new RangeError(
        `maxSize must be larger than minSize (the size is drawn from [minSize, maxSize)), got minSize ${this.minSize}, maxSize ${this.maxSize}`,
      );
  }

  makeParams(ctx: Context, meta: Meta): SizeParams {
    const { width, height } = imageMeta(meta, this.type);
    return { size: resizedSize(height, width, ctx.rng.randint(this.minSize, this.maxSize)) };
  }
}

// ---------------------------------------------------------------------------------------
// Five / ten crops

/**
 * The four corner crops and the centre crop (torchvision FiveCrop). torchvision returns a
 * tuple of images; a lockstep pipeline carries one sample, so this outputs them stacked as
 * an NCHW float tensor [5, C, h, w] in [0, 1] (what `torch.stack([ToTensor()(c) for c in
 * crops])` gives). It must therefore be the last image transform; Normalize may follow.
 * For the images themselves use F.fiveCrop.
 */
export class FiveCrop extends Deterministic {
  readonly type = "FiveCrop";
  readonly size: [number, number];

  constructor(...args: CtorArgs<{ size: Size }, typeof FiveCropDecl.positional>) {
    super();
    this.size = checkHW(parseArgs(FiveCropDecl, args).size, "size");
  }

  ops(_: null, meta: Meta): Op[] {
    imageMeta(meta, this.type);
    return [{ op: "call", name: "multiCrop", args: { size: this.size, ten: false, verticalFlip: false } }];
  }

  override mapTargets(_: null, __: Meta, state: TargetState): TargetState {
    return refuseTargets(state, this.type);
  }
}

/** FiveCrop of the image and of its flip (torchvision TenCrop): a [10, C, h, w] tensor; see {@link FiveCrop}. */
export class TenCrop extends Deterministic {
  readonly type = "TenCrop";
  readonly size: [number, number];
  readonly verticalFlip: boolean;

  /** torchvision's `(size, verticalFlip)`, or `(size, { verticalFlip })`. */
  constructor(...args: CtorArgs<{ size: Size; verticalFlip?: boolean }, typeof TenCropDecl.positional>) {
    super();
    const { size, ...opts } = parseArgs<{ size: Size; verticalFlip?: boolean }>(TenCropDecl, args);
    this.size = checkHW(size, "size");
    this.verticalFlip = checkBool(opts.verticalFlip, "verticalFlip", false);
  }

  ops(_: null, meta: Meta): Op[] {
    imageMeta(meta, this.type);
    return [{ op: "call", name: "multiCrop", args: { size: this.size, ten: true, verticalFlip: this.verticalFlip } }];
  }

  override mapTargets(_: null, __: Meta, state: TargetState): TargetState {
    return refuseTargets(state, this.type);
  }
}

// ---------------------------------------------------------------------------------------
// Declarations

const WARPS = "warps";
const RESIZES = "crops, flips, pads, resize";
const warpInterpolation = K.custom(
  '"nearest" or "bilinear"',
  { enum: ["nearest", "bilinear"] },
  (v, n) => checkWarpInterpolation(v, n),
  [1, true],
  ["bicubic"],
);
const pairSchema = K.tuple({ type: "number" }, 2);
const degrees = K.numberOrPair("a number or `[min, max]` (a number d >= 0 means `[-d, d]`)", (v, n) => checkDegrees(v, n), [
  -1,
  [30, -30],
  NaN,
]);
const point = K.nullable(K.custom("`[x, y]`", pairSchema, (v, n) => checkCenter(v, n), ["c", 1, [1]], [[NaN, 0]]));
const range = (text: string, check: (v: unknown, n: string) => unknown, outOfRange: readonly unknown[]) =>
  K.custom(
    text,
    pairSchema,
    (v, n) => {
      if (!Array.isArray(v) || v.length !== 2) throw new TypeError(`${n} must be [min, max], got ${describe(v)}`);
      check(v, n);
    },
    [1, "1", [1], null],
    outOfRange,
  );
const antialias = { kind: K.bool, default: true };

const RandomRotationDecl = {
  name: "RandomRotation",
  family: WARPS,
  summary: "by an angle drawn from `degrees`",
  positional: ["degrees", "interpolation", "expand", "center", "fill"] as const,
  fields: {
    degrees: { kind: degrees, required: true },
    interpolation: { kind: warpInterpolation, default: "nearest" },
    expand: { kind: K.bool, default: false },
    center: { kind: point, default: null },
    fill: { kind: K.fill, default: 0 },
  },
} satisfies Declaration;
const RandomAffineDecl = {
  name: "RandomAffine",
  family: WARPS,
  summary: "rotation, translation, scale and shear drawn from their ranges",
  positional: ["degrees", "translate", "scale", "shear", "interpolation", "fill", "center"] as const,
  fields: {
    degrees: { kind: degrees, required: true },
    translate: {
      kind: K.nullable(
        range("`[a, b]`: fractions of width and height in [0, 1]", (v, n) => checkRange01(v, n), [
          [2, 0],
          [-0.1, 0],
        ]),
      ),
      default: null,
    },
    scale: { kind: K.nullable(K.range(true)), default: null },
    shear: {
      kind: K.nullable(
        K.custom(
          "a number, `[min, max]` or `[xmin, xmax, ymin, ymax]`",
          { anyOf: [{ type: "number" }, K.tuple({ type: "number" }, 2, 4)] },
          (v, n) => checkDegrees(v, n, [2, 4]),
          ["1", true, [1, 2, 3]],
          [-1, [2, 1]],
        ),
      ),
      default: null,
    },
    interpolation: { kind: warpInterpolation, default: "nearest" },
    fill: { kind: K.fill, default: 0 },
    center: { kind: point, default: null },
  },
} satisfies Declaration;
const RandomPerspectiveDecl = {
  name: "RandomPerspective",
  family: WARPS,
  summary: "moves the corners by up to `distortionScale`, with probability `p`",
  positional: ["distortionScale", "p", "interpolation", "fill"] as const,
  fields: {
    distortionScale: { kind: K.num(0, 1), default: 0.5 },
    p: { kind: K.prob, default: 0.5 },
    interpolation: { kind: warpInterpolation, default: "bilinear" },
    fill: { kind: K.fill, default: 0 },
  },
} satisfies Declaration;
const ElasticTransformDecl = {
  name: "ElasticTransform",
  family: WARPS,
  summary: "a keyed random displacement field of strength `alpha`, smoothness `sigma`",
  positional: ["alpha", "sigma", "interpolation", "fill"] as const,
  fields: {
    alpha: {
      kind: K.custom(
        "a number >= 0 or `[x, y]`",
        { anyOf: [{ type: "number", minimum: 0 }, pairSchema] },
        (v, n) => checkPair(v, n, 0, false),
        ["1", true, [1, 2, 3]],
        [-1],
      ),
      default: 50,
    },
    sigma: {
      kind: K.custom(
        "a number in (0, 1000] or `[x, y]`",
        { anyOf: [{ type: "number", exclusiveMinimum: 0, maximum: 1000 }, pairSchema] },
        (v, n) => {
          const s = checkPair(v, n, 0, true);
          if (s[0] > 1000 || s[1] > 1000) throw new RangeError(`${n} must be at most 1000, got ${describe(s)}`);
        },
        ["1", true, [1, 2, 3]],
        [0, 1001],
      ),
      default: 5,
    },
    interpolation: { kind: warpInterpolation, default: "bilinear" },
    fill: { kind: K.fill, default: 0 },
  },
} satisfies Declaration;
const RandomZoomOutDecl = {
  name: "RandomZoomOut",
  family: RESIZES,
  summary: "places the image on a canvas `sideRange` times larger, with probability `p`",
  positional: ["fill", "sideRange", "p"] as const,
  fields: {
    fill: { kind: K.fill, default: 0 },
    sideRange: {
      kind: range("`[min, max]` with 1 <= min <= max", () => undefined, [
        [0.5, 2],
        [3, 2],
      ]),
      default: [1.0, 4.0],
    },
    p: { kind: K.prob, default: 0.5 },
  },
} satisfies Declaration;
const ScaleJitterDecl = {
  name: "ScaleJitter",
  family: RESIZES,
  summary: "resizes to `targetSize` times a scale drawn from `scaleRange`",
  positional: ["targetSize", "scaleRange", "interpolation", "antialias"] as const,
  fields: {
    targetSize: {
      kind: K.custom(
        "`[h, w]`",
        K.tuple({ type: "integer", minimum: 1, maximum: MAX_SIDE }, 2),
        (v, n) => {
          if (!Array.isArray(v) || v.length !== 2) throw new TypeError(`${n} must be [h, w], got ${describe(v)}`);
          checkHW(v, n);
        },
        [1, "1", [1]],
        [[0, 4]],
      ),
      required: true,
    },
    scaleRange: {
      kind: range("`[min, max]` with 0 < min <= max", () => undefined, [
        [0, 1],
        [2, 1],
      ]),
      default: [0.1, 2.0],
    },
    interpolation: { kind: K.interpolation, default: "bilinear" },
    antialias,
  },
} satisfies Declaration;
const RandomShortestSizeDecl = {
  name: "RandomShortestSize",
  family: RESIZES,
  summary: "the shorter side to one of `minSize`, the longer capped by `maxSize`",
  positional: ["minSize", "maxSize", "interpolation", "antialias"] as const,
  fields: {
    minSize: {
      kind: K.custom(
        "`s` or `[s, ...]`",
        {
          anyOf: [
            { type: "integer", minimum: 1, maximum: MAX_SIDE },
            { type: "array", items: { type: "integer", minimum: 1, maximum: MAX_SIDE }, minItems: 1 },
          ],
        },
        (v, n) => {
          if (typeof v !== "number" && !(Array.isArray(v) && v.length >= 1))
            throw new TypeError(`${n} must be a positive integer or a non-empty array of them, got ${describe(v)}`);
        },
        ["1", true, []],
        [0, [0]],
      ),
      required: true,
    },
    maxSize: { kind: K.nullable(K.int(1, MAX_SIDE)), default: null },
    interpolation: { kind: K.interpolation, default: "bilinear" },
    antialias,
  },
} satisfies Declaration;
const RandomResizeDecl = {
  name: "RandomResize",
  family: RESIZES,
  summary: "the shorter side to an integer drawn from `[minSize, maxSize)`",
  positional: ["minSize", "maxSize", "interpolation", "antialias"] as const,
  fields: {
    minSize: { kind: K.int(1, MAX_SIDE), required: true },
    maxSize: { kind: K.int(2, MAX_SIDE + 1), required: true },
    interpolation: { kind: K.interpolation, default: "bilinear" },
    antialias,
  },
} satisfies Declaration;
const FiveCropDecl = {
  name: "FiveCrop",
  family: RESIZES,
  summary: "the four corners and the centre, stacked as an NCHW f32 tensor [5, C, h, w]",
  positional: ["size"] as const,
  fields: { size: { kind: K.size, required: true } },
} satisfies Declaration;
const TenCropDecl = {
  name: "TenCrop",
  family: RESIZES,
  summary: "FiveCrop of the image and of its flip: [10, C, h, w]",
  positional: ["size", "verticalFlip"] as const,
  fields: { size: { kind: K.size, required: true }, verticalFlip: { kind: K.bool, default: false } },
} satisfies Declaration;

define(RandomRotation, RandomRotationDecl);
define(RandomAffine, RandomAffineDecl);
define(RandomPerspective, RandomPerspectiveDecl);
define(ElasticTransform, ElasticTransformDecl);
define(RandomZoomOut, RandomZoomOutDecl);
define(ScaleJitter, ScaleJitterDecl);
define(RandomShortestSize, RandomShortestSizeDecl);
define(RandomResize, RandomResizeDecl);
define(FiveCrop, FiveCropDecl);
define(TenCrop, TenCropDecl);

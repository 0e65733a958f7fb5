// Crops, flips, pads and resizes as transforms: sampling (torchvision's algorithms) split
// from application (ops).
import type { Meta } from "../image.js";
import { describe } from "../image.js";
import { kmath } from "../kernel/math.js";
import { checkFinite, checkHW, checkInterpolation, checkPadding, checkPaddingMode, checkSize, roundHalfEven, type Interpolation, type PaddingMode, type Size } from "../functional/args.js";
import { centerCropOffsets } from "../functional/geometry.js";
import { resizedSize } from "../functional/size.js";
import { Context, Deterministic, Transform, type Json } from "./base.js";
import type { Op } from "./ops.js";
import { expectParams, isInt, isObject, imageMeta, checkProbability } from "./params.js";
import { register } from "./schema.js";
import { fillJSON, imageFill, maskFill, type Fill } from "./fill.js";
import type { Geo } from "../targets/geometry.js";
import { DEFAULT_SEMANTICS, type Semantics } from "../functional/semantics.js";




function checkRange(v: unknown, name: string, positive: boolean): [number, number] {
  if (!Array.isArray(v) || v.length !== 2) throw new TypeError(`${name} must be [min, max], got ${describe(v)}`);
  const [a, b] = [checkFinite(v[0], `${name}[0]`), checkFinite(v[1], `${name}[1]`)];
  if (positive && !(a > 0 && b > 0)) throw new RangeError(`${name} values must be > 0, got [${a}, ${b}]`);
  if (a > b) throw new RangeError(`${name} must be [min, max] with min <= max, got [${a}, ${b}]`);
  return [a, b];
}

/** Options of {@link RandomCrop}. */
export interface RandomCropOptions {
  padding?: number | number[] | null;
  padIfNeeded?: boolean;
  fill?: Fill;
  paddingMode?: PaddingMode;
}

/** Params of {@link RandomCrop}: the window's corner in the padded image and the padding [l, t, r, b]. */
export interface RandomCropParams {
  [k: string]: Json;
  top: number;
  left: number;
  padding: [number, number, number, number];
}

/** Crops a random size[0] x size[1] window, after optional padding (torchvision RandomCrop). */
export class RandomCrop extends Transform<RandomCropParams> {
  readonly type = "RandomCrop";
  readonly random = true;
  readonly size: [number, number];
  readonly padding: [number, number, number, number] | null;
  readonly padIfNeeded: boolean;
  readonly fill: Fill;
  readonly paddingMode: PaddingMode;

  constructor(size: Size, opts: RandomCropOptions = {}) {
    super();
    this.size = checkHW(size, "size");
    this.padding = opts.padding === undefined || opts.padding === null ? null : checkPadding(opts.padding, "padding");
    if (opts.padIfNeeded !== undefined && typeof opts.padIfNeeded !== "boolean") throw new TypeError(`padIfNeeded must be a boolean, got ${describe(opts.padIfNeeded)}`);
    this.padIfNeeded = opts.padIfNeeded ?? false;
    this.fill = fillJSON(opts.fill ?? 0);
    this.paddingMode = checkPaddingMode(opts.paddingMode ?? "constant", "paddingMode");
  }

  makeParams(ctx: Context, meta: Meta): RandomCropParams {
    const m = imageMeta(meta, this.type);
    const [th, tw] = this.size;
    const p: [number, number, number, number] = this.padding ? [...this.padding] : [0, 0, 0, 0];
    let w = m.width + p[0] + p[2];
    let h = m.height + p[1] + p[3];
    if (this.padIfNeeded && w < tw) {
      p[0] += tw - w;
      p[2] += tw - w;
      w += 2 * (tw - w);
    }
    if (this.padIfNeeded && h < th) {
      p[1] += th - h;
      p[3] += th - h;
      h += 2 * (th - h);
    }
    if (h < th || w < tw) throw new RangeError(`RandomCrop: size [${th}, ${tw}] is larger than the ${padding(p)}image (${h}x${w}); use padIfNeeded: true or a smaller size`);
    const top = h === th ? 0 : ctx.rng.randint(0, h - th + 1);
    const left = w === tw ? 0 : ctx.rng.randint(0, w - tw + 1);
    return { top, left, padding: p };
  }

  ops(params: RandomCropParams, meta: Meta): Op[] {
    const m = imageMeta(meta, this.type);
    expectParams(isObject(params) && isInt(params.top) && isInt(params.left) && Array.isArray(params.padding) && params.padding.length === 4 && params.padding.every(isInt), this.type, "{ top, left, padding: [l, t, r, b] }", params);
    const [l, t] = params.padding;
    // A window of the padded image is a window of the original with the same border rule.
    return [{ op: "window", top: params.top - t, left: params.left - l, height: this.size[0], width: this.size[1], mode: this.paddingMode, fill: imageFill(this.fill, m.channels) }];
  }

  /** torchvision's pad (when any padding) then crop (when the padded image is larger than size). */
  override geometry(params: RandomCropParams, meta: Meta): Geo[] {
    const m = imageMeta(meta, this.type);
    this.ops(params, meta);
    const [l, t, r, b] = params.padding;
    const geo: Geo[] = [];
    if (l || t || r || b) geo.push({ fn: "pad", padding: [l, t, r, b], mode: this.paddingMode, fill: maskFill(this.fill) });
    if (m.height + t + b > this.size[0] || m.width + l + r > this.size[1]) geo.push({ fn: "crop", top: params.top, left: params.left, height: this.size[0], width: this.size[1] });
    return geo;
  }

  protected config(): Record<string, Json> {
    return { size: this.size, padding: this.padding, padIfNeeded: this.padIfNeeded, fill: this.fill, paddingMode: this.paddingMode };
  }
}

function padding(p: number[]): string {
  return p.some((v) => v > 0) ? "padded " : "";
}

/** Crops the centre (torchvision CenterCrop); zero-pads when the crop is larger than the image. */
export class CenterCrop extends Deterministic {
  readonly type = "CenterCrop";
  readonly size: [number, number];

  constructor(size: Size) {
    super();
    this.size = checkHW(size, "size");
  }

  ops(_: null, meta: Meta): Op[] {
    const m = imageMeta(meta, this.type);
    const [top, left] = centerCropOffsets(m.height, m.width, this.size[0], this.size[1]);
    return [{ op: "window", top, left, height: this.size[0], width: this.size[1], mode: "constant", fill: new Array<number>(m.channels).fill(0) }];
  }

  override geometry(): Geo[] {
    return [{ fn: "centerCrop", size: this.size }];
  }

  protected config(): Record<string, Json> {
    return { size: this.size };
  }
}

/** Options of {@link RandomResizedCrop}. */
export interface RandomResizedCropOptions {
  scale?: [number, number];
  ratio?: [number, number];
  interpolation?: Interpolation;
  antialias?: boolean;
}

/** Params of {@link RandomResizedCrop}: the crop box in the input. */
export interface BoxParams {
  [k: string]: Json;
  top: number;
  left: number;
  height: number;
  width: number;
}

/**
 * Crops a random area and aspect ratio, then resizes to `size` (torchvision
 * RandomResizedCrop): ten tries, then the centre-crop fallback.
 */
export class RandomResizedCrop extends Transform<BoxParams> {
  readonly type = "RandomResizedCrop";
  readonly random = true;
  readonly size: [number, number];
  readonly scale: [number, number];
  readonly ratio: [number, number];
  readonly interpolation: Interpolation;
  readonly antialias: boolean;

  constructor(size: Size, opts: RandomResizedCropOptions = {}) {
    super();
    this.size = checkHW(size, "size");
    this.scale = checkRange(opts.scale ?? [0.08, 1.0], "scale", true);
    this.ratio = checkRange(opts.ratio ?? [3 / 4, 4 / 3], "ratio", true);
    this.interpolation = checkInterpolation(opts.interpolation ?? "bilinear");
    if (opts.antialias !== undefined && typeof opts.antialias !== "boolean") throw new TypeError(`antialias must be a boolean, got ${describe(opts.antialias)}`);
    this.antialias = opts.antialias ?? true;
  }

  makeParams(ctx: Context, meta: Meta): BoxParams {
    const { width, height } = imageMeta(meta, this.type);
    const area = height * width;
    const logRatio = [kmath.log(this.ratio[0]), kmath.log(this.ratio[1])] as const;
    for (let attempt = 0; attempt < 10; attempt++) {
      const targetArea = area * ctx.rng.uniform(this.scale[0], this.scale[1]);
      const aspect = kmath.exp(ctx.rng.uniform(logRatio[0], logRatio[1]));
      const w = roundHalfEven(Math.sqrt(targetArea * aspect));
      const h = roundHalfEven(Math.sqrt(targetArea / aspect));
      if (w > 0 && w <= width && h > 0 && h <= height) {
        const top = ctx.rng.randint(0, height - h + 1);
        const left = ctx.rng.randint(0, width - w + 1);
        return { top, left, height: h, width: w };
      }
    }
    const inRatio = width / height;
    let w = width;
    let h = height;
    if (inRatio < this.ratio[0]) h = roundHalfEven(w / this.ratio[0]);
    else if (inRatio > this.ratio[1]) w = roundHalfEven(h * this.ratio[1]);
    return { top: Math.floor((height - h) / 2), left: Math.floor((width - w) / 2), height: h, width: w };
  }

  ops(params: BoxParams, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Op[] {
    const m = imageMeta(meta, this.type);
    expectParams(isObject(params) && [params.top, params.left, params.height, params.width].every(isInt), this.type, "{ top, left, height, width }", params);
    return [
      { op: "window", top: params.top, left: params.left, height: params.height, width: params.width, mode: "constant", fill: new Array<number>(m.channels).fill(0) },
      { op: "resize", size: this.size, interpolation: this.interpolation, antialias: this.antialias, semantics },
    ];
  }

  /** torchvision's resized_crop: crop, then resize. */
  override geometry(params: BoxParams, meta: Meta): Geo[] {
    this.ops(params, meta);
    return [{ fn: "crop", top: params.top, left: params.left, height: params.height, width: params.width }, { fn: "resize", size: this.size }];
  }

  protected config(): Record<string, Json> {
    return { size: this.size, scale: this.scale, ratio: this.ratio, interpolation: this.interpolation, antialias: this.antialias };
  }
}

/** Params of the random flips. */
export interface FlipParams {
  [k: string]: Json;
  flip: boolean;
}

abstract class RandomFlip extends Transform<FlipParams> {
  readonly random = true;
  readonly p: number;
  protected abstract readonly op: "hflip" | "vflip";

  constructor(p = 0.5) {
    super();
    this.p = checkProbability(p);
  }

  makeParams(ctx: Context, meta: Meta): FlipParams {
    imageMeta(meta, this.type);
    return { flip: ctx.rng.random() < this.p };
  }

  ops(params: FlipParams, meta: Meta): Op[] {
    imageMeta(meta, this.type);
    expectParams(isObject(params) && typeof params.flip === "boolean", this.type, "{ flip: boolean }", params);
    return params.flip ? [{ op: this.op }] : [];
  }

  override geometry(params: FlipParams, meta: Meta): Geo[] {
    return this.ops(params, meta).map(() => ({ fn: this.op }));
  }

  protected config(): Record<string, Json> {
    return { p: this.p };
  }
}

/** Mirrors left-right with probability p (torchvision RandomHorizontalFlip). */
export class RandomHorizontalFlip extends RandomFlip {
  readonly type = "RandomHorizontalFlip";
  protected readonly op = "hflip";
}

/** Mirrors top-bottom with probability p (torchvision RandomVerticalFlip). */
export class RandomVerticalFlip extends RandomFlip {
  readonly type = "RandomVerticalFlip";
  protected readonly op = "vflip";
}

/** Options of {@link Resize}. */
export interface ResizeTransformOptions {
  interpolation?: Interpolation;
  maxSize?: number | null;
  antialias?: boolean;
}

/** Resizes (torchvision Resize): a number is the shorter side, [h, w] is exact. */
export class Resize extends Deterministic {
  readonly type = "Resize";
  readonly size: [number] | [number, number];
  readonly interpolation: Interpolation;
  readonly maxSize: number | null;
  readonly antialias: boolean;

  constructor(size: Size, opts: ResizeTransformOptions = {}) {
    super();
    this.size = checkSize(size, "size");
    this.interpolation = checkInterpolation(opts.interpolation ?? "bilinear");
    this.maxSize = opts.maxSize ?? null;
    if (this.maxSize !== null) resizedSize(this.size[0], this.size[0], this.size.length === 1 ? this.size[0] : this.size, this.maxSize);
    if (opts.antialias !== undefined && typeof opts.antialias !== "boolean") throw new TypeError(`antialias must be a boolean, got ${describe(opts.antialias)}`);
    this.antialias = opts.antialias ?? true;
  }

  ops(_: null, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Op[] {
    const m = imageMeta(meta, this.type);
    const size = resizedSize(m.height, m.width, this.size.length === 1 ? this.size[0] : this.size, this.maxSize ?? undefined);
    return [{ op: "resize", size, interpolation: this.interpolation, antialias: this.antialias, semantics }];
  }

  override geometry(_: null, meta: Meta): Geo[] {
    return this.ops(null, meta).map((op) => ({ fn: "resize", size: (op as { size: [number, number] }).size }));
  }

  protected config(): Record<string, Json> {
    return { size: this.size.length === 1 ? this.size[0] : this.size, interpolation: this.interpolation, maxSize: this.maxSize, antialias: this.antialias };
  }
}

/** Options of {@link Pad}. */
export interface PadTransformOptions {
  fill?: Fill;
  paddingMode?: PaddingMode;
}

/** Pads every side (torchvision Pad). */
export class Pad extends Deterministic {
  readonly type = "Pad";
  readonly padding: [number, number, number, number];
  readonly fill: Fill;
  readonly paddingMode: PaddingMode;

  constructor(padding: number | number[], opts: PadTransformOptions = {}) {
    super();
    this.padding = checkPadding(padding, "padding");
    this.fill = fillJSON(opts.fill ?? 0);
    this.paddingMode = checkPaddingMode(opts.paddingMode ?? "constant", "paddingMode");
  }

  ops(_: null, meta: Meta): Op[] {
    const m = imageMeta(meta, this.type);
    const [l, t, r, b] = this.padding;
    return [{ op: "window", top: -t, left: -l, height: m.height + t + b, width: m.width + l + r, mode: this.paddingMode, fill: imageFill(this.fill, m.channels) }];
  }

  override geometry(): Geo[] {
    return [{ fn: "pad", padding: this.padding, mode: this.paddingMode, fill: maskFill(this.fill) }];
  }

  protected config(): Record<string, Json> {
    return { padding: this.padding, fill: this.fill, paddingMode: this.paddingMode };
  }
}

type F = Record<string, Json>;
const opt = <T>(f: F, k: string): T | undefined => (f[k] === undefined ? undefined : (f[k] as T));

register("RandomCrop", {
  fields: ["size", "padding", "padIfNeeded", "fill", "paddingMode"],
  create: (f) => new RandomCrop(f.size as Size, { padding: opt(f, "padding"), padIfNeeded: opt(f, "padIfNeeded"), fill: opt(f, "fill"), paddingMode: opt(f, "paddingMode") }),
});
register("CenterCrop", { fields: ["size"], create: (f) => new CenterCrop(f.size as Size) });
register("RandomResizedCrop", {
  fields: ["size", "scale", "ratio", "interpolation", "antialias"],
  create: (f) => new RandomResizedCrop(f.size as Size, { scale: opt(f, "scale"), ratio: opt(f, "ratio"), interpolation: opt(f, "interpolation"), antialias: opt(f, "antialias") }),
});
register("RandomHorizontalFlip", { fields: ["p"], create: (f) => new RandomHorizontalFlip(opt(f, "p")) });
register("RandomVerticalFlip", { fields: ["p"], create: (f) => new RandomVerticalFlip(opt(f, "p")) });
register("Resize", {
  fields: ["size", "interpolation", "maxSize", "antialias"],
  create: (f) => new Resize(f.size as Size, { interpolation: opt(f, "interpolation"), maxSize: opt(f, "maxSize"), antialias: opt(f, "antialias") }),
});
register("Pad", { fields: ["padding", "fill", "paddingMode"], create: (f) => new Pad(f.padding as number | number[], { fill: opt(f, "fill"), paddingMode: opt(f, "paddingMode") }) });

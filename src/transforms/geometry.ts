// Crops, flips, pads and resizes as transforms: sampling (torchvision's algorithms) split
// from application (ops).
import { MAX_SIDE, type Meta } from "../image.js";
import { kmath } from "../kernel/math.js";
import { checkHW, checkPadding, checkSize, roundHalfEven, type Interpolation, type PaddingMode, type Size } from "../functional/args.js";
import { centerCropOffsets } from "../functional/geometry.js";
import { resizedSize } from "../functional/size.js";
import { Context, Deterministic, Transform, type Json } from "./base.js";
import { cropWindow, padWindow, type Op } from "../ir/ops.js";
import { expectParams, isInt, isObject, imageMeta } from "./params.js";
import { declarationOf, define, parseArgs, type CtorArgs, type Declaration } from "./declare.js";
import * as K from "./kinds.js";
import { fillJSON, imageFill, maskFill, type Fill } from "./fill.js";
import type { Geo } from "../targets/geometry.js";
import { DEFAULT_SEMANTICS, type Semantics } from "../functional/semantics.js";

const FAMILY = "crops, flips, pads, resize";

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

const RandomCropDecl = {
  name: "RandomCrop",
  family: FAMILY,
  summary: "a random window, after optional padding",
  positional: ["size", "padding", "padIfNeeded", "fill", "paddingMode"] as const,
  fields: {
    size: { kind: K.size, required: true },
    padding: { kind: K.nullable(K.padding), default: null },
    padIfNeeded: { kind: K.bool, default: false },
    fill: { kind: K.fill, default: 0 },
    paddingMode: { kind: K.paddingMode, default: "constant" },
  },
} satisfies Declaration;

/** Crops a random size[0] x size[1] window, after optional padding (torchvision RandomCrop). */
export class RandomCrop extends Transform<RandomCropParams> {
  readonly type = "RandomCrop";
  readonly random = true;
  readonly size: [number, number];
  readonly padding: [number, number, number, number] | null;
  readonly padIfNeeded: boolean;
  readonly fill: Fill;
  readonly paddingMode: PaddingMode;

  /** torchvision's `(size, padding, padIfNeeded, fill, paddingMode)`, any prefix of them, then optionally the rest by name. */
  constructor(...args: CtorArgs<RandomCropOptions & { size: Size }, typeof RandomCropDecl.positional>) {
    super();
    const o = parseArgs<Required<RandomCropOptions> & { size: Size }>(RandomCropDecl, args);
    this.size = checkHW(o.size, "size");
    this.padding = o.padding === null ? null : checkPadding(o.padding, "padding");
    this.padIfNeeded = o.padIfNeeded;
    this.fill = fillJSON(o.fill);
    this.paddingMode = o.paddingMode;
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
    if (h < th || w < tw)
      throw new RangeError(
        `RandomCrop: size [${th}, ${tw}] is larger than the ${padding(p)}image (${h}x${w}); use padIfNeeded: true or a smaller size`,
      );
    const top = h === th ? 0 : ctx.rng.randint(0, h - th + 1);
    const left = w === tw ? 0 : ctx.rng.randint(0, w - tw + 1);
    return { top, left, padding: p };
  }

  ops(params: RandomCropParams, meta: Meta): Op[] {
    const m = imageMeta(meta, this.type);
    expectParams(
      isObject(params) &&
        isInt(params.top) &&
        isInt(params.left) &&
        Array.isArray(params.padding) &&
        params.padding.length === 4 &&
        params.padding.every(isInt),
      this.type,
      "{ top, left, padding: [l, t, r, b] }",
      params,
    );
    const [l, t] = params.padding;
    // A window of the padded image is a window of the original with the same border rule.
    return [
      {
        op: "window",
        top: params.top - t,
        left: params.left - l,
        height: this.size[0],
        width: this.size[1],
        mode: this.paddingMode,
        fill: imageFill(this.fill, m.channels),
      },
    ];
  }

  /** torchvision's pad (when any padding) then crop (when the padded image is larger than size). */
  override geometry(params: RandomCropParams, meta: Meta): Geo[] {
    const m = imageMeta(meta, this.type);
    this.ops(params, meta);
    const [l, t, r, b] = params.padding;
    const geo: Geo[] = [];
    if (l || t || r || b) geo.push({ fn: "pad", padding: [l, t, r, b], mode: this.paddingMode, fill: maskFill(this.fill) });
    if (m.height + t + b > this.size[0] || m.width + l + r > this.size[1])
      geo.push({ fn: "crop", top: params.top, left: params.left, height: this.size[0], width: this.size[1] });
    return geo;
  }
}

function padding(p: number[]): string {
  return p.some((v) => v > 0) ? "padded " : "";
}

const CenterCropDecl = {
  name: "CenterCrop",
  family: FAMILY,
  summary: "the centre; zero-padded when larger than the image",
  positional: ["size"] as const,
  fields: { size: { kind: K.size, required: true } },
} satisfies Declaration;

/** Crops the centre (torchvision CenterCrop); zero-pads when the crop is larger than the image. */
export class CenterCrop extends Deterministic {
  readonly type = "CenterCrop";
  readonly size: [number, number];

  constructor(...args: CtorArgs<{ size: Size }, typeof CenterCropDecl.positional>) {
    super();
    this.size = checkHW(parseArgs(CenterCropDecl, args).size, "size");
  }

  ops(_: null, meta: Meta): Op[] {
    const m = imageMeta(meta, this.type);
    const [top, left] = centerCropOffsets(m.height, m.width, this.size[0], this.size[1]);
    return [cropWindow({ top, left, height: this.size[0], width: this.size[1] }, m.channels)];
  }

  override geometry(): Geo[] {
    return [{ fn: "centerCrop", size: this.size }];
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

const RandomResizedCropDecl = {
  name: "RandomResizedCrop",
  family: FAMILY,
  summary: "a random area and aspect ratio, resized to `size`",
  positional: ["size", "scale", "ratio", "interpolation", "antialias"] as const,
  fields: {
    size: { kind: K.size, required: true },
    scale: { kind: K.range(true), default: [0.08, 1.0] },
    ratio: { kind: K.range(true), default: [3 / 4, 4 / 3] },
    interpolation: { kind: K.interpolation, default: "bilinear" },
    antialias: { kind: K.bool, default: true },
  },
} satisfies Declaration;

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

  /** torchvision's `(size, scale, ratio, interpolation, antialias)`, any prefix of them, then optionally the rest by name. */
  constructor(...args: CtorArgs<RandomResizedCropOptions & { size: Size }, typeof RandomResizedCropDecl.positional>) {
    super();
    const o = parseArgs<Required<RandomResizedCropOptions> & { size: Size }>(RandomResizedCropDecl, args);
    this.size = checkHW(o.size, "size");
    this.scale = [o.scale[0], o.scale[1]];
    this.ratio = [o.ratio[0], o.ratio[1]];
    this.interpolation = o.interpolation;
    this.antialias = o.antialias;
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
    expectParams(
      isObject(params) && [params.top, params.left, params.height, params.width].every(isInt),
      this.type,
      "{ top, left, height, width }",
      params,
    );
    return [
      cropWindow(params, m.channels),
      { op: "resize", size: this.size, interpolation: this.interpolation, antialias: this.antialias, semantics },
    ];
  }

  /** torchvision's resized_crop: crop, then resize. */
  override geometry(params: BoxParams, meta: Meta): Geo[] {
    this.ops(params, meta);
    return [
      { fn: "crop", top: params.top, left: params.left, height: params.height, width: params.width },
      { fn: "resize", size: this.size },
    ];
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

  constructor(...args: CtorArgs<{ p: number }, readonly ["p"]>) {
    super();
    this.p = parseArgs(declarationOf(new.target)!, args).p as number;
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
}

const flipDecl = (name: string, summary: string) =>
  ({ name, family: FAMILY, summary, positional: ["p"] as const, fields: { p: { kind: K.prob, default: 0.5 } } }) satisfies Declaration;

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

const ResizeDecl = {
  name: "Resize",
  family: FAMILY,
  summary: "to `size`: a number is the shorter side, `[h, w]` exact",
  positional: ["size", "interpolation", "maxSize", "antialias"] as const,
  fields: {
    size: { kind: K.size, required: true },
    interpolation: { kind: K.interpolation, default: "bilinear" },
    maxSize: { kind: K.nullable(K.int(1, MAX_SIDE)), default: null },
    antialias: { kind: K.bool, default: true },
  },
} satisfies Declaration;

/** Resizes (torchvision Resize): a number is the shorter side, [h, w] is exact. */
export class Resize extends Deterministic {
  readonly type = "Resize";
  readonly size: [number] | [number, number];
  readonly interpolation: Interpolation;
  readonly maxSize: number | null;
  readonly antialias: boolean;

  /** torchvision's `(size, interpolation, maxSize, antialias)`, any prefix of them, then optionally the rest by name. */
  constructor(...args: CtorArgs<ResizeTransformOptions & { size: Size }, typeof ResizeDecl.positional>) {
    super();
    const o = parseArgs<Required<ResizeTransformOptions> & { size: Size }>(ResizeDecl, args);
    this.size = checkSize(o.size, "size");
    this.interpolation = o.interpolation;
    this.maxSize = o.maxSize;
    if (this.maxSize !== null) resizedSize(this.size[0], this.size[0], this.size.length === 1 ? this.size[0] : this.size, this.maxSize);
    this.antialias = o.antialias;
  }

  ops(_: null, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Op[] {
    const m = imageMeta(meta, this.type);
    const size = resizedSize(m.height, m.width, this.size.length === 1 ? this.size[0] : this.size, this.maxSize ?? undefined);
    return [{ op: "resize", size, interpolation: this.interpolation, antialias: this.antialias, semantics }];
  }

  override geometry(_: null, meta: Meta): Geo[] {
    return this.ops(null, meta).map((op) => ({ fn: "resize", size: (op as { size: [number, number] }).size }));
  }

  protected override config(): Record<string, Json> {
    return {
      size: this.size.length === 1 ? this.size[0] : this.size,
      interpolation: this.interpolation,
      maxSize: this.maxSize,
      antialias: this.antialias,
    };
  }
}

/** Options of {@link Pad}. */
export interface PadTransformOptions {
  fill?: Fill;
  paddingMode?: PaddingMode;
}

const PadDecl = {
  name: "Pad",
  family: FAMILY,
  summary: "every side",
  positional: ["padding", "fill", "paddingMode"] as const,
  fields: {
    padding: { kind: K.padding, required: true },
    fill: { kind: K.fill, default: 0 },
    paddingMode: { kind: K.paddingMode, default: "constant" },
  },
} satisfies Declaration;

/** Pads every side (torchvision Pad). */
export class Pad extends Deterministic {
  readonly type = "Pad";
  readonly padding: [number, number, number, number];
  readonly fill: Fill;
  readonly paddingMode: PaddingMode;

  /** torchvision's `(padding, fill, paddingMode)`, any prefix of them, then optionally the rest by name. */
  constructor(...args: CtorArgs<PadTransformOptions & { padding: number | number[] }, typeof PadDecl.positional>) {
    super();
    const o = parseArgs<Required<PadTransformOptions> & { padding: number | number[] }>(PadDecl, args);
    this.padding = checkPadding(o.padding, "padding");
    this.fill = fillJSON(o.fill);
    this.paddingMode = o.paddingMode;
  }

  ops(_: null, meta: Meta): Op[] {
    const m = imageMeta(meta, this.type);
    return [padWindow(this.padding, m.height, m.width, this.paddingMode, imageFill(this.fill, m.channels))];
  }

  override geometry(): Geo[] {
    return [{ fn: "pad", padding: this.padding, mode: this.paddingMode, fill: maskFill(this.fill) }];
  }
}

define(RandomCrop, RandomCropDecl);
define(CenterCrop, CenterCropDecl);
define(RandomResizedCrop, RandomResizedCropDecl);
define(RandomHorizontalFlip, flipDecl("RandomHorizontalFlip", "mirrors left-right with probability `p`"));
define(RandomVerticalFlip, flipDecl("RandomVerticalFlip", "mirrors top-bottom with probability `p`"));
define(Resize, ResizeDecl);
define(Pad, PadDecl);

// Colour transforms (torchvision v2 names and sampling): ColorJitter, RandomPhotometricDistort,
// Grayscale, RandomGrayscale, RandomInvert, RandomPosterize, RandomSolarize,
// RandomAdjustSharpness, RandomAutocontrast, RandomEqualize, RandomChannelPermutation.
// Pixels come from the functional colour ops (src/functional/color.ts), emitted as
// registered ops whose args name the semantics they run with ("pil", "tensor", or
// "tensor-v1" inside AugMix). On RGBA images the colour is changed and alpha kept; on grey
// images the saturation and hue adjustments are skipped (torchvision returns grey images
// unchanged for them), their factors still drawn so the record does not depend on the
// channel count.
import { describe, type Image, type Meta } from "../image.js";
import { checkFinite } from "../functional/args.js";
import * as C from "../functional/color.js";
import { Context, Deterministic, Transform, type Json } from "./base.js";
import { defineOp, type Op, type OpArgs } from "../ir/ops.js";
import type { ColorArgs } from "../ir/args.js";
import { checkKernelSemantics, DEFAULT_SEMANTICS, type KernelSemantics, type Semantics } from "../functional/semantics.js";
import { expectParams, isObject, imageMeta, type ImageMeta } from "./params.js";
import { define, parseArgs, type CtorArgs, type Declaration } from "./declare.js";
import * as K from "./kinds.js";

const FAMILY = "colour";

/** The message of `fn`'s error, or null when it passes: op checks reuse the functional validators. */
function why(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

// ---------------------------------------------------------------------------------------
// Ops

function colorOp<A extends ColorArgs>(
  name: string,
  check: (a: A) => unknown,
  run: (img: Image, a: A, o: { semantics: KernelSemantics }) => Image,
  meta?: ((a: A, m: ImageMeta) => Meta) | null,
  resident?: (r: C.Resident, a: A, semantics: KernelSemantics) => void,
): void {
  defineOp<A>(name, {
    meta: (a, m) => (meta ? meta(a, imageMeta(m, name)) : imageMeta(m, name)),
    check: (a) =>
      why(() => {
        checkKernelSemantics(a.semantics, "semantics");
        check(a);
      }),
    run: (x, a) => run(x as Image, a, { semantics: a.semantics ?? DEFAULT_SEMANTICS }),
    ...(resident ? { resident: (r: C.Resident, a: A) => resident(r, a, a.semantics ?? DEFAULT_SEMANTICS) } : {}),
  });
}

interface FactorArgs extends ColorArgs {
  factor: number;
}

// The shape-keeping ops also run on an image left in kernel memory (C.resident), so a
// ColorJitter's four steps cost one copy in and one out.
const R = C.resident;
colorOp<FactorArgs>(
  "adjustBrightness",
  (a) => C.checkFactor(a.factor, "factor"),
  (img, a, o) => C.adjustBrightness(img, a.factor, o),
  null,
  (r, a) => R.brightness(r, a.factor),
);
colorOp<FactorArgs>(
  "adjustContrast",
  (a) => C.checkFactor(a.factor, "factor"),
  (img, a, o) => C.adjustContrast(img, a.factor, o),
  null,
  (r, a, s) => R.contrast(r, a.factor, s),
);
colorOp<FactorArgs>(
  "adjustSaturation",
  (a) => C.checkFactor(a.factor, "factor"),
  (img, a, o) => C.adjustSaturation(img, a.factor, o),
  null,
  (r, a, s) => R.saturation(r, a.factor, s),
);
colorOp<FactorArgs>(
  "adjustHue",
  (a) => C.checkHue(a.factor, "factor"),
  (img, a, o) => C.adjustHue(img, a.factor, o),
  null,
  (r, a, s) => R.hue(r, a.factor, s),
);
colorOp<FactorArgs>(
  "adjustSharpness",
  (a) => C.checkFactor(a.factor, "factor"),
  (img, a, o) => C.adjustSharpness(img, a.factor, o),
  null,
  (r, a, s) => R.sharpness(r, a.factor, s),
);
colorOp<ColorArgs>(
  "invert",
  () => null,
  (img, _, o) => C.invert(img, o),
  null,
  (r) => R.invert(r),
);
colorOp<ColorArgs>(
  "autocontrast",
  () => null,
  (img, _, o) => C.autocontrast(img, o),
);
colorOp<ColorArgs>(
  "equalize",
  () => null,
  (img, _, o) => C.equalize(img, o),
);
colorOp<ColorArgs & { bits: number }>(
  "posterize",
  (a) => C.checkBits(a.bits),
  (img, a, o) => C.posterize(img, a.bits, o),
  null,
  (r, a) => R.posterize(r, a.bits),
);
colorOp<ColorArgs & { threshold: number }>(
  "solarize",
  (a) => C.checkThreshold(a.threshold),
  (img, a, o) => C.solarize(img, a.threshold, o),
  null,
  (r, a) => R.solarize(r, a.threshold),
);
colorOp<ColorArgs & { numOutputChannels: 1 | 3 }>(
  "rgbToGrayscale",
  (a) => {
    if (a.numOutputChannels !== 1 && a.numOutputChannels !== 3)
      throw new RangeError(`numOutputChannels must be 1 or 3, got ${describe(a.numOutputChannels)}`);
  },
  (img, a, o) => C.rgbToGrayscale(img, a.numOutputChannels, o),
  (a, m) => ({ ...m, channels: a.numOutputChannels === 1 ? 1 : m.channels === 4 ? 4 : 3 }),
);
colorOp<ColorArgs & { permutation: number[] }>(
  "permuteChannels",
  (a) => {
    if (!Array.isArray(a.permutation) || ![1, 3, 4].includes(a.permutation.length))
      throw new RangeError(`permutation must have 1, 3 or 4 entries, got ${describe(a.permutation)}`);
    C.checkPermutation(a.permutation, a.permutation.length);
  },
  (img, a, o) => C.permuteChannels(img, a.permutation, o),
  (a, m) => {
    if (a.permutation.length !== m.channels)
      throw new RangeError(
        `permuteChannels: the permutation has ${a.permutation.length} entries, but the image has ${m.channels} channel${m.channels === 1 ? "" : "s"}`,
      );
    return m;
  },
);

/** A colour op under `semantics`. */
const call = (name: string, semantics: KernelSemantics, args: OpArgs = {}): Op => ({ op: "call", name, args: { ...args, semantics } });

/** The colour channels a permutation draws over: 1 for grey, 3 for RGB and RGBA (alpha stays last). */
const colourChannels = (m: ImageMeta): number => (m.channels === 1 ? 1 : 3);

/** A colour permutation extended to every channel of the image (alpha, if any, stays). */
const fullPermutation = (perm: number[], m: ImageMeta): number[] => (m.channels === 4 ? [...perm, 3] : perm);

function fisherYates(ctx: Context, n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = ctx.rng.randint(0, i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

const isPermutation = (v: unknown, n: number): v is number[] =>
  Array.isArray(v) && v.length === n && [...v].sort((a, b) => a - b).every((x, i) => x === i);
const isFactor = (v: unknown): v is number | null => v === null || (typeof v === "number" && Number.isFinite(v));

// ---------------------------------------------------------------------------------------
// ColorJitter

/** A jitter amount as torchvision takes it: v (a range around the centre), [min, max], or null / 0 for off. */
export type JitterValue = number | [number, number] | null;

/** Options of {@link ColorJitter} (the positional form takes the same four values). */
export interface ColorJitterOptions {
  brightness?: JitterValue;
  contrast?: JitterValue;
  saturation?: JitterValue;
  hue?: JitterValue;
}

/** Params of {@link ColorJitter}: the order of the four adjustments (0 brightness, 1 contrast, 2 saturation, 3 hue) and each factor (null when off). */
export interface ColorJitterParams {
  [k: string]: Json;
  order: number[];
  brightness: number | null;
  contrast: number | null;
  saturation: number | null;
  hue: number | null;
}

/** torchvision's ColorJitter._check_input: the [min, max] range, or null when it does nothing. */
function jitterRange(
  value: unknown,
  name: string,
  center: number,
  lo: number,
  hi: number,
  clipFirstOnZero: boolean,
): [number, number] | null {
  if (value === null || value === undefined) return null;
  let r: [number, number];
  if (typeof value === "number") {
    const v = checkFinite(value, name);
    if (v < 0 || center + v > hi) throw new RangeError(`${name} as a single number must be in [0, ${hi - center}], got ${v}`);
    r = [center - v, center + v];
    if (clipFirstOnZero) r[0] = Math.max(r[0], 0);
  } else if (Array.isArray(value) && value.length === 2) {
    const a = checkFinite(value[0], `${name}[0]`);
    const b = checkFinite(value[1], `${name}[1]`);
    if (!(lo <= a && a <= b && b <= hi))
      throw new RangeError(`${name} must be [min, max] with ${lo} <= min <= max <= ${hi}, got [${a}, ${b}]`);
    r = [a, b];
  } else {
    throw new TypeError(`${name} must be a number, [min, max] or null, got ${describe(value)}`);
  }
  return r[0] === center && r[1] === center ? null : r;
}

const jitter = (center: number, lo: number, hi: number, clip: boolean) =>
  K.custom(
    "`v`, `[min, max]` or null",
    { anyOf: [{ type: "number", minimum: 0 }, K.tuple({ type: "number", minimum: lo, maximum: hi }, 2), { type: "null" }] },
    (v, name) => jitterRange(v, name, center, lo, hi, clip),
    ["1", true, [1, 2, 3]],
    [-1, [2, 1]],
  );

const ColorJitterDecl = {
  name: "ColorJitter",
  family: FAMILY,
  summary: "brightness, contrast, saturation and hue in a random order; `v` means `[max(0, 1 - v), 1 + v]` (hue `[-v, v]`), 0 or null off",
  positional: ["brightness", "contrast", "saturation", "hue"] as const,
  fields: {
    brightness: { kind: jitter(1, 0, C.MAX_FACTOR, true), default: 0 },
    contrast: { kind: jitter(1, 0, C.MAX_FACTOR, true), default: 0 },
    saturation: { kind: jitter(1, 0, C.MAX_FACTOR, true), default: 0 },
    hue: { kind: jitter(0, -0.5, 0.5, false), default: 0 },
  },
} satisfies Declaration;

/**
 * Randomly changes brightness, contrast, saturation and hue, in a random order
 * (torchvision ColorJitter). Each amount is v (factor drawn from [max(0, 1 - v), 1 + v];
 * hue from [-v, v]) or [min, max]; 0 or null turns it off. Takes
 * `(brightness, contrast, saturation, hue)` or `({ brightness, contrast, saturation, hue })`.
 */
export class ColorJitter extends Transform<ColorJitterParams> {
  readonly type = "ColorJitter";
  readonly random = true;
  readonly brightness: [number, number] | null;
  readonly contrast: [number, number] | null;
  readonly saturation: [number, number] | null;
  readonly hue: [number, number] | null;

  constructor(...args: CtorArgs<ColorJitterOptions, typeof ColorJitterDecl.positional>) {
    super();
    const o = parseArgs<ColorJitterOptions>(ColorJitterDecl, args);
    this.brightness = jitterRange(o.brightness, "brightness", 1, 0, C.MAX_FACTOR, true);
    this.contrast = jitterRange(o.contrast, "contrast", 1, 0, C.MAX_FACTOR, true);
    this.saturation = jitterRange(o.saturation, "saturation", 1, 0, C.MAX_FACTOR, true);
    this.hue = jitterRange(o.hue, "hue", 0, -0.5, 0.5, false);
  }

  makeParams(ctx: Context, meta: Meta): ColorJitterParams {
    imageMeta(meta, this.type);
    // torchvision's get_params: torch.randperm(4), then the four factors in this order.
    const order = fisherYates(ctx, 4);
    const draw = (r: [number, number] | null) => (r ? ctx.rng.uniform(r[0], r[1]) : null);
    const brightness = draw(this.brightness);
    const contrast = draw(this.contrast);
    const saturation = draw(this.saturation);
    const hue = draw(this.hue);
    return { order, brightness, contrast, saturation, hue };
  }

  ops(params: ColorJitterParams, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Op[] {
    const m = imageMeta(meta, this.type);
    expectParams(
      isObject(params) &&
        isPermutation(params.order, 4) &&
        isFactor(params.brightness) &&
        isFactor(params.contrast) &&
        isFactor(params.saturation) &&
        isFactor(params.hue),
      this.type,
      "{ order: a permutation of 0..3, brightness, contrast, saturation, hue: number or null }",
      params,
    );
    const ops: Op[] = [];
    for (const i of params.order) {
      if (i === 0 && params.brightness !== null) ops.push(call("adjustBrightness", semantics, { factor: params.brightness }));
      if (i === 1 && params.contrast !== null) ops.push(call("adjustContrast", semantics, { factor: params.contrast }));
      if (i === 2 && params.saturation !== null && m.channels !== 1)
        ops.push(call("adjustSaturation", semantics, { factor: params.saturation }));
      if (i === 3 && params.hue !== null && m.channels !== 1) ops.push(call("adjustHue", semantics, { factor: params.hue }));
    }
    return ops;
  }
}

// ---------------------------------------------------------------------------------------
// RandomPhotometricDistort

/** Options of {@link RandomPhotometricDistort}: the factor ranges and the probability of each step. */
export interface PhotometricDistortOptions {
  brightness?: [number, number];
  contrast?: [number, number];
  saturation?: [number, number];
  hue?: [number, number];
  p?: number;
}

/** Params of {@link RandomPhotometricDistort}: each factor (null when skipped), where contrast goes, and the channel permutation (null when skipped). */
export interface PhotometricDistortParams {
  [k: string]: Json;
  brightness: number | null;
  contrast: number | null;
  saturation: number | null;
  hue: number | null;
  contrastBefore: boolean;
  permutation: number[] | null;
}

function pairRange(v: unknown, name: string, lo: number, hi: number): [number, number] {
  if (!Array.isArray(v) || v.length !== 2) throw new TypeError(`${name} must be [min, max], got ${describe(v)}`);
  const a = checkFinite(v[0], `${name}[0]`);
  const b = checkFinite(v[1], `${name}[1]`);
  if (!(lo <= a && a <= b && b <= hi))
    throw new RangeError(`${name} must be [min, max] with ${lo} <= min <= max <= ${hi}, got [${a}, ${b}]`);
  return [a, b];
}

const pair = (lo: number, hi: number) =>
  K.custom(
    "`[min, max]`",
    K.tuple({ type: "number", minimum: lo, maximum: hi }, 2),
    (v, name) => pairRange(v, name, lo, hi),
    [1, "1", [1]],
    [
      [2, 1],
      [lo - 1, hi],
    ],
  );

const RandomPhotometricDistortDecl = {
  name: "RandomPhotometricDistort",
  family: FAMILY,
  summary: "SSD's photometric distortion: each adjustment with probability `p`, then a channel permutation",
  positional: ["brightness", "contrast", "saturation", "hue", "p"] as const,
  fields: {
    brightness: { kind: pair(0, C.MAX_FACTOR), default: [0.875, 1.125] },
    contrast: { kind: pair(0, C.MAX_FACTOR), default: [0.5, 1.5] },
    saturation: { kind: pair(0, C.MAX_FACTOR), default: [0.5, 1.5] },
    hue: { kind: pair(-0.5, 0.5), default: [-0.05, 0.05] },
    p: { kind: K.prob, default: 0.5 },
  },
} satisfies Declaration;

/**
 * SSD-style photometric distortion (torchvision v2 RandomPhotometricDistort): brightness,
 * contrast, saturation and hue each with probability p, contrast either first or after
 * hue (even odds), then with probability p a random permutation of the colour channels.
 */
export class RandomPhotometricDistort extends Transform<PhotometricDistortParams> {
  readonly type = "RandomPhotometricDistort";
  readonly random = true;
  readonly brightness: [number, number];
  readonly contrast: [number, number];
  readonly saturation: [number, number];
  readonly hue: [number, number];
  readonly p: number;

  constructor(...args: CtorArgs<PhotometricDistortOptions, typeof RandomPhotometricDistortDecl.positional>) {
    super();
    const o = parseArgs<Required<PhotometricDistortOptions>>(RandomPhotometricDistortDecl, args);
    this.brightness = pairRange(o.brightness, "brightness", 0, C.MAX_FACTOR);
    this.contrast = pairRange(o.contrast, "contrast", 0, C.MAX_FACTOR);
    this.saturation = pairRange(o.saturation, "saturation", 0, C.MAX_FACTOR);
    this.hue = pairRange(o.hue, "hue", -0.5, 0.5);
    this.p = o.p;
  }

  makeParams(ctx: Context, meta: Meta): PhotometricDistortParams {
    const m = imageMeta(meta, this.type);
    // torchvision v2 _get_params: per step rand < p then the factor, then contrast_before,
    // then rand < p and randperm(num_channels).
    const draw = (r: [number, number]) => (ctx.rng.random() < this.p ? ctx.rng.uniform(r[0], r[1]) : null);
    const brightness = draw(this.brightness);
    const contrast = draw(this.contrast);
    const saturation = draw(this.saturation);
    const hue = draw(this.hue);
    const contrastBefore = ctx.rng.random() < 0.5;
    const permutation = ctx.rng.random() < this.p ? fisherYates(ctx, colourChannels(m)) : null;
    return { brightness, contrast, saturation, hue, contrastBefore, permutation };
  }

  ops(params: PhotometricDistortParams, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Op[] {
    const m = imageMeta(meta, this.type);
    expectParams(
      isObject(params) &&
        isFactor(params.brightness) &&
        isFactor(params.contrast) &&
        isFactor(params.saturation) &&
        isFactor(params.hue) &&
        typeof params.contrastBefore === "boolean" &&
        (params.permutation === null || isPermutation(params.permutation, colourChannels(m))),
      this.type,
      `{ brightness, contrast, saturation, hue: number or null, contrastBefore: boolean, permutation: null or a permutation of ${colourChannels(m)} colour channels }`,
      params,
    );
    const ops: Op[] = [];
    if (params.brightness !== null) ops.push(call("adjustBrightness", semantics, { factor: params.brightness }));
    if (params.contrast !== null && params.contrastBefore) ops.push(call("adjustContrast", semantics, { factor: params.contrast }));
    if (params.saturation !== null && m.channels !== 1) ops.push(call("adjustSaturation", semantics, { factor: params.saturation }));
    if (params.hue !== null && m.channels !== 1) ops.push(call("adjustHue", semantics, { factor: params.hue }));
    if (params.contrast !== null && !params.contrastBefore) ops.push(call("adjustContrast", semantics, { factor: params.contrast }));
    if (params.permutation !== null && m.channels !== 1)
      ops.push(call("permuteChannels", semantics, { permutation: fullPermutation(params.permutation, m) }));
    return ops;
  }
}

// ---------------------------------------------------------------------------------------
// Grayscale and the "with probability p" transforms

const GrayscaleDecl = {
  name: "Grayscale",
  family: FAMILY,
  summary: "to grey: 1 channel, or 3 (RGBA keeps its alpha)",
  positional: ["numOutputChannels"] as const,
  fields: {
    numOutputChannels: {
      kind: K.custom(
        "1 or 3",
        { enum: [1, 3] },
        (v, name) => {
          if (v !== 1 && v !== 3) throw new (typeof v === "number" ? RangeError : TypeError)(`${name} must be 1 or 3, got ${describe(v)}`);
        },
        ["1", true],
        [2, 0],
      ),
      default: 1,
    },
  },
} satisfies Declaration;

/** Converts to grey (torchvision Grayscale): 1 channel, or 3 (RGBA keeps its alpha: 4). */
export class Grayscale extends Deterministic {
  readonly type = "Grayscale";
  readonly numOutputChannels: 1 | 3;

  constructor(...args: CtorArgs<{ numOutputChannels: 1 | 3 }, typeof GrayscaleDecl.positional>) {
    super();
    this.numOutputChannels = parseArgs(GrayscaleDecl, args).numOutputChannels as 1 | 3;
  }

  ops(_: null, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Op[] {
    imageMeta(meta, this.type);
    return [call("rgbToGrayscale", semantics, { numOutputChannels: this.numOutputChannels })];
  }
}

/** The declaration of a transform applied with probability `p` (torchvision puts `p` last). */
const withP = (name: string, summary: string, p: number, fields: Declaration["fields"] = {}) =>
  ({
    name,
    family: FAMILY,
    summary,
    positional: [...Object.keys(fields), "p"],
    fields: { ...fields, p: { kind: K.prob, default: p } },
  }) satisfies Declaration;

/** Params of the transforms applied with probability p. */
export interface AppliedParams {
  [k: string]: Json;
  applied: boolean;
}

abstract class RandomlyApplied extends Transform<AppliedParams> {
  readonly random = true;
  readonly p: number;

  constructor(p: number) {
    super();
    this.p = p;
  }

  /** The ops when applied. */
  protected abstract applied(m: ImageMeta, semantics: Semantics): Op[];

  makeParams(ctx: Context, meta: Meta): AppliedParams {
    imageMeta(meta, this.type);
    return { applied: ctx.rng.random() < this.p };
  }

  ops(params: AppliedParams, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Op[] {
    const m = imageMeta(meta, this.type);
    expectParams(isObject(params) && typeof params.applied === "boolean", this.type, "{ applied: boolean }", params);
    return params.applied ? this.applied(m, semantics) : [];
  }
}

const RandomGrayscaleDecl = withP("RandomGrayscale", "to grey with probability `p`, keeping the channel count", 0.1);

/** Converts to grey with probability p, keeping the channel count (torchvision RandomGrayscale, p = 0.1). */
export class RandomGrayscale extends RandomlyApplied {
  readonly type = "RandomGrayscale";
  constructor(...args: CtorArgs<{ p: number }, readonly ["p"]>) {
    super(parseArgs(RandomGrayscaleDecl, args).p as number);
  }
  protected applied(m: ImageMeta, semantics: Semantics): Op[] {
    return m.channels === 1 ? [] : [call("rgbToGrayscale", semantics, { numOutputChannels: 3 })];
  }
}

const RandomInvertDecl = withP("RandomInvert", "inverts with probability `p`", 0.5);

/** Inverts with probability p (torchvision RandomInvert). */
export class RandomInvert extends RandomlyApplied {
  readonly type = "RandomInvert";
  constructor(...args: CtorArgs<{ p: number }, readonly ["p"]>) {
    super(parseArgs(RandomInvertDecl, args).p as number);
  }
  protected applied(_: ImageMeta, semantics: Semantics): Op[] {
    return [call("invert", semantics)];
  }
}

const RandomPosterizeDecl = withP("RandomPosterize", "keeps `bits` bits per value with probability `p`", 0.5, {
  bits: { kind: K.int(0, 8), required: true },
});

/** Keeps `bits` bits per value with probability p (torchvision RandomPosterize). */
export class RandomPosterize extends RandomlyApplied {
  readonly type = "RandomPosterize";
  readonly bits: number;
  constructor(...args: CtorArgs<{ bits: number; p: number }, readonly ["bits", "p"]>) {
    const o = parseArgs(RandomPosterizeDecl, args);
    super(o.p as number);
    this.bits = o.bits as number;
  }
  protected applied(_: ImageMeta, semantics: Semantics): Op[] {
    return [call("posterize", semantics, { bits: this.bits })];
  }
}

const RandomSolarizeDecl = withP("RandomSolarize", "inverts values >= `threshold` with probability `p`", 0.5, {
  threshold: {
    kind: K.custom(
      "number in [0, 255]",
      { type: "number", minimum: 0, maximum: 255 },
      (v, n) => C.checkThreshold(v, n),
      ["128", true, null],
      [-1, 256, NaN],
    ),
    required: true,
  },
});

/** Inverts values >= threshold with probability p (torchvision RandomSolarize). */
export class RandomSolarize extends RandomlyApplied {
  readonly type = "RandomSolarize";
  readonly threshold: number;
  constructor(...args: CtorArgs<{ threshold: number; p: number }, readonly ["threshold", "p"]>) {
    const o = parseArgs(RandomSolarizeDecl, args);
    super(o.p as number);
    this.threshold = o.threshold as number;
  }
  protected applied(_: ImageMeta, semantics: Semantics): Op[] {
    return [call("solarize", semantics, { threshold: this.threshold })];
  }
}

const RandomAdjustSharpnessDecl = withP("RandomAdjustSharpness", "adjusts sharpness by `sharpnessFactor` with probability `p`", 0.5, {
  sharpnessFactor: {
    kind: K.custom(
      `number in [0, ${C.MAX_FACTOR}]`,
      { type: "number", minimum: 0, maximum: C.MAX_FACTOR },
      (v, n) => C.checkFactor(v, n),
      ["2", true, null],
      [-1, Infinity],
    ),
    required: true,
  },
});

/** Adjusts sharpness by `sharpnessFactor` with probability p (torchvision RandomAdjustSharpness). */
export class RandomAdjustSharpness extends RandomlyApplied {
  readonly type = "RandomAdjustSharpness";
  readonly sharpnessFactor: number;
  constructor(...args: CtorArgs<{ sharpnessFactor: number; p: number }, readonly ["sharpnessFactor", "p"]>) {
    const o = parseArgs(RandomAdjustSharpnessDecl, args);
    super(o.p as number);
    this.sharpnessFactor = o.sharpnessFactor as number;
  }
  protected applied(_: ImageMeta, semantics: Semantics): Op[] {
    return [call("adjustSharpness", semantics, { factor: this.sharpnessFactor })];
  }
}

const RandomAutocontrastDecl = withP("RandomAutocontrast", "autocontrast with probability `p`", 0.5);

/** Autocontrast with probability p (torchvision RandomAutocontrast). */
export class RandomAutocontrast extends RandomlyApplied {
  readonly type = "RandomAutocontrast";
  constructor(...args: CtorArgs<{ p: number }, readonly ["p"]>) {
    super(parseArgs(RandomAutocontrastDecl, args).p as number);
  }
  protected applied(_: ImageMeta, semantics: Semantics): Op[] {
    return [call("autocontrast", semantics)];
  }
}

const RandomEqualizeDecl = withP("RandomEqualize", "histogram equalization with probability `p`", 0.5);

/** Histogram equalization with probability p (torchvision RandomEqualize). */
export class RandomEqualize extends RandomlyApplied {
  readonly type = "RandomEqualize";
  constructor(...args: CtorArgs<{ p: number }, readonly ["p"]>) {
    super(parseArgs(RandomEqualizeDecl, args).p as number);
  }
  protected applied(_: ImageMeta, semantics: Semantics): Op[] {
    return [call("equalize", semantics)];
  }
}

/** Params of {@link RandomChannelPermutation}: the order of the colour channels. */
export interface ChannelPermutationParams {
  [k: string]: Json;
  permutation: number[];
}

const RandomChannelPermutationDecl = {
  name: "RandomChannelPermutation",
  family: FAMILY,
  summary: "shuffles the colour channels (alpha stays last)",
  positional: [],
  fields: {},
} satisfies Declaration;

/** Shuffles the colour channels (torchvision v2 RandomChannelPermutation); alpha stays last, grey images are unchanged. */
export class RandomChannelPermutation extends Transform<ChannelPermutationParams> {
  readonly type = "RandomChannelPermutation";
  readonly random = true;

  /** Takes no arguments (any is an error). */
  constructor(...args: []) {
    super();
    parseArgs(RandomChannelPermutationDecl, args);
  }

  makeParams(ctx: Context, meta: Meta): ChannelPermutationParams {
    return { permutation: fisherYates(ctx, colourChannels(imageMeta(meta, this.type))) };
  }

  ops(params: ChannelPermutationParams, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Op[] {
    const m = imageMeta(meta, this.type);
    const n = colourChannels(m);
    expectParams(
      isObject(params) && isPermutation(params.permutation, n),
      this.type,
      `{ permutation: a permutation of ${n} colour channels }`,
      params,
    );
    return n === 1 ? [] : [call("permuteChannels", semantics, { permutation: fullPermutation(params.permutation, m) })];
  }
}

// ---------------------------------------------------------------------------------------
// Declarations of the "with probability p" transforms

define(ColorJitter, ColorJitterDecl);
define(RandomPhotometricDistort, RandomPhotometricDistortDecl);
define(Grayscale, GrayscaleDecl);
define(RandomGrayscale, RandomGrayscaleDecl);
define(RandomInvert, RandomInvertDecl);
define(RandomPosterize, RandomPosterizeDecl);
define(RandomSolarize, RandomSolarizeDecl);
define(RandomAdjustSharpness, RandomAdjustSharpnessDecl);
define(RandomAutocontrast, RandomAutocontrastDecl);
define(RandomEqualize, RandomEqualizeDecl);
define(RandomChannelPermutation, RandomChannelPermutationDecl);

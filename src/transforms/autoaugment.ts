// The auto-augment policies of torchvision 0.28 (torchvision/transforms/autoaugment.py and
// transforms/v2/_auto_augment.py): AutoAugment (ImageNet, CIFAR10 and SVHN policies),
// RandAugment, TrivialAugmentWide and AugMix, with torchvision's op spaces, magnitude tables
// and sampling algorithms (lockstep draws from its own generator, in v1's order; records
// carry the chosen operations, so the draw order of v1 or v2 does not reach a byte).
//
// Each chosen operation is applied by the existing ops (torchvision's _apply_op mapping):
// ShearX/ShearY and TranslateX/TranslateY are `affine`, Rotate is `rotate`, the colour
// operations are the colour ops, all under the pipeline's semantics: "pil" is v1 on PIL
// images (Pillow's warps and colour), "tensor" v2 on uint8 tensors (grid_sample warps, v2's
// colour kernels; Solarize's table runs 1.0 .. 0.0 and the threshold is 255 * magnitude).
// AugMix converts PIL images to tensors itself, so under "pil" its chains run v1's tensor
// kernels ("tensor-v1") and under "tensor" v2's. Params are the chosen operations with the
// signed magnitudes _apply_op receives, so a record replays exactly.
//
// The parts live with their kind: the op spaces, magnitude tables, AutoAugment's sub-policies
// and _apply_op's mapping in policies.ts; the Gamma / Dirichlet sampling in
// src/random/distributions.ts; AugMix's float32 mixing in src/functional/augmix.ts (its op,
// `augMix`, is defined here).
import { describe, type Image, type Meta } from "../image.js";
import { checkFinite, checkInt, fillBytes } from "../functional/args.js";
import { checkWarpInterpolation, type WarpInterpolation } from "../functional/warp.js";
import { augmixBlend } from "../functional/augmix.js";
import { streamDraws, type Draws } from "../random/distributions.js";
import { Context, Transform, type Json } from "./base.js";
import { execute } from "../ir/execute.js";
import { checkOp, defineOp, opMeta, type Op } from "../ir/ops.js";
import type { MixArgs } from "../ir/args.js";
import { expectParams, isInt, isObject, imageMeta, type ImageMeta } from "./params.js";
import { define, parseArgs, type CtorArgs, type Declaration } from "./declare.js";
import * as K from "./kinds.js";
import {
  augmentationSpace,
  augOpOps,
  autoAugmentPolicy,
  checkPolicy,
  choose,
  type AugOp,
  type AutoAugmentPolicy,
  type SpaceEntry,
} from "./policies.js";
import { refuseTargets, type TargetState } from "../targets/sample.js";
import { DEFAULT_SEMANTICS, type KernelSemantics, type Semantics } from "../functional/semantics.js";

const fr = Math.fround;

// ---------------------------------------------------------------------------------------
// The mixing op of AugMix

const MAX_CHAINS = 64;
const MAX_DEPTH = 64;

function checkMixArgs(a: MixArgs): string | null {
  const unit = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v >= 0 && v <= 1;
  if (!unit(a.original)) return `original must be a weight in [0, 1], got ${describe(a.original)}`;
  if (!Array.isArray(a.weights) || !Array.isArray(a.chains) || a.weights.length !== a.chains.length || a.chains.length > MAX_CHAINS) {
    return `weights and chains must be arrays of the same length (at most ${MAX_CHAINS})`;
  }
  if (!a.weights.every(unit)) return `weights must be in [0, 1], got ${describe(a.weights)}`;
  for (const chain of a.chains) {
    if (!Array.isArray(chain) || chain.length > MAX_DEPTH * 2) return `each chain must be an array of at most ${MAX_DEPTH * 2} ops`;
    for (const op of chain) {
      if (!isObject(op) || typeof op.op !== "string") return `chain ops must be ops, got ${describe(op)}`;
      try {
        checkOp(op as Op, "AugMix");
      } catch (e) {
        return (e as Error).message;
      }
    }
  }
  return null;
}

defineOp<MixArgs>("augMix", {
  meta: (a, meta) => {
    const m = imageMeta(meta, "AugMix");
    for (const chain of a.chains) {
      const out = chain.reduce((acc, op) => opMeta(op, acc), m as Meta);
      if (out.kind !== "image" || out.width !== m.width || out.height !== m.height || out.channels !== m.channels) {
        throw new RangeError("AugMix: every chain must keep the image's size and channels");
      }
    }
    return m;
  },
  check: checkMixArgs,
  run: (x, a) => {
    const img = x as Image;
    // Every chain first (executing one uses and resets the arena), then the kernel mixes them.
    const augs = a.chains.map((chain) => (execute(img, chain) as Image).data);
    return augmixBlend(img, augs, a.original, a.weights);
  },
});

// ---------------------------------------------------------------------------------------
// Shared options and checks

/** The options every policy takes. */
export interface AugmentCommonOptions {
  /** "nearest" (default; AugMix: "bilinear") or "bilinear", for the geometric operations. */
  interpolation?: WarpInterpolation;
  /** Value outside the image for the geometric operations: one integer in [0, 255] or one per channel; null (default) is 0. */
  fill?: number | number[] | null;
}

function checkFill(fill: unknown): number | number[] | null {
  if (fill === undefined || fill === null) return null;
  if (typeof fill === "number") {
    fillBytes(fill, 1, "fill");
    return fill;
  }
  if (Array.isArray(fill) && [1, 3, 4].includes(fill.length)) {
    fillBytes(fill, fill.length as 1 | 3 | 4, "fill");
    return [...(fill as number[])];
  }
  throw new TypeError(`fill must be null, an integer in [0, 255] or an array of 1, 3 or 4 of them, got ${describe(fill)}`);
}

const MAX_BINS = 100000;
const MAX_OPS = 100;

/** Base of the four policies: interpolation and fill, and the lowering of chosen operations. */
abstract class AugmentBase<P extends Json> extends Transform<P> {
  readonly random = true;
  readonly interpolation: WarpInterpolation;
  readonly fill: number | number[] | null;

  constructor(o: { interpolation?: unknown; fill?: unknown }, interpolation: WarpInterpolation) {
    super();
    this.interpolation = checkWarpInterpolation(o.interpolation ?? interpolation);
    this.fill = checkFill(o.fill);
  }

  /**
   * Draws the params from `draws` (any source of torch-like draws) for an input described
   * by `meta`, from the magnitude tables of `semantics` (v1's or v2's).
   */
  abstract drawParams(draws: Draws, meta: Meta, semantics?: Semantics): P;

  makeParams(ctx: Context, meta: Meta): P {
    return this.drawParams(streamDraws(ctx.rng), meta, ctx.semantics);
  }

  /** The fill for `m`'s channels: bytes, or null for torchvision's fill=None on tensors. */
  protected fillFor(m: ImageMeta, semantics: KernelSemantics): number[] | null {
    if (this.fill === null && semantics !== "pil") return null;
    return Array.from(fillBytes(this.fill ?? 0, m.channels, "fill"));
  }

  /** The ops of a list of chosen operations, under `semantics`. */
  protected lower(list: AugOp[], m: ImageMeta, semantics: KernelSemantics): Op[] {
    const fill = this.fillFor(m, semantics);
    return list.flatMap((op) => augOpOps(op, m, this.interpolation, fill, semantics));
  }

  /** torchvision's auto-augment policies refuse boxes and masks; so do these. */
  override mapTargets(_: P, __: Meta, state: TargetState): TargetState {
    return refuseTargets(state, this.type);
  }
}

function isAugOps(v: unknown, names: ReadonlySet<string>, max: number): v is AugOp[] {
  return (
    Array.isArray(v) &&
    v.length <= max &&
    v.every(
      (o) =>
        isObject(o) && typeof o.name === "string" && names.has(o.name) && typeof o.magnitude === "number" && Number.isFinite(o.magnitude),
    )
  );
}

const namesOf = (s: SpaceEntry[]): ReadonlySet<string> => new Set(s.map((e) => e.name));
const OP_SHAPE = "{ name, magnitude } entries";

// ---------------------------------------------------------------------------------------
// AutoAugment

/** Options of {@link AutoAugment}. */
export interface AutoAugmentOptions extends AugmentCommonOptions {
  /** "imagenet" (default), "cifar10" or "svhn". */
  policy?: AutoAugmentPolicy;
}

/** Params of {@link AutoAugment}: the sub-policy, which of its two operations ran, and those operations. */
export interface AutoAugmentParams {
  [k: string]: Json;
  subPolicy: number;
  applied: [boolean, boolean];
  ops: AugOp[];
}

const AA_NAMES = namesOf(augmentationSpace("AutoAugment", 10, 1, 1));

/**
 * AutoAugment (torchvision AutoAugment): one of the policy's 25 sub-policies at random,
 * each of its two operations applied with its probability, magnitudes from 10 bins, the
 * sign of signed magnitudes at random. Takes a policy name or `{ policy, interpolation, fill }`.
 */
export class AutoAugment extends AugmentBase<AutoAugmentParams> {
  readonly type = "AutoAugment";
  readonly policy: AutoAugmentPolicy;

  /** torchvision's `(policy, interpolation, fill)`, any prefix of them, then optionally the rest by name. */
  constructor(...args: CtorArgs<AutoAugmentOptions, typeof AutoAugmentDecl.positional>) {
    const o = parseArgs<AutoAugmentOptions>(AutoAugmentDecl, args);
    super(o, "nearest");
    this.policy = checkPolicy(o.policy);
  }

  drawParams(d: Draws, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): AutoAugmentParams {
    const m = imageMeta(meta, this.type);
    const policies = autoAugmentPolicy(this.policy);
    // get_params: randint(len(policies)), rand(2), randint(2, (2,)).
    const subPolicy = d.randint(0, policies.length);
    const probs = [d.rand(), d.rand()];
    const signs = [d.randint(0, 2), d.randint(0, 2)];
    const space = augmentationSpace("AutoAugment", 10, m.height, m.width, true, semantics);
    const applied: [boolean, boolean] = [false, false];
    const ops: AugOp[] = [];
    policies[subPolicy]!.forEach(([name, p, bin], i) => {
      // `probs[i] <= p` compares in float32.
      if (!(fr(probs[i]!) <= fr(p))) return;
      applied[i] = true;
      ops.push(choose(space.find((e) => e.name === name)!, bin, signs[i] === 0));
    });
    return { subPolicy, applied, ops };
  }

  ops(params: AutoAugmentParams, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Op[] {
    const m = imageMeta(meta, this.type);
    expectParams(
      isObject(params) &&
        isInt(params.subPolicy) &&
        params.subPolicy >= 0 &&
        params.subPolicy < 25 &&
        Array.isArray(params.applied) &&
        params.applied.length === 2 &&
        params.applied.every((b) => typeof b === "boolean") &&
        isAugOps(params.ops, AA_NAMES, 2),
      this.type,
      `{ subPolicy: 0..24, applied: [boolean, boolean], ops: up to 2 ${OP_SHAPE} }`,
      params,
    );
    return this.lower(params.ops, m, semantics);
  }
}

// ---------------------------------------------------------------------------------------
// RandAugment

/** Options of {@link RandAugment}. */
export interface RandAugmentOptions extends AugmentCommonOptions {
  /** Operations applied in sequence (default 2). */
  numOps?: number;
  /** The magnitude bin, in [0, numMagnitudeBins) (default 9). */
  magnitude?: number;
  /** Bins of the magnitude tables, >= 2 (default 31). */
  numMagnitudeBins?: number;
}

/** Params of {@link RandAugment}, {@link TrivialAugmentWide}: the operations applied, in order. */
export interface AugOpsParams {
  [k: string]: Json;
  ops: AugOp[];
}

const RA_NAMES = namesOf(augmentationSpace("RandAugment", 2, 1, 1));

function checkBins(v: unknown): number {
  return checkInt(v, "numMagnitudeBins", 2, MAX_BINS);
}

/**
 * RandAugment (torchvision RandAugment): `numOps` operations drawn uniformly from 14
 * (Identity, shears, translations, rotation, colour operations), each at magnitude bin
 * `magnitude` of `numMagnitudeBins`, with a random sign for signed operations.
 */
export class RandAugment extends AugmentBase<AugOpsParams> {
  readonly type = "RandAugment";
  readonly numOps: number;
  readonly magnitude: number;
  readonly numMagnitudeBins: number;

  /** torchvision's `(numOps, magnitude, numMagnitudeBins, interpolation, fill)`, any prefix of them, then optionally the rest by name. */
  constructor(...args: CtorArgs<RandAugmentOptions, typeof RandAugmentDecl.positional>) {
    const o = parseArgs<RandAugmentOptions>(RandAugmentDecl, args);
    super(o, "nearest");
    this.numOps = checkInt(o.numOps ?? 2, "numOps", 0, MAX_OPS);
    this.numMagnitudeBins = checkBins(o.numMagnitudeBins ?? 31);
    this.magnitude = checkInt(o.magnitude ?? 9, "magnitude", 0, this.numMagnitudeBins - 1);
  }

  drawParams(d: Draws, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): AugOpsParams {
    const m = imageMeta(meta, this.type);
    const space = augmentationSpace("RandAugment", this.numMagnitudeBins, m.height, m.width, true, semantics);
    const ops: AugOp[] = [];
    for (let i = 0; i < this.numOps; i++) {
      const e = space[d.randint(0, space.length)]!;
      ops.push(choose(e, this.magnitude, e.signed && d.randint(0, 2) === 1));
    }
    return { ops };
  }

  ops(params: AugOpsParams, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Op[] {
    const m = imageMeta(meta, this.type);
    expectParams(isObject(params) && isAugOps(params.ops, RA_NAMES, MAX_OPS), this.type, `{ ops: ${OP_SHAPE} }`, params);
    return this.lower(params.ops, m, semantics);
  }
}

// ---------------------------------------------------------------------------------------
// TrivialAugmentWide

/** Options of {@link TrivialAugmentWide}. */
export interface TrivialAugmentWideOptions extends AugmentCommonOptions {
  /** Bins of the magnitude tables, >= 2 (default 31). */
  numMagnitudeBins?: number;
}

/**
 * TrivialAugment Wide (torchvision TrivialAugmentWide): one operation drawn uniformly from
 * 14, at a uniformly drawn magnitude bin of its (wide) table, with a random sign for signed
 * operations.
 */
export class TrivialAugmentWide extends AugmentBase<AugOpsParams> {
  readonly type = "TrivialAugmentWide";
  readonly numMagnitudeBins: number;

  /** torchvision's `(numMagnitudeBins, interpolation, fill)`, any prefix of them, then optionally the rest by name. */
  constructor(...args: CtorArgs<TrivialAugmentWideOptions, typeof TrivialAugmentWideDecl.positional>) {
    const o = parseArgs<TrivialAugmentWideOptions>(TrivialAugmentWideDecl, args);
    super(o, "nearest");
    this.numMagnitudeBins = checkBins(o.numMagnitudeBins ?? 31);
  }

  drawParams(d: Draws, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): AugOpsParams {
    imageMeta(meta, this.type);
    const space = augmentationSpace("TrivialAugmentWide", this.numMagnitudeBins, 1, 1, true, semantics);
    const e = space[d.randint(0, space.length)]!;
    const bin = e.bins > 0 ? d.randint(0, e.bins) : null;
    return { ops: [choose(e, bin, e.signed && d.randint(0, 2) === 1)] };
  }

  ops(params: AugOpsParams, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Op[] {
    const m = imageMeta(meta, this.type);
    expectParams(isObject(params) && isAugOps(params.ops, RA_NAMES, 1), this.type, "{ ops: [one { name, magnitude } entry] }", params);
    return this.lower(params.ops, m, semantics);
  }
}

// ---------------------------------------------------------------------------------------
// AugMix

/** Options of {@link AugMix}. */
export interface AugMixOptions extends AugmentCommonOptions {
  /** Magnitude bins drawn from, of 10: an integer in [1, 10] (default 3). */
  severity?: number;
  /** Number of chains (default 3). */
  mixtureWidth?: number;
  /** Operations per chain; <= 0 (default -1) draws each chain's depth from [1, 3]. */
  chainDepth?: number;
  /** Concentration of the Beta and Dirichlet weights, > 0 (default 1). */
  alpha?: number;
  /** Include Brightness, Color, Contrast and Sharpness (default true). */
  allOps?: boolean;
}

/** Params of {@link AugMix}: the Beta weights [original, augmented], the Dirichlet weights of the chains, and each chain's operations. */
export interface AugMixParams {
  [k: string]: Json;
  mix: [number, number];
  chainWeights: number[];
  chains: AugOp[][];
}

const AUGMIX_NAMES = namesOf(augmentationSpace("AugMix", 10, 1, 1, true));

/**
 * AugMix (torchvision AugMix): `mixtureWidth` chains of 1..3 (or `chainDepth`) random
 * operations, at magnitude bins drawn from the first `severity` of 10, mixed with weights
 * from a Dirichlet(alpha), then with the original image by a Beta(alpha, alpha) weight, in
 * float32, truncated to u8 (so an unchanged value can come out 1 lower, as in torchvision).
 * torchvision's AugMix turns PIL images into tensors itself, so the chains run its tensor
 * kernels: v1's under "pil", v2's under "tensor". RGBA images (which torchvision rejects)
 * go through the same mix on all four channels.
 */
export class AugMix extends AugmentBase<AugMixParams> {
  readonly type = "AugMix";
  readonly severity: number;
  readonly mixtureWidth: number;
  readonly chainDepth: number;
  readonly alpha: number;
  readonly allOps: boolean;

  /** torchvision's `(severity, mixtureWidth, chainDepth, alpha, allOps, interpolation, fill)`, any prefix of them, then optionally the rest by name. */
  constructor(...args: CtorArgs<AugMixOptions, typeof AugMixDecl.positional>) {
    const o = parseArgs<AugMixOptions>(AugMixDecl, args);
    super(o, "bilinear");
    this.severity = checkInt(o.severity ?? 3, "severity", 1, 10);
    this.mixtureWidth = checkInt(o.mixtureWidth ?? 3, "mixtureWidth", 1, MAX_CHAINS);
    this.chainDepth = checkInt(o.chainDepth ?? -1, "chainDepth", -(2 ** 31), MAX_DEPTH);
    const alpha = checkFinite(o.alpha ?? 1, "alpha");
    if (!(alpha > 0 && alpha <= 1e6)) throw new RangeError(`alpha must be in (0, 1e6], got ${alpha}`);
    this.alpha = alpha;
    const allOps = o.allOps ?? true;
    if (typeof allOps !== "boolean") throw new TypeError(`allOps must be a boolean, got ${describe(allOps)}`);
    this.allOps = allOps;
  }

  drawParams(d: Draws, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): AugMixParams {
    const m = imageMeta(meta, this.type);
    const space = augmentationSpace("AugMix", 10, m.height, m.width, this.allOps, semantics);
    const beta = d.dirichlet(this.alpha, 2);
    const chainWeights = d.dirichlet(this.alpha, this.mixtureWidth);
    const chains: AugOp[][] = [];
    for (let i = 0; i < this.mixtureWidth; i++) {
      const depth = this.chainDepth > 0 ? this.chainDepth : d.randint(1, 4);
      const chain: AugOp[] = [];
      for (let j = 0; j < depth; j++) {
        const e = space[d.randint(0, space.length)]!;
        const bin = e.bins > 0 ? d.randint(0, this.severity) : null;
        chain.push(choose(e, bin, e.signed && d.randint(0, 2) === 1));
      }
      chains.push(chain);
    }
    return { mix: [beta[0]!, beta[1]!], chainWeights, chains };
  }

  ops(params: AugMixParams, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Op[] {
    const m = imageMeta(meta, this.type);
    const unit = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v >= 0 && v <= 1;
    const names = this.allOps ? AUGMIX_NAMES : namesOf(augmentationSpace("AugMix", 10, 1, 1, false));
    expectParams(
      isObject(params) &&
        Array.isArray(params.mix) &&
        params.mix.length === 2 &&
        params.mix.every(unit) &&
        Array.isArray(params.chainWeights) &&
        params.chainWeights.length === this.mixtureWidth &&
        params.chainWeights.every(unit) &&
        Array.isArray(params.chains) &&
        params.chains.length === this.mixtureWidth &&
        params.chains.every((c) => isAugOps(c, names, MAX_DEPTH)),
      this.type,
      `{ mix: [m0, m1], chainWeights: ${this.mixtureWidth} weights, chains: ${this.mixtureWidth} arrays of ${OP_SHAPE} }`,
      params,
    );
    const m1 = fr(params.mix[1]);
    // torchvision's AugMix runs tensor kernels on every input: v1's under "pil", v2's under "tensor".
    const chainSemantics: KernelSemantics = semantics === "tensor" ? "tensor" : "tensor-v1";
    return [
      {
        op: "call",
        name: "augMix",
        args: {
          original: fr(params.mix[0]),
          weights: params.chainWeights.map((w) => fr(fr(w) * m1)),
          chains: params.chains.map((c) => this.lower(c, m, chainSemantics)),
        },
      },
    ];
  }
}

// ---------------------------------------------------------------------------------------
// Declarations

const FAMILY = "auto-augment";
const augFill = {
  kind: K.nullable(
    K.custom(
      "byte or per-channel bytes",
      {
        anyOf: [
          { type: "integer", minimum: 0, maximum: 255 },
          { type: "array", items: { type: "integer", minimum: 0, maximum: 255 }, minItems: 1, maxItems: 4 },
        ],
      },
      (v) => checkFill(v),
      ["0", true, [1, 2]],
      [256, [0, 0, 300]],
    ),
  ),
  default: null,
};
const augInterpolation = (d: WarpInterpolation) => ({
  kind: K.custom(
    '"nearest" or "bilinear"',
    { enum: ["nearest", "bilinear"] },
    (v, n) => checkWarpInterpolation(v, n),
    [1, true],
    ["bicubic"],
  ),
  default: d,
});
const bins = { kind: K.int(2, MAX_BINS), default: 31 };

const AutoAugmentDecl = {
  name: "AutoAugment",
  family: FAMILY,
  summary: "one of the policy's 25 sub-policies at random",
  positional: ["policy", "interpolation", "fill"] as const,
  fields: {
    policy: { kind: K.oneOf("imagenet", "cifar10", "svhn"), default: "imagenet" },
    interpolation: augInterpolation("nearest"),
    fill: augFill,
  },
} satisfies Declaration;
const RandAugmentDecl = {
  name: "RandAugment",
  family: FAMILY,
  summary: "`numOps` operations at random, each at `magnitude` of `numMagnitudeBins`",
  positional: ["numOps", "magnitude", "numMagnitudeBins", "interpolation", "fill"] as const,
  fields: {
    numOps: { kind: K.int(0, MAX_OPS), default: 2 },
    magnitude: {
      kind: K.custom(
        "integer in [0, numMagnitudeBins - 1]",
        { type: "integer", minimum: 0, maximum: MAX_BINS - 2 },
        (v, n) => {
          if (!Number.isInteger(v)) throw new RangeError(`${n} must be an integer in [0, numMagnitudeBins - 1], got ${describe(v)}`);
        },
        ["9", true, 1.5],
        [-1, 31],
      ),
      default: 9,
    },
    numMagnitudeBins: bins,
    interpolation: augInterpolation("nearest"),
    fill: augFill,
  },
} satisfies Declaration;
const TrivialAugmentWideDecl = {
  name: "TrivialAugmentWide",
  family: FAMILY,
  summary: "one operation at a random magnitude",
  positional: ["numMagnitudeBins", "interpolation", "fill"] as const,
  fields: { numMagnitudeBins: bins, interpolation: augInterpolation("nearest"), fill: augFill },
} satisfies Declaration;
const AugMixDecl = {
  name: "AugMix",
  family: FAMILY,
  summary: "`mixtureWidth` chains of operations mixed with Dirichlet weights",
  positional: ["severity", "mixtureWidth", "chainDepth", "alpha", "allOps", "interpolation", "fill"] as const,
  fields: {
    severity: { kind: K.int(1, 10), default: 3 },
    mixtureWidth: { kind: K.int(1, MAX_CHAINS), default: 3 },
    chainDepth: { kind: K.int(-(2 ** 31), MAX_DEPTH), default: -1 },
    alpha: { kind: K.num(0, 1e6, true), default: 1 },
    allOps: { kind: K.bool, default: true },
    interpolation: augInterpolation("bilinear"),
    fill: augFill,
  },
} satisfies Declaration;

define(AutoAugment, AutoAugmentDecl);
define(RandAugment, RandAugmentDecl);
define(TrivialAugmentWide, TrivialAugmentWideDecl);
define(AugMix, AugMixDecl);

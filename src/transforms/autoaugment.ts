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
// Magnitude tables are float32 as torch makes them. torch 2.13's linspace on the CPU
// computes `start + step * i` below the halfway index and `end - step * (steps - 1 - i)`
// from it, each one fused multiply-add in float32 (its AVX2/AVX-512 builds, measured on
// every table torchvision uses; torch 1.13 vectorised part of the range instead). The
// fused a * b + c is exact here: every table starts or ends at 0 or at a value whose sum
// with the product fits a float64, and one float32 rounding follows.
//
// AugMix mixes in float32 as torchvision: m0 * img + sum_i (w_i * m1) * chain_i, each
// product and sum rounded to float32 (in the kernel, assembly/mix.ts: wasm's f32 * and +),
// then truncated to u8 as `.to(torch.uint8)`. Its weights are torch._sample_dirichlet's
// algorithm: Marsaglia-Tsang gamma variates in float64 (normals by Box-Muller), normalized, cast to float32 and kept
// in [FLT_MIN, 1 - 2^-24]; logarithms, powers and cosines come from the kernel (kmath).
import { describe, type Image, type Meta } from "../image.js";
import { kmath } from "../kernel/math.js";
import { kernel } from "../kernel/instance.js";
import { checkFinite, checkInt, fillBytes, roundHalfEven } from "../functional/args.js";
import { checkWarpInterpolation, type WarpInterpolation } from "../functional/warp.js";
import type { Rng } from "../random/stream.js";
import { Context, Transform, type Json } from "./base.js";
import { execute } from "../ir/execute.js";
import { checkOp, defineOp, opMeta, type Op, type OpArgs } from "../ir/ops.js";
import { expectParams, isInt, isObject, imageMeta, type ImageMeta } from "./params.js";
import { define, parseArgs, type CtorArgs, type Declaration } from "./declare.js";
import * as K from "./kinds.js";
import { refuseTargets, type TargetState } from "../targets/sample.js";
import { DEFAULT_SEMANTICS, type KernelSemantics, type Semantics } from "../functional/semantics.js";

const fr = Math.fround;

// ---------------------------------------------------------------------------------------
// Magnitude tables

/** torch's float32 `a * b + c` with one rounding (exact in float64 for the tables here). */
const fma32 = (a: number, b: number, c: number): number => fr(a * b + c);

/** Element `i` of torch.linspace(start, end, steps) in float32 (see the note at the top). */
export function linspaceAt(start: number, end: number, steps: number, i: number): number {
  const s = fr(start);
  const e = fr(end);
  if (steps === 1) return s;
  const step = fr(fr(e - s) / (steps - 1));
  return i < Math.floor(steps / 2) ? fma32(step, i, s) : fma32(-step, steps - i - 1, e);
}

/** `top - (torch.arange(bins) / ((bins - 1) / div)).round().int()`, element i. */
function posterizeAt(top: number, div: number, bins: number, i: number): number {
  return top - roundHalfEven(fr(i / fr((bins - 1) / div)));
}

/** The operations of the auto-augment policies, as torchvision names them. */
export type AugOpName =
  | "Identity"
  | "ShearX"
  | "ShearY"
  | "TranslateX"
  | "TranslateY"
  | "Rotate"
  | "Brightness"
  | "Color"
  | "Contrast"
  | "Sharpness"
  | "Posterize"
  | "Solarize"
  | "AutoContrast"
  | "Equalize"
  | "Invert";

/** One entry of an augmentation space: its table (`bins` values, 0 for none) and whether the sign is drawn. */
export interface SpaceEntry {
  name: AugOpName;
  bins: number;
  signed: boolean;
  /** Magnitude number `i` of the table (float32 values, as torch's tensors hold them). */
  at(i: number): number;
}

/** The four policy families. */
export type SpaceKind = "AutoAugment" | "RandAugment" | "TrivialAugmentWide" | "AugMix";

const lin = (name: AugOpName, start: number, end: number, bins: number): SpaceEntry => ({
  name,
  bins,
  signed: true,
  at: (i) => linspaceAt(start, end, bins, i),
});
const none = (name: AugOpName): SpaceEntry => ({ name, bins: 0, signed: false, at: () => 0 });

/**
 * torchvision's `_augmentation_space` of a policy family, in its order: `bins` magnitudes,
 * for an image `height` x `width` (TranslateX/Y scale with the width/height). "tensor" is
 * v2's space: the same but for Solarize, whose table runs 1.0 .. 0.0 (v1: 255 .. 0).
 */
export function augmentationSpace(
  kind: SpaceKind,
  bins: number,
  height: number,
  width: number,
  allOps = true,
  semantics: Semantics = DEFAULT_SEMANTICS,
): SpaceEntry[] {
  const solarize: SpaceEntry =
    semantics === "tensor" ? { ...lin("Solarize", 1.0, 0.0, bins), signed: false } : { ...lin("Solarize", 255, 0, bins), signed: false };
  if (kind === "TrivialAugmentWide") {
    return [
      none("Identity"),
      lin("ShearX", 0, 0.99, bins),
      lin("ShearY", 0, 0.99, bins),
      lin("TranslateX", 0, 32, bins),
      lin("TranslateY", 0, 32, bins),
      lin("Rotate", 0, 135, bins),
      lin("Brightness", 0, 0.99, bins),
      lin("Color", 0, 0.99, bins),
      lin("Contrast", 0, 0.99, bins),
      lin("Sharpness", 0, 0.99, bins),
      { name: "Posterize", bins, signed: false, at: (i) => posterizeAt(8, 6, bins, i) },
      solarize,
      none("AutoContrast"),
      none("Equalize"),
    ];
  }
  if (kind === "AugMix") {
    const s: SpaceEntry[] = [
      lin("ShearX", 0, 0.3, bins),
      lin("ShearY", 0, 0.3, bins),
      lin("TranslateX", 0, width / 3, bins),
      lin("TranslateY", 0, height / 3, bins),
      lin("Rotate", 0, 30, bins),
      { name: "Posterize", bins, signed: false, at: (i) => posterizeAt(4, 4, bins, i) },
      solarize,
      none("AutoContrast"),
      none("Equalize"),
    ];
    if (allOps)
      s.push(lin("Brightness", 0, 0.9, bins), lin("Color", 0, 0.9, bins), lin("Contrast", 0, 0.9, bins), lin("Sharpness", 0, 0.9, bins));
    return s;
  }
  const s: SpaceEntry[] = [
    lin("ShearX", 0, 0.3, bins),
    lin("ShearY", 0, 0.3, bins),
    lin("TranslateX", 0, (150 / 331) * width, bins),
    lin("TranslateY", 0, (150 / 331) * height, bins),
    lin("Rotate", 0, 30, bins),
    lin("Brightness", 0, 0.9, bins),
    lin("Color", 0, 0.9, bins),
    lin("Contrast", 0, 0.9, bins),
    lin("Sharpness", 0, 0.9, bins),
    { name: "Posterize", bins, signed: false, at: (i) => posterizeAt(8, 4, bins, i) },
    solarize,
    none("AutoContrast"),
    none("Equalize"),
  ];
  if (kind === "AutoAugment") return [...s, none("Invert")];
  return [none("Identity"), ...s];
}

// ---------------------------------------------------------------------------------------
// Policies (torchvision's AutoAugment._get_policies, unchanged from 0.14 to 0.28)

/** The AutoAugment policies. */
export type AutoAugmentPolicy = "imagenet" | "cifar10" | "svhn";
type SubPolicy = [[AugOpName, number, number | null], [AugOpName, number, number | null]];

// biome-ignore format: one sub-policy a row, as torchvision lists them
const POLICIES: Record<AutoAugmentPolicy, SubPolicy[]> = {
  imagenet: [
    [["Posterize", 0.4, 8], ["Rotate", 0.6, 9]],
    [["Solarize", 0.6, 5], ["AutoContrast", 0.6, null]],
    [["Equalize", 0.8, null], ["Equalize", 0.6, null]],
    [["Posterize", 0.6, 7], ["Posterize", 0.6, 6]],
    [["Equalize", 0.4, null], ["Solarize", 0.2, 4]],
    [["Equalize", 0.4, null], ["Rotate", 0.8, 8]],
    [["Solarize", 0.6, 3], ["Equalize", 0.6, null]],
    [["Posterize", 0.8, 5], ["Equalize", 1.0, null]],
    [["Rotate", 0.2, 3], ["Solarize", 0.6, 8]],
    [["Equalize", 0.6, null], ["Posterize", 0.4, 6]],
    [["Rotate", 0.8, 8], ["Color", 0.4, 0]],
    [["Rotate", 0.4, 9], ["Equalize", 0.6, null]],
    [["Equalize", 0.0, null], ["Equalize", 0.8, null]],
    [["Invert", 0.6, null], ["Equalize", 1.0, null]],
    [["Color", 0.6, 4], ["Contrast", 1.0, 8]],
    [["Rotate", 0.8, 8], ["Color", 1.0, 2]],
    [["Color", 0.8, 8], ["Solarize", 0.8, 7]],
    [["Sharpness", 0.4, 7], ["Invert", 0.6, null]],
    [["ShearX", 0.6, 5], ["Equalize", 1.0, null]],
    [["Color", 0.4, 0], ["Equalize", 0.6, null]],
    [["Equalize", 0.4, null], ["Solarize", 0.2, 4]],
    [["Solarize", 0.6, 5], ["AutoContrast", 0.6, null]],
    [["Invert", 0.6, null], ["Equalize", 1.0, null]],
    [["Color", 0.6, 4], ["Contrast", 1.0, 8]],
    [["Equalize", 0.8, null], ["Equalize", 0.6, null]],
  ],
  cifar10: [
    [["Invert", 0.1, null], ["Contrast", 0.2, 6]],
    [["Rotate", 0.7, 2], ["TranslateX", 0.3, 9]],
    [["Sharpness", 0.8, 1], ["Sharpness", 0.9, 3]],
    [["ShearY", 0.5, 8], ["TranslateY", 0.7, 9]],
    [["AutoContrast", 0.5, null], ["Equalize", 0.9, null]],
    [["ShearY", 0.2, 7], ["Posterize", 0.3, 7]],
    [["Color", 0.4, 3], ["Brightness", 0.6, 7]],
    [["Sharpness", 0.3, 9], ["Brightness", 0.7, 9]],
    [["Equalize", 0.6, null], ["Equalize", 0.5, null]],
    [["Contrast", 0.6, 7], ["Sharpness", 0.6, 5]],
    [["Color", 0.7, 7], ["TranslateX", 0.5, 8]],
    [["Equalize", 0.3, null], ["AutoContrast", 0.4, null]],
    [["TranslateY", 0.4, 3], ["Sharpness", 0.2, 6]],
    [["Brightness", 0.9, 6], ["Color", 0.2, 8]],
    [["Solarize", 0.5, 2], ["Invert", 0.0, null]],
    [["Equalize", 0.2, null], ["AutoContrast", 0.6, null]],
    [["Equalize", 0.2, null], ["Equalize", 0.6, null]],
    [["Color", 0.9, 9], ["Equalize", 0.6, null]],
    [["AutoContrast", 0.8, null], ["Solarize", 0.2, 8]],
    [["Brightness", 0.1, 3], ["Color", 0.7, 0]],
    [["Solarize", 0.4, 5], ["AutoContrast", 0.9, null]],
    [["TranslateY", 0.9, 9], ["TranslateY", 0.7, 9]],
    [["AutoContrast", 0.9, null], ["Solarize", 0.8, 3]],
    [["Equalize", 0.8, null], ["Invert", 0.1, null]],
    [["TranslateY", 0.7, 9], ["AutoContrast", 0.9, null]],
  ],
  svhn: [
    [["ShearX", 0.9, 4], ["Invert", 0.2, null]],
    [["ShearY", 0.9, 8], ["Invert", 0.7, null]],
    [["Equalize", 0.6, null], ["Solarize", 0.6, 6]],
    [["Invert", 0.9, null], ["Equalize", 0.6, null]],
    [["Equalize", 0.6, null], ["Rotate", 0.9, 3]],
    [["ShearX", 0.9, 4], ["AutoContrast", 0.8, null]],
    [["ShearY", 0.9, 8], ["Invert", 0.4, null]],
    [["ShearY", 0.9, 5], ["Solarize", 0.2, 6]],
    [["Invert", 0.9, null], ["AutoContrast", 0.8, null]],
    [["Equalize", 0.6, null], ["Rotate", 0.9, 3]],
    [["ShearX", 0.9, 4], ["Solarize", 0.3, 3]],
    [["ShearY", 0.8, 8], ["Invert", 0.7, null]],
    [["Equalize", 0.9, null], ["TranslateY", 0.6, 6]],
    [["Invert", 0.9, null], ["Equalize", 0.6, null]],
    [["Contrast", 0.3, 3], ["Rotate", 0.8, 4]],
    [["Invert", 0.8, null], ["TranslateY", 0.0, 2]],
    [["ShearY", 0.7, 6], ["Solarize", 0.4, 8]],
    [["Invert", 0.6, null], ["Rotate", 0.8, 4]],
    [["ShearY", 0.3, 7], ["TranslateX", 0.9, 3]],
    [["ShearX", 0.1, 6], ["Invert", 0.6, null]],
    [["Solarize", 0.7, 2], ["TranslateY", 0.6, 7]],
    [["ShearY", 0.8, 4], ["Invert", 0.8, null]],
    [["ShearX", 0.7, 9], ["TranslateY", 0.8, 3]],
    [["ShearY", 0.8, 5], ["AutoContrast", 0.7, null]],
    [["ShearX", 0.7, 2], ["Invert", 0.1, null]],
  ],
};

/** The sub-policies of an AutoAugment policy: two (operation, probability, magnitude bin or null) each. */
export function autoAugmentPolicy(policy: AutoAugmentPolicy): ReadonlyArray<Readonly<SubPolicy>> {
  return POLICIES[checkPolicy(policy)];
}

function checkPolicy(v: unknown): AutoAugmentPolicy {
  if (v !== "imagenet" && v !== "cifar10" && v !== "svhn")
    throw new RangeError(`policy must be "imagenet", "cifar10" or "svhn", got ${describe(v)}`);
  return v;
}

// ---------------------------------------------------------------------------------------
// Randomness

/**
 * The draws the policies make, named after torch's: `randint(low, high)` is
 * torch.randint(low, high), `rand()` a float32 in [0, 1) as torch.rand, `dirichlet(alpha, k)`
 * torch._sample_dirichlet of k equal concentrations (float32 weights summing to about 1).
 * Transforms draw from their slot's stream; `drawParams` accepts any other source (tests
 * replay torchvision's own draws through it).
 */
export interface Draws {
  randint(low: number, high: number): number;
  rand(): number;
  dirichlet(alpha: number, k: number): number[];
}

const TWO_PI = 2 * Math.PI;
const THIRD = fr(1 / 3);
const C0331 = fr(0.0331);
const DBL_MIN = 2.2250738585072014e-308;
const FLT_MIN = 1.1754943508222875e-38;
const BELOW_ONE = fr(1 - 2 ** -24);

/** A standard normal variate (Box-Muller on two 53-bit uniforms). */
function standardNormal(rng: Rng): number {
  const u1 = rng.random();
  const u2 = rng.random();
  return Math.sqrt(-2 * kmath.log(1 - u1)) * kmath.cos(TWO_PI * u2);
}

/** A Gamma(alpha, 1) variate by torch's sample_gamma (Marsaglia and Tsang, with the boost for alpha < 1). */
export function sampleGamma(rng: Rng, alpha: number): number {
  let scale = 1;
  let a = alpha;
  if (a < 1) {
    scale *= kmath.pow(1 - rng.random(), 1 / a);
    a += 1;
  }
  const d = a - THIRD;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let y: number;
    do {
      x = standardNormal(rng);
      y = 1 + c * x;
    } while (y <= 0);
    const v = y * y * y;
    const u = 1 - rng.random();
    const xx = x * x;
    if (u < 1 - C0331 * xx * xx) return scale * d * v;
    if (kmath.log(u) < 0.5 * xx + d * (1 - v + kmath.log(v))) return scale * d * v;
  }
}

/** torch._sample_dirichlet of `k` concentrations `alpha`: float32 weights. */
export function sampleDirichlet(rng: Rng, alpha: number, k: number): number[] {
  const g: number[] = [];
  for (let i = 0; i < k; i++) g.push(Math.max(DBL_MIN, sampleGamma(rng, alpha)));
  let sum = 0;
  for (const v of g) sum += v;
  return g.map((v) => Math.min(BELOW_ONE, Math.max(FLT_MIN, fr(v / sum))));
}

/** The draws of a stream. */
export function streamDraws(rng: Rng): Draws {
  return {
    randint: (low, high) => rng.randint(low, high),
    rand: () => (rng.nextU32() >>> 8) / 16777216,
    dirichlet: (alpha, k) => sampleDirichlet(rng, alpha, k),
  };
}

// ---------------------------------------------------------------------------------------
// Applying one operation (torchvision's _apply_op)

/** One chosen operation: its name and the signed magnitude torchvision's _apply_op receives. */
export interface AugOp {
  [k: string]: Json;
  name: AugOpName;
  magnitude: number;
}

const RAD_TO_DEG = 180 / Math.PI;

/**
 * `math.degrees(math.atan(magnitude))`, the shear angle of ShearX/ShearY: the kernel's atan
 * (musl's, within 1 ulp; atan2(m, 1) is atan(m) there) times 180 / pi as CPython does.
 * glibc's atan, which CPython uses, is correctly rounded, so the two can differ in the last bit.
 */
export function shearDegrees(magnitude: number): number {
  return kmath.atan2(magnitude, 1) * RAD_TO_DEG;
}
/** -0 becomes 0: every op treats them alike, and JSON would make the same change. */
const unsign = (v: number): number => (v === 0 ? 0 : v);

/**
 * The ops of one auto-augment operation (torchvision's _apply_op) under `semantics`: Shear
 * as an affine shear of atan(magnitude) in degrees about the top-left corner, Translate by
 * int(magnitude) pixels, Rotate about the centre, Brightness/Color/Contrast/Sharpness by
 * 1 + magnitude, Posterize to int(magnitude) bits, Solarize at the magnitude ("tensor": at
 * 255 * magnitude, v2's scale). Color does nothing on a grey image, as torchvision. `fill`
 * null is torchvision's fill=None (0 for Pillow, grid_sample's zeros for tensors).
 */
export function augOpOps(
  op: AugOp,
  meta: ImageMeta,
  interpolation: WarpInterpolation,
  fill: number[] | null,
  semantics: KernelSemantics = DEFAULT_SEMANTICS,
): Op[] {
  const m = op.magnitude;
  const call = (name: string, args: OpArgs = {}): Op => ({ op: "call", name, args: { ...args, semantics } });
  const geo = { angle: 0, translate: [0, 0], scale: 1, shear: [0, 0], interpolation, fill, center: null as [number, number] | null };
  switch (op.name) {
    case "Identity":
      return [];
    case "ShearX":
      return [call("affine", { ...geo, shear: [shearDegrees(m), 0], center: [0, 0] })];
    case "ShearY":
      return [call("affine", { ...geo, shear: [0, shearDegrees(m)], center: [0, 0] })];
    case "TranslateX":
      return [call("affine", { ...geo, translate: [unsign(Math.trunc(m)), 0] })];
    case "TranslateY":
      return [call("affine", { ...geo, translate: [0, unsign(Math.trunc(m))] })];
    case "Rotate":
      return [call("rotate", { angle: m, interpolation, expand: false, center: null, fill })];
    case "Brightness":
      return [call("adjustBrightness", { factor: 1 + m })];
    case "Color":
      return meta.channels === 1 ? [] : [call("adjustSaturation", { factor: 1 + m })];
    case "Contrast":
      return [call("adjustContrast", { factor: 1 + m })];
    case "Sharpness":
      return [call("adjustSharpness", { factor: 1 + m })];
    case "Posterize":
      return [call("posterize", { bits: Math.trunc(m) })];
    case "Solarize":
      return [call("solarize", { threshold: semantics === "tensor" ? 255 * m : m })];
    case "AutoContrast":
      return [call("autocontrast")];
    case "Equalize":
      return [call("equalize")];
    case "Invert":
      return [call("invert")];
  }
}

/** A chosen operation: `entry`'s magnitude `bin` (0 without a table), negated when `negate`. */
function choose(entry: SpaceEntry, bin: number | null, negate: boolean): AugOp {
  const mag = bin === null || entry.bins === 0 ? 0 : entry.at(bin);
  return { name: entry.name, magnitude: unsign(entry.signed && negate ? -mag : mag) };
}

// ---------------------------------------------------------------------------------------
// The mixing op of AugMix

interface MixArgs extends OpArgs {
  /** Weight of the original image (m0). */
  original: number;
  /** Weight of each chain (float32 w_i * m1). */
  weights: number[];
  /** The ops of each chain. */
  chains: Op[][];
}

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

/** The kernel's mixing functions (assembly/mix.ts). */
interface MixKernel {
  mixInit(acc: number, src: number, n: number, m0: number): void;
  mixAdd(acc: number, src: number, n: number, w: number): void;
  mixFinish(acc: number, dst: number, n: number): void;
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
    const n = img.data.length;
    // Every chain first: executing one uses (and resets) the arena.
    const augs = a.chains.map((chain) => (execute(img, chain) as Image).data);
    // Then the kernel mixes in one arena session: float32(m0 * x), then
    // float32(acc + float32(w * aug)) per chain, then min(255, trunc(acc)), as torchvision's mix.
    const { exports, arena } = kernel();
    const k = exports as unknown as MixKernel;
    arena.reset();
    const acc = arena.alloc(n * 4);
    const buf = arena.put(img.data);
    k.mixInit(acc, buf, n, fr(a.original));
    augs.forEach((aug, i) => {
      arena.u8().set(aug, buf);
      k.mixAdd(acc, buf, n, fr(a.weights[i]!));
    });
    k.mixFinish(acc, buf, n);
    return { width: img.width, height: img.height, channels: img.channels, data: arena.takeU8(buf, n) };
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
    const policies = POLICIES[this.policy];
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

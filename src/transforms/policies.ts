// The auto-augment policies' tables, as torchvision 0.28 states them
// (torchvision/transforms/autoaugment.py and transforms/v2/_auto_augment.py): the op spaces and
// their float32 magnitude tables, AutoAugment's ImageNet, CIFAR10 and SVHN sub-policies, and
// _apply_op's mapping of a chosen operation onto lockstep's ops. The transforms that draw from
// them are in autoaugment.ts.
//
// Magnitude tables are float32 as torch makes them. torch 2.13's linspace on the CPU
// computes `start + step * i` below the halfway index and `end - step * (steps - 1 - i)`
// from it, each one fused multiply-add in float32 (its AVX2/AVX-512 builds, measured on
// every table torchvision uses; torch 1.13 vectorised part of the range instead). The
// fused a * b + c is exact here: every table starts or ends at 0 or at a value whose sum
// with the product fits a float64, and one float32 rounding follows.
import { describe } from "../image.js";
import { kmath } from "../kernel/math.js";
import { roundHalfEven } from "../functional/args.js";
import type { WarpInterpolation } from "../functional/warp.js";
import type { Op, OpArgs } from "../ir/ops.js";
import type { Json } from "./json.js";
import type { ImageMeta } from "./params.js";
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

export function checkPolicy(v: unknown): AutoAugmentPolicy {
  if (v !== "imagenet" && v !== "cifar10" && v !== "svhn")
    throw new RangeError(`policy must be "imagenet", "cifar10" or "svhn", got ${describe(v)}`);
  return v;
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
export function choose(entry: SpaceEntry, bin: number | null, negate: boolean): AugOp {
  const mag = bin === null || entry.bins === 0 ? 0 : entry.at(bin);
  return { name: entry.name, magnitude: unsign(entry.signed && negate ? -mag : mag) };
}

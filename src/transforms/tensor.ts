import { describe, type Meta } from "../image.js";
import { checkMeanStd } from "../functional/tensor.js";
import { Deterministic } from "./base.js";
import type { Op } from "../ir/ops.js";
import { define, parseArgs, type CtorArgs, type Declaration } from "./declare.js";
import * as K from "./kinds.js";
import { DEFAULT_SEMANTICS, type Semantics } from "../functional/semantics.js";

const ToTensorDecl = {
  name: "ToTensor",
  family: "tensors",
  summary: "u8 HWC image to f32 CHW tensor in [0, 1]",
  positional: [],
  fields: {},
} satisfies Declaration;

/** u8 HWC image -> f32 CHW tensor in [0, 1] (torchvision ToTensor). */
export class ToTensor extends Deterministic {
  readonly type = "ToTensor";

  /** Takes no arguments (any is an error). */
  constructor(...args: []) {
    super();
    parseArgs(ToTensorDecl, args);
  }

  /** "pil": torchvision's ToTensor (v / 255); "tensor": v2's ToDtype(float32, scale=True) (v * float(1 / 255)). */
  ops(_: null, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Op[] {
    if (meta.kind !== "image") throw new TypeError("ToTensor expects an image, got a tensor");
    return [{ op: "toTensor", semantics }];
  }
}

const channels = K.custom(
  "one number or one per channel",
  { type: "array", items: { type: "number" }, minItems: 1 },
  (v, n) => {
    if (!Array.isArray(v) || v.length < 1 || !v.every((x) => typeof x === "number" && Number.isFinite(x)))
      throw new TypeError(`${n} must be a non-empty array of finite numbers, got ${describe(v)}`);
  },
  [0.5, "0.5", [], [NaN]],
);
const NormalizeDecl = {
  name: "Normalize",
  family: "tensors",
  summary: "`(x - mean) / std` per channel, in f32",
  positional: ["mean", "std"] as const,
  fields: { mean: { kind: channels, required: true }, std: { kind: channels, required: true } },
} satisfies Declaration;

/** (x - mean) / std per channel, in f32 (torchvision Normalize). Fused into ToTensor when it follows it. */
export class Normalize extends Deterministic {
  readonly type = "Normalize";
  readonly mean: number[];
  readonly std: number[];

  constructor(...args: CtorArgs<{ mean: number[]; std: number[] }, typeof NormalizeDecl.positional>) {
    super();
    const o = parseArgs(NormalizeDecl, args);
    const ms = checkMeanStd(o.mean, o.std);
    this.mean = ms.mean;
    this.std = ms.std;
  }

  ops(_: null, meta: Meta): Op[] {
    if (meta.kind !== "tensor") throw new TypeError("Normalize expects a tensor: put ToTensor before it");
    const c = meta.shape.length >= 3 ? meta.shape[meta.shape.length - 3]! : 1;
    const ms = checkMeanStd(this.mean, this.std, c);
    return [{ op: "normalize", mean: ms.mean, std: ms.std }];
  }
}

define(ToTensor, ToTensorDecl);
define(Normalize, NormalizeDecl);

import type { Meta } from "../image.js";
import { checkMeanStd } from "../functional/tensor.js";
import { Deterministic, type Json } from "./base.js";
import type { Op } from "./ops.js";
import { register } from "./schema.js";
import { DEFAULT_SEMANTICS, type Semantics } from "../functional/semantics.js";

/** u8 HWC image -> f32 CHW tensor in [0, 1] (torchvision ToTensor). */
export class ToTensor extends Deterministic {
  readonly type = "ToTensor";

  /** "pil": torchvision's ToTensor (v / 255); "tensor": v2's ToDtype(float32, scale=True) (v * float(1 / 255)). */
  ops(_: null, meta: Meta, semantics: Semantics = DEFAULT_SEMANTICS): Op[] {
    if (meta.kind !== "image") throw new TypeError("ToTensor expects an image, got a tensor");
    return [{ op: "toTensor", semantics }];
  }

  protected config(): Record<string, Json> {
    return {};
  }
}

/** (x - mean) / std per channel, in f32 (torchvision Normalize). Fused into ToTensor when it follows it. */
export class Normalize extends Deterministic {
  readonly type = "Normalize";
  readonly mean: number[];
  readonly std: number[];

  constructor(mean: number[], std: number[]) {
    super();
    const ms = checkMeanStd(mean, std);
    this.mean = ms.mean;
    this.std = ms.std;
  }

  ops(_: null, meta: Meta): Op[] {
    if (meta.kind !== "tensor") throw new TypeError("Normalize expects a tensor: put ToTensor before it");
    const c = meta.shape.length >= 3 ? meta.shape[meta.shape.length - 3]! : 1;
    const ms = checkMeanStd(this.mean, this.std, c);
    return [{ op: "normalize", mean: ms.mean, std: ms.std }];
  }

  protected config(): Record<string, Json> {
    return { mean: this.mean, std: this.std };
  }
}

register("ToTensor", { fields: [], create: () => new ToTensor() });
register("Normalize", { fields: ["mean", "std"], create: (f) => new Normalize(f.mean as number[], f.std as number[]) });

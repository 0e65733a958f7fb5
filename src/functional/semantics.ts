// Which torchvision pipeline an op reproduces. Pipelines choose one of the two public
// semantics; functional ops take it as an option (default "pil").
import { describe } from "../image.js";

/**
 * The torchvision pipeline whose bytes lockstep reproduces:
 * - `"pil"` (default): torchvision on PIL images (Pillow 12.3's ImageEnhance, ImageOps,
 *   point tables, HSV round trip, resampling and geometry);
 * - `"tensor"`: torchvision v2 on uint8 tensors (after `ToImage()`): torch's uint8
 *   resize, v2's colour kernels, grid_sample warps, `ToDtype(float32, scale=True)`.
 */
export type Semantics = "pil" | "tensor";

/**
 * The semantics a kernel op can run with: the two public ones, plus `"tensor-v1"`,
 * torchvision's v1 tensor kernels (torchvision.transforms.functional on uint8 tensors),
 * which torchvision's `AugMix` runs even on PIL images.
 */
export type KernelSemantics = Semantics | "tensor-v1";

/** The default semantics. */
export const DEFAULT_SEMANTICS: Semantics = "pil";

/** A pipeline semantics: "pil" or "tensor" (undefined gives the default). */
export function checkSemantics(v: unknown, name = "semantics"): Semantics {
  if (v === undefined) return DEFAULT_SEMANTICS;
  if (v !== "pil" && v !== "tensor")
    throw new RangeError(
      `${name} must be "pil" (torchvision on PIL images) or "tensor" (torchvision v2 on uint8 tensors), got ${describe(v)}`,
    );
  return v;
}

/** A kernel semantics: "pil", "tensor" or "tensor-v1" (undefined gives the default). */
export function checkKernelSemantics(v: unknown, name = "semantics"): KernelSemantics {
  if (v === "tensor-v1") return v;
  return checkSemantics(v, name);
}

/** Options every semantics-aware functional op takes. */
export interface SemanticsOptions {
  /** "pil" (default) or "tensor"; see {@link Semantics}. */
  semantics?: KernelSemantics;
}

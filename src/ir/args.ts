// The arguments of the ops that both backends run (wasm in src/transforms/, WebGPU in
// src/gpu/ops/): declared once beside the IR, so a field an op gains reaches both lowerings.
import type { KernelSemantics } from "../functional/semantics.js";
import type { Corners, WarpInterpolation } from "../functional/warp.js";
import type { Op, OpArgs } from "./ops.js";

/** What every colour op carries: the semantics it runs with (absent: "pil"). */
export interface ColorArgs extends OpArgs {
  semantics?: KernelSemantics;
}

/** What every warp op carries: its fill, filter and the semantics it runs with (absent: "pil"). */
export interface WarpArgs extends OpArgs {
  fill: number[] | null;
  semantics?: KernelSemantics;
  interpolation: WarpInterpolation;
}

/** `rotate`: degrees counter-clockwise about `center` (null: the image's centre). */
export interface RotateArgs extends WarpArgs {
  angle: number;
  expand: boolean;
  center: [number, number] | null;
}

/** `affine`: torchvision's affine parameters. */
export interface AffineArgs extends WarpArgs {
  angle: number;
  translate: [number, number];
  scale: number;
  shear: [number, number];
  center: [number, number] | null;
}

/** `perspective`: the four corners and where they go. */
export interface PerspectiveArgs extends WarpArgs {
  startpoints: Corners;
  endpoints: Corners;
}

/** `elastic`: a keyed displacement field. */
export interface ElasticArgs extends OpArgs {
  key: [number, number];
  alpha: [number, number];
  sigma: [number, number];
  interpolation: WarpInterpolation;
  fill: number[];
}

/** `multiCrop`: FiveCrop, or TenCrop with its flip. */
export interface CropsArgs extends OpArgs {
  size: [number, number];
  ten: boolean;
  verticalFlip: boolean;
}

/** `erase`: a region of a tensor set to values or keyed normals. */
export interface EraseArgs extends OpArgs {
  top: number;
  left: number;
  height: number;
  width: number;
  value: number[] | "random";
  key: [number, number] | null;
  inplace: boolean;
}

/** `augMix`: the mixing op of AugMix. */
export interface MixArgs extends OpArgs {
  /** Weight of the original image (m0). */
  original: number;
  /** Weight of each chain (float32 w_i * m1). */
  weights: number[];
  /** The ops of each chain. */
  chains: Op[][];
}

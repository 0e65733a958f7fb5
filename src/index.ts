/**
 * lockstep: seeded image transforms that give the same bytes everywhere.
 * `await ready()` once, then use {@link F} (functional ops) or the transforms.
 * What users call lives here; the machinery under it has its own entries: `lockstep/random`
 * (Philox and key derivation), `lockstep/extend` (custom ops and transforms), `lockstep/gpu`
 * (WebGPU adapters and internals), `lockstep/data` (the loader with its permutation), `lockstep/io`.
 */
export { ready, init, resetKernel, kernelMemory, type InitOptions } from "./kernel/instance.js";
export { Generator, Generator as RandomGenerator, type GeneratorState } from "./random/generator.js";
export { Stream, type Rng } from "./random/stream.js";
export type { Image, Tensor, Channels, Meta } from "./image.js";
export { isTensor, metaOf, fromImageData, toRGBA, MAX_SIDE, MAX_PIXELS } from "./image.js";
export * as F from "./functional/index.js";
export { KernelImage, kernelImage, toKernel, isKernelImage } from "./kernel/image.js";
export { DEFAULT_SEMANTICS, type Semantics, type KernelSemantics, type SemanticsOptions } from "./functional/semantics.js";
export { InterpolationMode, type Interpolation, type PaddingMode, type Size } from "./functional/args.js";
export * from "./transforms/index.js";
export { runtime, type Runtime } from "./platform/index.js";
export * from "./data/public.js";
export {
  applyBatch,
  releaseGpu,
  GpuDeviceLostError,
  type Backend,
  type BatchMix,
  type BatchOptions,
  type BatchResult,
  type GpuBatchResult,
  type GpuTensor,
} from "./gpu/index.js";
export * from "./targets/index.js";

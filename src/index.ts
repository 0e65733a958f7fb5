/**
 * lockstep: seeded image transforms that give the same bytes everywhere.
 * `await ready()` once, then use {@link F} (functional ops) or the transforms.
 */
export { ready, init, type InitOptions } from "./kernel/instance.js";
export { philox4x32 } from "./random/philox.js";
export { Generator, type GeneratorState } from "./random/generator.js";
export { Stream, type Rng } from "./random/stream.js";
export { seedKey, foldIn, sampleKey, type Key } from "./random/keys.js";
export { kmath } from "./kernel/math.js";
export type { Image, Tensor, Channels, Meta } from "./image.js";
export { isTensor, metaOf, fromImageData, toRGBA, MAX_SIDE, MAX_PIXELS } from "./image.js";
export * as F from "./functional/index.js";
export { DEFAULT_SEMANTICS, type Semantics, type KernelSemantics, type SemanticsOptions } from "./functional/semantics.js";
export { InterpolationMode, type Interpolation, type PaddingMode, type Size } from "./functional/args.js";
export * from "./transforms/index.js";
export { runtime, type Runtime } from "./platform/index.js";
export * from "./data/index.js";
export { applyBatch, setAdapterFactory, releaseGpu, gpuPhilox, GpuDeviceLostError, dawnAdapterFactory, defaultAdapterFactory, type Backend, type BatchOptions, type BatchResult, type AdapterFactory, type DawnOptions } from "./gpu/index.js";
export * from "./targets/index.js";

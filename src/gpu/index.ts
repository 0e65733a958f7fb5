/** The WebGPU backend: batches on the GPU with the wasm backend's exact bytes. */
export { applyBatch } from "./batch.js";
export type { Backend, BatchMix, BatchOptions, BatchPipeline, BatchResult, GpuBatchResult, GpuBufferLike, GpuTensor } from "../ir/batch.js";
export { setAdapterFactory, releaseGpu, GpuDeviceLostError } from "./device.js";
export { gpuPhilox } from "./philox.js";
export { dawnAdapterFactory, defaultAdapterFactory, type AdapterFactory, type DawnOptions } from "../platform/gpu.js";

/** The loader as users call it (datasets, samplers, Loader, errors): `lockstep` and `lockstep/data` both export it. */
export {
  Loader,
  SampleError,
  BatchTimeoutError,
  type Batch,
  type BatchOf,
  type LoaderItem,
  type LoaderOptions,
  type LoaderState,
} from "./loader.js";
export {
  ArrayDataset,
  FileDataset,
  imageFolder,
  manifestDataset,
  moduleDataset,
  type Dataset,
  type DatasetSpec,
  type Item,
  type Label,
} from "./dataset.js";
export {
  SequentialSampler,
  ShuffleSampler,
  DistributedSampler,
  type Sampler,
  type DistributedSamplerOptions,
  type UnevenShards,
} from "./sampler.js";
export { WorkerCrashError, type WorkerCrash } from "./pool.js";
export type { SampleFailure, OnError, Decoder } from "./process.js";
export type { WorkerFactory, WebWorkerLike, NodeWorkerLike } from "../platform/workers.js";

// What a batch call takes and returns, and the hook that runs it. The batch backend
// (src/gpu/batch.ts) installs itself here when it loads, so Transform.applyBatch reaches it
// without transforms/ importing gpu/ (each entry point of the package loads it).
import type { Image, Meta, Tensor } from "../image.js";
import type { Generator } from "../random/generator.js";
import type { Semantics } from "../functional/semantics.js";
import type { TargetState } from "../targets/sample.js";
import type { Context, ContextOwner } from "./context.js";
import type { Op } from "./ops.js";

/** What a batch needs of a pipeline (every Transform is one): draw params, lower them to ops, move targets. */
export interface BatchPipeline<P = unknown> extends ContextOwner {
  makeParams(ctx: Context, meta: Meta, targets?: TargetState): P;
  ops(params: P, meta: Meta, semantics?: Semantics): Op[];
  /** Whether makeParams reads the targets (then they are passed, masks left out). */
  readonly needsTargets: boolean;
  mapTargets(params: P, meta: Meta, state: TargetState, semantics?: Semantics): TargetState;
}

/** Where a batch's pixels are computed. "auto": WebGPU when it can, else wasm. */
export type Backend = "wasm" | "webgpu" | "auto";

/** Options of `applyBatch`. */
export interface BatchOptions {
  /** Keyed randomness: sample i uses (seed, epoch, indices[i]). */
  seed?: number | bigint;
  epoch?: number;
  /** The dataset index of each image (default 0, 1, 2, ...). */
  indices?: readonly number[];
  /** Sequential randomness instead: one key per image, in order. */
  generator?: Generator;
  /** "wasm" (default), "webgpu" (an error when it cannot run) or "auto". */
  backend?: Backend;
  /**
   * Receives the results: a Float32Array of N*C*H*W for a tensor batch, or a Uint8Array of
   * all images' bytes one after the other (the returned images are views into it). Its
   * content is unspecified when the call fails.
   */
  out?: Float32Array | Uint8Array;
  /** Largest GPU buffer one submission may use, in bytes (for tests of batch splitting). */
  maxChunkBytes?: number;
  /**
   * "host" (default): the result in host memory. "gpu": the NCHW float32 batch stays on the
   * device as a GPUBuffer (BatchResult.gpu; no readback), for onnxruntime-web, transformers.js
   * or tfjs-webgpu. Needs backend "webgpu" and a pipeline that ends in a tensor.
   */
  output?: "host" | "gpu";
  /**
   * The caller's GPUDevice (e.g. onnxruntime-web's `env.webgpu.device`): the batch runs on it
   * instead of the device lockstep opens, so an output "gpu" buffer is usable by the caller's
   * library. lockstep keeps its pipelines and work buffers there (releaseGpu frees them) and
   * never destroys the device.
   */
  device?: object;
  /**
   * A batch transform (MixUp or CutMix) on the batch's NCHW result, keyed like the Loader's:
   * (seed, epoch, `batch`), or the generator after the samples' draws. On the GPU it runs
   * there, with the bytes of the wasm path; `labels` (class indices or [N, K]) come back mixed
   * in BatchResult.mix.
   */
  mix?: BatchMix;
}

/** A batch transform for {@link BatchOptions.mix}. */
export interface BatchMix {
  /** A MixUp or CutMix. */
  transform: MixTransform;
  /** The batch's labels: N class indices (the transform's numClasses set) or an [N, K] float32 Tensor. */
  labels: ArrayLike<number> | Tensor;
  /** The batch number in its epoch (default 0). */
  batch?: number;
}

/** What a batch needs of MixUp / CutMix (src/transforms/mix.ts). */
export interface MixTransform {
  readonly type: string;
  mixLabels(
    meta: { batchSize: number; height: number; width: number },
    labels: ArrayLike<number> | Tensor,
    random: { seed: number | bigint; epoch?: number; batch?: number } | { generator: Generator },
  ): { params: { [k: string]: unknown }; labels: Tensor };
  applyWithRecord(
    batch: { images: Tensor; labels: ArrayLike<number> | Tensor },
    random: { seed: number | bigint; epoch?: number; batch?: number } | { generator: Generator },
  ): { output: { images: Tensor | { shape: number[]; data: Uint8Array }; labels: Tensor }; record: { params: unknown } };
  replay(
    batch: { images: Tensor; labels: ArrayLike<number> | Tensor },
    record: { params: unknown },
  ): { images: Tensor | { shape: number[]; data: Uint8Array } };
}

/** The part of a GPUBuffer lockstep's types name (cast to GPUBuffer with @webgpu/types). */
export interface GpuBufferLike {
  readonly size: number;
  destroy(): void;
}

/** A batch left on the GPU (BatchOptions.output "gpu"). */
export interface GpuTensor {
  /**
   * The GPUBuffer (usage STORAGE | COPY_SRC | COPY_DST) holding the batch: N*C*H*W float32
   * values, NCHW, contiguous, little-endian, from byte 0 (its size may be rounded up to a
   * multiple of 4 bytes; `byteLength` is the data's). The caller owns it: call
   * `buffer.destroy()` when done (lockstep never touches it again).
   */
  buffer: GpuBufferLike;
  /** The GPUDevice it lives on (the caller's, with BatchOptions.device). */
  device: object;
  /** [N, C, H, W]. */
  shape: number[];
  dtype: "float32";
  byteLength: number;
}

/** What `applyBatch` returns. */
export interface BatchResult {
  /** NCHW f32 when the pipeline ends in a tensor, else one image per input. */
  output: Tensor | Image[];
  /** The backend that computed the pixels. */
  backend: "wasm" | "webgpu";
  /** The WebGPU adapter used, e.g. "google swiftshader". */
  adapter?: string;
  /** Why "auto" ran on wasm. */
  fallback?: string;
  /** GPU submissions (more than one when the batch was split to fit the device). */
  submissions?: number;
  /**
   * For inputs that are samples ({ image, boxes, ... }): each sample with its image replaced by
   * its output (a view of `output`) and its targets moved on the host with the same params.
   */
  samples?: unknown[];
  /** With BatchOptions.mix: the transform, its params and the mixed [N, K] label weights. */
  mix?: { type: string; params: unknown; labels: Tensor; on: "wasm" | "webgpu" };
}

/** What `applyBatch` returns with output "gpu": the batch on the device, no host copy. */
export interface GpuBatchResult extends Omit<BatchResult, "output" | "backend" | "samples" | "fallback"> {
  output: GpuTensor;
  backend: "webgpu";
}

/** Runs a batch of `pipeline` over `images`. */
export type BatchRunner = (
  pipeline: BatchPipeline,
  images: readonly unknown[],
  opts?: BatchOptions,
) => Promise<BatchResult | GpuBatchResult>;

let runner: BatchRunner | undefined;

/** Installs the batch backend (src/gpu/batch.ts does, once, when it loads). */
export function installBatch(run: BatchRunner): void {
  runner = run;
}

/** Runs a batch on the installed backend; rejects with what to import when none is loaded. */
export function runBatch(pipeline: BatchPipeline, images: readonly unknown[], opts?: BatchOptions): Promise<BatchResult | GpuBatchResult> {
  if (!runner)
    return Promise.reject(
      new Error('lockstep: applyBatch needs the batch backend: import "lockstep" or "lockstep/gpu" (it loads with either)'),
    );
  return runner(pipeline, images, opts);
}

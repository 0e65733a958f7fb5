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
}

/** Runs a batch of `pipeline` over `images`. */
export type BatchRunner = (pipeline: BatchPipeline, images: readonly unknown[], opts?: BatchOptions) => Promise<BatchResult>;

let runner: BatchRunner | undefined;

/** Installs the batch backend (src/gpu/batch.ts does, once, when it loads). */
export function installBatch(run: BatchRunner): void {
  runner = run;
}

/** Runs a batch on the installed backend; rejects with what to import when none is loaded. */
export function runBatch(pipeline: BatchPipeline, images: readonly unknown[], opts?: BatchOptions): Promise<BatchResult> {
  if (!runner)
    return Promise.reject(
      new Error('lockstep: applyBatch needs the batch backend: import "lockstep" or "lockstep/gpu" (it loads with either)'),
    );
  return runner(pipeline, images, opts);
}

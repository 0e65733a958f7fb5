// Batches: a pipeline over many images in one call, on the wasm kernel or on WebGPU, with the
// same bytes either way. Parameters are drawn once, on the host, exactly as `apply` draws
// them; only the pixel work moves.
import { checkSample, describe, metaOf, type Image, type Meta, type Tensor } from "../image.js";
import { resolveContexts } from "../ir/context.js";
import { installBatch, type Backend, type BatchOptions, type BatchPipeline, type BatchResult } from "../ir/batch.js";
import { execute, type Sample } from "../ir/execute.js";
import { checkOp, opMeta, type Op } from "../ir/ops.js";
import { gpuBackend } from "./device.js";
import { GpuUnsupported, lower, type Lowered } from "./plan.js";
import { GpuTooLarge, runOnGpu } from "./run.js";
import { slowOnSoftware } from "./shaders.js";
import { noAdapterAdvice } from "../platform/gpu.js";
import { splitSample, withoutMasks, type Split } from "../targets/sample.js";

const HOW_TO_SEED = "pass { seed, epoch, indices } for keyed randomness or { generator } for sequential randomness";

function checkBackend(b: unknown): Backend {
  if (b !== "wasm" && b !== "webgpu" && b !== "auto")
    throw new RangeError(`backend must be "wasm", "webgpu" or "auto", got ${describe(b)}`);
  return b;
}

const BATCH_INDEX = { option: "indices", at: (i: number) => `indices[${i}]`, how: HOW_TO_SEED };

interface Planned {
  input: Sample;
  ops: Op[];
  out: Meta;
  /** The sample around the image, with its targets already moved (null for a bare image). */
  split: Split | null;
  targets: Split["state"];
}

/** Draws every image's params and checks its ops, as Transform.apply does, before any pixel work; targets move on the host. */
function plan(t: BatchPipeline, images: readonly unknown[], opts: BatchOptions): Planned[] {
  const ctxs = resolveContexts(t, opts, images.length, opts.indices, BATCH_INDEX);
  return images.map((raw, i) => {
    // A sample (an array, or an object without pixel data) brings targets; anything else is
    // an image. Either way what follows uses the checked snapshot, never `raw` again.
    const structured = Array.isArray(raw) || (typeof raw === "object" && raw !== null && !("data" in raw));
    const split = structured ? splitSample(raw) : null;
    const input: Sample = split ? split.image : checkSample(raw, `images[${i}]`);
    const meta = metaOf(input);
    const params = t.makeParams(ctxs[i]!, meta, split?.state && t.needsTargets ? withoutMasks(split.state) : undefined);
    const ops = t.ops(params, meta, t.semantics);
    let m = meta;
    for (const op of ops) {
      checkOp(op, t.type);
      m = opMeta(op, m);
    }
    const targets = split?.state ? t.mapTargets(params, meta, split.state, t.semantics) : null;
    return { input, ops, out: m, split, targets };
  });
}

/** The structured outputs, when any input was a sample. */
function samplesOf(planned: Planned[], output: Tensor | Image[]): unknown[] | undefined {
  if (!planned.some((p) => p.split)) return undefined;
  return planned.map((p, i) => {
    let image: Sample;
    if (Array.isArray(output)) image = output[i]!;
    else {
      const [n, ...shape] = output.shape;
      const size = output.data.length / n!;
      image = { shape, data: output.data.subarray(i * size, (i + 1) * size) };
    }
    return p.split ? p.split.rebuild(image, p.targets) : image;
  });
}

/** Where each sample's result goes, and the batch result built from it. */
interface Layout {
  /** The destination of sample i's bytes (exactly its output's length). */
  target(i: number): Uint8Array | Float32Array;
  result(): Tensor | Image[];
}

function layout(planned: Planned[], out: BatchOptions["out"]): Layout {
  const first = planned[0]!.out;
  if (first.kind === "tensor") {
    const shape = first.shape;
    planned.forEach((p, i) => {
      if (p.out.kind !== "tensor")
        throw new TypeError(`images[${i}]'s result is an image but images[0]'s is a tensor: a batch needs one kind of output`);
      if (p.out.shape.join() !== shape.join()) {
        throw new RangeError(
          `images[${i}]'s result has shape [${p.out.shape.join(", ")}] but images[0]'s has [${shape.join(", ")}]: an NCHW batch needs one shape (end the pipeline with a fixed-size crop or resize)`,
        );
      }
    });
    const size = shape.reduce((a, b) => a * b, 1);
    const n = size * planned.length;
    if (out !== undefined && !(out instanceof Float32Array))
      throw new TypeError(`out must be a Float32Array of length ${n} for this tensor batch, got ${describe(out)}`);
    if (out && out.length !== n)
      throw new RangeError(`out has length ${out.length}, but this batch needs ${n} (${planned.length} x ${shape.join(" x ")})`);
    const data = out ?? new Float32Array(n);
    return { target: (i) => data.subarray(i * size, (i + 1) * size), result: () => ({ shape: [planned.length, ...shape], data }) };
  }
  const metas = planned.map((p, i) => {
    if (p.out.kind !== "image")
      throw new TypeError(`images[${i}]'s result is a tensor but images[0]'s is an image: a batch needs one kind of output`);
    return p.out;
  });
  const sizes = metas.map((m) => m.width * m.height * m.channels);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (out !== undefined && !(out instanceof Uint8Array))
    throw new TypeError(`out must be a Uint8Array of length ${total} for this image batch, got ${describe(out)}`);
  if (out && out.length !== total) throw new RangeError(`out has length ${out.length}, but this batch's images need ${total} bytes`);
  const starts: number[] = [];
  sizes.reduce((a, s) => (starts.push(a), a + s), 0);
  const datas = sizes.map((s, i) => (out ? out.subarray(starts[i]!, starts[i]! + s) : new Uint8Array(s)));
  return {
    target: (i) => datas[i]!,
    result: () => metas.map((m, i) => ({ width: m.width, height: m.height, channels: m.channels, data: datas[i]! })),
  };
}

function runWasm(planned: Planned[], lay: Layout): void {
  planned.forEach((p, i) => {
    execute(p.input, p.ops, lay.target(i));
  });
}

function bytesOf(a: Uint8Array | Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Lowers every sample for the GPU, or returns why it cannot run there. */
function lowerAll(planned: Planned[]): { lowered: Lowered[] } | { why: string } {
  const lowered: Lowered[] = [];
  for (let i = 0; i < planned.length; i++) {
    const p = planned[i]!;
    try {
      lowered.push(lower(metaOf(p.input), p.ops));
    } catch (e) {
      if (e instanceof GpuUnsupported) return { why: `images[${i}]: ${e.message}` };
      throw e;
    }
  }
  return { lowered };
}

/** The first pass of the batch whose shader is much slower than wasm on a software adapter, described; null when none is. */
function slowPass(lowered: readonly Lowered[]): string | null {
  for (let i = 0; i < lowered.length; i++) {
    for (const job of lowered[i]!.jobs) {
      const why = slowOnSoftware(job.shader);
      if (why) return `images[${i}]: ${job.op ? `the ${JSON.stringify(job.op)} op` : "a tensor copy"} ${why}`;
    }
  }
  return null;
}

/**
 * Runs `pipeline` on every image, drawing the params of image i from (seed, epoch,
 * indices[i]) (or the generator's next key), as `apply` would. On "webgpu" all images go to
 * the GPU in one submission (split only to fit the device's limits); the bytes equal the
 * wasm backend's. "auto" uses WebGPU when an adapter exists and every op has a shader (on a
 * software adapter, a shader that is not much slower than wasm there), and says which it used. Rejects, with nothing written to the result, on a lost device.
 */
export async function applyBatch(pipeline: BatchPipeline, images: readonly unknown[], opts: BatchOptions = {}): Promise<BatchResult> {
  if (typeof opts !== "object" || opts === null) throw new TypeError(`options must be an object, got ${describe(opts)}`);
  const backend = checkBackend(opts.backend ?? "wasm");
  if (!Array.isArray(images)) throw new TypeError(`images must be an array of images, got ${describe(images)}`);
  if (images.length === 0) throw new RangeError("images must not be empty");
  if (opts.maxChunkBytes !== undefined && !(typeof opts.maxChunkBytes === "number" && opts.maxChunkBytes >= 4))
    throw new RangeError(`maxChunkBytes must be a number >= 4, got ${describe(opts.maxChunkBytes)}`);
  const planned = plan(pipeline, images, opts);
  const lay = layout(planned, opts.out);
  const finish = (r: BatchResult): BatchResult => {
    const samples = samplesOf(planned, r.output);
    return samples ? { ...r, samples } : r;
  };
  const wasm = (fallback?: string): BatchResult => {
    runWasm(planned, lay);
    return finish(fallback === undefined ? { output: lay.result(), backend: "wasm" } : { output: lay.result(), backend: "wasm", fallback });
  };
  if (backend === "wasm") return wasm();
  const refuse = (why: string): BatchResult => {
    if (backend === "auto") return wasm(why);
    throw new Error(`lockstep: backend "webgpu" cannot run this batch: ${why}. Use backend "auto" to fall back to wasm.`);
  };
  const low = lowerAll(planned);
  if ("why" in low) return refuse(low.why);
  let gpu;
  try {
    gpu = await gpuBackend();
  } catch (e) {
    return refuse(`opening the WebGPU device failed (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!gpu) return refuse(`no WebGPU adapter was found (${noAdapterAdvice()})`);
  if (backend === "auto" && gpu.software) {
    const slow = slowPass(low.lowered);
    if (slow) return wasm(`${slow} (backend "webgpu" runs it on the GPU anyway)`);
  }
  const items = planned.map((p, i) => ({ image: p.input, lowered: low.lowered[i]! }));
  let submissions: number;
  try {
    ({ submissions } = await runOnGpu(gpu, items, (i, bytes) => bytesOf(lay.target(i)).set(bytes), { maxChunkBytes: opts.maxChunkBytes }));
  } catch (e) {
    if (e instanceof GpuTooLarge) return refuse(e.message);
    throw e;
  }
  return finish({ output: lay.result(), backend: "webgpu", adapter: gpu.adapter, submissions });
}

installBatch(applyBatch);

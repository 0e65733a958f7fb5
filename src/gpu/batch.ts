// Batches: a pipeline over many images in one call, on the wasm kernel or on WebGPU, with the
// same bytes either way. Parameters are drawn once, on the host, exactly as `apply` draws
// them; only the pixel work moves.
import { checkSample, describe, metaOf, type Image, type Meta, type Tensor } from "../image.js";
import { addressOf, isKernelImage, kernelMeta, type KernelImage } from "../kernel/image.js";
import { resolveContexts } from "../ir/context.js";
import {
  installBatch,
  type Backend,
  type BatchMix,
  type BatchOptions,
  type BatchPipeline,
  type BatchResult,
  type GpuBatchResult,
} from "../ir/batch.js";
import { execute, type Sample } from "../ir/execute.js";
import { checkOp, opMeta, type Op } from "../ir/ops.js";
import { deviceBackend, gpuBackend, type GpuBackend } from "./device.js";
import { mixStep } from "./mix.js";
import { BufferUsage, type GpuBuffer, type GpuDevice } from "./types.js";
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
  /** The checked snapshot, or a KernelImage (read in place by the wasm backend). */
  input: Sample | KernelImage;
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
    // A KernelImage is a bare image, checked usable now. A sample (an array, or an object
    // without pixel data) brings targets; anything else is an image. Either way what follows
    // uses the checked snapshot, never `raw` again.
    const kept = isKernelImage(raw);
    if (kept) addressOf(raw, `images[${i}]`);
    const structured = !kept && (Array.isArray(raw) || (typeof raw === "object" && raw !== null && !("data" in raw)));
    const split = structured ? splitSample(raw) : null;
    const input = kept ? raw : split ? split.image : checkSample(raw, `images[${i}]`);
    const meta = kept ? kernelMeta(raw) : metaOf(input as Sample);
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

/** The per-sample shape of a tensor batch; throws when the outputs are images or differ in shape. */
function tensorShape(planned: Planned[]): number[] | null {
  const first = planned[0]!.out;
  if (first.kind !== "tensor") return null;
  planned.forEach((p, i) => {
    if (p.out.kind !== "tensor")
      throw new TypeError(`images[${i}]'s result is an image but images[0]'s is a tensor: a batch needs one kind of output`);
    if (p.out.shape.join() !== first.shape.join()) {
      throw new RangeError(
        `images[${i}]'s result has shape [${p.out.shape.join(", ")}] but images[0]'s has [${first.shape.join(", ")}]: an NCHW batch needs one shape (end the pipeline with a fixed-size crop or resize)`,
      );
    }
  });
  return first.shape;
}

function layout(planned: Planned[], out: BatchOptions["out"]): Layout {
  const shape = tensorShape(planned);
  if (shape) {
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
      lowered.push(lower(metaOf(p.input as Sample), p.ops));
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

/** Checks BatchOptions.mix against the batch: the transform, and an NCHW result to mix. */
function checkMix(mix: unknown, shape: number[] | null): BatchMix {
  const m = mix as BatchMix;
  if (typeof m !== "object" || m === null || typeof m.transform?.mixLabels !== "function")
    throw new TypeError(`mix must be { transform: a MixUp or CutMix, labels, batch? }, got ${describe(mix)}`);
  if (!shape || shape.length !== 3)
    throw new TypeError(
      `mix (${m.transform.type}) needs a batch of CHW tensors (end the pipeline with ToTensor or Normalize), got ${shape ? `[${shape.join(", ")}] tensors` : "images"}`,
    );
  return m;
}

/** Creates the caller's output buffer on `device`, or throws a clear error. */
async function outputBuffer(device: GpuDevice, bytes: number): Promise<GpuBuffer> {
  const size = Math.max(4, Math.ceil(bytes / 4) * 4);
  if (size > device.limits.maxBufferSize)
    throw new RangeError(
      `output "gpu": the batch needs a ${size}-byte GPUBuffer, over this device's maxBufferSize (${device.limits.maxBufferSize}): use smaller batches`,
    );
  device.pushErrorScope("out-of-memory");
  const buffer = device.createBuffer({
    size,
    usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
    label: "lockstep batch",
  });
  const oom = await device.popErrorScope();
  if (oom) {
    buffer.destroy();
    throw new Error(`lockstep: output "gpu": the device has no memory for the batch's ${size}-byte buffer (${oom.message})`);
  }
  return buffer;
}

/** The caller's device (BatchOptions.device), checked. */
function checkDevice(d: unknown): GpuDevice {
  const dev = d as GpuDevice;
  if (typeof dev !== "object" || dev === null || typeof dev.createBuffer !== "function" || typeof dev.queue !== "object")
    throw new TypeError(`device must be a GPUDevice, got ${describe(d)}`);
  return dev;
}

/**
 * Runs `pipeline` on every image, drawing the params of image i from (seed, epoch,
 * indices[i]) (or the generator's next key), as `apply` would. On "webgpu" all images go to
 * the GPU in one submission (split only to fit the device's limits); the bytes equal the
 * wasm backend's. "auto" uses WebGPU when an adapter exists and every op has a shader (on a
 * software adapter, a shader that is not much slower than wasm there), and says which it used. Rejects, with nothing written to the result, on a lost device.
 * With output "gpu" the NCHW float32 batch stays on the device (GpuBatchResult); with `mix`
 * MixUp or CutMix mixes the batch (on the GPU when the batch runs there).
 */
export function applyBatch(
  pipeline: BatchPipeline,
  images: readonly unknown[],
  opts: BatchOptions & { output: "gpu" },
): Promise<GpuBatchResult>;
export function applyBatch(pipeline: BatchPipeline, images: readonly unknown[], opts?: BatchOptions): Promise<BatchResult>;
export async function applyBatch(
  pipeline: BatchPipeline,
  images: readonly unknown[],
  opts: BatchOptions = {},
): Promise<BatchResult | GpuBatchResult> {
  if (typeof opts !== "object" || opts === null) throw new TypeError(`options must be an object, got ${describe(opts)}`);
  const backend = checkBackend(opts.backend ?? "wasm");
  if (!Array.isArray(images)) throw new TypeError(`images must be an array of images, got ${describe(images)}`);
  if (images.length === 0) throw new RangeError("images must not be empty");
  if (opts.maxChunkBytes !== undefined && !(typeof opts.maxChunkBytes === "number" && opts.maxChunkBytes >= 4))
    throw new RangeError(`maxChunkBytes must be a number >= 4, got ${describe(opts.maxChunkBytes)}`);
  const output = opts.output ?? "host";
  if (output !== "host" && output !== "gpu") throw new RangeError(`output must be "host" or "gpu", got ${describe(output)}`);
  const onGpu = output === "gpu";
  if (onGpu && backend !== "webgpu")
    throw new TypeError(
      `output "gpu" needs backend "webgpu" (got ${JSON.stringify(backend)}): the batch must be computed on the device it stays on`,
    );
  if (onGpu && opts.out !== undefined)
    throw new TypeError('out and output "gpu" exclude each other: a GPU batch is never copied to the host');
  const device = opts.device === undefined ? undefined : checkDevice(opts.device);
  if (device && backend === "wasm") throw new TypeError('device is for backend "webgpu" or "auto"; backend "wasm" never uses a GPU');
  const planned = plan(pipeline, images, opts);
  const mix = opts.mix === undefined ? undefined : checkMix(opts.mix, tensorShape(planned));
  const mixRandom = () =>
    opts.generator !== undefined
      ? { generator: opts.generator }
      : { seed: opts.seed as number | bigint, epoch: opts.epoch ?? 0, batch: mix!.batch ?? 0 };
  if (onGpu) {
    if (planned.some((p) => p.split)) throw new TypeError('output "gpu" takes images, not samples with targets');
    if (!tensorShape(planned))
      throw new TypeError('output "gpu" needs a pipeline that ends in a tensor (ToTensor, Normalize): a GPU batch is NCHW float32');
  }
  const lay = onGpu ? null : layout(planned, opts.out);
  /** MixUp / CutMix's params and labels once drawn (for the GPU). */
  let drawn: { params: { [k: string]: unknown }; labels: Tensor } | null = null;
  const finish = (r: BatchResult): BatchResult => {
    const samples = samplesOf(planned, r.output);
    return samples ? { ...r, samples } : r;
  };
  const wasm = (fallback?: string): BatchResult => {
    runWasm(planned, lay!);
    const out = lay!.result();
    let mixed: BatchResult["mix"];
    if (mix) {
      const t = out as Tensor;
      if (drawn) {
        // Drawn already (the GPU refused the batch after): the same params, not a second draw.
        t.data.set(mix.transform.replay({ images: t, labels: mix.labels }, { params: drawn.params }).images.data);
        mixed = { type: mix.transform.type, params: drawn.params, labels: drawn.labels, on: "wasm" };
      } else {
        const { output: o, record } = mix.transform.applyWithRecord({ images: t, labels: mix.labels }, mixRandom());
        t.data.set(o.images.data);
        mixed = { type: mix.transform.type, params: record.params, labels: o.labels, on: "wasm" };
      }
    }
    const r: BatchResult = { output: out, backend: "wasm" };
    if (fallback !== undefined) r.fallback = fallback;
    if (mixed) r.mix = mixed;
    return finish(r);
  };
  if (backend === "wasm") return wasm();
  // The GPU path awaits before it reads the inputs: kernel images are copied out now, while the
  // caller cannot have disposed them (the same bytes; wasm fallbacks read the copies too).
  for (const p of planned) if (isKernelImage(p.input)) p.input = p.input.toImage();
  const refuse = (why: string): BatchResult => {
    if (backend === "auto") return wasm(why);
    throw new Error(`lockstep: backend "webgpu" cannot run this batch: ${why}. Use backend "auto" to fall back to wasm.`);
  };
  const low = lowerAll(planned);
  if ("why" in low) return refuse(low.why);
  let gpu: GpuBackend | null;
  try {
    gpu = device ? await deviceBackend(device) : await gpuBackend();
  } catch (e) {
    return refuse(`opening the WebGPU device failed (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!gpu) return refuse(`no WebGPU adapter was found (${noAdapterAdvice()})`);
  // A Lambda splits the batch into GPU segments with a readback and an upload around the host
  // step: "auto" keeps such batches on wasm (one pass over host memory); "webgpu" runs them.
  const host = low.lowered.findIndex((l) => l.hosts.length > 0);
  if (backend === "auto" && host >= 0)
    return wasm(`images[${host}]: the "lambda" op runs on the host between GPU segments (backend "webgpu" runs the batch that way)`);
  if (backend === "auto" && gpu.software) {
    const slow = slowPass(low.lowered);
    if (slow) return wasm(`${slow} (backend "webgpu" runs it on the GPU anyway)`);
    if (mix)
      return wasm(
        `${mix.transform.type} runs as a soft-float register-machine program, much slower than wasm on a software adapter (backend "webgpu" runs it on the GPU anyway)`,
      );
  }
  const items = planned.map((p, i) => ({ image: p.input as Sample, lowered: low.lowered[i]! }));
  const shape = tensorShape(planned);
  const batchShape = shape ? [planned.length, ...shape] : null;
  // MixUp / CutMix: params and labels on the host (before any pixel work), the pixels on the GPU.
  if (mix) drawn = mix.transform.mixLabels({ batchSize: planned.length, height: shape![1]!, width: shape![2]! }, mix.labels, mixRandom());
  const mixed = mix && drawn ? { ...drawn, type: mix.transform.type } : null;
  const step = mixed ? mixStep(mixed.type, mixed.params, batchShape!) : undefined;
  const target = onGpu ? await outputBuffer(gpu.device, batchShape!.reduce((a, b) => a * b, 1) * 4) : undefined;
  let run: { submissions: number; stepped: boolean };
  try {
    run = await runOnGpu(gpu, items, (i, bytes) => bytesOf(lay!.target(i)).set(bytes), { maxChunkBytes: opts.maxChunkBytes, target, step });
    if (target && step && !run.stepped)
      throw new GpuTooLarge(
        `${mixed!.type} on a GPU batch needs the whole batch in one submission, over this device's buffer limit: use smaller batches`,
      );
  } catch (e) {
    target?.destroy();
    if (e instanceof GpuTooLarge) return refuse(e.message);
    throw e;
  }
  const mixOut = (on: "wasm" | "webgpu") => (mixed ? { mix: { type: mixed.type, params: mixed.params, labels: mixed.labels, on } } : {});
  if (target) {
    const byteLength = batchShape!.reduce((a, b) => a * b, 1) * 4;
    return {
      output: { buffer: target, device: gpu.device, shape: batchShape!, dtype: "float32", byteLength },
      backend: "webgpu",
      adapter: gpu.adapter,
      submissions: run.submissions,
      ...mixOut("webgpu"),
    };
  }
  const result = lay!.result();
  if (step && !run.stepped) {
    // The batch took several submissions: mix its host copy with the same params (the kernel).
    const t = result as Tensor;
    const o = mix!.transform.replay({ images: t, labels: mix!.labels }, { params: mixed!.params });
    t.data.set(o.images.data);
  }
  return finish({
    output: result,
    backend: "webgpu",
    adapter: gpu.adapter,
    submissions: run.submissions,
    ...mixOut(step && !run.stepped ? "wasm" : "webgpu"),
  });
}

installBatch(applyBatch);

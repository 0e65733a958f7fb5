// Lowers a sample's ops to GPU passes: execute.ts's own steps (the same fusion, the same
// ResamplePlans), each turned into passes by the op family that registered it
// (src/gpu/ops/), or an error saying why the GPU cannot run it.
//
// A sample owns buffers in the pool (buffer 0 is its input), tables in the table buffer
// (the kernel's: weights, indices, programs), and passes run in order (`layer`). A pass is a
// job of one shader: a record of words that may name buffers and tables, resolved when the
// batch is laid out. Host steps (Lambda: user JavaScript) split the passes into segments;
// the runner reads the step's input back between segments.
import { metaOf, type Channels, type Image, type Meta, type Tensor } from "../image.js";
import type { Op, OpArgs } from "../ir/ops.js";
import { lower as lowerSteps, type Sample } from "../ir/execute.js";
import type { ResamplePlan } from "../functional/resample.js";

/** The image flowing between stages: its size only (the bytes live on the GPU). */
export interface ImageShape {
  width: number;
  height: number;
  channels: Channels;
}

/** Where buffers and tables landed, for a record's words. */
export interface Addr {
  /** Byte address of buffer `buf` in the pool (4-aligned). */
  pool(buf: number): number;
  /** Word address of table `t` in the table buffer. */
  tab(t: number): number;
}

/** One pass of one sample: a job record for `shader`. */
export interface Job {
  shader: string;
  /** The op whose lowering made the pass ("" for the core steps: resampling, windows, copies). */
  op: string;
  /** Order within the sample (and segment): passes of one layer run before the next. */
  layer: number;
  segment: number;
  /** Invocations' items (the shader's grid-stride loop runs over them). */
  count: number;
  /** The record (at most REC words). */
  words(addr: Addr): ArrayLike<number>;
}

/** A step the host runs between GPU segments (a Lambda), reading `src` and writing `dst`. */
export interface HostStep {
  segment: number;
  src: number;
  srcMeta: Meta;
  dst: number;
  dstMeta: Meta;
  run(x: Sample): Sample;
}

/** Thrown (and caught by the backend selection) when an op has no GPU shader yet. */
export class GpuUnsupported extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GpuUnsupported";
  }
}

/** Words of a job record. */
export const REC = 32;

/** Bytes of a u8 image on the GPU: shaders write four pixels (c whole words) at a time. */
export const u8Bytes = (pixels: number, c: number): number => Math.ceil(pixels / 4) * 4 * c;

/** Up to four bytes packed into one record word, the first lowest: a fill colour, a channel permutation. */
export function packBytes(bytes: ArrayLike<number>): number {
  let v = 0;
  for (let i = 0; i < bytes.length; i++) v |= bytes[i]! << (8 * i);
  return v >>> 0;
}

/** Bytes of a sample of `meta` on the GPU. */
export function sampleBytes(meta: Meta): number {
  if (meta.kind === "tensor") return meta.shape.reduce((a, b) => a * b, 1) * 4;
  return u8Bytes(meta.width * meta.height, meta.channels);
}

/** Builds one sample's buffers, tables and passes. */
export class SampleBuilder {
  readonly bufs: { bytes: number; zero: boolean }[] = [];
  readonly tables: Uint32Array[] = [];
  readonly jobs: Job[] = [];
  readonly hosts: HostStep[] = [];
  private layer = 0;
  private segment = 0;
  /** The op being lowered (lowerInto sets it): passes remember it. */
  op = "";

  constructor(readonly input: Meta) {
    this.bufs.push({ bytes: Math.max(4, sampleBytes(input)), zero: false });
  }

  /** A new buffer of `bytes` (rounded up to words); `zero`: cleared before the first pass. */
  buffer(bytes: number, zero = false): number {
    return this.bufs.push({ bytes: Math.max(4, Math.ceil(bytes / 4) * 4), zero }) - 1;
  }

  /** A buffer for a sample of `meta`. */
  sample(meta: Meta): number {
    return this.buffer(sampleBytes(meta));
  }

  /** A table (the same array in several samples is uploaded once). */
  table(words: Uint32Array): number {
    const i = this.tables.indexOf(words);
    return i >= 0 ? i : this.tables.push(words) - 1;
  }

  /** Appends a pass after every pass so far. */
  pass(shader: string, count: number, words: (addr: Addr) => ArrayLike<number>): void {
    this.jobs.push({ shader, op: this.op, layer: this.layer++, segment: this.segment, count, words });
  }

  /** Appends a host step: the runner reads `src` back, runs `run`, and uploads the result to a new buffer. */
  host(src: number, srcMeta: Meta, dstMeta: Meta, run: (x: Sample) => Sample): number {
    const dst = this.sample(dstMeta);
    this.hosts.push({ segment: this.segment, src, srcMeta, dst, dstMeta, run });
    this.segment++;
    this.layer = 0;
    return dst;
  }

  get segments(): number {
    return this.segment + 1;
  }
}

/** How an op family lowers its op: passes reading `src` (a buffer of `from`), returning the buffer holding the result (of `to`). */
export interface GpuOp<A extends OpArgs = OpArgs> {
  lower(b: SampleBuilder, src: number, args: A, from: Meta, to: Meta): number;
}

const gpuOps = new Map<string, GpuOp>();

/** Registers the GPU lowering of the op `name` (the name its transforms emit with defineOp). */
export function defineGpuOp<A extends OpArgs>(name: string, op: GpuOp<A>): void {
  if (gpuOps.has(name)) throw new Error(`lockstep: the GPU op ${name} is already defined`);
  gpuOps.set(name, op as unknown as GpuOp);
}

/** The op names with a registered GPU lowering (the coverage tests: none of them may fall back). */
export function gpuOpNames(): string[] {
  return [...gpuOps.keys()];
}

/** The core steps (fused resampler passes, windows, standalone Normalize), registered by src/gpu/ops/geometry.ts and tensor.ts. */
export interface CoreSteps {
  resample(b: SampleBuilder, src: number, plan: ResamplePlan, from: ImageShape): number;
  window(b: SampleBuilder, src: number, op: Extract<Op, { op: "window" }>, from: ImageShape): number;
  normalize(b: SampleBuilder, src: number, op: Extract<Op, { op: "normalize" }>, from: Meta): number;
  /** A copy of the sample (when no op changes it). */
  copy(b: SampleBuilder, src: number, meta: Meta): number;
}

let core: CoreSteps | null = null;

export function defineCoreSteps(steps: CoreSteps): void {
  core = steps;
}

function describeOp(op: Op, on: Meta): string {
  if (op.op === "call") return `the ${JSON.stringify(op.name)} op`;
  return `a standalone ${op.op} op${on.kind === "tensor" ? " on a tensor" : ""}`;
}

const imageShape = (m: Meta): ImageShape => {
  if (m.kind !== "image") throw new GpuUnsupported("an image step got a tensor");
  return { width: m.width, height: m.height, channels: m.channels };
};

/** Lowers `ops` on the sample in buffer `src` (of `meta`): the buffer and meta of the result (possibly `src` itself when nothing runs). */
export function lowerInto(b: SampleBuilder, src: number, meta: Meta, ops: readonly Op[]): { buf: number; meta: Meta } {
  if (!core) throw new Error("lockstep: the GPU core steps are not registered (import src/gpu/ops)");
  const { steps, metas } = lowerSteps(meta, ops);
  let buf = src;
  steps.forEach((step, i) => {
    const from = metas[i]!;
    const to = metas[i + 1]!;
    if (step.kind === "resample") {
      buf = core!.resample(b, buf, step.plan, imageShape(from));
      return;
    }
    const op = step.op;
    if (op.op === "window" && from.kind === "image") buf = core!.window(b, buf, op, imageShape(from));
    else if (op.op === "normalize" && from.kind === "tensor") {
      b.op = "normalize";
      buf = core!.normalize(b, buf, op, from);
      b.op = "";
    } else if (op.op === "call" && gpuOps.has(op.name)) {
      b.op = op.name;
      buf = gpuOps.get(op.name)!.lower(b, buf, op.args, from, to);
      b.op = "";
    } else throw new GpuUnsupported(`${describeOp(op, from)} has no WebGPU shader yet`);
  });
  return { buf, meta: metas[metas.length - 1]! };
}

/** A sample lowered for the GPU: its buffers, tables, passes and host steps. */
export interface Lowered {
  input: Meta;
  out: Meta;
  /** The buffer holding the result (never the input buffer). */
  outBuf: number;
  bufs: { bytes: number; zero: boolean }[];
  tables: Uint32Array[];
  jobs: Job[];
  hosts: HostStep[];
  segments: number;
}

/** The GPU passes for `ops` on a sample of `input` (an Image or Tensor, or its meta). */
export function lower(input: ImageShape | Meta | Image | Tensor, ops: readonly Op[]): Lowered {
  const meta: Meta =
    "kind" in input ? input : "data" in input ? metaOf(input as Image | Tensor) : { kind: "image", ...(input as ImageShape) };
  const b = new SampleBuilder(meta);
  let { buf, meta: out } = lowerInto(b, 0, meta, ops);
  if (buf === 0) {
    // No pixel work: the output is a copy of the input.
    buf = core!.copy(b, 0, meta);
    out = meta;
  }
  return { input: meta, out, outBuf: buf, bufs: b.bufs, tables: b.tables, jobs: b.jobs, hosts: b.hosts, segments: b.segments };
}

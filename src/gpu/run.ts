// Runs lowered samples on the GPU: every pass of every sample of a chunk is recorded in one
// command buffer and submitted once (one submission per segment when a Lambda splits the
// pipeline: its input is read back, the host runs it, the result goes back up). Passes are
// grouped by depth and shader, so a batch of the training recipe is one or two dispatches
// whatever its size. A batch whose buffers would pass the device's limits
// (maxStorageBufferBindingSize, maxBufferSize, workgroup counts) is split into chunks; a
// chunk that runs out of GPU memory is split further.
import { isTensor, type Image, type Meta, type Tensor } from "../image.js";
import type { Sample } from "../ir/execute.js";
import { checkAlive, GpuDeviceLostError, pipelineFor, runAfterSubmit, type GpuBackend } from "./device.js";
import { REC, type Addr, type Job, type Lowered } from "./plan.js";
import { MAP_READ, type GpuBuffer, type GpuComputePipeline, type GpuDevice } from "./types.js";
import "./ops/index.js";

const WORKGROUP = 64;
/**
 * Workgroups one job may get in a dispatch (larger jobs loop): many on a GPU, few on a
 * software adapter, where each workgroup costs a task of its own.
 */
const GROUPS_PER_JOB = { gpu: 4096, software: 8 };

/** One sample through the GPU: its pixels (an image, or a tensor) and its lowered passes. */
export interface GpuItem {
  image: Sample;
  lowered: Lowered;
}

/** Receives sample i's output bytes (a view, valid only during the call). */
export type Sink = (i: number, bytes: Uint8Array) => void;

/**
 * A pass over the whole batch's outputs after every sample's passes (MixUp, CutMix): a
 * register-machine program (src/gpu/vm.ts) run once per f32 element, one word each, reading
 * the outputs (packed one after the other from byte `src`) and writing the batch again at `dst`.
 */
export interface BatchStep {
  program: Uint32Array;
  /** The program's params (record words 6..), given where the outputs are and where the result goes. */
  params(src: number, dst: number): number[];
}

/** Options of {@link runOnGpu}. */
export interface RunOptions {
  maxChunkBytes?: number;
  /**
   * Leave the outputs on the device: each chunk's outputs are copied into `target` (sample i
   * at the byte offset of the outputs before it) and `sink` is never called. For tensors only
   * (their outputs have no padding).
   */
  target?: GpuBuffer;
  /** Runs after the batch, when it fits one chunk (then `stepped` is true). */
  step?: BatchStep;
}

/** Thrown when one sample alone needs more than the device allows. */
export class GpuTooLarge extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GpuTooLarge";
  }
}

class OutOfMemory extends Error {}

function poolBytes(l: Lowered): number {
  return l.bufs.reduce((a, b) => a + b.bytes, 0);
}

function tabWords(l: Lowered): number {
  return l.tables.reduce((a, t) => a + t.length, 0) + l.jobs.length * (REC + 1);
}

function inputBytes(x: Sample): Uint8Array {
  const d = isTensor(x) ? (x as Tensor).data : (x as Image).data;
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

/** The output's exact byte length (without the word padding). */
function exactBytes(m: Meta): number {
  if (m.kind === "tensor") return m.shape.reduce((a, b) => a * b, 1) * 4;
  return m.width * m.height * m.channels;
}

/** Runs `items` on the backend, calling `sink` once per sample; rejects without calling it for a failed chunk. */
export async function runOnGpu(
  backend: GpuBackend,
  items: readonly GpuItem[],
  sink: Sink,
  opts: RunOptions = {},
): Promise<{ submissions: number; stepped: boolean }> {
  const budget = Math.min(backend.budget, opts.maxChunkBytes ?? Infinity);
  items.forEach((it, i) => {
    const p = poolBytes(it.lowered);
    const t = tabWords(it.lowered) * 4;
    if (p > budget || t > budget) {
      throw new GpuTooLarge(
        `lockstep: sample ${i} needs ${mib(Math.max(p, t))} of GPU buffers, over this device's limit of ${mib(budget)} (maxStorageBufferBindingSize / maxBufferSize)`,
      );
    }
  });
  // Serialise runs on this backend: they share its buffers.
  const run = backend.tail.then(async () => {
    let submissions = 0;
    let stepped = false;
    let start = 0;
    let cap = items.length; // samples per chunk, lowered after an out-of-memory
    while (start < items.length) {
      let end = start;
      let pool = 0;
      let tab = 0;
      while (
        end < items.length &&
        end - start < cap &&
        pool + poolBytes(items[end]!.lowered) <= budget &&
        (tab + tabWords(items[end]!.lowered)) * 4 <= budget
      ) {
        pool += poolBytes(items[end]!.lowered);
        tab += tabWords(items[end]!.lowered);
        end++;
      }
      try {
        const whole = start === 0 && end === items.length;
        // Bytes of the outputs before this chunk: where its outputs go in `target`.
        let base = 0;
        for (let i = 0; i < start; i++) base += exactBytes(items[i]!.lowered.out);
        submissions += await runChunk(backend, items, start, end, sink, { target: opts.target, base, step: whole ? opts.step : undefined });
        stepped ||= whole && opts.step !== undefined;
        start = end;
      } catch (e) {
        if (!(e instanceof OutOfMemory)) throw e;
        for (const buf of Object.values(backend.buffers)) buf.drop();
        if (!backend.exactBuffers) {
          backend.exactBuffers = true; // first, retry without headroom
          continue;
        }
        if (end - start === 1) throw new Error(`lockstep: the GPU ran out of memory on sample ${start} alone (${e.message})`);
        cap = Math.max(1, Math.floor((end - start) / 2));
      }
    }
    return { submissions, stepped };
  });
  backend.tail = run.catch(() => undefined);
  return run;
}

function mib(bytes: number): string {
  return bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${bytes} bytes`;
}

async function popScopes(device: GpuDevice): Promise<void> {
  const validation = await device.popErrorScope();
  const oom = await device.popErrorScope();
  if (oom) throw new OutOfMemory(oom.message);
  if (validation) throw new Error(`lockstep: WebGPU validation error (a bug in lockstep; please report it): ${validation.message}`);
}

/** Maps `staging` for reading, failing with the device-lost error when the device goes. */
async function mapRead(b: GpuBackend, staging: GpuBuffer, bytes: number): Promise<void> {
  checkAlive(b);
  const lost = b.lost.then((info) => {
    throw new GpuDeviceLostError(info.reason, info.message);
  });
  lost.catch(() => undefined);
  try {
    await Promise.race([staging.mapAsync(MAP_READ, 0, bytes), lost]);
  } catch (e) {
    if (e instanceof GpuDeviceLostError) throw e;
    // A map aborted by a lost device may reject before `lost` resolves: give it a moment.
    const info = await Promise.race([b.lost, new Promise<null>((r) => setTimeout(() => r(null), 1000))]);
    if (info) throw new GpuDeviceLostError(info.reason, info.message);
    throw new Error(`lockstep: reading the WebGPU result back failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Runs samples [start, end) as one chunk; returns the submissions made. */
async function runChunk(
  b: GpuBackend,
  items: readonly GpuItem[],
  start: number,
  end: number,
  sink: Sink,
  opts: { target?: GpuBuffer; base: number; step?: BatchStep },
): Promise<number> {
  checkAlive(b);
  const device = b.device;
  const samples = items.slice(start, end).map((it) => it.lowered);
  // Pool layout: every output first (one copy reads them back), then inputs, then the
  // buffers to clear (one clear), then the rest.
  const at: number[][] = samples.map((l) => new Array<number>(l.bufs.length));
  let top = 0;
  samples.forEach((l, i) => {
    at[i]![l.outBuf] = top;
    top += l.bufs[l.outBuf]!.bytes;
  });
  const outBytes = top;
  const inputsAt = top;
  samples.forEach((l, i) => {
    at[i]![0] = top;
    top += l.bufs[0]!.bytes;
  });
  const inputBytesTotal = top - inputsAt;
  const zeroAt = top;
  samples.forEach((l, i) => {
    l.bufs.forEach((buf, k) => {
      if (buf.zero && k !== 0 && k !== l.outBuf) {
        at[i]![k] = top;
        top += buf.bytes;
      }
    });
  });
  const zeroBytes = top - zeroAt;
  samples.forEach((l, i) => {
    l.bufs.forEach((buf, k) => {
      if (at[i]![k] === undefined) {
        at[i]![k] = top;
        top += buf.bytes;
      }
    });
  });
  // The batch step's result, after everything (it reads the outputs, packed at 0).
  const stepAt = top;
  if (opts.step) top += outBytes;
  const resultAt = opts.step ? stepAt : 0;
  const poolSize = Math.max(top, 4);
  // Tables first (an array shared by samples once), then the records.
  const placed = new Map<Uint32Array, number>();
  let words = 0;
  if (opts.step) {
    placed.set(opts.step.program, 0);
    words = opts.step.program.length;
  }
  const tabAt = samples.map((l) =>
    l.tables.map((t) => {
      let w = placed.get(t);
      if (w === undefined) {
        placed.set(t, (w = words));
        words += t.length;
      }
      return w;
    }),
  );
  const addrs: Addr[] = samples.map((_, i) => ({ pool: (buf) => at[i]![buf]!, tab: (t) => tabAt[i]![t]! }));
  const segments = Math.max(...samples.map((l) => l.segments));
  // Per segment: dispatches grouped by (layer, shader), records after the tables.
  const jobCount = samples.reduce((a, l) => a + l.jobs.length, 0) + (opts.step ? 1 : 0);
  const tab = new Uint32Array(words + jobCount * (REC + 1));
  for (const [t, w] of placed) tab.set(t, w);
  let rec = words;
  const rounds: { shader: string; base: number; count: number; starts: number; total: number }[][] = [];
  for (let seg = 0; seg < segments; seg++) {
    const groups = new Map<string, { layer: number; shader: string; jobs: { job: Job; sample: number }[] }>();
    samples.forEach((l, i) => {
      for (const job of l.jobs) {
        if (job.segment !== seg) continue;
        const key = `${job.layer} ${job.shader}`;
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { layer: job.layer, shader: job.shader, jobs: [] }));
        g.jobs.push({ job, sample: i });
      }
    });
    const order = [...groups.values()].sort((x, y) => x.layer - y.layer || (x.shader < y.shader ? -1 : x.shader > y.shader ? 1 : 0));
    const dispatches: (typeof rounds)[number] = [];
    for (const g of order) {
      const base = rec;
      for (const { job, sample } of g.jobs) {
        const w = job.words(addrs[sample]!);
        if (w.length > REC) throw new Error(`lockstep: a ${job.shader} record has ${w.length} words (at most ${REC})`);
        tab.set(w, rec);
        rec += REC;
      }
      const starts = rec;
      let total = 0;
      for (const { job } of g.jobs) {
        tab[rec++] = total;
        total += Math.max(1, Math.min(b.software ? GROUPS_PER_JOB.software : GROUPS_PER_JOB.gpu, Math.ceil(job.count / WORKGROUP)));
      }
      dispatches.push({ shader: g.shader, base, count: g.jobs.length, starts, total });
    }
    if (opts.step && seg === segments - 1) {
      // One job of the register machine over the batch's f32 words (vmPass's record layout).
      const n = outBytes / 4;
      const w = [0, 1, stepAt, n, n, 1, ...opts.step.params(0, stepAt).map((v) => v >>> 0)];
      if (w.length > REC) throw new Error(`lockstep: a batch step record has ${w.length} words (at most ${REC})`);
      const base = rec;
      tab.set(w, rec);
      rec += REC;
      const starts = rec;
      tab[rec++] = 0;
      const total = Math.max(1, Math.min(b.software ? GROUPS_PER_JOB.software : GROUPS_PER_JOB.gpu, Math.ceil(n / WORKGROUP)));
      dispatches.push({ shader: "vm", base, count: 1, starts, total });
    }
    rounds.push(dispatches);
  }
  const pipes = new Map<string, GpuComputePipeline>();
  for (const name of new Set(rounds.flat().map((d) => d.shader))) pipes.set(name, await pipelineFor(b, name));
  checkAlive(b);

  // Inputs, packed.
  const inputs = new Uint8Array(inputBytesTotal);
  for (let i = start; i < end; i++) inputs.set(inputBytes(items[i]!.image), at[i - start]![0]! - inputsAt);

  let submissions = 0;
  const x = b.exactBuffers;
  let pool: GpuBuffer | undefined;
  for (let seg = 0; seg < segments; seg++) {
    const dispatches = rounds[seg]!;
    const last = seg === segments - 1;
    // Host steps after this segment read their inputs back with the same copy.
    const reads = last
      ? []
      : samples.flatMap((l, i) =>
          l.hosts.filter((h) => h.segment === seg).map((h) => ({ i, h, at: at[i]![h.src]!, bytes: l.bufs[h.src]!.bytes })),
        );
    let readAt = 0;
    const readPlan = reads.map((r) => {
      const p = readAt;
      readAt += r.bytes;
      return p;
    });
    // Outputs left on the device are copied to the target: nothing to read back.
    const keep = last && opts.target !== undefined;
    const readBytes = last ? Math.max(outBytes, 4) : Math.max(readAt, 4);
    device.pushErrorScope("out-of-memory");
    device.pushErrorScope("validation");
    let staging: GpuBuffer | undefined;
    try {
      pool = b.buffers.pool.get(device, poolSize, b.budget, x);
      const tabBuf = b.buffers.tab.get(device, Math.max(tab.byteLength, 4), b.budget, x);
      const ranges = new Uint32Array((Math.max(dispatches.length, 1) * b.uniformAlign) / 4);
      dispatches.forEach((d, k) => ranges.set([d.base, d.count, d.starts, d.total], (k * b.uniformAlign) / 4));
      const uni = b.buffers.uniform.get(device, Math.max(ranges.byteLength, 256), 2 ** 20, x);
      if (!keep) staging = b.buffers.staging.get(device, readBytes, b.budget, x);
      // Zero-byte writes are skipped: they change nothing, and Deno 2.9's queue panics on one
      // (ext/webgpu/queue.rs:153, an unwrap on the empty size) instead of ignoring it.
      if (seg === 0) {
        if (inputs.byteLength > 0) device.queue.writeBuffer(pool, inputsAt, inputs);
        if (tab.byteLength > 0) device.queue.writeBuffer(tabBuf, 0, tab);
      }
      device.queue.writeBuffer(uni, 0, ranges);
      const group = device.createBindGroup({
        layout: b.layout,
        entries: [
          { binding: 0, resource: { buffer: pool, offset: 0, size: poolSize } },
          { binding: 1, resource: { buffer: tabBuf, offset: 0, size: Math.max(tab.byteLength, 4) } },
          { binding: 2, resource: { buffer: uni, offset: 0, size: 16 } },
        ],
      });
      const enc = device.createCommandEncoder({ label: "lockstep batch" });
      if (seg === 0 && zeroBytes > 0) enc.clearBuffer(pool, zeroAt, zeroBytes);
      // One pass per dispatch: WebGPU orders passes, so a stage sees its input complete.
      dispatches.forEach((d, k) => {
        const pass = enc.beginComputePass();
        pass.setPipeline(pipes.get(d.shader)!);
        pass.setBindGroup(0, group, [k * b.uniformAlign]);
        const xg = Math.min(d.total, b.maxWorkgroups);
        pass.dispatchWorkgroups(xg, Math.ceil(d.total / xg), 1);
        pass.end();
      });
      if (keep) {
        if (outBytes > 0) enc.copyBufferToBuffer(pool, resultAt, opts.target!, opts.base, outBytes);
      } else if (last) enc.copyBufferToBuffer(pool, resultAt, staging!, 0, Math.max(outBytes, 4));
      else reads.forEach((r, k) => enc.copyBufferToBuffer(pool!, r.at, staging!, readPlan[k]!, r.bytes));
      device.queue.submit([enc.finish()]);
    } finally {
      await popScopes(device);
    }
    submissions++;
    runAfterSubmit(device);
    if (keep) {
      checkAlive(b);
      continue;
    }
    await mapRead(b, staging!, readBytes);
    try {
      const bytes = new Uint8Array(staging!.getMappedRange(0, readBytes));
      if (last) {
        samples.forEach((l, i) => {
          const o = at[i]![l.outBuf]!;
          sink(start + i, bytes.subarray(o, o + exactBytes(l.out)));
        });
      } else {
        // The host steps, in sample order; their results go up before the next segment.
        reads.forEach((r, k) => {
          const got = hostStep(r.h.srcMeta, bytes.subarray(readPlan[k]!, readPlan[k]! + exactBytes(r.h.srcMeta)), r.h.run);
          if (got.byteLength > 0) device.queue.writeBuffer(pool!, at[r.i]![r.h.dst]!, got);
        });
      }
    } finally {
      staging!.unmap();
    }
  }
  return submissions;
}

/** Runs a host step on a sample read back from the GPU; returns its result's bytes, padded to words. */
function hostStep(meta: Meta, bytes: Uint8Array, run: (x: Sample) => Sample): Uint8Array {
  let x: Sample;
  if (meta.kind === "tensor") x = { shape: [...meta.shape], data: new Float32Array(bytes.slice().buffer) };
  else x = { width: meta.width, height: meta.height, channels: meta.channels, data: bytes.slice() };
  const y = run(x);
  const raw = inputBytes(y);
  const out = new Uint8Array(Math.ceil(raw.length / 4) * 4);
  out.set(raw);
  return out;
}

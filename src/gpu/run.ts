// Runs lowered samples on the GPU: every stage of every sample of a chunk is recorded in one
// command buffer and submitted once. Stages are grouped by depth and kind, so a batch of the
// training recipe is one or two dispatches whatever its size. A batch whose buffers would
// pass the device's limits (maxStorageBufferBindingSize, maxBufferSize, workgroup counts) is
// split into chunks; a chunk that runs out of GPU memory is split further.
import type { Image } from "../image.js";
import type { ResamplePlan } from "../functional/resample.js";
import { MODE } from "../kernel/exports.js";
import { checkAlive, GpuDeviceLostError, runAfterSubmit, type GpuBackend } from "./device.js";
import type { Lowered, Stage, ImageShape } from "./plan.js";
import { lutBits, nearestIndices, resizeWeights } from "./tables.js";
import type { Semantics } from "../functional/semantics.js";
import { MAP_READ, type GpuDevice } from "./types.js";

const REC = 16;
const WORKGROUP = 64;
/**
 * Workgroups one job may get in a dispatch (larger jobs loop): many on a GPU, few on a
 * software adapter, where each workgroup costs a task of its own.
 */
const GROUPS_PER_JOB = { gpu: 4096, software: 8 };
const KINDS = ["extract", "hpass", "emit", "map"] as const;
type Kind = (typeof KINDS)[number];

const align4 = (n: number): number => Math.ceil(n / 4) * 4;
/** Bytes of a u8 image on the GPU: shaders write four pixels (c whole words) at a time. */
const u8Bytes = (pixels: number, c: number): number => Math.ceil(pixels / 4) * 4 * c;

/** One image through the GPU: its pixels and its lowered stages. */
export interface GpuItem {
  image: Image;
  lowered: Lowered;
}

/** Receives sample i's output bytes (a view, valid only during the call). */
export type Sink = (i: number, bytes: Uint8Array) => void;

/** A job record whose pool and table addresses are filled in when the chunk is laid out. */
interface Job {
  kind: Kind;
  layer: number;
  /** Invocations the job needs (words or values). */
  count: number;
  build(pool: (buf: number) => number, tab: (table: number) => number): Uint32Array;
}

/** A sample's jobs, the byte sizes of its buffers and its tables, before placement. */
interface Prepared {
  /** Byte sizes (multiples of 4); buffer 0 is the input, `out` the output. */
  bufs: number[];
  out: number;
  outBytes: number;
  tables: Uint32Array[];
  jobs: Job[];
  poolBytes: number;
  tabWords: number;
}

/** Thrown when one sample alone needs more than the device allows. */
export class GpuTooLarge extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GpuTooLarge";
  }
}

class OutOfMemory extends Error {}

const lutCache = new Map<string, Uint32Array>();
function lut(mean: number, std: number, semantics: Semantics): Uint32Array {
  const key = `${mean},${std},${semantics}`;
  let t = lutCache.get(key);
  if (!t) {
    t = lutBits(mean, std, semantics);
    if (lutCache.size > 64) lutCache.clear();
    lutCache.set(key, t);
  }
  return t;
}

function u32(v: Int32Array): Uint32Array {
  return new Uint32Array(v.buffer, v.byteOffset, v.length);
}

// The kernel's tables for the batch being prepared, shared by samples with the same geometry
// (a batch of same-size images through Resize/CenterCrop computes and uploads them once).
const weightCache = new Map<string, { stride: number; bounds: Uint32Array; coeffs: Uint32Array }>();
const nearestCache = new Map<string, Uint32Array>();
const lutsCache = new Map<string, Uint32Array>();
// Colour tables by content: samples with the same op and factor upload one copy.
const mapTableCache = new Map<string, Uint32Array>();

function mapTable(bytes: Uint8Array): Uint32Array {
  let key = "";
  for (let i = 0; i < bytes.length; i += 4)
    key += String.fromCharCode(bytes[i]! | (bytes[i + 1]! << 8), bytes[i + 2]! | (bytes[i + 3]! << 8));
  let t = mapTableCache.get(key);
  if (!t) {
    // The kernel's bytes as words (byte i at bits 8 * (i & 3) of word i >> 2, as WGSL reads storage).
    const copy = new Uint8Array(align4(bytes.length));
    copy.set(bytes);
    mapTableCache.set(key, (t = new Uint32Array(copy.buffer)));
  }
  return t;
}

function weights(
  inSize: number,
  outSize: number,
  interpolation: ResamplePlan["interpolation"],
  antialias: boolean,
  first: number,
  n: number,
  semantics: Semantics,
): { stride: number; bounds: Uint32Array; coeffs: Uint32Array } {
  const key = `${inSize} ${outSize} ${interpolation} ${antialias} ${first} ${n} ${semantics}`;
  let w = weightCache.get(key);
  if (!w) {
    const r = resizeWeights(inSize, outSize, interpolation, antialias, first, n, semantics);
    weightCache.set(key, (w = { stride: r.stride, bounds: u32(r.bounds), coeffs: u32(r.coeffs) }));
  }
  return w;
}

function nearest(inSize: number, outSize: number, first: number, n: number, semantics: Semantics): Uint32Array {
  const key = `${inSize} ${outSize} ${first} ${n} ${semantics}`;
  let t = nearestCache.get(key);
  if (!t) nearestCache.set(key, (t = u32(nearestIndices(inSize, outSize, first, n, semantics))));
  return t;
}

/** Builds a sample's jobs. Buffer 0 is the input; each stage's output and scratch get ids as made. */
function prepare(item: GpuItem): Prepared {
  const { stages, shapes } = item.lowered;
  const bufs: number[] = [align4(item.image.data.length)];
  const tables: Uint32Array[] = [];
  const jobs: Job[] = [];
  const addTable = (t: Uint32Array): number => tables.push(t) - 1;
  let srcBuf = 0;
  for (let s = 0; s < stages.length; s++) {
    const stage = stages[s]!;
    const src = shapes[s]!;
    const dstBuf = bufs.length;
    if (stage.kind === "extract") {
      bufs.push(u8Bytes(stage.width * stage.height, src.channels));
      jobs.push(extractJob(stage, src, srcBuf, dstBuf, s));
    } else if (stage.kind === "lut" || stage.kind === "permute") {
      bufs.push(u8Bytes(src.width * src.height, src.channels));
      jobs.push(mapJob(stage, src, srcBuf, dstBuf, s, addTable));
    } else {
      const tensor = stage.plan.tensor !== null;
      const pixels = stage.plan.window.width * stage.plan.window.height;
      bufs.push(tensor ? pixels * src.channels * 4 : u8Bytes(pixels, src.channels));
      jobs.push(...resampleJobs(stage.plan, src, srcBuf, dstBuf, s, bufs, addTable));
    }
    srcBuf = dstBuf;
  }
  const poolBytes = bufs.reduce((a, b) => a + b, 0);
  const tabWords = tables.reduce((a, t) => a + t.length, 0) + jobs.length * (REC + 1);
  return { bufs, out: srcBuf, outBytes: bufs[srcBuf]!, tables, jobs, poolBytes, tabWords };
}

function extractJob(st: Extract<Stage, { kind: "extract" }>, src: ImageShape, srcBuf: number, dstBuf: number, layer: number): Job {
  const c = src.channels;
  const pixels = st.width * st.height;
  let fill = 0;
  for (let i = 0; i < c; i++) fill |= st.fill[i]! << (8 * i);
  const groups = Math.ceil(pixels / 4);
  return {
    kind: "extract",
    layer,
    count: groups,
    build: (pool) => {
      const r = new Uint32Array(REC);
      r.set([
        pool(srcBuf),
        src.width,
        src.height,
        c,
        st.top >>> 0,
        st.left >>> 0,
        st.height,
        st.width,
        MODE[st.mode],
        fill >>> 0,
        pool(dstBuf),
        groups,
        pixels,
      ]);
      return r;
    },
  };
}

/** A permutation or lookup-table stage (wgsl/map.wgsl.ts): same size in and out. */
function mapJob(
  st: Extract<Stage, { kind: "lut" | "permute" }>,
  src: ImageShape,
  srcBuf: number,
  dstBuf: number,
  layer: number,
  addTable: (t: Uint32Array) => number,
): Job {
  const c = src.channels;
  const pixels = src.width * src.height;
  const groups = Math.ceil(pixels / 4);
  const perm = st.kind === "permute" ? st.perm : [0, 1, 2, 3].slice(0, c);
  let packed = 0;
  for (let i = 0; i < c; i++) packed |= perm[i]! << (8 * i);
  const cc = st.kind === "lut" ? st.tables.length / 256 : 0;
  const t = st.kind === "lut" ? addTable(mapTable(st.tables)) : -1;
  return {
    kind: "map",
    layer,
    count: groups,
    build: (pool, tab) => {
      const r = new Uint32Array(REC);
      r.set([pool(srcBuf), c, packed >>> 0, t < 0 ? 0 : tab(t), cc, pool(dstBuf), groups, pixels]);
      return r;
    },
  };
}

function resampleJobs(
  plan: ResamplePlan,
  src: ImageShape,
  srcBuf: number,
  dstBuf: number,
  layer: number,
  bufs: number[],
  addTable: (t: Uint32Array) => number,
): Job[] {
  const c = src.channels;
  const { box, window: w } = plan;
  const [oh, ow] = plan.size;
  const srcStride = src.width * c;
  const boxAt = box.top * srcStride + box.left * c; // bytes from the source's start
  const tensor = plan.tensor;
  const semantics = plan.semantics ?? "pil";
  const pixels = w.width * w.height;
  const jobs: Job[] = [];
  let lutT = 0;
  let flags = (plan.hflip ? 1 : 0) | (plan.vflip ? 2 : 0);
  if (tensor) {
    flags |= 4;
    const key = `${tensor.mean.slice(0, c).join()} ${tensor.std.slice(0, c).join()} ${semantics}`;
    let t = lutsCache.get(key);
    if (!t) {
      t = new Uint32Array(256 * c);
      for (let ch = 0; ch < c; ch++) t.set(lut(tensor.mean[ch]!, tensor.std[ch]!, semantics), ch * 256);
      lutsCache.set(key, t);
    }
    lutT = addTable(t);
  }
  const count = tensor ? pixels : Math.ceil(pixels / 4);
  // Fields 2 and 3 (where the rows come from) and 7..10 differ by path.
  let midBuf = srcBuf;
  let midAt = boxAt;
  let midStride = srcStride;
  let kind = 1;
  let tA = -1;
  let tB = -1;
  let kv = 0;
  let first = w.top;
  if (plan.interpolation === "nearest") {
    kind = 0;
    tA = addTable(nearest(box.height, oh, w.top, w.height, semantics));
    tB = addTable(nearest(box.width, ow, w.left, w.width, semantics));
  } else {
    const needH = ow !== box.width;
    const needV = oh !== box.height;
    let last = w.top + w.height;
    if (needV) {
      const yw = weights(box.height, oh, plan.interpolation, plan.antialias, w.top, w.height, semantics);
      first = yw.bounds[0]!;
      last = yw.bounds[2 * (w.height - 1)]! + yw.bounds[2 * (w.height - 1) + 1]!;
      tA = addTable(yw.bounds);
      tB = addTable(yw.coeffs);
      kv = yw.stride;
      flags |= 8;
    }
    if (needH) {
      const xw = weights(box.width, ow, plan.interpolation, plan.antialias, w.left, w.width, semantics);
      const xb = addTable(xw.bounds);
      const xk = addTable(xw.coeffs);
      const rows = last - first;
      const hpixels = rows * w.width;
      const tmp = bufs.push(u8Bytes(hpixels, c)) - 1;
      const groups = Math.ceil(hpixels / 4);
      const rowAt = boxAt + first * srcStride;
      jobs.push({
        kind: "hpass",
        layer,
        count: groups,
        build: (pool, tab) => {
          const r = new Uint32Array(REC);
          r.set([pool(srcBuf) + rowAt, srcStride, rows, c, w.width, tab(xb), tab(xk), xw.stride, pool(tmp), groups, hpixels]);
          return r;
        },
      });
      midBuf = tmp;
      midAt = 0;
      midStride = w.width * c;
    } else {
      midAt = boxAt + first * srcStride + w.left * c;
    }
  }
  const fA = tA;
  const fB = tB;
  jobs.push({
    kind: "emit",
    layer,
    count,
    build: (pool, tab) => {
      const r = new Uint32Array(REC);
      r.set([
        kind,
        flags,
        pool(midBuf) + midAt,
        midStride,
        c,
        w.width,
        w.height,
        fA < 0 ? 0 : tab(fA),
        fB < 0 ? 0 : tab(fB),
        kv,
        first,
        tensor ? tab(lutT) : 0,
        pool(dstBuf),
        count,
        pixels,
      ]);
      return r;
    },
  });
  return jobs;
}

/** Runs `items` on the backend, calling `sink` once per sample; rejects without calling it for a failed chunk. */
export async function runOnGpu(
  backend: GpuBackend,
  items: readonly GpuItem[],
  sink: Sink,
  opts: { maxChunkBytes?: number } = {},
): Promise<{ submissions: number }> {
  let prepared: Prepared[];
  try {
    prepared = items.map(prepare);
  } finally {
    weightCache.clear();
    nearestCache.clear();
    lutsCache.clear();
    mapTableCache.clear();
  }
  const budget = Math.min(backend.budget, opts.maxChunkBytes ?? Infinity);
  prepared.forEach((p, i) => {
    if (p.poolBytes > budget || p.tabWords * 4 > budget) {
      throw new GpuTooLarge(
        `lockstep: sample ${i} needs ${mib(Math.max(p.poolBytes, p.tabWords * 4))} of GPU buffers, over this device's limit of ${mib(budget)} (maxStorageBufferBindingSize / maxBufferSize)`,
      );
    }
  });
  // Serialise runs on this backend: they share its buffers.
  const run = backend.tail.then(async () => {
    let submissions = 0;
    let start = 0;
    let cap = prepared.length; // samples per chunk, lowered after an out-of-memory
    while (start < prepared.length) {
      let end = start;
      let pool = 0;
      let tab = 0;
      while (
        end < prepared.length &&
        end - start < cap &&
        pool + prepared[end]!.poolBytes <= budget &&
        (tab + prepared[end]!.tabWords) * 4 <= budget
      ) {
        pool += prepared[end]!.poolBytes;
        tab += prepared[end]!.tabWords;
        end++;
      }
      try {
        await runChunk(backend, items, prepared, start, end, sink);
        submissions++;
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
    return { submissions };
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

async function runChunk(
  b: GpuBackend,
  items: readonly GpuItem[],
  prepared: readonly Prepared[],
  start: number,
  end: number,
  sink: Sink,
): Promise<void> {
  checkAlive(b);
  const device = b.device;
  // Pool layout: every output first (one copy reads them back), then inputs and scratch.
  const poolAt: number[][] = [];
  let at = 0;
  for (let i = start; i < end; i++) {
    const p = prepared[i]!;
    const offs = new Array<number>(p.bufs.length);
    offs[p.out] = at;
    at += p.outBytes;
    poolAt.push(offs);
  }
  const outBytes = at;
  const inputsAt = at;
  for (let i = start; i < end; i++) {
    const p = prepared[i]!;
    const offs = poolAt[i - start]!;
    offs[0] = at;
    at += p.bufs[0]!;
  }
  const inputBytes = at - inputsAt;
  for (let i = start; i < end; i++) {
    const p = prepared[i]!;
    const offs = poolAt[i - start]!;
    for (let k = 1; k < p.bufs.length; k++) {
      if (k === p.out) continue;
      offs[k] = at;
      at += p.bufs[k]!;
    }
  }
  const poolBytes = Math.max(at, 4);
  // Tables first, then records grouped by (layer, kind): each group is one or more dispatches.
  const placed = new Map<Uint32Array, number>();
  const tabAt: number[][] = [];
  let words = 0;
  let jobCount = 0;
  for (let i = start; i < end; i++) {
    const p = prepared[i]!;
    // A table shared by several samples is uploaded once.
    tabAt.push(
      p.tables.map((t) => {
        let w = placed.get(t);
        if (w === undefined) {
          placed.set(t, (w = words));
          words += t.length;
        }
        return w;
      }),
    );
    jobCount += p.jobs.length;
  }
  const groups = new Map<string, { layer: number; kind: number; jobs: { job: Job; sample: number }[] }>();
  for (let i = start; i < end; i++) {
    for (const job of prepared[i]!.jobs) {
      const kind = KINDS.indexOf(job.kind);
      const key = `${job.layer}:${kind}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { layer: job.layer, kind, jobs: [] }));
      g.jobs.push({ job, sample: i });
    }
  }
  const order = [...groups.values()].sort((x, y) => x.layer - y.layer || x.kind - y.kind);
  const recordsAt = words;
  const tab = new Uint32Array(words + jobCount * (REC + 1));
  for (const [t, w] of placed) tab.set(t, w);
  // Per dispatch: its records, then each job's first workgroup (jobs get workgroups in
  // proportion to their size; a huge job loops over its items).
  const dispatches: { kind: number; base: number; count: number; starts: number; total: number }[] = [];
  let rec = recordsAt;
  for (const g of order) {
    const base = rec;
    for (const { job, sample } of g.jobs) {
      const offs = poolAt[sample - start]!;
      const tabs = tabAt[sample - start]!;
      tab.set(
        job.build(
          (buf) => offs[buf]!,
          (t) => tabs[t]!,
        ),
        rec,
      );
      rec += REC;
    }
    const starts = rec;
    let total = 0;
    for (const { job } of g.jobs) {
      tab[rec++] = total;
      total += Math.max(1, Math.min(b.software ? GROUPS_PER_JOB.software : GROUPS_PER_JOB.gpu, Math.ceil(job.count / WORKGROUP)));
    }
    dispatches.push({ kind: g.kind, base, count: g.jobs.length, starts, total });
  }
  const ranges = new Uint32Array((dispatches.length * b.uniformAlign) / 4);
  dispatches.forEach((d, i) => ranges.set([d.base, d.count, d.starts, d.total], (i * b.uniformAlign) / 4));

  // Inputs, packed.
  const inputs = new Uint8Array(inputBytes);
  for (let i = start; i < end; i++) inputs.set(items[i]!.image.data, poolAt[i - start]![0]! - inputsAt);

  device.pushErrorScope("out-of-memory");
  device.pushErrorScope("validation");
  let staging;
  try {
    const x = b.exactBuffers;
    const pool = b.buffers.pool.get(device, poolBytes, b.budget, x);
    const tabBuf = b.buffers.tab.get(device, Math.max(tab.byteLength, 4), b.budget, x);
    const uni = b.buffers.uniform.get(device, Math.max(ranges.byteLength, 256), 2 ** 20, x);
    staging = b.buffers.staging.get(device, Math.max(outBytes, 4), b.budget, x);
    device.queue.writeBuffer(pool, inputsAt, inputs);
    device.queue.writeBuffer(tabBuf, 0, tab);
    device.queue.writeBuffer(uni, 0, ranges);
    const group = device.createBindGroup({
      layout: b.layout,
      entries: [
        { binding: 0, resource: { buffer: pool, offset: 0, size: poolBytes } },
        { binding: 1, resource: { buffer: tabBuf, offset: 0, size: Math.max(tab.byteLength, 4) } },
        { binding: 2, resource: { buffer: uni, offset: 0, size: 16 } },
      ],
    });
    const enc = device.createCommandEncoder({ label: "lockstep batch" });
    const pipes = [b.pipelines.extract, b.pipelines.hpass, b.pipelines.emit, b.pipelines.map];
    // One pass per dispatch: WebGPU orders passes, so a stage sees its input complete.
    dispatches.forEach((d, i) => {
      const pass = enc.beginComputePass();
      pass.setPipeline(pipes[d.kind]!);
      pass.setBindGroup(0, group, [i * b.uniformAlign]);
      const x = Math.min(d.total, b.maxWorkgroups);
      pass.dispatchWorkgroups(x, Math.ceil(d.total / x), 1);
      pass.end();
    });
    enc.copyBufferToBuffer(pool, 0, staging, 0, Math.max(outBytes, 4));
    device.queue.submit([enc.finish()]);
  } finally {
    await popScopes(device);
  }
  runAfterSubmit(device);
  checkAlive(b);
  const lost = b.lost.then((info) => {
    throw new GpuDeviceLostError(info.reason, info.message);
  });
  lost.catch(() => undefined);
  try {
    await Promise.race([staging.mapAsync(MAP_READ, 0, Math.max(outBytes, 4)), lost]);
  } catch (e) {
    if (e instanceof GpuDeviceLostError) throw e;
    // A map aborted by a lost device may reject before `lost` resolves: give it a moment.
    const info = await Promise.race([b.lost, new Promise<null>((r) => setTimeout(() => r(null), 1000))]);
    if (info) throw new GpuDeviceLostError(info.reason, info.message);
    throw new Error(`lockstep: reading the WebGPU result back failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    const bytes = new Uint8Array(staging.getMappedRange(0, Math.max(outBytes, 4)));
    for (let i = start; i < end; i++) {
      const p = prepared[i]!;
      const o = poolAt[i - start]![p.out]!;
      sink(i, bytes.subarray(o, o + exactBytes(items[i]!)));
    }
  } finally {
    staging.unmap();
  }
}

/** The output's exact byte length (without the word padding). */
function exactBytes(item: GpuItem): number {
  const m = item.lowered.out;
  if (m.kind === "tensor") return m.shape.reduce((a, b) => a * b, 1) * 4;
  return m.width * m.height * m.channels;
}

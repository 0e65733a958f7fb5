// Batch memory: `batch.release()` (and reuseBuffers, which releases for you) gives a batch's
// buffer back and later batches are written into it, inline or in the workers; batches come in
// memory that is not zeroed. Oracles: the bytes of a loader that never releases, and of batches
// computed into zeroed memory. A batch must never show another batch's values: a buffer holding
// an earlier batch's (or garbage) bytes gives exactly a fresh batch's, and a released batch reads
// as empty. Memory stays flat over many released batches.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Worker } from "node:worker_threads";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { ready, Compose, RandomResizedCrop, RandomHorizontalFlip, CenterCrop, ColorJitter, type Image } from "../src/index.js";
import { decode } from "../src/io/index.js";
import { ArrayDataset, FileDataset, Loader, type Batch, type NodeWorkerLike } from "../src/data/index.js";
import type { Transform } from "../src/transforms/base.js";
import { decodersOf, processBatch, type BatchTask } from "../src/data/process.js";
import { uninitializedBuffer, reclaim } from "../src/platform/memory.js";
import { liveWorkers } from "../src/platform/workers.js";
import { batchKey, LOADER_JPEGS, SAMPLE_PHOTOS, sha, smallTrain } from "./helpers/loader-util.js";
import { synthetic } from "./helpers/recipes.js";

await ready();

const FILES = [...LOADER_JPEGS, ...SAMPLE_PHOTOS];
const files = new FileDataset(FILES);
const KEY = { seed: 5, epoch: 2 };
const opts = { pipeline: smallTrain(), batchSize: 3, shuffle: true, ...KEY };

/** Every batch's key (indices, labels, shape, bytes) over `epochs` epochs, releasing each batch (or not). */
async function keys(loader: Loader, epochs: number, release: boolean): Promise<string[]> {
  const out: string[] = [];
  for (let e = 0; e < epochs; e++) {
    for await (const b of loader) {
      out.push(batchKey(b));
      if (release) b.release();
    }
  }
  await loader.close();
  return out;
}

const reference = await keys(new Loader(files, opts), 2, false);

test("processBatch writes every byte: a buffer full of garbage (NaN, 0xff) gives the bytes of zeroed memory", async () => {
  const decoders = async () => decodersOf(decode);
  const fetch = (i: number) => files.get(i);
  const cases: [string, Transform, boolean][] = [
    ["tensor", smallTrain(), false],
    ["image, sizes differ", new Compose([new RandomResizedCrop([20, 28]), new ColorJitter(0.3, 0.3)]), false],
    ["image, one size", new Compose([new CenterCrop(40), new RandomHorizontalFlip()]), false],
  ];
  for (const [what, pipeline] of cases) {
    const task: BatchTask = { epoch: 1, batch: 0, seed: 9, indices: [3, 0, 6, 1, 7], onError: "raise", records: false, stack: false };
    const zeroed = await processBatch(task, pipeline, fetch, decoders, (n) => new ArrayBuffer(n));
    const dirty = await processBatch(task, pipeline, fetch, decoders, (n) => new Uint8Array(n).fill(0xff).buffer);
    assert.is(zeroed.failure, null);
    assert.ok(zeroed.buffer.byteLength > 0);
    assert.is(sha(new Uint8Array(dirty.buffer)), sha(new Uint8Array(zeroed.buffer)), what);
    // And the default allocation (not zero-filled on Node) after the heap has seen garbage.
    const byDefault = await processBatch(task, pipeline, fetch, decoders);
    assert.is(sha(new Uint8Array(byDefault.buffer)), sha(new Uint8Array(zeroed.buffer)), `${what}, default allocation`);
  }
});

test("processBatch with a skipped sample: the batch is cut to the samples written, whatever the buffer held", async () => {
  const bad = { length: 4, get: (i: number) => (i === 2 ? new Uint8Array([0xff, 0xd8, 0xff, 0x00]) : files.get(i)) };
  const task: BatchTask = { epoch: 0, batch: 0, seed: 3, indices: [0, 1, 2, 3], onError: "skip", records: false, stack: true };
  const decoders = async () => decodersOf(decode);
  const zeroed = await processBatch(task, smallTrain(), bad.get, decoders, (n) => new ArrayBuffer(n));
  const dirty = await processBatch(task, smallTrain(), bad.get, decoders, (n) => new Uint8Array(n).fill(0x7f).buffer);
  assert.equal(zeroed.indices, [0, 1, 3]);
  assert.is(zeroed.buffer.byteLength, 3 * 3 * 24 * 24 * 4);
  assert.is(sha(new Uint8Array(dirty.buffer)), sha(new Uint8Array(zeroed.buffer)));
});

test("uninitializedBuffer: its own ArrayBuffer of the size asked; reclaim moves the memory and detaches every view", () => {
  for (const n of [0, 1, 4096, 3 * 224 * 224 * 4]) {
    const b = uninitializedBuffer(n);
    assert.ok(b instanceof ArrayBuffer);
    assert.is(b.byteLength, n);
  }
  const b = uninitializedBuffer(64);
  const whole = new Float32Array(b);
  const part = whole.subarray(4, 8);
  whole.fill(1.5);
  const moved = reclaim(b)!;
  assert.is(moved.byteLength, 64);
  assert.is(new Float32Array(moved)[5], 1.5, "the memory moved, values and all");
  assert.is(whole.length, 0);
  assert.is(part.length, 0);
  assert.is(b.byteLength, 0);
  assert.is(reclaim(b), null, "a detached buffer cannot be reclaimed twice");
});

test("inline, releasing every batch: the bytes of a loader that never releases; released batches read as empty; the memory is reused", async () => {
  const loader = new Loader(files, opts);
  const spares = () => (loader as unknown as { spares: { size: number } }).spares.size;
  const got: string[] = [];
  let prev: Batch | null = null;
  for (let e = 0; e < 2; e++) {
    for await (const b of loader) {
      got.push(batchKey(b));
      if (prev) assert.is(prev.data.length, 0, "the previous batch was released");
      assert.ok(b.data.length > 0);
      const sample = b.samples[0]!;
      b.release();
      assert.is(b.data.length, 0, "released: data detached");
      assert.is(sample.data.length, 0, "released: its samples' views too");
      b.release(); // twice: nothing more happens
      assert.ok(spares() >= 1 && spares() <= 2, `spares: ${spares()}`);
      prev = b;
    }
  }
  assert.equal(got, reference);
  await loader.close();
});

test("using: Symbol.dispose releases; a batch given to collate can be released there; spreading a batch keeps its data, not release", async () => {
  const loader = new Loader(files, {
    ...opts,
    collate: (b) => {
      const copy = { ...b, data: b.data.slice() };
      b[Symbol.dispose]();
      assert.is(b.data.length, 0);
      assert.is(Object.keys(copy).includes("release"), false);
      return copy;
    },
  });
  const got: string[] = [];
  for await (const b of loader) got.push(batchKey(b as Batch));
  assert.equal(got, reference.slice(0, got.length));
});

for (const [what, extra] of [
  ["release", {}],
  ["reuseBuffers", { reuseBuffers: true }],
] as const) {
  test(`2 workers with ${what}: buffers go back to the workers; the same bytes as inline`, async () => {
    const loader = new Loader(files, { ...opts, workers: 2, ...extra, persistentWorkers: true });
    const got: string[] = [];
    for (let e = 0; e < 2; e++) {
      let prev: Batch | null = null;
      for await (const b of loader) {
        if (prev) assert.is(prev.data.length, 0, "the previous batch was released");
        got.push(batchKey(b));
        if (what === "release") b.release();
        prev = b;
      }
    }
    assert.equal(got, reference);
    await loader.close();
    assert.is(liveWorkers(), 0);
  });
}

test("workers get the released buffers back: each task after the first releases carries one, moved (detached here), and the bytes stay", async () => {
  const entry = new URL("../src/data/worker.ts", import.meta.url).href;
  const tsx = import.meta.resolve("tsx/esm/api");
  const posted: { spare: ArrayBuffer; bytes: number }[] = [];
  let tasks = 0;
  const worker = () => {
    const w = new Worker(
      `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`,
      {
        eval: true,
        execArgv: [],
      },
    );
    const post = w.postMessage.bind(w);
    w.postMessage = (m: { type?: string; spare?: ArrayBuffer }, transfer?: readonly Transferable[]) => {
      if (m.type === "task") tasks++;
      const spare = m.spare;
      const bytes = spare?.byteLength ?? 0;
      post(m, transfer as never);
      if (spare) posted.push({ spare, bytes });
    };
    return w as unknown as NodeWorkerLike;
  };
  const single = { ...opts, batchSize: 1 };
  const want = await keys(new Loader(files, single), 1, false);
  const loader = new Loader(files, { ...single, workers: 2, prefetch: 2, worker });
  const got: string[] = [];
  for await (const b of loader) {
    got.push(batchKey(b));
    b.release();
  }
  assert.equal(got, want);
  // Batches 0-2 are asked for before the loop has released anything; every later one gets a buffer.
  assert.is(tasks, 8);
  assert.is(posted.length, tasks - 3, `${posted.length} of ${tasks} tasks carried a buffer`);
  for (const p of posted) {
    assert.is(p.bytes, 3 * 24 * 24 * 4, "a released batch's buffer, whole");
    assert.is(p.spare.byteLength, 0, "transferred, not copied");
  }
  assert.is(liveWorkers(), 0);
});

test("reuseBuffers inline: the bytes of fresh batches; the batch the loop moved past is detached; one kept by break stays", async () => {
  const loader = new Loader(files, { ...opts, reuseBuffers: true });
  const seen: Batch[] = [];
  const got: string[] = [];
  for await (const b of loader) {
    for (const s of seen) assert.is(s.data.length, 0);
    got.push(batchKey(b));
    seen.push(b);
  }
  assert.equal(got, reference.slice(0, got.length));
  loader.setEpoch(KEY.epoch);
  let kept: Batch | null = null;
  for await (const b of loader) {
    kept = b;
    break;
  }
  assert.is(batchKey(kept!), reference[0]);
  loader.setEpoch(KEY.epoch);
  for await (const b of loader) b.release();
  assert.is(batchKey(kept!), reference[0], "a later epoch never touches it");
});

// A full collection before each reading: what is left is what the loader keeps (its spares, a
// batch in flight), not garbage that a later collection would free.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

test("memory stays flat: 600 released batches (inline and 1 worker) keep the ArrayBuffer memory of a few batches (a leak would keep 600)", async () => {
  const images: Image[] = Array.from({ length: 40 }, (_, i) => synthetic(40 + (i % 5), 36 + (i % 3), 3, i));
  const ds = new ArrayDataset(images);
  const batchBytes = 8 * 3 * 24 * 24 * 4;
  for (const workers of [0, 1]) {
    const loader = new Loader(ds, {
      pipeline: smallTrain(),
      batchSize: 8,
      shuffle: true,
      seed: 1,
      workers,
      persistentWorkers: workers > 0,
    });
    const run = async (epochs: number) => {
      for (let e = 0; e < epochs; e++) for await (const b of loader) b.release();
    };
    await run(5);
    gc();
    const before = process.memoryUsage().arrayBuffers;
    await run(120); // 600 batches
    gc();
    const growth = process.memoryUsage().arrayBuffers - before;
    // What the loader may hold at either reading: its spares (3) and the batches in flight (2 + 1
    // held), with the items posted to a worker; a leak grows by a batch per batch (33 MB here).
    assert.ok(growth < 8 * batchBytes, `workers ${workers}: ArrayBuffer memory grew by ${growth} bytes (a batch is ${batchBytes})`);
    await loader.close();
  }
});

test.run();

#!/usr/bin/env node
// Soak: memory must stay flat over a long run. Not a test (it takes long): run it niced, read the
// figures. Uses the built package (dist/, `npm run build:ts` first), so workers boot as they do
// for users.
//
//   node bench/soak.mjs [--calls 1000000] [--epochs 100] [--workers 2] [--minutes 0 (no limit)] [--recipe train|flip]
//
// Phase 1: `calls` training-recipe calls (RandomResizedCrop 224, flip, ToTensor, Normalize on a
// 500x375 image, writing into one reused buffer), or with `--recipe flip` a cheap transform
// (RandomHorizontalFlip(p=1) on a 32x24 image: the per-call host overhead dominates). Phase 2: `epochs` Loader epochs with worker
// threads (released at each epoch's end). Both print RSS and kernel (wasm) memory at intervals
// and the least-squares slope of RSS after warm-up, in KiB per 100,000 calls / per 10 epochs.
import { parseArgs } from "node:util";
import { ready, kernelMemory, Compose, RandomResizedCrop, RandomHorizontalFlip, ToTensor, Normalize, Loader, ArrayDataset } from "../dist/index.js";
import { liveWorkers } from "../dist/platform/workers.js";

const { values } = parseArgs({ options: { calls: { type: "string" }, epochs: { type: "string" }, workers: { type: "string" }, minutes: { type: "string" }, recipe: { type: "string" } } });
const calls = Number(values.calls ?? 1_000_000);
const epochs = Number(values.epochs ?? 100);
const workers = Number(values.workers ?? 2);
const deadline = values.minutes ? Date.now() + Number(values.minutes) * 60_000 : Infinity;

await ready();
const MiB = (b) => (b / 2 ** 20).toFixed(1);
const rss = () => process.memoryUsage().rss;

function image(width, height, salt) {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (Math.imul(i + 1, 2654435761) + salt * 40503) >>> 24;
  return { width, height, channels: 3, data };
}

/** Least-squares slope of y over x. */
function slope(points) {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p[0], 0) / n;
  const my = points.reduce((a, p) => a + p[1], 0) / n;
  let num = 0, den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return num / den;
}

// Phase 1: the training recipe.
const cheap = values.recipe === "flip";
const recipe = cheap ? new RandomHorizontalFlip(1) : new Compose([new RandomResizedCrop(224), new RandomHorizontalFlip(), new ToTensor(), new Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])]);
const img = cheap ? image(32, 24, 1) : image(500, 375, 1);
const out = cheap ? new Uint8Array(32 * 24 * 3) : new Float32Array(3 * 224 * 224);
const every = Math.max(1, Math.floor(calls / 50));
const warm = Math.min(calls, 2 * every);
const samples = [];
const t0 = Date.now();
let done = 0;
console.log(`phase 1: ${calls} ${cheap ? "RandomHorizontalFlip (32x24)" : "recipe"} calls; RSS ${MiB(rss())} MiB, kernel ${MiB(kernelMemory())} MiB at start`);
for (; done < calls && Date.now() < deadline; done++) {
  recipe.apply(img, { seed: 7, epoch: done >>> 16, index: done & 0xffff, out });
  if ((done + 1) % every === 0) {
    if (globalThis.gc) globalThis.gc();
    const r = rss();
    if (done + 1 > warm) samples.push([done + 1, r]);
    console.log(`  ${String(done + 1).padStart(8)} calls  ${((Date.now() - t0) / 1000).toFixed(0).padStart(5)} s  RSS ${MiB(r)} MiB  kernel ${MiB(kernelMemory())} MiB`);
  }
}
console.log(`phase 1: ${done} calls in ${((Date.now() - t0) / 1000).toFixed(0)} s; RSS slope after warm-up ${(slope(samples) * 100_000 / 1024).toFixed(1)} KiB per 100,000 calls; kernel ${MiB(kernelMemory())} MiB`);

// Phase 2: Loader epochs with workers.
const ds = new ArrayDataset(Array.from({ length: 64 }, (_, i) => image(160 + (i % 4) * 8, 120, i)));
const loader = new Loader(ds, { pipeline: new Compose([new RandomResizedCrop(64), new RandomHorizontalFlip(), new ToTensor()]), batchSize: 16, shuffle: true, seed: 3, workers });
const epochSamples = [];
const t1 = Date.now();
let e = 0;
console.log(`phase 2: ${epochs} loader epochs with ${workers} workers; RSS ${MiB(rss())} MiB`);
for (; e < epochs && Date.now() < deadline; e++) {
  let batches = 0;
  for await (const b of loader) batches += b.indices.length > 0 ? 1 : 0;
  if (liveWorkers() !== 0) throw new Error(`epoch ${e}: ${liveWorkers()} workers still running after the epoch`);
  if (globalThis.gc) globalThis.gc();
  const r = rss();
  if (e >= 5) epochSamples.push([e, r]);
  if (e % 5 === 4) console.log(`  epoch ${String(e + 1).padStart(4)}  ${((Date.now() - t1) / 1000).toFixed(0).padStart(5)} s  ${batches} batches  RSS ${MiB(r)} MiB  kernel ${MiB(kernelMemory())} MiB  live workers ${liveWorkers()}`);
}
await loader.close();
console.log(`phase 2: ${e} epochs in ${((Date.now() - t1) / 1000).toFixed(0)} s; RSS slope after 5 epochs ${(slope(epochSamples) * 10 / 1024).toFixed(1)} KiB per 10 epochs; live workers at the end ${liveWorkers()}`);

// The loader on the training recipe: a folder of JPEGs (decoded in the workers) through
// RandomResizedCrop(224) + RandomHorizontalFlip + ToTensor + Normalize, collated into NCHW
// batches of 16, at 0 and 2 workers, against torch's DataLoader + torchvision's ImageFolder on the
// same folder with the same recipe (bench/loader_torch.py, a persistent Python process: what a
// user writes, num_workers 0 and 2). One warm-up epoch of each side runs outside the timed rounds;
// then the two sides' epochs alternate, round by round, so both see the same load. Reported:
// images/s of each side's best warm epoch (the timed loops only iterate, as torch's does; the
// first epoch hashes every byte), the median and range of the per-round ratios of wall time and
// of CPU time (lockstep: process.cpuUsage, every thread of the process; torch: its process plus
// its worker processes), the first epoch (starts the workers) and the process's peak RSS (sampled
// every 10 ms; worker threads are in the process); then every round: both sides' wall and CPU
// milliseconds, lockstep's minor page faults and main-thread GC pauses, and the load average at
// start and end. Every lockstep run's batch hashes must agree, or the benchmark fails.
//
// Reading it: on a shared machine a round's wall time moves with other processes (both sides'
// CPU time moves too, less); the CPU ratio is the steadier one. In the default mode (no release)
// each batch is a fresh 9.6 MB buffer that only the GC frees, two or three at a time (a
// mark-compact every 2-3 batches, triggered by the external memory). glibc gives a free block at
// the top of its heap back to the kernel once it exceeds M_TRIM_THRESHOLD, which is dynamic:
// twice the largest mmapped block freed so far, so 19.2 MB after the first batch; the next
// batches then fault those pages in again, 0 to 15000 faults an epoch at ~16 us each on the
// Firecracker VM this was measured on (~0.3 us on bare metal): the default row's swing. Since
// src/platform/memory.ts frees one untouched 31 MiB block first (hintAllocator), freed batches
// stay mapped (~0-600 faults an epoch). `batch.release()` and `reuseBuffers` write into the same
// pages again (no faults, no GC of batches). torch's side faults too (its workers' batches come
// through fresh shared memory).
//
// Run: npx tsx bench/loader.ts
// Env: BENCH_IMAGES (default 128), BENCH_ROWS (default "0,0-release,0-reuse,2,2-release": worker
// count, then how batches are let go: nothing (the default), `batch.release()` after each step,
// `reuseBuffers: true`, or "fresh" = the default before batch memory came from the platform's
// allocator, every batch a zero-filled `new ArrayBuffer`), BENCH_PYTHON (a python with torch and
// torchvision; default .venv/bin/python), BENCH_REPEATS (rounds, default 7), BENCH_BEFORE (a copy
// of an earlier checkout's src/ with its generated bindings.ts, e.g. `git archive main src | tar
// -x -C /tmp/before`; with it, "W-before" rows run that code's Loader in this process, for
// before/after ratios from one run). Rows run in order in one process, and glibc's thresholds
// depend on what ran before: the default row comes first, as in a fresh training process.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { PerformanceObserver } from "node:perf_hooks";
import { ready, F, Compose, RandomResizedCrop, RandomHorizontalFlip, ToTensor, Normalize, type Image } from "../src/index.js";
import { decode, encodeJpeg } from "../src/io/index.js";
import { Loader, imageFolder } from "../src/data/index.js";

const IMAGES = Number(process.env.BENCH_IMAGES ?? 128);
type Mode = "default" | "fresh" | "release" | "reuse" | "before";
const ROWS = (process.env.BENCH_ROWS ?? "0,0-release,0-reuse,2,2-release").split(",").map((r) => {
  const [w, mode = "default"] = r.split("-");
  if (!["default", "fresh", "release", "reuse", "before"].includes(mode)) throw new Error(`BENCH_ROWS: unknown mode ${mode}`);
  return { workers: Number(w), mode: mode as Mode };
});
const BATCH = 16;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 7);
const loadAtStart = loadavg();

// GC pauses on the main thread, summed (per epoch: the difference).
let gcMs = 0;
const gcObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
});
gcObserver.observe({ entryTypes: ["gc"] });

await ready();

// A folder of JPEGs, ImageFolder style (4 classes), 440-560 x 330-420 like ImageNet's median
// photo, saved as ImageNet's are: baseline, quality 90, YCbCr 4:2:0. lockstep's encodeJpeg
// writes the bytes of Pillow's `save(f, "JPEG", quality=90)` (tests/codec-jpegenc.test.ts checks
// it against a Pillow-made corpus), so the folder is what Pillow would have saved, with no Python
// needed to make it.
const dir = mkdtempSync(join(tmpdir(), "lockstep-bench-loader-"));
const photos: Image[] = [];
for (const name of ["astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg"])
  photos.push(await decode(readFileSync(new URL(`../samples/${name}`, import.meta.url)), { mode: "RGB" }));
for (let i = 0; i < IMAGES; i++) {
  const w = 440 + ((i * 37) % 120);
  const h = 330 + ((i * 53) % 90);
  const cls = join(dir, `class${i % 4}`);
  mkdirSync(cls, { recursive: true });
  writeFileSync(join(cls, `${String(i).padStart(5, "0")}.jpg`), await encodeJpeg(F.resize(photos[i % 4]!, [h, w]), { quality: 90 }));
}
const dataset = await imageFolder(dir);
// The earlier checkout's Loader and dataset (its own kernel instance), for the "before" rows.
const before = process.env.BENCH_BEFORE
  ? ((await import(join(process.env.BENCH_BEFORE, "data/index.ts"))) as typeof import("../src/data/index.js"))
  : null;
const beforeDataset = before ? await before.imageFolder(dir) : null;

const pipeline = new Compose([
  new RandomResizedCrop(224),
  new RandomHorizontalFlip(),
  new ToTensor(),
  new Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
]);
const beforePipeline = before
  ? ((await import(join(process.env.BENCH_BEFORE!, "transforms/index.ts"))) as typeof import("../src/transforms/index.js")).fromJSON(
      pipeline.toJSON(),
    )
  : null;

interface Row {
  workers: number;
  mode: Mode;
  coldSeconds: number;
  warmSeconds: number;
  imagesPerSecond: number;
  torchPerSecond: number | null;
  /** lockstep ÷ torch images/s in each round (both sides' epochs back to back). */
  roundRatios: number[];
  /** Each round's epochs: wall and CPU seconds of both sides, lockstep's page faults and GC pauses. */
  rounds: Round[];
  peakRssMiB: number;
  hashes: string;
}

interface Round {
  wall: number;
  cpu: number;
  /** Minor page faults of the process during the epoch (fresh pages touched). */
  faults: number;
  /** Milliseconds of GC pauses on the main thread during the epoch. */
  gcMs: number;
  torchWall: number;
  torchCpu: number;
  torchFaults: number;
}

/** torch's side: one persistent Python process answering "run an epoch with W workers". */
interface Torch {
  torch: string;
  torchvision: string;
  /** Wall and CPU seconds of one epoch (CPU: the process's threads and its worker processes). */
  epoch(workers: number): Promise<{ seconds: number; cpu: number; faults: number }>;
  close(): void;
}

async function startTorch(): Promise<Torch | null> {
  const python = [process.env.BENCH_PYTHON, join(process.cwd(), ".venv/bin/python")].find((p) => p && existsSync(p));
  if (!python) return null;
  const child = spawn(python, [join(process.cwd(), "bench/loader_torch.py"), dir, String(BATCH)], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const r = await lines.next();
    if (r.done) throw new Error(`bench/loader_torch.py stopped:\n${stderr}`);
    return JSON.parse(r.value) as Record<string, unknown>;
  };
  const head = await next();
  return {
    torch: String(head.torch),
    torchvision: String(head.torchvision),
    async epoch(workers) {
      child.stdin.write(`${workers}\n`);
      const r = await next();
      return { seconds: Number(r.seconds), cpu: Number(r.cpu), faults: Number(r.faults) };
    },
    close: () => child.stdin.end(),
  };
}

async function run(workers: number, mode: Mode, torch: Torch | null): Promise<Row> {
  if (globalThis.gc) globalThis.gc();
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  // Persistent, as bench/loader_torch.py's DataLoader: warm epochs measure the work, not starting workers.
  if (mode === "before" && !before) throw new Error("BENCH_ROWS has a before row: set BENCH_BEFORE");
  const LoaderOf = mode === "before" ? before!.Loader : Loader;
  const loader = new LoaderOf(mode === "before" ? beforeDataset! : dataset, {
    pipeline: mode === "before" ? beforePipeline! : pipeline,
    batchSize: BATCH,
    shuffle: true,
    seed: 1,
    workers,
    persistentWorkers: workers > 0,
    reuseBuffers: mode === "reuse",
  });
  // The previous default, for the before/after: every batch a fresh zero-filled ArrayBuffer.
  if (mode === "fresh")
    (loader as unknown as { spares: unknown }).spares = { take: (n: number) => new ArrayBuffer(n), pop: () => undefined, keep: () => {} };
  const release = mode === "release";
  // The first epoch hashes every byte (the cross-worker-count check); the timed ones only read a
  // sparse fingerprint, as torch's loop only iterates: a 9.6 MB sha256 per batch would cost
  // lockstep ~1 ms an image that torch's side does not pay.
  const epoch = async (full: boolean) => {
    const h = createHash("sha256");
    const gc0 = gcMs;
    const faults0 = process.resourceUsage().minorPageFault;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for await (const b of loader) {
      if (full) h.update(new Uint8Array(b.data.buffer, b.data.byteOffset, b.data.byteLength));
      for (let i = 0; i < b.data.length; i += 4099) h.update(String(b.data[i]));
      if (release) b.release();
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const faults = process.resourceUsage().minorPageFault - faults0;
    return { seconds, cpu: (cpu.user + cpu.system) / 1e6, faults, gcMs: gcMs - gc0, hash: h.digest("hex") };
  };
  const cold = await epoch(true); // starts the workers (tsx compiles their sources on the fly)
  // Warm-up, outside the timed rounds: one epoch of each side (JIT tiers, wasm memory grown,
  // torch's workers started).
  loader.setEpoch(0);
  const fingerprint = (await epoch(false)).hash;
  if (torch) await torch.epoch(workers);
  let warm = { seconds: Infinity, hash: cold.hash };
  let torchBest = Infinity;
  const roundRatios: number[] = [];
  const rounds: Round[] = [];
  for (let r = 0; r < REPEATS; r++) {
    loader.setEpoch(0);
    const e = await epoch(false);
    if (e.hash !== fingerprint) throw new Error("the same epoch gave different bytes twice");
    if (e.seconds < warm.seconds) warm = { seconds: e.seconds, hash: cold.hash };
    const t = torch ? await torch.epoch(workers) : { seconds: NaN, cpu: NaN, faults: NaN };
    if (torch) {
      torchBest = Math.min(torchBest, t.seconds);
      roundRatios.push(t.seconds / e.seconds);
    }
    rounds.push({
      wall: e.seconds,
      cpu: e.cpu,
      faults: e.faults,
      gcMs: e.gcMs,
      torchWall: t.seconds,
      torchCpu: t.cpu,
      torchFaults: t.faults,
    });
  }
  await loader.close();
  clearInterval(sampler);
  return {
    workers,
    mode,
    coldSeconds: cold.seconds,
    warmSeconds: warm.seconds,
    imagesPerSecond: IMAGES / warm.seconds,
    torchPerSecond: torch ? IMAGES / torchBest : null,
    roundRatios,
    rounds,
    peakRssMiB: peak / 2 ** 20,
    hashes: warm.hash,
  };
}

/**
 * How much parallel CPU the machine gives right now: one fixed busy loop in 1 and in 2 threads.
 * On a shared machine other processes take cores, and the workers cannot scale past this.
 */
async function capacity(): Promise<number> {
  const { Worker } = await import("node:worker_threads");
  const code =
    "const { parentPort } = require('node:worker_threads'); let x = 0; for (let i = 0; i < 1e8; i++) x = (x + i * 7) % 1000003; parentPort.postMessage(x);";
  const wall = async (n: number) => {
    const t0 = performance.now();
    await Promise.all(Array.from({ length: n }, () => new Promise((r) => new Worker(code, { eval: true }).once("message", r))));
    return performance.now() - t0;
  };
  const one = await wall(1);
  return (2 * one) / (await wall(2));
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const rows: Row[] = [];
const capacityBefore = await capacity();
const torch = await startTorch();
try {
  for (const r of ROWS) rows.push(await run(r.workers, r.mode, torch));
} finally {
  torch?.close();
}
const after = await capacity();
gcObserver.disconnect();
rmSync(dir, { recursive: true, force: true });

const same = rows.every((r) => r.hashes === rows[0]!.hashes);
const base = rows.find((r) => r.workers === 0 && r.mode === "default")?.imagesPerSecond ?? rows[0]!.imagesPerSecond;
const label: Record<Mode, string> = {
  default: "",
  fresh: " (fresh zeroed ArrayBuffer per batch)",
  before: " (before: BENCH_BEFORE's Loader)",
  release: " (batch.release())",
  reuse: " (reuseBuffers)",
};
console.log(
  `\nloader: ${IMAGES} JPEGs (440-560 x 330-420, q90 4:2:0, Pillow's bytes), RandomResizedCrop(224) + flip + ToTensor + Normalize, batches of ${BATCH}`,
);
console.log(
  `machine: ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, load average (1, 5, 15 min) at start ${loadAtStart
    .map((l) => l.toFixed(2))
    .join(" ")}, at end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}, node ${process.version}`,
);
console.log(`parallel capacity (2 busy threads vs 1, before / after): ${capacityBefore.toFixed(2)}x / ${after.toFixed(2)}x of one core\n`);
console.log(
  `torch DataLoader + torchvision ImageFolder (same folder, same recipe, PIL decode, epochs alternating with lockstep's): ${torch ? `torch ${torch.torch}, torchvision ${torch.torchvision}` : "not run (no .venv/bin/python or BENCH_PYTHON with torch)"}\n`,
);
console.log(
  "| workers | lockstep images/s (best warm epoch) | speed-up | torch DataLoader images/s (best warm epoch) | lockstep ÷ torch, wall: median of per-round ratios (range) | lockstep ÷ torch, CPU time: median (range) | first epoch (s, incl. worker start) | peak RSS (MiB) |",
);
console.log("|---:|---:|---:|---:|---:|---:|---:|---:|");
const range = (v: number[]) => `${median(v).toFixed(2)}x (${Math.min(...v).toFixed(2)}-${Math.max(...v).toFixed(2)})`;
for (const r of rows) {
  const t = r.torchPerSecond;
  const cpuRatios = r.rounds.map((x) => x.torchCpu / x.cpu);
  console.log(
    `| ${r.workers}${label[r.mode]} | ${r.imagesPerSecond.toFixed(1)} | ${(r.imagesPerSecond / base).toFixed(2)}x | ${t ? t.toFixed(1) : "-"} | ${r.roundRatios.length ? range(r.roundRatios) : "-"} | ${t ? range(cpuRatios) : "-"} | ${r.coldSeconds.toFixed(2)} | ${r.peakRssMiB.toFixed(0)} |`,
  );
}
// Per round: which side varied, and whether a slow epoch was CPU work or waiting for a core.
console.log(
  "\nper round (ms per epoch; CPU = the process's threads, and torch's worker processes; faults = minor page faults, the same sources):\n",
);
console.log(
  "| workers | round | lockstep wall | lockstep CPU | lockstep faults | lockstep GC pauses | torch wall | torch CPU | torch faults | wall ratio | CPU ratio |",
);
console.log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const r of rows) {
  r.rounds.forEach((x, i) =>
    console.log(
      `| ${r.workers}${label[r.mode]} | ${i + 1} | ${(x.wall * 1e3).toFixed(0)} | ${(x.cpu * 1e3).toFixed(0)} | ${x.faults} | ${x.gcMs.toFixed(0)} | ${(x.torchWall * 1e3).toFixed(0)} | ${(x.torchCpu * 1e3).toFixed(0)} | ${x.torchFaults} | ${(x.torchWall / x.wall).toFixed(2)} | ${(x.torchCpu / x.cpu).toFixed(2)} |`,
    ),
  );
}
console.log(
  `\nbatch bytes identical across worker counts and modes: ${same ? "yes" : "NO"} (epoch sha256 ${rows[0]!.hashes.slice(0, 16)}…)`,
);
if (!same) process.exit(1);

// The loader on the training recipe: a folder of JPEGs (decoded in the workers) through
// RandomResizedCrop(224) + RandomHorizontalFlip + ToTensor + Normalize, collated into NCHW
// batches of 16, at 0, 1 and 2 workers. Reports images/s (the best of BENCH_REPEATS warm epochs,
// after one that starts the workers: other processes on a shared machine only slow a run down)
// and the process's peak RSS (sampled every 10 ms; worker threads are in the process).
// Every run's batch hashes must agree, or the benchmark fails.
//
// Run: npx tsx bench/loader.ts
// Env: BENCH_IMAGES (default 128), BENCH_WORKERS (default "0,2"), BENCH_PYTHON (a python with torch and torchvision; default .venv/bin/python), BENCH_REPEATS (default 3)
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { ready, F, Compose, RandomResizedCrop, RandomHorizontalFlip, ToTensor, Normalize, type Image } from "../src/index.js";
import { decode } from "../src/io/index.js";
import { Loader, imageFolder } from "../src/data/index.js";

const IMAGES = Number(process.env.BENCH_IMAGES ?? 128);
const WORKERS = (process.env.BENCH_WORKERS ?? "0,2").split(",").map(Number);
const BATCH = 16;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

await ready();

// A folder of JPEGs, ImageFolder style (4 classes), 500x375-ish like ImageNet's median, quality 90.
const dir = mkdtempSync(join(tmpdir(), "lockstep-bench-loader-"));
// jimp's JPEG encoder makes the folder (any encoder would do; the decode is what is measured).
const jpeg = (await import("jimp")).defaultFormats
  .map(
    (f) =>
      f() as unknown as {
        mime: string;
        encode(b: { width: number; height: number; data: Buffer }, o: { quality: number }): Buffer | Promise<Buffer>;
      },
  )
  .find((c) => c.mime === "image/jpeg")!;
const photos: Image[] = [];
for (const name of ["astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg"])
  photos.push(await decode(readFileSync(new URL(`../samples/${name}`, import.meta.url))));
for (let i = 0; i < IMAGES; i++) {
  const src = photos[i % 4]!;
  const w = 440 + ((i * 37) % 120);
  const h = 330 + ((i * 53) % 90);
  const img = F.resize(src, [h, w]);
  const rgba = Buffer.alloc(w * h * 4);
  for (let p = 0; p < w * h; p++) {
    rgba[p * 4] = img.data[p * 3]!;
    rgba[p * 4 + 1] = img.data[p * 3 + 1]!;
    rgba[p * 4 + 2] = img.data[p * 3 + 2]!;
    rgba[p * 4 + 3] = 255;
  }
  const cls = join(dir, `class${i % 4}`);
  mkdirSync(cls, { recursive: true });
  writeFileSync(
    join(cls, `${String(i).padStart(5, "0")}.jpg`),
    (await jpeg.encode({ width: w, height: h, data: rgba }, { quality: 90 })) as Uint8Array,
  );
}
const dataset = await imageFolder(dir);

const pipeline = new Compose([
  new RandomResizedCrop(224),
  new RandomHorizontalFlip(),
  new ToTensor(),
  new Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
]);

interface Row {
  workers: number;
  coldSeconds: number;
  warmSeconds: number;
  imagesPerSecond: number;
  peakRssMiB: number;
  hashes: string;
}

async function run(workers: number): Promise<Row> {
  if (globalThis.gc) globalThis.gc();
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  // Persistent, as bench/loader_torch.py's DataLoader: warm epochs measure the work, not starting workers.
  const loader = new Loader(dataset, { pipeline, batchSize: BATCH, shuffle: true, seed: 1, workers, persistentWorkers: workers > 0 });
  const epoch = async () => {
    const h = createHash("sha256");
    const t0 = performance.now();
    for await (const b of loader) h.update(new Uint8Array(b.data.buffer, b.data.byteOffset, b.data.byteLength));
    return { seconds: (performance.now() - t0) / 1000, hash: h.digest("hex") };
  };
  const cold = await epoch(); // starts the workers (tsx compiles their sources on the fly)
  let warm = { seconds: Infinity, hash: cold.hash };
  for (let r = 0; r < REPEATS; r++) {
    loader.setEpoch(0);
    const e = await epoch();
    if (e.hash !== cold.hash) throw new Error("the same epoch gave different bytes twice");
    if (e.seconds < warm.seconds) warm = e;
  }
  await loader.close();
  clearInterval(sampler);
  return {
    workers,
    coldSeconds: cold.seconds,
    warmSeconds: warm.seconds,
    imagesPerSecond: IMAGES / warm.seconds,
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

/** torch's DataLoader + torchvision ImageFolder on the same folder (bench/loader_torch.py), if a venv has torch. */
function torchRows(): { torch: string; torchvision: string; rows: Record<string, number> } | null {
  const python = [process.env.BENCH_PYTHON, join(process.cwd(), ".venv/bin/python")].find((p) => p && existsSync(p));
  if (!python) return null;
  const r = spawnSync(python, [join(process.cwd(), "bench/loader_torch.py"), dir, String(BATCH), String(REPEATS), WORKERS.join(",")], {
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`bench/loader_torch.py failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as { torch: string; torchvision: string; rows: Record<string, number> };
}

const rows: Row[] = [];
const before = await capacity();
for (const w of WORKERS) rows.push(await run(w));
const torch = torchRows();
const after = await capacity();
rmSync(dir, { recursive: true, force: true });

const same = rows.every((r) => r.hashes === rows[0]!.hashes);
const base = rows.find((r) => r.workers === 0)?.imagesPerSecond ?? rows[0]!.imagesPerSecond;
console.log(`\nloader: ${IMAGES} JPEGs (440-560 x 330-420), RandomResizedCrop(224) + flip + ToTensor + Normalize, batches of ${BATCH}`);
console.log(
  `machine: ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}, node ${process.version}`,
);
console.log(`parallel capacity (2 busy threads vs 1, before / after): ${before.toFixed(2)}x / ${after.toFixed(2)}x of one core\n`);
console.log(
  `torch DataLoader + torchvision ImageFolder (same folder, same recipe, PIL decode): ${torch ? `torch ${torch.torch}, torchvision ${torch.torchvision}` : "not run (no .venv/bin/python or BENCH_PYTHON with torch)"}\n`,
);
console.log(
  "| workers | lockstep images/s (best warm epoch) | speed-up | torch DataLoader images/s | lockstep ÷ torch | first epoch (s, incl. worker start) | peak RSS (MiB) |",
);
console.log("|---:|---:|---:|---:|---:|---:|---:|");
for (const r of rows) {
  const t = torch?.rows[String(r.workers)];
  console.log(
    `| ${r.workers} | ${r.imagesPerSecond.toFixed(1)} | ${(r.imagesPerSecond / base).toFixed(2)}x | ${t ? t.toFixed(1) : "-"} | ${t ? (r.imagesPerSecond / t).toFixed(2) + "x" : "-"} | ${r.coldSeconds.toFixed(2)} | ${r.peakRssMiB.toFixed(0)} |`,
  );
}
console.log(`\nbatch bytes identical across worker counts: ${same ? "yes" : "NO"} (epoch sha256 ${rows[0]!.hashes.slice(0, 16)}…)`);
if (!same) process.exit(1);

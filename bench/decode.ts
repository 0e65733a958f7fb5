// JPEG decode throughput, single thread, one interleaved run: lockstep's kernel decoder against
// Pillow and cv2.imdecode (native libjpeg-turbo, timed inside a Python subprocess), sharp
// (libvips + libjpeg-turbo, concurrency 1) and jpeg-js (what jimp uses). Reports images/s and
// the ratios; ratios are what to compare (this machine is shared and noisy).
// Run: npx tsx bench/decode.ts
// Env: BENCH_SECONDS (seconds per timed repeat, default 1), BENCH_PYTHON (default /work/venv/bin/python).
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import sharp from "sharp";
import jpegjs from "jpeg-js";
import { ready } from "../src/index.js";
import { kernel } from "../src/kernel/instance.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 1);
const PYTHON = process.env.BENCH_PYTHON ?? "/work/venv/bin/python";
const REPEATS = 3;
const files = ["bench_500x375_q90_420.jpg", "bench_1920x1080_q90_420.jpg", "bench_500x375_q90_420_prog.jpg"];
const dir = new URL("../tests/codec/jpeg/", import.meta.url);

await ready();
sharp.concurrency(1);
sharp.cache(false);

interface JpegKernel {
  memory: WebAssembly.Memory;
  jpegInfo(src: number, len: number, info: number): number;
  jpegDecode(src: number, len: number, info: number, dst: number, scratch: number): number;
}

/** lockstep: bytes in, kernel decode, pixels out into a reused buffer (what a loader does). */
function lockstepDecoder(bytes: Uint8Array): () => number {
  const { arena } = kernel();
  const k = kernel().exports as unknown as JpegKernel;
  let out = new Uint8Array(0);
  return () => {
    arena.reset();
    const info = arena.alloc(128);
    const src = arena.put(bytes);
    if (k.jpegInfo(src, bytes.length, info) !== 0) throw new Error("jpegInfo failed");
    const slots = new Int32Array(k.memory.buffer, info, 32);
    const n = slots[1]! * slots[2]! * slots[4]!;
    const need = slots[5]!; // read before alloc: growing memory detaches the view
    const dst = arena.alloc(n);
    const scratch = arena.alloc(need);
    if (k.jpegDecode(src, bytes.length, info, dst, scratch) !== 0) throw new Error("jpegDecode failed");
    if (out.length !== n) out = new Uint8Array(n);
    out.set(new Uint8Array(k.memory.buffer, dst, n));
    return out[0]!;
  };
}

function timeSync(fn: () => unknown): number {
  for (let i = 0; i < 3; i++) fn();
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < SECONDS * 1000) {
    fn();
    n++;
    t = performance.now();
  }
  return (t - t0) / n;
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await fn();
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < SECONDS * 1000) {
    await fn();
    n++;
    t = performance.now();
  }
  return (t - t0) / n;
}

const py = `
import sys, time, io, json
from PIL import Image
import cv2, numpy as np
cv2.setNumThreads(1)
secs = float(sys.argv[1]); out = {}
for path in sys.argv[2:]:
    b = open(path, 'rb').read(); arr = np.frombuffer(b, np.uint8)
    def pil(): Image.open(io.BytesIO(b)).load()
    def cv(): cv2.imdecode(arr, cv2.IMREAD_COLOR)
    res = {}
    for name, fn in (('pillow', pil), ('cv2', cv)):
        for _ in range(3): fn()
        n = 0; t0 = time.perf_counter(); t = t0
        while t - t0 < secs: fn(); n += 1; t = time.perf_counter()
        res[name] = (t - t0) / n * 1000
    out[path] = res
print(json.dumps(out))
`;

function python(paths: string[]): Record<string, { pillow: number; cv2: number }> {
  const r = spawnSync(PYTHON, ["-c", py, String(SECONDS), ...paths], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, { pillow: number; cv2: number }>;
}

type Row = Record<string, number[]>;
const results: Record<string, Row> = {};
const paths = files.map((f) => new URL(f, dir).pathname);
for (let rep = 0; rep < REPEATS; rep++) {
  for (const [i, f] of files.entries()) {
    const bytes = new Uint8Array(readFileSync(paths[i]!));
    const buf = Buffer.from(bytes);
    const row = (results[f] ??= {});
    (row.lockstep ??= []).push(timeSync(lockstepDecoder(bytes)));
    (row.sharp ??= []).push(await timeAsync(() => sharp(buf).raw().toBuffer()));
    (row["jpeg-js"] ??= []).push(timeSync(() => jpegjs.decode(buf, { useTArray: true, formatAsRGBA: false })));
  }
  const p = python(paths);
  for (const [i, f] of files.entries()) {
    (results[f]!.pillow ??= []).push(p[paths[i]!]!.pillow);
    (results[f]!["cv2.imdecode"] ??= []).push(p[paths[i]!]!.cv2);
  }
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
console.log(`JPEG decode, single thread, median of ${REPEATS} interleaved repeats of ${SECONDS}s; ${cpus()[0]?.model}, load ${loadavg()[0]!.toFixed(2)}`);
console.log("| file | decoder | ms/image | images/s | lockstep vs it |");
console.log("|---|---|---:|---:|---:|");
for (const f of files) {
  const row = results[f]!;
  const ours = median(row.lockstep!);
  for (const [name, times] of Object.entries(row)) {
    const ms = median(times);
    console.log(`| ${f} | ${name} | ${ms.toFixed(3)} | ${(1000 / ms).toFixed(0)} | ${name === "lockstep" ? "" : `${(ms / ours).toFixed(2)}x`} |`);
  }
}

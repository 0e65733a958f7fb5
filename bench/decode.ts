// JPEG decode throughput, single thread, one interleaved run: lockstep's kernel decoder against
// Pillow and cv2.imdecode (native libjpeg-turbo, timed inside a Python subprocess), sharp
// (libvips + libjpeg-turbo, concurrency 1) and jpeg-js (what jimp uses). Reports images/s and
// the ratios; ratios are what to compare (this machine is shared and noisy).
// Run: npx tsx bench/decode.ts
// Env: BENCH_SECONDS (seconds a timing, default 1), BENCH_REPEATS (default 5),
// BENCH_PYTHON (default /work/venv/bin/python, with Pillow and opencv-python).
import { readFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { cpus, loadavg } from "node:os";
import sharp from "sharp";
import jpegjs from "jpeg-js";
import { ready } from "../src/index.js";
import { kernel } from "../src/kernel/instance.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 1);
const PYTHON = process.env.BENCH_PYTHON ?? "/work/venv/bin/python";
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
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

// Pillow and cv2 run in one long-lived Python process, asked for one timing at a time so their
// runs interleave with the JavaScript ones.
const py = `
import sys, time, io, json
from PIL import Image
import cv2, numpy as np
cv2.setNumThreads(1)
for line in sys.stdin:
    name, secs, path = line.split(" ", 2)
    b = open(path.strip(), 'rb').read(); arr = np.frombuffer(b, np.uint8)
    fn = (lambda: Image.open(io.BytesIO(b)).load()) if name == 'pillow' else (lambda: cv2.imdecode(arr, cv2.IMREAD_COLOR))
    for _ in range(3): fn()
    n = 0; t0 = time.perf_counter(); t = t0
    while t - t0 < float(secs): fn(); n += 1; t = time.perf_counter()
    print(json.dumps((t - t0) / n * 1000), flush=True)
`;

const child = spawn(PYTHON, ["-c", py], { stdio: ["pipe", "pipe", "inherit"] });
const lines = createInterface({ input: child.stdout! });
const pending: ((v: string) => void)[] = [];
lines.on("line", (l) => pending.shift()?.(l));
function python(name: "pillow" | "cv2", path: string): Promise<number> {
  return new Promise((resolve) => {
    pending.push((l) => resolve(JSON.parse(l) as number));
    child.stdin!.write(`${name} ${SECONDS} ${path}\n`);
  });
}

// Each repeat times every decoder once per file, lockstep before and after the others; the
// ratio of a repeat compares lockstep's mean with each decoder from that same repeat.
const ratios: Record<string, Record<string, number[]>> = {};
const times: Record<string, Record<string, number[]>> = {};
for (let rep = 0; rep < REPEATS; rep++) {
  for (const f of files) {
    const path = new URL(f, dir).pathname;
    const bytes = new Uint8Array(readFileSync(path));
    const buf = Buffer.from(bytes);
    const ours0 = timeSync(lockstepDecoder(bytes));
    const other: Record<string, number> = {
      pillow: await python("pillow", path),
      "cv2.imdecode": await python("cv2", path),
      sharp: await timeAsync(() => sharp(buf).raw().toBuffer()),
      "jpeg-js": timeSync(() => jpegjs.decode(buf, { useTArray: true, formatAsRGBA: false })),
    };
    const ours = (ours0 + timeSync(lockstepDecoder(bytes))) / 2;
    ((times[f] ??= {}).lockstep ??= []).push(ours);
    for (const [name, ms] of Object.entries(other)) {
      (times[f]![name] ??= []).push(ms);
      ((ratios[f] ??= {})[name] ??= []).push(ms / ours);
    }
  }
}
child.stdin!.end();

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
console.log(
  `JPEG decode, single thread, ${REPEATS} interleaved repeats of ${SECONDS}s (medians); ${cpus()[0]?.model}, ${cpus().length} cores, load ${loadavg()[0]!.toFixed(2)}`,
);
console.log("| file | decoder | ms/image | images/s | lockstep speed vs it |");
console.log("|---|---|---:|---:|---:|");
for (const f of files) {
  for (const [name, t] of Object.entries(times[f]!)) {
    const ms = median(t);
    const ratio = name === "lockstep" ? "" : `${median(ratios[f]![name]!).toFixed(2)}x`;
    console.log(`| ${f} | ${name} | ${ms.toFixed(3)} | ${(1000 / ms).toFixed(0)} | ${ratio} |`);
  }
}

// JPEG encode throughput at quality 75, single thread, one interleaved run: lockstep's kernel
// encoder (F.encodeJpeg: pixels in, file bytes out) against Pillow's save(quality=75) and
// cv2.imencode (native libjpeg-turbo, timed inside a Python subprocess) and sharp (libvips +
// libjpeg-turbo, concurrency 1; once with its default optimiseCoding, once without, which is the
// same job as ours). The same pixels go to every encoder; the table says whether each one wrote
// lockstep's bytes. Ratios are what to compare (this machine is shared and noisy).
// Run: npx tsx bench/encode.ts
// Env: BENCH_SECONDS (seconds a timing, default 1), BENCH_REPEATS (default 5),
// BENCH_PYTHON (default /work/venv/bin/python, with Pillow and opencv-python).
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir, cpus, loadavg } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createInterface } from "node:readline";
import sharp from "sharp";
import { F, ready, type Image } from "../src/index.js";
import { kernel } from "../src/kernel/instance.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 1);
const PYTHON = process.env.BENCH_PYTHON ?? "/work/venv/bin/python";
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const QUALITY = 75;

await ready();
sharp.concurrency(1);
sharp.cache(false);

interface DecodeKernel {
  memory: WebAssembly.Memory;
  jpegInfo(src: number, len: number, info: number): number;
  jpegDecode(src: number, len: number, info: number, dst: number, scratch: number): number;
}

/** The decoder corpus's bench photos, decoded by the kernel (Pillow's pixels). */
function photo(file: string): Image {
  const bytes = new Uint8Array(readFileSync(new URL(`../tests/codec/jpeg/${file}`, import.meta.url)));
  const { arena } = kernel();
  const k = kernel().exports as unknown as DecodeKernel;
  arena.reset();
  const info = arena.alloc(128);
  const src = arena.put(bytes);
  if (k.jpegInfo(src, bytes.length, info) !== 0) throw new Error("jpegInfo failed");
  const slots = new Int32Array(k.memory.buffer.slice(info, info + 128));
  const [w, h, c] = [slots[1]!, slots[2]!, slots[4]!];
  const dst = arena.alloc(w * h * c);
  const scratch = arena.alloc(slots[5]!);
  if (k.jpegDecode(src, bytes.length, info, dst, scratch) !== 0) throw new Error("jpegDecode failed");
  return { width: w, height: h, channels: c as 3, data: arena.takeU8(dst, w * h * c) };
}

function green(img: Image): Image {
  const data = new Uint8Array(img.width * img.height);
  for (let i = 0; i < data.length; i++) data[i] = img.data[i * 3 + 1]!;
  return { width: img.width, height: img.height, channels: 1, data };
}

const rgb500 = photo("bench_500x375_q90_420.jpg");
const cases: { name: string; img: Image }[] = [
  { name: "500x375 RGB", img: rgb500 },
  { name: "500x375 grey", img: green(rgb500) },
  { name: "1920x1080 RGB", img: photo("bench_1920x1080_q90_420.jpg") },
];

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

// Pillow and cv2 in one long-lived Python process, asked for one timing at a time so their runs
// interleave with the JavaScript ones. Each answer: ms per file and the SHA-256 of the file.
const py = `
import sys, time, io, json, hashlib
from PIL import Image
import cv2, numpy as np
cv2.setNumThreads(1)
for line in sys.stdin:
    name, secs, q, w, h, c, path = line.split(" ", 6)
    w, h, c, q = int(w), int(h), int(c), int(q)
    raw = np.fromfile(path.strip(), np.uint8).reshape(h, w, c)
    if name == 'pillow':
        im = Image.frombytes('RGB' if c == 3 else 'L', (w, h), raw.tobytes())
        def fn():
            b = io.BytesIO(); im.save(b, 'JPEG', quality=q); return b.getvalue()
    else:
        arr = np.ascontiguousarray(raw[:, :, ::-1]) if c == 3 else raw[:, :, 0]
        fn = lambda: cv2.imencode('.jpg', arr, [cv2.IMWRITE_JPEG_QUALITY, q])[1].tobytes()
    for _ in range(3): out = fn()
    n = 0; t0 = time.perf_counter(); t = t0
    while t - t0 < float(secs): fn(); n += 1; t = time.perf_counter()
    print(json.dumps([(t - t0) / n * 1000, hashlib.sha256(out).hexdigest()]), flush=True)
`;

const child = spawn(PYTHON, ["-c", py], { stdio: ["pipe", "pipe", "inherit"] });
const lines = createInterface({ input: child.stdout! });
const pending: ((v: string) => void)[] = [];
lines.on("line", (l) => pending.shift()?.(l));
function python(name: "pillow" | "cv2", img: Image, path: string): Promise<[number, string]> {
  return new Promise((resolve) => {
    pending.push((l) => resolve(JSON.parse(l) as [number, string]));
    child.stdin!.write(`${name} ${SECONDS} ${QUALITY} ${img.width} ${img.height} ${img.channels} ${path}\n`);
  });
}

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const dir = mkdtempSync(join(tmpdir(), "lockstep-bench-encode-"));
const ratios: Record<string, Record<string, number[]>> = {};
const times: Record<string, Record<string, number[]>> = {};
const same: Record<string, Record<string, boolean>> = {};
try {
  for (let rep = 0; rep < REPEATS; rep++) {
    for (const { name, img } of cases) {
      const path = join(dir, `${name.replace(/\W+/g, "_")}.raw`);
      if (rep === 0) writeFileSync(path, img.data);
      const ours = F.encodeJpeg(img, { quality: QUALITY });
      const raw = { raw: { width: img.width, height: img.height, channels: img.channels } };
      const buf = Buffer.from(img.data);
      const t0 = timeSync(() => F.encodeJpeg(img, { quality: QUALITY }));
      const [pil, pilSha] = await python("pillow", img, path);
      const [cv, cvSha] = await python("cv2", img, path);
      const sharpDefault = await sharp(buf, raw).jpeg({ quality: QUALITY }).toBuffer();
      const sharpPlain = await sharp(buf, raw).jpeg({ quality: QUALITY, optimiseCoding: false }).toBuffer();
      const other: Record<string, number> = {
        "Pillow save(quality=75)": pil,
        "cv2.imencode": cv,
        "sharp (optimiseCoding off)": await timeAsync(() => sharp(buf, raw).jpeg({ quality: QUALITY, optimiseCoding: false }).toBuffer()),
        "sharp (defaults: optimiseCoding on)": await timeAsync(() => sharp(buf, raw).jpeg({ quality: QUALITY }).toBuffer()),
      };
      const mine = (t0 + timeSync(() => F.encodeJpeg(img, { quality: QUALITY }))) / 2;
      const s = (same[name] ??= {});
      s["Pillow save(quality=75)"] = pilSha === sha(ours);
      s["cv2.imencode"] = cvSha === sha(ours);
      s["sharp (optimiseCoding off)"] = sha(sharpPlain) === sha(ours);
      s["sharp (defaults: optimiseCoding on)"] = sha(sharpDefault) === sha(ours);
      ((times[name] ??= {}).lockstep ??= []).push(mine);
      for (const [n, ms] of Object.entries(other)) {
        (times[name]![n] ??= []).push(ms);
        ((ratios[name] ??= {})[n] ??= []).push(ms / mine);
      }
    }
  }
} finally {
  child.stdin!.end();
  rmSync(dir, { recursive: true, force: true });
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
console.log(
  `JPEG encode at quality ${QUALITY}, single thread, ${REPEATS} interleaved repeats of ${SECONDS}s (medians); ${cpus()[0]?.model}, ${cpus().length} cores, load ${loadavg()[0]!.toFixed(2)}`,
);
console.log("| image | encoder | ms/image | images/s | lockstep speed vs it | same bytes as lockstep |");
console.log("|---|---|---:|---:|---:|---|");
for (const { name } of cases) {
  for (const [n, t] of Object.entries(times[name]!)) {
    const ms = median(t);
    const ratio = n === "lockstep" ? "" : `${median(ratios[name]![n]!).toFixed(2)}x`;
    const eq = n === "lockstep" ? "" : same[name]![n] ? "yes" : "no";
    console.log(`| ${name} | ${n} | ${ms.toFixed(3)} | ${(1000 / ms).toFixed(0)} | ${ratio} | ${eq} |`);
  }
}

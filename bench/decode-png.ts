// PNG decode and encode, single-threaded: lockstep's kernel codec against Pillow and
// cv2.imdecode (timed in a Python subprocess driven from this run), sharp (libvips, raw output,
// concurrency 1), jimp (Jimp.fromBuffer) and its PNG codec pngjs. Rounds are interleaved (every
// contender on every file, then again) and each figure is the median round. Time is the
// process's CPU time (all threads: sharp's worker too; Python's process_time), which other load
// on a shared machine disturbs far less than the wall clock (BENCH_CLOCK=wall for that); read
// the ratios.
//
// Run: npx tsx bench/decode-png.ts
// Env: BENCH_ROUNDS (default 5), BENCH_MS (time per measurement, default 300),
//      PYTHON (default /work/venv/bin/python, needs Pillow, numpy and opencv-python).
//
// Decode means: bytes in memory -> the image's pixels in the decoder's native layout.
// lockstep: pngInfo + pngDecode + a copy out to a fresh Uint8Array (what `decode` returns);
// Pillow: Image.open(BytesIO(b)).load(); cv2: cv2.imdecode(buf, IMREAD_UNCHANGED);
// sharp: sharp(b).raw().toBuffer(); jimp: Jimp.fromBuffer(b); pngjs: PNG.sync.read(b) (RGBA).
// Encode means: RGB(A) pixels -> PNG bytes, each library's defaults; sizes are reported too.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { createInterface } from "node:readline";
import { PNG } from "pngjs";
import { Jimp } from "jimp";
import sharp from "sharp";
import { ready } from "../src/index.js";
import { encodePng } from "../src/io/encode.js";
import { kernel } from "../src/kernel/instance.js";
import { kernelPngDecode } from "./png-kernel.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const MS = Number(process.env.BENCH_MS ?? 200);
const STAT = process.env.BENCH_STAT === "best" ? "best" : "median";
const WALL = process.env.BENCH_CLOCK === "wall";
const PYTHON = process.env.PYTHON ?? "/work/venv/bin/python";
const FILES = ["samples/astronaut.png", "samples/chelsea.png", "samples/coffee.png", "tests/codec/png/photo-coffee-rgba.png"];
const root = new URL("../", import.meta.url);

await ready();
sharp.concurrency(1);
sharp.cache(false);
const { exports: k, arena } = kernel();

/** lockstep: the kernel decode as a host runs it, with the pixels copied out. */
const lockstepDecode = (bytes: Uint8Array): Uint8Array => kernelPngDecode({ k, arena }, bytes);

/** Runs `fn` for about MS milliseconds of wall time (at least 3 times); ms of CPU (or wall) per call. */
async function time(fn: () => unknown): Promise<number> {
  let n = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let t = t0;
  while (n < 3 || t - t0 < MS) {
    await fn();
    n++;
    t = performance.now();
  }
  const c = process.cpuUsage(c0);
  return (WALL ? t - t0 : (c.user + c.system) / 1000) / n;
}

// ---- the Python side: one process, asked for one measurement at a time ----
const PY = String.raw`
import io, json, sys, time
import numpy as np
import cv2
from PIL import Image
import PIL
cv2.setNumThreads(1)
print(json.dumps({"Pillow": PIL.__version__, "cv2": cv2.__version__, "numpy": np.__version__}), flush=True)
cache = {}
for line in sys.stdin:
    req = json.loads(line)
    path, what, ms = req["file"], req["what"], req["ms"]
    if path not in cache:
        b = open(path, "rb").read()
        im = Image.open(io.BytesIO(b)); im.load()
        cache[path] = (b, np.frombuffer(b, np.uint8), im, cv2.imdecode(np.frombuffer(b, np.uint8), cv2.IMREAD_UNCHANGED))
    b, arr, im, mat = cache[path]
    if what == "pillow-decode":
        fn = lambda: Image.open(io.BytesIO(b)).load()
    elif what == "cv2-decode":
        fn = lambda: cv2.imdecode(arr, cv2.IMREAD_UNCHANGED)
    elif what == "pillow-encode":
        fn = lambda: im.save(io.BytesIO(), "PNG")
    elif what == "cv2-encode":
        fn = lambda: cv2.imencode(".png", mat)
    n = 0
    t0 = t = time.perf_counter()
    c0 = time.process_time()
    while n < 3 or (t - t0) * 1000 < ms:
        fn(); n += 1; t = time.perf_counter()
    spent = (t - t0) if req["wall"] else (time.process_time() - c0)
    size = 0
    if what == "pillow-encode":
        out = io.BytesIO(); im.save(out, "PNG"); size = len(out.getvalue())
    elif what == "cv2-encode":
        size = len(cv2.imencode(".png", mat)[1])
    print(json.dumps({"ms": spent * 1000 / n, "size": size}), flush=True)
`;
const py = spawn(PYTHON, ["-c", PY], { cwd: new URL(".", root), stdio: ["pipe", "pipe", "inherit"] });
const lines = createInterface({ input: py.stdout! })[Symbol.asyncIterator]();
const pyVersions = JSON.parse((await lines.next()).value as string) as Record<string, string>;
async function python(file: string, what: string): Promise<{ ms: number; size: number }> {
  py.stdin!.write(JSON.stringify({ file, what, ms: MS, wall: WALL }) + "\n");
  const { value, done } = await lines.next();
  if (done) throw new Error("the Python side ended");
  return JSON.parse(value as string) as { ms: number; size: number };
}

// ---- inputs ----
interface Input {
  name: string;
  path: string;
  bytes: Uint8Array;
  buf: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
  pixels: Uint8Array;
}
const inputs: Input[] = FILES.map((path) => {
  const bytes = new Uint8Array(readFileSync(new URL(path, root)));
  const pixels = lockstepDecode(bytes);
  const width = (bytes[16]! << 24) | (bytes[17]! << 16) | (bytes[18]! << 8) | bytes[19]!;
  const height = (bytes[20]! << 24) | (bytes[21]! << 16) | (bytes[22]! << 8) | bytes[23]!;
  const channels = (pixels.length / (width * height)) as 3 | 4;
  return { name: path.split("/").pop()!, path, bytes, buf: Buffer.from(bytes), width, height, channels, pixels };
});

// Same pixels from every decoder (a benchmark of wrong answers is worthless).
for (const i of inputs) {
  const s = await sharp(i.buf).raw().toBuffer();
  if (!Buffer.from(i.pixels).equals(s)) throw new Error(`${i.name}: sharp decodes other pixels`);
}

type Row = Record<string, number[]>;
const decode: Record<string, Row> = {};
const encode: Record<string, Row> = {};
const sizes: Record<string, Record<string, number>> = {};
const push = (t: Record<string, Row>, file: string, who: string, v: number) => ((t[file] ??= {})[who] ??= []).push(v);

for (let round = 0; round < ROUNDS; round++) {
  for (const i of inputs) {
    push(decode, i.name, "lockstep", await time(() => lockstepDecode(i.bytes)));
    push(decode, i.name, "Pillow", (await python(i.path, "pillow-decode")).ms);
    push(decode, i.name, "cv2", (await python(i.path, "cv2-decode")).ms);
    push(decode, i.name, "sharp", await time(() => sharp(i.buf).raw().toBuffer()));
    push(decode, i.name, "jimp", await time(() => Jimp.fromBuffer(i.buf)));
    push(decode, i.name, "pngjs", await time(() => PNG.sync.read(i.buf)));

    const img = { width: i.width, height: i.height, channels: i.channels, data: i.pixels };
    const raw = { raw: { width: i.width, height: i.height, channels: i.channels } };
    const rgba = i.channels === 4 ? Buffer.from(i.pixels) : toRGBA(i.pixels);
    push(encode, i.name, "lockstep", await time(() => encodePng(img)));
    push(encode, i.name, "sharp", await time(() => sharp(i.pixels, raw).png().toBuffer()));
    push(encode, i.name, "pngjs", await time(() => PNG.sync.write(pngjsImage(i, rgba))));
    const pe = await python(i.path, "pillow-encode");
    push(encode, i.name, "Pillow", pe.ms);
    const ce = await python(i.path, "cv2-encode");
    push(encode, i.name, "cv2", ce.ms);
    if (round === 0) {
      sizes[i.name] = {
        lockstep: (await encodePng(img)).length,
        sharp: (await sharp(i.pixels, raw).png().toBuffer()).length,
        pngjs: PNG.sync.write(pngjsImage(i, rgba)).length,
        Pillow: pe.size,
        cv2: ce.size,
      };
    }
  }
}
py.stdin!.end();

function toRGBA(rgb: Uint8Array): Buffer {
  const out = Buffer.alloc((rgb.length / 3) * 4, 255);
  for (let p = 0, q = 0; p < rgb.length; p += 3, q += 4) {
    out[q] = rgb[p]!;
    out[q + 1] = rgb[p + 1]!;
    out[q + 2] = rgb[p + 2]!;
  }
  return out;
}

function pngjsImage(i: Input, rgba: Buffer): InstanceType<typeof PNG> {
  const p = new PNG({ width: i.width, height: i.height, colorType: i.channels === 4 ? 6 : 2, inputHasAlpha: true });
  p.data = rgba;
  return p;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[STAT === "best" ? 0 : v.length >> 1]!;
const who = ["lockstep", "Pillow", "cv2", "sharp", "jimp", "pngjs"];

console.log(
  `# PNG decode/encode, single-threaded (${ROUNDS} interleaved rounds, ${STAT === "best" ? "best round" : "median"}, ${WALL ? "wall clock" : "CPU time"})`,
);
console.log(
  `node ${process.version}, Pillow ${pyVersions.Pillow}, cv2 ${pyVersions.cv2}, sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips}), ${cpus()[0]?.model}, load ${loadavg()[0]!.toFixed(1)}\n`,
);
for (const [title, table, order] of [
  ["decode", decode, who],
  ["encode", encode, ["lockstep", "Pillow", "cv2", "sharp", "pngjs"]],
] as const) {
  console.log(`## ${title}: ms per image (in brackets: that time / lockstep's)\n`);
  console.log(`| file | ${order.join(" | ")} |`);
  console.log(`|---|${order.map(() => "---:").join("|")}|`);
  for (const i of inputs) {
    const r = table[i.name]!;
    const ours = median(r.lockstep!);
    console.log(
      `| ${i.name} ${i.width}x${i.height}x${i.channels} | ${order.map((w) => (w === "lockstep" ? ours.toFixed(2) : `${median(r[w]!).toFixed(2)} (${(median(r[w]!) / ours).toFixed(1)}x)`)).join(" | ")} |`,
    );
  }
  console.log();
}
console.log("## encoded size, bytes (each library's defaults)\n");
const so = ["lockstep", "Pillow", "cv2", "sharp", "pngjs"];
console.log(`| file | ${so.join(" | ")} |`);
console.log(`|---|${so.map(() => "---:").join("|")}|`);
for (const i of inputs) console.log(`| ${i.name} | ${so.map((w) => sizes[i.name]![w]).join(" | ")} |`);

// Micro-benchmark of the resampler's passes, called on raw kernel instances (no host copies),
// the training recipe end to end, and a digest of many outputs (same bytes before/after a
// kernel change). Run: npx tsx bench/kernel-micro.ts
// Env: MICRO_REPS (default 200); MICRO_BASE=other.wasm also times that build, interleaved;
// MICRO_ONLY=substring runs only the matching kernel cases (no end to end, no digest).
import { createHash } from "node:crypto";
import { ready, init, Compose, RandomResizedCrop, RandomHorizontalFlip, ToTensor, Normalize, F } from "../src/index.ts";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { FILTER, FLAG } from "../src/kernel/exports.ts";
import { synthetic } from "../tests/helpers/recipes.ts";
import { rawKernel } from "./raw-kernel.ts";

// MICRO_E2E_WASM=other.wasm: the end-to-end run and the digest use that build.
if (process.env.MICRO_E2E_WASM) await init({ bytes: readFileSync(process.env.MICRO_E2E_WASM) });
else await ready();
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const REPS = Number(process.env.MICRO_REPS ?? 200);
const ONLY = process.env.MICRO_ONLY ?? "";
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

/** The kernel at `path` with the inputs, scratch, Normalize's mean/std and an output in its memory. */
function load(path: string) {
  const k = rawKernel(path);
  const src = k.put(SRC.data);
  const big = k.put(BIG.data);
  const scratch = k.alloc(k.ex.resampleScratch(1024, 768, 1024, 768, 1024, 768, 4, FILTER.bicubic, 1) * 2);
  const norm = k.alloc(24);
  new Float32Array(k.ex.memory.buffer).set([...MEAN, ...STD], norm >> 2);
  const dst = k.alloc(500 * 500 * 4 * 4);
  return { ex: k.ex, src, big, scratch, norm, dst };
}
type K = ReturnType<typeof load>;

const SRC = synthetic(500, 375, 3);
const BIG = synthetic(1024, 768, 3, 5);
const kernels: [string, K][] = [["new", load(join(root, "build/lockstep.wasm"))]];
if (process.env.MICRO_BASE) kernels.push(["base", load(process.env.MICRO_BASE)]);

// The machine is shared: many short repeats (about 1 ms each) and their minimum, the time of
// a repeat nobody interrupted.
const now = () => performance.now();

/** Min over REPS of the mean time of n calls, the kernels' repeats interleaved. */
function time(name: string, f: (k: K) => void): void {
  if (ONLY && !name.includes(ONLY)) return;
  const best = kernels.map(() => Infinity);
  for (const [, k] of kernels) for (let i = 0; i < 10; i++) f(k);
  const t0 = now();
  f(kernels[0]![1]);
  const n = Math.max(1, Math.round(1 / Math.max(now() - t0, 1e-3)));
  for (let r = 0; r < REPS; r++) {
    kernels.forEach(([, k], j) => {
      const t = now();
      for (let i = 0; i < n; i++) f(k);
      best[j] = Math.min(best[j]!, (now() - t) / n);
    });
  }
  const cols = best.map((b, j) => `${kernels[j]![0]} ${(b * 1000).toFixed(1).padStart(8)} us`);
  if (best.length > 1) cols.push(`new/base ${(best[0]! / best[1]!).toFixed(3)}`);
  console.log(name.padEnd(44), cols.join("   "));
}

/** box (bl, bt, bw, bh) of the 500x375 RGB source -> ow x oh (whole window). */
const rs =
  (bl: number, bt: number, bw: number, bh: number, ow: number, oh: number, flags = 0, filter: number = FILTER.bilinear, aa = 1, c = 3) =>
  (k: K) =>
    k.ex.resample(k.src, 500, 375, c, bl, bt, bw, bh, ow, oh, 0, 0, ow, oh, filter, aa, flags, k.norm, k.dst, k.scratch);

time("H only 500->224 (x224 rows)", rs(0, 0, 500, 224, 224, 224));
time("V only 375->224 (x224x3 cols)", rs(0, 0, 224, 375, 224, 224));
time("H+V 500x375->224x224 u8", rs(0, 0, 500, 375, 224, 224));
time("H+V 500x375->224x224 tensor", rs(0, 0, 500, 375, 224, 224, FLAG.tensor));
time("setup: 500x375 -> 224x224, window 224x1", (k) =>
  k.ex.resample(k.src, 500, 375, 3, 0, 0, 500, 375, 224, 224, 0, 100, 224, 1, FILTER.bilinear, 1, FLAG.tensor, k.norm, k.dst, k.scratch),
);
time("copy 224x224 u8", rs(0, 0, 224, 224, 224, 224));
time("tensor emit 224x224 (copy + ToTensor)", rs(0, 0, 224, 224, 224, 224, FLAG.tensor));
time("tensor emit 224x224 hflip", rs(0, 0, 224, 224, 224, 224, FLAG.tensor | FLAG.hflip));
time("upscale H 150->224 (x224 rows)", rs(0, 0, 150, 224, 224, 224));
time("upscale V 150->224", rs(0, 0, 224, 150, 224, 224));
time("bicubic H+V 500x375->224x224", rs(0, 0, 500, 375, 224, 224, 0, FILTER.bicubic));
time("RGBA H+V 375x281->224x224", rs(0, 0, 375, 281, 224, 224, 0, FILTER.bilinear, 1, 4));
time("gray H+V 500x375->224x224", rs(0, 0, 500, 375, 224, 224, 0, FILTER.bilinear, 1, 1));
/** box (bl, bt, bw, bh) of the 1024x768 RGB source -> 224x224 (whole window). */
const big =
  (bl: number, bt: number, bw: number, bh: number, flags = 0, filter: number = FILTER.bilinear) =>
  (k: K) =>
    k.ex.resample(k.big, 1024, 768, 3, bl, bt, bw, bh, 224, 224, 0, 0, 224, 224, filter, 1, flags, k.norm, k.dst, k.scratch);
time("H only 1024->224 (x224 rows)", big(0, 0, 1024, 224));
time("H+V 1024x768->224x224 u8", big(0, 0, 1024, 768));
time("H+V 1024x768 box 700x560->224x224 tensor", big(100, 80, 700, 560, FLAG.tensor));
time("bicubic H+V 1024x768->224x224", big(0, 0, 1024, 768, 0, FILTER.bicubic));

// The training recipe on the same 256 crops as bench/table.ts (kernel only, then end to end).
const train = new Compose([new RandomResizedCrop(224), new RandomHorizontalFlip(), new ToTensor(), new Normalize(MEAN, STD)]);
const img = synthetic(500, 375, 3, 7);
const NBOX = 256;
const plans = Array.from({ length: NBOX }, (_, i) => {
  const p = train.sample(img, { seed: 1, index: i }) as unknown as [
    { top: number; left: number; height: number; width: number },
    { flip: boolean },
  ];
  return { ...p[0], flip: !!p[1].flip };
});
/**
 * Per crop, the minimum over `reps` of one call (each run's repeats interleaved); the mean
 * over crops, so every repeat times the same work.
 */
function perCrop(runs: ((i: number) => void)[], reps: number): number[] {
  const sum = runs.map(() => 0);
  for (let i = 0; i < CROPS; i++) {
    const best = runs.map(() => Infinity);
    for (let r = 0; r < reps; r++) {
      runs.forEach((run, j) => {
        const t = now();
        run(i);
        best[j] = Math.min(best[j]!, now() - t);
      });
    }
    best.forEach((b, j) => (sum[j]! += b));
  }
  return sum.map((x) => x / CROPS);
}
const CROPS = 64;
if (!ONLY || "train".includes(ONLY)) {
  const res = perCrop(
    kernels.map(([, k]) => (i: number) => {
      const b = plans[i]!;
      k.ex.resample(
        k.src,
        500,
        375,
        3,
        b.left,
        b.top,
        b.width,
        b.height,
        224,
        224,
        0,
        0,
        224,
        224,
        FILTER.bilinear,
        1,
        FLAG.tensor | (b.flip ? FLAG.hflip : 0),
        k.norm,
        k.dst,
        k.scratch,
      );
    }),
    Math.ceil(REPS / 10),
  );
  console.log(
    `train crops, kernel only (mean of ${CROPS})`.padEnd(44),
    res.map((t, j) => `${kernels[j]![0]} ${(t * 1000).toFixed(1).padStart(8)} us`).join("   "),
    res.length > 1 ? `   new/base ${(res[0]! / res[1]!).toFixed(3)}` : "",
  );
}
if (ONLY && ONLY !== "e2e") process.exit(0);
const tensorOut = new Float32Array(3 * 224 * 224);
const [e2e] = perCrop([(i) => void train.apply(img, { seed: 1, index: i, out: tensorOut })], Math.ceil(REPS / 10));
console.log(`train recipe end to end (train.apply)`.padEnd(44), (e2e! * 1000).toFixed(1), "us");

// The fastest JavaScript peer of bench/table.ts, opencv.js INTER_LINEAR, on the same crops and image.
try {
  const mod = await import("@techstark/opencv-js");
  let cv: any = (mod as any).default ?? mod;
  if (cv instanceof Promise) cv = await cv;
  else if (!cv.Mat) await new Promise<void>((r) => (cv.onRuntimeInitialized = r));
  const src = new cv.Mat(375, 500, cv.CV_8UC3);
  src.data.set(img.data);
  const rsz = new cv.Mat(),
    fl = new cv.Mat(),
    fp = new cv.Mat(),
    planes = new cv.MatVector();
  const sz = new cv.Size(224, 224);
  const scale = STD.map((sd) => 1 / (255 * sd));
  const bias = MEAN.map((m, c) => -m / STD[c]!);
  const [ocv] = perCrop(
    [
      (i) => {
        const b = plans[i]!;
        const roi = src.roi(new cv.Rect(b.left, b.top, b.width, b.height));
        cv.resize(roi, rsz, sz, 0, 0, cv.INTER_LINEAR);
        roi.delete();
        let m = rsz;
        if (b.flip) {
          cv.flip(rsz, fl, 1);
          m = fl;
        }
        cv.split(m, planes);
        for (let c = 0; c < 3; c++) {
          const pl = planes.get(c);
          pl.convertTo(fp, cv.CV_32F, scale[c], bias[c]);
          tensorOut.set(fp.data32F, c * 224 * 224);
          pl.delete();
        }
      },
    ],
    Math.ceil(REPS / 10),
  );
  console.log(
    `opencv.js INTER_LINEAR, same crops`.padEnd(44),
    (ocv! * 1000).toFixed(1),
    "us",
    `  lockstep speedup ${(ocv! / e2e!).toFixed(2)}x`,
  );
} catch (err) {
  console.log("opencv.js not measured:", (err as Error).message);
}

// Digest of many outputs: train tensors, u8 resizes of every filter/channel count, up and down.
const h = createHash("sha256");
for (let i = 0; i < 64; i++) {
  const t = train.apply(img, { seed: 3, index: i });
  h.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
}
for (const c of [1, 3, 4] as const) {
  const im = synthetic(61, 47, c, c);
  for (const interpolation of ["nearest", "bilinear", "bicubic"] as const) {
    for (const [hh, ww] of [
      [20, 13],
      [47, 61],
      [100, 131],
      [9, 140],
      [140, 9],
      [1, 1],
      [3, 200],
    ]) {
      for (const antialias of [true, false]) {
        const r = F.resize(im, [hh!, ww!], { interpolation, antialias });
        h.update(r.data);
      }
    }
  }
}
console.log("digest", h.digest("hex").slice(0, 16));

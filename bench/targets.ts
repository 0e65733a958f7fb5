// Detection recipe benchmark: lockstep vs torchvision 0.28 v2 in the same run (torchvision in a
// Python subprocess, one thread), and what boxes and key points add to an image transform.
// Run: npx tsx bench/targets.ts   (needs /work/venv/bin/python with torch + torchvision, or PYTHON=...)
// Env: BENCH_SECONDS (seconds per timed repeat, default 1).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PNG } from "pngjs";
import * as L from "../src/index.js";
import { splitSample } from "../src/targets/sample.js";

const K = 32; // every variant runs the same 32 keys, so each does the same work
const here = dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1);
const PYTHON = process.env.PYTHON ?? "/work/venv/bin/python";

await L.ready();
const png = PNG.sync.read(readFileSync(join(here, "../samples/chelsea.png")));
const rgb = new Uint8Array(png.width * png.height * 3);
for (let p = 0; p < png.width * png.height; p++) rgb.set(png.data.subarray(p * 4, p * 4 + 3), p * 3);
const img = L.F.resize({ width: png.width, height: png.height, channels: 3, data: rgb }, [375, 500]);
const W = img.width,
  H = img.height;

/** 20 boxes spread over the image (XYXY, float32), as in a busy COCO image. */
const rows = Array.from({ length: 20 }, (_, i) => {
  const x = ((i * 97) % 420) + 0.5,
    y = ((i * 53) % 300) + 0.25;
  return [x, y, x + 30 + (i % 5) * 9, y + 25 + (i % 4) * 11];
});
const sample = () => ({
  image: img,
  boxes: L.boundingBoxes(rows, { format: "XYXY", canvasSize: [H, W] }),
  labels: rows.map((_, i) => i % 7),
});
const withPoints = () => ({
  ...sample(),
  points: L.keyPoints(
    rows.flatMap(([x1, y1, x2, y2]) => [
      [x1!, y1!],
      [x2!, y2!],
    ]),
    { canvasSize: [H, W] },
  ),
});

/**
 * Samples per second of each variant: cycles of fn(0..K-1), the variants interleaved cycle by
 * cycle for about SECONDS * 3 per variant, the fastest cycle kept (the machine is shared, and
 * the fastest cycle is the one least disturbed).
 */
function rates(fns: ((i: number) => void)[]): number[] {
  const best = fns.map(() => Infinity);
  for (const fn of fns) for (let i = 0; i < K; i++) fn(i); // warm-up
  const until = performance.now() + SECONDS * 3000 * fns.length;
  do {
    fns.forEach((fn, v) => {
      const t0 = performance.now();
      for (let i = 0; i < K; i++) fn(i);
      best[v] = Math.min(best[v]!, performance.now() - t0);
    });
  } while (performance.now() < until);
  return best.map((ms) => K / (ms / 1000));
}

const recipe = (sideRange: [number, number]) =>
  new L.Compose([
    new L.RandomZoomOut({ fill: { image: [123, 117, 104], mask: 0 }, sideRange }),
    new L.RandomIoUCrop(),
    new L.RandomHorizontalFlip(),
    new L.Resize([320, 320]),
    new L.SanitizeBoundingBoxes(),
  ]);
const det = recipe([1, 4]);
const imageOnly = new L.Compose([new L.RandomZoomOut({ sideRange: [1, 4] }), new L.RandomHorizontalFlip(), new L.Resize([320, 320])]);

const [lockDet] = rates([(i) => det.apply(sample(), { seed: 1, index: i })]) as [number];
// What targets add: their own work (splitting the sample, moving boxes / key points, rebuilding),
// timed alone on the same params, against the image transform alone. Timing the two together
// would bury a ~1% difference under this shared machine's noise.
const metaOf = { kind: "image" as const, width: W, height: H, channels: 3 as const };
const paramsOf = Array.from({ length: K }, (_, i) => imageOnly.sample(img, { seed: 1, index: i }));
const targetsOnly = (make: () => object) => (i: number) => {
  const s = splitSample(make());
  s.rebuild(img, imageOnly.mapTargets(paramsOf[i]!, metaOf, s.state!));
};
const [plain, boxesCost, pointsCost] = rates([
  (i) => imageOnly.apply(img, { seed: 1, index: i }),
  targetsOnly(sample),
  targetsOnly(withPoints),
]) as [number, number, number];

let tv: { tensor: number; pil: number; version: string; cpu: string } | null = null;
let tvError = "";
if (existsSync(PYTHON)) {
  try {
    const out = execFileSync(PYTHON, [join(here, "targets_torchvision.py"), String(SECONDS)], {
      encoding: "utf8",
      maxBuffer: 1 << 20,
      stdio: ["ignore", "pipe", "pipe"],
    });
    tv = JSON.parse(out.trim().split("\n").pop()!);
  } catch (e) {
    tvError = (e as Error).message.split("\n")[0]!;
  }
} else tvError = `no Python at ${PYTHON}`;

const f = (v: number) => v.toFixed(0).padStart(6);
console.log(
  `detection recipe (RandomZoomOut [1, 4] + RandomIoUCrop + RandomHorizontalFlip + Resize 320x320 + SanitizeBoundingBoxes), chelsea ${W}x${H}, 20 boxes, one thread`,
);
console.log(
  `machine: ${cpus()[0]?.model} x${cpus().length}, load ${loadavg()
    .map((v) => v.toFixed(2))
    .join(" ")}`,
);
console.log(`  lockstep                         ${f(lockDet)} samples/s`);
if (tv) {
  console.log(`  torchvision ${tv.version} v2, uint8 tensor ${f(tv.tensor)} samples/s   lockstep ${(lockDet / tv.tensor).toFixed(2)}x`);
  console.log(
    `  torchvision ${tv.version} v2, PIL image    ${f(tv.pil)} samples/s   lockstep ${(lockDet / tv.pil).toFixed(2)}x   (torch CPU ${tv.cpu})`,
  );
} else console.log(`  torchvision: not run (${tvError})`);
console.log(`what targets add to an image transform (RandomZoomOut + RandomHorizontalFlip + Resize 320x320):`);
console.log(
  `  the image: ${(1000 / plain).toFixed(2)} ms; 20 boxes: +${(1000 / boxesCost).toFixed(3)} ms (${((plain / boxesCost) * 100).toFixed(1)}%); 20 boxes and 40 key points: +${(1000 / pointsCost).toFixed(3)} ms (${((plain / pointsCost) * 100).toFixed(1)}%)`,
);

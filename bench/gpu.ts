// Batch throughput of the training recipe (RandomResizedCrop(224) -> RandomHorizontalFlip ->
// ToTensor -> Normalize) on the WebGPU backend next to the wasm backend, in one run, on the
// four bundled photos (512x512, 451x300, 600x400, 640x427) cycled to fill each batch.
// BENCH_RECIPE=colour adds the colour family after the crop and flip (ColorJitter with contrast,
// saturation and hue, RandomAutocontrast, RandomEqualize, RandomAdjustSharpness, RandomGrayscale).
// Run: npx tsx bench/gpu.ts   Env: BENCH_SIZE (crop side, default 224), BENCH_BATCH (default 32), BENCH_BATCHES (timed batches per
// backend, default 5), BENCH_GLES=1 to use Dawn's OpenGL ES backend (Mesa llvmpipe) instead of
// Vulkan. Without a GPU, Vulkan means Chromium's SwiftShader (VK_ICD_FILENAMES is set to it
// when unset and the file exists).
import { existsSync, readFileSync, mkdtempSync, chmodSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";

const ICD = "/usr/lib/chromium/vk_swiftshader_icd.json";
if (!process.env.VK_ICD_FILENAMES && existsSync(ICD)) process.env.VK_ICD_FILENAMES = ICD;
if (!process.env.XDG_RUNTIME_DIR) {
  const d = mkdtempSync(join(tmpdir(), "lockstep-xdg-"));
  chmodSync(d, 0o700);
  process.env.XDG_RUNTIME_DIR = d;
}
if (process.env.BENCH_GLES) process.env.EGL_PLATFORM ??= "surfaceless";

const {
  ready,
  Compose,
  RandomResizedCrop,
  RandomHorizontalFlip,
  ToTensor,
  Normalize,
  ColorJitter,
  RandomAutocontrast,
  RandomEqualize,
  RandomAdjustSharpness,
  RandomGrayscale,
} = await import("../src/index.js");
const { decode } = await import("../src/io/index.js");
const { applyBatch, setAdapterFactory, dawnAdapterFactory } = await import("../src/gpu/index.js");
type Image = import("../src/index.js").Image;

const here = dirname(fileURLToPath(import.meta.url));
const BATCH = Number(process.env.BENCH_BATCH ?? 32);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 5);
const SIZE = Number(process.env.BENCH_SIZE ?? 224);
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

await ready();
if (process.env.BENCH_GLES)
  setAdapterFactory(dawnAdapterFactory({ dawn: ["backend=opengles"], request: { featureLevel: "compatibility" } }));
const photos: Image[] = [];
for (const f of ["astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg"]) {
  const img = await decode(readFileSync(join(here, "../samples", f)));
  photos.push(img.channels === 3 ? img : { ...img, channels: 3, data: dropAlpha(img) });
}
function dropAlpha(img: Image): Uint8Array {
  const out = new Uint8Array(img.width * img.height * 3);
  for (let p = 0; p < img.width * img.height; p++)
    for (let c = 0; c < 3; c++) out[p * 3 + c] = img.data[p * img.channels + (img.channels === 1 ? 0 : c)]!;
  return out;
}
const images = Array.from({ length: BATCH }, (_, i) => photos[i % photos.length]!);
const COLOUR = process.env.BENCH_RECIPE === "colour";
const colour = COLOUR
  ? [
      new ColorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 }),
      new RandomAutocontrast(0.5),
      new RandomEqualize(0.5),
      new RandomAdjustSharpness(2, 0.5),
      new RandomGrayscale(0.2),
    ]
  : [];
const train = new Compose([new RandomResizedCrop(SIZE), new RandomHorizontalFlip(), ...colour, new ToTensor(), new Normalize(MEAN, STD)]);
const out = new Float32Array(BATCH * 3 * SIZE * SIZE);

async function run(backend: "wasm" | "webgpu"): Promise<{ perSecond: number; ms: number[]; hash: string; adapter?: string }> {
  // Warm-up (device, pipelines, buffers), then BATCHES timed batches of fresh keys.
  const warm = await applyBatch(train, images, { seed: 7, epoch: 0, backend, out });
  const ms: number[] = [];
  const hash = createHash("sha256");
  for (let b = 0; b < BATCHES; b++) {
    const indices = images.map((_, i) => (b + 1) * BATCH + i);
    const t0 = performance.now();
    await applyBatch(train, images, { seed: 7, epoch: 0, indices, backend, out });
    ms.push(performance.now() - t0);
    hash.update(new Uint8Array(out.buffer));
  }
  const total = ms.reduce((a, b) => a + b, 0);
  return { perSecond: (BATCHES * BATCH * 1000) / total, ms, hash: hash.digest("hex"), adapter: warm.adapter };
}

const wasm = await run("wasm");
let gpu: Awaited<ReturnType<typeof run>> | null = null;
try {
  gpu = await run("webgpu");
} catch (e) {
  console.error(`WebGPU: ${(e as Error).message}`);
}
const fmt = (r: typeof wasm) => `${r.perSecond.toFixed(1).padStart(7)} img/s   per batch ${r.ms.map((m) => m.toFixed(0)).join(", ")} ms`;
console.log(
  `training recipe${COLOUR ? " + colour family" : ""}, batches of ${BATCH} (${SIZE}x${SIZE} NCHW f32), ${BATCHES} timed batches per backend`,
);
console.log(
  `machine: ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
console.log(`wasm (1 thread)        ${fmt(wasm)}`);
if (gpu) {
  console.log(`webgpu (${gpu.adapter})  ${fmt(gpu)}`);
  console.log(`same bytes: ${gpu.hash === wasm.hash ? "yes" : "NO"} (sha256 of every timed batch ${wasm.hash.slice(0, 16)}...)`);
  if (gpu.hash !== wasm.hash) process.exitCode = 1;
  const auto = await applyBatch(train, images, { seed: 7, epoch: 0, backend: "auto", out });
  console.log(`backend "auto" picks ${auto.backend}${auto.fallback ? ` (${auto.fallback})` : ""}`);
}
process.exit(process.exitCode ?? 0);

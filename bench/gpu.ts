// Batch throughput on the WebGPU backend next to the wasm backend, in one run: the training
// recipe (RandomResizedCrop(224) -> RandomHorizontalFlip -> ToTensor -> Normalize) and the
// RandAugment recipe (the same with RandAugment() after the flip), batches of 32 and 256 of the
// four bundled photos (512x512, 451x300, 600x400, 640x427) cycled. Per cell: images/s on wasm
// (one thread), on WebGPU with the batch read back to the host, and on WebGPU with output
// "gpu" (the batch left on the device, what an onnxruntime-web / tfjs consumer gets), and
// whether the GPU's bytes equal wasm's (sha256 of every timed batch, the same keys on both).
// A batch the GPU refuses (an op without a WGSL shader yet) is reported as such.
//
// Run: npx tsx bench/gpu.ts    (on a real GPU: under 8 minutes, see below)
// Env: BENCH_BATCHES (timed batches per cell and backend, default 3), BENCH_SIZES (batch sizes,
// default "32,256"), BENCH_RECIPES (default "train,randaugment"; "colour" adds the colour family
// recipe), BENCH_SIZE (crop side, default 224), BENCH_ADAPTER: "hardware" (default when a
// Vulkan driver for a GPU is installed), "swiftshader" (Chromium's software Vulkan), or
// "gles" (Dawn's OpenGL ES backend, Mesa llvmpipe); BENCH_REQUIRE_GPU=1 fails on a software
// adapter. Exit status 1 when any cell's bytes differ.
//
// What a GPU machine needs (no internet): this repository after `npm ci` (node_modules holds
// the npm package `webgpu`: Dawn's prebuilt dawn.node for linux-x64, which drives the GPU
// through Vulkan) and Node 20; the NVIDIA driver with its Vulkan ICD (nvidia_icd.json in
// /usr/share/vulkan/icd.d or /etc/vulkan/icd.d, from the driver's libnvidia-gl / Vulkan
// package) and the Vulkan loader libvulkan.so.1 (Debian/Ubuntu: libvulkan1). In a container,
// the NVIDIA runtime must expose the graphics capability (NVIDIA_DRIVER_CAPABILITIES=all or
// compute,utility,graphics), or Vulkan finds no GPU. `vulkaninfo --summary` (vulkan-tools)
// shows what Dawn will see. Without a GPU the bench runs on SwiftShader (small counts:
// BENCH_SIZES=4,8 BENCH_BATCHES=1 BENCH_SIZE=64).
import { existsSync, readFileSync, mkdtempSync, chmodSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";

const SWIFTSHADER = "/usr/lib/chromium/vk_swiftshader_icd.json";
const GPU_ICDS = ["/usr/share/vulkan/icd.d", "/etc/vulkan/icd.d"].flatMap((d) =>
  ["nvidia_icd.json", "nvidia_icd.x86_64.json"].map((f) => join(d, f)).filter((f) => existsSync(f)),
);
const ADAPTER = process.env.BENCH_ADAPTER ?? (GPU_ICDS.length > 0 || process.env.VK_ICD_FILENAMES ? "hardware" : "swiftshader");
if (!["hardware", "swiftshader", "gles"].includes(ADAPTER))
  throw new RangeError(`BENCH_ADAPTER must be hardware, swiftshader or gles, got ${ADAPTER}`);
if (ADAPTER === "swiftshader") {
  if (!existsSync(SWIFTSHADER)) throw new Error(`BENCH_ADAPTER=swiftshader needs ${SWIFTSHADER} (apt-get install chromium)`);
  process.env.VK_ICD_FILENAMES = SWIFTSHADER;
}
if (!process.env.XDG_RUNTIME_DIR) {
  const d = mkdtempSync(join(tmpdir(), "lockstep-xdg-"));
  chmodSync(d, 0o700);
  process.env.XDG_RUNTIME_DIR = d;
}
if (ADAPTER === "gles") process.env.EGL_PLATFORM ??= "surfaceless";

const L = await import("../src/index.js");
const { decode } = await import("../src/io/index.js");
const { applyBatch, setAdapterFactory, dawnAdapterFactory } = await import("../src/gpu/index.js");
type Image = import("../src/index.js").Image;
type Transform = import("../src/index.js").Transform;
type GpuBuffer = import("../src/gpu/types.js").GpuBuffer;

const here = dirname(fileURLToPath(import.meta.url));
const BATCHES = Number(process.env.BENCH_BATCHES ?? 3);
const SIZES = (process.env.BENCH_SIZES ?? "32,256").split(",").map(Number);
const RECIPES = (process.env.BENCH_RECIPES ?? "train,randaugment").split(",");
const SIZE = Number(process.env.BENCH_SIZE ?? 224);
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

await L.ready();
if (ADAPTER === "gles") setAdapterFactory(dawnAdapterFactory({ dawn: ["backend=opengles"], request: { featureLevel: "compatibility" } }));
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

const head = () => [new L.RandomResizedCrop(SIZE), new L.RandomHorizontalFlip()];
const tail = () => [new L.ToTensor(), new L.Normalize(MEAN, STD)];
const recipes: Record<string, () => Transform> = {
  train: () => new L.Compose([...head(), ...tail()]),
  randaugment: () => new L.Compose([...head(), new L.RandAugment(), ...tail()]),
  colour: () =>
    new L.Compose([
      ...head(),
      new L.ColorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 }),
      new L.RandomAutocontrast(0.5),
      new L.RandomEqualize(0.5),
      new L.RandomAdjustSharpness(2, 0.5),
      new L.RandomGrayscale(0.2),
      ...tail(),
    ]),
};
for (const r of RECIPES) if (!recipes[r]) throw new RangeError(`BENCH_RECIPES: unknown recipe ${r} (${Object.keys(recipes).join(", ")})`);

/** Images/s, per-batch ms and the sha256 of every timed batch, or why the backend refused. */
type Cell = { perSecond: number; ms: number[]; hash: string } | { refused: string };

/** Warm-up batch, then BATCHES timed batches of fresh keys (the same keys on every backend). */
async function cell(t: Transform, images: Image[], mode: "wasm" | "webgpu" | "gpu-buffer", out: Float32Array): Promise<Cell> {
  const n = images.length;
  const backend = mode === "wasm" ? "wasm" : "webgpu";
  const one = async (b: number) => {
    const keys = { seed: 7, epoch: 0, indices: images.map((_, i) => b * n + i), backend } as const;
    if (mode !== "gpu-buffer") return void (await applyBatch(t, images, { ...keys, out }));
    const r = await applyBatch(t, images, { ...keys, output: "gpu" });
    (r.output.buffer as GpuBuffer).destroy();
  };
  try {
    await one(0);
  } catch (e) {
    const m = (e as Error).message;
    if (/cannot run this batch/.test(m))
      return { refused: m.replace(/^.*cannot run this batch: (images\[\d+\]: )?/, "").replace(/\. Use backend.*$/, "") };
    throw e;
  }
  const ms: number[] = [];
  const hash = createHash("sha256");
  for (let b = 1; b <= BATCHES; b++) {
    const t0 = performance.now();
    await one(b);
    ms.push(performance.now() - t0);
    if (mode !== "gpu-buffer") hash.update(new Uint8Array(out.buffer));
  }
  const total = ms.reduce((a, b) => a + b, 0);
  return { perSecond: (BATCHES * n * 1000) / total, ms, hash: hash.digest("hex") };
}

const probe = await applyBatch(recipes.train!(), [photos[0]!], { seed: 0, backend: "webgpu" }).catch((e: Error) => e);
if (probe instanceof Error) {
  console.error(`WebGPU: ${probe.message}`);
  process.exit(1);
}
const adapter = probe.adapter ?? "?";
console.log(`lockstep WebGPU vs wasm: ${SIZE}x${SIZE} NCHW f32 batches, ${BATCHES} timed batches per cell (after a warm-up batch)`);
console.log(
  `machine: ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}; Node ${process.version}`,
);
console.log(`adapter: ${adapter} (BENCH_ADAPTER=${ADAPTER})`);
if (process.env.BENCH_REQUIRE_GPU && /swiftshader|llvmpipe|lavapipe|software/i.test(adapter)) {
  console.error(`BENCH_REQUIRE_GPU: the adapter is a software one (${adapter}): is the NVIDIA Vulkan ICD installed and visible?`);
  process.exit(1);
}
const fmt = (c: Cell) => ("refused" in c ? "refused".padStart(9) : c.perSecond.toFixed(1).padStart(9));
console.log(
  `${"recipe".padEnd(12)} ${"batch".padStart(5)} ${"wasm".padStart(9)} ${"webgpu".padStart(9)} ${"gpu-buf".padStart(9)} ${"x wasm".padStart(7)}  same bytes   (images/s; webgpu reads back, gpu-buf leaves the batch on the device)`,
);
let bad = false;
const t0 = performance.now();
for (const name of RECIPES) {
  for (const n of SIZES) {
    const t = recipes[name]!();
    const images = Array.from({ length: n }, (_, i) => photos[i % photos.length]!);
    const out = new Float32Array(n * 3 * SIZE * SIZE);
    const w = await cell(t, images, "wasm", out);
    const g = await cell(t, images, "webgpu", out);
    const b = "refused" in g ? g : await cell(t, images, "gpu-buffer", out);
    const same = "refused" in g || "refused" in w ? "-" : g.hash === w.hash ? "yes" : "NO";
    if (same === "NO") bad = true;
    const ratio = "refused" in g || "refused" in w ? "-" : `${(g.perSecond / w.perSecond).toFixed(2)}x`;
    console.log(
      `${name.padEnd(12)} ${String(n).padStart(5)} ${fmt(w)} ${fmt(g)} ${fmt(b)} ${ratio.padStart(7)}  ${same}${"refused" in g ? `   (webgpu: ${g.refused})` : ""}`,
    );
  }
}
console.log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
process.exit(bad ? 1 : 0);

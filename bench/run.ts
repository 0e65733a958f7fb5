// Single-threaded throughput benchmark: lockstep vs sharp, jimp, opencv.js and tfjs (wasm),
// all in one process on one 500x375 RGB image. Run: npx tsx bench/run.ts
// Env: BENCH_SECONDS (seconds per timed repeat, default 1), BENCH_ONLY (substring filter on case names).
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { PNG } from "pngjs";
import sharp from "sharp";
import { Jimp, ResizeStrategy } from "jimp";
import * as tf from "@tensorflow/tfjs-core";
import { setThreadsCount, getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { ready, F, Compose, RandomResizedCrop, RandomHorizontalFlip, ToTensor, Normalize, Resize, CenterCrop } from "../src/index.js";
import type { Image } from "../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1);
const ONLY = process.env.BENCH_ONLY ?? "";
const WARMUP = 20;
const REPEATS = 3;
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];
const SCALE = STD.map((s) => 1 / (255 * s)); // x/255 - m)/s == x*SCALE + BIAS
const BIAS = MEAN.map((m, c) => -m / STD[c]!);
const S = 224;
const HW = S * S;

// ---------- the input: chelsea.png resized to 500x375 ----------
await ready();
const pngPath = [join(here, "../samples/chelsea.png"), join(here, "../../shared/samples/chelsea.png"), "/work/shared/samples/chelsea.png"].find(existsSync);
if (!pngPath) throw new Error("chelsea.png not found");
const png = PNG.sync.read(readFileSync(pngPath));
const rgb = new Uint8Array(png.width * png.height * 3);
for (let p = 0, q = 0; p < png.width * png.height; p++, q += 4) {
  rgb[p * 3] = png.data[q]!;
  rgb[p * 3 + 1] = png.data[q + 1]!;
  rgb[p * 3 + 2] = png.data[q + 2]!;
}
const img: Image = F.resize({ width: png.width, height: png.height, channels: 3, data: rgb }, [375, 500]);
const W = img.width;
const H = img.height;
const raw = Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength);
const rawOpts = { raw: { width: W, height: H, channels: 3 as const } };
const rgba = Buffer.alloc(W * H * 4);
for (let p = 0; p < W * H; p++) {
  rgba[p * 4] = img.data[p * 3]!;
  rgba[p * 4 + 1] = img.data[p * 3 + 1]!;
  rgba[p * 4 + 2] = img.data[p * 3 + 2]!;
  rgba[p * 4 + 3] = 255;
}

// ---------- recipes and the shared crop boxes ----------
const train = new Compose([new RandomResizedCrop(S), new RandomHorizontalFlip(), new ToTensor(), new Normalize(MEAN, STD)]);
const trainNoAA = new Compose([new RandomResizedCrop(S, { antialias: false }), new RandomHorizontalFlip(), new ToTensor(), new Normalize(MEAN, STD)]);
const evalp = new Compose([new Resize(256), new CenterCrop(S), new ToTensor(), new Normalize(MEAN, STD)]);
const evalNoAA = new Compose([new Resize(256, { antialias: false }), new CenterCrop(S), new ToTensor(), new Normalize(MEAN, STD)]);
const NBOX = 256;
const boxes = Array.from({ length: NBOX }, (_, i) => {
  const p = train.sample(img, { seed: 1, index: i }) as unknown as [{ top: number; left: number; height: number; width: number }, { flip: boolean }];
  return { ...p[0], flip: !!p[1].flip };
});
// Eval geometry (torchvision): short side 256 -> 341x256, center crop at round((256-224)/2), round((341-224)/2) (half-even).
const EW = Math.floor((256 * W) / H);
const ET = Math.round((256 - S) / 2);
const EL = 58; // round-half-even(58.5); checked against lockstep below
// Single-op geometry.
const CT = 75;
const CL = 138;

// ---------- helpers ----------
/** u8 HWC (stride 3 or 4) -> normalized f32 CHW: the loop a sharp/jimp user writes. */
function toChw(src: Uint8Array, stride: number, n: number, out: Float32Array): void {
  const [a0, a1, a2] = SCALE as [number, number, number];
  const [b0, b1, b2] = BIAS as [number, number, number];
  for (let p = 0, s = 0; p < n; p++, s += stride) {
    out[p] = src[s]! * a0 + b0;
    out[n + p] = src[s + 1]! * a1 + b1;
    out[2 * n + p] = src[s + 2]! * a2 + b2;
  }
}
function rgbaToRgb(src: Uint8Array, out: Uint8Array): void {
  for (let p = 0, s = 0, d = 0; d < out.length; p++, s += 4, d += 3) {
    out[d] = src[s]!;
    out[d + 1] = src[s + 1]!;
    out[d + 2] = src[s + 2]!;
  }
}

type Kind = "chw" | "hwc"; // normalized f32 CHW, or u8-valued HWC (u8 or f32 array)
interface Cand {
  lib: string;
  aa: string;
  run: (i: number) => void | Promise<void>;
  async?: boolean;
  out: () => ArrayLike<number>;
  kind: Kind;
}
interface Case {
  name: string;
  cands: Cand[];
}
const cases: Case[] = [];
const skipped: string[] = [];

// ---------- lockstep ----------
const LS = "lockstep";
{
  const o = new Float32Array(3 * HW);
  const o2 = new Float32Array(3 * HW);
  const e = new Float32Array(3 * HW);
  const e2 = new Float32Array(3 * HW);
  const u = new Uint8Array(HW * 3);
  const u2 = new Uint8Array(HW * 3);
  const cu = new Uint8Array(HW * 3);
  const fu = new Uint8Array(W * H * 3);
  const pu = new Uint8Array((W + 8) * (H + 8) * 3);
  const img224: Image = F.resize(img, [S, S]);
  const tt = new Compose([new ToTensor(), new Normalize(MEAN, STD)]);
  const t1 = new Float32Array(3 * HW);
  const t2 = new Float32Array(3 * HW);
  cases.push(
    { name: "train: RandomResizedCrop 224 + flip + ToTensor + Normalize", cands: [
      { lib: LS, aa: "yes (Pillow bilinear)", kind: "chw", out: () => o, run: (i) => void train.apply(img, { seed: 1, index: i % NBOX, out: o }) },
      { lib: `${LS} antialias:false`, aa: "no", kind: "chw", out: () => o2, run: (i) => void trainNoAA.apply(img, { seed: 1, index: i % NBOX, out: o2 }) },
    ] },
    { name: "eval: Resize 256 + CenterCrop 224 + ToTensor + Normalize", cands: [
      { lib: LS, aa: "yes (Pillow bilinear)", kind: "chw", out: () => e, run: () => void evalp.apply(img, { out: e }) },
      { lib: `${LS} antialias:false`, aa: "no", kind: "chw", out: () => e2, run: () => void evalNoAA.apply(img, { out: e2 }) },
    ] },
    { name: "resize 500x375 -> 224x224 bilinear (u8)", cands: [
      { lib: LS, aa: "yes (Pillow bilinear)", kind: "hwc", out: () => u, run: () => void F.resize(img, [S, S], { out: u }) },
      { lib: `${LS} antialias:false`, aa: "no", kind: "hwc", out: () => u2, run: () => void F.resize(img, [S, S], { antialias: false, out: u2 }) },
    ] },
    { name: "crop 224x224 at (75,138) (u8)", cands: [
      { lib: LS, aa: "-", kind: "hwc", out: () => cu, run: () => void F.crop(img, CT, CL, S, S, { out: cu }) },
    ] },
    { name: "hflip 500x375 (u8)", cands: [
      { lib: LS, aa: "-", kind: "hwc", out: () => fu, run: () => void F.hflip(img, { out: fu }) },
    ] },
    { name: "pad 4 reflect 500x375 -> 508x383 (u8)", cands: [
      { lib: LS, aa: "-", kind: "hwc", out: () => pu, run: () => void F.pad(img, 4, { paddingMode: "reflect", out: pu }) },
    ] },
    { name: "toTensor + normalize 224x224 (u8 HWC -> f32 CHW)", cands: [
      { lib: `${LS} Compose (fused)`, aa: "-", kind: "chw", out: () => t1, run: () => void tt.apply(img224, { out: t1 }) },
      { lib: `${LS} F.toTensor + F.normalize(inplace)`, aa: "-", kind: "chw", out: () => t2, run: () => void F.normalize(F.toTensor(img224, { out: t2 }), MEAN, STD, { inplace: true }) },
      { lib: "plain JS loop (what sharp/jimp users write)", aa: "-", kind: "chw", out: () => t2, run: () => toChw(img224.data, 3, HW, t2) },
    ] },
  );
  var img224data = img224.data;
}
const byName = (s: string): Case => cases.find((c) => c.name.startsWith(s))!;

// ---------- sharp ----------
try {
  sharp.concurrency(1);
  sharp.cache(false); // no libvips operation cache: every iteration does the work
  const o = new Float32Array(3 * HW);
  const e = new Float32Array(3 * HW);
  let last: Uint8Array = new Uint8Array(0);
  const s = () => sharp(raw, rawOpts);
  const trainRun = (kernel: "linear" | "lanczos3") => async (i: number) => {
    const b = boxes[i % NBOX]!;
    let p = s().extract({ left: b.left, top: b.top, width: b.width, height: b.height }).resize(S, S, { fit: "fill", kernel });
    if (b.flip) p = p.flop();
    toChw(await p.raw().toBuffer(), 3, HW, o);
  };
  byName("train").cands.push(
    { lib: "sharp (kernel linear)", aa: "yes (libvips reduce)", async: true, kind: "chw", out: () => o, run: trainRun("linear") },
    { lib: "sharp (default lanczos3)", aa: "yes (libvips reduce)", async: true, kind: "chw", out: () => o, run: trainRun("lanczos3") },
  );
  byName("eval").cands.push({
    lib: "sharp (kernel linear)", aa: "yes (libvips reduce)", async: true, kind: "chw", out: () => e,
    run: async () => toChw(await s().resize(EW, 256, { fit: "fill", kernel: "linear" }).extract({ left: EL, top: ET, width: S, height: S }).raw().toBuffer(), 3, HW, e),
  });
  byName("resize").cands.push(
    { lib: "sharp (kernel linear)", aa: "yes (libvips reduce)", async: true, kind: "hwc", out: () => last, run: async () => void (last = await s().resize(S, S, { fit: "fill", kernel: "linear" }).raw().toBuffer()) },
    { lib: "sharp (default lanczos3)", aa: "yes (libvips reduce)", async: true, kind: "hwc", out: () => last, run: async () => void (last = await s().resize(S, S, { fit: "fill" }).raw().toBuffer()) },
  );
  byName("crop").cands.push({ lib: "sharp extract", aa: "-", async: true, kind: "hwc", out: () => last, run: async () => void (last = await s().extract({ left: CL, top: CT, width: S, height: S }).raw().toBuffer()) });
  byName("hflip").cands.push({ lib: "sharp flop", aa: "-", async: true, kind: "hwc", out: () => last, run: async () => void (last = await s().flop().raw().toBuffer()) });
  byName("pad").cands.push({ lib: "sharp extend mirror (= symmetric; sharp has no reflect)", aa: "-", async: true, kind: "hwc", out: () => last, run: async () => void (last = await s().extend({ top: 4, bottom: 4, left: 4, right: 4, extendWith: "mirror" }).raw().toBuffer()) });
} catch (err) {
  skipped.push(`sharp: ${(err as Error).message}`);
}

// ---------- jimp (RGBA only; ops mutate, so each iteration clones the decoded image) ----------
try {
  const base = new Jimp({ width: W, height: H, data: rgba });
  const o = new Float32Array(3 * HW);
  const e = new Float32Array(3 * HW);
  let last: Uint8Array = new Uint8Array(0);
  const rgbOut = (bmp: { data: Uint8Array }) => {
    const r = new Uint8Array((bmp.data.length / 4) * 3);
    rgbaToRgb(bmp.data, r);
    return r;
  };
  const trainRun = (mode?: ResizeStrategy) => (i: number) => {
    const b = boxes[i % NBOX]!;
    const j = base.clone().crop({ x: b.left, y: b.top, w: b.width, h: b.height }).resize({ w: S, h: S, mode });
    if (b.flip) j.flip({ horizontal: true, vertical: false });
    toChw(j.bitmap.data, 4, HW, o);
  };
  byName("train").cands.push(
    { lib: "jimp (default resize)", aa: "yes (area average)", kind: "chw", out: () => o, run: trainRun() },
    { lib: "jimp (mode BILINEAR)", aa: "no", kind: "chw", out: () => o, run: trainRun(ResizeStrategy.BILINEAR) },
  );
  byName("eval").cands.push({
    lib: "jimp (default resize)", aa: "yes (area average)", kind: "chw", out: () => e,
    run: () => toChw(base.clone().resize({ w: EW, h: 256 }).crop({ x: EL, y: ET, w: S, h: S }).bitmap.data, 4, HW, e),
  });
  byName("resize").cands.push(
    { lib: "jimp (default resize)", aa: "yes (area average)", kind: "hwc", out: () => last, run: () => void (last = rgbOut(base.clone().resize({ w: S, h: S }).bitmap)) },
    { lib: "jimp (mode BILINEAR)", aa: "no", kind: "hwc", out: () => last, run: () => void (last = rgbOut(base.clone().resize({ w: S, h: S, mode: ResizeStrategy.BILINEAR }).bitmap)) },
  );
  byName("crop").cands.push({ lib: "jimp clone+crop", aa: "-", kind: "hwc", out: () => last, run: () => void (last = rgbOut(base.clone().crop({ x: CL, y: CT, w: S, h: S }).bitmap)) });
  byName("hflip").cands.push({ lib: "jimp clone+flip", aa: "-", kind: "hwc", out: () => last, run: () => void (last = rgbOut(base.clone().flip({ horizontal: true, vertical: false }).bitmap)) });
  skipped.push("jimp: pad reflect (jimp has no reflect padding)");
} catch (err) {
  skipped.push(`jimp: ${(err as Error).message}`);
}

// ---------- opencv.js ----------
try {
  const mod = await import("@techstark/opencv-js");
  // README (Node): the default export is the cv module; wait for onRuntimeInitialized (or a promise in newer builds).
  let cv: any = (mod as any).default ?? mod;
  if (cv instanceof Promise) cv = await cv;
  else if (!cv.Mat) await new Promise<void>((r) => (cv.onRuntimeInitialized = r));
  const src = new cv.Mat(H, W, cv.CV_8UC3);
  src.data.set(img.data);
  const rs = new cv.Mat();
  const fl = new cv.Mat();
  const dst = new cv.Mat();
  const fp = new cv.Mat();
  const planes = new cv.MatVector();
  const src224 = new cv.Mat(S, S, cv.CV_8UC3);
  src224.data.set(img224data);
  const o = new Float32Array(3 * HW);
  const e = new Float32Array(3 * HW);
  const t = new Float32Array(3 * HW);
  let last: Uint8Array = new Uint8Array(0);
  const normTo = (m: any, out: Float32Array) => {
    cv.split(m, planes);
    for (let c = 0; c < 3; c++) {
      const p = planes.get(c);
      p.convertTo(fp, cv.CV_32F, SCALE[c], BIAS[c]);
      out.set(fp.data32F, c * HW);
      p.delete();
    }
  };
  const sz = new cv.Size(S, S);
  const trainRun = (interp: number) => (i: number) => {
    const b = boxes[i % NBOX]!;
    const roi = src.roi(new cv.Rect(b.left, b.top, b.width, b.height));
    cv.resize(roi, rs, sz, 0, 0, interp);
    roi.delete();
    let m = rs;
    if (b.flip) {
      cv.flip(rs, fl, 1);
      m = fl;
    }
    normTo(m, o);
  };
  const evalRun = (interp: number) => () => {
    cv.resize(src, rs, new cv.Size(EW, 256), 0, 0, interp);
    const roi = rs.roi(new cv.Rect(EL, ET, S, S));
    normTo(roi, e);
    roi.delete();
  };
  const copyOut = (m: any) => {
    if (last.length !== m.data.length) last = new Uint8Array(m.data.length);
    last.set(m.data);
  };
  byName("train").cands.push(
    { lib: "opencv.js INTER_LINEAR", aa: "no", kind: "chw", out: () => o, run: trainRun(cv.INTER_LINEAR) },
    { lib: "opencv.js INTER_AREA", aa: "yes (area)", kind: "chw", out: () => o, run: trainRun(cv.INTER_AREA) },
  );
  byName("eval").cands.push(
    { lib: "opencv.js INTER_LINEAR", aa: "no", kind: "chw", out: () => e, run: evalRun(cv.INTER_LINEAR) },
    { lib: "opencv.js INTER_AREA", aa: "yes (area)", kind: "chw", out: () => e, run: evalRun(cv.INTER_AREA) },
  );
  byName("resize").cands.push(
    { lib: "opencv.js INTER_LINEAR", aa: "no", kind: "hwc", out: () => last, run: () => { cv.resize(src, dst, sz, 0, 0, cv.INTER_LINEAR); copyOut(dst); } },
    { lib: "opencv.js INTER_AREA", aa: "yes (area)", kind: "hwc", out: () => last, run: () => { cv.resize(src, dst, sz, 0, 0, cv.INTER_AREA); copyOut(dst); } },
  );
  byName("crop").cands.push({ lib: "opencv.js roi+copyTo", aa: "-", kind: "hwc", out: () => last, run: () => { const r = src.roi(new cv.Rect(CL, CT, S, S)); r.copyTo(dst); r.delete(); copyOut(dst); } });
  byName("hflip").cands.push({ lib: "opencv.js flip", aa: "-", kind: "hwc", out: () => last, run: () => { cv.flip(src, dst, 1); copyOut(dst); } });
  byName("pad").cands.push({ lib: "opencv.js copyMakeBorder REFLECT_101", aa: "-", kind: "hwc", out: () => last, run: () => { cv.copyMakeBorder(src, dst, 4, 4, 4, 4, cv.BORDER_REFLECT_101); copyOut(dst); } });
  byName("toTensor").cands.push({ lib: "opencv.js split+convertTo", aa: "-", kind: "chw", out: () => t, run: () => normTo(src224, t) });
} catch (err) {
  skipped.push(`opencv.js: ${(err as Error).message}`);
}

// ---------- tfjs-core + wasm backend ----------
try {
  setThreadsCount(1);
  if (!(await tf.setBackend("wasm"))) throw new Error("wasm backend failed to initialise");
  await tf.ready();
  const x4 = tf.tensor4d(Float32Array.from(img.data), [1, H, W, 3]); // decoded once, like the other libraries' inputs
  const sc = tf.tensor1d(SCALE);
  const bi = tf.tensor1d(BIAS);
  const o = new Float32Array(3 * HW);
  const e = new Float32Array(3 * HW);
  const t = new Float32Array(3 * HW);
  let last: Float32Array = new Float32Array(0);
  const grab = (f: () => tf.Tensor, out?: Float32Array) => {
    const r = tf.tidy(f);
    const d = r.dataSync() as Float32Array;
    if (out) out.set(d);
    else last = d;
    r.dispose();
  };
  const chw = (y: tf.Tensor4D) => tf.transpose(tf.add(tf.mul(y, sc), bi), [0, 3, 1, 2]);
  byName("train").cands.push({
    lib: "tfjs-wasm cropAndResize", aa: "no", kind: "chw", out: () => o,
    run: (i) => {
      const b = boxes[i % NBOX]!;
      grab(() => {
        const bx = tf.tensor2d([[b.top / (H - 1), b.left / (W - 1), (b.top + b.height - 1) / (H - 1), (b.left + b.width - 1) / (W - 1)]]);
        let y = tf.image.cropAndResize(x4, bx, [0], [S, S], "bilinear");
        if (b.flip) y = tf.image.flipLeftRight(y);
        return chw(y);
      }, o);
    },
  });
  byName("eval").cands.push({
    lib: "tfjs-wasm resizeBilinear", aa: "no", kind: "chw", out: () => e,
    run: () => grab(() => chw(tf.slice(tf.image.resizeBilinear(x4, [256, EW], false, true), [0, ET, EL, 0], [1, S, S, 3])), e),
  });
  byName("resize").cands.push({ lib: "tfjs-wasm resizeBilinear", aa: "no", kind: "hwc", out: () => last, run: () => grab(() => tf.image.resizeBilinear(x4, [S, S], false, true)) });
  byName("crop").cands.push({ lib: "tfjs-wasm slice", aa: "-", kind: "hwc", out: () => last, run: () => grab(() => tf.slice(x4, [0, CT, CL, 0], [1, S, S, 3])) });
  byName("hflip").cands.push({ lib: "tfjs-wasm image.flipLeftRight", aa: "-", kind: "hwc", out: () => last, run: () => grab(() => tf.image.flipLeftRight(x4)) },
    { lib: "tfjs-wasm reverse(axis 2)", aa: "-", kind: "hwc", out: () => last, run: () => grab(() => tf.reverse(x4, 2)) });
  byName("pad").cands.push({ lib: "tfjs-wasm mirrorPad reflect", aa: "-", kind: "hwc", out: () => last, run: () => grab(() => tf.mirrorPad(x4, [[0, 0], [4, 4], [4, 4], [0, 0]], "reflect")) });
  byName("toTensor").cands.push({
    lib: "tfjs-wasm tensor+mul/add+transpose", aa: "-", kind: "chw", out: () => t,
    run: () => grab(() => chw(tf.cast(tf.tensor4d(img224data, [1, S, S, 3], "int32"), "float32")), t),
  });
  var tfNote = `tfjs ${tf.version_core}, backend ${tf.getBackend()}, threads ${getThreadsCount()}`;
} catch (err) {
  skipped.push(`tfjs-wasm: ${(err as Error).message}`);
}

// ---------- measurement ----------
const now = () => performance.now();
async function timeN(c: Cand, start: number, n: number): Promise<number> {
  const t0 = now();
  if (c.async) for (let i = 0; i < n; i++) await c.run(start + i);
  else for (let i = 0; i < n; i++) c.run(start + i);
  return (now() - t0) / 1000;
}
/** Warm-up, then an iteration count that takes ~SECONDS. */
async function calibrate(c: Cand): Promise<number> {
  const w = await timeN(c, 0, WARMUP);
  return Math.max(5, Math.ceil((SECONDS * WARMUP) / w));
}
/** Mean |difference| vs the first (lockstep) candidate at index 0, in 0..255 levels. */
function meanDiff(ref: Cand, c: Cand): string {
  const a = ref.out();
  const b = c.out();
  if (a.length !== b.length) return `size ${b.length} != ${a.length}`;
  let s = 0;
  const n = a.length / 3;
  for (let k = 0; k < a.length; k++) {
    const d = Math.abs(a[k]! - b[k]!);
    s += ref.kind === "chw" ? d * STD[Math.floor(k / n)]! * 255 : d;
  }
  return (s / a.length).toFixed(2);
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const rows: string[] = ["| case | library (method) | antialias on downscale | images/s | lockstep/peer | mean abs diff vs lockstep (0..255) |", "|---|---|---|---:|---:|---:|"];
const t00 = now();
for (const cs of cases) {
  if (ONLY && !cs.name.includes(ONLY)) continue;
  const ref = cs.cands[0]!;
  await ref.run(0);
  const refOut = Float64Array.from(ref.out());
  const refC: Cand = { ...ref, out: () => refOut };
  // Repeats are interleaved across the case's candidates, so a change in machine load
  // during the case hits every candidate alike; median of REPEATS per candidate.
  const diffs: string[] = [];
  const ns: number[] = [];
  for (const c of cs.cands) {
    await c.run(0);
    diffs.push(c === ref ? "0" : meanDiff(refC, c));
    ns.push(await calibrate(c));
  }
  const rates: number[][] = cs.cands.map(() => []);
  for (let r = 0; r < REPEATS; r++) {
    for (let k = 0; k < cs.cands.length; k++) rates[k]!.push(ns[k]! / (await timeN(cs.cands[k]!, WARMUP + r * ns[k]!, ns[k]!)));
  }
  const med = rates.map((v) => v.sort((a, b) => a - b)[Math.floor(REPEATS / 2)]!);
  cs.cands.forEach((c, k) => {
    const row = `| ${k === 0 ? cs.name : ""} | ${c.lib} | ${c.aa} | ${fmt(med[k]!)} | ${(med[0]! / med[k]!).toFixed(2)}x | ${diffs[k]} |`;
    rows.push(row);
    console.error(row);
  });
}
const secs = ((now() - t00) / 1000).toFixed(0);
const load = loadavg().map((x) => x.toFixed(2)).join(", ");

const cpu = cpus()[0]?.model ?? "unknown CPU";
const table = rows.join("\n");
const header = [
  `# lockstep benchmark`,
  ``,
  `- date: ${new Date().toISOString()}`,
  `- node ${process.version}, ${cpu} (${cpus().length} logical CPUs), single-threaded (sharp.concurrency(1) + cache off, awaited one at a time; tfjs wasm threads 1; opencv.js build has no parallel framework)`,
  `- sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips}), jimp 1.6.0, @techstark/opencv-js (OpenCV 4.5), ${typeof tfNote === "string" ? tfNote : "tfjs n/a"}`,
  `- input: chelsea.png resized by lockstep to ${W}x${H} RGB, decoded once; warm-up ${WARMUP} iterations, then ${REPEATS} timed repeats of ~${SECONDS}s each (interleaved across the candidates of a case), median shown; total timed phase ${secs}s; load average at the end ${load} (other processes share the machine, so expect run-to-run noise of tens of percent)`,
  `- train: crop boxes and flips from lockstep's train.sample(img, {seed: 1, index: i}) for i in 0..${NBOX - 1}, so every library crops the same boxes`,
  `- lockstep/peer > 1 means lockstep is faster; diff = mean |peer - lockstep| on sample 0 in 0..255 levels (shows which peers compute the same thing)`,
  `- command: npx tsx bench/run.ts`,
  ``,
].join("\n");
const notes = [
  ``,
  `Notes: every output ends in JS memory (f32 CHW normalized, or u8 HWC for the single ops; tfjs single ops give f32 HWC). sharp and jimp have no float output, so their recipes end with the plain JS loop shown in the toTensor row. jimp works on RGBA and mutates in place, so each jimp iteration includes clone(). tfjs takes a f32 tensor made once from the bytes (it has no u8 dtype).`,
  ...(skipped.length ? [``, `Not measured: ${skipped.join("; ")}.`] : []),
  ``,
].join("\n");
console.log(table);
if (skipped.length) console.log(`\nNot measured: ${skipped.join("; ")}`);
if (!ONLY) writeFileSync(join(here, "results.md"), header + "\n" + table + "\n" + notes);

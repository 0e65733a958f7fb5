// Single-threaded throughput benchmark: lockstep vs sharp, jimp, opencv.js and tfjs (wasm),
// all in one process. Group "core": recipes and single ops on one 500x375 RGB image; group
// "aug" (issue 6): rotate, Gaussian blur and ColorJitter on one 224x224 RGB image.
// Run: npx tsx bench/run.ts
// Env: BENCH_SECONDS (seconds per timed repeat, default 1), BENCH_ONLY (substring filter on
// case names or group names, e.g. BENCH_ONLY=rotate, BENCH_ONLY=aug).
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { PNG } from "pngjs";
import sharp from "sharp";
import { Jimp, ResizeStrategy } from "jimp";
import * as tf from "@tensorflow/tfjs-core";
import { setThreadsCount, getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import {
  ready,
  F,
  Compose,
  RandomResizedCrop,
  RandomHorizontalFlip,
  ToTensor,
  Normalize,
  Resize,
  CenterCrop,
  ColorJitter,
} from "../src/index.js";
import type { Image } from "../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1);
const ONLY = process.env.BENCH_ONLY ?? "";
const WARMUP = 20;
const WARMUP_MAX_S = 1;
const REPEATS = 3;
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];
const SCALE = STD.map((s) => 1 / (255 * s)); // x/255 - m)/s == x*SCALE + BIAS
const BIAS = MEAN.map((m, c) => -m / STD[c]!);
const S = 224;
const HW = S * S;

// ---------- the input: chelsea.png resized to 500x375 ----------
await ready();
const pngPath = [
  join(here, "../samples/chelsea.png"),
  join(here, "../../shared/samples/chelsea.png"),
  "/work/shared/samples/chelsea.png",
].find(existsSync);
const photoName = "samples/chelsea.png";
if (!pngPath) throw new Error("chelsea.png not found");
const png = PNG.sync.read(readFileSync(pngPath));
const rgb = new Uint8Array(png.width * png.height * 3);
for (let p = 0, q = 0; p < png.width * png.height; p++, q += 4) {
  rgb[p * 3] = png.data[q]!;
  rgb[p * 3 + 1] = png.data[q + 1]!;
  rgb[p * 3 + 2] = png.data[q + 2]!;
}
const photo: Image = { width: png.width, height: png.height, channels: 3, data: rgb };
const img: Image = F.resize(photo, [375, 500]);
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
const trainNoAA = new Compose([
  new RandomResizedCrop(S, { antialias: false }),
  new RandomHorizontalFlip(),
  new ToTensor(),
  new Normalize(MEAN, STD),
]);
const evalp = new Compose([new Resize(256), new CenterCrop(S), new ToTensor(), new Normalize(MEAN, STD)]);
const evalNoAA = new Compose([new Resize(256, { antialias: false }), new CenterCrop(S), new ToTensor(), new Normalize(MEAN, STD)]);
const NBOX = 256;
const boxes = Array.from({ length: NBOX }, (_, i) => {
  const p = train.sample(img, { seed: 1, index: i }) as unknown as [
    { top: number; left: number; height: number; width: number },
    { flip: boolean },
  ];
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
  /** The peer lacks the op: listed as "n/a", not timed. */
  na?: boolean;
}
type Group = "core" | "aug";
interface Case {
  name: string;
  group: Group;
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
    {
      name: "train: RandomResizedCrop 224 + flip + ToTensor + Normalize",
      group: "core",
      cands: [
        {
          lib: LS,
          aa: "yes (Pillow bilinear)",
          kind: "chw",
          out: () => o,
          run: (i) => void train.apply(img, { seed: 1, index: i % NBOX, out: o }),
        },
        {
          lib: `${LS} antialias:false`,
          aa: "no",
          kind: "chw",
          out: () => o2,
          run: (i) => void trainNoAA.apply(img, { seed: 1, index: i % NBOX, out: o2 }),
        },
      ],
    },
    {
      name: "eval: Resize 256 + CenterCrop 224 + ToTensor + Normalize",
      group: "core",
      cands: [
        { lib: LS, aa: "yes (Pillow bilinear)", kind: "chw", out: () => e, run: () => void evalp.apply(img, { out: e }) },
        { lib: `${LS} antialias:false`, aa: "no", kind: "chw", out: () => e2, run: () => void evalNoAA.apply(img, { out: e2 }) },
      ],
    },
    {
      name: "resize 500x375 -> 224x224 bilinear (u8)",
      group: "core",
      cands: [
        { lib: LS, aa: "yes (Pillow bilinear)", kind: "hwc", out: () => u, run: () => void F.resize(img, [S, S], { out: u }) },
        {
          lib: `${LS} antialias:false`,
          aa: "no",
          kind: "hwc",
          out: () => u2,
          run: () => void F.resize(img, [S, S], { antialias: false, out: u2 }),
        },
      ],
    },
    {
      name: "crop 224x224 at (75,138) (u8)",
      group: "core",
      cands: [{ lib: LS, aa: "-", kind: "hwc", out: () => cu, run: () => void F.crop(img, CT, CL, S, S, { out: cu }) }],
    },
    {
      name: "hflip 500x375 (u8)",
      group: "core",
      cands: [{ lib: LS, aa: "-", kind: "hwc", out: () => fu, run: () => void F.hflip(img, { out: fu }) }],
    },
    {
      name: "pad 4 reflect 500x375 -> 508x383 (u8)",
      group: "core",
      cands: [{ lib: LS, aa: "-", kind: "hwc", out: () => pu, run: () => void F.pad(img, 4, { paddingMode: "reflect", out: pu }) }],
    },
    {
      name: "toTensor + normalize 224x224 (u8 HWC -> f32 CHW)",
      group: "core",
      cands: [
        { lib: `${LS} Compose (fused)`, aa: "-", kind: "chw", out: () => t1, run: () => void tt.apply(img224, { out: t1 }) },
        {
          lib: `${LS} F.toTensor + F.normalize(inplace)`,
          aa: "-",
          kind: "chw",
          out: () => t2,
          run: () => void F.normalize(F.toTensor(img224, { out: t2 }), MEAN, STD, { inplace: true }),
        },
        {
          lib: "plain JS loop (what sharp/jimp users write)",
          aa: "-",
          kind: "chw",
          out: () => t2,
          run: () => toChw(img224.data, 3, HW, t2),
        },
      ],
    },
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
    lib: "sharp (kernel linear)",
    aa: "yes (libvips reduce)",
    async: true,
    kind: "chw",
    out: () => e,
    run: async () =>
      toChw(
        await s().resize(EW, 256, { fit: "fill", kernel: "linear" }).extract({ left: EL, top: ET, width: S, height: S }).raw().toBuffer(),
        3,
        HW,
        e,
      ),
  });
  byName("resize").cands.push(
    {
      lib: "sharp (kernel linear)",
      aa: "yes (libvips reduce)",
      async: true,
      kind: "hwc",
      out: () => last,
      run: async () => void (last = await s().resize(S, S, { fit: "fill", kernel: "linear" }).raw().toBuffer()),
    },
    {
      lib: "sharp (default lanczos3)",
      aa: "yes (libvips reduce)",
      async: true,
      kind: "hwc",
      out: () => last,
      run: async () => void (last = await s().resize(S, S, { fit: "fill" }).raw().toBuffer()),
    },
  );
  byName("crop").cands.push({
    lib: "sharp extract",
    aa: "-",
    async: true,
    kind: "hwc",
    out: () => last,
    run: async () => void (last = await s().extract({ left: CL, top: CT, width: S, height: S }).raw().toBuffer()),
  });
  byName("hflip").cands.push({
    lib: "sharp flop",
    aa: "-",
    async: true,
    kind: "hwc",
    out: () => last,
    run: async () => void (last = await s().flop().raw().toBuffer()),
  });
  byName("pad").cands.push({
    lib: "sharp extend mirror (= symmetric; sharp has no reflect)",
    aa: "-",
    async: true,
    kind: "hwc",
    out: () => last,
    run: async () => void (last = await s().extend({ top: 4, bottom: 4, left: 4, right: 4, extendWith: "mirror" }).raw().toBuffer()),
  });
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
    lib: "jimp (default resize)",
    aa: "yes (area average)",
    kind: "chw",
    out: () => e,
    run: () => toChw(base.clone().resize({ w: EW, h: 256 }).crop({ x: EL, y: ET, w: S, h: S }).bitmap.data, 4, HW, e),
  });
  byName("resize").cands.push(
    {
      lib: "jimp (default resize)",
      aa: "yes (area average)",
      kind: "hwc",
      out: () => last,
      run: () => void (last = rgbOut(base.clone().resize({ w: S, h: S }).bitmap)),
    },
    {
      lib: "jimp (mode BILINEAR)",
      aa: "no",
      kind: "hwc",
      out: () => last,
      run: () => void (last = rgbOut(base.clone().resize({ w: S, h: S, mode: ResizeStrategy.BILINEAR }).bitmap)),
    },
  );
  byName("crop").cands.push({
    lib: "jimp clone+crop",
    aa: "-",
    kind: "hwc",
    out: () => last,
    run: () => void (last = rgbOut(base.clone().crop({ x: CL, y: CT, w: S, h: S }).bitmap)),
  });
  byName("hflip").cands.push({
    lib: "jimp clone+flip",
    aa: "-",
    kind: "hwc",
    out: () => last,
    run: () => void (last = rgbOut(base.clone().flip({ horizontal: true, vertical: false }).bitmap)),
  });
  skipped.push("jimp: pad reflect (jimp has no reflect padding)");
} catch (err) {
  skipped.push(`jimp: ${(err as Error).message}`);
}

// ---------- opencv.js ----------
let cv: any = null; // the initialised module, or null (also used by the aug group)
try {
  const mod = await import("@techstark/opencv-js");
  // README (Node): the default export is the cv module; wait for onRuntimeInitialized (or a promise in newer builds).
  let m: any = (mod as any).default ?? mod;
  if (m instanceof Promise) m = await m;
  else if (!m.Mat) await new Promise<void>((r) => (m.onRuntimeInitialized = r));
  cv = m;
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
    {
      lib: "opencv.js INTER_LINEAR",
      aa: "no",
      kind: "hwc",
      out: () => last,
      run: () => {
        cv.resize(src, dst, sz, 0, 0, cv.INTER_LINEAR);
        copyOut(dst);
      },
    },
    {
      lib: "opencv.js INTER_AREA",
      aa: "yes (area)",
      kind: "hwc",
      out: () => last,
      run: () => {
        cv.resize(src, dst, sz, 0, 0, cv.INTER_AREA);
        copyOut(dst);
      },
    },
  );
  byName("crop").cands.push({
    lib: "opencv.js roi+copyTo",
    aa: "-",
    kind: "hwc",
    out: () => last,
    run: () => {
      const r = src.roi(new cv.Rect(CL, CT, S, S));
      r.copyTo(dst);
      r.delete();
      copyOut(dst);
    },
  });
  byName("hflip").cands.push({
    lib: "opencv.js flip",
    aa: "-",
    kind: "hwc",
    out: () => last,
    run: () => {
      cv.flip(src, dst, 1);
      copyOut(dst);
    },
  });
  byName("pad").cands.push({
    lib: "opencv.js copyMakeBorder REFLECT_101",
    aa: "-",
    kind: "hwc",
    out: () => last,
    run: () => {
      cv.copyMakeBorder(src, dst, 4, 4, 4, 4, cv.BORDER_REFLECT_101);
      copyOut(dst);
    },
  });
  byName("toTensor").cands.push({ lib: "opencv.js split+convertTo", aa: "-", kind: "chw", out: () => t, run: () => normTo(src224, t) });
} catch (err) {
  skipped.push(`opencv.js: ${(err as Error).message}`);
}

// ---------- tfjs-core + wasm backend ----------
let tfReady = false; // wasm backend up (also used by the aug group)
let tfNote: string | undefined;
try {
  setThreadsCount(1);
  if (!(await tf.setBackend("wasm"))) throw new Error("wasm backend failed to initialise");
  await tf.ready();
  tfReady = true;
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
    lib: "tfjs-wasm cropAndResize",
    aa: "no",
    kind: "chw",
    out: () => o,
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
    lib: "tfjs-wasm resizeBilinear",
    aa: "no",
    kind: "chw",
    out: () => e,
    run: () => grab(() => chw(tf.slice(tf.image.resizeBilinear(x4, [256, EW], false, true), [0, ET, EL, 0], [1, S, S, 3])), e),
  });
  byName("resize").cands.push({
    lib: "tfjs-wasm resizeBilinear",
    aa: "no",
    kind: "hwc",
    out: () => last,
    run: () => grab(() => tf.image.resizeBilinear(x4, [S, S], false, true)),
  });
  byName("crop").cands.push({
    lib: "tfjs-wasm slice",
    aa: "-",
    kind: "hwc",
    out: () => last,
    run: () => grab(() => tf.slice(x4, [0, CT, CL, 0], [1, S, S, 3])),
  });
  byName("hflip").cands.push(
    { lib: "tfjs-wasm image.flipLeftRight", aa: "-", kind: "hwc", out: () => last, run: () => grab(() => tf.image.flipLeftRight(x4)) },
    { lib: "tfjs-wasm reverse(axis 2)", aa: "-", kind: "hwc", out: () => last, run: () => grab(() => tf.reverse(x4, 2)) },
  );
  byName("pad").cands.push({
    lib: "tfjs-wasm mirrorPad reflect",
    aa: "-",
    kind: "hwc",
    out: () => last,
    run: () =>
      grab(() =>
        tf.mirrorPad(
          x4,
          [
            [0, 0],
            [4, 4],
            [4, 4],
            [0, 0],
          ],
          "reflect",
        ),
      ),
  });
  byName("toTensor").cands.push({
    lib: "tfjs-wasm tensor+mul/add+transpose",
    aa: "-",
    kind: "chw",
    out: () => t,
    run: () => grab(() => chw(tf.cast(tf.tensor4d(img224data, [1, S, S, 3], "int32"), "float32")), t),
  });
  tfNote = `tfjs ${tf.version_core}, backend ${tf.getBackend()}, threads ${getThreadsCount()}`;
} catch (err) {
  skipped.push(`tfjs-wasm: ${(err as Error).message}`);
}

// ---------- group "aug" (issue 6): rotate 15, Gaussian blur 5x5 sigma 1, ColorJitter on 224x224 RGB ----------
// The input: the photo resized by lockstep straight to 224x224 (u8 RGB), decoded once.
const aug: Image = F.resize(photo, [S, S]);
const augRaw = Buffer.from(aug.data.buffer, aug.data.byteOffset, aug.data.byteLength);
const augRawOpts = { raw: { width: S, height: S, channels: 3 as const } };
const augRgba = Buffer.alloc(HW * 4);
for (let p = 0; p < HW; p++) {
  augRgba[p * 4] = aug.data[p * 3]!;
  augRgba[p * 4 + 1] = aug.data[p * 3 + 1]!;
  augRgba[p * 4 + 2] = aug.data[p * 3 + 2]!;
  augRgba[p * 4 + 3] = 255;
}
const ANGLE = 15;
// Peers' rotation geometry (host float math is fine here: these are the peers' own inputs).
// torchvision/Pillow rotate counter-clockwise about the image centre (w/2, h/2 in corner
// coordinates = (w-1)/2, (h-1)/2 in pixel-index coordinates), same canvas, fill 0. Inverse
// map, output index (x, y) -> input index: [cos -sin; sin cos] (d - cc) + cc.
const RAD = (ANGLE * Math.PI) / 180;
const COS = Math.cos(RAD);
const SIN = Math.sin(RAD);
const CC = (S - 1) / 2;
const cj = new ColorJitter(0.4, 0.4, 0.4, 0.1);
interface Jitter {
  order: number[];
  brightness: number;
  contrast: number;
  saturation: number;
  hue: number;
}
const jit: Jitter[] = Array.from({ length: NBOX }, (_, i) => cj.sample(aug, { seed: 1, index: i }) as unknown as Jitter);
/** Mean of torchvision's grey (0.299 R + 0.587 G + 0.114 B) over an RGB(A) buffer: the contrast pivot. */
function greyMean(d: ArrayLike<number>, stride: number): number {
  let s = 0;
  for (let p = 0; p < d.length; p += stride) s += d[p]! * 0.299 + d[p + 1]! * 0.587 + d[p + 2]! * 0.114;
  return s / (d.length / stride);
}
/** The centre S x S of a w x h RGB buffer (the peers that can only rotate onto a larger canvas). */
function centreCrop(src: Uint8Array, w: number, h: number, out: Uint8Array): void {
  const l = (w - S) >> 1;
  const t = (h - S) >> 1;
  for (let y = 0; y < S; y++) out.set(src.subarray(((t + y) * w + l) * 3, ((t + y) * w + l + S) * 3), y * S * 3);
}
const ROT_BIL = `rotate ${ANGLE}° bilinear 224x224, same canvas, fill 0 (u8)`;
const ROT_NN = `rotate ${ANGLE}° nearest 224x224, same canvas, fill 0 (u8)`;
const BLUR = "gaussianBlur 5x5 sigma 1 224x224 (u8)";
/** What each aug peer computes differently from lockstep (the diff column), for results.md. */
const AUG_NOTES: string[] = [
  `What the diff column shows (lockstep with its default "pil" semantics = torchvision 0.28 on PIL images: Pillow 12.3's rotate, ImageEnhance and HSV colour ops, the PIL route of the blur):`,
  ``,
  `- rotate: counter-clockwise about the image centre, same canvas, fill 0. opencv.js (getRotationMatrix2D about ((w-1)/2, (h-1)/2)) and tfjs image.transform (the same inverse matrix) compute the same geometry with their own bilinear rounding and edges; their nearest (and tfjs rotateWithOffset, centre passed as the fraction (w-1)/2/w) is Pillow's. sharp has no same-canvas rotate and no interpolator choice in rotate(): libvips turns clockwise for positive angles (so -15), grows the canvas to 274x274 and rounds its bounding box, so the centre 224x224 extracted in the same pipeline sits a fraction of a pixel off (with affine() and that offset corrected, its bilinear differs by 0.66, a one-off check); the nearest row goes through affine(nearest) centred by odx/ody plus a JS crop, and libvips' nearest still picks another neighbour near half-way. jimp rotates only by nearest on truncated coordinates about a centre ~0.85 px off Pillow's (so n/a for bilinear).`,
  `- gaussianBlur: torchvision pads by reflection. opencv.js GaussianBlur (BORDER_DEFAULT = reflect-101, the same) differs only by rounding; tfjs (mirrorPad reflect + depthwiseConv2d with the normalised 5x5 Gaussian) returns f32 unrounded. sharp blur(sigma): libvips sizes the mask from minAmplitude (default 0.2 gives 3 taps at sigma 1, 0.05 gives 5), replicates edges, and its default integer precision quantises the mask coarsely (precision "float" gives a diff of 0.51 at ~1.7x the time, a one-off check). jimp gaussian(1) uses a 7x7 window with clamped edges and writes into the bitmap it is still reading; blur(1) is a box approximation.`,
  `- ColorJitter: the peers get the sampled factors; lockstep truncates to u8 after each step and pivots contrast on the integer-rounded mean of the L grey at that point (ImageEnhance). opencv.js does the four steps in the sampled order with rounding instead of truncation and hue through f32 HSV. tfjs has no adjust_* ops: composed element-wise in f32 (clip after each step, no rounding, HSV hue by formula). sharp cannot order its steps (libvips runs modulate before linear) and modulate works in LCh: saturation scales chroma instead of blending with the grey, hue turns the LCh hue angle in whole degrees (not the HSV hue), and its brightness scales L*, so brightness goes into linear(b*c, b*(1-c)*mean) with contrast (exact for those two in either order, up to clipping), with the mean taken from the input image. jimp: brightness(b) is the same multiply; contrast(v) pivots on 127, not on the mean (v = (c-1)/(c+1) gives the factor c); saturate/desaturate add percentage points to the HSL saturation (not a blend); hue spins the HSL hue (= HSV hue) by hue*360 degrees, through a tinycolor object per pixel, hence its speed.`,
];
const JITTER = "ColorJitter(0.4, 0.4, 0.4, 0.1) 224x224, sampled factors and order (u8)";
{
  const rb = new Uint8Array(HW * 3);
  const rn = new Uint8Array(HW * 3);
  const bl = new Uint8Array(HW * 3);
  const cjo = new Uint8Array(HW * 3);
  cases.push(
    {
      name: ROT_BIL,
      group: "aug",
      cands: [
        { lib: LS, aa: "-", kind: "hwc", out: () => rb, run: () => void F.rotate(aug, ANGLE, { interpolation: "bilinear", out: rb }) },
      ],
    },
    {
      name: ROT_NN,
      group: "aug",
      cands: [
        { lib: LS, aa: "-", kind: "hwc", out: () => rn, run: () => void F.rotate(aug, ANGLE, { interpolation: "nearest", out: rn }) },
      ],
    },
    {
      name: BLUR,
      group: "aug",
      cands: [{ lib: LS, aa: "-", kind: "hwc", out: () => bl, run: () => void F.gaussianBlur(aug, [5, 5], [1, 1], { out: bl }) }],
    },
    {
      name: JITTER,
      group: "aug",
      cands: [
        {
          lib: `${LS} ColorJitter.apply`,
          aa: "-",
          kind: "hwc",
          out: () => cjo,
          run: (i) => void cj.apply(aug, { seed: 1, index: i % NBOX, out: cjo }),
        },
      ],
    },
  );
}
const augCase = (name: string): Case => cases.find((c) => c.name === name)!;
const na = (name: string, why: string) =>
  augCase(name).cands.push({ lib: why, aa: "n/a", kind: "hwc", out: () => new Uint8Array(0), run: () => {}, na: true });

// sharp: rotate(angle) grows the canvas and has no interpolator option (libvips' default,
// bilinear); affine() takes an interpolator but also returns the bounding box. Both are cut
// back to the centre 224x224. blur(sigma) with minAmplitude 0.05 makes libvips build a 5-tap
// mask for sigma 1 (its default 0.2 gives 3 taps); integer precision (sharp's default).
try {
  const s = () => sharp(augRaw, augRawOpts);
  let last: Uint8Array = new Uint8Array(0);
  const rot = new Uint8Array(HW * 3);
  // Positive angles turn clockwise in libvips: -15 is torchvision's +15.
  const probe = await s().rotate(-ANGLE).raw().toBuffer({ resolveWithObject: true });
  const RW = probe.info.width;
  const RH = probe.info.height;
  augCase(ROT_BIL).cands.push({
    lib: "sharp rotate(-15) (canvas grows) + extract centre",
    aa: "-",
    async: true,
    kind: "hwc",
    out: () => last,
    run: async () =>
      void (last = await s()
        .rotate(-ANGLE)
        .extract({ left: (RW - S) >> 1, top: (RH - S) >> 1, width: S, height: S })
        .raw()
        .toBuffer()),
  });
  // affine() maps input pixel index (x, y) to (COS x + SIN y, -SIN x + COS y) + (odx, ody) and
  // returns its bounding box, rounded; odx/ody put the input centre on the centre of the
  // box's middle 224x224 (bilinear then differs from lockstep by 0.66 on average), and
  // another -0.5 because libvips' nearest takes the pixel below the coordinate, not the nearest.
  const xs = [0, COS * S, SIN * S, (COS + SIN) * S];
  const ys = [0, -SIN * S, COS * S, (COS - SIN) * S];
  const bw = Math.round(Math.max(...xs) - Math.min(...xs));
  const bh = Math.round(Math.max(...ys) - Math.min(...ys));
  const odx = ((bw - S) >> 1) + CC - ((COS + SIN) * CC - Math.round(Math.min(...xs))) - 0.5;
  const ody = ((bh - S) >> 1) + CC - ((COS - SIN) * CC - Math.round(Math.min(...ys))) - 0.5;
  const nnRun = async () => {
    const r = await s()
      .affine(
        [
          [COS, SIN],
          [-SIN, COS],
        ],
        { interpolator: sharp.interpolators.nearest, odx, ody },
      )
      .raw()
      .toBuffer({ resolveWithObject: true });
    centreCrop(r.data, r.info.width, r.info.height, rot);
  };
  augCase(ROT_NN).cands.push({
    lib: "sharp affine(nearest) + JS centre crop",
    aa: "-",
    async: true,
    kind: "hwc",
    out: () => rot,
    run: nnRun,
  });
  augCase(BLUR).cands.push({
    lib: "sharp blur({sigma 1, minAmplitude 0.05})",
    aa: "-",
    async: true,
    kind: "hwc",
    out: () => last,
    run: async () => void (last = await s().blur({ sigma: 1, minAmplitude: 0.05 }).raw().toBuffer()),
  });
  // One pipeline: modulate (LCh chroma x saturation, LCh hue + integer degrees) then
  // linear for brightness x contrast about the input's grey mean (libvips' fixed order).
  augCase(JITTER).cands.push({
    lib: "sharp modulate({saturation, hue}) + linear(b*c, b*(1-c)*mean)",
    aa: "-",
    async: true,
    kind: "hwc",
    out: () => last,
    run: async (i) => {
      const p = jit[i % NBOX]!;
      const m = greyMean(aug.data, 3);
      const b = p.brightness;
      const c = p.contrast;
      last = await s()
        .modulate({ saturation: p.saturation, hue: Math.round(p.hue * 360) })
        .linear(b * c, b * (1 - c) * m)
        .raw()
        .toBuffer();
    },
  });
} catch (err) {
  skipped.push(`sharp (aug): ${(err as Error).message}`);
}

// jimp: RGBA, mutates in place, so each iteration clones. rotate({mode: false}) keeps the
// canvas and samples nearest (truncated coordinates); gaussian(r) is a true Gaussian with
// sigma r over a (2 ceil(2.57 r) + 1)^2 window, clamped edges; blur(r) is its fast box approximation.
try {
  const base = new Jimp({ width: S, height: S, data: augRgba });
  const rgbOf = (d: Uint8Array, out: Uint8Array) => rgbaToRgb(d, out);
  const a = new Uint8Array(HW * 3);
  const b = new Uint8Array(HW * 3);
  const g = new Uint8Array(HW * 3);
  const c = new Uint8Array(HW * 3);
  na(ROT_BIL, "jimp (rotate samples nearest only)");
  augCase(ROT_NN).cands.push({
    lib: "jimp clone+rotate({deg 15, mode false})",
    aa: "-",
    kind: "hwc",
    out: () => a,
    run: () => rgbOf(base.clone().rotate({ deg: ANGLE, mode: false }).bitmap.data, a),
  });
  augCase(BLUR).cands.push(
    { lib: "jimp clone+gaussian(1) (7x7)", aa: "-", kind: "hwc", out: () => g, run: () => rgbOf(base.clone().gaussian(1).bitmap.data, g) },
    {
      lib: "jimp clone+blur(1) (box approximation)",
      aa: "-",
      kind: "hwc",
      out: () => b,
      run: () => rgbOf(base.clone().blur(1).bitmap.data, b),
    },
  );
  // brightness(b) is the same multiply; contrast(v) pivots on 127 with factor (1+v)/(1-v);
  // saturate/desaturate add percent to HSL saturation; hue spins the HSL hue in degrees.
  augCase(JITTER).cands.push({
    lib: "jimp brightness + contrast(127 pivot) + color([saturate, hue])",
    aa: "-",
    kind: "hwc",
    out: () => c,
    run: (i) => {
      const p = jit[i % NBOX]!;
      const j = base.clone();
      for (const k of p.order) {
        if (k === 0) j.brightness(p.brightness);
        else if (k === 1) j.contrast((p.contrast - 1) / (p.contrast + 1));
        else if (k === 2) j.color([{ apply: p.saturation < 1 ? "desaturate" : "saturate", params: [Math.abs(p.saturation - 1) * 100] }]);
        else j.color([{ apply: "hue", params: [p.hue * 360] }]);
      }
      rgbOf(j.bitmap.data, c);
    },
  });
} catch (err) {
  skipped.push(`jimp (aug): ${(err as Error).message}`);
}

// opencv.js: warpAffine (forward matrix from getRotationMatrix2D, inverted inside), GaussianBlur
// (BORDER_DEFAULT = reflect-101, torchvision's "reflect"), colour from convertTo (brightness,
// contrast), cvtColor grey + addWeighted (saturation), f32 HSV (hue), applied in the sampled order.
try {
  if (!cv) throw new Error("opencv.js did not load");
  const src = new cv.Mat(S, S, cv.CV_8UC3);
  src.data.set(aug.data);
  const dst = new cv.Mat();
  let last: Uint8Array = new Uint8Array(0);
  const copyOut = (m: any) => {
    if (last.length !== m.data.length) last = new Uint8Array(m.data.length);
    last.set(m.data);
  };
  const sz = new cv.Size(S, S);
  const zero = new cv.Scalar(0, 0, 0, 0);
  const M = cv.getRotationMatrix2D(new cv.Point(CC, CC), ANGLE, 1);
  const rotRun = (interp: number) => () => {
    cv.warpAffine(src, dst, M, sz, interp, cv.BORDER_CONSTANT, zero);
    copyOut(dst);
  };
  augCase(ROT_BIL).cands.push({
    lib: "opencv.js warpAffine INTER_LINEAR",
    aa: "-",
    kind: "hwc",
    out: () => last,
    run: rotRun(cv.INTER_LINEAR),
  });
  augCase(ROT_NN).cands.push({
    lib: "opencv.js warpAffine INTER_NEAREST",
    aa: "-",
    kind: "hwc",
    out: () => last,
    run: rotRun(cv.INTER_NEAREST),
  });
  const k5 = new cv.Size(5, 5);
  augCase(BLUR).cands.push({
    lib: "opencv.js GaussianBlur 5x5 sigma 1",
    aa: "-",
    kind: "hwc",
    out: () => last,
    run: () => {
      cv.GaussianBlur(src, dst, k5, 1, 1, cv.BORDER_DEFAULT);
      copyOut(dst);
    },
  });
  const A = new cv.Mat();
  const B = new cv.Mat();
  const grey = new cv.Mat();
  const grey3 = new cv.Mat();
  const f = new cv.Mat();
  const hsv = new cv.Mat();
  const planes = new cv.MatVector();
  augCase(JITTER).cands.push({
    lib: "opencv.js convertTo + cvtColor/addWeighted + f32 HSV",
    aa: "-",
    kind: "hwc",
    out: () => last,
    run: (i) => {
      const p = jit[i % NBOX]!;
      let cur = src;
      let next = A;
      for (const k of p.order) {
        if (k === 0) cur.convertTo(next, -1, p.brightness, 0);
        else if (k === 1) {
          cv.cvtColor(cur, grey, cv.COLOR_RGB2GRAY);
          const m = cv.mean(grey)[0];
          cur.convertTo(next, -1, p.contrast, (1 - p.contrast) * m);
        } else if (k === 2) {
          cv.cvtColor(cur, grey, cv.COLOR_RGB2GRAY);
          cv.cvtColor(grey, grey3, cv.COLOR_GRAY2RGB);
          cv.addWeighted(cur, p.saturation, grey3, 1 - p.saturation, 0, next);
        } else {
          cur.convertTo(f, cv.CV_32F, 1 / 255);
          cv.cvtColor(f, hsv, cv.COLOR_RGB2HSV); // H in degrees; HSV2RGB wraps H itself
          cv.split(hsv, planes);
          const h = planes.get(0);
          h.convertTo(h, -1, 1, p.hue * 360);
          h.delete();
          cv.merge(planes, hsv);
          cv.cvtColor(hsv, f, cv.COLOR_HSV2RGB);
          f.convertTo(next, cv.CV_8U, 255);
        }
        cur = next;
        next = next === A ? B : A;
      }
      copyOut(cur);
    },
  });
} catch (err) {
  skipped.push(`opencv.js (aug): ${(err as Error).message}`);
}

// tfjs-wasm (f32 HWC out): image.transform (bilinear), image.rotateWithOffset (nearest only;
// its centre is a fraction of the size, so (S-1)/2/S puts it on Pillow's centre),
// mirrorPad reflect + depthwiseConv2d for the blur; it has no adjust_* ops, so ColorJitter is
// composed from element-wise ops (clip after each step, no rounding between steps).
try {
  if (!tfReady) throw new Error("wasm backend not initialised");
  const x4 = tf.tensor4d(Float32Array.from(aug.data), [1, S, S, 3]);
  let last: Float32Array = new Float32Array(0);
  const grab = (fn: () => tf.Tensor) => {
    const r = tf.tidy(fn);
    last = r.dataSync() as Float32Array;
    r.dispose();
  };
  const tr = tf.tensor2d([[COS, -SIN, CC - COS * CC + SIN * CC, SIN, COS, CC - SIN * CC - COS * CC, 0, 0]]);
  augCase(ROT_BIL).cands.push({
    lib: "tfjs-wasm image.transform bilinear",
    aa: "-",
    kind: "hwc",
    out: () => last,
    run: () => grab(() => tf.image.transform(x4, tr, "bilinear", "constant", 0)),
  });
  augCase(ROT_NN).cands.push({
    lib: "tfjs-wasm image.rotateWithOffset",
    aa: "-",
    kind: "hwc",
    out: () => last,
    run: () => grab(() => tf.image.rotateWithOffset(x4, RAD, 0, CC / S)),
  });
  const g1 = [-2, -1, 0, 1, 2].map((x) => Math.exp(-(x * x) / 2));
  const gs = g1.reduce((a, b) => a + b, 0);
  const w5: number[] = [];
  for (let y = 0; y < 5; y++) for (let x = 0; x < 5; x++) for (let c = 0; c < 3; c++) w5.push((g1[y]! * g1[x]!) / (gs * gs));
  const filt = tf.tensor4d(w5, [5, 5, 3, 1]);
  augCase(BLUR).cands.push({
    lib: "tfjs-wasm mirrorPad reflect + depthwiseConv2d 5x5",
    aa: "-",
    kind: "hwc",
    out: () => last,
    run: () =>
      grab(() =>
        tf.depthwiseConv2d(
          tf.mirrorPad(
            x4,
            [
              [0, 0],
              [2, 2],
              [2, 2],
              [0, 0],
            ],
            "reflect",
          ),
          filt,
          1,
          "valid",
        ),
      ),
  });
  const lw = tf.tensor1d([0.299, 0.587, 0.114]);
  const nk = tf.tensor1d([5, 3, 1]);
  const luma = (x: tf.Tensor) => tf.sum(tf.mul(x, lw), -1, true);
  const clip = (x: tf.Tensor) => tf.clipByValue(x, 0, 255);
  /** RGB -> HSV -> h + dh -> RGB, element-wise (v = max, s = (max - min) / max, h piecewise). */
  const hueShift = (x: tf.Tensor, dh: number) => {
    const [r, g, b] = tf.split(x, 3, -1) as [tf.Tensor, tf.Tensor, tf.Tensor];
    const v = tf.max(x, -1, true);
    const d = tf.sub(v, tf.min(x, -1, true));
    const dd = tf.where(tf.greater(d, 0), d, tf.onesLike(d));
    const h = tf.where(
      tf.equal(v, r),
      tf.div(tf.sub(g, b), dd),
      tf.where(tf.equal(v, g), tf.add(tf.div(tf.sub(b, r), dd), 2), tf.add(tf.div(tf.sub(r, g), dd), 4)),
    );
    const h6 = tf.mod(tf.add(h, dh * 6), 6); // h in [0, 6)
    const s = tf.div(d, tf.maximum(v, 1e-12));
    const k = tf.mod(tf.add(nk, h6), 6);
    return tf.sub(v, tf.mul(tf.mul(v, s), tf.clipByValue(tf.minimum(k, tf.sub(4, k)), 0, 1)));
  };
  augCase(JITTER).cands.push({
    lib: "tfjs-wasm (no adjust ops) composed element-wise",
    aa: "-",
    kind: "hwc",
    out: () => last,
    run: (i) => {
      const p = jit[i % NBOX]!;
      grab(() => {
        let y: tf.Tensor = x4;
        for (const k of p.order) {
          if (k === 0) y = clip(tf.mul(y, p.brightness));
          else if (k === 1) y = clip(tf.add(tf.mul(y, p.contrast), tf.mul(tf.mean(luma(y)), 1 - p.contrast)));
          else if (k === 2) y = clip(tf.add(tf.mul(y, p.saturation), tf.mul(luma(y), 1 - p.saturation)));
          else y = hueShift(y, p.hue);
        }
        return y;
      });
    },
  });
} catch (err) {
  skipped.push(`tfjs-wasm (aug): ${(err as Error).message}`);
}

// ---------- measurement ----------
const now = () => performance.now();
async function timeN(c: Cand, start: number, n: number): Promise<number> {
  const t0 = now();
  if (c.async) for (let i = 0; i < n; i++) await c.run(start + i);
  else for (let i = 0; i < n; i++) c.run(start + i);
  return (now() - t0) / 1000;
}
/**
 * Warm-up (WARMUP iterations, or fewer, at least 3, once it has taken WARMUP_MAX_S: only the
 * slowest peers, under ~20 images/s, stop early), then an iteration count that takes ~SECONDS.
 */
async function calibrate(c: Cand): Promise<number> {
  let k = 0;
  let w = 0;
  while (k < WARMUP && (k < 3 || w < WARMUP_MAX_S)) {
    w += await timeN(c, k, 1);
    k++;
  }
  return Math.max(5, Math.ceil((SECONDS * k) / w));
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
const HEAD = {
  core: [
    "| case | library (method) | antialias on downscale | images/s | lockstep/peer | mean abs diff vs lockstep (0..255) |",
    "|---|---|---|---:|---:|---:|",
  ],
  aug: ["| case | library (method) | images/s | lockstep/peer | mean abs diff vs lockstep (0..255) |", "|---|---|---:|---:|---:|"],
};
const rowsOf: Record<Group, string[]> = { core: [...HEAD.core], aug: [...HEAD.aug] };
const t00 = now();
const tGroup: Record<Group, number> = { core: 0, aug: 0 };
for (const all of cases) {
  if (ONLY && !all.name.includes(ONLY) && !all.group.includes(ONLY)) continue;
  const tc = now();
  const cs: Case = { ...all, cands: all.cands.filter((c) => !c.na) };
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
  const line = (first: boolean, c: Cand, rate: string, ratio: string, diff: string) =>
    cs.group === "core"
      ? `| ${first ? cs.name : ""} | ${c.lib} | ${c.aa} | ${rate} | ${ratio} | ${diff} |`
      : `| ${first ? cs.name : ""} | ${c.lib} | ${rate} | ${ratio} | ${diff} |`;
  const out = cs.cands.map((c, k) => line(k === 0, c, fmt(med[k]!), `${(med[0]! / med[k]!).toFixed(2)}x`, diffs[k]!));
  for (const c of all.cands) if (c.na) out.push(line(false, c, "n/a", "n/a", "n/a"));
  for (const row of out) console.error(row);
  rowsOf[cs.group].push(...out);
  tGroup[cs.group] += (now() - tc) / 1000;
}
const secs = ((now() - t00) / 1000).toFixed(0);
const load = loadavg()
  .map((x) => x.toFixed(2))
  .join(", ");

const cpu = cpus()[0]?.model ?? "unknown CPU";
const table = rowsOf.core.join("\n");
const augTable = rowsOf.aug.join("\n");
const header = [
  `# lockstep benchmark`,
  ``,
  `- date: ${new Date().toISOString()}`,
  `- node ${process.version}, ${cpu} (${cpus().length} logical CPUs), single-threaded (sharp.concurrency(1) + cache off, awaited one at a time; tfjs wasm threads 1; opencv.js build has no parallel framework)`,
  `- sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips}), jimp 1.6.0, @techstark/opencv-js (OpenCV 4.5), ${typeof tfNote === "string" ? tfNote : "tfjs n/a"}`,
  `- input: chelsea.png resized by lockstep to ${W}x${H} RGB, decoded once; warm-up ${WARMUP} iterations (stopping after ~${WARMUP_MAX_S}s, at least 3: only peers under ~20 images/s stop early), then ${REPEATS} timed repeats of ~${SECONDS}s each (interleaved across the candidates of a case), median shown; total timed phase ${secs}s (core ${tGroup.core.toFixed(0)}s, aug ${tGroup.aug.toFixed(0)}s); load average at the end ${load} (other processes share the machine, so expect run-to-run noise of tens of percent)`,
  `- train: crop boxes and flips from lockstep's train.sample(img, {seed: 1, index: i}) for i in 0..${NBOX - 1}, so every library crops the same boxes`,
  `- lockstep/peer > 1 means lockstep is faster; diff = mean |peer - lockstep| on sample 0 in 0..255 levels (shows which peers compute the same thing)`,
  `- command: npx tsx bench/run.ts`,
  ``,
].join("\n");
const notes = [
  ``,
  `Notes: every output ends in JS memory (f32 CHW normalized, or u8 HWC for the single ops; tfjs single ops give f32 HWC). sharp and jimp have no float output, so their recipes end with the plain JS loop shown in the toTensor row. jimp works on RGBA and mutates in place, so each jimp iteration includes clone(). tfjs takes a f32 tensor made once from the bytes (it has no u8 dtype).`,
  ``,
].join("\n");
const augSection = [
  `## Augmentation ops (group "aug", issue 6)`,
  ``,
  `- input: ${photoName} (${photo.width}x${photo.height}) resized by lockstep straight to ${S}x${S} RGB (F.resize), decoded once; same warm-up, repeats and median as above; this group's timed phase ${tGroup.aug.toFixed(0)}s`,
  `- lockstep: F.rotate(img, ${ANGLE}, { interpolation }), F.gaussianBlur(img, [5, 5], [1, 1]), new ColorJitter(0.4, 0.4, 0.4, 0.1).apply(img, { seed: 1, index: i }); the peers apply the factors and order of cj.sample(img, { seed: 1, index: i }) for i in 0..${NBOX - 1} (brightness, contrast, saturation, hue in the sampled order where the peer can order its steps)`,
  `- run alone: BENCH_ONLY=aug npx tsx bench/run.ts (or BENCH_ONLY=rotate, BENCH_ONLY=gaussianBlur, BENCH_ONLY=ColorJitter)`,
  ``,
  augTable,
  ``,
  ...AUG_NOTES,
  ``,
].join("\n");
const skippedNote = skipped.length ? `Not measured: ${skipped.join("; ")}.\n` : "";
if (rowsOf.core.length > 2) console.log(table);
if (rowsOf.aug.length > 2) console.log("\n" + augTable);
if (skipped.length) console.log(`\nNot measured: ${skipped.join("; ")}`);
if (!ONLY) writeFileSync(join(here, "results.md"), header + "\n" + table + "\n" + notes + "\n" + augSection + "\n" + skippedNote);

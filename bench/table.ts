// lockstep against native OpenCV (cv2) and the others, one table (issue 16): single thread,
// images/s, every library in the same process run, interleaved in rounds.
//
// Each round runs a machine-speed canary (a fixed JS integer loop), then every case's
// candidates one after another for ~BENCH_SECONDS each (the order reversed on odd rounds);
// cv2 and torchvision run in a Python child (bench/peers.py) that this script drives over
// a pipe, so their timings sit between lockstep's on the same loaded machine. A cell is the
// median rate over rounds; "lockstep ÷ cv2" is the median of the per-round ratios.
//
// Run: npm run bench   (= npx tsx bench/table.ts)
// Env: BENCH_SECONDS (per measurement, default 0.2), BENCH_ROUNDS (default 5), BENCH_ONLY
// (comma-separated substrings of case keys, e.g. BENCH_ONLY=blur or BENCH_ONLY=resize,train1024), BENCH_ROWS (a regular expression on case keys
// or row names, e.g. BENCH_ROWS='jitter|hflip'), BENCH_PYTHON (default /work/venv/bin/python
// if it exists, else python3), BENCH_NO_JS=1 (lockstep and the native peers only), BENCH_JS
// (comma-separated JavaScript peers, e.g. BENCH_JS=sharp; BENCH_JS= for none).
// Writes bench/table.md when run unfiltered.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PNG } from "pngjs";
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
  kernelImage,
  toKernel,
} from "../src/index.js";
import type { Image } from "../src/index.js";
import { kernel } from "../src/kernel/instance.js";
import { FILTER, FLAG } from "../src/kernel/exports.js";
import { callsPerSecond, median, PYTHON as PY, pythonChild } from "./timing.js";

const here = dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 0.2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ONLY = process.env.BENCH_ONLY ?? "";
const ROWS = process.env.BENCH_ROWS ? new RegExp(process.env.BENCH_ROWS, "i") : null;
const NO_JS = process.env.BENCH_NO_JS === "1";
/** BENCH_JS=sharp,jimp: only these JavaScript peers (default: all four). */
const JS = (process.env.BENCH_JS ?? "sharp,opencv.js,tfjs-wasm,jimp").split(",");
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];
const SCALE = STD.map((s) => 1 / (255 * s));
const BIAS = MEAN.map((m, c) => -m / STD[c]!);
const S = 224;
const HW = S * S;
const NBOX = 256;
const ANGLE = 15;

// ---------- inputs: chelsea.png resized by lockstep to 500x375, 1024x768 and 224x224 ----------
await ready();
const pngPath = [join(here, "../samples/chelsea.png"), "/work/shared/samples/chelsea.png"].find(existsSync);
if (!pngPath) throw new Error("samples/chelsea.png not found");
const png = PNG.sync.read(readFileSync(pngPath));
const rgb = new Uint8Array(png.width * png.height * 3);
for (let p = 0; p < png.width * png.height; p++) for (let c = 0; c < 3; c++) rgb[p * 3 + c] = png.data[p * 4 + c]!;
const photo: Image = { width: png.width, height: png.height, channels: 3, data: rgb };
const img500 = F.resize(photo, [375, 500]);
const img1024 = F.resize(photo, [768, 1024]);
const img224 = F.resize(photo, [S, S]);

const train = new Compose([new RandomResizedCrop(S), new RandomHorizontalFlip(), new ToTensor(), new Normalize(MEAN, STD)]);
const evalp = new Compose([new Resize(256), new CenterCrop(S), new ToTensor(), new Normalize(MEAN, STD)]);
const tt = new Compose([new ToTensor(), new Normalize(MEAN, STD)]);
const cj = new ColorJitter(0.4, 0.4, 0.4, 0.1);
const cjTensor = new Compose([new ColorJitter(0.4, 0.4, 0.4, 0.1)], { semantics: "tensor" });
type Box = { top: number; left: number; height: number; width: number; flip: boolean };
const boxesOf = (img: Image): Box[] =>
  Array.from({ length: NBOX }, (_, i) => {
    const p = train.sample(img, { seed: 1, index: i }) as unknown as [Omit<Box, "flip">, { flip: boolean }];
    return { ...p[0], flip: !!p[1].flip };
  });
const boxes500 = boxesOf(img500);
const boxes1024 = boxesOf(img1024);
interface Jitter {
  order: number[];
  brightness: number;
  contrast: number;
  saturation: number;
  hue: number;
}
const jit: Jitter[] = Array.from({ length: NBOX }, (_, i) => cj.sample(img224, { seed: 1, index: i }) as unknown as Jitter);

// ---------- candidates ----------
type Col = "lockstep" | "cv2" | "torchvision" | "sharp" | "opencv.js" | "tfjs-wasm" | "jimp";
const COLS: Col[] = ["lockstep", "cv2", "torchvision", "sharp", "opencv.js", "tfjs-wasm", "jimp"];
interface Cand {
  col: Col;
  /** Short method name shown next to the rate when a column has several. */
  tag: string;
  run?: (i: number) => unknown;
  /** Case name in bench/peers.py. */
  py?: string;
}
interface Case {
  key: string;
  name: string;
  cands: Cand[];
}
const cases: Case[] = [];
const add = (key: string, name: string, cands: Cand[]) => cases.push({ key, name, cands });
const caseOf = (key: string) => cases.find((c) => c.key === key)!;
const py = (key: string, col: "cv2" | "torchvision", tag: string): Cand => ({
  col,
  tag,
  py: `${key}/${col === "cv2" ? "cv2" : "torchvision"}${tag ? " " + tag : ""}`,
});
const nativeTrain = (key: string) => [
  py(key, "cv2", "INTER_LINEAR"),
  py(key, "cv2", "INTER_AREA"),
  py(key, "torchvision", "PIL"),
  py(key, "torchvision", "v2 tensor"),
];

{
  const o = new Float32Array(3 * HW);
  const u = new Uint8Array(HW * 3);
  const r5 = new Uint8Array(500 * 375 * 3);
  const j = new Uint8Array(HW * 3);
  add("train500", "training recipe 500×375 (RRC 224 + flip + ToTensor + Normalize)", [
    { col: "lockstep", tag: "", run: (i) => train.apply(img500, { seed: 1, index: i % NBOX, out: o }) },
    ...nativeTrain("train500"),
  ]);
  add("eval500", "eval recipe 500×375 (Resize 256 + CenterCrop 224 + ToTensor + Normalize)", [
    { col: "lockstep", tag: "", run: () => evalp.apply(img500, { out: o }) },
    ...nativeTrain("eval500"),
  ]);
  add("train1024", "training recipe 1024×768", [
    { col: "lockstep", tag: "", run: (i) => train.apply(img1024, { seed: 1, index: i % NBOX, out: o }) },
    ...nativeTrain("train1024"),
  ]);
  add("resize500", "resize 500×375 → 224×224 bilinear (u8)", [
    { col: "lockstep", tag: "", run: () => F.resize(img500, [S, S], { out: u }) },
    ...nativeTrain("resize500"),
  ]);
  add("resize1024", "resize 1024×768 → 224×224 bilinear (u8)", [
    { col: "lockstep", tag: "", run: () => F.resize(img1024, [S, S], { out: u }) },
    ...nativeTrain("resize1024"),
  ]);
  add("rotate500", "rotate 15° bilinear 500×375, same canvas (u8)", [
    { col: "lockstep", tag: "", run: () => F.rotate(img500, ANGLE, { interpolation: "bilinear", out: r5 }) },
    py("rotate500", "cv2", "INTER_LINEAR"),
    py("rotate500", "torchvision", "PIL"),
    py("rotate500", "torchvision", "v2 tensor"),
  ]);
  add("blur500", "Gaussian blur 5×5 σ1 500×375 (u8)", [
    { col: "lockstep", tag: "", run: () => F.gaussianBlur(img500, [5, 5], [1, 1], { out: r5 }) },
    py("blur500", "cv2", ""),
    py("blur500", "torchvision", "PIL"),
    py("blur500", "torchvision", "v2 tensor"),
  ]);
  add("jitter224", 'ColorJitter(.4, .4, .4, .1) 224×224, "pil" (u8)', [
    { col: "lockstep", tag: "", run: (i) => cj.apply(img224, { seed: 1, index: i % NBOX, out: j }) },
    py("jitter224", "cv2", ""),
    py("jitter224", "torchvision", "PIL"),
  ]);
  add("jitter224t", 'ColorJitter(.4, .4, .4, .1) 224×224, "tensor" (u8)', [
    { col: "lockstep", tag: "", run: (i) => cjTensor.apply(img224, { seed: 1, index: i % NBOX, out: j }) },
    { col: "cv2", tag: "", py: "jitter224/cv2" },
    { col: "torchvision", tag: "v2 tensor", py: "jitter224/torchvision v2 tensor" },
  ]);
  add("hflip500", "hflip 500×375 (u8)", [
    { col: "lockstep", tag: "", run: () => F.hflip(img500, { out: r5 }) },
    py("hflip500", "cv2", ""),
    py("hflip500", "torchvision", "PIL"),
    py("hflip500", "torchvision", "v2 tensor"),
  ]);
  // Issue 16's zero-copy path: the same calls on images already in kernel memory (KernelImage):
  // the input is read in place and an image result written in place, no copy across the boundary.
  const k500 = toKernel(img500);
  const k500out = kernelImage(375, 500, 3);
  add("hflip500k", "hflip 500×375 (u8), KernelImage input and out", [
    { col: "lockstep", tag: "", run: () => F.hflip(k500, { out: k500out }) },
    py("hflip500", "cv2", ""),
  ]);
  add("train500k", "training recipe 500×375, KernelImage input (tensor out)", [
    { col: "lockstep", tag: "", run: (i) => train.apply(k500, { seed: 1, index: i % NBOX, out: o }) },
    ...nativeTrain("train500"),
  ]);
  add("tensor224", "ToTensor + Normalize 224×224", [
    { col: "lockstep", tag: "", run: () => tt.apply(img224, { out: o }) },
    { col: "cv2", tag: "+ numpy", py: "tensor224/cv2 + numpy" },
    py("tensor224", "torchvision", "PIL"),
    py("tensor224", "torchvision", "v2 tensor"),
  ]);
}

// The recipe's floors (500x375, the same boxes): the resampler's crop -> tensor with no
// resize (a 224x224 window of each box) on data already in wasm memory; and the same with the
// box copied in and the tensor copied out, i.e. the memory traffic the recipe cannot avoid.
{
  const { exports: k, arena } = kernel();
  arena.reset();
  const src = arena.put(img500.data);
  const box = arena.alloc(img500.data.length);
  const norm = arena.putF32([...MEAN, ...STD]);
  const scratch = arena.alloc(k.resampleScratch(500, 375, S, S, S, S, 3, FILTER.bilinear, 1));
  const dst = arena.alloc(3 * HW * 4);
  const o = new Float32Array(3 * HW);
  const crop = (at: number, w: number, b: Box) => {
    const t = Math.min(b.top, 375 - S);
    const l = Math.min(b.left, 500 - S);
    k.resample(
      at,
      w,
      375,
      3,
      l,
      t,
      S,
      S,
      S,
      S,
      0,
      0,
      S,
      S,
      FILTER.bilinear,
      1,
      FLAG.tensor | (b.flip ? FLAG.hflip : 0),
      norm,
      dst,
      scratch,
    );
  };
  const floorIn = (i: number) => crop(src, 500, boxes500[i % NBOX]!);
  const floorCopy = (i: number) => {
    const b = boxes500[i % NBOX]!;
    const mem = arena.u8();
    // The box's rows (whole rows: one copy), then the tensor out.
    mem.set(img500.data.subarray(b.top * 1500, (b.top + b.height) * 1500), box);
    crop(box - b.top * 1500, 500, b);
    o.set(arena.f32().subarray(dst >>> 2, (dst >>> 2) + 3 * HW));
  };
  caseOf("train500").cands.push(
    { col: "lockstep", tag: "floor: crop→tensor in wasm memory", run: floorIn },
    { col: "lockstep", tag: "floor: box in + crop→tensor + tensor out", run: floorCopy },
  );
}

// ---------- JavaScript peers ----------
const skipped: string[] = [];
const rgbaOf = (im: Image) => {
  const a = Buffer.alloc(im.width * im.height * 4);
  for (let p = 0; p < im.width * im.height; p++) {
    for (let c = 0; c < 3; c++) a[p * 4 + c] = im.data[p * 3 + c]!;
    a[p * 4 + 3] = 255;
  }
  return a;
};
function toChw(src: Uint8Array, stride: number, n: number, out: Float32Array): void {
  const [a0, a1, a2] = SCALE as [number, number, number];
  const [b0, b1, b2] = BIAS as [number, number, number];
  for (let p = 0, s = 0; p < n; p++, s += stride) {
    out[p] = src[s]! * a0 + b0;
    out[n + p] = src[s + 1]! * a1 + b1;
    out[2 * n + p] = src[s + 2]! * a2 + b2;
  }
}
const EW = Math.floor((256 * 500) / 375);
const ET = Math.round((256 - S) / 2);
const EL = 58;

if (!NO_JS) {
  // sharp: one thread, no cache, awaited one at a time.
  if (JS.includes("sharp"))
    try {
      const sharp = (await import("sharp")).default;
      sharp.concurrency(1);
      sharp.cache(false);
      const o = new Float32Array(3 * HW);
      const sh = (im: Image) =>
        sharp(Buffer.from(im.data.buffer, im.data.byteOffset, im.data.byteLength), {
          raw: { width: im.width, height: im.height, channels: 3 },
        });
      const trainRun = (im: Image, boxes: Box[]) => async (i: number) => {
        const b = boxes[i % NBOX]!;
        let p = sh(im)
          .extract({ left: b.left, top: b.top, width: b.width, height: b.height })
          .resize(S, S, { fit: "fill", kernel: "linear" });
        if (b.flip) p = p.flop();
        toChw(await p.raw().toBuffer(), 3, HW, o);
      };
      const C = (tag: string, run: (i: number) => unknown): Cand => ({ col: "sharp", tag, run });
      caseOf("train500").cands.push(C("linear", trainRun(img500, boxes500)));
      caseOf("train1024").cands.push(C("linear", trainRun(img1024, boxes1024)));
      caseOf("eval500").cands.push(
        C("linear", async () =>
          toChw(
            await sh(img500)
              .resize(EW, 256, { fit: "fill", kernel: "linear" })
              .extract({ left: EL, top: ET, width: S, height: S })
              .raw()
              .toBuffer(),
            3,
            HW,
            o,
          ),
        ),
      );
      caseOf("resize500").cands.push(C("linear", () => sh(img500).resize(S, S, { fit: "fill", kernel: "linear" }).raw().toBuffer()));
      caseOf("resize1024").cands.push(C("linear", () => sh(img1024).resize(S, S, { fit: "fill", kernel: "linear" }).raw().toBuffer()));
      caseOf("rotate500").cands.push(C("rotate (canvas grows)", () => sh(img500).rotate(-ANGLE).raw().toBuffer()));
      caseOf("blur500").cands.push(C("blur σ1 5 taps", () => sh(img500).blur({ sigma: 1, minAmplitude: 0.05 }).raw().toBuffer()));
      caseOf("jitter224").cands.push(
        C("modulate + linear", (i) => {
          const p = jit[i % NBOX]!;
          return sh(img224)
            .modulate({ saturation: p.saturation, hue: Math.round(p.hue * 360) })
            .linear(p.brightness * p.contrast, p.brightness * (1 - p.contrast) * 110)
            .raw()
            .toBuffer();
        }),
      );
      caseOf("hflip500").cands.push(C("flop", () => sh(img500).flop().raw().toBuffer()));
    } catch (err) {
      skipped.push(`sharp: ${(err as Error).message}`);
    }

  // opencv.js (OpenCV 4.5 compiled to wasm, no threads).
  if (JS.includes("opencv.js"))
    try {
      const mod = await import("@techstark/opencv-js");
      let cv: any = (mod as any).default ?? mod;
      if (cv instanceof Promise) cv = await cv;
      else if (!cv.Mat) await new Promise<void>((r) => (cv.onRuntimeInitialized = r));
      const mat = (im: Image) => {
        const m = new cv.Mat(im.height, im.width, cv.CV_8UC3);
        m.data.set(im.data);
        return m;
      };
      const m500 = mat(img500),
        m1024 = mat(img1024),
        m224 = mat(img224);
      const rs = new cv.Mat(),
        fl = new cv.Mat(),
        fp = new cv.Mat(),
        dst = new cv.Mat(),
        planes = new cv.MatVector();
      const A = new cv.Mat(),
        B = new cv.Mat(),
        grey = new cv.Mat(),
        grey3 = new cv.Mat(),
        f = new cv.Mat(),
        hsv = new cv.Mat();
      const o = new Float32Array(3 * HW);
      const sz = new cv.Size(S, S);
      let last = new Uint8Array(0);
      const copyOut = (m: any) => {
        if (last.length !== m.data.length) last = new Uint8Array(m.data.length);
        last.set(m.data);
      };
      const normTo = (m: any) => {
        cv.split(m, planes);
        for (let c = 0; c < 3; c++) {
          const p = planes.get(c);
          p.convertTo(fp, cv.CV_32F, SCALE[c], BIAS[c]);
          o.set(fp.data32F, c * HW);
          p.delete();
        }
      };
      const trainRun = (src: any, boxes: Box[]) => (i: number) => {
        const b = boxes[i % NBOX]!;
        const roi = src.roi(new cv.Rect(b.left, b.top, b.width, b.height));
        cv.resize(roi, rs, sz, 0, 0, cv.INTER_LINEAR);
        roi.delete();
        if (b.flip) cv.flip(rs, fl, 1);
        normTo(b.flip ? fl : rs);
      };
      const C = (tag: string, run: (i: number) => unknown): Cand => ({ col: "opencv.js", tag, run });
      caseOf("train500").cands.push(C("INTER_LINEAR", trainRun(m500, boxes500)));
      caseOf("train1024").cands.push(C("INTER_LINEAR", trainRun(m1024, boxes1024)));
      caseOf("eval500").cands.push(
        C("INTER_LINEAR", () => {
          cv.resize(m500, rs, new cv.Size(EW, 256), 0, 0, cv.INTER_LINEAR);
          const roi = rs.roi(new cv.Rect(EL, ET, S, S));
          normTo(roi);
          roi.delete();
        }),
      );
      caseOf("resize500").cands.push(
        C("INTER_LINEAR", () => {
          cv.resize(m500, dst, sz, 0, 0, cv.INTER_LINEAR);
          copyOut(dst);
        }),
      );
      caseOf("resize1024").cands.push(
        C("INTER_LINEAR", () => {
          cv.resize(m1024, dst, sz, 0, 0, cv.INTER_LINEAR);
          copyOut(dst);
        }),
      );
      const M = cv.getRotationMatrix2D(new cv.Point(249.5, 187), ANGLE, 1);
      const zero = new cv.Scalar(0, 0, 0, 0);
      caseOf("rotate500").cands.push(
        C("warpAffine INTER_LINEAR", () => {
          cv.warpAffine(m500, dst, M, new cv.Size(500, 375), cv.INTER_LINEAR, cv.BORDER_CONSTANT, zero);
          copyOut(dst);
        }),
      );
      const k5 = new cv.Size(5, 5);
      caseOf("blur500").cands.push(
        C("GaussianBlur", () => {
          cv.GaussianBlur(m500, dst, k5, 1, 1, cv.BORDER_DEFAULT);
          copyOut(dst);
        }),
      );
      caseOf("jitter224").cands.push(
        C("convertTo/addWeighted/HSV", (i) => {
          const p = jit[i % NBOX]!;
          let cur = m224;
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
              cv.cvtColor(cur, hsv, cv.COLOR_RGB2HSV_FULL);
              cv.split(hsv, planes);
              const h = planes.get(0);
              cv.add(h, new cv.Mat(h.rows, h.cols, h.type(), new cv.Scalar(Math.trunc(p.hue * 255) & 255)), h);
              cv.merge(planes, hsv);
              h.delete();
              cv.cvtColor(hsv, next, cv.COLOR_HSV2RGB_FULL);
            }
            cur = next;
            next = next === A ? B : A;
          }
          copyOut(cur);
        }),
      );
      caseOf("hflip500").cands.push(
        C("flip", () => {
          cv.flip(m500, dst, 1);
          copyOut(dst);
        }),
      );
      caseOf("tensor224").cands.push(C("split + convertTo", () => normTo(m224)));
      void f;
    } catch (err) {
      skipped.push(`opencv.js: ${(err as Error).message}`);
    }

  // tfjs-core with the wasm backend, one thread (f32 tensors made once from the bytes).
  if (JS.includes("tfjs-wasm"))
    try {
      const tf = await import("@tensorflow/tfjs-core");
      const tw = await import("@tensorflow/tfjs-backend-wasm");
      tw.setThreadsCount(1);
      if (!(await tf.setBackend("wasm"))) throw new Error("wasm backend failed to initialise");
      await tf.ready();
      const x = (im: Image) => tf.tensor4d(Float32Array.from(im.data), [1, im.height, im.width, 3]);
      const x500 = x(img500),
        x1024 = x(img1024),
        x224 = x(img224);
      const sc = tf.tensor1d(SCALE),
        bi = tf.tensor1d(BIAS);
      const o = new Float32Array(3 * HW);
      const grab = (fn: () => any, out?: Float32Array) => {
        const r = tf.tidy(fn);
        const d = r.dataSync() as Float32Array;
        if (out) out.set(d);
        r.dispose();
      };
      const chw = (y: any) => tf.transpose(tf.add(tf.mul(y, sc), bi), [0, 3, 1, 2]);
      const trainRun = (x4: any, H: number, W: number, boxes: Box[]) => (i: number) => {
        const b = boxes[i % NBOX]!;
        grab(() => {
          const bx = tf.tensor2d([[b.top / (H - 1), b.left / (W - 1), (b.top + b.height - 1) / (H - 1), (b.left + b.width - 1) / (W - 1)]]);
          let y = tf.image.cropAndResize(x4, bx, [0], [S, S], "bilinear");
          if (b.flip) y = tf.image.flipLeftRight(y);
          return chw(y);
        }, o);
      };
      const C = (tag: string, run: (i: number) => unknown): Cand => ({ col: "tfjs-wasm", tag, run });
      caseOf("train500").cands.push(C("cropAndResize", trainRun(x500, 375, 500, boxes500)));
      caseOf("train1024").cands.push(C("cropAndResize", trainRun(x1024, 768, 1024, boxes1024)));
      caseOf("eval500").cands.push(
        C("resizeBilinear", () =>
          grab(() => chw(tf.slice(tf.image.resizeBilinear(x500, [256, EW], false, true), [0, ET, EL, 0], [1, S, S, 3])), o),
        ),
      );
      caseOf("resize500").cands.push(C("resizeBilinear", () => grab(() => tf.image.resizeBilinear(x500, [S, S], false, true))));
      caseOf("resize1024").cands.push(C("resizeBilinear", () => grab(() => tf.image.resizeBilinear(x1024, [S, S], false, true))));
      const rad = (ANGLE * Math.PI) / 180,
        cs = Math.cos(rad),
        sn = Math.sin(rad);
      const tr = tf.tensor2d([[cs, -sn, 249.5 - cs * 249.5 + sn * 187, sn, cs, 187 - sn * 249.5 - cs * 187, 0, 0]]);
      caseOf("rotate500").cands.push(C("image.transform", () => grab(() => tf.image.transform(x500, tr, "bilinear", "constant", 0))));
      const g1 = [-2, -1, 0, 1, 2].map((v) => Math.exp(-(v * v) / 2));
      const gs = g1.reduce((a, b) => a + b, 0);
      const w5: number[] = [];
      for (let yy = 0; yy < 5; yy++) for (let xx = 0; xx < 5; xx++) for (let c = 0; c < 3; c++) w5.push((g1[yy]! * g1[xx]!) / (gs * gs));
      const filt = tf.tensor4d(w5, [5, 5, 3, 1]);
      caseOf("blur500").cands.push(
        C("mirrorPad + depthwiseConv2d", () =>
          grab(() =>
            tf.depthwiseConv2d(
              tf.mirrorPad(
                x500,
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
        ),
      );
      const lw = tf.tensor1d([0.299, 0.587, 0.114]);
      const luma = (t: any) => tf.sum(tf.mul(t, lw), -1, true);
      const clip = (t: any) => tf.clipByValue(t, 0, 255);
      caseOf("jitter224").cands.push(
        C("element-wise (no hue)", (i) => {
          const p = jit[i % NBOX]!;
          grab(() => {
            let y: any = x224;
            for (const k of p.order) {
              if (k === 0) y = clip(tf.mul(y, p.brightness));
              else if (k === 1) y = clip(tf.add(tf.mul(y, p.contrast), tf.mul(tf.mean(luma(y)), 1 - p.contrast)));
              else if (k === 2) y = clip(tf.add(tf.mul(y, p.saturation), tf.mul(luma(y), 1 - p.saturation)));
            }
            return y;
          });
        }),
      );
      caseOf("hflip500").cands.push(C("flipLeftRight", () => grab(() => tf.image.flipLeftRight(x500))));
      caseOf("tensor224").cands.push(
        C("mul/add/transpose", () => grab(() => chw(tf.cast(tf.tensor4d(img224.data, [1, S, S, 3], "int32"), "float32")), o)),
      );
    } catch (err) {
      skipped.push(`tfjs-wasm: ${(err as Error).message}`);
    }

  // jimp (RGBA, mutates: each call clones).
  if (JS.includes("jimp"))
    try {
      const { Jimp } = await import("jimp");
      const j500 = new Jimp({ width: 500, height: 375, data: rgbaOf(img500) });
      const j1024 = new Jimp({ width: 1024, height: 768, data: rgbaOf(img1024) });
      const j224 = new Jimp({ width: S, height: S, data: rgbaOf(img224) });
      const o = new Float32Array(3 * HW);
      const trainRun = (base: any, boxes: Box[]) => (i: number) => {
        const b = boxes[i % NBOX]!;
        const j = base.clone().crop({ x: b.left, y: b.top, w: b.width, h: b.height }).resize({ w: S, h: S });
        if (b.flip) j.flip({ horizontal: true, vertical: false });
        toChw(j.bitmap.data, 4, HW, o);
      };
      const C = (tag: string, run: (i: number) => unknown): Cand => ({ col: "jimp", tag, run });
      caseOf("train500").cands.push(C("", trainRun(j500, boxes500)));
      caseOf("train1024").cands.push(C("", trainRun(j1024, boxes1024)));
      caseOf("eval500").cands.push(
        C("", () => toChw(j500.clone().resize({ w: EW, h: 256 }).crop({ x: EL, y: ET, w: S, h: S }).bitmap.data, 4, HW, o)),
      );
      caseOf("resize500").cands.push(C("", () => j500.clone().resize({ w: S, h: S })));
      caseOf("resize1024").cands.push(C("", () => j1024.clone().resize({ w: S, h: S })));
      caseOf("blur500").cands.push(C("gaussian(1)", () => j500.clone().gaussian(1)));
      caseOf("jitter224").cands.push(
        C("", (i) => {
          const p = jit[i % NBOX]!;
          const j = j224.clone();
          for (const k of p.order) {
            if (k === 0) j.brightness(p.brightness);
            else if (k === 1) j.contrast((p.contrast - 1) / (p.contrast + 1));
            else if (k === 2)
              j.color([{ apply: p.saturation < 1 ? "desaturate" : "saturate", params: [Math.abs(p.saturation - 1) * 100] }]);
            else j.color([{ apply: "hue", params: [p.hue * 360] }]);
          }
        }),
      );
      caseOf("hflip500").cands.push(C("clone + flip", () => j500.clone().flip({ horizontal: true, vertical: false })));
    } catch (err) {
      skipped.push(`jimp: ${(err as Error).message}`);
    }
}

// ---------- the Python child (cv2, torchvision) ----------
const dir = mkdtempSync(join(tmpdir(), "lockstep-bench-"));
writeFileSync(join(dir, "img500.raw"), img500.data);
writeFileSync(join(dir, "img1024.raw"), img1024.data);
writeFileSync(join(dir, "img224.raw"), img224.data);
writeFileSync(join(dir, "params.json"), JSON.stringify({ boxes500, boxes1024, jitter: jit }));
const child = pythonChild([join(here, "peers.py"), dir]);
const ask = async (cmd: object): Promise<any> => JSON.parse(await child.ask(JSON.stringify(cmd)));
let versions: Record<string, string> = {};
try {
  const hello = await ask({});
  versions = hello.versions;
} catch (err) {
  // No Python peers: every native cell reads "n/a".
  skipped.push(`cv2/torchvision (${PY} bench/peers.py): ${(err as Error).message}`);
  for (const c of cases) c.cands = c.cands.filter((x) => !x.py);
}

// ---------- measurement ----------
const now = () => performance.now();
/** Calls per second of `c` over about SECONDS (at least one call). */
async function rate(c: Cand, start: number): Promise<number> {
  if (c.py) {
    const r = await ask({ time: c.py, seconds: SECONDS, start });
    return r.n / r.s;
  }
  return callsPerSecond(c.run!, SECONDS, start);
}
/** A fixed integer loop: its rate per round shows how fast the machine was then. */
function canary(): number {
  const t0 = now();
  let x = 0x9e3779b9 | 0;
  for (let i = 0; i < 20_000_000; i++) x = (Math.imul(x ^ (x >>> 15), 0x85ebca6b) + i) | 0;
  if (x === 42) console.error("");
  return 1000 / (now() - t0);
}

const todo = cases.filter(
  (c) => (!ONLY || ONLY.split(",").some((o) => c.key.includes(o))) && (!ROWS || ROWS.test(c.key) || ROWS.test(c.name)),
);
// Warm every candidate (JIT, caches, lazy tables).
for (const c of todo) for (const x of c.cands) if (x.run) for (let i = 0; i < 5; i++) await x.run(i);
const rates = new Map<Cand, number[]>();
const canaries: number[] = [];
const t00 = now();
for (let r = 0; r < ROUNDS; r++) {
  canaries.push(canary());
  for (const c of todo) {
    const order = r % 2 ? [...c.cands].reverse() : c.cands;
    for (const x of order) {
      // A peer whose one call takes over twice the budget (jimp) runs in the first round only.
      const have = rates.get(x);
      if (have && have[0]! * SECONDS < 0.5) continue;
      const v = await rate(x, 64 * r);
      rates.set(x, [...(have ?? []), v]);
    }
  }
  process.stderr.write(`round ${r + 1}/${ROUNDS} done (${((now() - t00) / 1000).toFixed(0)} s)\n`);
}
child.close();
rmSync(dir, { recursive: true, force: true });

const fmt = (x: number) => (x >= 100 ? Math.round(x).toLocaleString("en-US") : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const lines2: string[] = [];
lines2.push(`| workload | ${COLS.join(" | ")} | lockstep ÷ cv2 |`);
lines2.push(`|---|${COLS.map(() => "---:").join("|")}|---:|`);
const floors: string[] = [];
for (const c of todo) {
  const ls = c.cands.find((x) => x.col === "lockstep" && !x.tag)!;
  const lsRates = rates.get(ls)!;
  const cell = (col: Col) => {
    const xs = c.cands.filter((x) => x.col === col && !x.tag.startsWith("floor"));
    if (!xs.length) return "—";
    return xs.map((x) => `${fmt(median(rates.get(x)!))}${xs.length > 1 || (x.tag && col !== "lockstep") ? ` (${x.tag})` : ""}`).join(" / ");
  };
  const ratio = c.cands
    .filter((x) => x.col === "cv2")
    .map((x) => {
      const cv = rates.get(x)!;
      return `${median(lsRates.map((v, r) => v / cv[r]!)).toFixed(2)}×`;
    })
    .join(" / ");
  lines2.push(`| ${c.name} | ${COLS.map(cell).join(" | ")} | ${ratio || "—"} |`);
  for (const x of c.cands.filter((y) => y.tag.startsWith("floor"))) {
    const fr = rates.get(x)!;
    floors.push(`| ${x.tag.slice(7)} | ${fmt(median(fr))} | ${median(lsRates.map((v, r) => v / fr[r]!)).toFixed(2)}× |`);
  }
}
const secs = ((now() - t00) / 1000).toFixed(0);
const cmax = Math.max(...canaries);
const table = lines2.join("\n");
const floorTable = floors.length
  ? [
      "",
      "Floors for the 500×375 training recipe (same boxes and flips):",
      "",
      "| floor | images/s | recipe ÷ floor |",
      "|---|---:|---:|",
      ...floors,
    ].join("\n")
  : "";
const header = [
  `- ${new Date().toISOString()}; node ${process.version}; ${cpus()[0]?.model ?? "CPU"} (${cpus().length} logical CPUs, shared); every library single-threaded`,
  `- ${ROUNDS} interleaved rounds of ~${SECONDS}s per measurement, ${secs}s in all; cells are medians over rounds (images/s), "lockstep ÷ cv2" the median of the per-round ratios (one per cv2 method: INTER_LINEAR / INTER_AREA where two are shown)`,
  `- machine-speed canary per round, relative to its best round: ${canaries.map((x) => (x / cmax).toFixed(2)).join(", ")}; load average at the end ${loadavg()
    .map((x) => x.toFixed(2))
    .join(", ")}`,
  `- cv2 ${versions.cv2 ?? "n/a"} and torchvision ${versions.torchvision ?? "n/a"} (torch ${versions.torch ?? "n/a"}) through ${PY} bench/peers.py (cv2.setNumThreads(1), torch.set_num_threads(1)); lockstep with \`{ out }\`, default "pil" semantics unless the row says "tensor"`,
  `- command: ${ONLY ? `BENCH_ONLY=${ONLY} ` : ""}${ROWS ? `BENCH_ROWS='${process.env.BENCH_ROWS}' ` : ""}npm run bench`,
];
const text = [...header, "", table, floorTable, skipped.length ? `\nNot measured: ${skipped.join("; ")}.` : ""].join("\n");
console.log(text);
if (!ONLY && !ROWS) writeFileSync(join(here, "table.md"), `# lockstep vs OpenCV and the others\n\n${text}\n`);
process.exit(0);

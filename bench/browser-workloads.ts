// The workloads of bench/browser.ts, one module for every host: Node imports it with the sources,
// the Chromium page and its Web Worker get it bundled into bench/browser-host.ts. Each host passes
// in its own lockstep (Node: src/; Chromium: the package's build/browser.js and build/io.js), so
// the timed code is what users run there.
import type * as Lockstep from "../src/index.js";
import type * as LockstepIo from "../src/io/index.js";
import type { KernelExports } from "../src/kernel/exports.js";
import { FILTER, FLAG } from "../src/kernel/exports.js";

/** The inputs, made once by bench/browser.ts and handed to every host as bytes. */
export interface Inputs {
  /** 500×375 RGB (chelsea.png resized by lockstep). */
  rgb: Uint8Array;
  /** The same image as a JPEG. */
  jpeg: Uint8Array;
  /** build/lockstep.wasm, for the pure-kernel loop's own instance. */
  wasm: Uint8Array;
}

export const W = 500;
export const H = 375;
const S = 224;
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];
/** Seeds cycle over this many indices, so every host samples the same boxes in the same order. */
const NIDX = 256;

/** The workloads in table order, with what each measures. */
export const WORKLOADS = {
  train: "training recipe: RRC 224 + flip + ToTensor + Normalize, apply(..., { out })",
  trainNew: "training recipe without { out }: a new 602 KB Float32Array per call",
  eval: "eval recipe: Resize 256 + CenterCrop 224 + ToTensor + Normalize, apply(..., { out })",
  decode: "decodeSync of a 500×375 JPEG (quality 90)",
  kernel: "pure kernel: resample crop→normalized tensor of the recipe's boxes, in wasm memory, no copies",
  kdecode: "pure kernel: the JPEG's imageInfo + imagePlan + imageDecode, file already in wasm memory, no copies",
  fresh: "no lockstep: a new 602 KB Float32Array written once (what each result without { out } costs the host)",
} as const;
export type Workload = keyof typeof WORKLOADS;

/** One workload ready to run: `step(i)` does the i-th unit of work; `check()` a digest of its last output. */
export interface Runner {
  step(i: number): void;
  check(): number;
}

/** FNV-1a over bytes: the hosts' outputs are compared, so a fast wrong answer cannot pass as a speed-up. */
function digest(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193) >>> 0;
  return h;
}

/**
 * Builds the runners. The pure-kernel loop instantiates the wasm on its own (the same
 * `WebAssembly.compile` + `instantiate` on every host) and calls `resample` on boxes already in
 * its memory: the kernel's speed with no JS↔wasm copies and no library code around it.
 */
export async function makeRunners(lib: typeof Lockstep, io: typeof LockstepIo, inputs: Inputs): Promise<Record<Workload, Runner>> {
  await lib.ready();
  const img: Lockstep.Image = { width: W, height: H, channels: 3, data: inputs.rgb };
  const train = new lib.Compose([
    new lib.RandomResizedCrop(S),
    new lib.RandomHorizontalFlip(),
    new lib.ToTensor(),
    new lib.Normalize(MEAN, STD),
  ]);
  const evalp = new lib.Compose([new lib.Resize(256), new lib.CenterCrop(S), new lib.ToTensor(), new lib.Normalize(MEAN, STD)]);
  const out = new Float32Array(3 * S * S);
  const f32 = new Uint8Array(out.buffer);
  let decoded: Lockstep.Image | undefined;

  // The recipe's boxes, sampled by the library so the kernel loop does the recipe's resampling.
  const boxes = Array.from({ length: NIDX }, (_, i) => {
    const p = train.sample(img, { seed: 1, index: i }) as unknown as [
      { top: number; left: number; height: number; width: number },
      { flip: boolean },
    ];
    return { ...p[0], flip: !!p[1].flip };
  });
  const module = await WebAssembly.compile(inputs.wasm as Uint8Array<ArrayBuffer>);
  const instance = await WebAssembly.instantiate(module, {
    env: {
      abort() {
        throw new Error("kernel abort");
      },
    },
  });
  const k = instance.exports as unknown as KernelExports;
  let top = (k.heapBase() + 15) & ~15;
  const alloc = (bytes: number) => {
    const at = top;
    top += Math.ceil((bytes + 64) / 16) * 16;
    const need = top - k.memory.buffer.byteLength;
    if (need > 0) k.memory.grow(Math.ceil(need / 65536));
    return at;
  };
  const src = alloc(inputs.rgb.length);
  const norm = alloc(24);
  const dst = alloc(3 * S * S * 4);
  let scratchAt = 0;
  let scratchLen = 0;
  new Uint8Array(k.memory.buffer).set(inputs.rgb, src);
  new Float32Array(k.memory.buffer, norm, 6).set([...MEAN, ...STD]);
  const scratchFor = (bw: number, bh: number) => {
    const n = k.resampleScratch(bw, bh, S, S, S, S, 3, FILTER.bilinear, 1);
    if (n > scratchLen) {
      scratchAt = alloc(n);
      scratchLen = n;
    }
    return scratchAt;
  };
  for (const b of boxes) scratchFor(b.width, b.height);
  // The JPEG decode's blocks (src/io/decode.ts's protocol: a 32-word info block, plan RGB = 4).
  const jpg = alloc(inputs.jpeg.length);
  new Uint8Array(k.memory.buffer).set(inputs.jpeg, jpg);
  const info = alloc(32 * 4);
  const decodeOnce = () => {
    new Uint32Array(k.memory.buffer, info, 32).fill(0);
    if (k.imageInfo(jpg, inputs.jpeg.length, info) !== 0 || k.imagePlan(info, 4, 0) !== 0) throw new Error("kernel decode: bad status");
  };
  decodeOnce();
  const jdst = alloc(W * H * 3);
  const jaux = alloc(1024);
  const jscratch = alloc(new Int32Array(k.memory.buffer, info, 32)[22]!);

  return {
    train: {
      step: (i) => void train.apply(img, { seed: 1, index: i % NIDX, out }),
      check: () => digest(f32),
    },
    trainNew: {
      step: (i) => {
        const t = train.apply(img, { seed: 1, index: i % NIDX }) as Lockstep.Tensor;
        f32.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
      },
      check: () => digest(f32),
    },
    eval: {
      step: () => void evalp.apply(img, { out }),
      check: () => digest(f32),
    },
    decode: {
      step: () => void (decoded = io.decodeSync(inputs.jpeg)),
      check: () => (decoded ? digest(decoded.data) : 0),
    },
    kernel: {
      step: (i) => {
        const b = boxes[i % NIDX]!;
        k.resample(
          src,
          W,
          H,
          3,
          b.left,
          b.top,
          b.width,
          b.height,
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
          scratchFor(b.width, b.height),
        );
      },
      check: () => digest(new Uint8Array(k.memory.buffer, dst, 3 * S * S * 4)),
    },
    fresh: {
      step: (i) => {
        const t = new Float32Array(3 * S * S);
        t.fill(i);
        f32.set(new Uint8Array(t.buffer, 0, 16));
      },
      check: () => digest(f32.subarray(0, 16)),
    },
    kdecode: {
      step: () => {
        decodeOnce();
        if (k.imageDecode(jpg, inputs.jpeg.length, info, jdst, jaux, jscratch) !== 0) throw new Error("kernel decode: bad status");
      },
      check: () => digest(new Uint8Array(k.memory.buffer, jdst, W * H * 3)),
    },
  };
}

/** Runs `r` for about `seconds` (whole steps, at least `min`) and returns steps per second. */
export function rate(r: Runner, seconds: number, start = 0, min = 3): { n: number; ms: number; perSecond: number } {
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  let n = 0;
  let t = t0;
  while (n < min || t < until) {
    // Eight steps between clock reads: performance.now() is coarsened in pages (100 µs without
    // cross-origin isolation) and a read per step would be timed too.
    for (let j = 0; j < 8; j++) r.step(start + n++);
    t = performance.now();
  }
  const ms = t - t0;
  return { n, ms, perSecond: (n * 1000) / ms };
}

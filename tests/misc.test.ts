// GaussianBlur, GaussianNoise, RandomErasing, LinearTransformation, Lambda and F.erase:
// parity with torchvision 0.28 (fixtures/misc, made by tests/parity/make_fixtures_misc.py),
// kernel vs scalar twins (tests/reference/filter.ts), noise statistics, RandomErasing's
// sampling vs torchvision's get_params, bad input, JSON round trips and record/replay.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import {
  ready,
  F,
  Compose,
  ToTensor,
  Normalize,
  RandomCrop,
  GaussianBlur,
  GaussianNoise,
  RandomErasing,
  LinearTransformation,
  Lambda,
  registerLambda,
  fromJSON,
  Generator,
  type Image,
  type Tensor,
  type Channels,
  type Transform,
} from "../src/index.js";
import { seedKey } from "../src/random/index.js";
import { gaussianKernel1d, BLUR_BITS } from "../src/functional/filter.js";
import { normals, eraseRandom, miscKernel } from "../src/functional/erase.js";
import * as R from "./reference/filter.js";
import { philox4x32Ref } from "./reference/philox.js";
import { synthetic } from "./helpers/recipes.js";
import { property, rejects, type Rng, ks, critical } from "./helpers/check.js";

await ready();

// ---------------------------------------------------------------- helpers

const root = new URL("./parity/fixtures/misc/", import.meta.url);
const gz = (file: string) => new Uint8Array(gunzipSync(readFileSync(new URL(file, root))));
const f32 = (b: Uint8Array) => new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);

interface Case {
  id: string;
  op: string;
  semantics: "pil" | "tensor" | "any";
  input: string;
  args: Record<string, any>;
  output: { file: string; dtype: "u8" | "f32"; shape: number[] };
}
const manifest = JSON.parse(readFileSync(new URL("cases.json", root), "utf8")) as {
  inputs: Record<string, { file: string; width: number; height: number; channels: Channels }>;
  cases: Case[];
};
const erasing = JSON.parse(readFileSync(new URL("erasing_samples.json", root), "utf8")) as {
  cases: {
    channels: number;
    height: number;
    width: number;
    scale: [number, number];
    ratio: [number, number];
    samples: [number, number, number, number][];
  }[];
};

function input(name: string): Image {
  const m = manifest.inputs[name]!;
  return { width: m.width, height: m.height, channels: m.channels, data: gz(m.file) };
}

function bytes(x: Image | Tensor): Uint8Array {
  return new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength);
}

function same(got: Image | Tensor, want: Image | Tensor, what: string): void {
  const g = bytes(got);
  const w = bytes(want);
  assert.is(g.length, w.length, `length: ${what}`);
  let i = 0;
  while (i < g.length && g[i] === w[i]) i++;
  if (i === g.length) return;
  const per = want.data instanceof Float32Array ? 4 : 1;
  const k = Math.floor(i / per);
  assert.unreachable(`value ${k}: kernel ${got.data[k]}, twin ${want.data[k]}; ${what}`);
}

const SPECIAL = [1, 2, 3, 15, 16, 17, 31, 33];
const side = (r: Rng, max = 33) => (r.chance(0.35) ? r.pick(SPECIAL) : r.int(1, max));

function image(r: Rng, w = side(r), h = side(r), c: Channels = r.pick([1, 3, 4] as const)): Image {
  const data = new Uint8Array(w * h * c);
  for (let i = 0; i < data.length; i++) data[i] = r.u32() & 0xff;
  if (r.chance(0.15)) for (let i = 0; i < data.length; i++) data[i] = data[i]! & 1 ? 255 : 0;
  return { width: w, height: h, channels: c, data };
}

function tensor(r: Rng, shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float32Array.from({ length: n }, () => r.float(-2, 2)) };
}

// ---------------------------------------------------------------- parity

const stats: Record<string, { inexact: number; total: number; worst: number }> = {};
/**
 * Blur cases where torch's float32 convolution (oneDNN's summation order on this CPU, with
 * its fused multiply-adds) rounds a value that lies within float error of a half the other
 * way: measured counts, each value 1 away (v1's route on PIL images and v2's pad and
 * convolve differently, so the cases differ). lockstep rounds the exact sum.
 */
const BLUR_DIFFER: Record<string, number> = {
  "pil/gaussianBlur/astronaut_97x83_rgb/k=[11, 11] sigma=[2.0, 2.0]": 2,
  "pil/gaussianBlur/astronaut_97x83_rgb/k=[23, 23] sigma=[5.0, 5.0]": 1,
  "tensor/gaussianBlur/astronaut_97x83_rgb/k=[3, 7] sigma=[1.5, 0.7]": 1,
  "tensor/gaussianBlur/astronaut_97x83_rgb/k=[11, 11] sigma=[2.0, 2.0]": 1,
  "tensor/gaussianBlur/astronaut_97x83_rgb/k=[23, 23] sigma=[5.0, 5.0]": 1,
};
const stat = (op: string) => (stats[op] ??= { inexact: 0, total: 0, worst: 0 });

for (const c of manifest.cases) {
  test(`parity ${c.id}`, () => {
    const img = input(c.input);
    const want = gz(c.output.file);
    if (c.op === "gaussianBlur") {
      const out = F.gaussianBlur(img, c.args.kernelSize, c.args.sigma);
      assert.equal([out.height, out.width, out.channels], c.output.shape);
      const s = stat(`${c.semantics} ${c.op}`);
      let n = 0;
      for (let i = 0; i < want.length; i++) {
        const d = Math.abs(out.data[i]! - want[i]!);
        if (d) n++;
        s.worst = Math.max(s.worst, d);
        assert.ok(d <= 1, `value ${i}: ${out.data[i]} vs torchvision ${want[i]}`);
      }
      s.inexact += n;
      s.total += want.length;
      assert.is(n, BLUR_DIFFER[c.id] ?? 0, `${n} values differ`);
    } else if (c.op === "erase") {
      let t = F.toTensor(img);
      if (c.args.normalize) t = F.normalize(t, c.args.normalize.mean, c.args.normalize.std);
      const v = c.args.value as number[] | number[][][];
      const value = Array.isArray(v[0])
        ? {
            shape: [v.length, (v as number[][][])[0]!.length, (v as number[][][])[0]![0]!.length],
            data: Float32Array.from((v as number[][][]).flat(2)),
          }
        : (v as number[]);
      const out = F.erase(t, c.args.i, c.args.j, c.args.h, c.args.w, value);
      assert.equal(out.shape, c.output.shape);
      same(out, { shape: c.output.shape, data: f32(want) }, c.id);
      const s = stat(c.op);
      s.total += out.data.length;
    } else {
      const t = F.toTensor(img);
      const d = t.data.length;
      const raw = f32(gz(c.args.data));
      const mean = raw.slice(0, d);
      const matrix = raw.slice(d);
      const out = new LinearTransformation(matrix, mean).apply(t) as Tensor;
      const w = f32(want);
      assert.equal(out.shape, c.output.shape);
      // Agreement to f32 rounding of the sum: |ours - torch| <= 2^-20 * sum_i |d_i W_ij|.
      const s = stat(c.op);
      for (let j = 0; j < d; j++) {
        let mag = 0;
        for (let i = 0; i < d; i++) mag += Math.abs((t.data[i]! - mean[i]!) * matrix[i * d + j]!);
        const err = Math.abs(out.data[j]! - w[j]!);
        if (err) s.inexact++;
        s.worst = Math.max(s.worst, err / mag);
        assert.ok(err <= mag * 2 ** -20, `output ${j}: ${out.data[j]} vs torch ${w[j]} (scale ${mag})`);
      }
      s.total += d;
      same(out, R.linear(t, matrix, mean), `linear twin ${c.id}`);
    }
  });
}

test.after(() => {
  for (const [op, s] of Object.entries(stats)) {
    const worst =
      op === "linearTransformation"
        ? `, worst error ${s.worst.toExponential(2)} of the sum of |terms|`
        : op === "gaussianBlur"
          ? `, worst ${s.worst} LSB`
          : "";
    console.log(`  parity ${op}: ${s.total - s.inexact} of ${s.total} values exact, ${s.inexact} not${worst}`);
  }
});

// ---------------------------------------------------------------- blur kernel

test("gaussian weights: sum exactly 2^bits, symmetric, each tap within one unit of torchvision's normalised f32 pdf", () => {
  const fr = Math.fround;
  for (const [k, sigma] of [
    [1, 1],
    [3, 0.1],
    [3, 1],
    [5, 0.8],
    [9, 1.7],
    [23, 5],
    [31, 0.5],
    [101, 30],
    [4095, 1e6],
    [4095, 900],
    [7, 1e-30],
  ] as const) {
    for (const bits of [BLUR_BITS.vertical, BLUR_BITS.horizontal]) {
      const w = gaussianKernel1d(k, sigma, bits);
      assert.is(
        w.reduce((a, b) => a + b, 0),
        2 ** bits,
        `sum k=${k} sigma=${sigma}`,
      );
      for (let i = 0; i < k; i++) {
        assert.is(w[i], w[k - 1 - i], `symmetric k=${k}`);
        assert.ok(w[i]! >= 0);
      }
      // torchvision's pdf: exp(-0.5 * (x / sigma)^2) in f32 (the engine's exp here, which may
      // differ from the kernel's by an ulp), normalised in f64.
      const pdf = Array.from({ length: k }, (_, i) => {
        const q = fr((i - (k - 1) / 2) / fr(sigma));
        return fr(Math.exp(fr(-0.5 * fr(q * q))));
      });
      const sum = pdf.reduce((a, b) => a + b, 0);
      for (let i = 0; i < k; i++) {
        const exact = (pdf[i]! / sum) * 2 ** bits;
        assert.ok(Math.abs(w[i]! - exact) < 1 + 3e-7 * exact, `k=${k} sigma=${sigma} bits=${bits} tap ${i}: ${w[i]} vs ${exact}`);
      }
    }
  }
});

property("gaussianBlur: SIMD kernel = scalar twin (1x1, odd widths, 1/3/4 channels, kernels wider than the image)", 90, (r) => {
  const img = image(r);
  const odd = (max: number) => 2 * r.int(0, max) + 1;
  const kx = r.chance(0.2) ? odd(2 * img.width + 2) : odd(5);
  const ky = r.chance(0.2) ? odd(2 * img.height + 2) : odd(5);
  const sx = r.chance(0.1) ? 1e-3 : r.float(0.05, 8);
  const sy = r.chance(0.5) ? sx : r.float(0.05, 8);
  const what = `${img.width}x${img.height}x${img.channels} k=[${kx}, ${ky}] sigma=[${sx}, ${sy}]`;
  const want = R.gaussianBlur(img, gaussianKernel1d(kx, sx, BLUR_BITS.horizontal), gaussianKernel1d(ky, sy, BLUR_BITS.vertical));
  same(F.gaussianBlur(img, [kx, ky], [sx, sy]), want, what);
});

/** The kernel's gaussianBlur export with weights given as they are (not from gaussianWeights). */
function blurWith(img: Image, wx: Int32Array, wy: Int32Array): Image {
  const { k, arena } = miscKernel();
  const { width: w, height: h, channels: c } = img;
  arena.reset();
  const src = arena.put(img.data);
  const ax = arena.alloc(wx.length * 4);
  const ay = arena.alloc(wy.length * 4);
  arena.u32().set(new Uint32Array(wx.buffer, wx.byteOffset, wx.length), ax >>> 2);
  arena.u32().set(new Uint32Array(wy.buffer, wy.byteOffset, wy.length), ay >>> 2);
  const scratch = arena.alloc(k.gaussianScratch(w, c, wx.length, wy.length));
  const dst = arena.alloc(img.data.length);
  k.gaussianBlur(src, w, h, c, wx.length, wy.length, ax, ay, scratch, dst);
  return { ...img, data: arena.takeU8(dst, img.data.length) };
}

// The kernel decides most bytes from an f32 estimate and falls back to the exact 64-bit sum
// where the estimate cannot prove the rounding (assembly/filter.ts). Weights whose sums land
// exactly on, or within 2^-20 of, a rounding tie force that fallback on about half the
// bytes; weights that are not symmetric, or negative, take the general 64-bit pass.
property("gaussianBlur: exact at rounding ties and near-ties, and for weights gaussianWeights never makes (kernel = twin)", 60, (r) => {
  const img = image(r, r.int(1, 40), r.int(1, 12));
  const H = 2 ** 30;
  const V = 2 ** 23;
  const tie = r.int(0, 2 ** 20);
  const kind = r.pick(["tie", "near", "asym", "negative"] as const);
  let wx: number[];
  if (kind === "tie")
    wx = [H / 2, 0, H / 2]; // T = (left + right) / 2: an exact tie for odd sums
  else if (kind === "near")
    wx = [H / 2 - tie, 2 * tie, H / 2 - tie]; // within 2^-10 of a tie
  else if (kind === "asym") wx = [H / 4 + tie, H / 2, H / 4 - tie];
  else wx = [-(2 ** 20), H, -(2 ** 20)]; // outputs stay in [-0.5, 255]: no clipping to compare
  const wy = r.chance(0.5) ? [V] : [V / 4, V / 2, V / 4];
  const what = `${img.width}x${img.height}x${img.channels} ${kind} wx=[${wx}] wy=[${wy}]`;
  same(blurWith(img, Int32Array.from(wx), Int32Array.from(wy)), R.gaussianBlur(img, Int32Array.from(wx), Int32Array.from(wy)), what);
});

test("gaussianBlur: constant images stay constant; kernel 1 is the identity; out buffer", () => {
  for (const v of [0, 1, 128, 254, 255]) {
    const img: Image = { width: 19, height: 7, channels: 3, data: new Uint8Array(19 * 7 * 3).fill(v) };
    assert.equal(F.gaussianBlur(img, 9, 3).data, img.data);
  }
  const img = synthetic(23, 11, 4);
  assert.equal(F.gaussianBlur(img, 1, 5).data, img.data);
  const out = new Uint8Array(img.data.length);
  const r = F.gaussianBlur(img, [5, 3], [1, 2], { out });
  assert.ok(r.data === out);
  assert.equal(out, F.gaussianBlur(img, [5, 3], [1, 2]).data);
});

// ---------------------------------------------------------------- noise

test("normals: counter layout and Box-Muller match a double-precision reference (Philox twin)", () => {
  const key = seedKey(12345);
  const z = normals(key, 0, 1000);
  for (let e = 0; e < 1000; e++) {
    const words = philox4x32Ref([e >>> 2, 0, 0x6e6f6973, 0], key);
    const ref = R.normalRef(words, e & 3);
    assert.ok(Math.abs(z[e]! - ref) <= 1e-6 * Math.max(1, Math.abs(ref)), `element ${e}: ${z[e]} vs ${ref}`);
  }
  // Any start gives the same field.
  assert.equal(normals(key, 7, 13), z.slice(7, 20));
  assert.equal(normals(key, 2 ** 32 - 3, 3).length, 3);
});

test("normals: mean, variance, kurtosis, KS vs N(0, 1), neighbours uncorrelated", () => {
  const n = 200000;
  const z = normals(seedKey(7), 0, n);
  let m = 0;
  for (const v of z) m += v;
  m /= n;
  let v2 = 0,
    v4 = 0;
  for (const v of z) {
    v2 += (v - m) ** 2;
    v4 += (v - m) ** 4;
  }
  v2 /= n;
  v4 /= n;
  assert.ok(Math.abs(m) < 4 / Math.sqrt(n), `mean ${m}`);
  assert.ok(Math.abs(v2 - 1) < 4 * Math.sqrt(2 / n), `variance ${v2}`);
  assert.ok(Math.abs(v4 / v2 ** 2 - 3) < 4 * Math.sqrt(24 / n), `kurtosis ${v4 / v2 ** 2}`);
  // KS against the normal CDF (erf by Abramowitz-Stegun 7.1.26, error < 1.5e-7).
  const erf = (x: number) => {
    const s = Math.sign(x);
    const t = 1 / (1 + 0.3275911 * Math.abs(x));
    const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
    return s * y;
  };
  const sorted = Array.from(z).sort((a, b) => a - b);
  let d = 0;
  sorted.forEach((v, i) => {
    const cdf = 0.5 * (1 + erf(v / Math.SQRT2));
    d = Math.max(d, Math.abs(cdf - i / n), Math.abs(cdf - (i + 1) / n));
  });
  assert.ok(d < 1.949 / Math.sqrt(n), `KS ${d}`);
  // Lag-1..4 correlations (lag 1 within and across Box-Muller pairs, lag 2 across lanes, ...).
  for (const lag of [1, 2, 3, 4, 64]) {
    let c = 0;
    for (let i = 0; i + lag < n; i++) c += (z[i]! - m) * (z[i + lag]! - m);
    const r = c / (n - lag) / v2;
    assert.ok(Math.abs(r) < 4 / Math.sqrt(n), `lag ${lag} correlation ${r}`);
  }
  // Pairs from the same Box-Muller draw (elements 4b, 4b + 1): uncorrelated, and so are their squares.
  let c = 0,
    cs = 0;
  for (let b = 0; b < n / 4; b++) {
    c += z[4 * b]! * z[4 * b + 1]!;
    cs += (z[4 * b]! ** 2 - 1) * (z[4 * b + 1]! ** 2 - 1);
  }
  assert.ok(Math.abs(c / (n / 4)) < 4 / Math.sqrt(n / 4), `pair correlation ${c / (n / 4)}`);
  assert.ok(Math.abs(cs / (n / 4) / 2) < 6 / Math.sqrt(n / 4), `pair square correlation ${cs / (n / 4) / 2}`);
});

// The first 8 normals of seedKey(0): a change here breaks the reproducibility of saved runs.
const PINNED = ["-1.02448", "-0.25767", "0.99319", "-1.03561", "-1.36509", "1.65337", "0.33662", "0.54619"];

test("normals: pinned values (the noise stream is part of the reproducibility contract)", () => {
  const z = normals(seedKey(0), 0, 8);
  const again = normals(seedKey(0), 0, 8);
  assert.equal(z, again);
  assert.equal(
    Array.from(z, (v) => v.toFixed(5)),
    PINNED,
  );
});

property("gaussianNoise on tensors and images = scalar twin", 60, (r) => {
  const key: [number, number] = [r.u32(), r.u32()];
  const mean = r.pick([0, 0.1, -0.3]);
  const sigma = r.pick([0, 0.05, 0.1, 1]);
  const clip = r.chance(0.5);
  if (r.chance(0.5)) {
    const shape = r.chance(0.3) ? [r.int(1, 2), r.int(1, 4), side(r, 17), side(r, 17)] : [r.int(1, 4), side(r, 17), side(r, 17)];
    const t = tensor(r, shape);
    for (let i = 0; i < t.data.length; i++) t.data[i] = r.float(0, 1);
    const z = normals(key, 0, t.data.length);
    same(
      F.gaussianNoise(t, { key, mean, sigma, clip }),
      R.noiseTensor(t, z, mean, sigma, clip),
      `tensor ${shape} ${mean} ${sigma} ${clip}`,
    );
  } else {
    const img = image(r, side(r, 17), side(r, 17));
    const z = normals(key, 0, img.data.length);
    same(F.gaussianNoise(img, { key, mean, sigma }), R.noiseImage(img, z, mean, sigma), `image ${img.width}x${img.height}x${img.channels}`);
  }
});

test("GaussianNoise: torchvision semantics, deterministic per (seed, epoch, index), tensor and image share the field", () => {
  const img = synthetic(32, 24);
  const t = F.toTensor(img);
  const noise = new GaussianNoise({ sigma: 0.2 });
  const a = noise.apply(t, { seed: 3, index: 5 }) as Tensor;
  assert.equal(bytes(a), bytes(noise.apply(t, { seed: 3, index: 5 })));
  assert.not.equal(bytes(a), bytes(noise.apply(t, { seed: 3, index: 6 })));
  assert.not.equal(bytes(a), bytes(noise.apply(t, { seed: 3, index: 5, epoch: 1 })));
  assert.ok(a.data.every((v) => v >= 0 && v <= 1));
  // Without clipping, the noise is exactly mean + z * sigma from the slot key's field.
  const raw = new GaussianNoise({ sigma: 0.2, mean: 0.5, clip: false });
  const { output, record } = raw.applyWithRecord(t, { seed: 3, index: 5 });
  const z = normals((record.params as { key: [number, number] }).key, 0, t.data.length);
  same(output, R.noiseTensor(t, z, 0.5, 0.2, false), "clip false");
  assert.ok((output as Tensor).data.some((v) => v > 1));
  // The u8 image gets the field of its CHW tensor.
  const u8 = noise.apply(img, { seed: 3, index: 5 }) as Image;
  const zi = normals(noise.sample(img, { seed: 3, index: 5 }).key, 0, img.data.length);
  same(u8, R.noiseImage(img, zi, 0, 0.2), "image");
  // Compose slot: same draws as alone at that slot only via the pipeline key, and deterministic.
  const pipe = new Compose([new ToTensor(), new GaussianNoise()]);
  assert.equal(bytes(pipe.apply(img, { seed: 9, index: 1 })), bytes(pipe.apply(img, { seed: 9, index: 1 })));
  // Sequential mode advances.
  const g = new Generator(1);
  assert.not.equal(bytes(pipe.apply(img, { generator: g })), bytes(pipe.apply(img, { generator: g })));
});

// ---------------------------------------------------------------- erase

property("F.erase / eraseRandom = scalar twin (batches, channels, empty and full regions)", 120, (r) => {
  const c = r.pick([1, 3, 4]);
  const h = side(r, 20);
  const w = side(r, 20);
  const shape = r.chance(0.3) ? [r.int(1, 3), c, h, w] : [c, h, w];
  const t = tensor(r, shape);
  const eh = r.int(0, h);
  const ew = r.int(0, w);
  const top = r.int(0, h - eh);
  const left = r.int(0, w - ew);
  let kind = r.int(0, 3);
  if (kind === 2 && eh * ew === 0) kind = 1; // a [C, 0, w] tensor is not a valid Tensor
  const what = `shape ${shape} region ${eh}x${ew} at ${top},${left} kind ${kind}`;
  if (kind === 0) {
    const v = r.float(-3, 3);
    same(
      F.erase(t, top, left, eh, ew, v),
      R.erase(t, top, left, eh, ew, () => v),
      what,
    );
  } else if (kind === 1) {
    const v = Array.from({ length: c }, () => r.float(-3, 3));
    same(
      F.erase(t, top, left, eh, ew, v),
      R.erase(t, top, left, eh, ew, (ch) => v[ch]!),
      what,
    );
  } else if (kind === 2) {
    const v = tensor(r, [c, eh, ew]);
    same(
      F.erase(t, top, left, eh, ew, v),
      R.erase(t, top, left, eh, ew, (ch, y, x) => v.data[(ch * eh + y) * ew + x]!),
      what,
    );
  } else {
    const key: [number, number] = [r.u32(), r.u32()];
    const z = normals(key, 0, c * eh * ew);
    same(
      eraseRandom(t, top, left, eh, ew, key),
      R.erase(t, top, left, eh, ew, (ch, y, x) => z[(ch * eh + y) * ew + x]!),
      what,
    );
  }
});

test("F.erase: inplace writes into the input; otherwise the input is untouched", () => {
  const t = F.toTensor(synthetic(8, 6));
  const copy = t.data.slice();
  const out = F.erase(t, 1, 2, 3, 4, 0);
  assert.equal(t.data, copy);
  assert.ok(out.data !== t.data);
  const same2 = F.erase(t, 1, 2, 3, 4, 0, { inplace: true });
  assert.ok(same2 === t);
  assert.equal(bytes(t), bytes(out));
});

// ---------------------------------------------------------------- RandomErasing sampling

for (const c of erasing.cases) {
  test(`RandomErasing ${c.channels}x${c.height}x${c.width} scale ${c.scale} ratio ${c.ratio}: same distribution as torchvision's get_params`, () => {
    const t = new RandomErasing({ p: 1, scale: c.scale, ratio: c.ratio, value: 0 });
    const zeros: Tensor = { shape: [c.channels, c.height, c.width], data: new Float32Array(c.channels * c.height * c.width) };
    const ours = c.samples.map((_, i) => {
      const p = t.sample(zeros, { seed: 99, index: i });
      return p === null ? [0, 0, c.height, c.width] : [p.top, p.left, p.height, p.width];
    });
    for (const [top, left, h, w] of ours) assert.ok(top! >= 0 && left! >= 0 && top! + h! <= c.height && left! + w! <= c.width);
    const theirs = c.samples;
    const area = (s: number[]) => (s[2]! * s[3]!) / (c.height * c.width);
    const aspect = (s: number[]) => (s[2]! + s[3]! === 0 ? -1 : s[2]! / (s[2]! + s[3]!));
    const top = (s: number[]) => s[0]! / Math.max(1, c.height - s[2]!);
    const crit = critical(ours.length, theirs.length);
    for (const [name, fn] of [
      ["area", area],
      ["aspect", aspect],
      ["position", top],
    ] as const) {
      const d = ks(ours.map(fn), theirs.map(fn));
      assert.ok(d < crit, `${name} KS ${d.toFixed(4)} >= ${crit.toFixed(4)}`);
    }
    // The no-fit fallback (whole image untouched) happens as often as in torchvision.
    const full = (s: number[]) => s[2] === c.height && s[3] === c.width;
    const a = ours.filter(full).length / ours.length;
    const b = theirs.filter(full).length / theirs.length;
    assert.ok(Math.abs(a - b) < 0.05, `fallback rate ${a} vs torchvision ${b}`);
  });
}

test("RandomErasing: p, value 'random' (normals from the slot key), per-channel values, untouched fallback", () => {
  const t = F.toTensor(synthetic(40, 30));
  let applied = 0;
  for (let i = 0; i < 2000; i++) if (new RandomErasing({ p: 0.3 }).sample(t, { seed: 1, index: i }) !== null) applied++;
  assert.ok(Math.abs(applied / 2000 - 0.3) < 0.04, `rate ${applied / 2000}`);
  const rnd = new RandomErasing({ p: 1, value: "random" });
  let i = 0;
  let params = rnd.sample(t, { seed: 2, index: i });
  while (params === null || params.height * params.width < 4) params = rnd.sample(t, { seed: 2, index: ++i });
  const out = rnd.apply(t, { seed: 2, index: i }) as Tensor;
  const z = normals(params.key!, 0, 3 * params.height * params.width);
  same(
    out,
    R.erase(t, params.top, params.left, params.height, params.width, (ch, y, x) => z[(ch * params!.height + y) * params!.width + x]!),
    "random value",
  );
  const per = new RandomErasing({ p: 1, value: [1, 2, 3] });
  const pp = per.sample(t, { seed: 5 })!;
  same(
    per.apply(t, { seed: 5 }),
    R.erase(t, pp.top, pp.left, pp.height, pp.width, (ch) => ch + 1),
    "per-channel",
  );
  // A 1-row tensor with a large minimum scale never fits: nothing is erased.
  const never = new RandomErasing({ p: 1, scale: [0.9, 1] });
  const thin = F.toTensor(synthetic(9, 1));
  assert.is(never.sample(thin, { seed: 1 }), null);
  assert.equal(bytes(never.apply(thin, { seed: 1 })), bytes(thin));
});

// ---------------------------------------------------------------- LinearTransformation

property("LinearTransformation: kernel = scalar twin (fixed f32 summation order)", 40, (r) => {
  const c = r.int(1, 3),
    h = r.int(1, 5),
    w = r.int(1, 5);
  const d = c * h * w;
  const shape = r.chance(0.3) ? [r.int(1, 3), c, h, w] : [c, h, w];
  const t = tensor(r, shape);
  const matrix = Float32Array.from({ length: d * d }, () => r.float(-1, 1));
  const mean = Float32Array.from({ length: d }, () => r.float(-1, 1));
  const lt = new LinearTransformation(matrix, mean);
  same(lt.apply(t) as Tensor, R.linear(t, matrix, mean), `shape ${shape}`);
  const rows = Array.from({ length: d }, (_, i) => Array.from(matrix.subarray(i * d, (i + 1) * d)));
  same(new LinearTransformation(rows, Array.from(mean)).apply(t) as Tensor, R.linear(t, matrix, mean), `rows ${shape}`);
});

// ---------------------------------------------------------------- Lambda

test("Lambda: the function gets its own keyed stream; records replay it; containers give it its slot", () => {
  const addNoise = (x: Image | Tensor, g: { random(): number }) => {
    const t = x as Tensor;
    return { shape: [...t.shape], data: t.data.map((v) => v + g.random()) };
  };
  const lam = new Lambda(addNoise, { name: "test.addNoise" });
  const t = F.toTensor(synthetic(5, 4));
  const a = lam.apply(t, { seed: 1, index: 2 });
  assert.equal(bytes(a), bytes(lam.apply(t, { seed: 1, index: 2 })));
  assert.not.equal(bytes(a), bytes(lam.apply(t, { seed: 1, index: 3 })));
  const { output, record } = lam.applyWithRecord(t, { seed: 4 });
  assert.equal(bytes(lam.replay(t, JSON.parse(JSON.stringify(record)))), bytes(output));
  // In a Compose, adding a transform after it does not change its draws.
  const p1 = new Compose([new ToTensor(), lam]);
  const p2 = new Compose([new ToTensor(), lam, new Normalize([0], [1])]);
  const img = synthetic(5, 4);
  assert.equal(bytes(p1.apply(img, { seed: 8 })), bytes(p2.apply(img, { seed: 8 })));
  // Without randomness declared, no seed is needed, and using the rng is an error.
  const pure = new Lambda((x) => x, { random: false });
  assert.equal(bytes(pure.apply(t)), bytes(t));
  rejects(
    () => new Lambda((x, g) => (g.random(), x), { random: false, name: "bad.rng" }).apply(t),
    TypeError,
    /Lambda "bad.rng" was declared \{ random: false \} but used its rng/,
  );
  rejects(() => lam.apply(t), TypeError, /Lambda draws random parameters and no randomness was given/);
  // Size-changing functions declare their output meta.
  const crop = new Lambda((x) => F.crop(x as Image, 0, 0, 2, 3), {
    random: false,
    outputMeta: (m) => ({ ...m, width: 3, height: 2 }) as typeof m,
  });
  const pipe = new Compose([crop, new RandomCrop(2)]);
  assert.equal((pipe.apply(img, { seed: 1 }) as Image).width, 2);
  rejects(
    () => new Lambda((x) => F.crop(x as Image, 0, 0, 2, 3), { random: false, name: "noMeta" }).apply(img),
    RangeError,
    /Lambda "noMeta" returned .* without an outputMeta option it must keep its input's meta/,
  );
  rejects(() => new Lambda(() => 5 as never, { random: false }).apply(img), TypeError, /must return an Image or a Tensor/);
});

test("Lambda JSON: needs a name and a registered function", () => {
  const fn = (x: Image | Tensor) => x;
  rejects(() => new Lambda(fn).toJSON(), TypeError, /Lambda cannot be serialised without a name/);
  rejects(() => new Compose([new Lambda(fn)]).toJSON(), TypeError, /registerLambda/);
  const named = new Compose([new ToTensor(), new Lambda(fn, { name: "test.identity", random: false })]);
  const json = JSON.stringify(named.toJSON());
  rejects(
    () => fromJSON(json),
    RangeError,
    /\$\.transforms\[1\]\.name: no function is registered as Lambda "test.identity"; call registerLambda/,
  );
  registerLambda("test.identity", fn);
  const back = fromJSON(json);
  assert.equal(back.toJSON(), named.toJSON());
  const img = synthetic(6, 5);
  assert.equal(bytes(back.apply(img)), bytes(named.apply(img)));
  registerLambda("test.identity", fn); // same function again: fine
  rejects(() => registerLambda("test.identity", (x) => x), RangeError, /a different function is already registered/);
  rejects(() => new Lambda((x) => x, { name: "test.identity" }).toJSON(), RangeError, /a different function is registered under this name/);
  rejects(() => registerLambda("bad name!", fn), TypeError, /name must be 1-100 characters/);
  rejects(() => fromJSON({ type: "Lambda", name: "x", extra: 1 }), RangeError, /unknown field for Lambda/);
});

// ---------------------------------------------------------------- JSON and replay

const W = Float32Array.from({ length: 3 * 4 * 5 * 3 * 4 * 5 }, (_, i) => ((i * 7919) % 13) / 13 - 0.5);
const M = Float32Array.from({ length: 60 }, (_, i) => (i % 7) / 7);
const pipelines = (): [string, Transform, Image | Tensor][] => [
  ["GaussianBlur", new GaussianBlur([5, 3], [0.1, 2.0]), synthetic(20, 12)],
  ["GaussianBlur fixed sigma", new GaussianBlur(7, 1.5), synthetic(20, 12, 1)],
  ["GaussianNoise tensor", new Compose([new ToTensor(), new GaussianNoise({ mean: 0.1, sigma: 0.3, clip: false })]), synthetic(9, 7)],
  ["GaussianNoise image", new GaussianNoise({ sigma: 0.05 }), synthetic(9, 7, 4)],
  [
    "RandomErasing",
    new Compose([new ToTensor(), new Normalize([0.5], [0.5]), new RandomErasing({ p: 1, value: [1, 2, 3], ratio: [0.5, 2] })]),
    synthetic(30, 20),
  ],
  ["RandomErasing random", new Compose([new ToTensor(), new RandomErasing({ p: 0.9, value: "random", inplace: true })]), synthetic(30, 20)],
  ["LinearTransformation", new Compose([new ToTensor(), new LinearTransformation(W, M)]), synthetic(5, 4)],
];

for (const [name, t, x] of pipelines()) {
  test(`${name}: JSON round trip and record/replay give the same bytes`, () => {
    const json = JSON.stringify(t.toJSON());
    const back = fromJSON(json);
    assert.is(JSON.stringify(back.toJSON()), json);
    for (let index = 0; index < 6; index++) {
      const { output, record } = t.applyWithRecord(x, { seed: 21, index });
      assert.equal(bytes(back.apply(x, { seed: 21, index })), bytes(output), `fromJSON index ${index}`);
      assert.equal(bytes(t.replay(x, JSON.parse(JSON.stringify(record)))), bytes(output), `replay index ${index}`);
      assert.equal(bytes(back.replay(x, JSON.parse(JSON.stringify(record)))), bytes(output), `replay on rebuilt, index ${index}`);
    }
  });
}

test("GaussianBlur: sigma drawn uniformly in [min, max]; fixed sigma draws nothing", () => {
  const t = new GaussianBlur(3, [0.5, 1.5]);
  const s = Array.from({ length: 3000 }, (_, i) => t.sample({ width: 4, height: 4 }, { seed: 1, index: i }).sigma);
  assert.ok(s.every((v) => v >= 0.5 && v < 1.5));
  const uniform = Array.from({ length: 3000 }, (_, i) => 0.5 + (i + 0.5) / 3000);
  assert.ok(ks(s, uniform) < critical(3000, 3000));
  const fixed = new GaussianBlur(3, 0.7);
  assert.is(fixed.random, false);
  assert.equal(bytes(fixed.apply(synthetic(6, 6)) as Image), bytes(F.gaussianBlur(synthetic(6, 6), 3, 0.7)));
});

// ---------------------------------------------------------------- bad input

test("bad input: gaussianBlur / GaussianBlur", () => {
  const img = synthetic(10, 8);
  rejects(() => F.gaussianBlur(img, 4), RangeError, /kernelSize must be odd .* got 4/);
  rejects(() => F.gaussianBlur(img, 0), RangeError, /kernelSize must be an integer in \[1, 4095\], got 0/);
  rejects(() => F.gaussianBlur(img, -3), RangeError, /kernelSize must be an integer/);
  rejects(() => F.gaussianBlur(img, 3.5), RangeError, /kernelSize must be an integer/);
  rejects(() => F.gaussianBlur(img, [3, 6]), RangeError, /kernelSize\[1\] must be odd/);
  rejects(() => F.gaussianBlur(img, [3, 5, 7]), TypeError, /kernelSize must be an odd positive integer or \[kx, ky\]/);
  rejects(() => F.gaussianBlur(img, 4097), RangeError, /\[1, 4095\]/);
  rejects(() => F.gaussianBlur(img, 3, 0), RangeError, /sigma must be > 0/);
  rejects(() => F.gaussianBlur(img, 3, -1), RangeError, /sigma must be > 0/);
  rejects(() => F.gaussianBlur(img, 3, NaN), RangeError, /sigma must be a finite number, got NaN/);
  rejects(() => F.gaussianBlur(img, 3, [1, 0]), RangeError, /sigma\[1\] must be > 0/);
  rejects(() => F.gaussianBlur(img, 3, "1" as never), TypeError, /sigma must be a positive number or \[sigmaX, sigmaY\]/);
  rejects(() => F.gaussianBlur({ ...img, data: new Uint8Array(3) }, 3), RangeError, /img\.data has 3 bytes/);
  rejects(() => F.gaussianBlur(img, 3, 1, { out: new Uint8Array(5) }), RangeError, /out has length 5/);
  rejects(() => new GaussianBlur(4), RangeError, /kernelSize must be odd/);
  rejects(() => new GaussianBlur(3, [2, 1]), RangeError, /sigma must be \[min, max\] with min <= max/);
  rejects(() => new GaussianBlur(3, 0), RangeError, /sigma must be > 0/);
  rejects(() => new GaussianBlur(3, [0.1] as never), TypeError, /sigma must be a positive number or \[min, max\]/);
  rejects(
    () => new Compose([new ToTensor(), new GaussianBlur(3)]).apply(img, { seed: 1 }),
    TypeError,
    /GaussianBlur expects an image .* place it before ToTensor/,
  );
  rejects(
    () => new GaussianBlur(3).replay(img, { meta: { kind: "image", width: 10, height: 8, channels: 3 }, params: { sigma: NaN } }),
    RangeError,
    /invalid gaussianBlur op: sigma\[0\] must be a finite number/,
  );
  rejects(
    () => new GaussianBlur(3).replay(img, { meta: { kind: "image", width: 10, height: 8, channels: 3 }, params: { sigma: "1" } }),
    TypeError,
    /GaussianBlur: params must be \{ sigma: number \}/,
  );
  rejects(() => fromJSON({ type: "GaussianBlur", kernelSize: 2 }), RangeError, /\$\.kernelSize must be odd/);
});

test("bad input: GaussianNoise / F.gaussianNoise", () => {
  const t = F.toTensor(synthetic(4, 4));
  rejects(() => new GaussianNoise({ sigma: -0.1 }), RangeError, /sigma must be in \[0, 1e30\]/);
  rejects(() => new GaussianNoise({ mean: NaN }), RangeError, /mean must be a finite number/);
  rejects(() => new GaussianNoise({ clip: "yes" as never }), TypeError, /clip must be a boolean/);
  rejects(() => new GaussianNoise(null as never), TypeError, /GaussianNoise takes options/);
  rejects(() => F.gaussianNoise(t, {} as never), TypeError, /key must be a Philox key \[k0, k1\]/);
  rejects(() => F.gaussianNoise(t, { key: [1, 2 ** 32] as never }), TypeError, /key must be a Philox key/);
  rejects(() => F.gaussianNoise({ shape: [3, 4], data: new Float32Array(5) }, { key: [1, 2] }), RangeError, /x\.data has 5 values/);
  rejects(() => new GaussianNoise().apply(t), TypeError, /GaussianNoise draws random parameters and no randomness was given/);
  rejects(
    () => new GaussianNoise().replay(t, { meta: { kind: "tensor", shape: [3, 4, 4] }, params: { key: [-1, 0] } }),
    TypeError,
    /GaussianNoise: params must be \{ key: \[k0, k1\] \}/,
  );
  rejects(() => fromJSON({ type: "GaussianNoise", sigma: -1 }), RangeError, /\$\.sigma must be in/);
});

test("bad input: F.erase / RandomErasing", () => {
  const t = F.toTensor(synthetic(10, 8));
  const img = synthetic(10, 8);
  rejects(() => F.erase(t, 0, 0, 9, 2, 0), RangeError, /h must be an integer in \[0, 8\], got 9/);
  rejects(() => F.erase(t, 5, 0, 4, 2, 0), RangeError, /h must be an integer in \[0, 3\], got 4/);
  rejects(() => F.erase(t, -1, 0, 1, 1, 0), RangeError, /i must be an integer in \[0, 8\], got -1/);
  rejects(() => F.erase(t, 0, 0, 1, 11, 0), RangeError, /w must be an integer in \[0, 10\]/);
  rejects(() => F.erase(t, 0, 0, 1, 1, [1, 2]), RangeError, /v must be a finite number or an array of 1 or 3/);
  rejects(() => F.erase(t, 0, 0, 1, 1, NaN), RangeError, /v must be a finite number/);
  rejects(
    () => F.erase(t, 0, 0, 2, 2, { shape: [3, 2, 3], data: new Float32Array(18) }),
    RangeError,
    /v must have shape \[3, 2, 2\] or \[1, 2, 2\]/,
  );
  rejects(() => F.erase(img as never, 0, 0, 1, 1, 0), TypeError, /tensor must be a Tensor|tensor\.shape/);
  rejects(
    () => F.erase({ shape: [8, 10], data: new Float32Array(80) }, 0, 0, 1, 1, 0),
    RangeError,
    /erase needs a \[\.\.\., C, H, W\] tensor/,
  );
  rejects(() => F.erase(t, 0, 0, 1, 1, 0, { inplace: 1 as never }), TypeError, /inplace must be a boolean/);
  rejects(() => new RandomErasing({ p: 2 }), RangeError, /p must be a probability in \[0, 1\], got 2/);
  rejects(() => new RandomErasing({ scale: [0.5, 0.2] }), RangeError, /scale must be \[min, max\] with min <= max/);
  rejects(() => new RandomErasing({ scale: [-0.1, 0.5] }), RangeError, /scale values must be in \[0, 1\]/);
  rejects(() => new RandomErasing({ scale: [0.1, 1.5] }), RangeError, /scale values must be in \[0, 1\]/);
  rejects(() => new RandomErasing({ ratio: [0, 1] }), RangeError, /ratio values must be in \(0, 1e\+30\]/);
  rejects(() => new RandomErasing({ ratio: 2 as never }), TypeError, /ratio must be \[min, max\]/);
  rejects(() => new RandomErasing({ value: "noise" as never }), TypeError, /value must be a number, an array of numbers .* or "random"/);
  rejects(() => new RandomErasing({ value: [] }), TypeError, /value must be a number/);
  rejects(() => new RandomErasing({ value: [0, Infinity] }), RangeError, /value\[1\] must be a finite number/);
  rejects(() => new RandomErasing({ inplace: "no" as never }), TypeError, /inplace must be a boolean/);
  rejects(() => new RandomErasing().apply(img, { seed: 1 }), TypeError, /RandomErasing expects a tensor: place it after ToTensor/);
  rejects(
    () => new RandomErasing({ value: [1, 2] }).apply(t, { seed: 1 }),
    RangeError,
    /value must be a finite number or an array of 1 or 3/,
  );
  const meta = { kind: "tensor" as const, shape: [3, 8, 10] };
  rejects(
    () => new RandomErasing().replay(t, { meta, params: { top: 5, left: 0, height: 4, width: 2, key: null } }),
    RangeError,
    /does not fit in the 8x10 tensor/,
  );
  rejects(
    () => new RandomErasing({ value: "random" }).replay(t, { meta, params: { top: 0, left: 0, height: 1, width: 1, key: null } }),
    RangeError,
    /invalid erase op: key must be two unsigned 32-bit integers/,
  );
  rejects(
    () => new RandomErasing().replay(t, { meta, params: { top: 0.5, left: 0, height: 1, width: 1, key: null } }),
    TypeError,
    /RandomErasing: params must be null or/,
  );
  rejects(() => fromJSON({ type: "RandomErasing", p: -1 }), RangeError, /\$\.p must be a probability/);
});

test("bad input: LinearTransformation", () => {
  rejects(
    () => new LinearTransformation([[1, 2], [3]], [0, 0]),
    RangeError,
    /transformationMatrix must be square: row 1 has 1 entries, expected 2/,
  );
  rejects(
    () => new LinearTransformation(new Float32Array(5), [0]),
    RangeError,
    /must be square: a flat Float32Array needs d \* d entries, got 5/,
  );
  rejects(
    () =>
      new LinearTransformation(
        [
          [1, 0],
          [0, 1],
        ],
        [0],
      ),
    RangeError,
    /meanVector has 1 entries, but transformationMatrix is 2 x 2/,
  );
  rejects(
    () =>
      new LinearTransformation(
        [
          [1, NaN],
          [0, 1],
        ],
        [0, 0],
      ),
    RangeError,
    /transformationMatrix\[0\]\[1\] must be a finite number/,
  );
  rejects(
    () =>
      new LinearTransformation(
        [
          [1, 1e39],
          [0, 1],
        ],
        [0, 0],
      ),
    RangeError,
    /within float32 range/,
  );
  rejects(() => new LinearTransformation("I" as never, [0]), TypeError, /transformationMatrix must be a d x d array of rows/);
  rejects(
    () => new LinearTransformation([[1]], "0" as never),
    TypeError,
    /meanVector must be an array of numbers \(one per row of transformationMatrix\)/,
  );
  const lt = new LinearTransformation(
    [
      [1, 0],
      [0, 1],
    ],
    [0, 0],
  );
  rejects(() => lt.apply(F.toTensor(synthetic(2, 2))), RangeError, /incompatible shape: \[3 x 2 x 2\] = 12 != 2/);
  rejects(() => lt.apply(synthetic(2, 1, 1)), TypeError, /LinearTransformation expects a tensor/);
  rejects(
    () => fromJSON({ type: "LinearTransformation", transformationMatrix: [[1]], meanVector: [0, 1] }),
    RangeError,
    /\$\.meanVector has 2 entries/,
  );
});

test("bad input: Lambda", () => {
  rejects(() => new Lambda(5 as never), TypeError, /Lambda needs a function/);
  rejects(() => new Lambda((x) => x, { name: "" }), TypeError, /name must be 1-100 characters/);
  rejects(() => new Lambda((x) => x, { random: 1 as never }), TypeError, /random must be a boolean/);
  rejects(() => new Lambda((x) => x, { outputMeta: 1 as never }), TypeError, /outputMeta must be a function/);
  rejects(
    () => new Lambda((x) => x).replay(synthetic(2, 2), { meta: { kind: "image", width: 2, height: 2, channels: 3 }, params: null }),
    TypeError,
    /Lambda: params must be \{ key: \[k0, k1\] \}/,
  );
});

test.run();

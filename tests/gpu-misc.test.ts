// GaussianBlur, RandomErasing (constant and "random" values), GaussianNoise and
// LinearTransformation on WebGPU give the kernel's bytes (src/gpu/ops/misc.ts against
// assembly/filter.ts and noise.ts; the noise ops read the kernel's normals): random kernel sizes and
// sigmas with the edges (kernel 1, kernels wider than the image, sigma 1e-30 and 1e30),
// erase regions at the borders, empty and covering the whole tensor, 1/3/4 channels, sizes
// from 1x1 up, chained with other ops, all in one submission per test.
import "./helpers/gpu-env.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ready } from "../src/index.js";
import { gpuBackend } from "../src/gpu/device.js";
import type { Op } from "../src/ir/ops.js";
import { blurWeights, noiseTable } from "../src/gpu/ops/misc.js";
import { f32Bits } from "../src/gpu/vm.js";
import { requireCapability } from "./helpers/capability.js";
import { call, EDGE_SIZES, mulberry32, sameOnGpu, testImage, type Pair } from "./helpers/gpu-ops.js";

await ready();
const HAVE = (await gpuBackend()) !== null;

const SIZES = EDGE_SIZES;
const toTensor = call("toDtype", { dtype: "float32", scale: true });

function blurArgs(r: () => number, k: number, w: number, h: number): { kernelSize: [number, number]; sigma: [number, number] } {
  const odd = (m: number) => 2 * Math.floor(r() * m) + 1;
  const sigma = () => [1e-30, 1e30, 0.1, 1e-3][Math.floor(r() * 4)]!;
  switch (k) {
    case 0:
      return { kernelSize: [1, 1], sigma: [r() * 5 + 0.1, r() * 5 + 0.1] };
    case 1:
      // wider than the image: the reflection repeats
      return { kernelSize: [2 * w + 1 + 2 * Math.floor(r() * 3), 2 * h + 3], sigma: [r() * 20 + 0.5, sigma()] };
    case 2:
      return { kernelSize: [odd(6), odd(6)], sigma: [sigma(), sigma()] };
    default:
      return { kernelSize: [odd(12), odd(12)], sigma: [r() * 8 + 0.05, r() * 8 + 0.05] };
  }
}

test("gaussianBlur: random kernels and sigmas (1, wider than the image, sigma tiny and huge), 1/3/4 channels", async () => {
  requireCapability("webgpu", HAVE);
  const r = mulberry32(1);
  const pairs: Pair[] = [];
  for (const c of [1, 3, 4] as const)
    for (const [w, h] of SIZES)
      for (let k = 0; k < 5; k++) {
        const a = blurArgs(r, k, w, h);
        pairs.push({ image: testImage(r, w, h, c), ops: [call("gaussianBlur", a)], what: `blur ${JSON.stringify(a)} on ${w}x${h}x${c}` });
      }
  assert.is(await sameOnGpu(pairs), 1, "one submission");
});

test("gaussianBlur: a wrong weight in the uploaded table changes the bytes (the test can fail)", async () => {
  requireCapability("webgpu", HAVE);
  const image = testImage(mulberry32(2), 13, 11, 3);
  const ops = [call("gaussianBlur", { kernelSize: [5, 5], sigma: [1.5, 1.5] })];
  const t = blurWeights(5, 1.5, 5, 1.5);
  const kept = t.slice();
  t[1] = t[1]! + (1 << 24); // horizontal weights (2^30 scale), still summing to 2^30: 1/64 moved between two taps
  t[3] = t[3]! - (1 << 24);
  try {
    await sameOnGpu([{ image, ops, what: "tampered" }]);
    assert.unreachable("a tampered table must give other bytes");
  } catch (e) {
    assert.match((e as Error).message, /^\d+ of 1 differ$/);
  } finally {
    t.set(kept);
  }
  await sameOnGpu([{ image, ops, what: "restored" }]);
});

/** Where the k-th erase region (eh x ew) of a w x h image sits: whole (k 0), on the left border (k 2), in the bottom-right corner (k 3), else random. */
function place(r: () => number, k: number, w: number, h: number, eh: number, ew: number): { top: number; left: number } {
  const top = k === 0 ? 0 : k === 3 ? h - eh : Math.floor(r() * (h - eh + 1));
  const left = k === 0 || k === 2 ? 0 : k === 3 ? w - ew : Math.floor(r() * (w - ew + 1));
  return { top, left };
}

test("erase: constant values, regions at the borders, empty and whole, on [C, H, W] tensors", async () => {
  requireCapability("webgpu", HAVE);
  const r = mulberry32(3);
  const pairs: Pair[] = [];
  for (const c of [1, 3, 4] as const)
    for (const [w, h] of SIZES)
      for (let k = 0; k < 6; k++) {
        // whole, empty, on the left border, in the bottom-right corner, then random
        const eh = k === 0 ? h : k === 1 ? Math.floor(r() * (h + 1)) * (r() < 0.5 ? 0 : 1) : 1 + Math.floor(r() * h);
        const ew = k === 0 ? w : k === 1 && eh > 0 ? 0 : 1 + Math.floor(r() * w);
        const { top, left } = place(r, k, w, h, eh, ew);
        const value = Array.from({ length: c }, () => (r() < 0.2 ? [0, -0, 1e30, -3.5][Math.floor(r() * 4)]! : r() * 4 - 2));
        const a = { top, left, height: eh, width: ew, value, key: null, inplace: r() < 0.5 };
        pairs.push({
          image: testImage(r, w, h, c),
          ops: [toTensor, call("erase", a)],
          what: `erase ${JSON.stringify(a)} on ${w}x${h}x${c}`,
        });
      }
  assert.is(await sameOnGpu(pairs), 1, "one submission");
});

const key = (r: () => number): [number, number] => [Math.floor(r() * 2 ** 32), Math.floor(r() * 2 ** 32)];

test('erase: value "random" (the kernel\'s normals), regions at the borders, empty and whole', async () => {
  requireCapability("webgpu", HAVE);
  const r = mulberry32(6);
  const pairs: Pair[] = [];
  for (const c of [1, 3, 4] as const)
    for (const [w, h] of [
      [1, 1],
      [7, 5],
      [17, 9],
      [2, 3],
    ] as [number, number][])
      for (let k = 0; k < 5; k++) {
        // whole, empty, on the left border, in the bottom-right corner, then random
        const eh = k === 0 ? h : k === 1 ? 0 : 1 + Math.floor(r() * h);
        const ew = k === 0 ? w : k === 1 ? Math.floor(r() * (w + 1)) : 1 + Math.floor(r() * w);
        const { top, left } = place(r, k, w, h, eh, ew);
        const a = { top, left, height: eh, width: ew, value: "random", key: key(r), inplace: r() < 0.5 };
        pairs.push({
          image: testImage(r, w, h, c),
          ops: [toTensor, call("erase", a)],
          what: `erase random ${JSON.stringify(a)} on ${w}x${h}x${c}`,
        });
      }
  assert.is(await sameOnGpu(pairs), 1, "one submission");
});

test("gaussianNoise: mean, sigma (0, tiny, huge), clip on and off, images and tensors, 1/3/4 channels", async () => {
  requireCapability("webgpu", HAVE);
  const r = mulberry32(7);
  const pairs: Pair[] = [];
  for (const c of [1, 3, 4] as const)
    for (const [w, h] of [
      [1, 1],
      [7, 5],
      [17, 9],
      [3, 2],
    ] as [number, number][])
      for (let k = 0; k < 6; k++) {
        const sigma = [0, 0.1, 1e-30, 1e30, r() * 2, 0.5][k]!;
        const mean = k === 5 ? [-1e30, 1e30, -0.5][Math.floor(r() * 3)]! : r() - 0.5;
        const a = { mean, sigma, clip: r() < 0.5, key: key(r) };
        const tensor = k % 2 === 1;
        pairs.push({
          image: testImage(r, w, h, c),
          ops: tensor ? [toTensor, call("gaussianNoise", a)] : [call("gaussianNoise", a)],
          what: `gaussianNoise ${JSON.stringify(a)} on ${tensor ? "tensor" : "image"} ${w}x${h}x${c}`,
        });
      }
  assert.is(await sameOnGpu(pairs), 1, "one submission");
});

test("gaussianNoise and erase random: a wrong normal in the uploaded table changes the bytes (the test can fail)", async () => {
  requireCapability("webgpu", HAVE);
  const image = testImage(mulberry32(8), 7, 5, 3);
  const k: [number, number] = [12345, 678];
  const cases: [Op[], number, number][] = [
    [[toTensor, call("gaussianNoise", { mean: 0, sigma: 0.2, clip: false, key: k })], 7 * 5 * 3, 17],
    [[call("gaussianNoise", { mean: 0.1, sigma: 0.3, clip: true, key: k })], 7 * 5 * 3, 40],
    [[toTensor, call("erase", { top: 1, left: 2, height: 3, width: 4, value: "random", key: k, inplace: false })], 3 * 3 * 4, 5],
  ];
  for (const [ops, n, at] of cases) {
    const t = noiseTable(k, n);
    const kept = t[at]!;
    t[at] = f32Bits(Math.fround(new Float32Array(t.buffer)[at]! + 0.5));
    try {
      await sameOnGpu([{ image, ops, what: "tampered" }]);
      assert.unreachable("a tampered table must give other bytes");
    } catch (e) {
      assert.match((e as Error).message, /^\d+ of 1 differ$/);
    } finally {
      t[at] = kept;
    }
    await sameOnGpu([{ image, ops, what: "restored" }]);
  }
});

test("linearTransformation: (x - mean) @ W summed in the kernel's order, random and extreme entries", async () => {
  requireCapability("webgpu", HAVE);
  const r = mulberry32(4);
  const pairs: Pair[] = [];
  for (const c of [1, 3, 4] as const)
    for (const [w, h] of SIZES.filter(([w, h]) => w * h <= 40)) {
      const d = w * h * c;
      for (let k = 0; k < 2; k++) {
        const matrix = Float32Array.from({ length: d * d }, () =>
          r() < 0.1 ? [0, -0, 1e-40, 1e30][Math.floor(r() * 4)]! : (r() - 0.5) * 4,
        );
        const mean = Float32Array.from({ length: d }, () => r() - 0.3);
        const ops = [toTensor, call("linearTransformation", { matrix, mean })];
        pairs.push({ image: testImage(r, w, h, c), ops, what: `linear d=${d} #${k} on ${w}x${h}x${c}` });
      }
    }
  assert.is(await sameOnGpu(pairs), 1, "one submission");
});

test("chains: blur, then a crop, ToTensor, erase, LinearTransformation and back to uint8", async () => {
  requireCapability("webgpu", HAVE);
  const r = mulberry32(5);
  const pairs: Pair[] = [];
  for (const c of [1, 3, 4] as const)
    for (const [w, h] of SIZES.slice(2)) {
      const ch = Math.max(1, h - 1);
      const d = ch * w * c;
      const ops: Op[] = [
        call("gaussianBlur", blurArgs(r, 3, w, h)),
        { op: "window", top: 0, left: 0, height: ch, width: w, mode: "constant", fill: [0] },
        toTensor,
        call("erase", { top: 0, left: 0, height: 1, width: w, value: Array(c).fill(0.25), key: null, inplace: false }),
        ...(d <= 120
          ? [
              call("linearTransformation", {
                matrix: Float32Array.from({ length: d * d }, () => r() * 0.2),
                mean: new Float32Array(d).fill(0.1),
              }),
            ]
          : []),
        call("toDtype", { dtype: "uint8", scale: true }),
        call("gaussianBlur", blurArgs(r, 2, w, ch)),
      ];
      pairs.push({ image: testImage(r, w, h, c), ops, what: `chain on ${w}x${h}x${c}` });
    }
  assert.is(await sameOnGpu(pairs), 1, "one submission");
});

test.run();

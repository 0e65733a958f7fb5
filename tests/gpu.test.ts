// The WebGPU backend gives the wasm backend's exact bytes (Node, npm webgpu = Dawn, on
// SwiftShader when there is no GPU: tests/helpers/gpu-env.ts), and Philox4x32-10 in WGSL
// passes Random123's known answers.
import "./helpers/gpu-env.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  ready,
  Generator,
  metaOf,
  Compose,
  RandomResizedCrop,
  RandomHorizontalFlip,
  RandomVerticalFlip,
  ToTensor,
  Normalize,
  RandomCrop,
  CenterCrop,
  Resize,
  Pad,
  ColorJitter,
  RandomChannelPermutation,
  RandomPosterize,
  RandomSolarize,
  RandomInvert,
  RandomAutocontrast,
  RandomEqualize,
  RandomAdjustSharpness,
  Grayscale,
  MixUp,
  CutMix,
  type Image,
  type Tensor,
  type Transform,
} from "../src/index.js";
import { philox4x32, sampleKey } from "../src/random/index.js";
import { Context } from "../src/extend/index.js";
import { applyBatch } from "../src/gpu/batch.js";
import type { BatchOptions } from "../src/ir/batch.js";
import { gpuBackend, releaseGpu } from "../src/gpu/device.js";
import { defaultAdapterFactory } from "../src/platform/gpu.js";
import { BufferUsage, MAP_READ, type GpuBuffer, type GpuDevice } from "../src/gpu/types.js";
import { gpuPhilox } from "../src/gpu/philox.js";
import { brightnessLut, gammaLut, invertLut, posterizeLut, solarizeLut } from "../src/gpu/colorTables.js";
import * as F from "../src/functional/color.js";
import type { Op } from "../src/ir/ops.js";
import { caseHashes, gpuCases, randomGpuPipeline, syntheticImage } from "./conformance/gpu.js";
import { requireCapability } from "./helpers/capability.js";
import { batchBytes, firstDifference, shapeOf } from "./helpers/gpu-compare.js";
import { call, sameOnGpu } from "./helpers/gpu-ops.js";
import { MEAN, STD } from "./helpers/recipes.js";
import { PHILOX4X32_10_KAT } from "./helpers/philox-kat.js";
import { mulberry32 } from "./helpers/prng.js";

await ready();
const gpu = await gpuBackend();
const HAVE = gpu !== null;
const NO_GPU = "no WebGPU adapter: install chromium (its SwiftShader Vulkan driver, see PLATFORMS.md)";

/** Runs one batch on both backends and asserts the same bytes (or the same error). */
async function same(t: Transform, images: Image[], opts: BatchOptions, what: string): Promise<void> {
  let ref;
  try {
    ref = await applyBatch(t, images, { ...opts, backend: "wasm" });
  } catch (e) {
    const msg = (e as Error).message;
    try {
      await applyBatch(t, images, { ...opts, backend: "webgpu" });
    } catch (g) {
      assert.is((g as Error).message, msg, what);
      return;
    }
    assert.unreachable(`${what}: wasm threw ${msg}, webgpu did not`);
    return;
  }
  const got = await applyBatch(t, images, { ...opts, backend: "webgpu" });
  assert.is(got.backend, "webgpu", what);
  assert.is(shapeOf(got), shapeOf(ref), what);
  assert.is(firstDifference(batchBytes(got), batchBytes(ref)), null, what);
}

test("a WebGPU adapter is available (SwiftShader through Dawn)", () => {
  assert.ok(HAVE, NO_GPU);
  if (process.env.VK_ICD_FILENAMES?.includes("swiftshader")) assert.match(gpu!.adapter, /swiftshader/i);
});

test("conformance cases: WebGPU hashes == wasm hashes (60 batches of random pipelines)", async () => {
  requireCapability("webgpu", HAVE);
  const cases = gpuCases(60, 11);
  const ref = await caseHashes(cases, "wasm");
  const got = await caseHashes(cases, "webgpu");
  assert.is(got.backend, "webgpu");
  const bad = cases
    .map((c, i) => (ref.hashes[i] === got.hashes[i] ? null : `case ${i}: ${JSON.stringify(c.pipeline)} on ${JSON.stringify(c.images[0])}`))
    .filter((x) => x !== null);
  assert.equal(bad, [], `mismatches on ${got.adapter}`);
});

test("random pipelines on batches of mixed sizes: same bytes, or the same error (30 batches)", async () => {
  requireCapability("webgpu", HAVE);
  const r = mulberry32(77);
  for (let k = 0; k < 30; k++) {
    const c = ([1, 3, 4] as const)[k % 3]!;
    const p = randomGpuPipeline(r, c);
    const images = Array.from({ length: 1 + (k % 5) }, (_, i) =>
      syntheticImage(1 + Math.floor(r() * 40), 1 + Math.floor(r() * 40), c, k * 8 + i),
    );
    await same(
      p,
      images,
      { seed: k, epoch: 1 },
      `batch ${k}: ${JSON.stringify(p.toJSON())} on ${images.map((i) => `${i.width}x${i.height}`).join(",")}`,
    );
  }
});

/** Runs many (pipeline, image) pairs through the GPU in one submission; each must equal execute() on wasm. */
async function sameInOneSubmission(pairs: { t: Transform; image: Image; what: string }[], seed: number): Promise<number> {
  return sameOnGpu(
    pairs.map(({ t, image, what }, i) => {
      const meta = metaOf(image);
      return { image, ops: t.ops(t.makeParams(new Context(sampleKey(seed, 0, i)), meta), meta), what };
    }),
  );
}

test("every op alone, all in one submission: pads (4 modes), crops, flips, resize (3 filters, antialias on/off, up/down), tensors; 1/3/4 channels, 1x1 and odd sizes", async () => {
  requireCapability("webgpu", HAVE);
  const sizes: [number, number][] = [
    [1, 1],
    [1, 7],
    [13, 1],
    [17, 9],
    [64, 48],
  ];
  const pairs: { t: Transform; image: Image; what: string }[] = [];
  for (const c of [1, 3, 4] as const) {
    for (const [w, h] of sizes) {
      const ops: [string, Transform][] = [
        ["identity", new Compose([])],
        ["hflip", new RandomHorizontalFlip(1)],
        ["vflip", new RandomVerticalFlip(1)],
        ["both flips", new Compose([new RandomHorizontalFlip(1), new RandomVerticalFlip(1)])],
        ["crop out of bounds", new CenterCrop([h + 3, w + 2])],
        ["crop inside", new CenterCrop([Math.max(1, h - 1), Math.max(1, w - 1)])],
        ["toTensor", new ToTensor()],
        ["normalize", new Compose([new ToTensor(), new Normalize([...MEAN, 0.5].slice(0, c), [...STD, 0.25].slice(0, c))])],
      ];
      for (const mode of ["constant", "edge", "reflect", "symmetric"] as const) {
        ops.push([`pad ${mode}`, new Pad([3, 1, 0, 5], { paddingMode: mode, fill: [7, 8, 9, 10].slice(0, c) })]);
        ops.push([
          `random crop ${mode}`,
          new RandomCrop([h + 4, w + 1], { padding: [2, 3], padIfNeeded: true, paddingMode: mode, fill: 200 }),
        ]);
      }
      for (const interpolation of ["nearest", "bilinear", "bicubic"] as const) {
        for (const antialias of [true, false]) {
          ops.push([
            `resize down ${interpolation} aa=${antialias}`,
            new Resize([Math.max(1, h >> 1), Math.max(1, (w * 2) / 3) | 0], { interpolation, antialias }),
          ]);
          ops.push([`resize up ${interpolation} aa=${antialias}`, new Resize([h * 2 + 1, w + 3], { interpolation, antialias })]);
          ops.push([
            `rrc ${interpolation} aa=${antialias}`,
            new Compose([
              new RandomResizedCrop([9, 11], { interpolation, antialias }),
              new RandomHorizontalFlip(),
              new RandomVerticalFlip(),
              new ToTensor(),
            ]),
          ]);
          ops.push([
            `pad, resize, crop ${interpolation}`,
            new Compose([
              new Pad(2, { paddingMode: "reflect" }),
              new Resize([h + 5, w * 3], { interpolation, antialias }),
              new RandomHorizontalFlip(),
              new CenterCrop([h + 1, w + 2]),
              new ToTensor(),
            ]),
          ]);
        }
      }
      for (const [name, t] of ops) {
        for (const salt of [1, 2]) pairs.push({ t, image: syntheticImage(w, h, c, salt), what: `${name} on ${w}x${h}x${c}` });
      }
    }
  }
  assert.is(await sameInOneSubmission(pairs, 5), 1, `${pairs.length} samples, one submission`);
});

test("300 random pipelines on random images, all in one submission", async () => {
  requireCapability("webgpu", HAVE);
  const r = mulberry32(2024);
  const pairs = Array.from({ length: 300 }, (_, k) => {
    const c = ([1, 3, 4] as const)[k % 3]!;
    const t = randomGpuPipeline(r, c);
    const image = syntheticImage(1 + Math.floor(r() * 50), 1 + Math.floor(r() * 50), c, k);
    return { t, image, what: `case ${k}: ${JSON.stringify(t.toJSON())} on ${image.width}x${image.height}x${c}` };
  });
  assert.is(await sameInOneSubmission(pairs, 9), 1);
});

test("the training recipe on photo-sized images (3 x ~500x375 -> 3x3x224x224), bilinear and bicubic, one submission", async () => {
  requireCapability("webgpu", HAVE);
  const images = Array.from({ length: 3 }, (_, i) => syntheticImage(500 - i * 7, 375 + i * 5, 3, i));
  for (const interpolation of ["bilinear", "bicubic"] as const) {
    const t = new Compose([
      new RandomResizedCrop(224, { interpolation }),
      new RandomHorizontalFlip(),
      new ToTensor(),
      new Normalize(MEAN, STD),
    ]);
    const got = await applyBatch(t, images, { seed: 42, epoch: 3, backend: "webgpu" });
    assert.equal((got.output as Tensor).shape, [3, 3, 224, 224]);
    assert.is(got.submissions, 1, "one submission for the whole batch");
    const ref = await applyBatch(t, images, { seed: 42, epoch: 3, backend: "wasm" });
    assert.is(firstDifference(batchBytes(got), batchBytes(ref)), null, interpolation);
  }
});

test("tensor semantics on WebGPU: torch's uint8 resize tables and v2's ToDtype(scale=True) table, equal to wasm (bilinear, bicubic, nearest, antialias on/off)", async () => {
  requireCapability("webgpu", HAVE);
  const images = Array.from({ length: 3 }, (_, i) => syntheticImage(230 - i * 7, 175 + i * 5, 3, i));
  for (const [interpolation, antialias] of [
    ["bilinear", true],
    ["bicubic", true],
    ["bilinear", false],
    ["bicubic", false],
    ["nearest", false],
  ] as const) {
    const t = new Compose(
      [new RandomResizedCrop(96, { interpolation, antialias }), new RandomHorizontalFlip(), new ToTensor(), new Normalize(MEAN, STD)],
      { semantics: "tensor" },
    );
    const got = await applyBatch(t, images, { seed: 7, backend: "webgpu" });
    assert.is(got.backend, "webgpu");
    const ref = await applyBatch(t, images, { seed: 7, backend: "wasm" });
    assert.is(firstDifference(batchBytes(got), batchBytes(ref)), null, `${interpolation} antialias=${antialias}`);
    const pil = await applyBatch(new Compose(t.transforms), images, { seed: 7, backend: "webgpu" });
    assert.not.equal(firstDifference(batchBytes(got), batchBytes(pil)), null, "the tensor tables are not Pillow's");
  }
});

test("applyBatch equals per-image apply (keyed and generator), on both backends", async () => {
  requireCapability("webgpu", HAVE);
  const t = new Compose([new RandomResizedCrop([20, 16]), new RandomHorizontalFlip(), new ToTensor(), new Normalize(MEAN, STD)]);
  const images = Array.from({ length: 5 }, (_, i) => syntheticImage(40 + i, 30, 3, i));
  const indices = [7, 3, 100, 0, 12];
  const each = images.map((img, i) => t.apply(img, { seed: 9, epoch: 4, index: indices[i]! }).data as Float32Array);
  const flat = new Float32Array(each.reduce((a, d) => a + d.length, 0));
  each.reduce((at, d) => (flat.set(d, at), at + d.length), 0);
  for (const backend of ["wasm", "webgpu"] as const) {
    const res = await t.applyBatch(images, { seed: 9, epoch: 4, indices, backend });
    assert.is(firstDifference(batchBytes(res), new Uint8Array(flat.buffer)), null, `keyed, ${backend}`);
    const g = new Generator(5);
    const seq = images.map((img) => t.apply(img, { generator: g }).data as Float32Array);
    const res2 = await t.applyBatch(images, { generator: new Generator(5), backend });
    const flat2 = new Float32Array(seq.length * seq[0]!.length);
    seq.forEach((d, i) => flat2.set(d, i * d.length));
    assert.is(firstDifference(batchBytes(res2), new Uint8Array(flat2.buffer)), null, `generator, ${backend}`);
  }
});

test("out buffers receive the batch (tensor and images)", async () => {
  requireCapability("webgpu", HAVE);
  const images = [syntheticImage(30, 20, 3, 1), syntheticImage(30, 20, 3, 2)];
  const t = new Compose([new RandomCrop(12), new ToTensor()]);
  const out = new Float32Array(2 * 3 * 12 * 12);
  const res = await applyBatch(t, images, { seed: 1, backend: "webgpu", out });
  assert.ok((res.output as Tensor).data === out);
  assert.is(firstDifference(batchBytes(res), batchBytes(await applyBatch(t, images, { seed: 1 }))), null);
  const u8 = new Uint8Array(2 * 12 * 12 * 3);
  const res2 = await applyBatch(new RandomCrop(12), images, { seed: 1, backend: "webgpu", out: u8 });
  const list = res2.output as Image[];
  assert.ok(list[1]!.data.buffer === u8.buffer && list[1]!.data.byteOffset === 12 * 12 * 3);
  assert.is(firstDifference(u8, batchBytes(await applyBatch(new RandomCrop(12), images, { seed: 1 }))), null);
});

/** The first `bytes` bytes of a GPUBuffer on `device`, through a staging copy. */
async function readBack(device: GpuDevice, buffer: GpuBuffer, bytes: number): Promise<Uint8Array> {
  const staging = device.createBuffer({ size: Math.max(4, Math.ceil(bytes / 4) * 4), usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(buffer, 0, staging, 0, staging.size);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(MAP_READ, 0, staging.size);
  const out = new Uint8Array(staging.getMappedRange(0, staging.size).slice(0, bytes));
  staging.unmap();
  staging.destroy();
  return out;
}

test("output 'gpu': the NCHW float32 batch stays on the device; read back, it is the host result's bytes", async () => {
  requireCapability("webgpu", HAVE);
  const t = new Compose([new RandomResizedCrop([20, 24]), new RandomHorizontalFlip(), new ToTensor(), new Normalize(MEAN, STD)]);
  const images = Array.from({ length: 5 }, (_, i) => syntheticImage(50 + i, 40, 3, i));
  const host = await applyBatch(t, images, { seed: 9, epoch: 2, backend: "wasm" });
  for (const maxChunkBytes of [undefined, 20_000]) {
    const res = await applyBatch(t, images, { seed: 9, epoch: 2, backend: "webgpu", output: "gpu", maxChunkBytes });
    assert.is(res.backend, "webgpu");
    const g = res.output;
    assert.equal(g.shape, [5, 3, 20, 24]);
    assert.is(g.dtype, "float32");
    assert.is(g.byteLength, 5 * 3 * 20 * 24 * 4);
    assert.ok(g.buffer.size >= g.byteLength);
    assert.ok(g.device === (await gpuBackend())!.device, "lockstep's own device when none is passed");
    if (maxChunkBytes) assert.ok(res.submissions! > 1, `split into ${res.submissions}`);
    const back = await readBack(g.device as GpuDevice, g.buffer as GpuBuffer, g.byteLength);
    assert.is(firstDifference(back, batchBytes(host)), null, `maxChunkBytes ${maxChunkBytes}`);
    g.buffer.destroy(); // the caller's
  }
});

test("a caller's GPUDevice: the batch runs on it (host or GPU output), releaseGpu leaves it open", async () => {
  requireCapability("webgpu", HAVE);
  const adapter = await defaultAdapterFactory();
  assert.ok(adapter, "an adapter for the caller's device");
  const mine = (await adapter!.requestDevice({ label: "the caller's" })) as GpuDevice;
  const t = new Compose([new RandomCrop(16, { padIfNeeded: true }), new RandomVerticalFlip(), new ToTensor()]);
  const images = Array.from({ length: 3 }, (_, i) => syntheticImage(20, 14 + i, 4, i));
  const ref = batchBytes(await applyBatch(t, images, { seed: 4 }));
  const onHost = await applyBatch(t, images, { seed: 4, backend: "webgpu", device: mine });
  assert.is(onHost.backend, "webgpu");
  assert.is(firstDifference(batchBytes(onHost), ref), null);
  const res = await applyBatch(t, images, { seed: 4, backend: "webgpu", device: mine, output: "gpu" });
  assert.ok(res.output.device === mine, "the buffer lives on the caller's device");
  releaseGpu();
  // The device is still the caller's to use: the buffer reads back after releaseGpu.
  assert.is(firstDifference(await readBack(mine, res.output.buffer as GpuBuffer, res.output.byteLength), ref), null);
  res.output.buffer.destroy();
  // And lockstep sets itself up on it again when asked.
  assert.is(firstDifference(batchBytes(await applyBatch(t, images, { seed: 4, backend: "webgpu", device: mine })), ref), null);
  mine.destroy();
});

test("MixUp and CutMix on a GPU batch: the wasm batch path's bytes, params and labels (random seeds, batch sizes, alphas)", async () => {
  requireCapability("webgpu", HAVE);
  const r = mulberry32(77);
  let splits = 0;
  for (let k = 0; k < 8; k++) {
    const n = 1 + Math.floor(r() * 5);
    const c = ([1, 3, 4] as const)[k % 3]!;
    const size = 4 + Math.floor(r() * 12);
    const t = new Compose([
      new RandomResizedCrop([size, size + (k % 2)]),
      new RandomHorizontalFlip(),
      new ToTensor(),
      ...(k % 2
        ? [
            new Normalize(
              Array.from({ length: c }, (_, i) => 0.4 + i / 50),
              Array.from({ length: c }, (_, i) => 0.2 + i / 30),
            ),
          ]
        : []),
    ]);
    const images = Array.from({ length: n }, (_, i) => syntheticImage(20 + k, 18, c, k * 8 + i));
    const numClasses = 3 + k;
    const labels = Array.from({ length: n }, (_, i) => (i * 7 + k) % numClasses);
    const alpha = 0.2 + r() * 2;
    for (const transform of [new MixUp({ alpha, numClasses }), new CutMix({ alpha, numClasses })]) {
      const what = `${transform.type} case ${k} (${n} x ${c}x${size})`;
      const key = { seed: 1000 + k, epoch: k % 3 };
      // The oracle: the plain wasm batch, then the transform as the Loader applies it.
      const plain = await applyBatch(t, images, { ...key, backend: "wasm" });
      const want = transform.applyWithRecord({ images: plain.output as Tensor, labels }, { ...key, batch: k });
      const mix = { transform, labels, batch: k };
      const onWasm = await applyBatch(t, images, { ...key, backend: "wasm", mix });
      const onGpu = await applyBatch(t, images, { ...key, backend: "webgpu", mix });
      assert.is(onGpu.mix!.on, "webgpu", what);
      assert.is(onWasm.mix!.on, "wasm", what);
      const wantBytes = new Uint8Array(want.output.images.data.buffer);
      assert.is(firstDifference(batchBytes(onWasm), wantBytes), null, `${what} on wasm`);
      assert.is(firstDifference(batchBytes(onGpu), wantBytes), null, `${what} on the GPU`);
      for (const got of [onWasm, onGpu]) {
        assert.equal(got.mix!.params, want.record.params, what);
        assert.equal(Array.from(got.mix!.labels.data), Array.from(want.output.labels.data), what);
      }
      if (k < 2) {
        // Left on the device, and split over several submissions (then mixed on the host copy).
        const g = await applyBatch(t, images, { ...key, backend: "webgpu", mix, output: "gpu" });
        assert.is(
          firstDifference(await readBack(g.output.device as GpuDevice, g.output.buffer as GpuBuffer, g.output.byteLength), wantBytes),
          null,
          `${what}, output "gpu"`,
        );
        g.output.buffer.destroy();
        const split = await applyBatch(t, images, { ...key, backend: "webgpu", mix, maxChunkBytes: 8000 });
        if (split.submissions! > 1) {
          splits++;
          assert.is(split.mix!.on, "wasm", what);
        }
        assert.is(firstDifference(batchBytes(split), wantBytes), null, `${what}, split`);
      }
    }
  }
  assert.ok(splits > 0, "some batch was split");
  // "auto" on a software adapter keeps a mixed batch on wasm (the mix is a register-machine program), and says so.
  const t = new Compose([new RandomResizedCrop(8), new ToTensor()]);
  const imgs = [syntheticImage(20, 20, 3, 1), syntheticImage(20, 20, 3, 2)];
  const mix = { transform: new MixUp({ numClasses: 2 }), labels: [0, 1] };
  const auto = await applyBatch(t, imgs, { generator: new Generator(5), backend: "auto", mix });
  if (gpu!.software) assert.match(auto.fallback ?? "", /^MixUp runs as a soft-float register-machine program/);
  else assert.is(auto.backend, "webgpu");
  const ref = await applyBatch(t, imgs, { generator: new Generator(5), mix });
  assert.is(firstDifference(batchBytes(auto), batchBytes(ref)), null);
  assert.equal(auto.mix!.params, ref.mix!.params);
});

test("a batch too large for one submission is split to fit, with the same bytes", async () => {
  requireCapability("webgpu", HAVE);
  const t = new Compose([new RandomResizedCrop(32), new RandomHorizontalFlip(), new ToTensor(), new Normalize(MEAN, STD)]);
  const images = Array.from({ length: 9 }, (_, i) => syntheticImage(80, 60, 3, i));
  const whole = await applyBatch(t, images, { seed: 3, backend: "webgpu" });
  assert.is(whole.submissions, 1);
  // Each sample needs about 14 KB input + 12 KB output + scratch: 40 KB holds one or two.
  const split = await applyBatch(t, images, { seed: 3, backend: "webgpu", maxChunkBytes: 40_000 });
  assert.ok(split.submissions! >= 5, `split into ${split.submissions}`);
  assert.is(firstDifference(batchBytes(split), batchBytes(whole)), null);
  assert.is(firstDifference(batchBytes(whole), batchBytes(await applyBatch(t, images, { seed: 3 }))), null);
});

test("'auto' picks WebGPU when an adapter exists and says so", async () => {
  requireCapability("webgpu", HAVE);
  const t = new Compose([new RandomResizedCrop(16), new ToTensor()]);
  const images = [syntheticImage(30, 30, 3, 0)];
  const res = await applyBatch(t, images, { seed: 1, backend: "auto" });
  assert.is(res.backend, "webgpu");
  assert.is(res.adapter, (await gpuBackend())!.adapter);
  assert.is(res.fallback, undefined);
  const w = await applyBatch(t, images, { seed: 1 });
  assert.is(w.backend, "wasm", "the default backend is wasm");
});

test("concurrent batches on one device do not mix", async () => {
  requireCapability("webgpu", HAVE);
  const t = new Compose([new RandomResizedCrop(24), new RandomHorizontalFlip(), new ToTensor()]);
  const sets = [0, 1, 2, 3].map((k) => Array.from({ length: 3 }, (_, i) => syntheticImage(40 + k, 33, 3, k * 10 + i)));
  const got = await Promise.all(sets.map((s, k) => applyBatch(t, s, { seed: k, backend: "webgpu" })));
  for (let k = 0; k < sets.length; k++) {
    assert.is(firstDifference(batchBytes(got[k]!), batchBytes(await applyBatch(t, sets[k]!, { seed: k }))), null, `batch ${k}`);
  }
});

const PERMS: Record<1 | 3 | 4, number[][]> = {
  1: [[0]],
  3: [
    [0, 1, 2],
    [0, 2, 1],
    [1, 0, 2],
    [1, 2, 0],
    [2, 0, 1],
    [2, 1, 0],
  ],
  4: [
    [2, 1, 0, 3],
    [3, 2, 1, 0],
    [1, 3, 0, 2],
    [0, 1, 2, 3],
  ],
};

test("colour tables: the GPU's tables are the functional ops' bytes (a 256-value ramp through each op)", () => {
  const ramp: Image = { width: 256, height: 1, channels: 1, data: Uint8Array.from({ length: 256 }, (_, i) => i) };
  const r = mulberry32(31);
  for (let k = 0; k < 40; k++) {
    const f = k < 4 ? [0, 1, 1e6, 0.5][k]! : r() * 3;
    assert.equal([...brightnessLut(f)], [...F.adjustBrightness(ramp, f).data], `brightness ${f}`);
    const g = r() * 4;
    const gain = r() * 2 - 0.5;
    for (const semantics of ["pil", "tensor", "tensor-v1"] as const) {
      assert.equal(
        [...gammaLut(g, gain, semantics)],
        [...F.adjustGamma(ramp, g, gain, { semantics }).data],
        `${semantics} gamma ${g} gain ${gain}`,
      );
    }
    const t = k < 3 ? [0, 255, 128][k]! : r() * 255;
    assert.equal([...solarizeLut(t)], [...F.solarize(ramp, t).data], `solarize ${t}`);
  }
  for (let b = 0; b <= 8; b++) assert.equal([...posterizeLut(b)], [...F.posterize(ramp, b).data], `posterize ${b}`);
  assert.equal([...invertLut()], [...F.invert(ramp).data]);
});

test("brightness, invert, posterize, solarize, permuteChannels alone and chained, all in one submission: 1/3/4 channels, 1x1 and odd sizes", async () => {
  requireCapability("webgpu", HAVE);
  const r = mulberry32(4242);
  const pairs: { image: Image; ops: Op[]; what: string }[] = [];
  for (const c of [1, 3, 4] as const) {
    for (const [w, h] of [
      [1, 1],
      [1, 7],
      [13, 1],
      [17, 9],
      [5, 3],
      [64, 48],
    ] as [number, number][]) {
      const ops: Op[][] = [];
      for (const factor of [0, 0.37, 1, 1.9, 1e6, r() * 2]) ops.push([call("adjustBrightness", { factor })]);
      ops.push([call("invert")]);
      for (let bits = 0; bits <= 8; bits++) ops.push([call("posterize", { bits })]);
      for (const threshold of [0, 0.5, 127.3, 255, r() * 255]) ops.push([call("solarize", { threshold })]);
      for (const permutation of PERMS[c]) ops.push([call("permuteChannels", { permutation })]);
      // Chains: map after map, and maps between geometry (window, resample) steps and before ToTensor.
      const perm = PERMS[c][Math.floor(r() * PERMS[c].length)]!;
      ops.push([
        call("adjustBrightness", { factor: r() * 2 }),
        call("permuteChannels", { permutation: perm }),
        call("solarize", { threshold: r() * 255 }),
        call("posterize", { bits: 1 + Math.floor(r() * 8) }),
        call("invert"),
      ]);
      ops.push([
        { op: "hflip" },
        call("invert"),
        { op: "window", top: -1, left: 2, height: h + 2, width: w, mode: "edge", fill: [0, 0, 0, 0].slice(0, c) },
        call("permuteChannels", { permutation: perm }),
      ]);
      for (const o of ops)
        for (const salt of [1, 2])
          pairs.push({
            image: syntheticImage(w, h, c, salt + w),
            ops: o,
            what: `${o.map((x) => (x as { name?: string }).name ?? x.op).join(" > ")} on ${w}x${h}x${c}`,
          });
    }
  }
  // Through transforms too: crops, resizes and ToTensor around the colour ops.
  for (const c of [1, 3, 4] as const) {
    const t = new Compose([
      new RandomCrop(9, { padIfNeeded: true }),
      new RandomInvert(1),
      new Resize([7, 5]),
      new RandomPosterize(3, 1),
      new RandomSolarize(100, 1),
      new ToTensor(),
    ]);
    const image = syntheticImage(12, 10, c, 9);
    const meta = metaOf(image);
    const ops = t.ops(t.makeParams(new Context(sampleKey(1, 0, c)), meta), meta);
    pairs.push({ image, ops, what: `crop/invert/resize/posterize/solarize/tensor on 12x10x${c}` });
  }
  assert.is(await sameOnGpu(pairs), 1, `${pairs.length} samples, one submission`);
});

/** The training recipe with the image-independent colour transforms, random factors, bits and thresholds. */
function colourRecipe(r: () => number, c: number): Transform {
  return new Compose([
    new RandomResizedCrop([20, 24], { interpolation: r() < 0.5 ? "bilinear" : "bicubic" }),
    new RandomHorizontalFlip(),
    new ColorJitter({ brightness: 0.2 + r() * 0.6 }),
    new RandomChannelPermutation(),
    new RandomPosterize(Math.floor(r() * 9), 0.5),
    new RandomSolarize(r() * 255, 0.5),
    new RandomInvert(0.5),
    new ToTensor(),
    new Normalize([...MEAN, 0.5].slice(0, c), [...STD, 0.25].slice(0, c)),
  ]);
}

test("the training recipe with brightness, channel permutation, posterize, solarize and invert: WebGPU == wasm, 1/3/4 channels, and 'auto' runs it on the GPU", async () => {
  requireCapability("webgpu", HAVE);
  const r = mulberry32(99);
  for (let k = 0; k < 9; k++) {
    const c = ([1, 3, 4] as const)[k % 3]!;
    const t = colourRecipe(r, c);
    const images = Array.from({ length: 4 }, (_, i) => syntheticImage(30 + Math.floor(r() * 40), 25 + Math.floor(r() * 40), c, k * 10 + i));
    await same(t, images, { seed: k, epoch: 2 }, `recipe ${k}: ${JSON.stringify(t.toJSON())}`);
    const auto = await applyBatch(t, images, { seed: k, epoch: 2, backend: "auto" });
    assert.is(auto.backend, "webgpu", `recipe ${k} runs on the GPU (${auto.fallback})`);
  }
  // Colour pipelines with image-dependent ops run on the GPU with wasm's bytes. Under 'auto', those
  // with a soft-float program (the grey value's and the blends' float steps) stay on wasm on a
  // software adapter, naming the op; integer-only ones (equalize) run on the GPU everywhere.
  const software = (await gpuBackend())!.software;
  for (const [t, program] of [
    [new Compose([new ColorJitter({ brightness: 0.4, contrast: 0.4 }), new ToTensor()]), "adjustContrast"],
    [new Compose([new RandomInvert(1), new RandomAutocontrast(1)]), "autocontrast"],
    [new Compose([new RandomEqualize(1), new RandomPosterize(2, 1)]), null],
    [new Compose([new RandomSolarize(9, 1), new Grayscale(3)]), "rgbToGrayscale"],
    [new RandomAdjustSharpness(2, 1), "adjustSharpness"],
  ] as [Transform, string | null][]) {
    const images = [syntheticImage(9, 7, 3, 1)];
    await same(t, images, { seed: 1, epoch: 0 }, JSON.stringify(t.toJSON()));
    const res = await applyBatch(t, images, { seed: 1, backend: "auto" });
    if (program && software) {
      assert.is(res.backend, "wasm", JSON.stringify(t.toJSON()));
      assert.match(
        res.fallback ?? "",
        `the "${program}" op runs as a soft-float register-machine program, much slower than wasm on a software adapter`,
      );
    } else assert.is(res.backend, "webgpu", `${JSON.stringify(t.toJSON())}: ${res.fallback}`);
  }
});

test("Philox4x32-10 in WGSL: Random123 known-answer vectors and 5000 random blocks equal the kernel's", async () => {
  requireCapability("webgpu", HAVE);
  const kat = await gpuPhilox(new Uint32Array(PHILOX4X32_10_KAT.flatMap(([c, k]) => [...c, ...k])));
  assert.equal(
    [...kat],
    PHILOX4X32_10_KAT.flatMap(([, , out]) => out),
  );
  const r = mulberry32(123);
  const n = 5000;
  const blocks = new Uint32Array(n * 6);
  for (let i = 0; i < blocks.length; i++) blocks[i] = (r() * 4294967296) >>> 0;
  // Edge words: carries in the 16-bit-half products.
  blocks.set([0xffffffff, 0, 0xffffffff, 0, 0x80000000, 0xffff0000], 0);
  const got = await gpuPhilox(blocks);
  for (let i = 0; i < n; i++) {
    const b = blocks.subarray(i * 6, i * 6 + 6);
    const want = philox4x32(b.subarray(0, 4), b.subarray(4, 6));
    if (got[i * 4] !== want[0] || got[i * 4 + 1] !== want[1] || got[i * 4 + 2] !== want[2] || got[i * 4 + 3] !== want[3]) {
      assert.unreachable(
        `block ${i} (${[...b].map((x) => x.toString(16))}): gpu ${[...got.subarray(i * 4, i * 4 + 4)]} vs kernel ${[...want]}`,
      );
    }
  }
});

test.run();

// Backend selection and the WebGPU error paths: no adapter, ops without a shader, limits,
// a lost device (destroyed mid-use), and bad batch options.
import "./helpers/gpu-env.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  ready,
  Compose,
  RandomResizedCrop,
  RandomHorizontalFlip,
  ToTensor,
  Normalize,
  Deterministic,
  Generator,
  F,
  MixUp,
  CutMix,
  RandomCrop,
  type Image,
  type Meta,
  type Json,
  type Tensor,
} from "../src/index.js";
import { defineOp, type Op } from "../src/extend/index.js";
import { applyBatch } from "../src/gpu/batch.js";
import { gpuBackend, releaseGpu, setAdapterFactory, setGpuTestHooks, GpuDeviceLostError } from "../src/gpu/device.js";
import { gpuPhilox } from "../src/gpu/philox.js";
import { syntheticImage } from "./conformance/gpu.js";
import { defaultAdapterFactory } from "../src/platform/gpu.js";
import type { GpuAdapter, GpuDevice, GpuError, GpuLimits } from "../src/gpu/types.js";
import { requireCapability } from "./helpers/capability.js";
import { batchBytes, firstDifference } from "./helpers/gpu-compare.js";
import { MEAN, STD } from "./helpers/recipes.js";

await ready();
const HAVE = (await gpuBackend()) !== null;

const train = new Compose([new RandomResizedCrop(24), new RandomHorizontalFlip(), new ToTensor(), new Normalize(MEAN, STD)]);
const images = [syntheticImage(40, 30, 3, 1), syntheticImage(40, 30, 3, 2)];

async function rejects(p: Promise<unknown>, type: new (...args: never[]) => Error, re: RegExp): Promise<Error> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, type, `expected ${type.name}, got ${(e as Error).constructor.name}: ${(e as Error).message}`);
    assert.match((e as Error).message, re);
    return e as Error;
  }
  assert.unreachable(`expected ${type.name} matching ${re}`);
  throw new Error("unreachable");
}

/** Resolves with the promise's value, or rejects when it takes longer than `ms` (a hang). */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms: a hang`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

// A registered op without a GPU shader, like the colour/warp/blur families.
defineOp("gpuTestInvert", {
  meta: (_args, meta) => meta,
  check: () => null,
  run: (x) => {
    const img = x as Image;
    return { ...img, data: img.data.map((v) => 255 - v) };
  },
});
class Invert extends Deterministic {
  readonly type = "GpuTestInvert";
  ops(_: null, meta: Meta): Op[] {
    void meta;
    return [{ op: "call", name: "gpuTestInvert", args: {} }];
  }
  protected override config(): Record<string, Json> {
    return {};
  }
}

test("no adapter: 'webgpu' is a clear error, 'auto' falls back to wasm and says why", async () => {
  setAdapterFactory(() => null);
  try {
    await rejects(
      applyBatch(train, images, { seed: 1, backend: "webgpu" }),
      Error,
      /backend "webgpu" cannot run this batch: no WebGPU adapter was found/,
    );
    const auto = await applyBatch(train, images, { seed: 1, backend: "auto" });
    assert.is(auto.backend, "wasm");
    assert.match(auto.fallback!, /no WebGPU adapter/);
    assert.is(firstDifference(batchBytes(auto), batchBytes(await applyBatch(train, images, { seed: 1 }))), null);
    await rejects(gpuPhilox(new Uint32Array(6)), Error, /needs a WebGPU adapter/);
  } finally {
    setAdapterFactory(null);
  }
});

test("an adapter factory that throws: 'webgpu' reports it, 'auto' falls back", async () => {
  setAdapterFactory(() => {
    throw new Error("driver exploded");
  });
  try {
    await rejects(applyBatch(train, images, { seed: 1, backend: "webgpu" }), Error, /opening the WebGPU device failed \(driver exploded\)/);
    const auto = await applyBatch(train, images, { seed: 1, backend: "auto" });
    assert.is(auto.backend, "wasm");
    assert.match(auto.fallback!, /driver exploded/);
  } finally {
    setAdapterFactory(null);
  }
});

test("ops without a shader: the whole batch falls back under 'auto', an error names the op under 'webgpu'", async () => {
  const p = new Compose([new RandomResizedCrop(16), new Invert(), new ToTensor()]);
  await rejects(
    applyBatch(p, images, { seed: 2, backend: "webgpu" }),
    Error,
    /images\[0\]: the "gpuTestInvert" op has no WebGPU shader yet.*backend "auto"/,
  );
  const auto = await applyBatch(p, images, { seed: 2, backend: "auto" });
  assert.is(auto.backend, "wasm");
  assert.match(auto.fallback!, /gpuTestInvert/);
  const each = images.map((img, i) => p.apply(img, { seed: 2, index: i }) as Tensor);
  const flat = new Float32Array(each.length * each[0]!.data.length);
  each.forEach((t, i) => flat.set(t.data, i * t.data.length));
  assert.is(firstDifference(batchBytes(auto), new Uint8Array(flat.buffer)), null);
  // A Normalize that does not fuse into ToTensor (a second one) divides in binary32 through the soft-float machine: wasm's bytes.
  const twice = new Compose([new ToTensor(), new Normalize(MEAN, STD), new Normalize([0.1, 0.1, 0.1], [2, 2, 2])]);
  const onGpu = await applyBatch(twice, images, { backend: "webgpu" });
  assert.is(firstDifference(batchBytes(onGpu), batchBytes(await applyBatch(twice, images, { backend: "wasm" }))), null);
  // Tensor inputs.
  const tensors = images.map((img) => F.toTensor(img));
  // Tensor inputs run on the GPU too, with wasm's bytes.
  const t = await applyBatch(new Normalize(MEAN, STD), tensors, { backend: "webgpu" });
  assert.is(t.backend, "webgpu");
  const ref = batchBytes(await applyBatch(new Normalize(MEAN, STD), tensors, { backend: "wasm" }));
  assert.is(firstDifference(batchBytes(t), ref), null);
  assert.equal((t.output as Tensor).shape, [2, 3, 30, 40]);
  // A standalone Normalize is a soft-float program: on a software adapter "auto" keeps it on
  // wasm (much faster there) and says why; on a hardware adapter it runs on the GPU.
  const onAuto = await applyBatch(new Normalize(MEAN, STD), tensors, { backend: "auto" });
  if ((await gpuBackend())!.software) {
    assert.is(onAuto.backend, "wasm");
    assert.match(
      onAuto.fallback ?? "",
      /^images\[0\]: the "normalize" op runs as a soft-float register-machine program, much slower than wasm on a software adapter \(backend "webgpu" runs it on the GPU anyway\)$/,
    );
  } else assert.is(onAuto.backend, "webgpu", onAuto.fallback);
  assert.is(firstDifference(batchBytes(onAuto), ref), null);
});

test("a sample larger than the device's buffer limits: clear error under 'webgpu', wasm under 'auto'", async () => {
  requireCapability("webgpu", HAVE);
  await rejects(
    applyBatch(train, images, { seed: 1, backend: "webgpu", maxChunkBytes: 1000 }),
    Error,
    /sample 0 needs \d+ bytes of GPU buffers, over this device's limit of 1000 bytes/,
  );
  const auto = await applyBatch(train, images, { seed: 1, backend: "auto", maxChunkBytes: 1000 });
  assert.is(auto.backend, "wasm");
  assert.match(auto.fallback!, /over this device's limit/);
});

/**
 * An adapter factory over the real default adapter whose device reports small limits and
 * can simulate running out of memory (an "out-of-memory" error scope when a chunk creates a
 * buffer over `oomOver` bytes), as a small or busy GPU would.
 */
function constrained(
  limits: { maxStorageBufferBindingSize: number; maxBufferSize: number; maxComputeWorkgroupsPerDimension: number },
  oomOver = Infinity,
): { factory: () => Promise<GpuAdapter | null>; ooms: () => number } {
  let ooms = 0;
  const factory = async (): Promise<GpuAdapter | null> => {
    const real = await defaultAdapterFactory();
    if (!real) return null;
    return {
      limits: real.limits,
      info: real.info,
      requestDevice: async (desc) => {
        const d = await real.requestDevice(desc);
        let biggest = 0;
        const scopes: string[] = [];
        const wrapped: GpuDevice = {
          limits: { ...copyLimits(d.limits), ...limits },
          queue: d.queue,
          lost: d.lost,
          createBuffer: (b) => ((biggest = Math.max(biggest, b.size)), d.createBuffer(b)),
          createShaderModule: (m) => d.createShaderModule(m),
          createBindGroupLayout: (l) => d.createBindGroupLayout(l),
          createPipelineLayout: (l) => d.createPipelineLayout(l),
          createComputePipeline: (p) => d.createComputePipeline(p),
          createComputePipelineAsync: (p) => d.createComputePipelineAsync!(p),
          createBindGroup: (g) => d.createBindGroup(g),
          createCommandEncoder: (e) => d.createCommandEncoder(e),
          pushErrorScope: (f) => {
            if (f === "out-of-memory") biggest = 0;
            scopes.push(f);
            d.pushErrorScope(f);
          },
          popErrorScope: async () => {
            const f = scopes.pop();
            const real = await d.popErrorScope();
            if (f === "out-of-memory" && biggest > oomOver) {
              ooms++;
              return { message: `simulated: no room for ${biggest} bytes` } as GpuError;
            }
            return real;
          },
          destroy: () => d.destroy(),
        };
        return wrapped;
      },
    };
  };
  return { factory, ooms: () => ooms };
}

function copyLimits(l: GpuLimits): GpuLimits {
  return {
    maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
    maxBufferSize: l.maxBufferSize,
    maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
    maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
    maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
    minUniformBufferOffsetAlignment: l.minUniformBufferOffsetAlignment,
  };
}

test("a device with small limits (buffer sizes, workgroups per dimension): batches are split and dispatched in 2D, same bytes", async () => {
  requireCapability("webgpu", HAVE);
  const big = Array.from({ length: 9 }, (_, i) => syntheticImage(80, 60, 3, i));
  const ref = await applyBatch(train, big, { seed: 6 });
  const c = constrained({ maxStorageBufferBindingSize: 48 * 1024, maxBufferSize: 64 * 1024, maxComputeWorkgroupsPerDimension: 3 });
  setAdapterFactory(c.factory);
  try {
    const got = await applyBatch(train, big, { seed: 6, backend: "webgpu" });
    assert.ok(got.submissions! >= 3, `split into ${got.submissions} submissions`);
    assert.is(firstDifference(batchBytes(got), batchBytes(ref)), null);
    // One 300x300 image needs more than 48 KiB: refused under 'webgpu', wasm under 'auto'.
    const huge = [syntheticImage(300, 300, 3, 0)];
    await rejects(
      applyBatch(train, huge, { seed: 6, backend: "webgpu" }),
      Error,
      /sample 0 needs .* over this device's limit of 49152 bytes/,
    );
    assert.is((await applyBatch(train, huge, { seed: 6, backend: "auto" })).backend, "wasm");
  } finally {
    setAdapterFactory(null);
  }
});

test("out of GPU memory: the chunk is halved and retried until it fits; a single sample that cannot fit is an error", async () => {
  requireCapability("webgpu", HAVE);
  const big = Array.from({ length: 8 }, (_, i) => syntheticImage(80, 60, 3, i));
  const ref = await applyBatch(train, big, { seed: 8 });
  // Buffers over 60 KB "fail": about two samples (26 KB each) per chunk fit.
  const c = constrained({ maxStorageBufferBindingSize: 2 ** 27, maxBufferSize: 2 ** 27, maxComputeWorkgroupsPerDimension: 65535 }, 60_000);
  setAdapterFactory(c.factory);
  try {
    const got = await applyBatch(train, big, { seed: 8, backend: "webgpu" });
    assert.ok(c.ooms() >= 1, "simulated out-of-memory errors");
    assert.ok(got.submissions! >= 4, `${got.submissions} submissions after halving`);
    assert.is(firstDifference(batchBytes(got), batchBytes(ref)), null);
  } finally {
    setAdapterFactory(null);
  }
  const tiny = constrained({ maxStorageBufferBindingSize: 2 ** 27, maxBufferSize: 2 ** 27, maxComputeWorkgroupsPerDimension: 65535 }, 100);
  setAdapterFactory(tiny.factory);
  try {
    await rejects(
      applyBatch(train, big.slice(0, 2), { seed: 8, backend: "webgpu" }),
      Error,
      /the GPU ran out of memory on sample 0 alone \(simulated/,
    );
  } finally {
    setAdapterFactory(null);
  }
});

test("a device destroyed mid-batch: the batch rejects with a device-lost error (no hang, no result), the next batch opens a new device", async () => {
  requireCapability("webgpu", HAVE);
  const before = await gpuBackend();
  setGpuTestHooks({ afterSubmit: (device) => device.destroy() });
  try {
    const e = await within(
      rejects(applyBatch(train, images, { seed: 1, backend: "webgpu" }), GpuDeviceLostError, /WebGPU device was lost \(destroyed/),
      20000,
    );
    assert.match(e.message, /no result was produced/);
    // 'auto' does not hide a lost device either: results were promised from the GPU.
  } finally {
    setGpuTestHooks({ afterSubmit: null });
  }
  const res = await within(applyBatch(train, images, { seed: 1, backend: "webgpu" }), 20000);
  assert.is(res.backend, "webgpu");
  assert.ok((await gpuBackend()) !== before, "a new device");
  assert.is(firstDifference(batchBytes(res), batchBytes(await applyBatch(train, images, { seed: 1 }))), null);
});

test("a device lost while idle, and a device lost on a split batch's second submission", async () => {
  requireCapability("webgpu", HAVE);
  const b = (await gpuBackend())!;
  b.device.destroy();
  await within(b.lost, 20000);
  const res = await within(applyBatch(train, images, { seed: 3, backend: "webgpu" }), 20000);
  assert.is(res.backend, "webgpu");
  let n = 0;
  setGpuTestHooks({ afterSubmit: (device) => void (++n === 2 && device.destroy()) });
  try {
    const four = [...images, ...images];
    const out = new Float32Array(4 * 3 * 24 * 24);
    await within(
      rejects(applyBatch(train, four, { seed: 3, backend: "webgpu", maxChunkBytes: 24_000, out }), GpuDeviceLostError, /device was lost/),
      20000,
    );
    assert.ok(n >= 2, "split into several submissions");
  } finally {
    setGpuTestHooks({ afterSubmit: null });
  }
  assert.is((await applyBatch(train, images, { seed: 3, backend: "webgpu" })).backend, "webgpu");
});

test("releaseGpu closes the device; the next call opens another", async () => {
  requireCapability("webgpu", HAVE);
  const a = await gpuBackend();
  releaseGpu();
  const res = await applyBatch(train, images, { seed: 4, backend: "webgpu" });
  assert.is(res.backend, "webgpu");
  assert.ok((await gpuBackend()) !== a);
});

test("bad batch options are TypeErrors/RangeErrors naming the option", async () => {
  await rejects(
    applyBatch(train, images, { seed: 1, backend: "cuda" as "wasm" }),
    RangeError,
    /backend must be "wasm", "webgpu" or "auto", got "cuda"/,
  );
  await rejects(applyBatch(train, [], { seed: 1 }), RangeError, /images must not be empty/);
  await rejects(applyBatch(train, "x" as unknown as Image[], { seed: 1 }), TypeError, /images must be an array/);
  await rejects(applyBatch(train, images), TypeError, /Compose draws random parameters and no randomness was given/);
  await rejects(
    applyBatch(train, images, { seed: 1, indices: [1] }),
    RangeError,
    /indices must be an array with one index per image \(2\)/,
  );
  await rejects(applyBatch(train, images, { seed: 1, indices: [1, -1] }), RangeError, /indices\[1\] must be a non-negative integer/);
  await rejects(applyBatch(train, images, { seed: -1 }), RangeError, /seed must be a non-negative integer/);
  await rejects(applyBatch(train, images, { seed: 1, generator: new Generator(1) }), TypeError, /either seed or generator/);
  await rejects(applyBatch(train, images, { generator: new Generator(1), indices: [0, 1] }), TypeError, /indices and epoch go with a seed/);
  await rejects(
    applyBatch(train, [images[0]!, { ...images[1]!, data: new Uint8Array(3) }], { seed: 1 }),
    RangeError,
    /images\[1\]\.data has 3 bytes/,
  );
  await rejects(
    applyBatch(train, images, { seed: 1, out: new Float32Array(5) }),
    RangeError,
    /out has length 5, but this batch needs 3456 \(2 x 3 x 24 x 24\)/,
  );
  await rejects(
    applyBatch(train, images, { seed: 1, out: new Uint8Array(3456) as unknown as Float32Array }),
    TypeError,
    /out must be a Float32Array of length 3456/,
  );
  // NCHW needs one shape: ToTensor of images of two sizes.
  await rejects(
    applyBatch(new ToTensor(), [images[0]!, syntheticImage(10, 10, 3, 0)]),
    RangeError,
    /images\[1\]'s result has shape \[3, 10, 10\] but images\[0\]'s has \[3, 30, 40\]/,
  );
  // output "gpu" and device: misuse is named before any pixel work.
  const gpuOut = { seed: 1, output: "gpu" } as const;
  await rejects(applyBatch(train, images, gpuOut), TypeError, /output "gpu" needs backend "webgpu" \(got "wasm"\)/);
  await rejects(applyBatch(train, images, { ...gpuOut, backend: "auto" }), TypeError, /output "gpu" needs backend "webgpu" \(got "auto"\)/);
  await rejects(applyBatch(train, images, { seed: 1, output: "disk" as "gpu" }), RangeError, /output must be "host" or "gpu", got "disk"/);
  await rejects(
    applyBatch(new RandomCrop(12), images, { ...gpuOut, backend: "webgpu" }),
    TypeError,
    /output "gpu" needs a pipeline that ends in a tensor/,
  );
  await rejects(
    applyBatch(new ToTensor(), [images[0]!, syntheticImage(10, 10, 3, 0)], { output: "gpu", backend: "webgpu" }),
    RangeError,
    /images\[1\]'s result has shape \[3, 10, 10\] but images\[0\]'s has \[3, 30, 40\]/,
  );
  await rejects(
    applyBatch(train, images, { ...gpuOut, backend: "webgpu", out: new Float32Array(3456) }),
    TypeError,
    /out and output "gpu" exclude each other/,
  );
  await rejects(
    applyBatch(train, [{ image: images[0]!, labels: [1] }] as never[], { ...gpuOut, backend: "webgpu" }),
    TypeError,
    /output "gpu" takes images, not samples/,
  );
  await rejects(applyBatch(train, images, { seed: 1, backend: "webgpu", device: {} }), TypeError, /device must be a GPUDevice, got/);
  await rejects(
    applyBatch(train, images, { seed: 1, device: (await gpuBackend())?.device ?? { createBuffer() {}, queue: {} } }),
    TypeError,
    /device is for backend "webgpu" or "auto"; backend "wasm" never uses a GPU/,
  );
  // mix: a MixUp / CutMix on a CHW tensor batch.
  await rejects(
    applyBatch(new RandomCrop(12), images, { seed: 1, mix: { transform: new CutMix({ numClasses: 2 }), labels: [0, 1] } }),
    TypeError,
    /mix \(CutMix\) needs a batch of CHW tensors \(end the pipeline with ToTensor or Normalize\), got images/,
  );
  await rejects(
    applyBatch(train, images, { seed: 1, mix: { transform: {}, labels: [0, 1] } as never }),
    TypeError,
    /mix must be \{ transform: a MixUp or CutMix/,
  );
  await rejects(
    applyBatch(train, images, { seed: 1, backend: "webgpu", mix: { transform: new MixUp({ numClasses: 2 }), labels: [0, 2] } }),
    RangeError,
    /MixUp: labels\[1\] must be a class index in \[0, 2\), got 2/,
  );
  // Validation happens before any GPU work: the same errors under 'webgpu'.
  await rejects(applyBatch(train, images, { seed: 1, indices: [1], backend: "webgpu" }), RangeError, /indices must be an array/);
});

test.run();

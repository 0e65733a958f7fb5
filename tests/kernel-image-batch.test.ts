// applyBatch takes KernelImages beside plain images. Oracle: the same batch of plain images
// (their toImage() copies). The wasm backend reads kernel images in place and leaves them as
// they were; WebGPU (Dawn on SwiftShader here: tests/helpers/gpu-env.ts) copies them out before
// it awaits the device, so disposing one right after the call changes nothing; an unusable one
// is refused, naming it, before any pixel work.
import "./helpers/gpu-env.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  ready,
  toKernel,
  CenterCrop,
  ColorJitter,
  Compose,
  Normalize,
  RandomHorizontalFlip,
  RandomResizedCrop,
  ToTensor,
  type Image,
  type KernelImage,
  type Tensor,
} from "../src/index.js";
import { gpuBackend, releaseGpu } from "../src/gpu/device.js";

await ready();

/** A w x h image of `c` channels whose bytes differ from pixel to pixel and image to image. */
function synthetic(w: number, h: number, c: 1 | 3 | 4, salt: number): Image {
  const data = new Uint8Array(w * h * c);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31 + salt * 97 + ((i / c) | 0) * 7) & 255;
  return { width: w, height: h, channels: c, data };
}

const plain = [synthetic(64, 48, 3, 1), synthetic(50, 70, 3, 2), synthetic(33, 33, 3, 3), synthetic(80, 40, 3, 4)];

const TENSOR = new Compose([
  new RandomResizedCrop(24),
  new RandomHorizontalFlip(),
  new ToTensor(),
  new Normalize([0.5, 0.4, 0.3], [0.2, 0.3, 0.4]),
]);
const IMAGES = new Compose([new ColorJitter(0.4, 0.4, 0.4, 0.1), new RandomHorizontalFlip()]);
const FIXED = new Compose([new CenterCrop(24), new ColorJitter(0.3, 0.3), new ToTensor()]);

/** Kernel copies of images 1 and 3, plain 0 and 2: a mixed batch. */
function mixed(): { batch: (Image | KernelImage)[]; kept: KernelImage[] } {
  const kept = [toKernel(plain[1]!), toKernel(plain[3]!)];
  return { batch: [plain[0]!, kept[0]!, plain[2]!, kept[1]!], kept };
}

function sameBytes(a: Uint8Array | Float32Array, b: Uint8Array | Float32Array, what: string): void {
  assert.is(a.length, b.length, `${what}: length`);
  const ua = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const ub = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  let first = -1;
  for (let i = 0; i < ua.length && first < 0; i++) if (ua[i] !== ub[i]) first = i;
  assert.is(first, -1, `${what}: first differing byte`);
}

test("wasm: a tensor batch with kernel images equals the batch of their plain copies, and the kernel images are unchanged", async () => {
  const { batch, kept } = mixed();
  const before = kept.map((k) => k.toImage().data);
  const want = await TENSOR.applyBatch(plain, { seed: 7, epoch: 2, indices: [5, 6, 7, 8] });
  const got = await TENSOR.applyBatch(batch, { seed: 7, epoch: 2, indices: [5, 6, 7, 8] });
  assert.is(got.backend, "wasm");
  sameBytes((got.output as Tensor).data, (want.output as Tensor).data, "NCHW batch");
  assert.equal((got.output as Tensor).shape, [4, 3, 24, 24]);
  kept.forEach((k, i) => sameBytes(k.pixels, before[i]!, `kernel image ${i} after the batch`));
  // And into the caller's out.
  const out = new Float32Array(4 * 3 * 24 * 24);
  await TENSOR.applyBatch(batch, { seed: 7, epoch: 2, indices: [5, 6, 7, 8], out });
  sameBytes(out, (want.output as Tensor).data, "out");
  kept.forEach((k) => k.dispose());
});

test("wasm: an image batch (one image per input, each its own size) with kernel images equals the plain batch", async () => {
  const { batch, kept } = mixed();
  const want = (await IMAGES.applyBatch(plain, { seed: 3 })).output as Image[];
  const got = (await IMAGES.applyBatch(batch, { seed: 3 })).output as Image[];
  assert.is(got.length, 4);
  got.forEach((g, i) => {
    assert.equal([g.width, g.height, g.channels], [want[i]!.width, want[i]!.height, want[i]!.channels]);
    sameBytes(g.data, want[i]!.data, `image ${i}`);
  });
  kept.forEach((k) => k.dispose());
});

test("a disposed kernel image is refused before any pixel work, naming its index", async () => {
  const { batch, kept } = mixed();
  kept[1]!.dispose();
  const out = new Float32Array(4 * 3 * 24 * 24).fill(-1);
  const err = await TENSOR.applyBatch(batch, { seed: 1, out }).then(
    () => null,
    (e: Error) => e,
  );
  assert.match(String(err), /images\[3\]: this KernelImage \(80x40x3\) was disposed/);
  assert.ok(
    out.every((v) => v === -1),
    "nothing written",
  );
  kept[0]!.dispose();
});

test("webgpu: kernel images give the plain batch's bytes, even when disposed right after the call", async () => {
  const gpu = await gpuBackend();
  assert.ok(gpu, "a WebGPU adapter (SwiftShader in CI: tests/helpers/gpu-env.ts)");
  const { batch, kept } = mixed();
  const want = await FIXED.applyBatch(plain, { seed: 11 });
  const pending = FIXED.applyBatch(batch, { seed: 11, backend: "webgpu" });
  kept.forEach((k) => k.dispose()); // the call copied them out before awaiting the device
  const got = await pending;
  assert.is(got.backend, "webgpu");
  sameBytes((got.output as Tensor).data, (want.output as Tensor).data, "NCHW batch on the GPU");
  releaseGpu();
});

test.run();

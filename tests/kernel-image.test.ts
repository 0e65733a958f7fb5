// KernelImage: images that live in kernel memory. Oracle: the same call on plain images. Every
// op family (F ops and transforms: resampler passes, in-kernel colour chains, windows, warps,
// filters, JPEG, tensors, the identity) gives the same bytes with a KernelImage input, a
// KernelImage out, both, and out aliasing the input; decodeToKernel gives decodeSync's bytes;
// misuse (after dispose, twice disposed, a replaced kernel, a wrong size, a tensor result, a
// plain-only function) is a clear error.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import {
  ready,
  resetKernel,
  F,
  kernelImage,
  toKernel,
  isKernelImage,
  KernelImage,
  AugMix,
  AutoAugment,
  CenterCrop,
  ColorJitter,
  Compose,
  ElasticTransform,
  GaussianBlur,
  Grayscale,
  Identity,
  JPEG,
  Normalize,
  Pad,
  RandomAffine,
  RandomEqualize,
  RandomHorizontalFlip,
  RandomPosterize,
  RandomResizedCrop,
  RandomRotation,
  RandomVerticalFlip,
  Resize,
  ToTensor,
  type Image,
  type Tensor,
  type Transform,
} from "../src/index.js";
import { decodeSync, decodeToKernel, encodePng } from "../src/io/index.js";
import { kernel } from "../src/kernel/instance.js";
import { MEAN, STD, synthetic } from "./helpers/recipes.js";

await ready();

/** A KernelImage where the F typings name an Image (every F op takes one at run time). */
const asImg = (k: KernelImage) => k as unknown as Image;
const same = (a: Uint8Array | Float32Array, b: Uint8Array | Float32Array, what: string) => {
  assert.is(a.length, b.length, `${what}: length`);
  const i = a.findIndex((v, j) => !Object.is(v, b[j]));
  assert.is(i, -1, `${what}: first difference at ${i}`);
};
const shapeOf = (x: Image | Tensor) => ("shape" in x ? x.shape : [x.height, x.width, x.channels]);

type Op = (x: Image, opts?: { out: Uint8Array | KernelImage }) => Image | Tensor | Image[] | Tensor[];
const quad: [number, number][] = [
  [0, 0],
  [40, 2],
  [38, 30],
  [1, 33],
];
const quad2: [number, number][] = [
  [2, 1],
  [41, 0],
  [40, 33],
  [0, 31],
];
/** One call of every F op family on an image, with an options object last (for `out`). */
const OPS: Record<string, Op> = {
  hflip: (x, o) => F.hflip(x, o as { out?: Uint8Array }),
  vflip: (x, o) => F.vflip(x, o as { out?: Uint8Array }),
  crop: (x, o) => F.crop(x, 3, -2, 20, 30, o as { out?: Uint8Array }),
  centerCrop: (x, o) => F.centerCrop(x, 20, o as { out?: Uint8Array }),
  pad: (x, o) => F.pad(x, [2, 3, 4, 5], { paddingMode: "reflect", ...(o as object) }),
  resize: (x, o) => F.resize(x, [20, 30], o as { out?: Uint8Array }),
  resizedCrop: (x, o) => F.resizedCrop(x, 2, 3, 20, 25, [16, 16], o as { out?: Uint8Array }),
  resizedCropOutside: (x, o) => F.resizedCrop(x, -3, -2, 20, 25, [16, 16], o as { out?: Uint8Array }),
  padToSize: (x, o) => F.pad(x, 0, o as { out?: Uint8Array }),
  brightness: (x, o) => F.adjustBrightness(x, 1.3, o as { out?: Uint8Array }),
  contrast: (x, o) => F.adjustContrast(x, 0.7, o as { out?: Uint8Array }),
  saturation: (x, o) => F.adjustSaturation(x, 1.5, o as { out?: Uint8Array }),
  hue: (x, o) => F.adjustHue(x, 0.1, o as { out?: Uint8Array }),
  gamma: (x, o) => F.adjustGamma(x, 0.8, undefined, o as { out?: Uint8Array }),
  sharpness: (x, o) => F.adjustSharpness(x, 2, o as { out?: Uint8Array }),
  grayscale: (x, o) => F.rgbToGrayscale(x, 3, o as { out?: Uint8Array }),
  invert: (x, o) => F.invert(x, o as { out?: Uint8Array }),
  posterize: (x, o) => F.posterize(x, 3, o as { out?: Uint8Array }),
  solarize: (x, o) => F.solarize(x, 100, o as { out?: Uint8Array }),
  autocontrast: (x, o) => F.autocontrast(x, o as { out?: Uint8Array }),
  equalize: (x, o) => F.equalize(x, o as { out?: Uint8Array }),
  permute: (x, o) => F.permuteChannels(x, [2, 0, 1], o as { out?: Uint8Array }),
  blur: (x, o) => F.gaussianBlur(x, 5, undefined, o as { out?: Uint8Array }),
  noise: (x, o) => F.gaussianNoise(x, { key: [1, 2], ...(o as object) }),
  rotate: (x, o) => F.rotate(x, 30, o as { out?: Uint8Array }),
  affine: (x, o) => F.affine(x, { angle: 10, translate: [1, 2], scale: 1.1, shear: [3, 0], ...(o as object) }),
  perspective: (x, o) => F.perspective(x, quad, quad2, o as { out?: Uint8Array }),
  jpeg: (x, o) => F.jpeg(x, 75, o as { out?: Uint8Array }),
  toTensor: (x, o) => F.toTensor(x, o as unknown as { out?: Float32Array }),
  fiveCrop: (x) => F.fiveCrop(x, 12),
};

const flat = (r: Image | Tensor | Image[] | Tensor[]) => (Array.isArray(r) ? r : [r]);

for (const channels of [3, 4, 1] as const) {
  test(`every F op family: the same bytes with a KernelImage input, out, both, and out = input (${channels} channels)`, () => {
    const img = synthetic(41, 34, channels, 5);
    const names = Object.keys(OPS).filter(
      (n) => channels === 3 || !["saturation", "hue", "grayscale", "permute", ...(channels === 4 ? ["jpeg"] : [])].includes(n),
    );
    for (const name of names) {
      const op = OPS[name]!;
      const plain = flat(op(img));
      const k = toKernel(img);
      // Input in kernel memory.
      const fromK = flat(op(asImg(k)));
      plain.forEach((p, i) => same(fromK[i]!.data, p.data, `${name} KernelImage input`));
      same(k.pixels, img.data, `${name} leaves its KernelImage input as it was`);
      const r = plain[0]!;
      if (plain.length === 1 && !("shape" in r)) {
        const out = kernelImage(r.height, r.width, r.channels);
        assert.is(op(img, { out }), out, `${name} returns its KernelImage out`);
        same(out.pixels, r.data, `${name} plain input, KernelImage out`);
        out.pixels.fill(7);
        op(asImg(k), { out });
        same(out.pixels, r.data, `${name} KernelImage input and out`);
        if (r.width === img.width && r.height === img.height && r.channels === channels) {
          op(asImg(k), { out: k });
          same(k.pixels, r.data, `${name} out aliasing the input`);
        }
        out.dispose();
      } else if (!Array.isArray(plain) || plain.length === 1) {
        const out = kernelImage(img.height, img.width, channels);
        assert.throws(
          () => op(asImg(k), { out }),
          (e: Error) => e instanceof TypeError && /KernelImage/.test(e.message),
          name,
        );
        out.dispose();
      }
      k.dispose();
    }
  });
}

test("flips: kernel or plain input, kernel, plain, aliased or no out, every channel count and odd sizes", () => {
  for (const [w, h, c] of [
    [1, 1, 1],
    [37, 5, 3],
    [5, 300, 4],
    [503, 377, 3],
  ] as const) {
    const img = synthetic(w, h, c, w);
    for (const flip of [F.hflip, F.vflip]) {
      const want = flip(img).data;
      const k = toKernel(img);
      const out = kernelImage(h, w, c);
      same(flip(asImg(k)).data, want, `${flip.name} ${w}x${h}x${c} kernel in`);
      same(flip(asImg(k), { out: new Uint8Array(w * h * c) }).data, want, `${flip.name} kernel in, array out`);
      assert.is(flip(k, { out }), out);
      same(out.pixels, want, `${flip.name} kernel in and out`);
      out.pixels.fill(0);
      flip(img, { out });
      same(out.pixels, want, `${flip.name} plain in, kernel out`);
      flip(k, { out: k });
      same(k.pixels, want, `${flip.name} in place`);
      k.dispose();
      out.dispose();
    }
  }
});

/** Pipelines covering each way execute runs a step. */
const PIPELINES: [string, () => Transform][] = [
  [
    "train (resampler pass to a tensor)",
    () => new Compose([new RandomResizedCrop(24), new RandomHorizontalFlip(), new ToTensor(), new Normalize(MEAN, STD)]),
  ],
  [
    "crop + flips (resampler pass to an image)",
    () => new Compose([new RandomResizedCrop([20, 26]), new RandomHorizontalFlip(), new RandomVerticalFlip()]),
  ],
  ["flip alone", () => new RandomHorizontalFlip(1)],
  ["colour chain", () => new ColorJitter(0.4, 0.4, 0.4, 0.1)],
  ["colour chain of three", () => new Compose([new Grayscale(3), new RandomPosterize(3, 1), new RandomEqualize(1)])],
  ["colour then warp and blur", () => new Compose([new ColorJitter(0.3, 0.3), new RandomRotation(20), new GaussianBlur(3)])],
  ["pad then crop (a window)", () => new Compose([new Pad(3, { paddingMode: "reflect" }), new CenterCrop([30, 44])])],
  ["resize then colour", () => new Compose([new Resize([30, 30]), new ColorJitter(0.5)])],
  ["affine", () => new RandomAffine(15, { translate: [0.1, 0.1], scale: [0.9, 1.1] })],
  ["elastic", () => new ElasticTransform(20, 3)],
  ["jpeg", () => new JPEG([50, 90])],
  ["autoaugment", () => new AutoAugment()],
  ["augmix", () => new AugMix()],
  ["identity", () => new Identity()],
  ["empty compose", () => new Compose([])],
];

for (const [name, make] of PIPELINES) {
  test(`apply: the same bytes with a KernelImage input, out, both and out = input: ${name}`, () => {
    const t = make();
    const img = synthetic(45, 38, 3, 9);
    for (let index = 0; index < 6; index++) {
      const key = { seed: 11, index };
      const plain = t.apply(img, key) as Image | Tensor;
      const k = toKernel(img);
      const fromK = t.apply(k, key) as Image | Tensor;
      assert.equal(shapeOf(fromK), shapeOf(plain));
      same(fromK.data, plain.data, `${name} #${index} KernelImage input`);
      if ("shape" in plain) {
        const o = new Float32Array(plain.data.length);
        t.apply(k, { ...key, out: o });
        same(o, plain.data, `${name} #${index} KernelImage input, Float32Array out`);
        const bad = kernelImage(img.height, img.width, 3);
        assert.throws(() => t.apply(k, { ...key, out: bad }), /KernelImage, but this output is a tensor/);
        bad.dispose();
      } else {
        const out = kernelImage(plain.height, plain.width, plain.channels);
        assert.is(t.apply(img, { ...key, out }), out);
        same(out.pixels, plain.data, `${name} #${index} KernelImage out`);
        out.pixels.fill(1);
        assert.is(t.apply(k, { ...key, out }), out);
        same(out.pixels, plain.data, `${name} #${index} KernelImage input and out`);
        if (plain.width === img.width && plain.height === img.height) {
          t.apply(k, { ...key, out: k });
          same(k.pixels, plain.data, `${name} #${index} out aliasing the input`);
        }
        out.dispose();
      }
      k.dispose();
    }
  });
}

test("sample() and replay() take a KernelImage: the same params and bytes", () => {
  const t = new Compose([new RandomResizedCrop(20), new ColorJitter(0.4, 0.4)]);
  const img = synthetic(40, 30, 3, 2);
  const k = toKernel(img);
  assert.equal(t.sample(k, { seed: 3, index: 4 }), t.sample(img, { seed: 3, index: 4 }));
  const { output, record } = t.applyWithRecord(img, { seed: 3, index: 4 });
  const out = kernelImage(20, 20, 3);
  t.replay(asImg(k), record, { out });
  same(out.pixels, (output as Image).data, "replay");
  k.dispose();
  out.dispose();
});

test("decodeToKernel: decodeSync's bytes for PNG and JPEG, every mode", async () => {
  const files = [readFileSync("samples/rocket.jpg"), await encodePng(synthetic(33, 21, 4, 1))];
  for (const bytes of files) {
    for (const mode of ["RGB", "L", "RGBA"] as const) {
      const want = decodeSync(bytes, { mode });
      const k = decodeToKernel(bytes, { mode });
      assert.ok(isKernelImage(k));
      assert.equal([k.width, k.height, k.channels], [want.width, want.height, want.channels]);
      same(k.pixels, want.data, `decodeToKernel ${mode}`);
      same(k.toImage().data, want.data, `toImage ${mode}`);
      k.dispose();
    }
  }
  const live = kernel().arena.heap.count;
  assert.throws(() => decodeToKernel(readFileSync("samples/rocket.jpg").subarray(0, 5000)), /decode/);
  // A failed decode frees what it took.
  assert.is(kernel().arena.heap.count, live);
});

test("a chain decode → transform → transform → read stays in kernel memory and gives the plain bytes", async () => {
  const bytes = readFileSync("samples/rocket.jpg");
  const img = decodeSync(bytes);
  const a = new RandomResizedCrop(64);
  const b = new ColorJitter(0.4, 0.4, 0.4);
  const want = b.apply(a.apply(img, { seed: 1 }), { seed: 2 });
  using k = decodeToKernel(bytes);
  using k1 = kernelImage(64, 64, 3);
  using k2 = kernelImage(64, 64, 3);
  a.apply(k, { seed: 1, out: k1 });
  b.apply(k1, { seed: 2, out: k2 });
  same(k2.pixels, want.data, "chain");
});

test("pixels is made on each read: a view kept across memory growth dies (reads as empty), a new read is valid", () => {
  const img = synthetic(64, 64, 3, 3);
  const k = toKernel(img);
  const old = k.pixels;
  const before = kernel().exports.memory.buffer.byteLength;
  kernel().exports.memory.grow(1); // what any call may do
  assert.ok(kernel().exports.memory.buffer.byteLength > before, "memory grew");
  assert.is(old.length, 0, "the old view is detached");
  same(k.pixels, img.data, "a fresh view");
  k.dispose();
});

test("misuse is a clear error: after dispose, twice disposed, a replaced kernel, a wrong out, a plain-only function, no constructor", async () => {
  const img = synthetic(20, 10, 3);
  const k = toKernel(img);
  k.dispose();
  assert.ok(k.disposed);
  assert.throws(() => k.pixels, /was disposed/);
  assert.throws(() => k.toImage(), /was disposed/);
  assert.throws(() => F.hflip(k), /img: this KernelImage \(20x10x3\) was disposed/);
  assert.throws(() => new Identity().apply(k), /input: this KernelImage .* was disposed/);
  assert.throws(() => new RandomHorizontalFlip(1).apply(img, { seed: 1, out: k }), /out: this KernelImage .* was disposed/);
  assert.throws(() => F.adjustBrightness(asImg(k), 1.2), /was disposed/);
  assert.throws(() => k.dispose(), /already disposed/);
  const small = kernelImage(3, 3, 3);
  assert.throws(() => F.hflip(img, { out: small }), /out is a 3x3x3 KernelImage, but this output is 20x10x3/);
  assert.throws(() => new ColorJitter(0.5).apply(img, { seed: 1, out: small }), /out is a 3x3x3 KernelImage/);
  const refused = await encodePng(asImg(small)).then(
    () => null,
    (e: Error) => e,
  );
  assert.match(String(refused), /TypeError: this function takes a plain Image, not a KernelImage/);
  assert.throws(() => new (KernelImage as unknown as new () => unknown)(), /no public constructor/);
  assert.throws(() => kernelImage(0, 3), /height must be an integer/);
  assert.throws(() => kernelImage(3, 3, 2 as 3), /channels must be 1, 3 or 4/);
  // A kernel replaced by resetKernel(): its images' memory is gone.
  const kept = toKernel(img);
  await resetKernel();
  assert.ok(kept.disposed);
  assert.throws(() => kept.pixels, /resetKernel\(\) replaced/);
  assert.throws(() => F.hflip(kept), /resetKernel\(\) replaced/);
  kept.dispose(); // nothing to free: allowed once
  assert.throws(() => kept.dispose(), /already disposed/);
  small.dispose();
});

test.run();

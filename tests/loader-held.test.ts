// The Loader decodes PNG and JPEG files into kernel memory and the pipeline's first pass reads
// them there. Oracle: the plain path, `decode(bytes, { mode })` then `pipeline.apply(image, key)`,
// per sample, on real files (4:2:0, 4:1:1, 4:4:4, progressive, CMYK, grey JPEGs; palette, 16-bit,
// RGBA PNGs; a BMP, which keeps the plain path): the batches must hold exactly those bytes, for
// pipelines whose first step is a resampler pass, an in-kernel colour chain, an op with neither,
// or nothing at all.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ready,
  Compose,
  RandomResizedCrop,
  RandomHorizontalFlip,
  ToTensor,
  ColorJitter,
  CenterCrop,
  Pad,
  RandomRotation,
  type Image,
  type Tensor,
} from "../src/index.js";
import { decode, decodeSync, type DecodeMode } from "../src/io/index.js";
import { decodeHeld } from "../src/io/decode.js";
import { execute, lower } from "../src/ir/execute.js";
import { kernel, kernelMemory } from "../src/kernel/instance.js";
import { checkedOps, type Transform } from "../src/transforms/base.js";
import { FileDataset, Loader, type Batch } from "../src/data/index.js";
import { codecPath, LOADER_JPEGS, SAMPLE_PHOTOS, sha } from "./helpers/loader-util.js";
import { train } from "./helpers/recipes.js";

await ready();

const FILES = [
  ...LOADER_JPEGS,
  codecPath("jpeg/grey_odd.jpg"),
  codecPath("png/ct0-d16-70x70.png"),
  ...SAMPLE_PHOTOS,
  codecPath("other/rgb-24bit.bmp"),
];
const rgbaPng = readdirPng((n) => /^ct6-d8-/.test(n));
const palettePng = readdirPng((n) => /^ct3-d8-/.test(n));
FILES.push(rgbaPng, palettePng);

function readdirPng(want: (name: string) => boolean): string {
  const dir = codecPath("png");
  const names = readdirSync(dir)
    .filter(want)
    .sort()
    .filter((n) => {
      const img = decodeSync(readFileSync(join(dir, n)));
      return img.width >= 24 && img.height >= 24;
    });
  if (names.length === 0) throw new Error("no PNG in tests/codec/png matches");
  return join(dir, names[0]!);
}

const KEY = { seed: 5, epoch: 2 };
const recipe = train;

/** The plain path's bytes for the whole epoch: each sample decoded, then apply, in loader order. */
async function reference(pipeline: Transform, order: number[], mode: DecodeMode): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const i of order) {
    const img = await decode(readFileSync(FILES[i]!), { mode });
    const y = pipeline.apply(img, { ...KEY, index: i }) as Image | Tensor;
    out.push(new Uint8Array(y.data.buffer, y.data.byteOffset, y.data.byteLength).slice());
  }
  return out;
}

/** Every batch's bytes, cut per sample, and the order the loader visited the dataset in. */
async function loaded(loader: Loader): Promise<{ order: number[]; samples: Uint8Array[] }> {
  const order: number[] = [];
  const samples: Uint8Array[] = [];
  for await (const b of loader as AsyncIterable<Batch>) {
    order.push(...b.indices);
    for (const s of b.samples) samples.push(new Uint8Array(s.data.buffer, s.data.byteOffset, s.data.byteLength).slice());
  }
  return { order, samples };
}

const pipelines: [string, () => Transform, DecodeMode, boolean][] = [
  ["training recipe (the first pass reads the held image at the crop's offset)", () => recipe(48), "RGB", true],
  ["grey files as L through the recipe's crop", () => new Compose([new RandomResizedCrop(40), new RandomHorizontalFlip()]), "L", true],
  [
    "a colour chain first (the in-kernel chain reads the held image)",
    () => new Compose([new ColorJitter(0.4, 0.4, 0.4), new CenterCrop(20), new ToTensor()]),
    "RGB",
    true,
  ],
  [
    "an op with no in-kernel form first (the held image is copied out)",
    () => new Compose([new RandomRotation(20), new CenterCrop(16)]),
    "RGBA",
    true,
  ],
  ["a pipeline with no pixel work (the held image is copied out as it is)", () => new Compose([new Pad(0)]), "keep", false],
];

for (const [name, make, mode, stack] of pipelines) {
  test(`${name}: the bytes of decode + apply, file by file`, async () => {
    const pipeline = make();
    const loader = new Loader(new FileDataset(FILES, { mode }), { pipeline, batchSize: 4, shuffle: true, ...KEY, stack });
    const got = await loaded(loader);
    assert.equal(
      [...got.order].sort((a, b) => a - b),
      FILES.map((_, i) => i),
    );
    const want = await reference(pipeline, got.order, mode);
    for (const [j, i] of got.order.entries()) assert.ok(sha(got.samples[j]!) === sha(want[j]!), `${FILES[i]} (${mode}) differs`);
  });
}

test("a worker decodes into its own kernel memory: the same bytes as inline", async () => {
  const ds = new FileDataset(FILES.slice(0, 6));
  const hash = async (workers: number) => {
    const loader = new Loader(ds, { pipeline: recipe(32), batchSize: 3, ...KEY, workers });
    const h: string[] = [];
    for await (const b of loader) h.push(`${b.indices.join(",")}:${sha(b.data)}`);
    await loader.close();
    return h;
  };
  assert.equal(await hash(1), await hash(0));
});

test("400 random crops of one photo, read in place: the bytes of the copied image", () => {
  const bytes = readFileSync(FILES[0]!);
  const img = decodeSync(bytes, { mode: "RGB" });
  const pipeline = new Compose([new RandomResizedCrop(32, { scale: [0.01, 1] }), new RandomHorizontalFlip(), new ToTensor()]);
  const meta = { kind: "image" as const, width: img.width, height: img.height, channels: img.channels };
  let edges = 0;
  for (let index = 0; index < 400; index++) {
    const params = pipeline.sample(img, { seed: 9, index });
    const ops = checkedOps(pipeline, params, meta);
    const plan = lower(meta, ops).steps[0]!;
    if (
      plan.kind === "resample" &&
      (plan.plan.box.left + plan.plan.box.width === img.width || plan.plan.box.top + plan.plan.box.height === img.height)
    )
      edges++;
    const want = execute(img, ops) as Tensor;
    let got: Tensor;
    try {
      got = execute(decodeHeld(bytes, { mode: "RGB" }), ops) as Tensor;
    } finally {
      kernel().arena.release();
    }
    if (sha(got.data) !== sha(want.data)) assert.unreachable(`crop ${index} (${JSON.stringify(params)}) differs`);
  }
  assert.ok(edges > 0, "some crops touch the right or bottom edge");
});

test("a file whose header is good but whose data is cut: a decode failure with decode's message; skip keeps the rest exact and memory flat", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lockstep-held-"));
  try {
    const good = readFileSync(FILES[0]!);
    const cut = join(dir, "cut.jpg");
    writeFileSync(cut, good.subarray(0, Math.floor(good.length / 2)));
    const files = [FILES[2]!, cut, FILES[3]!];
    let message = "";
    try {
      await decode(readFileSync(cut), { mode: "RGB" });
    } catch (e) {
      message = (e as Error).message;
    }
    assert.match(message, /^decode:/);
    const raise = new Loader(new FileDataset(files), { pipeline: recipe(24), batchSize: 3, ...KEY });
    try {
      for await (const _ of raise) assert.unreachable("the batch must fail");
    } catch (e) {
      assert.ok((e as Error).message.includes(message), (e as Error).message);
      assert.ok((e as Error).message.includes("cut.jpg"));
    }
    const pipeline = recipe(24);
    const skip = new Loader(new FileDataset(files), { pipeline, batchSize: 3, ...KEY, onError: "skip" });
    let before = 0;
    for (let epoch = 0; epoch < 30; epoch++) {
      skip.setEpoch(KEY.epoch);
      const got = await loaded(skip);
      assert.equal(got.order, [0, 2]);
      for (const [j, i] of [0, 2].entries()) {
        const want = pipeline.apply(await decode(readFileSync(files[i]!), { mode: "RGB" }), { ...KEY, index: i }) as Tensor;
        assert.is(sha(got.samples[j]!), sha(want.data));
      }
      assert.is(skip.skipped.at(-1)!.stage, "decode");
      assert.is(skip.skipped.at(-1)!.message, message);
      if (epoch === 1) before = kernelMemory();
    }
    assert.is(kernelMemory(), before, "the failed decode's hold was released");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a decode function of the user's own is used for every file (no in-kernel path), with the same bytes", async () => {
  let calls = 0;
  const mine = (b: Uint8Array, o?: { mode?: DecodeMode }) => {
    calls++;
    return decode(b, o);
  };
  const ds = new FileDataset(FILES.slice(0, 5));
  const a = await loaded(new Loader(ds, { pipeline: recipe(24), batchSize: 5, ...KEY, decode: mine }));
  assert.is(calls, 5);
  const b = await loaded(new Loader(ds, { pipeline: recipe(24), batchSize: 5, ...KEY }));
  assert.equal(a.samples.map(sha), b.samples.map(sha));
});

test("inline over files, the next batch's reads start while a batch computes: the same bytes, reads one batch ahead at most, a failed read reported with its batch", async () => {
  const reads: number[] = [];
  class Counted extends FileDataset {
    override get(index: number) {
      reads.push(index);
      return super.get(index);
    }
  }
  const files = FILES.slice(0, 8);
  const opts = { pipeline: recipe(24), batchSize: 3, ...KEY };
  const plain = { length: files.length, get: (i: number) => new FileDataset(files).get(i) };
  const want: string[] = [];
  for await (const b of new Loader(plain, opts)) want.push(`${b.indices.join(",")}:${sha(b.data)}`);
  const got: string[] = [];
  const loader = new Loader(new Counted(files), opts);
  for await (const b of loader) {
    got.push(`${b.indices.join(",")}:${sha(b.data)}`);
    if (got.length === 1)
      assert.equal(
        [...reads].sort((a, b) => a - b),
        [0, 1, 2, 3, 4, 5],
        "batch 0's reads and batch 1's",
      );
  }
  assert.equal(got, want);
  assert.is(reads.length, 8, "every file read once: nothing past the last batch");
  const missing = [...files.slice(0, 4), "/nonexistent/lockstep-missing.jpg", ...files.slice(4)];
  const failing = new Loader(new FileDataset(missing), opts);
  let batches = 0;
  try {
    for await (const _ of failing) batches++;
    assert.unreachable("the missing file must stop the loader");
  } catch (e) {
    assert.match((e as Error).message, /lockstep-missing\.jpg/);
    assert.is(batches, 1, "batch 0 arrives; batch 1 (whose read failed ahead of time) reports it");
  }
});

test.run();

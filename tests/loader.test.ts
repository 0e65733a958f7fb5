// The loader's promise: every batch is a pure function of (seed, epoch, batch number). The same
// bytes for 0, 1, 2 and 4 workers, prefetch 1 and 8, with random delays in the workers; shards
// that union to the epoch; resume equal to the straight run; files decoded in the workers.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ready, Compose, Resize, CenterCrop, ToTensor, RandomCrop, RandomHorizontalFlip, type Image } from "../src/index.js";
import { encodePng } from "../src/io/index.js";
import { Loader, ArrayDataset, FileDataset, imageFolder, manifestDataset, moduleDataset, type Batch } from "../src/data/index.js";
import { liveWorkers } from "../src/platform/workers.js";
import { synthetic } from "./helpers/recipes.js";
import { batchKey, datasetUrl, epochKeys, rejects, sha, smallTrain } from "./helpers/loader-util.js";

await ready();

const base = { pipeline: smallTrain(), batchSize: 5, shuffle: true, seed: 11 };
const delayed = await moduleDataset(datasetUrl, { length: 23, delayMs: 4 });
const reference = [
  await epochKeys(new Loader(delayed, { ...base, epoch: 0 })),
  await epochKeys(new Loader(delayed, { ...base, epoch: 1 })),
];

test("inline reference: 5 batches of [5, 3, 24, 24] then [3, ...]; epochs shuffle differently", () => {
  assert.is(reference[0]!.length, 5);
  assert.match(reference[0]![0]!, /\|5x3x24x24\|/);
  assert.match(reference[0]![4]!, /\|3x3x24x24\|/);
  const order = (keys: string[]) => keys.map((k) => k.split("|")[1]).join(",");
  assert.is.not(order(reference[0]!), order(reference[1]!));
  assert.equal(
    order(reference[0]!)
      .split(",")
      .map(Number)
      .sort((a, b) => a - b),
    Array.from({ length: 23 }, (_, i) => i),
  );
  const hashes = new Set([...reference[0]!, ...reference[1]!].map((k) => k.split("|")[4]));
  assert.is(hashes.size, 10);
});

for (const workers of [1, 2, 4]) {
  test(`${workers} worker(s), prefetch 1 then 8, random delays: the same bytes as inline`, async () => {
    const loader = new Loader(delayed, { ...base, workers, prefetch: 1 });
    assert.equal(await epochKeys(loader), reference[0]);
    assert.is(loader.epoch, 1);
    loader.prefetch = 8;
    assert.equal(await epochKeys(loader), reference[1]);
    await loader.close();
    assert.is(liveWorkers(), 0);
  });
}

// Per-sample hashes by dataset index, from a loader over an in-memory dataset.
const images: Image[] = Array.from({ length: 10 }, (_, i) => synthetic(30 + i, 26 + 2 * i, 3, i));
const memory = new ArrayDataset(
  images,
  images.map((_, i) => `c${i % 4}`),
);
const fixed = new Compose([new Resize(20), new RandomCrop(16), new RandomHorizontalFlip(), new ToTensor()]);
async function perSample(loader: Loader): Promise<[number, string][]> {
  const out: [number, string][] = [];
  for await (const b of loader) b.samples.forEach((s, i) => out.push([b.indices[i]!, sha(s.data)]));
  return out;
}

test("shards over worldSize 1, 2 and 3 union to the single-process epoch (pad and drop)", async () => {
  const opts = { pipeline: fixed, batchSize: 2, shuffle: true, seed: 4, epoch: 3 };
  const single = await perSample(new Loader(memory, opts));
  assert.is(single.length, 10);
  const bySample = new Map(single);
  for (const worldSize of [1, 2, 3]) {
    for (const uneven of ["pad", "drop"] as const) {
      const shards = await Promise.all(
        Array.from({ length: worldSize }, (_, rank) => perSample(new Loader(memory, { ...opts, rank, worldSize, uneven }))),
      );
      const per = uneven === "pad" ? Math.ceil(10 / worldSize) : Math.floor(10 / worldSize);
      for (const s of shards) assert.is(s.length, per);
      const merged: [number, string][] = [];
      for (let g = 0; g < per * worldSize; g++) merged.push(shards[g % worldSize]![Math.floor(g / worldSize)]!);
      if (uneven === "drop" || 10 % worldSize === 0) assert.equal(merged, single.slice(0, per * worldSize), `W=${worldSize} ${uneven}`);
      else {
        assert.equal(merged.slice(0, 10), single, `W=${worldSize} pad`);
        for (const [i, h] of merged.slice(10)) assert.is(h, bySample.get(i)); // padding repeats samples, same bytes
      }
    }
  }
});

test("resume from the middle (and from an epoch's end) gives the straight run's bytes", async () => {
  const opts = { pipeline: smallTrain(), batchSize: 3, shuffle: true, seed: 8 };
  const straight = new Loader(memory, opts);
  const all = [...(await epochKeys(straight)), ...(await epochKeys(straight))];
  const first = new Loader(memory, opts);
  const got: string[] = [];
  let saved = "";
  for await (const b of first) {
    got.push(batchKey(b));
    if (b.batch === 1) {
      saved = JSON.stringify(first.state());
      break;
    }
  }
  assert.equal(JSON.parse(saved).batch, 2);
  const resumed = new Loader(memory, { ...opts, resumeFrom: saved });
  got.push(...(await epochKeys(resumed)));
  assert.equal(resumed.state().epoch, 1);
  assert.equal(resumed.state().batch, 0);
  const again = new Loader(memory, { ...opts, resumeFrom: resumed.state() });
  got.push(...(await epochKeys(again)));
  assert.equal(got, all);
  assert.throws(
    () => new Loader(memory, { ...opts, batchSize: 4, resumeFrom: saved }),
    /resumeFrom\.batchSize is 3, but this loader has 4/,
  );
  assert.throws(() => new Loader(memory, { ...opts, seed: 9, resumeFrom: saved }), /resumeFrom\.seed/);
  assert.throws(() => new Loader(memory, { ...opts, pipeline: fixed, resumeFrom: saved }), /resumeFrom\.pipeline differs/);
  assert.throws(() => new Loader(memory, { ...opts, resumeFrom: "{" }), /not valid JSON/);
});

test("an image pipeline gives images (sizes may differ), params on request, labels and dropLast", async () => {
  const pipe = new Compose([new RandomCrop(12, { padIfNeeded: true }), new RandomHorizontalFlip()]);
  const loader = new Loader(memory, { pipeline: pipe, batchSize: 4, seed: 2, records: true, dropLast: true });
  assert.is(loader.length, 2);
  const batches: Batch[] = [];
  for await (const b of loader) batches.push(b);
  assert.is(batches.length, 2);
  const b = batches[1]!;
  assert.ok(b.data instanceof Uint8Array);
  assert.equal(b.shape, [4, 12, 12, 3]);
  assert.equal(b.indices, [4, 5, 6, 7]);
  assert.equal(b.labels, ["c0", "c1", "c2", "c3"]);
  b.samples.forEach((s, i) => {
    const img = images[b.indices[i]!]!;
    assert.equal(b.params![i], pipe.sample(img, { seed: 2, epoch: 0, index: b.indices[i]! }));
    assert.is(sha(s.data), sha(pipe.apply(img, { seed: 2, epoch: 0, index: b.indices[i]! }).data));
  });
  // Without a crop the sizes differ: a list of images, shape null.
  const flips = new Loader(memory, { pipeline: new Compose([new RandomHorizontalFlip()]), batchSize: 3, seed: 1 });
  for await (const f of flips) {
    assert.is(f.shape, null);
    assert.equal(
      f.samples.map((s) => (s as Image).width),
      f.indices.map((i) => 30 + i),
    );
    break;
  }
});

test("an in-memory dataset is read on the main thread and posted to a worker; collate shapes what the loop gets", async () => {
  const opts = { pipeline: fixed, batchSize: 4, shuffle: true, seed: 12 };
  const inline = await epochKeys(new Loader(memory, opts));
  const collate = (b: Batch) => ({ x: b.data, y: b.labels, key: batchKey(b) });
  const loader = new Loader(memory, { ...opts, workers: 1, collate });
  const got: string[] = [];
  for await (const c of loader) {
    assert.ok(c.x instanceof Float32Array);
    assert.equal(c.y.length, c.x.length / (3 * 16 * 16));
    got.push(c.key);
  }
  await loader.close();
  assert.equal(got, inline);
  // The dataset's own images are untouched (posted as copies, never moved).
  for (const img of images) assert.is(img.data.length, img.width * img.height * 3);
});

test("tensors of different shapes: a clear error naming the sample, or stack: false", async () => {
  const ragged = new Compose([new ToTensor()]);
  await rejects(
    epochKeys(new Loader(memory, { pipeline: ragged, batchSize: 2 })),
    /sample 1 failed to collate in batch 0 of epoch 0: its output has shape \[3, 28, 31\], but the batch's other outputs \(e.g. sample 0's\) have \[3, 26, 30\]/,
  );
  const loose = new Loader(memory, { pipeline: ragged, batchSize: 2, stack: false });
  for await (const b of loose) {
    assert.is(b.shape, null);
    assert.is(b.data.length, 3 * 26 * 30 + 3 * 28 * 31);
    break;
  }
});

// A folder of PNGs and a JPEG in class sub-folders.
const dir = mkdtempSync(join(tmpdir(), "lockstep-loader-"));
const rocket = fileURLToPath(new URL("../samples/rocket.jpg", import.meta.url));
mkdirSync(join(dir, "dog"));
mkdirSync(join(dir, "cat", "inner"), { recursive: true });
for (const [i, img] of images.slice(0, 5).entries()) writeFileSync(join(dir, i < 3 ? "cat" : "dog", `img${i}.png`), await encodePng(img));
writeFileSync(join(dir, "cat", "inner", "rocket.jpg"), readFileSync(rocket));
writeFileSync(join(dir, "dog", "notes.txt"), "not an image");
const folderPipe = new Compose([new Resize(18), new CenterCrop(16), new RandomHorizontalFlip(), new ToTensor()]);

test("imageFolder: classes from sub-folders, sorted files, labels; decoded inline and in a worker alike", async () => {
  const ds = await imageFolder(dir);
  assert.equal(ds.classes, ["cat", "dog"]);
  assert.equal(
    ds.files.map((f) => f.slice(dir.length + 1)),
    ["cat/img0.png", "cat/img1.png", "cat/img2.png", "cat/inner/rocket.jpg", "dog/img3.png", "dog/img4.png"],
  );
  assert.equal(ds.labels, [0, 0, 0, 0, 1, 1]);
  const opts = { pipeline: folderPipe, batchSize: 4, shuffle: true, seed: 3 };
  const inline = await epochKeys(new Loader(ds, opts));
  const loader = new Loader(ds, { ...opts, workers: 1 });
  assert.equal(await epochKeys(loader), inline);
  await loader.close();
  // The PNGs decode to the images they were made from.
  for await (const b of new Loader(ds, { batchSize: 6 })) {
    assert.is(sha(b.samples[0]!.data), sha(images[0]!.data));
    assert.equal(b.sources[3], join(dir, "cat", "inner", "rocket.jpg"));
  }
});

test("manifestDataset (JSONL of paths and labels) and FileDataset give the same bytes as the folder", async () => {
  const ds = await imageFolder(dir);
  const lines = ds.files.map((f, i) => JSON.stringify({ path: f.slice(dir.length + 1), label: ds.labels![i] }));
  writeFileSync(join(dir, "train.jsonl"), lines.join("\n") + "\n");
  const fromManifest = await manifestDataset(join(dir, "train.jsonl"));
  assert.equal(fromManifest.files, ds.files);
  const opts = { pipeline: folderPipe, batchSize: 4, seed: 3 };
  const want = await epochKeys(new Loader(ds, opts));
  assert.equal(await epochKeys(new Loader(fromManifest, opts)), want);
  assert.equal(await epochKeys(new Loader(new FileDataset(ds.files, { labels: ds.labels! }), opts)), want);
  writeFileSync(join(dir, "bad.jsonl"), '{"path": "cat/img0.png"}\n{"label": 1}\n');
  await rejects(manifestDataset(join(dir, "bad.jsonl")), /bad\.jsonl:2: expected \{"path"/);
  await rejects(imageFolder(join(dir, "nope")), /imageFolder: cannot read/);
});

test("options are validated with messages that name them", () => {
  assert.throws(
    () => new Loader(memory, { pipeline: smallTrain() }),
    /the loader needs a seed: the pipeline \(Compose\) draws random parameters/,
  );
  assert.throws(() => new Loader(memory, { shuffle: true }), /needs a seed: shuffle is on/);
  assert.throws(() => new Loader(memory, { batchSize: 0 }), /batchSize must be an integer >= 1/);
  assert.throws(() => new Loader(memory, { workers: -1 }), /workers must be an integer >= 0/);
  assert.throws(() => new Loader(memory, { rank: 2, worldSize: 2 }), /rank must be in \[0, 2\)/);
  assert.throws(() => new Loader(memory, { onError: "ignore" as "skip" }), /onError must be "raise" or "skip"/);
  assert.throws(() => new Loader({ length: 3 } as never), /dataset must be an object with length and get/);
  assert.throws(() => new Loader({ length: -1, get: () => images[0]! }), /dataset\.length must be an integer in \[0, 2\^53\]/);
  assert.throws(() => new Loader(memory, { pipeline: {} as never }), /pipeline must be a lockstep Transform/);
  assert.throws(() => new ArrayDataset(images, ["a"]), /labels must be an array of 10 labels/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();

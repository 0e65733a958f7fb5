// The product's promise: outputs are a pure function of (seed, epoch, index), the same in
// every thread and process; different keys give different outputs; appending a transform
// does not change the draws before it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Worker } from "node:worker_threads";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ready, Compose, RandomResizedCrop, RandomHorizontalFlip, ToTensor, Generator, RandomCrop } from "../src/index.js";
import { everything, hashOf, synthetic, train } from "./helpers/recipes.js";
import { hashes } from "./helpers/hash-worker.js";

await ready();
const img = synthetic(97, 61);

test("same (seed, index, epoch) gives identical bytes, call after call", () => {
  const t = train();
  for (let i = 0; i < 5; i++) assert.is(hashOf(t.apply(img, { seed: 7, index: i })), hashOf(t.apply(img, { seed: 7, index: i })));
});

test("a fresh pipeline object from JSON gives the same bytes", async () => {
  const { fromJSON } = await import("../src/index.js");
  const a = everything();
  const b = fromJSON(JSON.stringify(a.toJSON()));
  for (let i = 0; i < 20; i++) assert.is(hashOf(b.apply(img, { seed: 3, index: i })), hashOf(a.apply(img, { seed: 3, index: i })));
});

test("different seeds, indices and epochs give different outputs", () => {
  const t = train();
  const seen = new Set<string>();
  for (const seed of [0, 1, 2 ** 40])
    for (const index of [0, 1, 1000]) for (const epoch of [0, 1]) seen.add(hashOf(t.apply(img, { seed, index, epoch })));
  assert.is(seen.size, 18);
});

test("seed as bigint beyond 2^53 is accepted and distinct from its low bits", () => {
  const t = train();
  assert.is.not(hashOf(t.apply(img, { seed: (1n << 60n) + 5n })), hashOf(t.apply(img, { seed: 5 })));
});

test("appending a transform does not change the draws of those before it", () => {
  const base = new Compose([new RandomResizedCrop(32), new RandomHorizontalFlip()]);
  const longer = new Compose([new RandomResizedCrop(32), new RandomHorizontalFlip(), new RandomCrop(20), new ToTensor()]);
  for (let i = 0; i < 50; i++) {
    const a = base.sample(img, { seed: 11, index: i });
    const b = longer.sample(img, { seed: 11, index: i });
    assert.equal(b.slice(0, 2), a);
  }
});

test("identical across worker_threads and the main thread", async () => {
  const main = await hashes(5, 8);
  // Workers do not inherit tsx's loader for their entry file; register it first.
  const entry = new URL("./helpers/hash-worker.ts", import.meta.url).href;
  const boot = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: { seed: 5, n: 8 } });
  const fromWorker = await new Promise<string[]>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  await worker.terminate();
  assert.equal(fromWorker, main);
});

test("identical across processes", async () => {
  const main = await hashes(9, 4);
  const script = fileURLToPath(new URL("./helpers/hash-worker.ts", import.meta.url));
  const out = execFileSync(process.execPath, ["--import", "tsx", script, "--print", "9", "4"], { encoding: "utf8" });
  assert.equal(JSON.parse(out), main);
});

test("sequential mode: a Generator advances, and replays from its seed", () => {
  const t = train();
  const g1 = new Generator(123);
  const a = [0, 1, 2].map(() => hashOf(t.apply(img, { generator: g1 })));
  assert.is(new Set(a).size, 3);
  const g2 = new Generator(123);
  assert.equal(
    [0, 1, 2].map(() => hashOf(t.apply(img, { generator: g2 }))),
    a,
  );
  const g3 = new Generator(0).setState(g1.getState());
  const g4 = new Generator(123);
  for (let i = 0; i < 3; i++) g4.nextKey();
  assert.is(hashOf(t.apply(img, { generator: g3 })), hashOf(t.apply(img, { generator: g4 })));
});

test("sample() returns exactly the params apply() uses, and replay reproduces the output", () => {
  const e = everything();
  for (let i = 0; i < 30; i++) {
    const { output, record } = e.applyWithRecord(img, { seed: 21, index: i });
    assert.equal(record.params, e.sample(img, { seed: 21, index: i }));
    const viaJSON = JSON.parse(JSON.stringify(record));
    assert.is(hashOf(e.replay(img, viaJSON)), hashOf(output));
  }
});

test.run();

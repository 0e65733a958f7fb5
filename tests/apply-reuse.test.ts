// `apply(x, { out: "reuse" })`: the result is written into a buffer the transform object keeps,
// with no allocation per call. Oracle: the same call without `out` (fresh arrays, torchvision's
// behaviour). The aliasing rule, as documented on OutOptions and in the README: the next "reuse"
// call on the same transform object overwrites the buffer; other objects, calls without "reuse",
// and a call whose output has another length or kind never touch an earlier result.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ready, Compose, CenterCrop, ColorJitter, type Image, type Tensor } from "../src/index.js";
import { synthetic, train } from "./helpers/recipes.js";
import { rejects } from "./helpers/check.js";

await ready();

const recipe = () => train(32);
const a = synthetic(61, 47, 3, 1);
const b = synthetic(50, 70, 3, 2);

test('"reuse" gives the bytes of the fresh-array call, sample after sample', () => {
  const p = recipe();
  for (let index = 0; index < 20; index++) {
    const img = index % 2 ? a : b;
    const fresh = p.apply(img, { seed: 3, index }) as Tensor;
    const reused = p.apply(img, { seed: 3, index, out: "reuse" }) as Tensor;
    assert.equal(reused.shape, fresh.shape);
    assert.equal(reused.data, fresh.data);
  }
});

test('the next "reuse" call on the same pipeline overwrites the result (one buffer); .slice() keeps a copy', () => {
  const p = recipe();
  const first = p.apply(a, { seed: 3, index: 0, out: "reuse" }) as Tensor;
  const kept = first.data.slice();
  const second = p.apply(b, { seed: 3, index: 1, out: "reuse" }) as Tensor;
  assert.ok(second.data === first.data, "both results view the pipeline's buffer");
  assert.equal(first.data, (p.apply(b, { seed: 3, index: 1 }) as Tensor).data, "the first result now holds the second's bytes");
  assert.equal(kept, (p.apply(a, { seed: 3, index: 0 }) as Tensor).data, "the copy kept the first's");
});

test("without out every call returns a fresh array; other pipelines and plain calls never touch a reused buffer", () => {
  const p = recipe();
  const q = recipe();
  const x = p.apply(a, { seed: 3, index: 0 }) as Tensor;
  const y = p.apply(a, { seed: 3, index: 0 }) as Tensor;
  assert.ok(x.data !== y.data);
  const mine = p.apply(a, { seed: 3, index: 0, out: "reuse" }) as Tensor;
  const want = mine.data.slice();
  const theirs = q.apply(b, { seed: 3, index: 5, out: "reuse" }) as Tensor;
  p.apply(b, { seed: 3, index: 6 });
  assert.ok(theirs.data !== mine.data);
  assert.equal(mine.data, want);
});

test("an output of another length or kind gets a new buffer; the earlier result keeps its bytes", () => {
  const crop = new Compose([new CenterCrop(8)]);
  const small = crop.apply(a, { out: "reuse" }) as Image;
  const want = small.data.slice();
  const p = new Compose([new ColorJitter(0.4, 0.4)]);
  const one = p.apply(a, { seed: 1, out: "reuse" }) as Image;
  const oneBytes = one.data.slice();
  const two = p.apply(b, { seed: 1, out: "reuse" }) as Image; // 50x70: another length
  assert.ok(two.data !== one.data);
  assert.equal(one.data, oneBytes);
  assert.equal(two.data, (p.apply(b, { seed: 1 }) as Image).data);
  assert.equal(small.data, want);
  assert.ok(small.data instanceof Uint8Array);
});

test('replay takes "reuse" too', () => {
  const p = recipe();
  const { output, record } = p.applyWithRecord(a, { seed: 8, index: 2 });
  const again = p.replay(a, record, { out: "reuse" }) as Tensor;
  assert.equal(again.data, (output as Tensor).data);
  assert.ok(p.replay(a, record, { out: "reuse" }).data === again.data);
});

test("a bad out is a TypeError naming out and its choices", () => {
  const p = recipe();
  rejects(() => p.apply(a, { seed: 1, out: "reused" as never }), TypeError, /out must be .*"reuse", got/);
  rejects(() => p.apply(a, { seed: 1, out: new Int8Array(3) as never }), TypeError, /out must be/);
});

test.run();

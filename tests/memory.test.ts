// The host owns memory: repeated calls of one size never grow the kernel's memory, and
// sampling alone allocates nothing in it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ready, F } from "../src/index.js";
import { kernel } from "../src/kernel/instance.js";
import { everything, synthetic, train } from "./helpers/recipes.js";

await ready();

const bytes = () => kernel().exports.memory.buffer.byteLength;

test("one call of a size reserves all the memory every later call of that size needs", () => {
  const img = synthetic(500, 375);
  const t = train();
  const out = new Float32Array(3 * 224 * 224);
  const calls = [
    (i: number) => t.apply(img, { seed: 1, index: i, out }),
    () => F.pad(img, 7, { paddingMode: "symmetric" }),
    () => F.resize(img, 100, { interpolation: "bicubic" }),
  ];
  for (const call of calls) call(0);
  const before = bytes();
  for (let i = 0; i < 2000; i++) calls[0]!(i);
  for (let i = 0; i < 50; i++) calls[1]!(i), calls[2]!(i);
  assert.is(bytes(), before);
});

test("pipelines whose intermediate sizes vary stay bounded", () => {
  const img = synthetic(300, 200);
  const e = everything();
  for (let i = 0; i < 300; i++) e.apply(img, { seed: 1, index: i });
  const before = bytes();
  for (let i = 300; i < 1500; i++) e.apply(img, { seed: 1, index: i });
  assert.is(bytes(), before);
});

test("20,000 draws leave kernel memory untouched", () => {
  const t = train();
  const before = bytes();
  for (let i = 0; i < 20000; i++) t.sample({ width: 500, height: 375 }, { seed: 3, index: i });
  assert.is(bytes(), before);
});

test.run();

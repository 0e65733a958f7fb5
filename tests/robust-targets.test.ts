// Issue 13's rules on main's joint-targets surface: a sample with boxes, masks and key points is
// read once (its snapshot is what is checked and what the transforms see), its structure is
// bounded and copied without touching prototypes, and containers move targets in one walk
// (linear in nesting depth). After every refusal the kernel gives the committed bytes.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as L from "../src/index.js";
import {
  ready,
  Compose,
  RandomApply,
  RandomHorizontalFlip,
  RandomIoUCrop,
  Resize,
  boundingBoxes,
  keyPoints,
  mask,
  type Image,
} from "../src/index.js";
import { MAX_SAMPLE_VALUES } from "../src/targets/sample.js";
import { rejects } from "./helpers/check.js";
import { healthCases, unhealthy } from "./helpers/health.js";
import { hashOf, synthetic } from "./helpers/recipes.js";

await ready();
const health = healthCases(12);
const K = { seed: 1 };
const healthy = () => assert.equal(unhealthy(health), [], "the kernel still gives the committed conformance bytes");

/** A copy of `good` whose `field` answers `good[field]` for its first `honest` reads and `bad` afterwards. */
function twoFaced<T extends object>(good: T, field: keyof T, bad: unknown, honest: number): T {
  let reads = 0;
  const o = { ...good } as Record<string, unknown>;
  Object.defineProperty(o, field, { enumerable: true, get: () => (reads++ < honest ? good[field] : bad) });
  return o as T;
}

const img = synthetic(20, 14, 3, 9);
const boxes = boundingBoxes(
  [
    [2, 1, 12, 9],
    [5, 5, 18, 13],
  ],
  { format: "XYXY", canvasSize: [14, 20] },
);
const points = keyPoints(
  [
    [3, 4],
    [15, 10],
    [19, 13],
  ],
  { canvasSize: [14, 20] },
);
const labelMap = mask(
  Uint8Array.from({ length: 14 * 20 }, (_, i) => i % 7),
  [14, 20],
);

type Out = { image: Image; boxes: L.BoundingBoxes; points: L.KeyPoints; masks: L.Mask; labels: number[] };
const digest = (o: Out) =>
  [
    hashOf(o.image),
    o.boxes.format,
    Array.from(o.boxes.data).join(","),
    Array.from(o.points.data).join(","),
    o.masks.shape.join("x"),
    Array.from(o.masks.data).join(""),
    o.labels.join(","),
  ].join("|");

test("a sample's image and targets are read once: the checked values are the ones transformed, or a clear error", () => {
  const pipe = new Compose([new RandomIoUCrop(), new RandomHorizontalFlip(1), new Resize([9, 11])]);
  const run = (s: unknown) => digest(pipe.apply(s as Out, { seed: 6, index: 2 }) as unknown as Out);
  const sample = { image: img, boxes, points, masks: labelMap, labels: [4, 7] };
  const want = run(sample);
  const cases: [keyof Out, object, string, unknown][] = [
    ["image", img, "width", 32768],
    ["image", img, "data", new Uint8Array(3)],
    ["image", img, "channels", 1],
    ["boxes", boxes, "data", new Float32Array(7)],
    ["boxes", boxes, "data", new Float32Array([0, 0, NaN, 1])],
    ["boxes", boxes, "canvasSize", [32768, 32768]],
    ["boxes", boxes, "format", "XYWHR"],
    ["boxes", boxes, "clampingMode", "bogus"],
    ["boxes", boxes, "kind", "mask"],
    ["points", points, "shape", [2 ** 20, 2]],
    ["points", points, "data", new Float32Array(1)],
    ["points", points, "canvasSize", [3, 3]],
    ["masks", labelMap, "shape", [32768, 32768]],
    ["masks", labelMap, "data", new Uint8Array(5)],
  ];
  for (const [key, good, field, bad] of cases) {
    for (let honest = 0; honest < 6; honest++) {
      const s = { ...sample, [key]: twoFaced(good, field as never, bad, honest) };
      let got: string;
      try {
        got = run(s);
      } catch (e) {
        assert.ok(
          e instanceof TypeError || e instanceof RangeError,
          `${key}.${field} -> ${String(bad)} after ${honest}: ${(e as Error).constructor.name}: ${(e as Error).message}`,
        );
        assert.match((e as Error).message, /sample|input/, `the message names the sample: ${(e as Error).message}`);
        continue;
      }
      assert.is(got, want, `${key}.${field} answering ${String(bad)} after ${honest} honest reads gave other bytes or targets`);
    }
  }
  assert.is(run(sample), want, "the pipeline still gives its bytes and targets");
  healthy();
});

test("a sample's structure is bounded (sparse arrays, shared sub-objects, a Proxy whose length changes) with a RangeError naming the sample", () => {
  const flip = new RandomHorizontalFlip(1);
  const sparse = Object.assign(new Array(2 ** 31), { 0: 1 });
  rejects(
    () => flip.apply({ image: img, boxes, labels: sparse } as never, K),
    RangeError,
    /input sample\.labels: the sample holds more than \d+ values/,
  );
  rejects(() => flip.apply([img, sparse] as never, K), RangeError, /input sample\[1\]: the sample holds more than/);
  // 40 levels of an object shared twice: 2^40 paths through a few bytes of memory.
  let shared: object = {};
  for (let i = 0; i < 31; i++) shared = { a: shared, b: shared };
  rejects(() => flip.apply({ image: img, extra: shared } as never, K), RangeError, /the sample holds more than/);
  let deeper: object = { x: 1 };
  for (let i = 0; i < 40; i++) deeper = { d: deeper };
  rejects(
    () => flip.apply({ image: img, extra: deeper } as never, K),
    RangeError,
    /input sample\.extra(\.d)+: a sample may nest at most 32 levels/,
  );
  // A Proxy array that claims 2 entries, then 2^31.
  let lengthReads = 0;
  const liar = new Proxy([img, { boxes }], { get: (t, k) => (k === "length" ? (lengthReads++ < 1 ? 2 : 2 ** 31) : Reflect.get(t, k)) });
  const out = flip.apply(liar as never, K) as unknown as [Image, { boxes: L.BoundingBoxes }];
  assert.is(hashOf(out[0]), hashOf(flip.apply(img, K) as Image), "the entries read once are the ones transformed");
  assert.is(lengthReads, 1, "the length was read once");
  assert.ok(MAX_SAMPLE_VALUES >= 2 ** 16, "real samples (a few hundred annotations) fit");
  // Found by the fuzz suite: a sample without an image, or with two, named no argument.
  rejects(() => flip.apply([null] as never, K), TypeError, /^input: the sample has no image/);
  rejects(() => flip.apply({ a: img, b: img } as never, K), TypeError, /^input: the sample holds 2 images \(sample\.a, sample\.b\)/);
  healthy();
});

test("the target helpers read arrays once and bound them: a sparse or lying array is a RangeError at once, not a 2^31-step loop", () => {
  const sparse = Object.assign(new Array(2 ** 31), { 0: 1 });
  const liar = new Proxy([[1, 2, 3, 4]], { get: (t, k) => (k === "length" ? 2 ** 31 : Reflect.get(t, k)) });
  rejects(() => boundingBoxes(sparse, { format: "XYXY", canvasSize: [4, 4] }), RangeError, /^boxes may hold at most \d+ values/);
  rejects(() => boundingBoxes(liar as never, { format: "XYXY", canvasSize: [4, 4] }), RangeError, /^boxes may hold at most/);
  rejects(() => keyPoints(sparse, { canvasSize: [4, 4] }), RangeError, /^keypoints may hold at most/);
  rejects(
    () => mask(new Uint8Array(4), new Proxy([2, 2], { get: (t, k) => (k === "length" ? 2 ** 31 : Reflect.get(t, k)) }) as never),
    RangeError,
    /^mask\.shape must be/,
  );
  // What was checked is kept: a shape read once.
  let reads = 0;
  const shape = [2, 2];
  const m = mask(new Uint8Array(4), new Proxy(shape, { get: (t, k) => (k === "0" && reads++ > 0 ? 3 : Reflect.get(t, k)) }) as never);
  assert.equal(m.shape, [2, 2]);
});

test("a sample's __proto__ key stays an own key of the output and pollutes nothing", () => {
  const sample = JSON.parse('{"id": 3, "__proto__": {"polluted": 1}, "meta": {"__proto__": [1, 2]}}') as Record<string, unknown>;
  sample.image = img;
  sample.boxes = boxes;
  const out = new RandomHorizontalFlip(1).apply(sample as never, K) as unknown as Record<string, unknown>;
  assert.is(Object.getPrototypeOf(out), Object.prototype);
  assert.ok(Object.prototype.hasOwnProperty.call(out, "__proto__"), "__proto__ is an own key of the output");
  assert.equal(Object.getOwnPropertyDescriptor(out, "__proto__")!.value, { polluted: 1 });
  assert.equal(Object.getOwnPropertyDescriptor(out.meta as object, "__proto__")!.value, [1, 2]);
  assert.is((out as { polluted?: unknown }).polluted, undefined);
  assert.is(({} as { polluted?: unknown }).polluted, undefined, "Object.prototype untouched");
  assert.is(out.id, 3);
  assert.equal(Array.from((out.boxes as L.BoundingBoxes).data), [8, 1, 18, 9, 2, 5, 15, 13]);
});

test("containers move targets in one walk: the innermost transform's work does not grow with nesting depth", () => {
  let calls = 0;
  const counting = new (class extends RandomHorizontalFlip {
    override ops(params: L.FlipParams, meta: L.Meta) {
      calls++;
      return super.ops(params, meta);
    }
  })(1);
  // RandomIoUCrop reads the boxes: every level moves them before its second child draws.
  const nest = (depth: number) => {
    let t: L.Transform = new Compose([counting, new RandomIoUCrop()]);
    for (let d = 1; d < depth; d++) t = d % 2 ? new Compose([t, new RandomIoUCrop()]) : new RandomApply([t, new RandomIoUCrop()], 1);
    return t;
  };
  const sample = { image: img, boxes, points, labels: [1, 2] };
  const work = (depth: number) => {
    calls = 0;
    nest(depth).apply(sample, { seed: 3 });
    return calls;
  };
  const shallow = work(2);
  assert.ok(shallow <= 6, `the innermost flip built its ops ${shallow} times for one apply`);
  assert.is(work(12), shallow, "depth 12: as much work as depth 2");
  assert.is(work(40), shallow, "depth 40: as much work as depth 2");
  // And the one-walk result equals the step-by-step one.
  const t = nest(6);
  const { output, record } = t.applyWithRecord(sample, { seed: 8 });
  assert.equal(t.replay(sample, record), output);
});

test.run();

// The fused kernel pass must give exactly the bytes of running each op alone.
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  ready,
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
  RandomZoomOut,
  type Transform,
} from "../src/index.js";
import { executeEach } from "../src/ir/execute.js";
import { hashOf, synthetic, MEAN, STD } from "./helpers/recipes.js";
import { mulberry32 } from "./helpers/prng.js";

await ready();

const interps = ["nearest", "bilinear", "bicubic"] as const;

function randomPipeline(r: () => number, c: number): Transform {
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  const n = 1 + Math.floor(r() * 4);
  const ts: Transform[] = [];
  for (let i = 0; i < n; i++) {
    const s = 4 + Math.floor(r() * 30);
    ts.push(
      pick<() => Transform>([
        () => new RandomResizedCrop([s, 3 + Math.floor(r() * 30)], { interpolation: pick([...interps]), antialias: r() < 0.7 }),
        () => new RandomHorizontalFlip(),
        () => new RandomVerticalFlip(),
        () => new RandomCrop(s, { padIfNeeded: true }),
        () => new CenterCrop([s, 1 + Math.floor(r() * 20)]),
        () => new Resize(s, { interpolation: pick([...interps]) }),
        () => new Pad(Math.floor(r() * 3), { paddingMode: pick(["constant", "edge", "reflect", "symmetric"] as const) }),
        () => new RandomZoomOut({ p: 0.8, sideRange: [1, 2.5], fill: [9] }),
      ])(),
    );
  }
  if (r() < 0.7) {
    ts.push(new ToTensor());
    if (r() < 0.7) ts.push(new Normalize([...MEAN, 0.5].slice(0, c), [...STD, 0.25].slice(0, c)));
  }
  return new Compose(ts);
}

test("random pipelines: fused == op by op (300 cases, 1/3/4 channels)", () => {
  const r = mulberry32(2024);
  for (let k = 0; k < 300; k++) {
    const c = ([1, 3, 4] as const)[k % 3]!;
    const img = synthetic(1 + Math.floor(r() * 50), 1 + Math.floor(r() * 50), c, k);
    const p = randomPipeline(r, c);
    const { output, record } = p.applyWithRecord(img, { seed: k, index: k });
    const ref = executeEach(img, p.ops(record.params, record.meta));
    assert.is(
      hashOf(output),
      hashOf(ref),
      `case ${k}: ${JSON.stringify(p.toJSON())} params ${JSON.stringify(record.params)} on ${img.width}x${img.height}x${c}`,
    );
  }
});

test("out buffers receive the result and are reused", () => {
  const p = new Compose([new RandomResizedCrop(24), new RandomHorizontalFlip(), new ToTensor(), new Normalize(MEAN, STD)]);
  const img = synthetic(60, 40);
  const out = new Float32Array(3 * 24 * 24);
  const res = p.apply(img, { seed: 1, index: 2, out });
  assert.ok(res.data === out);
  assert.is(hashOf(res), hashOf(p.apply(img, { seed: 1, index: 2 })));
  assert.throws(() => p.apply(img, { seed: 1, out: new Float32Array(5) }), /out has length 5/);
  assert.throws(() => p.apply(img, { seed: 1, out: new Uint8Array(3 * 24 * 24) }), /out must be a Float32Array/);
});

test.run();

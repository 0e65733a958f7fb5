// Parity with torchvision 0.14 / Pillow 9.4 on the committed fixtures: flips, crops, pads,
// ToTensor and Normalize bit-exact; resampling within 1 LSB, with the count of inexact values.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { F, ready, type Image } from "../src/index.js";
import { fixtureInput, fixtureOutput, manifest, type FixtureCase } from "./helpers/fixtures.js";

await ready();

type Args = Record<string, any>;
const run: Record<string, (img: Image, a: Args) => Image | { data: Float32Array; shape: number[] }> = {
  hflip: (img) => F.hflip(img),
  vflip: (img) => F.vflip(img),
  crop: (img, a) => F.crop(img, a.top, a.left, a.height, a.width),
  centerCrop: (img, a) => F.centerCrop(img, a.size),
  pad: (img, a) => F.pad(img, a.padding, { fill: a.fill, paddingMode: a.paddingMode }),
  resize: (img, a) => F.resize(img, a.size, { interpolation: a.interpolation, maxSize: a.maxSize }),
  resizedCrop: (img, a) => F.resizedCrop(img, a.top, a.left, a.height, a.width, a.size, { interpolation: a.interpolation }),
  toTensor: (img) => F.toTensor(img),
  normalize: (img, a) => F.normalize(F.toTensor(img), a.mean, a.std),
};

const resampling = new Set(["resize", "resizedCrop"]);
const inexact: Record<string, { values: number; total: number }> = {};

function shapeOf(out: Image | { shape: number[] }): number[] {
  return "shape" in out ? out.shape : [out.height, out.width, out.channels];
}

for (const c of manifest.cases as FixtureCase[]) {
  test(`${c.id} (${c.reference})`, () => {
    const out = run[c.op]!(fixtureInput(c.input), c.args);
    assert.equal(shapeOf(out), c.output.shape, "shape");
    const want = fixtureOutput(c);
    if (!resampling.has(c.op)) {
      // Bit-exact: compare the raw bytes (for f32 that includes the sign of zero).
      const got = new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength);
      const exp = new Uint8Array(want.buffer, want.byteOffset, want.byteLength);
      let first = -1;
      for (let i = 0; i < exp.length && first < 0; i++) if (got[i] !== exp[i]) first = i;
      assert.is(first, -1, `first differing byte at ${first}`);
      assert.is(got.length, exp.length);
      return;
    }
    const stat = (inexact[c.op] ??= { values: 0, total: 0 });
    let worst = 0;
    for (let i = 0; i < want.length; i++) {
      const d = Math.abs(out.data[i]! - want[i]!);
      if (d > worst) worst = d;
      if (d !== 0) stat.values++;
    }
    stat.total += want.length;
    assert.ok(worst <= 1, `max difference ${worst} > 1 LSB`);
  });
}

test.after(() => {
  for (const [op, s] of Object.entries(inexact)) console.log(`  parity ${op}: ${s.values} of ${s.total} values not exact (all within 1 LSB)`);
});

test.run();

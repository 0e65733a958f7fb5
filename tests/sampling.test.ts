// RandomResizedCrop's boxes follow torchvision's distribution: a two-sample
// Kolmogorov-Smirnov test on area fraction and log aspect ratio against 4000 boxes from
// torchvision's own get_params (tests/parity/fixtures/rrc_samples.json).
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  ready,
  RandomResizedCrop,
  RandomHorizontalFlip,
  RandomOrder,
  RandomChoice,
  RandomApply,
  Generator,
  Stream,
  type Transform,
} from "../src/index.js";
import { seedKey } from "../src/random/index.js";
import { rrcSamples } from "./helpers/fixtures.js";
import { ks, critical } from "./helpers/check.js";

await ready();

for (const c of rrcSamples.cases) {
  test(`RandomResizedCrop ${c.width}x${c.height} scale ${c.scale} ratio ${c.ratio.map((r) => r.toFixed(3))}: same distribution as torchvision`, () => {
    const t = new RandomResizedCrop(8, { scale: c.scale, ratio: c.ratio });
    const meta = { width: c.width, height: c.height };
    const ours = c.samples.map((_, i) => t.sample(meta, { seed: 99, index: i }));
    for (const b of ours) {
      assert.ok(
        b.top >= 0 && b.left >= 0 && b.top + b.height <= c.height && b.left + b.width <= c.width,
        `box inside: ${JSON.stringify(b)}`,
      );
    }
    const area = (h: number, w: number) => (h * w) / (c.width * c.height);
    const aspect = (h: number, w: number) => Math.log(w / h);
    const theirs = c.samples;
    const n = ours.length,
      m = theirs.length;
    const dArea = ks(
      ours.map((b) => area(b.height, b.width)),
      theirs.map(([, , h, w]) => area(h, w)),
    );
    const dAspect = ks(
      ours.map((b) => aspect(b.height, b.width)),
      theirs.map(([, , h, w]) => aspect(h, w)),
    );
    const dTop = ks(
      ours.map((b) => b.top / Math.max(1, c.height - b.height)),
      theirs.map(([t0, , h]) => t0 / Math.max(1, c.height - h)),
    );
    assert.ok(dArea < critical(n, m), `area KS ${dArea.toFixed(4)} >= ${critical(n, m).toFixed(4)}`);
    assert.ok(dAspect < critical(n, m), `aspect KS ${dAspect.toFixed(4)} >= ${critical(n, m).toFixed(4)}`);
    assert.ok(dTop < critical(n, m), `position KS ${dTop.toFixed(4)}`);
  });
}

test("RandomResizedCrop falls back to torchvision's centre crop exactly", () => {
  const fallback = rrcSamples.cases.find((c) => c.width === 64 && c.height === 256)!;
  const t = new RandomResizedCrop(8, { scale: fallback.scale, ratio: fallback.ratio });
  const [top, left, height, width] = fallback.samples[0]!;
  for (let i = 0; i < 20; i++) assert.equal(t.sample({ width: 64, height: 256 }, { seed: 1, index: i }), { top, left, height, width });
});

test("Stream.randint is unbiased and in range (chi-square, n = 7 and 2^32 - 5)", () => {
  const s = new Stream(seedKey(5));
  const counts = new Array(7).fill(0);
  const N = 70000;
  for (let i = 0; i < N; i++) counts[s.randint(0, 7)]++;
  const chi = counts.reduce((a, c) => a + (c - N / 7) ** 2 / (N / 7), 0);
  assert.ok(chi < 22.46, `chi-square ${chi} (df 6, alpha 0.001: 22.46)`);
  for (let i = 0; i < 1000; i++) {
    const v = s.randint(10, 10 + 2 ** 32 - 5);
    assert.ok(Number.isInteger(v) && v >= 10 && v < 10 + 2 ** 32 - 5);
  }
});

test("Stream.random is in [0, 1) with mean 1/2 and exact 53-bit values", () => {
  const g = new Generator(3);
  let sum = 0;
  for (let i = 0; i < 20000; i++) {
    const u = g.random();
    assert.ok(u >= 0 && u < 1);
    assert.ok(Number.isInteger(u * 2 ** 53));
    sum += u;
  }
  assert.ok(Math.abs(sum / 20000 - 0.5) < 0.01);
});

function frequencies(t: Transform, key: (p: any) => string, n = 6000): Map<string, number> {
  const f = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const k = key(t.sample({ width: 10, height: 10 }, { seed: 4, index: i }));
    f.set(k, (f.get(k) ?? 0) + 1);
  }
  return f;
}

test("RandomHorizontalFlip(p), RandomApply(p), RandomChoice(weights) and RandomOrder hit their probabilities", () => {
  const flips = frequencies(new RandomHorizontalFlip(0.3), (p) => String(p.flip));
  assert.ok(Math.abs(flips.get("true")! / 6000 - 0.3) < 0.025);
  const applied = frequencies(new RandomApply([new RandomHorizontalFlip()], 0.8), (p) => String(p.applied));
  assert.ok(Math.abs(applied.get("true")! / 6000 - 0.8) < 0.025);
  const choice = frequencies(
    new RandomChoice([new RandomHorizontalFlip(), new RandomHorizontalFlip(), new RandomHorizontalFlip()], [1, 0, 3]),
    (p) => String(p.choice),
  );
  assert.is(choice.get("1"), undefined);
  assert.ok(Math.abs(choice.get("2")! / 6000 - 0.75) < 0.025);
  const order = frequencies(new RandomOrder([new RandomHorizontalFlip(), new RandomHorizontalFlip(), new RandomHorizontalFlip()]), (p) =>
    p.order.join(""),
  );
  assert.is(order.size, 6);
  for (const v of order.values()) assert.ok(Math.abs(v / 6000 - 1 / 6) < 0.025);
});

test.run();

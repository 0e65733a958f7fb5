// The JPEG transform (torchvision v2 JPEG): its pixels are F.jpeg's (checked against
// torchvision's v2.JPEG through the encoder corpus, tests/codec-jpegenc.test.ts, and here on the
// cases the corpus script ran through the v2.JPEG class), its quality draw is torchvision's
// torch.randint(min, max + 1) law (uniform on min..max inclusive), and it has JSON, sample,
// applyWithRecord / replay and clear errors like every transform.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ready, F, JPEG, Compose, Resize, ToTensor, fromJSON, Generator, type Image } from "../src/index.js";
import { rejects } from "./helpers/check.js";
import { sha256 } from "./helpers/jpeg.js";
import { encManifest, caseInput, synth } from "./helpers/jpegenc.js";

await ready();

const meta = { width: 20, height: 12, channels: 3 as const };

test("JPEG(q) gives torchvision v2.JPEG(q)'s pixels (the cases the corpus script ran through the class)", async () => {
  let checked = 0;
  for (let i = 0; i < encManifest.cases.length; i += 7) {
    const c = encManifest.cases[i]!;
    const img = await caseInput(c);
    for (const t of [new JPEG(c.quality), new JPEG([c.quality, c.quality])]) {
      const out = t.apply(img) as Image;
      assert.is(sha256(out.data), c.roundtrip, `${JSON.stringify(c.input)} q${c.quality}`);
    }
    checked++;
  }
  assert.ok(checked > 70);
});

test("JPEG: grey stays grey, RGB stays RGB; a fixed quality draws nothing", () => {
  const grey = synth("gradient", 19, 13, 1, 3);
  const t = new JPEG(40);
  assert.is(t.random, false);
  const out = t.apply(grey) as Image;
  assert.equal([out.width, out.height, out.channels], [19, 13, 1]);
  assert.equal(out.data, F.jpeg(grey, 40).data);
  assert.equal(t.sample(grey), { quality: 40 });
});

test("JPEG([min, max]): quality uniform on min..max inclusive (torch.randint(min, max + 1)), a pure function of the key", () => {
  const t = new JPEG([20, 29]);
  assert.is(t.random, true);
  const counts = new Array<number>(10).fill(0);
  const n = 6000;
  for (let i = 0; i < n; i++) {
    const q = t.sample(meta, { seed: 7, index: i }).quality;
    assert.ok(Number.isInteger(q) && q >= 20 && q <= 29, `quality ${q}`);
    counts[q - 20]!++;
  }
  // Chi-square with 9 degrees of freedom: 27.88 is the 0.1% critical value.
  const chi = counts.reduce((s, c) => s + (c - n / 10) ** 2 / (n / 10), 0);
  assert.ok(chi < 27.88, `chi-square ${chi.toFixed(2)} for counts ${counts.join(", ")}`);
  assert.equal(t.sample(meta, { seed: 7, index: 3 }), t.sample(meta, { seed: 7, index: 3 }));
  const both = new JPEG([1, 2]);
  const seen = new Set(Array.from({ length: 64 }, (_, i) => both.sample(meta, { seed: 1, index: i }).quality));
  assert.equal([...seen].sort(), [1, 2]);
});

test("JPEG: applyWithRecord / replay, sequential generator, and the record's quality is the one applied", () => {
  const img = synth("blocks", 33, 17, 3, 9);
  const t = new JPEG([5, 95]);
  const { output, record } = t.applyWithRecord(img, { seed: 123, index: 4, epoch: 2 });
  const q = (record.params as { quality: number }).quality;
  assert.equal((output as Image).data, F.jpeg(img, q).data);
  assert.equal((t.replay(img, record) as Image).data, (output as Image).data);
  assert.equal((t.apply(img, { seed: 123, index: 4, epoch: 2 }) as Image).data, (output as Image).data);
  const g1 = new Generator(5),
    g2 = new Generator(5);
  assert.equal((t.apply(img, { generator: g1 }) as Image).data, (t.apply(img, { generator: g2 }) as Image).data);
});

test("JPEG JSON: round trip, inside a Compose", () => {
  assert.equal(new JPEG(50).toJSON(), { type: "JPEG", quality: 50 });
  assert.equal(new JPEG([5, 95]).toJSON(), { type: "JPEG", quality: [5, 95] });
  assert.equal(new JPEG([60, 60]).toJSON(), { type: "JPEG", quality: 60 });
  const p = new Compose([new Resize(12), new JPEG([30, 70]), new ToTensor()]);
  const back = fromJSON(JSON.stringify(p));
  assert.equal(back.toJSON(), p.toJSON());
  const img = synth("noise", 30, 24, 3, 2);
  const a = p.apply(img, { seed: 9, index: 1 }) as { data: Float32Array };
  const b = back.apply(img, { seed: 9, index: 1 }) as { data: Float32Array };
  assert.equal(a.data, b.data);
});

test("bad input: JPEG / F.jpeg", () => {
  const img = synth("noise", 10, 8, 3, 0);
  rejects(() => new JPEG(0), RangeError, /^quality must be an integer in \[1, 100\], got 0/);
  rejects(() => new JPEG(101), RangeError, /^quality must be an integer in \[1, 100\], got 101/);
  rejects(() => new JPEG(50.5), RangeError, /^quality must be an integer/);
  rejects(() => new JPEG([50, 40]), RangeError, /quality must be \[min, max\] with min <= max, got \[50, 40\]/);
  rejects(() => new JPEG([0, 40]), RangeError, /^quality\[0\] must be an integer in \[1, 100\]/);
  rejects(() => new JPEG([1] as never), TypeError, /quality must be an integer in \[1, 100\] or \[min, max\]/);
  rejects(() => new JPEG("75" as never), TypeError, /quality must be an integer in \[1, 100\] or \[min, max\]/);
  rejects(() => new JPEG(true as never), TypeError, /quality must be/);
  rejects(
    () => new JPEG(50).apply({ width: 2, height: 2, channels: 4, data: new Uint8Array(16) }),
    RangeError,
    /JPEG expects a grey or RGB image \(1 or 3 channels.*got 4 channels/,
  );
  rejects(() => new JPEG(50).sample({ width: 2, height: 2, channels: 4 }), RangeError, /JPEG expects a grey or RGB image/);
  rejects(() => new Compose([new ToTensor(), new JPEG(50)]).apply(img), TypeError, /JPEG expects an image .* place it before ToTensor/);
  const m = { kind: "image" as const, width: 10, height: 8, channels: 3 as const };
  rejects(
    () => new JPEG(50).replay(img, { meta: m, params: { quality: 0 } }),
    TypeError,
    /JPEG: params must be \{ quality: integer in \[1, 100\] \}/,
  );
  rejects(() => new JPEG(50).replay(img, { meta: m, params: null }), TypeError, /JPEG: params must be/);
  rejects(() => fromJSON({ type: "JPEG" }), TypeError, /^\$\.quality must be an integer in \[1, 100\] or \[min, max\], got undefined/);
  rejects(() => fromJSON({ type: "JPEG", quality: [10, 200] }), RangeError, /^\$\.quality\[1\] must be an integer in \[1, 100\], got 200/);
  rejects(() => fromJSON({ type: "JPEG", quality: 50, p: 1 }), RangeError, /\$\.p: unknown field for JPEG \(allowed: quality\)/);
  rejects(() => new JPEG([10, 20]).apply(img), TypeError, /JPEG draws random parameters and no randomness was given/);
});

test.run();

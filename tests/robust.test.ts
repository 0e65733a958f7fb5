// Regression tests for the defects an adversarial user found (issue 13), one test per defect,
// each failing on the code before its fix. After every refusal the kernel must still give the
// committed conformance bytes (tests/helpers/health.ts).
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as L from "../src/index.js";
import { ready, F, fromJSON, Compose, RandomApply, RandomHorizontalFlip, RandomResizedCrop, ToTensor, type Image } from "../src/index.js";
import { kernel } from "../src/kernel/instance.js";
import { rejects } from "./helpers/check.js";
import { healthCases, unhealthy } from "./helpers/health.js";
import { hashOf, synthetic } from "./helpers/recipes.js";

await ready();
const kernelMemory = () => kernel().exports.memory.buffer.byteLength;
const health = healthCases(12);
const healthy = () => assert.equal(unhealthy(health), [], "the kernel still gives the committed conformance bytes");

test("defect 2: crop, centerCrop, pad and CenterCrop check the output area before touching memory (no wasm trap, no 2 GiB left behind)", () => {
  const tiny: Image = { width: 3, height: 1, channels: 4, data: new Uint8Array(12) };
  const before = kernelMemory();
  rejects(() => F.centerCrop(tiny, 32768), RangeError, /size is 32768x32768 = \d+ pixels, over the limit/);
  rejects(() => F.crop(tiny, 0, 0, 32768, 32768), RangeError, /the crop is 32768x32768 = \d+ pixels, over the limit/);
  rejects(() => F.pad(tiny, 16000), RangeError, /the padded image is 32003x32001 = \d+ pixels, over the limit/);
  rejects(
    () => fromJSON({ type: "CenterCrop", size: 32768 }).apply(tiny),
    RangeError,
    /output of window is 32768x32768 = \d+ pixels, over the limit/,
  );
  rejects(
    () => F.centerCrop(synthetic(14, 9), [32768, 20000]),
    RangeError,
    /size is 20000x32768 = 655360000 pixels, over the limit of 134217728/,
  );
  rejects(
    () => fromJSON({ type: "Pad", padding: 16000 }).apply(tiny),
    RangeError,
    /output of window is 32003x32001 = \d+ pixels, over the limit/,
  );
  assert.is(kernelMemory(), before, "refused calls grow no kernel memory");
  healthy();
});

test("defect 2: the arena's size arithmetic cannot wrap at 2^31 (a 2 GiB request is refused, not given a low address)", () => {
  const { arena } = kernel();
  arena.reset();
  rejects(() => arena.alloc(2 ** 31 + 2 ** 30 + 100), RangeError, /MiB of kernel memory, over the 3072 MiB limit/);
  rejects(() => arena.alloc(2 ** 32 - 8), RangeError, /over the 3072 MiB limit/);
  rejects(() => arena.alloc(-1), RangeError, /allocation of -1 bytes/);
  rejects(() => arena.alloc(NaN), RangeError, /allocation of NaN bytes/);
  arena.reset();
  healthy();
});

/** An image whose fields answer `good` for their first `honest` reads and `bad` afterwards. */
function twoFaced(good: Image, field: keyof Image, bad: unknown, honest: number): Image {
  let reads = 0;
  const o = { ...good } as Record<string, unknown>;
  Object.defineProperty(o, field, { enumerable: true, get: () => (reads++ < honest ? good[field] : bad) });
  return o as unknown as Image;
}

test("defect 3: an image whose getters change between reads is read once: right bytes or a clear error, and the kernel stays healthy", () => {
  const good = synthetic(8, 6, 3, 5);
  const bads: [keyof Image, unknown][] = [
    ["width", 32768],
    ["height", 32768],
    ["width", -7],
    ["channels", 4],
    ["channels", 1],
    ["data", new Uint8Array(3)],
    ["data", new Uint8Array(32768 * 4)],
    ["width", 2 ** 31],
  ];
  const ops: [string, (x: Image) => L.Image | L.Tensor][] = [
    ["toTensor", (x) => F.toTensor(x)],
    ["hflip", (x) => F.hflip(x)],
    ["pad", (x) => F.pad(x, 2, { paddingMode: "reflect" })],
    ["resize", (x) => F.resize(x, [5, 7])],
    ["adjustHue", (x) => F.adjustHue(x, 0.2)],
    ["rotate", (x) => F.rotate(x, 30)],
    // main's semantics, colour rewrite and JPEG codec follow the same rule.
    ["adjustContrast tensor", (x) => F.adjustContrast(x, 0.6, { semantics: "tensor" })],
    ["adjustSaturation pil", (x) => F.adjustSaturation(x, 1.7)],
    ["resize tensor", (x) => F.resize(x, [5, 7], { semantics: "tensor" })],
    ["toTensor tensor", (x) => F.toTensor(x, { semantics: "tensor" })],
    ["jpeg", (x) => F.jpeg(x, 60)],
    ["encodeJpeg", (x) => ({ width: 1, height: 1, channels: 1, data: F.encodeJpeg(x, { quality: 90 }) })],
    ["train", (x) => new Compose([new RandomResizedCrop(4), new RandomHorizontalFlip(), new ToTensor()]).apply(x, { seed: 1 })],
  ];
  for (const [name, op] of ops) {
    const want = hashOf(op(good));
    for (const [field, bad] of bads) {
      for (let honest = 0; honest < 8; honest++) {
        let got: string;
        try {
          got = hashOf(op(twoFaced(good, field, bad, honest)));
        } catch (e) {
          assert.ok(
            e instanceof TypeError || e instanceof RangeError,
            `${name} ${field}->${String(bad)} after ${honest}: ${(e as Error).constructor.name}: ${(e as Error).message}`,
          );
          continue;
        }
        assert.is(got, want, `${name} with ${field} answering ${String(bad)} after ${honest} honest reads gave other bytes`);
      }
    }
    assert.is(hashOf(op(good)), want, `${name} still gives its bytes`);
  }
  healthy();
});

test("defect 3: hostile replay records and options are read once too", () => {
  const p = new Compose([new RandomResizedCrop(8), new RandomHorizontalFlip()]);
  const img = synthetic(20, 10);
  const { output, record } = p.applyWithRecord(img, { seed: 4 });
  let reads = 0;
  const params = record.params as [Record<string, number>, unknown];
  const crop = { ...params[0] };
  Object.defineProperty(crop, "height", { enumerable: true, get: () => (reads++ < 1 ? params[0]!.height : 1e9) });
  const again = p.replay(img, { meta: record.meta, params: [crop as unknown as L.Json, params[1] as L.Json] });
  assert.is(hashOf(again), hashOf(output), "the record's fields were read once, before any check");
  healthy();
});

test("defect 4: container output metadata is computed once: cost is linear in nesting depth", () => {
  const img = synthetic(32, 24);
  const leaf = () => new RandomHorizontalFlip();
  let calls = 0;
  const counting = new (class extends RandomHorizontalFlip {
    override ops(params: L.FlipParams, meta: L.Meta) {
      calls++;
      return super.ops(params, meta);
    }
  })();
  let t: L.Transform = new Compose([counting, leaf()]);
  // 12 levels: enough to show a doubling per level (4096 builds), few enough to fail fast before the fix.
  for (let d = 1; d < 12; d++) t = d % 2 ? new Compose([t, leaf()]) : new RandomApply([t, leaf()], 1);
  t.apply(img, { seed: 1 });
  // Once to draw (meta), once to build the ops that run: never a factor per level.
  assert.ok(calls <= 4, `the innermost transform's ops were built ${calls} times for one apply at depth 12`);
  for (let d = 12; d < 60; d++) t = d % 2 ? new Compose([t, leaf()]) : new RandomApply([t, leaf()], 1);
  const json = JSON.stringify(t.toJSON());
  const u = fromJSON(json);
  assert.is(hashOf(u.apply(img, { seed: 2 })), hashOf(t.apply(img, { seed: 2 })));
});

test("defect 4: nesting is bounded with a clear error: constructors, fromJSON (2000 deep), cycles and deep fields", () => {
  let t: L.Transform = new RandomHorizontalFlip();
  for (let d = 0; d < 64; d++) t = new Compose([t]);
  rejects(() => new Compose([t]), RangeError, /transforms: containers nest 65 deep, over the limit of 64/);
  let s = '{"type":"RandomHorizontalFlip"}';
  for (let d = 0; d < 2000; d++) s = `{"type":"Compose","transforms":[${s}]}`;
  rejects(() => fromJSON(s), RangeError, /pipeline JSON nests more than \d+ levels deep/);
  const cyclic: { type: string; transforms: unknown[] } = { type: "Compose", transforms: [] };
  cyclic.transforms.push(cyclic);
  rejects(() => fromJSON(cyclic as never), RangeError, /contains a cycle/);
  let deep: unknown = [1];
  for (let d = 0; d < 100000; d++) deep = [deep];
  rejects(() => fromJSON({ type: "Pad", padding: deep } as never), RangeError, /nests more than/);
  rejects(() => ((t as Compose).transforms as unknown[]).push(t), TypeError, /./);
  healthy();
});

test("defect 7: constructors and functional ops validate null and undefined options by name", () => {
  const img = synthetic(10, 8);
  const cases: [string, () => unknown][] = [
    // torchvision's positional null is a value where the field takes None (RandomCrop's padding,
    // RandomAffine's translate): there, null after every positional is the refused options.
    ["RandomCrop", () => new L.RandomCrop(17, null, false, 0, "constant", null as never)],
    ["RandomResizedCrop", () => new L.RandomResizedCrop(17, null as never)],
    ["Resize", () => new L.Resize(17, null as never)],
    ["Pad", () => new L.Pad(1, null as never)],
    ["RandomRotation", () => new L.RandomRotation(10, null as never)],
    ["RandomAffine", () => new L.RandomAffine(10, null, null, null, "nearest", 0, null, null as never)],
    ["RandomPerspective", () => new L.RandomPerspective(null as never)],
    ["ElasticTransform", () => new L.ElasticTransform(null as never)],
    ["RandomZoomOut", () => new L.RandomZoomOut(null as never)],
    ["ScaleJitter", () => new L.ScaleJitter([8, 8], null as never)],
    // RandomShortestSize(8, null) is torchvision's max_size=None; null after the positionals is refused.
    ["RandomShortestSize", () => new L.RandomShortestSize(8, null, "bilinear", true, null as never)],
    ["RandomResize", () => new L.RandomResize(4, 8, null as never)],
    ["TenCrop", () => new L.TenCrop(4, null as never)],
    ["F.crop", () => F.crop(img, 0, 0, 2, 2, null as never)],
    ["F.pad", () => F.pad(img, 1, null as never)],
    ["F.resize", () => F.resize(img, 4, null as never)],
    ["F.toTensor", () => F.toTensor(img, null as never)],
    ["F.rotate", () => F.rotate(img, 3, null as never)],
    ["F.adjustBrightness", () => F.adjustBrightness(img, 1.5, null as never)],
    ["apply", () => new Compose([]).apply(img, null as never)],
    ["sample", () => new L.RandomCrop(4).sample(null as never, { seed: 1 })],
  ];
  for (const [, fn] of cases) rejects(fn, TypeError, /options must be an object|input must be an Image/);
  healthy();
});

test("resetKernel gives back the memory a large call grew, and every output stays the same", async () => {
  await L.resetKernel(); // other test files in this process may have grown it already
  const small = kernelMemory();
  const big = synthetic(4000, 3000, 3, 1);
  const want = hashOf(F.resize(big, 1000));
  assert.ok(kernelMemory() > small + 30 * 2 ** 20, "a 12-megapixel resize grows kernel memory");
  await L.resetKernel();
  assert.is(L.kernelMemory(), kernelMemory());
  assert.ok(kernelMemory() <= 2 * 2 ** 20, `after resetKernel the kernel holds ${kernelMemory()} bytes`);
  healthy();
  assert.is(hashOf(F.resize(big, 1000)), want);
  await L.resetKernel();
});

test("defect 3 across an await: encodePng and lockstep/io's encodeJpeg encode the snapshot, and a buffer transferred meanwhile is a TypeError", async () => {
  const { encodePng, encodeJpeg } = await import("../src/io/index.js");
  const good = synthetic(8, 6, 3, 5);
  for (const [name, encode] of [
    ["encodePng", encodePng],
    ["encodeJpeg", encodeJpeg],
  ] as const) {
    const want = Buffer.from(await encode(good)).toString("hex");
    for (const [field, bad] of [
      ["width", 32768],
      ["channels", 4],
      ["data", new Uint8Array(3)],
    ] as const) {
      const got = Buffer.from(await encode(twoFaced(good, field, bad, 1))).toString("hex");
      assert.is(got, want, `${name}: ${field} answering ${String(bad)} on its second read`);
    }
    const img = synthetic(8, 6, 3, 5);
    const pending = encode(img); // checked now, encoded after the kernel's promise resolves
    structuredClone(img.data.buffer, { transfer: [img.data.buffer as ArrayBuffer] });
    await pending.then(
      () => assert.unreachable(`${name} encoded a transferred buffer`),
      (e: Error) => {
        assert.instance(e, TypeError, `${name}: ${e.message}`);
        assert.match(e.message, /img\.data is a Uint8Array whose buffer was detached/);
      },
    );
  }
  healthy();
});

test("fromImageData reads each field once, takes only ImageData's bytes and checks the size before copying anything", () => {
  const rgba = new Uint8ClampedArray(4 * 3 * 4).map((_, i) => i * 5);
  const want = L.fromImageData({ width: 4, height: 3, data: rgba }, { channels: 1 });
  let reads = 0;
  const lying = {
    height: 3,
    data: rgba,
    get width() {
      return reads++ < 1 ? 4 : 5;
    },
  };
  assert.equal(L.fromImageData(lying, { channels: 1 }), want, "the width was read once");
  rejects(
    () => L.fromImageData({ width: 4, height: 3, data: [1, 2, 3] as unknown as Uint8Array }),
    TypeError,
    /imageData\.data must be a Uint8ClampedArray/,
  );
  rejects(
    () => L.fromImageData({ width: 4, height: 3, data: 48 as unknown as Uint8Array }),
    TypeError,
    /imageData\.data must be a Uint8ClampedArray/,
  );
  rejects(() => L.fromImageData({ width: 30000, height: 30000, data: new Uint8ClampedArray(8) }), RangeError, /imageData/);
  rejects(() => L.fromImageData(null as unknown as ImageData), TypeError, /imageData must be an ImageData/);
  rejects(
    () => L.fromImageData({ width: 4, height: 3, data: rgba }, null as unknown as { channels: 3 }),
    TypeError,
    /options must be an object/,
  );
  const detached = new Uint8ClampedArray(48);
  structuredClone(detached.buffer, { transfer: [detached.buffer] });
  rejects(
    () => L.fromImageData({ width: 4, height: 3, data: detached }),
    TypeError,
    /imageData\.data is a Uint8ClampedArray whose buffer was detached/,
  );
});

test("decode reads its bytes once: a detached ArrayBuffer or view is a TypeError naming bytes, a Proxy is refused", async () => {
  const { decode, encodePng } = await import("../src/io/index.js");
  const png = await encodePng(synthetic(5, 4, 3, 2));
  const want = hashOf(await decode(png));
  assert.is(hashOf(await decode(png.slice().buffer)), want, "an ArrayBuffer decodes as its view");
  const gone = png.slice();
  structuredClone(gone.buffer, { transfer: [gone.buffer] });
  await decode(gone.buffer).then(
    () => assert.unreachable("decoded a detached ArrayBuffer"),
    (e: Error) => assert.match(e.message, /^decode: bytes is an ArrayBuffer that was detached/),
  );
  await decode(gone).then(
    () => assert.unreachable("decoded a detached view"),
    (e: Error) => assert.match(e.message, /^decode: bytes is a Uint8Array whose buffer was detached/),
  );
  await decode(new Proxy(png, {})).then(
    () => assert.unreachable("decoded a Proxy"),
    (e: Error) => assert.instance(e, TypeError),
  );
  assert.is(hashOf(await decode(png)), want);
});

test("resetKernel reaches every copy of the kernel loader in the realm (the lockstep and lockstep/io bundles, the sources)", async () => {
  const main = (await import(new URL("../build/server.js", import.meta.url).href)) as typeof L;
  const io = (await import(new URL("../build/io.js", import.meta.url).href)) as typeof import("../src/io/index.js");
  await main.ready();
  const img = synthetic(3000, 2000, 3, 3);
  const small = main.F.resize(img, 100);
  const png = Buffer.from(await io.encodePng(small)).toString("hex");
  assert.ok(main.kernelMemory() > 8 * 2 ** 20, "the bundle's resize grew the shared kernel");
  await L.resetKernel(); // through the sources' copy
  assert.ok(main.kernelMemory() <= 2 * 2 ** 20, `the bundle's copy sees the new kernel: ${main.kernelMemory()} bytes`);
  assert.is(main.kernelMemory(), L.kernelMemory());
  assert.is(Buffer.from(await io.encodePng(small)).toString("hex"), png, "the io bundle's copy encodes with the new kernel, same bytes");
  assert.is(hashOf(main.F.resize(img, 100)), hashOf(small));
  await L.resetKernel();
  healthy();
});

test("semantics travel through the containers' one-pass sampling: set at the root or on the inner Compose, the same draws and bytes", () => {
  const img = synthetic(30, 20, 3, 4);
  const wrap = (t: L.Transform, levels: number) => {
    for (let i = 0; i < levels; i++) t = i % 2 ? new RandomApply([t], 1) : new Compose([t]);
    return t;
  };
  let differs = 0;
  for (const T of [L.RandAugment, L.TrivialAugmentWide, L.AutoAugment]) {
    const atRoot = new Compose([wrap(new Compose([new T()]), 30)], { semantics: "tensor" });
    const inner = new Compose([wrap(new Compose([new T()], { semantics: "tensor" }), 30)]);
    const pil = new Compose([wrap(new Compose([new T()]), 30)]);
    for (let seed = 0; seed < 20; seed++) {
      const a = atRoot.applyWithRecord(img, { seed });
      const b = inner.applyWithRecord(img, { seed });
      assert.equal(a.record.params, b.record.params, `${T.name} seed ${seed}: params`);
      assert.is(hashOf(a.output), hashOf(b.output), `${T.name} seed ${seed}: bytes`);
      assert.is(a.record.semantics, "tensor");
      if (JSON.stringify(a.record.params) !== JSON.stringify(pil.applyWithRecord(img, { seed }).record.params)) differs++;
      assert.is(hashOf(atRoot.replay(img, a.record)), hashOf(a.output), `${T.name} seed ${seed}: replay`);
    }
  }
  assert.ok(differs > 0, "v2's magnitude tables were drawn from, not v1's");
  healthy();
});

test.run();

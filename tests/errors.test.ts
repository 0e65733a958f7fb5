// Bad input gets a TypeError/RangeError naming the argument, never a wasm trap or a
// wrong-sized output.
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  ready,
  F,
  Compose,
  RandomCrop,
  RandomResizedCrop,
  RandomHorizontalFlip,
  Resize,
  Normalize,
  ToTensor,
  Pad,
  CenterCrop,
  RandomApply,
  RandomChoice,
  fromJSON,
  Generator,
  MAX_SIDE,
} from "../src/index.js";
import { philox4x32 } from "../src/random/index.js";
import { synthetic } from "./helpers/recipes.js";
import { rejects } from "./helpers/check.js";

await ready();
const img = synthetic(20, 10);

test("images: wrong data length, bad sizes, bad channels, wrong types", () => {
  rejects(() => F.hflip({ ...img, data: new Uint8Array(5) }), RangeError, /img\.data has 5 bytes, but 20x10x3 needs 600/);
  rejects(() => F.hflip({ ...img, width: 0 }), RangeError, /img\.width must be an integer in \[1, 32768\], got 0/);
  rejects(() => F.hflip({ ...img, height: 2.5 }), RangeError, /img\.height/);
  rejects(() => F.hflip({ ...img, width: -3 }), RangeError, /img\.width/);
  rejects(() => F.hflip({ ...img, width: MAX_SIDE + 1 }), RangeError, /img\.width/);
  rejects(() => F.hflip({ ...img, width: 30000, height: 30000, data: new Uint8Array(0) }), RangeError, /over the limit/);
  rejects(() => F.hflip({ ...img, channels: 2 as 3 }), RangeError, /channels must be 1, 3 or 4, got 2/);
  rejects(
    () => F.hflip({ ...img, data: new Uint8ClampedArray(600) as unknown as Uint8Array }),
    TypeError,
    /img\.data must be a Uint8Array/,
  );
  rejects(() => F.hflip(null as never), TypeError, /img must be an Image/);
  rejects(() => F.toTensor({ ...img, width: NaN }), RangeError, /img\.width .* got NaN/);
});

test("functional ops: parameters out of range", () => {
  rejects(() => F.crop(img, 0, 0, 0, 5), RangeError, /height must be an integer in \[1, 32768\], got 0/);
  rejects(() => F.crop(img, NaN, 0, 5, 5), RangeError, /top must be an integer/);
  rejects(() => F.crop(img, 0, 0, 5, 5, { fill: 300 }), RangeError, /fill must be an integer in \[0, 255\], got 300/);
  rejects(() => F.centerCrop(img, [0, 4]), RangeError, /size\[0\]/);
  rejects(() => F.pad(img, -1), RangeError, /padding must be an integer in \[0, 32768\], got -1/);
  rejects(() => F.pad(img, [1, 2, 3]), TypeError, /padding must be an integer, \[n\]/);
  rejects(
    () => F.pad(img, 1, { paddingMode: "wrap" as "edge" }),
    RangeError,
    /paddingMode must be "constant", "edge", "reflect" or "symmetric", got "wrap"/,
  );
  rejects(() => F.pad(img, 1, { fill: [1, 2] }), TypeError, /fill must be an integer in \[0, 255\] or an array of 3/);
  rejects(() => F.pad(img, 32768), RangeError, /padded width/);
  rejects(() => F.resize(img, 0), RangeError, /size must be an integer in \[1, 32768\], got 0/);
  rejects(() => F.resize(img, [10, Infinity] as [number, number]), RangeError, /size\[1\]/);
  rejects(
    () => F.resize(img, 10, { interpolation: "lanczos" as "bilinear" }),
    RangeError,
    /interpolation must be "nearest", "bilinear" or "bicubic", got "lanczos"/,
  );
  rejects(() => F.resize(img, 10, { maxSize: 5 }), RangeError, /maxSize must be larger than the requested size 10/);
  rejects(() => F.resize(img, [5, 5], { maxSize: 50 }), RangeError, /maxSize is only allowed when size is a single number/);
  rejects(() => F.resize(synthetic(1, 200), 200), RangeError, /longer side of 40000, over 32768/);
  rejects(() => F.resize(img, [30000, 30000]), RangeError, /over the limit/);
  rejects(() => F.resizedCrop(img, 0, 0, 0, 4, 8), RangeError, /height/);
  rejects(() => F.normalize(F.toTensor(img), [0.5, 0.5], [0.5, 0.5, 0.5]), RangeError, /mean has 2 values, but the input has 3 channels/);
  rejects(() => F.normalize(F.toTensor(img), [0, 0, 0], [1, 0, 1]), RangeError, /std must not contain 0/);
  rejects(() => F.normalize(F.toTensor(img), [0, NaN, 0], [1, 1, 1]), TypeError, /mean must be a non-empty array of finite numbers/);
  rejects(
    () => F.normalize({ shape: [3, 2, 2], data: new Float32Array(11) }, [0], [1]),
    RangeError,
    /tensor\.data has 11 values, but shape \[3, 2, 2\] needs 12/,
  );
  rejects(() => F.hflip(img, { out: new Uint8Array(599) }), RangeError, /out has length 599, but this output needs 600/);
});

test("transforms: constructor arguments", () => {
  rejects(() => new RandomCrop(0), RangeError, /size must be an integer/);
  rejects(() => new RandomCrop(5, { padding: [1, 2, 3] }), TypeError, /padding must be/);
  rejects(() => new RandomCrop(5, { padIfNeeded: "yes" as unknown as boolean }), TypeError, /padIfNeeded must be a boolean/);
  rejects(() => new RandomResizedCrop(5, { scale: [0.9, 0.1] }), RangeError, /scale must be \[min, max\] with min <= max/);
  rejects(() => new RandomResizedCrop(5, { ratio: [0, 1] }), RangeError, /ratio values must be > 0/);
  rejects(() => new RandomResizedCrop(5, { scale: [NaN, 1] }), RangeError, /scale\[0\] must be a finite number/);
  rejects(() => new RandomHorizontalFlip(1.5), RangeError, /p must be a probability in \[0, 1\], got 1.5/);
  rejects(() => new RandomApply([new ToTensor()], -0.1), RangeError, /p must be a probability/);
  rejects(() => new RandomChoice([]), RangeError, /transforms must not be empty/);
  rejects(() => new RandomChoice([new ToTensor()], [-1]), RangeError, /p\[0\] must be >= 0/);
  rejects(() => new Compose([{} as ToTensor]), TypeError, /transforms must be an array of transforms/);
  rejects(() => new Normalize([0.5], [0]), RangeError, /std must not contain 0/);
  rejects(() => new Resize(10, { maxSize: 5 }), RangeError, /maxSize must be larger/);
  rejects(() => new Pad(1, { fill: 256 }), RangeError, /fill/);
});

test("transforms: inputs that do not fit", () => {
  rejects(
    () => new RandomCrop(30).apply(img, { seed: 1 }),
    RangeError,
    /size \[30, 30\] is larger than the image \(10x20\); use padIfNeeded: true/,
  );
  rejects(
    () => new Compose([new ToTensor(), new RandomHorizontalFlip()]).apply(img, { seed: 1 }),
    TypeError,
    /RandomHorizontalFlip expects an image .* place it before ToTensor/,
  );
  rejects(() => new Normalize([0.5], [0.5]).apply(img), TypeError, /Normalize expects a tensor: put ToTensor before it/);
  rejects(
    () => new Compose([new ToTensor(), new Normalize([0, 0], [1, 1])]).apply(img),
    RangeError,
    /mean has 2 values, but the input has 3 channels/,
  );
  // One channel is one channel, not "1 channels" (a grey image through an RGB recipe).
  const grey = { width: 4, height: 4, channels: 1 as const, data: new Uint8Array(16) };
  rejects(
    () => new Compose([new ToTensor(), new Normalize([0.5, 0.5, 0.5], [0.2, 0.2, 0.2])]).apply(grey),
    RangeError,
    /mean has 3 values, but the input has 1 channel$/,
  );
  rejects(() => new Pad(1, { fill: [1, 2, 3, 4] }).apply(img), TypeError, /fill must be/);
});

test("randomness: missing, conflicting or out-of-range seeds", () => {
  const t = new RandomHorizontalFlip();
  rejects(() => t.apply(img), TypeError, /pass \{ seed, index, epoch \} for keyed randomness .* or \{ generator: new Generator\(seed\) \}/);
  rejects(() => t.apply(img, { index: 3 } as never), TypeError, /index and epoch need a seed/);
  rejects(() => t.apply(img, { seed: -1 }), RangeError, /seed must be a non-negative integer/);
  rejects(() => t.apply(img, { seed: 1.5 }), RangeError, /seed must be/);
  rejects(() => t.apply(img, { seed: 2 ** 64 * 2 }), RangeError, /seed must be/);
  rejects(() => t.apply(img, { seed: 1n << 64n }), RangeError, /seed must be in \[0, 2\^64\)/);
  rejects(() => t.apply(img, { seed: 1, index: NaN }), RangeError, /index must be a non-negative integer/);
  rejects(() => t.apply(img, { seed: 1, epoch: -2 }), RangeError, /epoch must be/);
  rejects(() => t.apply(img, { seed: 1, generator: new Generator(1) } as never), TypeError, /either seed or generator/);
  // apply and applyBatch resolve through one set of rules: an index or epoch beside a generator is refused, never ignored.
  rejects(() => t.apply(img, { generator: new Generator(1), index: 3 } as never), TypeError, /index and epoch go with a seed/);
  rejects(() => t.sample(img, { generator: new Generator(1), epoch: 1 } as never), TypeError, /index and epoch go with a seed/);
  rejects(() => philox4x32([1, 2, 3], [0, 0]), TypeError, /counter must hold 4 unsigned 32-bit integers/);
  rejects(() => philox4x32([1, 2, 3, 2 ** 32], [0, 0]), RangeError, /counter\[3\] must be an integer in \[0, 2\^32\)/);
  // A deterministic pipeline needs no seed.
  assert.is(new CenterCrop(4).apply(img).data.length, 48);
});

test("replay: records that do not fit", () => {
  const p = new Compose([new RandomResizedCrop(8), new RandomHorizontalFlip()]);
  const { record } = p.applyWithRecord(img, { seed: 1 });
  rejects(() => p.replay(synthetic(21, 10), record), RangeError, /record was made for input/);
  rejects(
    () => p.replay(img, { meta: record.meta, params: [{ top: 0 }, { flip: true }] }),
    TypeError,
    /RandomResizedCrop: params must be \{ top, left, height, width \}/,
  );
  rejects(
    () => p.replay(img, { meta: record.meta, params: [{ top: 0, left: 0, height: 1e9, width: 4 }, { flip: true }] }),
    RangeError,
    /invalid window op/,
  );
  rejects(() => p.replay(img, { meta: record.meta, params: "x" }), TypeError, /Compose: params must be an array of 2 child params/);
  rejects(() => p.replay(img, null as never), TypeError, /record must be \{ meta, params \}/);
});

test("fromJSON: unknown, wrong, out-of-range and hostile fields name their path", () => {
  rejects(() => fromJSON("{"), SyntaxError, /fromJSON: not valid JSON/);
  rejects(() => fromJSON({ type: "Sharpen" }), RangeError, /\$\.type: unknown transform "Sharpen"; known: .*RandomCrop/);
  rejects(
    () => fromJSON({ type: "Compose", transforms: [{ type: "RandomCrop", size: -3 }] }),
    RangeError,
    /\$\.transforms\[0\]\.size must be an integer in \[1, 32768\], got -3/,
  );
  rejects(
    () => fromJSON({ type: "Compose", transforms: [{ type: "Resize", size: 8, colour: 1 }] }),
    RangeError,
    /\$\.transforms\[0\]\.colour: unknown field for Resize/,
  );
  rejects(
    () => fromJSON({ type: "Compose", transforms: [{ type: "RandomApply", transforms: [{ type: "RandomHorizontalFlip", p: "0.5" }] }] }),
    RangeError,
    /\$\.transforms\[0\]\.transforms\[0\]\.p must be a finite number, got "0\.5"/,
  );
  rejects(() => fromJSON({ type: "Compose", transforms: "x" }), TypeError, /\$\.transforms: expected an array of transforms/);
  // A bare list is a Compose of its entries, each still checked.
  rejects(() => fromJSON([1, 2]), TypeError, /\$\.transforms\[0\]: expected a transform object/);
  rejects(
    () => fromJSON('{"type":"Compose","transforms":[{"type":"Pad","padding":1,"__proto__":{"polluted":1}}]}'),
    TypeError,
    /\$\.transforms\[0\]: the key "__proto__" is not allowed/,
  );
  rejects(
    () => fromJSON({ type: "Compose", transforms: [{ type: "Pad", padding: 1, fill: { constructor: 1 } }] }),
    TypeError,
    /\$\.transforms\[0\]\.fill: the key "constructor" is not allowed/,
  );
  rejects(() => fromJSON({ type: "constructor" }), RangeError, /unknown transform "constructor"/);
  rejects(() => fromJSON({ type: "toString" }), RangeError, /unknown transform "toString"/);
  assert.is(({} as Record<string, unknown>).polluted, undefined);
});

test("fuzz: random garbage never escapes as a wasm trap or a non-Error", () => {
  let s = 12345;
  const r = () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const vals = [0, -1, 1, 2.5, NaN, Infinity, -Infinity, 1e12, 255, 256, "3", null, undefined, [], [1], [1, 2], [1, 2, 3, 4], {}, true];
  const pick = () => vals[Math.floor(r() * vals.length)];
  const calls: (() => unknown)[] = [];
  for (let i = 0; i < 400; i++) {
    const a = [pick(), pick(), pick(), pick(), pick()] as [never, never, never, never, never];
    calls.push(
      () => F.crop(img, a[0], a[1], a[2], a[3]),
      () => F.pad(img, a[0], { fill: a[1], paddingMode: a[2] }),
      () => F.resize(img, a[0], { interpolation: a[1], maxSize: a[2] }),
    );
    calls.push(
      () => F.resizedCrop(img, a[0], a[1], a[2], a[3], a[4]),
      () => F.centerCrop(img, a[0]),
      () => new RandomResizedCrop(a[0], { scale: a[1], ratio: a[2] }).apply(img, { seed: 1 }),
    );
    calls.push(() =>
      fromJSON({ type: "Compose", transforms: [{ type: "RandomCrop", size: a[0], padding: a[1], fill: a[2] }] } as never).apply(img, {
        seed: 2,
      }),
    );
  }
  for (const call of calls) {
    try {
      const out = call() as { data?: { length: number }; width?: number; height?: number; channels?: number };
      if (out && out.width !== undefined) assert.is(out.data!.length, out.width * out.height! * out.channels!);
    } catch (e) {
      assert.ok(
        e instanceof TypeError || e instanceof RangeError,
        `unexpected ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`,
      );
    }
  }
});

test.run();

// Colour ops and transforms: parity with torchvision 0.28 / Pillow 12.3 under each semantics
// (tests/parity/fixtures/color, made by make_fixtures_color.py), the SIMD kernels against
// the scalar twins in tests/reference/{pilcolor,tvcolor,color}.ts, bad input, ColorJitter's
// sampling against torchvision's get_params, RandomPhotometricDistort's structure, JSON
// round trips and record/replay.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import {
  F,
  ready,
  fromJSON,
  Compose,
  ToTensor,
  Normalize,
  RandomHorizontalFlip,
  ColorJitter,
  RandomPhotometricDistort,
  Grayscale,
  RandomGrayscale,
  RandomInvert,
  RandomPosterize,
  RandomSolarize,
  RandomAdjustSharpness,
  RandomAutocontrast,
  RandomEqualize,
  RandomChannelPermutation,
  type Channels,
  type Image,
  type Transform,
} from "../src/index.js";
import * as R from "./reference/color.js";
import * as P from "./reference/pilcolor.js";
import * as V from "./reference/tvcolor.js";
import { rng, property, rejects, type Rng, ks, critical } from "./helpers/check.js";

await ready();

// ------------------------------------------------------------------ helpers

const SPECIAL = [1, 2, 3, 4, 5, 15, 16, 17, 31, 32, 33];
const side = (r: Rng, max = 40) => (r.chance(0.35) ? r.pick(SPECIAL) : r.int(1, max));

function image(r: Rng, c: Channels = r.pick([1, 3, 4] as const), w = side(r), h = side(r)): Image {
  const data = new Uint8Array(w * h * c);
  for (let i = 0; i < data.length; i++) data[i] = r.u32() & 0xff;
  const kind = r.int(0, 9);
  // Saturated, few-level and grey-ish images, where ties, clipping and flat channels show up.
  if (kind === 0) for (let i = 0; i < data.length; i++) data[i] = data[i]! & 1 ? 255 : 0;
  if (kind === 1) for (let i = 0; i < data.length; i++) data[i] = (data[i]! & 3) * 85;
  if (kind === 2 && c >= 3) for (let i = 0; i < w * h; i++) data[i * c + 1] = data[i * c + 2] = data[i * c]!;
  if (kind === 3) data.fill(data[0]!);
  return { width: w, height: h, channels: c, data };
}

const desc = (img: Image) => `${img.width}x${img.height}x${img.channels}`;

function same(got: Image, want: Image, what: string): void {
  assert.equal([got.width, got.height, got.channels], [want.width, want.height, want.channels], `shape: ${what}`);
  for (let i = 0; i < want.data.length; i++) {
    if (got.data[i] !== want.data[i])
      assert.unreachable(`value ${i} of ${want.data.length}: kernel ${got.data[i]}, twin ${want.data[i]}; ${what}`);
  }
}

// ------------------------------------------------------------------ parity with torchvision

const root = new URL("./parity/fixtures/color/", import.meta.url);
const gz = (file: string) => new Uint8Array(gunzipSync(readFileSync(new URL(file, root))));
type Semantics = "pil" | "tensor" | "tensor-v1";
interface Case {
  id: string;
  op: string;
  semantics: Semantics;
  input: string;
  args: Record<string, any>;
  reference: string;
  output: { file: string; shape: number[] };
}
const manifest = JSON.parse(readFileSync(new URL("cases.json", root), "utf8")) as {
  inputs: Record<string, { file: string; width: number; height: number; channels: Channels }>;
  cases: Case[];
};
const inputCache = new Map<string, Image>();
function fixtureInput(name: string): Image {
  if (!inputCache.has(name)) {
    const m = manifest.inputs[name]!;
    inputCache.set(name, { width: m.width, height: m.height, channels: m.channels, data: gz(m.file) });
  }
  return inputCache.get(name)!;
}

type Args = Record<string, any>;
const ops: Record<string, (img: Image, a: Args, semantics: Semantics) => Image> = {
  adjustBrightness: (img, a, semantics) => F.adjustBrightness(img, a.factor, { semantics }),
  adjustContrast: (img, a, semantics) => F.adjustContrast(img, a.factor, { semantics }),
  adjustSaturation: (img, a, semantics) => F.adjustSaturation(img, a.factor, { semantics }),
  adjustHue: (img, a, semantics) => F.adjustHue(img, a.factor, { semantics }),
  adjustGamma: (img, a, semantics) => F.adjustGamma(img, a.gamma, a.gain, { semantics }),
  adjustSharpness: (img, a, semantics) => F.adjustSharpness(img, a.factor, { semantics }),
  rgbToGrayscale: (img, a, semantics) => F.rgbToGrayscale(img, a.numOutputChannels, { semantics }),
  invert: (img, _, semantics) => F.invert(img, { semantics }),
  posterize: (img, a, semantics) => F.posterize(img, a.bits, { semantics }),
  solarize: (img, a, semantics) => F.solarize(img, a.threshold, { semantics }),
  autocontrast: (img, _, semantics) => F.autocontrast(img, { semantics }),
  equalize: (img, _, semantics) => F.equalize(img, { semantics }),
  permuteChannels: (img, a, semantics) => F.permuteChannels(img, a.permutation, { semantics }),
};
const stats: Record<string, { values: number; inexact: number; cases: number }> = {};

// Every colour op is bit-exact under every semantics: each case must match to the last value.
for (const c of manifest.cases) {
  test(`parity ${c.id} (${c.reference})`, () => {
    const out = ops[c.op]!(fixtureInput(c.input), c.args, c.semantics);
    assert.equal([out.height, out.width, out.channels], c.output.shape, "shape");
    const want = gz(c.output.file);
    const s = (stats[`${c.semantics} ${c.op}`] ??= { values: 0, inexact: 0, cases: 0 });
    let first = -1;
    let n = 0;
    for (let i = 0; i < want.length; i++) {
      if (out.data[i] !== want[i]) {
        n++;
        if (first < 0) first = i;
      }
    }
    s.values += want.length;
    s.inexact += n;
    s.cases++;
    assert.is(n, 0, `${n} values differ, the first at ${first}: ${out.data[first]} vs ${want[first]}`);
  });
}

test.after(() => {
  for (const [k, s] of Object.entries(stats)) console.log(`  parity ${k}: ${s.cases} cases, ${s.inexact} of ${s.values} values differ`);
});

test("parity: every op and channel count is covered by the fixtures under both semantics", () => {
  const seen = new Set(manifest.cases.map((c) => `${c.semantics}/${c.op}/${manifest.inputs[c.input]!.channels}`));
  for (const sem of ["pil", "tensor"])
    for (const op of Object.keys(ops))
      for (const ch of [1, 3, 4]) assert.ok(seen.has(`${sem}/${op}/${ch}`), `${sem} ${op} on ${ch} channels`);
  for (const op of [
    "adjustBrightness",
    "adjustContrast",
    "adjustSaturation",
    "adjustSharpness",
    "posterize",
    "solarize",
    "autocontrast",
    "equalize",
  ]) {
    assert.ok(seen.has(`tensor-v1/${op}/3`), `tensor-v1 ${op}`);
  }
});

// ------------------------------------------------------------------ kernel vs scalar twins

test("twin sanity: values worked out by hand", () => {
  assert.is(R.grey(255, 255, 255), 254); // 0.2989 + 0.587 + 0.114 = 0.9999
  assert.is(R.grey(100, 0, 0), 29);
  assert.is(P.grey(255, 255, 255), 255); // the L24 weights sum to 2^16
  assert.is(P.grey(100, 0, 0), 30); // 100 * 19595 / 65536 = 29.9, + 0.5 rounds up
  assert.is(V.fma32(3, Math.fround(0.1), 1), Math.fround(1.3000000119)); // 3 * float(0.1) + 1, one rounding
  assert.equal(V.huePixel(255, 0, 0, 1 / 3), [0, 255, 0]);
  assert.equal(V.huePixel(200, 200, 200, 0.25), [200, 200, 200]);
  assert.equal(P.huePixel(255, 0, 0, 1 / 3), [0, 255, 0]); // hue byte 0 + 85: exactly a third
  assert.is(R.gammaValue(255, 2.2, 1), 255);
  assert.is(R.gammaValue(0, 0, 1), 255);
  const ramp: Image = { width: 4, height: 1, channels: 1, data: Uint8Array.from([10, 20, 30, 20]) };
  assert.equal(Array.from(R.autocontrast(ramp).data), [0, 127, 255, 127]);
  assert.equal(Array.from(P.autocontrast(ramp).data), [0, 127, 255, 127]);
  assert.equal(Array.from(R.posterize(ramp, 3).data), [0, 0, 0, 0]);
  assert.equal(Array.from(R.posterize(ramp, 4).data), [0, 16, 16, 16]);
  assert.equal(Array.from(R.solarize(ramp, 20).data), [10, 235, 225, 235]);
});

test("fma32 twin: one rounding, where the unfused a * b + c rounds twice", () => {
  // 1 + 2^-23 is exact; (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24 needs 25 bits.
  const a = 1 + 2 ** -12;
  assert.is(V.fma32(a, a, -1), 2 ** -11 + 2 ** -24);
  assert.is(Math.fround(Math.fround(a * a) - 1), 2 ** -11);
});

test("sharpness smoothing: every 3x3 sum s in [0, 13 * 255] rounds like the exact s / 13", () => {
  // One 3x3 tile per s, tiles side by side (the centres' neighbourhoods do not overlap).
  const S = 13 * 255 + 1;
  const w = 3 * S;
  const data = new Uint8Array(3 * w);
  for (let s = 0; s < S; s++) {
    const c = Math.max(0, Math.ceil((s - 8 * 255) / 5));
    let rest = s - 5 * c;
    const at = (y: number, x: number) => y * w + 3 * s + x;
    data[at(1, 1)] = c;
    for (const [y, x] of [
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 2],
      [2, 0],
      [2, 1],
      [2, 2],
    ] as const) {
      const v = Math.min(255, rest);
      data[at(y, x)] = v;
      rest -= v;
    }
    assert.is(rest, 0);
  }
  const out = F.adjustSharpness({ width: w, height: 3, channels: 1, data }, 0); // factor 0: exactly the smoothed image
  for (let s = 0; s < S; s++) assert.is(out.data[w + 3 * s + 1], Math.round(s / 13), `s = ${s}`);
});

/** An RGB image holding every colour (r, g, b) with each level in `levels`. */
function cube(levels: number[]): Image {
  const n = levels.length;
  const data = new Uint8Array(n * n * n * 3);
  let i = 0;
  for (const r of levels) for (const g of levels) for (const b of levels) (data[i++] = r), (data[i++] = g), (data[i++] = b);
  return { width: n * n, height: n, channels: 3, data };
}

test("grayscale: all 2^24 colours, kernel == twin (pil: L24; tensor-v1: f32, which integer arithmetic would miss 20 of)", () => {
  const img = cube(Array.from({ length: 256 }, (_, i) => i));
  const pil = F.rgbToGrayscale({ ...img, width: 4096, height: 4096 }, 1).data;
  for (let i = 0, p = 0; i < pil.length; i++, p += 3) {
    const v = P.grey(img.data[p]!, img.data[p + 1]!, img.data[p + 2]!);
    if (pil[i] !== v) assert.unreachable(`pil (${img.data[p]}, ${img.data[p + 1]}, ${img.data[p + 2]}): kernel ${pil[i]}, twin ${v}`);
  }
  const got = F.rgbToGrayscale({ ...img, width: 4096, height: 4096 }, 1, { semantics: "tensor-v1" }).data;
  let off = 0;
  for (let i = 0, p = 0; i < got.length; i++, p += 3) {
    const [r, g, b] = [img.data[p]!, img.data[p + 1]!, img.data[p + 2]!];
    if (got[i] !== R.grey(r, g, b)) assert.unreachable(`(${r}, ${g}, ${b}): kernel ${got[i]}, twin ${R.grey(r, g, b)}`);
    if (got[i] !== Math.floor((2989 * r + 5870 * g + 1140 * b) / 10000)) off++;
  }
  assert.is(off, 20);
});

test("hue, saturation and grey on a lattice of 140608 colours (every 5th level), kernel == twin, each semantics", () => {
  const img = cube(Array.from({ length: 52 }, (_, i) => Math.min(255, i * 5)));
  for (const hf of [-0.5, -0.13, 0.07, 0.5]) {
    same(F.adjustHue(img, hf), P.hue(img, hf), `pil hue ${hf} lattice`);
    same(F.adjustHue(img, hf, { semantics: "tensor" }), V.hue(img, hf), `tensor hue ${hf} lattice`);
  }
  for (const s of [0, 0.6, 2.5]) {
    same(F.adjustSaturation(img, s), P.saturation(img, s), `pil saturation ${s} lattice`);
    same(F.adjustSaturation(img, s, { semantics: "tensor" }), V.saturation(img, s), `tensor saturation ${s} lattice`);
    same(F.adjustSaturation(img, s, { semantics: "tensor-v1" }), R.saturation(img, s), `tensor-v1 saturation ${s} lattice`);
  }
  same(F.rgbToGrayscale(img, 1, { semantics: "tensor" }), V.grayscale(img, 1), "tensor grey lattice");
});

test("hue: a shift landing a hair below 0 wraps to 1.0 and sector 6 becomes sector 0 (torch's i % 6)", () => {
  // hf is one float32 step beyond -h(yellow): (h + hf) % 1 lands on the float32 below 1.
  const hf = -0.166666641831398;
  for (const n of [1, 4, 5, 19]) {
    const img: Image = { width: n, height: 1, channels: 3, data: new Uint8Array(3 * n).map((_, i) => (i % 3 === 2 ? 0 : 255)) };
    same(F.adjustHue(img, hf, { semantics: "tensor" }), V.hue(img, hf), `tensor, ${n} pixels`);
    same(F.adjustHue(img, hf), P.hue(img, hf), `pil, ${n} pixels`);
  }
});

const FACTORS = [0, 1, 0.5, 2, 0.123, 1.7, 3.3, 10];
const factor = (r: Rng) => (r.chance(0.5) ? r.pick(FACTORS) : r.float(0, 3));

const SEMANTICS: Semantics[] = ["pil", "tensor", "tensor-v1"];
const TWIN = { pil: P, tensor: V, "tensor-v1": R };

property("brightness / contrast: kernel == twin (LUT, grey mean), each semantics", 150, (r) => {
  const img = image(r);
  const semantics = r.pick(SEMANTICS);
  const t = TWIN[semantics];
  const b = factor(r);
  same(F.adjustBrightness(img, b, { semantics }), t.brightness(img, b), `${semantics} brightness ${b} ${desc(img)}`);
  const c = factor(r);
  same(F.adjustContrast(img, c, { semantics }), t.contrast(img, c), `${semantics} contrast ${c} ${desc(img)}`);
});

property("saturation (SIMD blend with grey) == twin, each semantics; grey images unchanged", 150, (r) => {
  const img = image(r);
  const semantics = r.pick(SEMANTICS);
  const s = factor(r);
  const want = img.channels === 1 ? img : TWIN[semantics].saturation(img, s);
  same(F.adjustSaturation(img, s, { semantics }), want, `${semantics} saturation ${s} ${desc(img)}`);
});

property("hue (HSV round trip) == twin, pil and tensor; grey images unchanged", 150, (r) => {
  const img = image(r);
  const semantics = r.pick(["pil", "tensor"] as const);
  const hf = r.chance(0.3) ? r.pick([-0.5, 0.5, 0, -0.25, 1 / 3, 1e-9, -1e-9]) : r.float(-0.5, 0.5);
  same(F.adjustHue(img, hf, { semantics }), TWIN[semantics].hue(img, hf), `${semantics} hue ${hf} ${desc(img)}`);
});

property("sharpness (smoothing + blend) == twin, each semantics", 150, (r) => {
  const img = image(r);
  const semantics = r.pick(SEMANTICS);
  const s = factor(r);
  same(F.adjustSharpness(img, s, { semantics }), TWIN[semantics].sharpness(img, s), `${semantics} sharpness ${s} ${desc(img)}`);
});

property("gamma == twin, each semantics", 80, (r) => {
  const img = image(r);
  const semantics = r.pick(SEMANTICS);
  const g = r.chance(0.5) ? r.pick([0, 0.5, 1, 2, 3, 0.25, 2.2]) : r.float(0, 4);
  const gain = r.pick([1, 0.5, 1.3, r.float(0, 2)]);
  same(
    F.adjustGamma(img, g, gain, { semantics }),
    TWIN[semantics].gamma(img, g, gain),
    `${semantics} gamma ${g} gain ${gain} ${desc(img)}`,
  );
});

property("grayscale (1/3 outputs, alpha kept) == twin, each semantics", 150, (r) => {
  const img = image(r);
  const semantics = r.pick(SEMANTICS);
  const k = r.pick([1, 3] as const);
  same(F.rgbToGrayscale(img, k, { semantics }), TWIN[semantics].grayscale(img, k), `${semantics} grayscale ${k} ${desc(img)}`);
});

property("invert / posterize / solarize (LUTs) == twin", 100, (r) => {
  const img = image(r);
  same(F.invert(img), R.invert(img), `invert ${desc(img)}`);
  const bits = r.int(0, 8);
  same(F.posterize(img, bits), R.posterize(img, bits), `posterize ${bits} ${desc(img)}`);
  const t = r.chance(0.5) ? r.int(0, 255) : r.float(0, 255);
  same(F.solarize(img, t), R.solarize(img, t), `solarize ${t} ${desc(img)}`);
});

property("autocontrast (SIMD min/max) / equalize (histograms) == twin, each semantics", 150, (r) => {
  const img = r.chance(0.2) ? image(r, r.pick([1, 3, 4] as const), r.int(30, 90), r.int(30, 90)) : image(r);
  const semantics = r.pick(SEMANTICS);
  same(F.autocontrast(img, { semantics }), TWIN[semantics].autocontrast(img), `${semantics} autocontrast ${desc(img)}`);
  same(F.equalize(img, { semantics }), R.equalize(img), `${semantics} equalize ${desc(img)}`);
});

property("permuteChannels (SIMD swizzle) == twin", 150, (r) => {
  const img = image(r);
  const p = Array.from({ length: img.channels }, (_, i) => i);
  for (let i = p.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  same(F.permuteChannels(img, p), R.permute(img, p), `permute ${p} ${desc(img)}`);
});

test("RGBA: alpha passes through every colour op untouched", () => {
  const r = rng(77);
  const img = image(r, 4, 37, 11);
  const alpha = (x: Image) => Array.from(x.data.filter((_, i) => i % 4 === 3));
  const a = alpha(img);
  for (const semantics of SEMANTICS) {
    const o = { semantics };
    for (const out of [
      F.adjustBrightness(img, 2, o),
      F.adjustContrast(img, 0.3, o),
      F.adjustSaturation(img, 3, o),
      F.adjustHue(img, 0.4, o),
      F.adjustGamma(img, 0.3, 1, o),
      F.adjustSharpness(img, 4, o),
      F.invert(img, o),
      F.posterize(img, 1, o),
      F.solarize(img, 10, o),
      F.autocontrast(img, o),
      F.equalize(img, o),
      F.rgbToGrayscale(img, 3, o),
    ]) {
      assert.is(out.channels, 4);
      assert.equal(alpha(out), a, semantics);
    }
    assert.is(F.rgbToGrayscale(img, 1, o).channels, 1);
  }
});

test("outputs go into `out` and inputs stay untouched", () => {
  const img = image(rng(5), 3, 20, 7);
  const copy = img.data.slice();
  const out = new Uint8Array(img.data.length);
  const res = F.adjustHue(img, 0.2, { out });
  assert.is(res.data, out);
  assert.equal(out, P.hue(img, 0.2).data);
  assert.equal(img.data, copy);
  assert.is(F.rgbToGrayscale(img, 1, { out: new Uint8Array(140) }).data.length, 140);
  rejects(() => F.invert(img, { out: new Uint8Array(3) }), RangeError, /out has length 3, but this output needs 420/);
});

test("grey images: grayscale keeps 1 channel or repeats to 3 (Pillow and v2 alike; v1's tensor kernel keeps 1); saturation and hue return the image, as torchvision does", () => {
  const img: Image = { width: 3, height: 1, channels: 1, data: Uint8Array.from([1, 2, 3]) };
  for (const semantics of SEMANTICS) {
    assert.equal(
      Array.from(F.rgbToGrayscale(img, 3, { semantics }).data),
      semantics === "tensor-v1" ? [1, 2, 3] : [1, 1, 1, 2, 2, 2, 3, 3, 3],
    );
    assert.equal(Array.from(F.rgbToGrayscale(img, 1, { semantics }).data), [1, 2, 3]);
    for (const f of [0, 0.3, 4]) assert.equal(F.adjustSaturation(img, f, { semantics }), img);
    for (const h of [-0.5, 0.1]) assert.equal(F.adjustHue(img, h, { semantics }), img);
  }
  rejects(
    () => F.adjustHue(img, 0.1, { semantics: "PIL" as "pil" }),
    RangeError,
    /semantics must be "pil" \(torchvision on PIL images\) or "tensor"/,
  );
});

// ------------------------------------------------------------------ bad input

test("functional colour ops: arguments out of range name the argument", () => {
  const img = image(rng(9), 3, 6, 5);
  for (const [fn, name] of [
    [(v: any) => F.adjustBrightness(img, v), "brightnessFactor"],
    [(v: any) => F.adjustContrast(img, v), "contrastFactor"],
    [(v: any) => F.adjustSaturation(img, v), "saturationFactor"],
    [(v: any) => F.adjustSharpness(img, v), "sharpnessFactor"],
    [(v: any) => F.adjustGamma(img, v), "gamma"],
  ] as const) {
    for (const v of [-0.1, NaN, Infinity, "1", null, 1e7])
      rejects(() => fn(v), RangeError, new RegExp(`${name} must be a finite number in \\[0, 1000000\\]`));
  }
  for (const v of [0.51, -0.500001, NaN, "0.1"])
    rejects(() => F.adjustHue(img, v as number), RangeError, /hueFactor must be a finite number in \[-0\.5, 0\.5\]/);
  rejects(() => F.adjustGamma(img, 1, NaN), RangeError, /gain must be a finite number/);
  rejects(() => F.adjustGamma(img, 1, -2e6), RangeError, /gain must be a finite number in \[-1000000, 1000000\]/);
  for (const v of [-1, 9, 2.5, NaN]) rejects(() => F.posterize(img, v), RangeError, /bits must be an integer in \[0, 8\]/);
  for (const v of [-1, 255.5, NaN, Infinity])
    rejects(() => F.solarize(img, v), RangeError, /threshold must be a finite number in \[0, 255\]/);
  rejects(() => F.rgbToGrayscale(img, 2 as 1), RangeError, /numOutputChannels must be 1 or 3, got 2/);
  rejects(() => F.rgbToGrayscale(img, 4 as 1), RangeError, /numOutputChannels must be 1 or 3, got 4/);
  for (const p of [[0, 1], [0, 1, 1], [0, 1, 3], [0, 1, 2, 3], [0, 1.5, 2], "012", null]) {
    rejects(
      () => F.permuteChannels(img, p as number[]),
      RangeError,
      /permutation must be a permutation of \[0, 1, 2\] \(one entry per channel\)/,
    );
  }
  rejects(
    () => F.permuteChannels({ ...img, channels: 4, data: new Uint8Array(120) }, [0, 1, 2]),
    RangeError,
    /permutation of \[0, 1, 2, 3\]/,
  );
  rejects(() => F.invert({ ...img, channels: 2 as 3 }), RangeError, /img\.channels must be 1, 3 or 4, got 2/);
  rejects(() => F.equalize({ ...img, data: new Uint8Array(5) }), RangeError, /img\.data has 5 bytes/);
});

test("colour transforms: constructor arguments", () => {
  rejects(() => new ColorJitter(-0.1), RangeError, /brightness as a single number must be in \[0, /);
  rejects(() => new ColorJitter(NaN), RangeError, /brightness must be a finite number, got NaN/);
  rejects(() => new ColorJitter(0, [1.5, 0.5]), RangeError, /contrast must be \[min, max\] with 0 <= min <= max/);
  rejects(() => new ColorJitter(0, 0, [-1, 2]), RangeError, /saturation must be \[min, max\] with 0 <= min/);
  rejects(() => new ColorJitter(0, 0, 0, 0.6), RangeError, /hue as a single number must be in \[0, 0\.5\], got 0\.6/);
  rejects(() => new ColorJitter(0, 0, 0, [-0.6, 0]), RangeError, /hue must be \[min, max\] with -0\.5 <= min <= max <= 0\.5/);
  rejects(() => new ColorJitter("x" as never), TypeError, /brightness must be a number, \[min, max\] or null, got "x"/);
  rejects(() => new ColorJitter([1, 2, 3] as never), TypeError, /brightness must be a number, \[min, max\] or null/);
  rejects(() => new ColorJitter({ brightness: 0.2, sharpness: 1 } as never), RangeError, /unknown ColorJitter option "sharpness"/);
  // @ts-expect-error options before a positional, refused at run time too
  rejects(() => new ColorJitter({ brightness: 0.2 }, 0.3), TypeError, /ColorJitter: the options object must be the last argument/);
  rejects(() => new RandomPhotometricDistort({ brightness: [2, 1] }), RangeError, /brightness must be \[min, max\] with 0 <= min <= max/);
  rejects(() => new RandomPhotometricDistort({ hue: [-1, 0] }), RangeError, /hue must be \[min, max\] with -0\.5 <= min/);
  rejects(() => new RandomPhotometricDistort({ contrast: 0.5 as never }), TypeError, /contrast must be \[min, max\], got 0\.5/);
  rejects(() => new RandomPhotometricDistort({ p: 1.2 }), RangeError, /p must be a probability in \[0, 1\], got 1\.2/);
  rejects(() => new Grayscale(2 as 1), RangeError, /numOutputChannels must be 1 or 3/);
  for (const mk of [
    (p: number) => new RandomGrayscale(p),
    (p: number) => new RandomInvert(p),
    (p: number) => new RandomAutocontrast(p),
    (p: number) => new RandomEqualize(p),
    (p: number) => new RandomPosterize(4, p),
    (p: number) => new RandomSolarize(128, p),
    (p: number) => new RandomAdjustSharpness(2, p),
  ]) {
    rejects(() => mk(-0.01), RangeError, /p must be a probability in \[0, 1\], got -0\.01/);
    rejects(() => mk(NaN), RangeError, /p must be a finite number/);
  }
  rejects(() => new RandomPosterize(9), RangeError, /bits must be an integer in \[0, 8\], got 9/);
  rejects(() => new RandomSolarize(300), RangeError, /threshold must be a finite number in \[0, 255\], got 300/);
  rejects(() => new RandomAdjustSharpness(-2), RangeError, /sharpnessFactor must be a finite number in \[0, /);
});

test("colour transforms: tensors, bad records and bad JSON", () => {
  const img = image(rng(3), 3, 9, 8);
  rejects(
    () => new Compose([new ToTensor(), new ColorJitter(0.3)]).apply(img, { seed: 1 }),
    TypeError,
    /ColorJitter expects an image .* place it before ToTensor/,
  );
  const cj = new ColorJitter(0.3, 0.3, 0.3, 0.3);
  const { record } = cj.applyWithRecord(img, { seed: 1 });
  const p = record.params as any;
  rejects(
    () => cj.replay(img, { meta: record.meta, params: { ...p, order: [0, 0, 1, 2] } }),
    TypeError,
    /ColorJitter: params must be \{ order: a permutation of 0\.\.3/,
  );
  rejects(() => cj.replay(img, { meta: record.meta, params: { ...p, hue: "0.1" } }), TypeError, /ColorJitter: params must be/);
  rejects(
    () => cj.replay(img, { meta: record.meta, params: { ...p, hue: 0.9 } }),
    RangeError,
    /ColorJitter: invalid adjustHue op: factor must be a finite number in \[-0\.5, 0\.5\], got 0\.9/,
  );
  rejects(
    () => cj.replay(img, { meta: record.meta, params: { ...p, brightness: -1 } }),
    RangeError,
    /invalid adjustBrightness op: factor must be a finite number in \[0, /,
  );
  const pd = new RandomPhotometricDistort({ p: 1 });
  const rec = pd.applyWithRecord(img, { seed: 1 }).record;
  rejects(
    () => pd.replay(img, { meta: rec.meta, params: { ...(rec.params as any), permutation: [0, 1] } }),
    TypeError,
    /RandomPhotometricDistort: params must be .*permutation of 3 colour channels/,
  );
  rejects(
    () => new RandomChannelPermutation().replay(img, { meta: rec.meta, params: { permutation: [2, 2, 0] } }),
    TypeError,
    /RandomChannelPermutation: params must be/,
  );
  rejects(
    () => new RandomInvert().replay(img, { meta: rec.meta, params: { applied: 1 } as never }),
    TypeError,
    /RandomInvert: params must be \{ applied: boolean \}/,
  );
  rejects(
    () => fromJSON({ type: "Compose", transforms: [{ type: "ColorJitter", brightness: -1 }] }),
    RangeError,
    /\$\.transforms\[0\]\.brightness as a single number must be in/,
  );
  rejects(
    () => fromJSON({ type: "RandomSolarize", threshold: "128" }),
    RangeError,
    /\$\.threshold must be a finite number in \[0, 255\], got "128"/,
  );
  rejects(() => fromJSON({ type: "RandomPosterize", bits: 4, sharp: 1 }), RangeError, /\$\.sharp: unknown field for RandomPosterize/);
});

test("fuzz: garbage arguments give TypeError/RangeError or a right-sized image, never a wasm trap", () => {
  const r = rng(2024);
  const vals = [
    0,
    -1,
    1,
    0.5,
    2.5,
    8,
    9,
    255,
    256,
    -0.5,
    0.5000001,
    NaN,
    Infinity,
    -Infinity,
    1e12,
    "3",
    null,
    undefined,
    [],
    [0],
    [0, 1, 2],
    [2, 1, 0, 3],
    [1, 1, 0],
    {},
    true,
  ];
  const pick = () => vals[r.u32() % vals.length] as never;
  let ok = 0;
  for (let i = 0; i < 300; i++) {
    const img = image(r, r.pick([1, 3, 4] as const), r.int(1, 9), r.int(1, 9));
    const a = pick(),
      b = pick();
    const calls: (() => unknown)[] = [
      () => F.adjustBrightness(img, a),
      () => F.adjustContrast(img, a),
      () => F.adjustSaturation(img, a),
      () => F.adjustHue(img, a),
      () => F.adjustGamma(img, a, b),
      () => F.adjustSharpness(img, a),
      () => F.rgbToGrayscale(img, a),
      () => F.posterize(img, a),
      () => F.solarize(img, a),
      () => F.permuteChannels(img, a),
      () => new ColorJitter(a, b, pick(), pick()).apply(img, { seed: i }),
      () => new RandomPhotometricDistort({ brightness: a, hue: b, p: pick() }).apply(img, { seed: i }),
      () => new RandomPosterize(a, b).apply(img, { seed: i }),
      () => new RandomSolarize(a, b).apply(img, { seed: i }),
      () => new RandomAdjustSharpness(a, b).apply(img, { seed: i }),
      () => new Grayscale(a).apply(img),
    ];
    for (const call of calls) {
      try {
        const out = call() as Image;
        assert.is(out.data.length, out.width * out.height * out.channels);
        assert.equal([out.width, out.height], [img.width, img.height]);
        ok++;
      } catch (e) {
        if (!(e instanceof TypeError || e instanceof RangeError))
          assert.unreachable(`${(e as Error).constructor.name}: ${(e as Error).message}`);
      }
    }
  }
  assert.ok(ok > 300, `some calls succeed (${ok})`);
});

// ------------------------------------------------------------------ sampling

/** Chi-square statistic of counts against equal expected frequencies. */
function chiUniform(counts: number[]): number {
  const n = counts.reduce((a, b) => a + b, 0);
  const e = n / counts.length;
  return counts.reduce((a, c) => a + (c - e) ** 2 / e, 0);
}
/** Chi-square critical values at alpha = 0.001 by degrees of freedom. */
const CHI = { 1: 10.83, 2: 13.82, 5: 20.52, 23: 49.73 } as Record<number, number>;

const jitter = JSON.parse(readFileSync(new URL("jitter_samples.json", root), "utf8")) as {
  configs: {
    args: Record<string, any>;
    ranges: Record<string, [number, number] | null>;
    samples: [string, number | null, number | null, number | null, number | null][];
  }[];
};
const META = { width: 8, height: 8 };

for (const cfg of jitter.configs) {
  test(`ColorJitter ${JSON.stringify(cfg.args)}: ranges, factors (KS) and order as torchvision's get_params`, () => {
    const a = cfg.args;
    const t = new ColorJitter(a.brightness, a.contrast, a.saturation, a.hue);
    const cols = ["brightness", "contrast", "saturation", "hue"] as const;
    for (const k of cols) assert.equal(t[k], cfg.ranges[k], `range ${k}`);
    const ours = cfg.samples.map((_, i) => t.sample(META, { seed: 11, index: i }));
    cols.forEach((k, col) => {
      const theirs = cfg.samples.map((s) => s[col + 1] as number | null);
      if (cfg.ranges[k] === null) {
        assert.ok(theirs.every((v) => v === null) && ours.every((p) => p[k] === null), `${k} off`);
        return;
      }
      const [lo, hi] = cfg.ranges[k]!;
      const mine = ours.map((p) => p[k]!);
      assert.ok(
        mine.every((v) => v >= lo && v <= hi),
        `${k} in range`,
      );
      if (lo === hi) return;
      const d = ks(mine, theirs as number[]);
      assert.ok(d < critical(mine.length, theirs.length), `${k}: KS ${d.toFixed(4)} >= ${critical(mine.length, theirs.length).toFixed(4)}`);
    });
    // The order: a uniform permutation of 4 (24 outcomes), ours and torchvision's alike.
    const perms = new Map<string, number>();
    const theirs = new Map<string, number>();
    ours.forEach((p) => perms.set(p.order.join(""), (perms.get(p.order.join("")) ?? 0) + 1));
    cfg.samples.forEach((s) => theirs.set(s[0], (theirs.get(s[0]) ?? 0) + 1));
    assert.is(perms.size, 24);
    assert.is(theirs.size, 24);
    assert.ok(chiUniform([...perms.values()]) < CHI[23]!, `order chi-square ${chiUniform([...perms.values()])}`);
  });
}

test("ColorJitter: each order position is uniform over the four adjustments (4800 draws)", () => {
  const t = new ColorJitter(0.5, 0.5, 0.5, 0.2);
  const counts = [0, 1, 2, 3].map(() => [0, 0, 0, 0]);
  for (let i = 0; i < 4800; i++) t.sample(META, { seed: 3, index: i }).order.forEach((fn, pos) => counts[pos]![fn]!++);
  for (const row of counts) assert.ok(chiUniform(row) < 16.27, `position counts ${row}`); // df 3
});

test("RandomPhotometricDistort: p per step, contrast before/after at even odds, uniform channel permutations", () => {
  const t = new RandomPhotometricDistort({ p: 0.3 });
  const n = 4000;
  const ps = Array.from({ length: n }, (_, i) => t.sample(META, { seed: 8, index: i }));
  const ranges = { brightness: [0.875, 1.125], contrast: [0.5, 1.5], saturation: [0.5, 1.5], hue: [-0.05, 0.05] } as const;
  for (const [k, [lo, hi]] of Object.entries(ranges)) {
    const drawn = ps.map((p) => p[k as keyof typeof ranges]).filter((v): v is number => v !== null);
    assert.ok(Math.abs(drawn.length / n - 0.3) < 0.03, `${k} applied ${drawn.length / n}`);
    assert.ok(
      drawn.every((v) => v >= lo && v < hi),
      `${k} in [${lo}, ${hi})`,
    );
    // Uniform on [lo, hi): KS against the uniform CDF (one-sample, alpha 0.001: 1.95 / sqrt(n)).
    const sorted = drawn.map((v) => (v - lo) / (hi - lo)).sort((a, b) => a - b);
    const d = Math.max(...sorted.map((v, i) => Math.max(Math.abs((i + 1) / sorted.length - v), Math.abs(i / sorted.length - v))));
    assert.ok(d < 1.95 / Math.sqrt(sorted.length), `${k} KS ${d}`);
  }
  const before = ps.filter((p) => p.contrastBefore).length;
  assert.ok(Math.abs(before / n - 0.5) < 0.03, `contrastBefore ${before / n}`);
  const perms = ps.map((p) => p.permutation).filter((v): v is number[] => v !== null);
  assert.ok(Math.abs(perms.length / n - 0.3) < 0.03, `permutation applied ${perms.length / n}`);
  const counts = new Map<string, number>();
  perms.forEach((p) => counts.set(p.join(""), (counts.get(p.join("")) ?? 0) + 1));
  assert.is(counts.size, 6);
  assert.ok(chiUniform([...counts.values()]) < CHI[5]!, "permutations uniform");
  // The ops: contrast first or after hue, then the permutation; nothing at p = 0.
  const all = new RandomPhotometricDistort({ p: 1 });
  const rgb = { kind: "image", width: 8, height: 8, channels: 3 } as const;
  const names = (params: any) => all.ops(params, rgb).map((o) => (o.op === "call" ? o.name : o.op));
  const full = { brightness: 1, contrast: 1.2, saturation: 0.9, hue: 0.01, permutation: [2, 0, 1] };
  assert.equal(names({ ...full, contrastBefore: true }), [
    "adjustBrightness",
    "adjustContrast",
    "adjustSaturation",
    "adjustHue",
    "permuteChannels",
  ]);
  assert.equal(names({ ...full, contrastBefore: false }), [
    "adjustBrightness",
    "adjustSaturation",
    "adjustHue",
    "adjustContrast",
    "permuteChannels",
  ]);
  const none = new RandomPhotometricDistort({ p: 0 });
  for (let i = 0; i < 50; i++) {
    const q = none.sample(META, { seed: 2, index: i });
    assert.equal([q.brightness, q.contrast, q.saturation, q.hue, q.permutation], [null, null, null, null, null]);
  }
  // RGBA: colour channels permuted, alpha stays last; grey: saturation, hue and permutation skipped.
  assert.equal(all.ops({ ...full, contrastBefore: true }, { ...rgb, channels: 4 }).at(-1), {
    op: "call",
    name: "permuteChannels",
    args: { permutation: [2, 0, 1, 3], semantics: "pil" },
  });
  assert.equal(all.ops({ ...full, contrastBefore: true }, { ...rgb, channels: 4 }, "tensor").at(-1), {
    op: "call",
    name: "permuteChannels",
    args: { permutation: [2, 0, 1, 3], semantics: "tensor" },
  });
  assert.equal(
    all.ops({ ...full, contrastBefore: false, permutation: [0] }, { ...rgb, channels: 1 }).map((o) => (o as any).name),
    ["adjustBrightness", "adjustContrast"],
  );
});

test("Random* colour transforms apply with probability p; RandomChannelPermutation is uniform", () => {
  const n = 4000;
  for (const t of [
    new RandomInvert(0.3),
    new RandomGrayscale(),
    new RandomPosterize(3, 0.7),
    new RandomSolarize(100, 0.5),
    new RandomAdjustSharpness(2, 0.2),
    new RandomAutocontrast(0.9),
    new RandomEqualize(0.5),
  ]) {
    let k = 0;
    for (let i = 0; i < n; i++) if ((t.sample(META, { seed: 4, index: i }) as { applied: boolean }).applied) k++;
    assert.ok(Math.abs(k / n - t.p) < 0.03, `${t.type}: ${k / n} vs ${t.p}`);
  }
  const rcp = new RandomChannelPermutation();
  const counts = new Map<string, number>();
  for (let i = 0; i < 3000; i++) {
    const p = rcp.sample(META, { seed: 6, index: i }).permutation.join("");
    counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  assert.is(counts.size, 6);
  assert.ok(chiUniform([...counts.values()]) < CHI[5]!);
  assert.equal(rcp.sample({ width: 3, height: 3, channels: 1 }, { seed: 1 }).permutation, [0]);
});

// ------------------------------------------------------------------ application, JSON, replay

test("ColorJitter applies its factors in its order: the same bytes as the functional ops", () => {
  const img = fixtureInput("astronaut_48x40_rgb");
  const t = new ColorJitter(0.4, 0.4, 0.4, 0.1);
  for (let i = 0; i < 12; i++) {
    const { output, record } = t.applyWithRecord(img, { seed: 21, index: i });
    const p = record.params as any;
    let x = img;
    for (const fn of p.order) {
      if (fn === 0) x = F.adjustBrightness(x, p.brightness);
      if (fn === 1) x = F.adjustContrast(x, p.contrast);
      if (fn === 2) x = F.adjustSaturation(x, p.saturation);
      if (fn === 3) x = F.adjustHue(x, p.hue);
    }
    assert.equal((output as Image).data, x.data, `index ${i}`);
  }
  // Grey images: saturation and hue are drawn but skipped (torchvision leaves grey images as they are).
  const g = fixtureInput("astronaut_48x40_l");
  const { output, record } = new ColorJitter(0, 0, 0.5, 0.3).applyWithRecord(g, { seed: 1 });
  assert.ok((record.params as any).saturation !== null && (record.params as any).hue !== null);
  assert.equal((output as Image).data, g.data);
  // Off: nothing drawn, nothing done.
  const off = new ColorJitter();
  assert.equal([off.brightness, off.contrast, off.saturation, off.hue], [null, null, null, null]);
  assert.equal(new ColorJitter(0, [1, 1], null, [0, 0]).toJSON(), {
    type: "ColorJitter",
    brightness: null,
    contrast: null,
    saturation: null,
    hue: null,
  });
  assert.equal(new ColorJitter({ brightness: 0.5, hue: [-0.1, 0.2] }).toJSON(), {
    type: "ColorJitter",
    brightness: [0.5, 1.5],
    contrast: null,
    saturation: null,
    hue: [-0.1, 0.2],
  });
  assert.equal(new ColorJitter(1.5).brightness, [0, 2.5]);
});

const everyColour = (): Transform[] => [
  new ColorJitter(0.4, [0.5, 1.5], 0.4, 0.1),
  new RandomPhotometricDistort(),
  new RandomPhotometricDistort({ p: 1, hue: [-0.5, 0.5] }),
  new Grayscale(),
  new Grayscale(3),
  new RandomGrayscale(0.5),
  new RandomInvert(),
  new RandomPosterize(3),
  new RandomSolarize(99.5),
  new RandomAdjustSharpness(3),
  new RandomAutocontrast(),
  new RandomEqualize(),
  new RandomChannelPermutation(),
];

test("every colour transform: JSON round trip, record/replay and keyed determinism on 1, 3 and 4 channels", () => {
  const r = rng(42);
  for (const t of everyColour()) {
    const json = JSON.stringify(t.toJSON());
    const back = fromJSON(json);
    assert.is(JSON.stringify(back.toJSON()), json, `round trip ${json}`);
    for (const c of [1, 3, 4] as const) {
      const img = image(r, c, 23, 19);
      for (let i = 0; i < 6; i++) {
        const { output, record } = t.applyWithRecord(img, { seed: 5, index: i });
        const o = output as Image;
        assert.equal((back.apply(img, { seed: 5, index: i }) as Image).data, o.data, `${t.type} from JSON, ${c} channels`);
        assert.equal((t.replay(img, JSON.parse(JSON.stringify(record))) as Image).data, o.data, `${t.type} replay, ${c} channels`);
        assert.equal(t.outputMeta(record.meta, record.params), { kind: "image", width: o.width, height: o.height, channels: o.channels });
      }
    }
  }
});

test("colour transforms in a pipeline: flips fuse around them and ToTensor follows", () => {
  const img = fixtureInput("coffee_40x32_rgb");
  const p = new Compose([
    new RandomHorizontalFlip(),
    new ColorJitter(0.3, 0.3, 0.3, 0.05),
    new RandomGrayscale(0.3),
    new RandomEqualize(),
    new ToTensor(),
    new Normalize([0.5, 0.5, 0.5], [0.25, 0.25, 0.25]),
  ]);
  for (let i = 0; i < 8; i++) {
    const { output, record } = p.applyWithRecord(img, { seed: 9, index: i });
    const params = record.params as any[];
    let x: Image = params[0].flip ? F.hflip(img) : img;
    x = new ColorJitter(0.3, 0.3, 0.3, 0.05).replay(x, {
      meta: { kind: "image", width: 40, height: 32, channels: 3 },
      params: params[1],
    }) as Image;
    if (params[2].applied) x = F.rgbToGrayscale(x, 3);
    if (params[3].applied) x = F.equalize(x);
    const want = F.normalize(F.toTensor(x), [0.5, 0.5, 0.5], [0.25, 0.25, 0.25]);
    assert.equal((output as { data: Float32Array }).data, want.data, `index ${i}`);
  }
});

test.run();

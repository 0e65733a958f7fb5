// Property tests: the SIMD kernel against the scalar twins in tests/reference/, on random
// cases from a seeded xorshift32 (each failure prints its case; rerun with the same seed).
// Exact equality everywhere (f32 outputs compared as raw bytes, so the sign of zero counts).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { F, ready, type Image, type Tensor } from "../src/index.js";
import { philox4x32 } from "../src/random/index.js";
import { window as kWindow } from "../src/functional/geometry.js";
import { runResample, type ResamplePlan } from "../src/functional/resample.js";
import * as G from "./reference/geometry.js";
import * as R from "./reference/resample.js";
import * as T from "./reference/tensor.js";
import { philox4x32Ref } from "./reference/philox.js";
import { rng, type Rng } from "./helpers/check.js";
import { PHILOX4X32_10_KAT } from "./helpers/philox-kat.js";

await ready();

const SEED = Number(process.env.KERNEL_TEST_SEED ?? 0x5eed1234) >>> 0 || 1;

const SPECIAL = [1, 2, 3, 15, 16, 17, 31, 32, 33];
const side = (r: Rng, max = 40) => (r.chance(0.35) ? r.pick(SPECIAL) : r.int(1, max));
const channels = (r: Rng) => r.pick([1, 3, 4] as const);

function image(r: Rng, w = side(r), h = side(r), c = channels(r)): Image {
  const data = new Uint8Array(w * h * c);
  for (let i = 0; i < data.length; i++) data[i] = r.u32() & 0xff;
  // Some flat-ish and saturated images, where clipping and rounding ties show up.
  if (r.chance(0.1)) for (let i = 0; i < data.length; i++) data[i] = data[i]! & 1 ? 255 : 0;
  return { width: w, height: h, channels: c, data };
}

const desc = (img: Image) => `${img.width}x${img.height}x${img.channels}`;

function bytes(x: Image | Tensor): Uint8Array {
  return new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength);
}

/** Asserts identical shape and bytes; the message names the case and the first differing value. */
function same(got: Image | Tensor, want: Image | Tensor, what: string): void {
  const gs = "shape" in got ? got.shape : [got.height, got.width, got.channels];
  const ws = "shape" in want ? want.shape : [want.height, want.width, want.channels];
  assert.equal(gs, ws, `shape: ${what}`);
  const g = bytes(got);
  const w = bytes(want);
  if (g.length === w.length) {
    let i = 0;
    while (i < g.length && g[i] === w[i]) i++;
    if (i === g.length) return;
    const per = want.data instanceof Float32Array ? 4 : 1;
    const k = Math.floor(i / per);
    assert.unreachable(`value ${k} of ${w.length / per}: kernel ${got.data[k]}, twin ${want.data[k]}; case ${what}`);
  }
  assert.unreachable(`length ${g.length} vs ${w.length}: ${what}`);
}

const counts: Record<string, number> = {};
/** Runs `n` random cases of one property, from its own stream (reorderable without changing others). */
function property(name: string, n: number, body: (r: Rng, i: number) => void): void {
  test(name, () => {
    let h = SEED;
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x9e3779b1) >>> 0;
    const r = rng(h);
    for (let i = 0; i < n; i++) body(r, i);
    counts[name] = n;
  });
}

const MODES = ["constant", "edge", "reflect", "symmetric"] as const;

// ---------------------------------------------------------------- geometry

test("mapIndex twin sanity (reflect/symmetric by hand)", () => {
  const row = (n: number, mode: G.Mode) => Array.from({ length: 3 * n + 4 }, (_, i) => G.mapIndex(i - n - 2, n, mode));
  assert.equal(row(3, "reflect"), [1, 0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2, 1]);
  assert.equal(row(3, "symmetric"), [1, 2, 2, 1, 0, 0, 1, 2, 2, 1, 0, 0, 1]);
  assert.equal(row(3, "edge"), [0, 0, 0, 0, 0, 0, 1, 2, 2, 2, 2, 2, 2]);
  assert.equal(row(1, "reflect"), [0, 0, 0, 0, 0, 0, 0]);
  // Python round: (5 - 2) / 2 = 1.5 -> 2, (8 - 3) / 2 = 2.5 -> 2.
  const ramp = (n: number): Image => ({ width: n, height: 1, channels: 1, data: Uint8Array.from({ length: n }, (_, i) => i + 1) });
  assert.equal(G.centerCrop(ramp(5), 1, 2).data, new Uint8Array([3, 4]));
  assert.equal(G.centerCrop(ramp(8), 1, 3).data, new Uint8Array([3, 4, 5]));
  // Larger: pad floor(diff / 2) before, so a 1-wide image cropped to 4 sits at index 1.
  assert.equal(G.centerCrop(ramp(1), 1, 4).data, new Uint8Array([0, 1, 0, 0]));
});

property("hflip / vflip", 300, (r) => {
  // Rows up to 400 pixels: the kernel's unrolled vector loop needs 121 to 128 bytes a row.
  const img = r.chance(0.5) ? image(r) : image(r, r.int(1, 400), side(r, 6));
  same(F.hflip(img), G.hflip(img), `hflip ${desc(img)}`);
  same(F.vflip(img), G.vflip(img), `vflip ${desc(img)}`);
});

property("hflip / vflip in bands (images over one 64 KiB band)", 12, (r) => {
  // F.hflip / F.vflip copy, flip and copy back ~64 KiB of rows at a time: heights that end
  // on a partial band, and an `out` over the input's own memory (one band then).
  const img = image(r, r.int(100, 700), r.int(60, 240));
  same(F.hflip(img), G.hflip(img), `hflip ${desc(img)}`);
  same(F.vflip(img), G.vflip(img), `vflip ${desc(img)}`);
  const want = G.vflip(img);
  const inPlace = { ...img, data: img.data.slice() };
  same(F.vflip(inPlace, { out: inPlace.data }), want, `vflip in place ${desc(img)}`);
});

property("crop (inside, partly and wholly outside, fill)", 400, (r) => {
  const img = image(r);
  const h = side(r, 48);
  const w = side(r, 48);
  const top = r.int(-h - 4, img.height + 4);
  const left = r.int(-w - 4, img.width + 4);
  const fill = r.pick([undefined, r.int(0, 255), Array.from({ length: img.channels }, () => r.int(0, 255))]);
  const what = `crop ${desc(img)} top=${top} left=${left} h=${h} w=${w} fill=${JSON.stringify(fill)}`;
  same(F.crop(img, top, left, h, w, fill === undefined ? {} : { fill }), G.crop(img, top, left, h, w, fill), what);
});

property("pad in every mode (incl. wider than the image)", 500, (r) => {
  const img = image(r);
  const wide = r.chance(0.4);
  const p = () => (wide ? r.int(0, 3 * Math.max(img.width, img.height) + 5) : r.int(0, 4));
  const form = r.int(0, 2);
  const padding = form === 0 ? p() : form === 1 ? [p(), p()] : [p(), p(), p(), p()];
  const ltrb: [number, number, number, number] =
    typeof padding === "number"
      ? [padding, padding, padding, padding]
      : padding.length === 2
        ? [padding[0]!, padding[1]!, padding[0]!, padding[1]!]
        : (padding as [number, number, number, number]);
  const mode = r.pick(MODES);
  // undefined: torchvision's default fill (0), which the twin spells out itself.
  const fill = r.pick([undefined, r.int(0, 255), Array.from({ length: img.channels }, () => r.int(0, 255))]);
  const what = `pad ${desc(img)} padding=${JSON.stringify(padding)} mode=${mode} fill=${JSON.stringify(fill)}`;
  same(F.pad(img, padding, fill === undefined ? { paddingMode: mode } : { paddingMode: mode, fill }), G.pad(img, ltrb, mode, fill), what);
});

property("extract window anywhere in every mode", 400, (r) => {
  const img = image(r);
  const h = side(r, 48);
  const w = side(r, 48);
  const span = 3 * Math.max(img.width, img.height, h, w);
  const top = r.int(-span, span);
  const left = r.int(-span, span);
  const mode = r.pick(MODES);
  const fill = Array.from({ length: img.channels }, () => r.int(0, 255));
  const what = `extract ${desc(img)} top=${top} left=${left} h=${h} w=${w} mode=${mode} fill=${fill}`;
  same(kWindow(img, top, left, h, w, mode, new Uint8Array(fill)), G.window(img, top, left, h, w, mode, fill), what);
});

property("centerCrop (smaller, larger, mixed)", 300, (r) => {
  const img = image(r);
  const ch = side(r, 48);
  const cw = r.chance(0.2) ? ch : side(r, 48);
  const what = `centerCrop ${desc(img)} size=[${ch}, ${cw}]`;
  same(F.centerCrop(img, [ch, cw]), G.centerCrop(img, ch, cw), what);
});

// ---------------------------------------------------------------- resampling

const INTERPS = ["nearest", "bilinear", "bicubic"] as const;

/** An output side: mostly near the input (both ways), sometimes far, sometimes equal. */
function outSide(r: Rng, n: number): number {
  const k = r.int(0, 5);
  if (k === 0) return n;
  if (k === 1) return Math.max(1, n + r.int(-3, 3));
  if (k === 2) return r.int(1, Math.max(1, n)); // down
  if (k === 3) return Math.min(64, n + r.int(0, 3 * n)); // up
  return side(r, 48);
}

property("resize: 3 interpolations x antialias, up and down", 700, (r) => {
  const img = image(r);
  const oh = outSide(r, img.height);
  const ow = outSide(r, img.width);
  const interpolation = r.pick(INTERPS);
  const antialias = r.chance(0.5);
  const what = `resize ${desc(img)} -> [${oh}, ${ow}] ${interpolation} antialias=${antialias}`;
  same(F.resize(img, [oh, ow], { interpolation, antialias }), R.resize(img, oh, ow, interpolation, antialias), what);
});

// Wide rows downscaled 1.5x to 7x: groups of four outputs spanning up to 16 samples (fixed
// window), more (the window slides), and outputs more than 14 samples apart (per pixel).
property("resize: wide downscales through every horizontal pass", 200, (r) => {
  const img = image(r, r.int(40, 400), r.int(1, 6));
  const ow = Math.max(1, Math.round(img.width / r.float(1.5, 7)));
  const oh = r.chance(0.5) ? img.height : r.int(1, img.height);
  const interpolation = r.pick(["bilinear", "bicubic"] as const);
  const antialias = r.chance(0.8);
  const what = `resize ${desc(img)} -> [${oh}, ${ow}] ${interpolation} antialias=${antialias}`;
  same(F.resize(img, [oh, ow], { interpolation, antialias }), R.resize(img, oh, ow, interpolation, antialias), what);
});

property("resizedCrop: boxes inside and partly outside", 400, (r) => {
  const img = image(r);
  let top: number, left: number, h: number, w: number;
  if (r.chance(0.6)) {
    h = r.int(1, img.height);
    w = r.int(1, img.width);
    top = r.int(0, img.height - h);
    left = r.int(0, img.width - w);
  } else {
    h = side(r, 48);
    w = side(r, 48);
    top = r.int(-h + 1, img.height - 1);
    left = r.int(-w + 1, img.width - 1);
  }
  const oh = outSide(r, h);
  const ow = outSide(r, w);
  const interpolation = r.pick(INTERPS);
  const antialias = r.chance(0.5);
  const what = `resizedCrop ${desc(img)} top=${top} left=${left} h=${h} w=${w} -> [${oh}, ${ow}] ${interpolation} antialias=${antialias}`;
  same(
    F.resizedCrop(img, top, left, h, w, [oh, ow], { interpolation, antialias }),
    R.resizedCrop(img, top, left, h, w, oh, ow, interpolation, antialias),
    what,
  );
});

function meanStd(r: Rng, c: number): { mean: number[]; std: number[] } {
  return {
    mean: Array.from({ length: c }, () => (r.chance(0.2) ? r.pick([0, 0.5, 0.485, 0.456, 0.406]) : r.float(-1, 1))),
    std: Array.from({ length: c }, () => (r.chance(0.2) ? r.pick([1, 0.229, 0.224, 0.225]) : r.float(0.05, 2) * (r.chance(0.1) ? -1 : 1))),
  };
}

property("fused resample: box -> resize -> window -> flips -> u8 / CHW f32", 500, (r) => {
  const img = image(r);
  const bh = r.int(1, img.height);
  const bw = r.int(1, img.width);
  const box = { top: r.int(0, img.height - bh), left: r.int(0, img.width - bw), height: bh, width: bw };
  const oh = outSide(r, bh);
  const ow = outSide(r, bw);
  const wh = r.int(1, oh);
  const ww = r.int(1, ow);
  const win = { top: r.int(0, oh - wh), left: r.int(0, ow - ww), height: wh, width: ww };
  const plan: ResamplePlan = {
    box,
    size: [oh, ow],
    window: win,
    interpolation: r.pick(INTERPS),
    antialias: r.chance(0.5),
    hflip: r.chance(0.5),
    vflip: r.chance(0.5),
    tensor: r.chance(0.5) ? meanStd(r, img.channels) : null,
  };
  same(runResample(img, plan), R.runPlan(img, plan), `plan ${desc(img)} ${JSON.stringify(plan)}`);
});

property("fused resample of a narrow box in a wide image (box copied row by row)", 40, (r) => {
  // Boxes narrower than half a row that is over 4 KiB wider than them are copied packed, row
  // by row; others as whole rows. Both must give the twin's bytes.
  const c = channels(r);
  const img = image(r, r.int(1400, 5200), r.int(1, 5), c);
  const bw = r.chance(0.5) ? r.int(1, 64) : r.int(1, img.width);
  const bh = r.int(1, img.height);
  const box = { top: r.int(0, img.height - bh), left: r.int(0, img.width - bw), height: bh, width: bw };
  const oh = outSide(r, bh);
  const ow = outSide(r, bw);
  const plan: ResamplePlan = {
    box,
    size: [oh, ow],
    window: { top: 0, left: 0, height: oh, width: ow },
    interpolation: r.pick(INTERPS),
    antialias: r.chance(0.5),
    hflip: r.chance(0.5),
    vflip: false,
    tensor: r.chance(0.5) ? meanStd(r, c) : null,
  };
  same(runResample(img, plan), R.runPlan(img, plan), `plan ${desc(img)} ${JSON.stringify(plan)}`);
});

test("resample twin sanity: identity copies, 2x bilinear down of a 2-pixel pair averages", () => {
  const img: Image = { width: 2, height: 1, channels: 1, data: new Uint8Array([10, 21]) };
  assert.equal(R.resize(img, 1, 2, "bicubic").data, img.data);
  assert.equal(R.resize(img, 1, 1, "bilinear").data, new Uint8Array([16])); // (10 + 21) / 2 = 15.5 -> 16
  assert.equal(R.resize(img, 1, 1, "nearest").data, new Uint8Array([21])); // int(2 * 0.5) = 1
});

// ---------------------------------------------------------------- tensors

property("toTensor", 200, (r) => {
  const img = image(r);
  same(F.toTensor(img), T.toTensor(img), `toTensor ${desc(img)}`);
});

property("normalize (CHW from toTensor, and random NCHW f32)", 300, (r) => {
  const img = image(r);
  const c = img.channels;
  const { mean, std } = meanStd(r, c);
  let t: Tensor;
  if (r.chance(0.5)) t = T.toTensor(img);
  else {
    const shape = [r.int(1, 3), c, img.height, img.width];
    t = { shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (r.chance(0.05) ? 0 : r.float(-4, 4))) };
  }
  const what = `normalize shape=[${t.shape}] mean=${mean} std=${std}`;
  same(F.normalize(t, mean, std), T.normalize(t, mean, std), what);
});

test("toTensor exact values: v / 255 rounded once (not v * (1 / 255))", () => {
  const img: Image = { width: 256, height: 1, channels: 1, data: Uint8Array.from({ length: 256 }, (_, i) => i) };
  const got = F.toTensor(img).data;
  for (let v = 0; v < 256; v++) assert.is(got[v], Math.fround(v / 255), `v=${v}`);
});

// ---------------------------------------------------------------- Philox

test("Philox4x32-10 Random123 known answers: twin and kernel", () => {
  for (const [ctr, key, want] of PHILOX4X32_10_KAT) {
    assert.equal(philox4x32Ref(ctr, key), want, `twin ctr=${ctr} key=${key}`);
    assert.equal(Array.from(philox4x32(ctr, key)), want, `kernel ctr=${ctr} key=${key}`);
  }
});

property("Philox4x32-10: kernel = twin on random counters and keys", 2000, (r) => {
  const edge = () => r.pick([0, 1, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff]);
  const word = () => (r.chance(0.15) ? edge() : r.u32());
  const ctr = [word(), word(), word(), word()];
  const key = [word(), word()];
  assert.equal(
    Array.from(philox4x32(ctr, key)),
    philox4x32Ref(ctr, key),
    `ctr=${ctr.map((x) => x.toString(16))} key=${key.map((x) => x.toString(16))}`,
  );
});

test.after(() => {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(`  kernel properties: ${Object.keys(counts).length} properties, ${total} random cases, seed 0x${SEED.toString(16)}`);
});

test.run();

// AugMix's mixing kernel (assembly/mix.ts) against its scalar twin (tests/reference/mix.ts):
// the f32 accumulator bit for bit and the bytes, on random sizes (1 value, odd counts,
// around the 16-value vectors), chain counts and weights (0, 1, tiny, near 1, random f32,
// saturating sums); and the augMix op end to end against the twin on its chains' outputs.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ready, type Channels, type Image } from "../src/index.js";
import { kernel } from "../src/kernel/instance.js";
import { execute } from "../src/ir/execute.js";
import type { Op } from "../src/ir/ops.js";
import * as R from "./reference/mix.js";
import { property, type Rng } from "./helpers/check.js";

await ready();

interface MixKernel {
  mixInit(acc: number, src: number, n: number, m0: number): void;
  mixAdd(acc: number, src: number, n: number, w: number): void;
  mixFinish(acc: number, dst: number, n: number): void;
}

const SPECIAL = [1, 2, 3, 4, 5, 15, 16, 17, 31, 32, 33, 47, 48, 49, 63, 64, 65];
const count = (r: Rng) => (r.chance(0.4) ? r.pick(SPECIAL) : r.int(1, 300));
const weight = (r: Rng) => Math.fround(r.chance(0.3) ? r.pick([0, 1, 2 ** -24, 1 - 2 ** -24, 0.5, 2 ** -126]) : r.float(0, 1));

function bytes(r: Rng, n: number): Uint8Array {
  const d = new Uint8Array(n);
  const kind = r.int(0, 3);
  for (let i = 0; i < n; i++) d[i] = kind === 0 ? (r.chance(0.5) ? 255 : 0) : r.u32() & 0xff;
  return d;
}

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

property("mixInit / mixAdd / mixFinish equal the scalar twin (accumulator bits and bytes)", 300, (r) => {
  const n = count(r);
  const src = bytes(r, n);
  const chains = Array.from({ length: r.int(0, 5) }, () => bytes(r, n));
  const m0 = weight(r);
  const weights = chains.map(() => weight(r));
  const { exports, arena } = kernel();
  const k = exports as unknown as MixKernel;
  arena.reset();
  const acc = arena.alloc(n * 4);
  const buf = arena.put(src);
  k.mixInit(acc, buf, n, m0);
  chains.forEach((c, i) => {
    arena.u8().set(c, buf);
    k.mixAdd(acc, buf, n, weights[i]!);
  });
  const want = R.mixAcc(src, m0, chains, weights);
  const what = `n=${n} m0=${m0} weights=${weights.join(",")}`;
  assert.equal(bits(arena.takeF32(acc, n)), bits(want), what);
  k.mixFinish(acc, buf, n);
  assert.equal(Array.from(arena.takeU8(buf, n)), Array.from(R.mix(src, m0, chains, weights)), what);
});

const CHAIN_OPS: Op[][] = [[], [{ op: "hflip" }], [{ op: "vflip" }], [{ op: "hflip" }, { op: "vflip" }]];

property("the augMix op mixes its chains' outputs as the twin", 80, (r) => {
  const c = r.pick([1, 3, 4] as const) as Channels;
  const w = r.chance(0.3) ? r.pick(SPECIAL) : r.int(1, 24);
  const h = r.chance(0.3) ? 1 : r.int(1, 12);
  const img: Image = { width: w, height: h, channels: c, data: bytes(r, w * h * c) };
  const chains = Array.from({ length: r.int(0, 4) }, () => r.pick(CHAIN_OPS));
  const original = weight(r);
  const weights = chains.map(() => weight(r));
  const got = execute(img, [{ op: "call", name: "augMix", args: { original, weights, chains } }]) as Image;
  const outs = chains.map((ops) => (execute(img, ops) as Image).data);
  assert.equal([got.width, got.height, got.channels], [w, h, c]);
  assert.equal(
    Array.from(got.data),
    Array.from(R.mix(img.data, original, outs, weights)),
    `${w}x${h}x${c} ${original} ${weights.join(",")}`,
  );
});

test.run();

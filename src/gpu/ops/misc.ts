// GaussianBlur, RandomErasing and LinearTransformation on the GPU, twins of
// assembly/filter.ts and assembly/noise.ts:
// - gaussianBlur: the kernel's exact fixed-point sum in two integer passes (wgsl/blur.wgsl.ts)
//   over its own quantised weights (gaussianWeights, uploaded as a table);
// - erase with constant values: a word copy that writes the values' f32 bits in the region;
// - linearTransformation: a register-machine program summing (x_i - mean_i) * W[i][j] over
//   i = 0, 1, ..., d - 1 in binary32, the kernel's order (a soft-float program: "auto" keeps
//   it on wasm on software adapters).
// - gaussianNoise: the kernel's normals (Box-Muller in binary64 with musl's log, sin and cos,
//   pixel-independent) come from its normalFill as a table; a register-machine program applies
//   only the per-element binary32 arithmetic of assembly/noise.ts (soft-float: "auto" keeps it
//   on wasm on software adapters);
// - erase with value "random": the same word copy as constant values, reading the region's
//   normals from such a table.
import type { OpArgs } from "../../ir/ops.js";
import type { EraseArgs } from "../../ir/args.js";
import { BLUR_BITS } from "../../functional/filter.js";
import { miscKernel, normals } from "../../functional/erase.js";
import { defineShader } from "../shaders.js";
import { defineGpuOp, GpuUnsupported, u8Bytes } from "../plan.js";
import { f32Bits, Prog, REG } from "../vm.js";
import { PARAM0, vmPass } from "./vmpass.js";
import { blurh, blurv } from "../wgsl/blur.wgsl.js";
import { TableCache } from "../cache.js";

defineShader("blurv", blurv);
defineShader("blurh", blurh);

// ---------------------------------------------------------------------------------------
// GaussianBlur

const blurTables = new TableCache<Uint32Array>();

/** The kernel's weights: kx horizontal (2^30 scale) then ky vertical (2^23), as src/functional/filter.ts computes them. */
export function blurWeights(kx: number, sx: number, ky: number, sy: number): Uint32Array {
  return blurTables.get(`${kx} ${sx} ${ky} ${sy}`, () => {
    const { k, arena } = miscKernel();
    arena.reset();
    const wx = arena.alloc(kx * 4);
    const wy = arena.alloc(ky * 4);
    k.gaussianWeights(kx, sx, BLUR_BITS.horizontal, wx);
    k.gaussianWeights(ky, sy, BLUR_BITS.vertical, wy);
    const u = arena.u32();
    const t = new Uint32Array(kx + ky);
    t.set(u.subarray(wx >>> 2, (wx >>> 2) + kx), 0);
    t.set(u.subarray(wy >>> 2, (wy >>> 2) + ky), kx);
    return t;
  });
}

defineGpuOp<OpArgs & { kernelSize: [number, number]; sigma: [number, number] }>("gaussianBlur", {
  lower(b, src, a, from) {
    if (from.kind !== "image") throw new GpuUnsupported("GaussianBlur takes images");
    const { width: w, height: h, channels: c } = from;
    const [kx, ky] = a.kernelSize;
    const t = b.table(blurWeights(kx, a.sigma[0], ky, a.sigma[1]));
    const n = w * c;
    const mid = b.buffer(n * h * 4);
    const items = Math.ceil(n / 4) * h;
    b.pass("blurv", items, (x) => [x.pool(src), x.pool(mid), n, h, ky, x.tab(t) + kx, items]);
    const dst = b.buffer(u8Bytes(w * h, c));
    const groups = Math.ceil((w * h) / 4);
    b.pass("blurh", groups, (x) => [x.pool(mid), x.pool(dst), w, h, c, kx, x.tab(t), groups]);
    return dst;
  },
});

// ---------------------------------------------------------------------------------------
// The noise field

// A sample's key rarely repeats and its table is image-sized: keep only a few.
const noiseTables = new TableCache<Uint32Array>({ entries: 8 });

/**
 * The f32 bits of the standard normals of elements [0, n) of the noise field of `key`: the
 * kernel's normalFill (the same code its gaussianNoise and eraseNoise draw from).
 */
export function noiseTable(key: readonly [number, number], n: number): Uint32Array {
  return noiseTables.get(`${key[0]} ${key[1]} ${n}`, () => new Uint32Array(normals([key[0], key[1]], 0, n).buffer));
}

// ---------------------------------------------------------------------------------------
// GaussianNoise

/**
 * assembly/noise.ts's gaussianNoise and gaussianNoiseU8, element by element with z = table
 * word (normals + k). Params: 6 src byte, 7 normals table word, 8 mean, 9 sigma (f32 bits),
 * then for images 10 width, 11 height, 12 channels. Tensors ("words", element e, k = e):
 * x + (mean + z * sigma), then min(max(v, 0), 1) when clipping. Images ("bytes", one byte
 * per element e of the HWC data, channel ch at (y, x); k = (ch * h + y) * w + x, the CHW
 * index): nearest(x + 255 * (mean + z * sigma)) clamped to [0, 255]. Every step is one
 * binary32 operation, rounded as wasm rounds it.
 */
function noiseProgram(kind: "tensor" | "clip" | "image"): Uint32Array {
  const p = new Prog();
  const src = p.param(PARAM0);
  const tab = p.param(PARAM0 + 1);
  const mean = p.param(PARAM0 + 2);
  const sigma = p.param(PARAM0 + 3);
  if (kind === "image") {
    const w = p.param(PARAM0 + 4);
    const h = p.param(PARAM0 + 5);
    const c = p.param(PARAM0 + 6);
    const k = p.scope(() => {
      const px = p.udiv(REG.INDEX, c);
      const ch = p.urem(REG.INDEX, c);
      return p.add(p.mul(p.add(p.mul(ch, h), p.udiv(px, w)), w), p.urem(px, w));
    });
    const x = p.ffromi(p.byte(p.add(src, REG.INDEX)));
    const n = p.fmul(p.int(f32Bits(255)), p.fadd(mean, p.fmul(p.tab(p.add(tab, k)), sigma)));
    const v = p.fnearest(p.fadd(x, n));
    p.out(0, p.and(p.ftoi(p.fmin(p.fmax(v, p.int(0)), p.int(f32Bits(255)))), p.int(255)));
  } else {
    const x = p.word(p.add(src, p.shl(REG.INDEX, p.int(2))));
    const z = p.tab(p.add(tab, REG.INDEX));
    const v = p.fadd(x, p.fadd(mean, p.fmul(z, sigma)));
    p.out(0, kind === "clip" ? p.fmin(p.fmax(v, p.int(0)), p.int(f32Bits(1))) : v);
  }
  p.end();
  return p.build();
}

const noisePrograms = { tensor: noiseProgram("tensor"), clip: noiseProgram("clip"), image: noiseProgram("image") };

defineGpuOp<OpArgs & { mean: number; sigma: number; clip: boolean; key: [number, number] }>("gaussianNoise", {
  lower(b, src, a, from) {
    const mean = f32Bits(a.mean);
    const sigma = f32Bits(a.sigma);
    if (from.kind === "image") {
      const { width: w, height: h, channels: c } = from;
      const n = w * h * c;
      const t = b.table(noiseTable(a.key, Math.max(1, n)));
      const dst = b.buffer(u8Bytes(n, 1));
      vmPass(b, noisePrograms.image, "bytes", n, 1, dst, (x) => [x.pool(src), x.tab(t), mean, sigma, w, h, c]);
      return dst;
    }
    const n = from.shape.reduce((x, y) => x * y, 1);
    const t = b.table(noiseTable(a.key, Math.max(1, n)));
    const dst = b.buffer(n * 4);
    vmPass(b, a.clip ? noisePrograms.clip : noisePrograms.tensor, "words", n, 1, dst, (x) => [x.pool(src), x.tab(t), mean, sigma]);
    return dst;
  },
});

// ---------------------------------------------------------------------------------------
// RandomErasing

// count elements of c x h x w planes; the eh x ew region at (top, left); vals: tab word of
// the values; sc, sy, sx: their strides per channel, region row and column (constants: 1, 0,
// 0; value "random": eh * ew, ew, 1 over the region's c x eh x ew normals). Every [C, H, W]
// plane set of the tensor is erased alike.
defineShader("erase", {
  record: ["src: word", "dst: word", "count", "c", "h", "w", "top", "left", "eh", "ew", "vals", "sc", "sy", "sx"],
  body: /* wgsl */ `
  let plane = h * w;
  for (var e = wk.first; e < count; e += wk.step) {
    let p = e / plane;
    let r = e % plane;
    let y = r / w - top; // unsigned: below top/left wraps past
    let x = r % w - left;
    if (y < eh && x < ew) {
      pool[dst + e] = tab[vals + (p % c) * sc + y * sy + x * sx];
    } else {
      pool[dst + e] = pool[src + e];
    }
  }
`,
});

defineGpuOp<EraseArgs>("erase", {
  lower(b, src, a, from) {
    if (from.kind !== "tensor") throw new GpuUnsupported("RandomErasing takes tensors");
    const s = from.shape;
    const [c, h, w] = s.slice(-3) as [number, number, number];
    const count = s.reduce((x, y) => x * y, 1);
    const { height: eh, width: ew } = a;
    const random = a.value === "random";
    // value "random": element (ch, y, x) of the region is normal (ch * eh + y) * ew + x (assembly/noise.ts's eraseNoise)
    const vals = b.table(random ? noiseTable(a.key!, Math.max(1, c * eh * ew)) : Uint32Array.from(a.value as number[], f32Bits));
    const strides = random ? [eh * ew, ew, 1] : [1, 0, 0];
    const dst = b.buffer(count * 4);
    b.pass("erase", count, (x) => [x.pool(src), x.pool(dst), count, c, h, w, a.top, a.left, eh, ew, x.tab(vals), ...strides]);
    return dst;
  },
});

// ---------------------------------------------------------------------------------------
// LinearTransformation

/**
 * Element e = r * d + j of the output: acc = f32(acc + f32(f32(x_i - mean_i) * W[i][j]))
 * for i = 0..d-1 from +0 (assembly/filter.ts's linearTransform). Params: 6 src byte, 7 d,
 * 8 mean table word, 9 matrix table word. d <= 2^14 (MAX_MATRIX = 2^28 entries), so the
 * loop's fewer than 20 steps per i stay far below the interpreter's bound of 4e6 steps.
 */
const linearProgram = (() => {
  const p = new Prog();
  const src = p.param(PARAM0);
  const d = p.param(PARAM0 + 1);
  const mean = p.param(PARAM0 + 2);
  const mat = p.param(PARAM0 + 3);
  const r = p.udiv(REG.INDEX, d);
  const j = p.urem(REG.INDEX, d);
  const two = p.int(2);
  const one = p.int(1);
  const row = p.add(src, p.shl(p.mul(r, d), two)); // byte address of x_0
  const acc = p.int(0);
  const i = p.int(0);
  const wAt = p.reg(); // table word of W[i][j]
  p.set(wAt, p.add(mat, j));
  p.label("loop");
  p.scope(() => {
    const done = p.ieq(i, d);
    p.jnz(done, "end");
    const x = p.word(p.add(row, p.shl(i, two)));
    const diff = p.fsub(x, p.tab(p.add(mean, i)));
    p.set(acc, p.fadd(acc, p.fmul(diff, p.tab(wAt))));
    p.set(i, p.add(i, one));
    p.set(wAt, p.add(wAt, d));
    return acc;
  });
  p.jmp("loop");
  p.label("end");
  p.out(0, acc);
  p.end();
  return p.build();
})();

const bitsCache = new WeakMap<Float32Array, Uint32Array>();
/** The f32 bits of `a`, one table per array (samples sharing the matrix upload it once). */
function bitsOf(a: Float32Array): Uint32Array {
  let t = bitsCache.get(a);
  if (!t) bitsCache.set(a, (t = new Uint32Array(a.slice().buffer)));
  return t;
}

defineGpuOp<OpArgs & { matrix: Float32Array; mean: Float32Array }>("linearTransformation", {
  lower(b, src, a, from) {
    if (from.kind !== "tensor") throw new GpuUnsupported("LinearTransformation takes tensors");
    const d = a.mean.length;
    const count = from.shape.reduce((x, y) => x * y, 1);
    const mean = b.table(bitsOf(a.mean));
    const mat = b.table(bitsOf(a.matrix));
    const dst = b.buffer(count * 4);
    vmPass(b, linearProgram, "words", count, 1, dst, (x) => [x.pool(src), d, x.tab(mean), x.tab(mat)]);
    return dst;
  },
});

// GaussianBlur, RandomErasing and LinearTransformation on the GPU, twins of
// assembly/filter.ts and assembly/noise.ts:
// - gaussianBlur: the kernel's exact fixed-point sum in two integer passes (wgsl/blur.wgsl.ts)
//   over its own quantised weights (gaussianWeights, uploaded as a table);
// - erase with constant values: a word copy that writes the values' f32 bits in the region;
// - linearTransformation: a register-machine program summing (x_i - mean_i) * W[i][j] over
//   i = 0, 1, ..., d - 1 in binary32, the kernel's order (a soft-float program: "auto" keeps
//   it on wasm on software adapters).
// GaussianNoise and erase's value "random" need the kernel's Box-Muller normals (musl's
// f64 log, sin and cos) and stay on wasm for now.
import type { OpArgs } from "../../ir/ops.js";
import { BLUR_BITS } from "../../functional/filter.js";
import { miscKernel } from "../../functional/erase.js";
import { defineShader } from "../shaders.js";
import { defineGpuOp, GpuUnsupported, u8Bytes } from "../plan.js";
import { f32Bits, Prog, REG } from "../vm.js";
import { PARAM0, vmPass } from "./vmpass.js";
import { blurh, blurv } from "../wgsl/blur.wgsl.js";

defineShader("blurv", () => blurv);
defineShader("blurh", () => blurh);

/** Tables shared by the samples of a batch (and later batches), bounded. */
function cache<V>(): (key: string, make: () => V) => V {
  const m = new Map<string, V>();
  return (key, make) => {
    let v = m.get(key);
    if (v === undefined) {
      if (m.size > 256) m.clear();
      m.set(key, (v = make()));
    }
    return v;
  };
}

// ---------------------------------------------------------------------------------------
// GaussianBlur

const blurTables = cache<Uint32Array>();

/** The kernel's weights: kx horizontal (2^30 scale) then ky vertical (2^23), as src/functional/filter.ts computes them. */
export function blurWeights(kx: number, sx: number, ky: number, sy: number): Uint32Array {
  return blurTables(`${kx} ${sx} ${ky} ${sy}`, () => {
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
// RandomErasing

// Record: 0 src byte, 1 dst byte, 2 elements, 3 c, 4 h, 5 w, 6 top, 7 left, 8 eh, 9 ew,
// 10 values table word (c f32 bits). Every [C, H, W] plane set of the tensor is erased alike.
defineShader(
  "erase",
  () => /* wgsl */ `
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let wk = work(wid, nw, lid);
  if (!wk.ok) { return; }
  let j = wk.job;
  let src = tab[j] >> 2u;
  let dst = tab[j + 1u] >> 2u;
  let count = tab[j + 2u];
  let c = tab[j + 3u];
  let h = tab[j + 4u];
  let w = tab[j + 5u];
  let top = tab[j + 6u];
  let left = tab[j + 7u];
  let eh = tab[j + 8u];
  let ew = tab[j + 9u];
  let vals = tab[j + 10u];
  let plane = h * w;
  for (var e = wk.first; e < count; e += wk.step) {
    let p = e / plane;
    let r = e % plane;
    let inside = r / w - top < eh && r % w - left < ew; // unsigned: below top/left wraps past
    pool[dst + e] = select(pool[src + e], tab[vals + p % c], inside);
  }
}
`,
);

interface EraseArgs extends OpArgs {
  top: number;
  left: number;
  height: number;
  width: number;
  value: number[] | "random";
}

defineGpuOp<EraseArgs>("erase", {
  lower(b, src, a, from) {
    if (from.kind !== "tensor") throw new GpuUnsupported("RandomErasing takes tensors");
    if (a.value === "random") throw new GpuUnsupported('the "erase" op with value "random" has no WebGPU shader yet');
    const s = from.shape;
    const [c, h, w] = s.slice(-3) as [number, number, number];
    const count = s.reduce((x, y) => x * y, 1);
    const vals = b.table(Uint32Array.from(a.value, f32Bits));
    const dst = b.buffer(count * 4);
    b.pass("erase", count, (x) => [x.pool(src), x.pool(dst), count, c, h, w, a.top, a.left, a.height, a.width, x.tab(vals)]);
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

// The core steps on the GPU: crop/pad windows (wgsl/extract), the fused resampler (Pillow's
// or torch's separable passes: wgsl/hpass and wgsl/emit, with flips and ToTensor/Normalize
// through the kernel's f32 tables), standalone Normalize and plain copies. Tables come from
// the kernel (src/gpu/tables.ts), shared by samples of the same geometry.
import type { Meta } from "../../image.js";
import { identityPlan, type ResamplePlan } from "../../functional/resample.js";
import { checkMeanStd } from "../../functional/tensor.js";
import type { Semantics } from "../../functional/semantics.js";
import { fillBytes } from "../../functional/args.js";
import { MODE } from "../../kernel/exports.js";
import { defineShader } from "../shaders.js";
import { defineCoreSteps, packBytes, u8Bytes, type ImageShape, type SampleBuilder } from "../plan.js";
import { lutBits, nearestIndices, resizeWeights } from "../tables.js";
import { Asm, f32Bits, OP, REG } from "../vm.js";
import { vmPass } from "./vmpass.js";
import extractShader from "../wgsl/extract.wgsl.js";
import hpassShader from "../wgsl/hpass.wgsl.js";
import emitShader from "../wgsl/emit.wgsl.js";
import { TableCache } from "../cache.js";

defineShader("extract", extractShader);
defineShader("hpass", hpassShader);
defineShader("emit", emitShader);

const u32 = (v: Int32Array): Uint32Array => new Uint32Array(v.buffer, v.byteOffset, v.length);

const weightCache = new TableCache<{ stride: number; bounds: Uint32Array; coeffs: Uint32Array }>();
const nearestCache = new TableCache<Uint32Array>();
const lutCache = new TableCache<Uint32Array>();

function weights(
  inSize: number,
  outSize: number,
  interpolation: ResamplePlan["interpolation"],
  antialias: boolean,
  first: number,
  n: number,
  semantics: Semantics,
) {
  return weightCache.get(`${inSize} ${outSize} ${interpolation} ${antialias} ${first} ${n} ${semantics}`, () => {
    const r = resizeWeights(inSize, outSize, interpolation, antialias, first, n, semantics);
    return { stride: r.stride, bounds: u32(r.bounds), coeffs: u32(r.coeffs) };
  });
}

function nearest(inSize: number, outSize: number, first: number, n: number, semantics: Semantics): Uint32Array {
  return nearestCache.get(`${inSize} ${outSize} ${first} ${n} ${semantics}`, () =>
    u32(nearestIndices(inSize, outSize, first, n, semantics)),
  );
}

/** The kernel's ToTensor(+Normalize) tables for c channels (256 f32 bits each). */
export function tensorLuts(mean: number[], std: number[], c: number, semantics: Semantics): Uint32Array {
  return lutCache.get(`${mean.slice(0, c).join()} ${std.slice(0, c).join()} ${c} ${semantics}`, () => {
    const t = new Uint32Array(256 * c);
    for (let ch = 0; ch < c; ch++) t.set(lutBits(mean[ch]!, std[ch]!, semantics), ch * 256);
    return t;
  });
}

function window(
  b: SampleBuilder,
  srcBuf: number,
  st: { top: number; left: number; height: number; width: number; mode: keyof typeof MODE; fill: number[] },
  src: ImageShape,
): number {
  const c = src.channels;
  const pixels = st.width * st.height;
  const fill = packBytes(fillBytes(st.fill, c));
  const groups = Math.ceil(pixels / 4);
  const dst = b.buffer(u8Bytes(pixels, c));
  b.pass("extract", groups, (a) => [
    a.pool(srcBuf),
    src.width,
    src.height,
    c,
    st.top >>> 0,
    st.left >>> 0,
    st.height,
    st.width,
    MODE[st.mode],
    fill,
    a.pool(dst),
    groups,
    pixels,
  ]);
  return dst;
}

/**
 * The image in `src` as a CHW f32 tensor: value v of channel ch becomes the f32 whose bits are
 * luts[ch * 256 + v] (the emit shader's ToTensor path on an identity plan).
 */
export function tensorThrough(b: SampleBuilder, srcBuf: number, src: ImageShape, luts: Uint32Array): number {
  return resample(b, srcBuf, identityPlan(src), src, luts);
}

function resample(b: SampleBuilder, srcBuf: number, plan: ResamplePlan, src: ImageShape, luts?: Uint32Array): number {
  const c = src.channels;
  const { box, window: w } = plan;
  const [oh, ow] = plan.size;
  const srcStride = src.width * c;
  const boxAt = box.top * srcStride + box.left * c; // bytes from the source's start
  const tensor = plan.tensor;
  const semantics = plan.semantics ?? "pil";
  const pixels = w.width * w.height;
  const toTensor = tensor !== null || luts !== undefined;
  const dst = b.buffer(toTensor ? pixels * c * 4 : u8Bytes(pixels, c));
  let lutT = -1;
  let flags = (plan.hflip ? 1 : 0) | (plan.vflip ? 2 : 0);
  if (toTensor) {
    flags |= 4;
    lutT = b.table(luts ?? tensorLuts(tensor!.mean, tensor!.std, c, semantics));
  }
  const count = toTensor ? pixels : Math.ceil(pixels / 4);
  // Fields 2 and 3 (where the rows come from) and 7..10 differ by path.
  let midBuf = srcBuf;
  let midAt = boxAt;
  let midStride = srcStride;
  let kind = 1;
  let tA = -1;
  let tB = -1;
  let kv = 0;
  let first = w.top;
  if (plan.interpolation === "nearest") {
    kind = 0;
    tA = b.table(nearest(box.height, oh, w.top, w.height, semantics));
    tB = b.table(nearest(box.width, ow, w.left, w.width, semantics));
  } else {
    const needH = ow !== box.width;
    const needV = oh !== box.height;
    let last = w.top + w.height;
    if (needV) {
      const yw = weights(box.height, oh, plan.interpolation, plan.antialias, w.top, w.height, semantics);
      first = yw.bounds[0]!;
      last = yw.bounds[2 * (w.height - 1)]! + yw.bounds[2 * (w.height - 1) + 1]!;
      tA = b.table(yw.bounds);
      tB = b.table(yw.coeffs);
      kv = yw.stride;
      flags |= 8;
    }
    if (needH) {
      const xw = weights(box.width, ow, plan.interpolation, plan.antialias, w.left, w.width, semantics);
      const xb = b.table(xw.bounds);
      const xk = b.table(xw.coeffs);
      const rows = last - first;
      const hpixels = rows * w.width;
      const tmp = b.buffer(u8Bytes(hpixels, c));
      const groups = Math.ceil(hpixels / 4);
      const rowAt = boxAt + first * srcStride;
      b.pass("hpass", groups, (a) => [
        a.pool(srcBuf) + rowAt,
        srcStride,
        rows,
        c,
        w.width,
        a.tab(xb),
        a.tab(xk),
        xw.stride,
        a.pool(tmp),
        groups,
        hpixels,
      ]);
      midBuf = tmp;
      midAt = 0;
      midStride = w.width * c;
    } else {
      midAt = boxAt + first * srcStride + w.left * c;
    }
  }
  const fA = tA;
  const fB = tB;
  const mb = midBuf;
  b.pass("emit", count, (a) => [
    kind,
    flags,
    a.pool(mb) + midAt,
    midStride,
    c,
    w.width,
    w.height,
    fA < 0 ? 0 : a.tab(fA),
    fB < 0 ? 0 : a.tab(fB),
    kv,
    first,
    lutT < 0 ? 0 : a.tab(lutT),
    a.pool(dst),
    count,
    pixels,
  ]);
  return dst;
}

// Standalone Normalize on a tensor: value i of plane p (channel p % C) becomes
// (x - mean) / std in binary32 (assembly/tensor.ts's normalize). Params: 6 plane size,
// 7 channels, 8 src byte, 9 table word of C means then C stds (f32 bits).
const NORMALIZE = new Asm()
  .param(2, 6)
  .op(OP.UDIV, 3, REG.INDEX, 2) // plane
  .param(4, 7)
  .op(OP.UREM, 3, 3, 4) // channel
  .param(5, 9)
  .op(OP.IADD, 5, 5, 3)
  .op(OP.LDT, 6, 5) // mean
  .op(OP.IADD, 5, 5, 4)
  .op(OP.LDT, 7, 5) // std
  .param(8, 8)
  .const(9, 2)
  .op(OP.SHL, 10, REG.INDEX, 9)
  .op(OP.IADD, 8, 8, 10)
  .op(OP.LDW, 11, 8)
  .op(OP.F_SUB, 11, 11, 6)
  .op(OP.F_DIV, REG.OUT, 11, 7)
  .end()
  .build();

// A copy of n words. Params: 6 src byte.
const COPY = new Asm().param(2, 6).const(3, 2).op(OP.SHL, 4, REG.INDEX, 3).op(OP.IADD, 2, 2, 4).op(OP.LDW, REG.OUT, 2).end().build();

defineCoreSteps({
  resample,
  window: (b, src, op, from) => window(b, src, op, from),
  normalize(b, src, op, from) {
    if (from.kind !== "tensor") throw new Error("normalize expects a tensor");
    const s = from.shape;
    if (s.length !== 3 && s.length !== 4) throw new RangeError(`normalize needs a CHW or NCHW tensor, got shape [${s.join(", ")}]`);
    const C = s[s.length - 3]!;
    // The functional op's own checks and messages.
    const ms = checkMeanStd(op.mean, op.std, C);
    const plane = s[s.length - 2]! * s[s.length - 1]!;
    const n = s.reduce((x, y) => x * y, 1);
    const t = new Uint32Array(2 * C);
    for (let ch = 0; ch < C; ch++) {
      t[ch] = f32Bits(ms.mean[ch]!);
      t[C + ch] = f32Bits(ms.std[ch]!);
    }
    const tab = b.table(t);
    const dst = b.buffer(n * 4);
    vmPass(b, NORMALIZE, "words", n, 1, dst, (a) => [plane, C, a.pool(src), a.tab(tab)]);
    return dst;
  },
  copy(b, src, meta: Meta) {
    // Images through the identity resample (a plain copy); tensors word by word.
    if (meta.kind === "image") return resample(b, src, identityPlan(meta), meta);
    const words = meta.shape.reduce((x, y) => x * y, 1);
    const dst = b.sample(meta);
    vmPass(b, COPY, "words", words, 1, dst, (a) => [a.pool(src)]);
    return dst;
  },
});

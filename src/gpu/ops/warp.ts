// The warps on the GPU: rotate, affine, perspective, elastic (every semantics, nearest and
// bilinear) and the five/ten crops. Where each output pixel samples is pixel-independent,
// so the host computes it once per geometry with the wasm kernel's own code and the GPU
// only moves and mixes pixel values:
// - nearest (and rotate's copies and quarter turns): the wasm warp itself run on an image
//   whose RGBA pixels are their own indices, fill 0xffffffff, gives each output pixel's
//   source pixel, so the `gather` shader copies exactly the pixels wasm copies;
// - bilinear: assembly/gpuwarp.ts's tables (taps and weights, the kernel's position
//   arithmetic), combined on the register machine with the kernel's value arithmetic:
//   binary64 for Pillow, binary32 with torch's fused steps for the tensor semantics, Q22
//   integers for elastic;
// - five/ten crops: a gather of every crop's planes (flips included) into one image, then
//   ToTensor through the emit shader.
import type { Channels, Image, Meta } from "../../image.js";
import { checkArea } from "../../image.js";
import { fillBytes } from "../../functional/args.js";
import {
  affine,
  affineCoefficients,
  checkPair,
  elasticKeyed,
  fiveCropBoxes,
  perspective,
  perspectiveCoeffs,
  rotate,
  rotatePlan,
} from "../../functional/warp.js";
import { kernel } from "../../kernel/instance.js";
import { KERNEL_CONSTANTS as C } from "../../kernel/exports.js";
import type { AffineArgs, CropsArgs, ElasticArgs, PerspectiveArgs, RotateArgs, WarpArgs } from "../../ir/args.js";
import { defineShader } from "../shaders.js";
import { defineGpuOp, GpuUnsupported, packBytes, u8Bytes, type SampleBuilder } from "../plan.js";
import { OP, Prog, REG, type Reg } from "../vm.js";
import { PARAM0, vmPass } from "./vmpass.js";
import { tensorLuts, tensorThrough } from "./geometry.js";
import gatherShader from "../wgsl/gather.wgsl.js";
import { TableCache } from "../cache.js";

defineShader("gather", gatherShader);

/** Warp tables by geometry: at most 64 tables and 4M words (a table has a word or more per output pixel). */
const warpCache = (): TableCache<Uint32Array> => new TableCache<Uint32Array>({ entries: 64, maxWords: 1 << 22, words: (t) => t.length });

const OUTSIDE = 0xffffffff;
const FF: number[] = [255, 255, 255, 255];

// ---------------------------------------------------------------------------------------
// Nearest: the wasm warp on an index image

let indexImage: Image | null = null;

/** A width x height RGBA image whose pixel i holds i (little-endian u32). */
function indices(width: number, height: number): Image {
  if (indexImage?.width !== width || indexImage.height !== height) {
    const n = width * height;
    const words = new Uint32Array(n);
    for (let i = 0; i < n; i++) words[i] = i;
    indexImage = { width, height, channels: 4, data: new Uint8Array(words.buffer) };
  }
  return indexImage;
}

/** An output image of pixel indices (fill 0xffffffff) as one u32 per pixel. */
const wordsOf = (img: Image): Uint32Array =>
  new Uint32Array(img.data.buffer.slice(img.data.byteOffset, img.data.byteOffset + img.data.byteLength));

const nearestCache = warpCache();

/** The source pixel of every output pixel of `warp` run on a from.width x from.height image (OUTSIDE: the fill). */
function nearestTable(key: string, from: Meta & { kind: "image" }, warp: (idx: Image) => Image): Uint32Array {
  return nearestCache.get(`${from.width} ${from.height} ${key}`, () => wordsOf(warp(indices(from.width, from.height))));
}

/** The gather pass: output pixel i is source pixel table[i] or the fill. */
function gather(b: SampleBuilder, src: number, c: number, table: Uint32Array, fill: number): number {
  const pixels = table.length;
  const groups = Math.ceil(pixels / 4);
  const t = b.table(table);
  const dst = b.buffer(u8Bytes(pixels, c));
  b.pass("gather", groups, (a) => [a.pool(src), c, a.tab(t), fill, a.pool(dst), groups, pixels]);
  return dst;
}

// ---------------------------------------------------------------------------------------
// Bilinear: the kernel's tables, the values on the register machine

const tableCache = warpCache();

/** Runs a table export of the kernel on `coeffs` (8 f64 slots) for `pixels` outputs of `stride` words. */
function kernelTable(
  key: string,
  coeffs: readonly number[],
  pixels: number,
  stride: number,
  fill: (coeffsAt: number, out: number) => void,
): Uint32Array {
  return tableCache.get(key, () => {
    const { arena } = kernel();
    arena.reset();
    const m = arena.alloc(64);
    new Float64Array(arena.u8().buffer, m, 8).set(coeffs.concat([0, 0, 0, 0, 0, 0, 0, 0]).slice(0, 8));
    const out = arena.alloc(pixels * stride * 4);
    fill(m, out);
    return arena.u32().slice(out >>> 2, (out >>> 2) + pixels * stride);
  });
}

/** Table word base + k (a pair: k, k + 1) into fresh registers. */
const ldto = (p: Prog, base: Reg, k: number, pair = false): Reg => {
  const d = p.reg(pair);
  p.asm.op(OP.LDTO, d, base, k);
  if (pair) p.asm.op(OP.LDTO, d + 1, base, k + 1);
  return d;
};

/** The first table word of the element's entry (param 6: the table's word). */
const entry = (p: Prog, stride: number): Reg => p.add(p.param(PARAM0), p.mul(REG.INDEX, p.int(stride)));

/**
 * Common head of the bilinear programs: params 6 table word, 7 src byte, 8 fill (c bytes
 * packed). Returns the entry's first table word and the byte addresses of its four taps.
 */
function taps(p: Prog, stride: number, c: number, base = entry(p, stride)): { base: Reg; at: Reg[]; fill: Reg } {
  const src = p.param(PARAM0 + 1);
  const fill = p.param(PARAM0 + 2);
  const cr = p.int(c);
  const at = [0, 1, 2, 3].map((k) => p.add(src, p.mul(ldto(p, base, k), cr)));
  return { base, at, fill };
}

const fillByte = (p: Prog, fill: Reg, k: number): Reg => p.and(p.shr(fill, p.int(8 * k)), p.int(255));

const pilPrograms = new TableCache<Uint32Array>();

/**
 * Pillow's bilinear value per channel in binary64 (pilwarp.ts): v1 = a + (b - a) * dx on
 * the top row, v2 likewise on the bottom one, v1 + (v2 - v1) * dy, truncated; the fill
 * where the table marks the pixel outside.
 */
function pilProgram(c: number): Uint32Array {
  return pilPrograms.get(`${c}`, () => {
    const p = new Prog();
    const base = entry(p, C.GPU_PIL_STRIDE);
    const { at, fill } = taps(p, C.GPU_PIL_STRIDE, c, base);
    p.jnz(p.xor(p.tab(base), p.int(OUTSIDE)), "inside");
    for (let k = 0; k < c; k++)
      p.out(
        k,
        p.scope(() => fillByte(p, fill, k)),
      );
    p.end();
    p.label("inside");
    const dx = ldto(p, base, 4, true);
    const dy = ldto(p, base, 6, true);
    const results: Reg[] = [];
    for (let k = 0; k < c; k++) {
      results.push(
        p.scope(() => {
          const row = (l: Reg, r: Reg): Reg =>
            p.scope(() => {
              const a = p.byte(l, k);
              return p.dadd(p.dfromi(a), p.dmul(p.dfromi(p.sub(p.byte(r, k), a)), dx));
            }, true);
          const v1 = row(at[0]!, at[1]!);
          const v2 = row(at[2]!, at[3]!);
          return p.dtoi(p.dadd(v1, p.dmul(p.dsub(v2, v1), dy)));
        }),
      );
    }
    results.forEach((r, k) => p.out(k, r));
    p.end();
    return p.build();
  });
}

const tvPrograms = new TableCache<Uint32Array>();

/**
 * torch's bilinear grid_sample value per channel in binary32 (tvwarp.ts):
 * fma(v11, se, fma(v01, sw, fma(v10, ne, v00 * nw))), the fill mixed in by the mask
 * (v2: (v - f) * m + f; v1: v * m + (1 - m) * f), rounded half to even, clamped.
 */
function tvProgram(c: number, hasFill: boolean, v1: boolean): Uint32Array {
  return tvPrograms.get(`${c} ${hasFill} ${v1}`, () => {
    const p = new Prog();
    const { base, at, fill } = taps(p, C.GPU_TV_STRIDE, c);
    const w = [4, 5, 6, 7].map((k) => ldto(p, base, k));
    const m = ldto(p, base, 8);
    const one = p.f32(1);
    const zero = p.f32(0);
    const top = p.f32(255);
    const results: Reg[] = [];
    for (let k = 0; k < c; k++) {
      results.push(
        p.scope(() => {
          const t = (i: number): Reg => p.ffromi(p.byte(at[i]!, k));
          let v = p.scope(() => p.ffma(t(3), w[3]!, p.ffma(t(2), w[2]!, p.ffma(t(1), w[1]!, p.fmul(t(0), w[0]!)))));
          if (hasFill) {
            const f = p.scope(() => p.ffromi(fillByte(p, fill, k)));
            v = v1 ? p.fadd(p.fmul(v, m), p.fmul(p.fsub(one, m), f)) : p.fadd(p.fmul(p.fsub(v, f), m), f);
          }
          return p.ftoi(p.fmin(p.fmax(p.fnearest(v), zero), top));
        }),
      );
    }
    results.forEach((r, k) => p.out(k, r));
    p.end();
    return p.build();
  });
}

const elasticPrograms = new TableCache<Uint32Array>();

/**
 * elasticWarp's bilinear value per channel in integers: s = sum of weight * tap (Q22),
 * m = the weights' sum, round half to even of (s * m + fill * (2^22 - m) * 2^22) / 2^44.
 */
function elasticProgram(c: number): Uint32Array {
  return elasticPrograms.get(`${c}`, () => {
    const p = new Prog();
    const { base, at, fill } = taps(p, C.GPU_ELASTIC_STRIDE, c);
    const w = [4, 5, 6, 7].map((k) => ldto(p, base, k));
    const m = p.add(p.add(w[0]!, w[1]!), p.add(w[2]!, w[3]!));
    const m64 = p.i2l(m);
    const rest = p.sub(p.int(1 << 22), m);
    const results: Reg[] = [];
    for (let k = 0; k < c; k++) {
      results.push(
        p.scope(() => {
          const s = p.scope(() =>
            p.add(
              p.add(p.mul(w[0]!, p.byte(at[0]!, k)), p.mul(w[1]!, p.byte(at[1]!, k))),
              p.add(p.mul(w[2]!, p.byte(at[2]!, k)), p.mul(w[3]!, p.byte(at[3]!, k))),
            ),
          );
          const f = p.scope(() => p.mul(fillByte(p, fill, k), rest));
          const v = p.scope(() => p.ladd(p.lmul(p.i2l(s), m64), p.lshl(p.i2l(f), p.int(22))), true);
          // v < 2^53: the quotient is the high word's top bits, the remainder 44 bits.
          const hi = v + 1;
          const q = p.shr(hi, p.int(12));
          const rhi = p.and(hi, p.int(0xfff));
          const half = p.int(0x800);
          const above = p.ult(half, rhi);
          const tie = p.ieq(rhi, half);
          const up = p.or(above, p.and(tie, p.or(p.ult(p.int(0), v), p.and(q, p.int(1)))));
          return p.add(q, up);
        }),
      );
    }
    results.forEach((r, k) => p.out(k, r));
    p.end();
    return p.build();
  });
}

/** A bilinear pass of `program` over a dw x dh output from `table`. */
function mixPass(
  b: SampleBuilder,
  src: number,
  c: Channels,
  program: Uint32Array,
  table: Uint32Array,
  pixels: number,
  fill: number,
): number {
  const t = b.table(table);
  const dst = b.buffer(u8Bytes(pixels, c));
  vmPass(b, program, "bytes", pixels, c, dst, (a) => [a.tab(t), a.pool(src), fill]);
  return dst;
}

// ---------------------------------------------------------------------------------------
// Rotate, affine, perspective

const imageOf = (m: Meta, what: string): Meta & { kind: "image" } => {
  if (m.kind !== "image") throw new GpuUnsupported(`${what} on a tensor`);
  return m;
};

/**
 * The bilinear warp of `from` by `coeffs` to dw x dh: Pillow's generic transform ("pil") or
 * torch's grid_sample (the tensor semantics), as src/functional/warp.ts runs them.
 */
function bilinear(
  b: SampleBuilder,
  src: number,
  from: Meta & { kind: "image" },
  coeffs: number[],
  persp: boolean,
  a: WarpArgs,
  dw: number,
  dh: number,
  what: string,
): number {
  checkArea(dw, dh, what);
  const sem = a.semantics ?? "pil";
  const c = from.channels;
  const pixels = dw * dh;
  const geo = `${from.width} ${from.height} ${dw} ${dh} ${persp} ${coeffs.join()}`;
  if (sem === "pil") {
    const table = kernelTable(`pil ${geo}`, coeffs, pixels, C.GPU_PIL_STRIDE, (m, out) =>
      kernel().exports.gpuPilBilinearTable(from.width, from.height, dw, dh, m, persp ? 1 : 0, out),
    );
    return mixPass(b, src, c, pilProgram(c), table, pixels, packBytes(fillBytes(a.fill ?? 0, c)));
  }
  const hasFill = a.fill !== null;
  const table = kernelTable(`tv ${hasFill} ${geo}`, coeffs, pixels, C.GPU_TV_STRIDE, (m, out) =>
    kernel().exports.gpuTvBilinearTable(from.width, from.height, dw, dh, m, persp ? 1 : 0, hasFill ? 1 : 0, out),
  );
  const fill = hasFill ? packBytes(fillBytes(a.fill, c)) : 0;
  return mixPass(b, src, c, tvProgram(c, hasFill, sem === "tensor-v1"), table, pixels, fill);
}

/** The fill bytes of a nearest gather (zeros for fill null: Pillow's 0, grid_sample's zeros). */
const gatherFill = (a: { fill: number[] | null }, c: Channels): number => packBytes(fillBytes(a.fill ?? 0, c));

defineGpuOp<RotateArgs>("rotate", {
  lower(b, src, a, fromMeta) {
    const from = imageOf(fromMeta, "rotate");
    const sem = a.semantics ?? "pil";
    const plan = rotatePlan(from.width, from.height, a.angle, a.expand, a.center, sem);
    if (plan.kind !== "affine" || a.interpolation === "nearest") {
      const key = `rotate ${a.angle} ${a.expand} ${a.center} ${sem}`;
      const table = nearestTable(key, from, (idx) =>
        rotate(idx, a.angle, { interpolation: "nearest", expand: a.expand, center: a.center, fill: FF, semantics: sem }),
      );
      return gather(b, src, from.channels, table, gatherFill(a, from.channels));
    }
    return bilinear(b, src, from, plan.matrix, false, a, plan.size[1], plan.size[0], "rotate");
  },
});

defineGpuOp<AffineArgs>("affine", {
  lower(b, src, a, fromMeta) {
    const from = imageOf(fromMeta, "affine");
    const sem = a.semantics ?? "pil";
    if (a.interpolation === "nearest") {
      const key = `affine ${a.angle} ${a.translate} ${a.scale} ${a.shear} ${a.center} ${sem}`;
      const table = nearestTable(key, from, (idx) =>
        affine(idx, {
          angle: a.angle,
          translate: a.translate,
          scale: a.scale,
          shear: a.shear,
          center: a.center,
          interpolation: "nearest",
          fill: FF,
          semantics: sem,
        }),
      );
      return gather(b, src, from.channels, table, gatherFill(a, from.channels));
    }
    const m = affineCoefficients(from.width, from.height, a, sem);
    return bilinear(b, src, from, m, false, a, from.width, from.height, "affine");
  },
});

defineGpuOp<PerspectiveArgs>("perspective", {
  lower(b, src, a, fromMeta) {
    const from = imageOf(fromMeta, "perspective");
    const sem = a.semantics ?? "pil";
    if (a.interpolation === "nearest") {
      const key = `perspective ${a.startpoints} ${a.endpoints} ${sem}`;
      const table = nearestTable(key, from, (idx) =>
        perspective(idx, a.startpoints, a.endpoints, { interpolation: "nearest", fill: FF, semantics: sem }),
      );
      return gather(b, src, from.channels, table, gatherFill(a, from.channels));
    }
    const coeffs = perspectiveCoeffs(a.startpoints, a.endpoints);
    return bilinear(b, src, from, coeffs, true, a, from.width, from.height, "perspective");
  },
});

// ---------------------------------------------------------------------------------------
// Elastic

defineGpuOp<ElasticArgs>("elastic", {
  lower(b, src, a, fromMeta) {
    const from = imageOf(fromMeta, "elastic");
    const c = from.channels;
    const fill = packBytes(fillBytes(a.fill, c));
    const id = `elastic ${a.key} ${a.alpha} ${a.sigma}`;
    if (a.interpolation === "nearest") {
      const table = nearestTable(id, from, (idx) => elasticKeyed(idx, a.key, a.alpha, a.sigma, { interpolation: "nearest", fill: FF }));
      return gather(b, src, c, table, fill);
    }
    const { width: w, height: h } = from;
    const [ax, ay] = checkPair(a.alpha, "alpha", 0, false);
    const [sx, sy] = checkPair(a.sigma, "sigma", 0, true);
    if (sx > 1000 || sy > 1000) throw new RangeError(`sigma must be at most 1000, got [${sx}, ${sy}]`);
    const table = tableCache.get(`${w} ${h} ${id}`, () => {
      const { exports: x, arena } = kernel();
      arena.reset();
      const field = arena.alloc(w * h * 16);
      const scratch = arena.alloc(x.elasticScratch(w, h, sx, sy));
      x.elasticField(a.key[0], a.key[1], w, h, ax, ay, sx, sy, field, scratch);
      const out = arena.alloc(w * h * C.GPU_ELASTIC_STRIDE * 4);
      x.gpuElasticTable(w, h, field, out);
      return arena.u32().slice(out >>> 2, (out >>> 2) + w * h * C.GPU_ELASTIC_STRIDE);
    });
    return mixPass(b, src, c, elasticProgram(c), table, w * h, fill);
  },
});

// ---------------------------------------------------------------------------------------
// FiveCrop / TenCrop

/**
 * Byte indices of every crop's planes: crop k, channel ch, row y, column x of the output
 * tensor [n, C, ch, cw] reads source byte table[((k * C + ch) * h + y) * w + x]; crops 5..9
 * are the first five of the flipped image.
 */
function cropTable(W: number, H: number, c: number, a: CropsArgs): Uint32Array {
  const [ch, cw] = a.size;
  const boxes = fiveCropBoxes(H, W, ch, cw);
  const n = a.ten ? 10 : 5;
  const t = new Uint32Array(n * c * ch * cw);
  let i = 0;
  for (let k = 0; k < n; k++) {
    const [top, left] = boxes[k % 5]!;
    const flip = k >= 5;
    for (let ci = 0; ci < c; ci++) {
      for (let y = 0; y < ch; y++) {
        const sy = flip && a.verticalFlip ? H - 1 - (top + y) : top + y;
        for (let x = 0; x < cw; x++) {
          const sx = flip && !a.verticalFlip ? W - 1 - (left + x) : left + x;
          t[i++] = (sy * W + sx) * c + ci;
        }
      }
    }
  }
  return t;
}

const cropCache = warpCache();

defineGpuOp<CropsArgs>("multiCrop", {
  lower(b, src, a, fromMeta) {
    const from = imageOf(fromMeta, a.ten ? "TenCrop" : "FiveCrop");
    const c = from.channels;
    const table = cropCache.get(`${from.width} ${from.height} ${c} ${a.size} ${a.ten} ${a.verticalFlip}`, () =>
      cropTable(from.width, from.height, c, a),
    );
    // The planes as one single-channel image, then ToTensor (the same table for every channel).
    const planes = gather(b, src, 1, table, 0);
    const shape = { width: a.size[1], height: table.length / a.size[1], channels: 1 as const };
    return tensorThrough(b, planes, shape, tensorLuts([0], [1], 1, "pil"));
  },
});

// Colour ops on the GPU, twins of the kernel's (assembly/pilcolor.ts for "pil",
// tvcolor.ts for "tensor", color.ts for "tensor-v1" and the shared tables):
// - image-independent tables (brightness, invert, posterize, solarize) are the kernel's
//   bytes (src/gpu/colorTables.ts), applied by the map shader, as is channel permutation;
// - image statistics (contrast's mean, autocontrast's extremes, equalize's histograms) come
//   from the stats shader's exact integer reductions; a register-machine program then
//   builds the table from them in the kernel's arithmetic, and the map shader applies it;
// - per-pixel ops (grayscale, saturation, hue, sharpness) are register-machine programs
//   doing the kernel's integer and IEEE operations in its order (src/gpu/vm.ts).
import type { Channels, Meta } from "../../image.js";
import type { KernelSemantics } from "../../functional/semantics.js";
import type { ColorArgs } from "../../ir/args.js";
import { kernel } from "../../kernel/instance.js";
import { TableCache } from "../cache.js";
import { defineShader } from "../shaders.js";
import { defineGpuOp, GpuUnsupported, packBytes, u8Bytes, type SampleBuilder } from "../plan.js";
import { brightnessLut, invertLut, posterizeLut, solarizeLut } from "../colorTables.js";
import { f32Bits, Prog, REG, type Reg } from "../vm.js";
import { PARAM0, vmPass } from "./vmpass.js";
import mapShader from "../wgsl/map.wgsl.js";

defineShader("map", mapShader);

// ---------------------------------------------------------------------------------------
// Reductions

// Integer sums, minima and maxima do not depend on the order atomics land in.
defineShader("stats", {
  decls: /* wgsl */ `
var<workgroup> hist: array<atomic<u32>, 768>;
`,
  // kind: 0 the sum of n bytes, as a u64 in two words; 1 per-channel minimum (stored as 255 -
  // min) and maximum of n pixels of c channels, 2c words; 2 histograms of the first cc
  // channels, 256 words each. dst: zeroed words.
  record: ["kind", "src", "n", "c", "cc", "dst: word"],
  everyInvocation: true, // the histograms meet at workgroup barriers
  atomic: true,
  body: /* wgsl */ `
  let mode = select(3u, kind, wk.ok);
  if (mode == 2u) {
    for (var i = lid; i < 768u; i += 64u) { atomicStore(&hist[i], 0u); }
  }
  workgroupBarrier();
  if (mode == 0u) {
    var acc = 0u;
    for (var i = wk.first; i < n; i += wk.step) { acc += byteAt(src + i); }
    let old = atomicAdd(&pool[dst], acc);
    if (old + acc < old) { atomicAdd(&pool[dst + 1u], 1u); }
  } else if (mode == 1u) {
    var lo = vec4<u32>(255u);
    var hi = vec4<u32>(0u);
    for (var i = wk.first; i < n; i += wk.step) {
      for (var ch = 0u; ch < c; ch++) {
        let v = byteAt(src + i * c + ch);
        lo[ch] = min(lo[ch], v);
        hi[ch] = max(hi[ch], v);
      }
    }
    for (var ch = 0u; ch < c; ch++) {
      atomicMax(&pool[dst + ch], 255u - lo[ch]);
      atomicMax(&pool[dst + c + ch], hi[ch]);
    }
  } else if (mode == 2u) {
    for (var i = wk.first; i < n; i += wk.step) {
      for (var ch = 0u; ch < cc; ch++) { atomicAdd(&hist[ch * 256u + byteAt(src + i * c + ch)], 1u); }
    }
  }
  workgroupBarrier();
  if (mode == 2u) {
    for (var i = lid; i < cc * 256u; i += 64u) {
      let v = atomicLoad(&hist[i]);
      if (v != 0u) { atomicAdd(&pool[dst + i], v); }
    }
  }
`,
});

const STAT = { sum: 0, minmax: 1, hist: 2 } as const;

/** A zeroed buffer with the statistic of the image in `src` (n pixels of c channels; for sums, n bytes). */
function stats(b: SampleBuilder, src: number, mode: keyof typeof STAT, n: number, c: number, cc: number): number {
  const words = mode === "sum" ? 2 : mode === "minmax" ? 2 * c : 256 * cc;
  const dst = b.buffer(words * 4, true);
  b.pass("stats", n, (a) => [STAT[mode], a.pool(src), n, c, cc, a.pool(dst)]);
  return dst;
}

// ---------------------------------------------------------------------------------------
// Program pieces

const C_R = f32Bits(0.2989);
const C_G = f32Bits(0.587);
const C_B = f32Bits(0.114);
const INV255 = f32Bits(1 / 255);
const TO_U8 = f32Bits(255 + 1 - 1e-3);

/** Address of pixel R0's first byte: src (param k) + R0 * c (param k + 1). */
function pixelAt(p: Prog, srcParam: number, cParam: number): Reg {
  return p.scope(() => p.add(p.param(srcParam), p.mul(REG.INDEX, p.param(cParam))));
}

/** The grey value (an integer register) of (r, g, b) under `sem` ("pil": convert('L'); "tensor": v2's, floored; v1: truncated). */
function grey(p: Prog, sem: KernelSemantics, r: Reg, g: Reg, b: Reg): Reg {
  return p.scope(() => {
    if (sem === "pil") {
      const t = p.add(p.add(p.mul(r, p.int(19595)), p.mul(g, p.int(38470))), p.add(p.mul(b, p.int(7471)), p.int(0x8000)));
      return p.shr(t, p.int(16));
    }
    return p.ftoi(greyF(p, sem, r, g, b));
  });
}

/** The binary32 grey value: "tensor" floor(fma(b, C_B, fma(g, C_G, r * C_R))); v1 C_R r + C_G g + C_B b. */
function greyF(p: Prog, sem: KernelSemantics, r: Reg, g: Reg, b: Reg): Reg {
  return p.scope(() => {
    const fr = p.ffromi(r);
    const fg = p.ffromi(g);
    const fb = p.ffromi(b);
    if (sem === "tensor") return p.ffloor(p.ffma(fb, p.int(C_B), p.ffma(fg, p.int(C_G), p.fmul(fr, p.int(C_R)))));
    return p.fadd(p.fadd(p.fmul(p.int(C_R), fr), p.fmul(p.int(C_G), fg)), p.fmul(p.int(C_B), fb));
  });
}

/** <u8><i32>min(max(x, 0), 255): the kernels' clamp then truncation. */
function toByte(p: Prog, x: Reg): Reg {
  return p.scope(() => p.and(p.ftoi(p.fmin(p.fmax(x, p.int(0)), p.int(f32Bits(255)))), p.int(255)));
}

/** Pillow's Blend.c of degenerate d and value x (integers) by alpha (binary32 register), clipped. */
function blend1(p: Prog, d: Reg, x: Reg, alpha: Reg): Reg {
  return p.scope(() => toByte(p, p.fadd(p.ffromi(d), p.fmul(alpha, p.ffromi(p.sub(x, d))))));
}

/** Emits outputs 0..2 (fn(k)) and output 3, the alpha byte copied (the harness stores it only for 4 channels). */
function outputs(p: Prog, at: Reg, fn: (k: number) => Reg): void {
  for (let k = 0; k < 3; k++)
    p.out(
      k,
      p.scope(() => fn(k)),
    );
  p.out(3, p.byte(at, 3));
}

// ---------------------------------------------------------------------------------------
// Grayscale

const greyPrograms = new TableCache<Uint32Array>();

/** rgbToGrayscale under sem: params 6 src, 7 c, 8 outC. */
function greyProgram(sem: KernelSemantics): Uint32Array {
  return greyPrograms.get(sem, () => {
    const p = new Prog();
    const at = pixelAt(p, PARAM0, PARAM0 + 1);
    const c = p.param(PARAM0 + 1);
    const r = p.byte(at, 0);
    const g = p.byte(at, 1);
    const bl = p.byte(at, 2);
    p.out(3, p.byte(at, 3));
    p.out(0, r);
    const one = p.ieq(c, p.int(1));
    p.jnz(one, "grey");
    p.out(0, grey(p, sem, r, g, bl));
    p.label("grey");
    p.out(1, REG.OUT);
    p.out(2, REG.OUT);
    p.end();
    return p.build();
  });
}

/** A u8 buffer with the grey value of every pixel of the image in `src` (the image itself for 1 channel). */
function greyBytes(b: SampleBuilder, src: number, m: { width: number; height: number; channels: Channels }, sem: KernelSemantics): number {
  if (m.channels === 1) return src;
  const n = m.width * m.height;
  const dst = b.buffer(u8Bytes(n, 1));
  vmPass(b, greyProgram(sem), "bytes", n, 1, dst, (a) => [a.pool(src), m.channels, 1]);
  return dst;
}

// ---------------------------------------------------------------------------------------
// Tables from statistics, applied by the map shader

/** Applies per-channel tables at pool buffer `lut` (cc tables of 256 bytes) to the image in src; alpha copied. */
function mapThrough(b: SampleBuilder, src: number, m: Meta, lut: number, cc: number): number {
  if (m.kind !== "image") throw new Error("colour ops take images");
  const c = m.channels;
  const pixels = m.width * m.height;
  const groups = Math.ceil(pixels / 4);
  const dst = b.buffer(u8Bytes(pixels, c));
  const perm = packBytes([0, 1, 2, 3].slice(0, c));
  b.pass("map", groups, (a) => [a.pool(src), c, perm, a.pool(lut), cc, a.pool(dst), groups, pixels, 1]);
  return dst;
}

/** A program writing cc tables of 256 entries: fn(v, ch) for entry i (v = i & 255, ch = i >> 8). */
function tableProgram(fn: (p: Prog, v: Reg, ch: Reg) => Reg): Uint32Array {
  const p = new Prog();
  const v = p.and(REG.INDEX, p.int(255));
  const ch = p.shr(REG.INDEX, p.int(8));
  p.out(0, fn(p, v, ch));
  p.end();
  return p.build();
}

const contrastPrograms = new TableCache<Uint32Array>();

/**
 * adjustContrast's table from the grey sum: params 6 sum buffer (byte), 7 n, 8 a (f32
 * bits of the factor), 9 b (f32 bits of 1 - factor; "tensor" and v1).
 */
function contrastProgram(sem: KernelSemantics): Uint32Array {
  return contrastPrograms.get(sem, () =>
    tableProgram((p, v) => {
      const total = p.word64(p.param(PARAM0));
      const n = p.param(PARAM0 + 1);
      const a = p.param(PARAM0 + 2);
      const bb = p.param(PARAM0 + 3);
      if (sem === "pil") {
        // int(float64(sum) / n + 0.5), then Pillow's blend with that constant degenerate
        const mean = p.ddiv(p.dfromu64(total), p.dfromi(n));
        const d = p.dtoi(p.dadd(mean, p.f64(0.5)));
        return blend1(p, d, v, a);
      }
      const mean = p.fdiv(p.ffromu64(total), p.ffromi(n));
      if (sem === "tensor") return toByte(p, p.ffma(mean, bb, p.fmul(p.ffromi(v), a)));
      return toByte(p, p.fadd(p.fmul(a, p.ffromi(v)), p.fmul(bb, mean)));
    }),
  );
}

const autocontrastPrograms = new TableCache<Uint32Array>();

/** autocontrast's per-channel tables from the extremes: params 6 minmax buffer (byte), 7 c. */
function autocontrastProgram(sem: KernelSemantics): Uint32Array {
  return autocontrastPrograms.get(sem, () =>
    tableProgram((p, v, ch) => {
      const buf = p.param(PARAM0);
      const c = p.param(PARAM0 + 1);
      const four = p.int(4);
      const lo = p.sub(p.int(255), p.word(p.add(buf, p.mul(ch, four))));
      const hi = p.word(p.add(buf, p.mul(p.add(c, ch), four)));
      // a flat channel (hi <= lo for Pillow, hi == lo for torch) keeps the identity
      const stretch = sem === "pil" ? p.ilt(lo, hi) : p.xor(p.ieq(hi, lo), p.int(1));
      const res = p.reg();
      p.set(res, v);
      p.jz(stretch, "done");
      if (sem === "pil") {
        const scale = p.ddiv(p.f64(255), p.dfromi(p.sub(hi, lo)));
        const offset = p.dmul(p.dfromi(p.sub(p.int(0), lo)), scale);
        const t = p.dtoi(p.dadd(p.dmul(p.dfromi(v), scale), offset));
        p.set(res, p.imin(p.imax(t, p.int(0)), p.int(255)));
      } else if (sem === "tensor") {
        const inv = p.fmul(p.ffromi(p.sub(hi, lo)), p.int(INV255));
        p.set(res, toByte(p, p.fdiv(p.fsub(p.ffromi(v), p.ffromi(lo)), inv)));
      } else {
        const scale = p.fmul(p.fdiv(p.int(f32Bits(1)), p.fsub(p.ffromi(hi), p.ffromi(lo))), p.int(f32Bits(255)));
        p.set(res, toByte(p, p.fmul(p.fsub(p.ffromi(v), p.ffromi(lo)), scale)));
      }
      p.label("done");
      return res;
    }),
  );
}

// equalize's table (every semantics; assembly/color.ts's colorLutEqualize): integers only,
// so plain WGSL. One invocation per channel walks its 256 bins (a table per register-machine
// element would rescan the histogram 256 times). Totals are pixel counts: they fit a u32.
defineShader("equalizeLut", {
  // hists: byte of the histograms (256 words per channel); cc channels; dst: byte of the
  // tables (256 per channel).
  record: ["hists: word", "cc", "dst: word"],
  body: /* wgsl */ `
  for (var ch = wk.first; ch < cc; ch += wk.step) {
    let hist = hists + ch * 256u;
    let out = dst + ch * 64u;
    var last = 255i;
    while (last >= 0i && pool[hist + u32(last)] == 0u) { last--; }
    var total = 0u;
    for (var v = 0i; v < last; v++) { total += pool[hist + u32(v)]; }
    let step = total / 255u;
    let half = step >> 1u;
    var acc = 0u;
    for (var w = 0u; w < 64u; w++) {
      var word = 0u;
      for (var k = 0u; k < 4u; k++) {
        let v = w * 4u + k;
        var q = v;
        if (step != 0u) { q = min((acc + half) / step, 255u); }
        word |= q << (k * 8u);
        acc += pool[hist + v];
      }
      pool[out + w] = word;
    }
  }
`,
});

function lutPass(b: SampleBuilder, program: Uint32Array, cc: number, params: (a: import("../plan.js").Addr) => number[]): number {
  const lut = b.buffer(256 * cc);
  vmPass(b, program, "bytes", 256 * cc, 1, lut, params);
  return lut;
}

// ---------------------------------------------------------------------------------------
// Per-pixel programs

const perPixel = new TableCache<Uint32Array>();
const cached = (key: string, make: () => Uint32Array): Uint32Array => perPixel.get(key, make);

/** adjustSaturation: params 6 src, 7 c, 8 a (f32 bits of the factor), 9 b (1 - factor). */
function saturationProgram(sem: KernelSemantics): Uint32Array {
  return cached(`saturation ${sem}`, () => {
    const p = new Prog();
    const at = pixelAt(p, PARAM0, PARAM0 + 1);
    const a = p.param(PARAM0 + 2);
    const bb = p.param(PARAM0 + 3);
    const ch = [p.byte(at, 0), p.byte(at, 1), p.byte(at, 2)];
    if (sem === "pil") {
      const g = grey(p, "pil", ch[0]!, ch[1]!, ch[2]!);
      outputs(p, at, (k) => blend1(p, g, ch[k]!, a));
    } else if (sem === "tensor") {
      const g = greyF(p, "tensor", ch[0]!, ch[1]!, ch[2]!);
      outputs(p, at, (k) => toByte(p, p.ffma(g, bb, p.fmul(p.ffromi(ch[k]!), a))));
    } else {
      const g = p.ffromi(grey(p, "tensor-v1", ch[0]!, ch[1]!, ch[2]!));
      outputs(p, at, (k) => toByte(p, p.fadd(p.fmul(a, p.ffromi(ch[k]!)), p.fmul(bb, g))));
    }
    p.end();
    return p.build();
  });
}

/**
 * adjustSharpness: params 6 src, 7 c, 8 w, 9 h, 10 a (f32 bits of the factor; "tensor":
 * 1 - factor), 11 b (1 - factor, v1). Border pixels are copied (their degenerate is
 * themselves); alpha is copied.
 */
function sharpnessProgram(sem: KernelSemantics): Uint32Array {
  return cached(`sharpness ${sem}`, () => {
    const p = new Prog();
    const c = p.param(PARAM0 + 1);
    const at = pixelAt(p, PARAM0, PARAM0 + 1);
    const w = p.param(PARAM0 + 2);
    const h = p.param(PARAM0 + 3);
    const a = p.param(PARAM0 + 4);
    const bb = p.param(PARAM0 + 5);
    for (let k = 0; k < 4; k++) p.scope(() => (p.out(k, p.byte(at, k)), 0));
    const border = p.scope(() => {
      const one = p.int(1);
      const x = p.urem(REG.INDEX, w);
      const y = p.udiv(REG.INDEX, w);
      return p.or(p.or(p.ieq(x, p.int(0)), p.ieq(y, p.int(0))), p.or(p.ieq(x, p.sub(w, one)), p.ieq(y, p.sub(h, one))));
    });
    // v1 blends the border too (r x + (1 - r) x in binary32 need not give x back)
    if (sem !== "tensor-v1") p.jnz(border, "done");
    const up = p.scope(() => p.sub(at, p.mul(w, c)));
    const dn = p.scope(() => p.add(at, p.mul(w, c)));
    const colours = p.scope(() => p.sel(p.ieq(c, p.int(4)), p.int(3), c));
    const k = p.reg();
    p.scope(() => (p.set(k, p.int(0)), k));
    p.label("channel");
    p.jz(
      p.scope(() => p.ult(k, colours)),
      "done",
    );
    p.scope(() => {
      const base = [up, at, dn].map((r) => p.add(r, k));
      const tap = (r: number, dx: number): Reg =>
        p.scope(() => (dx < 0 ? p.byte(p.sub(base[r]!, c)) : dx > 0 ? p.byte(p.add(base[r]!, c)) : p.byte(base[r]!)));
      const xv = p.byte(base[1]!);
      let out: Reg;
      if (sem === "pil") {
        // Filter.c's SMOOTH in binary32: ss = 0.5 + rows below, centre and above, then blend
        const k1 = p.int(f32Bits(1 / 13));
        const k5 = p.int(f32Bits(5 / 13));
        const term = (r: number, dx: number, kk: Reg): Reg => p.scope(() => p.fmul(p.ffromi(tap(r, dx)), kk));
        const rowSum = (r: number): Reg =>
          p.scope(() =>
            p.fadd(
              p.scope(() => p.fadd(term(r, -1, k1), term(r, 0, r === 1 ? k5 : k1))),
              term(r, 1, k1),
            ),
          );
        let ss = p.scope(() => p.fadd(p.int(f32Bits(0.5)), rowSum(2)));
        ss = p.scope(() => p.fadd(ss, rowSum(1)));
        ss = p.scope(() => p.fadd(ss, rowSum(0)));
        const deg = p.scope(() => p.and(p.ftoi(p.fmin(ss, p.int(f32Bits(255)))), p.int(255)));
        out = blend1(p, deg, xv, a);
      } else {
        // colorBlur3: (the 9 neighbours + 4 centre + 6) / 13, floored
        const deg = p.reg();
        p.set(deg, xv);
        if (sem === "tensor-v1") p.jnz(border, "blend");
        p.scope(() => {
          let s = p.add(p.mul(xv, p.int(4)), p.int(6));
          for (const r of [0, 1, 2]) for (const dx of [-1, 0, 1]) s = p.scope(() => p.add(s, tap(r, dx)));
          p.set(deg, p.udiv(s, p.int(13)));
          return deg;
        });
        p.label("blend");
        if (sem === "tensor") out = toByte(p, p.ffma(p.ffromi(p.sub(deg, xv)), a, p.ffromi(xv)));
        else out = toByte(p, p.fadd(p.fmul(a, p.ffromi(xv)), p.fmul(bb, p.ffromi(deg))));
      }
      // output k: registers OUT + k, through a computed move (the channel is in a register)
      const isK = [0, 1, 2].map((kk) => p.ieq(k, p.int(kk)));
      for (let kk = 0; kk < 3; kk++) p.asm.op(17 /* SEL */, REG.OUT + kk, out, REG.OUT + kk, isK[kk]!);
      return out;
    });
    p.scope(() => (p.set(k, p.add(k, p.int(1))), k));
    p.jmp("channel");
    p.label("done");
    p.end();
    return p.build();
  });
}

/**
 * adjustHue ("pil"): torchvision's HSV round trip on Pillow's bytes (assembly/pilcolor.ts's
 * pilHue with the kernel's HSV tables). Params 6 src, 7 c, 8 f64 hue factor (two words),
 * 10 tables (table word: US 16384 words, FS 256, SECTOR 256, FH 256, PV 16384).
 */
function pilHueProgram(): Uint32Array {
  return cached("hue pil", () => {
    const p = new Prog();
    const at = pixelAt(p, PARAM0, PARAM0 + 1);
    const hf = p.param64(PARAM0 + 2);
    const T = p.param(PARAM0 + 4);
    const r = p.byte(at, 0);
    const g = p.byte(at, 1);
    const b = p.byte(at, 2);
    p.out(3, p.byte(at, 3));
    const v = p.scope(() => p.imax(r, p.imax(g, b)));
    const mn = p.scope(() => p.imin(r, p.imin(g, b)));
    p.out(0, v);
    p.out(1, v);
    p.out(2, v);
    const tabByte = (base: Reg, index: Reg): Reg =>
      p.scope(() => {
        const w = p.tab(p.add(base, p.shr(index, p.int(2))));
        return p.and(p.shr(w, p.shl(p.and(index, p.int(3)), p.int(3))), p.int(255));
      });
    const at16 = (k: number): Reg => p.scope(() => p.add(T, p.int(k)));
    p.jnz(
      p.scope(() => p.ieq(mn, v)),
      "done",
    );
    const ss = p.scope(() => tabByte(T, p.or(p.shl(v, p.int(8)), mn)));
    p.jz(ss, "done");
    // hueByte: Convert.c's rgb2hsv hue (binary32 divisions; C's double sums for g and b max)
    const cr = p.scope(() => p.ffromi(p.sub(v, mn)));
    const q = (x: Reg): Reg => p.scope(() => p.fdiv(p.ffromi(p.sub(v, x)), cr));
    const h = p.reg();
    p.jz(
      p.scope(() => p.ieq(r, v)),
      "notR",
    );
    p.scope(() => (p.set(h, p.fsub(q(b), q(g))), h));
    p.jmp("haveH");
    p.label("notR");
    p.jz(
      p.scope(() => p.ieq(g, v)),
      "bMax",
    );
    p.scope(() => (p.set(h, p.ffromd(p.dsub(p.dadd(p.f64(2), p.dfromf(q(r))), p.dfromf(q(b))))), h));
    p.jmp("haveH");
    p.label("bMax");
    p.scope(() => (p.set(h, p.ffromd(p.dsub(p.dadd(p.f64(4), p.dfromf(q(g))), p.dfromf(q(r))))), h));
    p.label("haveH");
    // fmod(h / 6 + 1, 1) over [5/6, 11/6]: subtract 1 or nothing
    const u = p.reg(true);
    p.scope(() => (p.set(u, p.dadd(p.ddiv(p.dfromf(h), p.f64(6)), p.f64(1)), true), u));
    p.jnz(
      p.scope(() => p.dlt(u, p.f64(1))),
      "wrapped",
    );
    p.scope(() => (p.set(u, p.dsub(u, p.f64(1)), true), u));
    p.label("wrapped");
    const hueB = p.scope(() => p.imin(p.imax(p.dtoi(p.dmul(p.dfromf(p.ffromd(u)), p.f64(255))), p.int(0)), p.int(255)));
    const shift = p.scope(() => p.and(p.dtoi(p.dmul(hf, p.f64(255))), p.int(255)));
    const hh = p.scope(() => p.and(p.add(hueB, shift), p.int(255)));
    const fs = p.scope(() => p.tab(p.add(at16(16384), ss)));
    const f = p.scope(() => p.tab(p.add(at16(16384 + 512), hh)));
    const vv = p.dfromi(v);
    const pp = p.scope(() => tabByte(at16(16384 + 768), p.or(p.shl(ss, p.int(8)), v)));
    // cround: floor, plus one when the fraction is at least 0.5
    const cround = (x: Reg): Reg =>
      p.scope(() => {
        const fl = p.dfloor(x);
        const up = p.scope(() => p.xor(p.dlt(p.dsub(x, fl), p.f64(0.5)), p.int(1)));
        return p.imin(p.imax(p.add(p.dtoi(fl), up), p.int(0)), p.int(255));
      });
    const qq = p.scope(() => cround(p.scope(() => p.dmul(vv, p.dsub(p.f64(1), p.dfromf(p.fmul(fs, f)))), true)));
    const tt = p.scope(() => {
      const oneMinusF = p.scope(() => p.dsub(p.f64(1), p.dfromf(f)), true);
      const k = p.scope(() => p.dsub(p.f64(1), p.dmul(p.dfromf(fs), oneMinusF)), true);
      return cround(p.scope(() => p.dmul(vv, k), true));
    });
    const sector = p.scope(() => p.tab(p.add(at16(16384 + 256), hh)));
    // sector 0: (v, t, p); 1: (q, v, p); 2: (p, v, t); 3: (p, q, v); 4: (t, p, v); 5: (v, p, q)
    const is = (k: number): Reg => p.scope(() => p.ieq(sector, p.int(k)));
    const pick = (vals: Reg[]): Reg => p.scope(() => vals.reduce((acc, val, k) => p.scope(() => p.sel(is(k), val, acc)), vals[5]!));
    p.out(0, pick([v, qq, pp, pp, tt, v]));
    p.out(1, pick([tt, v, v, qq, pp, pp]));
    p.out(2, pick([pp, pp, tt, v, v, qq]));
    p.label("done");
    p.end();
    return p.build();
  });
}

/** adjustHue ("tensor"): v2's float32 HSV round trip (assembly/tvcolor.ts's huePixel). Params 6 src, 7 c, 8 f32 bits of the factor. */
function tvHueProgram(): Uint32Array {
  return cached("hue tensor", () => {
    const p = new Prog();
    const at = pixelAt(p, PARAM0, PARAM0 + 1);
    const hf = p.param(PARAM0 + 2);
    p.out(3, p.byte(at, 3));
    const S = (fn: () => Reg): Reg => p.scope(fn);
    const r = S(() => p.fmul(p.ffromi(p.byte(at, 0)), p.int(INV255)));
    const g = S(() => p.fmul(p.ffromi(p.byte(at, 1)), p.int(INV255)));
    const b = S(() => p.fmul(p.ffromi(p.byte(at, 2)), p.int(INV255)));
    const one = p.int(f32Bits(1));
    const zero = p.int(0);
    const maxc = S(() => p.fmax(r, p.fmax(g, b)));
    const minc = S(() => p.fmin(r, p.fmin(g, b)));
    const eqc = p.feq(maxc, minc);
    const cr = p.fsub(maxc, minc);
    const s = p.fdiv(
      cr,
      S(() => p.sel(eqc, one, maxc)),
    );
    // hue in [0, 1): the channel differences over the chroma, by the maximal channel
    const h = S(() => {
      const crd = p.sel(eqc, one, cr);
      const rc = p.fdiv(p.fsub(maxc, r), crd);
      const gc = p.fdiv(p.fsub(maxc, g), crd);
      const bc = p.fdiv(p.fsub(maxc, b), crd);
      const hR = p.fsub(bc, gc);
      const hG = S(() => p.fsub(p.fadd(rc, p.int(f32Bits(2))), bc));
      const hB = S(() => p.fsub(p.fadd(gc, p.int(f32Bits(4))), rc));
      const h0 = S(() =>
        p.sel(
          p.feq(maxc, r),
          hR,
          S(() => p.sel(p.feq(maxc, g), hG, hB)),
        ),
      );
      const h1 = S(() => p.fadd(p.fmul(h0, p.int(f32Bits(1 / 6))), one));
      return S(() => p.sel(p.fle(one, h1), p.fsub(h1, one), h1));
    });
    const u = S(() => {
      const u0 = p.fadd(h, hf);
      return S(() =>
        p.sel(
          p.fle(one, u0),
          p.fsub(u0, one),
          S(() => p.sel(p.flt(u0, zero), p.fadd(u0, one), u0)),
        ),
      );
    });
    const h6 = S(() => p.fmul(u, p.int(f32Bits(6))));
    const fi = p.ffloor(h6);
    const f = p.fsub(h6, fi);
    const i = S(() => {
      const i0 = p.ftoi(fi);
      return S(() => p.sel(p.ieq(i0, p.int(6)), p.int(0), i0));
    });
    const sxf = p.fmul(s, f);
    const oms = p.fsub(one, s);
    const v = maxc;
    const clamp01 = (x: Reg): Reg => S(() => p.fmin(p.fmax(x, zero), one));
    const q = S(() => clamp01(p.fmul(p.fsub(one, sxf), v)));
    const t = S(() => clamp01(p.fmul(p.fadd(sxf, oms), v)));
    const pv = S(() => clamp01(p.fmul(oms, v)));
    const is = (k: number): Reg => p.ieq(i, p.int(k));
    const pick = (vals: Reg[]): Reg => S(() => vals.reduce((acc, val, k) => (k === 5 ? acc : S(() => p.sel(is(k), val, acc))), vals[5]!));
    const to8 = (x: Reg): Reg => S(() => p.and(p.ftoi(p.fmul(x, p.int(TO_U8))), p.int(255)));
    p.out(0, to8(pick([v, q, pv, pv, t, v])));
    p.out(1, to8(pick([t, v, v, q, pv, pv])));
    p.out(2, to8(pick([pv, pv, t, v, v, q])));
    p.end();
    return p.build();
  });
}

let hsv: Uint32Array | null = null;

/** The kernel's HSV tables (assembly/pilcolor.ts): US, FS, SECTOR, FH, PV as words. */
function hsvTables(): Uint32Array {
  if (!hsv) {
    const { exports, arena } = kernel();
    arena.reset();
    const bytes = 65536 + 1024 * 3 + 65536;
    const at = arena.alloc(bytes);
    exports.pilHsvTables(at);
    hsv = arena.u32().slice(at >>> 2, (at + bytes) >>> 2);
  }
  return hsv;
}

// ---------------------------------------------------------------------------------------
// Registration

const semOf = (a: ColorArgs): KernelSemantics => a.semantics ?? "pil";

function imageOf(m: Meta): { width: number; height: number; channels: Channels } {
  if (m.kind !== "image") throw new Error("colour ops take images");
  return m;
}

/** A map pass through fixed tables (the kernel's bytes), one per colour channel. */
function fixedLut(b: SampleBuilder, src: number, m: Meta, table: Uint8Array, perm?: number[]): number {
  const img = imageOf(m);
  const c = img.channels;
  const pixels = img.width * img.height;
  const groups = Math.ceil(pixels / 4);
  let t = -1;
  let cc = 0;
  if (table.length > 0) {
    cc = c === 1 ? 1 : 3;
    const words = new Uint32Array(cc * 64);
    const bytes = new Uint8Array(words.buffer);
    for (let ch = 0; ch < cc; ch++) bytes.set(table, ch * 256);
    t = b.table(sharedTable(words));
  }
  const p = perm ?? [0, 1, 2, 3].slice(0, c);
  const packed = packBytes(p);
  const dst = b.buffer(u8Bytes(pixels, c));
  b.pass("map", groups, (a) => [a.pool(src), c, packed, t < 0 ? 0 : a.tab(t), cc, a.pool(dst), groups, pixels, 0]);
  return dst;
}

// Tables by content, so samples with the same op and factor upload one copy.
const tableCache = new TableCache<Uint32Array>({ entries: 512 });
function sharedTable(words: Uint32Array): Uint32Array {
  return tableCache.get(Array.from(words, (w) => w.toString(36)).join(","), () => words);
}

/** A copy of the image (ops that change nothing: grey images through saturation and hue, tiny images through sharpness). */
function unchanged(b: SampleBuilder, src: number, m: Meta): number {
  return fixedLut(b, src, m, new Uint8Array(0));
}

const f32Of = (x: number): number => f32Bits(x);

defineGpuOp<ColorArgs & { factor: number }>("adjustBrightness", {
  lower: (b, src, a, from) => fixedLut(b, src, from, brightnessLut(a.factor)),
});
defineGpuOp<ColorArgs>("invert", { lower: (b, src, _, from) => fixedLut(b, src, from, invertLut()) });
defineGpuOp<ColorArgs & { bits: number }>("posterize", { lower: (b, src, a, from) => fixedLut(b, src, from, posterizeLut(a.bits)) });
defineGpuOp<ColorArgs & { threshold: number }>("solarize", {
  lower: (b, src, a, from) => fixedLut(b, src, from, solarizeLut(a.threshold)),
});
defineGpuOp<ColorArgs & { permutation: number[] }>("permuteChannels", {
  lower: (b, src, a, from) => fixedLut(b, src, from, new Uint8Array(0), a.permutation),
});

defineGpuOp<ColorArgs & { numOutputChannels: 1 | 3 }>("rgbToGrayscale", {
  lower(b, src, a, from, to) {
    const m = imageOf(from);
    const outC = imageOf(to).channels;
    // v1's kernel keeps a grey image one channel, while the op's declared output (src/transforms/color.ts) says 3:
    // the GPU cannot lay out a sample whose size disagrees with its meta, so it leaves this case to wasm.
    if (semOf(a) === "tensor-v1" && m.channels === 1 && outC !== 1)
      throw new GpuUnsupported(
        'rgbToGrayscale of a grey image to 3 channels under "tensor-v1" (its declared output meta disagrees with the kernel\'s)',
      );
    const n = m.width * m.height;
    const dst = b.buffer(u8Bytes(n, outC));
    vmPass(b, greyProgram(semOf(a)), "bytes", n, outC, dst, (ad) => [ad.pool(src), m.channels, outC]);
    return dst;
  },
});

defineGpuOp<ColorArgs & { factor: number }>("adjustContrast", {
  lower(b, src, a, from) {
    const m = imageOf(from);
    const sem = semOf(a);
    const n = m.width * m.height;
    const greyBuf = greyBytes(b, src, m, sem);
    const sum = stats(b, greyBuf, "sum", n, 1, 1);
    const cc = m.channels === 1 ? 1 : 3;
    const lut = lutPass(b, contrastProgram(sem), cc, (ad) => [ad.pool(sum), n, f32Of(a.factor), f32Of(1 - a.factor)]);
    return mapThrough(b, src, from, lut, cc);
  },
});

defineGpuOp<ColorArgs>("autocontrast", {
  lower(b, src, a, from) {
    const m = imageOf(from);
    const n = m.width * m.height;
    const cc = m.channels === 4 ? 3 : m.channels;
    const mm = stats(b, src, "minmax", n, m.channels, cc);
    const lut = lutPass(b, autocontrastProgram(semOf(a)), cc, (ad) => [ad.pool(mm), m.channels]);
    return mapThrough(b, src, from, lut, cc);
  },
});

defineGpuOp<ColorArgs>("equalize", {
  lower(b, src, _, from) {
    const m = imageOf(from);
    const n = m.width * m.height;
    const cc = m.channels === 4 ? 3 : m.channels;
    const hist = stats(b, src, "hist", n, m.channels, cc);
    const lut = b.buffer(256 * cc);
    b.pass("equalizeLut", cc, (ad) => [ad.pool(hist), cc, ad.pool(lut)]);
    return mapThrough(b, src, from, lut, cc);
  },
});

defineGpuOp<ColorArgs & { factor: number }>("adjustSaturation", {
  lower(b, src, a, from) {
    const m = imageOf(from);
    if (m.channels === 1) return unchanged(b, src, from);
    const n = m.width * m.height;
    const dst = b.buffer(u8Bytes(n, m.channels));
    vmPass(b, saturationProgram(semOf(a)), "bytes", n, m.channels, dst, (ad) => [
      ad.pool(src),
      m.channels,
      f32Of(a.factor),
      f32Of(1 - a.factor),
    ]);
    return dst;
  },
});

defineGpuOp<ColorArgs & { factor: number }>("adjustSharpness", {
  lower(b, src, a, from) {
    const m = imageOf(from);
    if (m.width <= 2 || m.height <= 2) return unchanged(b, src, from);
    const sem = semOf(a);
    const n = m.width * m.height;
    const dst = b.buffer(u8Bytes(n, m.channels));
    const k = sem === "tensor" ? f32Of(1 - a.factor) : f32Of(a.factor);
    vmPass(b, sharpnessProgram(sem), "bytes", n, m.channels, dst, (ad) => [
      ad.pool(src),
      m.channels,
      m.width,
      m.height,
      k,
      f32Of(1 - a.factor),
    ]);
    return dst;
  },
});

defineGpuOp<ColorArgs & { factor: number }>("adjustHue", {
  lower(b, src, a, from) {
    const m = imageOf(from);
    if (m.channels === 1) return unchanged(b, src, from);
    const sem = semOf(a);
    const n = m.width * m.height;
    const dst = b.buffer(u8Bytes(n, m.channels));
    if (sem === "pil") {
      const t = b.table(hsvTables());
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, a.factor, true);
      vmPass(b, pilHueProgram(), "bytes", n, m.channels, dst, (ad) => [
        ad.pool(src),
        m.channels,
        view.getUint32(0, true),
        view.getUint32(4, true),
        ad.tab(t),
      ]);
    } else {
      vmPass(b, tvHueProgram(), "bytes", n, m.channels, dst, (ad) => [ad.pool(src), m.channels, f32Of(a.factor)]);
    }
    return dst;
  },
});

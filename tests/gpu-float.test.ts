// The WGSL soft-float library (src/gpu/wgsl/float.wgsl.ts) against an independent oracle:
// JavaScript's own IEEE binary64 arithmetic (correctly rounded; binary32 results through
// Math.fround of the binary64 result, which is exact for + - * / because 53 >= 2 * 24 + 2)
// and, for the fused multiply-add, exact BigInt arithmetic rounded here. Random operands
// weighted toward what breaks soft floats: ties, cancellation, subnormals, overflow, zeros.
import "./helpers/gpu-env.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ready } from "../src/index.js";
import { gpuBackend } from "../src/gpu/device.js";
import floatWgsl from "../src/gpu/wgsl/float.wgsl.js";
import { requireCapability } from "./helpers/capability.js";
import { runTestShader } from "./helpers/gpu-shader.js";
import { mulberry32 } from "./helpers/prng.js";

await ready();
const HAVE = (await gpuBackend()) !== null;

const OPS = [
  "f32_add",
  "f32_sub",
  "f32_mul",
  "f32_div",
  "f32_fma",
  "f32_floor",
  "f32_nearest",
  "f32_trunc_i32",
  "f32_i32",
  "f32_f64",
  "f64_f32",
  "f64_add",
  "f64_sub",
  "f64_mul",
  "f64_div",
  "f64_floor",
  "f64_trunc_i32",
  "f64_i32",
  "f32_lt",
  "f64_lt",
  "f32_u64",
  "f64_i64",
  "f32_min",
  "f32_max",
  "f32_ceil",
  "f64_ceil",
] as const;
type OpName = (typeof OPS)[number];

// Each record: op, then 6 operand words; the result is 2 words.
const SHADER = `${floatWgsl}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let i = gid.x + gid.y * nw.x * 64u;
  if (i * 7u >= arrayLength(&input)) { return; }
  let op = input[i * 7u];
  let a = input[i * 7u + 1u];
  let b = input[i * 7u + 2u];
  let c = input[i * 7u + 3u];
  let d = input[i * 7u + 4u];
  let e = input[i * 7u + 5u];
  var r = vec2<u32>(0u, 0u);
  switch (op) {
    case 0u: { r.x = f32_add(a, b); }
    case 1u: { r.x = f32_sub(a, b); }
    case 2u: { r.x = f32_mul(a, b); }
    case 3u: { r.x = f32_div(a, b); }
    case 4u: { r.x = f32_fma(a, b, c); }
    case 5u: { r.x = f32_floor(a); }
    case 6u: { r.x = f32_nearest(a); }
    case 7u: { r.x = bitcast<u32>(f32_trunc_i32(a)); }
    case 8u: { r.x = f32_i32(bitcast<i32>(a)); }
    case 9u: { r.x = f32_f64(vec2<u32>(a, b)); }
    case 10u: { r = f64_f32(a); }
    case 11u: { r = f64_add(vec2<u32>(a, b), vec2<u32>(c, d)); }
    case 12u: { r = f64_sub(vec2<u32>(a, b), vec2<u32>(c, d)); }
    case 13u: { r = f64_mul(vec2<u32>(a, b), vec2<u32>(c, d)); }
    case 14u: { r = f64_div(vec2<u32>(a, b), vec2<u32>(c, d)); }
    case 15u: { r = f64_floor(vec2<u32>(a, b)); }
    case 16u: { r.x = bitcast<u32>(f64_trunc_i32(vec2<u32>(a, b))); }
    case 17u: { r = f64_i32(bitcast<i32>(a)); }
    case 18u: { r.x = select(0u, 1u, f32_lt(a, b)); }
    case 19u: { r.x = select(0u, 1u, f64_lt(vec2<u32>(a, b), vec2<u32>(c, d))); }
    case 20u: { r.x = f32_u64(vec2<u32>(a, b)); }
    case 21u: { r = f64_i64(vec2<u32>(a, b)); }
    case 22u: { r.x = f32_min(a, b); }
    case 23u: { r.x = f32_max(a, b); }
    case 24u: { r.x = f32_ceil(a); }
    case 25u: { r = f64_ceil(vec2<u32>(a, b)); }
    default: { r = vec2<u32>(0xdeadu, e); }
  }
  output[i * 2u] = r.x;
  output[i * 2u + 1u] = r.y;
}`;

const buf = new DataView(new ArrayBuffer(8));
const f32bits = (x: number): number => (buf.setFloat32(0, x, true), buf.getUint32(0, true));
const bitsF32 = (u: number): number => (buf.setUint32(0, u >>> 0, true), buf.getFloat32(0, true));
const f64words = (x: number): [number, number] => (buf.setFloat64(0, x, true), [buf.getUint32(0, true), buf.getUint32(4, true)]);
const wordsF64 = (lo: number, hi: number): number => (
  buf.setUint32(0, lo >>> 0, true), buf.setUint32(4, hi >>> 0, true), buf.getFloat64(0, true)
);

/** Random binary32 bits, weighted toward hard cases. */
function randF32(r: () => number): number {
  const s = r() < 0.5 ? 0 : 0x80000000;
  const k = r();
  let e: number;
  if (k < 0.55) e = 127 + Math.floor(r() * 24) - 12;
  else if (k < 0.75) e = 1 + Math.floor(r() * 254);
  else if (k < 0.83)
    e = 0; // subnormal or zero
  else if (k < 0.86)
    e = 255; // infinity
  else if (k < 0.93)
    return f32bits((s ? -1 : 1) * Math.floor(r() * 600)); // small integers
  else return f32bits((s ? -1 : 1) * (Math.floor(r() * 512) + 0.5)); // halves (ties for nearest)
  const f = e === 255 ? 0 : r() < 0.1 ? 0 : Math.floor(r() * 0x800000);
  return (s | (e << 23) | f) >>> 0;
}

/** Random binary64, weighted toward hard cases. */
function randF64(r: () => number): number {
  const k = r();
  const sign = r() < 0.5 ? -1 : 1;
  if (k < 0.05) return sign * 0;
  if (k < 0.1) return sign * Math.floor(r() * 1000);
  if (k < 0.15) return sign * (Math.floor(r() * 1000) + 0.5);
  if (k < 0.18) return sign * Infinity;
  if (k < 0.23) return sign * r() * 2 ** -1060; // subnormal
  if (k < 0.33) return wordsF64(Math.floor(r() * 2 ** 32), (r() < 0.5 ? 0x80000000 : 0) | Math.floor(r() * 0x7ff00000));
  const e = Math.floor(r() * 60) - 30;
  // many significant bits
  const m = 1 + r() + r() * 2 ** -26;
  return sign * m * 2 ** e;
}

/** x = mant * 2^exp exactly (x finite). */
function decompose(x: number): [bigint, number] {
  const [lo, hi] = f64words(x);
  const e = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  const mant = e === 0 ? frac : frac | (1n << 52n);
  const neg = hi >>> 31 === 1;
  return [neg ? -mant : mant, e === 0 ? -1074 : e - 1075];
}

/** n * 2^e rounded to binary32 (nearest, ties to even), n != 0. */
function roundF32(n: bigint, e: number): number {
  const neg = n < 0n;
  let m = neg ? -n : n;
  const len = m.toString(2).length;
  const top = len - 1 + e; // exponent of the leading bit
  const q = Math.max(top - 23, -149);
  if (e < q) {
    const shift = BigInt(q - e);
    const qq = m >> shift;
    const rem = m - (qq << shift);
    const half = 1n << (shift - 1n);
    m = rem > half || (rem === half && (qq & 1n) === 1n) ? qq + 1n : qq;
    e = q;
  }
  const v = Number(m) * 2 ** e;
  const r = v >= 2 ** 128 ? Infinity : Math.fround(v);
  return neg ? -r : r;
}

/** The exact fused multiply-add of binary32 values, rounded once. */
function fmaF32(a: number, b: number, c: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c)) return Math.fround(a * b + c);
  const [ma, ea] = decompose(a);
  const [mb, eb] = decompose(b);
  const [mc, ec] = decompose(c);
  const pm = ma * mb;
  const pe = ea + eb;
  const e = Math.min(pe, ec);
  const sum = (pm << BigInt(pe - e)) + (mc << BigInt(ec - e));
  if (sum === 0n) return a * b + c; // exact zero: JavaScript gives IEEE's sign of zero
  return roundF32(sum, e);
}

function nearestEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  const d = x - f;
  const r = d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  return r === 0 ? (x < 0 || Object.is(x, -0) ? -0 : 0) : r;
}

function truncSat(x: number): number {
  if (Number.isNaN(x)) return 0;
  const t = Math.trunc(x);
  return t >= 2 ** 31 ? 2 ** 31 - 1 : t < -(2 ** 31) ? -(2 ** 31) : t;
}

/** The expected result words and the operand words of op on random operands. */
function makeCase(op: OpName, r: () => number): { words: number[]; want: [number, number] } {
  const A = randF32(r),
    B = randF32(r),
    C = randF32(r);
  const a = bitsF32(A),
    b = bitsF32(B);
  const x = randF64(r);
  let y = randF64(r);
  // near-cancellation and close exponents
  if (r() < 0.2) y = x * (1 + (r() - 0.5) * 2 ** -20);
  const [xl, xh] = f64words(x);
  const [yl, yh] = f64words(y);
  const f = (v: number): [number, number] => [f32bits(Math.fround(v)), 0];
  const d = (v: number): [number, number] => f64words(v);
  const i = (v: number): [number, number] => [v >>> 0, 0];
  const B2 = r() < 0.3 ? f32bits(Math.fround(a * (1 + (r() - 0.5) * 2 ** -10))) : B;
  const b2 = bitsF32(B2);
  switch (op) {
    case "f32_add":
      return { words: [A, B2], want: f(a + b2) };
    case "f32_sub":
      return { words: [A, B2], want: f(a - b2) };
    case "f32_mul":
      return { words: [A, B], want: f(a * b) };
    case "f32_div":
      return { words: [A, B], want: f(a / b) };
    case "f32_fma": {
      // c near -a*b for cancellation
      const C2 = r() < 0.3 ? f32bits(Math.fround(-a * b)) : C;
      return { words: [A, B, C2], want: f(fmaF32(a, b, bitsF32(C2))) };
    }
    case "f32_floor":
      return { words: [A], want: f(Math.floor(a)) };
    case "f32_ceil":
      return { words: [A], want: f(Math.ceil(a)) };
    case "f32_nearest":
      return { words: [A], want: f(nearestEven(a)) };
    case "f32_trunc_i32":
      return { words: [A], want: i(truncSat(a)) };
    case "f32_i32": {
      const v = r() < 0.5 ? Math.floor((r() - 0.5) * 2 ** 32) : Math.floor((r() - 0.5) * 2 ** 26);
      return { words: [v >>> 0], want: f(v) };
    }
    case "f32_f64":
      return { words: [xl, xh], want: f(x) };
    case "f64_f32":
      return { words: [A], want: d(a) };
    case "f64_add":
      return { words: [xl, xh, yl, yh], want: d(x + y) };
    case "f64_sub":
      return { words: [xl, xh, yl, yh], want: d(x - y) };
    case "f64_mul":
      return { words: [xl, xh, yl, yh], want: d(x * y) };
    case "f64_div":
      return { words: [xl, xh, yl, yh], want: d(x / y) };
    case "f64_floor":
      return { words: [xl, xh], want: d(Math.floor(x)) };
    case "f64_ceil":
      return { words: [xl, xh], want: d(Math.ceil(x)) };
    case "f64_trunc_i32": {
      const v = r() < 0.5 ? (r() - 0.5) * 2 ** 33 : x;
      const [l, h] = f64words(v);
      return { words: [l, h], want: i(truncSat(v)) };
    }
    case "f64_i32": {
      const v = Math.floor((r() - 0.5) * 2 ** 32);
      return { words: [v >>> 0], want: d(v) };
    }
    case "f32_lt":
      return { words: [A, B2], want: [Number(a < b2), 0] };
    case "f64_lt":
      return { words: [xl, xh, yl, yh], want: [Number(x < y), 0] };
    case "f32_u64": {
      const v = (BigInt(Math.floor(r() * 2 ** 32)) << BigInt(Math.floor(r() * 32))) | BigInt(Math.floor(r() * 2 ** 20));
      return { words: [Number(v & 0xffffffffn), Number(v >> 32n)], want: f(v === 0n ? 0 : roundF32(v, 0)) };
    }
    case "f64_i64": {
      const v = BigInt.asIntN(
        64,
        (BigInt(Math.floor(r() * 2 ** 32)) << 32n) | (BigInt(Math.floor(r() * 2 ** 32)) >> BigInt(Math.floor(r() * 40))),
      );
      const u = BigInt.asUintN(64, v);
      return { words: [Number(u & 0xffffffffn), Number(u >> 32n)], want: d(Number(v)) };
    }
    case "f32_min":
      return { words: [A, B2], want: Number.isNaN(a) || Number.isNaN(b2) ? [-1, 0] : f(Math.min(a, b2)) };
    case "f32_max":
      return { words: [A, B2], want: Number.isNaN(a) || Number.isNaN(b2) ? [-1, 0] : f(Math.max(a, b2)) };
  }
}

const isNaN32 = (u: number) => (u & 0x7fffffff) >>> 0 > 0x7f800000;
const isNaN64 = (lo: number, hi: number) => Number.isNaN(wordsF64(lo, hi));

test("soft binary32 and binary64 in WGSL equal IEEE 754 (nearest, ties to even, subnormals): 26 operations x 3000 random operands", async () => {
  requireCapability("webgpu", HAVE);
  const r = mulberry32(20260101);
  const per = 3000;
  const cases: { op: OpName; words: number[]; want: [number, number] }[] = [];
  for (const op of OPS) for (let k = 0; k < per; k++) cases.push({ op, ...makeCase(op, r) });
  const input = new Uint32Array(cases.length * 7);
  cases.forEach((c, i) => input.set([OPS.indexOf(c.op), ...c.words, 0, 0, 0, 0, 0, 0].slice(0, 7), i * 7));
  const got = await runTestShader(SHADER, input, cases.length * 2, cases.length);
  const bad: Record<string, string[]> = {};
  cases.forEach((c, i) => {
    const g0 = got[i * 2]!,
      g1 = got[i * 2 + 1]!;
    let ok: boolean;
    if (c.op === "f32_min" || c.op === "f32_max") ok = c.want[0] === -1 || g0 === c.want[0];
    else if (c.op.startsWith("f32_") && !["f32_trunc_i32", "f32_lt"].includes(c.op))
      ok = isNaN32(c.want[0]) ? isNaN32(g0) : g0 === c.want[0];
    else if (c.op.startsWith("f64_") && !["f64_trunc_i32", "f64_lt"].includes(c.op))
      ok = isNaN64(c.want[0], c.want[1]) ? isNaN64(g0, g1) : g0 === c.want[0] && g1 === c.want[1];
    else ok = g0 === c.want[0];
    if (!ok)
      (bad[c.op] ??= []).push(
        `${c.words.map((w) => (w >>> 0).toString(16)).join(",")}: got ${g0.toString(16)},${g1.toString(16)} want ${(c.want[0] >>> 0).toString(16)},${(c.want[1] >>> 0).toString(16)}`,
      );
  });
  const summary = Object.entries(bad).map(([op, l]) => `${op}: ${l.length} wrong, e.g. ${l.slice(0, 3).join("; ")}`);
  assert.equal(summary, []);
});

test.run();

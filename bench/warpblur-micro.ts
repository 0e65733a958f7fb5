// Micro-benchmark of the Gaussian blur and warp kernels on raw kernel instances (no host
// copies), and a differential byte check of a kernel build against another one over many
// random blurs and warps (the same bytes before/after a kernel change).
// Run: npx tsx bench/warpblur-micro.ts
// Env: MICRO_BASE=other.wasm (times it too, interleaved, and compares every output with it);
// MICRO_REPS (default 100); MICRO_ONLY=substring of case names; MICRO_CHECK=n random
// cases per kind in the byte check (default 300; 0 skips it).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PNG } from "pngjs";
import { ready, F, type Image } from "../src/index.ts";
import { rawKernel } from "./raw-kernel.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const REPS = Number(process.env.MICRO_REPS ?? 100);
const ONLY = process.env.MICRO_ONLY ?? "";
const CHECK = Number(process.env.MICRO_CHECK ?? 300);

/** A deterministic image with structure in both directions (as tests/helpers/recipes.ts). */
function synthetic(w: number, h: number, c: number, salt = 0): Uint8Array {
  const d = new Uint8Array(w * h * c);
  for (let i = 0; i < d.length; i++) d[i] = (i * 2654435761 + salt * 40503) >>> 24;
  return d;
}
/** A smooth image (photo-like: neighbours close), where rounding ties are likelier. */
function smooth(w: number, h: number, c: number, salt = 0): Uint8Array {
  const d = new Uint8Array(w * h * c);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let k = 0; k < c; k++) d[(y * w + x) * c + k] = Math.floor(127.5 + 127 * Math.sin((x * (k + 1) + y * 0.7 + salt) / 37)) & 255;
  return d;
}

type K = ReturnType<typeof rawKernel>;

/** Sets up a blur on k; returns the call and the output location. */
function blurCase(k: K, img: Uint8Array, w: number, h: number, c: number, kx: number, ky: number, sx: number, sy: number) {
  const src = k.put(img);
  const wx = k.alloc(kx * 4);
  const wy = k.alloc(ky * 4);
  k.ex.gaussianWeights(kx, sx, 30, wx);
  k.ex.gaussianWeights(ky, sy, 23, wy);
  const scratch = k.alloc(k.ex.gaussianScratch(w, c, kx, ky));
  const dst = k.alloc(w * h * c);
  return { run: () => k.ex.gaussianBlur(src, w, h, c, kx, ky, wx, wy, scratch, dst), dst, n: w * h * c };
}

/** Puts a warp's source, its 8 coefficients (zero-padded), its fill and an n-byte output on k. */
function warpInputs(k: K, img: Uint8Array, coeffs: number[], fill: number[], n: number) {
  return { src: k.put(img), m: k.putF64(coeffs.concat([0, 0]).slice(0, 8)), f: k.put(Uint8Array.from(fill)), dst: k.alloc(n) };
}

/** Sets up a "pil" warp (kind 0 affine / 1 perspective, filter 0 nearest / 1 bilinear) on k. */
function warpCase(
  k: K,
  img: Uint8Array,
  w: number,
  h: number,
  c: number,
  coeffs: number[],
  dw: number,
  dh: number,
  kind: number,
  filter: number,
  fill: number[],
) {
  const { src, m, f, dst } = warpInputs(k, img, coeffs, fill, dw * dh * c);
  const scratch = k.alloc(k.ex.warpScratch(dw));
  return { run: () => k.ex.warp(src, w, h, c, dst, dw, dh, m, kind, filter, f, scratch), dst, n: dw * dh * c };
}

/** Sets up a "tensor" warp (grid_sample) on k; flags 1 = fill, 2 = v1. */
function tvCase(
  k: K,
  img: Uint8Array,
  w: number,
  h: number,
  c: number,
  coeffs: number[],
  dw: number,
  dh: number,
  persp: number,
  filter: number,
  fill: number[],
  flags: number,
) {
  const { src, m, f, dst } = warpInputs(k, img, coeffs, fill, dw * dh * c);
  return { run: () => k.ex.tvWarp(src, w, h, c, dst, dw, dh, m, persp, filter, f, flags), dst, n: dw * dh * c };
}

/** Pillow's rotate matrix from the kernel (angle degrees, same canvas). */
function rotMatrix(k: K, angle: number, w: number, h: number, tensor = false): number[] {
  const out = k.alloc(64);
  if (tensor) k.ex.tvRotateMatrix(angle, w, h, 0, 0, 0, 0, 0, out);
  else k.ex.warpRotateMatrix(angle, w, h, 0, 0, 0, 0, out);
  return Array.from(new Float64Array(k.ex.memory.buffer, out, 6));
}

const kernels: [string, K][] = [["new", rawKernel(join(root, "build/lockstep.wasm"))]];
if (process.env.MICRO_BASE) kernels.push(["base", rawKernel(process.env.MICRO_BASE)]);

const now = () => performance.now();
/** Min over REPS of one call, the kernels interleaved. */
function time(name: string, setup: (k: K) => { run: () => unknown }): void {
  if (ONLY && !name.includes(ONLY)) return;
  const runs = kernels.map(([, k]) => {
    k.reset();
    return setup(k).run;
  });
  const best = runs.map(() => Infinity);
  for (const r of runs) for (let i = 0; i < 5; i++) r();
  for (let r = 0; r < REPS; r++)
    runs.forEach((run, j) => {
      const t = now();
      run();
      best[j] = Math.min(best[j]!, now() - t);
    });
  const cols = best.map((b, j) => `${kernels[j]![0]} ${(b * 1000).toFixed(0).padStart(7)} us`);
  if (best.length > 1) cols.push(`new/base ${(best[0]! / best[1]!).toFixed(3)}`);
  console.log(name.padEnd(40), cols.join("   "));
}

const W = 500,
  H = 375;
// The benchmark table's input: samples/chelsea.png resized by lockstep to 500x375.
await ready();
const png = PNG.sync.read(readFileSync(join(root, "samples/chelsea.png")));
const rgb = new Uint8Array(png.width * png.height * 3);
for (let p = 0; p < png.width * png.height; p++) for (let c = 0; c < 3; c++) rgb[p * 3 + c] = png.data[p * 4 + c]!;
const img500: Image = F.resize({ width: png.width, height: png.height, channels: 3, data: rgb }, [H, W]);
const photo = img500.data;
const k0 = kernels[0]![1];
const rot15 = rotMatrix(k0, 15, W, H);
const rot15t = rotMatrix(k0, 15, W, H, true);
const aff = [0.93, 0.21, -30.5, -0.17, 1.07, 12.25];
const persp = [1.05, 0.08, -12.5, 0.03, 0.97, 6.0, 0.0002, 0.0001];
time("blur 5x5 s1 500x375x3", (k) => blurCase(k, photo, W, H, 3, 5, 5, 1, 1));
time("blur 5x5 s1 500x375x3 smooth", (k) => blurCase(k, smooth(W, H, 3, 1), W, H, 3, 5, 5, 1, 1));
time("blur 5x5 s1 500x375x3 noise", (k) => blurCase(k, synthetic(W, H, 3), W, H, 3, 5, 5, 1, 1));
time("blur 9x9 s2 500x375x3", (k) => blurCase(k, photo, W, H, 3, 9, 9, 2, 2));
time("blur 5x5 s1 500x375x1", (k) => blurCase(k, photo, W, H, 1, 5, 5, 1, 1));
time("rotate 15 bilinear 500x375x3", (k) => warpCase(k, photo, W, H, 3, rot15, W, H, 0, 1, [0, 0, 0]));
time("rotate 15 bilinear 500x375x4", (k) => warpCase(k, smooth(W, H, 4), W, H, 4, rot15, W, H, 0, 1, [0, 0, 0, 0]));
time("rotate 15 bilinear 500x375x1", (k) => warpCase(k, smooth(W, H, 1), W, H, 1, rot15, W, H, 0, 1, [0]));
time("rotate 15 nearest 500x375x3", (k) => warpCase(k, photo, W, H, 3, rot15, W, H, 0, 0, [0, 0, 0]));
time("affine bilinear 500x375x3", (k) => warpCase(k, photo, W, H, 3, aff, W, H, 0, 1, [9, 8, 7]));
time("perspective bilinear 500x375x3", (k) => warpCase(k, photo, W, H, 3, persp, W, H, 1, 1, [0, 0, 0]));
time("perspective nearest 500x375x3", (k) => warpCase(k, photo, W, H, 3, persp, W, H, 1, 0, [0, 0, 0]));
time("tensor rotate 15 bilinear 500x375x3", (k) => tvCase(k, photo, W, H, 3, rot15t, W, H, 0, 1, [0, 0, 0], 0));
time("tensor rotate 15 bilinear fill 500x375x3", (k) => tvCase(k, photo, W, H, 3, rot15t, W, H, 0, 1, [9, 8, 7], 1));
time("tensor rotate 15 nearest 500x375x3", (k) => tvCase(k, photo, W, H, 3, rot15t, W, H, 0, 0, [0, 0, 0], 0));

// End to end through the public API (host copies included), this build only.
const outBuf = new Uint8Array(W * H * 3);
const e2e = (name: string, f: () => unknown) => {
  if (ONLY && !name.includes(ONLY)) return;
  for (let i = 0; i < 5; i++) f();
  let best = Infinity;
  for (let r = 0; r < REPS; r++) {
    const t = now();
    f();
    best = Math.min(best, now() - t);
  }
  console.log(name.padEnd(40), `e2e ${(best * 1000).toFixed(0).padStart(7)} us`);
};
e2e("F.gaussianBlur 5x5 s1 (bench row)", () => F.gaussianBlur(img500, [5, 5], [1, 1], { out: outBuf }));
e2e("F.rotate 15 bilinear (bench row)", () => F.rotate(img500, 15, { interpolation: "bilinear", out: outBuf }));
e2e("F.rotate 15 bilinear tensor", () => F.rotate(img500, 15, { interpolation: "bilinear", semantics: "tensor", out: outBuf }));

// ---------- differential byte check against MICRO_BASE ----------
if (kernels.length > 1 && CHECK > 0 && !ONLY) {
  let seed = 12345;
  const rnd = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const pick = <T>(a: T[]) => a[Math.floor(rnd() * a.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  let cases = 0,
    bad = 0;
  const compare = (what: string, make: (k: K) => { run: () => unknown; dst: number; n: number }) => {
    const outs = kernels.map(([, k]) => {
      k.reset();
      const s = make(k);
      s.run();
      return k.bytes(s.dst, s.n);
    });
    cases++;
    const [a, b] = outs as [Uint8Array, Uint8Array];
    for (let i = 0; i < a.length; i++)
      if (a[i] !== b[i]) {
        if (bad++ < 10) console.log(`DIFF ${what} at ${i}: new ${a[i]} base ${b[i]}`);
        return;
      }
  };
  const image = (w: number, h: number, c: number) => (rnd() < 0.5 ? synthetic(w, h, c, int(0, 99)) : smooth(w, h, c, int(0, 99)));
  for (let t = 0; t < CHECK; t++) {
    const w = pick([1, 2, 3, 5, 7, 16, 17, 31, 64, int(1, 90), int(1, 300)]);
    const h = pick([1, 2, 3, 5, 9, 33, int(1, 90), int(1, 200)]);
    const c = pick([1, 3, 4]);
    const img = image(w, h, c);
    const kx = pick([1, 3, 5, 7, 9, 11, 2 * int(0, 20) + 1, 65]);
    const ky = pick([1, 3, 5, 7, 9, 2 * int(0, 20) + 1]);
    const sx = pick([0.1, 0.5, 1, 1.5, 2, 0.1 + rnd() * 5, 30]);
    const sy = pick([0.1, 0.5, 1, 2, 0.1 + rnd() * 5]);
    compare(`blur ${w}x${h}x${c} k${kx}x${ky} s${sx},${sy}`, (k) => blurCase(k, img, w, h, c, kx, ky, sx, sy));
  }
  for (let t = 0; t < CHECK; t++) {
    const w = pick([1, 2, 3, 7, 16, 33, int(1, 120), int(1, 400)]);
    const h = pick([1, 2, 3, 7, 16, int(1, 120), int(1, 300)]);
    const c = pick([1, 3, 4]);
    const img = image(w, h, c);
    const dw = rnd() < 0.6 ? w : int(1, 200);
    const dh = rnd() < 0.6 ? h : int(1, 200);
    const fill = Array.from({ length: c }, () => int(0, 255));
    const kind = rnd() < 0.7 ? 0 : 1;
    const filter = rnd() < 0.75 ? 1 : 0;
    let m: number[];
    const r = rnd();
    if (r < 0.4) m = rotMatrix(kernels[0]![1], pick([15, -15, 30, 45, 89.5, 90, 135, 180, 200 + rnd() * 100, rnd() * 360]), w, h);
    else if (r < 0.5) m = [pick([1, 2, 0.5, -1]), 0, rnd() * 10 - 5, 0, pick([1, 0.5, -1, 3]), rnd() * 10 - 5];
    else m = [rnd() * 4 - 2, rnd() * 4 - 2, rnd() * 200 - 100, rnd() * 4 - 2, rnd() * 4 - 2, rnd() * 200 - 100];
    if (rnd() < 0.1) m = m.map((v) => Math.round(v * 4) / 4);
    const coeffs = kind === 1 ? m.concat([(rnd() - 0.5) * 0.01, (rnd() - 0.5) * 0.01]) : m;
    if (kind === 1 && rnd() < 0.1) coeffs[6] = coeffs[7] = 0;
    compare(`warp ${w}x${h}x${c}->${dw}x${dh} kind${kind} f${filter} [${coeffs.join(",")}]`, (k) =>
      warpCase(k, img, w, h, c, coeffs, dw, dh, kind, filter, fill),
    );
    const flags = pick([0, 1, 2, 3]);
    const tm = rnd() < 0.5 ? rotMatrix(kernels[0]![1], rnd() * 360, w, h, true) : coeffs.slice(0, 6);
    compare(`tv ${w}x${h}x${c}->${dw}x${dh} p${kind} f${filter} fl${flags} [${tm.join(",")}]`, (k) =>
      tvCase(k, img, w, h, c, kind ? coeffs : tm, dw, dh, kind, filter, fill, flags),
    );
  }
  console.log(`byte check against ${process.env.MICRO_BASE}: ${cases} cases, ${bad} differ`);
  if (bad) process.exitCode = 1;
}

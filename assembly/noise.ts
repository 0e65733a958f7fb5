// Per-element Gaussian noise and erasing.
//
// Normal variates: element e of a noise field under key (k0, k1) comes from the Philox
// block at counter (e >> 2, 0, NOISE, 0): words (w0, w1) give elements 4b and 4b + 1, words
// (w2, w3) elements 4b + 2 and 4b + 3, by Box-Muller:
//   u = (a + 1) * 2^-32 in (0, 1],  t = (b * 2^-32) * 2pi,  r = sqrt(-2 ln u),
//   z0 = f32(r cos t),  z1 = f32(r sin t).
// Why this is the same on every engine: the words are integer Philox; the conversions are
// exact (33 and 32 significant bits in an f64); ln, cos and sin are AssemblyScript's musl
// ports compiled into this binary (plain f64 arithmetic and integer bit manipulation, no
// engine import); sqrt, *, + and the f64 -> f32 demotion are single IEEE-754 operations
// that WebAssembly defines bit-exactly (round to nearest even, no fused multiply-add, no
// extended precision). No NaN can arise (u >= 2^-32, so ln u is finite and -2 ln u >= 0).
// |z| < 6.67 (the largest value Box-Muller reaches from 32-bit u).
// The counter's third word differs from the slot streams' (0) and from key folding's, so a
// transform may both draw parameters from its slot key and use it for noise.

import { philox } from "./rng";

const NOISE: u32 = 0x6e6f6973; // "nois"
const INV32: f64 = 2.3283064365386963e-10; // 2^-32
const TWO_PI: f64 = 6.283185307179586;

const WORDS = memory.data(16);
const NORMALS = memory.data(16);

/** The four normals of block `block` under (k0, k1), into NORMALS. */
function block4(block: u32, k0: u32, k1: u32): void {
  philox(block, 0, NOISE, 0, k0, k1, WORDS);
  for (let p = 0; p < 2; p++) {
    const a = load<u32>(WORDS + (<usize>p << 3));
    const b = load<u32>(WORDS + (<usize>p << 3), 4);
    const u = (<f64>a + 1.0) * INV32;
    const t = (<f64>b * INV32) * TWO_PI;
    const r = Math.sqrt(-2.0 * Math.log(u));
    store<f32>(NORMALS + (<usize>p << 3), <f32>(r * Math.cos(t)));
    store<f32>(NORMALS + (<usize>p << 3), <f32>(r * Math.sin(t)), 4);
  }
}

/** Writes the standard normals of elements [start, start + n) of the field (k0, k1) to out (f32). */
export function normalFill(k0: u32, k1: u32, start: u32, n: i32, out: usize): void {
  let e = start;
  let i = 0;
  while (i < n) {
    block4(e >>> 2, k0, k1);
    for (let lane = e & 3; lane < 4 && i < n; lane++) {
      store<f32>(out + (<usize>i << 2), load<f32>(NORMALS + (<usize>lane << 2)));
      i++;
      e++;
    }
  }
}

/**
 * torchvision v2 gaussian_noise on f32 data (n values, in place): x + (mean + z * sigma),
 * each step rounded to f32, clamped to [0, 1] when clip != 0. z is element i's normal.
 */
export function gaussianNoise(data: usize, n: i32, k0: u32, k1: u32, mean: f32, sigma: f32, clip: i32): void {
  let i = 0;
  while (i < n) {
    block4(<u32>i >>> 2, k0, k1);
    for (let lane = 0; lane < 4 && i < n; lane++) {
      const q = data + (<usize>i << 2);
      let v = load<f32>(q) + (mean + load<f32>(NORMALS + (<usize>lane << 2)) * sigma);
      if (clip) v = min<f32>(max<f32>(v, 0), 1);
      store<f32>(q, v);
      i++;
    }
  }
}

/**
 * The same noise field on a u8 HWC image (w x h, c channels): the normal of channel ch at
 * (y, x) is element (ch * h + y) * w + x, as in the CHW tensor, and the byte becomes
 * round(x + 255 * (mean + z * sigma)) (f32, half to even) saturated to [0, 255].
 * `scratch` holds w f32.
 */
export function gaussianNoiseU8(src: usize, w: i32, h: i32, c: i32, k0: u32, k1: u32, mean: f32, sigma: f32, scratch: usize, dst: usize): void {
  for (let ch = 0; ch < c; ch++) {
    for (let y = 0; y < h; y++) {
      normalFill(k0, k1, <u32>((ch * h + y) * w), w, scratch);
      for (let x = 0; x < w; x++) {
        const i = <usize>((y * w + x) * c + ch);
        const z = load<f32>(scratch + (<usize>x << 2));
        let v = nearest<f32>(<f32>load<u8>(src + i) + <f32>255 * (mean + z * sigma));
        v = min<f32>(max<f32>(v, 0), 255);
        store<u8>(dst + i, <u8>(<i32>v));
      }
    }
  }
}

/**
 * Erases the eh x ew region at (top, left) of every plane of a batch x c x h x w f32 tensor
 * with one value per channel (`values`: c f32).
 */
export function eraseFill(data: usize, batch: i32, c: i32, h: i32, w: i32, top: i32, left: i32, eh: i32, ew: i32, values: usize): void {
  for (let p = 0; p < batch * c; p++) {
    const v = load<f32>(values + (<usize>(p % c) << 2));
    const vv = f32x4.splat(v);
    for (let y = 0; y < eh; y++) {
      const row = data + ((<usize>(p * h + top + y) * <usize>w + <usize>left) << 2);
      let x = 0;
      for (; x + 4 <= ew; x += 4) v128.store(row + (<usize>x << 2), vv);
      for (; x < ew; x++) store<f32>(row + (<usize>x << 2), v);
    }
  }
}

/**
 * Erases the region with explicit values (c x eh x ew f32 at `values`), the same for every
 * batch item.
 */
export function eraseValues(data: usize, batch: i32, c: i32, h: i32, w: i32, top: i32, left: i32, eh: i32, ew: i32, values: usize): void {
  const rowBytes = <usize>ew << 2;
  for (let p = 0; p < batch * c; p++) {
    const ch = p % c;
    for (let y = 0; y < eh; y++) {
      const row = data + ((<usize>(p * h + top + y) * <usize>w + <usize>left) << 2);
      memory.copy(row, values + <usize>(ch * eh + y) * rowBytes, rowBytes);
    }
  }
}

/**
 * Erases the region with standard normals (torchvision's value="random"): element
 * (ch, y, x) of the region is element (ch * eh + y) * ew + x of the field (k0, k1), the same
 * for every batch item.
 */
export function eraseNoise(data: usize, batch: i32, c: i32, h: i32, w: i32, top: i32, left: i32, eh: i32, ew: i32, k0: u32, k1: u32): void {
  const rowBytes = <usize>ew << 2;
  for (let p = 0; p < batch * c; p++) {
    const ch = p % c;
    for (let y = 0; y < eh; y++) {
      const row = data + ((<usize>(p * h + top + y) * <usize>w + <usize>left) << 2);
      if (p < c) normalFill(k0, k1, <u32>((ch * eh + y) * ew), ew, row);
      else memory.copy(row, data + ((<usize>(ch * h + top + y) * <usize>w + <usize>left) << 2), rowBytes);
    }
  }
}

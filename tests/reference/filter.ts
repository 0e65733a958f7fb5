/**
 * Scalar twins of assembly/filter.ts and assembly/noise.ts, written for clarity:
 *
 * gaussianBlur: out[y][x][ch] = round_half_up( sum_j wx[j] * V[y][reflect(x - rx + j)][ch] / 2^53 )
 *   with V[y][x][ch] = sum_i wy[i] * img[reflect(y - ry + i)][x][ch] (exact integers; the
 *   horizontal sum in BigInt because it needs up to 61 bits). The weights come from the
 *   kernel (gaussianKernel1d), which the tests check separately against torchvision's formula.
 * linear: out_j = (((+0 + d_0 W_0j) + d_1 W_1j) + ...), every step rounded to f32.
 * noise: x + (mean + z sigma) in f32, z from the kernel's normals (checked separately).
 */
import type { Image, Tensor } from "../../src/index.js";

const f = Math.fround;

/** torchvision's reflect padding (no edge repeat); repeats beyond one reflection. */
export function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  const p = 2 * n - 2;
  const m = ((i % p) + p) % p;
  return m < n ? m : p - m;
}

export function gaussianBlur(img: Image, wx: Int32Array, wy: Int32Array): Image {
  const { width: w, height: h, channels: c } = img;
  const rx = (wx.length - 1) / 2;
  const ry = (wy.length - 1) / 2;
  const v = new Array<number>(w * h * c);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let ch = 0; ch < c; ch++) {
        let a = 0;
        for (let i = 0; i < wy.length; i++) a += wy[i]! * img.data[(reflect(y - ry + i, h) * w + x) * c + ch]!;
        v[(y * w + x) * c + ch] = a;
      }
    }
  }
  const out = new Uint8Array(w * h * c);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let ch = 0; ch < c; ch++) {
        let a = 0n;
        for (let j = 0; j < wx.length; j++) a += BigInt(wx[j]!) * BigInt(v[(y * w + reflect(x - rx + j, w)) * c + ch]!);
        out[(y * w + x) * c + ch] = Number((a + (1n << 52n)) >> 53n);
      }
    }
  }
  return { width: w, height: h, channels: c, data: out };
}

/** (x - mean) @ W per row of d, f32 at every step, summed over i in order. */
export function linear(t: Tensor, matrix: Float32Array, mean: Float32Array): Tensor {
  const d = mean.length;
  const out = new Float32Array(t.data.length);
  for (let r = 0; r < t.data.length / d; r++) {
    const diff = Array.from({ length: d }, (_, i) => f(t.data[r * d + i]! - mean[i]!));
    for (let j = 0; j < d; j++) {
      let acc = 0;
      for (let i = 0; i < d; i++) acc = f(acc + f(diff[i]! * matrix[i * d + j]!));
      out[r * d + j] = acc;
    }
  }
  return { shape: [...t.shape], data: out };
}

/** Tensor noise from given normals z (one per element). */
export function noiseTensor(t: Tensor, z: Float32Array, mean: number, sigma: number, clip: boolean): Tensor {
  const out = new Float32Array(t.data.length);
  for (let i = 0; i < out.length; i++) {
    let v = f(t.data[i]! + f(f(mean) + f(z[i]! * f(sigma))));
    if (clip) v = Math.min(Math.max(v, 0), 1);
    out[i] = v;
  }
  return { shape: [...t.shape], data: out };
}

/** Round half to even. */
function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Image noise: z indexed as the CHW tensor ((ch * h + y) * w + x). */
export function noiseImage(img: Image, z: Float32Array, mean: number, sigma: number): Image {
  const { width: w, height: h, channels: c } = img;
  const out = new Uint8Array(img.data.length);
  for (let ch = 0; ch < c; ch++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = (y * w + x) * c + ch;
        const n = f(f(mean) + f(z[(ch * h + y) * w + x]! * f(sigma)));
        const v = rint(f(img.data[i]! + f(255 * n)));
        out[i] = Math.min(Math.max(v, 0), 255);
      }
    }
  }
  return { ...img, data: out };
}

/** Erase with values(ch, y, x) -> f32, the same for every batch item. */
export function erase(t: Tensor, top: number, left: number, eh: number, ew: number, value: (ch: number, y: number, x: number) => number): Tensor {
  const s = t.shape;
  const [c, h, w] = s.slice(-3) as [number, number, number];
  const out = t.data.slice();
  const batch = out.length / (c * h * w);
  for (let n = 0; n < batch; n++) {
    for (let ch = 0; ch < c; ch++) {
      for (let y = 0; y < eh; y++) for (let x = 0; x < ew; x++) out[((n * c + ch) * h + top + y) * w + left + x] = f(value(ch, y, x));
    }
  }
  return { shape: [...s], data: out };
}

/**
 * Box-Muller from Philox words, in double precision with the engine's Math (not
 * bit-identical to the kernel's compiled log/cos/sin, so compared with a tolerance):
 * element e uses words (2 (e & 1), 2 (e & 1) + 1) of block e >> 2 ... lanes 0/1 share the
 * first pair, lanes 2/3 the second.
 */
export function normalRef(words: number[], lane: number): number {
  const p = lane >> 1;
  const a = words[2 * p]!;
  const b = words[2 * p + 1]!;
  const u = (a + 1) * 2 ** -32;
  const t = b * 2 ** -32 * 2 * Math.PI;
  const r = Math.sqrt(-2 * Math.log(u));
  return lane & 1 ? r * Math.sin(t) : r * Math.cos(t);
}

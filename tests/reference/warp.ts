/**
 * Scalar twins of assembly/warp.ts, written from Pillow 9.4's src/libImaging/Geometry.c
 * and torchvision's grid_sample semantics, one pixel at a time with BigInt for the 64-bit
 * fixed point (independent of the kernel's SIMD and its i64 wrapping):
 *
 * - affine nearest: ImagingScaleAffine when a[1] == a[3] == 0 (COORD of an f64 running
 *   sum), affine_fixed (16.16, FIX(v) = floor(v * 65536 + 0.5)) when the four corners map
 *   within +-32768, else the generic path.
 * - generic: the source position of output pixel (x, y) is a(x + 1/2) + b(y + 1/2) + c
 *   (perspective: divided by g(x + 1/2) + h(y + 1/2) + 1) with Q = 22 fractional bits,
 *   from coefficients scaled by 2^e (e picked from the corner magnitudes), floored (affine
 *   bilinear also rounded to nearest for the taps and weights); nearest takes floor,
 *   bilinear Pillow's filter (edge-clamped taps, second row only inside, weights = the 22
 *   fraction bits, result truncated).
 * - rotate90: Pillow's ROTATE_90 / 180 / 270 (counter-clockwise).
 * - elastic: grid_sample(align_corners=False) at (x + dx, y + dy); nearest rounds half to
 *   even; bilinear: taps outside weigh 0 in both value I and mask m, out =
 *   round_half_even(I m + (1 - m) fill), weights Q11 x Q11.
 */
import type { Image } from "../../src/index.js";
import { expRef } from "./math.js";
import { philox4x32Ref } from "./philox.js";

const Q = 22n;
const QN = 22;
const LIMIT = 1n << 20n;

function fillAt(fill: number[], k: number): number {
  return fill[k]!;
}

function pixel(img: Image, x: number, y: number, k: number): number {
  return img.data[(y * img.width + x) * img.channels + k]!;
}

function coord(v: number, n: number): number {
  return v < 0 || v >= n ? -1 : Math.trunc(v);
}

const pow2 = (e: number): number => 2 ** e;
const toFixed = (v: number, s: number): bigint => BigInt(Math.floor(v * s + 0.5));

/**
 * Pillow's nearest / bilinear filter at a Q22 position (BigInt, floored), into out[o..o+c);
 * bilinear takes taps and weights from (XR, YR), the position rounded to nearest.
 */
function sampleQ(img: Image, X: bigint, Y: bigint, XR: bigint, YR: bigint, bilinear: boolean, fill: number[], out: Uint8Array, o: number): void {
  const { width: w, height: h, channels: c } = img;
  if (X < 0n || Y < 0n || X >= BigInt(w) << Q || Y >= BigInt(h) << Q) {
    for (let k = 0; k < c; k++) out[o + k] = fillAt(fill, k);
    return;
  }
  if (!bilinear) {
    const x = Number(X >> Q), y = Number(Y >> Q);
    for (let k = 0; k < c; k++) out[o + k] = pixel(img, x, y, k);
    return;
  }
  const xs = XR - (1n << 21n), ys = YR - (1n << 21n);
  const x = Number(xs >> Q), y = Number(ys >> Q);
  const wx = xs & ((1n << Q) - 1n), wy = ys & ((1n << Q) - 1n);
  const x0 = Math.max(0, x), x1 = Math.min(w - 1, x + 1), y0 = Math.max(0, y);
  for (let k = 0; k < c; k++) {
    const a = BigInt(pixel(img, x0, y0, k)), b = BigInt(pixel(img, x1, y0, k));
    const v1 = (a << Q) + (b - a) * wx;
    let v2 = v1;
    if (y + 1 < h) {
      const p = BigInt(pixel(img, x0, y + 1, k)), q = BigInt(pixel(img, x1, y + 1, k));
      v2 = (p << Q) + (q - p) * wx;
    }
    out[o + k] = Number(((v1 << Q) + (v2 - v1) * wy) >> (2n * Q));
  }
}

/** Pillow's ImageTransform for AFFINE (6 coefficients) or PERSPECTIVE (8) into dw x dh; null when out of range. */
export function warpRef(img: Image, a: number[], kind: "affine" | "perspective", interpolation: "nearest" | "bilinear", fill: number[], dw: number, dh: number): Image | null {
  const c = img.channels;
  const out = new Uint8Array(dw * dh * c);
  const bilinear = interpolation === "bilinear";
  const put = (o: number, x: number, y: number) => {
    for (let k = 0; k < c; k++) out[o + k] = x < 0 ? fillAt(fill, k) : pixel(img, x, y, k);
  };
  if (kind === "affine" && !bilinear) {
    const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
    if (a1 === 0 && a3 === 0) {
      const xs: number[] = [];
      let xo = a2 + a0 * 0.5;
      for (let x = 0; x < dw; x++, xo += a0) xs.push(coord(xo, img.width));
      let yo = a5 + a4 * 0.5;
      for (let y = 0; y < dh; y++, yo += a4) {
        const yi = coord(yo, img.height);
        for (let x = 0; x < dw; x++) put((y * dw + x) * c, yi < 0 ? -1 : xs[x]!, yi);
      }
      return { width: dw, height: dh, channels: c, data: out };
    }
    const ok = (x: number, y: number) => Math.abs(x * a0 + y * a1 + a2) < 32768 && Math.abs(x * a3 + y * a4 + a5) < 32768;
    if (ok(0, 0) && ok(dw, dh) && ok(0, dh) && ok(dw, 0)) {
      const fix = (v: number) => Math.floor(v * 65536 + 0.5);
      const f0 = fix(a0), f1 = fix(a1), f3 = fix(a3), f4 = fix(a4);
      const f2 = fix(a2 + a0 * 0.5 + a1 * 0.5), f5 = fix(a5 + a3 * 0.5 + a4 * 0.5);
      for (let y = 0; y < dh; y++) {
        for (let x = 0; x < dw; x++) {
          // xx = f2 + y f1 + x f0 exactly (no wrap: the corners are within +-2^31 / 2^16)
          const xi = Math.floor((f2 + y * f1 + x * f0) / 65536);
          const yi = Math.floor((f5 + y * f4 + x * f3) / 65536);
          const inside = xi >= 0 && xi < img.width && yi >= 0 && yi < img.height;
          put((y * dw + x) * c, inside ? xi : -1, yi);
        }
      }
      return { width: dw, height: dh, channels: c, data: out };
    }
  }
  if (kind === "affine") {
    const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
    const c0 = a2 + a0 * 0.5 + a1 * 0.5, c1 = a5 + a3 * 0.5 + a4 * 0.5;
    const m = Math.max(Math.abs(a0) * dw + Math.abs(a1) * dh + Math.abs(c0), Math.abs(a3) * dw + Math.abs(a4) * dh + Math.abs(c1));
    if (!Number.isFinite(m)) return null;
    let e = 52;
    while (e > QN && m * pow2(e) >= pow2(61)) e--;
    if (m * pow2(e) >= pow2(61)) return null;
    const s = pow2(e), sh = BigInt(e - QN);
    const A = [a0, a1, a3, a4].map((v) => toFixed(v, s));
    const C0 = toFixed(c0, s), C1 = toFixed(c1, s);
    for (let y = 0; y < dh; y++) {
      for (let x = 0; x < dw; x++) {
        const X = C0 + BigInt(y) * A[1]! + BigInt(x) * A[0]!;
        const Y = C1 + BigInt(y) * A[3]! + BigInt(x) * A[2]!;
        const rnd = bilinear && sh > 0n ? 1n << (sh - 1n) : 0n;
        sampleQ(img, X >> sh, Y >> sh, (X + rnd) >> sh, (Y + rnd) >> sh, bilinear, fill, out, (y * dw + x) * c);
      }
    }
    return { width: dw, height: dh, channels: c, data: out };
  }
  const [a0, a1, a2, a3, a4, a5, a6, a7] = a as [number, number, number, number, number, number, number, number];
  const cx = a2 + a0 * 0.5 + a1 * 0.5, cy = a5 + a3 * 0.5 + a4 * 0.5, cd = 1.0 + a6 * 0.5 + a7 * 0.5;
  const mn = Math.max(Math.abs(a0) * dw + Math.abs(a1) * dh + Math.abs(cx), Math.abs(a3) * dw + Math.abs(a4) * dh + Math.abs(cy));
  const md = Math.abs(a6) * dw + Math.abs(a7) * dh + Math.abs(cd);
  if (!Number.isFinite(mn) || !Number.isFinite(md)) return null;
  let e = 52;
  const bad = () => mn * pow2(e) >= pow2(60) || md * pow2(e) >= pow2(50);
  while (e > 12 && bad()) e--;
  if (bad()) return null;
  const s = pow2(e);
  const [A0, A1, A3, A4, A6, A7] = [a0, a1, a3, a4, a6, a7].map((v) => toFixed(v, s)) as bigint[];
  const CX = toFixed(cx, s), CY = toFixed(cy, s), CD = toFixed(cd, s);
  // floor(n 2^22 / d) for d > 0, clamped to +-2^20 pixels (BigInt division truncates; fix the sign)
  const divQ = (n: bigint, d: bigint): bigint => {
    let q = n / d;
    if (q * d > n) q -= 1n;
    if (q >= LIMIT) return LIMIT << Q;
    if (q < -LIMIT) return -(LIMIT << Q);
    const num = n << Q;
    let f = num / d;
    if (f * d > num) f -= 1n;
    return f;
  };
  for (let y = 0; y < dh; y++) {
    for (let x = 0; x < dw; x++) {
      const X = BigInt(x), Y = BigInt(y);
      let NX = CX + Y * A1! + X * A0!;
      let NY = CY + Y * A4! + X * A3!;
      let D = CD + Y * A7! + X * A6!;
      const o = (y * dw + x) * c;
      if (D === 0n) {
        for (let k = 0; k < c; k++) out[o + k] = fillAt(fill, k);
        continue;
      }
      if (D < 0n) {
        D = -D;
        NX = -NX;
        NY = -NY;
      }
      const qx = divQ(NX, D), qy = divQ(NY, D);
      sampleQ(img, qx, qy, qx, qy, bilinear, fill, out, o);
    }
  }
  return { width: dw, height: dh, channels: c, data: out };
}

/** Pillow's ROTATE_90 / ROTATE_180 / ROTATE_270: counter-clockwise quarter turns. */
export function rotate90Ref(img: Image, quarter: 1 | 2 | 3): Image {
  const { width: w, height: h, channels: c } = img;
  const [ow, oh] = quarter === 2 ? [w, h] : [h, w];
  const out = new Uint8Array(w * h * c);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [oy, ox] = quarter === 1 ? [w - 1 - x, y] : quarter === 2 ? [h - 1 - y, w - 1 - x] : [x, h - 1 - y];
      for (let k = 0; k < c; k++) out[(oy * ow + ox) * c + k] = pixel(img, x, y, k);
    }
  }
  return { width: ow, height: oh, channels: c, data: out };
}

/** clampQ of the kernel: a pixel offset in Q22, clamped to +-2^20 pixels (NaN -> 0). */
function clampQ(v: number): bigint {
  const lim = 2 ** 20;
  if (!(v > -lim)) v = Number.isNaN(v) ? 0 : -lim;
  if (v > lim) v = lim;
  return BigInt(Math.floor(v * 2 ** QN + 0.5));
}

/** Offsets (Q22) from torchvision's [1, H, W, 2] displacement in grid units. */
export function fieldFromDisplacement(d: Float32Array, w: number, h: number): { x: bigint[]; y: bigint[] } {
  const x: bigint[] = [], y: bigint[] = [];
  for (let i = 0; i < w * h; i++) {
    x.push(clampQ(d[2 * i]! * (w / 2)));
    y.push(clampQ(d[2 * i + 1]! * (h / 2)));
  }
  return { x, y };
}

const reflect = (i: number, n: number): number => {
  if (n === 1) return 0;
  const p = 2 * n - 2;
  const m = ((i % p) + p) % p;
  return m < n ? m : p - m;
};

/**
 * ElasticTransform's field from its key (see assembly/warp.ts elasticField): Q16 noise
 * from Philox, Q14 Gaussian weights (with an independent, correctly rounded exp: ./math.ts), reflect border, each pass floored.
 */
export function elasticFieldRef(key: [number, number], w: number, h: number, alpha: [number, number], sigma: [number, number]): { x: bigint[]; y: bigint[] } {
  const n = w * h;
  const ksize = (s: number) => {
    let k = Math.trunc(8 * s + 1);
    if (k % 2 === 0) k++;
    return k;
  };
  const weights = (k: number, s: number) => {
    const half = (k - 1) * 0.5;
    let sum = 0;
    for (let i = 0; i < k; i++) {
      const x = (-half + i) / s;
      sum += expRef(-0.5 * x * x);
    }
    return Array.from({ length: k }, (_, i) => {
      const x = (-half + i) / s;
      return Math.floor((expRef(-0.5 * x * x) / sum) * 16384 + 0.5);
    });
  };
  const planes: bigint[][] = [];
  for (let p = 0; p < 2; p++) {
    const k = ksize(sigma[p]!);
    const wr = weights(k, sigma[0]), wc = weights(k, sigma[1]);
    const noise: number[] = [];
    for (let b = 0; b < n; b += 4) {
      const words = philox4x32Ref([b >> 2, 0, p, 0x656c6173], key);
      for (let j = 0; j < 4 && b + j < n; j++) noise.push((words[j]! >>> 16) * 2 - 2 ** 16);
    }
    const half = k >> 1;
    const tmp: number[] = new Array(n);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let i = 0; i < k; i++) s += noise[y * w + reflect(x + i - half, w)]! * wr[i]!;
        tmp[y * w + x] = Math.floor(s / 16384);
      }
    }
    const factor = p === 0 ? (alpha[0] / h) * (w / 2) : (alpha[1] / w) * (h / 2);
    const out: bigint[] = [];
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let i = 0; i < k; i++) s += tmp[reflect(y + i - half, h) * w + x]! * wc[i]!;
        out.push(clampQ((Math.floor(s / 16384) / 65536) * factor));
      }
    }
    planes.push(out);
  }
  return { x: planes[0]!, y: planes[1]! };
}

/** grid_sample(align_corners=False) with the fill mixed by the mask, as the kernel does it. */
export function elasticWarpRef(img: Image, field: { x: bigint[]; y: bigint[] }, interpolation: "nearest" | "bilinear", fill: number[]): Image {
  const { width: w, height: h, channels: c } = img;
  const out = new Uint8Array(w * h * c);
  const QH = 1n << 21n, QM = (1n << Q) - 1n;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const X = (BigInt(x) << Q) + field.x[i]!;
      const Y = (BigInt(y) << Q) + field.y[i]!;
      if (interpolation === "nearest") {
        let xi = X >> Q, yi = Y >> Q;
        const fx = X & QM, fy = Y & QM;
        if (fx > QH || (fx === QH && (xi & 1n) === 1n)) xi++;
        if (fy > QH || (fy === QH && (yi & 1n) === 1n)) yi++;
        const inside = xi >= 0n && xi < BigInt(w) && yi >= 0n && yi < BigInt(h);
        for (let k = 0; k < c; k++) out[i * c + k] = inside ? pixel(img, Number(xi), Number(yi), k) : fillAt(fill, k);
        continue;
      }
      const x0 = Number(X >> Q), y0 = Number(Y >> Q);
      const wx = Number((X & QM) >> 11n), wy = Number((Y & QM) >> 11n);
      const taps: [number, number, number][] = [
        [x0, y0, (2048 - wx) * (2048 - wy)], [x0 + 1, y0, wx * (2048 - wy)],
        [x0, y0 + 1, (2048 - wx) * wy], [x0 + 1, y0 + 1, wx * wy],
      ];
      const inside = taps.filter(([tx, ty]) => tx >= 0 && tx < w && ty >= 0 && ty < h);
      const m = BigInt(inside.reduce((s, t) => s + t[2], 0));
      for (let k = 0; k < c; k++) {
        const I = BigInt(inside.reduce((s, [tx, ty, wt]) => s + wt * pixel(img, tx, ty, k), 0));
        const v = I * m + BigInt(fillAt(fill, k)) * ((1n << 22n) - m) * (1n << 22n);
        let q = v >> 44n;
        const r = v & ((1n << 44n) - 1n);
        if (r > 1n << 43n || (r === 1n << 43n && (q & 1n) === 1n)) q++;
        out[i * c + k] = Number(q);
      }
    }
  }
  return { width: w, height: h, channels: c, data: out };
}

/**
 * Scalar twins of assembly/warp.ts, pilwarp.ts and tvwarp.ts, written from Pillow 12.3's
 * src/libImaging/Geometry.c, torchvision 0.28's tensor warps and torch's grid_sample, one
 * pixel at a time:
 *
 * - affine nearest: ImagingScaleAffine when a[1] == a[3] == 0 (COORD of an f64 running
 *   sum), affine_fixed (16.16, FIX(v) = floor(v * 65536 + 0.5)) when the four corners map
 *   within +-32768, else the f64 running sums of ImagingTransformAffine.
 * - generic (bilinear, perspective): the binary64 position a0 (x + 1/2) + a1 (y + 1/2) + a2
 *   (perspective: over a6 (x + 1/2) + a7 (y + 1/2) + 1); nearest: COORD; bilinear: inside
 *   unless the position is < 0 or >= the size, then Pillow's BILINEAR macro in binary64,
 *   truncated. JavaScript numbers are binary64 with the same rounding, so this is Pillow.
 * - tensor warps: torchvision's float32 grid and grid_sample with torch's fused
 *   multiply-adds, computed exactly with BigInt (tvcolor.ts's fma32) and Math.fround.
 * - rotate90: Pillow's ROTATE_90 / 180 / 270 (counter-clockwise).
 * - elastic: grid_sample(align_corners=False) at (x + dx, y + dy); nearest rounds half to
 *   even; bilinear: taps outside weigh 0 in both value I and mask m, out =
 *   round_half_even(I m + (1 - m) fill), weights Q11 x Q11.
 */
import type { Image } from "../../src/index.js";
import { expRef } from "./math.js";
import { philox4x32Ref } from "./philox.js";
import { fma32 } from "./tvcolor.js";

const Q = 22n;
const QN = 22;

function fillAt(fill: number[], k: number): number {
  return fill[k]!;
}

function pixel(img: Image, x: number, y: number, k: number): number {
  return img.data[(y * img.width + x) * img.channels + k]!;
}

function coord(v: number, n: number): number {
  return v < 0 || v >= n ? -1 : Math.trunc(v);
}

/** Pillow's nearest / bilinear filter at a binary64 position into out[o..o+c). */
function sample(img: Image, xx: number, yy: number, bilinear: boolean, fill: number[], out: Uint8Array, o: number): void {
  const { width: w, height: h, channels: c } = img;
  if (!(xx >= 0 && xx < w && yy >= 0 && yy < h)) {
    for (let k = 0; k < c; k++) out[o + k] = fillAt(fill, k);
    return;
  }
  if (!bilinear) {
    for (let k = 0; k < c; k++) out[o + k] = pixel(img, Math.trunc(xx), Math.trunc(yy), k);
    return;
  }
  const xi = xx - 0.5, yi = yy - 0.5;
  const x = Math.floor(xi), y = Math.floor(yi);
  const dx = xi - x, dy = yi - y;
  const cx = (v: number) => Math.min(Math.max(v, 0), w - 1);
  const y0 = Math.min(Math.max(y, 0), h - 1);
  for (let k = 0; k < c; k++) {
    const a = pixel(img, cx(x), y0, k), b = pixel(img, cx(x + 1), y0, k);
    let v1 = a + (b - a) * dx;
    let v2 = v1;
    if (y + 1 >= 0 && y + 1 < h) {
      const p = pixel(img, cx(x), y + 1, k), q = pixel(img, cx(x + 1), y + 1, k);
      v2 = p + (q - p) * dx;
    }
    v1 = v1 + (v2 - v1) * dy;
    out[o + k] = Math.trunc(v1);
  }
}

/** Pillow's ImageTransform for AFFINE (6 coefficients) or PERSPECTIVE (8) into dw x dh. */
export function warpRef(img: Image, a: number[], kind: "affine" | "perspective", interpolation: "nearest" | "bilinear", fill: number[], dw: number, dh: number): Image {
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
    let xo = a2 + a1 * 0.5 + a0 * 0.5;
    let yo = a5 + a4 * 0.5 + a3 * 0.5;
    for (let y = 0; y < dh; y++, xo += a1, yo += a4) {
      let xx = xo, yy = yo;
      for (let x = 0; x < dw; x++, xx += a0, yy += a3) sample(img, xx, yy, false, fill, out, (y * dw + x) * c);
    }
    return { width: dw, height: dh, channels: c, data: out };
  }
  const [a0, a1, a2, a3, a4, a5, a6, a7] = a.concat([0, 0]) as [number, number, number, number, number, number, number, number];
  for (let y = 0; y < dh; y++) {
    for (let x = 0; x < dw; x++) {
      const xin = x + 0.5, yin = y + 0.5;
      let xx = a0 * xin + a1 * yin + a2;
      let yy = a3 * xin + a4 * yin + a5;
      if (kind === "perspective") {
        xx /= a6 * xin + a7 * yin + 1;
        yy /= a6 * xin + a7 * yin + 1;
      }
      sample(img, xx, yy, bilinear, fill, out, (y * dw + x) * c);
    }
  }
  return { width: dw, height: dh, channels: c, data: out };
}

const f = Math.fround;

/**
 * torchvision's tensor warp: the float32 grid (affine: theta^T / (w/2, h/2) at centred
 * pixel coordinates; perspective: theta1^T / (ow/2, oh/2) over theta2 at pixel centres,
 * minus 1) and grid_sample (zeros padding, align_corners=False), the fill through a mask
 * (v2: (v - fill) m + fill; v1: v m + (1 - m) fill), rounded half to even. `fill` null:
 * no mask.
 */
export function tvWarpRef(img: Image, a: number[], kind: "affine" | "perspective", interpolation: "nearest" | "bilinear", fill: number[] | null, dw: number, dh: number, v1 = false): Image {
  const { width: w, height: h, channels: c } = img;
  const out = new Uint8Array(dw * dh * c);
  const t = a.map(f);
  const persp = kind === "perspective";
  const hw = f(0.5 * (persp ? dw : w)), hh = f(0.5 * (persp ? dh : h));
  const r = [f(t[0]! / hw), f(t[1]! / hw), f(t[2]! / hw), f(t[3]! / hh), f(t[4]! / hh), f(t[5]! / hh)];
  const at = (x: number, y: number, k: number) => (x < 0 || x >= w || y < 0 || y >= h ? 0 : k < 0 ? 1 : pixel(img, x, y, k));
  for (let y = 0; y < dh; y++) {
    for (let x = 0; x < dw; x++) {
      const bx = persp ? x + 0.5 : x - (dw - 1) / 2;
      const by = persp ? y + 0.5 : y - (dh - 1) / 2;
      let gx = f(f(f(bx * r[0]!) + f(by * r[1]!)) + r[2]!);
      let gy = f(f(f(bx * r[3]!) + f(by * r[4]!)) + r[5]!);
      if (persp) {
        const den = f(f(f(bx * t[6]!) + f(by * t[7]!)) + 1);
        gx = f(f(gx / den) - 1);
        gy = f(f(gy / den) - 1);
      }
      const ix = fma32(f(gx + 1), f(w / 2), -0.5);
      const iy = fma32(f(gy + 1), f(h / 2), -0.5);
      const o = (y * dw + x) * c;
      if (interpolation === "nearest") {
        const rint = (v: number) => (Math.abs(v - Math.trunc(v)) === 0.5 ? 2 * Math.round(v / 2) : Math.round(v));
        const xr = rint(ix), yr = rint(iy);
        const inside = xr >= 0 && xr < w && yr >= 0 && yr < h;
        for (let k = 0; k < c; k++) out[o + k] = inside ? pixel(img, xr, yr, k) : fill ? fill[k]! : 0;
        continue;
      }
      if (!Number.isFinite(ix) || !Number.isFinite(iy)) continue; // torch: NaN weights, 0
      const x0 = Math.floor(ix), y0 = Math.floor(iy);
      const we = f(ix - x0), e = f(1 - we), n = f(iy - y0), s = f(1 - n);
      const nw = f(s * e), ne = f(s * we), sw = f(n * e), se = f(n * we);
      const mix = (k: number) => fma32(at(x0 + 1, y0 + 1, k), se, fma32(at(x0, y0 + 1, k), sw, fma32(at(x0 + 1, y0, k), ne, f(at(x0, y0, k) * nw))));
      const m = fill ? mix(-1) : 1;
      for (let k = 0; k < c; k++) {
        let v = mix(k);
        if (fill) v = v1 ? f(f(v * m) + f(f(1 - m) * fill[k]!)) : f(f(f(v - fill[k]!) * m) + fill[k]!);
        const rv = Math.abs(v - Math.trunc(v)) === 0.5 ? 2 * Math.round(v / 2) : Math.round(v);
        out[o + k] = Math.min(Math.max(rv, 0), 255);
      }
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

// Gaussian blur as torchvision's tensor backend on uint8 (0.14 to 0.28; also its route for PIL images) (reflect padding, float32
// kernel from _get_gaussian_kernel1d, conv, round to nearest), computed here as a separable
// fixed-point convolution so every engine gives the same bytes; and LinearTransformation's
// (x - mean) @ W in f32 with one fixed summation order.
//
// Float math appears only in gaussianWeights (the 1-D kernel, then quantised); every pixel
// is integer arithmetic:
//   vertical pass   u8 x (weights summing to exactly 2^23)  -> i32 (<= 255 * 2^23 < 2^31)
//   horizontal pass i32 x (weights summing to exactly 2^30) -> i64 (<= 255 * 2^53 < 2^63)
//   output          (acc + 2^52) >> 53                      -> u8 (round half up; <= 255)
// Borders use torchvision's "reflect" padding (edge pixel not repeated); a kernel wider than
// the image repeats the reflection pattern where torchvision raises.

/** Fixed-point scale of the vertical weights. */
export const BLUR_VBITS: i32 = 23;
/** Fixed-point scale of the horizontal weights. */
export const BLUR_HBITS: i32 = 30;
const SHIFT: i64 = <i64>(BLUR_VBITS + BLUR_HBITS);
const HALF: i64 = (<i64>1) << (SHIFT - 1);

/** Largest kernel side gaussianWeights accepts (the host checks it). */
export const MAX_KERNEL: i32 = 4095;
const FRAC = memory.data(MAX_KERNEL * 8, 8);

/**
 * The pdf of torchvision's _get_gaussian_kernel1d(k, sigma) in f32 (x = linspace(-(k-1)/2,
 * (k-1)/2, k), which is exact for odd k; p = exp(-0.5 * (x / sigma)^2)), normalised in f64
 * (w = p / sum p) and quantised to integers that sum to exactly 2^bits and stay symmetric:
 * every tap is floor(w * 2^bits) or one more; the remainder goes one unit to the centre if
 * it is odd, then one unit to each of the mirrored pairs with the largest fractional parts
 * (lowest index first on ties). So each tap is within one unit of w * 2^bits. Writes k i32
 * to `out`. k odd in [1, MAX_KERNEL], sigma > 0, bits <= 30.
 */
export function gaussianWeights(k: i32, sigma: f32, bits: i32, out: usize): void {
  const half = <f32>(k - 1) * <f32>0.5;
  let sum: f64 = 0;
  for (let i = 0; i < k; i++) {
    const q = (<f32>i - half) / sigma;
    const p = Mathf.exp(<f32>-0.5 * (q * q));
    store<f32>(out + (<usize>i << 2), p);
    sum += <f64>p;
  }
  const scale = <f64>((<i64>1) << bits);
  let total: i64 = 0;
  for (let i = 0; i < k; i++) {
    const v = <f64>load<f32>(out + (<usize>i << 2)) / sum * scale;
    const q = Math.floor(v);
    store<f64>(FRAC + (<usize>i << 3), v - q);
    store<i32>(out + (<usize>i << 2), <i32>q);
    total += <i64>q;
  }
  const c = k >> 1;
  const centre = out + (<usize>c << 2);
  let rest = ((<i64>1) << bits) - total;
  if (rest < 0 || (rest & 1)) {
    // Odd remainder: one unit to the centre (a negative one cannot happen; kept for safety).
    const give: i64 = rest < 0 ? rest : 1;
    store<i32>(centre, load<i32>(centre) + <i32>give);
    rest -= give;
  }
  for (let pairs = <i32>(rest >> 1); pairs > 0; pairs--) {
    let best = -1;
    let bestFrac: f64 = -1;
    for (let i = 0; i < c; i++) {
      const f = load<f64>(FRAC + (<usize>i << 3));
      if (f > bestFrac) {
        bestFrac = f;
        best = i;
      }
    }
    if (best < 0) {
      // More remainder than pairs (cannot happen: the floors lose less than k units).
      store<i32>(centre, load<i32>(centre) + 2 * pairs);
      break;
    }
    store<f64>(FRAC + (<usize>best << 3), -1);
    store<i32>(out + (<usize>best << 2), load<i32>(out + (<usize>best << 2)) + 1);
    store<i32>(out + (<usize>(k - 1 - best) << 2), load<i32>(out + (<usize>(k - 1 - best) << 2)) + 1);
  }
}

/** torchvision's reflect padding: -1 -> 1, n -> n - 2; repeats the pattern further out. */
// @ts-ignore: decorator
@inline function reflect(i: i32, n: i32): i32 {
  if (i >= 0 && i < n) return i;
  if (n == 1) return 0;
  const p = 2 * n - 2;
  let m = i % p;
  if (m < 0) m += p;
  return m < n ? m : p - m;
}

/** Bytes of scratch gaussianBlur needs for an image w pixels wide with c channels, kernels kx, ky. */
export function gaussianScratch(w: i32, c: i32, kx: i32, ky: i32): i32 {
  return (w + kx) * c * 4 + ky * 4 + 64;
}

/**
 * Blurs src (w x h, c channels, HWC) into dst with the vertical weights wy (ky i32) and the
 * horizontal weights wx (kx i32) from gaussianWeights(.., BLUR_VBITS / BLUR_HBITS, ..).
 * `scratch` holds gaussianScratch(w, c, kx, ky) bytes.
 */
export function gaussianBlur(src: usize, w: i32, h: i32, c: i32, kx: i32, ky: i32, wx: usize, wy: usize, scratch: usize, dst: usize): void {
  const n = w * c;
  const rx = kx >> 1;
  const ry = ky >> 1;
  const rows = scratch; // ky row addresses
  const row = (scratch + (<usize>ky << 2) + 15) & ~(<usize>15); // (w + 2 rx) * c i32, reflect-padded
  const mid = row + (<usize>(rx * c) << 2);
  for (let y = 0; y < h; y++) {
    for (let i = 0; i < ky; i++) store<u32>(rows + (<usize>i << 2), <u32>(src + <usize>reflect(y - ry + i, h) * <usize>n));
    // Vertical pass: 16 bytes at a time, u8 -> i32.
    let b = 0;
    for (; b + 16 <= n; b += 16) {
      let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
      for (let i = 0; i < ky; i++) {
        const wt = load<i32>(wy + (<usize>i << 2));
        if (wt == 0) continue;
        const v = v128.load(<usize>load<u32>(rows + (<usize>i << 2)) + <usize>b);
        const wv = i32x4.splat(wt);
        const lo = i16x8.extend_low_i8x16_u(v);
        const hi = i16x8.extend_high_i8x16_u(v);
        a0 = i32x4.add(a0, i32x4.mul(i32x4.extend_low_i16x8_u(lo), wv));
        a1 = i32x4.add(a1, i32x4.mul(i32x4.extend_high_i16x8_u(lo), wv));
        a2 = i32x4.add(a2, i32x4.mul(i32x4.extend_low_i16x8_u(hi), wv));
        a3 = i32x4.add(a3, i32x4.mul(i32x4.extend_high_i16x8_u(hi), wv));
      }
      const o = mid + (<usize>b << 2);
      v128.store(o, a0);
      v128.store(o, a1, 16);
      v128.store(o, a2, 32);
      v128.store(o, a3, 48);
    }
    for (; b < n; b++) {
      let a: i32 = 0;
      for (let i = 0; i < ky; i++) a += load<i32>(wy + (<usize>i << 2)) * <i32>load<u8>(<usize>load<u32>(rows + (<usize>i << 2)) + <usize>b);
      store<i32>(mid + (<usize>b << 2), a);
    }
    // Reflect-pad the intermediate row by rx pixels on each side.
    for (let p = 0; p < rx; p++) {
      const l = (<usize>reflect(p - rx, w) * <usize>c) << 2;
      const r = (<usize>reflect(w + p, w) * <usize>c) << 2;
      memory.copy(row + (<usize>(p * c) << 2), mid + l, <usize>c << 2);
      memory.copy(mid + (<usize>((w + p) * c) << 2), mid + r, <usize>c << 2);
    }
    // Horizontal pass: 16 outputs at a time, i32 -> i64 -> u8. Tap j of output byte b is
    // padded element b + j * c.
    const d = dst + <usize>y * <usize>n;
    b = 0;
    const half = i64x2.splat(HALF);
    for (; b + 16 <= n; b += 16) {
      let s0 = i64x2.splat(0), s1 = i64x2.splat(0), s2 = i64x2.splat(0), s3 = i64x2.splat(0);
      let s4 = i64x2.splat(0), s5 = i64x2.splat(0), s6 = i64x2.splat(0), s7 = i64x2.splat(0);
      for (let j = 0; j < kx; j++) {
        const wt = load<i32>(wx + (<usize>j << 2));
        if (wt == 0) continue;
        const wv = i64x2.splat(<i64>wt);
        const p = row + (<usize>(b + j * c) << 2);
        const v0 = v128.load(p);
        const v1 = v128.load(p, 16);
        const v2 = v128.load(p, 32);
        const v3 = v128.load(p, 48);
        s0 = i64x2.add(s0, i64x2.mul(i64x2.extend_low_i32x4_s(v0), wv));
        s1 = i64x2.add(s1, i64x2.mul(i64x2.extend_high_i32x4_s(v0), wv));
        s2 = i64x2.add(s2, i64x2.mul(i64x2.extend_low_i32x4_s(v1), wv));
        s3 = i64x2.add(s3, i64x2.mul(i64x2.extend_high_i32x4_s(v1), wv));
        s4 = i64x2.add(s4, i64x2.mul(i64x2.extend_low_i32x4_s(v2), wv));
        s5 = i64x2.add(s5, i64x2.mul(i64x2.extend_high_i32x4_s(v2), wv));
        s6 = i64x2.add(s6, i64x2.mul(i64x2.extend_low_i32x4_s(v3), wv));
        s7 = i64x2.add(s7, i64x2.mul(i64x2.extend_high_i32x4_s(v3), wv));
      }
      const q0 = pack(s0, s1, half);
      const q1 = pack(s2, s3, half);
      const q2 = pack(s4, s5, half);
      const q3 = pack(s6, s7, half);
      v128.store(d + <usize>b, i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_u(q0, q1), i16x8.narrow_i32x4_u(q2, q3)));
    }
    for (; b < n; b++) {
      let a: i64 = 0;
      for (let j = 0; j < kx; j++) a += <i64>load<i32>(wx + (<usize>j << 2)) * <i64>load<i32>(row + (<usize>(b + j * c) << 2));
      store<u8>(d + <usize>b, <u8>((a + HALF) >> SHIFT));
    }
  }
}

/** Rounds two i64x2 sums to integers and packs them as one i32x4. */
// @ts-ignore: decorator
@inline function pack(a: v128, b: v128, half: v128): v128 {
  const x = i64x2.shr_s(i64x2.add(a, half), <i32>SHIFT);
  const y = i64x2.shr_s(i64x2.add(b, half), <i32>SHIFT);
  return i8x16.shuffle(x, y, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
}

/**
 * LinearTransformation: for each of `rows` rows x of `d` f32, out = (x - mean) @ W with W a
 * d x d row-major f32 matrix. Each output j is summed in the order i = 0, 1, ..., d - 1 as
 * acc = f32(acc + f32(diff_i * W[i][j])) starting from +0, with diff_i = f32(x_i - mean_i);
 * no fused multiply-add. `diff` is scratch for d f32.
 */
export function linearTransform(x: usize, rows: i32, d: i32, mean: usize, mat: usize, diff: usize, out: usize): void {
  const rowBytes = <usize>d << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    const o = out + <usize>r * rowBytes;
    for (let i = 0; i < d; i++) {
      const q = <usize>i << 2;
      store<f32>(diff + q, load<f32>(xr + q) - load<f32>(mean + q));
    }
    memory.fill(o, 0, rowBytes);
    for (let i = 0; i < d; i++) {
      const di = load<f32>(diff + (<usize>i << 2));
      const dv = f32x4.splat(di);
      const m = mat + <usize>i * rowBytes;
      let j = 0;
      for (; j + 4 <= d; j += 4) {
        const q = <usize>j << 2;
        v128.store(o + q, f32x4.add(v128.load(o + q), f32x4.mul(dv, v128.load(m + q))));
      }
      for (; j < d; j++) {
        const q = <usize>j << 2;
        store<f32>(o + q, load<f32>(o + q) + di * load<f32>(m + q));
      }
    }
  }
}

// Noise and erasing live in ./noise; exported through here so the kernel's index needs one line.
export { normalFill, gaussianNoise, gaussianNoiseU8, eraseFill, eraseValues, eraseNoise } from "./noise";

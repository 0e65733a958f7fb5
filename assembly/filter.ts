// Gaussian blur as torchvision's tensor backend on uint8 (0.14 to 0.28; also its route for PIL images) (reflect padding, float32
// kernel from _get_gaussian_kernel1d, conv, round to nearest), computed here as a separable
// fixed-point convolution so every engine gives the same bytes; and LinearTransformation's
// (x - mean) @ W in f32 with one fixed summation order.
//
// Float math appears in gaussianWeights (the 1-D kernel, then quantised); every pixel is
// defined by integer arithmetic:
//   vertical pass   u8 x (weights summing to exactly 2^23)  -> i32 (<= 255 * 2^23 < 2^31)
//   horizontal pass i32 x (weights summing to exactly 2^30) -> i64 (<= 255 * 2^53 < 2^63)
//   output          (acc + 2^52) >> 53                      -> u8 (round half up; <= 255)
// and computed that way, except that the horizontal pass first estimates each output in f32
// with a proven error bound and takes the estimate's answer only where the bound shows it is
// this exact result (see gaussianBlur): the same bytes at about 3x the speed of i64 lanes.
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
  // Row addresses, then one padded row (i32 or f32, 16-aligned, 64 bytes of slack).
  return ky * 4 + (w + kx) * c * 4 + 96;
}

/** 2^-16: the f32 estimate's error bound is (taps + 8) of these (see gaussianBlur). */
const ERR_UNIT: f32 = <f32>(1.0 / 65536.0);
/** Kernels wider than this take the exact 64-bit horizontal pass only. */
const MAX_FAST_TAPS: i32 = 63;
/** 1.5 * 2^23: adding it rounds an f32 in [0, 2^22) to an integer, left in the low mantissa bits. */
const MAGIC: f32 = 12582912.0;

/**
 * Blurs src (w x h, c channels, HWC) into dst with the vertical weights wy (ky i32) and the
 * horizontal weights wx (kx i32) from gaussianWeights(.., BLUR_VBITS / BLUR_HBITS, ..).
 * `scratch` holds gaussianScratch(w, c, kx, ky) bytes.
 *
 * Every output is floor(S / 2^53 + 1/2), S the exact integer sum above. For gaussianWeights'
 * kernels (non-negative, symmetric, kx <= MAX_FAST_TAPS) it is decided in f32 lanes, exactly:
 * - the vertical pass computes V = sum wy_i p_i exactly in i32 lanes (mirrored rows added
 *   first: integer addition, the same V) and stores it as f32 (rounded, relative 2^-24);
 * - the horizontal pass estimates T = S / 2^53 as acc = sum (v_a + v_b) * w_j over the
 *   mirrored taps (and the centre's v * w), w_j = f32(wx_j / 2^53). Every term is >= 0 and
 *   T <= 255, so each of the m <= kx additions errs by at most 2^-24 * 256 = 2^-16, and
 *   the terms (at most four roundings each: the conversion, the pair's sum, the weight,
 *   the product: relative 4.001 * 2^-24) by at most 255 * 4.001 * 2^-24 < 2^-14 in all:
 *   |acc - T| < (kx + 4) * 2^-16 < E = (kx + 8) * 2^-16.
 * - r = round(acc) (the MAGIC addition). When |acc - r| < 1/2 - E for all 16 lanes of a
 *   block, T lies in (r - 1/2, r + 1/2) and floor(T + 1/2) = r for each lane; otherwise
 *   the block's bytes are computed exactly from the source (exactByte, i64).
 * So the bytes are those of the exact sum; the f32 pass only answers when it can prove it.
 * Other weights take the exact 64-bit horizontal pass on an i32 row (horizontalGeneral,
 * the arithmetic of the first version of this kernel).
 */
export function gaussianBlur(src: usize, w: i32, h: i32, c: i32, kx: i32, ky: i32, wx: usize, wy: usize, scratch: usize, dst: usize): void {
  const n = w * c;
  const rx = kx >> 1;
  const ry = ky >> 1;
  const rows = scratch; // ky row addresses
  const row = (scratch + (<usize>ky << 2) + 15) & ~(<usize>15); // (w + 2 rx) * c values, reflect-padded
  const mid = row + (<usize>(rx * c) << 2);
  const symY = symmetric(wy, ky);
  const fast = symmetric(wx, kx) && nonNegative(wx, kx) && nonNegative(wy, ky) && kx <= MAX_FAST_TAPS;
  if (fast) for (let j = 0; j < kx; j++) store<f32>(WXF + (<usize>j << 2), <f32>(<f64>load<i32>(wx + (<usize>j << 2)) * 1.1102230246251565e-16));
  const bound = <f32>0.5 - <f32>(kx + 8) * ERR_UNIT;
  const cb = <usize>c << 2;
  for (let y = 0; y < h; y++) {
    for (let i = 0; i < ky; i++) store<u32>(rows + (<usize>i << 2), <u32>(src + <usize>reflect(y - ry + i, h) * <usize>n));
    verticalRow(rows, ky, wy, symY, n, mid, fast);
    // Reflect-pad the intermediate row by rx pixels on each side.
    for (let p = 0; p < rx; p++) {
      memory.copy(row + (<usize>(p * c) << 2), mid + ((<usize>reflect(p - rx, w) * <usize>c) << 2), cb);
      memory.copy(mid + (<usize>((w + p) * c) << 2), mid + ((<usize>reflect(w + p, w) * <usize>c) << 2), cb);
    }
    const d = dst + <usize>y * <usize>n;
    let b = 0;
    if (fast) {
      // The last block overlaps the one before it (the same bytes, written twice).
      while (b < n) {
        if (b + 16 > n) b = n >= 16 ? n - 16 : 0;
        if (n < 16 || !horizontalFast(row, b, c, kx, bound, d)) {
          for (let k = b; k < min(b + 16, n); k++) store<u8>(d + <usize>k, exactByte(rows, ky, wy, wx, kx, w, c, k));
        }
        b += 16;
      }
    } else {
      for (; b + 16 <= n; b += 16) horizontalGeneral(row, b, c, kx, wx, d);
      for (; b < n; b++) {
        let a: i64 = 0;
        for (let j = 0; j < kx; j++) a += <i64>load<i32>(wx + (<usize>j << 2)) * <i64>load<i32>(row + (<usize>(b + j * c) << 2));
        store<u8>(d + <usize>b, <u8>((a + HALF) >> SHIFT));
      }
    }
  }
}

/**
 * One output byte (index k of the current row) from the exact sum: floor((S + 2^52) / 2^53),
 * S = sum_j wx_j sum_i wy_i p[row_i][reflect(x - rx + j)] in i64 (non-negative weights).
 */
function exactByte(rows: usize, ky: i32, wy: usize, wx: usize, kx: i32, w: i32, c: i32, k: i32): u8 {
  const x = k / c;
  const ch = k - x * c;
  const rx = kx >> 1;
  let s: i64 = 0;
  for (let j = 0; j < kx; j++) {
    const col = <usize>(reflect(x - rx + j, w) * c + ch);
    let v: i32 = 0;
    for (let i = 0; i < ky; i++) v += load<i32>(wy + (<usize>i << 2)) * <i32>load<u8>(<usize>load<u32>(rows + (<usize>i << 2)) + col);
    s += <i64>load<i32>(wx + (<usize>j << 2)) * <i64>v;
  }
  return <u8>((s + HALF) >> SHIFT);
}

/** Whether the k weights at `wt` are all >= 0. */
function nonNegative(wt: usize, k: i32): bool {
  for (let i = 0; i < k; i++) if (load<i32>(wt + (<usize>i << 2)) < 0) return false;
  return true;
}

/** Whether the k weights at `wt` read the same backwards (gaussianWeights makes them so). */
function symmetric(wt: usize, k: i32): bool {
  for (let i = 0; i < k >> 1; i++) if (load<i32>(wt + (<usize>i << 2)) != load<i32>(wt + (<usize>(k - 1 - i) << 2))) return false;
  return true;
}

/**
 * The vertical pass of one output row: V = sum_i wy_i * row_i for the n bytes of a row,
 * exact in i32 (V <= 255 * 2^23 < 2^31, or wrapping as before for other weights), written
 * to `mid` as f32 (rounded) when `asF32`, else as i32. With symmetric weights the mirrored
 * rows are added first (u16, at most 510; integer addition, so the same sum).
 */
function verticalRow(rows: usize, ky: i32, wy: usize, sym: bool, n: i32, mid: usize, asF32: bool): void {
  const ry = ky >> 1;
  let b = 0;
  // 16 bytes at a time; the last block overlaps the one before it (the same values twice).
  const end = n >= 16 ? n + 15 : 0;
  for (; b + 16 <= end; b += 16) {
    if (b + 16 > n) b = n - 16;
    let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
    if (sym) {
      for (let i = 0; i <= ry; i++) {
        const wt = load<i32>(wy + (<usize>i << 2));
        if (wt == 0) continue;
        const v = v128.load(<usize>load<u32>(rows + (<usize>i << 2)) + <usize>b);
        let lo = i16x8.extend_low_i8x16_u(v);
        let hi = i16x8.extend_high_i8x16_u(v);
        if (i < ry) {
          const u = v128.load(<usize>load<u32>(rows + (<usize>(ky - 1 - i) << 2)) + <usize>b);
          lo = i16x8.add(lo, i16x8.extend_low_i8x16_u(u));
          hi = i16x8.add(hi, i16x8.extend_high_i8x16_u(u));
        }
        const wv = i32x4.splat(wt);
        a0 = i32x4.add(a0, i32x4.mul(i32x4.extend_low_i16x8_u(lo), wv));
        a1 = i32x4.add(a1, i32x4.mul(i32x4.extend_high_i16x8_u(lo), wv));
        a2 = i32x4.add(a2, i32x4.mul(i32x4.extend_low_i16x8_u(hi), wv));
        a3 = i32x4.add(a3, i32x4.mul(i32x4.extend_high_i16x8_u(hi), wv));
      }
    } else {
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
    }
    const o = mid + (<usize>b << 2);
    if (asF32) {
      v128.store(o, f32x4.convert_i32x4_s(a0));
      v128.store(o, f32x4.convert_i32x4_s(a1), 16);
      v128.store(o, f32x4.convert_i32x4_s(a2), 32);
      v128.store(o, f32x4.convert_i32x4_s(a3), 48);
    } else {
      v128.store(o, a0);
      v128.store(o, a1, 16);
      v128.store(o, a2, 32);
      v128.store(o, a3, 48);
    }
  }
  for (; b < n; b++) {
    let a: i32 = 0;
    for (let i = 0; i < ky; i++) a += load<i32>(wy + (<usize>i << 2)) * <i32>load<u8>(<usize>load<u32>(rows + (<usize>i << 2)) + <usize>b);
    if (asF32) store<f32>(mid + (<usize>b << 2), <f32>a);
    else store<i32>(mid + (<usize>b << 2), a);
  }
}

/** f32(wx_j / 2^53) for the current horizontal kernel (the kernel is single-threaded). */
const WXF = memory.data(MAX_FAST_TAPS * 4 + 4, 16);

// @ts-ignore: decorator
@inline function weightF(j: i32): v128 {
  return v128.load32_splat(WXF + (<usize>j << 2));
}

/** Whether |acc - round(acc)| < bound in each lane (round by the MAGIC addition; see gaussianBlur). */
// @ts-ignore: decorator
@inline function settled(acc: v128, magic: v128, bound: v128): v128 {
  return f32x4.lt(f32x4.abs(f32x4.sub(acc, f32x4.sub(f32x4.add(acc, magic), magic))), bound);
}

/**
 * The f32 estimate of 16 outputs at byte b (padded f32 row `rowf`); stores them and returns
 * true when every one is provably floor(T + 1/2), else stores nothing and returns false.
 */
function horizontalFast(rowf: usize, b: i32, c: i32, kx: i32, bound: f32, d: usize): bool {
  const rx = kx >> 1;
  const cb = <usize>c << 2;
  let p = rowf + (<usize>b << 2);
  let q = p + <usize>(kx - 1) * cb;
  let wv = weightF(rx);
  const pc = p + <usize>rx * cb;
  let s0 = f32x4.mul(v128.load(pc), wv);
  let s1 = f32x4.mul(v128.load(pc, 16), wv);
  let s2 = f32x4.mul(v128.load(pc, 32), wv);
  let s3 = f32x4.mul(v128.load(pc, 48), wv);
  for (let j = 0; j < rx; j++) {
    wv = weightF(j);
    s0 = f32x4.add(s0, f32x4.mul(f32x4.add(v128.load(p), v128.load(q)), wv));
    s1 = f32x4.add(s1, f32x4.mul(f32x4.add(v128.load(p, 16), v128.load(q, 16)), wv));
    s2 = f32x4.add(s2, f32x4.mul(f32x4.add(v128.load(p, 32), v128.load(q, 32)), wv));
    s3 = f32x4.add(s3, f32x4.mul(f32x4.add(v128.load(p, 48), v128.load(q, 48)), wv));
    p += cb;
    q -= cb;
  }
  const magic = f32x4.splat(MAGIC);
  const e = f32x4.splat(bound);
  const ok = v128.and(v128.and(settled(s0, magic, e), settled(s1, magic, e)), v128.and(settled(s2, magic, e), settled(s3, magic, e)));
  if (!i32x4.all_true(ok)) return false;
  // The rounded values sit in the low bits of acc + MAGIC: subtract MAGIC's bits.
  const base = i32x4.splat(0x4b400000);
  const q0 = i32x4.sub(f32x4.add(s0, magic), base), q1 = i32x4.sub(f32x4.add(s1, magic), base);
  const q2 = i32x4.sub(f32x4.add(s2, magic), base), q3 = i32x4.sub(f32x4.add(s3, magic), base);
  v128.store(d + <usize>b, i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_s(q0, q1), i16x8.narrow_i32x4_s(q2, q3)));
  return true;
}

/** The 64-bit pass for any weights: 16 outputs at byte b, i64 products of i32 values and weights. */
function horizontalGeneral(row: usize, b: i32, c: i32, kx: i32, wx: usize, d: usize): void {
  let s0 = i64x2.splat(0), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
  for (let j = 0; j < kx; j++) {
    const wt = load<i32>(wx + (<usize>j << 2));
    if (wt == 0) continue;
    const wv = i32x4.splat(wt);
    const p = row + (<usize>(b + j * c) << 2);
    const v0 = v128.load(p), v1 = v128.load(p, 16), v2 = v128.load(p, 32), v3 = v128.load(p, 48);
    s0 = i64x2.add(s0, i64x2.extmul_low_i32x4_s(v0, wv));
    s1 = i64x2.add(s1, i64x2.extmul_high_i32x4_s(v0, wv));
    s2 = i64x2.add(s2, i64x2.extmul_low_i32x4_s(v1, wv));
    s3 = i64x2.add(s3, i64x2.extmul_high_i32x4_s(v1, wv));
    s4 = i64x2.add(s4, i64x2.extmul_low_i32x4_s(v2, wv));
    s5 = i64x2.add(s5, i64x2.extmul_high_i32x4_s(v2, wv));
    s6 = i64x2.add(s6, i64x2.extmul_low_i32x4_s(v3, wv));
    s7 = i64x2.add(s7, i64x2.extmul_high_i32x4_s(v3, wv));
  }
  const half = i64x2.splat(HALF);
  const q0 = packSigned(s0, s1, half);
  const q1 = packSigned(s2, s3, half);
  const q2 = packSigned(s4, s5, half);
  const q3 = packSigned(s6, s7, half);
  v128.store(d + <usize>b, i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_u(q0, q1), i16x8.narrow_i32x4_u(q2, q3)));
}

/** (a + half) >> 53 of two i64x2 sums of any sign, the low words packed as one i32x4. */
// @ts-ignore: decorator
@inline function packSigned(a: v128, b: v128, half: v128): v128 {
  const x = i64x2.shr_s(i64x2.add(a, half), <i32>SHIFT);
  const y = i64x2.shr_s(i64x2.add(b, half), <i32>SHIFT);
  return i32x4.shuffle(x, y, 0, 2, 4, 6);
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

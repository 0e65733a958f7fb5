// Separable resize with Pillow's fixed-point weights (src/libImaging/Resample.c), so the
// bytes equal Pillow's. Float math appears only while building the weight tables; every
// pixel is integer arithmetic. One entry point serves resize, resizedCrop and the fused
// training recipe: crop box -> resize -> window -> optional flips -> u8 or CHW f32 out.
//
// Speed notes (measured; see bench/kernel-micro.ts). The horizontal pass splits each source
// row into planes and computes four outputs of a channel per vector: an i8x16.swizzle with
// a precomputed mask gathers each output's two taps as i16 pairs, dotted with 11-bit halves
// of the 22-bit weights (exact). When some group of four outputs spans more than 16 source
// samples (downscales past ~3x), the sliding variant reads a fresh 16-sample window two
// samples further on each step (one more load per plane per step, ~1.5x faster at 1024 ->
// 224 than the per-pixel pass); past ~4.7x the per-pixel pass below runs. Vector reads run
// up to 60 bytes past the last source pixel; the host's arena leaves 64 after every block.
// V8 builds the constant of an i8x16.shuffle it cannot map to one instruction through
// general registers at every use, so hot loops use swizzles with masks loaded from MASKS.
// The vertical pass keeps i32x4.mul: the same dot trick on row pairs measured no faster.

import { hflip } from "./geometry";
import { emitTensorRow, tensorTables } from "./tensor";
import { torchCoefficients, torchNearest, torchNearestTable } from "./torchresize";

export const FILTER_NEAREST: i32 = 0;
export const FILTER_BILINEAR: i32 = 1;
export const FILTER_BICUBIC: i32 = 2;

export const FLAG_HFLIP: i32 = 1;
export const FLAG_VFLIP: i32 = 2;
export const FLAG_TENSOR: i32 = 4;
/** torch's uint8 resize instead of Pillow's ("tensor" semantics; torchresize.ts). */
export const FLAG_TORCH: i32 = 8;
/** With FLAG_TENSOR: bytes to f32 as v * float(1 / 255) (v2's ToDtype(scale=True)), not v / 255. */
export const FLAG_SCALE_MUL: i32 = 16;

const PRECISION_BITS: i32 = 22; // 32 - 8 - 2, as Pillow
const HALF: i32 = 1 << (PRECISION_BITS - 1);
const SPLIT: i32 = 11;
const LOW: i32 = (1 << SPLIT) - 1;

function support(filter: i32): f64 {
  return filter == FILTER_BICUBIC ? 2.0 : 1.0;
}

function weight(filter: i32, x: f64): f64 {
  if (x < 0.0) x = -x;
  if (filter == FILTER_BILINEAR) return x < 1.0 ? 1.0 - x : 0.0;
  const a = -0.5;
  if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
  if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
  return 0.0;
}

function filterScale(inSize: i32, outSize: i32, antialias: bool): f64 {
  const scale = <f64>inSize / <f64>outSize;
  return antialias && scale > 1.0 ? scale : 1.0;
}

/** Taps per output sample, rounded up to a multiple of 4 so rows of weights are vector-aligned. */
function kstride(inSize: i32, outSize: i32, filter: i32, antialias: bool): i32 {
  const ksize = <i32>Math.ceil(support(filter) * filterScale(inSize, outSize, antialias)) * 2 + 1;
  return (ksize + 3) & ~3;
}

/** Taps whose f64 weights `coefficients` keeps between its sum and its normalisation (single-threaded kernel). */
const WEIGHTS_MAX: i32 = 64;
const WEIGHTS: usize = memory.data(WEIGHTS_MAX * 8, 16);

/**
 * Pillow's precompute_coeffs + normalize_coeffs_8bpc for outputs [first, first + n) of a
 * resize inSize -> outSize. Writes (xmin, count) pairs to `bounds` and `stride` i32
 * weights per output (zero past count) to `coeffs`.
 */
export function coefficients(inSize: i32, outSize: i32, filter: i32, antialias: bool, first: i32, n: i32, stride: i32, bounds: usize, coeffs: usize): void {
  const scale = <f64>inSize / <f64>outSize;
  const fscale = filterScale(inSize, outSize, antialias);
  const sup = support(filter) * fscale;
  const ss = 1.0 / fscale;
  for (let i = 0; i < n; i++) {
    const xx = first + i;
    const center = (<f64>xx + 0.5) * scale;
    let xmin = <i32>(center - sup + 0.5);
    if (xmin < 0) xmin = 0;
    let xmax = <i32>(center + sup + 0.5);
    if (xmax > inSize) xmax = inSize;
    xmax -= xmin;
    const k = coeffs + <usize>i * <usize>stride * 4;
    // Each tap's weight is evaluated once (kept in WEIGHTS) when the taps fit there.
    const keep = xmax <= WEIGHTS_MAX;
    let ww = 0.0;
    for (let x = 0; x < xmax; x++) {
      const w = weight(filter, (<f64>(x + xmin) - center + 0.5) * ss);
      if (keep) store<f64>(WEIGHTS + (<usize>x << 3), w);
      ww += w;
    }
    for (let x = 0; x < stride; x++) {
      let fixed: i32 = 0;
      if (x < xmax) {
        let w = keep ? load<f64>(WEIGHTS + (<usize>x << 3)) : weight(filter, (<f64>(x + xmin) - center + 0.5) * ss);
        if (ww != 0.0) w /= ww;
        fixed = w < 0 ? <i32>(-0.5 + w * <f64>(1 << PRECISION_BITS)) : <i32>(0.5 + w * <f64>(1 << PRECISION_BITS));
      }
      store<i32>(k + (<usize>x << 2), fixed);
    }
    store<i32>(bounds + (<usize>i << 3), xmin);
    store<i32>(bounds + (<usize>i << 3), xmax, 4);
  }
}

/**
 * Byte masks for i8x16.swizzle (V8 builds the constant of an i8x16.shuffle it cannot match
 * to one instruction through general registers, every time; a swizzle mask loaded from
 * here is one load). 0: four pixels' planes -> RGB; 1: RGBA <-> planes of four pixels;
 * 2, 3: two RGB / RGBA pixels' channels as (first, second) i16 pairs.
 */
const MASKS: usize = memory.data<u8>([
  0x00, 0x04, 0x08, 0x01, 0x05, 0x09, 0x02, 0x06, 0x0a, 0x03, 0x07, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
  0x00, 0x04, 0x08, 0x0c, 0x01, 0x05, 0x09, 0x0d, 0x02, 0x06, 0x0a, 0x0e, 0x03, 0x07, 0x0b, 0x0f,
  0x00, 0x80, 0x03, 0x80, 0x01, 0x80, 0x04, 0x80, 0x02, 0x80, 0x05, 0x80, 0x80, 0x80, 0x80, 0x80,
  0x00, 0x80, 0x04, 0x80, 0x01, 0x80, 0x05, 0x80, 0x02, 0x80, 0x06, 0x80, 0x03, 0x80, 0x07, 0x80,
]);

// @ts-ignore: decorator
@inline function mask(i: i32): v128 {
  return v128.load(MASKS + (<usize>i << 4));
}

// @ts-ignore: decorator
@inline function widen4(p: usize): v128 {
  return i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(p)));
}

// @ts-ignore: decorator
@inline function clip8x4(acc: v128): v128 {
  const s = i32x4.shr_s(acc, PRECISION_BITS);
  const n = i16x8.narrow_i32x4_s(s, s);
  return i8x16.narrow_i16x8_u(n, n);
}

/**
 * Horizontal pass over `rows` rows starting at `src` (row stride `srcStride` bytes, first
 * column already offset): writes `n` output pixels per row to tmp (stride n * c).
 */
function horizontal(src: usize, srcStride: usize, rows: i32, c: i32, n: i32, bounds: usize, coeffs: usize, stride: i32, tmp: usize): void {
  const outStride = <usize>(n * c);
  const kbytes = <usize>stride * 4;
  for (let r = 0; r < rows; r++) {
    const s = src + <usize>r * srcStride;
    const t = tmp + <usize>r * outStride;
    if (c == 1) {
      for (let x = 0; x < n; x++) {
        const xmin = load<i32>(bounds + (<usize>x << 3));
        const cnt = load<i32>(bounds + (<usize>x << 3), 4);
        const k = coeffs + <usize>x * kbytes;
        const p = s + <usize>xmin;
        let acc = i32x4.splat(0);
        // Weights past `cnt` are zero, so whole groups of four are safe to add.
        for (let j = 0; j < cnt; j += 4) {
          acc = i32x4.add(acc, i32x4.mul(widen4(p + <usize>j), v128.load(k + (<usize>j << 2))));
        }
        const sum = HALF + i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
        let v = sum >> PRECISION_BITS;
        v = v < 0 ? 0 : v > 255 ? 255 : v;
        store<u8>(t + <usize>x, <u8>v);
      }
    } else {
      // One pixel (3 or 4 channels) per vector, two taps per step: the channels of both
      // taps' pixels interleaved as i16 and dotted with the (high, low) halves of the two
      // weights (see splitPairs). A 3-channel store spills one byte onto the next pixel,
      // which is written right after.
      const half = i32x4.splat(HALF);
      const pairs = mask(c == 4 ? 3 : 2);
      for (let x = 0; x < n; x++) {
        const xmin = load<i32>(bounds + (<usize>x << 3));
        const cnt = load<i32>(bounds + (<usize>x << 3), 4);
        const k = coeffs + <usize>x * kbytes;
        let p = s + <usize>(xmin * c);
        let hi = i32x4.splat(0);
        let lo = i32x4.splat(0);
        const step = <usize>(2 * c);
        for (let j = 0; j < cnt; j += 2) {
          const v = i8x16.swizzle(v128.load64_zero(p), pairs);
          const q = k + (<usize>j << 2);
          hi = i32x4.add(hi, i32x4.dot_i16x8_s(v, v128.load32_splat(q)));
          lo = i32x4.add(lo, i32x4.dot_i16x8_s(v, v128.load32_splat(q, 4)));
          p += step;
        }
        const acc = i32x4.add(i32x4.add(i32x4.shl(hi, SPLIT), lo), half);
        v128.store32_lane(t + <usize>(x * c), clip8x4(acc), 0);
      }
    }
  }
}

/** Most tap pairs per output the grouped horizontal pass takes (16 source samples). */
const GROUP_STEPS: i32 = 8;
/** Bytes per (group, step) in the grouped tables: swizzle mask, high and low weight pairs. */
const STEP_BYTES: i32 = 48;

/**
 * Tables for `horizontalGrouped`: outputs in groups of four, each group reading one 16-byte
 * window of a plane starting at the first output's xmin (i32 per group to `gbase`). For
 * each step s (taps 2s and 2s + 1 of all four outputs) 48 bytes to `gtab`: an i8x16.swizzle
 * mask picking each output's two samples as zero-extended i16s (0x80, i.e. zero, past its
 * count), then the four outputs' weight pairs as i16 (w >> 11) and as i16 (w & 2047), so
 * that one i32x4.dot_i16x8_s per half computes two taps of four outputs exactly.
 * Returns the step count, or 0 when some group's taps span more than 16 samples.
 */
function groupTables(n: i32, bounds: usize, coeffs: usize, stride: i32, gbase: usize, gtab: usize): i32 {
  let most = 0;
  for (let x = 0; x < n; x++) most = max(most, load<i32>(bounds + (<usize>x << 3), 4));
  const steps = (most + 1) >> 1;
  if (steps > GROUP_STEPS) return 0;
  const groups = (n + 3) >> 2;
  for (let g = 0; g < groups; g++) {
    const x0 = g << 2;
    const base = load<i32>(bounds + (<usize>x0 << 3));
    store<i32>(gbase + (<usize>g << 2), base);
    for (let i = 0; i < 4; i++) {
      const x = x0 + i;
      const off = x < n ? load<i32>(bounds + (<usize>x << 3)) - base : 0;
      const cnt = x < n ? load<i32>(bounds + (<usize>x << 3), 4) : 0;
      if (off + cnt > 16) return 0;
      const k = coeffs + <usize>x * <usize>stride * 4;
      for (let j = 0; j < steps * 2; j++) {
        const q = gtab + <usize>((g * steps + (j >> 1)) * STEP_BYTES + i * 4 + (j & 1) * 2);
        const w = j < cnt ? load<i32>(k + (<usize>j << 2)) : 0;
        store<u8>(q, j < cnt ? <u8>(off + j) : 0x80);
        store<u8>(q, 0x80, 1);
        store<i16>(q, <i16>(w >> SPLIT), 16);
        store<i16>(q, <i16>(w & LOW), 32);
      }
    }
  }
  return steps;
}

/** Most a group's later outputs may start past its first (its swizzle mask reads 16 bytes). */
const GROUP_REACH: i32 = 14;

/** Bytes of one group's tables for `steps` tap pairs: the swizzle mask, then 32 per step. */
function groupBytes(steps: i32): usize {
  return 16 + <usize>steps * 32;
}

/**
 * Tables for `horizontalSliding`, for downscales whose groups of four outputs span more
 * than 16 samples: outputs in groups of four, each group's first output's
 * xmin (i32 per group to `gbase`) and, per group to `gtab`, an i8x16.swizzle mask that
 * picks each output's two samples at its offset from that xmin as zero-extended i16s, then
 * for each step s (taps 2s and 2s + 1 of all four outputs) the four outputs' weight pairs as
 * i16 (w >> 11) and as i16 (w & 2047), so that one i32x4.dot_i16x8_s per half computes two
 * taps of four outputs exactly. Step s reads the 16 samples from xmin + 2s: the mask is the
 * same for every step, and weights past an output's count are zero, so whatever those
 * samples are adds nothing. Returns the step count, or 0 when some group's outputs start
 * more than GROUP_REACH samples apart (downscales past ~4.7x).
 */
function slideTables(n: i32, bounds: usize, coeffs: usize, stride: i32, gbase: usize, gtab: usize): i32 {
  let most = 0;
  for (let x = 0; x < n; x++) most = max(most, load<i32>(bounds + (<usize>x << 3), 4));
  const steps = (most + 1) >> 1;
  const groups = (n + 3) >> 2;
  const gbytes = groupBytes(steps);
  for (let g = 0; g < groups; g++) {
    const x0 = g << 2;
    const base = load<i32>(bounds + (<usize>x0 << 3));
    store<i32>(gbase + (<usize>g << 2), base);
    const t = gtab + <usize>g * gbytes;
    for (let i = 0; i < 4; i++) {
      const x = x0 + i;
      const off = x < n ? load<i32>(bounds + (<usize>x << 3)) - base : 0;
      const cnt = x < n ? load<i32>(bounds + (<usize>x << 3), 4) : 0;
      if (off > GROUP_REACH) return 0;
      store<u32>(t + <usize>(i * 4), <u32>off | 0x8000 | (<u32>(off + 1) << 16) | 0x80000000);
      const k = coeffs + <usize>x * <usize>stride * 4;
      for (let j = 0; j < steps * 2; j++) {
        const q = t + 16 + <usize>((j >> 1) * 32 + i * 4 + (j & 1) * 2);
        const w = j < cnt ? load<i32>(k + (<usize>j << 2)) : 0;
        store<i16>(q, <i16>(w >> SPLIT));
        store<i16>(q, <i16>(w & LOW), 16);
      }
    }
  }
  return steps;
}

// @ts-ignore: decorator
@inline function unpackLow(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
}

// @ts-ignore: decorator
@inline function high64(a: v128): v128 {
  return i64x2.shuffle(a, a, 1, 1);
}

/** Splits `n` pixels of `c` (3 or 4) interleaved channels at src into planes at dst, `ps` bytes apart. */
function deinterleave(src: usize, n: i32, c: i32, dst: usize, ps: usize): void {
  if (c == 3) {
    // Four perfect shuffles of the 48 bytes: each interleaves the first 24 with the last 24,
    // moving byte q to 2q mod 47, and 2^4 * (3i + ch) = 16 * ch + i (mod 47): plane order.
    // Unpacks are one instruction each in V8; swizzles with loaded masks are three.
    for (let x = 0; x < n; x += 16) {
      const p = src + <usize>(x * 3);
      const a0 = v128.load(p), b0 = v128.load(p, 16), c0 = v128.load(p, 32);
      const a1 = unpackLow(a0, high64(b0)), b1 = unpackLow(high64(a0), c0), c1 = unpackLow(b0, high64(c0));
      const a2 = unpackLow(a1, high64(b1)), b2 = unpackLow(high64(a1), c1), c2 = unpackLow(b1, high64(c1));
      const a3 = unpackLow(a2, high64(b2)), b3 = unpackLow(high64(a2), c2), c3 = unpackLow(b2, high64(c2));
      const d = dst + <usize>x;
      v128.store(d, unpackLow(a3, high64(b3)));
      v128.store(d + ps, unpackLow(high64(a3), c3));
      v128.store(d + ps * 2, unpackLow(b3, high64(c3)));
    }
  } else {
    const tr = mask(1);
    for (let x = 0; x < n; x += 16) {
      const p = src + <usize>(x * 4);
      // Each vector's four pixels as (r0..r3, g0..g3, b0..b3, a0..a3), then a 4x4 transpose of words.
      const t0 = i8x16.swizzle(v128.load(p), tr);
      const t1 = i8x16.swizzle(v128.load(p, 16), tr);
      const t2 = i8x16.swizzle(v128.load(p, 32), tr);
      const t3 = i8x16.swizzle(v128.load(p, 48), tr);
      const u0 = i32x4.shuffle(t0, t1, 0, 4, 1, 5);
      const u1 = i32x4.shuffle(t0, t1, 2, 6, 3, 7);
      const u2 = i32x4.shuffle(t2, t3, 0, 4, 1, 5);
      const u3 = i32x4.shuffle(t2, t3, 2, 6, 3, 7);
      const d = dst + <usize>x;
      v128.store(d, i64x2.shuffle(u0, u2, 0, 2));
      v128.store(d + ps, i64x2.shuffle(u0, u2, 1, 3));
      v128.store(d + ps * 2, i64x2.shuffle(u1, u3, 0, 2));
      v128.store(d + ps * 3, i64x2.shuffle(u1, u3, 1, 3));
    }
  }
}

// @ts-ignore: decorator
@inline function finish(hi: v128, lo: v128): v128 {
  return i32x4.shr_s(i32x4.add(i32x4.shl(hi, SPLIT), lo), PRECISION_BITS);
}

/**
 * The horizontal pass with `groupTables`' tables: per row, the planes (the row itself when
 * c == 1) are read 16 samples at a time and four outputs of every channel are computed per
 * vector, two taps per dot product. Stores of a group run up to 16 bytes past it (into the
 * next group, the next row, or the scratch's slack), all written before they are read.
 */
function horizontalGrouped(src: usize, srcStride: usize, rows: i32, c: i32, n: i32, span: i32, steps: i32, gbase: usize, gtab: usize, planes: usize, ps: usize, tmp: usize): void {
  horizontalPairs(src, srcStride, rows, c, n, span, steps, gbase, gtab, planes, ps, tmp, false);
}

/**
 * The horizontal pass with `slideTables`' tables: per row, the planes (the row itself when
 * c == 1) are read 16 samples at a time, sliding two samples per step, and four outputs of
 * every channel are computed per vector, two taps per dot product. Reads run up to
 * 2 * steps + 14 samples past the span (plane slack, or the arena's 64 bytes after the
 * source when c == 1); stores of a group run up to 16 bytes past it (into the next group,
 * the next row, or the scratch's slack), all written before they are read.
 */
function horizontalSliding(src: usize, srcStride: usize, rows: i32, c: i32, n: i32, span: i32, steps: i32, gbase: usize, gtab: usize, planes: usize, ps: usize, tmp: usize): void {
  horizontalPairs(src, srcStride, rows, c, n, span, steps, gbase, gtab, planes, ps, tmp, true);
}

/**
 * The two horizontal passes' one loop; `sliding` is a constant at each call, so each caller
 * compiles to its own loop.
 */
// @ts-ignore: decorator
@inline function horizontalPairs(src: usize, srcStride: usize, rows: i32, c: i32, n: i32, span: i32, steps: i32, gbase: usize, gtab: usize, planes: usize, ps: usize, tmp: usize, sliding: bool): void {
  const outStride = <usize>(n * c);
  const groups = (n + 3) >> 2;
  const gbytes = sliding ? groupBytes(steps) : <usize>(steps * STEP_BYTES);
  const out = mask(c == 3 ? 0 : 1);
  for (let r = 0; r < rows; r++) {
    const s = src + <usize>r * srcStride;
    const t = tmp + <usize>r * outStride;
    if (c == 1) {
      groupRow(s, 0, groups, steps, gbase, gtab, gbytes, t, out, sliding, 1);
      continue;
    }
    deinterleave(s, span, c, planes, ps);
    if (c == 3) groupRow(planes, ps, groups, steps, gbase, gtab, gbytes, t, out, sliding, 3);
    else groupRow(planes, ps, groups, steps, gbase, gtab, gbytes, t, out, sliding, 4);
  }
}

/**
 * One row of a horizontal pass over `ch` planes (a literal: 1, 3 or 4) `ps` bytes apart:
 * four outputs a group, two taps a dot product. A step of `groupTables`' tables is (swizzle
 * mask, weights) over the group's 16 samples read once; a step of `slideTables`' is the
 * weights over 16 samples read two further on, with the group's one mask.
 */
// @ts-ignore: decorator
@inline function groupRow(planes: usize, ps: usize, groups: i32, steps: i32, gbase: usize, gtab: usize, gbytes: usize, t: usize, out: v128, sliding: bool, ch: i32): void {
  const half = i32x4.splat(HALF);
  const zero = i32x4.splat(0);
  const step: usize = sliding ? 32 : STEP_BYTES;
  for (let g = 0; g < groups; g++) {
    let p = planes + <usize>load<i32>(gbase + (<usize>g << 2));
    let q = gtab + <usize>g * gbytes;
    const v0 = sliding ? zero : v128.load(p);
    const v1 = sliding || ch < 3 ? zero : v128.load(p + ps);
    const v2 = sliding || ch < 3 ? zero : v128.load(p + ps * 2);
    const v3 = sliding || ch < 4 ? zero : v128.load(p + ps * 3);
    const m1 = sliding ? v128.load(q) : zero;
    let h0 = zero, h1 = zero, h2 = zero, h3 = zero, l0 = half, l1 = half, l2 = half, l3 = half;
    for (let k = 0; k < steps; k++) {
      const m = sliding ? m1 : v128.load(q), wh = v128.load(q, 16), wl = v128.load(q, 32);
      const a0 = i8x16.swizzle(sliding ? v128.load(p) : v0, m);
      h0 = i32x4.add(h0, i32x4.dot_i16x8_s(a0, wh));
      l0 = i32x4.add(l0, i32x4.dot_i16x8_s(a0, wl));
      if (ch >= 3) {
        const a1 = i8x16.swizzle(sliding ? v128.load(p + ps) : v1, m);
        const a2 = i8x16.swizzle(sliding ? v128.load(p + ps * 2) : v2, m);
        h1 = i32x4.add(h1, i32x4.dot_i16x8_s(a1, wh));
        l1 = i32x4.add(l1, i32x4.dot_i16x8_s(a1, wl));
        h2 = i32x4.add(h2, i32x4.dot_i16x8_s(a2, wh));
        l2 = i32x4.add(l2, i32x4.dot_i16x8_s(a2, wl));
      }
      if (ch == 4) {
        const a3 = i8x16.swizzle(sliding ? v128.load(p + ps * 3) : v3, m);
        h3 = i32x4.add(h3, i32x4.dot_i16x8_s(a3, wh));
        l3 = i32x4.add(l3, i32x4.dot_i16x8_s(a3, wl));
      }
      if (sliding) p += 2;
      q += step;
    }
    if (ch == 1) {
      const r0 = finish(h0, l0);
      const b = i16x8.narrow_i32x4_s(r0, r0);
      v128.store32_lane(t + <usize>(g << 2), i8x16.narrow_i16x8_u(b, b), 0);
    } else if (ch == 3) {
      const r2 = finish(h2, l2);
      const b = i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_s(finish(h0, l0), finish(h1, l1)), i16x8.narrow_i32x4_s(r2, r2));
      v128.store(t + <usize>(g * 12), i8x16.swizzle(b, out));
    } else {
      const b = i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_s(finish(h0, l0), finish(h1, l1)), i16x8.narrow_i32x4_s(finish(h2, l2), finish(h3, l3)));
      v128.store(t + <usize>(g << 4), i8x16.swizzle(b, out));
    }
  }
}

/**
 * Rewrites each pair of i32 weights (a, b) of `n` rows of `stride` weights in place as two
 * words of i16 pairs: (a >> 11, b >> 11) and (a & 2047, b & 2047). Then
 * p*a + q*b == ((p*ah + q*bh) << 11) + (p*al + q*bl) exactly, and each half is one
 * i32x4.dot_i16x8_s: Pillow's 22-bit weights at the speed of 16-bit ones.
 */
function splitPairs(coeffs: usize, n: i32, stride: i32): void {
  const total = n * stride;
  for (let i = 0; i < total; i += 2) {
    const q = coeffs + (<usize>i << 2);
    const a = load<i32>(q);
    const b = load<i32>(q, 4);
    store<u32>(q, (<u32>(a >> SPLIT) & 0xffff) | (<u32>(b >> SPLIT) << 16));
    store<u32>(q, <u32>(a & LOW) | (<u32>(b & LOW) << 16), 4);
  }
}

/** Vertical pass for one output row: `cnt` taps from rows `ymin..` of src (stride bytes). */
function vertical(src: usize, srcStride: usize, rowBytes: i32, ymin: i32, cnt: i32, k: usize, out: usize): void {
  const half = i32x4.splat(HALF);
  const base = src + <usize>ymin * srcStride;
  for (let i = 0; i < rowBytes; i += 16) {
    let a0 = half, a1 = half, a2 = half, a3 = half;
    let p = base + <usize>i;
    for (let j = 0; j < cnt; j++) {
      const v = v128.load(p);
      const w = i32x4.splat(load<i32>(k + (<usize>j << 2)));
      const lo = i16x8.extend_low_i8x16_u(v);
      const hi = i16x8.extend_high_i8x16_u(v);
      a0 = i32x4.add(a0, i32x4.mul(i32x4.extend_low_i16x8_u(lo), w));
      a1 = i32x4.add(a1, i32x4.mul(i32x4.extend_high_i16x8_u(lo), w));
      a2 = i32x4.add(a2, i32x4.mul(i32x4.extend_low_i16x8_u(hi), w));
      a3 = i32x4.add(a3, i32x4.mul(i32x4.extend_high_i16x8_u(hi), w));
      p += srcStride;
    }
    const n0 = i16x8.narrow_i32x4_s(i32x4.shr_s(a0, PRECISION_BITS), i32x4.shr_s(a1, PRECISION_BITS));
    const n1 = i16x8.narrow_i32x4_s(i32x4.shr_s(a2, PRECISION_BITS), i32x4.shr_s(a3, PRECISION_BITS));
    v128.store(out + <usize>i, i8x16.narrow_i16x8_u(n0, n1));
  }
}

/** Pillow's nearest: source index = trunc of an accumulated (i + 0.5) * scale, -1 outside. */
export function nearestTable(inSize: i32, outSize: i32, first: i32, n: i32, table: usize): void {
  const a = <f64>inSize / <f64>outSize;
  let xo = a * 0.5;
  for (let i = 0; i < first; i++) xo += a;
  for (let i = 0; i < n; i++) {
    const xin = xo < 0.0 ? -1 : <i32>xo;
    store<i32>(table + (<usize>i << 2), xin >= 0 && xin < inSize ? xin : -1);
    xo += a;
  }
}

function emitRow(row: usize, ww: i32, wh: i32, c: i32, y: i32, flags: i32, tables: usize, dst: usize): void {
  const yo = flags & FLAG_VFLIP ? wh - 1 - y : y;
  const mirror = (flags & FLAG_HFLIP) != 0;
  if (flags & FLAG_TENSOR) {
    emitTensorRow(row, ww, c, tables, dst, ww, wh, yo, mirror);
  } else if (mirror) {
    hflip(row, ww, 1, c, dst + <usize>yo * <usize>(ww * c));
  } else {
    memory.copy(dst + <usize>yo * <usize>(ww * c), row, <usize>(ww * c));
  }
}

function align16(n: usize): usize {
  return (n + 15) & ~<usize>15;
}

/** Bytes of scratch `resample` needs for these arguments. */
export function resampleScratch(bw: i32, bh: i32, ow: i32, oh: i32, ww: i32, wh: i32, c: i32, filter: i32, antialias: bool): usize {
  if (filter == FILTER_NEAREST) return align16(<usize>ww * 4) + align16(<usize>(ww * c) + 16);
  const kh = kstride(bw, ow, filter, antialias);
  const kv = kstride(bh, oh, filter, antialias);
  return align16(<usize>ww * 8) + align16(<usize>ww * <usize>kh * 4)
    + align16(<usize>wh * 8) + align16(<usize>wh * <usize>kv * 4)
    + align16(<usize>bh * <usize>(ww * c) + 16) + align16(<usize>(ww * c) + 16)
    + groupScratch(bw, ww, kh, c);
}

/** Bytes of the grouped horizontal pass's tables and planes (see groupTables). */
function groupScratch(bw: i32, ww: i32, kh: i32, c: i32): usize {
  const groups = <usize>((ww + 3) >> 2);
  const tables = max(<usize>(min(GROUP_STEPS, kh >> 1) * STEP_BYTES), groupBytes(kh >> 1));
  return align16(groups * 4) + groups * tables + <usize>c * planeStride(bw, kh);
}

/** Bytes per plane: the box's width, what sliding reads run past it (kh + 15), and rounding. */
function planeStride(bw: i32, kh: i32): usize {
  return align16(<usize>(bw + kh + 32));
}

/**
 * Resizes the box (bl, bt, bw, bh) of src (sw x sh, c channels; the box lies inside) to
 * ow x oh, keeps the window (wl, wt, ww, wh) of that result, applies the flips in `flags`
 * and writes u8 HWC, or f32 CHW normalised by `norm` (c means, c stds) when FLAG_TENSOR is set. Byte for byte the
 * same as crop -> Pillow resize -> crop -> flip -> ToTensor/Normalize done one by one.
 */
export function resample(
  src: usize, sw: i32, sh: i32, c: i32,
  bl: i32, bt: i32, bw: i32, bh: i32,
  ow: i32, oh: i32,
  wl: i32, wt: i32, ww: i32, wh: i32,
  filter: i32, antialias: bool, flags: i32, norm: usize, dst: usize, scratch: usize,
): void {
  const srcStride = <usize>sw * <usize>c;
  const box = src + <usize>bt * srcStride + <usize>(bl * c);
  const rowBytes = ww * c;
  const tables = flags & FLAG_TENSOR ? tensorTables(c, norm, (flags & FLAG_SCALE_MUL) != 0) : 0;
  if (filter == FILTER_NEAREST) {
    const xs = scratch;
    const row = scratch + align16(<usize>ww * 4);
    const torch = (flags & FLAG_TORCH) != 0;
    if (torch) torchNearestTable(bw, ow, wl, ww, xs);
    else nearestTable(bw, ow, wl, ww, xs);
    const a = <f64>bh / <f64>oh;
    let yo = a * 0.5;
    for (let i = 0; i < wt; i++) yo += a;
    for (let y = 0; y < wh; y++) {
      const yi = torch ? torchNearest(bh, oh, wt + y) : yo < 0.0 ? -1 : <i32>yo;
      if (yi >= 0 && yi < bh) {
        const s = box + <usize>yi * srcStride;
        for (let x = 0; x < ww; x++) {
          const xi = load<i32>(xs + (<usize>x << 2));
          const d = row + <usize>(x * c);
          if (xi < 0) {
            for (let k = 0; k < c; k++) store<u8>(d + k, 0);
          } else {
            const q = s + <usize>(xi * c);
            for (let k = 0; k < c; k++) store<u8>(d + k, load<u8>(q + k));
          }
        }
      } else {
        memory.fill(row, 0, <usize>rowBytes);
      }
      emitRow(row, ww, wh, c, y, flags, tables, dst);
      yo += a;
    }
    return;
  }

  const needH = ow != bw;
  const needV = oh != bh;
  const kh = kstride(bw, ow, filter, antialias);
  const kv = kstride(bh, oh, filter, antialias);
  const xb = scratch;
  const xk = xb + align16(<usize>ww * 8);
  const yb = xk + align16(<usize>ww * <usize>kh * 4);
  const yk = yb + align16(<usize>wh * 8);
  const tmp = yk + align16(<usize>wh * <usize>kv * 4);
  const row = tmp + align16(<usize>bh * <usize>rowBytes + 16);

  // Rows of the box the vertical pass reads: [first, last).
  let first = wt;
  let last = wt + wh;
  if (needV) {
    if (flags & FLAG_TORCH) torchCoefficients(bh, oh, filter, antialias, wt, wh, kv, yb, yk);
    else coefficients(bh, oh, filter, antialias, wt, wh, kv, yb, yk);
    first = load<i32>(yb);
    last = load<i32>(yb + (<usize>(wh - 1) << 3)) + load<i32>(yb + (<usize>(wh - 1) << 3), 4);
  }
  let mid = box + <usize>first * srcStride + <usize>(wl * c);
  let midStride = srcStride;
  if (needH) {
    if (flags & FLAG_TORCH) torchCoefficients(bw, ow, filter, antialias, wl, ww, kh, xb, xk);
    else coefficients(bw, ow, filter, antialias, wl, ww, kh, xb, xk);
    const gbase = row + align16(<usize>rowBytes + 16);
    const gtab = gbase + align16(<usize>((ww + 3) >> 2) * 4);
    let steps = c == 2 ? 0 : groupTables(ww, xb, xk, kh, gbase, gtab);
    const slide = steps == 0 && c != 2;
    if (slide) steps = slideTables(ww, xb, xk, kh, gbase, gtab);
    const hsrc = box + <usize>first * srcStride;
    if (steps > 0) {
      // Source columns the window's outputs read: [xmin of the first, end of the last).
      const x0 = load<i32>(xb);
      const span = load<i32>(xb + (<usize>(ww - 1) << 3)) + load<i32>(xb + (<usize>(ww - 1) << 3), 4) - x0;
      for (let g = 0; g < (ww + 3) >> 2; g++) store<i32>(gbase + (<usize>g << 2), load<i32>(gbase + (<usize>g << 2)) - x0);
      const groups = <usize>((ww + 3) >> 2);
      const ps = planeStride(bw, kh);
      if (slide) {
        horizontalSliding(hsrc + <usize>(x0 * c), srcStride, last - first, c, ww, span, steps, gbase, gtab, gtab + groups * groupBytes(steps), ps, tmp);
      } else {
        horizontalGrouped(hsrc + <usize>(x0 * c), srcStride, last - first, c, ww, span, steps, gbase, gtab, gtab + groups * <usize>(steps * STEP_BYTES), ps, tmp);
      }
    } else {
      if (c != 1) splitPairs(xk, ww, kh);
      horizontal(hsrc, srcStride, last - first, c, ww, xb, xk, kh, tmp);
    }
    mid = tmp;
    midStride = <usize>rowBytes;
  }
  for (let y = 0; y < wh; y++) {
    let out = mid + <usize>y * midStride;
    if (needV) {
      const ymin = load<i32>(yb + (<usize>y << 3)) - first;
      const cnt = load<i32>(yb + (<usize>y << 3), 4);
      if (!(flags & (FLAG_TENSOR | FLAG_HFLIP | FLAG_VFLIP)) && y + 1 < wh) {
        // u8 out, unmirrored: straight into its row. The pass stores whole vectors, up to 15
        // bytes into the next row, which is written after; the last row goes through `row`.
        vertical(mid, midStride, rowBytes, ymin, cnt, yk + <usize>y * <usize>kv * 4, dst + <usize>y * <usize>rowBytes);
        continue;
      }
      vertical(mid, midStride, rowBytes, ymin, cnt, yk + <usize>y * <usize>kv * 4, row);
      out = row;
    }
    emitRow(out, ww, wh, c, y, flags, tables, dst);
  }
}

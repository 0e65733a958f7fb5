// torch's uint8 resize (aten/src/ATen/native/cpu/UpSampleKernel.cpp and its AVX path,
// UpSampleKernelAVXAntialias.h), which torchvision v2 uses for uint8 tensors: the
// "tensor" semantics of resize. It is Pillow-SIMD's algorithm (a horizontal pass over
// every needed row into clipped u8, then a vertical pass; sums of u8 * int16 weights in
// i32, rounded by 2^(p - 1) and shifted by the weights' precision p), so resample.ts runs
// it with these tables: each int16 weight w is handed over as w << (22 - p), for which its
// 22-bit arithmetic gives (sum w * v + 2^(p - 1)) >> p exactly (p <= 15, |sum| < 2^31).
//
// The weights, per torch (computed in binary64, then quantised):
// - antialias: support = (bilinear 1, bicubic 2) * max(scale, 1), centre = scale * (i + 0.5),
//   xmin = max(int(centre - support + 0.5), 0), count = min(int(centre + support + 0.5),
//   in) - xmin (at most ceil(support) * 2 + 1), w_j = filter((j + xmin - centre + 0.5) /
//   max(scale, 1)) normalised by their sum (bicubic with a = -0.5, as Pillow);
// - no antialias: torch's float-path indices: x = scale * (i + 0.5) - 0.5 (bilinear: at
//   least 0), index = min(floorf(x), in - 1) (floorf: rounded to binary32 first),
//   lambda = clamp(x - index, 0, 1), taps index - support + 1 .. index + support with
//   out-of-range taps' weights added to the nearest edge tap (bicubic with a = -0.75);
// - precision p: the largest p < 22 with int(0.5 + wmax * 2^(p + 1)) < 2^15, wmax the
//   largest weight (for no antialias, the largest running sum of an edge tap) over the axis;
//   w16 = int(w * 2^p +- 0.5).
// Nearest: torch's `nearest` (not nearest-exact): index = min(floorf(i * float(in / out)),
// in - 1), in binary32; i when in == out, i >> 1 when out == 2 * in.

const FILTER_BICUBIC: i32 = 2; // resample.ts's numbering

// @ts-ignore: decorator
@inline function cubic1(x: f64, a: f64): f64 {
  return ((a + 2) * x - (a + 3)) * x * x + 1;
}

// @ts-ignore: decorator
@inline function cubic2(x: f64, a: f64): f64 {
  return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
}

/** torch's aa_filter: the triangle, or the cubic with a = -0.5 (antialias) or -0.75. */
function filterAt(filter: i32, x: f64, antialias: bool): f64 {
  if (x < 0.0) x = -x;
  if (filter != FILTER_BICUBIC) return x < 1.0 ? 1.0 - x : 0.0;
  const a = antialias ? -0.5 : -0.75;
  if (x < 1.0) return cubic1(x, a);
  if (x < 2.0) return cubic2(x, a);
  return 0.0;
}

// The weights of one output: wCount of them from input wStart; antialias weights are
// recomputed on demand by weightAt (the same operations give the same binary64 values),
// no-antialias ones (at most 4) are kept in W.
const W: usize = memory.data(8 * 4, 16);
let wStart: i32 = 0;
let wCount: i32 = 0;
let wMax: f64 = 0.0;
let aaCenter: f64 = 0.0;
let aaInvscale: f64 = 1.0;
let aaTotal: f64 = 0.0;
let aaFilter: i32 = 0;
let aaMode: bool = false;

/** Weight j of the output weightsOf last computed. */
function weightAt(j: i32): f64 {
  if (!aaMode) return load<f64>(W + (<usize>j << 3));
  const w = filterAt(aaFilter, (<f64>(j + wStart) - aaCenter + 0.5) * aaInvscale, true);
  return aaTotal != 0.0 ? w / aaTotal : w;
}

/**
 * Where output i's weights start (wStart), how many (wCount), and wMax: the largest
 * normalised weight (antialias) or the largest running edge sum (no antialias), as torch
 * tracks it for the precision.
 */
function weightsOf(inSize: i32, outSize: i32, filter: i32, antialias: bool, i: i32): void {
  const scale = <f64>inSize / <f64>outSize;
  const interp = filter == FILTER_BICUBIC ? 4 : 2;
  wMax = 0.0;
  aaMode = antialias;
  if (antialias) {
    const support = scale >= 1.0 ? <f64>interp * 0.5 * scale : <f64>interp * 0.5;
    const maxk = <i32>Math.ceil(support) * 2 + 1;
    aaInvscale = scale >= 1.0 ? 1.0 / scale : 1.0;
    aaCenter = scale * (<f64>i + 0.5);
    aaFilter = filter;
    let xmin = <i32>(aaCenter - support + 0.5);
    if (xmin < 0) xmin = 0;
    let xmax = <i32>(aaCenter + support + 0.5);
    if (xmax > inSize) xmax = inSize;
    let count = xmax - xmin;
    if (count < 0) count = 0;
    if (count > maxk) count = maxk;
    wStart = xmin;
    wCount = count;
    let total = 0.0;
    for (let j = 0; j < count; j++) total += filterAt(filter, (<f64>(j + xmin) - aaCenter + 0.5) * aaInvscale, true);
    aaTotal = total;
    if (total != 0.0) {
      for (let j = 0; j < count; j++) {
        const w = weightAt(j);
        if (w > wMax) wMax = w;
      }
    }
    return;
  }
  let x = scale * (<f64>i + 0.5) - 0.5;
  if (filter != FILTER_BICUBIC && x < 0.0) x = 0.0;
  let index = <i32>Mathf.floor(<f32>x);
  if (index > inSize - 1) index = inSize - 1;
  let lambda = x - <f64>index;
  if (lambda < 0.0) lambda = 0.0;
  if (lambda > 1.0) lambda = 1.0;
  const support = interp >> 1;
  const umin = index - support + 1;
  const umax = index + support + 1;
  const xmin = umin > 0 ? umin : 0;
  let count = (umax < inSize ? umax : inSize) - xmin;
  if (count < 0) count = 0;
  if (count > interp) count = interp;
  for (let j = 0; j < interp; j++) store<f64>(W + (<usize>j << 3), 0.0);
  let k = 0;
  for (let j = 0; j < interp; j++) {
    const w = filterAt(filter, <f64>(j + 1 - support) - lambda, false);
    if (umin + j <= 0) k = 0;
    else if (umin + j >= inSize - 1) k = count - 1;
    const s = load<f64>(W + (<usize>k << 3)) + w;
    store<f64>(W + (<usize>k << 3), s);
    if (s > wMax) wMax = s;
    k++;
  }
  wStart = xmin;
  wCount = count;
}

/** torch's weight precision for an axis resize inSize -> outSize. */
export function torchPrecision(inSize: i32, outSize: i32, filter: i32, antialias: bool): i32 {
  let most = 0.0;
  for (let i = 0; i < outSize; i++) {
    weightsOf(inSize, outSize, filter, antialias, i);
    if (wMax > most) most = wMax;
  }
  let p = 0;
  for (; p < 22; p++) {
    if (<i32>(0.5 + most * <f64>(1 << (p + 1))) >= (1 << 15)) break;
  }
  return p;
}

/**
 * resample.ts's coefficient layout for torch's weights: (xmin, count) pairs to `bounds`
 * and `stride` i32 per output (w16 << (22 - p), zero past count) to `coeffs`, for outputs
 * [first, first + n) of inSize -> outSize.
 */
export function torchCoefficients(inSize: i32, outSize: i32, filter: i32, antialias: bool, first: i32, n: i32, stride: i32, bounds: usize, coeffs: usize): void {
  const p = torchPrecision(inSize, outSize, filter, antialias);
  const scaleUp = 22 - p;
  const one = <f64>(1 << p);
  for (let i = 0; i < n; i++) {
    weightsOf(inSize, outSize, filter, antialias, first + i);
    const k = coeffs + <usize>i * <usize>stride * 4;
    for (let j = 0; j < stride; j++) {
      let fixed: i32 = 0;
      if (j < wCount) {
        const v = weightAt(j) * one;
        const w16 = <i32><i16>(v < 0 ? <i32>(-0.5 + v) : <i32>(0.5 + v));
        fixed = w16 << scaleUp;
      }
      store<i32>(k + (<usize>j << 2), fixed);
    }
    store<i32>(bounds + (<usize>i << 3), wStart);
    store<i32>(bounds + (<usize>i << 3), wCount, 4);
  }
}

/** torch's `nearest` source index of output i of inSize -> outSize. */
export function torchNearest(inSize: i32, outSize: i32, i: i32): i32 {
  if (outSize == inSize) return i;
  if (outSize == 2 * inSize) return i >> 1;
  const v = <i32>Mathf.floor(<f32>i * (<f32>inSize / <f32>outSize));
  return v > inSize - 1 ? inSize - 1 : v;
}

/** torch's `nearest` source indices for outputs [first, first + n) of inSize -> outSize. */
export function torchNearestTable(inSize: i32, outSize: i32, first: i32, n: i32, table: usize): void {
  for (let k = 0; k < n; k++) store<i32>(table + (<usize>k << 2), torchNearest(inSize, outSize, first + k));
}

// Tables the WebGPU backend uploads: computed here, once, by the same code as the wasm
// resampler, so the GPU's integer passes see exactly the weights and source indices the
// wasm passes use. The GPU never computes a float that reaches a pixel.

import { coefficients, nearestTable, FILTER_BICUBIC } from "./resample";
import { torchCoefficients, torchNearestTable } from "./torchresize";

/**
 * Taps per output sample that `gpuCoefficients` may write for a resize inSize -> outSize:
 * Pillow's ksize, the same bound as resample.ts's kstride before its rounding up to 4.
 */
export function gpuTaps(inSize: i32, outSize: i32, filter: i32, antialias: bool): i32 {
  const support = filter == FILTER_BICUBIC ? 2.0 : 1.0;
  const scale = <f64>inSize / <f64>outSize;
  const fscale = antialias && scale > 1.0 ? scale : 1.0;
  return <i32>Math.ceil(support * fscale) * 2 + 1;
}

/**
 * resample.ts's `coefficients` for outputs [first, first + n): (xmin, count) i32 pairs to
 * `bounds`, `stride` i32 22-bit weights per output (zero past count) to `coeffs`.
 * `stride` must be at least gpuTaps(...).
 */
export function gpuCoefficients(inSize: i32, outSize: i32, filter: i32, antialias: bool, first: i32, n: i32, stride: i32, bounds: usize, coeffs: usize): void {
  coefficients(inSize, outSize, filter, antialias, first, n, stride, bounds, coeffs);
}

/** Pillow's nearest source index for outputs [first, first + n) of inSize -> outSize, -1 outside: the wasm path's own table. */
export function gpuNearest(inSize: i32, outSize: i32, first: i32, n: i32, table: usize): void {
  nearestTable(inSize, outSize, first, n, table);
}

/** torch's uint8 resize weights ("tensor" semantics) in gpuCoefficients' layout: the wasm path's own table. */
export function gpuTorchCoefficients(inSize: i32, outSize: i32, filter: i32, antialias: bool, first: i32, n: i32, stride: i32, bounds: usize, coeffs: usize): void {
  torchCoefficients(inSize, outSize, filter, antialias, first, n, stride, bounds, coeffs);
}

/** torch's `nearest` source indices ("tensor" semantics) in gpuNearest's layout. */
export function gpuTorchNearest(inSize: i32, outSize: i32, first: i32, n: i32, table: usize): void {
  torchNearestTable(inSize, outSize, first, n, table);
}

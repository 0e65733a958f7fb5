// Tables the shaders read, all computed by the wasm kernel (assembly/gputables.ts and
// assembly/tensor.ts's buildLut) and uploaded as raw 32-bit words: the GPU never derives a
// weight, an index or a float value itself.
import { kernel } from "../kernel/instance.js";
import { FILTER, type KernelExports } from "../kernel/exports.js";
import type { Interpolation } from "../functional/args.js";
import type { Semantics } from "../functional/semantics.js";

function k(): KernelExports {
  return kernel().exports;
}

/** Resize weights of outputs [first, first + n) of inSize -> outSize: (xmin, count) pairs and `stride` i32 per output. */
export interface Weights {
  stride: number;
  bounds: Int32Array;
  coeffs: Int32Array;
}

/** Resize weights of outputs [first, first + n): Pillow's, or torch's uint8 ones for "tensor" (the wasm resampler's own tables either way). */
export function resizeWeights(
  inSize: number,
  outSize: number,
  interpolation: Interpolation,
  antialias: boolean,
  first: number,
  n: number,
  semantics: Semantics = "pil",
): Weights {
  const ex = k();
  const { arena } = kernel();
  const filter = FILTER[interpolation];
  const aa = antialias ? 1 : 0;
  const stride = ex.gpuTaps(inSize, outSize, filter, aa);
  arena.reset();
  const bounds = arena.alloc(n * 8);
  const coeffs = arena.alloc(n * stride * 4);
  if (semantics === "tensor") ex.gpuTorchCoefficients(inSize, outSize, filter, aa, first, n, stride, bounds, coeffs);
  else ex.gpuCoefficients(inSize, outSize, filter, aa, first, n, stride, bounds, coeffs);
  const u = arena.u32();
  return {
    stride,
    bounds: new Int32Array(u.buffer.slice(bounds, bounds + n * 8)),
    coeffs: new Int32Array(u.buffer.slice(coeffs, coeffs + n * stride * 4)),
  };
}

/** Nearest source indices of outputs [first, first + n) of inSize -> outSize: Pillow's (-1 outside), or torch's for "tensor". */
export function nearestIndices(inSize: number, outSize: number, first: number, n: number, semantics: Semantics = "pil"): Int32Array {
  const ex = k();
  const { arena } = kernel();
  arena.reset();
  const at = arena.alloc(n * 4);
  if (semantics === "tensor") ex.gpuTorchNearest(inSize, outSize, first, n, at);
  else ex.gpuNearest(inSize, outSize, first, n, at);
  return new Int32Array(arena.u32().buffer.slice(at, at + n * 4));
}

/** The kernel's ToTensor+Normalize table of one channel (v2's ToDtype(scale=True) for "tensor"): 256 f32 as their raw bits. */
export function lutBits(mean: number, std: number, semantics: Semantics = "pil"): Uint32Array {
  const { arena } = kernel();
  arena.reset();
  const at = arena.alloc(256 * 4);
  if (semantics === "tensor") k().buildLutScaled(mean, std, at);
  else k().buildLut(mean, std, at);
  return arena.u32().slice(at >>> 2, (at >>> 2) + 256);
}

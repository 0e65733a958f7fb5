// Gaussian blur (torchvision F.gaussian_blur on uint8 tensors) and LinearTransformation's
// matrix product, both computed in the kernel (assembly/filter.ts).
import { checkImage, checkTensor, describe, type Image, type Tensor } from "../image.js";
import { checkOptions, checkFinite, checkInt } from "./args.js";
import { chwOf, miscKernel } from "./erase.js";
import type { OutOptions } from "./geometry.js";
import { checkOut } from "./resample.js";

export { erase, gaussianNoise, type EraseValue, type EraseOptions, type GaussianNoiseOptions } from "./erase.js";

/** Largest kernel side accepted by {@link gaussianBlur}. */
export const MAX_KERNEL = 4095;
/** Fixed-point scales of the blur's vertical and horizontal weights (assembly/filter.ts). */
export const BLUR_BITS = { vertical: 23, horizontal: 30 } as const;

/** A per-axis argument as torchvision takes it: `v`, `[v]` or `[vx, vy]`, each checked by `one`; [x, y]. */
function perAxis(v: unknown, name: string, one: (x: unknown, n: string) => number, want: string): [number, number] {
  if (typeof v === "number") {
    const x = one(v, name);
    return [x, x];
  }
  if (Array.isArray(v) && (v.length === 1 || v.length === 2)) {
    const xs = v.map((x, i) => one(x, `${name}[${i}]`));
    return [xs[0]!, xs[xs.length - 1]!];
  }
  throw new TypeError(`${name} must be ${want}, got ${describe(v)}`);
}

function oddKernelSide(x: unknown, n: string): number {
  const k = checkInt(x, n, 1, MAX_KERNEL);
  if (k % 2 === 0) throw new RangeError(`${n} must be odd (torchvision requires odd, positive kernel sizes), got ${k}`);
  return k;
}

/** Checks a kernel size: an odd integer in [1, MAX_KERNEL], or [kx, ky] of them; returns [kx, ky]. */
export function checkKernelSize(v: unknown, name = "kernelSize"): [number, number] {
  return perAxis(v, name, oddKernelSide, "an odd positive integer or [kx, ky]");
}

/** Checks one sigma: finite, > 0, in [1e-30, 1e30] so it stays a positive normal f32. */
export function checkSigmaValue(v: unknown, name = "sigma"): number {
  const s = checkFinite(v, name);
  if (!(s >= 1e-30 && s <= 1e30)) throw new RangeError(`${name} must be > 0 (in [1e-30, 1e30]), got ${s}`);
  return s;
}

/** torchvision's sigma argument: a number, [s] or [sx, sy]; null/undefined gives 0.15 * k + 0.35 per axis. */
export function checkSigma(v: unknown, kernelSize: [number, number], name = "sigma"): [number, number] {
  if (v === undefined || v === null) return [kernelSize[0] * 0.15 + 0.35, kernelSize[1] * 0.15 + 0.35];
  return perAxis(v, name, checkSigmaValue, "a positive number or [sigmaX, sigmaY]");
}

/**
 * The kernel's quantised 1-D Gaussian: torchvision's _get_gaussian_kernel1d(k, sigma) in f32,
 * times 2^bits, rounded, summing to exactly 2^bits. For tests and inspection.
 */
export function gaussianKernel1d(k: number, sigma: number, bits: number): Int32Array {
  checkKernelSize(k, "k");
  checkSigmaValue(sigma);
  checkInt(bits, "bits", 1, 30);
  const { k: K, arena } = miscKernel();
  arena.reset();
  const at = arena.alloc(k * 4);
  K.gaussianWeights(k, sigma, bits, at);
  return new Int32Array(arena.u32().slice(at >>> 2, (at >>> 2) + k).buffer);
}

/**
 * Blurs an image with a Gaussian kernel (torchvision F.gaussian_blur on a uint8 tensor):
 * `kernelSize` is an odd k or [kx, ky]; `sigma` a number or [sigmaX, sigmaY] (default
 * 0.15 * k + 0.35, torchvision's code). Reflect padding; within 1 LSB of torchvision
 * (the kernel is fixed-point, torchvision float32). A kernel larger than the image repeats
 * the reflection where torchvision raises.
 */
export function gaussianBlur(img: Image, kernelSize: number | number[], sigma?: number | number[] | null, opts: OutOptions = {}): Image {
  opts = checkOptions(opts);
  img = checkImage(img);
  const [kx, ky] = checkKernelSize(kernelSize);
  const [sx, sy] = checkSigma(sigma, [kx, ky]);
  const { k, arena } = miscKernel();
  const { width: w, height: h, channels: c } = img;
  const n = img.data.length;
  arena.reset();
  const src = arena.put(img.data);
  const wx = arena.alloc(kx * 4);
  const wy = arena.alloc(ky * 4);
  k.gaussianWeights(kx, sx, BLUR_BITS.horizontal, wx);
  k.gaussianWeights(ky, sy, BLUR_BITS.vertical, wy);
  const scratch = arena.alloc(k.gaussianScratch(w, c, kx, ky));
  const dst = arena.alloc(n);
  k.gaussianBlur(src, w, h, c, kx, ky, wx, wy, scratch, dst);
  return { width: w, height: h, channels: c, data: arena.takeU8(dst, n, checkOut(opts.out, Uint8Array, n)) };
}

/** Largest number of matrix entries accepted by {@link linearTransformation} (1 GiB of f32). */
export const MAX_MATRIX = 2 ** 28;

/**
 * (x - mean) @ W on each flattened [C, H, W] item of a tensor (torchvision
 * LinearTransformation): W is d x d row-major f32, d = C * H * W. f32 arithmetic in the
 * kernel, each output summed over i = 0..d-1 in order (see assembly/filter.ts).
 */
export function linearTransformation(tensor: Tensor, matrix: Float32Array, mean: Float32Array): Tensor {
  tensor = checkTensor(tensor);
  const [batch, c, h, w] = chwOf(tensor, "LinearTransformation");
  const d = c * h * w;
  if (mean.length * mean.length !== matrix.length)
    throw new RangeError(`transformationMatrix has ${matrix.length} entries, but meanVector has ${mean.length} (needs ${mean.length}^2)`);
  if (d !== mean.length)
    throw new RangeError(`input tensor and transformation matrix have incompatible shape: [${c} x ${h} x ${w}] = ${d} != ${mean.length}`);
  const { k, arena } = miscKernel();
  arena.reset();
  const x = arena.putF32(tensor.data);
  const m = arena.putF32(mean);
  const mat = arena.putF32(matrix);
  const diff = arena.alloc(d * 4);
  const out = arena.alloc(tensor.data.length * 4);
  k.linearTransform(x, batch, d, m, mat, diff, out);
  return { shape: [...tensor.shape], data: arena.takeF32(out, tensor.data.length) };
}

// Erasing and Gaussian noise (torchvision F.erase, v2 F.gaussian_noise), plus the typed view
// of the kernel functions from assembly/filter.ts and assembly/noise.ts.
import { kernel } from "../kernel/instance.js";
import type { Arena } from "../kernel/arena.js";
import { checkImage, checkTensor, describe, isTensor, type Image, type Tensor } from "../image.js";
import type { Key } from "../random/keys.js";
import { checkOptions, checkFinite, checkInt } from "./args.js";
import { checkOut } from "./resample.js";

/** The kernel exports of the filter/noise family (assembly/filter.ts, assembly/noise.ts). Addresses are byte offsets. */
export interface MiscKernel {
  gaussianWeights(k: number, sigma: number, bits: number, out: number): void;
  gaussianScratch(w: number, c: number, kx: number, ky: number): number;
  gaussianBlur(
    src: number,
    w: number,
    h: number,
    c: number,
    kx: number,
    ky: number,
    wx: number,
    wy: number,
    scratch: number,
    dst: number,
  ): void;
  linearTransform(x: number, rows: number, d: number, mean: number, mat: number, diff: number, out: number): void;
  normalFill(k0: number, k1: number, start: number, n: number, out: number): void;
  gaussianNoise(data: number, n: number, k0: number, k1: number, mean: number, sigma: number, clip: number): void;
  gaussianNoiseU8(
    src: number,
    w: number,
    h: number,
    c: number,
    k0: number,
    k1: number,
    mean: number,
    sigma: number,
    scratch: number,
    dst: number,
  ): void;
  eraseFill(
    data: number,
    batch: number,
    c: number,
    h: number,
    w: number,
    top: number,
    left: number,
    eh: number,
    ew: number,
    values: number,
  ): void;
  eraseValues(
    data: number,
    batch: number,
    c: number,
    h: number,
    w: number,
    top: number,
    left: number,
    eh: number,
    ew: number,
    values: number,
  ): void;
  eraseNoise(
    data: number,
    batch: number,
    c: number,
    h: number,
    w: number,
    top: number,
    left: number,
    eh: number,
    ew: number,
    k0: number,
    k1: number,
  ): void;
}

/** The loaded kernel's filter/noise functions and its arena. */
export function miscKernel(): { k: MiscKernel; arena: Arena } {
  const { exports, arena } = kernel();
  return { k: exports as unknown as MiscKernel, arena };
}

/** Checks a Philox key: two unsigned 32-bit integers. */
export function checkKey(key: unknown, name = "key"): Key {
  if (
    !Array.isArray(key) ||
    key.length !== 2 ||
    !key.every((v) => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 0xffffffff)
  ) {
    throw new TypeError(`${name} must be a Philox key [k0, k1] of two unsigned 32-bit integers (e.g. seedKey(seed)), got ${describe(key)}`);
  }
  return [key[0], key[1]];
}

/** [batch, c, h, w] of a tensor of 3 or more dimensions (leading dimensions folded into batch). */
export function chwOf(t: Tensor, what: string): [number, number, number, number] {
  const s = t.shape;
  if (s.length < 3) throw new RangeError(`${what} needs a [..., C, H, W] tensor, got shape [${s.join(", ")}]`);
  const [c, h, w] = s.slice(-3) as [number, number, number];
  return [t.data.length / (c * h * w), c, h, w];
}

/** What {@link erase} writes: one value, one per channel, or a [C, h, w] tensor of values. */
export type EraseValue = number | number[] | Tensor;

/** Options of {@link erase}. */
export interface EraseOptions {
  /** Write into the input tensor instead of a copy (torchvision's inplace). */
  inplace?: boolean;
}

/** A region of a tensor, checked against its size. */
function checkRegion(t: Tensor, i: unknown, j: unknown, h: unknown, w: unknown): [number, number, number, number] {
  const [, , H, W] = chwOf(t, "erase");
  const top = checkInt(i, "i", 0, H);
  const left = checkInt(j, "j", 0, W);
  const eh = checkInt(h, "h", 0, H - top);
  const ew = checkInt(w, "w", 0, W - left);
  return [top, left, eh, ew];
}

function checkInplace(v: unknown): boolean {
  if (v !== undefined && typeof v !== "boolean") throw new TypeError(`inplace must be a boolean, got ${describe(v)}`);
  return v ?? false;
}

/**
 * Sets the h x w region at (i, j) of every [C, H, W] plane set of a tensor to `v`
 * (torchvision F.erase): one number, one number per channel, or a [C, h, w] (or [1, h, w])
 * tensor. The region must lie inside the tensor (torchvision would silently clip it).
 * Returns a new tensor unless `inplace`.
 */
export function erase(tensor: Tensor, i: number, j: number, h: number, w: number, v: EraseValue, opts: EraseOptions = {}): Tensor {
  opts = checkOptions(opts);
  const given = tensor;
  tensor = checkTensor(tensor);
  const [batch, c, H, W] = chwOf(tensor, "erase");
  const [top, left, eh, ew] = checkRegion(tensor, i, j, h, w);
  const inplace = checkInplace(opts.inplace);
  const { k, arena } = miscKernel();
  arena.reset();
  const data = arena.putF32(tensor.data);
  if (typeof v === "number" || Array.isArray(v)) {
    const values = eraseConstants(v, c, "v");
    k.eraseFill(data, batch, c, H, W, top, left, eh, ew, arena.putF32(values));
  } else {
    v = checkTensor(v, "v");
    const ok = v.shape.length === 3 && (v.shape[0] === c || v.shape[0] === 1) && v.shape[1] === eh && v.shape[2] === ew;
    if (!ok)
      throw new RangeError(`v must have shape [${c}, ${eh}, ${ew}] or [1, ${eh}, ${ew}] for this region, got [${v.shape.join(", ")}]`);
    const full = v.shape[0] === c ? v.data : repeat(v.data, c);
    k.eraseValues(data, batch, c, H, W, top, left, eh, ew, arena.putF32(full));
  }
  return finish(tensor, data, inplace, given);
}

function repeat(a: Float32Array, times: number): Float32Array {
  const out = new Float32Array(a.length * times);
  for (let t = 0; t < times; t++) out.set(a, t * a.length);
  return out;
}

/** One erase value per channel from a number or an array of 1 or C finite numbers (torchvision's rule). */
export function eraseConstants(v: unknown, c: number, name = "value"): number[] {
  if (typeof v === "number") return new Array<number>(c).fill(checkFinite(v, name));
  if (Array.isArray(v) && (v.length === 1 || v.length === c)) {
    return Array.from({ length: c }, (_, ch) => checkFinite(v[v.length === 1 ? 0 : ch], `${name}[${v.length === 1 ? 0 : ch}]`));
  }
  throw new RangeError(`${name} must be a finite number or an array of 1 or ${c} (the input's channels) of them, got ${describe(v)}`);
}

/**
 * Sets the region to standard normal values (RandomErasing's value "random"): element
 * (ch, y, x) of the region is element (ch * h + y) * w + x of the noise field of `key`
 * (the same for every item of a batch, as torchvision broadcasts one [C, h, w] draw).
 */
export function eraseRandom(tensor: Tensor, i: number, j: number, h: number, w: number, key: Key, opts: EraseOptions = {}): Tensor {
  opts = checkOptions(opts);
  const given = tensor;
  tensor = checkTensor(tensor);
  const [batch, c, H, W] = chwOf(tensor, "erase");
  const [top, left, eh, ew] = checkRegion(tensor, i, j, h, w);
  const [k0, k1] = checkKey(key);
  const inplace = checkInplace(opts.inplace);
  const { k, arena } = miscKernel();
  arena.reset();
  const data = arena.putF32(tensor.data);
  k.eraseNoise(data, batch, c, H, W, top, left, eh, ew, k0, k1);
  return finish(tensor, data, inplace, given);
}

function finish(tensor: Tensor, data: number, inplace: boolean, given: Tensor): Tensor {
  const { arena } = miscKernel();
  const out = arena.takeF32(data, tensor.data.length, inplace ? tensor.data : undefined);
  return inplace ? given : { shape: [...tensor.shape], data: out };
}

/** Options of {@link gaussianNoise}. */
export interface GaussianNoiseOptions {
  /** The noise field: a Philox key [k0, k1] (e.g. `seedKey(seed)` or a sample's key). Required. */
  key: Key;
  /** Mean of the noise (default 0). */
  mean?: number;
  /** Standard deviation of the noise, >= 0 (default 0.1). */
  sigma?: number;
  /** Clamp tensors to [0, 1] afterwards (default true). Images always saturate to [0, 255]. */
  clip?: boolean;
  /** Buffer for the result. */
  out?: Uint8Array | Float32Array;
}

/** Checks GaussianNoise's mean and sigma (sigma >= 0, both finite and within f32 range). */
export function checkNoise(mean: unknown, sigma: unknown, clip: unknown): { mean: number; sigma: number; clip: boolean } {
  const m = checkFinite(mean, "mean");
  const s = checkFinite(sigma, "sigma");
  if (Math.abs(m) > 1e30) throw new RangeError(`mean must be in [-1e30, 1e30], got ${m}`);
  if (s < 0 || s > 1e30) throw new RangeError(`sigma must be in [0, 1e30] (a standard deviation), got ${s}`);
  if (typeof clip !== "boolean") throw new TypeError(`clip must be a boolean, got ${describe(clip)}`);
  return { mean: m, sigma: s, clip };
}

/**
 * Adds Gaussian noise (torchvision v2 F.gaussian_noise): a f32 tensor becomes
 * x + (mean + z * sigma), clamped to [0, 1] when `clip`; z is element e's standard normal
 * from the key's noise field (Philox with the element index as counter, Box-Muller in the
 * kernel). An image (u8 HWC) gets the same field indexed as its CHW tensor would be:
 * round(x + 255 * (mean + z * sigma)), saturated.
 */
export function gaussianNoise<T extends Image | Tensor>(x: T, opts: GaussianNoiseOptions): T {
  if (typeof opts !== "object" || opts === null)
    throw new TypeError(`gaussianNoise needs options { key, mean?, sigma?, clip? }, got ${describe(opts)}`);
  const [k0, k1] = checkKey(opts.key);
  const { mean, sigma, clip } = checkNoise(opts.mean ?? 0, opts.sigma ?? 0.1, opts.clip ?? true);
  const { k, arena } = miscKernel();
  arena.reset();
  if (isTensor(x)) {
    const t = checkTensor(x, "x");
    const n = t.data.length;
    const data = arena.putF32(t.data);
    k.gaussianNoise(data, n, k0, k1, mean, sigma, clip ? 1 : 0);
    return { shape: [...t.shape], data: arena.takeF32(data, n, checkOut(opts.out, Float32Array, n)) } as T;
  }
  const img = checkImage(x, "x");
  const n = img.data.length;
  const src = arena.put(img.data);
  const scratch = arena.alloc(img.width * 4);
  const dst = arena.alloc(n);
  k.gaussianNoiseU8(src, img.width, img.height, img.channels, k0, k1, mean, sigma, scratch, dst);
  return {
    width: img.width,
    height: img.height,
    channels: img.channels,
    data: arena.takeU8(dst, n, checkOut(opts.out, Uint8Array, n)),
  } as T;
}

/** n standard normals of the noise field of `key`, elements [start, start + n) (for tests and custom ops). */
export function normals(key: Key, start: number, n: number): Float32Array {
  const [k0, k1] = checkKey(key);
  checkInt(start, "start", 0, 2 ** 32 - 1);
  checkInt(n, "n", 0, 2 ** 28);
  if (start + n > 2 ** 32) throw new RangeError(`start + n must be at most 2^32, got ${start + n}`);
  const { k, arena } = miscKernel();
  arena.reset();
  const out = arena.alloc(n * 4);
  k.normalFill(k0, k1, start, n, out);
  return arena.takeF32(out, n);
}

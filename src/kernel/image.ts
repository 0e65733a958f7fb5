// Images that live in kernel (WebAssembly) memory, for chains that should not copy pixels across
// the wasm boundary: decode → transform → transform → read. Their pixels are blocks of the
// arena's heap (./heap.ts), kept through every call until dispose().
import { checkArea, checkImage, checkSide, describe, type Channels, type Image, type Meta } from "../image.js";
import { kernel, type Kernel } from "./instance.js";

/** What a kernel image is, kept off the object (a WeakMap shared by every copy of this module in the realm). */
interface State {
  kernel: Kernel;
  at: number;
  disposed: boolean;
}

const REGISTRY = Symbol.for("lockstep.kernelImages.1");
// The bundles of `lockstep` and `lockstep/io` each carry a copy of this module: one table, so an
// image decoded by one is recognised by the other (and a Proxy cannot pass for one: WeakMap
// lookups go by identity).
const states: WeakMap<object, State> = ((globalThis as unknown as Record<symbol, WeakMap<object, State> | undefined>)[REGISTRY] ??=
  new WeakMap());

const TOKEN = Symbol("KernelImage");

/**
 * An 8-bit HWC image whose pixels live in lockstep's kernel (WebAssembly) memory rather than in
 * a JavaScript array. torchvision has no equivalent: it exists because every call on a plain
 * {@link Image} copies the pixels into wasm memory and the result out again, and for cheap ops
 * (a flip is about one memcpy) those copies are most of the time. A chain such as
 * `decodeToKernel` → `F.hflip(k, { out: k2 })` → `t.apply(k2, { seed, out })` reads each input in
 * place and writes each image result straight into its `out` KernelImage. The bytes are always
 * those of the same calls on plain images.
 *
 * Make one with {@link kernelImage}, {@link toKernel} or `decodeToKernel` (lockstep/io); read it
 * through {@link KernelImage.pixels} or {@link KernelImage.toImage}; give its memory back with
 * {@link KernelImage.dispose} (or `using`). Kernel images are not garbage collected: one that is
 * never disposed holds its memory until `resetKernel()`, and allocating past the kernel's memory
 * limit throws a RangeError saying how much live kernel images hold.
 *
 * `applyBatch` takes them beside plain images. Functions that only take plain images (encoders,
 * `toRGBA`, the Loader's datasets) refuse a KernelImage with a TypeError: pass `k.toImage()`.
 */
export class KernelImage {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** 1 (grey), 3 (RGB) or 4 (RGBA). */
  readonly channels: Channels;

  /** Not public: use {@link kernelImage}, {@link toKernel} or `decodeToKernel`. */
  private constructor(token: symbol, k: Kernel, at: number, height: number, width: number, channels: Channels) {
    if (token !== TOKEN) throw new TypeError("KernelImage has no public constructor: use kernelImage(), toKernel() or decodeToKernel()");
    this.width = width;
    this.height = height;
    this.channels = channels;
    states.set(this, { kernel: k, at, disposed: false });
  }

  /**
   * A view of the pixels where they lie in kernel memory (HWC, rows tightly packed), made anew on
   * every read. Write through it to fill the image. **A view dies when kernel memory grows**,
   * which any lockstep call may do (its buffer is then detached and the view reads as empty): read
   * `pixels` again after each lockstep call rather than keeping it, or copy with {@link toImage}.
   * @throws Error after {@link dispose}, or when `resetKernel()` replaced the kernel it lives in.
   */
  get pixels(): Uint8Array {
    const s = live(this, "pixels");
    return new Uint8Array(s.kernel.exports.memory.buffer, s.at, this.width * this.height * this.channels);
  }

  /** Whether {@link dispose} was called (or the kernel it lived in was replaced by `resetKernel()`). */
  get disposed(): boolean {
    const s = states.get(this);
    return !s || s.disposed || s.kernel !== currentKernel();
  }

  /**
   * The pixels copied out into a plain {@link Image} (into `out` when given: a Uint8Array of
   * `width * height * channels` bytes), which stays valid whatever happens to kernel memory.
   */
  toImage(out?: Uint8Array): Image {
    const n = this.width * this.height * this.channels;
    if (out !== undefined && !(out instanceof Uint8Array))
      throw new TypeError(`out must be a Uint8Array of length ${n}, got ${describe(out)}`);
    if (out !== undefined && out.length !== n) throw new RangeError(`out has length ${out.length}, but this image needs ${n}`);
    const s = live(this, "toImage()");
    const data = s.kernel.arena.takeU8(s.at, n, out);
    return { width: this.width, height: this.height, channels: this.channels, data };
  }

  /**
   * Gives the pixels' kernel memory back; the image cannot be used afterwards (every use throws).
   * @throws Error when called twice.
   */
  dispose(): void {
    const s = states.get(this);
    if (!s || s.disposed) throw new Error(`lockstep: this ${this.describe()} was already disposed (dispose() called twice)`);
    s.disposed = true;
    // After resetKernel() the memory went with the old kernel: nothing to free.
    if (s.kernel === currentKernel()) s.kernel.arena.free(s.at);
  }

  /** {@link dispose}, for `using k = toKernel(img)`. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  private describe(): string {
    return `KernelImage (${this.width}x${this.height}x${this.channels})`;
  }
}

// A KernelImage is not an Image: a function that only takes plain images reads `data` and gets
// this message instead of "data must be a Uint8Array, got undefined".
Object.defineProperty(KernelImage.prototype, "data", {
  get(this: KernelImage): never {
    throw new TypeError(
      `this function takes a plain Image, not a KernelImage (${this.width}x${this.height}x${this.channels}): pass kernelImage.toImage(), or read kernelImage.pixels`,
    );
  },
});

function currentKernel(): Kernel | undefined {
  try {
    return kernel();
  } catch {
    return undefined;
  }
}

/** The image's state, checked usable: not disposed, and of the kernel loaded now. */
function live(img: KernelImage, what: string): State {
  const s = states.get(img);
  if (!s) throw new TypeError(`${what}: not a KernelImage made by lockstep`);
  const name = `KernelImage (${img.width}x${img.height}x${img.channels})`;
  if (s.disposed) throw new Error(`lockstep: ${what}: this ${name} was disposed; it cannot be used any more`);
  if (s.kernel !== currentKernel())
    throw new Error(
      `lockstep: ${what}: this ${name} lives in a kernel that resetKernel() replaced, so its pixels are gone; make it again after the reset`,
    );
  return s;
}

/** Internal: the meta of an image in kernel memory (a KernelImage, or the Loader's held image). */
export function kernelMeta(x: { width: number; height: number; channels: Channels }): Extract<Meta, { kind: "image" }> {
  return { kind: "image", width: x.width, height: x.height, channels: x.channels };
}

/** Whether `x` is a {@link KernelImage} made by lockstep (disposed or not). */
export function isKernelImage(x: unknown): x is KernelImage {
  return typeof x === "object" && x !== null && states.has(x);
}

/**
 * Internal: the kernel address of a usable kernel image's pixels; `name` goes into the error
 * (disposed, or from a replaced kernel).
 */
export function addressOf(img: KernelImage, name: string): number {
  return live(img, name).at;
}

/** Internal: a new kernel image over a fresh heap block (not cleared). */
export function allocKernelImage(height: number, width: number, channels: Channels): KernelImage {
  const k = kernel();
  const at = k.arena.allocKept(width * height * channels);
  return new (KernelImage as unknown as new (...a: unknown[]) => KernelImage)(TOKEN, k, at, height, width, channels);
}

/**
 * A new `height` x `width` image of `channels` (default 3) in kernel memory, all zeros: the `out`
 * of an op, or an image to fill through `pixels`. Dispose it when done.
 * @throws RangeError for a bad size, or when kernel memory cannot hold it.
 */
export function kernelImage(height: number, width: number, channels: Channels = 3): KernelImage {
  checkSide(height, "height");
  checkSide(width, "width");
  if (channels !== 1 && channels !== 3 && channels !== 4) throw new RangeError(`channels must be 1, 3 or 4, got ${describe(channels)}`);
  checkArea(width, height, "the kernel image");
  kernel().arena.reset();
  const img = allocKernelImage(height, width, channels);
  img.pixels.fill(0);
  return img;
}

/**
 * A copy of `image` in kernel memory (one copy in, the last one a chain makes). Dispose it when done.
 * @throws TypeError / RangeError for a bad image, or when kernel memory cannot hold it.
 */
export function toKernel(image: Image): KernelImage {
  const img = checkImage(image, "image");
  kernel().arena.reset();
  const k = allocKernelImage(img.height, img.width, img.channels);
  k.pixels.set(img.data);
  return k;
}

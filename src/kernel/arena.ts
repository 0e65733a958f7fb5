import type { KernelExports } from "./exports.js";
import { Heap } from "./heap.js";

const PAGE = 65536;
/** Every block gets this much slack after its end: vector loads and stores may run past. */
const SLACK = 64;
/** The arena never grows wasm memory past this (wasm32 tops out at 4 GiB). */
export const ARENA_LIMIT = 3 * 1024 * 1024 * 1024;

/**
 * An image whose pixels sit in kernel memory at `at` (tightly packed rows), kept there by
 * {@link Arena.hold} until {@link Arena.release}: the next call reads it in place instead of
 * having it copied out and back in (the Loader decodes into it).
 */
export interface HeldImage {
  readonly held: true;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3 | 4;
  readonly at: number;
}

/** Whether `x` is a {@link HeldImage} (not an Image or a Tensor). */
export function isHeld(x: unknown): x is HeldImage {
  return typeof x === "object" && x !== null && (x as { held?: unknown }).held === true;
}

/**
 * Bump allocator over the kernel's linear memory, reset before each call. Memory only
 * grows to the largest call seen, so repeated calls of one size never grow it again.
 */
export class Arena {
  /** 256 bytes that outlive resets, for the RNG's small calls made between ops. */
  readonly fixed: number;
  private readonly base: number;
  private top: number;
  /** Where reset() goes back to: `base`, or the top of what hold() keeps. */
  private floor: number;
  private u8view: Uint8Array;
  private f32view: Float32Array;
  private u32view: Uint32Array;
  /** The blocks that survive resets (KernelImage pixels); the arena's blocks step over them. */
  readonly heap: Heap;
  /** The most bytes of kernel memory, arena and heap together (ARENA_LIMIT; tests lower it). */
  limit = ARENA_LIMIT;

  constructor(private readonly k: KernelExports) {
    this.fixed = (k.heapBase() + 15) & ~15;
    this.base = this.fixed + 256;
    this.top = this.base;
    this.floor = this.base;
    this.heap = new Heap(this.base);
    this.u8view = new Uint8Array(k.memory.buffer);
    this.f32view = new Float32Array(k.memory.buffer);
    this.u32view = new Uint32Array(k.memory.buffer);
  }

  /** Frees every block (but those kept by {@link hold}). */
  reset(): void {
    this.top = this.floor;
  }

  /** Keeps every block allocated so far through later resets, until {@link release}. */
  hold(): void {
    this.floor = this.top;
  }

  /** Ends a {@link hold}: the next reset frees everything again. */
  release(): void {
    this.floor = this.base;
  }

  /** Reserves `bytes` (16-aligned, with slack) and returns its address. */
  alloc(bytes: number): number {
    const size = blockSize(bytes);
    // Plain arithmetic, not `& ~15`: bitwise operators wrap at 2^31 and would hand out an
    // address below the block's real end.
    const at = this.heap.count ? this.heap.skip(this.top, size) : this.top;
    const end = at + size;
    if (end > this.limit) {
      throw new RangeError(
        `lockstep: this call needs ${Math.ceil(end / 2 ** 20)} MiB of kernel memory, over the ${this.limit / 2 ** 20} MiB limit${this.heldNote()}; use a smaller image`,
      );
    }
    this.grow(end);
    this.top = end;
    return at;
  }

  /**
   * Reserves `bytes` that outlive every {@link reset} until {@link free}: a kernel image's
   * pixels. Placed first fit, clear of what the current call holds.
   */
  allocKept(bytes: number): number {
    const size = blockSize(bytes);
    const at = this.heap.place(size, this.base, this.top);
    const end = at + size;
    if (end > this.limit) {
      this.heap.free(at);
      throw new RangeError(
        `lockstep: a kernel image of ${bytes} bytes does not fit under the ${this.limit / 2 ** 20} MiB kernel memory limit${this.heldNote()}; dispose() the kernel images you no longer need`,
      );
    }
    try {
      this.grow(end);
    } catch (e) {
      this.heap.free(at);
      throw e;
    }
    return at;
  }

  /** Frees a block of {@link allocKept}; false when none starts at `at`. */
  free(at: number): boolean {
    return this.heap.free(at);
  }

  private heldNote(): string {
    return this.heap.count
      ? ` (${this.heap.count} live kernel image${this.heap.count === 1 ? "" : "s"} hold ${Math.ceil(this.heap.held / 2 ** 20)} MiB of it)`
      : "";
  }

  /** Grows wasm memory to at least `end` bytes. */
  private grow(end: number): void {
    const have = this.k.memory.buffer.byteLength;
    if (end <= have) return;
    try {
      this.k.memory.grow(Math.ceil((end - have) / PAGE));
    } catch (e) {
      throw new RangeError(
        `lockstep: could not grow kernel memory to ${Math.ceil(end / 2 ** 20)} MiB (${(e as Error).message})${this.heldNote()}; use a smaller image`,
      );
    }
  }

  /** Copies bytes in and returns their address. */
  put(data: Uint8Array): number {
    const at = this.alloc(data.length);
    this.u8().set(data, at);
    return at;
  }

  /** Copies f32 values in and returns their address. */
  putF32(data: ArrayLike<number>): number {
    const at = this.alloc(data.length * 4);
    this.f32().set(data, at >>> 2);
    return at;
  }

  u8(): Uint8Array {
    if (this.u8view.buffer !== this.k.memory.buffer) this.refresh();
    return this.u8view;
  }

  f32(): Float32Array {
    if (this.f32view.buffer !== this.k.memory.buffer) this.refresh();
    return this.f32view;
  }

  u32(): Uint32Array {
    if (this.u32view.buffer !== this.k.memory.buffer) this.refresh();
    return this.u32view;
  }

  /** Copies `length` bytes at `at` out, into `out` when given (its length must match). */
  takeU8(at: number, length: number, out?: Uint8Array): Uint8Array {
    const view = this.u8().subarray(at, at + length);
    if (out) {
      out.set(view);
      return out;
    }
    // Not view.slice(): V8 copies a slice of a view into wasm memory element by element (~12x
    // slower than the constructor's memcpy on a 600 KB tensor; bench/loader.ts found it).
    return new Uint8Array(view);
  }

  /** Copies `length` f32 at `at` out, into `out` when given. */
  takeF32(at: number, length: number, out?: Float32Array): Float32Array {
    const view = this.f32().subarray(at >>> 2, (at >>> 2) + length);
    if (out) {
      out.set(view);
      return out;
    }
    return new Float32Array(view);
  }

  /** Copies `length` bytes from `from` to `to` inside kernel memory. */
  move(to: number, from: number, length: number): void {
    if (to !== from) this.u8().copyWithin(to, from, from + length);
  }

  private refresh(): void {
    const b = this.k.memory.buffer;
    this.u8view = new Uint8Array(b);
    this.f32view = new Float32Array(b);
    this.u32view = new Uint32Array(b);
  }
}

/** A block's footprint: `bytes` with slack, rounded up to 16 (plain arithmetic: no 2^31 wrap). */
function blockSize(bytes: number): number {
  if (!Number.isSafeInteger(bytes) || bytes < 0)
    throw new RangeError(`lockstep: a kernel allocation of ${bytes} bytes is not possible; use a smaller image`);
  return Math.ceil((bytes + SLACK) / 16) * 16;
}

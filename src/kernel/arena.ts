import type { KernelExports } from "./exports.js";

const PAGE = 65536;
/** Every block gets this much slack after its end: vector loads and stores may run past. */
const SLACK = 64;
/** The arena never grows wasm memory past this (wasm32 tops out at 4 GiB). */
export const ARENA_LIMIT = 3 * 1024 * 1024 * 1024;

/**
 * Bump allocator over the kernel's linear memory, reset before each call. Memory only
 * grows to the largest call seen, so repeated calls of one size never grow it again.
 */
export class Arena {
  /** 256 bytes that outlive resets, for the RNG's small calls made between ops. */
  readonly fixed: number;
  private readonly base: number;
  private top: number;
  private u8view: Uint8Array;
  private f32view: Float32Array;
  private u32view: Uint32Array;

  constructor(private readonly k: KernelExports) {
    this.fixed = (k.heapBase() + 15) & ~15;
    this.base = this.fixed + 256;
    this.top = this.base;
    this.u8view = new Uint8Array(k.memory.buffer);
    this.f32view = new Float32Array(k.memory.buffer);
    this.u32view = new Uint32Array(k.memory.buffer);
  }

  /** Frees every block. */
  reset(): void {
    this.top = this.base;
  }

  /** Reserves `bytes` (16-aligned, with slack) and returns its address. */
  alloc(bytes: number): number {
    if (!Number.isSafeInteger(bytes) || bytes < 0)
      throw new RangeError(`lockstep: a kernel allocation of ${bytes} bytes is not possible; use a smaller image`);
    const at = this.top;
    // Plain arithmetic, not `& ~15`: bitwise operators wrap at 2^31 and would hand out an
    // address below the block's real end.
    const end = at + Math.ceil((bytes + SLACK) / 16) * 16;
    if (end > ARENA_LIMIT) {
      throw new RangeError(
        `lockstep: this call needs ${Math.ceil(end / 2 ** 20)} MiB of kernel memory, over the ${ARENA_LIMIT / 2 ** 20} MiB limit; use a smaller image`,
      );
    }
    const have = this.k.memory.buffer.byteLength;
    if (end > have) {
      try {
        this.k.memory.grow(Math.ceil((end - have) / PAGE));
      } catch (e) {
        throw new RangeError(
          `lockstep: could not grow kernel memory to ${Math.ceil(end / 2 ** 20)} MiB (${(e as Error).message}); use a smaller image`,
        );
      }
    }
    this.top = end;
    return at;
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

  private refresh(): void {
    const b = this.k.memory.buffer;
    this.u8view = new Uint8Array(b);
    this.f32view = new Float32Array(b);
    this.u32view = new Uint32Array(b);
  }
}

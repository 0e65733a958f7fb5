// The kernel's PNG decode as a host runs it (pngInfo, pngDecode, the pixels copied out), for the
// PNG benchmarks: bench/decode-png.ts on the library's kernel, bench/decode-png-ab.ts on two builds.
import type { Arena } from "../src/kernel/arena.js";
import type { KernelExports } from "../src/kernel/exports.js";

/** A kernel instance and the arena over its memory. */
export interface PngKernel {
  k: KernelExports;
  arena: Arena;
}

/** Decodes `bytes` with the kernel; the pixels go to `out` when given (of the right size), else to a fresh array. */
export function kernelPngDecode({ k, arena }: PngKernel, bytes: Uint8Array, out?: (size: number) => Uint8Array): Uint8Array {
  arena.reset();
  const src = arena.put(bytes);
  const info = arena.alloc(128);
  if (k.pngInfo(src, bytes.length, info) !== 0) throw new Error("pngInfo");
  const iv = new Int32Array(arena.u8().buffer, info, 32);
  const size = iv[1]! * iv[2]! * iv[4]!;
  const scratchSize = iv[5]!;
  const dst = arena.alloc(size);
  const aux = arena.alloc(1024);
  const scratch = arena.alloc(scratchSize);
  if (k.pngDecode(src, bytes.length, info, dst, aux, scratch) !== 0) throw new Error("pngDecode");
  return out ? arena.takeU8(dst, size, out(size)) : arena.takeU8(dst, size);
}

// A raw kernel instance for the micro-benchmarks: the wasm exports called directly (no host
// copies per call) over a bump allocator in the kernel's memory. Benchmarks only.
import { readFileSync } from "node:fs";

/** Instantiates the kernel at `path`; alloc/put/putF64 bump-allocate above its heap base, reset frees them all. */
export function rawKernel(path: string) {
  const ex = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(path)), {
    env: {
      abort: () => {
        throw new Error("abort");
      },
    },
  }).exports as any;
  const base = (ex.heapBase() + 4096 + 15) & ~15;
  let top = base;
  const alloc = (n: number): number => {
    const at = top;
    top += (n + 64 + 15) & ~15;
    const need = top - ex.memory.buffer.byteLength;
    if (need > 0) ex.memory.grow(Math.ceil(need / 65536));
    return at;
  };
  const put = (d: Uint8Array): number => {
    const at = alloc(d.length);
    new Uint8Array(ex.memory.buffer).set(d, at);
    return at;
  };
  const putF64 = (v: number[]): number => {
    const at = alloc(v.length * 8);
    new Float64Array(ex.memory.buffer, at, v.length).set(v);
    return at;
  };
  const bytes = (at: number, n: number): Uint8Array => new Uint8Array(ex.memory.buffer, at, n).slice();
  const reset = (): void => {
    top = base;
  };
  return { ex, alloc, put, putF64, bytes, reset };
}

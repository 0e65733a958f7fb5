// Passes of the register machine (src/gpu/vm.ts): the shader every floating-point op
// family runs its programs on.
import { defineShader } from "../shaders.js";
import vmShader from "../wgsl/vm.wgsl.js";
import type { Addr, SampleBuilder } from "../plan.js";

// One interpreter step runs the whole soft-float core on a SIMD-emulating software adapter
// (SwiftShader, llvmpipe execute every branch under lane masks), so programs there run
// 100-10000x slower than the wasm kernel: "auto" keeps them on wasm.
defineShader("vm", {
  ...vmShader,
  slowOnSoftware: "runs as a soft-float register-machine program, much slower than wasm on a software adapter",
});

/** The words after the harness's six: at most 26, read by the program as params 6.. (Asm.param). */
export type Params = (addr: Addr) => number[];

/** First record word the program's params start at. */
export const PARAM0 = 6;

/**
 * A pass of `program` over `n` elements into buffer `dst`: "bytes" writes c bytes per
 * element (four elements per invocation: a u8 image of c channels, or byte tables), "words"
 * c words per element (f32 tensors, 64-bit values).
 */
export function vmPass(
  b: SampleBuilder,
  program: Uint32Array,
  mode: "bytes" | "words",
  n: number,
  c: number,
  dst: number,
  params: Params,
): void {
  const prog = b.table(program);
  const items = mode === "bytes" ? Math.ceil(n / 4) : n;
  b.pass("vm", items, (addr) => {
    const p = params(addr);
    if (p.length > 26) throw new Error("lockstep: too many VM params");
    return [addr.tab(prog), mode === "bytes" ? 0 : 1, addr.pool(dst), items, n, c, ...p.map((v) => v >>> 0)];
  });
}

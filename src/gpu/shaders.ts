// The WGSL compute shaders of the backend, by name. Every shader binds the same three
// resources (wgsl/common.wgsl.ts: the pool of images, the table buffer, the dispatch range)
// and reads its job records through `work()`. Op families register the shaders they use
// next to their lowering (src/gpu/ops/); a device compiles each one the first time a batch
// needs it.
import { atomicPool, header, plainPool } from "./wgsl/common.wgsl.js";

const sources = new Map<string, { code: () => string; atomic: boolean; slowOnSoftware: string | null }>();

/**
 * Registers shader `name`; `code` returns the WGSL after the common declarations (called
 * once, lazily). `atomic`: the shader sees the pool as array<atomic<u32>> (reductions).
 * `slowOnSoftware`: why the shader runs much slower than wasm on a software adapter
 * (SwiftShader, llvmpipe), where backend "auto" then keeps its batches on wasm.
 */
export function defineShader(name: string, code: () => string, opts: { atomic?: boolean; slowOnSoftware?: string } = {}): void {
  if (sources.has(name)) throw new Error(`lockstep: shader ${name} is already defined`);
  sources.set(name, { code, atomic: opts.atomic === true, slowOnSoftware: opts.slowOnSoftware ?? null });
}

/** Why shader `name` is much slower than wasm on a software adapter, or null when it is not. */
export function slowOnSoftware(name: string): string | null {
  return sources.get(name)?.slowOnSoftware ?? null;
}

const built = new Map<string, string>();

/** The full WGSL of shader `name`. */
export function shaderCode(name: string): string {
  let code = built.get(name);
  if (code === undefined) {
    const src = sources.get(name);
    if (!src) throw new Error(`lockstep: no shader named ${name}`);
    code = header + (src.atomic ? atomicPool : plainPool) + src.code();
    built.set(name, code);
  }
  return code;
}

/** Every registered shader's name. */
export function shaderNames(): string[] {
  return [...sources.keys()];
}

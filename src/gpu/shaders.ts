// The WGSL compute shaders of the backend, by name. Every shader binds the same three
// resources (wgsl/common.wgsl.ts: the pool of images, the table buffer, the dispatch range)
// and has the same entry point: it finds the job its invocation serves, binds the job
// record's words by name, then runs the shader's own body. A shader states only its record
// and its arithmetic. Op families register the shaders they use next to their lowering
// (src/gpu/ops/); a device compiles each one the first time a batch needs it.
import { atomicPool, entryPoint, header, plainPool } from "./wgsl/common.wgsl.js";

/**
 * One word of a job record, bound by name in the body: `"name"` (u32), `"name: i32"` (the
 * word's bits as i32), `"name: word"` (a byte address in the pool, as a word index:
 * `>> 2`) or `"name: bool"` (word != 0).
 */
export type RecordWord = string;

/** A shader: its job record, its helpers and its body (WGSL). */
export interface Shader {
  /** The job record's words in order (record word i is `record[i]`); later words are the body's to read as tab[j + i]. */
  readonly record: readonly RecordWord[];
  /** WGSL before the entry point: constants, helper functions, private and workgroup variables. */
  readonly decls?: string;
  /**
   * WGSL statements run for the job: in scope are `wk` (Work: first item, step), `j` (the
   * record's word in tab), the record's names, `lid`, `wid` and `nw`. wgsl/common.wgsl.ts's
   * fourPixels writes a u8 image.
   */
  readonly body: string;
  /** The body runs on invocations without a job too (wk.ok false, j 0): workgroup barriers. */
  readonly everyInvocation?: boolean;
  /** The shader sees the pool as array<atomic<u32>> (reductions). */
  readonly atomic?: boolean;
  /**
   * Why the shader runs much slower than wasm on a software adapter (SwiftShader, llvmpipe),
   * where backend "auto" then keeps its batches on wasm.
   */
  readonly slowOnSoftware?: string;
}

const sources = new Map<string, Shader>();

/** Registers shader `name`; its WGSL is generated the first time a device needs it. */
export function defineShader(name: string, shader: Shader): void {
  if (sources.has(name)) throw new Error(`lockstep: shader ${name} is already defined`);
  sources.set(name, shader);
}

/** Why shader `name` is much slower than wasm on a software adapter, or null when it is not. */
export function slowOnSoftware(name: string): string | null {
  return sources.get(name)?.slowOnSoftware ?? null;
}

/** The `let` statements that bind the record's words by name. */
function recordLets(record: readonly RecordWord[]): string {
  return record
    .map((field, i) => {
      const m = /^([A-Za-z]\w*)(?:\s*:\s*(u32|i32|word|bool))?$/.exec(field);
      if (!m) throw new Error(`lockstep: bad record word "${field}"`);
      const word = i === 0 ? "tab[j]" : `tab[j + ${i}u]`;
      const value = { u32: word, i32: `bitcast<i32>(${word})`, word: `${word} >> 2u`, bool: `${word} != 0u` }[m[2] ?? "u32"];
      return `  let ${m[1]} = ${value};\n`;
    })
    .join("");
}

const built = new Map<string, string>();

/** The full WGSL of shader `name`. */
export function shaderCode(name: string): string {
  let code = built.get(name);
  if (code === undefined) {
    const s = sources.get(name);
    if (!s) throw new Error(`lockstep: no shader named ${name}`);
    const entry = entryPoint(recordLets(s.record), s.body, s.everyInvocation === true);
    code = header + (s.atomic ? atomicPool : plainPool) + (s.decls ?? "") + entry;
    built.set(name, code);
  }
  return code;
}

/** Every registered shader's name. */
export function shaderNames(): string[] {
  return [...sources.keys()];
}

import { Arena } from "./arena.js";
import type { KernelExports } from "./exports.js";
import { loadKernelModule } from "../platform/index.js";

/** Where the kernel comes from: a precompiled module (workerd), raw bytes, or a URL to fetch. */
export interface InitOptions {
  /** A compiled `build/lockstep.wasm`, e.g. a workerd module binding. */
  module?: WebAssembly.Module;
  /** The bytes of `build/lockstep.wasm`. */
  bytes?: BufferSource;
  /** Where to fetch `build/lockstep.wasm` from (served as application/wasm). */
  url?: string | URL;
}

/** A loaded kernel: its exports and the arena over its memory. */
export interface Kernel {
  /** The compiled module it was instantiated from (the Loader posts it to its workers). */
  readonly module: WebAssembly.Module;
  readonly exports: KernelExports;
  readonly arena: Arena;
}

/**
 * The loaded kernel, shared by every copy of this module in the realm: the bundles of
 * `lockstep` and `lockstep/io` each carry a copy, and `init({ module })` through one of them
 * (workerd needs it) must serve the other (encodePng runs in the kernel). Bump the key when the
 * kernel's exports change incompatibly.
 */
interface Shared {
  current?: Kernel;
  pending?: Promise<Kernel>;
}
const SLOT = Symbol.for("lockstep.kernel.1");
const shared: Shared = ((globalThis as unknown as Record<symbol, Shared | undefined>)[SLOT] ??= {});

async function instantiate(options: InitOptions): Promise<Kernel> {
  const module = options.module ?? (options.bytes ? await WebAssembly.compile(options.bytes) : await loadKernelModule(options.url));
  const instance = await WebAssembly.instantiate(module, { env: { abort: kernelAbort } });
  const exports = instance.exports as unknown as KernelExports;
  return { module, exports, arena: new Arena(exports) };
}

function kernelAbort(): never {
  throw new Error("lockstep: internal kernel error (abort); please report it with the call that caused it");
}

/**
 * Loads the kernel once and resolves when every function is usable. Later calls return
 * the same promise, so it is safe to call from anywhere.
 */
export function ready(): Promise<void> {
  return init({});
}

/**
 * Loads the kernel from the given source (see {@link InitOptions}); without one, from the
 * default location for this runtime. Idempotent: the first successful load wins.
 */
export async function init(options: InitOptions = {}): Promise<void> {
  if (shared.current) return;
  shared.pending ??= instantiate(options).then((k) => (shared.current = k)).catch((e: unknown) => {
    shared.pending = undefined;
    throw e;
  });
  await shared.pending;
}

/** The module of the loaded kernel, or undefined before `init()`/`ready()` has resolved. */
export function loadedModule(): WebAssembly.Module | undefined {
  return shared.current?.module;
}

/** The loaded kernel; throws a clear error when `ready()` has not resolved yet. */
export function kernel(): Kernel {
  const current = shared.current;
  if (!current) throw new Error("lockstep: the kernel is not loaded yet; `await ready()` (or `await init({ module })`) first");
  return current;
}

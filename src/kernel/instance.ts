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
 * (workerd needs it) must serve the other (encodePng runs in the kernel). {@link resetKernel}
 * replaces `current` here, so every copy sees the new instance. Bump the key when the
 * kernel's exports change incompatibly (an added optional field is compatible).
 */
interface Shared {
  current?: Kernel;
  pending?: Promise<Kernel>;
  resetting?: Promise<void>;
}
const SLOT = Symbol.for("lockstep.kernel.1");
const shared: Shared = ((globalThis as unknown as Record<symbol, Shared | undefined>)[SLOT] ??= {});

async function instantiate(options: InitOptions): Promise<Kernel> {
  const module = options.module ?? (options.bytes ? await WebAssembly.compile(options.bytes) : await loadKernelModule(options.url));
  return fromModule(module);
}

async function fromModule(module: WebAssembly.Module): Promise<Kernel> {
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
  shared.pending ??= instantiate(options)
    .then((k) => (shared.current = k))
    .catch((e: unknown) => {
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

/**
 * Gives the kernel's memory back. WebAssembly memory grows but never shrinks, so one unusually
 * large call (a 16384 x 8192 image) leaves the process holding that much for good. This
 * instantiates the kernel again from its compiled module (a few milliseconds, no recompile):
 * memory returns to its initial 1 MiB and every later output is the same bytes as before. For
 * long-lived processes (servers, notebooks): call it after a large call, or when
 * {@link kernelMemory} passes a budget. Calls made while it is pending use the old kernel.
 * Loads the kernel when it was not loaded yet.
 */
export function resetKernel(): Promise<void> {
  shared.resetting ??= (async () => {
    try {
      const old = shared.current;
      if (!old) return await ready();
      shared.current = await fromModule(old.module);
    } finally {
      shared.resetting = undefined;
    }
  })();
  return shared.resetting;
}

/** Bytes of WebAssembly memory the kernel holds now (0 before it is loaded). */
export function kernelMemory(): number {
  return shared.current ? shared.current.exports.memory.buffer.byteLength : 0;
}

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
  readonly exports: KernelExports;
  readonly arena: Arena;
}

let current: Kernel | undefined;
let pending: Promise<Kernel> | undefined;
/** The compiled module the kernel was instantiated from: {@link resetKernel} instantiates it again. */
let compiled: WebAssembly.Module | undefined;
let resetting: Promise<void> | undefined;

async function instantiate(options: InitOptions): Promise<Kernel> {
  const module = options.module ?? (options.bytes ? await WebAssembly.compile(options.bytes) : await loadKernelModule(options.url));
  const k = await fromModule(module);
  compiled = module;
  return k;
}

async function fromModule(module: WebAssembly.Module): Promise<Kernel> {
  const instance = await WebAssembly.instantiate(module, { env: { abort: kernelAbort } });
  const exports = instance.exports as unknown as KernelExports;
  return { exports, arena: new Arena(exports) };
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
  if (current) return;
  pending ??= instantiate(options).then((k) => (current = k)).catch((e: unknown) => {
    pending = undefined;
    throw e;
  });
  await pending;
}

/** The loaded kernel; throws a clear error when `ready()` has not resolved yet. */
export function kernel(): Kernel {
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
  resetting ??= (async () => {
    try {
      if (!current || !compiled) return await ready();
      current = await fromModule(compiled);
    } finally {
      resetting = undefined;
    }
  })();
  return resetting;
}

/** Bytes of WebAssembly memory the kernel holds now (0 before it is loaded). */
export function kernelMemory(): number {
  return current ? current.exports.memory.buffer.byteLength : 0;
}

// The one place that asks which runtime this is. Everything else receives what it needs.

/**
 * Set by scripts/bundle.mjs (esbuild `define`) in the packaged bundles, where the kernel sits
 * next to the bundle as `lockstep.wasm`; undeclared (so `typeof` is "undefined") in dist/ and src/.
 */
declare const __LOCKSTEP_BUNDLE__: "browser" | "server" | "workerd";

/** The runtimes lockstep knows how to load its kernel on. */
export type Runtime = "node" | "deno" | "bun" | "workerd" | "browser" | "worker" | "unknown";

interface Globals {
  process?: { versions?: { node?: string; bun?: string } };
  Deno?: { version?: { deno?: string } };
  Bun?: unknown;
  navigator?: { userAgent?: string };
  document?: unknown;
  WorkerGlobalScope?: abstract new () => unknown;
  importScripts?: unknown;
}

/**
 * Which runtime this is. Checked in an order that survives their compatibility layers: Deno and
 * Bun both look like Node, and workerd with `nodejs_compat` has a `process` too.
 */
export function runtime(): Runtime {
  const g = globalThis as unknown as Globals;
  if (g.Deno?.version?.deno) return "deno";
  if (g.Bun !== undefined || g.process?.versions?.bun) return "bun";
  if (g.navigator?.userAgent === "Cloudflare-Workers") return "workerd";
  if (g.process?.versions?.node) return "node";
  if (typeof g.document === "object" && g.document !== null) return "browser";
  if (typeof g.WorkerGlobalScope === "function" || typeof g.importScripts === "function") return "worker";
  return "unknown";
}

/** True on Node.js, Deno and Bun: runtimes that read files. */
function hasFileSystem(rt: Runtime): boolean {
  return rt === "node" || rt === "deno" || rt === "bun";
}

/** Where the kernel is when no URL is given: next to a bundle, else build/lockstep.wasm in the package. */
export function defaultKernelUrl(): URL {
  return typeof __LOCKSTEP_BUNDLE__ !== "undefined" ? new URL("./lockstep.wasm", import.meta.url) : new URL("../../build/lockstep.wasm", import.meta.url);
}

const WORKERD =
  "lockstep: workerd does not compile WebAssembly at run time, so the kernel must arrive as a module binding: " +
  'add (name = "lockstep.wasm", wasm = embed "node_modules/lockstep/build/bundle/lockstep.wasm") to the worker\'s modules ' +
  '(wrangler: import it as a CompiledWasm module), then `import wasm from "./lockstep.wasm"; await init({ module: wasm })`';

/**
 * Compiles build/lockstep.wasm: read from disk on Node, Deno and Bun (a `file:` URL or the default
 * location), fetched elsewhere (served as `application/wasm` for streaming compilation; other
 * content types still work, compiled from the bytes). On workerd it throws a message saying how to
 * bind the kernel as a module, since compiling from bytes is forbidden there.
 */
export async function loadKernelModule(url?: string | URL): Promise<WebAssembly.Module> {
  const rt = runtime();
  if (rt === "workerd" || (typeof __LOCKSTEP_BUNDLE__ !== "undefined" && __LOCKSTEP_BUNDLE__ === "workerd")) throw new Error(WORKERD);
  const where = url === undefined ? defaultKernelUrl() : url;
  const isFile = where instanceof URL ? where.protocol === "file:" : /^file:/i.test(where) || (hasFileSystem(rt) && !/^[a-z][a-z0-9+.-]*:/i.test(where));
  if (isFile && hasFileSystem(rt)) {
    const { readFile } = await import("node:fs/promises");
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = await readFile(typeof where === "string" && /^file:/i.test(where) ? new URL(where) : where);
    } catch (e) {
      throw new Error(`lockstep: could not read the kernel from ${String(where)} (${(e as Error).message}); build it with \`npm run build:wasm\` or pass init({ bytes | module | url })`, { cause: e });
    }
    return WebAssembly.compile(bytes);
  }
  let response: Response;
  try {
    response = await fetch(where);
  } catch (e) {
    throw new Error(`lockstep: could not fetch the kernel from ${String(where)}: ${(e as Error).message}`, { cause: e });
  }
  if (!response.ok) throw new Error(`lockstep: could not fetch the kernel from ${String(where)}: HTTP ${response.status}`);
  const type = response.headers.get("content-type") ?? "";
  if (WebAssembly.compileStreaming && /^application\/wasm\b/i.test(type)) return WebAssembly.compileStreaming(response);
  return WebAssembly.compile(await response.arrayBuffer());
}

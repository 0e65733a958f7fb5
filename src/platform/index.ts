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

/** True inside the packaged bundles (build/*.js), where the kernel sits next to the bundle. */
function bundled(): boolean {
  return typeof __LOCKSTEP_BUNDLE__ !== "undefined";
}

/**
 * Where the kernel is when no URL is given: next to a bundle (build/lockstep.wasm beside
 * build/browser.js), else build/lockstep.wasm in the package. Each is one `new URL("…",
 * import.meta…)` written out, the form Vite, webpack and Parcel follow to emit the file.
 */
export function defaultKernelUrl(): URL {
  // The test is written out (not bundled()): esbuild folds it and drops the other URL from the bundles.
  return typeof __LOCKSTEP_BUNDLE__ !== "undefined"
    ? new URL("./lockstep.wasm", import.meta.url)
    : new URL("../../build/lockstep.wasm", import.meta.url);
}

const WORKERD =
  "lockstep: workerd does not compile WebAssembly at run time, so the kernel must arrive as a module binding: " +
  'add (name = "lockstep.wasm", wasm = embed "node_modules/lockstep/build/lockstep.wasm") to the worker\'s modules ' +
  '(wrangler: `import wasm from "lockstep/lockstep.wasm"` gives a CompiledWasm module), then `await init({ module: wasm })`';

/** What to do when the default kernel URL does not serve the kernel (a bundler left it out). */
function copyAdvice(where: string | URL): string {
  return (
    `the kernel is node_modules/lockstep/build/lockstep.wasm: if your bundler did not emit it (esbuild does not follow \`new URL(…, import.meta.url)\`; Vite, webpack and Parcel do), ` +
    `copy that file so that it is served at ${String(where)} (as application/wasm), or pass its URL: \`await init({ url })\` (and the Loader's \`module\` option, or call init before creating it)`
  );
}

/** Compiles the kernel's bytes; bytes that are not WebAssembly (a dev server's HTML fallback page) get a message saying so. */
async function compile(bytes: BufferSource, what: string, advice: string): Promise<WebAssembly.Module> {
  const b = ArrayBuffer.isView(bytes)
    ? new Uint8Array(bytes.buffer, bytes.byteOffset, Math.min(4, bytes.byteLength))
    : new Uint8Array(bytes, 0, Math.min(4, bytes.byteLength));
  if (b.length < 4 || b[0] !== 0 || b[1] !== 0x61 || b[2] !== 0x73 || b[3] !== 0x6d) {
    const head = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");
    throw new Error(
      `lockstep: ${what} is not WebAssembly (it starts with ${head || "nothing"}, not 00 61 73 6d)${advice ? `; ${advice}` : ""}`,
    );
  }
  return WebAssembly.compile(bytes);
}

/**
 * Compiles lockstep.wasm. With no `url`: on Node (and Deno and Bun running dist/) from the bytes the
 * package's Node entry carries (src/platform/kernel.ts), so bundles of it need no file; in the
 * packaged bundles from ./lockstep.wasm next to the bundle, read from disk (Deno, Bun) or fetched
 * (browsers, Web Workers). A `url` is read from disk where it is a path or `file:` URL and the
 * runtime has a file system, fetched otherwise (served as `application/wasm` for streaming
 * compilation; other content types still work). On workerd it throws a message saying how to bind
 * the kernel as a module, since compiling from bytes is forbidden there. Every failure says what
 * to copy or pass.
 */
export async function loadKernelModule(url?: string | URL): Promise<WebAssembly.Module> {
  const rt = runtime();
  if (rt === "workerd" || (bundled() && __LOCKSTEP_BUNDLE__ === "workerd")) throw new Error(WORKERD);
  // Written out (not bundled()) so that esbuild drops this branch, and kernel.ts with it, from the bundles.
  if (url === undefined && typeof __LOCKSTEP_BUNDLE__ === "undefined" && hasFileSystem(rt)) {
    const { kernelBytes } = await import("./kernel.js");
    return compile(await kernelBytes(), "the kernel", "");
  }
  const where = url === undefined ? defaultKernelUrl() : url;
  const advice =
    url === undefined
      ? copyAdvice(where)
      : "pass the URL or path of node_modules/lockstep/build/lockstep.wasm, or init({ bytes | module })";
  const isFile =
    where instanceof URL ? where.protocol === "file:" : /^file:/i.test(where) || (hasFileSystem(rt) && !/^[a-z][a-z0-9+.-]*:/i.test(where));
  if (isFile && hasFileSystem(rt)) {
    const { readFile } = await import("node:fs/promises");
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = await readFile(typeof where === "string" && /^file:/i.test(where) ? new URL(where) : where);
    } catch (e) {
      throw new Error(`lockstep: could not read the kernel from ${String(where)} (${(e as Error).message}); ${advice}`, { cause: e });
    }
    return compile(bytes, `${String(where)}`, advice);
  }
  let response: Response;
  try {
    response = await fetch(where);
  } catch (e) {
    throw new Error(`lockstep: could not fetch the kernel from ${String(where)}: ${(e as Error).message}; ${advice}`, { cause: e });
  }
  if (!response.ok) throw new Error(`lockstep: could not fetch the kernel from ${String(where)}: HTTP ${response.status}; ${advice}`);
  const type = response.headers.get("content-type") ?? "";
  if (WebAssembly.compileStreaming && /^application\/wasm\b/i.test(type)) return WebAssembly.compileStreaming(response);
  return compile(await response.arrayBuffer(), `what ${String(where)} served (${type || "no content type"})`, advice);
}

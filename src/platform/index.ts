// The one place that asks which runtime this is. Everything else receives what it needs.

/** True on Node.js, Deno and Bun: runtimes that read files. */
function hasFileSystem(): boolean {
  const g = globalThis as { process?: { versions?: { node?: string } }; Deno?: unknown };
  return Boolean(g.process?.versions?.node) || g.Deno !== undefined;
}

/** Compiles build/lockstep.wasm from this runtime's default location, or from `url`. */
export async function loadKernelModule(url?: string | URL): Promise<WebAssembly.Module> {
  const where = url ?? new URL("../../build/lockstep.wasm", import.meta.url);
  if (!url && hasFileSystem()) {
    const { readFile } = await import("node:fs/promises");
    return WebAssembly.compile(await readFile(where));
  }
  const response = await fetch(where);
  if (!response.ok) throw new Error(`lockstep: could not fetch the kernel from ${String(where)}: HTTP ${response.status}`);
  return WebAssembly.compileStreaming ? WebAssembly.compileStreaming(response) : WebAssembly.compile(await response.arrayBuffer());
}

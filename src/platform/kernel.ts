// The kernel's bytes on Node (and Deno and Bun running the sources) when no source is given.
// In a checkout this module reads build/lockstep.wasm, the file `npm run build:wasm` writes, so
// the tests always run the kernel just built. In the package, scripts/bundle.mjs (embedKernel)
// replaces its output, dist/platform/kernel.js, with a module that holds the bytes themselves:
// the Node entry then needs no file beside it, and bundles of it (esbuild --platform=node, a
// serverless function) carry the kernel with no file to copy.

/** The bytes of lockstep.wasm. */
export async function kernelBytes(): Promise<Uint8Array<ArrayBuffer>> {
  const url = new URL("../../build/lockstep.wasm", import.meta.url);
  const { readFile } = await import("node:fs/promises");
  try {
    const b = await readFile(url);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength) as Uint8Array<ArrayBuffer>;
  } catch (e) {
    throw new Error(
      `lockstep: could not read the kernel from ${url.href} (${(e as Error).message}); in a checkout, build it with \`npm run build:wasm\``,
      { cause: e },
    );
  }
}

/** Where the bytes come from: "file" here, "embedded" in the package's dist/. */
export const kernelOrigin: "file" | "embedded" = "file";

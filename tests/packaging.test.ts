// Packaging: the esbuild bundles (scripts/bundle.mjs) and the exports map. The browser and workerd
// bundles carry no `node:` imports and no jimp (decoding is the separate lockstep/io entry); each
// export condition resolves to the right file; the kernel loads from disk, from a URL (with or
// without application/wasm) and fails with clear messages.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { loadKernelModule, runtime } from "../src/platform/index.js";
import { serveStatic } from "../demo/static-server.mjs";
import { BIN, ROOT, run, scratch } from "./conformance/platforms.js";

const { bundle, formatSizes } = (await import("../scripts/bundle.mjs")) as {
  bundle(o: { outdir: string }): Promise<Record<string, { bytes: number; gzip: number }>>;
  formatSizes(s: object): string;
};
const out = scratch("bundle");
const sizes = await bundle({ outdir: out.dir });
const text = (f: string) => readFileSync(join(out.dir, f), "utf8");

test("bundles: sizes, no node: imports in browser/workerd, no jimp outside lockstep/io", () => {
  console.log(`\nbundle sizes (minified, gzip -9):\n${formatSizes(sizes)}`);
  assert.equal(Object.keys(sizes).sort(), ["browser.js", "io.js", "lockstep.wasm", "server.js", "worker.js", "workerd.js"]);
  for (const f of ["browser.js", "workerd.js", "io.js", "worker.js"]) {
    assert.not.match(text(f), /\bimport\s*\(\s*["']node:|from\s*["']node:/, `${f} imports node: built-ins`);
  }
  for (const f of ["browser.js", "workerd.js", "server.js"]) {
    assert.not.match(text(f), /pngjs|jpeg-js|jimp/i, `${f} pulls in the codecs`);
    assert.ok(sizes[f]!.bytes < 400_000, `${f} is ${sizes[f]!.bytes} bytes`);
  }
  assert.match(text("io.js"), /IHDR/, "io.js holds the PNG codec");
  // The Loader's worker decodes files, so it carries the codecs; the main bundles never do.
  assert.match(text("worker.js"), /IHDR/, "worker.js holds the PNG codec");
  assert.equal(readFileSync(join(out.dir, "lockstep.wasm")), readFileSync(join(ROOT, "build/lockstep.wasm")));
});

test("exports map: each condition resolves to its bundle", async () => {
  // Resolved from inside the package (self-reference through the exports map, as a dependent
  // would resolve it): a probe in build/, which is ignored by git.
  const copy = join(ROOT, "build", `.resolve-${process.pid}.mjs`);
  writeFileSync(copy, `console.log(import.meta.resolve("lockstep") + " " + import.meta.resolve("lockstep/io"));\n`);
  const rel = (s: string) => s.trim().split(" ").map((u) => u.replace(`file://${ROOT}`, ""));
  try {
    const node = async (cond?: string) => rel((await run(process.execPath, [...(cond ? [`--conditions=${cond}`] : []), copy])).stdout);
    assert.equal(await node(), ["dist/index.js", "dist/io/index.js"]);
    assert.equal(await node("workerd"), ["build/bundle/workerd.js", "build/bundle/io.js"]);
    assert.equal(await node("deno"), ["build/bundle/server.js", "dist/io/index.js"]);
    assert.equal(await node("bun"), ["build/bundle/server.js", "dist/io/index.js"]);
    assert.equal(rel((await run(BIN("deno"), ["run", "--allow-read", copy])).stdout), ["build/bundle/server.js", "dist/io/index.js"]);
    assert.equal(rel((await run(BIN("bun"), [copy])).stdout), ["build/bundle/server.js", "dist/io/index.js"]);
  } finally {
    rmSync(copy, { force: true });
  }
  // Bundlers for pages and Web Workers (no "node" condition).
  for (const conditions of [["browser"], ["worker"], ["workerd", "worker", "browser"]]) {
    const r = await esbuild.build({ stdin: { contents: `import "lockstep"; import "lockstep/io";`, resolveDir: ROOT }, bundle: true, write: false, metafile: true, platform: "browser", format: "esm", conditions, logLevel: "silent", external: ["node:*"] });
    const inputs = Object.keys(r.metafile.inputs).filter((k) => k.startsWith("build/") || k.startsWith("dist/"));
    const want = conditions[0] === "workerd" ? ["build/bundle/io.js", "build/bundle/workerd.js"] : ["build/bundle/browser.js", "build/bundle/io.js"];
    assert.equal(inputs.sort(), want, `conditions ${conditions}`);
  }
});

test("kernel loading: disk, URL with and without application/wasm, clear errors", async () => {
  assert.is(runtime(), "node");
  assert.ok((await loadKernelModule()) instanceof WebAssembly.Module);
  assert.ok((await loadKernelModule(new URL("../build/lockstep.wasm", import.meta.url))) instanceof WebAssembly.Module);
  const dir = scratch("wasm-serve");
  writeFileSync(join(dir.dir, "lockstep.wasm"), readFileSync(join(ROOT, "build/lockstep.wasm")));
  writeFileSync(join(dir.dir, "lockstep.bin"), readFileSync(join(ROOT, "build/lockstep.wasm")));
  const server = await serveStatic({ "/": dir.dir });
  try {
    assert.ok((await loadKernelModule(`${server.url}lockstep.wasm`)) instanceof WebAssembly.Module, "application/wasm");
    assert.ok((await loadKernelModule(`${server.url}lockstep.bin`)) instanceof WebAssembly.Module, "octet-stream");
    let msg = "";
    await loadKernelModule(`${server.url}missing.wasm`).catch((e: Error) => (msg = e.message));
    assert.match(msg, /could not fetch the kernel from .*missing\.wasm: HTTP 404/);
    await loadKernelModule(join(dir.dir, "nothing.wasm")).catch((e: Error) => (msg = e.message));
    assert.match(msg, /could not read the kernel from .*nothing\.wasm.*npm run build:wasm/);
  } finally {
    await server.close();
    dir.remove();
  }
  const g = globalThis as { navigator?: unknown };
  const saved = Object.getOwnPropertyDescriptor(globalThis, "navigator");
  Object.defineProperty(globalThis, "navigator", { value: { userAgent: "Cloudflare-Workers" }, configurable: true });
  try {
    assert.is(runtime(), "workerd");
    let msg = "";
    await loadKernelModule().catch((e: Error) => (msg = e.message));
    assert.match(msg, /workerd does not compile WebAssembly at run time.*init\(\{ module: wasm \}\)/);
  } finally {
    if (saved) Object.defineProperty(globalThis, "navigator", saved);
    else delete g.navigator;
  }
});

test.after(() => out.remove());

test.run();

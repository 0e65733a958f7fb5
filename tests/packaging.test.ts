// Packaging: the esbuild bundles (scripts/bundle.mjs) and the exports map. The browser and workerd
// bundles carry no `node:` imports and no jimp (decoding is the separate lockstep/io entry), and
// name the kernel and the worker entry in the one form bundlers follow; each export condition
// resolves to the right file; the kernel loads from disk, from a URL (with or without
// application/wasm) and fails with messages that say what to copy or pass. The packed tarball in
// fresh apps is tests/packaging-tarball.test.ts.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { loadKernelModule, runtime } from "../src/platform/index.js";
import { ArrayDataset, Loader } from "../src/index.js";
import { serveStatic } from "../demo/static-server.mjs";
import { BIN, ROOT, run, scratch } from "./conformance/platforms.js";

const { bundle, formatSizes, requireEntry } = (await import("../scripts/bundle.mjs")) as unknown as {
  bundle(o: { outdir: string }): Promise<Record<string, { bytes: number; gzip: number }>>;
  formatSizes(s: object): string;
  requireEntry(specifier: string): string;
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
  // Vite, webpack and Parcel emit what the bundles name as `new URL("<literal>", import.meta.url)`
  // (and `new Worker(new URL(...))` as a worker): each must name a file beside the bundle, and
  // nothing else (a dist/-relative path left in would fail their builds).
  const urls = (f: string) => [...text(f).matchAll(/new URL\("([^"]*)",import\.meta\.url\)/g)].map((m) => m[1]).sort();
  for (const f of ["browser.js", "server.js", "workerd.js"]) assert.equal(urls(f), ["./lockstep.wasm", "./worker.js"], f);
  assert.equal(urls("worker.js"), ["./lockstep.wasm"]);
  // lockstep/io decodes in the kernel: used alone (no `lockstep` import), it loads the wasm beside itself
  assert.equal(urls("io.js"), ["./lockstep.wasm"]);
  assert.ok(
    text("browser.js").includes('new Worker(new URL("./worker.js",import.meta.url),{type:"module"})'),
    "the worker entry in the form bundlers follow",
  );
  // A computed dynamic import (a moduleDataset's URL) is left to the runtime by webpack and Vite
  // only when marked so; and no import.meta.resolve("…") of a dev tool for webpack to chase.
  for (const f of ["browser.js", "server.js", "workerd.js", "worker.js", "io.js"]) {
    assert.not.match(text(f), /\bimport\((?!["'`]|\/\* webpackIgnore: true \*\/)/, `${f} has an unmarked computed import()`);
    assert.not.match(text(f), /import\.meta\.resolve\(["']/, f);
  }
  // The Node entry's kernel (dist/platform/kernel.ts's code, reading build/) stays out of the bundles.
  for (const f of ["browser.js", "server.js", "workerd.js", "worker.js"]) assert.not.match(text(f), /AGFzbQ|"\.\.\/\.\.\/build\//, f);
});

test("subpath entries (lockstep/random, /extend, /gpu, /data): one lockstep per app on every condition", async () => {
  const copy = join(ROOT, "build", `.subpaths-${process.pid}.mjs`);
  // Each subpath's exports are the same objects as the main entry's on that condition: no second kernel or registry.
  writeFileSync(copy, readFileSync(join(ROOT, "tests/helpers/subpaths-probe.mjs")));
  try {
    const node = async (cond?: string) =>
      (await run(process.execPath, [...(cond ? [`--conditions=${cond}`] : []), copy])).stdout.trim().split(" ");
    for (const [cond, where] of [
      [undefined, "dist/%/index.js"],
      ["workerd", "build/%.workerd.js"],
      ["deno", "build/%.server.js"],
    ] as const) {
      const r = await node(cond);
      assert.is(r.pop(), "true", `${cond ?? "node"}: RandomGenerator is Generator`);
      for (const line of r) {
        const [s, n, same, path] = line.split(":");
        assert.ok(Number(n) > 0, `${cond}: lockstep/${s} exports nothing`);
        assert.is(same, n, `${cond}: lockstep/${s} has objects of its own`);
        assert.is(path, where.replace("%", s!), `${cond}: lockstep/${s}`);
      }
    }
  } finally {
    rmSync(copy, { force: true });
  }
  // A browser bundle of the root and a subpath holds one main bundle.
  const r = await esbuild.build({
    stdin: { contents: `import "lockstep"; import "lockstep/extend"; import "lockstep/random";`, resolveDir: ROOT },
    bundle: true,
    write: false,
    metafile: true,
    platform: "browser",
    format: "esm",
    conditions: ["browser"],
    logLevel: "silent",
  });
  assert.equal(
    Object.keys(r.metafile.inputs)
      .filter((k) => k.startsWith("build/"))
      .sort(),
    ["build/browser.js", "build/extend.browser.js", "build/random.browser.js"],
  );
  // Internals left the root; users' names did not.
  const root = await import("../src/index.js");
  for (const k of [
    "kmath",
    "foldIn",
    "Context",
    "defineOp",
    "MAX_LENGTH",
    "KeyedPermutation",
    "philox4x32",
    "gpuPhilox",
    "setAdapterFactory",
  ])
    assert.not.ok(k in root, `${k} is still in the root export`);
  for (const k of [
    "Compose",
    "Loader",
    "Generator",
    "RandomGenerator",
    "Stream",
    "applyBatch",
    "releaseGpu",
    "F",
    "ready",
    "fromJSON",
    "registerLambda",
  ])
    assert.ok(k in root, `${k} left the root export`);
});

test("README: the kernel's size it states is build/lockstep.wasm's", () => {
  const m = /One wasm binary \(([\d.]+) KiB, ([\d.]+) KiB gzipped\)/.exec(readFileSync(join(ROOT, "README.md"), "utf8"));
  assert.ok(m, "README.md states no kernel size");
  const kib = (n: number) => (n / 1024).toFixed(1);
  const { bytes, gzip } = sizes["lockstep.wasm"]!;
  assert.equal(
    [m![1], m![2]],
    [kib(bytes), kib(gzip)],
    `README.md says ${m![1]} KiB (${m![2]} KiB gzipped); build/lockstep.wasm is ${kib(bytes)} KiB (${kib(gzip)} KiB gzipped): update the README`,
  );
});

test("exports map: each condition resolves to its bundle", async () => {
  // Resolved from inside the package (self-reference through the exports map, as a dependent
  // would resolve it): a probe in build/, which is ignored by git.
  const copy = join(ROOT, "build", `.resolve-${process.pid}.mjs`);
  writeFileSync(copy, `console.log(import.meta.resolve("lockstep") + " " + import.meta.resolve("lockstep/io"));\n`);
  const rel = (s: string) =>
    s
      .trim()
      .split(" ")
      .map((u) => u.replace(`file://${ROOT}`, ""));
  try {
    const node = async (cond?: string) => rel((await run(process.execPath, [...(cond ? [`--conditions=${cond}`] : []), copy])).stdout);
    assert.equal(await node(), ["dist/index.js", "dist/io/index.js"]);
    assert.equal(await node("workerd"), ["build/workerd.js", "build/io.js"]);
    assert.equal(await node("deno"), ["build/server.js", "dist/io/index.js"]);
    assert.equal(await node("bun"), ["build/server.js", "dist/io/index.js"]);
    assert.equal(rel((await run(BIN("deno"), ["run", "--allow-read", copy])).stdout), ["build/server.js", "dist/io/index.js"]);
    assert.equal(rel((await run(BIN("bun"), [copy])).stdout), ["build/server.js", "dist/io/index.js"]);
    // require() goes through the CommonJS entries, which hand back the ES module itself.
    writeFileSync(copy, `console.log(require.resolve("lockstep") + " " + require.resolve("lockstep/io"));\n`);
    renameSync(copy, copy.replace(/\.mjs$/, ".cjs"));
    assert.equal(
      rel((await run(process.execPath, [copy.replace(/\.mjs$/, ".cjs")])).stdout).map((p) => p.replace(ROOT, "")),
      ["dist/index.cjs", "dist/io/index.cjs"],
    );
  } finally {
    rmSync(copy, { force: true });
    rmSync(copy.replace(/\.mjs$/, ".cjs"), { force: true });
  }
  // Bundlers for pages and Web Workers (no "node" condition).
  const inputs = async (platform: "browser" | "node", conditions?: string[]) => {
    const r = await esbuild.build({
      stdin: { contents: `import "lockstep"; import "lockstep/io"; import "lockstep/worker";`, resolveDir: ROOT },
      bundle: true,
      write: false,
      metafile: true,
      platform,
      format: "esm",
      ...(conditions ? { conditions } : {}),
      logLevel: "silent",
      external: ["node:*", "jimp"],
    });
    return Object.keys(r.metafile.inputs)
      .filter((k) => /^build\/[^/]+\.js$|^dist\/(index|io\/index|data\/worker)\.js$/.test(k))
      .sort();
  };
  for (const conditions of [["browser"], ["worker"]])
    assert.equal(await inputs("browser", conditions), ["build/browser.js", "build/io.js", "build/worker.js"], `conditions ${conditions}`);
  assert.equal(await inputs("browser", ["workerd", "worker", "browser"]), ["build/io.js", "build/worker.js", "build/workerd.js"]);
  // Bundlers targeting Node (esbuild's "module" condition, which Node itself ignores) get
  // lockstep/io's and the worker entry's pure-JS builds: no require() of Node built-ins inside
  // an ES module bundle. The main entry stays dist/, which carries its kernel.
  assert.equal(await inputs("node"), ["build/io.js", "build/worker.js", "dist/index.js"]);
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
    assert.match(
      msg,
      /could not fetch the kernel from .*missing\.wasm: HTTP 404; pass the URL or path of node_modules\/lockstep\/build\/lockstep\.wasm/,
    );
    await loadKernelModule(join(dir.dir, "nothing.wasm")).catch((e: Error) => (msg = e.message));
    assert.match(
      msg,
      /could not read the kernel from .*nothing\.wasm \(ENOENT.*\); pass the URL or path of node_modules\/lockstep\/build\/lockstep\.wasm/,
    );
    // A dev server's HTML fallback page instead of the kernel: said so, not "expected magic word".
    writeFileSync(join(dir.dir, "page.html"), "<!doctype html><title>app</title>");
    await loadKernelModule(`${server.url}page.html`).catch((e: Error) => (msg = e.message));
    assert.match(msg, /what .*page\.html served \(text\/html[^)]*\) is not WebAssembly \(it starts with 3c 21 64 6f, not 00 61 73 6d\)/);
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

test("require('lockstep'): the module import gives where Node can require ES modules, a clear refusal where it cannot", () => {
  // dist/index.cjs run with a stand-in for Node's require (Node 18 has no require of ES modules).
  const load = (require: (id: string) => unknown, node: string) => {
    const module = { exports: {} as unknown };
    new Function("module", "require", "process", requireEntry("lockstep"))(module, require, { versions: { node } });
    return module.exports;
  };
  const esm = { ready() {} };
  assert.is(
    load((id) => (id === "./index.js" ? esm : null), "22.12.0"),
    esm,
  );
  const old = () => {
    throw Object.assign(new Error("require() of ES Module not supported"), { code: "ERR_REQUIRE_ESM" });
  };
  assert.throws(
    () => load(old, "18.20.4"),
    (e: Error) =>
      /^lockstep is an ES module: require\('lockstep'\) needs Node\.js >= 20\.19 or >= 22\.12 \(require of ES modules\), and this is Node\.js 18\.20\.4\. Use `const m = await import\('lockstep'\)`/.test(
        e.message,
      ),
  );
  // Any other failure passes through unchanged.
  assert.throws(
    () =>
      load(() => {
        throw new SyntaxError("boom");
      }, "20.19.0"),
    /boom/,
  );
});

test("Loader `worker` option: checked, and a factory that makes no worker is an error that says so", async () => {
  const ds = new ArrayDataset([{ width: 2, height: 2, channels: 1, data: new Uint8Array(4) }]);
  assert.throws(
    () => new Loader(ds, { workers: 1, worker: 42 as never }),
    (e: Error) =>
      e instanceof TypeError && /^worker must be a function that returns a Worker running lockstep\/worker, got 42/.test(e.message),
  );
  const loader = new Loader(ds, { workers: 1, worker: () => ({}) as never });
  let msg = "";
  try {
    for await (const _ of loader) void _;
  } catch (e) {
    msg = (e as Error).message;
  }
  await loader.close();
  assert.match(msg, /workers keep failing to start: the `worker` option must return a Web Worker or a worker_threads Worker, got object/);
});

test.after(() => out.remove());

test.run();

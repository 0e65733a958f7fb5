#!/usr/bin/env node
// Packages lockstep for every runtime with esbuild (run by `npm run build`, after the kernel). The
// bundles sit next to the kernel that `npm run build:wasm` writes, so the package holds one wasm:
//
//   build/lockstep.wasm   the kernel (asc's output), next to the bundles that load it by default
//   build/browser.js      browsers and Web Workers: fetches ./lockstep.wasm next to itself
//                         (or init({ url | bytes | module }))
//   build/server.js       Deno and Bun: reads ./lockstep.wasm next to itself from disk
//   build/workerd.js      Cloudflare workerd: init({ module }) with the wasm as a module binding
//   build/io.js           lockstep/io (PNG/JPEG in the kernel; BMP/GIF/TIFF through jimp's pure-JS
//                         build, initialised only for such files) for browsers, workers, workerd and
//                         bundles made for Node (no require() of Node built-ins)
//   build/worker.js       the Loader's worker entry, next to browser.js
//   build/<sub>.<target>.js  lockstep/random, /extend, /gpu, /data: re-exports from browser.js,
//                         server.js or workerd.js (which carry every entry's exports)
//   build/sizes.json      minified and gzipped sizes (not packaged)
//
// The browser bundles spell `new URL("./lockstep.wasm", import.meta.url)` and
// `new Worker(new URL("./worker.js", import.meta.url), ...)` literally, so Vite, webpack and Parcel
// emit both files into an app's build by themselves.
//
// Node uses dist/ (tsc). `finishDist()` replaces dist/platform/kernel.js with a module holding the
// kernel's bytes, so a bundle of the Node entry (esbuild --platform=node) carries its kernel, and
// writes the `require` entries (dist/index.cjs, dist/io/index.cjs).
// Files are written to a scratch name and renamed into place, so a process reading them never
// sees half a file.
import * as esbuild from "esbuild";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

export const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * In browser and workerd bundles, `node:` built-ins become a module that throws when loaded:
 * src/ imports them only dynamically, behind runtime checks, so they never load there, and the
 * bundle has no `node:` import left for a user's bundler to trip over.
 */
const nodeStub = {
  name: "lockstep-node-stub",
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: "lockstep-node-stub" }));
    build.onLoad({ filter: /.*/, namespace: "lockstep-node-stub" }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`lockstep: ${args.path} is not available in this runtime`)});`,
      loader: "js",
    }));
  },
};

/**
 * esbuild options for code that runs on `target` ("browser" for pages and Web Workers, "server"
 * for Deno and Bun, "workerd"): the define that src/platform/index.ts reads, and what becomes of
 * node: built-ins (kept as imports for Deno and Bun, stubbed elsewhere).
 */
export function targetOptions(target) {
  if (!["browser", "server", "workerd"].includes(target)) throw new RangeError(`unknown bundle target ${target}`);
  const server = target === "server";
  return {
    bundle: true,
    format: "esm",
    target: "es2022",
    platform: server ? "node" : "browser",
    conditions: target === "workerd" ? ["workerd", "worker", "browser"] : server ? [] : ["browser"],
    define: { __LOCKSTEP_BUNDLE__: JSON.stringify(target) },
    external: server ? ["node:*"] : [],
    plugins: server ? [] : [nodeStub],
    legalComments: "none",
    logLevel: "silent",
  };
}

// The three main bundles are built from src/all.ts (every entry's exports), so that the subpath
// entries below re-export from them: one kernel and one op registry per app, whichever entries it uses.
export const ENTRIES = [
  { out: "browser.js", entry: "src/all.ts", target: "browser" },
  { out: "server.js", entry: "src/all.ts", target: "server" },
  { out: "workerd.js", entry: "src/all.ts", target: "workerd" },
  { out: "io.js", entry: "src/io/index.ts", target: "browser" },
  { out: "worker.js", entry: "src/data/worker.ts", target: "browser" },
];

/**
 * The subpath entries (`lockstep/random`, ...): their sources, and per target a small module that
 * re-exports their names from that target's main bundle (build/<name>.<target>.js).
 */
export const SUBPATHS = [
  { name: "random", entry: "src/random/index.ts" },
  { name: "extend", entry: "src/extend/index.ts" },
  { name: "gpu", entry: "src/gpu/index.ts" },
  { name: "data", entry: "src/data/index.ts" },
];
const MAIN = { browser: "browser.js", server: "server.js", workerd: "workerd.js" };

/** The names an entry exports (esbuild's metafile), for its re-exporting modules. */
async function exportNames(entry) {
  const r = await esbuild.build({
    ...targetOptions("browser"),
    entryPoints: [join(root, entry)],
    write: false,
    metafile: true,
    minify: false,
    outfile: "x.js",
  });
  return Object.values(r.metafile.outputs).find((o) => o.entryPoint)?.exports ?? [];
}

/** build/<name>.<target>.js for every subpath and target: `export { ... } from "./<main bundle>"`. */
async function subpathModules() {
  const files = {};
  for (const { name, entry } of SUBPATHS) {
    const names = (await exportNames(entry)).sort();
    if (names.length === 0) throw new Error(`${entry} exports nothing`);
    for (const [target, main] of Object.entries(MAIN)) {
      files[`${name}.${target}.js`] =
        `// lockstep/${name} for ${target}: re-exported from ${main}, so the app holds one lockstep.\nexport { ${names.join(", ")} } from "./${main}";\n`;
    }
  }
  return files;
}

/**
 * Marks every dynamic import of a computed specifier (a moduleDataset's URL, the optional
 * `webgpu` package, lockstep/io beside dist/) as one for the runtime: webpack would otherwise
 * warn and replace it with an empty module context, and Vite warn. Minification drops such
 * comments from the sources, so they are written into the output.
 */
export function markRuntimeImports(code) {
  return code.replace(/\bimport\((?=[A-Za-z_$])/g, "import(/* webpackIgnore: true */ /* @vite-ignore */ ");
}

function gz(bytes) {
  return gzipSync(bytes, { level: 9 }).length;
}

const BUILD = join(root, "build");
const WASM = join(BUILD, "lockstep.wasm");

function needKernel() {
  try {
    statSync(WASM);
  } catch {
    throw new Error("build/lockstep.wasm is missing: run `npm run build:wasm` first");
  }
}

/**
 * Builds every bundle into `outdir` (default build/, next to the kernel; elsewhere the kernel is
 * copied in) and returns their sizes. The kernel must be built first (`npm run build:wasm`).
 */
export async function bundle({ outdir = BUILD, minify = true } = {}) {
  needKernel();
  mkdirSync(outdir, { recursive: true });
  const scratch = join(outdir, `.bundle-${process.pid}-${Date.now()}`);
  mkdirSync(scratch, { recursive: true });
  try {
    await Promise.all(
      ENTRIES.map(async ({ out, entry, target }) => {
        const r = await esbuild.build({
          ...targetOptions(target),
          entryPoints: [join(root, entry)],
          outfile: join(scratch, out),
          minify,
          sourcemap: false,
          write: false,
        });
        writeFileSync(join(scratch, out), markRuntimeImports(r.outputFiles[0].text));
      }),
    );
    for (const [f, code] of Object.entries(await subpathModules())) writeFileSync(join(scratch, f), code);
    if (outdir !== BUILD) copyFileSync(WASM, join(scratch, "lockstep.wasm"));
    const sizes = {};
    for (const f of ["lockstep.wasm", ...ENTRIES.map((e) => e.out)]) {
      const b = readFileSync(join(f === "lockstep.wasm" && outdir === BUILD ? BUILD : scratch, f));
      sizes[f] = { bytes: b.length, gzip: gz(b) };
    }
    writeFileSync(join(scratch, "sizes.json"), JSON.stringify(sizes, null, 2) + "\n");
    for (const f of readdirSync(scratch)) renameSync(join(scratch, f), join(outdir, f));
    // Bundles used to live in build/bundle/ with a second copy of the kernel.
    if (outdir === BUILD) rmSync(join(BUILD, "bundle"), { recursive: true, force: true });
    return sizes;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Where the Node entry's kernel module is, and what tsc writes there (reading build/lockstep.wasm). */
export const KERNEL_MODULE = join(root, "dist/platform/kernel.js");

/**
 * Replaces dist/platform/kernel.js (tsc's output of src/platform/kernel.ts, which reads
 * build/lockstep.wasm from disk) with a module holding the kernel's bytes (base64), so that the
 * Node entry needs no file beside it: bundles of it (esbuild --platform=node, serverless functions)
 * carry the kernel. Same exports, same .d.ts.
 */
function embedKernel() {
  const bytes = readFileSync(WASM);
  const sha = createHash("sha256").update(bytes).digest("hex");
  writeAtomic(
    KERNEL_MODULE,
    `// Generated by scripts/bundle.mjs from build/lockstep.wasm (${bytes.length} bytes, sha256 ${sha}):
// the kernel's bytes, so that the Node entry carries its kernel into bundles. In a checkout,
// src/platform/kernel.ts reads build/lockstep.wasm instead.
const BASE64 = "${bytes.toString("base64")}";

/** The bytes of lockstep.wasm (sha256 ${sha.slice(0, 16)}…). */
export async function kernelBytes() {
  const text = atob(BASE64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Where the bytes come from: "embedded" here, "file" in a checkout's sources. */
export const kernelOrigin = "embedded";
`,
  );
}

/**
 * The package's \`require\` entries (dist/index.cjs, dist/io/index.cjs): lockstep is ES modules
 * only, so require() returns the very module \`import\` gives (Node's require of ES modules, no
 * second copy with its own kernel), and where Node cannot do that it says what to do instead.
 */
export function requireEntry(specifier) {
  return `// Generated by scripts/bundle.mjs: require(${JSON.stringify(specifier)}) on Node. lockstep is ES modules only;
// this returns the same module as import (Node's require of ES modules), and says what to do where
// Node cannot require ES modules.
"use strict";
try {
  module.exports = require("./index.js");
} catch (e) {
  if (e && e.code === "ERR_REQUIRE_ESM") {
    throw new Error(
      "lockstep is an ES module: require(${JSON.stringify(specifier).replace(/"/g, "'")}) needs Node.js >= 20.19 or >= 22.12 (require of ES modules), and this is Node.js " +
        process.versions.node +
        ". Use \`const m = await import(${JSON.stringify(specifier).replace(/"/g, "'")})\` (works from CommonJS on Node >= 18.20), or upgrade Node.",
      { cause: e },
    );
  }
  throw e;
}
`;
}

/**
 * Finishes dist/ after tsc (or after a new kernel): the embedded kernel and the \`require\`
 * entries. Does nothing before tsc has run. Returns whether it wrote anything.
 */
export function finishDist() {
  needKernel();
  if (!existsSync(dirname(KERNEL_MODULE))) return false;
  embedKernel();
  writeAtomic(join(root, "dist/index.cjs"), requireEntry("lockstep"));
  writeAtomic(join(root, "dist/io/index.cjs"), requireEntry("lockstep/io"));
  return true;
}

/** dist/schema.json (lockstep/schema.json): the JSON Schema of pipeline JSON, from the transforms' declarations in dist/. */
export async function writeSchema() {
  const docs = join(root, "dist/transforms/docs.js");
  if (!existsSync(docs)) return;
  const { pipelineSchemaText } = await import(pathToFileURL(docs).href);
  writeAtomic(join(root, "dist/schema.json"), pipelineSchemaText());
}

function writeAtomic(path, text) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** The size table as text. */
export function formatSizes(sizes) {
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
  const rows = Object.entries(sizes).map(([f, s]) => `  ${f.padEnd(14)} ${kb(s.bytes).padStart(10)} min  ${kb(s.gzip).padStart(10)} gzip`);
  return rows.join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  // --dist: only finish dist/ (after `tsc` or `asc`); no bundles.
  if (!args.includes("--dist")) {
    const outdir = args[0] ? join(process.cwd(), args[0]) : undefined;
    const sizes = await bundle({ outdir });
    console.log(`bundles in ${relative(process.cwd(), outdir ?? BUILD) || "."}:\n${formatSizes(sizes)}`);
  }
  if (finishDist()) {
    await writeSchema();
    console.log(`dist/: kernel embedded in ${relative(process.cwd(), KERNEL_MODULE)}, require entries and schema.json written`);
  }
}

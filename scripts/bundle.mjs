#!/usr/bin/env node
// Packages lockstep for every runtime with esbuild (run by `npm run build`, after the kernel):
//
//   build/bundle/lockstep.wasm  the kernel, next to the bundles that load it by default
//   build/bundle/browser.js     browsers and Web Workers: fetches ./lockstep.wasm next to itself
//                               (or init({ url | bytes | module }))
//   build/bundle/server.js      Deno and Bun: reads ./lockstep.wasm next to itself from disk
//   build/bundle/workerd.js     Cloudflare workerd: init({ module }) with the wasm as a module binding
//   build/bundle/io.js          lockstep/io (PNG/JPEG in the kernel; BMP/GIF/TIFF through jimp, initialised
//                               only when such a file arrives) for browsers, workers and workerd
//   build/bundle/worker.js      the Loader's worker entry (found next to the bundle by default)
//   build/bundle/sizes.json     minified and gzipped sizes
//
// Node uses dist/ (tsc). Files are written to a scratch folder and renamed into place, so a
// process reading the bundles never sees half a file.
import * as esbuild from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
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

const ENTRIES = [
  { out: "browser.js", entry: "src/index.ts", target: "browser" },
  { out: "server.js", entry: "src/index.ts", target: "server" },
  { out: "workerd.js", entry: "src/index.ts", target: "workerd" },
  { out: "io.js", entry: "src/io/index.ts", target: "browser" },
  { out: "worker.js", entry: "src/data/worker.ts", target: "browser" },
];

function gz(bytes) {
  return gzipSync(bytes, { level: 9 }).length;
}

/**
 * Builds every bundle into `outdir` (default build/bundle) and returns their sizes. The kernel
 * must be built first (`npm run build:wasm`).
 */
export async function bundle({ outdir = join(root, "build/bundle"), minify = true } = {}) {
  const wasm = join(root, "build/lockstep.wasm");
  try {
    statSync(wasm);
  } catch {
    throw new Error("build/lockstep.wasm is missing: run `npm run build:wasm` first");
  }
  mkdirSync(outdir, { recursive: true });
  const scratch = join(dirname(outdir), `.bundle-${process.pid}-${Date.now()}`);
  mkdirSync(scratch, { recursive: true });
  try {
    await Promise.all(
      ENTRIES.map(({ out, entry, target }) =>
        esbuild.build({ ...targetOptions(target), entryPoints: [join(root, entry)], outfile: join(scratch, out), minify, sourcemap: false }),
      ),
    );
    copyFileSync(wasm, join(scratch, "lockstep.wasm"));
    const sizes = {};
    for (const f of ["lockstep.wasm", ...ENTRIES.map((e) => e.out)]) {
      const b = readFileSync(join(scratch, f));
      sizes[f] = { bytes: b.length, gzip: gz(b) };
    }
    writeFileSync(join(scratch, "sizes.json"), JSON.stringify(sizes, null, 2) + "\n");
    for (const f of readdirSync(scratch)) renameSync(join(scratch, f), join(outdir, f));
    return sizes;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The size table as text. */
export function formatSizes(sizes) {
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
  const rows = Object.entries(sizes).map(([f, s]) => `  ${f.padEnd(14)} ${kb(s.bytes).padStart(10)} min  ${kb(s.gzip).padStart(10)} gzip`);
  return rows.join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outdir = process.argv[2] ? join(process.cwd(), process.argv[2]) : undefined;
  const sizes = await bundle({ outdir });
  console.log(`bundles in ${relative(process.cwd(), outdir ?? join(root, "build/bundle")) || "."}:\n${formatSizes(sizes)}`);
}

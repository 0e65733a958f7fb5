#!/usr/bin/env node
// Bundles the example with esbuild ("lockstep" resolves through package.json's exports to
// build/browser.js, "lockstep/io" to build/io.js) and copies the kernel next to
// the worker, where the browser bundle fetches it from. Run `npm run build` first.
//
//   node examples/browser-worker/build.mjs [outdir] [--serve]
import * as esbuild from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = join(here, "../..");

/** Builds the example into `outdir`. */
export async function buildExample(outdir = join(root, "build/examples/browser-worker")) {
  mkdirSync(outdir, { recursive: true });
  await esbuild.build({
    entryPoints: [join(here, "main.js"), join(here, "worker.js")],
    outdir,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    logLevel: "silent",
  });
  copyFileSync(join(here, "index.html"), join(outdir, "index.html"));
  copyFileSync(join(root, "build/lockstep.wasm"), join(outdir, "lockstep.wasm"));
  writeFileSync(join(outdir, "chelsea.png"), readFileSync(join(root, "samples/chelsea.png"))); // the sample is read-only
  return outdir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const outdir = await buildExample(args.find((a) => !a.startsWith("--")));
  if (args.includes("--serve")) {
    const { serveStatic } = await import("../../demo/static-server.mjs");
    const server = await serveStatic({ "/": outdir }, { port: Number(process.env.PORT ?? 0) });
    console.log(`lockstep Web Worker example: ${server.url}`);
  } else console.log(`built into ${outdir}; serve that folder (with .wasm as application/wasm) or pass --serve`);
}

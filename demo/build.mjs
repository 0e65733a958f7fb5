// Builds the demo with esbuild into a folder ready to serve: app.js (main thread), worker.js
// (Web Worker, with lockstep/io for decoding), the kernel next to them, and the sample photos.
import * as esbuild from "esbuild";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { targetOptions } from "../scripts/bundle.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = join(here, "..");

/** Builds the demo into `outdir` (default build/demo) and returns it. */
export async function buildDemo(outdir = join(root, "build/demo"), { minify = true } = {}) {
  const wasm = join(root, "build/lockstep.wasm");
  if (!existsSync(wasm)) throw new Error("build/lockstep.wasm is missing: run `npm run build:wasm` first");
  mkdirSync(join(outdir, "samples"), { recursive: true });
  await esbuild.build({
    ...targetOptions("browser"),
    entryPoints: [join(here, "app.ts"), join(here, "worker.ts")],
    outdir,
    minify,
    sourcemap: true,
  });
  for (const f of ["index.html", "style.css"]) copyFileSync(join(here, f), join(outdir, f));
  copyFileSync(wasm, join(outdir, "lockstep.wasm"));
  for (const f of readdirSync(join(root, "samples"))) {
    if (/\.(png|jpe?g)$/i.test(f)) writeFileSync(join(outdir, "samples", f), readFileSync(join(root, "samples", f)));
  }
  return outdir;
}

#!/usr/bin/env node
// lockstep's command line: `augment` writes seeded outputs and a manifest; `verify` recomputes it.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { fromJSON, Compose, RandomResizedCrop, RandomHorizontalFlip, type Transform } from "../index.js";
import { augment, verify } from "./augment.js";
import type { DecodeMode } from "../io/index.js";

const root = new URL("../../", import.meta.url);
const USAGE = `usage:
  lockstep augment [images or folders...] [--pipeline file.json] [--seed N] [--epochs K] [--out DIR] [--workers N] [--mode RGB|RGBA|L|keep] [--annotations coco.json]
  lockstep verify <manifest.jsonl>

Without images, augments the bundled sample photos with an ImageNet-style training
pipeline (RandomResizedCrop 224, RandomHorizontalFlip) for 2 epochs into ./out.
--workers N decodes and transforms in N worker threads (default 0); the outputs and the
manifest are the same for any N.
--mode decodes every input as Pillow's .convert(mode) does (default RGB, as torchvision's
ImageFolder; keep: the file's own channels).
--annotations coco.json moves each image's COCO boxes (and key points) with it and writes
DIR/annotations.json (COCO) beside the manifest.`;

/** The default pipeline of `lockstep augment`: the training recipe up to the image (so outputs are PNGs). */
export function defaultPipeline(): Transform {
  return new Compose([new RandomResizedCrop(224), new RandomHorizontalFlip()]);
}

async function version(): Promise<string> {
  return (JSON.parse(await readFile(new URL("package.json", root), "utf8")) as { version: string }).version;
}

function int(v: string | undefined, name: string, fallback: number, min: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, got ${v}`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  const [command = "augment", ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") {
    console.log(USAGE);
    return 0;
  }
  if (command === "augment") {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { pipeline: { type: "string" }, seed: { type: "string" }, epochs: { type: "string" }, out: { type: "string" }, workers: { type: "string" }, mode: { type: "string" }, annotations: { type: "string" } },
    });
    const pipeline = values.pipeline ? fromJSON(await readFile(values.pipeline, "utf8")) : defaultPipeline();
    const inputs = positionals.length ? positionals : [fileURLToPath(new URL("samples/", root))];
    const seed = int(values.seed, "seed", 0, 0);
    const epochs = int(values.epochs, "epochs", 2, 1);
    const workers = int(values.workers, "workers", 0, 0);
    const mode = values.mode ?? "RGB";
    if (!["RGB", "RGBA", "L", "keep"].includes(mode)) throw new Error(`--mode must be RGB, RGBA, L or keep, got ${mode}`);
    const started = Date.now();
    const manifest = await augment({ inputs, pipeline, seed, epochs, out: values.out ?? "out", version: await version(), workers, mode: mode as DecodeMode, annotations: values.annotations });
    console.log(`wrote ${manifest} (seed ${seed}, ${epochs} epoch${epochs > 1 ? "s" : ""}) in ${((Date.now() - started) / 1000).toFixed(2)} s`);
    console.log(`check it with: lockstep verify ${manifest}`);
    return 0;
  }
  if (command === "verify") {
    if (rest.length !== 1) throw new Error(`verify takes one manifest path\n${USAGE}`);
    const r = await verify(rest[0]!);
    for (const m of r.mismatches.slice(0, 20)) console.log(`MISMATCH line ${m.line}: ${m.input} epoch ${m.epoch} index ${m.index}: ${m.reason}`);
    console.log(`${r.matched}/${r.total} entries match`);
    return r.matched === r.total ? 0 : 1;
  }
  throw new Error(`unknown command ${JSON.stringify(command)}\n${USAGE}`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`lockstep: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  },
);

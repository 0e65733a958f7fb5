// Runs a recipe module in Node: `node node.mjs <recipe module> <workers> [--worker-factory] <photo>...`;
// prints one JSON line with the SHA-256 of the sample and of each batch. --worker-factory makes the
// Loader's workers itself, from the package export lockstep/worker.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

const [module, workers, ...rest] = process.argv.slice(2);
const factory = rest[0] === "--worker-factory";
const photos = factory ? rest.slice(1) : rest;
const { recipe } = await import(pathToFileURL(module).href);
const worker = factory ? () => new Worker(new URL(import.meta.resolve("lockstep/worker"))) : undefined;
const r = await recipe(photos.map((p) => readFileSync(p)), { workers: Number(workers), worker });
const sha256 = (d) => createHash("sha256").update(d).digest("hex");
console.log(JSON.stringify({ sample: sha256(r.sample), shape: r.shape, batches: r.batches.map(sha256) }));

// Runs a recipe module in Node: `node node.mjs <recipe module> <workers> <photo>...`; prints one
// JSON line with the SHA-256 of the sample and of each batch.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [module, workers, ...photos] = process.argv.slice(2);
const { recipe } = await import(pathToFileURL(module).href);
const r = await recipe(photos.map((p) => readFileSync(p)), { workers: Number(workers) });
const sha256 = (d) => createHash("sha256").update(d).digest("hex");
console.log(JSON.stringify({ sample: sha256(r.sample), shape: r.shape, batches: r.batches.map(sha256) }));

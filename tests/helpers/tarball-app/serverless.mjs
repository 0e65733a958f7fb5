// The recipe as a function bundled for Node (esbuild --platform=node), e.g. a serverless handler:
// `node serverless.js <workers> <photo>...` from a folder without node_modules. Prints the same
// JSON line as node.mjs.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { recipe } from "./recipe.mjs";

const [workers, ...photos] = process.argv.slice(2);
const r = await recipe(photos.map((p) => readFileSync(p)), { workers: Number(workers) });
const sha256 = (d) => createHash("sha256").update(d).digest("hex");
console.log(JSON.stringify({ sample: sha256(r.sample), shape: r.shape, batches: r.batches.map(sha256) }));

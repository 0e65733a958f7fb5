// The JavaScript side of the Python DataLoader tests: runs lockstep's Loader (src/, through tsx) on
// an image folder and prints, per batch, its indices, labels and the SHA-256 of its bytes as JSON
// lines. Usage: node --import tsx python/tests/js/loader.ts '<options JSON>'
// options: { root, pipeline, batchSize, shuffle, seed, epochs: [e...], rank, worldSize, dropLast, uneven, workers }
import { createHash } from "node:crypto";
import { Loader, fromJSON, imageFolder, ready } from "../../../src/index.js";

const o = JSON.parse(process.argv[2]!) as {
  root: string; pipeline: unknown; batchSize: number; shuffle: boolean; seed: number; epochs: number[];
  rank?: number; worldSize?: number; dropLast?: boolean; uneven?: "pad" | "drop"; workers?: number;
};
await ready();
const data = await imageFolder(o.root);
const loader = new Loader(data, {
  pipeline: fromJSON(o.pipeline as never), batchSize: o.batchSize, shuffle: o.shuffle, seed: o.seed,
  rank: o.rank ?? 0, worldSize: o.worldSize ?? 1, dropLast: o.dropLast ?? false, uneven: o.uneven ?? "pad", workers: o.workers ?? 0,
});
for (const epoch of o.epochs) {
  loader.setEpoch(epoch);
  for await (const b of loader) {
    const bytes = new Uint8Array(b.data.buffer, b.data.byteOffset, b.data.byteLength);
    console.log(JSON.stringify({ epoch: b.epoch, batch: b.batch, indices: b.indices, labels: b.labels, shape: b.shape, sha256: createHash("sha256").update(bytes).digest("hex") }));
  }
}
await loader.close();

#!/usr/bin/env node
// lockstep in Node: augment a photo with the classic training recipe (as images, to look at them)
// and print one JSON line per sample: index, params and the SHA-256 of its pixels.
//
//   npm run build && node examples/node.mjs [photo] [outdir]
//
// The same (seed, epoch, index) gives the same bytes in a browser, a Web Worker, Deno, Bun and
// workerd: see examples/deno.ts, examples/browser-worker/ and examples/cloudflare-worker/.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ready, fromJSON } from "lockstep";
import { decode, encodePng } from "lockstep/io";

const photo = process.argv[2] ?? new URL("../samples/chelsea.png", import.meta.url);
const outdir = process.argv[3];

await ready();
const image = await decode(readFileSync(photo));
const pipeline = fromJSON({
  type: "Compose",
  transforms: [
    { type: "RandomResizedCrop", size: 224 },
    { type: "RandomHorizontalFlip" },
    { type: "ColorJitter", brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 },
  ],
});

if (outdir) mkdirSync(outdir, { recursive: true });
for (let index = 0; index < 4; index++) {
  const { output, record } = pipeline.applyWithRecord(image, { seed: 42, epoch: 0, index });
  const sha256 = createHash("sha256").update(output.data).digest("hex");
  if (outdir) writeFileSync(join(outdir, `sample-${index}.png`), await encodePng(output));
  console.log(JSON.stringify({ index, params: record.params, sha256 }));
}

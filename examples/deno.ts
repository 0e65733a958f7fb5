// lockstep in Deno: the same samples as examples/node.mjs, byte for byte.
//
//   npm run build && ./node_modules/.bin/deno run --allow-read examples/deno.ts [photo]
//
// Inside this repository "lockstep" resolves through package.json's exports ("deno" condition:
// build/server.js, which reads the kernel next to itself). In your own project, import
// "npm:lockstep" instead.
import { ready, fromJSON, runtime } from "lockstep";
import { decode } from "lockstep/io";

const photo = Deno.args[0] ?? new URL("../samples/chelsea.png", import.meta.url);

await ready();
const image = await decode(await Deno.readFile(photo));
const pipeline = fromJSON({
  type: "Compose",
  transforms: [
    { type: "RandomResizedCrop", size: 224 },
    { type: "RandomHorizontalFlip" },
    { type: "ColorJitter", brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 },
  ],
});

for (let index = 0; index < 4; index++) {
  const { output, record } = pipeline.applyWithRecord(image, { seed: 42, epoch: 0, index });
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", output.data));
  const sha256 = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  console.log(JSON.stringify({ index, params: record.params, sha256, runtime: runtime() }));
}

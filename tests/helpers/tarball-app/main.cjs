// The README's recipe in CommonJS: require("lockstep") and require("lockstep/io").
// `node main.cjs <photo>...`; prints the same JSON line as node.mjs.
const { ready, Compose, RandomResizedCrop, RandomHorizontalFlip, ToTensor, Normalize, Loader, ArrayDataset } = require("lockstep");
const { decode } = require("lockstep/io");
const { createHash } = require("node:crypto");
const { readFileSync } = require("node:fs");

const sha256 = (d) => createHash("sha256").update(d).digest("hex");

async function main(files) {
  await ready();
  const train = new Compose([new RandomResizedCrop(224), new RandomHorizontalFlip(), new ToTensor(), new Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])]);
  const x = train.apply(await decode(files[0]), { seed: 42, epoch: 3, index: 17 });
  const loader = new Loader(new ArrayDataset(files), { pipeline: train, batchSize: files.length, seed: 42, epoch: 3, workers: 0, decode });
  const batches = [];
  for await (const batch of loader) batches.push(sha256(batch.data));
  await loader.close();
  console.log(JSON.stringify({ sample: sha256(x.data), shape: x.shape, batches }));
}

main(process.argv.slice(2).map((p) => readFileSync(p))).catch((e) => {
  console.error(e);
  process.exit(1);
});

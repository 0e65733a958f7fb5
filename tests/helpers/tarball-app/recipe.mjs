// The README's recipe as an app writes it, in an ES module: load the kernel, decode a photo, apply
// the training pipeline at (seed 42, epoch 3, index 17), then the Loader over two encoded photos.
// Shared by the ESM app, the esbuild Node bundle, the esbuild browser bundle and the Vite build.
import { ready, Compose, RandomResizedCrop, RandomHorizontalFlip, ToTensor, Normalize, Loader, ArrayDataset } from "lockstep";
import { decode } from "lockstep/io";
import { Generator } from "lockstep";
import { RandomGenerator } from "lockstep/random";

/** `files`: the photos' bytes; `worker`: the Loader's optional Worker factory. Returns the sample and each batch, to hash. */
export async function recipe(files, { workers, worker }) {
  await ready(); // loads the wasm kernel once

  const train = new Compose([
    new RandomResizedCrop(224),
    new RandomHorizontalFlip(),
    new ToTensor(),
    new Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
  ]);
  const img = await decode(files[0]);
  const x = train.apply(img, { seed: 42, epoch: 3, index: 17 });
  // A subpath entry is the same lockstep (one kernel, one registry), not a second copy.
  if (RandomGenerator !== Generator) throw new Error("lockstep/random carries a second copy of lockstep");

  const loader = new Loader(new ArrayDataset(files), { pipeline: train, batchSize: files.length, seed: 42, epoch: 3, workers, decode, ...(worker ? { worker } : {}) });
  const batches = [];
  for await (const batch of loader) batches.push(batch.data.slice());
  await loader.close();
  return { sample: x.data, shape: x.shape, batches };
}

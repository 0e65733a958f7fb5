// The README's recipe in strict TypeScript, compiled with `moduleResolution` "bundler" and "node16"
// against the installed package's own declarations (no @types/node, skipLibCheck off); node.mjs runs
// the output.
import { ready, Generator, Compose, RandomResizedCrop, RandomHorizontalFlip, ToTensor, Normalize, Loader, ArrayDataset, type Tensor } from "lockstep";
import { decode } from "lockstep/io";
import { RandomGenerator } from "lockstep/random";

export interface Result {
  sample: Float32Array | Uint8Array;
  shape: number[];
  batches: (Float32Array | Uint8Array)[];
}

export async function recipe(files: Uint8Array[], { workers }: { workers: number }): Promise<Result> {
  await ready();
  const train = new Compose([
    new RandomResizedCrop(224),
    new RandomHorizontalFlip(),
    new ToTensor(),
    new Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
  ]);
  const img = await decode(files[0]!);
  // Typed by the pipeline: a Tensor, with no isTensor() check.
  const x: Tensor = train.apply(img, { seed: 42, epoch: 3, index: 17 });
  // A subpath entry is the same lockstep, not a second copy.
  if (RandomGenerator !== Generator) throw new Error("lockstep/random carries a second copy of lockstep");

  const loader = new Loader(new ArrayDataset(files), { pipeline: train, batchSize: files.length, seed: 42, epoch: 3, workers, decode });
  const batches: Float32Array[] = [];
  for await (const batch of loader) batches.push(batch.data.slice());
  await loader.close();
  return { sample: x.data, shape: x.shape, batches };
}

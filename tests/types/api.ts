// Type tests of the public API: never run, only type-checked (tests/types.test.ts runs
// `tsc -p tsconfig.check.json`). `equal<A, B>(true)` fails to compile unless A and B are the
// same type; every `@ts-expect-error` line is misuse that must stay refused (tsc reports an
// expect-error line that no longer errs, so neither kind of check can pass vacuously).
import {
  ArrayDataset,
  AutoAugment,
  CenterCrop,
  ColorJitter,
  Compose,
  FiveCrop,
  Generator,
  Lambda,
  Loader,
  Normalize,
  RandomApply,
  RandomChoice,
  RandomCrop,
  RandomHorizontalFlip,
  RandomOrder,
  Resize,
  SanitizeBoundingBoxes,
  ToDtype,
  ToPureTensor,
  ToTensor,
  fromJSON,
  type Batch,
  type BoundingBoxes,
  type Image,
  type Mask,
  type SampleOutput,
  type Tensor,
  type Transform,
} from "../../src/index.js";
import { equal } from "./equal.js";


declare const img: Image;
declare const tensor: Tensor;
declare const boxes: BoundingBoxes;
declare const mask: Mask;
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

export function pipelines(): void {
  // The README's pipeline: a tensor, so `x.shape` compiles under strict.
  const train = new Compose([new RandomResizedCropLike(), new RandomHorizontalFlip(), new ToTensor(), new Normalize(MEAN, STD)]);
  const x = train.apply(img, { seed: 42, epoch: 0, index: 7 });
  equal<typeof x, Tensor>(true);
  equal<typeof x.shape, number[]>(true);

  // An image pipeline returns an Image; a kind-keeping one keeps a Tensor a Tensor.
  const aug = new Compose([new Resize(256), new CenterCrop(224), new ColorJitter(0.4)]);
  equal<ReturnType<typeof aug.apply<Image>>, Image>(true);
  const y = aug.apply(img, { seed: 1 });
  equal<typeof y, Image>(true);
  equal<typeof y.data, Uint8Array>(true);
  equal<ReturnType<typeof aug.apply<Tensor>>, Tensor>(true);

  // Single transforms too.
  equal<ReturnType<typeof ToTensor.prototype.apply<Image>>, Tensor>(true);
  const flipped = new RandomHorizontalFlip().apply(img, { seed: 3 });
  equal<typeof flipped, Image>(true);
  const crops = new FiveCrop(32).apply(img);
  equal<typeof crops, Tensor>(true);

  // Nested containers: kinds flow through Compose, RandomApply, RandomChoice and RandomOrder.
  const nested = new Compose([new RandomApply([new ColorJitter(0.2)]), new RandomChoice([new Resize(64), new CenterCrop(64)]), new RandomOrder([new RandomCrop(32)]), new Compose([new ToTensor()])]);
  const n = nested.apply(img, { seed: 5 });
  equal<typeof n, Tensor>(true);
  // A child that may or may not make a tensor: either.
  const maybe = new RandomApply([new ToTensor()]).apply(img, { seed: 5 });
  equal<typeof maybe, Image | Tensor>(true);
  const choice = new RandomChoice([new ToTensor(), new Resize(8)]).apply(img, { seed: 5 });
  equal<typeof choice, Image | Tensor>(true);

  // What cannot be known stays Image | Tensor: JSON pipelines, ToDtype, Lambda, plain Transform[].
  const fromJson = fromJSON({ type: "Compose", transforms: [{ type: "ToTensor" }] }).apply(img);
  equal<typeof fromJson, Image | Tensor>(true);
  equal<ReturnType<typeof ToDtype.prototype.apply<Image>>, Image | Tensor>(true);
  equal<ReturnType<typeof Lambda.prototype.apply<Image>>, Image | Tensor>(true);
  const list: Transform[] = [new Resize(8)];
  const dynamic = new Compose(list).apply(img);
  equal<typeof dynamic, Image | Tensor>(true);
  // Lambda, then ToTensor: a tensor whatever the lambda made.
  const afterLambda = new Compose([new Lambda((x) => x), new ToTensor()]).apply(img);
  equal<typeof afterLambda, Tensor>(true);
  // Default type arguments keep the old meaning.
  equal<SampleOutput<Image>, Image | Tensor>(true);

  // applyWithRecord and replay are typed the same way.
  const { output, record } = train.applyWithRecord(img, { seed: 1 });
  equal<typeof output, Tensor>(true);
  const again = train.replay(img, record);
  equal<typeof again, Tensor>(true);
}

/** Stands for RandomResizedCrop without importing every transform: any kind-keeping transform. */
class RandomResizedCropLike extends Resize {
  constructor() {
    super(224);
  }
}

export function samples(): void {
  // Samples with targets keep their structure; the image takes the pipeline's kind.
  const det = new Compose([new RandomHorizontalFlip(), new SanitizeBoundingBoxes(), new ToTensor()]);
  const s = det.apply({ image: img, boxes, masks: mask, labels: [1, 2], id: "a" }, { seed: 1 });
  equal<typeof s, { image: Tensor; boxes: BoundingBoxes; masks: Mask; labels: number[]; id: string }>(true);
  const t = det.apply([img, { boxes, labels: [3] }] as [Image, { boxes: BoundingBoxes; labels: number[] }], { seed: 1 });
  equal<typeof t, [Tensor, { boxes: BoundingBoxes; labels: number[] }]>(true);
  // ToPureTensor turns targets into plain { shape, data }.
  const pure = new Compose([new ToTensor(), new ToPureTensor()]).apply({ image: img, boxes }, { seed: 1 });
  equal<typeof pure, { image: Tensor; boxes: { shape: number[]; data: Float32Array } }>(true);
  void tensor;
}

export function outBuffers(): void {
  const eval_ = new Compose([new Resize(256), new CenterCrop(224), new ToTensor(), new Normalize(MEAN, STD)]);
  const out = new Float32Array(3 * 224 * 224);
  // `out` with no randomness (a pipeline that draws nothing), with a seed, with a generator, and in replay.
  eval_.apply(img, { out });
  eval_.apply(img, { seed: 1, out });
  eval_.apply(img, { generator: new Generator(1), out });
  const { record } = eval_.applyWithRecord(img, { out });
  eval_.replay(img, record, { out });
  new Resize(8).apply(img, { out: new Uint8Array(8 * 8 * 3) });

  // @ts-expect-error: out must be a Uint8Array or Float32Array
  eval_.apply(img, { out: new Float64Array(3) });
  // @ts-expect-error: index without a seed is refused at run time, and by the types
  eval_.apply(img, { index: 3 });
  // @ts-expect-error: seed and generator together
  eval_.apply(img, { seed: 1, generator: new Generator(1) });
  // @ts-expect-error: a typo in an option
  eval_.apply(img, { sed: 1 });
  // @ts-expect-error: an image pipeline's output has no shape
  void new Compose([new Resize(8)]).apply(img).shape;
  // @ts-expect-error: a tensor pipeline's output has no width
  void new Compose([new ToTensor()]).apply(img).width;
  // @ts-expect-error: Compose takes transforms
  new Compose([{ type: "Resize" }]);
  // @ts-expect-error: apply needs an image, tensor or sample
  eval_.apply(42);
}

export async function loader(): Promise<void> {
  const ds = new ArrayDataset([{ image: img, label: 0 }]);
  const pipeline = new Compose([new Resize(32), new ToTensor(), new Normalize(MEAN, STD)]);
  const tensors = new Loader(ds, { pipeline, batchSize: 8 });
  for await (const batch of tensors) {
    equal<typeof batch.data, Float32Array>(true);
    equal<typeof batch.samples, Tensor[]>(true);
    equal<typeof batch, Batch<Tensor>>(true);
  }
  const images = new Loader(ds, { pipeline: new Compose([new Resize(32), new AutoAugment()]), batchSize: 8, seed: 1 });
  for await (const batch of images) {
    equal<typeof batch.data, Uint8Array>(true);
    equal<typeof batch.samples, Image[]>(true);
  }
  // No pipeline (the decoded images) or a pipeline from JSON: either kind.
  for await (const batch of new Loader(ds)) equal<typeof batch.data, Float32Array | Uint8Array>(true);
  // collate is typed by the pipeline's batch, and its return is what the loop gets.
  const collated = new Loader(ds, { pipeline, collate: (b) => ({ x: b.data, n: b.samples.length }) });
  for await (const c of collated) equal<typeof c, { x: Float32Array; n: number }>(true);
  for await (const batch of new Loader(ds, { pipeline: fromJSON({ type: "ToTensor" }) })) equal<typeof batch.data, Float32Array | Uint8Array>(true);
  // The old spellings still work: Loader<T> is the collated type, a typed Loader is a Loader.
  const old: Loader<Batch> = new Loader(ds);
  const plain: Loader = tensors;
  void old, plain;
  // @ts-expect-error: a pipeline must be a transform
  new Loader(ds, { pipeline: [new Resize(8)] });
}

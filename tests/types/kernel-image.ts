// Type tests of KernelImage (never run, only type-checked; see api.ts): a KernelImage is not an
// Image, apply returns a KernelImage out as such and an image/tensor otherwise, the flips take
// one as input and as out, and misuse stays refused.
import {
  Compose,
  ColorJitter,
  F,
  KernelImage,
  Normalize,
  RandomHorizontalFlip,
  ToTensor,
  kernelImage,
  toKernel,
  isKernelImage,
  type Image,
  type Tensor,
} from "../../src/index.js";
import { equal } from "./equal.js";
import { decodeToKernel } from "../../src/io/index.js";


declare const img: Image;
declare const bytes: Uint8Array;

export function kernelImages(): void {
  const k = toKernel(img);
  const out = kernelImage(224, 224, 3);
  const d = decodeToKernel(bytes, { mode: "RGB" });
  equal<typeof d, KernelImage>(true);
  equal<typeof k.pixels, Uint8Array>(true);
  equal<ReturnType<typeof k.toImage>, Image>(true);
  equal<typeof k.disposed, boolean>(true);

  // apply: a KernelImage out comes back; without one, the transform's kind.
  const aug = new Compose([new ColorJitter(0.4), new RandomHorizontalFlip()]);
  const a = aug.apply(k, { seed: 1, out });
  equal<typeof a, KernelImage>(true);
  const b = aug.apply(img, { seed: 1, out });
  equal<typeof b, KernelImage>(true);
  const c = aug.apply(k, { seed: 1 });
  equal<typeof c, Image>(true);
  const t = new Compose([new ToTensor(), new Normalize([0.5], [0.5])]).apply(k, { out: new Float32Array(3) });
  equal<typeof t, Tensor>(true);

  // The flips: in place in kernel memory.
  const f = F.hflip(k, { out });
  equal<typeof f, KernelImage>(true);
  const g = F.vflip(k);
  equal<typeof g, Image>(true);
  const h = F.hflip(img, { out });
  equal<typeof h, KernelImage>(true);

  // Every other image op: a KernelImage input gives what an Image gives; a KernelImage out
  // (where the op returns one image) is written and returned.
  const br = F.adjustBrightness(k, 1.2);
  equal<typeof br, Image>(true);
  const br2 = F.adjustBrightness(img, 1.2, { out });
  equal<typeof br2, KernelImage>(true);
  const cr = F.crop(k, 0, 0, 224, 224, { out });
  equal<typeof cr, KernelImage>(true);
  const bl = F.gaussianBlur(k, [5, 5], [1, 1], { out });
  equal<typeof bl, KernelImage>(true);
  const tt = F.toTensor(k);
  equal<typeof tt, Tensor>(true);
  // @ts-expect-error a tensor result does not fit a KernelImage out
  F.toTensor(img, { out });
  // @ts-expect-error the op's own options are still checked beside out
  F.adjustBrightness(k, 1.2, { out, semantics: "numpy" });

  // applyBatch: kernel images beside plain ones.
  const batch = aug.applyBatch([k, img]);
  equal<Awaited<typeof batch>["backend"], "wasm" | "webgpu">(true);
  // @ts-expect-error a batch takes images and samples, not numbers
  aug.applyBatch([k, 1]);

  const x: unknown = k;
  if (isKernelImage(x)) equal<typeof x, KernelImage>(true);

  // @ts-expect-error a KernelImage is not an Image (its pixels are not a `data` array)
  const asImage: Image = k;
  // @ts-expect-error no public constructor: kernelImage(), toKernel() or decodeToKernel()
  new KernelImage();
  // @ts-expect-error channels are 1, 3 or 4
  kernelImage(2, 2, 2);
  using scoped = kernelImage(8, 8);
  void scoped;
  void asImage;
  k.dispose();
  out[Symbol.dispose]();
}

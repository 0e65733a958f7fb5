// AugMix's mixing of an image with its augmented chains, in the kernel (assembly/mix.ts) in
// float32 as torchvision: m0 * img + sum_i w_i * chain_i, each product and sum rounded to
// float32 (wasm's f32 * and +), then truncated to u8 as `.to(torch.uint8)`.
import { kernel } from "../kernel/instance.js";
import type { Image } from "../image.js";

const fr = Math.fround;

/**
 * Mixes `img` (weight `original`) with `augs` (the chains' outputs: bytes of the same size,
 * weight `weights[i]` each): float32(m0 * x), then float32(acc + float32(w * aug)) per chain,
 * then min(255, trunc(acc)). The caller checks sizes and weights (the augMix op does).
 */
export function augmixBlend(img: Image, augs: readonly Uint8Array[], original: number, weights: readonly number[]): Image {
  const n = img.data.length;
  const { exports: k, arena } = kernel();
  arena.reset();
  const acc = arena.alloc(n * 4);
  const buf = arena.put(img.data);
  k.mixInit(acc, buf, n, fr(original));
  augs.forEach((aug, i) => {
    arena.u8().set(aug, buf);
    k.mixAdd(acc, buf, n, fr(weights[i]!));
  });
  k.mixFinish(acc, buf, n);
  return { width: img.width, height: img.height, channels: img.channels, data: arena.takeU8(buf, n) };
}

/**
 * Scalar twins of torchvision's ToTensor and Normalize on float32 tensors:
 * ToTensor: `img.permute(2, 0, 1).float().div(255)`; every value is f32(v) / 255 rounded to f32.
 * Normalize: `tensor.sub_(mean).div_(std)` with mean and std as float32 tensors, i.e.
 * f32(f32(x - f32(mean)) / f32(std)). `Math.fround` after every operation.
 */
import type { Image, Tensor } from "../../src/index.js";

const f = Math.fround;

/** The value of byte `v` after ToTensor then Normalize(mean, std) (the fused LUT entry). */
export function lutValue(v: number, mean: number, std: number): number {
  return f(f(f(v / 255) - f(mean)) / f(std));
}

export function toTensor(img: Image): Tensor {
  const { width: w, height: h, channels: c } = img;
  const out = new Float32Array(w * h * c);
  for (let ch = 0; ch < c; ch++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[(ch * h + y) * w + x] = f(img.data[(y * w + x) * c + ch]! / 255);
  return { shape: [c, h, w], data: out };
}

/** CHW or NCHW; mean/std have one entry per channel. */
export function normalize(t: Tensor, mean: number[], std: number[]): Tensor {
  const s = t.shape;
  const c = s[s.length - 3]!;
  const plane = s[s.length - 1]! * s[s.length - 2]!;
  const out = new Float32Array(t.data.length);
  for (let i = 0; i < out.length; i++) {
    const ch = Math.floor(i / plane) % c;
    out[i] = f(f(t.data[i]! - f(mean[ch]!)) / f(std[ch]!));
  }
  return { shape: [...s], data: out };
}

/**
 * Scalar twins of the "tensor-v1" colour ops (torchvision's v1 tensor kernels, which its
 * AugMix runs), written from torchvision 0.28's transforms/_functional_tensor.py on uint8
 * tensors, one value at a time. (The "pil" and "tensor" twins are pilcolor.ts, tvcolor.ts.) binary32
 * arithmetic is Math.fround of the float64 result: exact for + - * / and sqrt of two f32
 * values (float64 has more than 2 * 24 + 2 bits, so the double rounding is harmless).
 *
 * - _blend(img1, img2, r) = (r * img1 + (1 - r) * img2).clamp(0, 255).to(uint8)   (truncation)
 * - rgb_to_grayscale = (0.2989 * r + 0.587 * g + 0.114 * b).to(uint8)
 * - adjust_brightness = _blend(img, 0, f); adjust_contrast = _blend(img, mean(grey), f);
 *   adjust_saturation = _blend(img, grey, f); adjust_sharpness = _blend(img, blurred, f)
 *   with blurred = round(conv2d(img, [1 1 1; 1 5 1; 1 1 1] / 13)) inside, img on the border
 *   (computed here as the nearest integer to the exact sum / 13, which is never a tie).
 * - adjust_gamma: (gain * (v / 255) ** gamma).clamp(0, 1) * 255.999, truncated
 * - invert 255 - v; posterize v & -(2 ** (8 - bits)); solarize v >= t ? 255 - v : v
 * - autocontrast ((v - min) * (reciprocal(max - min) * 255)).clamp(0, 255), flat unchanged
 * - equalize: _scale_channel's histogram formula
 *
 * RGBA: the colour ops change R, G, B and copy alpha (lockstep's rule; torchvision
 * rejects 4 channels). Slow on purpose; they only exist to check the kernel.
 */
import type { Channels, Image } from "../../src/index.js";
import { greyAt, greyImage, greySum, mapColour as map } from "./pixels.js";

const f = Math.fround;
const CR = f(0.2989);
const CG = f(0.587);
const CB = f(0.114);

export const toU8 = (x: number): number => Math.trunc(Math.min(Math.max(x, 0), 255));

export function grey(r: number, g: number, b: number): number {
  return Math.trunc(f(f(f(CR * r) + f(CG * g)) + f(CB * b)));
}

const blend = (a: number, b: number, x: number, y: number): number => toU8(f(f(f(a) * x) + f(f(b) * y)));

export function greyOf(img: Image, i: number): number {
  return greyAt(img, i, grey);
}

export function brightness(img: Image, r: number): Image {
  return map(img, (v) => blend(r, 1 - r, v, 0));
}

/** The grey mean as torch computes it when its f32 sum is exact. */
export function greyMean(img: Image): number {
  return f(f(greySum(img, greyOf)) / f(img.width * img.height));
}

export function contrast(img: Image, r: number): Image {
  const m = greyMean(img);
  return map(img, (v) => toU8(f(f(f(r) * v) + f(f(1 - r) * m))));
}

export function saturation(img: Image, r: number): Image {
  return map(img, (v, _, i) => blend(r, 1 - r, v, greyOf(img, i)));
}

export function blurred(img: Image): Image {
  const { width: w, height: h, channels: c } = img;
  const out = img.data.slice();
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      for (let ch = 0; ch < c; ch++) {
        let s = 4 * img.data[(y * w + x) * c + ch]!;
        for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) s += img.data[((y + dy) * w + x + dx) * c + ch]!;
        out[(y * w + x) * c + ch] = Math.round(s / 13);
      }
    }
  }
  return { ...img, data: out };
}

export function sharpness(img: Image, r: number): Image {
  if (img.width <= 2 || img.height <= 2) return { ...img, data: img.data.slice() };
  const b = blurred(img);
  return map(img, (v, ch, i) => blend(r, 1 - r, v, b.data[i * img.channels + ch]!));
}

export function gammaValue(v: number, gamma: number, gain: number): number {
  const x = f(v / 255);
  let y: number;
  if (gamma === 0) y = 1;
  else if (gamma === 1) y = x;
  else if (gamma === 0.5) y = f(Math.sqrt(x));
  else if (gamma === 2) y = f(x * x);
  else if (gamma === 3) y = f(f(x * x) * x);
  else y = f(Math.pow(x, f(gamma)));
  y = Math.min(Math.max(f(f(gain) * y), 0), 1);
  return Math.trunc(f(y * f(256 - 0.001)));
}

export function gamma(img: Image, g: number, gain = 1): Image {
  return map(img, (v) => gammaValue(v, g, gain));
}

export const invert = (img: Image): Image => map(img, (v) => 255 - v);
export const posterize = (img: Image, bits: number): Image => map(img, (v) => v & -(2 ** (8 - bits)) & 255);
export const solarize = (img: Image, t: number): Image => map(img, (v) => (v >= f(t) ? 255 - v : v));

function channel(img: Image, ch: number): number[] {
  return Array.from({ length: img.width * img.height }, (_, i) => img.data[i * img.channels + ch]!);
}

export function autocontrast(img: Image): Image {
  const cc = img.channels === 4 ? 3 : img.channels;
  const luts: number[][] = [];
  for (let ch = 0; ch < cc; ch++) {
    const vals = channel(img, ch);
    const lo = Math.min(...vals);
    const hi = Math.max(...vals);
    if (lo === hi) {
      luts.push(Array.from({ length: 256 }, (_, v) => v));
      continue;
    }
    const scale = f(f(1 / f(hi - lo)) * 255);
    luts.push(Array.from({ length: 256 }, (_, v) => toU8(f(f(v - lo) * scale))));
  }
  return map(img, (v, ch) => luts[ch]![v]!);
}

export function equalize(img: Image): Image {
  const cc = img.channels === 4 ? 3 : img.channels;
  const luts: number[][] = [];
  for (let ch = 0; ch < cc; ch++) {
    const hist = new Array<number>(256).fill(0);
    for (const v of channel(img, ch)) hist[v] = hist[v]! + 1;
    const nonzero = hist.filter((x) => x !== 0);
    const step = Math.floor(nonzero.slice(0, -1).reduce((a, b) => a + b, 0) / 255);
    if (step === 0) {
      luts.push(Array.from({ length: 256 }, (_, v) => v));
      continue;
    }
    const lut = [0];
    let cum = 0;
    for (let v = 0; v < 255; v++) {
      cum += hist[v]!;
      lut.push(Math.min(255, Math.floor((cum + Math.floor(step / 2)) / step)));
    }
    luts.push(lut);
  }
  return map(img, (v, ch) => luts[ch]![v]!);
}

export function grayscale(img: Image, numOutputChannels: 1 | 3): Image {
  // v1's l_img.expand(img.shape): a grey image keeps its one channel.
  const outC: Channels = numOutputChannels === 1 || img.channels === 1 ? 1 : img.channels === 4 ? 4 : 3;
  return greyImage(img, outC, greyOf);
}

export function permute(img: Image, perm: number[]): Image {
  const c = img.channels;
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < img.width * img.height; i++) for (let k = 0; k < c; k++) out[i * c + k] = img.data[i * c + perm[k]!]!;
  return { ...img, data: out };
}

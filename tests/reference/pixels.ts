// Pixel plumbing the colour twins (color.ts, pilcolor.ts, tvcolor.ts) share: walking the colour
// channels, a channel's range, filling grey channels. No arithmetic of any flavour lives here:
// each twin passes its own grey formula. Shared among the twins only, never with src/ or the kernel.
import type { Channels, Image } from "../../src/index.js";

/** Applies `fn(value, channel, pixel)` to the colour channels; alpha is copied. */
export function mapColour(img: Image, fn: (v: number, ch: number, i: number) => number): Image {
  const c = img.channels;
  const cc = c === 4 ? 3 : c;
  const out = img.data.slice();
  for (let i = 0; i < img.width * img.height; i++) for (let ch = 0; ch < cc; ch++) out[i * c + ch] = fn(img.data[i * c + ch]!, ch, i);
  return { ...img, data: out };
}

/** Replaces each pixel's (r, g, b) by `fn(r, g, b)`; alpha is copied, a one-channel image returned as it is. */
export function mapRgb(img: Image, fn: (r: number, g: number, b: number) => [number, number, number]): Image {
  const c = img.channels;
  const out = img.data.slice();
  if (c === 1) return { ...img, data: out };
  for (let i = 0; i < img.width * img.height; i++) {
    const p = i * c;
    out.set(fn(img.data[p]!, img.data[p + 1]!, img.data[p + 2]!), p);
  }
  return { ...img, data: out };
}

/** Pixel i's grey value by `grey(r, g, b)`; a one-channel image's value as it is. */
export function greyAt(img: Image, i: number, grey: (r: number, g: number, b: number) => number): number {
  const p = i * img.channels;
  return img.channels === 1 ? img.data[p]! : grey(img.data[p]!, img.data[p + 1]!, img.data[p + 2]!);
}

/** The sum of every pixel's grey value (exact: at most 255 * 2^24 for the images the tests use). */
export function greySum(img: Image, greyOf: (img: Image, i: number) => number): number {
  let s = 0;
  for (let i = 0; i < img.width * img.height; i++) s += greyOf(img, i);
  return s;
}

/** [lowest, highest] value of channel `ch`. */
export function channelRange(img: Image, ch: number): [number, number] {
  let lo = 255;
  let hi = 0;
  for (let i = 0; i < img.width * img.height; i++) {
    const v = img.data[i * img.channels + ch]!;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return [lo, hi];
}

/** An image of `outC` channels whose colour channels hold pixel i's `greyOf`; a fourth channel is the input's alpha. */
export function greyImage(img: Image, outC: Channels, greyOf: (img: Image, i: number) => number): Image {
  const n = img.width * img.height;
  const out = new Uint8Array(n * outC);
  for (let i = 0; i < n; i++) {
    const g = greyOf(img, i);
    for (let k = 0; k < Math.min(outC, 3); k++) out[i * outC + k] = g;
    if (outC === 4) out[i * 4 + 3] = img.data[i * 4 + 3]!;
  }
  return { width: img.width, height: img.height, channels: outC, data: out };
}

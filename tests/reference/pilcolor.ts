/**
 * Scalar twins of the "pil" colour ops, written from Pillow 12.3's C (Blend.c, Convert.c,
 * Filter.c) and torchvision 0.28's transforms/_functional_pil.py, one value at a time.
 * binary32 steps are Math.fround of the float64 result (exact for + - * / of two binary32
 * values); binary64 steps are plain JavaScript arithmetic. RGBA: colour changed, alpha
 * copied. Slow on purpose; they only exist to check the kernel.
 */
import type { Channels, Image } from "../../src/index.js";
import { channelRange, greyAt, greyImage, greySum, mapColour as map, mapRgb } from "./pixels.js";

const f = Math.fround;

/** Blend.c: (UINT8)(d + alpha * (x - d)), clipped. */
export const blend = (d: number, x: number, alpha: number): number => Math.trunc(Math.min(Math.max(f(d + f(f(alpha) * (x - d))), 0), 255));

/** Convert.c's L24. */
export const grey = (r: number, g: number, b: number): number => Math.floor((r * 19595 + g * 38470 + b * 7471 + 0x8000) / 65536);

function greyOf(img: Image, i: number): number {
  return greyAt(img, i, grey);
}

export const brightness = (img: Image, a: number): Image => map(img, (v) => blend(0, v, a));

export function contrastMean(img: Image): number {
  return Math.trunc(greySum(img, greyOf) / (img.width * img.height) + 0.5);
}

export function contrast(img: Image, a: number): Image {
  const m = contrastMean(img);
  return map(img, (v) => blend(m, v, a));
}

export const saturation = (img: Image, a: number): Image => (img.channels === 1 ? { ...img, data: img.data.slice() } : map(img, (v, _, i) => blend(greyOf(img, i), v, a)));

/** ImageFilter.SMOOTH as Filter.c evaluates it. */
export function smooth(img: Image): Image {
  const { width: w, height: h, channels: c } = img;
  const out = img.data.slice();
  if (w < 3 || h < 3) return { ...img, data: out };
  const k1 = f(1 / 13);
  const k5 = f(5 / 13);
  const at = (y: number, x: number, ch: number) => img.data[(y * w + x) * c + ch]!;
  const row = (y: number, x: number, ch: number, mid: number) => f(f(f(at(y, x - 1, ch) * k1) + f(at(y, x, ch) * mid)) + f(at(y, x + 1, ch) * k1));
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      for (let ch = 0; ch < c; ch++) {
        let ss = f(0.5 + row(y + 1, x, ch, k1));
        ss = f(ss + row(y, x, ch, k5));
        ss = f(ss + row(y - 1, x, ch, k1));
        out[(y * w + x) * c + ch] = Math.trunc(Math.min(ss, 255));
      }
    }
  }
  return { ...img, data: out };
}

export function sharpness(img: Image, a: number): Image {
  const s = smooth(img);
  return map(img, (v, ch, i) => blend(s.data[i * img.channels + ch]!, v, a));
}

const cround = (x: number): number => {
  const fl = Math.floor(x);
  return x - fl >= 0.5 ? fl + 1 : fl;
};
const clip8 = (v: number): number => Math.min(Math.max(v, 0), 255);

/** Convert.c's rgb2hsv_row, shift, hsv2rgb for one pixel. */
export function huePixel(r: number, g: number, b: number, hf: number): [number, number, number] {
  const maxc = Math.max(r, g, b);
  const minc = Math.min(r, g, b);
  let uh = 0;
  let us = 0;
  if (maxc !== minc) {
    const cr = maxc - minc;
    const s = f(cr / maxc);
    const rc = f((maxc - r) / cr);
    const gc = f((maxc - g) / cr);
    const bc = f((maxc - b) / cr);
    let h = r === maxc ? f(bc - gc) : g === maxc ? f(2.0 + rc - bc) : f(4.0 + gc - rc);
    h = f((h / 6.0 + 1.0) % 1.0);
    uh = clip8(Math.trunc(h * 255.0));
    us = clip8(Math.trunc(s * 255.0));
  }
  const H = (uh + (Math.trunc(hf * 255) & 255)) & 255;
  const v = maxc;
  if (us === 0) return [v, v, v];
  const x6 = (f(H) * 6.0) / 255.0;
  const i = Math.floor(x6);
  const fr = f(x6 - i);
  const fs = f(us / 255.0);
  const p = clip8(cround(v * (1.0 - fs)));
  const q = clip8(cround(v * (1.0 - f(fs * fr))));
  const t = clip8(cround(v * (1.0 - fs * (1.0 - fr))));
  return ([[v, t, p], [q, v, p], [p, v, t], [p, q, v], [t, p, v], [v, p, q]] as const)[i % 6]!.slice() as [number, number, number];
}

export const hue = (img: Image, hf: number): Image => mapRgb(img, (r, g, b) => huePixel(r, g, b, hf));

export function gamma(img: Image, g: number, gain = 1): Image {
  const lut = Array.from({ length: 256 }, (_, v) => clip8(Math.trunc((255 + 1 - 1e-3) * gain * Math.pow(v / 255.0, g))));
  return map(img, (v) => lut[v]!);
}

export function autocontrast(img: Image): Image {
  const cc = img.channels === 4 ? 3 : img.channels;
  const luts: number[][] = [];
  for (let ch = 0; ch < cc; ch++) {
    const [lo, hi] = channelRange(img, ch);
    if (hi <= lo) {
      luts.push(Array.from({ length: 256 }, (_, v) => v));
      continue;
    }
    const scale = 255.0 / (hi - lo);
    const offset = -lo * scale;
    luts.push(Array.from({ length: 256 }, (_, v) => clip8(Math.trunc(v * scale + offset))));
  }
  return map(img, (v, ch) => luts[ch]![v]!);
}

export function grayscale(img: Image, numOutputChannels: 1 | 3): Image {
  const outC: Channels = numOutputChannels === 1 ? 1 : img.channels === 4 ? 4 : 3;
  return greyImage(img, outC, greyOf);
}

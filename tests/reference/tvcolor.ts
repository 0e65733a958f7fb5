/**
 * Scalar twins of the "tensor" colour ops, written from torchvision 0.28's
 * transforms/v2/functional/_color.py on uint8 tensors. torch's x86-64 kernels fuse
 * `a.add_(b, alpha=k)` into one binary32 FMA; the twin computes a * b + c exactly with
 * BigInt and rounds it once to binary32 (half to even), sharing nothing with the kernel's
 * round-to-odd emulation. Other binary32 steps are Math.fround. RGBA: colour changed,
 * alpha copied. Slow on purpose.
 */
import type { Channels, Image } from "../../src/index.js";
import { channelRange, greyAt, greyImage, greySum, mapColour as map, mapRgb } from "./pixels.js";

const f = Math.fround;

/** value = m * 2^e for a finite double. */
function split(x: number): [bigint, number] {
  if (x === 0) return [0n, 0];
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  const hi = dv.getUint32(0);
  const lo = dv.getUint32(4);
  const expBits = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (expBits === 0) e = -1074;
  else {
    m |= 1n << 52n;
    e = expBits - 1075;
  }
  return [x < 0 ? -m : m, e];
}

/** round32(a * b + c), exactly (normal binary32 results). */
export function fma32(a: number, b: number, c: number): number {
  const [ma, ea] = split(a);
  const [mb, eb] = split(b);
  const [mc, ec] = split(c);
  const e1 = ea + eb;
  const e = Math.min(e1, ec);
  const sum = ((ma * mb) << BigInt(e1 - e)) + (mc << BigInt(ec - e));
  if (sum === 0n) return 0;
  const neg = sum < 0n;
  let m = neg ? -sum : sum;
  let exp = e;
  const bits = m.toString(2).length;
  if (bits > 24) {
    const shift = BigInt(bits - 24);
    const rem = m & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    m >>= shift;
    exp += bits - 24;
    if (rem > half || (rem === half && (m & 1n) === 1n)) m += 1n;
  }
  const v = Number(m) * 2 ** exp;
  return neg ? -v : v;
}

const CR = f(0.2989);
const CG = f(0.587);
const CB = f(0.114);
export const toU8 = (x: number): number => Math.trunc(Math.min(Math.max(x, 0), 255));

export const grey = (r: number, g: number, b: number): number => Math.floor(fma32(b, CB, fma32(g, CG, f(r * CR))));

function greyOf(img: Image, i: number): number {
  return greyAt(img, i, grey);
}

/** _blend(x, y, r) = x.mul(r).add_(y, alpha=1 - r), clamped, truncated. */
const blend = (x: number, y: number, r: number): number => toU8(fma32(y, f(1 - r), f(x * f(r))));

export const brightness = (img: Image, r: number): Image => map(img, (v) => toU8(f(v * f(r))));

export function mean(img: Image): number {
  return f(f(greySum(img, greyOf)) / f(img.width * img.height));
}

export function contrast(img: Image, r: number): Image {
  const m = mean(img);
  return map(img, (v) => blend(v, m, r));
}

export const saturation = (img: Image, r: number): Image => (img.channels === 1 ? { ...img, data: img.data.slice() } : map(img, (v, _, i) => blend(v, greyOf(img, i), r)));

/** The rounded convolution (exact k / 13 is never a tie) inside, the image on the border. */
function blurred(img: Image): Uint8Array {
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
  return out;
}

export function sharpness(img: Image, r: number): Image {
  if (img.width <= 2 || img.height <= 2) return { ...img, data: img.data.slice() };
  const b = blurred(img);
  return map(img, (v, ch, i) => toU8(fma32(b[i * img.channels + ch]! - v, f(1 - r), v)));
}

const INV = f(1 / 255);
const TO_U8 = f(255 + 1 - 1e-3);

/** v2's _rgb_to_hsv, (h + hf) % 1, _hsv_to_rgb for one pixel. */
export function huePixel(R: number, G: number, B: number, hf: number): [number, number, number] {
  const r = f(R * INV);
  const g = f(G * INV);
  const b = f(B * INV);
  const maxc = Math.max(r, g, b);
  const minc = Math.min(r, g, b);
  const eqc = maxc === minc;
  const cr = f(maxc - minc);
  const s = f(cr / (eqc ? 1 : maxc));
  const d = eqc ? 1 : cr;
  const rc = f(f(maxc - r) / d);
  const gc = f(f(maxc - g) / d);
  const bc = f(f(maxc - b) / d);
  const hr = maxc === r ? f(bc - gc) : 0;
  const hg = maxc === g && maxc !== r ? f(f(rc + 2) - bc) : 0;
  const hb = maxc !== g && maxc !== r ? f(f(gc + 4) - rc) : 0;
  let h = f(f(hr + hg) + hb);
  h = f(f(h * f(1 / 6)) + 1) % 1;
  let u = f(h + f(hf)) % 1;
  if (u < 0) u = f(u + 1);
  const h6 = f(u * 6);
  const i = Math.floor(h6);
  const fr = f(h6 - i);
  const sxf = f(s * fr);
  const oms = f(1 - s);
  const v = maxc;
  const c01 = (x: number) => Math.min(Math.max(x, 0), 1);
  const q = c01(f(f(1 - sxf) * v));
  const t = c01(f(f(sxf + oms) * v));
  const p = c01(f(oms * v));
  const rgb = ([[v, t, p], [q, v, p], [p, v, t], [p, q, v], [t, p, v], [v, p, q]] as const)[i % 6]!;
  return rgb.map((x) => Math.trunc(f(x * TO_U8))) as [number, number, number];
}

export const hue = (img: Image, hf: number): Image => mapRgb(img, (r, g, b) => huePixel(r, g, b, hf));

export function gamma(img: Image, g: number, gain = 1): Image {
  const e = f(g);
  const lut = Array.from({ length: 256 }, (_, v) => {
    const x = f(v * INV);
    let y = e === 0 ? 1 : e === 1 ? x : e === 0.5 ? f(Math.sqrt(x)) : e === 2 ? f(x * x) : e === 3 ? f(f(x * x) * x) : f(Math.pow(x, e));
    if (gain !== 1) y = Math.min(Math.max(f(y * f(gain)), 0), 1);
    return Math.trunc(f(y * TO_U8));
  });
  return map(img, (v) => lut[v]!);
}

export function autocontrast(img: Image): Image {
  const cc = img.channels === 4 ? 3 : img.channels;
  const luts: number[][] = [];
  for (let ch = 0; ch < cc; ch++) {
    const [lo, hi] = channelRange(img, ch);
    const inv = lo === hi ? 1 : f(f(hi - lo) * INV);
    const m = lo === hi ? 0 : lo;
    luts.push(Array.from({ length: 256 }, (_, v) => toU8(f(f(v - m) / inv))));
  }
  return map(img, (v, ch) => luts[ch]![v]!);
}

export function grayscale(img: Image, numOutputChannels: 1 | 3): Image {
  const outC: Channels = numOutputChannels === 1 ? 1 : img.channels === 4 ? 4 : 3;
  return greyImage(img, outC, greyOf);
}

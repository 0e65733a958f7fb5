// Colour ops: torchvision.transforms.functional (tensor backend, 0.14) on u8 images, with
// torchvision's bytes. Every pixel is computed in the kernel (assembly/color.ts): lookup
// tables, integers, or IEEE binary32 + - * / in torchvision's order, never an engine's Math.
//
// Channels: 1 (grey), 3 (RGB) or 4 (RGBA: the colour ops act on RGB and copy alpha;
// torchvision 0.14 rejects 4-channel tensors). adjustSaturation and adjustHue need colour
// (3 or 4 channels).
import { kernel } from "../kernel/instance.js";
import { checkImage, describe, type Channels, type Image } from "../image.js";
import { checkOptions, checkFinite, checkInt } from "./args.js";
import { checkOut } from "./resample.js";
import type { OutOptions } from "./geometry.js";

/** The kernel's colour exports (assembly/color.ts). */
interface ColorKernel {
  colorLutBlend(a: number, b: number, other: number, out: number): void;
  colorLutGamma(gamma: number, gain: number, out: number): void;
  colorLutInvert(out: number): void;
  colorLutPosterize(bits: number, out: number): void;
  colorLutSolarize(threshold: number, out: number): void;
  colorLutAutocontrast(lo: number, hi: number, out: number): void;
  colorLutEqualize(hist: number, out: number): void;
  colorMinMax(src: number, n: number, c: number, out: number): void;
  colorHistograms(src: number, n: number, c: number, hist: number): void;
  colorMean(src: number, n: number, c: number, tmp: number): number;
  colorApplyLut(src: number, n: number, c: number, luts: number, dst: number): void;
  colorGrayscale(src: number, n: number, c: number, outC: number, dst: number): void;
  colorBlend(x: number, y: number, bytes: number, c: number, a: number, b: number, dst: number): void;
  colorBlur3(src: number, w: number, h: number, c: number, dst: number): void;
  colorHue(src: number, n: number, c: number, hf: number, dst: number): void;
  colorPermute(src: number, n: number, c: number, perm: number, dst: number): void;
}

/** Largest factor accepted by the adjust* ops (beyond it every output is saturated anyway). */
export const MAX_FACTOR = 1e6;

function ck() {
  const { exports, arena } = kernel();
  return { x: exports as unknown as ColorKernel, arena };
}

/** A non-negative factor (brightness, contrast, saturation, sharpness, gamma). */
export function checkFactor(v: unknown, name: string): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > MAX_FACTOR) {
    throw new RangeError(`${name} must be a finite number in [0, ${MAX_FACTOR}], got ${describe(v)}`);
  }
  return v;
}

/** A hue shift in [-0.5, 0.5]. */
export function checkHue(v: unknown, name = "hueFactor"): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < -0.5 || v > 0.5) {
    throw new RangeError(`${name} must be a finite number in [-0.5, 0.5], got ${describe(v)}`);
  }
  return v;
}

/** Posterize bits: an integer in [0, 8]. */
export function checkBits(v: unknown, name = "bits"): number {
  return checkInt(v, name, 0, 8);
}

/** Solarize threshold: a number in [0, 255]. */
export function checkThreshold(v: unknown, name = "threshold"): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 255) {
    throw new RangeError(`${name} must be a finite number in [0, 255], got ${describe(v)}`);
  }
  return v;
}

/** A permutation of 0..n-1. */
export function checkPermutation(v: unknown, n: number, name = "permutation"): number[] {
  if (!Array.isArray(v) || v.length !== n || !v.every((x) => Number.isInteger(x) && x >= 0 && x < n) || new Set(v).size !== n) {
    throw new RangeError(`${name} must be a permutation of [${Array.from({ length: n }, (_, i) => i).join(", ")}] (one entry per channel), got ${describe(v)}`);
  }
  return [...(v as number[])];
}

function needColor(img: Image, op: string): void {
  if (img.channels === 1) {
    throw new RangeError(`${op} needs a colour image (3 or 4 channels), got 1 channel; torchvision returns grey images unchanged, skip the op for them`);
  }
}

function result(img: Image, channels: Channels, dst: number, opts: OutOptions): Image {
  const n = img.width * img.height * channels;
  const { arena } = ck();
  return { width: img.width, height: img.height, channels, data: arena.takeU8(dst, n, checkOut(checkOptions(opts).out, Uint8Array, n)) };
}

/** Runs `fill(luts)` (which writes one table, or one per colour channel when `perChannel`) and maps the image through them. */
function throughLut(img: Image, opts: OutOptions, fill: (x: ColorKernel, luts: number, src: number) => void, perChannel = false): Image {
  const { x, arena } = ck();
  const c = img.channels;
  arena.reset();
  const src = arena.put(img.data);
  const luts = arena.alloc(768);
  fill(x, luts, src);
  if (!perChannel && c !== 1) {
    const m = arena.u8();
    m.copyWithin(luts + 256, luts, luts + 256);
    m.copyWithin(luts + 512, luts, luts + 256);
  }
  const dst = arena.alloc(img.data.length);
  x.colorApplyLut(src, img.width * img.height, c, luts, dst);
  return result(img, c, dst, opts);
}

/** Scales brightness: `(factor * img).clamp(0, 255)` truncated (torchvision F.adjust_brightness). 0 is black, 1 the original. */
export function adjustBrightness(img: Image, brightnessFactor: number, opts: OutOptions = {}): Image {
  img = checkImage(img);
  const r = checkFactor(brightnessFactor, "brightnessFactor");
  return throughLut(img, opts, (x, lut) => x.colorLutBlend(r, 1 - r, 0, lut));
}

/**
 * Blends with the mean of the grey image (torchvision F.adjust_contrast). 0 gives a flat
 * grey image, 1 the original. The mean is exact (integer sum) before its f32 rounding.
 */
export function adjustContrast(img: Image, contrastFactor: number, opts: OutOptions = {}): Image {
  img = checkImage(img);
  const r = checkFactor(contrastFactor, "contrastFactor");
  return throughLut(img, opts, (x, lut, src) => {
    const n = img.width * img.height;
    const tmp = ck().arena.alloc(n);
    x.colorLutBlend(r, 1 - r, x.colorMean(src, n, img.channels, tmp), lut);
  });
}

/** Blends each pixel with its grey value (torchvision F.adjust_saturation). 0 is grey, 1 the original. Needs 3 or 4 channels. */
export function adjustSaturation(img: Image, saturationFactor: number, opts: OutOptions = {}): Image {
  img = checkImage(img);
  const r = checkFactor(saturationFactor, "saturationFactor");
  needColor(img, "adjustSaturation");
  const { x, arena } = ck();
  const c = img.channels;
  const n = img.data.length;
  arena.reset();
  const src = arena.put(img.data);
  const grey = arena.alloc(n);
  x.colorGrayscale(src, img.width * img.height, c, c, grey);
  const dst = arena.alloc(n);
  x.colorBlend(src, grey, n, c, r, 1 - r, dst);
  return result(img, c, dst, opts);
}

/**
 * Shifts the hue by `hueFactor` turns, in [-0.5, 0.5] (torchvision F.adjust_hue: RGB -> HSV,
 * h = (h + hueFactor) % 1, back to RGB, all in f32). Needs 3 or 4 channels.
 */
export function adjustHue(img: Image, hueFactor: number, opts: OutOptions = {}): Image {
  img = checkImage(img);
  const hf = checkHue(hueFactor);
  needColor(img, "adjustHue");
  const { x, arena } = ck();
  arena.reset();
  const src = arena.put(img.data);
  const dst = arena.alloc(img.data.length);
  x.colorHue(src, img.width * img.height, img.channels, hf, dst);
  return result(img, img.channels, dst, opts);
}

/** Gamma correction `255 * gain * (v / 255) ** gamma`, clamped (torchvision F.adjust_gamma). */
export function adjustGamma(img: Image, gamma: number, gain = 1, opts: OutOptions = {}): Image {
  img = checkImage(img);
  const g = checkFactor(gamma, "gamma");
  const k = checkFinite(gain, "gain");
  if (Math.abs(k) > MAX_FACTOR) throw new RangeError(`gain must be a finite number in [-${MAX_FACTOR}, ${MAX_FACTOR}], got ${k}`);
  return throughLut(img, opts, (x, lut) => x.colorLutGamma(g, k, lut));
}

/**
 * Blends with a smoothed image ([1 1 1; 1 5 1; 1 1 1] / 13 inside, the border unchanged)
 * (torchvision F.adjust_sharpness). 0 blurs, 1 is the original, 2 sharpens. Images with a
 * side of 1 or 2 pixels are returned unchanged, as torchvision does.
 */
export function adjustSharpness(img: Image, sharpnessFactor: number, opts: OutOptions = {}): Image {
  img = checkImage(img);
  const r = checkFactor(sharpnessFactor, "sharpnessFactor");
  const { x, arena } = ck();
  const n = img.data.length;
  arena.reset();
  const src = arena.put(img.data);
  if (img.width <= 2 || img.height <= 2) return result(img, img.channels, src, opts);
  const blurred = arena.alloc(n);
  x.colorBlur3(src, img.width, img.height, img.channels, blurred);
  const dst = arena.alloc(n);
  x.colorBlend(src, blurred, n, img.channels, r, 1 - r, dst);
  return result(img, img.channels, dst, opts);
}

/**
 * Grey `(0.2989 r + 0.587 g + 0.114 b)` truncated, as torchvision F.rgb_to_grayscale.
 * numOutputChannels 1 gives one channel (an RGBA image loses its alpha); 3 gives grey RGB,
 * plus the alpha for RGBA (4 channels). A grey image is copied (or repeated thrice).
 */
export function rgbToGrayscale(img: Image, numOutputChannels: 1 | 3 = 1, opts: OutOptions = {}): Image {
  img = checkImage(img);
  if (numOutputChannels !== 1 && numOutputChannels !== 3) throw new RangeError(`numOutputChannels must be 1 or 3, got ${describe(numOutputChannels)}`);
  const outC: Channels = numOutputChannels === 1 ? 1 : img.channels === 4 ? 4 : 3;
  const { x, arena } = ck();
  arena.reset();
  const src = arena.put(img.data);
  const dst = arena.alloc(img.width * img.height * outC);
  x.colorGrayscale(src, img.width * img.height, img.channels, outC, dst);
  return result(img, outC, dst, opts);
}

/** 255 - v (torchvision F.invert). */
export function invert(img: Image, opts: OutOptions = {}): Image {
  img = checkImage(img);
  return throughLut(img, opts, (x, lut) => x.colorLutInvert(lut));
}

/** Keeps the top `bits` bits of each value, bits in [0, 8] (torchvision F.posterize). */
export function posterize(img: Image, bits: number, opts: OutOptions = {}): Image {
  img = checkImage(img);
  const b = checkBits(bits);
  return throughLut(img, opts, (x, lut) => x.colorLutPosterize(b, lut));
}

/** Inverts values >= threshold, threshold in [0, 255] (torchvision F.solarize). */
export function solarize(img: Image, threshold: number, opts: OutOptions = {}): Image {
  img = checkImage(img);
  const t = checkThreshold(threshold);
  return throughLut(img, opts, (x, lut) => x.colorLutSolarize(t, lut));
}

/** Stretches each channel to [0, 255] from its own minimum and maximum (torchvision F.autocontrast). */
export function autocontrast(img: Image, opts: OutOptions = {}): Image {
  img = checkImage(img);
  const cc = img.channels === 4 ? 3 : img.channels;
  return throughLut(
    img,
    opts,
    (x, luts, src) => {
      const mm = ck().arena.alloc(112);
      x.colorMinMax(src, img.width * img.height, img.channels, mm);
      const m = ck().arena.u8();
      for (let ch = 0; ch < cc; ch++) x.colorLutAutocontrast(m[mm + ch]!, m[mm + img.channels + ch]!, luts + ch * 256);
    },
    true,
  );
}

/** Histogram equalization per channel, torchvision's integer formula (torchvision F.equalize). */
export function equalize(img: Image, opts: OutOptions = {}): Image {
  img = checkImage(img);
  const cc = img.channels === 4 ? 3 : img.channels;
  return throughLut(
    img,
    opts,
    (x, luts, src) => {
      const hist = ck().arena.alloc(3 * 1024);
      x.colorHistograms(src, img.width * img.height, img.channels, hist);
      for (let ch = 0; ch < cc; ch++) x.colorLutEqualize(hist + ch * 1024, luts + ch * 256);
    },
    true,
  );
}

/**
 * Reorders channels: output channel k is input channel permutation[k] (torchvision v2
 * F.permute_channels). `permutation` has one entry per channel (alpha included for RGBA).
 */
export function permuteChannels(img: Image, permutation: number[], opts: OutOptions = {}): Image {
  img = checkImage(img);
  const p = checkPermutation(permutation, img.channels);
  const { x, arena } = ck();
  arena.reset();
  const src = arena.put(img.data);
  const dst = arena.alloc(img.data.length);
  const packed = p.reduce((acc, v, i) => acc + v * 2 ** (8 * i), 0);
  x.colorPermute(src, img.width * img.height, img.channels, packed >>> 0, dst);
  return result(img, img.channels, dst, opts);
}

// Colour ops: torchvision.transforms.functional on u8 images, with torchvision's bytes
// under each semantics (src/functional/semantics.ts): "pil" (Pillow 12.3 through
// torchvision: assembly/pilcolor.ts), "tensor" (torchvision 0.28's v2 uint8 kernels:
// assembly/tvcolor.ts) and "tensor-v1" (the v1 tensor kernels AugMix runs:
// assembly/color.ts). Every pixel is computed in the kernel: lookup tables, integers, or
// IEEE binary32/binary64 arithmetic in the reference's order, never an engine's Math.
//
// Channels: 1 (grey), 3 (RGB) or 4 (RGBA: the colour ops act on RGB and copy alpha, where
// torchvision rejects 4-channel tensors and Pillow's ImageOps rejects RGBA). On grey images
// adjustSaturation and adjustHue return the image unchanged, as torchvision does.
import { kernel } from "../kernel/instance.js";
import type { KernelExports } from "../kernel/exports.js";
import { checkImage, describe, type Channels, type Image } from "../image.js";
import { checkOptions, checkFinite, checkInt } from "./args.js";
import { checkInput, checkOut, onePass } from "./resample.js";
import type { KernelImage } from "../kernel/image.js";
import type { OutOptions } from "./geometry.js";
import { checkKernelSemantics, type KernelSemantics, type SemanticsOptions } from "./semantics.js";

/** Options of the colour ops: a buffer for the result and the semantics (default "pil"). */
export interface ColorOptions extends OutOptions, SemanticsOptions {}

/** Largest factor accepted by the adjust* ops (beyond it every output is saturated anyway). */
export const MAX_FACTOR = 1e6;

function ck() {
  const { exports, arena } = kernel();
  return { x: exports, arena };
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
    throw new RangeError(
      `${name} must be a permutation of [${Array.from({ length: n }, (_, i) => i).join(", ")}] (one entry per channel), got ${describe(v)}`,
    );
  }
  return [...(v as number[])];
}

/** The semantics of `opts` (refusing a null or non-object `opts` first). */
const semanticsOf = (opts: SemanticsOptions): KernelSemantics => checkKernelSemantics(checkOptions(opts).semantics, "semantics");

/**
 * An image held in kernel memory while colour ops run on it: each op reads `src` and writes
 * `dst` (both width * height * channels bytes); scratch comes from the arena, which is not
 * reset in between. Pipelines chain consecutive colour ops this way with one copy in and
 * one copy out (src/ir/resident.ts); the functional ops below run one.
 */
export interface Resident {
  readonly width: number;
  readonly height: number;
  readonly channels: Channels;
  readonly src: number;
  readonly dst: number;
}

/**
 * Runs `body` on the image in kernel memory (copied in, or a KernelImage read in place) and
 * returns its result (copied out, into `out` when given, or written into a KernelImage `out`).
 */
function inKernel(img: Image | KernelImage, opts: OutOptions, body: (r: Resident) => void): Image {
  const p = onePass(img, checkOptions(opts).out, [img.height, img.width, img.channels]);
  body({ width: img.width, height: img.height, channels: img.channels, src: p.src, dst: p.dst });
  // A KernelImage out comes back as itself (the F typings name an Image; `fn` passes it through).
  return p.finish() as Image;
}

/** dst = src: what the ops write when they change nothing. */
function copyIn(r: Resident): void {
  const m = ck().arena.u8();
  m.copyWithin(r.dst, r.src, r.src + r.width * r.height * r.channels);
}

/** Runs `fill(luts)` (which writes one table, or one per colour channel when `perChannel`) and maps src through them into dst. */
function lutIn(r: Resident, fill: (x: KernelExports, luts: number) => void, perChannel = false): void {
  const { x, arena } = ck();
  const c = r.channels;
  const luts = arena.alloc(768);
  fill(x, luts);
  if (!perChannel && c !== 1) {
    const m = arena.u8();
    m.copyWithin(luts + 256, luts, luts + 256);
    m.copyWithin(luts + 512, luts, luts + 256);
  }
  x.colorApplyLut(r.src, r.width * r.height, c, luts, r.dst);
}

/**
 * The colour ops that keep the image's shape, on an image in kernel memory (see
 * {@link Resident}), with already checked arguments. The functional ops below are these
 * plus argument checks and the copies in and out.
 */
export const resident = {
  brightness(r: Resident, factor: number): void {
    // colorLutBlend's table, computed per byte (vector arithmetic beats a table lookup).
    ck().x.colorBlendConst(r.src, r.width * r.height * r.channels, r.channels, factor, 1 - factor, 0, r.dst);
  },
  contrast(r: Resident, factor: number, sem: KernelSemantics): void {
    const n = r.width * r.height;
    if (sem === "pil") {
      const { x } = ck();
      return x.pilBlendConst(r.src, n * r.channels, r.channels, x.pilContrastMean(r.src, n, r.channels), factor, r.dst);
    }
    lutIn(r, (x, lut) => {
      if (sem === "tensor") x.tvLutBlend(factor, 1 - factor, x.tvMean(r.src, n, r.channels), lut);
      else x.colorLutBlend(factor, 1 - factor, x.colorMean(r.src, n, r.channels, ck().arena.alloc(n)), lut);
    });
  },
  saturation(r: Resident, factor: number, sem: KernelSemantics): void {
    const c = r.channels;
    if (c === 1) return copyIn(r);
    const { x, arena } = ck();
    const n = r.width * r.height;
    if (sem === "pil") x.pilColor(r.src, n, c, factor, r.dst);
    else if (sem === "tensor") x.tvSaturation(r.src, n, c, factor, 1 - factor, r.dst);
    else {
      const grey = arena.alloc(n * c);
      x.colorGrayscale(r.src, n, c, c, grey);
      x.colorBlend(r.src, grey, n * c, c, factor, 1 - factor, r.dst);
    }
  },
  hue(r: Resident, factor: number, sem: KernelSemantics): void {
    if (r.channels === 1) return copyIn(r);
    const n = r.width * r.height;
    if (sem === "pil") ck().x.pilHue(r.src, n, r.channels, factor, r.dst);
    else ck().x.tvHue(r.src, n, r.channels, factor, r.dst);
  },
  gamma(r: Resident, gamma: number, gain: number, sem: KernelSemantics): void {
    lutIn(r, (x, lut) => {
      if (sem === "pil") x.pilLutGamma(gamma, gain, lut);
      else if (sem === "tensor") x.tvLutGamma(gamma, gain, lut);
      else x.colorLutGamma(gamma, gain, lut);
    });
  },
  sharpness(r: Resident, factor: number, sem: KernelSemantics): void {
    if (r.width <= 2 || r.height <= 2) return copyIn(r);
    const { x, arena } = ck();
    const n = r.width * r.height * r.channels;
    const degenerate = arena.alloc(n);
    if (sem === "pil") {
      x.pilSmooth(r.src, r.width, r.height, r.channels, degenerate);
      x.pilBlend(r.src, degenerate, n, r.channels, factor, r.dst);
    } else {
      x.colorBlur3(r.src, r.width, r.height, r.channels, degenerate);
      if (sem === "tensor") x.tvSharpness(r.src, degenerate, n, r.channels, 1 - factor, r.dst);
      else x.colorBlend(r.src, degenerate, n, r.channels, factor, 1 - factor, r.dst);
    }
  },
  invert(r: Resident): void {
    lutIn(r, (x, lut) => x.colorLutInvert(lut));
  },
  posterize(r: Resident, bits: number): void {
    lutIn(r, (x, lut) => x.colorLutPosterize(bits, lut));
  },
  solarize(r: Resident, threshold: number): void {
    lutIn(r, (x, lut) => x.colorLutSolarize(threshold, lut));
  },
};

/**
 * Scales brightness (torchvision F.adjust_brightness): 0 is black, 1 the original.
 * Pillow's blend with black, `trunc(float(factor) * v)` clipped, is the same table as the
 * tensor kernels' `(v * factor).clamp(0, 255)`, so every semantics gives these bytes.
 */
export function adjustBrightness(img: Image, brightnessFactor: number, opts: ColorOptions = {}): Image {
  const im = checkInput(img);
  const f = checkFactor(brightnessFactor, "brightnessFactor");
  semanticsOf(opts);
  return inKernel(im, opts, (r) => resident.brightness(r, f));
}

/**
 * Blends with the mean grey level (torchvision F.adjust_contrast): 0 gives a flat grey
 * image, 1 the original. "pil": ImageEnhance.Contrast (the grey mean rounded to an integer,
 * Pillow's blend); "tensor": v2's float mean and fused blend.
 */
export function adjustContrast(img: Image, contrastFactor: number, opts: ColorOptions = {}): Image {
  const im = checkInput(img);
  const f = checkFactor(contrastFactor, "contrastFactor");
  const sem = semanticsOf(opts);
  return inKernel(im, opts, (r) => resident.contrast(r, f, sem));
}

/**
 * Blends each pixel with its grey value (torchvision F.adjust_saturation): 0 is grey, 1
 * the original. Grey images come back unchanged, as torchvision returns them.
 */
export function adjustSaturation(img: Image, saturationFactor: number, opts: ColorOptions = {}): Image {
  const im = checkInput(img);
  const f = checkFactor(saturationFactor, "saturationFactor");
  const sem = semanticsOf(opts);
  return inKernel(im, opts, (r) => resident.saturation(r, f, sem));
}

/**
 * Shifts the hue by `hueFactor` turns, in [-0.5, 0.5] (torchvision F.adjust_hue). "pil":
 * Pillow's HSV bytes, the hue byte shifted by int(hueFactor * 255); "tensor": v2's float32
 * HSV. Grey images come back unchanged, as torchvision returns them.
 */
export function adjustHue(img: Image, hueFactor: number, opts: ColorOptions = {}): Image {
  const im = checkInput(img);
  const hf = checkHue(hueFactor);
  const sem = semanticsOf(opts);
  return inKernel(im, opts, (r) => resident.hue(r, hf, sem));
}

/**
 * Gamma correction `255 * gain * (v / 255) ** gamma`, clamped (torchvision F.adjust_gamma):
 * "pil" is torchvision's float64 point table, "tensor" v2's float32 one.
 */
export function adjustGamma(img: Image, gamma: number, gain = 1, opts: ColorOptions = {}): Image {
  const im = checkInput(img);
  const g = checkFactor(gamma, "gamma");
  const k = checkFinite(gain, "gain");
  if (Math.abs(k) > MAX_FACTOR) throw new RangeError(`gain must be a finite number in [-${MAX_FACTOR}, ${MAX_FACTOR}], got ${k}`);
  const sem = semanticsOf(opts);
  return inKernel(im, opts, (r) => resident.gamma(r, g, k, sem));
}

/**
 * Blends with a smoothed image ([1 1 1; 1 5 1; 1 1 1] / 13 inside, the border unchanged)
 * (torchvision F.adjust_sharpness). 0 blurs, 1 is the original, 2 sharpens. "pil":
 * ImageFilter.SMOOTH and Pillow's blend; "tensor": the rounded convolution and v2's fused
 * blend. Images with a side of 1 or 2 pixels come back unchanged, as in torchvision.
 */
export function adjustSharpness(img: Image, sharpnessFactor: number, opts: ColorOptions = {}): Image {
  const im = checkInput(img);
  const f = checkFactor(sharpnessFactor, "sharpnessFactor");
  const sem = semanticsOf(opts);
  return inKernel(im, opts, (r) => resident.sharpness(r, f, sem));
}

/**
 * Converts to grey (torchvision F.rgb_to_grayscale): "pil" is convert("L"),
 * (19595 r + 38470 g + 7471 b + 2^15) >> 16; "tensor" v2's `0.2989 r + 0.587 g + 0.114 b`
 * truncated. numOutputChannels 1 gives one channel (an RGBA image loses its alpha); 3
 * gives grey RGB, plus the alpha for RGBA (4 channels). A grey image is copied (1) or
 * repeated thrice (3), as Pillow and v2 do ("tensor-v1", v1's tensor kernel, keeps it one
 * channel either way).
 */
export function rgbToGrayscale(img: Image, numOutputChannels: 1 | 3 = 1, opts: ColorOptions = {}): Image {
  img = checkImage(img);
  if (numOutputChannels !== 1 && numOutputChannels !== 3)
    throw new RangeError(`numOutputChannels must be 1 or 3, got ${describe(numOutputChannels)}`);
  const sem = semanticsOf(opts);
  // v1's tensor kernel expands a grey image to its own shape: it stays one channel.
  const outC: Channels = numOutputChannels === 1 || (sem === "tensor-v1" && img.channels === 1) ? 1 : img.channels === 4 ? 4 : 3;
  const { x, arena } = ck();
  arena.reset();
  const src = arena.put(img.data);
  const n = img.width * img.height;
  const dst = arena.alloc(n * outC);
  if (sem === "pil") x.pilGrey(src, n, img.channels, outC, dst);
  else if (sem === "tensor") x.tvGrayscale(src, n, img.channels, outC, dst);
  else x.colorGrayscale(src, n, img.channels, outC, dst);
  return {
    width: img.width,
    height: img.height,
    channels: outC,
    data: arena.takeU8(dst, n * outC, checkOut(checkOptions(opts).out, Uint8Array, n * outC)),
  };
}

/** 255 - v (torchvision F.invert; the same bytes under every semantics). */
export function invert(img: Image, opts: ColorOptions = {}): Image {
  const im = checkInput(img);
  semanticsOf(opts);
  return inKernel(im, opts, (r) => resident.invert(r));
}

/** Keeps the top `bits` bits of each value, bits in [0, 8] (torchvision F.posterize; every semantics). */
export function posterize(img: Image, bits: number, opts: ColorOptions = {}): Image {
  const im = checkInput(img);
  const b = checkBits(bits);
  semanticsOf(opts);
  return inKernel(im, opts, (r) => resident.posterize(r, b));
}

/** Inverts values >= threshold, threshold in [0, 255] (torchvision F.solarize; every semantics). */
export function solarize(img: Image, threshold: number, opts: ColorOptions = {}): Image {
  const im = checkInput(img);
  const t = checkThreshold(threshold);
  semanticsOf(opts);
  return inKernel(im, opts, (r) => resident.solarize(r, t));
}

/**
 * Stretches each channel to [0, 255] from its own minimum and maximum (torchvision
 * F.autocontrast): "pil" is ImageOps' float64 table, "tensor" v2's float32 division.
 */
export function autocontrast(img: Image, opts: ColorOptions = {}): Image {
  const im = checkInput(img);
  const sem = semanticsOf(opts);
  const cc = im.channels === 4 ? 3 : im.channels;
  return inKernel(im, opts, (r) =>
    lutIn(
      r,
      (x, luts) => {
        const mm = ck().arena.alloc(112);
        x.colorMinMax(r.src, im.width * im.height, im.channels, mm);
        const m = ck().arena.u8();
        for (let ch = 0; ch < cc; ch++) {
          const lo = m[mm + ch]!;
          const hi = m[mm + im.channels + ch]!;
          if (sem === "pil") x.pilLutAutocontrast(lo, hi, luts + ch * 256);
          else if (sem === "tensor") x.tvLutAutocontrast(lo, hi, luts + ch * 256);
          else x.colorLutAutocontrast(lo, hi, luts + ch * 256);
        }
      },
      true,
    ),
  );
}

/**
 * Histogram equalization per channel (torchvision F.equalize): ImageOps.equalize's
 * integer table, which torchvision's tensor kernels compute alike (every semantics).
 */
export function equalize(img: Image, opts: ColorOptions = {}): Image {
  const im = checkInput(img);
  semanticsOf(opts);
  const cc = im.channels === 4 ? 3 : im.channels;
  return inKernel(im, opts, (r) =>
    lutIn(
      r,
      (x, luts) => {
        const hist = ck().arena.alloc(3 * 1024);
        x.colorHistograms(r.src, im.width * im.height, im.channels, hist);
        for (let ch = 0; ch < cc; ch++) x.colorLutEqualize(hist + ch * 1024, luts + ch * 256);
      },
      true,
    ),
  );
}

/**
 * Reorders channels: output channel k is input channel permutation[k] (torchvision v2
 * F.permute_channels). `permutation` has one entry per channel (alpha included for RGBA).
 */
export function permuteChannels(img: Image, permutation: number[], opts: ColorOptions = {}): Image {
  const im = checkInput(img);
  semanticsOf(opts);
  const p = checkPermutation(permutation, im.channels);
  const packed = p.reduce((acc, v, i) => acc + v * 2 ** (8 * i), 0);
  return inKernel(im, opts, (r) => ck().x.colorPermute(r.src, im.width * im.height, im.channels, packed >>> 0, r.dst));
}

/**
 * Scalar twin of Pillow's resampler as torchvision calls it on PIL images
 * (`img.crop(box).resize((w, h), filter)`), after Pillow 9.4 (unchanged in 12.3):
 *
 * - bilinear / bicubic: src/libImaging/Resample.c. `precompute_coeffs` (double weights,
 *   support widened by the scale when downscaling, i.e. antialias), `normalize_coeffs_8bpc`
 *   (PRECISION_BITS = 22, round half away from zero), then ImagingResampleInner: the
 *   horizontal pass into a u8 image (clip8) over the rows the vertical pass needs, then the
 *   vertical pass; a pass is skipped when its dimension keeps its size (need_horizontal /
 *   need_vertical). `antialias: false` keeps filterscale = 1 (no widening), nothing else.
 * - nearest: _imaging.c `_resize` -> ImagingScaleAffine: a = in / out (float64),
 *   acc = a * 0.5, source index = (int)acc, acc += a per output pixel.
 *
 * `runPlan` then takes the window of the resized image, flips it, and writes u8 HWC or
 * CHW float32 through ToTensor + Normalize (see ./tensor.ts), the fused kernel path.
 */
import type { Image, Tensor } from "../../src/index.js";
import type { ResamplePlan } from "../../src/functional/resample.js";
import { crop, hflip, vflip, window } from "./geometry.js";
import { lutValue } from "./tensor.js";

const PRECISION_BITS = 22;

interface Filter {
  fn: (x: number) => number;
  support: number;
}

const BILINEAR: Filter = {
  support: 1.0,
  fn: (x) => {
    if (x < 0.0) x = -x;
    if (x < 1.0) return 1.0 - x;
    return 0.0;
  },
};

const BICUBIC: Filter = {
  support: 2.0,
  fn: (x) => {
    const a = -0.5;
    if (x < 0.0) x = -x;
    if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
    return 0.0;
  },
};

/** C's (int) conversion of a double: truncation toward zero. */
const cInt = Math.trunc;

export interface Coeffs {
  ksize: number;
  /** [xmin, count] per output pixel. */
  bounds: Int32Array;
  /** Fixed-point weights, ksize per output pixel (normalize_coeffs_8bpc). */
  kk: Int32Array;
}

/** precompute_coeffs + normalize_coeffs_8bpc for a box [in0, in1) of a side of `inSize`. */
export function precomputeCoeffs(inSize: number, in0: number, in1: number, outSize: number, filter: Filter, antialias: boolean): Coeffs {
  const scale = (Math.fround(in1) - Math.fround(in0)) / outSize;
  let filterscale = scale;
  if (filterscale < 1.0 || !antialias) filterscale = 1.0;
  const support = filter.support * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const pre = new Float64Array(outSize * ksize);
  const bounds = new Int32Array(outSize * 2);
  for (let xx = 0; xx < outSize; xx++) {
    const center = in0 + (xx + 0.5) * scale;
    let ww = 0.0;
    const ss = 1.0 / filterscale;
    let xmin = cInt(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    let xmax = cInt(center + support + 0.5);
    if (xmax > inSize) xmax = inSize;
    xmax -= xmin;
    const k = xx * ksize;
    for (let x = 0; x < xmax; x++) {
      const w = filter.fn((x + xmin - center + 0.5) * ss);
      pre[k + x] = w;
      ww += w;
    }
    for (let x = 0; x < xmax; x++) if (ww !== 0.0) pre[k + x] = pre[k + x]! / ww;
    bounds[xx * 2] = xmin;
    bounds[xx * 2 + 1] = xmax;
  }
  const kk = new Int32Array(outSize * ksize);
  for (let i = 0; i < kk.length; i++) {
    const v = pre[i]!;
    kk[i] = v < 0 ? cInt(-0.5 + v * (1 << PRECISION_BITS)) : cInt(0.5 + v * (1 << PRECISION_BITS));
  }
  return { ksize, bounds, kk };
}

/** clip8: the accumulator's integer part (arithmetic shift), clamped to [0, 255]. */
function clip8(ss: number): number {
  const v = Math.floor(ss / (1 << PRECISION_BITS));
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** ImagingResampleHorizontal_8bpc: out has out.height rows, read from rows offset.. of inp. */
function horizontal(inp: Image, xsize: number, ysize: number, offset: number, co: Coeffs): Image {
  const c = inp.channels;
  const out = new Uint8Array(xsize * ysize * c);
  for (let yy = 0; yy < ysize; yy++) {
    for (let xx = 0; xx < xsize; xx++) {
      const xmin = co.bounds[xx * 2]!;
      const xmax = co.bounds[xx * 2 + 1]!;
      for (let ch = 0; ch < c; ch++) {
        let ss = 1 << (PRECISION_BITS - 1);
        for (let x = 0; x < xmax; x++) ss += inp.data[((yy + offset) * inp.width + x + xmin) * c + ch]! * co.kk[xx * co.ksize + x]!;
        out[(yy * xsize + xx) * c + ch] = clip8(ss);
      }
    }
  }
  return { width: xsize, height: ysize, channels: inp.channels, data: out };
}

/** ImagingResampleVertical_8bpc. */
function vertical(inp: Image, ysize: number, co: Coeffs): Image {
  const c = inp.channels;
  const xsize = inp.width;
  const out = new Uint8Array(xsize * ysize * c);
  for (let yy = 0; yy < ysize; yy++) {
    const ymin = co.bounds[yy * 2]!;
    const ymax = co.bounds[yy * 2 + 1]!;
    for (let xx = 0; xx < xsize; xx++) {
      for (let ch = 0; ch < c; ch++) {
        let ss = 1 << (PRECISION_BITS - 1);
        for (let y = 0; y < ymax; y++) ss += inp.data[((y + ymin) * xsize + xx) * c + ch]! * co.kk[yy * co.ksize + y]!;
        out[(yy * xsize + xx) * c + ch] = clip8(ss);
      }
    }
  }
  return { width: xsize, height: ysize, channels: inp.channels, data: out };
}

/** ImagingResampleInner with box = the whole image. */
function resampleInner(img: Image, xsize: number, ysize: number, filter: Filter, antialias: boolean): Image {
  const needH = xsize !== img.width;
  const needV = ysize !== img.height;
  const vert = precomputeCoeffs(img.height, 0, img.height, ysize, filter, antialias);
  const yFirst = vert.bounds[0]!;
  const yLast = vert.bounds[ysize * 2 - 2]! + vert.bounds[ysize * 2 - 1]!;
  let cur = img;
  if (needH) {
    const horiz = precomputeCoeffs(img.width, 0, img.width, xsize, filter, antialias);
    for (let i = 0; i < ysize; i++) vert.bounds[i * 2] = vert.bounds[i * 2]! - yFirst;
    cur = horizontal(img, xsize, yLast - yFirst, yFirst, horiz);
  }
  if (needV) cur = vertical(cur, ysize, vert);
  if (cur === img) cur = { ...img, data: img.data.slice() };
  return cur;
}

/** ImagingScaleAffine for a pure scale (nearest). */
function nearest(img: Image, xsize: number, ysize: number): Image {
  const c = img.channels;
  const out = new Uint8Array(xsize * ysize * c);
  const coord = (v: number) => (v < 0.0 ? -1 : cInt(v));
  const a0 = img.width / xsize;
  const a4 = img.height / ysize;
  const xintab: number[] = [];
  let xo = a0 * 0.5;
  for (let x = 0; x < xsize; x++) {
    xintab.push(coord(xo));
    xo += a0;
  }
  let yo = a4 * 0.5;
  for (let y = 0; y < ysize; y++) {
    const yi = coord(yo);
    for (let x = 0; x < xsize; x++) {
      const xi = xintab[x]!;
      if (yi < 0 || yi >= img.height || xi < 0 || xi >= img.width) throw new Error(`nearest twin: source (${xi}, ${yi}) outside`);
      for (let ch = 0; ch < c; ch++) out[(y * xsize + x) * c + ch] = img.data[(yi * img.width + xi) * c + ch]!;
    }
    yo += a4;
  }
  return { width: xsize, height: ysize, channels: img.channels, data: out };
}

export type Interp = "nearest" | "bilinear" | "bicubic";

/** Pillow's Image.resize((w, h), filter) (reducing_gap None), with the antialias switch. */
export function resize(img: Image, h: number, w: number, interpolation: Interp, antialias = true): Image {
  if (interpolation === "nearest") {
    if (w === img.width && h === img.height) return { ...img, data: img.data.slice() };
    return nearest(img, w, h);
  }
  return resampleInner(img, w, h, interpolation === "bilinear" ? BILINEAR : BICUBIC, antialias);
}

/** torchvision F.resized_crop on PIL: crop (zero outside), then resize. */
export function resizedCrop(img: Image, top: number, left: number, h: number, w: number, oh: number, ow: number, interpolation: Interp, antialias = true): Image {
  return resize(crop(img, top, left, h, w), oh, ow, interpolation, antialias);
}

/** The fused path: box -> resize -> window -> hflip/vflip -> u8 HWC or CHW f32. */
export function runPlan(img: Image, plan: ResamplePlan): Image | Tensor {
  const { box, window: win } = plan;
  let im = resize(crop(img, box.top, box.left, box.height, box.width), plan.size[0], plan.size[1], plan.interpolation, plan.antialias);
  im = window(im, win.top, win.left, win.height, win.width, "constant", [0, 0, 0, 0]);
  if (plan.hflip) im = hflip(im);
  if (plan.vflip) im = vflip(im);
  if (!plan.tensor) return im;
  const { width: w, height: h, channels: c } = im;
  const out = new Float32Array(w * h * c);
  for (let ch = 0; ch < c; ch++) {
    const m = plan.tensor.mean[ch]!;
    const s = plan.tensor.std[ch]!;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[(ch * h + y) * w + x] = lutValue(im.data[(y * w + x) * c + ch]!, m, s);
  }
  return { shape: [c, h, w], data: out };
}

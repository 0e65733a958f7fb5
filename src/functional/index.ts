/**
 * torchvision.transforms.functional for lockstep: deterministic ops on {@link Image}s
 * (u8 HWC) and {@link Tensor}s (f32 CHW). Every op validates its arguments and returns
 * new memory unless given `out`. Each takes torchvision's positional arguments or lockstep's
 * options object (see ./declare.ts): `F.affine(img, 30, [1, 0], 1.2, [0, 0])` and
 * `F.affine(img, { angle: 30, translate: [1, 0], scale: 1.2, shear: [0, 0] })` are the same call.
 */
import { fn } from "./declare.js";
import * as G from "./geometry.js";
import * as R from "./resize.js";
import * as T from "./tensor.js";
import * as B from "./filter.js";
import * as C from "./color.js";
import * as W from "./warp.js";
import * as J from "./jpeg.js";
import type { Image, Tensor } from "../image.js";
import type { Interpolation, PaddingMode, Size } from "./args.js";
import type { EraseValue } from "./filter.js";
import type { Corners, WarpInterpolation } from "./warp.js";

export type { CropOptions, PadOptions, OutOptions, FlipOptions } from "./geometry.js";
export type { ResizeOptions } from "./resize.js";
export { InterpolationMode, type Interpolation, type PaddingMode, type Size } from "./args.js";
export type { EraseValue, EraseOptions, GaussianNoiseOptions } from "./filter.js";
export type { RotateOptions, AffineOptions, PerspectiveOptions, ElasticOptions, WarpInterpolation, Corners } from "./warp.js";
export type { EncodeJpegOptions } from "./jpeg.js";

type Fill = number | number[] | null;
const OUT = ["out"] as const;
const COLOR = ["out", "semantics"] as const;
// Ops marked `kernelImages` read a KernelImage input and write a KernelImage out in place
// themselves; the others get copies from `fn` (same bytes).

/** Mirrors left-right (torchvision hflip). */
export const hflip = fn(G.hflip, { name: "hflip", positional: ["img"], implPositional: 1, options: OUT, kernelImages: true });
/** Mirrors top-bottom (torchvision vflip). */
export const vflip = fn(G.vflip, { name: "vflip", positional: ["img"], implPositional: 1, options: OUT, kernelImages: true });
/** A region; parts outside the image are filled (0 by default, as torchvision). */
export const crop = fn(G.crop, {
  name: "crop",
  positional: ["img", "top", "left", "height", "width"],
  implPositional: 5,
  options: ["fill", "out"],
  kernelImages: true,
});
/** The centre; zero-padded when larger (torchvision center_crop). */
export const centerCrop = fn(G.centerCrop, {
  name: "centerCrop",
  positional: ["img", "size"],
  implPositional: 2,
  options: OUT,
  kernelImages: true,
});
/** Pads every side: torchvision's `(img, padding, fill, paddingMode)` or `(img, padding, { fill, paddingMode })`. */
export const pad = fn(G.pad, {
  name: "pad",
  positional: ["img", "padding", "fill", "paddingMode"],
  implPositional: 2,
  options: OUT,
  kernelImages: true,
}) as typeof G.pad & ((img: Image, padding: number | number[], fill?: number | number[], paddingMode?: PaddingMode) => Image);
/** Resizes: torchvision's `(img, size, interpolation, maxSize, antialias)` or `(img, size, { ... })`. */
export const resize = fn(R.resize, {
  name: "resize",
  positional: ["img", "size", "interpolation", "maxSize", "antialias"],
  implPositional: 2,
  options: ["semantics", "out"],
  kernelImages: true,
}) as typeof R.resize & ((img: Image, size: Size, interpolation?: Interpolation, maxSize?: number, antialias?: boolean) => Image);
/** Crop then resize: torchvision's `(img, top, left, height, width, size, interpolation, antialias)` or options. */
export const resizedCrop = fn(R.resizedCrop, {
  name: "resizedCrop",
  positional: ["img", "top", "left", "height", "width", "size", "interpolation", "antialias"],
  implPositional: 6,
  options: ["semantics", "maxSize", "out"],
  kernelImages: true,
}) as typeof R.resizedCrop &
  ((
    img: Image,
    top: number,
    left: number,
    height: number,
    width: number,
    size: Size,
    interpolation?: Interpolation,
    antialias?: boolean,
  ) => Image);
/** u8 HWC image -> f32 CHW tensor in [0, 1] (torchvision to_tensor). */
export const toTensor = fn(T.toTensor, { name: "toTensor", positional: ["img"], implPositional: 1, options: ["out", "semantics"] });
/** `(x - mean) / std` per channel: torchvision's `(tensor, mean, std, inplace)` or `(tensor, mean, std, { inplace })`. */
export const normalize = fn(T.normalize, {
  name: "normalize",
  positional: ["tensor", "mean", "std", "inplace"],
  implPositional: 3,
  options: [],
}) as typeof T.normalize & ((tensor: Tensor, mean: number[], std: number[], inplace?: boolean) => Tensor);
/** Gaussian blur (torchvision gaussian_blur). */
export const gaussianBlur = fn(B.gaussianBlur, {
  name: "gaussianBlur",
  positional: ["img", "kernelSize", "sigma"],
  implPositional: 3,
  options: OUT,
});
/** Erases a region of a tensor: torchvision's `(tensor, i, j, h, w, v, inplace)` or options. */
export const erase = fn(B.erase, {
  name: "erase",
  positional: ["tensor", "i", "j", "h", "w", "v", "inplace"],
  implPositional: 6,
  options: [],
}) as typeof B.erase & ((tensor: Tensor, i: number, j: number, h: number, w: number, v: EraseValue, inplace?: boolean) => Tensor);
/** Keyed Gaussian noise: `(x, { key, mean, sigma, clip })` (torchvision's `(x, mean, sigma, clip)` then `{ key }`). */
export const gaussianNoise = fn(B.gaussianNoise, {
  name: "gaussianNoise",
  positional: ["x", "mean", "sigma", "clip"],
  implPositional: 1,
  options: ["key", "out"],
}) as typeof B.gaussianNoise &
  (<T extends Image | Tensor>(
    x: T,
    mean: number | undefined,
    sigma: number | undefined,
    clip: boolean | undefined,
    opts: { key: [number, number]; out?: Uint8Array | Float32Array },
  ) => T);
export const adjustBrightness = fn(C.adjustBrightness, {
  name: "adjustBrightness",
  positional: ["img", "brightnessFactor"],
  implPositional: 2,
  options: COLOR,
  kernelImages: true,
});
export const adjustContrast = fn(C.adjustContrast, {
  name: "adjustContrast",
  positional: ["img", "contrastFactor"],
  implPositional: 2,
  options: COLOR,
  kernelImages: true,
});
export const adjustSaturation = fn(C.adjustSaturation, {
  name: "adjustSaturation",
  positional: ["img", "saturationFactor"],
  implPositional: 2,
  options: COLOR,
  kernelImages: true,
});
export const adjustHue = fn(C.adjustHue, {
  name: "adjustHue",
  positional: ["img", "hueFactor"],
  implPositional: 2,
  options: COLOR,
  kernelImages: true,
});
export const adjustGamma = fn(C.adjustGamma, {
  name: "adjustGamma",
  positional: ["img", "gamma", "gain"],
  implPositional: 3,
  options: COLOR,
  kernelImages: true,
});
export const adjustSharpness = fn(C.adjustSharpness, {
  name: "adjustSharpness",
  positional: ["img", "sharpnessFactor"],
  implPositional: 2,
  options: COLOR,
  kernelImages: true,
});
export const rgbToGrayscale = fn(C.rgbToGrayscale, {
  name: "rgbToGrayscale",
  positional: ["img", "numOutputChannels"],
  implPositional: 2,
  options: COLOR,
});
export const invert = fn(C.invert, { name: "invert", positional: ["img"], implPositional: 1, options: COLOR, kernelImages: true });
export const posterize = fn(C.posterize, {
  name: "posterize",
  positional: ["img", "bits"],
  implPositional: 2,
  options: COLOR,
  kernelImages: true,
});
export const solarize = fn(C.solarize, {
  name: "solarize",
  positional: ["img", "threshold"],
  implPositional: 2,
  options: COLOR,
  kernelImages: true,
});
export const autocontrast = fn(C.autocontrast, {
  name: "autocontrast",
  positional: ["img"],
  implPositional: 1,
  options: COLOR,
  kernelImages: true,
});
export const equalize = fn(C.equalize, { name: "equalize", positional: ["img"], implPositional: 1, options: COLOR, kernelImages: true });
export const permuteChannels = fn(C.permuteChannels, {
  name: "permuteChannels",
  positional: ["img", "permutation"],
  implPositional: 2,
  options: COLOR,
  kernelImages: true,
});
/** Rotates: torchvision's `(img, angle, interpolation, expand, center, fill)` or `(img, angle, { ... })`. */
export const rotate = fn(W.rotate, {
  name: "rotate",
  positional: ["img", "angle", "interpolation", "expand", "center", "fill"],
  implPositional: 2,
  options: ["semantics", "out"],
}) as typeof W.rotate &
  ((
    img: Image,
    angle: number,
    interpolation?: WarpInterpolation,
    expand?: boolean,
    center?: [number, number] | null,
    fill?: Fill,
  ) => Image);
/** Affine warp: torchvision's `(img, angle, translate, scale, shear, interpolation, fill, center)` or `(img, { ... })`. */
export const affine = fn(W.affine, {
  name: "affine",
  positional: ["img", "angle", "translate", "scale", "shear", "interpolation", "fill", "center"],
  implPositional: 1,
  options: ["semantics", "out"],
}) as typeof W.affine &
  ((
    img: Image,
    angle: number,
    translate: [number, number],
    scale: number,
    shear: number | [number] | [number, number],
    interpolation?: WarpInterpolation,
    fill?: Fill,
    center?: [number, number] | null,
  ) => Image);
/** Perspective warp: torchvision's `(img, startpoints, endpoints, interpolation, fill)` or options. */
export const perspective = fn(W.perspective, {
  name: "perspective",
  positional: ["img", "startpoints", "endpoints", "interpolation", "fill"],
  implPositional: 3,
  options: ["coefficients", "semantics", "out"],
}) as typeof W.perspective &
  ((
    img: Image,
    startpoints: Corners | number[][] | null,
    endpoints: Corners | number[][] | null,
    interpolation?: WarpInterpolation,
    fill?: Fill,
  ) => Image);
/** The perspective coefficients torchvision computes from 4 point pairs. */
export const perspectiveCoeffs = fn(W.perspectiveCoeffs, {
  name: "perspectiveCoeffs",
  positional: ["startpoints", "endpoints"],
  implPositional: 2,
  options: [],
});
/** Elastic warp by a displacement field: torchvision's `(img, displacement, interpolation, fill)` or options. */
export const elastic = fn(W.elastic, {
  name: "elastic",
  positional: ["img", "displacement", "interpolation", "fill"],
  implPositional: 2,
  options: OUT,
}) as typeof W.elastic & ((img: Image, displacement: Tensor, interpolation?: WarpInterpolation, fill?: number | number[]) => Image);
/** The four corner crops and the centre crop (torchvision five_crop). */
export const fiveCrop = fn(W.fiveCrop, { name: "fiveCrop", positional: ["img", "size"], implPositional: 2, options: [] });
/** FiveCrop of the image and of its flip: torchvision's `(img, size, verticalFlip)` or `(img, size, { verticalFlip })`. */
export const tenCrop = fn(W.tenCrop, {
  name: "tenCrop",
  positional: ["img", "size", "verticalFlip"],
  implPositional: 2,
  options: [],
}) as typeof W.tenCrop & ((img: Image, size: Size, verticalFlip?: boolean) => Image[]);
/** A warp by given coefficients (affine: 6, perspective: 8), for custom geometry. */
export const warpWith = fn(W.warpWith, {
  name: "warpWith",
  positional: ["img", "coeffs", "kind"],
  implPositional: 3,
  options: ["interpolation", "fill", "size", "out"],
});
/** JPEG round trip at `quality` (torchvision's v2 jpeg). */
export const jpeg = fn(J.jpeg, { name: "jpeg", positional: ["img", "quality"], implPositional: 2, options: OUT });
/** Encodes JPEG file bytes: torchvision's `(img, quality)` or `(img, { quality })`. */
export const encodeJpeg = fn(J.encodeJpeg, {
  name: "encodeJpeg",
  positional: ["img", "quality"],
  implPositional: 1,
  options: [],
}) as typeof J.encodeJpeg & ((img: Image, quality?: number) => Uint8Array);

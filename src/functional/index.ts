/**
 * torchvision.transforms.functional for lockstep: deterministic ops on {@link Image}s
 * (u8 HWC) and {@link Tensor}s (f32 CHW). Every op validates its arguments and returns
 * new memory unless given `out`.
 */
export { hflip, vflip, crop, centerCrop, pad, type CropOptions, type PadOptions, type OutOptions } from "./geometry.js";
export { resize, resizedCrop, type ResizeOptions } from "./resize.js";
export { toTensor, normalize } from "./tensor.js";
export { InterpolationMode, type Interpolation, type PaddingMode, type Size } from "./args.js";
export { gaussianBlur, erase, gaussianNoise, type EraseValue, type EraseOptions, type GaussianNoiseOptions } from "./filter.js";
export { adjustBrightness, adjustContrast, adjustSaturation, adjustHue, adjustGamma, adjustSharpness, rgbToGrayscale, invert, posterize, solarize, autocontrast, equalize, permuteChannels } from "./color.js";
export { rotate, affine, perspective, perspectiveCoeffs, elastic, fiveCrop, tenCrop, warpWith, type RotateOptions, type AffineOptions, type PerspectiveOptions, type ElasticOptions, type WarpInterpolation, type Corners } from "./warp.js";
export { jpeg, encodeJpeg, type EncodeJpegOptions } from "./jpeg.js";

// The kernel's exported surface. The host owns memory: every function works on
// addresses the host hands in, and nothing here allocates.

export { philox, philoxFill } from "./rng";
export { mathLog, mathExp, mathPow, mathSin, mathCos, mathAtan2 } from "./mathx";
export { extract, hflip, vflip } from "./geometry";
export { resample, resampleScratch } from "./resample";
export { buildLut, buildLutScaled, toTensor, toTensorScaled, normalize } from "./tensor";

/** First free address after the kernel's static data. */
export function heapBase(): usize {
  return __heap_base;
}
export { gaussianWeights, gaussianScratch, gaussianBlur, linearTransform, normalFill, gaussianNoise, gaussianNoiseU8, eraseFill, eraseValues, eraseNoise } from "./filter";
export { colorLutBlend, colorLutGamma, colorLutInvert, colorLutPosterize, colorLutSolarize, colorLutAutocontrast, colorLutEqualize, colorMinMax, colorHistograms, colorMean, colorApplyLut, colorBlendConst, colorGrayscale, colorBlend, colorBlur3, colorPermute } from "./color";
export { warp, warpScratch, warpRotateMatrix, warpAffineMatrix, warpAffineMatrixV2, warpPerspectiveCoeffs, rotate90, elasticField, elasticScratch, elasticFromDisplacement, elasticWarp } from "./warp";
export { gpuTaps, gpuCoefficients, gpuNearest, gpuTorchCoefficients, gpuTorchNearest } from "./gputables";
export { gpuPilBilinearTable, gpuTvBilinearTable, gpuElasticTable, GPU_PIL_STRIDE, GPU_TV_STRIDE, GPU_ELASTIC_STRIDE } from "./gpuwarp";
export { gpuJpegTables } from "./gpujpeg";
export { mixInit, mixAdd, mixFinish } from "./mix";
export { targetAffineMatrix, torchNearestTable, gatherPixels, blendF32, u8ToF32, f32ToU8, toRGB, gridNearest } from "./targets";
export { jpegInfo, jpegDecode } from "./codec/jpeg";
export { exifOrientation, exifOrientationTag, xmpOrientation } from "./codec/exif";
export { orient } from "./codec/orient";
export { pilLutBlend, pilBlend, pilBlendConst, pilGrey, pilColor, pilContrastMean, pilSmooth, pilHue, pilLutGamma, pilLutAutocontrast, pilHsvTables } from "./pilcolor";
export { tvGrayscale, tvMean, tvLutBlend, tvSaturation, tvSharpness, tvHue, tvLutGamma, tvLutAutocontrast } from "./tvcolor";
export { pilGenericWarp, pilAffineFloat } from "./pilwarp";
export { tvWarp, tvRotateMatrix, tvExpandedSize } from "./tvwarp";
export { torchPrecision } from "./torchresize";
export { pngInfo, pngDecode } from "./codec/png";
export { zlibInflate } from "./codec/inflate";
export { convertMode, keepMode } from "./codec/convert";
export { pngEncode, pngEncodeScratch } from "./codec/pngencode";
export { crc32, adler32 } from "./codec/checksum";
export { imageInfo, imagePlan, imageDecode, codecMessage } from "./codec/image";
export { jpegEncode, jpegEncodeBound, jpegEncodeScratch } from "./codec/jpegenc";

// Constants the host needs (enum codes, flags, the info block's slots, status codes), exported as
// i32 globals: scripts/kernel-bindings.mjs reads their values out of the built module into
// src/kernel/bindings.ts (KERNEL_CONSTANTS), so no host restates one. Export one here when a host
// needs it (each costs the module about 20 bytes).
export { MODE_CONSTANT, MODE_EDGE, MODE_REFLECT, MODE_SYMMETRIC } from "./geometry";
export { FILTER_NEAREST, FILTER_BILINEAR, FILTER_BICUBIC, FLAG_HFLIP, FLAG_VFLIP, FLAG_TENSOR, FLAG_TORCH, FLAG_SCALE_MUL } from "./resample";
export { WARP_AFFINE, WARP_PERSPECTIVE, WARP_NEAREST, WARP_BILINEAR } from "./warp";
export { TV_FILL, TV_V1 } from "./tvwarp";
export {
  MODE_1, MODE_L, MODE_LA, MODE_RGB, MODE_RGBA, MODE_P, MODE_I16, MODE_CMYK, FORMAT_PNG,
  INFO_FORMAT, INFO_WIDTH, INFO_HEIGHT, INFO_MODE, INFO_BYTES, INFO_SCRATCH, INFO_ORIENTATION, INFO_FLAGS, INFO_END,
  INFO_COMPONENTS, INFO_BITS, INFO_JPEG_OPTIONS, JPEG_ALLOW_TRUNCATED, INFO_WORDS, FLAG_PROGRESSIVE, FLAG_INTERLACED, AUX_BYTES,
} from "./codec/info";
export { INFO_OUT_WIDTH, INFO_OUT_HEIGHT, INFO_OUT_CHANNELS, INFO_OUT_SCRATCH, WANT_KEEP } from "./codec/image";
export { E_FORMAT, E_TOO_LARGE, E_ENC_SPACE, E_PNG_SHORT } from "./codec/status";

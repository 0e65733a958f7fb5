// The kernel's exported surface. The host owns memory: every function works on
// addresses the host hands in, and nothing here allocates.

export { philox, philoxFill } from "./rng";
export { mathLog, mathExp, mathPow, mathSin, mathCos, mathAtan2 } from "./mathx";
export { extract, hflip, vflip } from "./geometry";
export { resample, resampleScratch } from "./resample";
export { buildLut, toTensor, normalize } from "./tensor";

/** First free address after the kernel's static data. */
export function heapBase(): usize {
  return __heap_base;
}
export { gaussianWeights, gaussianScratch, gaussianBlur, linearTransform, normalFill, gaussianNoise, gaussianNoiseU8, eraseFill, eraseValues, eraseNoise } from "./filter";
export { colorLutBlend, colorLutGamma, colorLutInvert, colorLutPosterize, colorLutSolarize, colorLutAutocontrast, colorLutEqualize, colorMinMax, colorHistograms, colorMean, colorApplyLut, colorGrayscale, colorBlend, colorBlur3, colorHue, colorPermute } from "./color";
export { warp, warpScratch, warpRotateMatrix, warpAffineMatrix, warpPerspectiveCoeffs, rotate90, elasticField, elasticScratch, elasticFromDisplacement, elasticWarp } from "./warp";
export { gpuTaps, gpuCoefficients, gpuNearest } from "./gputables";
export { mixInit, mixAdd, mixFinish } from "./mix";
export { targetAffineMatrix, torchNearestTable, gatherPixels, blendF32, u8ToF32, f32ToU8, toRGB, gridNearest } from "./targets";
export { jpegInfo, jpegDecode } from "./codec/jpeg";
export { exifOrientation, exifOrientationTag, xmpOrientation } from "./codec/exif";
export { orient } from "./codec/orient";

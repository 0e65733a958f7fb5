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
export { colorLutBlend, colorLutGamma, colorLutInvert, colorLutPosterize, colorLutSolarize, colorLutAutocontrast, colorLutEqualize, colorMinMax, colorHistograms, colorMean, colorApplyLut, colorGrayscale, colorBlend, colorBlur3, colorPermute } from "./color";
export { warp, warpScratch, warpRotateMatrix, warpAffineMatrix, warpAffineMatrixV2, warpPerspectiveCoeffs, rotate90, elasticField, elasticScratch, elasticFromDisplacement, elasticWarp } from "./warp";
export { gpuTaps, gpuCoefficients, gpuNearest, gpuTorchCoefficients, gpuTorchNearest } from "./gputables";
export { mixInit, mixAdd, mixFinish } from "./mix";
export { targetAffineMatrix, torchNearestTable, gatherPixels, blendF32, u8ToF32, f32ToU8, toRGB, gridNearest } from "./targets";
export { jpegInfo, jpegDecode } from "./codec/jpeg";
export { exifOrientation, exifOrientationTag, xmpOrientation } from "./codec/exif";
export { orient } from "./codec/orient";
export { pilLutBlend, pilBlend, pilGrey, pilColor, pilContrastMean, pilSmooth, pilHue, pilLutGamma, pilLutAutocontrast, pilHsvTables } from "./pilcolor";
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

/** Transforms with torchvision's names, parameters and sampling algorithms. */
export { Transform, Deterministic, Context, type Json, type TransformJSON, type TransformRecord, type ApplyOptions, type RandomOptions, type KeyedOptions, type SequentialOptions } from "./base.js";
export { Compose, RandomApply, RandomChoice, RandomOrder, type ComposeOptions, type RandomApplyParams, type RandomChoiceParams, type RandomOrderParams } from "./container.js";
export { RandomCrop, CenterCrop, RandomResizedCrop, RandomHorizontalFlip, RandomVerticalFlip, Resize, Pad, type RandomCropOptions, type RandomCropParams, type RandomResizedCropOptions, type BoxParams, type FlipParams, type ResizeTransformOptions, type PadTransformOptions } from "./geometry.js";
export { ToTensor, Normalize } from "./tensor.js";
export { fromJSON, registeredTypes } from "./schema.js";
export { defineOp, type Op, type OpSpec, type OpArgs } from "./ops.js";
export type { Sample } from "./execute.js";
export { GaussianBlur, GaussianNoise, RandomErasing, LinearTransformation, Lambda, registerLambda, type GaussianBlurParams, type NoiseParams, type RandomErasingParams, type RandomErasingOptions, type GaussianNoiseTransformOptions, type LambdaFn, type LambdaOptions, type LambdaParams } from "./misc.js";
export { ColorJitter, RandomPhotometricDistort, Grayscale, RandomGrayscale, RandomInvert, RandomPosterize, RandomSolarize, RandomAdjustSharpness, RandomAutocontrast, RandomEqualize, RandomChannelPermutation, type ColorJitterOptions, type ColorJitterParams, type JitterValue, type PhotometricDistortOptions, type PhotometricDistortParams, type AppliedParams, type ChannelPermutationParams } from "./color.js";
export { RandomRotation, RandomAffine, RandomPerspective, ElasticTransform, RandomZoomOut, ScaleJitter, RandomShortestSize, RandomResize, FiveCrop, TenCrop, type RandomRotationOptions, type RandomAffineOptions, type RandomPerspectiveOptions, type ElasticTransformOptions, type RandomZoomOutOptions, type ScaleJitterOptions, type RandomShortestSizeOptions, type AngleParams, type AffineParams, type PerspectiveParams, type ElasticParams, type ZoomOutParams, type SizeParams } from "./warp.js";
export { AutoAugment, RandAugment, TrivialAugmentWide, AugMix, type AutoAugmentPolicy, type AutoAugmentOptions, type AutoAugmentParams, type RandAugmentOptions, type TrivialAugmentWideOptions, type AugMixOptions, type AugMixParams, type AugOpsParams, type AugOp, type AugOpName, type AugmentCommonOptions, type Draws } from "./autoaugment.js";
export { JPEG, type JpegParams } from "./jpeg.js";
export { ConvertBoundingBoxFormat, ClampBoundingBoxes, ClampKeyPoints, SanitizeBoundingBoxes, SanitizeKeyPoints, RandomIoUCrop, type LabelsGetter, type SanitizeBoundingBoxesOptions, type RandomIoUCropOptions, type RandomIoUCropParams } from "./boxes.js";
export { Identity, ToImage, ToDtype, ToPureTensor, RGB, type ImageDtype, type MaskDtype, type DtypeSpec } from "./convert.js";
export type { Fill } from "./fill.js";
export type { SampleInput, SampleOutput } from "./base.js";
export { MixUp, CutMix, batchKey, batchTransformFromJSON, type BatchTransform, type BatchRandom, type MixBatch, type MixedBatch, type MixUpParams, type CutMixParams } from "./mix.js";

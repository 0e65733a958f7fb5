// What the conformance vectors cover: for EVERY registered transform type, several
// parameterisations (pipelines as JSON); the inputs (downscaled sample photos and synthetic
// images of awkward shapes); and the keys (seed, epoch, index).
//
// Adding a transform with register(...) makes `npm run conformance:generate` fail until it has
// entries here; then regenerate the vectors (see tests/conformance/README.md).

type J = Record<string, unknown>;

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

/** A d x d matrix of small exact binary fractions, different for every (i, j). */
function matrix(d: number): number[][] {
  return Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (((i * 7 + j * 3) % 9) - 4) / 8 + (i === j ? 1 : 0)));
}

/** A ToTensor + LinearTransformation pipeline for inputs of `c` channels (shrunk to 2x2 first). */
function whitening(c: number): J {
  const d = c * 4;
  return {
    type: "Compose",
    transforms: [
      { type: "Resize", size: [2, 2], interpolation: "bilinear" },
      { type: "ToTensor" },
      { type: "LinearTransformation", transformationMatrix: matrix(d), meanVector: Array.from({ length: d }, (_, i) => (i % 5) / 16) },
    ],
  };
}

/** The ImageNet-style training recipe, scaled down so the vectors stay small. */
export const TRAIN_SMALL: J = {
  type: "Compose",
  transforms: [{ type: "RandomResizedCrop", size: 16 }, { type: "RandomHorizontalFlip" }, { type: "ToTensor" }, { type: "Normalize", mean: MEAN, std: STD }],
};

/**
 * Parameterisations per registered transform type. Each entry is a pipeline that uses the type
 * (wrapped in a Compose where it needs something before it, e.g. ToTensor before Normalize).
 * The types whose bytes depend on the semantics get every entry a second time under
 * "tensor" (see withTensorSemantics below), so the vector file holds both semantics.
 */
const BASE_TABLE: Record<string, J[]> = {
  CenterCrop: [
    { type: "CenterCrop", size: 9 },
    { type: "CenterCrop", size: [20, 7] },
    { type: "CenterCrop", size: [3, 3] },
  ],
  ColorJitter: [
    { type: "ColorJitter", brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 },
    { type: "ColorJitter", brightness: [0.5, 1.5], hue: [-0.5, 0.5] },
    { type: "ColorJitter", contrast: 0.8, saturation: [0, 2] },
  ],
  Grayscale: [
    { type: "Grayscale" },
    { type: "Grayscale", numOutputChannels: 3 },
  ],
  RandomAdjustSharpness: [
    { type: "RandomAdjustSharpness", sharpnessFactor: 2 },
    { type: "RandomAdjustSharpness", sharpnessFactor: 0.3, p: 1 },
  ],
  RandomAutocontrast: [
    { type: "RandomAutocontrast" },
    { type: "RandomAutocontrast", p: 1 },
  ],
  RandomChannelPermutation: [
    { type: "RandomChannelPermutation" },
    { type: "Compose", transforms: [{ type: "RandomChannelPermutation" }, { type: "Resize", size: 6 }] },
  ],
  RandomEqualize: [
    { type: "RandomEqualize" },
    { type: "RandomEqualize", p: 1 },
  ],
  RandomGrayscale: [
    { type: "RandomGrayscale" },
    { type: "RandomGrayscale", p: 0.6 },
  ],
  RandomInvert: [
    { type: "RandomInvert" },
    { type: "RandomInvert", p: 0.9 },
  ],
  RandomPhotometricDistort: [
    { type: "RandomPhotometricDistort" },
    { type: "RandomPhotometricDistort", brightness: [0.8, 1.2], contrast: [0.7, 1.3], saturation: [0.5, 1.5], hue: [-0.1, 0.1], p: 0.8 },
  ],
  RandomPosterize: [
    { type: "RandomPosterize", bits: 3 },
    { type: "RandomPosterize", bits: 1, p: 0.9 },
  ],
  RandomSolarize: [
    { type: "RandomSolarize", threshold: 128 },
    { type: "RandomSolarize", threshold: 40.5, p: 0.9 },
  ],
  RandomRotation: [
    { type: "RandomRotation", degrees: 30 },
    { type: "RandomRotation", degrees: [-90, 45], interpolation: "bilinear", expand: true, fill: 90 },
    { type: "RandomRotation", degrees: 180, center: [3, 2], fill: [10, 20, 30] },
  ],
  RandomAffine: [
    { type: "RandomAffine", degrees: 15, translate: [0.1, 0.2], scale: [0.8, 1.2] },
    { type: "RandomAffine", degrees: 0, shear: [-10, 10, -5, 5], interpolation: "bilinear", fill: 255 },
    { type: "RandomAffine", degrees: [10, 40], shear: 20, center: [0, 0] },
  ],
  RandomPerspective: [
    { type: "RandomPerspective" },
    { type: "RandomPerspective", distortionScale: 0.8, p: 1, interpolation: "nearest", fill: 40 },
  ],
  ElasticTransform: [
    { type: "ElasticTransform" },
    { type: "ElasticTransform", alpha: [10, 60], sigma: [2, 6], interpolation: "nearest", fill: 128 },
  ],
  RandomZoomOut: [
    { type: "RandomZoomOut", p: 1 },
    { type: "RandomZoomOut", fill: [255], sideRange: [1, 2.5], p: 0.7 },
  ],
  ScaleJitter: [
    { type: "ScaleJitter", targetSize: [20, 24] },
    { type: "ScaleJitter", targetSize: [9, 31], scaleRange: [0.5, 1.5], interpolation: "bicubic", antialias: false },
  ],
  RandomShortestSize: [
    { type: "RandomShortestSize", minSize: [8, 12, 16] },
    { type: "RandomShortestSize", minSize: [10, 20], maxSize: 24, interpolation: "nearest" },
  ],
  RandomResize: [
    { type: "RandomResize", minSize: 6, maxSize: 20 },
    { type: "RandomResize", minSize: 12, maxSize: 13, interpolation: "bicubic", antialias: false },
  ],
  FiveCrop: [
    { type: "FiveCrop", size: 4 },
    { type: "Compose", transforms: [{ type: "FiveCrop", size: [3, 5] }, { type: "Normalize", mean: [0.5], std: [0.5] }] },
  ],
  TenCrop: [
    { type: "TenCrop", size: 4 },
    { type: "TenCrop", size: [5, 3], verticalFlip: true },
  ],
  AutoAugment: [
    { type: "AutoAugment" },
    { type: "AutoAugment", policy: "cifar10", interpolation: "bilinear", fill: [128] },
    { type: "AutoAugment", policy: "svhn" },
  ],
  RandAugment: [
    { type: "RandAugment" },
    { type: "RandAugment", numOps: 3, magnitude: 15, numMagnitudeBins: 21, interpolation: "bilinear", fill: 30 },
  ],
  TrivialAugmentWide: [
    { type: "TrivialAugmentWide" },
    { type: "TrivialAugmentWide", numMagnitudeBins: 11, interpolation: "bilinear" },
  ],
  AugMix: [
    { type: "AugMix" },
    { type: "AugMix", severity: 5, mixtureWidth: 2, chainDepth: 2, alpha: 0.5, allOps: false, interpolation: "nearest" },
  ],
  Compose: [
    TRAIN_SMALL,
    { type: "Compose", transforms: [{ type: "Resize", size: 20 }, { type: "CenterCrop", size: 16 }, { type: "ToTensor" }, { type: "Normalize", mean: MEAN, std: STD }] },
    {
      type: "Compose",
      transforms: [
        { type: "RandomApply", transforms: [{ type: "Pad", padding: 3, paddingMode: "reflect" }], p: 0.5 },
        { type: "RandomOrder", transforms: [{ type: "RandomHorizontalFlip" }, { type: "RandomVerticalFlip", p: 0.3 }] },
        {
          type: "RandomChoice",
          transforms: [
            { type: "RandomCrop", size: 12, padIfNeeded: true, fill: [1] },
            { type: "CenterCrop", size: [10, 14] },
            { type: "RandomResizedCrop", size: [11, 13], interpolation: "bicubic" },
          ],
        },
        { type: "Resize", size: 9, interpolation: "nearest" },
        { type: "ToTensor" },
      ],
    },
  ],
  GaussianBlur: [
    { type: "GaussianBlur", kernelSize: [3, 3] },
    { type: "GaussianBlur", kernelSize: [5, 3], sigma: [0.5, 3] },
    { type: "GaussianBlur", kernelSize: [7, 7], sigma: 1.5 },
  ],
  GaussianNoise: [
    { type: "GaussianNoise" },
    { type: "Compose", transforms: [{ type: "ToTensor" }, { type: "GaussianNoise", mean: 0.1, sigma: 0.2, clip: true }] },
    { type: "Compose", transforms: [{ type: "ToTensor" }, { type: "GaussianNoise", sigma: 0.5, clip: false }] },
  ],
  Lambda: [
    { type: "Lambda", name: "conformance.invert", random: false },
    { type: "Compose", transforms: [{ type: "RandomCrop", size: 5, padIfNeeded: true }, { type: "Lambda", name: "conformance.shift" }] },
    { type: "Compose", transforms: [{ type: "Lambda", name: "conformance.transpose", random: false }, { type: "RandomHorizontalFlip" }] },
  ],
  LinearTransformation: [whitening(1), whitening(3), whitening(4)],
  Normalize: [
    { type: "Compose", transforms: [{ type: "ToTensor" }, { type: "Normalize", mean: MEAN, std: STD }] },
    { type: "Compose", transforms: [{ type: "ToTensor" }, { type: "Normalize", mean: [0.5], std: [0.25] }] },
    { type: "Compose", transforms: [{ type: "ToTensor" }, { type: "Normalize", mean: [0.1, 0.2, 0.3, 0.4], std: [0.3, 0.7, 1.1, 3] }] },
  ],
  Pad: [
    { type: "Pad", padding: 3 },
    { type: "Pad", padding: [1, 2], paddingMode: "reflect" },
    { type: "Pad", padding: [1, 2, 3, 4], paddingMode: "symmetric" },
    { type: "Pad", padding: 2, paddingMode: "edge" },
    { type: "Pad", padding: [0, 5], fill: 200 },
  ],
  RandomApply: [
    { type: "RandomApply", transforms: [{ type: "Pad", padding: 2, paddingMode: "edge" }], p: 0.5 },
    { type: "RandomApply", transforms: [{ type: "RandomCrop", size: 8, padIfNeeded: true }, { type: "RandomVerticalFlip", p: 1 }], p: 0.7 },
  ],
  RandomChoice: [
    { type: "RandomChoice", transforms: [{ type: "RandomHorizontalFlip", p: 1 }, { type: "RandomVerticalFlip", p: 1 }, { type: "CenterCrop", size: 5 }] },
    { type: "RandomChoice", transforms: [{ type: "Resize", size: 7 }, { type: "Pad", padding: 1 }, { type: "RandomResizedCrop", size: 6 }], p: [0.2, 0.3, 0.5] },
  ],
  RandomCrop: [
    { type: "RandomCrop", size: 16, padIfNeeded: true },
    { type: "RandomCrop", size: [12, 20], padding: 4, paddingMode: "reflect" },
    { type: "RandomCrop", size: 6, padding: [1, 2], fill: 7 },
    { type: "RandomCrop", size: [24, 9], padIfNeeded: true, paddingMode: "symmetric" },
  ],
  RandomErasing: [
    { type: "Compose", transforms: [{ type: "ToTensor" }, { type: "RandomErasing", p: 1 }] },
    { type: "Compose", transforms: [{ type: "ToTensor" }, { type: "RandomErasing", p: 0.8, scale: [0.1, 0.5], ratio: [0.5, 2], value: "random" }] },
    { type: "Compose", transforms: [{ type: "ToTensor" }, { type: "RandomErasing", p: 1, value: [0.25] }] },
  ],
  RandomHorizontalFlip: [
    { type: "RandomHorizontalFlip" },
    { type: "RandomHorizontalFlip", p: 1 },
  ],
  RandomOrder: [
    { type: "RandomOrder", transforms: [{ type: "RandomCrop", size: 10, padIfNeeded: true }, { type: "Pad", padding: 1 }, { type: "RandomHorizontalFlip" }] },
    { type: "RandomOrder", transforms: [{ type: "Resize", size: [9, 11] }, { type: "RandomVerticalFlip" }] },
  ],
  RandomResizedCrop: [
    { type: "RandomResizedCrop", size: 16 },
    { type: "RandomResizedCrop", size: [12, 20], scale: [0.5, 1], ratio: [0.5, 2], interpolation: "bicubic" },
    { type: "RandomResizedCrop", size: 9, interpolation: "nearest" },
    { type: "RandomResizedCrop", size: [24, 24], scale: [0.02, 0.1], antialias: false },
  ],
  RandomVerticalFlip: [
    { type: "RandomVerticalFlip" },
    { type: "RandomVerticalFlip", p: 0.3 },
  ],
  Resize: [
    { type: "Resize", size: 20 },
    { type: "Resize", size: [13, 29], interpolation: "bicubic" },
    { type: "Resize", size: 8, interpolation: "nearest" },
    { type: "Resize", size: 12, maxSize: 15, antialias: false },
    { type: "Resize", size: [5, 3], interpolation: "bicubic", antialias: true },
  ],
  ToTensor: [{ type: "ToTensor" }, { type: "Compose", transforms: [{ type: "Resize", size: 10 }, { type: "ToTensor" }] }],
  // Types added after the vector file's first version (see ADDED): JPEG, then the target-era types on images alone.
  JPEG: [
    { type: "JPEG", quality: 75 },
    { type: "JPEG", quality: [5, 95] },
    { type: "Compose", transforms: [{ type: "Resize", size: 24 }, { type: "JPEG", quality: [1, 100] }, { type: "RandomHorizontalFlip" }, { type: "ToTensor" }] },
  ],
  ClampBoundingBoxes: [{ type: "ClampBoundingBoxes" }, { type: "Compose", transforms: [{ type: "RandomHorizontalFlip", p: 1 }, { type: "ClampBoundingBoxes", clampingMode: "hard" }] }],
  ClampKeyPoints: [{ type: "ClampKeyPoints" }, { type: "Compose", transforms: [{ type: "ClampKeyPoints" }, { type: "RandomVerticalFlip" }] }],
  ConvertBoundingBoxFormat: [{ type: "ConvertBoundingBoxFormat", format: "XYWH" }, { type: "Compose", transforms: [{ type: "ConvertBoundingBoxFormat", format: "CXCYWHR" }, { type: "ToTensor" }] }],
  Identity: [{ type: "Identity" }, { type: "Compose", transforms: [{ type: "Identity" }, { type: "ToTensor" }] }],
  RGB: [{ type: "RGB" }, { type: "Compose", transforms: [{ type: "RGB" }, { type: "RandomHorizontalFlip" }, { type: "ToTensor" }] }],
  ToDtype: [
    { type: "ToDtype", dtype: "float32", scale: true },
    { type: "ToDtype", dtype: "float32" },
    { type: "Compose", transforms: [{ type: "ToTensor" }, { type: "ToDtype", dtype: "uint8", scale: true }] },
    { type: "Compose", transforms: [{ type: "ToDtype", dtype: { image: "float32", mask: "int32" }, scale: true }, { type: "Normalize", mean: [0.5], std: [0.25] }] },
  ],
  ToImage: [{ type: "ToImage" }, { type: "Compose", transforms: [{ type: "ToImage" }, { type: "RandomResizedCrop", size: 8 }] }],
  ToPureTensor: [{ type: "ToPureTensor" }, { type: "Compose", transforms: [{ type: "RandomHorizontalFlip" }, { type: "ToPureTensor" }] }],
};

/** The types added with targets (issue 12), after JPEG in ADDED. */
export const TARGET_ERA: string[] = ["ClampBoundingBoxes", "ClampKeyPoints", "ConvertBoundingBoxFormat", "Identity", "RGB", "RandomIoUCrop", "SanitizeBoundingBoxes", "SanitizeKeyPoints", "ToDtype", "ToImage", "ToPureTensor"];

/**
 * Types registered after the vector file's first version: their pipelines come after all the
 * earlier ones, so earlier cases keep their numbers and keys. New types go at the end.
 */
export const ADDED: string[] = ["JPEG", ...TARGET_ERA];

/** Types that need targets in the sample: covered by TARGET_TABLE only. */
export const TARGETS_ONLY: string[] = ["RandomIoUCrop", "SanitizeBoundingBoxes", "SanitizeKeyPoints"];

type TS = import("./compute.js").TargetSampleSpec;

/** Samples with targets: an input image plus boxes, masks, key points and labels (values exact in float32). */
export const TARGET_SAMPLES: Record<string, TS> = {
  "det-chelsea": {
    image: "chelsea", layout: "tuple",
    boxes: { format: "XYXY", clampingMode: "soft", data: [2.5, 3, 20.25, 21.5, 18, 1.75, 44, 14, 30.5, 12, 43.5, 29.75, 40, 25, 40.5, 25.25] },
    masks: { shape: [4, 30, 45], dtype: "u8", synthetic: 3 },
    keypoints: { shape: [5, 2], data: [5, 5, 20.5, 10, 40, 25, 44.75, 29.5, -1, 3] },
    labels: [17, 3, 8, 1],
  },
  "seg-coffee": { image: "coffee", layout: "dict", masks: { shape: [34, 51], dtype: "u8", synthetic: 1 } },
  "rot-astronaut": {
    image: "astronaut", layout: "dict",
    boxes: { format: "CXCYWHR", clampingMode: "soft", data: [20, 15, 16, 9.5, 30, 33.5, 30.25, 12, 6, -75] },
    labels: [5, 9],
  },
  "xywh-syn": {
    image: "syn-33x20x3", layout: "dict",
    boxes: { format: "XYWH", clampingMode: "hard", data: [1, 2, 10.5, 7, 14.25, 0.5, 18, 19, 30, 15, 6, 8] },
    keypoints: { shape: [3, 2], data: [0, 0, 16.5, 10.25, 32, 19] },
    masks: { shape: [20, 33], dtype: "i32", synthetic: 2 },
    labels: [1, 2, 3],
  },
};

const WITH_BOXES = ["det-chelsea", "rot-astronaut", "xywh-syn"];
const ALL = Object.keys(TARGET_SAMPLES);
const MEAN3 = { type: "Normalize", mean: MEAN, std: STD };

/** Pipelines on target samples: torchvision's detection and segmentation recipes, every geometric family, the box utilities, and inputs to refuse. */
export const TARGET_TABLE: { name: string; json: J; samples: string[] }[] = [
  {
    name: "detection-tutorial",
    json: { type: "Compose", transforms: [{ type: "ToImage" }, { type: "RandomPhotometricDistort", p: 1 }, { type: "RandomZoomOut", fill: { image: [123, 117, 104], mask: 0 }, p: 0.5 }, { type: "RandomIoUCrop" }, { type: "RandomHorizontalFlip", p: 1 }, { type: "SanitizeBoundingBoxes" }, { type: "ToDtype", dtype: "float32", scale: true }] },
    samples: ["det-chelsea", "xywh-syn"],
  },
  {
    name: "segmentation-recipe",
    json: { type: "Compose", transforms: [{ type: "RandomResize", minSize: 16, maxSize: 40 }, { type: "RandomHorizontalFlip" }, { type: "RandomCrop", size: 24, padIfNeeded: true, fill: { image: 0, mask: 255 } }, { type: "ToDtype", dtype: "float32", scale: true }, MEAN3] },
    samples: ["seg-coffee", "det-chelsea"],
  },
  { name: "rrc", json: { type: "RandomResizedCrop", size: [20, 24] }, samples: ALL },
  { name: "rotate-expand", json: { type: "RandomRotation", degrees: 40, expand: true, interpolation: "bilinear" }, samples: ALL },
  { name: "affine", json: { type: "RandomAffine", degrees: 25, translate: [0.1, 0.2], scale: [0.8, 1.2], shear: [-10, 10, -5, 5] }, samples: ALL },
  { name: "perspective", json: { type: "RandomPerspective", p: 1, distortionScale: 0.4 }, samples: ALL },
  { name: "elastic", json: { type: "ElasticTransform", alpha: 20, sigma: 3, interpolation: "nearest" }, samples: ALL },
  { name: "jitter-crop", json: { type: "Compose", transforms: [{ type: "ScaleJitter", targetSize: [32, 32] }, { type: "RandomCrop", size: 16, padIfNeeded: true }] }, samples: ALL },
  { name: "shortest-center", json: { type: "Compose", transforms: [{ type: "RandomShortestSize", minSize: [20, 28], maxSize: 40 }, { type: "CenterCrop", size: 24 }] }, samples: ALL },
  { name: "pad-flip-convert", json: { type: "Compose", transforms: [{ type: "Pad", padding: [2, 3, 4, 5] }, { type: "RandomVerticalFlip", p: 1 }, { type: "ConvertBoundingBoxFormat", format: "CXCYWH" }, { type: "ClampBoundingBoxes" }] }, samples: ["det-chelsea", "xywh-syn"] },
  { name: "affine-sanitize", json: { type: "Compose", transforms: [{ type: "RandomAffine", degrees: 45, translate: [0.3, 0.3] }, { type: "ClampBoundingBoxes" }, { type: "SanitizeBoundingBoxes", minSize: 2 }] }, samples: WITH_BOXES },
  { name: "zoom-keypoints", json: { type: "Compose", transforms: [{ type: "RandomZoomOut", p: 1, sideRange: [1, 2] }, { type: "RandomCrop", size: 30, padIfNeeded: true }, { type: "ClampKeyPoints" }, { type: "SanitizeKeyPoints" }] }, samples: ["det-chelsea", "xywh-syn"] },
  { name: "iou-crop", json: { type: "Compose", transforms: [{ type: "RandomIoUCrop", samplerOptions: [0.1, 0.3, 0.5] }, { type: "SanitizeBoundingBoxes", labelsGetter: null }] }, samples: WITH_BOXES },
  { name: "iou-crop-resize", json: { type: "Compose", transforms: [{ type: "RandomIoUCrop" }, { type: "Resize", size: [16, 16] }, { type: "SanitizeKeyPoints", labelsGetter: null }] }, samples: ["det-chelsea", "xywh-syn"] },
  { name: "dtype-pure", json: { type: "Compose", transforms: [{ type: "RGB" }, { type: "ToDtype", dtype: { image: "float32", mask: "int32" }, scale: true }, { type: "ToPureTensor" }] }, samples: ALL },
  { name: "refuse-fivecrop", json: { type: "FiveCrop", size: 8 }, samples: WITH_BOXES },
  { name: "refuse-reflect-pad", json: { type: "Pad", padding: 2, paddingMode: "reflect" }, samples: WITH_BOXES },
  // Under "tensor" (torchvision v2 on uint8 tensors, as its tutorials run): colour and resize
  // kernels change the image; an expanding rotation's canvas (targets follow the image's) too.
  { name: "detection-tutorial-tensor", json: { type: "Compose", semantics: "tensor", transforms: [{ type: "ToImage" }, { type: "RandomPhotometricDistort", p: 1 }, { type: "RandomZoomOut", fill: { image: [123, 117, 104], mask: 0 }, p: 0.5 }, { type: "RandomIoUCrop" }, { type: "RandomHorizontalFlip", p: 1 }, { type: "SanitizeBoundingBoxes" }, { type: "ToDtype", dtype: "float32", scale: true }] }, samples: ["det-chelsea", "xywh-syn"] },
  { name: "segmentation-recipe-tensor", json: { type: "Compose", semantics: "tensor", transforms: [{ type: "RandomResize", minSize: 16, maxSize: 40 }, { type: "RandomHorizontalFlip" }, { type: "RandomCrop", size: 24, padIfNeeded: true, fill: { image: 0, mask: 255 } }, { type: "ToDtype", dtype: "float32", scale: true }, MEAN3] }, samples: ["seg-coffee", "det-chelsea"] },
  { name: "rotate-expand-tensor", json: { type: "Compose", semantics: "tensor", transforms: [{ type: "RandomRotation", degrees: 40, expand: true, interpolation: "bilinear" }] }, samples: ALL },
  // JPEG recompresses the image only; the targets pass through it to the flip.
  { name: "jpeg-flip", json: { type: "Compose", transforms: [{ type: "JPEG", quality: [20, 90] }, { type: "RandomHorizontalFlip", p: 1 }] }, samples: ["det-chelsea", "xywh-syn"] },
];

/** Keys per (target pipeline, sample). */
export const TARGET_KEYS = 3;

/**
 * Transform types whose pixels differ between "pil" and "tensor" (colour ops, warps,
 * resizes, ToTensor, the auto-augment policies): each of their entries is repeated inside
 * a Compose with semantics "tensor".
 */
const SEMANTIC_TYPES = [
  "ColorJitter", "RandomPhotometricDistort", "Grayscale", "RandomGrayscale", "RandomAdjustSharpness", "RandomAutocontrast",
  "RandomRotation", "RandomAffine", "RandomPerspective", "ScaleJitter", "RandomShortestSize", "RandomResize",
  "AutoAugment", "RandAugment", "TrivialAugmentWide", "AugMix", "Normalize", "RandomResizedCrop", "Resize", "ToTensor",
];

function withTensorSemantics(table: Record<string, J[]>): Record<string, J[]> {
  const out: Record<string, J[]> = {};
  for (const [type, rows] of Object.entries(table)) {
    out[type] = SEMANTIC_TYPES.includes(type) ? [...rows, ...rows.map((row) => ({ type: "Compose", semantics: "tensor", transforms: [row] }))] : rows;
  }
  return out;
}

export const TABLE: Record<string, J[]> = withTensorSemantics(BASE_TABLE);

/** Sample photos, decoded through lockstep/io and downscaled (bilinear, antialiased) to [height, width]. */
export const PHOTOS: { name: string; file: string; size: [number, number] }[] = [
  { name: "astronaut", file: "astronaut.png", size: [40, 40] },
  { name: "chelsea", file: "chelsea.png", size: [30, 45] },
  { name: "coffee", file: "coffee.png", size: [34, 51] },
  { name: "rocket", file: "rocket.jpg", size: [31, 47] },
];

/** Synthetic images: 1x1, odd widths, thin strips, 1/3/4 channels. */
export const SYNTHETIC: { name: string; width: number; height: number; channels: 1 | 3 | 4 }[] = [
  { name: "syn-1x1x1", width: 1, height: 1, channels: 1 },
  { name: "syn-1x1x3", width: 1, height: 1, channels: 3 },
  { name: "syn-1x1x4", width: 1, height: 1, channels: 4 },
  { name: "syn-7x5x1", width: 7, height: 5, channels: 1 },
  { name: "syn-13x9x3", width: 13, height: 9, channels: 3 },
  { name: "syn-31x17x4", width: 31, height: 17, channels: 4 },
  { name: "syn-33x20x3", width: 33, height: 20, channels: 3 },
  { name: "syn-2x41x3", width: 2, height: 41, channels: 3 },
  { name: "syn-57x3x1", width: 57, height: 3, channels: 1 },
  { name: "syn-9x11x4", width: 9, height: 11, channels: 4 },
];

/**
 * Keys (seed, epoch, index): small and large seeds (bigints beyond 2^53 and up to 2^64 - 1 as
 * decimal strings), large epochs and indices.
 */
export const KEYS: [number | string, number, number][] = [
  [0, 0, 0],
  [1, 0, 1],
  [42, 3, 17],
  [123456789, 1, 99999],
  ["9007199254740993", 2, 5],
  ["18446744073709551615", 7, 3],
  [2 ** 53 - 1, 1000000, 2 ** 31],
  [7, 2 ** 32 + 5, 2 ** 40 + 3],
];

/**
 * Keys per (pipeline, photo) for pipelines that draw: several keys on the same input. Synthetic
 * inputs get one key each (the keys rotate, so every pipeline still meets several).
 */
export const KEYS_PER_PHOTO = 2;

/**
 * Decode cases: files from the codec corpora (tests/codec/, Pillow-verified there), each decoded
 * in every listed mode (and with its EXIF orientation applied where `orient` is set), plus damaged
 * files every platform must refuse the same way. `cut` keeps the first `cut` bytes; `flip` XORs
 * byte `flip` with 0x40.
 */
export const DECODES: { file: string; modes: ("RGB" | "RGBA" | "L" | "keep")[]; orient?: boolean; cut?: number; flip?: number }[] = [
  // JPEG: subsamplings, progressive, restarts, grey, CMYK/YCCK, EXIF
  { file: "tests/codec/jpeg/q005_422_rocket.jpg", modes: ["keep", "L", "RGBA"] },
  { file: "tests/codec/jpeg/size_1x1_420.jpg", modes: ["keep", "RGBA"] },
  { file: "tests/codec/jpeg/samp_2x1_37x29.jpg", modes: ["keep", "L"] },
  { file: "tests/codec/jpeg/cv2_411.jpg", modes: ["keep"] },
  { file: "tests/codec/jpeg/cv2_440.jpg", modes: ["keep"] },
  { file: "tests/codec/jpeg/cv2_progressive_optimized.jpg", modes: ["keep", "L"] },
  { file: "tests/codec/jpeg/prog_grey.jpg", modes: ["keep", "RGB"] },
  { file: "tests/codec/jpeg/rst_b1_420.jpg", modes: ["keep"] },
  { file: "tests/codec/jpeg/grey_pil_q10.jpg", modes: ["keep", "RGBA"] },
  { file: "tests/codec/jpeg/cmyk_pil_sub.jpg", modes: ["keep", "L", "RGBA"] },
  { file: "tests/codec/jpeg/ycck_sub.jpg", modes: ["keep"] },
  { file: "tests/codec/jpeg/exif_o6.jpg", modes: ["keep", "RGB"], orient: true },
  { file: "tests/codec/jpeg/exif_o7.jpg", modes: ["keep"], orient: true },
  { file: "tests/codec/jpeg/exif_o5_cmyk.jpg", modes: ["RGB"], orient: true },
  { file: "tests/codec/jpeg/tol_two_images.jpg", modes: ["keep"] },
  // PNG: every native mode, palettes with tRNS, keys, 16 bits, Adam7, eXIf
  { file: "tests/codec/png/ct0-d1-17x13.png", modes: ["keep", "RGB"] },
  { file: "tests/codec/png/ct0-d2-17x13.png", modes: ["keep"] },
  { file: "tests/codec/png/ct0-d16-17x13.png", modes: ["keep", "RGBA"] },
  { file: "tests/codec/png/ct2-d16-17x13.png", modes: ["keep", "L"] },
  { file: "tests/codec/png/ct3-d1-17x13.png", modes: ["keep", "L"] },
  { file: "tests/codec/png/pal-trns-partial.png", modes: ["keep", "RGB", "L"] },
  { file: "tests/codec/png/ct4-d8-17x13.png", modes: ["keep", "RGB", "L"] },
  { file: "tests/codec/png/ct4-d16-17x13.png", modes: ["keep", "L"] },
  { file: "tests/codec/png/grey8-key200-adam7.png", modes: ["keep", "RGBA"] },
  { file: "tests/codec/png/rgb8-key-adam7.png", modes: ["keep", "RGBA"] },
  { file: "tests/codec/png/exif-orientation6.png", modes: ["keep"], orient: true },
  // Refused the same way everywhere: truncated, a CRC mismatch, a broken scan, not an image
  { file: "tests/codec/jpeg/q005_422_rocket.jpg", modes: ["keep"], cut: 400 },
  { file: "tests/codec/png/ct2-d16-17x13.png", modes: ["keep"], flip: 40 },
  { file: "tests/codec/png/ct3-d1-17x13.png", modes: ["keep"], cut: 60 },
  { file: "tests/codec/other/manifest.json", modes: ["keep"] },
];

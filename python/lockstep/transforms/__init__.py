"""Transforms with torchvision's names, parameters and sampling algorithms (mirrors src/transforms/index.ts)."""
from .base import Context, Deterministic, Transform
from .container import Compose, RandomApply, RandomChoice, RandomOrder
from .geometry import CenterCrop, Pad, RandomCrop, RandomHorizontalFlip, RandomResizedCrop, RandomVerticalFlip, Resize
from .tensor import Normalize, ToTensor
from .schema import from_json, registered_types
from .ops import define_op
from .misc import GaussianBlur, GaussianNoise, Lambda, LinearTransformation, RandomErasing, register_lambda
from .color import (ColorJitter, Grayscale, RandomAdjustSharpness, RandomAutocontrast, RandomChannelPermutation, RandomEqualize, RandomGrayscale,
                    RandomInvert, RandomPhotometricDistort, RandomPosterize, RandomSolarize)
from .warp import (ElasticTransform, FiveCrop, RandomAffine, RandomPerspective, RandomResize, RandomRotation, RandomShortestSize, RandomZoomOut,
                   ScaleJitter, TenCrop)
from .autoaugment import AugMix, AutoAugment, RandAugment, TrivialAugmentWide
from .jpeg import JPEG
from .boxes import ClampBoundingBoxes, ClampKeyPoints, ConvertBoundingBoxFormat, RandomIoUCrop, SanitizeBoundingBoxes, SanitizeKeyPoints
from .convert import RGB, Identity, ToDtype, ToImage, ToPureTensor
from .mix import CutMix, MixUp, batch_key, batch_transform_from_json

"""torchvision.transforms.functional for lockstep (mirrors src/functional/index.ts): deterministic
ops on images (uint8 HWC numpy arrays) and tensors (float32 CHW). Every op validates its arguments
and returns new memory unless given out=."""
from .geometry import hflip, vflip, crop, center_crop, pad
from .resize import resize, resized_crop
from .tensor import to_tensor, normalize
from .args import InterpolationMode
from .filter import gaussian_blur
from .erase import erase, gaussian_noise
from .color import (adjust_brightness, adjust_contrast, adjust_saturation, adjust_hue, adjust_gamma, adjust_sharpness,
                    rgb_to_grayscale, invert, posterize, solarize, autocontrast, equalize, permute_channels)
from .warp import rotate, affine, perspective, perspective_coeffs, elastic, five_crop, ten_crop, warp_with
from .jpeg import jpeg, encode_jpeg

__all__ = ["hflip", "vflip", "crop", "center_crop", "pad", "resize", "resized_crop", "to_tensor", "normalize", "InterpolationMode",
           "gaussian_blur", "erase", "gaussian_noise", "adjust_brightness", "adjust_contrast", "adjust_saturation", "adjust_hue",
           "adjust_gamma", "adjust_sharpness", "rgb_to_grayscale", "invert", "posterize", "solarize", "autocontrast", "equalize",
           "permute_channels", "rotate", "affine", "perspective", "perspective_coeffs", "elastic", "five_crop", "ten_crop", "warp_with", "jpeg", "encode_jpeg"]

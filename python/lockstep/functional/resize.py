"""Resize and resized crop: Pillow's resampler ("pil") or torch's uint8 resize ("tensor")
(mirrors src/functional/resize.ts)."""
from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .._js import UNDEFINED
from ..image import check_image, check_side
from .args import check_int, check_interpolation
from .geometry import crop
from .resample import ResamplePlan, run_resample
from .semantics import check_semantics
from .size import resized_size


def _options(interpolation: Any, antialias: Any, semantics: Any):
    interpolation = check_interpolation("bilinear" if interpolation is None else interpolation, "interpolation")
    antialias = True if antialias is None else antialias
    if not isinstance(antialias, (bool, np.bool_)):
        raise TypeError(f"antialias must be a boolean, got {antialias}")
    return interpolation, bool(antialias), check_semantics(semantics)


def resize_plan(box: dict, size, interpolation: str, antialias: bool, semantics: str = "pil") -> ResamplePlan:
    """The plan that resizes the in-bounds box of an image to [h, w]."""
    return ResamplePlan(box, list(size), {"top": 0, "left": 0, "height": size[0], "width": size[1]}, interpolation, antialias, semantics=semantics)


def resize(img: np.ndarray, size: Any, interpolation: Any = "bilinear", max_size: Any = None, antialias: Any = True, out: Optional[np.ndarray] = None,
           semantics: Optional[str] = None) -> np.ndarray:
    """Resizes (torchvision F.resize): "pil" (default) with Pillow's resampler, bytes equal to torchvision
    on PIL images; "tensor" with torch's uint8 kernel, as torchvision v2 on uint8 tensors (nearest:
    torch's nearest). size: a number (the shorter side, keeping the aspect ratio) or [h, w]."""
    check_image(img)
    interpolation, antialias, semantics = _options(interpolation, antialias, semantics)
    hw = resized_size(img.shape[0], img.shape[1], size, UNDEFINED if max_size is None else max_size)
    box = {"top": 0, "left": 0, "height": img.shape[0], "width": img.shape[1]}
    return run_resample(img, resize_plan(box, hw, interpolation, antialias, semantics), out)


def resized_crop(img: np.ndarray, top: int, left: int, height: int, width: int, size: Any, interpolation: Any = "bilinear", antialias: Any = True, out: Optional[np.ndarray] = None,
                 semantics: Optional[str] = None) -> np.ndarray:
    """Crops (top, left, height, width), then resizes to size (torchvision F.resized_crop)."""
    check_image(img)
    top = check_int(top, "top", -(2**30), 2**30)
    left = check_int(left, "left", -(2**30), 2**30)
    height = check_side(height, "height")
    width = check_side(width, "width")
    interpolation, antialias, semantics = _options(interpolation, antialias, semantics)
    hw = resized_size(height, width, size)
    inside = top >= 0 and left >= 0 and top + height <= img.shape[0] and left + width <= img.shape[1]
    if inside:
        return run_resample(img, resize_plan({"top": top, "left": left, "height": height, "width": width}, hw, interpolation, antialias, semantics), out)
    c = crop(img, top, left, height, width)
    return run_resample(c, resize_plan({"top": 0, "left": 0, "height": height, "width": width}, hw, interpolation, antialias, semantics), out)

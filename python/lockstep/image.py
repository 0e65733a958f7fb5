"""Images and tensors as numpy arrays (mirrors src/image.ts).

An image is a uint8 array of shape (H, W, C), C in 1, 3, 4 (HWC, as numpy/PIL users hold them);
a tensor is a float32 array (CHW or NCHW). Metas are the TypeScript host's JSON objects.
"""
from __future__ import annotations

import json
from typing import Any

import numpy as np

from ._js import UNDEFINED, is_integer, is_number, number_to_string
from .errors import RangeError

MAX_SIDE = 32768
"""Largest width or height accepted."""
MAX_PIXELS = 2**27
"""Largest width * height accepted (2^27, e.g. 16384 x 8192)."""


def is_tensor(x: Any) -> bool:
    """True when x is a tensor (float32) rather than an image (uint8)."""
    return isinstance(x, np.ndarray) and x.dtype == np.float32


def meta_of(x: np.ndarray) -> dict:
    """The meta describing an image or tensor."""
    if is_tensor(x):
        return {"kind": "tensor", "shape": [int(d) for d in x.shape]}
    return {"kind": "image", "width": int(x.shape[1]), "height": int(x.shape[0]), "channels": int(x.shape[2])}


def check_side(v: Any, name: str) -> int:
    """Checks a width or height; name goes into the error."""
    if not is_integer(v) or v < 1 or v > MAX_SIDE:
        raise RangeError(f"{name} must be an integer in [1, {MAX_SIDE}], got {describe(v)}")
    return int(v)


def check_area(width: int, height: int, name: str) -> None:
    """Checks width x height against the pixel limit."""
    if width * height > MAX_PIXELS:
        raise RangeError(f"{name} is {width}x{height} = {width * height} pixels, over the limit of {MAX_PIXELS}")


def check_image(img: Any, name: str = "img") -> np.ndarray:
    """Validates an image (uint8 HWC array) and returns it; every message names name and the bad field."""
    if not isinstance(img, np.ndarray):
        raise TypeError(f"{name} must be a uint8 numpy array of shape (height, width, channels), got {describe(img)}")
    if img.dtype != np.uint8:
        raise TypeError(f"{name} must have dtype uint8, got {img.dtype} (images are 8-bit HWC; tensors float32)")
    if img.ndim != 3:
        raise RangeError(f"{name} must have shape (height, width, channels), got {tuple(img.shape)}")
    check_side(img.shape[1], f"{name}.width")
    check_side(img.shape[0], f"{name}.height")
    if img.shape[2] not in (1, 3, 4):
        raise RangeError(f"{name}.channels must be 1, 3 or 4, got {img.shape[2]}")
    check_area(img.shape[1], img.shape[0], name)
    return img


def check_tensor(t: Any, name: str = "tensor") -> np.ndarray:
    """Validates a tensor (float32 array with at least one dimension, none empty) and returns it."""
    if not isinstance(t, np.ndarray) or t.dtype != np.float32:
        raise TypeError(f"{name} must be a float32 numpy array, got {describe(t)}")
    if t.ndim < 1 or any(d < 1 for d in t.shape):
        raise TypeError(f"{name}.shape must be positive integers, got {list(t.shape)}")
    return t


def describe(v: Any) -> str:
    """A short, safe rendering of a value for error messages."""
    if v is None:
        return "null"
    if v is UNDEFINED:
        return "undefined"
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, np.ndarray):
        return f"{v.dtype} array of shape {tuple(v.shape)}"
    if isinstance(v, (list, tuple)):
        return f"an array of length {len(v)}" if len(v) > 6 else "[" + ", ".join(describe(x) for x in v) + "]"
    if is_number(v):
        return number_to_string(v)
    if isinstance(v, str):
        return json.dumps(v[:40] + "…" if len(v) > 40 else v, ensure_ascii=False)
    if callable(v):
        return "a function"
    if isinstance(v, dict):
        return "an object"
    return f"a {type(v).__name__}"

"""Argument checks shared by the functional ops (mirrors src/functional/args.ts)."""
from __future__ import annotations

import enum
import math
from typing import Any, List

import numpy as np

from .._js import is_finite, is_integer, is_number, num
from ..errors import RangeError
from ..image import MAX_SIDE, describe


class InterpolationMode(str, enum.Enum):
    """Interpolation modes, named as torchvision's InterpolationMode (whose members are accepted too)."""

    NEAREST = "nearest"
    BILINEAR = "bilinear"
    BICUBIC = "bicubic"


def is_array(v: Any) -> bool:
    """Array.isArray: lists and tuples."""
    return isinstance(v, (list, tuple))


def mode_value(v: Any) -> Any:
    """An enum member (lockstep's or torchvision's InterpolationMode, AutoAugmentPolicy) as its string value."""
    if isinstance(v, enum.Enum) and isinstance(v.value, str):
        return v.value
    return v


def check_int(v: Any, name: str, lo: int, hi: int) -> int:
    if not is_integer(v) or v < lo or v > hi:
        raise RangeError(f"{name} must be an integer in [{lo}, {hi}], got {describe(v)}")
    return int(v)


def check_finite(v: Any, name: str) -> Any:
    if not is_finite(v):
        raise RangeError(f"{name} must be a finite number, got {describe(v)}")
    return num(v)


def check_interpolation(v: Any, name: str = "interpolation") -> str:
    v = mode_value(v)
    if v not in ("nearest", "bilinear", "bicubic"):
        raise RangeError(f'{name} must be "nearest", "bilinear" or "bicubic", got {describe(v)}')
    return v


def check_padding_mode(v: Any, name: str = "paddingMode") -> str:
    if v not in ("constant", "edge", "reflect", "symmetric"):
        raise RangeError(f'{name} must be "constant", "edge", "reflect" or "symmetric", got {describe(v)}')
    return v


def check_size(v: Any, name: str = "size") -> List[int]:
    """A size as [h, w] when given as a pair, or [s] for a single number (meaning depends on the op)."""
    if is_number(v):
        return [check_int(v, name, 1, MAX_SIDE)]
    if is_array(v) and len(v) in (1, 2):
        return [check_int(x, f"{name}[{i}]", 1, MAX_SIDE) for i, x in enumerate(v)]
    raise TypeError(f"{name} must be a positive integer or [h, w], got {describe(v)}")


def check_hw(v: Any, name: str = "size") -> List[int]:
    """A square or [h, w] size (crops)."""
    s = check_size(v, name)
    return [s[0], s[0]] if len(s) == 1 else s


def fill_bytes(fill: Any, channels: int, name: str = "fill") -> np.ndarray:
    """Fill bytes for each channel from a number or a per-channel array of integers in [0, 255]."""
    out = np.zeros(channels, dtype=np.uint8)
    if is_number(fill):
        out[:] = check_int(fill, name, 0, 255)
        return out
    if is_array(fill) and (len(fill) == channels or len(fill) == 1):
        for c in range(channels):
            out[c] = check_int(fill[0 if len(fill) == 1 else c], f"{name}[{c}]", 0, 255)
        return out
    raise TypeError(f"{name} must be an integer in [0, 255] or an array of {channels} of them, got {describe(fill)}")


def check_padding(v: Any, name: str = "padding") -> List[int]:
    """Padding as torchvision: n, [n], [left/right, top/bottom] or [left, top, right, bottom]; returns [l, t, r, b]."""
    single = is_number(v)
    arr = [v] if single else v
    if not is_array(arr) or len(arr) not in (1, 2, 4):
        raise TypeError(f"{name} must be an integer, [n], [leftRight, topBottom] or [left, top, right, bottom], got {describe(v)}")
    p = [check_int(x, name if single else f"{name}[{i}]", 0, MAX_SIDE) for i, x in enumerate(arr)]
    if len(p) == 1:
        return [p[0]] * 4
    if len(p) == 2:
        return [p[0], p[1], p[0], p[1]]
    return p


def round_half_even(x: float) -> Any:
    """Python's round() as the TypeScript host computes it: halves go to the even neighbour."""
    if not math.isfinite(x):
        return x
    f = math.floor(x)
    d = x - f
    if d > 0.5:
        return f + 1
    if d < 0.5:
        return f
    return f if f % 2 == 0 else f + 1

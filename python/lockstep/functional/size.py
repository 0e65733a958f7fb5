"""torchvision's _compute_resized_output_size (mirrors src/functional/size.ts)."""
from __future__ import annotations

from typing import Any, List, Optional

from .._js import UNDEFINED
from ..errors import RangeError
from ..image import MAX_SIDE
from .args import check_int, check_size


def resized_size(height: int, width: int, size: Any, max_size: Optional[int] = UNDEFINED) -> List[int]:
    """[h, w] for resizing height x width to size (a number or [s] = the shorter side; [h, w] = exactly), capped by max_size."""
    s = check_size(size)
    if len(s) == 2:
        if max_size is not UNDEFINED:
            raise RangeError(f"maxSize is only allowed when size is a single number (the shorter side), got size [{s[0]}, {s[1]}]")
        return s
    short_is_width = width <= height
    short = width if short_is_width else height
    long = height if short_is_width else width
    new_short = s[0]
    new_long = int((new_short * long) / short)
    if max_size is not UNDEFINED:
        check_int(max_size, "maxSize", 1, MAX_SIDE)
        if max_size <= new_short:
            raise RangeError(f"maxSize must be larger than the requested size {new_short}, got {max_size}")
        if new_long > max_size:
            new_short = int((max_size * new_short) / new_long)
            new_long = int(max_size)
    if new_long > MAX_SIDE:
        raise RangeError(f"resizing {width}x{height} to shorter side {new_short} gives a longer side of {new_long}, over {MAX_SIDE}")
    if new_short < 1:
        raise RangeError(f"resizing {width}x{height} with maxSize {max_size} gives an empty side")
    return [new_long, new_short] if short_is_width else [new_short, new_long]

"""Targets in the spirit of torchvision's tv_tensors (mirrors src/targets/types.ts): bounding boxes,
masks and key points that travel with an image through a pipeline. Plain classes holding numpy
arrays (flat float32 for boxes and key points, uint8 or int32 for masks), validated field by field;
torchvision's tv_tensors are converted to and from them at the edge (lockstep.targets.sample)."""
from __future__ import annotations

from typing import Any, List, Optional, Sequence

import numpy as np

from .._js import is_integer
from ..errors import RangeError
from ..image import MAX_SIDE, describe

BOX_FORMATS = ("XYXY", "XYWH", "CXCYWH", "XYWHR", "CXCYWHR", "XYXYXYXY")
"""Box formats, as torchvision's BoundingBoxFormat (rotated angles in degrees, counter-clockwise)."""


def box_size(format: str) -> int:
    """Values per box of a format: 4, 5 or 8."""
    return 8 if format == "XYXYXYXY" else 5 if format in ("XYWHR", "CXCYWHR") else 4


def is_rotated(format: str) -> bool:
    """Whether a format is one of the rotated ones."""
    return format in ("XYWHR", "CXCYWHR", "XYXYXYXY")


class BoundingBoxes:
    """Boxes on a canvas of (height, width) (tv_tensors.BoundingBoxes): data is N rows of 4 (XYXY, XYWH,
    CXCYWH), 5 (XYWHR, CXCYWHR) or 8 (XYXYXYXY) float32 values; clamping_mode "soft" (default),
    "hard" or None, as torchvision's clamping_mode."""

    kind = "boxes"
    __slots__ = ("format", "canvas_size", "clamping_mode", "data")

    def __init__(self, data: Any, format: str, canvas_size: Sequence[int], clamping_mode: Optional[str] = "soft") -> None:
        self.format = check_format(format, "format")
        self.canvas_size = check_canvas(canvas_size, "canvas_size")
        self.clamping_mode = check_clamping_mode(clamping_mode, "clamping_mode")
        self.data = _floats(data, box_size(self.format), "boxes")
        check_bounding_boxes(self, "boxes")

    @classmethod
    def _raw(cls, format: str, canvas_size: List[int], clamping_mode: Optional[str], data: np.ndarray) -> "BoundingBoxes":
        b = cls.__new__(cls)
        b.format, b.canvas_size, b.clamping_mode, b.data = format, list(canvas_size), clamping_mode, data
        return b

    def replace(self, **kw: Any) -> "BoundingBoxes":
        """A copy with some fields replaced (the JavaScript host's { ...b, field })."""
        return BoundingBoxes._raw(kw.get("format", self.format), kw.get("canvas_size", self.canvas_size), kw.get("clamping_mode", self.clamping_mode), kw.get("data", self.data))

    def numpy(self) -> np.ndarray:
        """The boxes as an (N, 4|5|8) float32 array."""
        return self.data.reshape(-1, box_size(self.format))

    def __len__(self) -> int:
        return self.data.size // box_size(self.format)

    def __repr__(self) -> str:
        return f"BoundingBoxes({self.numpy().tolist()}, format={self.format!r}, canvas_size={tuple(self.canvas_size)}, clamping_mode={self.clamping_mode!r})"


class Mask:
    """A mask (tv_tensors.Mask): shape (H, W) (a label map) or (N, H, W) (one plane per instance, N may
    be 0); uint8 or int32 values. Transforms move masks with nearest interpolation only."""

    kind = "mask"
    __slots__ = ("shape", "data")

    def __init__(self, data: Any) -> None:
        a = np.asarray(data)
        if a.dtype not in (np.uint8, np.int32):
            if a.dtype == np.bool_:
                a = a.astype(np.uint8)
            elif a.dtype.kind in "iu" and a.size and (a.min() < -(2**31) or a.max() >= 2**31):
                raise RangeError(f"mask values must fit in int32, got {a.dtype} values in [{a.min()}, {a.max()}]")
            elif a.dtype.kind in "iu":
                a = a.astype(np.int32)
            else:
                raise TypeError(f"mask must hold uint8, int32 (or bool / integer) values, got {describe(a)}")
        self.shape = [int(s) for s in a.shape]
        self.data = np.ascontiguousarray(a).reshape(-1)
        check_mask(self, "mask")

    @classmethod
    def _raw(cls, shape: List[int], data: np.ndarray) -> "Mask":
        m = cls.__new__(cls)
        m.shape, m.data = list(shape), data
        return m

    def replace(self, **kw: Any) -> "Mask":
        return Mask._raw(kw.get("shape", self.shape), kw.get("data", self.data))

    def numpy(self) -> np.ndarray:
        """The mask as an array of its shape."""
        return self.data.reshape(self.shape)

    def __repr__(self) -> str:
        return f"Mask(shape={tuple(self.shape)}, dtype={self.data.dtype})"


class KeyPoints:
    """Points on a canvas of (height, width) (tv_tensors.KeyPoints): shape (..., 2) of float32 (x, y)."""

    kind = "keypoints"
    __slots__ = ("canvas_size", "shape", "data")

    def __init__(self, data: Any, canvas_size: Sequence[int]) -> None:
        a = np.asarray(data)
        if a.ndim == 1:
            a = a.reshape(-1, 2) if a.size % 2 == 0 else a
        shape = [int(s) for s in a.shape]
        self.canvas_size = check_canvas(canvas_size, "canvas_size")
        self.shape = shape
        self.data = _floats(a.reshape(-1), 2, "keypoints")
        check_key_points(self, "keypoints")

    @classmethod
    def _raw(cls, canvas_size: List[int], shape: List[int], data: np.ndarray) -> "KeyPoints":
        k = cls.__new__(cls)
        k.canvas_size, k.shape, k.data = list(canvas_size), list(shape), data
        return k

    def replace(self, **kw: Any) -> "KeyPoints":
        return KeyPoints._raw(kw.get("canvas_size", self.canvas_size), kw.get("shape", self.shape), kw.get("data", self.data))

    def numpy(self) -> np.ndarray:
        return self.data.reshape(self.shape)

    def __repr__(self) -> str:
        return f"KeyPoints({self.numpy().tolist()}, canvas_size={tuple(self.canvas_size)})"


Target = (BoundingBoxes, Mask, KeyPoints)


def is_target(v: Any) -> bool:
    return isinstance(v, Target)


def check_format(v: Any, name: str = "format") -> str:
    v = getattr(v, "name", v)  # torchvision's BoundingBoxFormat enum
    if not isinstance(v, str) or v.upper() not in BOX_FORMATS:
        raise RangeError(f"{name} must be one of {', '.join(BOX_FORMATS)}, got {describe(v)}")
    return v.upper()


def check_canvas(v: Any, name: str = "canvas_size") -> List[int]:
    if not isinstance(v, (list, tuple)) or len(v) != 2 or not all(is_integer(s) and 1 <= s <= MAX_SIDE for s in v):
        raise RangeError(f"{name} must be (height, width), integers in [1, {MAX_SIDE}], got {describe(v)}")
    return [int(v[0]), int(v[1])]


def check_clamping_mode(v: Any, name: str = "clamping_mode") -> Optional[str]:
    if v not in ("soft", "hard", None):
        raise RangeError(f'{name} must be "soft", "hard" or None, got {describe(v)}')
    return v


def _floats(data: Any, per: int, name: str) -> np.ndarray:
    if isinstance(data, np.ndarray):
        if data.dtype.kind not in "fiu":
            raise TypeError(f"{name} must hold numbers, got {describe(data)}")
        a = data
    elif isinstance(data, (list, tuple)):
        rows = len(data) > 0 and isinstance(data[0], (list, tuple, np.ndarray))
        for i, r in enumerate(data):
            if rows:
                if not isinstance(r, (list, tuple, np.ndarray)) or len(r) != per:
                    raise RangeError(f"{name}[{i}] must have {per} numbers, got {describe(r)}")
                for j, x in enumerate(r):
                    if isinstance(x, bool) or not isinstance(x, (int, float, np.number)):
                        raise TypeError(f"{name}[{i}][{j}] must be a number, got {describe(x)}")
            elif isinstance(r, bool) or not isinstance(r, (int, float, np.number)):
                raise TypeError(f"{name}[{i}] must be a number, got {describe(r)}")
        a = np.asarray(data, dtype=np.float64)
    else:
        raise TypeError(f"{name} must be a numpy array or a list of numbers (or of rows), got {describe(data)}")
    a = np.ascontiguousarray(a, dtype=np.float32).reshape(-1)
    if a.size % per != 0:
        raise RangeError(f"{name} has {a.size} values, not a multiple of {per}")
    return a


def _check_finite(data: np.ndarray, per: int, name: str) -> None:
    bad = np.flatnonzero(~np.isfinite(data))
    if bad.size:
        i = int(bad[0])
        raise RangeError(f"{name}[{i // per}][{i % per}] must be finite, got {float(data[i])}")


def check_bounding_boxes(v: Any, name: str = "boxes") -> BoundingBoxes:
    """Validates BoundingBoxes; name goes into every message."""
    if not isinstance(v, BoundingBoxes):
        raise TypeError(f"{name} must be BoundingBoxes, got {describe(v)}")
    check_format(v.format, f"{name}.format")
    check_canvas(v.canvas_size, f"{name}.canvas_size")
    check_clamping_mode(v.clamping_mode, f"{name}.clamping_mode")
    d = v.data
    if not isinstance(d, np.ndarray) or d.dtype != np.float32 or d.ndim != 1:
        raise TypeError(f"{name}.data must be a flat float32 array, got {describe(d)}")
    per = box_size(v.format)
    if d.size % per:
        raise RangeError(f"{name}.data has {d.size} values, not a multiple of {per} (format {v.format})")
    _check_finite(d, per, f"{name}.data")
    if v.format != "XYXYXYXY" and d.size:
        r = d.reshape(-1, per)
        xyxy = v.format == "XYXY"
        w = r[:, 2] - r[:, 0] if xyxy else r[:, 2]
        h = r[:, 3] - r[:, 1] if xyxy else r[:, 3]
        bad = np.flatnonzero((w < 0) | (h < 0))
        if bad.size:
            i = int(bad[0])
            what = "x2 and y2 must be >= x1 and y1" if xyxy else "width and height must be >= 0"
            raise RangeError(f"{name}.data[{i}]: {what} (a negative size), got {r[i].tolist()}")
    return v


def check_key_points(v: Any, name: str = "keypoints") -> KeyPoints:
    if not isinstance(v, KeyPoints):
        raise TypeError(f"{name} must be KeyPoints, got {describe(v)}")
    check_canvas(v.canvas_size, f"{name}.canvas_size")
    s = v.shape
    if not isinstance(s, list) or len(s) < 1 or s[-1] != 2 or not all(is_integer(x) and x >= 0 for x in s):
        raise RangeError(f"{name}.shape must be (..., 2) of non-negative integers, got {describe(s)}")
    d = v.data
    if not isinstance(d, np.ndarray) or d.dtype != np.float32 or d.ndim != 1:
        raise TypeError(f"{name}.data must be a flat float32 array, got {describe(d)}")
    want = int(np.prod(s))
    if d.size != want:
        raise RangeError(f"{name}.data has {d.size} values, but shape {s} needs {want}")
    _check_finite(d, 2, f"{name}.data")
    return v


def check_mask(v: Any, name: str = "mask") -> Mask:
    if not isinstance(v, Mask):
        raise TypeError(f"{name} must be a Mask, got {describe(v)}")
    s = v.shape
    if not isinstance(s, list) or len(s) not in (2, 3):
        raise RangeError(f"{name}.shape must be (H, W) or (N, H, W), got {describe(s)}")
    for i, x in enumerate(s):
        lo = 0 if len(s) == 3 and i == 0 else 1
        hi = 2**20 if len(s) == 3 and i == 0 else MAX_SIDE
        if not is_integer(x) or x < lo or x > hi:
            raise RangeError(f"{name}.shape[{i}] must be an integer in [{lo}, {hi}], got {describe(x)}")
    d = v.data
    if not isinstance(d, np.ndarray) or d.dtype not in (np.uint8, np.int32) or d.ndim != 1:
        raise TypeError(f"{name}.data must be a flat uint8 or int32 array, got {describe(d)}")
    want = int(np.prod(s))
    if d.size != want:
        raise RangeError(f"{name}.data has {d.size} values, but shape {s} needs {want}")
    return v


def mask_size(m: Mask) -> List[int]:
    return [m.shape[-2], m.shape[-1]]

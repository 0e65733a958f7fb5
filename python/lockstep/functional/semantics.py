"""Which torchvision pipeline an op reproduces (mirrors src/functional/semantics.ts). Pipelines
choose one of the two public semantics; functional ops take it as a keyword (default "pil").

- "pil" (default): torchvision on PIL images (Pillow 12.3's ImageEnhance, ImageOps, point
  tables, HSV round trip, resampling and geometry);
- "tensor": torchvision v2 on uint8 tensors (after ToImage()): torch's uint8 resize, v2's
  colour kernels, grid_sample warps, ToDtype(float32, scale=True);
- "tensor-v1" (kernel ops only): torchvision's v1 tensor kernels, which its AugMix runs even
  on PIL images.
"""
from __future__ import annotations

from typing import Any

from .._js import UNDEFINED
from ..errors import RangeError
from ..image import describe

SEMANTICS = ("pil", "tensor")
"""The public semantics."""
KERNEL_SEMANTICS = ("pil", "tensor", "tensor-v1")
"""The semantics a kernel op can run with."""
DEFAULT_SEMANTICS = "pil"
"""The default semantics."""


def check_semantics(v: Any, name: str = "semantics") -> str:
    """A pipeline semantics: "pil" or "tensor" (None, Python's "not given", and a missing JSON field give the default)."""
    if v is None or v is UNDEFINED:
        return DEFAULT_SEMANTICS
    if not isinstance(v, str) or v not in SEMANTICS:
        raise RangeError(f'{name} must be "pil" (torchvision on PIL images) or "tensor" (torchvision v2 on uint8 tensors), got {describe(v)}')
    return v


def check_kernel_semantics(v: Any, name: str = "semantics") -> str:
    """A kernel semantics: "pil", "tensor" or "tensor-v1" (None gives the default)."""
    if v == "tensor-v1" and isinstance(v, str):
        return v
    return check_semantics(v, name)


def check_json_semantics(v: Any, name: str = "semantics") -> str:
    """A semantics read from JSON (pipeline JSON, records): missing gives the default, null is an error as in JavaScript."""
    if v is None:
        raise RangeError(f'{name} must be "pil" (torchvision on PIL images) or "tensor" (torchvision v2 on uint8 tensors), got null')
    return check_semantics(v, name)

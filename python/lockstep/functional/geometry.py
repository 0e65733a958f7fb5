"""Flips, crops and pads: torchvision.transforms.functional's bytes, from two kernel calls
(mirrors src/functional/geometry.ts)."""
from __future__ import annotations

from typing import Any, List, Optional

import numpy as np

from .._js import floor
from ..image import check_image, check_side
from ..kernel.exports import MODE
from ..kernel.instance import kernel
from .args import check_hw, check_int, check_padding, check_padding_mode, fill_bytes, round_half_even
from .resample import check_out

COORD_LIMIT = 1 << 30


def _flip(img: np.ndarray, which: str, out: Optional[np.ndarray]) -> np.ndarray:
    check_image(img)
    k = kernel()
    arena = k.arena
    h, w, c = img.shape
    arena.reset()
    src = arena.put(img)
    dst = arena.alloc(img.size)
    getattr(k, which)(src, w, h, c, dst)
    return arena.take_u8(dst, img.size, check_out(out, np.uint8, img.shape), img.shape)


def hflip(img: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
    """Mirrors the image left to right (torchvision F.hflip)."""
    return _flip(img, "hflip", out)


def vflip(img: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
    """Mirrors the image top to bottom (torchvision F.vflip)."""
    return _flip(img, "vflip", out)


def window(img: np.ndarray, top: int, left: int, height: int, width: int, mode: str, fill: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
    """The height x width window at (top, left), the border filled by mode: the core of crop and pad."""
    k = kernel()
    arena = k.arena
    ih, iw, c = img.shape
    n = width * height * c
    arena.reset()
    src = arena.put(img)
    f = arena.put(fill)
    dst = arena.alloc(n)
    k.extract(src, iw, ih, c, top, left, height, width, MODE[mode], f, dst)
    return arena.take_u8(dst, n, check_out(out, np.uint8, (height, width, c)), (height, width, c))


def crop(img: np.ndarray, top: int, left: int, height: int, width: int, fill: Any = 0, out: Optional[np.ndarray] = None) -> np.ndarray:
    """The height x width region at (top, left) (torchvision F.crop); parts outside filled with fill (0 by default)."""
    check_image(img)
    top = check_int(top, "top", -COORD_LIMIT, COORD_LIMIT)
    left = check_int(left, "left", -COORD_LIMIT, COORD_LIMIT)
    height = check_side(height, "height")
    width = check_side(width, "width")
    return window(img, top, left, height, width, "constant", fill_bytes(0 if fill is None else fill, img.shape[2]), out)


def center_crop_offsets(height: int, width: int, ch: int, cw: int) -> List[int]:
    """torchvision's center-crop offsets (with its padding when the crop is larger): [top, left]."""
    # torchvision pads by floor(diff / 2) first, then rounds (H - h) / 2 half to even.
    pad_t = floor((ch - height) / 2) if ch > height else 0
    pad_l = floor((cw - width) / 2) if cw > width else 0
    ph = ch if ch > height else height
    pw = cw if cw > width else width
    return [round_half_even((ph - ch) / 2) - pad_t, round_half_even((pw - cw) / 2) - pad_l]


def center_crop(img: np.ndarray, size: Any, out: Optional[np.ndarray] = None) -> np.ndarray:
    """The central region of size (a number for a square, or [h, w]); zero-padded when larger (torchvision F.center_crop)."""
    check_image(img)
    ch, cw = check_hw(size)
    top, left = center_crop_offsets(img.shape[0], img.shape[1], ch, cw)
    return window(img, top, left, ch, cw, "constant", np.zeros(img.shape[2], np.uint8), out)


def pad(img: np.ndarray, padding: Any, fill: Any = 0, padding_mode: str = "constant", out: Optional[np.ndarray] = None) -> np.ndarray:
    """Pads each side (torchvision F.pad): n, [leftRight, topBottom] or [left, top, right, bottom].
    Reflect and symmetric repeat their pattern when wider than the image, where torchvision raises."""
    check_image(img)
    l, t, r, b = check_padding(padding)
    mode = check_padding_mode("constant" if padding_mode is None else padding_mode)
    fb = fill_bytes(0 if fill is None else fill, img.shape[2])
    width = check_side(img.shape[1] + l + r, "padded width")
    height = check_side(img.shape[0] + t + b, "padded height")
    return window(img, -t, -l, height, width, mode, fb, out)

"""Masks through the kernel's pixel ops, one plane at a time and always nearest (mirrors
src/targets/masks.ts): a uint8 plane is a 1-channel image, an int32 plane a 4-channel image whose
"pixel" is the 4 bytes of one label, so every label survives exactly."""
from __future__ import annotations

from typing import Callable, List, Optional

import numpy as np

from .._js import is_integer
from ..errors import RangeError
from ..functional.geometry import hflip, vflip, window
from ..functional.warp import elastic_keyed, perspective_coeffs, rotate, rotate_plan
from ..image import check_area
from ..kernel.instance import kernel
from .points import affine_matrix
from .types import Mask, mask_size


def _bpp(m: Mask) -> int:
    return 4 if m.data.dtype == np.int32 else 1


def fill_pixel(m: Mask, fill) -> List[int]:
    """A mask fill as the bytes of one pixel."""
    if _bpp(m) == 1:
        if not is_integer(fill) or fill < 0 or fill > 255:
            raise RangeError(f"the mask fill must be an integer in [0, 255] for a uint8 mask, got {fill}")
        return [int(fill)]
    if not is_integer(fill) or fill < -(2**31) or fill >= 2**31:
        raise RangeError(f"the mask fill must be a 32-bit integer, got {fill}")
    return list(np.array([int(fill)], np.int32).view(np.uint8))


def per_plane(m: Mask, op: Callable[[np.ndarray], np.ndarray]) -> Mask:
    """Runs op on every plane (an (H, W, 1 or 4) uint8 image) and assembles the output mask."""
    H, W = mask_size(m)
    c = _bpp(m)
    n = m.shape[0] if len(m.shape) == 3 else 1
    planes = m.data.view(np.uint8).reshape(n, H, W, c)
    outs = [op(planes[i]) for i in range(n)]
    if n == 0:
        r = op(np.zeros((H, W, c), np.uint8))
        oh, ow = r.shape[0], r.shape[1]
        data = np.zeros(0, np.uint8)
    else:
        oh, ow = outs[0].shape[0], outs[0].shape[1]
        data = np.concatenate([o.reshape(-1) for o in outs])
    data = data.view(np.int32) if c == 4 else data
    return Mask._raw([n, oh, ow] if len(m.shape) == 3 else [oh, ow], data)


def resize_nearest_torch(img: np.ndarray, size: List[int]) -> np.ndarray:
    """torch's nearest resize (F.interpolate mode "nearest") of one plane to (h, w)."""
    oh, ow = size
    h, w, c = img.shape
    if oh == h and ow == w:
        return img.copy()
    check_area(ow, oh, "the resized mask")
    k = kernel()
    arena = k.arena
    arena.reset()
    src = arena.put(img)
    xs = arena.alloc(ow * 4)
    ys = arena.alloc(oh * 4)
    k.torchNearestTable(w, ow, xs)
    k.torchNearestTable(h, oh, ys)
    n = ow * oh * c
    dst = arena.alloc(n)
    k.gatherPixels(src, w, c, xs, ys, ow, oh, dst)
    return arena.take_u8(dst, n, shape=(oh, ow, c))


_GRID = {"affine": 0, "perspective": 1}


def _grid_nearest(img: np.ndarray, kind: str, m: List[float], dw: int, dh: int, fill: List[int]) -> np.ndarray:
    check_area(dw, dh, "the warped mask")
    h, w, c = img.shape
    k = kernel()
    arena = k.arena
    arena.reset()
    src = arena.put(img)
    mm = arena.alloc(64)
    arena.f64[mm >> 3 : (mm >> 3) + 8] = (list(m) + [0.0, 0.0])[:8]
    fp = arena.put(np.array(fill, np.uint8))
    n = dw * dh * c
    dst = arena.alloc(n)
    k.gridNearest(src, w, h, c, dst, dw, dh, _GRID[kind], mm, fp)
    return arena.take_u8(dst, n, shape=(dh, dw, c))


def _py_mod360(a: float) -> float:
    m = abs(a) % 360.0
    m = -m if a < 0 else m  # JavaScript's %: the sign of the dividend
    return m + 360 if m != 0 and m < 0 else 0.0 if m == 0 else m


def _rotate_torch(p: np.ndarray, angle: float, expand_to: Optional[List[int]], center, fill: List[int]) -> np.ndarray:
    a = _py_mod360(angle)
    expand = expand_to is not None
    h, w = p.shape[0], p.shape[1]
    if rotate_plan(w, h, a, expand, center)["kind"] != "affine" and center is None:
        return rotate(p, a, expand=expand, fill=fill)
    cf = [center[0] - w * 0.5, center[1] - h * 0.5] if center else [0, 0]
    m = affine_matrix(cf, -a, [0, 0], 1, [0, 0], True)
    oh, ow = expand_to if expand_to is not None else (h, w)
    return _grid_nearest(p, "affine", m, ow, oh, fill)


def mask_affine(p: np.ndarray, g: dict, fill: List[int]) -> np.ndarray:
    h, w = p.shape[0], p.shape[1]
    c = g["center"]
    cf = [c[0] - w * 0.5, c[1] - h * 0.5] if c else [0, 0]
    return _grid_nearest(p, "affine", affine_matrix(cf, g["angle"], g["translate"], g["scale"], g["shear"], True), w, h, fill)


MASK_OPS = {
    "hflip": hflip,
    "vflip": vflip,
    "window": lambda p, top, left, height, width, mode, fill: window(p, top, left, height, width, mode, np.array(fill, np.uint8)),
    "resize": resize_nearest_torch,
    "rotate": _rotate_torch,
    "affine": mask_affine,
    "perspective": lambda p, s, e, fill: _grid_nearest(p, "perspective", perspective_coeffs(s, e), p.shape[1], p.shape[0], fill),
    "elastic": lambda p, key, alpha, sigma, fill: elastic_keyed(p, key, alpha, sigma, interpolation="nearest", fill=fill),
}

"""Erasing and Gaussian noise (torchvision F.erase, v2 F.gaussian_noise), computed in the kernel
(mirrors src/functional/erase.ts)."""
from __future__ import annotations

from typing import Any, List, Optional

import numpy as np

from .._js import is_finite, is_integer, num
from ..errors import RangeError
from ..image import check_image, check_tensor, describe, is_tensor
from ..kernel.instance import kernel
from .args import check_finite, check_int, is_array
from .resample import check_out


def check_key(key: Any, name: str = "key"):
    """Checks a Philox key: two unsigned 32-bit integers."""
    if not is_array(key) or len(key) != 2 or not all(is_integer(v) and 0 <= v <= 0xFFFFFFFF for v in key):
        raise TypeError(f"{name} must be a Philox key [k0, k1] of two unsigned 32-bit integers (e.g. seed_key(seed)), got {describe(key)}")
    return (int(key[0]), int(key[1]))


def chw_of(t: np.ndarray, what: str):
    """[batch, c, h, w] of a tensor of 3 or more dimensions (leading dimensions folded into batch)."""
    s = t.shape
    if len(s) < 3:
        raise RangeError(f"{what} needs a [..., C, H, W] tensor, got shape [{', '.join(map(str, s))}]")
    c, h, w = s[-3:]
    return t.size // (c * h * w), c, h, w


def _check_region(t: np.ndarray, i: Any, j: Any, h: Any, w: Any):
    _, _, H, W = chw_of(t, "erase")
    top = check_int(i, "i", 0, H)
    left = check_int(j, "j", 0, W)
    eh = check_int(h, "h", 0, H - top)
    ew = check_int(w, "w", 0, W - left)
    return top, left, eh, ew


def _check_inplace(v: Any) -> bool:
    if v is not None and not isinstance(v, (bool, np.bool_)):
        raise TypeError(f"inplace must be a boolean, got {describe(v)}")
    return bool(v)


def erase(tensor: np.ndarray, i: int, j: int, h: int, w: int, v: Any, inplace: bool = False) -> np.ndarray:
    """Sets the h x w region at (i, j) of every [C, H, W] plane set to v (torchvision F.erase): one
    number, one per channel, or a [C, h, w] (or [1, h, w]) tensor. The region must fit."""
    check_tensor(tensor)
    batch, c, H, W = chw_of(tensor, "erase")
    top, left, eh, ew = _check_region(tensor, i, j, h, w)
    inplace = _check_inplace(inplace)
    k = kernel()
    arena = k.arena
    arena.reset()
    data = arena.put_f32(tensor)
    if not isinstance(v, np.ndarray):
        values = erase_constants(v, c, "v")
        k.eraseFill(data, batch, c, H, W, top, left, eh, ew, arena.put_f32(values))
    else:
        check_tensor(v, "v")
        ok = v.ndim == 3 and (v.shape[0] == c or v.shape[0] == 1) and v.shape[1] == eh and v.shape[2] == ew
        if not ok:
            raise RangeError(f"v must have shape [{c}, {eh}, {ew}] or [1, {eh}, {ew}] for this region, got [{', '.join(map(str, v.shape))}]")
        full = v if v.shape[0] == c else np.repeat(v, c, axis=0)
        k.eraseValues(data, batch, c, H, W, top, left, eh, ew, arena.put_f32(full))
    return _finish(tensor, data, inplace)


def erase_constants(v: Any, c: int, name: str = "value") -> List[Any]:
    """One erase value per channel from a number or an array of 1 or C finite numbers (torchvision's rule)."""
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_)):
        return [check_finite(v, name)] * c
    if is_array(v) and len(v) in (1, c):
        return [check_finite(v[0 if len(v) == 1 else ch], f"{name}[{0 if len(v) == 1 else ch}]") for ch in range(c)]
    raise RangeError(f"{name} must be a finite number or an array of 1 or {c} (the input's channels) of them, got {describe(v)}")


def erase_random(tensor: np.ndarray, i: int, j: int, h: int, w: int, key: Any, inplace: bool = False) -> np.ndarray:
    """Sets the region to standard normal values (RandomErasing's value "random") of key's noise field."""
    check_tensor(tensor)
    batch, c, H, W = chw_of(tensor, "erase")
    top, left, eh, ew = _check_region(tensor, i, j, h, w)
    k0, k1 = check_key(key)
    inplace = _check_inplace(inplace)
    k = kernel()
    arena = k.arena
    arena.reset()
    data = arena.put_f32(tensor)
    k.eraseNoise(data, batch, c, H, W, top, left, eh, ew, k0, k1)
    return _finish(tensor, data, inplace)


def _finish(tensor: np.ndarray, data: int, inplace: bool) -> np.ndarray:
    arena = kernel().arena
    out = arena.take_f32(data, tensor.size, tensor if inplace else None, tensor.shape)
    return tensor if inplace else out


def check_noise(mean: Any, sigma: Any, clip: Any):
    """Checks GaussianNoise's mean and sigma (sigma >= 0, both finite and within f32 range)."""
    m = check_finite(mean, "mean")
    s = check_finite(sigma, "sigma")
    if abs(m) > 1e30:
        raise RangeError(f"mean must be in [-1e30, 1e30], got {m}")
    if s < 0 or s > 1e30:
        raise RangeError(f"sigma must be in [0, 1e30] (a standard deviation), got {s}")
    if not isinstance(clip, (bool, np.bool_)):
        raise TypeError(f"clip must be a boolean, got {describe(clip)}")
    return m, s, bool(clip)


def gaussian_noise(x: np.ndarray, key: Any, mean: Any = 0, sigma: Any = 0.1, clip: Any = True, out: Optional[np.ndarray] = None) -> np.ndarray:
    """Adds Gaussian noise (torchvision v2 F.gaussian_noise) from key's noise field: a f32 tensor
    becomes x + (mean + z * sigma), clamped to [0, 1] when clip; an image round(x + 255 * noise), saturated."""
    k0, k1 = check_key(key)
    mean, sigma, clip = check_noise(0 if mean is None else mean, 0.1 if sigma is None else sigma, True if clip is None else clip)
    k = kernel()
    arena = k.arena
    arena.reset()
    if is_tensor(x):
        check_tensor(x, "x")
        n = x.size
        data = arena.put_f32(x)
        k.gaussianNoise(data, n, k0, k1, mean, sigma, 1 if clip else 0)
        return arena.take_f32(data, n, check_out(out, np.float32, x.shape), x.shape)
    img = check_image(x, "x")
    h, w, c = img.shape
    src = arena.put(img)
    scratch = arena.alloc(w * 4)
    dst = arena.alloc(img.size)
    k.gaussianNoiseU8(src, w, h, c, k0, k1, mean, sigma, scratch, dst)
    return arena.take_u8(dst, img.size, check_out(out, np.uint8, img.shape), img.shape)


def normals(key: Any, start: int, n: int) -> np.ndarray:
    """n standard normals of the noise field of key, elements [start, start + n)."""
    k0, k1 = check_key(key)
    start = check_int(start, "start", 0, 2**32 - 1)
    n = check_int(n, "n", 0, 2**28)
    if start + n > 2**32:
        raise RangeError(f"start + n must be at most 2^32, got {start + n}")
    k = kernel()
    arena = k.arena
    arena.reset()
    out = arena.alloc(n * 4)
    k.normalFill(k0, k1, start, n, out)
    return arena.take_f32(out, n)

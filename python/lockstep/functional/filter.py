"""Gaussian blur and LinearTransformation's matrix product, in the kernel (mirrors src/functional/filter.ts)."""
from __future__ import annotations

from typing import Any, List, Optional

import numpy as np

from .._js import is_number
from ..errors import RangeError
from ..image import check_image, check_tensor, describe
from ..kernel.instance import kernel
from .args import check_finite, check_int, is_array
from .erase import chw_of, erase, gaussian_noise  # noqa: F401  (re-exported as in the TypeScript module)
from .resample import check_out

MAX_KERNEL = 4095
"""Largest kernel side accepted by gaussian_blur."""
BLUR_BITS = {"vertical": 23, "horizontal": 30}
"""Fixed-point scales of the blur's vertical and horizontal weights (assembly/filter.ts)."""


def _per_axis(v: Any, name: str, one, want: str) -> List[Any]:
    """A per-axis argument as torchvision takes it: v, [v] or [vx, vy], each checked by one; [x, y]."""
    if is_number(v):
        x = one(v, name)
        return [x, x]
    if is_array(v) and len(v) in (1, 2):
        xs = [one(x, f"{name}[{i}]") for i, x in enumerate(v)]
        return [xs[0], xs[-1]]
    raise TypeError(f"{name} must be {want}, got {describe(v)}")


def _odd_kernel_side(x: Any, n: str) -> int:
    k = check_int(x, n, 1, MAX_KERNEL)
    if k % 2 == 0:
        raise RangeError(f"{n} must be odd (torchvision requires odd, positive kernel sizes), got {k}")
    return k


def check_kernel_size(v: Any, name: str = "kernelSize") -> List[int]:
    """An odd integer in [1, MAX_KERNEL], or [kx, ky] of them; returns [kx, ky]."""
    return _per_axis(v, name, _odd_kernel_side, "an odd positive integer or [kx, ky]")


def check_sigma_value(v: Any, name: str = "sigma") -> Any:
    """One sigma: finite, in [1e-30, 1e30] so it stays a positive normal f32."""
    s = check_finite(v, name)
    if not (1e-30 <= s <= 1e30):
        raise RangeError(f"{name} must be > 0 (in [1e-30, 1e30]), got {s}")
    return s


def check_sigma(v: Any, kernel_size: List[int], name: str = "sigma") -> List[Any]:
    """torchvision's sigma argument: a number, [s] or [sx, sy]; None gives 0.15 * k + 0.35 per axis."""
    if v is None:
        return [kernel_size[0] * 0.15 + 0.35, kernel_size[1] * 0.15 + 0.35]
    return _per_axis(v, name, check_sigma_value, "a positive number or [sigmaX, sigmaY]")


def gaussian_kernel1d(k: int, sigma: float, bits: int) -> np.ndarray:
    """The kernel's quantised 1-D Gaussian (int32, summing to 2^bits)."""
    check_kernel_size(k, "k")
    check_sigma_value(sigma)
    check_int(bits, "bits", 1, 30)
    kk = kernel()
    arena = kk.arena
    arena.reset()
    at = arena.alloc(k * 4)
    kk.gaussianWeights(k, sigma, bits, at)
    return arena.u32[at >> 2 : (at >> 2) + k].view(np.int32).copy()


def gaussian_blur(img: np.ndarray, kernel_size: Any, sigma: Any = None, out: Optional[np.ndarray] = None) -> np.ndarray:
    """Blurs with a Gaussian kernel (torchvision F.gaussian_blur on a uint8 tensor), reflect padding."""
    check_image(img)
    kx, ky = check_kernel_size(kernel_size)
    sx, sy = check_sigma(sigma, [kx, ky])
    k = kernel()
    arena = k.arena
    h, w, c = img.shape
    n = img.size
    arena.reset()
    src = arena.put(img)
    wx = arena.alloc(kx * 4)
    wy = arena.alloc(ky * 4)
    k.gaussianWeights(kx, sx, BLUR_BITS["horizontal"], wx)
    k.gaussianWeights(ky, sy, BLUR_BITS["vertical"], wy)
    scratch = arena.alloc(k.gaussianScratch(w, c, kx, ky))
    dst = arena.alloc(n)
    k.gaussianBlur(src, w, h, c, kx, ky, wx, wy, scratch, dst)
    return arena.take_u8(dst, n, check_out(out, np.uint8, img.shape), img.shape)


MAX_MATRIX = 2**28
"""Largest number of matrix entries accepted by linear_transformation (1 GiB of f32)."""


def linear_transformation(tensor: np.ndarray, matrix: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """(x - mean) @ W on each flattened [C, H, W] item (torchvision LinearTransformation), f32 in the kernel."""
    check_tensor(tensor)
    batch, c, h, w = chw_of(tensor, "LinearTransformation")
    d = c * h * w
    if mean.size * mean.size != matrix.size:
        raise RangeError(f"transformationMatrix has {matrix.size} entries, but meanVector has {mean.size} (needs {mean.size}^2)")
    if d != mean.size:
        raise RangeError(f"input tensor and transformation matrix have incompatible shape: [{c} x {h} x {w}] = {d} != {mean.size}")
    k = kernel()
    arena = k.arena
    arena.reset()
    x = arena.put_f32(tensor)
    m = arena.put_f32(mean)
    mat = arena.put_f32(matrix)
    diff = arena.alloc(d * 4)
    o = arena.alloc(tensor.size * 4)
    k.linearTransform(x, batch, d, m, mat, diff, o)
    return arena.take_f32(o, tensor.size, None, tensor.shape)

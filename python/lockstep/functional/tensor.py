"""ToTensor and Normalize (mirrors src/functional/tensor.ts)."""
from __future__ import annotations

from typing import Any, List, Optional

import numpy as np

from .._js import is_finite, num
from ..errors import RangeError
from ..image import check_image, check_tensor, describe
from ..kernel.instance import kernel
from .args import is_array
from .resample import check_out
from .semantics import check_semantics


def to_tensor(img: np.ndarray, out: Optional[np.ndarray] = None, semantics: Optional[str] = None) -> np.ndarray:
    """Converts u8 HWC to f32 CHW in [0, 1]: "pil" as torchvision's ToTensor (v / 255), "tensor" as v2's
    ToDtype(torch.float32, scale=True) (v * float(1 / 255), which differs for 126 of the 256 values)."""
    check_image(img)
    sem = check_semantics(semantics)
    k = kernel()
    arena = k.arena
    h, w, c = img.shape
    arena.reset()
    src = arena.put(img)
    norm = arena.put_f32([0.0] * c + [1.0] * c)
    dst = arena.alloc(img.size * 4)
    if sem == "tensor":
        k.toTensorScaled(src, w, h, c, norm, dst)
    else:
        k.toTensor(src, w, h, c, norm, dst)
    return arena.take_f32(dst, img.size, check_out(out, np.float32, (c, h, w)), (c, h, w))


def check_mean_std(mean: Any, std: Any, channels: Optional[int] = None):
    """Checks mean/std for channels channels; std must be non-zero (as torchvision). Returns (mean, std) lists."""
    def check(v: Any, name: str) -> List[Any]:
        if isinstance(v, np.ndarray):
            v = v.tolist()
        if not is_array(v) or len(v) < 1 or not all(is_finite(x) for x in v):
            raise TypeError(f"{name} must be a non-empty array of finite numbers, got {describe(v)}")
        return [num(x) for x in v]

    m = check(mean, "mean")
    s = check(std, "std")
    if any(x == 0 for x in s):
        raise RangeError(f"std must not contain 0 (division by zero), got {describe(s)}")
    if channels is not None:
        def fit(v: List[Any], name: str) -> List[Any]:
            if len(v) == channels:
                return v
            if len(v) == 1:
                return [v[0]] * channels
            raise RangeError(f"{name} has {len(v)} values, but the input has {channels} channels")
        m = fit(m, "mean")
        s = fit(s, "std")
    return m, s


def normalize(tensor: np.ndarray, mean: Any, std: Any, inplace: bool = False) -> np.ndarray:
    """(x - mean[c]) / std[c] per channel in f32, as torchvision's Normalize, on a CHW or NCHW tensor."""
    check_tensor(tensor)
    shape = tensor.shape
    if len(shape) not in (3, 4):
        raise RangeError(f"normalize needs a CHW or NCHW tensor, got shape [{', '.join(map(str, shape))}]")
    c = shape[-3]
    m, s = check_mean_std(mean, std, c)
    plane = shape[-1] * shape[-2]
    planes = tensor.size // plane
    k = kernel()
    arena = k.arena
    arena.reset()
    data = arena.put_f32(tensor)
    means = arena.put_f32([m[p % c] for p in range(planes)])
    stds = arena.put_f32([s[p % c] for p in range(planes)])
    k.normalize(data, planes, plane, means, stds)
    out = arena.take_f32(data, tensor.size, tensor if inplace else None, shape)
    return tensor if inplace else out

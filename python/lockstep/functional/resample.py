"""The single entry to the kernel's resampler (mirrors src/functional/resample.ts):
box -> resize -> window -> flips -> u8 or CHW f32."""
from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..image import check_area, describe
from ..kernel.exports import FILTER, FLAG
from ..kernel.instance import kernel
from ..errors import RangeError


class ResamplePlan:
    """One resampler call. The box lies inside the source; the window inside size.

    box and window are {top, left, height, width}; size is [h, w] the box is resized to;
    tensor is None or {mean, std} for CHW f32 output: per-channel (v / 255 - mean) / std;
    semantics "tensor" is torch's uint8 resize and nearest, and bytes to f32 as v * float(1 / 255)
    (torchvision v2); "pil" Pillow's resampler and v / 255.
    """

    __slots__ = ("box", "size", "window", "interpolation", "antialias", "hflip", "vflip", "tensor", "semantics")

    def __init__(self, box, size, window, interpolation="bilinear", antialias=True, hflip=False, vflip=False, tensor=None, semantics="pil"):
        self.box = box
        self.size = size
        self.window = window
        self.interpolation = interpolation
        self.antialias = antialias
        self.hflip = hflip
        self.vflip = vflip
        self.tensor = tensor
        self.semantics = semantics

    def copy(self, **changes) -> "ResamplePlan":
        p = ResamplePlan(self.box, self.size, self.window, self.interpolation, self.antialias, self.hflip, self.vflip, self.tensor, self.semantics)
        for k, v in changes.items():
            setattr(p, k, v)
        return p


def identity_plan(width: int, height: int) -> ResamplePlan:
    """A plan that copies the whole image unchanged."""
    full = {"top": 0, "left": 0, "height": height, "width": width}
    return ResamplePlan(full, [height, width], dict(full))


def run_resample(img: np.ndarray, plan: ResamplePlan, out: Optional[np.ndarray] = None) -> np.ndarray:
    """Runs a plan; out receives the result when given (its size must match)."""
    k = kernel()
    arena = k.arena
    ih, iw, c = img.shape
    box, w = plan.box, plan.window
    oh, ow = plan.size
    check_area(ow, oh, "the resized image")
    arena.reset()
    # Only the box reaches the kernel: a random crop copies a fraction of the image.
    src = put_box(arena, img, box)
    flt = FILTER[plan.interpolation]
    aa = 1 if plan.antialias else 0
    # Sized for the whole image, an upper bound for any box: random crops reuse one allocation.
    scratch = arena.alloc(max(k.resampleScratch(box["width"], box["height"], ow, oh, w["width"], w["height"], c, flt, aa),
                              k.resampleScratch(iw, ih, ow, oh, w["width"], w["height"], c, flt, aa)))
    torch = plan.semantics == "tensor"
    flags = (FLAG["hflip"] if plan.hflip else 0) | (FLAG["vflip"] if plan.vflip else 0) | (FLAG["torch"] if torch else 0)
    norm = 0
    n = w["width"] * w["height"] * c
    if plan.tensor is not None:
        flags |= FLAG["tensor"] | (FLAG["scaleMul"] if torch else 0)
        norm = arena.put_f32(list(plan.tensor["mean"][:c]) + list(plan.tensor["std"][:c]))
        dst = arena.alloc(n * 4)
    else:
        dst = arena.alloc(n)
    k.resample(src, box["width"], box["height"], c, 0, 0, box["width"], box["height"], ow, oh, w["left"], w["top"], w["width"], w["height"], flt, aa, flags, norm, dst, scratch)
    if plan.tensor is not None:
        return arena.take_f32(dst, n, check_out(out, np.float32, (c, w["height"], w["width"])), (c, w["height"], w["width"]))
    return arena.take_u8(dst, n, check_out(out, np.uint8, (w["height"], w["width"], c)), (w["height"], w["width"], c))


def put_box(arena, img: np.ndarray, box: dict) -> int:
    """Copies the box of img into the arena as a tightly packed image (one copy); returns its address."""
    # Reserve the whole image's size so every box of this image reuses the same memory.
    at = arena.alloc(img.size)
    t, l, h, w = box["top"], box["left"], box["height"], box["width"]
    c = img.shape[2]
    arena.u8[at : at + h * w * c].reshape(h, w, c)[...] = img[t : t + h, l : l + w]
    return at


def check_out(out: Any, dtype, shape) -> Optional[np.ndarray]:
    """Checks a caller-supplied output buffer: a writable numpy array of the dtype with shape's number of elements."""
    if out is None:
        return None
    n = int(np.prod(shape))
    name = np.dtype(dtype).name
    if not isinstance(out, np.ndarray) or out.dtype != dtype:
        raise TypeError(f"out must be a {name} numpy array of {n} values (shape {tuple(shape)}), got {describe(out)}")
    if out.size != n:
        raise RangeError(f"out has {out.size} values, but this output needs {n} (shape {tuple(shape)})")
    if not out.flags.writeable:
        raise TypeError("out must be writable")
    if not out.flags.c_contiguous:
        raise TypeError("out must be C-contiguous (a batch slot such as batch[i], or np.empty(shape)); a strided view would be written element by element")
    return out

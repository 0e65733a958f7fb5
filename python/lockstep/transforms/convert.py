"""Type and mode conversions of torchvision v2: ToImage, ToDtype, ToPureTensor, RGB, Identity
(mirrors src/transforms/convert.ts). Pixels in the kernel: uint8 <-> float32 with torchvision's
scale factors, and the RGB channel change."""
from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .._js import fround
from ..errors import RangeError
from ..image import check_image, check_tensor, describe
from ..kernel.instance import kernel
from ..targets.sample import TargetState, map_targets
from ..targets.types import BoundingBoxes, Mask, box_size, is_target
from ..functional.semantics import DEFAULT_SEMANTICS
from .base import Deterministic
from .ops import define_op
from .schema import register, req


class Identity(Deterministic):
    """Passes everything through unchanged (torchvision Identity)."""

    type = "Identity"

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        return []

    def config(self) -> dict:
        return {}


class ToImage(Deterministic):
    """torchvision's ToImage: lockstep's images are already images (uint8 HWC, or a CHW float32 tensor
    after ToTensor / ToDtype), so nothing changes; here so torchvision pipelines translate one to one."""

    type = "ToImage"

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        return []

    def config(self) -> dict:
        return {}


# ---------------------------------------------------------------------------------------
# ToDtype

SCALE_TO_FLOAT = fround(1 / 255)  # torchvision: image.to(float32).mul_(1.0 / 255)
SCALE_TO_U8 = fround(255 + 1.0 - 1e-3)  # torchvision: image.mul(255 + 1 - 1e-3).to(uint8)


def _dtype_meta(a: dict, meta: dict) -> dict:
    if a["dtype"] == "float32":
        return {"kind": "tensor", "shape": [meta["channels"], meta["height"], meta["width"]]} if meta["kind"] == "image" else meta
    if meta["kind"] == "image":
        return meta
    s = meta["shape"]
    if len(s) != 3 or s[0] not in (1, 3, 4):
        raise RangeError(f'ToDtype("uint8"): the tensor must be [C, H, W] with 1, 3 or 4 channels to become an image, got {s}')
    return {"kind": "image", "width": s[2], "height": s[1], "channels": s[0]}


def _dtype_check(a: dict) -> Optional[str]:
    if a.get("dtype") not in ("uint8", "float32"):
        return f'dtype must be "uint8" or "float32", got {describe(a.get("dtype"))}'
    return None if isinstance(a.get("scale"), bool) else "scale must be a boolean"


def _dtype_run(x: np.ndarray, a: dict) -> np.ndarray:
    k = kernel()
    arena = k.arena
    if a["dtype"] == "float32":
        if x.dtype == np.float32:
            return x.copy()
        img = check_image(x)
        h, w, c = img.shape
        n = img.size
        arena.reset()
        src = arena.put(img)
        dst = arena.alloc(n * 4)
        k.u8ToF32(src, w, h, c, SCALE_TO_FLOAT if a["scale"] else 1.0, dst)
        return arena.take_f32(dst, n, shape=(c, h, w))
    if x.dtype == np.uint8:
        return x.copy()
    t = check_tensor(x)
    c, h, w = t.shape
    n = t.size
    arena.reset()
    src = arena.put_f32(t)
    dst = arena.alloc(n)
    k.f32ToU8(src, w, h, c, SCALE_TO_U8 if a["scale"] else 1.0, dst)
    return arena.take_u8(dst, n, shape=(h, w, c))


define_op("toDtype", meta=_dtype_meta, check=_dtype_check, run=_dtype_run)

_IMAGE_DTYPES = {"uint8": "uint8", "float32": "float32"}
_MASK_DTYPES = {"uint8": "uint8", "int32": "int32"}


def _dtype_name(d: Any) -> Any:
    """"uint8", np.uint8, np.dtype("float32") or torch.float32 as its name."""
    if isinstance(d, str):
        return d
    s = str(d)
    if s.startswith("torch."):
        return s[6:]
    try:
        return np.dtype(d).name
    except TypeError:
        return d


def _is_dtype(v: Any) -> bool:
    if str(v).startswith("torch."):
        return True
    if isinstance(v, (np.dtype, type)):
        try:
            np.dtype(v)
            return True
        except TypeError:
            return False
    return False


def _check_dtype(v: Any) -> Any:
    def img(d, name):
        d = _dtype_name(d)
        if d not in _IMAGE_DTYPES:
            raise RangeError(f'{name} must be "uint8" or "float32", got {describe(d)}')
        return d

    if not isinstance(v, dict):
        if not (isinstance(v, str) or _is_dtype(v)):
            raise TypeError(f'dtype must be "uint8", "float32" or {{"image": ..., "mask": ...}}, got {describe(v)}')
        return img(v, "dtype")
    out: dict = {}
    for key, val in v.items():
        k = getattr(key, "__name__", key)  # torchvision's {tv_tensors.Image: ..., tv_tensors.Mask: ...}
        k = {"Image": "image", "Mask": "mask"}.get(k, k)
        if k == "image":
            out["image"] = img(val, "dtype.image")
        elif k == "mask":
            m = _dtype_name(val)
            if m not in _MASK_DTYPES:
                raise RangeError(f'dtype.mask must be "uint8" or "int32", got {describe(m)}')
            out["mask"] = m
        elif k == "others" and val is None:
            continue
        else:
            raise RangeError(f"dtype.{k}: unknown key (dtype takes {{image, mask}})")
    return out


def _convert_mask(m: Mask, to: str) -> Mask:
    if to == "int32":
        return m if m.data.dtype == np.int32 else m.replace(data=m.data.astype(np.int32))
    return m if m.data.dtype == np.uint8 else m.replace(data=(m.data & 255).astype(np.uint8))  # torch's .to(uint8): the low 8 bits


class ToDtype(Deterministic):
    """Converts the image to dtype (torchvision ToDtype): "float32" makes a CHW tensor, scaled by 1/255
    with scale=True (torchvision's multiply); "uint8" turns a CHW tensor back into an image.
    {"image": ..., "mask": ...} (or torchvision's {tv_tensors.Image: ..., tv_tensors.Mask: ...})
    converts masks too ("uint8" / "int32"). dtype may be a name, a numpy or a torch dtype."""

    type = "ToDtype"

    def __init__(self, dtype: Any = "float32", scale: bool = False) -> None:
        self.dtype = _check_dtype(dtype)
        if not isinstance(scale, bool):
            raise TypeError(f"scale must be a boolean, got {describe(scale)}")
        self.scale = scale

    def _image_dtype(self) -> Optional[str]:
        return self.dtype if isinstance(self.dtype, str) else self.dtype.get("image")

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        d = self._image_dtype()
        if d is None or (meta["kind"] == "image" if d == "uint8" else meta["kind"] == "tensor"):
            return []
        return [{"op": "call", "name": "toDtype", "args": {"dtype": d, "scale": self.scale}}]

    def map_targets(self, params: Any, meta: dict, state: TargetState, semantics: str = DEFAULT_SEMANTICS) -> TargetState:
        md = None if isinstance(self.dtype, str) else self.dtype.get("mask")
        if md is None:
            return state
        return map_targets(state, lambda t, p: _convert_mask(t, md) if isinstance(t, Mask) else t)

    def config(self) -> dict:
        return {"dtype": self.dtype, "scale": self.scale}


# ---------------------------------------------------------------------------------------
# ToPureTensor, RGB


class ToPureTensor(Deterministic):
    """torchvision's ToPureTensor: strips the target types. Boxes, key points and masks become plain
    arrays ((N, 4|5|8) float32 boxes, the key points' shape, the masks' shape; torch tensors for
    samples that came with tv_tensors); the image is unchanged. Put it last."""

    type = "ToPureTensor"

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        return []

    def map_targets(self, params: Any, meta: dict, state: TargetState, semantics: str = DEFAULT_SEMANTICS) -> TargetState:
        def pure(v):
            if isinstance(v, BoundingBoxes):
                return v.data.reshape(-1, box_size(v.format))
            return v.data.reshape(v.shape)

        return TargetState([l.with_value(pure(l.value)) if is_target(l.value) else l for l in state.leaves], state.labels)

    def config(self) -> dict:
        return {}


def _rgb_meta(a: dict, meta: dict) -> dict:
    if meta["kind"] != "image":
        raise TypeError("RGB expects an image (u8 HWC), got a tensor: place it before ToTensor")
    return {**meta, "channels": 3}


def _rgb_run(x: np.ndarray, a: dict) -> np.ndarray:
    img = check_image(x)
    if img.shape[2] == 3:
        return img.copy()
    h, w, c = img.shape
    k = kernel()
    arena = k.arena
    n = w * h
    arena.reset()
    src = arena.put(img)
    dst = arena.alloc(n * 3)
    k.toRGB(src, n, c, dst)
    return arena.take_u8(dst, n * 3, shape=(h, w, 3))


define_op("rgb", meta=_rgb_meta, check=lambda a: None, run=_rgb_run)


class RGB(Deterministic):
    """Converts the image to RGB (torchvision RGB): grey is repeated to 3 channels, RGBA drops alpha."""

    type = "RGB"

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        if meta["kind"] != "image":
            raise TypeError("RGB expects an image (u8 HWC), got a tensor: place it before ToTensor")
        return [] if meta["channels"] == 3 else [{"op": "call", "name": "rgb", "args": {}}]

    def config(self) -> dict:
        return {}


register("Identity", [], lambda f, p: Identity())
register("ToImage", [], lambda f, p: ToImage())
register("ToPureTensor", [], lambda f, p: ToPureTensor())
register("RGB", [], lambda f, p: RGB())
register("ToDtype", ["dtype", "scale"], lambda f, p: ToDtype(req(f, "dtype"), **({} if f.get("scale") is None else {"scale": f["scale"]})))

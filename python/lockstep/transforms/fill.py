"""Fill values of the padding and warping transforms (mirrors src/transforms/fill.ts): one number,
one per channel, or (as torchvision's fill dict {tv_tensors.Image: ..., tv_tensors.Mask: ...})
{"image": ..., "mask": ...}, each optional (default 0). torchvision's own dicts are taken too:
tv_tensors.Image / tv_tensors.Mask as keys, and "others" for whichever of the two is not named."""
from __future__ import annotations

from typing import Any, List, Optional

from .._js import is_integer, is_number
from ..errors import RangeError
from ..functional.args import fill_bytes, is_array
from ..image import describe


def _check_image_fill(fill: Any, name: str) -> Any:
    # Range check now; the channel count is checked when applied.
    if is_array(fill) and len(fill) in (1, 3, 4):
        fill_bytes(fill, len(fill), name)
    elif is_number(fill):
        fill_bytes(fill, 1, name)
    else:
        more = ', or {"image", "mask"}' if name == "fill" else ""
        raise TypeError(f"{name} must be an integer in [0, 255] or an array of 1, 3 or 4 of them{more}, got {describe(fill)}")
    return [int(x) for x in fill] if is_array(fill) else int(fill)


def _tv_key(k: Any) -> Any:
    """torchvision's fill dicts are keyed by the tv_tensor classes: tv_tensors.Image / Mask mean "image" / "mask"."""
    name = getattr(k, "__name__", None)
    return {"Image": "image", "Mask": "mask"}.get(name, k) if name else k


def fill_json(fill: Any) -> Any:
    """Validates a fill as constructors take it and returns its JSON form."""
    if isinstance(fill, dict):
        o = {_tv_key(k): v for k, v in fill.items()}
        # torchvision's "others" key fills every type not named: the image or the masks.
        others = o.pop("others", None)
        if others is not None:
            o.setdefault("image", others)
            o.setdefault("mask", others)
        for k in o:
            if k not in ("image", "mask"):
                raise RangeError(f"fill.{k}: unknown key (fill takes {{image, mask}})")
        out: dict = {}
        if o.get("image") is not None:
            out["image"] = _check_image_fill(o["image"], "fill.image")
        if o.get("mask") is not None:
            m = o["mask"]
            if not is_integer(m) or m < -(2**31) or m >= 2**31:
                raise RangeError(f"fill.mask must be a 32-bit integer, got {describe(m)}")
            out["mask"] = int(m)
        return out
    return _check_image_fill(fill, "fill")


def image_fill(fill: Any, c: int) -> List[int]:
    """The fill bytes for an image of c channels."""
    v = fill.get("image", 0) if isinstance(fill, dict) else fill
    return [int(x) for x in fill_bytes(v, c, "fill")]


def mask_fill(fill: Any) -> Optional[int]:
    """The fill for masks: the number, the "mask" entry, or None for a per-channel fill (which masks cannot take)."""
    if isinstance(fill, dict):
        return fill.get("mask", 0)
    if is_array(fill):
        return fill[0] if len(fill) == 1 else None
    return fill

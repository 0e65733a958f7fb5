"""Checks of params and metas shared by the transforms (mirrors src/transforms/params.ts)."""
from __future__ import annotations

from typing import Any

from .._js import UNDEFINED, is_integer
from ..errors import RangeError
from ..functional.args import check_finite
from ..image import describe


def expect_params(ok: bool, type_: str, want: str, got: Any) -> None:
    """A clear error when recorded params (which may come from JSON) have the wrong shape."""
    if not ok:
        raise TypeError(f"{type_}: params must be {want}, got {describe(got)}")


def is_object(v: Any) -> bool:
    return isinstance(v, dict)


def is_int(v: Any) -> bool:
    return is_integer(v)


def image_meta(meta: dict, type_: str) -> dict:
    """The input's meta when it is an image; otherwise a TypeError saying to place type_ before ToTensor."""
    if meta["kind"] != "image":
        raise TypeError(f"{type_} expects an image (u8 HWC), got a tensor: place it before ToTensor")
    return meta


def check_bool(v: Any, name: str, dflt: Any = UNDEFINED) -> bool:
    """A boolean argument; an omitted one (UNDEFINED) takes dflt when the caller gives one."""
    if v is UNDEFINED and dflt is not UNDEFINED:
        return dflt
    if not isinstance(v, bool):
        raise TypeError(f"{name} must be a boolean, got {describe(v)}")
    return v


def check_probability(p: Any, name: str = "p") -> Any:
    """A probability in [0, 1]."""
    v = check_finite(p, name)
    if v < 0 or v > 1:
        raise RangeError(f"{name} must be a probability in [0, 1], got {v}")
    return v

"""Crops, flips, pads and resizes as transforms (mirrors src/transforms/geometry.ts): sampling
(torchvision's algorithms) split from application (ops)."""
from __future__ import annotations

import math
from typing import Any, List, Optional

from .._js import UNDEFINED, floor, is_number
from ..errors import RangeError
from ..functional.args import (check_finite, check_hw, check_interpolation, check_padding, check_padding_mode, check_size,
                               fill_bytes, is_array, round_half_even)
from ..functional.geometry import center_crop_offsets
from ..functional.size import resized_size
from ..image import describe
from ..kernel.math import kmath
from ..functional.semantics import DEFAULT_SEMANTICS
from .base import Context, Deterministic, Transform
from .params import check_bool, check_probability, expect_params, image_meta, is_int, is_object
from .schema import kw, register, req
from .fill import fill_json, image_fill, mask_fill


def _check_range(v: Any, name: str, positive: bool) -> List[Any]:
    if not is_array(v) or len(v) != 2:
        raise TypeError(f"{name} must be [min, max], got {describe(v)}")
    a, b = check_finite(v[0], f"{name}[0]"), check_finite(v[1], f"{name}[1]")
    if positive and not (a > 0 and b > 0):
        raise RangeError(f"{name} values must be > 0, got [{a}, {b}]")
    if a > b:
        raise RangeError(f"{name} must be [min, max] with min <= max, got [{a}, {b}]")
    return [a, b]


class RandomCrop(Transform):
    """Crops a random size[0] x size[1] window, after optional padding (torchvision RandomCrop)."""

    type = "RandomCrop"
    random = True

    def __init__(self, size: Any, padding: Any = None, pad_if_needed: bool = False, fill: Any = 0, padding_mode: str = "constant") -> None:
        self.size = check_hw(size, "size")
        self.padding = None if padding is None else check_padding(padding, "padding")
        self.pad_if_needed = check_bool(pad_if_needed, "padIfNeeded")
        self.fill = fill_json(0 if fill is None else fill)
        self.padding_mode = check_padding_mode("constant" if padding_mode is None else padding_mode, "paddingMode")

    def make_params(self, ctx: Context, meta: dict) -> dict:
        m = image_meta(meta, self.type)
        th, tw = self.size
        p = list(self.padding) if self.padding else [0, 0, 0, 0]
        w = m["width"] + p[0] + p[2]
        h = m["height"] + p[1] + p[3]
        if self.pad_if_needed and w < tw:
            p[0] += tw - w
            p[2] += tw - w
            w += 2 * (tw - w)
        if self.pad_if_needed and h < th:
            p[1] += th - h
            p[3] += th - h
            h += 2 * (th - h)
        if h < th or w < tw:
            padded = "padded " if any(v > 0 for v in p) else ""
            raise RangeError(f"RandomCrop: size [{th}, {tw}] is larger than the {padded}image ({h}x{w}); use pad_if_needed=True or a smaller size")
        top = 0 if h == th else ctx.rng.randint(0, h - th + 1)
        left = 0 if w == tw else ctx.rng.randint(0, w - tw + 1)
        return {"top": top, "left": left, "padding": p}

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        m = image_meta(meta, self.type)
        expect_params(is_object(params) and is_int(params.get("top")) and is_int(params.get("left")) and isinstance(params.get("padding"), list)
                      and len(params["padding"]) == 4 and all(is_int(v) for v in params["padding"]), self.type, "{ top, left, padding: [l, t, r, b] }", params)
        l, t = params["padding"][0], params["padding"][1]
        # A window of the padded image is a window of the original with the same border rule.
        return [{"op": "window", "top": params["top"] - t, "left": params["left"] - l, "height": self.size[0], "width": self.size[1],
                 "mode": self.padding_mode, "fill": image_fill(self.fill, m["channels"])}]

    def geometry(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        """torchvision's pad (when any padding) then crop (when the padded image is larger than size)."""
        m = image_meta(meta, self.type)
        self.ops(params, meta)
        l, t, r, b = params["padding"]
        geo: list = []
        if l or t or r or b:
            geo.append({"fn": "pad", "padding": [l, t, r, b], "mode": self.padding_mode, "fill": mask_fill(self.fill)})
        if m["height"] + t + b > self.size[0] or m["width"] + l + r > self.size[1]:
            geo.append({"fn": "crop", "top": params["top"], "left": params["left"], "height": self.size[0], "width": self.size[1]})
        return geo

    def config(self) -> dict:
        return {"size": self.size, "padding": self.padding, "padIfNeeded": self.pad_if_needed, "fill": self.fill, "paddingMode": self.padding_mode}


class CenterCrop(Deterministic):
    """Crops the centre (torchvision CenterCrop); zero-pads when the crop is larger than the image."""

    type = "CenterCrop"

    def __init__(self, size: Any) -> None:
        self.size = check_hw(size, "size")

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        m = image_meta(meta, self.type)
        top, left = center_crop_offsets(m["height"], m["width"], self.size[0], self.size[1])
        return [{"op": "window", "top": top, "left": left, "height": self.size[0], "width": self.size[1], "mode": "constant", "fill": [0] * m["channels"]}]

    def geometry(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        return [{"fn": "centerCrop", "size": self.size}]

    def config(self) -> dict:
        return {"size": self.size}


class RandomResizedCrop(Transform):
    """Crops a random area and aspect ratio, then resizes to size (torchvision RandomResizedCrop):
    ten tries, then the centre-crop fallback."""

    type = "RandomResizedCrop"
    random = True

    def __init__(self, size: Any, scale: Any = (0.08, 1.0), ratio: Any = (3 / 4, 4 / 3), interpolation: Any = "bilinear", antialias: Any = True) -> None:
        self.size = check_hw(size, "size")
        self.scale = _check_range([0.08, 1.0] if scale is None else scale, "scale", True)
        self.ratio = _check_range([3 / 4, 4 / 3] if ratio is None else ratio, "ratio", True)
        self.interpolation = check_interpolation("bilinear" if interpolation is None else interpolation)
        self.antialias = check_bool(antialias, "antialias")

    def make_params(self, ctx: Context, meta: dict) -> dict:
        m = image_meta(meta, self.type)
        width, height = m["width"], m["height"]
        area = height * width
        log_ratio = (kmath.log(self.ratio[0]), kmath.log(self.ratio[1]))
        rng = ctx.rng
        for _ in range(10):
            target_area = area * rng.uniform(self.scale[0], self.scale[1])
            aspect = kmath.exp(rng.uniform(log_ratio[0], log_ratio[1]))
            w = round_half_even(math.sqrt(target_area * aspect))
            h = round_half_even(math.sqrt(target_area / aspect))
            if 0 < w <= width and 0 < h <= height:
                top = rng.randint(0, height - h + 1)
                left = rng.randint(0, width - w + 1)
                return {"top": top, "left": left, "height": h, "width": w}
        in_ratio = width / height
        w, h = width, height
        if in_ratio < self.ratio[0]:
            h = round_half_even(w / self.ratio[0])
        elif in_ratio > self.ratio[1]:
            w = round_half_even(h * self.ratio[1])
        return {"top": floor((height - h) / 2), "left": floor((width - w) / 2), "height": h, "width": w}

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        m = image_meta(meta, self.type)
        expect_params(is_object(params) and all(is_int(params.get(k)) for k in ("top", "left", "height", "width")), self.type, "{ top, left, height, width }", params)
        return [
            {"op": "window", "top": params["top"], "left": params["left"], "height": params["height"], "width": params["width"], "mode": "constant", "fill": [0] * m["channels"]},
            {"op": "resize", "size": self.size, "interpolation": self.interpolation, "antialias": self.antialias, "semantics": semantics},
        ]

    def geometry(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        """torchvision's resized_crop: crop, then resize."""
        self.ops(params, meta)
        return [{"fn": "crop", "top": params["top"], "left": params["left"], "height": params["height"], "width": params["width"]}, {"fn": "resize", "size": self.size}]

    def config(self) -> dict:
        return {"size": self.size, "scale": self.scale, "ratio": self.ratio, "interpolation": self.interpolation, "antialias": self.antialias}


class _RandomFlip(Transform):
    random = True
    op = "hflip"

    def __init__(self, p: float = 0.5) -> None:
        self.p = check_probability(p)

    def make_params(self, ctx: Context, meta: dict) -> dict:
        image_meta(meta, self.type)
        return {"flip": ctx.rng.random() < self.p}

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        image_meta(meta, self.type)
        expect_params(is_object(params) and isinstance(params.get("flip"), bool), self.type, "{ flip: boolean }", params)
        return [{"op": self.op}] if params["flip"] else []

    def geometry(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        return [{"fn": self.op} for _ in self.ops(params, meta)]

    def config(self) -> dict:
        return {"p": self.p}


class RandomHorizontalFlip(_RandomFlip):
    """Mirrors left-right with probability p (torchvision RandomHorizontalFlip)."""

    type = "RandomHorizontalFlip"
    op = "hflip"


class RandomVerticalFlip(_RandomFlip):
    """Mirrors top-bottom with probability p (torchvision RandomVerticalFlip)."""

    type = "RandomVerticalFlip"
    op = "vflip"


class Resize(Deterministic):
    """Resizes (torchvision Resize): a number is the shorter side, [h, w] is exact."""

    type = "Resize"

    def __init__(self, size: Any, interpolation: Any = "bilinear", max_size: Optional[int] = None, antialias: Any = True) -> None:
        self.size = check_size(size, "size")
        self.interpolation = check_interpolation("bilinear" if interpolation is None else interpolation)
        self.max_size = None if max_size is None else max_size
        if self.max_size is not None:
            resized_size(self.size[0], self.size[0], self.size[0] if len(self.size) == 1 else self.size, self.max_size)
        self.antialias = check_bool(antialias, "antialias")

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        m = image_meta(meta, self.type)
        size = resized_size(m["height"], m["width"], self.size[0] if len(self.size) == 1 else self.size, UNDEFINED if self.max_size is None else self.max_size)
        return [{"op": "resize", "size": size, "interpolation": self.interpolation, "antialias": self.antialias, "semantics": semantics}]

    def geometry(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        return [{"fn": "resize", "size": op["size"]} for op in self.ops(None, meta)]

    def config(self) -> dict:
        return {"size": self.size[0] if len(self.size) == 1 else self.size, "interpolation": self.interpolation, "maxSize": self.max_size, "antialias": self.antialias}


class Pad(Deterministic):
    """Pads every side (torchvision Pad)."""

    type = "Pad"

    def __init__(self, padding: Any, fill: Any = 0, padding_mode: str = "constant") -> None:
        self.padding = check_padding(padding, "padding")
        self.fill = fill_json(0 if fill is None else fill)
        self.padding_mode = check_padding_mode("constant" if padding_mode is None else padding_mode, "paddingMode")

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        m = image_meta(meta, self.type)
        l, t, r, b = self.padding
        return [{"op": "window", "top": -t, "left": -l, "height": m["height"] + t + b, "width": m["width"] + l + r, "mode": self.padding_mode,
                 "fill": image_fill(self.fill, m["channels"])}]

    def geometry(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        return [{"fn": "pad", "padding": self.padding, "mode": self.padding_mode, "fill": mask_fill(self.fill)}]

    def config(self) -> dict:
        return {"padding": self.padding, "fill": self.fill, "paddingMode": self.padding_mode}


register("RandomCrop", ["size", "padding", "padIfNeeded", "fill", "paddingMode"],
         lambda f, p: RandomCrop(req(f, "size"), **kw(f, padding="padding", pad_if_needed="padIfNeeded", fill="fill", padding_mode="paddingMode")))
register("CenterCrop", ["size"], lambda f, p: CenterCrop(req(f, "size")))
register("RandomResizedCrop", ["size", "scale", "ratio", "interpolation", "antialias"],
         lambda f, p: RandomResizedCrop(req(f, "size"), **kw(f, scale="scale", ratio="ratio", interpolation="interpolation", antialias="antialias")))
register("RandomHorizontalFlip", ["p"], lambda f, p: RandomHorizontalFlip(**kw(f, p="p")))
register("RandomVerticalFlip", ["p"], lambda f, p: RandomVerticalFlip(**kw(f, p="p")))
register("Resize", ["size", "interpolation", "maxSize", "antialias"],
         lambda f, p: Resize(req(f, "size"), **kw(f, interpolation="interpolation", max_size="maxSize", antialias="antialias")))
register("Pad", ["padding", "fill", "paddingMode"], lambda f, p: Pad(req(f, "padding"), **kw(f, fill="fill", padding_mode="paddingMode")))

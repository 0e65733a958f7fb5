"""Rotations, affine and perspective warps, elastic deformation, zoom-out, the random resizes of
torchvision v2 and the five/ten crops (mirrors src/transforms/warp.ts)."""
from __future__ import annotations

from typing import Any, List, Optional

import numpy as np

from .._js import UNDEFINED, floor, is_finite, is_integer, is_number, trunc
from ..errors import RangeError
from ..functional.args import check_finite, check_hw, check_int, check_interpolation, is_array, round_half_even
from ..functional.size import resized_size
from ..functional.tensor import to_tensor
from ..functional.warp import (affine, check_affine_args, check_center, check_corners, check_pair, check_warp_interpolation, elastic_keyed,
                               five_crop, perspective, rotate, rotated_size, ten_crop)
from ..image import MAX_SIDE, describe
from ..functional.semantics import DEFAULT_SEMANTICS, check_kernel_semantics
from .base import Context, Deterministic, Transform
from .fill import fill_json, image_fill, mask_fill
from ..targets.sample import refuse_targets
from .ops import define_op
from .params import check_bool, check_probability, expect_params, image_meta, is_int, is_object
from .schema import kw, register, req


def _check_degrees(v: Any, name: str, sizes=(2,)) -> list:
    """torchvision's _setup_angle: a number d >= 0 means [-d, d]; else [min, max] with min <= max."""
    if is_number(v):
        d = check_finite(v, name)
        if d < 0:
            raise RangeError(f"{name}: if a single number, it must be >= 0 (the range is [-{name}, {name}]), got {d}")
        return [-d if d != 0 else 0, d]
    if not is_array(v) or len(v) not in sizes:
        want = " or ".join("[min, max]" if n == 2 else "[xmin, xmax, ymin, ymax]" for n in sizes)
        raise TypeError(f"{name} must be a number or {want}, got {describe(v)}")
    r = [check_finite(x, f"{name}[{i}]") for i, x in enumerate(v)]
    for i in range(0, len(r), 2):
        if r[i] > r[i + 1]:
            raise RangeError(f"{name} must be [min, max] pairs with min <= max, got {describe(r)}")
    return r


def _is_num(v: Any) -> bool:
    return is_finite(v)


def _is_point(v: Any) -> bool:
    return isinstance(v, list) and len(v) == 2 and all(_is_num(x) for x in v)


def _is_corners(v: Any) -> bool:
    return isinstance(v, list) and len(v) == 4 and all(_is_point(p) for p in v)


def _is_fill(v: Any) -> bool:
    return is_array(v) and all(is_integer(x) and 0 <= x <= 255 for x in v)


def _is_warp_fill(v: Any) -> bool:
    """A warp op's fill: bytes, or None (torchvision's fill=None: grid_sample's zeros under "tensor", 0 under "pil")."""
    return v is None or _is_fill(v)


def _guard(fn) -> Optional[str]:
    try:
        fn()
        return None
    except (TypeError, ValueError) as e:
        return str(e)


# ---------------------------------------------------------------------------------------
# Ops. Every warp op carries its fill and the semantics it runs with (absent: "pil").

def _check_warp_common(a: dict) -> None:
    if not _is_warp_fill(a.get("fill", UNDEFINED)):
        raise RangeError("fill must be integers in [0, 255] or null")
    check_kernel_semantics(a.get("semantics"))


def _rotate_meta(a: dict, meta: dict) -> dict:
    m = image_meta(meta, "rotate")
    height, width = rotated_size(m["width"], m["height"], a["angle"], a["expand"], a["center"], a.get("semantics", "pil"))
    return {**m, "width": width, "height": height}


def _rotate_check(a: dict) -> Optional[str]:
    def f():
        check_finite(a.get("angle"), "angle")
        check_warp_interpolation(a.get("interpolation"))
        if not isinstance(a.get("expand"), bool):
            raise TypeError("expand must be a boolean")
        check_center(a.get("center"))
        _check_warp_common(a)
    return _guard(f)


define_op("rotate", meta=_rotate_meta, check=_rotate_check,
          run=lambda x, a: rotate(x, a["angle"], interpolation=a["interpolation"], expand=a["expand"], center=a["center"], fill=a["fill"],
                                        semantics=a.get("semantics")))


def _affine_check(a: dict) -> Optional[str]:
    def f():
        check_affine_args(a)
        check_warp_interpolation(a.get("interpolation"))
        _check_warp_common(a)
    return _guard(f)


define_op("affine", meta=lambda a, m: image_meta(m, "affine"), check=_affine_check,
          run=lambda x, a: affine(x, angle=a["angle"], translate=a["translate"], scale=a["scale"], shear=a["shear"], interpolation=a["interpolation"], fill=a["fill"], center=a["center"], semantics=a.get("semantics")))


def _perspective_check(a: dict) -> Optional[str]:
    def f():
        check_corners(a.get("startpoints"), "startpoints")
        check_corners(a.get("endpoints"), "endpoints")
        check_warp_interpolation(a.get("interpolation"))
        _check_warp_common(a)
    return _guard(f)


define_op("perspective", meta=lambda a, m: image_meta(m, "perspective"), check=_perspective_check,
          run=lambda x, a: perspective(x, a["startpoints"], a["endpoints"], interpolation=a["interpolation"], fill=a["fill"], semantics=a.get("semantics")))


def _elastic_check(a: dict) -> Optional[str]:
    def f():
        k = a.get("key")
        if not is_array(k) or len(k) != 2 or not all(is_integer(v) and 0 <= v <= 0xFFFFFFFF for v in k):
            raise TypeError("key must be two unsigned 32-bit integers")
        check_pair(a.get("alpha"), "alpha", 0, False)
        check_pair(a.get("sigma"), "sigma", 0, True)
        check_warp_interpolation(a.get("interpolation"))
        if not _is_fill(a.get("fill")):
            raise RangeError("fill must be integers in [0, 255]")
    return _guard(f)


define_op("elastic", meta=lambda a, m: image_meta(m, "elastic"), check=_elastic_check,
          run=lambda x, a: elastic_keyed(x, a["key"], a["alpha"], a["sigma"], interpolation=a["interpolation"], fill=a["fill"]))


def _crops_meta(a: dict, meta: dict) -> dict:
    name = "TenCrop" if a["ten"] else "FiveCrop"
    m = image_meta(meta, name)
    if a["size"][0] > m["height"] or a["size"][1] > m["width"]:
        raise RangeError(f"{name}: crop size [{a['size'][0]}, {a['size'][1]}] is bigger than the image ({m['height']}x{m['width']})")
    return {"kind": "tensor", "shape": [10 if a["ten"] else 5, m["channels"], a["size"][0], a["size"][1]]}


def _crops_check(a: dict) -> Optional[str]:
    def f():
        check_hw(a.get("size"))
        if not isinstance(a.get("ten"), bool) or not isinstance(a.get("verticalFlip"), bool):
            raise TypeError("ten and verticalFlip must be booleans")
    return _guard(f)


def _crops_run(x: np.ndarray, a: dict) -> np.ndarray:
    crops = ten_crop(x, a["size"], vertical_flip=a["verticalFlip"]) if a["ten"] else five_crop(x, a["size"])
    h, w, c = crops[0].shape
    data = np.empty((len(crops), c, h, w), np.float32)
    for i, cr in enumerate(crops):
        to_tensor(cr, out=data[i])
    return data


define_op("multiCrop", meta=_crops_meta, check=_crops_check, run=_crops_run)


# ---------------------------------------------------------------------------------------
# Rotation, affine, perspective

class RandomRotation(Transform):
    """Rotates by an angle uniform in degrees (torchvision RandomRotation; nearest by default)."""

    type = "RandomRotation"
    random = True

    def __init__(self, degrees: Any, interpolation: Any = "nearest", expand: Any = False, center: Any = None, fill: Any = 0) -> None:
        self.degrees = _check_degrees(degrees, "degrees")
        self.interpolation = check_warp_interpolation("nearest" if interpolation is None else interpolation)
        self.expand = check_bool(expand, "expand", False)
        self.center = check_center(center)
        self.fill = fill_json(0 if fill is None else fill)

    def make_params(self, ctx: Context, meta: dict) -> dict:
        image_meta(meta, self.type)
        return {"angle": ctx.rng.uniform(self.degrees[0], self.degrees[1])}

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        m = image_meta(meta, self.type)
        expect_params(is_object(params) and _is_num(params.get("angle")), self.type, "{ angle: number }", params)
        return [{"op": "call", "name": "rotate", "args": {"angle": params["angle"], "interpolation": self.interpolation, "expand": self.expand, "center": self.center,
                                                          "fill": image_fill(self.fill, m["channels"]), "semantics": semantics}}]

    def geometry(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        self.ops(params, meta, semantics)
        return [{"fn": "rotate", "angle": params["angle"], "expand": self.expand, "center": self.center, "fill": mask_fill(self.fill), "semantics": semantics}]

    def config(self) -> dict:
        return {"degrees": self.degrees, "interpolation": self.interpolation, "expand": self.expand, "center": self.center, "fill": self.fill}


class RandomAffine(Transform):
    """Random affine transform keeping the centre invariant (torchvision RandomAffine)."""

    type = "RandomAffine"
    random = True

    def __init__(self, degrees: Any, translate: Any = None, scale: Any = None, shear: Any = None, interpolation: Any = "nearest", fill: Any = 0, center: Any = None) -> None:
        self.degrees = _check_degrees(degrees, "degrees")
        if translate is None:
            self.translate = None
        else:
            if not is_array(translate) or len(translate) != 2:
                raise TypeError(f"translate must be [a, b] (fractions of width and height), got {describe(translate)}")
            t = []
            for i, x in enumerate(translate):
                v = check_finite(x, f"translate[{i}]")
                if v < 0 or v > 1:
                    raise RangeError(f"translate values must be in [0, 1], got {v}")
                t.append(v)
            self.translate = t
        if scale is None:
            self.scale = None
        else:
            if not is_array(scale) or len(scale) != 2:
                raise TypeError(f"scale must be [min, max], got {describe(scale)}")
            s = [check_finite(v, f"scale[{i}]") for i, v in enumerate(scale)]
            if not (s[0] > 0 and s[1] > 0):
                raise RangeError(f"scale values must be > 0, got {describe(s)}")
            if s[0] > s[1]:
                raise RangeError(f"scale must be [min, max] with min <= max, got {describe(s)}")
            self.scale = s
        self.shear = None if shear is None else _check_degrees(shear, "shear", (2, 4))
        self.interpolation = check_warp_interpolation("nearest" if interpolation is None else interpolation)
        self.fill = fill_json(0 if fill is None else fill)
        self.center = check_center(center)

    def make_params(self, ctx: Context, meta: dict) -> dict:
        m = image_meta(meta, self.type)
        width, height = m["width"], m["height"]
        rng = ctx.rng
        angle = rng.uniform(self.degrees[0], self.degrees[1])
        translate = [0, 0]
        if self.translate:
            max_dx = self.translate[0] * width
            max_dy = self.translate[1] * height
            translate = [round_half_even(rng.uniform(-max_dx, max_dx)), round_half_even(rng.uniform(-max_dy, max_dy))]
        scale = rng.uniform(self.scale[0], self.scale[1]) if self.scale else 1.0
        shear = [0, 0]
        if self.shear:
            shear = [rng.uniform(self.shear[0], self.shear[1]), 0]
            if len(self.shear) == 4:
                shear[1] = rng.uniform(self.shear[2], self.shear[3])
        # -0 (from rounding a small negative) is not JSON-stable: normalise it.
        return {"angle": angle, "translate": [translate[0] + 0, translate[1] + 0], "scale": scale, "shear": shear}

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        m = image_meta(meta, self.type)
        expect_params(is_object(params) and _is_num(params.get("angle")) and _is_point(params.get("translate")) and _is_num(params.get("scale")) and params["scale"] > 0
                      and _is_point(params.get("shear")), self.type, "{ angle, translate: [tx, ty], scale > 0, shear: [sx, sy] }", params)
        return [{"op": "call", "name": "affine", "args": {"angle": params["angle"], "translate": params["translate"], "scale": params["scale"], "shear": params["shear"],
                                                          "interpolation": self.interpolation, "fill": image_fill(self.fill, m["channels"]), "center": self.center, "semantics": semantics}}]

    def geometry(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        self.ops(params, meta)
        return [{"fn": "affine", "angle": params["angle"], "translate": [params["translate"][0], params["translate"][1]], "scale": params["scale"],
                 "shear": [params["shear"][0], params["shear"][1]], "center": self.center, "fill": mask_fill(self.fill)}]

    def config(self) -> dict:
        return {"degrees": self.degrees, "translate": self.translate, "scale": self.scale, "shear": self.shear, "interpolation": self.interpolation, "fill": self.fill, "center": self.center}


class RandomPerspective(Transform):
    """Random perspective transform with probability p (torchvision RandomPerspective; bilinear by default)."""

    type = "RandomPerspective"
    random = True

    def __init__(self, distortion_scale: Any = 0.5, p: Any = 0.5, interpolation: Any = "bilinear", fill: Any = 0) -> None:
        self.distortion_scale = check_finite(0.5 if distortion_scale is None else distortion_scale, "distortionScale")
        if self.distortion_scale < 0 or self.distortion_scale > 1:
            raise RangeError(f"distortionScale must be in [0, 1], got {self.distortion_scale}")
        self.p = check_probability(0.5 if p is None else p)
        self.interpolation = check_warp_interpolation("bilinear" if interpolation is None else interpolation)
        self.fill = fill_json(0 if fill is None else fill)

    def make_params(self, ctx: Context, meta: dict) -> dict:
        m = image_meta(meta, self.type)
        width, height = m["width"], m["height"]
        rng = ctx.rng
        if not rng.random() < self.p:
            return {"applied": False, "startpoints": None, "endpoints": None}
        bw = trunc(self.distortion_scale * floor(width / 2)) + 1
        bh = trunc(self.distortion_scale * floor(height / 2)) + 1
        r = rng.randint
        topleft = [r(0, bw), r(0, bh)]
        topright = [r(width - bw, width), r(0, bh)]
        botright = [r(width - bw, width), r(height - bh, height)]
        botleft = [r(0, bw), r(height - bh, height)]
        return {"applied": True, "startpoints": [[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], "endpoints": [topleft, topright, botright, botleft]}

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        m = image_meta(meta, self.type)
        expect_params(is_object(params) and isinstance(params.get("applied"), bool)
                      and ((_is_corners(params.get("startpoints")) and _is_corners(params.get("endpoints"))) if params["applied"]
                           else (params.get("startpoints", UNDEFINED) is None and params.get("endpoints", UNDEFINED) is None)),
                      self.type, "{ applied, startpoints: 4 corners | null, endpoints: 4 corners | null }", params)
        if not params["applied"]:
            return []
        return [{"op": "call", "name": "perspective", "args": {"startpoints": params["startpoints"], "endpoints": params["endpoints"], "interpolation": self.interpolation,
                                                               "fill": image_fill(self.fill, m["channels"]), "semantics": semantics}}]

    def geometry(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        if not self.ops(params, meta):
            return []
        return [{"fn": "perspective", "startpoints": params["startpoints"], "endpoints": params["endpoints"], "fill": mask_fill(self.fill)}]

    def config(self) -> dict:
        return {"distortionScale": self.distortion_scale, "p": self.p, "interpolation": self.interpolation, "fill": self.fill}


class ElasticTransform(Transform):
    """Elastic deformation (torchvision ElasticTransform): a uniform noise field blurred by a Gaussian
    of size int(8 sigma + 1) and scaled by alpha, drawn in the kernel from the slot key (params: that key)."""

    type = "ElasticTransform"
    random = True

    def __init__(self, alpha: Any = 50.0, sigma: Any = 5.0, interpolation: Any = "bilinear", fill: Any = 0) -> None:
        self.alpha = check_pair(50 if alpha is None else alpha, "alpha", 0, False)
        self.sigma = check_pair(5 if sigma is None else sigma, "sigma", 0, True)
        if self.sigma[0] > 1000 or self.sigma[1] > 1000:
            raise RangeError(f"sigma must be at most 1000, got {describe(self.sigma)}")
        self.interpolation = check_warp_interpolation("bilinear" if interpolation is None else interpolation)
        self.fill = fill_json(0 if fill is None else fill)

    def make_params(self, ctx: Context, meta: dict) -> dict:
        image_meta(meta, self.type)
        return {"key": [ctx.key[0], ctx.key[1]]}

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        m = image_meta(meta, self.type)
        k = params.get("key") if is_object(params) else None
        expect_params(is_object(params) and is_array(k) and len(k) == 2 and all(is_int(v) and 0 <= v <= 0xFFFFFFFF for v in k), self.type, "{ key: [k0, k1] }", params)
        return [{"op": "call", "name": "elastic", "args": {"key": k, "alpha": self.alpha, "sigma": self.sigma, "interpolation": self.interpolation, "fill": image_fill(self.fill, m["channels"])}}]

    def geometry(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        self.ops(params, meta)
        return [{"fn": "elastic", "key": [params["key"][0], params["key"][1]], "alpha": self.alpha, "sigma": self.sigma, "fill": mask_fill(self.fill)}]

    def config(self) -> dict:
        return {"alpha": self.alpha, "sigma": self.sigma, "interpolation": self.interpolation, "fill": self.fill}


# ---------------------------------------------------------------------------------------
# Zoom-out and the random resizes (core ops: fused and bit-exact with Pillow)

class RandomZoomOut(Transform):
    """Places the image at a random spot of a larger canvas filled with fill (torchvision v2 RandomZoomOut)."""

    type = "RandomZoomOut"
    random = True

    def __init__(self, fill: Any = 0, side_range: Any = (1.0, 4.0), p: Any = 0.5) -> None:
        self.fill = fill_json(0 if fill is None else fill)
        r = [1.0, 4.0] if side_range is None else side_range
        if not is_array(r) or len(r) != 2:
            raise TypeError(f"sideRange must be [min, max], got {describe(r)}")
        a, b = check_finite(r[0], "sideRange[0]"), check_finite(r[1], "sideRange[1]")
        if a < 1 or a > b:
            raise RangeError(f"sideRange must be [min, max] with 1 <= min <= max, got [{a}, {b}]")
        if b > MAX_SIDE:
            raise RangeError(f"sideRange[1] must be at most {MAX_SIDE}, got {b}")
        self.side_range = [a, b]
        self.p = check_probability(0.5 if p is None else p)

    def make_params(self, ctx: Context, meta: dict) -> dict:
        m = image_meta(meta, self.type)
        w, h = m["width"], m["height"]
        rng = ctx.rng
        if not rng.random() < self.p:
            return {"applied": False, "padding": None}
        r = self.side_range[0] + rng.random() * (self.side_range[1] - self.side_range[0])
        cw = trunc(w * r)
        ch = trunc(h * r)
        if cw > MAX_SIDE or ch > MAX_SIDE:
            raise RangeError(f"RandomZoomOut: the canvas {cw}x{ch} is over {MAX_SIDE}; lower side_range")
        left = trunc((cw - w) * rng.random())
        top = trunc((ch - h) * rng.random())
        return {"applied": True, "padding": [left, top, cw - (left + w), ch - (top + h)]}

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        m = image_meta(meta, self.type)
        p = params.get("padding", UNDEFINED) if is_object(params) else UNDEFINED
        expect_params(is_object(params) and isinstance(params.get("applied"), bool)
                      and ((isinstance(p, list) and len(p) == 4 and all(is_int(v) and 0 <= v <= MAX_SIDE for v in p)) if params["applied"] else p is None),
                      self.type, "{ applied, padding: [l, t, r, b] | null }", params)
        if not params["applied"]:
            return []
        l, t, r, b = (int(v) for v in p)
        return [{"op": "window", "top": -t, "left": -l, "height": m["height"] + t + b, "width": m["width"] + l + r, "mode": "constant", "fill": image_fill(self.fill, m["channels"])}]

    def geometry(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        if not self.ops(params, meta):
            return []
        l, t, r, b = params["padding"]
        return [{"fn": "pad", "padding": [l, t, r, b], "mode": "constant", "fill": mask_fill(self.fill)}]

    def config(self) -> dict:
        return {"fill": self.fill, "sideRange": self.side_range, "p": self.p}


class _RandomResizeBase(Transform):
    random = True

    def __init__(self, interpolation: Any, antialias: Any) -> None:
        self.interpolation = check_interpolation("bilinear" if interpolation is None else interpolation)
        self.antialias = check_bool(antialias, "antialias", True)

    def scaled(self, h: int, w: int, r: float) -> List[int]:
        """[h, w] from the scale r as v2 does (int(side * r)), at least 1 and at most MAX_SIDE."""
        nh = trunc(h * r)
        nw = trunc(w * r)
        if nh > MAX_SIDE or nw > MAX_SIDE:
            raise RangeError(f"{self.type}: the resized image {nw}x{nh} is over {MAX_SIDE}")
        return [max(1, nh), max(1, nw)]

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        image_meta(meta, self.type)
        s = params.get("size") if is_object(params) else None
        expect_params(is_object(params) and isinstance(s, list) and len(s) == 2 and all(is_int(v) and 1 <= v <= MAX_SIDE for v in s), self.type, "{ size: [h, w] }", params)
        return [{"op": "resize", "size": [int(s[0]), int(s[1])], "interpolation": self.interpolation, "antialias": self.antialias, "semantics": semantics}]

    def geometry(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        self.ops(params, meta)
        return [{"fn": "resize", "size": [int(params["size"][0]), int(params["size"][1])]}]


class ScaleJitter(_RandomResizeBase):
    """Large-scale jitter (torchvision v2 ScaleJitter): resize by min(target_size[1] / height,
    target_size[0] / width) * uniform(scale_range), sides truncated (torchvision's formula)."""

    type = "ScaleJitter"

    def __init__(self, target_size: Any, scale_range: Any = (0.1, 2.0), interpolation: Any = "bilinear", antialias: Any = True) -> None:
        super().__init__(interpolation, antialias)
        if not is_array(target_size) or len(target_size) != 2:
            raise TypeError(f"targetSize must be [h, w], got {describe(target_size)}")
        self.target_size = check_hw(target_size, "targetSize")
        r = [0.1, 2.0] if scale_range is None else scale_range
        if not is_array(r) or len(r) != 2:
            raise TypeError(f"scaleRange must be [min, max], got {describe(r)}")
        a, b = check_finite(r[0], "scaleRange[0]"), check_finite(r[1], "scaleRange[1]")
        if not a > 0 or a > b:
            raise RangeError(f"scaleRange must be [min, max] with 0 < min <= max, got [{a}, {b}]")
        self.scale_range = [a, b]

    def make_params(self, ctx: Context, meta: dict) -> dict:
        m = image_meta(meta, self.type)
        width, height = m["width"], m["height"]
        scale = self.scale_range[0] + ctx.rng.random() * (self.scale_range[1] - self.scale_range[0])
        r = min(self.target_size[1] / height, self.target_size[0] / width) * scale
        return {"size": self.scaled(height, width, r)}

    def config(self) -> dict:
        return {"targetSize": self.target_size, "scaleRange": self.scale_range, "interpolation": self.interpolation, "antialias": self.antialias}


class RandomShortestSize(_RandomResizeBase):
    """Resizes the shorter side to one of min_size (chosen uniformly), the longer capped by max_size (torchvision v2 RandomShortestSize)."""

    type = "RandomShortestSize"

    def __init__(self, min_size: Any, max_size: Any = None, interpolation: Any = "bilinear", antialias: Any = True) -> None:
        super().__init__(interpolation, antialias)
        single = is_number(min_size)
        lst = [min_size] if single else min_size
        if not is_array(lst) or len(lst) < 1:
            raise TypeError(f"minSize must be a positive integer or a non-empty array of them, got {describe(min_size)}")
        self.min_size = [check_int(v, "minSize" if single else f"minSize[{i}]", 1, MAX_SIDE) for i, v in enumerate(lst)]
        self.max_size = None if max_size is None else check_int(max_size, "maxSize", 1, MAX_SIDE)

    def make_params(self, ctx: Context, meta: dict) -> dict:
        m = image_meta(meta, self.type)
        width, height = m["width"], m["height"]
        min_size = self.min_size[ctx.rng.randint(0, len(self.min_size))]
        r = min_size / min(height, width)
        if self.max_size is not None:
            r = min(r, self.max_size / max(height, width))
        return {"size": self.scaled(height, width, r)}

    def config(self) -> dict:
        return {"minSize": self.min_size, "maxSize": self.max_size, "interpolation": self.interpolation, "antialias": self.antialias}


class RandomResize(_RandomResizeBase):
    """Resizes the shorter side to an integer uniform in [min_size, max_size) (torchvision v2 RandomResize)."""

    type = "RandomResize"

    def __init__(self, min_size: Any, max_size: Any, interpolation: Any = "bilinear", antialias: Any = True) -> None:
        super().__init__(interpolation, antialias)
        self.min_size = check_int(min_size, "minSize", 1, MAX_SIDE)
        self.max_size = check_int(max_size, "maxSize", 2, MAX_SIDE + 1)
        if self.max_size <= self.min_size:
            raise RangeError(f"maxSize must be larger than minSize (the size is drawn from [minSize, maxSize)), got minSize {self.min_size}, maxSize {self.max_size}")

    def make_params(self, ctx: Context, meta: dict) -> dict:
        m = image_meta(meta, self.type)
        return {"size": resized_size(m["height"], m["width"], ctx.rng.randint(self.min_size, self.max_size))}

    def config(self) -> dict:
        return {"minSize": self.min_size, "maxSize": self.max_size, "interpolation": self.interpolation, "antialias": self.antialias}


# ---------------------------------------------------------------------------------------
# Five / ten crops

class FiveCrop(Deterministic):
    """The four corner crops and the centre crop (torchvision FiveCrop), stacked as an NCHW float
    tensor [5, C, h, w] in [0, 1]; it must be the last image transform (Normalize may follow)."""

    type = "FiveCrop"

    def __init__(self, size: Any) -> None:
        self.size = check_hw(size, "size")

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        image_meta(meta, self.type)
        return [{"op": "call", "name": "multiCrop", "args": {"size": self.size, "ten": False, "verticalFlip": False}}]

    def map_targets(self, params: Any, meta: dict, state, semantics: str = DEFAULT_SEMANTICS):
        return refuse_targets(state, self.type)

    def config(self) -> dict:
        return {"size": self.size}


class TenCrop(Deterministic):
    """FiveCrop of the image and of its flip (torchvision TenCrop): a [10, C, h, w] tensor."""

    type = "TenCrop"

    def __init__(self, size: Any, vertical_flip: Any = False) -> None:
        self.size = check_hw(size, "size")
        self.vertical_flip = check_bool(vertical_flip, "verticalFlip", False)

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        image_meta(meta, self.type)
        return [{"op": "call", "name": "multiCrop", "args": {"size": self.size, "ten": True, "verticalFlip": self.vertical_flip}}]

    def map_targets(self, params: Any, meta: dict, state, semantics: str = DEFAULT_SEMANTICS):
        return refuse_targets(state, self.type)

    def config(self) -> dict:
        return {"size": self.size, "verticalFlip": self.vertical_flip}


register("RandomRotation", ["degrees", "interpolation", "expand", "center", "fill"],
         lambda f, p: RandomRotation(req(f, "degrees"), **kw(f, interpolation="interpolation", expand="expand", center="center", fill="fill")))
register("RandomAffine", ["degrees", "translate", "scale", "shear", "interpolation", "fill", "center"],
         lambda f, p: RandomAffine(req(f, "degrees"), **kw(f, translate="translate", scale="scale", shear="shear", interpolation="interpolation", fill="fill", center="center")))
register("RandomPerspective", ["distortionScale", "p", "interpolation", "fill"],
         lambda f, p: RandomPerspective(**kw(f, distortion_scale="distortionScale", p="p", interpolation="interpolation", fill="fill")))
register("ElasticTransform", ["alpha", "sigma", "interpolation", "fill"],
         lambda f, p: ElasticTransform(**kw(f, alpha="alpha", sigma="sigma", interpolation="interpolation", fill="fill")))
register("RandomZoomOut", ["fill", "sideRange", "p"], lambda f, p: RandomZoomOut(**kw(f, fill="fill", side_range="sideRange", p="p")))
register("ScaleJitter", ["targetSize", "scaleRange", "interpolation", "antialias"],
         lambda f, p: ScaleJitter(req(f, "targetSize"), **kw(f, scale_range="scaleRange", interpolation="interpolation", antialias="antialias")))
register("RandomShortestSize", ["minSize", "maxSize", "interpolation", "antialias"],
         lambda f, p: RandomShortestSize(req(f, "minSize"), **kw(f, max_size="maxSize", interpolation="interpolation", antialias="antialias")))
register("RandomResize", ["minSize", "maxSize", "interpolation", "antialias"],
         lambda f, p: RandomResize(req(f, "minSize"), req(f, "maxSize"), **kw(f, interpolation="interpolation", antialias="antialias")))
register("FiveCrop", ["size"], lambda f, p: FiveCrop(req(f, "size")))
register("TenCrop", ["size", "verticalFlip"], lambda f, p: TenCrop(req(f, "size"), **kw(f, vertical_flip="verticalFlip")))

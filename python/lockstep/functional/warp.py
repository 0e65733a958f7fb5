"""Rotate, affine, perspective and elastic warps, plus five/ten crops (mirrors src/functional/warp.ts),
under each semantics: "pil" is Pillow 12.3's Geometry.c (assembly/warp.ts, pilwarp.ts), "tensor"
torchvision v2's grid_sample warps on uint8 tensors (assembly/tvwarp.ts), "tensor-v1" the v1 ones
AugMix runs. Matrices are built in the kernel (its sin/cos/tan), so no host math reaches a pixel."""
from __future__ import annotations

import json
from typing import Any, List, Optional

import numpy as np

from .._js import is_finite, is_integer, is_number, dumps
from ..errors import RangeError
from ..image import check_area, check_image, check_side, check_tensor, describe
from ..kernel.instance import kernel
from .args import check_finite, check_hw, fill_bytes, is_array
from .geometry import center_crop_offsets, hflip, vflip, window
from .resample import check_out
from .semantics import check_kernel_semantics

KIND = {"affine": 0, "perspective": 1}
FILTER = {"nearest": 0, "bilinear": 1}
COORD_LIMIT = 2**30


def check_warp_interpolation(v: Any, name: str = "interpolation") -> str:
    from .args import mode_value
    v = mode_value(v)
    if v not in ("nearest", "bilinear"):
        raise RangeError(f'{name} must be "nearest" or "bilinear", got {describe(v)}')
    return v


def _check_bool(v: Any, name: str) -> bool:
    if not isinstance(v, (bool, np.bool_)):
        raise TypeError(f"{name} must be a boolean, got {describe(v)}")
    return bool(v)


def _check_coord(v: Any, name: str):
    x = check_finite(v, name)
    if abs(x) > COORD_LIMIT:
        raise RangeError(f"{name} must be in [-2^30, 2^30], got {x}")
    return x


def check_point(v: Any, name: str) -> List[Any]:
    """A point [x, y] of finite numbers."""
    if not is_array(v) or len(v) != 2:
        raise TypeError(f"{name} must be [x, y], got {describe(v)}")
    return [_check_coord(v[0], f"{name}[0]"), _check_coord(v[1], f"{name}[1]")]


def check_center(v: Any, name: str = "center"):
    """A centre [x, y] or None (the image centre)."""
    return None if v is None else check_point(v, name)


def check_shear(v: Any, name: str = "shear") -> List[Any]:
    """Shear as torchvision takes it: a number (x only), [s] (both) or [sx, sy], in degrees."""
    if is_number(v):
        return [check_finite(v, name), 0]
    if is_array(v) and len(v) == 1:
        s = check_finite(v[0], f"{name}[0]")
        return [s, s]
    if is_array(v) and len(v) == 2:
        return [check_finite(v[0], f"{name}[0]"), check_finite(v[1], f"{name}[1]")]
    raise TypeError(f"{name} must be a number, [s] or [sx, sy] (degrees), got {describe(v)}")


def _fits_fixed(status: int, what: str) -> None:
    if status != 0:
        raise RangeError(f"{what}: the transform maps pixels too far (or is degenerate) for lockstep's fixed-point coordinates")


_TV_FILL = 1
_TV_V1 = 2


def _run_warp(img: np.ndarray, coeffs, kind: str, interpolation: str, fill: Optional[np.ndarray], dw: int, dh: int, sem: str, what: str, out=None) -> np.ndarray:
    """Runs a warp: output dw x dh from coeffs (6 affine values or 8 perspective ones). "pil" runs Pillow's
    transform (fill bytes required); the tensor semantics run torchvision's grid_sample warp, where fill
    None keeps grid_sample's zeros (torchvision's fill=None)."""
    check_area(dw, dh, what)
    k = kernel()
    arena = k.arena
    c = img.shape[2]
    n = dw * dh * c
    arena.reset()
    m = arena.alloc(64)
    arena.f64[m >> 3 : (m >> 3) + 8] = (list(coeffs) + [0, 0])[:8]
    src = arena.put(img)
    f = arena.put(fill if fill is not None else np.zeros(c, np.uint8))
    dst = arena.alloc(n)
    if sem == "pil":
        scratch = arena.alloc(k.warpScratch(dw))
        _fits_fixed(k.warp(src, img.shape[1], img.shape[0], c, dst, dw, dh, m, KIND[kind], FILTER[interpolation], f, scratch), what)
    else:
        flags = (_TV_FILL if fill is not None else 0) | (_TV_V1 if sem == "tensor-v1" else 0)
        k.tvWarp(src, img.shape[1], img.shape[0], c, dst, dw, dh, m, 1 if kind == "perspective" else 0, FILTER[interpolation], f, flags)
    return arena.take_u8(dst, n, check_out(out, np.uint8, (dh, dw, c)), (dh, dw, c))


def _warp_fill(fill: Any, img: np.ndarray, sem: str) -> Optional[np.ndarray]:
    """A warp's fill: bytes, or None for torchvision's fill=None (tensor semantics' zeros; Pillow's 0)."""
    if fill is None:
        return np.zeros(img.shape[2], np.uint8) if sem == "pil" else None
    return fill_bytes(fill, img.shape[2])


def warp_with(img: np.ndarray, coeffs: Any, kind: str, interpolation: Any = "nearest", fill: Any = 0, size: Any = None, out=None) -> np.ndarray:
    """Warps with explicit inverse coefficients, as Pillow's Image.transform: 6 for "affine", 8 for "perspective"."""
    check_image(img)
    want = 6 if kind == "affine" else 8
    if not is_array(coeffs) or len(coeffs) != want:
        raise TypeError(f"coefficients must be an array of {want} finite numbers, got {describe(coeffs)}")
    for i, v in enumerate(coeffs):
        check_finite(v, f"coefficients[{i}]")
    dh, dw = (check_side(size[0], "size[0]"), check_side(size[1], "size[1]")) if size is not None else (img.shape[0], img.shape[1])
    return _run_warp(img, coeffs, kind, check_warp_interpolation(interpolation), fill_bytes(fill, img.shape[2]), dw, dh, "pil", "warp", out)


def rotate_plan(width: int, height: int, angle: float, expand: bool, center, semantics: str = "pil") -> dict:
    """How rotate proceeds, from the kernel: copy, quarter turn or affine. Pillow's Image.rotate decisions
    and inverse matrix ("pil"), or torchvision's tensor rotate ("tensor": v2's fast paths and grid;
    "tensor-v1": v1's, without fast paths)."""
    k = kernel()
    arena = k.arena
    arena.reset()
    m = arena.alloc(64)
    cx = float(center[0]) if center else 0.0
    cy = float(center[1]) if center else 0.0
    if semantics == "pil":
        code = k.warpRotateMatrix(float(angle), width, height, cx, cy, 1 if center else 0, 1 if expand else 0, m)
    else:
        code = k.tvRotateMatrix(float(angle), width, height, cx, cy, 1 if center else 0, 1 if expand else 0, 1 if semantics == "tensor-v1" else 0, m)
    if code == 0:
        return {"kind": "copy"}
    if code > 0:
        return {"kind": "quarter", "quarter": code}
    v = arena.f64[m >> 3 : (m >> 3) + 8].tolist()
    w = check_side(v[6], "rotated width")
    h = check_side(v[7], "rotated height")
    return {"kind": "affine", "matrix": v[:6], "size": [h, w]}


def rotated_size(width: int, height: int, angle: float, expand: bool, center, semantics: str = "pil") -> List[int]:
    """The [height, width] F.rotate produces."""
    p = rotate_plan(width, height, angle, expand, center, semantics)
    if p["kind"] == "affine":
        return p["size"]
    return [width, height] if p["kind"] == "quarter" and p["quarter"] != 2 else [height, width]


def rotate(img: np.ndarray, angle: float, interpolation: Any = "nearest", expand: Any = False, center: Any = None, fill: Any = None, out=None,
           semantics: Optional[str] = None) -> np.ndarray:
    """Rotates counter-clockwise by angle degrees (torchvision F.rotate): "pil" is Pillow's Image.rotate
    with its 0/90/180/270 fast paths, "tensor" v2's rotate_image (its rot90 fast paths, then
    grid_sample). fill None: 0 ("pil"), grid_sample's zeros ("tensor", torchvision's fill=None)."""
    check_image(img)
    a = check_finite(angle, "angle")
    interpolation = check_warp_interpolation("nearest" if interpolation is None else interpolation)
    expand = _check_bool(False if expand is None else expand, "expand")
    center = check_center(center)
    sem = check_kernel_semantics(semantics)
    fb = _warp_fill(fill, img, sem)
    plan = rotate_plan(img.shape[1], img.shape[0], a, expand, center, sem)
    if plan["kind"] == "copy":
        o = check_out(out, np.uint8, img.shape)
        if o is None:
            return np.array(img, dtype=np.uint8, order="C")
        np.copyto(o, img.reshape(o.shape))
        return o
    if plan["kind"] == "quarter":
        k = kernel()
        arena = k.arena
        arena.reset()
        src = arena.put(img)
        dst = arena.alloc(img.size)
        k.rotate90(src, img.shape[1], img.shape[0], img.shape[2], plan["quarter"], dst)
        h, w = (img.shape[0], img.shape[1]) if plan["quarter"] == 2 else (img.shape[1], img.shape[0])
        shape = (h, w, img.shape[2])
        return arena.take_u8(dst, img.size, check_out(out, np.uint8, shape), shape)
    return _run_warp(img, plan["matrix"], "affine", interpolation, fb, plan["size"][1], plan["size"][0], sem, "rotate", out)


def inverse_affine_matrix(center, angle: float, translate, scale: float, shear, v2: bool = False) -> List[float]:
    """torchvision's _get_inverse_affine_matrix, computed in the kernel. v2 selects
    torchvision.transforms.v2's order of operations ("tensor"), else v1's ("pil", "tensor-v1")."""
    k = kernel()
    arena = k.arena
    arena.reset()
    m = arena.alloc(64)
    (k.warpAffineMatrixV2 if v2 else k.warpAffineMatrix)(float(center[0]), float(center[1]), float(angle), float(translate[0]), float(translate[1]), float(scale), float(shear[0]), float(shear[1]), m)
    return arena.f64[m >> 3 : (m >> 3) + 6].tolist()


def check_affine_args(a: dict) -> dict:
    """The validated arguments of an affine warp (angle, translate, scale, shear, center)."""
    angle = check_finite(0 if a.get("angle") is None else a["angle"], "angle")
    translate = check_point([0, 0] if a.get("translate") is None else a["translate"], "translate")
    scale = check_finite(1 if a.get("scale") is None else a["scale"], "scale")
    if not scale > 0:
        raise RangeError(f"scale must be > 0, got {scale}")
    shear = check_shear(0 if a.get("shear") is None else a["shear"])
    return {"angle": angle, "translate": translate, "scale": scale, "shear": shear, "center": check_center(a.get("center"))}


def affine(img: np.ndarray, angle: Any = 0, translate: Any = None, scale: Any = 1, shear: Any = 0, interpolation: Any = "nearest", fill: Any = None, center: Any = None, out=None,
           semantics: Optional[str] = None) -> np.ndarray:
    """Affine transform keeping the centre invariant (torchvision F.affine): "pil" is Pillow's AFFINE
    transform with the inverse matrix, "tensor" v2's affine_image (the matrix about the image centre,
    then grid_sample)."""
    check_image(img)
    a = check_affine_args({"angle": angle, "translate": translate, "scale": scale, "shear": shear, "center": center})
    interpolation = check_warp_interpolation("nearest" if interpolation is None else interpolation)
    sem = check_kernel_semantics(semantics)
    fb = _warp_fill(fill, img, sem)
    if sem != "pil":
        # torchvision's tensor kernels take the centre relative to the image centre.
        cc = [a["center"][0] - img.shape[1] * 0.5, a["center"][1] - img.shape[0] * 0.5] if a["center"] is not None else [0, 0]
        m = inverse_affine_matrix(cc, a["angle"], a["translate"], a["scale"], a["shear"], sem == "tensor")
        return _run_warp(img, m, "affine", interpolation, fb, img.shape[1], img.shape[0], sem, "affine", out)
    c = a["center"] if a["center"] is not None else [img.shape[1] * 0.5, img.shape[0] * 0.5]
    m = inverse_affine_matrix(c, a["angle"], a["translate"], a["scale"], a["shear"])
    return _run_warp(img, m, "affine", interpolation, fb, img.shape[1], img.shape[0], sem, "affine", out)


def check_corners(v: Any, name: str):
    """Four corners [[x, y] x 4]: top-left, top-right, bottom-right, bottom-left."""
    if not is_array(v) or len(v) != 4:
        raise TypeError(f"{name} must be four [x, y] corners (top-left, top-right, bottom-right, bottom-left), got {describe(v)}")
    return [check_point(p, f"{name}[{i}]") for i, p in enumerate(v)]


def perspective_coeffs(startpoints: Any, endpoints: Any) -> List[float]:
    """torchvision's _get_perspective_coeffs, solved in f64 in the kernel and rounded to f32."""
    s = check_corners(startpoints, "startpoints")
    e = check_corners(endpoints, "endpoints")
    k = kernel()
    arena = k.arena
    arena.reset()
    pts = arena.alloc(128)
    out = arena.alloc(64)
    scratch = arena.alloc(8 * 72)
    arena.f64[pts >> 3 : (pts >> 3) + 16] = [float(x) for p in s + e for x in p]
    if k.warpPerspectiveCoeffs(pts, out, scratch) != 0:
        raise RangeError(f"startpoints and endpoints give no perspective transform (three or more points on a line): {dumps(s)} -> {dumps(e)}")
    return arena.f64[out >> 3 : (out >> 3) + 8].tolist()


def perspective(img: np.ndarray, startpoints: Any, endpoints: Any, interpolation: Any = "bilinear", fill: Any = None, coefficients: Any = None, out=None,
                semantics: Optional[str] = None) -> np.ndarray:
    """Perspective transform mapping startpoints to endpoints, or by coefficients (torchvision
    F.perspective): "pil" is Pillow's PERSPECTIVE transform, "tensor" v2's perspective_image (its
    float32 grid, then grid_sample)."""
    check_image(img)
    interpolation = check_warp_interpolation("bilinear" if interpolation is None else interpolation)
    sem = check_kernel_semantics(semantics)
    fb = _warp_fill(fill, img, sem)
    if coefficients is not None:
        if startpoints is not None or endpoints is not None:
            raise TypeError("pass either startpoints and endpoints or coefficients (with startpoints = endpoints = None), not both")
        if not is_array(coefficients) or len(coefficients) != 8:
            raise TypeError(f"coefficients must be an array of 8 finite numbers, got {describe(coefficients)}")
        coeffs = [check_finite(v, f"coefficients[{i}]") for i, v in enumerate(coefficients)]
    else:
        coeffs = perspective_coeffs(startpoints, endpoints)
    return _run_warp(img, coeffs, "perspective", interpolation, fb, img.shape[1], img.shape[0], sem, "perspective", out)


def _elastic_run(img: np.ndarray, fill: np.ndarray, interpolation: str, make_field, out=None) -> np.ndarray:
    k = kernel()
    arena = k.arena
    h, w, c = img.shape
    arena.reset()
    field = arena.alloc(w * h * 16)
    make_field(k, arena, field)
    src = arena.put(img)
    f = arena.put(fill)
    dst = arena.alloc(img.size)
    k.elasticWarp(src, w, h, c, field, FILTER[interpolation], f, dst)
    return arena.take_u8(dst, img.size, check_out(out, np.uint8, img.shape), img.shape)


def elastic(img: np.ndarray, displacement: np.ndarray, interpolation: Any = "bilinear", fill: Any = 0, out=None) -> np.ndarray:
    """Elastic transform with a given [1, H, W, 2] displacement (torchvision F.elastic_transform)."""
    check_image(img)
    check_tensor(displacement, "displacement")
    s = displacement.shape
    if len(s) != 4 or s[0] != 1 or s[1] != img.shape[0] or s[2] != img.shape[1] or s[3] != 2:
        raise RangeError(f"displacement must have shape [1, {img.shape[0]}, {img.shape[1]}, 2], got [{', '.join(map(str, s))}]")
    if not np.isfinite(displacement).all():
        raise RangeError("displacement must be finite")
    interpolation = check_warp_interpolation("bilinear" if interpolation is None else interpolation)
    fb = fill_bytes(0 if fill is None else fill, img.shape[2])

    def make(k, arena, field):
        d = arena.put_f32(displacement)
        k.elasticFromDisplacement(d, img.shape[1], img.shape[0], field)

    return _elastic_run(img, fb, interpolation, make, out)


def check_pair(v: Any, name: str, lo: float, exclusive: bool) -> List[Any]:
    """ElasticTransform's alpha or sigma: a number or [x, y]."""
    if is_number(v):
        arr = [v, v]
    elif is_array(v) and len(v) == 1:
        arr = [v[0], v[0]]
    else:
        arr = v
    if not is_array(arr) or len(arr) != 2:
        raise TypeError(f"{name} must be a number or [x, y], got {describe(v)}")
    out = []
    for i, x in enumerate(arr):
        n = check_finite(x, f"{name}[{i}]" if is_array(v) else name)
        if (not n > lo) if exclusive else (not n >= lo):
            raise RangeError(f"{name} must be {'>' if exclusive else '>='} {lo}, got {n}")
        if n > 1e6:
            raise RangeError(f"{name} must be at most 1e6, got {n}")
        out.append(n)
    return out


def elastic_keyed(img: np.ndarray, key: Any, alpha: Any, sigma: Any, interpolation: Any = "bilinear", fill: Any = 0, out=None) -> np.ndarray:
    """ElasticTransform's warp from a field key: displacement drawn in the kernel under key, blurred and scaled."""
    check_image(img)
    if not is_array(key) or len(key) != 2 or not all(is_integer(v) and 0 <= v <= 0xFFFFFFFF for v in key):
        raise TypeError(f"key must be two unsigned 32-bit integers, got {describe(key)}")
    ax, ay = check_pair(alpha, "alpha", 0, False)
    sx, sy = check_pair(sigma, "sigma", 0, True)
    if sx > 1000 or sy > 1000:
        raise RangeError(f"sigma must be at most 1000, got [{sx}, {sy}]")
    interpolation = check_warp_interpolation("bilinear" if interpolation is None else interpolation)
    fb = fill_bytes(0 if fill is None else fill, img.shape[2])

    def make(k, arena, field):
        scratch = arena.alloc(k.elasticScratch(img.shape[1], img.shape[0], float(sx), float(sy)))
        k.elasticField(int(key[0]), int(key[1]), img.shape[1], img.shape[0], float(ax), float(ay), float(sx), float(sy), field, scratch)

    return _elastic_run(img, fb, interpolation, make, out)


def _five_boxes(img: np.ndarray, ch: int, cw: int):
    H, W = img.shape[0], img.shape[1]
    if ch > H or cw > W:
        raise RangeError(f"crop size [{ch}, {cw}] is bigger than the image ({H}x{W})")
    return [[0, 0], [0, W - cw], [H - ch, 0], [H - ch, W - cw], center_crop_offsets(H, W, ch, cw)]


def five_crop(img: np.ndarray, size: Any) -> List[np.ndarray]:
    """The four corner crops and the centre crop (torchvision F.five_crop)."""
    check_image(img)
    ch, cw = check_hw(size)
    zero = np.zeros(img.shape[2], np.uint8)
    return [window(img, t, l, ch, cw, "constant", zero) for t, l in _five_boxes(img, ch, cw)]


def ten_crop(img: np.ndarray, size: Any, vertical_flip: Any = False) -> List[np.ndarray]:
    """five_crop of the image, then of its flip (torchvision F.ten_crop)."""
    check_image(img)
    vf = _check_bool(vertical_flip, "verticalFlip")
    first = five_crop(img, size)
    return first + five_crop(vflip(img) if vf else hflip(img), size)

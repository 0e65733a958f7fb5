"""The geometric calls a transform makes (torchvision's functional calls: crop, pad, resize,
rotate, ...) and what each does to boxes, key points and masks (mirrors src/targets/geometry.ts,
with torchvision 0.28's arithmetic). A geo is a dict {"fn": ..., args}."""
from __future__ import annotations

import math
from typing import List, Optional

import numpy as np

from ..functional.geometry import center_crop_offsets
from ..functional.warp import rotated_size
from ..kernel.instance import kernel
from ..kernel.math import kmath
from .boxes import clamp_boxes, convert_format, parallelogram_to_boxes, rows_array
from .f32 import f, jmax, jmin, jtrunc
from .masks import MASK_OPS, fill_pixel, per_plane
from .points import affine32, affine_points, expand_shift, perspective_points, perspective_thetas
from .types import BoundingBoxes, KeyPoints, Mask, box_size, is_rotated, mask_size


def _center_anchor(canvas: List[int], size: List[int]) -> List[int]:
    """The centre crop's corner, as the image's (lockstep follows the image where torchvision 0.28 is a pixel off)."""
    return center_crop_offsets(canvas[0], canvas[1], size[0], size[1])


# ---------------------------------------------------------------------------------------
# Boxes


def _shift(data: np.ndarray, format: str, dx: float, dy: float) -> np.ndarray:
    per = box_size(format)
    rows = data.reshape(-1, per).tolist()
    points_only = format in ("XYXYXYXY", "XYXY")
    for r in rows:
        r[0] = f(r[0] + dx)
        r[1] = f(r[1] + dy)
        if points_only:
            for k in range(2, per, 2):
                r[k] = f(r[k] + dx)
                r[k + 1] = f(r[k + 1] + dy)
        else:
            for k in range(2, per):
                r[k] = r[k] + 0  # torch adds 0 there (-0 becomes 0)
    return rows_array(rows, per)


def _shift_sub(data: np.ndarray, format: str, dx: float, dy: float) -> np.ndarray:
    per = box_size(format)
    rows = data.reshape(-1, per).tolist()
    points_only = format in ("XYXYXYXY", "XYXY")
    for r in rows:
        r[0] = f(r[0] - dx)
        r[1] = f(r[1] - dy)
        if points_only:
            for k in range(2, per, 2):
                r[k] = f(r[k] - dx)
                r[k + 1] = f(r[k + 1] - dy)
    return rows_array(rows, per)


def _crop_boxes(b: BoundingBoxes, top: int, left: int, height: int, width: int) -> BoundingBoxes:
    d = _shift_sub(b.data, b.format, left, top)
    if b.format == "XYXYXYXY":
        d = parallelogram_to_boxes(d)
    canvas = [height, width]
    return b.replace(canvas_size=canvas, data=clamp_boxes(d, b.format, canvas, b.clamping_mode))


def _flip_boxes(b: BoundingBoxes, horizontal: bool) -> BoundingBoxes:
    H, W = b.canvas_size
    per = box_size(b.format)
    rows = b.data.reshape(-1, per).tolist()
    S = W if horizontal else H
    o = 0 if horizontal else 1
    for d in rows:
        fmt = b.format
        if fmt == "XYXY":
            a, c = d[o], d[o + 2]
            d[o] = -f(c - S)
            d[o + 2] = -f(a - S)
        elif fmt == "XYWH":
            d[o] = -f(f(d[o] + d[o + 2]) - S)
        elif fmt in ("CXCYWH", "CXCYWHR"):
            d[o] = -f(d[o] - S)
            if fmt == "CXCYWHR":
                d[4] = -d[4] if horizontal else f(-d[4] + 180)
        elif fmt == "XYXYXYXY":
            for k in range(o, 8, 2):
                d[k] = -f(d[k] - S)
            t = list(d)
            for k, j in enumerate([2, 3, 0, 1, 6, 7, 4, 5]):
                d[k] = t[j]
        elif fmt == "XYWHR":
            r = f(f(d[4] * f(math.pi)) / 180)
            c, s = f(kmath.cos(r)), f(kmath.sin(r))
            x, y, w = d[0], d[1], d[2]
            if horizontal:
                d[0] = -f(f(x + f(w * c)) - S)
                d[1] = f(y - f(w * s))
                d[4] = -d[4]
            else:
                d[1] = -f(f(y - f(w * s)) - S)
                d[0] = f(x + f(w * c))
                d[4] = f(-d[4] + 180)
    return b.replace(data=rows_array(rows, per))


def _resize_boxes(b: BoundingBoxes, size: List[int]) -> BoundingBoxes:
    H, W = b.canvas_size
    nh, nw = size
    if nh == H and nw == W:
        return b
    rw, rh = f(nw / W), f(nh / H)
    canvas = [nh, nw]
    if not is_rotated(b.format):
        d = b.data.tolist()
        for i in range(0, len(d), 2):
            d[i] = f(d[i] * rw)
            d[i + 1] = f(d[i + 1] * rh)
        return b.replace(canvas_size=canvas, data=np.array(d, np.float32))
    p = convert_format(b.data, b.format, "XYXYXYXY").tolist()
    for i in range(0, len(p), 2):
        p[i] = f(p[i] * rw)
        p[i + 1] = f(p[i + 1] * rh)
    out = clamp_boxes(parallelogram_to_boxes(np.array(p, np.float32)), "XYXYXYXY", canvas, b.clamping_mode)
    return b.replace(canvas_size=canvas, data=convert_format(out, "XYXYXYXY", b.format))


def _corners(xyxy: list) -> list:
    p = []
    for i in range(0, len(xyxy), 4):
        x1, y1, x2, y2 = xyxy[i : i + 4]
        p += [x1, y1, x2, y1, x2, y2, x1, y2]
    return p


def _hull(p: list) -> list:
    out = []
    for i in range(0, len(p), 8):
        xs, ys = p[i : i + 8 : 2], p[i + 1 : i + 8 : 2]
        out += [jmin(*xs), jmin(*ys), jmax(*xs), jmax(*ys)]
    return out


def _map_box_points(b: BoundingBoxes, fn, canvas: List[int], after=None) -> BoundingBoxes:
    rotated = is_rotated(b.format)
    inter = "XYXYXYXY" if rotated else "XYXY"
    bb = convert_format(b.data, b.format, inter).tolist()
    if rotated:
        fn(bb)
        out = parallelogram_to_boxes(np.array(bb, np.float32)).tolist()
    else:
        p = _corners(bb)
        fn(p)
        out = _hull(p)
    if after is not None:
        after(out)
    clamped = clamp_boxes(np.array(out, np.float32), inter, canvas, b.clamping_mode)
    return b.replace(canvas_size=canvas, data=convert_format(clamped, inter, b.format))


def _expanded_to(canvas: List[int], geo: dict) -> List[int]:
    """The canvas after an expanding rotation: the image's own size under its semantics."""
    return rotated_size(canvas[1], canvas[0], geo["angle"], True, geo["center"], geo.get("semantics") or "pil")


def _affine_map(geo: dict, canvas: List[int], empty: bool):
    """What a rotate or affine call does to points on canvas: (output canvas, f32 matrix, shift). The
    matrix is about the centre (the canvas's by default), None when there is nothing to move; the shift
    moves the origin onto an expanding rotation's larger canvas (None otherwise). A rotation is the
    affine map by -angle (torchvision's rotate_bounding_boxes and rotate_keypoints)."""
    H, W = canvas
    expand = geo["fn"] == "rotate" and geo["expand"]
    to = _expanded_to(canvas, geo) if expand else canvas
    if empty:
        return to, None, None
    c = geo["center"] if geo["center"] is not None else [W * 0.5, H * 0.5]
    if geo["fn"] == "rotate":
        m = affine32(c, -geo["angle"], [0, 0], 1, [0, 0])
    else:
        m = affine32(c, geo["angle"], geo["translate"], geo["scale"], geo["shear"])
    return to, m, expand_shift(m, canvas) if expand else None


def _unshift(p, tr) -> None:
    """Moves interleaved points [x, y, ...] by -tr, in place (f32)."""
    for i in range(0, len(p), 2):
        p[i] = f(p[i] - tr[0])
        p[i + 1] = f(p[i + 1] - tr[1])


def _affine_boxes(b: BoundingBoxes, geo: dict) -> BoundingBoxes:
    to, m, tr = _affine_map(geo, b.canvas_size, b.data.size == 0)
    if m is None:
        return b.replace(canvas_size=to)
    return _map_box_points(b, lambda p: affine_points(p, m), to, (lambda out: _unshift(out, tr)) if tr is not None else None)


def _elastic_offsets(key, alpha, sigma, W: int, H: int, cells: List[int]):
    """Pixel offsets (dx, dy) of an elastic field at cells (y * W + x), exact from the kernel's Q22 field."""
    k = kernel()
    arena = k.arena
    arena.reset()
    field = arena.alloc(W * H * 16)
    scratch = arena.alloc(k.elasticScratch(W, H, float(sigma[0]), float(sigma[1])))
    k.elasticField(int(key[0]), int(key[1]), W, H, float(alpha[0]), float(alpha[1]), float(sigma[0]), float(sigma[1]), field, scratch)
    q = arena.u8[field : field + W * H * 16].view(np.int64)

    def at(i):
        return int(q[i]) / 4194304

    return [at(c) for c in cells], [at(c + W * H) for c in cells]


def _elastic_points(p: list, geo: dict, canvas: List[int], ceil: bool) -> None:
    H, W = canvas
    cells, ix, iy = [], [], []
    for i in range(0, len(p), 2):
        x = int(min(max(math.trunc(math.ceil(p[i]) if ceil else p[i]), 0), W - 1))
        y = int(min(max(math.trunc(math.ceil(p[i + 1]) if ceil else p[i + 1]), 0), H - 1))
        ix.append(x)
        iy.append(y)
        cells.append(y * W + x)
    dx, dy = _elastic_offsets(geo["key"], geo["alpha"], geo["sigma"], W, H, cells)
    for k in range(len(cells)):
        p[2 * k] = f(ix[k] - dx[k])
        p[2 * k + 1] = f(iy[k] - dy[k])


def _elastic_boxes(b: BoundingBoxes, geo: dict) -> BoundingBoxes:
    if b.data.size == 0:
        return b
    if not is_rotated(b.format):
        return _map_box_points(b, lambda p: _elastic_points(p, geo, b.canvas_size, True), b.canvas_size)
    c = convert_format(b.data, b.format, "CXCYWHR").reshape(-1, 5)
    pts = c[:, :2].reshape(-1).tolist()
    _elastic_points(pts, geo, b.canvas_size, True)
    c = c.copy()
    c[:, :2] = np.array(pts, np.float32).reshape(-1, 2)
    clamped = clamp_boxes(c.reshape(-1), "CXCYWHR", b.canvas_size, b.clamping_mode)
    return b.replace(data=convert_format(clamped, "CXCYWHR", b.format))


def _check_constant(mode: str, what: str) -> None:
    if mode != "constant":
        raise TypeError(f'padding mode "{mode}" is not supported with {what} (only "constant", as torchvision)')


def map_boxes(geo: dict, b: BoundingBoxes) -> BoundingBoxes:
    """What one geometric call does to boxes (torchvision 0.28's *_bounding_boxes kernels)."""
    fn = geo["fn"]
    if fn == "hflip":
        return _flip_boxes(b, True)
    if fn == "vflip":
        return _flip_boxes(b, False)
    if fn == "crop":
        return _crop_boxes(b, geo["top"], geo["left"], geo["height"], geo["width"])
    if fn == "centerCrop":
        top, left = _center_anchor(b.canvas_size, geo["size"])
        return _crop_boxes(b, top, left, geo["size"][0], geo["size"][1])
    if fn == "pad":
        _check_constant(geo["mode"], "bounding boxes")
        l, t, r, bo = geo["padding"]
        canvas = [b.canvas_size[0] + t + bo, b.canvas_size[1] + l + r]
        return b.replace(canvas_size=canvas, data=clamp_boxes(_shift(b.data, b.format, l, t), b.format, canvas, b.clamping_mode))
    if fn == "resize":
        return _resize_boxes(b, geo["size"])
    if fn in ("rotate", "affine"):
        return _affine_boxes(b, geo)
    if fn == "perspective":
        if b.data.size == 0:
            return b
        t = perspective_thetas(geo["startpoints"], geo["endpoints"])
        return _map_box_points(b, lambda p: perspective_points(p, t), b.canvas_size)
    if fn == "elastic":
        return _elastic_boxes(b, geo)
    raise TypeError(f"unknown geometric call {fn!r}")


# ---------------------------------------------------------------------------------------
# Key points


def _map_xy(k: KeyPoints, fx, fy, canvas=None) -> KeyPoints:
    d = k.data.tolist()
    for i in range(0, len(d), 2):
        d[i] = fx(d[i])
        d[i + 1] = fy(d[i + 1])
    return k.replace(canvas_size=canvas if canvas is not None else k.canvas_size, data=np.array(d, np.float32).reshape(-1))


def _affine_key_points(k: KeyPoints, geo: dict) -> KeyPoints:
    to, m, tr = _affine_map(geo, k.canvas_size, k.data.size == 0)
    if m is None:
        return k.replace(canvas_size=to)
    d = k.data.tolist()
    affine_points(d, m)
    if tr is not None:
        _unshift(d, tr)
    return k.replace(canvas_size=to, data=np.array(d, np.float32))


def map_key_points(geo: dict, k: KeyPoints) -> KeyPoints:
    """What one geometric call does to key points (torchvision 0.28's *_keypoints kernels; no clamping)."""
    H, W = k.canvas_size
    fn = geo["fn"]
    same = lambda v: v  # noqa: E731
    if fn == "hflip":
        return _map_xy(k, lambda x: -f(x - (W - 1)), same)
    if fn == "vflip":
        return _map_xy(k, same, lambda y: -f(y - (H - 1)))
    if fn == "crop":
        return _map_xy(k, lambda x: f(x - geo["left"]), lambda y: f(y - geo["top"]), [geo["height"], geo["width"]])
    if fn == "centerCrop":
        top, left = _center_anchor(k.canvas_size, geo["size"])
        return _map_xy(k, lambda x: f(x - left), lambda y: f(y - top), list(geo["size"]))
    if fn == "pad":
        _check_constant(geo["mode"], "key points")
        l, t, r, b = geo["padding"]
        return _map_xy(k, lambda x: f(x + l), lambda y: f(y + t), [H + t + b, W + l + r])
    if fn == "resize":
        nh, nw = geo["size"]
        if nh == H and nw == W:
            return k
        rw, rh = f(nw / W), f(nh / H)
        return _map_xy(k, lambda x: f(x * rw), lambda y: f(y * rh), [nh, nw])
    if fn in ("rotate", "affine"):
        return _affine_key_points(k, geo)
    if fn == "perspective":
        if k.data.size == 0:
            return k
        t = perspective_thetas(geo["startpoints"], geo["endpoints"])
        d = k.data.tolist()
        perspective_points(d, t)
        return k.replace(data=np.array(d, np.float32))
    if fn == "elastic":
        if k.data.size == 0:
            return k
        d = k.data.tolist()
        _elastic_points(d, geo, k.canvas_size, False)
        return k.replace(data=np.array(d, np.float32))
    raise TypeError(f"unknown geometric call {fn!r}")


# ---------------------------------------------------------------------------------------
# Masks


def _mask_fill(geo: dict, m: Mask) -> List[int]:
    if geo["fill"] is None:
        raise TypeError(f'{geo["fn"]}: this transform\'s fill is per channel, which torchvision does not accept for masks either; give fill as {{"image": [...], "mask": n}}')
    return fill_pixel(m, geo["fill"])


def map_mask(geo: dict, m: Mask) -> Mask:
    """What one geometric call does to a mask: the image op with nearest interpolation, plane by plane."""
    H, W = mask_size(m)
    fn = geo["fn"]
    ops = MASK_OPS
    if fn == "hflip":
        return per_plane(m, ops["hflip"])
    if fn == "vflip":
        return per_plane(m, ops["vflip"])
    if fn == "crop":
        return per_plane(m, lambda p: ops["window"](p, geo["top"], geo["left"], geo["height"], geo["width"], "constant", [0] * p.shape[2]))
    if fn == "centerCrop":
        top, left = center_crop_offsets(H, W, geo["size"][0], geo["size"][1])
        return per_plane(m, lambda p: ops["window"](p, top, left, geo["size"][0], geo["size"][1], "constant", [0] * p.shape[2]))
    if fn == "pad":
        l, t, r, b = geo["padding"]
        fill = _mask_fill(geo, m) if geo["mode"] == "constant" else fill_pixel(m, 0)
        return per_plane(m, lambda p: ops["window"](p, -t, -l, H + t + b, W + l + r, geo["mode"], fill))
    if fn == "resize":
        return per_plane(m, lambda p: ops["resize"](p, geo["size"]))
    if fn == "rotate":
        fill = _mask_fill(geo, m)
        to = _expanded_to([H, W], geo) if geo["expand"] else None
        return per_plane(m, lambda p: ops["rotate"](p, geo["angle"], to, geo["center"], fill))
    if fn == "affine":
        fill = _mask_fill(geo, m)
        return per_plane(m, lambda p: ops["affine"](p, geo, fill))
    if fn == "perspective":
        fill = _mask_fill(geo, m)
        return per_plane(m, lambda p: ops["perspective"](p, geo["startpoints"], geo["endpoints"], fill))
    if fn == "elastic":
        fill = _mask_fill(geo, m)
        return per_plane(m, lambda p: ops["elastic"](p, geo["key"], geo["alpha"], geo["sigma"], fill))
    raise TypeError(f"unknown geometric call {fn!r}")


def map_target(geo: dict, t):
    """What one geometric call does to any target."""
    if isinstance(t, BoundingBoxes):
        return map_boxes(geo, t)
    if isinstance(t, KeyPoints):
        return map_key_points(geo, t)
    if isinstance(t, Mask):
        return map_mask(geo, t)
    raise TypeError(f"not a target: {t!r}")

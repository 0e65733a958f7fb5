"""Transforms of the targets themselves (torchvision v2's ConvertBoundingBoxFormat, ClampBoundingBoxes,
ClampKeyPoints, SanitizeBoundingBoxes, SanitizeKeyPoints) and the SSD crop that reads the boxes to
choose its window (RandomIoUCrop); mirrors src/transforms/boxes.ts."""
from __future__ import annotations

import math
import re
from typing import Any, List, Optional

import numpy as np

from .._js import UNDEFINED, is_integer
from ..convert import is_torch_tensor
from ..errors import RangeError
from ..functional.args import check_finite, is_array
from ..functional.semantics import DEFAULT_SEMANTICS
from ..image import describe
from ..targets import clamp_bounding_boxes, clamp_key_points, convert_bounding_box_format
from ..targets.boxes import convert_format, convert_rows, iou_with, valid_boxes
from ..targets.f32 import f
from ..targets.sample import Leaf, TargetState, first_target, has_targets, map_targets, path_name
from ..targets.types import BoundingBoxes, KeyPoints, Mask, box_size, check_format, is_rotated
from .base import Context, Deterministic, Transform
from .params import expect_params, image_meta, is_int, is_object
from .schema import kw, register, req


class ConvertBoundingBoxFormat(Deterministic):
    """Converts every BoundingBoxes of the sample to format (torchvision ConvertBoundingBoxFormat). The image is untouched."""

    type = "ConvertBoundingBoxFormat"

    def __init__(self, format: Any) -> None:
        self.format = check_format(format, "format")

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        return []

    def map_targets(self, params: Any, meta: dict, state: TargetState, semantics: str = DEFAULT_SEMANTICS) -> TargetState:
        return map_targets(state, lambda t, p: convert_bounding_box_format(t, self.format) if isinstance(t, BoundingBoxes) else t)

    def config(self) -> dict:
        return {"format": self.format}


class ClampBoundingBoxes(Deterministic):
    """Clamps boxes to their canvas (torchvision ClampBoundingBoxes): clamping_mode "auto" (default) uses
    each BoundingBoxes' own mode; "soft", "hard" or None override it."""

    type = "ClampBoundingBoxes"

    def __init__(self, clamping_mode: Any = "auto") -> None:
        if clamping_mode not in ("auto", "soft", "hard", None):
            raise RangeError(f'clampingMode must be "auto", "soft", "hard" or null, got {describe(clamping_mode)}')
        self.clamping_mode = clamping_mode

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        return []

    def map_targets(self, params: Any, meta: dict, state: TargetState, semantics: str = DEFAULT_SEMANTICS) -> TargetState:
        def clamp(t, p):
            if not isinstance(t, BoundingBoxes):
                return t
            return clamp_bounding_boxes(t, t.clamping_mode if self.clamping_mode == "auto" else self.clamping_mode)

        return map_targets(state, clamp)

    def config(self) -> dict:
        return {"clampingMode": self.clamping_mode}


class ClampKeyPoints(Deterministic):
    """Clamps key points into [0, W - 1] x [0, H - 1] of their canvas (torchvision ClampKeyPoints)."""

    type = "ClampKeyPoints"

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        return []

    def map_targets(self, params: Any, meta: dict, state: TargetState, semantics: str = DEFAULT_SEMANTICS) -> TargetState:
        return map_targets(state, lambda t, p: clamp_key_points(t) if isinstance(t, KeyPoints) else t)

    def config(self) -> dict:
        return {}


# ---------------------------------------------------------------------------------------
# Sanitizing


def _check_labels_getter(v: Any) -> Any:
    if v == "default" or v is None:
        return v
    if isinstance(v, (list, tuple)) and all(isinstance(p, str) and 0 < len(p) <= 200 for p in v):
        return list(v)
    raise TypeError(f'labelsGetter must be "default", None or a list of paths like ["labels", "iscrowd"], got {describe(v)}')


def _parse_path(p: str) -> tuple:
    return tuple(int(s) if re.fullmatch(r"\d+", s) else s for s in p.split("."))


def _is_labels(v: Any) -> bool:
    return isinstance(v, (list, tuple, np.ndarray)) or is_torch_tensor(v)


def _label_leaves(state: TargetState, getter: Any, who: str, n: int) -> List[int]:
    """The leaves holding labels per getter; their lengths must be n."""
    if getter is None:
        idx: List[int] = []
    elif getter == "default":
        if state.labels < 0:
            what = "key points" if who == "SanitizeKeyPoints" else "boxes"
            raise TypeError(f'{who}: could not find the labels (a "labels" key in the sample, or in its second element); pass labels_getter=None to sanitize only the {what}, or the paths of the labels')
        idx = [state.labels]
    else:
        idx = []
        for p in getter:
            want = _parse_path(p)
            i = next((i for i, l in enumerate(state.leaves) if len(l.path) == len(want) and all(str(x) == str(w) for x, w in zip(l.path, want))), -1)
            if i < 0:
                raise RangeError(f"{who}: labelsGetter path {p!r} names nothing in the sample")
            idx.append(i)
    for i in idx:
        l = state.leaves[i]
        if not _is_labels(l.value):
            raise TypeError(f"{who}: the labels at {path_name(l.path)} must be a list or an array, got {describe(l.value)}")
        if len(l.value) != n:
            what = "key point groups" if who == "SanitizeKeyPoints" else "boxes"
            raise RangeError(f"{who}: {n} {what} but {len(l.value)} labels at {path_name(l.path)}: they must match")
    return idx


def _keep(v: Any, valid: List[bool], per: int = 1) -> Any:
    """The entries (groups of per) of v whose valid flag is set, in v's own type."""
    if isinstance(v, np.ndarray) and per > 1:
        return v.reshape(len(valid), -1)[np.array(valid, bool)].reshape(-1) if valid else v[:0]
    if isinstance(v, np.ndarray):
        return v[np.array(valid, bool)] if valid else v[:0]
    if is_torch_tensor(v):
        import torch
        return v[torch.tensor(valid, dtype=torch.bool)]
    out = [x for x, ok in zip(v, valid) if ok]
    return tuple(out) if isinstance(v, tuple) else out


def _filter_leaf(l: Leaf, valid: List[bool], is_label: bool) -> Leaf:
    v = l.value
    if is_label:
        return l.with_value(_keep(v, valid))
    if isinstance(v, BoundingBoxes):
        if len(v) != len(valid):
            return l
        return l.with_value(v.replace(data=_keep(v.data, valid, box_size(v.format))))
    if isinstance(v, Mask):
        # Per-instance masks ((N, H, W) with N boxes) lose the planes of dropped boxes; label maps pass.
        if len(v.shape) != 3 or v.shape[0] != len(valid):
            return l
        return l.with_value(v.replace(shape=[sum(valid), v.shape[1], v.shape[2]], data=_keep(v.data, valid, v.shape[1] * v.shape[2])))
    return l


def _check_at_least_one(v: Any, name: str) -> Any:
    x = check_finite(v, name)
    if x < 1:
        raise RangeError(f"{name} must be >= 1, got {x}")
    return x


class SanitizeBoundingBoxes(Deterministic):
    """Removes degenerate boxes and their labels and per-instance masks (torchvision
    SanitizeBoundingBoxes): boxes below min_size or min_area, or with a corner outside the canvas.
    Needs the labels (torchvision's heuristic by default: a "labels" key in the sample or its second
    element); labels_getter=None sanitizes boxes and masks only; a list of paths ("labels",
    "1.iscrowd") names them."""

    type = "SanitizeBoundingBoxes"

    def __init__(self, min_size: float = 1, min_area: float = 1, labels_getter: Any = "default") -> None:
        self.min_size = _check_at_least_one(1 if min_size is None else min_size, "minSize")
        self.min_area = _check_at_least_one(1 if min_area is None else min_area, "minArea")
        self.labels_getter = _check_labels_getter(labels_getter)

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        return []

    def map_targets(self, params: Any, meta: dict, state: TargetState, semantics: str = DEFAULT_SEMANTICS) -> TargetState:
        first = first_target(state, BoundingBoxes)
        if first is None:
            raise TypeError("SanitizeBoundingBoxes: no bounding boxes were found in the sample")
        b = first[1]
        labels = _label_leaves(state, self.labels_getter, self.type, len(b))
        valid = valid_boxes(b.data, b.format, b.canvas_size, self.min_size, self.min_area)
        return TargetState([_filter_leaf(l, valid, i in labels) for i, l in enumerate(state.leaves)], state.labels)

    def config(self) -> dict:
        return {"minSize": self.min_size, "minArea": self.min_area, "labelsGetter": self.labels_getter}


class SanitizeKeyPoints(Deterministic):
    """Removes key points (or groups of them, for shapes (N, ..., 2)) outside [0, W) x [0, H) and their
    labels (torchvision SanitizeKeyPoints; labels_getter None by default)."""

    type = "SanitizeKeyPoints"

    def __init__(self, labels_getter: Any = None) -> None:
        self.labels_getter = _check_labels_getter(labels_getter)

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        return []

    def map_targets(self, params: Any, meta: dict, state: TargetState, semantics: str = DEFAULT_SEMANTICS) -> TargetState:
        first = first_target(state, KeyPoints)
        if first is None:
            raise TypeError("SanitizeKeyPoints: no key points were found in the sample")
        k = first[1]
        H, W = k.canvas_size
        groups = k.shape[0] if len(k.shape) > 1 else 1
        per = 0 if groups == 0 else k.data.size // 2 // groups
        d = k.data.tolist()
        valid = []
        for g in range(groups):
            ok = True
            for i in range(g * per, (g + 1) * per):
                x, y = d[2 * i], d[2 * i + 1]
                ok = ok and x >= 0 and x < W and y >= 0 and y < H
            valid.append(ok)
        labels = _label_leaves(state, self.labels_getter, self.type, groups)
        leaves = []
        for i, l in enumerate(state.leaves):
            v = l.value
            if i in labels:
                leaves.append(l.with_value(_keep(v, valid)))
            elif not isinstance(v, KeyPoints) or len(v.shape) < 2 or v.shape[0] != groups:
                leaves.append(l)
            else:
                leaves.append(l.with_value(v.replace(shape=[sum(valid)] + v.shape[1:], data=_keep(v.data, valid, per * 2))))
        return TargetState(leaves, state.labels)

    def config(self) -> dict:
        return {"labelsGetter": self.labels_getter}


# ---------------------------------------------------------------------------------------
# RandomIoUCrop

MAX_ROUNDS = 1000
"""Rounds of option draws before giving up (torchvision loops forever when no crop can qualify)."""


def _rand32(ctx: Context) -> float:
    """torch.rand: a float32 in [0, 1) from 24 bits."""
    return (ctx.rng.next_u32() >> 8) * 2.0**-24


class RandomIoUCrop(Transform):
    """SSD's random crop (torchvision RandomIoUCrop): draws a minimum IoU from sampler_options (>= 1: no
    crop), then up to trials crops whose window holds the centre of a box with at least that IoU;
    boxes whose centre is outside become [0, 0, 0, 0] (follow with SanitizeBoundingBoxes). Needs
    unrotated boxes in the sample. torchvision's float32 draws and arithmetic, from Philox; gives up
    (no crop) after 1000 rounds where torchvision would loop forever."""

    type = "RandomIoUCrop"
    random = True

    def __init__(self, min_scale: float = 0.3, max_scale: float = 1.0, min_aspect_ratio: float = 0.5, max_aspect_ratio: float = 2.0,
                 sampler_options: Optional[List[float]] = None, trials: int = 40) -> None:
        self.min_scale = check_finite(0.3 if min_scale is None else min_scale, "minScale")
        self.max_scale = check_finite(1.0 if max_scale is None else max_scale, "maxScale")
        if not self.min_scale > 0 or self.min_scale > self.max_scale or self.max_scale > 1:
            raise RangeError(f"minScale and maxScale must satisfy 0 < minScale <= maxScale <= 1, got {self.min_scale}, {self.max_scale}")
        self.min_aspect_ratio = check_finite(0.5 if min_aspect_ratio is None else min_aspect_ratio, "minAspectRatio")
        self.max_aspect_ratio = check_finite(2.0 if max_aspect_ratio is None else max_aspect_ratio, "maxAspectRatio")
        if not self.min_aspect_ratio > 0 or self.min_aspect_ratio > self.max_aspect_ratio:
            raise RangeError(f"aspect ratios must satisfy 0 < minAspectRatio <= maxAspectRatio, got {self.min_aspect_ratio}, {self.max_aspect_ratio}")
        so = [0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0] if sampler_options is None else sampler_options
        if not is_array(so) or not 1 <= len(so) <= 100:
            raise TypeError(f"samplerOptions must be a non-empty array of numbers, got {describe(so)}")
        self.sampler_options = [check_finite(v, f"samplerOptions[{i}]") for i, v in enumerate(so)]
        trials = 40 if trials is None else trials
        if not is_integer(trials) or not 1 <= trials <= 10000:
            raise RangeError(f"trials must be an integer in [1, 10000], got {describe(trials)}")
        self.trials = int(trials)

    @property
    def needs_targets(self) -> bool:
        return True

    def make_params(self, ctx: Context, meta: dict, targets: Optional[TargetState] = None) -> Any:
        m = image_meta(meta, self.type)
        W, H = m["width"], m["height"]
        first = first_target(targets, BoundingBoxes)
        if first is None:
            raise TypeError('RandomIoUCrop needs a sample with an image and bounding boxes (e.g. {"image": img, "boxes": ..., "labels": ...}); masks may come too')
        b = first[1]
        if is_rotated(b.format):
            raise TypeError(f"RandomIoUCrop: rotated boxes ({b.format}) are not supported (torchvision cannot convert them to XYXY either)")
        xyxy = convert_rows(b.data, b.format, "XYXY")
        boxes = np.array(xyxy, np.float32).reshape(-1, 4)
        cx = [f(0.5 * f(r[0] + r[2])) for r in xyxy]
        cy = [f(0.5 * f(r[1] + r[3])) for r in xyxy]
        span, lo = f(self.max_scale - self.min_scale), f(self.min_scale)
        rng = ctx.rng
        for _ in range(MAX_ROUNDS):
            min_iou = self.sampler_options[rng.randint(0, len(self.sampler_options))]
            if min_iou >= 1.0:
                return None
            for _ in range(self.trials):
                r0 = f(lo + f(span * _rand32(ctx)))
                r1 = f(lo + f(span * _rand32(ctx)))
                new_w = math.trunc(f(W * r0))
                new_h = math.trunc(f(H * r1))
                if new_w == 0 or new_h == 0:
                    continue  # torchvision divides by zero here
                aspect = new_w / new_h
                if not (self.min_aspect_ratio <= aspect <= self.max_aspect_ratio):
                    continue
                u0, u1 = _rand32(ctx), _rand32(ctx)
                left = math.trunc(f((W - new_w) * u0))
                top = math.trunc(f((H - new_h) * u1))
                right, bottom = left + new_w, top + new_h
                if left == right or top == bottom:
                    continue
                within = [left < x < right and top < y < bottom for x, y in zip(cx, cy)]
                if not any(within):
                    continue
                ious = iou_with(boxes[np.array(within)], [left, top, right, bottom])
                if ious.max() < np.float32(min_iou):  # a NaN maximum passes, as Math.max(...ious) < f(minIoU) does
                    continue
                return {"top": top, "left": left, "height": new_h, "width": new_w, "within": within}
        return None

    def _check_params(self, p: Any) -> None:
        if p is None:
            return
        expect_params(is_object(p) and all(is_int(p.get(k)) for k in ("top", "left", "height", "width")) and p["height"] > 0 and p["width"] > 0
                      and isinstance(p.get("within"), list) and all(isinstance(v, bool) for v in p["within"]),
                      self.type, "null or { top, left, height, width, within: boolean[] }", p)

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        m = image_meta(meta, self.type)
        self._check_params(params)
        if params is None:
            return []
        return [{"op": "window", "top": params["top"], "left": params["left"], "height": params["height"], "width": params["width"], "mode": "constant", "fill": [0] * m["channels"]}]

    def geometry(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        if not self.ops(params, meta):
            return []
        return [{"fn": "crop", "top": params["top"], "left": params["left"], "height": params["height"], "width": params["width"]}]

    def map_targets(self, params: Any, meta: dict, state: TargetState, semantics: str = DEFAULT_SEMANTICS) -> TargetState:
        moved = super().map_targets(params, meta, state, semantics)
        if params is None or not has_targets(moved):
            return moved
        within = params["within"]

        def zero(t, p):  # boxes whose centre left the crop become degenerate [0, 0, 0, 0] for SanitizeBoundingBoxes
            if not isinstance(t, BoundingBoxes):
                return t
            if len(t) != len(within):
                raise RangeError(f"RandomIoUCrop: params.within has {len(within)} entries for {len(t)} boxes")
            d = t.data.copy().reshape(len(within), -1) if within else t.data.copy()
            for i, w in enumerate(within):
                if not w:
                    d[i] = 0
            return t.replace(data=d.reshape(-1))

        return map_targets(moved, zero)

    def config(self) -> dict:
        return {"minScale": self.min_scale, "maxScale": self.max_scale, "minAspectRatio": self.min_aspect_ratio, "maxAspectRatio": self.max_aspect_ratio,
                "samplerOptions": self.sampler_options, "trials": self.trials}


def _opt(f: dict, k: str) -> Any:
    v = f.get(k, UNDEFINED)
    return None if v is UNDEFINED else v


register("ConvertBoundingBoxFormat", ["format"], lambda f, p: ConvertBoundingBoxFormat(req(f, "format")))
register("ClampBoundingBoxes", ["clampingMode"], lambda f, p: ClampBoundingBoxes("auto" if "clampingMode" not in f else f["clampingMode"]))
register("ClampKeyPoints", [], lambda f, p: ClampKeyPoints())
register("SanitizeBoundingBoxes", ["minSize", "minArea", "labelsGetter"],
         lambda f, p: SanitizeBoundingBoxes(min_size=_opt(f, "minSize"), min_area=_opt(f, "minArea"), labels_getter=f.get("labelsGetter", "default")))
register("SanitizeKeyPoints", ["labelsGetter"], lambda f, p: SanitizeKeyPoints(labels_getter=f.get("labelsGetter")))
register("RandomIoUCrop", ["minScale", "maxScale", "minAspectRatio", "maxAspectRatio", "samplerOptions", "trials"],
         lambda f, p: RandomIoUCrop(min_scale=_opt(f, "minScale"), max_scale=_opt(f, "maxScale"), min_aspect_ratio=_opt(f, "minAspectRatio"),
                                    max_aspect_ratio=_opt(f, "maxAspectRatio"), sampler_options=_opt(f, "samplerOptions"), trials=_opt(f, "trials")))

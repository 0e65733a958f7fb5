#!/usr/bin/env python3
"""Generate torchvision 0.28 parity fixtures for lockstep's targets (boxes, key points, masks).

Run with the venv that has torch 2.13 (CPU) and torchvision 0.28:

    /work/venv/bin/python tests/parity/make_fixtures_targets.py

Writes tests/parity/fixtures/targets/cases.json.gz. Deterministic (numpy RandomState, one torch
thread, gzip mtime 0): two runs give identical bytes.

Every case is one lockstep transform (its JSON and its params, as lockstep's replay takes
them) applied to one target on a canvas. The reference is torchvision v2's own
``Transform.transform(inpt, params)`` with the same params translated to torchvision's names,
i.e. the code path ``forward`` runs after ``make_params``; the box utilities and
SanitizeBoundingBoxes / SanitizeKeyPoints run through ``forward``. Outputs: float32 values
(written as Python floats, exact), masks as base64 little-endian bytes, or the exception's
class name when torchvision refuses the input.

Also writes samplers.json.gz: torchvision's own RandomIoUCrop params and MixUp / CutMix lambdas
and boxes (torch.manual_seed(0)), for the Kolmogorov-Smirnov tests of lockstep's samplers.

torchvision 0.28's CPU wheel is a CUDA build; the C++ op registrations are skipped on import
(see ../shared/PLATFORMS.md). Records torch's CPU capability: float32 transcendental results
(sin, cos, atan2, sqrt used by rotated boxes) depend on it.
"""

import base64
import gzip
import io
import json
import math
import os
import sys

import numpy as np
import torch
import torch.library

_orig = torch.library.register_fake
torch.library.register_fake = lambda *a, **k: (lambda fn: fn)
import torchvision  # noqa: E402

torch.library.register_fake = _orig
from torchvision import tv_tensors  # noqa: E402
from torchvision.transforms import v2  # noqa: E402
from torchvision.transforms.functional import _get_perspective_coeffs  # noqa: E402
import torchvision.transforms.v2.functional._geometry as G  # noqa: E402
from PIL import Image  # noqa: E402
import contextlib  # noqa: E402

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures", "targets")
FORMATS = ["XYXY", "XYWH", "CXCYWH", "XYWHR", "CXCYWHR", "XYXYXYXY"]
CANVASES = [(37, 53), (64, 48), (20, 31), (50, 50)]
CASES_PER_TRANSFORM = 24


def f32list(t):
    return [float(v) for v in t.detach().reshape(-1).to(torch.float32).tolist()]


def b64(arr):
    return base64.b64encode(np.ascontiguousarray(arr).astype(arr.dtype.newbyteorder("<")).tobytes()).decode()


# ---------------------------------------------------------------------------------------
# Inputs


def make_boxes(rs, fmt, H, W, n=5):
    """n boxes on H x W in fmt, float32, some partly outside the canvas, none of negative size."""
    rows = []
    for _ in range(n):
        x1 = rs.uniform(-0.2 * W, 0.95 * W)
        y1 = rs.uniform(-0.2 * H, 0.95 * H)
        w = rs.uniform(0.5, 0.6 * W)
        h = rs.uniform(0.5, 0.6 * H)
        r = rs.uniform(-180, 180)
        if fmt == "XYXY":
            rows.append([x1, y1, x1 + w, y1 + h])
        elif fmt == "XYWH":
            rows.append([x1, y1, w, h])
        elif fmt == "CXCYWH":
            rows.append([x1 + w / 2, y1 + h / 2, w, h])
        elif fmt == "XYWHR":
            rows.append([x1, y1, w, h, r])
        elif fmt == "CXCYWHR":
            rows.append([x1 + w / 2, y1 + h / 2, w, h, r])
        else:
            c, s = math.cos(math.radians(r)), math.sin(math.radians(r))
            rows.append([x1, y1, x1 + w * c, y1 - w * s, x1 + w * c + h * s, y1 - w * s + h * c, x1 + h * s, y1 + h * c])
    return np.array(rows, dtype=np.float32)


def make_keypoints(rs, H, W, n=6):
    return np.stack([rs.uniform(-4, W + 4, n), rs.uniform(-4, H + 4, n)], axis=1).astype(np.float32)


def make_masks(rs, H, W, all_kinds=True):
    """A u8 label map of blocks; with all_kinds also 3 u8 instance masks (ellipses) and an i32 label map with large ids."""
    def blocks(n):
        by, bx = max(1, H // int(rs.randint(4, 9))), max(1, W // int(rs.randint(4, 9)))
        labels = rs.randint(0, n, size=(H // by + 1, W // bx + 1))
        return np.kron(labels, np.ones((by, bx), dtype=np.int64))[:H, :W]
    label_map = blocks(6).astype(np.uint8)
    if not all_kinds:
        return [label_map]
    yy, xx = np.mgrid[0:H, 0:W]
    inst = np.stack([(((xx - rs.uniform(0, W)) / rs.uniform(2, W / 2)) ** 2 + ((yy - rs.uniform(0, H)) / rs.uniform(2, H / 2)) ** 2 < 1).astype(np.uint8) for _ in range(3)])
    big = (blocks(4) * 70001 + blocks(3) * 3).astype(np.int32)
    return [label_map, inst, big]


# ---------------------------------------------------------------------------------------
# lockstep transforms, their params, and torchvision's equivalent


def gen_case(rs, kind, H, W):
    """(lockstep json, lockstep params, torchvision transform, torchvision params) for one case."""
    if kind == "RandomHorizontalFlip":
        return {"type": kind, "p": 0.5}, {"flip": True}, v2.RandomHorizontalFlip(p=1), {}
    if kind == "RandomVerticalFlip":
        return {"type": kind, "p": 0.5}, {"flip": True}, v2.RandomVerticalFlip(p=1), {}
    if kind == "RandomCrop":
        ch, cw = int(rs.randint(1, H + 6)), int(rs.randint(1, W + 6))
        pad = [int(v) for v in rs.randint(0, 5, size=4)] if rs.rand() < 0.6 else None
        pin = bool(rs.rand() < 0.7)
        p = list(pad) if pad else [0, 0, 0, 0]
        ph, pw = H + p[1] + p[3], W + p[0] + p[2]
        if pin and ph < ch:
            p[1] += ch - ph
            p[3] += ch - ph
            ph += 2 * (ch - ph)
        if pin and pw < cw:
            p[0] += cw - pw
            p[2] += cw - pw
            pw += 2 * (cw - pw)
        ch, cw = min(ch, ph), min(cw, pw)
        top, left = int(rs.randint(0, ph - ch + 1)), int(rs.randint(0, pw - cw + 1))
        js = {"type": kind, "size": [ch, cw], "padding": pad, "padIfNeeded": pin, "fill": 0, "paddingMode": "constant"}
        tv = v2.RandomCrop((ch, cw), padding=pad, pad_if_needed=pin, fill=0)
        tvp = dict(needs_crop=ph > ch or pw > cw, top=top, left=left, height=ch, width=cw, needs_pad=any(p), padding=p)
        return js, {"top": top, "left": left, "padding": p}, tv, tvp
    if kind == "CenterCrop":
        size = [int(rs.randint(1, H + 8)), int(rs.randint(1, W + 8))]
        return {"type": kind, "size": size}, None, v2.CenterCrop(size), {}
    if kind == "RandomResizedCrop":
        size = [int(rs.randint(4, 70)), int(rs.randint(4, 70))]
        h, w = int(rs.randint(1, H + 1)), int(rs.randint(1, W + 1))
        top, left = int(rs.randint(0, H - h + 1)), int(rs.randint(0, W - w + 1))
        return ({"type": kind, "size": size, "scale": [0.08, 1.0], "ratio": [0.75, 4 / 3], "interpolation": "bilinear", "antialias": True},
                {"top": top, "left": left, "height": h, "width": w}, v2.RandomResizedCrop(size), dict(top=top, left=left, height=h, width=w))
    if kind == "Resize":
        if rs.rand() < 0.5:
            size = int(rs.randint(5, 80))
            return {"type": kind, "size": size, "interpolation": "bilinear", "maxSize": None, "antialias": True}, None, v2.Resize(size), {}
        size = [int(rs.randint(5, 80)), int(rs.randint(5, 80))]
        return {"type": kind, "size": size, "interpolation": "bilinear", "maxSize": None, "antialias": True}, None, v2.Resize(size), {}
    if kind == "Pad":
        pad = [int(v) for v in rs.randint(0, 9, size=4)]
        fill = int(rs.randint(0, 256))
        return {"type": kind, "padding": pad, "fill": fill, "paddingMode": "constant"}, None, v2.Pad(pad, fill=fill), {}
    if kind == "RandomZoomOut":
        r = rs.uniform(1, 3)
        cw, chh = int(W * r), int(H * r)
        left, top = int(rs.randint(0, cw - W + 1)), int(rs.randint(0, chh - H + 1))
        pad = [left, top, cw - left - W, chh - top - H]
        return ({"type": kind, "fill": 0, "sideRange": [1, 3], "p": 0.5}, {"applied": True, "padding": pad},
                v2.RandomZoomOut(fill=0, side_range=(1, 3)), dict(padding=pad))
    if kind == "RandomRotation":
        angle = float(rs.choice([90.0, 180.0, -90.0, 270.0, 0.0])) if rs.rand() < 0.2 else float(rs.uniform(-180, 180))
        expand = bool(rs.rand() < 0.5)
        center = [float(rs.uniform(0, W)), float(rs.uniform(0, H))] if rs.rand() < 0.3 else None
        return ({"type": kind, "degrees": [-180, 180], "interpolation": "nearest", "expand": expand, "center": center, "fill": 0},
                {"angle": angle}, v2.RandomRotation(180, expand=expand, center=center), dict(angle=angle))
    if kind == "RandomAffine":
        angle = float(rs.uniform(-60, 60))
        tr = [float(int(rs.randint(-W // 4, W // 4 + 1))), float(int(rs.randint(-H // 4, H // 4 + 1)))]
        scale = float(rs.uniform(0.6, 1.5))
        shear = [float(rs.uniform(-20, 20)), float(rs.uniform(-20, 20))]
        center = [float(rs.uniform(0, W)), float(rs.uniform(0, H))] if rs.rand() < 0.3 else None
        return ({"type": kind, "degrees": [-60, 60], "translate": [0.25, 0.25], "scale": [0.6, 1.5], "shear": [-20, 20, -20, 20], "interpolation": "nearest", "fill": 0, "center": center},
                {"angle": angle, "translate": tr, "scale": scale, "shear": shear}, v2.RandomAffine(60, center=center), dict(angle=angle, translate=tr, scale=scale, shear=shear))
    if kind == "RandomPerspective":
        d = 0.5
        bw, bh = int(d * (W // 2)) + 1, int(d * (H // 2)) + 1
        r = lambda lo, hi: int(rs.randint(lo, hi))  # noqa: E731
        end = [[r(0, bw), r(0, bh)], [r(W - bw, W), r(0, bh)], [r(W - bw, W), r(H - bh, H)], [r(0, bw), r(H - bh, H)]]
        start = [[0, 0], [W - 1, 0], [W - 1, H - 1], [0, H - 1]]
        return ({"type": kind, "distortionScale": d, "p": 0.5, "interpolation": "bilinear", "fill": 0},
                {"applied": True, "startpoints": start, "endpoints": end}, v2.RandomPerspective(d, p=1), dict(coefficients=_get_perspective_coeffs(start, end)))
    if kind in ("ScaleJitter", "RandomShortestSize", "RandomResize"):
        size = [int(rs.randint(3, 90)), int(rs.randint(3, 90))]
        js = {"ScaleJitter": {"type": kind, "targetSize": [60, 60], "scaleRange": [0.1, 2.0], "interpolation": "bilinear", "antialias": True},
              "RandomShortestSize": {"type": kind, "minSize": [20, 40], "maxSize": None, "interpolation": "bilinear", "antialias": True},
              "RandomResize": {"type": kind, "minSize": 10, "maxSize": 90, "interpolation": "bilinear", "antialias": True}}[kind]
        tv = {"ScaleJitter": v2.ScaleJitter((60, 60)), "RandomShortestSize": v2.RandomShortestSize([20, 40]), "RandomResize": v2.RandomResize(10, 90)}[kind]
        return js, {"size": size}, tv, dict(size=size)
    if kind == "ConvertBoundingBoxFormat":
        fmt = FORMATS[int(rs.randint(0, 6))]
        return {"type": kind, "format": fmt}, None, v2.ConvertBoundingBoxFormat(fmt), {}
    if kind == "ClampBoundingBoxes":
        mode = ["auto", "soft", "hard", None][int(rs.randint(0, 4))]
        return {"type": kind, "clampingMode": mode}, None, v2.ClampBoundingBoxes(clamping_mode=mode), {}
    if kind == "ClampKeyPoints":
        return {"type": kind}, None, v2.ClampKeyPoints(), {}
    raise ValueError(kind)


GEOMETRIC = ["RandomHorizontalFlip", "RandomVerticalFlip", "RandomCrop", "CenterCrop", "RandomResizedCrop", "Resize", "Pad", "RandomZoomOut",
             "RandomRotation", "RandomAffine", "RandomPerspective", "ScaleJitter", "RandomShortestSize", "RandomResize"]


@contextlib.contextmanager
def pillow_canvas(js, params, H, W):
    """For expanding rotations, the canvas of every target is the image's (Pillow's) size.

    torchvision 0.28 sizes the boxes' and key points' canvas from a matrix around the absolute
    centre, which differs from its own image's size in most expanding rotations (a known
    inconsistency); lockstep keeps targets on the image's canvas, so the reference is
    torchvision's arithmetic with _compute_affine_output_size answering the image's size.
    """
    if js["type"] == "CenterCrop":
        # The image pads by floor(d / 2) before cropping; torchvision's box and key point anchor
        # is round(-d / 2), a pixel off its image when d = 3 (mod 4). Anchor them as the image.
        orig = G._center_crop_compute_crop_anchor
        G._center_crop_compute_crop_anchor = lambda ch, cw, ih, iw: (-((ch - ih) // 2) if ch > ih else orig(ch, cw, ih, iw)[0], -((cw - iw) // 2) if cw > iw else orig(ch, cw, ih, iw)[1])
        try:
            yield True
        finally:
            G._center_crop_compute_crop_anchor = orig
        return
    if not (js["type"] == "RandomRotation" and js.get("expand")):
        yield False
        return
    pw, ph = v2.functional.rotate(Image.new("L", (W, H)), params["angle"], expand=True, center=js.get("center")).size
    orig = G._compute_affine_output_size
    G._compute_affine_output_size = lambda m, w, h: (pw, ph)
    try:
        yield True
    finally:
        G._compute_affine_output_size = orig


def run_target(tv, tvp, x):
    try:
        return tv.transform(x, tvp), None
    except Exception as e:  # torchvision refuses this input: lockstep must too
        return None, type(e).__name__


def box_out(y):
    return {"format": y.format.name, "canvasSize": list(y.canvas_size), "data": f32list(y)}


def mask_out(m):
    a = m.detach().numpy()
    return {"shape": list(a.shape), "dtype": "u8" if a.dtype == np.uint8 else "i32", "base64": b64(a.astype(np.uint8 if a.dtype == np.uint8 else np.int32))}


def geometric_cases(rs):
    cases = []
    for kind in GEOMETRIC:
        for k in range(CASES_PER_TRANSFORM):
            H, W = CANVASES[k % len(CANVASES)]
            fmt = FORMATS[k % len(FORMATS)]
            mode = ["soft", "hard", None][(k // len(FORMATS)) % 3]
            js, params, tv, tvp = gen_case(rs, kind, H, W)
            boxes = make_boxes(rs, fmt, H, W)
            kps = make_keypoints(rs, H, W)
            masks = make_masks(rs, H, W, k % 4 == 0)
            c = {"id": f"{kind}#{k}", "transform": js, "params": params, "canvas": [H, W],
                 "boxes": {"format": fmt, "clampingMode": mode, "data": [float(v) for v in boxes.reshape(-1)]},
                 "keypoints": {"shape": list(kps.shape), "data": [float(v) for v in kps.reshape(-1)]},
                 "masks": [{"shape": list(m.shape), "dtype": "u8" if m.dtype == np.uint8 else "i32", "base64": b64(m)} for m in masks]}
            with pillow_canvas(js, params, H, W) as fixed:
                if fixed:
                    c["canvasFix"] = "image-anchor" if kind == "CenterCrop" else "pillow-canvas"
                y, err = run_target(tv, tvp, tv_tensors.BoundingBoxes(torch.from_numpy(boxes), format=fmt, canvas_size=(H, W), clamping_mode=mode))
                c["expectBoxes"] = box_out(y) if err is None else {"error": err}
                y, err = run_target(tv, tvp, tv_tensors.KeyPoints(torch.from_numpy(kps), canvas_size=(H, W)))
                c["expectKeypoints"] = {"canvasSize": list(y.canvas_size), "shape": list(y.shape), "data": f32list(y)} if err is None else {"error": err}
                outs = []
                for m in masks:
                    y, err = run_target(tv, tvp, tv_tensors.Mask(torch.from_numpy(m.astype(np.int32) if m.dtype != np.uint8 else m)))
                    outs.append(mask_out(y) if err is None else {"error": err})
                c["expectMasks"] = outs
            cases.append(c)
    return cases


def utility_cases(rs):
    cases = []
    for kind in ["ConvertBoundingBoxFormat", "ClampBoundingBoxes", "ClampKeyPoints"]:
        for k in range(CASES_PER_TRANSFORM):
            H, W = CANVASES[k % len(CANVASES)]
            fmt = FORMATS[k % len(FORMATS)]
            mode = ["soft", "hard", None][(k // len(FORMATS)) % 3]
            js, params, tv, tvp = gen_case(rs, kind, H, W)
            if kind == "ConvertBoundingBoxFormat":
                # conversions stay within rotated / unrotated
                want = js["format"]
                if (fmt in FORMATS[3:]) != (want in FORMATS[3:]):
                    want = FORMATS[(FORMATS.index(want) + 3) % 6]
                js, tv = {"type": kind, "format": want}, v2.ConvertBoundingBoxFormat(want)
            boxes = make_boxes(rs, fmt, H, W)
            kps = make_keypoints(rs, H, W)
            c = {"id": f"{kind}#{k}", "transform": js, "params": params, "canvas": [H, W],
                 "boxes": {"format": fmt, "clampingMode": mode, "data": [float(v) for v in boxes.reshape(-1)]},
                 "keypoints": {"shape": list(kps.shape), "data": [float(v) for v in kps.reshape(-1)]}, "masks": []}
            bb = tv_tensors.BoundingBoxes(torch.from_numpy(boxes), format=fmt, canvas_size=(H, W), clamping_mode=mode)
            kp = tv_tensors.KeyPoints(torch.from_numpy(kps), canvas_size=(H, W))
            if kind == "ClampKeyPoints":
                y = tv(kp)
                c["expectKeypoints"] = {"canvasSize": list(y.canvas_size), "shape": list(y.shape), "data": f32list(y)}
            else:
                y, err = run_target(tv, tvp, bb)
                c["expectBoxes"] = box_out(y) if err is None else {"error": err}
            cases.append(c)
    # SanitizeBoundingBoxes through forward, with labels and per-instance masks
    for k in range(CASES_PER_TRANSFORM):
        H, W = CANVASES[k % len(CANVASES)]
        fmt = FORMATS[k % len(FORMATS)]
        n = 6
        boxes = make_boxes(rs, fmt, H, W, n)
        # make some degenerate: tiny or zero sized, or outside
        for i in range(n):
            if rs.rand() < 0.3:
                boxes[i, 2:4] = boxes[i, :2] + np.float32(rs.uniform(0, 1.5)) if fmt == "XYXY" else np.float32(rs.uniform(0, 1.5))
        labels = rs.randint(0, 90, size=n)
        inst = (rs.rand(n, H, W) < 0.5).astype(np.uint8)
        min_size, min_area = float(rs.choice([1.0, 1.5, 3.0])), float(rs.choice([1.0, 2.0, 10.0]))
        tv = v2.SanitizeBoundingBoxes(min_size=min_size, min_area=min_area)
        bb = tv_tensors.BoundingBoxes(torch.from_numpy(boxes), format=fmt, canvas_size=(H, W))
        out = tv({"boxes": bb, "labels": torch.from_numpy(labels), "masks": tv_tensors.Mask(torch.from_numpy(inst))})
        cases.append({"id": f"SanitizeBoundingBoxes#{k}", "transform": {"type": "SanitizeBoundingBoxes", "minSize": min_size, "minArea": min_area, "labelsGetter": "default"}, "params": None, "canvas": [H, W],
                      "boxes": {"format": fmt, "clampingMode": "soft", "data": [float(v) for v in boxes.reshape(-1)]}, "labels": [int(v) for v in labels],
                      "masks": [{"shape": list(inst.shape), "dtype": "u8", "base64": b64(inst)}],
                      "expectBoxes": box_out(out["boxes"]), "expectLabels": [int(v) for v in out["labels"].tolist()], "expectMasks": [mask_out(out["masks"])]})
    # SanitizeKeyPoints: points and groups of points
    for k in range(CASES_PER_TRANSFORM):
        H, W = CANVASES[k % len(CANVASES)]
        grouped = k % 2 == 1
        kps = make_keypoints(rs, H, W, 12)
        kps[rs.rand(12) < 0.3, 0] = np.float32(W)  # exactly on the excluded edge
        shape = [4, 3, 2] if grouped else [12, 2]
        kp = tv_tensors.KeyPoints(torch.from_numpy(kps).reshape(shape), canvas_size=(H, W))
        labels = rs.randint(0, 9, size=shape[0])
        out = v2.SanitizeKeyPoints(labels_getter="default")({"keypoints": kp, "labels": torch.from_numpy(labels)})
        cases.append({"id": f"SanitizeKeyPoints#{k}", "transform": {"type": "SanitizeKeyPoints", "labelsGetter": "default"}, "params": None, "canvas": [H, W],
                      "keypoints": {"shape": shape, "data": [float(v) for v in kps.reshape(-1)]}, "labels": [int(v) for v in labels], "masks": [],
                      "expectKeypoints": {"canvasSize": [H, W], "shape": list(out["keypoints"].shape), "data": f32list(out["keypoints"])}, "expectLabels": [int(v) for v in out["labels"].tolist()]})
    # RandomIoUCrop's transform on given params (a crop plus zeroing the boxes whose centre left it)
    for k in range(CASES_PER_TRANSFORM):
        H, W = CANVASES[k % len(CANVASES)]
        fmt = FORMATS[k % 3]
        boxes = make_boxes(rs, fmt, H, W, 6)
        h, w = int(rs.randint(1, H + 1)), int(rs.randint(1, W + 1))
        top, left = int(rs.randint(0, H - h + 1)), int(rs.randint(0, W - w + 1))
        within = [bool(v) for v in rs.rand(6) < 0.6]
        tv = v2.RandomIoUCrop()
        bb = tv_tensors.BoundingBoxes(torch.from_numpy(boxes), format=fmt, canvas_size=(H, W))
        masks = make_masks(rs, H, W)
        y = tv.transform(bb, dict(top=top, left=left, height=h, width=w, is_within_crop_area=torch.tensor(within)))
        m = tv.transform(tv_tensors.Mask(torch.from_numpy(masks[0])), dict(top=top, left=left, height=h, width=w, is_within_crop_area=torch.tensor(within)))
        cases.append({"id": f"RandomIoUCrop#{k}", "transform": {"type": "RandomIoUCrop"}, "params": {"top": top, "left": left, "height": h, "width": w, "within": within}, "canvas": [H, W],
                      "boxes": {"format": fmt, "clampingMode": "soft", "data": [float(v) for v in boxes.reshape(-1)]},
                      "masks": [{"shape": list(masks[0].shape), "dtype": "u8", "base64": b64(masks[0])}],
                      "expectBoxes": box_out(y), "expectMasks": [mask_out(m)]})
    return cases


def mix_cases(rs):
    """MixUp / CutMix's transform on given params: float32 batches and one-hot or probability labels."""
    cases = []
    for k in range(12):
        n, c, h, w = int(rs.randint(2, 5)), int(rs.choice([1, 3])), int(rs.randint(3, 9)), int(rs.randint(3, 9))
        imgs = rs.rand(n, c, h, w).astype(np.float32)
        nc = 7
        if k % 3 == 2:
            lab = rs.dirichlet(np.ones(nc), size=n).astype(np.float32)
            labels = torch.from_numpy(lab)
        else:
            lab = rs.randint(0, nc, size=n)
            labels = torch.from_numpy(lab)
        if k % 2 == 0:
            t = v2.MixUp(num_classes=nc)
            lam = float(np.float32(rs.beta(1, 1)))
            params = {"lam": lam}
            tvp = dict(lam=lam, labels=labels, batch_size=n)
        else:
            t = v2.CutMix(num_classes=nc)
            x1, y1 = int(rs.randint(0, w)), int(rs.randint(0, h))
            box = [x1, y1, int(rs.randint(x1, w + 1)), int(rs.randint(y1, h + 1))]
            lam = float(1.0 - (box[2] - box[0]) * (box[3] - box[1]) / (w * h))
            params = {"box": box, "lam": lam}
            tvp = dict(box=tuple(box), lam_adjusted=lam, labels=labels, batch_size=n)
        out_img = t.transform(torch.from_numpy(imgs), tvp)
        out_lab = t.transform(labels, tvp)
        cases.append({"id": f"{type(t).__name__}#{k}", "transform": {"type": type(t).__name__, "alpha": 1.0, "numClasses": nc}, "params": params,
                      "images": {"shape": [n, c, h, w], "data": [float(v) for v in imgs.reshape(-1)]},
                      "labels": lab.reshape(-1).tolist() if lab.ndim == 1 else {"shape": list(lab.shape), "data": [float(v) for v in lab.reshape(-1)]},
                      "expectImages": f32list(out_img), "expectLabels": {"shape": list(out_lab.shape), "data": f32list(out_lab)}})
    return cases


def samplers():
    """torchvision's own draws: RandomIoUCrop crops for a fixed sample, MixUp lambdas, CutMix boxes."""
    torch.manual_seed(0)
    H, W = 120, 160
    boxes = tv_tensors.BoundingBoxes(torch.tensor([[10.0, 20.0, 60.0, 90.0], [70.0, 15.0, 150.0, 70.0], [30.0, 60.0, 110.0, 115.0]]), format="XYXY", canvas_size=(H, W))
    t = v2.RandomIoUCrop()
    iou = []
    for _ in range(4000):
        p = t.make_params([torch.zeros(3, H, W), boxes])
        iou.append(None if not p else [p["top"], p["left"], p["height"], p["width"]])
    torch.manual_seed(0)
    mix = [float(v2.MixUp(alpha=a, num_classes=10).make_params([])["lam"]) for a in [1.0] for _ in range(4000)]
    torch.manual_seed(0)
    mix02 = [float(v2.MixUp(alpha=0.2, num_classes=10).make_params([])["lam"]) for _ in range(4000)]
    torch.manual_seed(0)
    cut = []
    c = v2.CutMix(alpha=1.0, num_classes=10)
    for _ in range(4000):
        p = c.make_params([torch.zeros(4, 3, H, W)])
        cut.append(list(p["box"]) + [p["lam_adjusted"]])
    return {"iouCrop": {"canvas": [H, W], "boxes": boxes.tolist(), "samples": iou}, "mixupAlpha1": mix, "mixupAlpha02": mix02, "cutmix": {"canvas": [H, W], "samples": cut}}


def write_gz(path, obj):
    raw = json.dumps(obj, separators=(",", ":")).encode()
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0) as g:
        g.write(raw)
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def main():
    os.makedirs(OUT, exist_ok=True)
    rs = np.random.RandomState(20251205)
    versions = {"torch": torch.__version__, "torchvision": torchvision.__version__, "numpy": np.__version__, "cpuCapability": torch.backends.cpu.get_cpu_capability(), "generator": "tests/parity/make_fixtures_targets.py"}
    cases = geometric_cases(rs) + utility_cases(rs)
    write_gz(os.path.join(OUT, "cases.json.gz"), {"versions": versions, "cases": cases, "mix": mix_cases(rs)})
    write_gz(os.path.join(OUT, "samplers.json.gz"), {"versions": versions, **samplers()})
    print(f"wrote {len(cases)} cases to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()

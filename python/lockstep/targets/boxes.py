"""Box maths as torchvision 0.28 computes it, in float32 (mirrors src/targets/boxes.ts, operation for
operation: every + - * / rounded to float32 in torch's order; trigonometry from the kernel)."""
from __future__ import annotations

import math
from typing import List, Optional

import numpy as np

from .f32 import HALF_PI32, INF, NAN, PI32, atan2_32, cos32, f, jmax, jmin, rad32, sin32, sqrt32
from .types import box_size, is_rotated

# ---------------------------------------------------------------------------------------
# Format conversion (torchvision's _convert_bounding_box_format), one box (a list) at a time


def _xywh_to_xyxy(b: list) -> None:
    b[2] = f(b[2] + b[0])
    b[3] = f(b[3] + b[1])


def _xyxy_to_xywh(b: list) -> None:
    b[2] = f(b[2] - b[0])
    b[3] = f(b[3] - b[1])


def _xywh_to_cxcywh(b: list) -> None:
    b[0] = f(b[0] + f(b[2] / 2))
    b[1] = f(b[1] + f(b[3] / 2))


def _cxcywh_to_xywh(b: list) -> None:
    b[0] = f(b[0] - f(b[2] / 2))
    b[1] = f(b[1] - f(b[3] / 2))


def _cxcywh_to_xyxy(b: list) -> None:
    b[0] = f(b[0] - f(b[2] / 2))
    b[1] = f(b[1] - f(b[3] / 2))
    b[2] = f(b[2] + b[0])
    b[3] = f(b[3] + b[1])


def _xyxy_to_cxcywh(b: list) -> None:
    b[2] = f(b[2] - b[0])
    b[3] = f(b[3] - b[1])
    b[0] = f(f(f(b[0] * 2) + b[2]) / 2)
    b[1] = f(f(f(b[1] * 2) + b[3]) / 2)


def _cxcywhr_to_xywhr(b: list) -> None:
    hw, hh = abs(f(b[2] / -2)), abs(f(b[3] / -2))
    r = rad32(b[4])
    c, s = cos32(r), sin32(r)
    b[0] = f(f(b[0] - f(hw * c)) - f(hh * s))
    b[1] = f(f(b[1] + f(hw * s)) - f(hh * c))


def _xywhr_to_cxcywhr(b: list) -> None:
    hw, hh = abs(f(b[2] / -2)), abs(f(b[3] / -2))
    r = rad32(b[4])
    c, s = cos32(r), sin32(r)
    b[0] = f(f(b[0] + f(hw * c)) + f(hh * s))
    b[1] = f(f(b[1] - f(hw * s)) + f(hh * c))


def _xywhr_to_xyxyxyxy(b: list) -> list:
    x, y, w, h = b[0], b[1], b[2], b[3]
    r = rad32(b[4])
    c, s = cos32(r), sin32(r)
    return [x, y, f(x + f(w * c)), f(y - f(w * s)), f(x + f(f(w * c) + f(h * s))), f(y - f(f(w * s) - f(h * c))), f(x + f(h * s)), f(y + f(h * c))]


def _xyxyxyxy_to_xywhr(b: list) -> list:
    r = atan2_32(f(b[1] - b[3]), f(b[2] - b[0]))
    dx3, dy3 = f(b[4] - b[2]), f(b[5] - b[3])
    dx, dy = f(b[2] - b[0]), f(b[3] - b[1])
    return [b[0], b[1], sqrt32(f(f(dx * dx) + f(dy * dy))), sqrt32(f(f(dx3 * dx3) + f(dy3 * dy3))), f(f(r / PI32) * 180)]


def convert_rows(data: np.ndarray, src: str, dst: str) -> List[list]:
    """convert_format as rows of Python floats (the float32 values)."""
    if is_rotated(src) != is_rotated(dst):
        raise TypeError(f"cannot convert between rotated and unrotated boxes ({src} -> {dst})")
    pin = box_size(src)
    rows = data.reshape(-1, pin).tolist()
    if src == dst:
        return rows
    out = []
    for b in rows:
        if not is_rotated(src):
            if src == "XYWH" and dst == "CXCYWH":
                _xywh_to_cxcywh(b)
            elif src == "CXCYWH" and dst == "XYWH":
                _cxcywh_to_xywh(b)
            else:
                if src == "XYWH":
                    _xywh_to_xyxy(b)
                elif src == "CXCYWH":
                    _cxcywh_to_xyxy(b)
                if dst == "XYWH":
                    _xyxy_to_xywh(b)
                elif dst == "CXCYWH":
                    _xyxy_to_cxcywh(b)
            out.append(b)
            continue
        w = _xyxyxyxy_to_xywhr(b) if src == "XYXYXYXY" else list(b)
        if src == "CXCYWHR":
            _cxcywhr_to_xywhr(w)
        if dst == "XYXYXYXY":
            out.append(_xywhr_to_xyxyxyxy(w))
        else:
            if dst == "CXCYWHR":
                _xywhr_to_cxcywhr(w)
            out.append(w)
    return out


def rows_array(rows: List[list], per: int) -> np.ndarray:
    return np.array(rows, dtype=np.float32).reshape(-1) if rows else np.zeros(0, np.float32)


def convert_format(data: np.ndarray, src: str, dst: str) -> np.ndarray:
    """Converts boxes between formats (torchvision's convert_bounding_box_format); new memory."""
    if src == dst:
        return data.copy()
    return rows_array(convert_rows(data, src, dst), box_size(dst))


# ---------------------------------------------------------------------------------------
# Clamping


def _isclose(a: float, b: float) -> bool:
    if a == b:
        return True
    err = abs(f(a - b))
    return math.isfinite(err) and err <= f(f(1e-8) + abs(f(f(1e-5) * b)))


def _tclamp(x: float, lo: float, hi: float) -> float:
    if x != x or lo != lo or hi != hi:
        return NAN
    return jmin(jmax(x, lo), hi)


def _order_index(b: list) -> int:
    ymax = xmax = -INF
    for j in range(4):
        ymax = jmax(ymax, abs(b[2 * j + 1]))
        xmax = jmax(xmax, abs(b[2 * j]))
    best, best_v = 0, INF
    for j in range(4):
        v = f(f(_div(b[2 * j + 1], ymax)) + f(f(_div(b[2 * j], xmax)) * 100))
        if v < best_v or (v != v and best_v == best_v):
            best_v, best = v, j
            if v != v:
                break
    return best


def _div(a: float, b: float) -> float:
    """JavaScript's a / b (Infinity or NaN on a zero divisor)."""
    if b == 0:
        if a != a or a == 0:
            return NAN
        return math.copysign(INF, a) * math.copysign(1, b)
    return a / b


def _rotate_points(b: list, k: int) -> None:
    if k == 0:
        return
    t = list(b)
    for i in range(8):
        b[i] = t[(i + 2 * k) % 8]


def _slopes(b: list):
    a = []
    for j in range(4):
        n = (j + 1) % 4
        a.append(f(_div(f(b[2 * n + 1] - b[2 * j + 1]), f(b[2 * n] - b[2 * j]))))
    c = [f(b[2 * j + 1] - f(a[j] * b[2 * j])) for j in range(4)]
    return a, c


def _nan_max(v: list) -> float:
    return NAN if any(x != x for x in v) else jmax(*v)


def _nan_min(v: list) -> float:
    return NAN if any(x != x for x in v) else jmin(*v)


def _clamp_intercepts(b: list, orig: list, H: float, W: float, hard: bool) -> list:
    a, bb = _slopes(b)
    a1, a2, a3, a4 = a
    b1, b2, b3, b4 = bb
    _, bm = _slopes(orig)
    b1m, b2m, b3m, b4m = bm
    nb1 = _tclamp(_tclamp(b2, b1, b3), 0, H)
    nb4 = _tclamp(_tclamp(b3, b2, b4), 0, H)
    b1, b4 = nb1, nb4
    if hard:
        avg = f(f(b1 + b4) / 2)
        b1 = b4 = avg
        c2 = [f(_div(f(b1 * a2), a1)), f(_div(f(b3 * a2), a3)), f(f(f(a1 - a2) * W) + b1), f(f(f(a3 - a2) * W) + b3)]
        b2 = _tclamp(_nan_max(c2), -INF, b2)
        c3 = [f(f(H * f(1 - f(_div(a3, a4)))) + f(_div(f(b4 * a3), a4))),
              f(f(H * f(1 - f(_div(a3, a2)))) + f(_div(f(b2 * a3), a2))),
              f(f(f(a2 - a3) * W) + b2),
              f(f(f(a4 - a3) * W) + b4)]
        b3 = _tclamp(_nan_min(c3), b3, INF)
        # b1 and b4 are one tensor in torchvision here: clamping one clamps both.
        v = _tclamp(b1, b1m, b3m)
        b3 = _tclamp(b3, b1m, b3m)
        b2 = _tclamp(b2, b2m, b4m)
        v = _tclamp(v, b2m, b4m)
        return [v, b2, b3, v]
    b1 = _tclamp(b1, b1m, b3m)
    b3 = _tclamp(b3, b1m, b3m)
    b2 = _tclamp(b2, b2m, b4m)
    b4 = _tclamp(b4, b2m, b4m)
    return [b1, b2, b3, b4]


def _clamp_along_y(b: list, orig: list, H: float, W: float, hard: bool) -> None:
    a, _ = _slopes(b)
    x1, y1, x2, y2, x3, y3, x4, y4 = b
    bi = _clamp_intercepts(b, orig, H, W, hard)
    case_a = []
    for j in range(4):
        p = (j + 3) % 4
        x = f(_div(-f(bi[j] - bi[p]), f(a[j] - a[p])))
        case_a += [x, f(f(a[j] * x) + bi[j])]
    cond_a = x1 < 0 and not any(v != v for v in case_a)
    cond_b = _isclose(y1, y2) or _isclose(y3, y4)
    cond_c = x1 <= 0 and x2 <= 0 and x3 <= 0 and x4 <= 0
    cond_c = cond_c or _isclose(y1, y4) or _isclose(y2, y3) or (cond_b and _isclose(x1, x2))
    out = list(b)
    if cond_a:
        out = case_a
    if cond_b:
        out = list(b)
        out[0] = jmax(out[0], 0)
        out[6] = jmax(out[6], 0)
    if cond_c:
        out = [0.0] * 8
    b[:] = [f(v) for v in out]


def _clamp_rotated_row(b: list, canvas: List[int], hard: bool) -> None:
    H, W = canvas
    orig = list(b)
    for _ in range(4):
        idx = _order_index(b)
        _rotate_points(b, idx)
        _rotate_points(orig, idx)
        _clamp_along_y(b, orig, H, W, hard)
        _rotate_points(b, idx)
        _rotate_points(orig, idx)
        for p in (b, orig):  # rotate 90 degrees counter-clockwise
            for j in range(4):
                x, y = p[2 * j], p[2 * j + 1]
                p[2 * j] = y
                p[2 * j + 1] = f(W - x)
        H, W = W, H


def clamp_boxes(data: np.ndarray, format: str, canvas: List[int], mode: Optional[str]) -> np.ndarray:
    """Clamps boxes to the canvas as torchvision's clamp_bounding_boxes (see the TypeScript twin); new memory."""
    if mode is None:
        return data.copy()
    H, W = canvas
    if not is_rotated(format):
        rows = convert_rows(data, format, "XYXY")
        for r in rows:
            r[0] = _tclamp(r[0], 0, W)
            r[2] = _tclamp(r[2], 0, W)
            r[1] = _tclamp(r[1], 0, H)
            r[3] = _tclamp(r[3], 0, H)
        xyxy = rows_array(rows, 4)
        return xyxy if format == "XYXY" else convert_format(xyxy, "XYXY", format)
    rows = convert_rows(data, format, "XYXYXYXY")
    for r in rows:
        _clamp_rotated_row(r, canvas, mode == "hard")
    pts = rows_array(rows, 8)
    return pts if format == "XYXYXYXY" else convert_format(pts, "XYXYXYXY", format)


def parallelogram_to_boxes(data: np.ndarray) -> np.ndarray:
    """torchvision's _parallelogram_to_bounding_boxes (XYXYXYXY in and out)."""
    out = []
    for x1, y1, x2, y2, x3, y3, x4, y4 in data.reshape(-1, 8).tolist():
        cx, cy = f(f(x1 + x3) / 2), f(f(y1 + y3) / 2)

        def sq(v):
            return f(v * v)

        wp = sqrt32(f(sq(f(x2 - x1)) + sq(f(y2 - y1))))
        hp = sqrt32(f(sq(f(x4 - x1)) + sq(f(y4 - y1))))
        r12 = atan2_32(f(y1 - y2), f(x2 - x1))
        r14 = atan2_32(f(y1 - y4), f(x4 - x1))
        r = f(r12 - r14)
        sign = -1 if r > HALF_PI32 else 1
        c, s = cos32(r), sin32(r)
        w = f(wp * s) if wp < hp else f(wp + f(f(hp * c) * sign))
        h = f(hp * s) if wp > hp else f(hp + f(f(wp * c) * sign))
        r = f(r14 + HALF_PI32) if hp > wp else r12
        c, s = cos32(r), sin32(r)
        w2, h2 = f(w / 2), f(h / 2)
        w2c, w2s, h2c, h2s = f(w2 * c), f(w2 * s), f(h2 * c), f(h2 * s)
        out.append([f(f(cx - w2c) - h2s), f(f(cy - h2c) + w2s), f(f(cx + w2c) - h2s), f(f(cy - h2c) - w2s),
                    f(f(cx + w2c) + h2s), f(f(cy + h2c) - w2s), f(f(cx - w2c) + h2s), f(f(cy + h2c) + w2s)])
    return rows_array(out, 8)


# ---------------------------------------------------------------------------------------
# Validity and overlap


def valid_boxes(data: np.ndarray, format: str, canvas: List[int], min_size: float, min_area: float) -> List[bool]:
    """torchvision's _get_sanitize_bounding_boxes_mask (see the TypeScript twin)."""
    rotated = is_rotated(format)
    rows = convert_rows(data, format, "XYXYXYXY" if rotated else "XYXY")
    H, W = canvas
    ms, ma = f(min_size), f(min_area)
    valid = []
    for b in rows:
        if rotated:
            dx12, dy12 = f(b[0] - b[2]), f(b[1] - b[3])
            dx23, dy23 = f(b[3] - b[5]), f(b[4] - b[6])
            ws = sqrt32(f(f(dx12 * dx12) + f(dy12 * dy12)))
            hs = sqrt32(f(f(dx23 * dx23) + f(dy23 * dy23)))
        else:
            ws, hs = f(b[2] - b[0]), f(b[3] - b[1])
        ok = ws >= ms and hs >= ms and f(ws * hs) >= ma
        ok = ok and all(v >= 0 for v in b)
        ok = ok and b[0] <= W and b[2] <= W and b[1] <= H and b[3] <= H
        if rotated:
            ok = ok and b[4] <= W and b[5] <= H and b[6] <= W and b[7] <= H
        valid.append(bool(ok))
    return valid


def iou_with(xyxy: np.ndarray, box: List[float]) -> np.ndarray:
    """torchvision.ops.box_iou of (n, 4) float32 XYXY rows against one XYXY box, in float32 (numpy's
    float32 + - * / are the correctly rounded results Math.fround gives; maximum / minimum propagate
    NaN as Math.max / Math.min do; only the sign of a zero can differ, which no comparison sees)."""
    l, t, r, b = (np.float32(v) for v in box)
    area2 = (r - l) * (b - t)
    x1, y1, x2, y2 = xyxy[:, 0], xyxy[:, 1], xyxy[:, 2], xyxy[:, 3]
    area1 = (x2 - x1) * (y2 - y1)
    w = np.maximum(np.minimum(x2, r) - np.maximum(x1, l), np.float32(0))
    h = np.maximum(np.minimum(y2, b) - np.maximum(y1, t), np.float32(0))
    inter = w * h
    with np.errstate(divide="ignore", invalid="ignore"):
        return inter / ((area1 + area2) - inter)

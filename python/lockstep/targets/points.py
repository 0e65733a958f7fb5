"""Point maps shared by boxes and key points (mirrors src/targets/points.ts): torchvision 0.28's
affine and perspective maps in float32, and the matrices behind them from the kernel."""
from __future__ import annotations

from typing import List

from ..errors import RangeError
from ..functional.warp import perspective_coeffs
from ..kernel.instance import kernel
from .f32 import f, jmin


def affine_matrix(center, angle: float, translate, scale: float, shear, inverted: bool) -> List[float]:
    """torchvision 0.28's _get_inverse_affine_matrix (f64, from the kernel); inverted False gives the forward map."""
    k = kernel()
    arena = k.arena
    arena.reset()
    at = arena.alloc(48)
    k.targetAffineMatrix(float(center[0]), float(center[1]), float(angle), float(translate[0]), float(translate[1]), float(scale),
                         float(shear[0]), float(shear[1]), 1 if inverted else 0, at)
    return arena.f64[at >> 3 : (at >> 3) + 6].tolist()


def affine_points(pts: list, m: List[float]) -> None:
    """Maps flat (x, y) pairs in place by a float32 affine matrix [a, b, c, d, e, f]."""
    a, b, c, d, e, g = m
    for i in range(0, len(pts), 2):
        x, y = pts[i], pts[i + 1]
        pts[i] = f(f(f(x * a) + f(y * b)) + c)
        pts[i + 1] = f(f(f(x * d) + f(y * e)) + g)


def affine32(center, angle: float, translate, scale: float, shear) -> List[float]:
    """The forward affine matrix as the float32 tensor torchvision builds from it."""
    return [f(v) for v in affine_matrix(center, angle, translate, scale, shear, False)]


def expand_shift(m: List[float], canvas: List[int]) -> List[float]:
    """The translation torchvision subtracts with expand=True: the minimum of the mapped canvas corners."""
    H, W = canvas
    c = [0.0, 0.0, 0.0, float(H), float(W), float(H), float(W), 0.0]
    affine_points(c, m)
    return [jmin(c[0], c[2], c[4], c[6]), jmin(c[1], c[3], c[5], c[7])]


def perspective_thetas(startpoints, endpoints) -> dict:
    """torchvision's _compute_perspective_thetas as float32 (the image coefficients, inverted in f64)."""
    c = perspective_coeffs(startpoints, endpoints)
    denom = c[0] * c[4] - c[1] * c[3]
    if denom == 0:
        raise RangeError(f"the perspective coefficients {c} cannot be inverted to transform boxes or key points")
    inv = [
        (c[4] - c[5] * c[7]) / denom,
        (-c[1] + c[2] * c[7]) / denom,
        (c[1] * c[5] - c[2] * c[4]) / denom,
        (-c[3] + c[5] * c[6]) / denom,
        (c[0] - c[2] * c[6]) / denom,
        (-c[0] * c[5] + c[2] * c[3]) / denom,
        (-c[4] * c[6] + c[3] * c[7]) / denom,
        (-c[0] * c[7] + c[1] * c[6]) / denom,
    ]
    return {"theta1": [f(v) for v in inv[:6]], "theta2": [f(inv[6]), f(inv[7]), 1.0]}


def perspective_points(pts: list, t: dict) -> None:
    """Maps flat (x, y) pairs in place through perspective thetas, float32."""
    from .boxes import _div
    a, b, c, d, e, g = t["theta1"]
    p, q, r = t["theta2"]
    for i in range(0, len(pts), 2):
        x, y = pts[i], pts[i + 1]
        den = f(f(f(x * p) + f(y * q)) + r)
        pts[i] = f(_div(f(f(f(x * a) + f(y * b)) + c), den))
        pts[i + 1] = f(_div(f(f(f(x * d) + f(y * e)) + g), den))

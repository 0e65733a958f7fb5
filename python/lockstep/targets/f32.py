"""float32 arithmetic as the JavaScript host does it with Math.fround: every + - * / is computed in
double (exact enough for one correctly rounded float32 result) and rounded to float32; and
JavaScript's Math.min / Math.max (NaN wins, -0 < +0), which Python's min / max are not."""
from __future__ import annotations

import ctypes
import math

from ..kernel.math import kmath

_c_float = ctypes.c_float
NAN = float("nan")
INF = float("inf")


def f(x: float) -> float:
    """Math.fround."""
    return _c_float(x).value


def jmax(*v: float) -> float:
    r = -INF
    for x in v:
        if x != x:
            return NAN
        if x > r or (x == 0 and r == 0 and math.copysign(1, r) < 0):
            r = x
    return r


def jmin(*v: float) -> float:
    r = INF
    for x in v:
        if x != x:
            return NAN
        if x < r or (x == 0 and r == 0 and math.copysign(1, x) < 0):
            r = x
    return r


def jtrunc(x: float) -> float:
    """Math.trunc (as a float, so -0 stays)."""
    return float(math.trunc(x)) if math.isfinite(x) else x


PI32 = f(math.pi)
HALF_PI32 = f(math.pi / 2)


def sin32(x: float) -> float:
    return f(kmath.sin(x))


def cos32(x: float) -> float:
    return f(kmath.cos(x))


def atan2_32(y: float, x: float) -> float:
    return f(kmath.atan2(y, x))


def sqrt32(x: float) -> float:
    return f(math.sqrt(x)) if x >= 0 else NAN


def rad32(deg: float) -> float:
    """degrees -> radians as torch: r.mul(pi).div(180) in float32."""
    return f(f(deg * PI32) / 180)

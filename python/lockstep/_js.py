"""JavaScript's number semantics, for a port of the TypeScript host that computes the same values.

Python floats are IEEE doubles like JavaScript numbers, so + - * / and math.sqrt agree. What differs:
Python ints are unbounded, bool is an int, math.floor(inf) raises, division by zero raises, and
JSON number formatting. These helpers give JavaScript's answer.
"""
from __future__ import annotations

import ctypes
import math
import numbers
from typing import Any

import numpy as np

_BIG = 2**1024  # ints at least this large are Infinity as JavaScript numbers

UNDEFINED: Any = type("Undefined", (), {"__repr__": lambda self: "undefined", "__bool__": lambda self: False})()
"""A missing JSON field (JavaScript's undefined), apart from an explicit null (None)."""


def is_number(v: Any) -> bool:
    """typeof v === "number": ints and floats (numpy's too), never bools."""
    t = type(v)
    if t is int or t is float:
        return True
    return isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_))


def is_finite(v: Any) -> bool:
    """Number.isFinite."""
    t = type(v)
    if t is float:
        return math.isfinite(v)
    if t is int:
        return -_BIG < v < _BIG
    if not is_number(v):
        return False
    if isinstance(v, numbers.Integral):
        return -_BIG < int(v) < _BIG
    return math.isfinite(v)


def is_integer(v: Any) -> bool:
    """Number.isInteger."""
    t = type(v)
    if t is int:
        return -_BIG < v < _BIG
    if t is float:
        return math.isfinite(v) and v.is_integer()
    if not is_number(v):
        return False
    if isinstance(v, numbers.Integral):
        return -_BIG < int(v) < _BIG
    return math.isfinite(v) and float(v).is_integer()


def is_safe_integer(v: Any) -> bool:
    """Number.isSafeInteger."""
    return is_integer(v) and abs(v) <= 2**53 - 1


def num(v: Any) -> Any:
    """A checked number as a plain Python int (integral) or float."""
    t = type(v)
    if t is int:
        return v
    if t is float and not v.is_integer():
        return v
    if isinstance(v, numbers.Integral):
        return int(v)
    f = float(v)
    return int(f) if f.is_integer() and abs(f) <= 2**53 else f


def floor(x: float) -> Any:
    """Math.floor: an int, or x itself when it is not finite."""
    return math.floor(x) if math.isfinite(x) else x


def trunc(x: float) -> Any:
    """Math.trunc."""
    return math.trunc(x) if math.isfinite(x) else x


def fround(x: float) -> float:
    """Math.fround: the nearest float32."""
    return ctypes.c_float(x).value


def js_round(x: float) -> Any:
    """Math.round: halves toward +infinity."""
    if not math.isfinite(x):
        return x
    f = math.floor(x)
    return f + 1 if x - f >= 0.5 else f


def number_to_string(x: Any) -> str:
    """Number.prototype.toString (what JSON.stringify writes for a finite number)."""
    if isinstance(x, numbers.Integral) and not isinstance(x, bool):
        x = int(x)
        if abs(x) < 10**21:
            return str(x)
        x = float(x)
    x = float(x)
    if x == 0:
        return "0"
    if not math.isfinite(x):
        return "NaN" if x != x else ("Infinity" if x > 0 else "-Infinity")
    sign = "-" if x < 0 else ""
    r = repr(abs(x))  # shortest round-trip digits, as ECMAScript's
    if "e" in r:
        mant, exp = r.split("e")
        e = int(exp)
    else:
        mant, e = r, 0
    if "." in mant:
        ip, fp = mant.split(".")
    else:
        ip, fp = mant, ""
    digits = (ip + fp).lstrip("0")
    lead = len(ip + fp) - len((ip + fp).lstrip("0"))
    n = len(ip) + e - lead  # decimal point position relative to the first significant digit
    digits = digits.rstrip("0") or "0"
    k = len(digits)
    if k <= n <= 21:
        s = digits + "0" * (n - k)
    elif 0 < n <= 21:
        s = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        s = "0." + "0" * (-n) + digits
    else:
        exp_s = ("+" if n - 1 >= 0 else "-") + str(abs(n - 1))
        s = digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + exp_s
    return sign + s


# JSON.stringify's short escapes; other control characters and lone surrogates take \uXXXX.
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _quote(s: str) -> str:
    out = ['"']
    for ch in s:
        o = ord(ch)
        esc = _ESCAPES.get(ch)
        if esc is not None:
            out.append(esc)
        elif o < 0x20 or 0xD800 <= o <= 0xDFFF:
            out.append("\\u%04x" % o)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def dumps(v: Any) -> str:
    """JSON.stringify(v): no spaces, JavaScript's number formatting, non-finite numbers as null."""
    if v is None or v is UNDEFINED:
        return "null"
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if is_number(v):
        return number_to_string(v) if is_finite(v) else "null"
    if isinstance(v, str):
        return _quote(v)
    if isinstance(v, dict):
        return "{" + ",".join(_quote(str(k)) + ":" + dumps(x) for k, x in v.items() if x is not UNDEFINED) + "}"
    if isinstance(v, (list, tuple)):
        return "[" + ",".join(dumps(x) for x in v) + "]"
    if isinstance(v, np.ndarray):
        return dumps(v.tolist())
    raise TypeError(f"cannot write {type(v).__name__} as JSON")


def to_json_value(v: Any) -> Any:
    """A value as JSON.parse(JSON.stringify(v)) would give it: tuples become lists, -0 becomes 0."""
    if isinstance(v, dict):
        return {str(k): to_json_value(x) for k, x in v.items() if x is not UNDEFINED}
    if isinstance(v, (list, tuple)):
        return [to_json_value(x) for x in v]
    if isinstance(v, np.ndarray):
        return to_json_value(v.tolist())
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if is_number(v):
        if not is_finite(v):
            return None
        return num(v) if isinstance(v, numbers.Integral) or float(v) != 0 else 0
    return v

"""The raw generator (mirrors src/random/philox.ts)."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .._js import is_integer
from ..errors import RangeError
from ..image import describe
from ..kernel.instance import kernel


def _u32s(v: Any, n: int, name: str) -> list:
    if not isinstance(v, (list, tuple, np.ndarray)) or len(v) != n:
        raise TypeError(f"{name} must hold {n} unsigned 32-bit integers, got {describe(v)}")
    out = []
    for i, x in enumerate(v):
        if not is_integer(x) or x < 0 or x > 0xFFFFFFFF:
            raise RangeError(f"{name}[{i}] must be an integer in [0, 2^32), got {describe(x)}")
        out.append(int(x))
    return out


def philox4x32(counter: Sequence[int], key: Sequence[int]) -> np.ndarray:
    """Philox4x32-10 (Random123): the block of 4 uint32 words for counter (4 words) under key (2 words)."""
    c = _u32s(counter, 4, "counter")
    k = _u32s(key, 2, "key")
    kk = kernel()
    at = kk.arena.fixed
    kk.philox(c[0], c[1], c[2], c[3], k[0], k[1], at)
    return kk.arena.u32[at >> 2 : (at >> 2) + 4].copy()

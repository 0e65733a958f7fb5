"""Keys: seeds and JAX-style fold-in (mirrors src/random/keys.ts)."""
from __future__ import annotations

import numbers
from typing import Any, Tuple

from .._js import is_integer, is_safe_integer, is_number
from ..errors import RangeError
from ..image import describe
from ..kernel.instance import kernel

Key = Tuple[int, int]
"""A Philox key: two u32 words. Derived, never drawn from global state."""

TAG = {"epoch": 1, "index": 2, "slot": 3, "generator": 4, "batch": 5}
"""Domain tags folded in with the data, so an epoch, an index and a slot never alias."""
FOLD = 0x666F6C64  # "fold": third counter word of every fold-in; streams use 0 there


def check_seed(seed: Any, name: str = "seed") -> int:
    """Checks a seed: an integer in [0, 2^64) (a float must be a safe integer, as a JavaScript number)."""
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and is_number(seed):
        s = int(seed)
        if s < 0 or s >= 1 << 64:
            raise RangeError(f"{name} must be in [0, 2^64), got {s}")
        return s
    if not is_safe_integer(seed) or seed < 0:
        raise RangeError(f"{name} must be a non-negative integer (below 2^64), got {describe(seed)}")
    return int(seed)


def check_count(v: Any, name: str) -> int:
    """Checks an index or epoch: a non-negative integer at most 2^53 - 1."""
    if not is_safe_integer(v) or v < 0:
        raise RangeError(f"{name} must be a non-negative integer (at most 2^53 - 1), got {describe(v)}")
    return int(v)


def seed_key(seed: Any) -> Key:
    """The root key of a seed: its low and high 32 bits, as JAX's PRNGKey."""
    s = check_seed(seed)
    return (s & 0xFFFFFFFF, s >> 32)


def fold_in(key: Key, data: int, tag: int) -> Key:
    """Folds data (a non-negative integer below 2^53) under domain tag into key with one Philox call."""
    k = kernel()
    at = k.arena.fixed
    k.philox(data & 0xFFFFFFFF, (data >> 32) & 0xFFFFFFFF, FOLD, tag, key[0], key[1], at)
    u = k.arena.u32
    return (int(u[at >> 2]), int(u[(at >> 2) + 1]))


def sample_key(seed: Any, epoch: int, index: int) -> Key:
    """key(seed) -> fold(epoch) -> fold(index): the key of one sample of one epoch."""
    return fold_in(fold_in(seed_key(seed), check_count(epoch, "epoch"), TAG["epoch"]), check_count(index, "index"), TAG["index"])

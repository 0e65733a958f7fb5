"""A keyed, random-access permutation of [0, n) for any n up to 2^53, in O(1) memory
(mirrors src/data/permutation.ts): an alternating Feistel network over the next power of two,
Philox as the round function, cycle walking back into [0, n)."""
from __future__ import annotations

from typing import Any

from .._js import is_integer
from ..errors import RangeError
from ..image import describe
from ..kernel.instance import kernel
from ..random.keys import TAG, Key, check_count, check_seed, fold_in, seed_key

MAX_LENGTH = 2**53
"""The largest size a permutation (and so a dataset) may have."""
SHUFFLE = 0x7065726D  # "perm": domain tag of the shuffle key, folded into the epoch key
ROUND = 0x66737465  # "fste": third counter word of every round call


def _rounds_for(bits: int) -> int:
    """Tiny domains mix slowest, so they get more rounds."""
    return 24 if bits <= 4 else 16


def check_length(n: Any, name: str = "length") -> int:
    """A dataset length: an integer in [0, 2^53]."""
    if not is_integer(n) or n < 0 or n > MAX_LENGTH:
        raise RangeError(f"{name} must be an integer in [0, 2^53], got {describe(n)}")
    return int(n)


def shuffle_key(seed: Any, epoch: int) -> Key:
    """The key of the shuffle of one epoch: key(seed) -> fold(epoch) -> fold(SHUFFLE)."""
    e = fold_in(seed_key(check_seed(seed)), check_count(epoch, "epoch"), TAG["epoch"])
    return fold_in(e, 0, SHUFFLE)


class KeyedPermutation:
    """A bijection of [0, n) keyed by (seed, epoch): at(position) is the element at a position,
    position_of(element) its inverse. A few Philox calls each, no memory, whatever n."""

    def __init__(self, length: int, seed: Any, epoch: int = 0) -> None:
        self.length = check_length(length)
        self.key = shuffle_key(seed, epoch)
        k = max(2, max(0, self.length - 1).bit_length())
        self.rounds = _rounds_for(k)
        self.u = -(-k // 2)
        self.v = k - self.u
        self.pow2v = 1 << self.v
        self.n_hi = self.length >> self.v
        self.n_lo = self.length - (self.n_hi << self.v)

    def at(self, position: int) -> int:
        """The element at position (0 <= position < length)."""
        self._check(position, "position")
        if self.length == 1:
            return 0
        a, b = int(position) >> self.v, int(position) & (self.pow2v - 1)
        while True:
            a, b = self._forward(a, b)
            if self._inside(a, b):
                return (a << self.v) + b

    def position_of(self, element: int) -> int:
        """The position of element: at(position_of(x)) == x."""
        self._check(element, "element")
        if self.length == 1:
            return 0
        a, b = int(element) >> self.v, int(element) & (self.pow2v - 1)
        while True:
            a, b = self._backward(a, b)
            if self._inside(a, b):
                return (a << self.v) + b

    def _check(self, x: Any, name: str) -> None:
        if not is_integer(x) or x < 0 or x >= self.length:
            raise RangeError(f"{name} must be an integer in [0, {self.length}), got {describe(x)}")

    def _inside(self, a: int, b: int) -> bool:
        return a < self.n_hi or (a == self.n_hi and b < self.n_lo)

    def _forward(self, a: int, b: int):
        k = kernel()
        at = k.arena.fixed
        words = k.arena.u32
        philox = k.philox
        k0, k1 = self.key
        for i in range(self.rounds):
            m = self.u if i % 2 == 0 else self.v
            if m == 0:
                f = 0
            else:
                philox(b, i, ROUND, 0, k0, k1, at)
                f = int(words[at >> 2]) & ((1 << m) - 1)
            a, b = b, (a ^ f) & 0xFFFFFFFF
        return a, b

    def _backward(self, a: int, b: int):
        k = kernel()
        at = k.arena.fixed
        words = k.arena.u32
        philox = k.philox
        k0, k1 = self.key
        for i in range(self.rounds - 1, -1, -1):
            m = self.u if i % 2 == 0 else self.v
            if m == 0:
                f = 0
            else:
                philox(a, i, ROUND, 0, k0, k1, at)
                f = int(words[at >> 2]) & ((1 << m) - 1)
            a, b = (b ^ f) & 0xFFFFFFFF, a
        return a, b

"""Draws from one key's Philox stream (mirrors src/random/stream.ts)."""
from __future__ import annotations

from .._js import is_safe_integer
from ..errors import RangeError
from ..image import describe
from ..kernel.instance import kernel
from .keys import Key

BLOCKS = 16  # Philox blocks fetched per kernel call
TWO32 = 4294967296


class Stream:
    """The stream of one key: Philox blocks at counters 0, 1, 2, ... read word by word.

    Conversions are exact, so every host agrees: random() is 53 bits / 2^53, randint is
    Lemire's method on the exact 64-bit product.
    """

    __slots__ = ("key", "block", "words", "pos")

    def __init__(self, key: Key) -> None:
        self.key = key
        self.block = 0
        self.words: list = []
        self.pos = BLOCKS * 4

    def next_u32(self) -> int:
        """A uniform u32."""
        if self.pos == BLOCKS * 4:
            self._refill()
        w = self.words[self.pos]
        self.pos += 1
        return w

    def random(self) -> float:
        """A uniform float in [0, 1) from 53 random bits."""
        a = self.next_u32() >> 5
        b = self.next_u32() >> 6
        return (a * 67108864 + b) / 9007199254740992

    def uniform(self, low: float, high: float) -> float:
        """A uniform float in [low, high)."""
        return low + (high - low) * self.random()

    def randint(self, low: int, high: int) -> int:
        """A uniform integer in [low, high), unbiased (Lemire's method); high - low <= 2^32."""
        if not is_safe_integer(low) or not is_safe_integer(high) or not (1 <= high - low <= TWO32):
            raise RangeError(f"randint needs integers with 1 <= high - low <= 2^32, got [{describe(low)}, {describe(high)})")
        low, high = int(low), int(high)
        n = high - low
        m = self.next_u32() * n
        if (m & 0xFFFFFFFF) < n:
            t = (TWO32 - n) % n
            while (m & 0xFFFFFFFF) < t:
                m = self.next_u32() * n
        return low + (m >> 32)

    def _refill(self) -> None:
        k = kernel()
        at = k.arena.fixed
        k.philoxFill(self.block & 0xFFFFFFFF, (self.block >> 32) & 0xFFFFFFFF, 0, 0, self.key[0], self.key[1], BLOCKS, at)
        self.words = k.arena.u32[at >> 2 : (at >> 2) + BLOCKS * 4].tolist()
        self.block += BLOCKS
        self.pos = 0

    # camelCase twins, so code written against the TypeScript Rng interface (Lambdas) runs unchanged
    nextU32 = next_u32

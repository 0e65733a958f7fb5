"""Which dataset index sits at each position of an epoch (mirrors src/data/sampler.ts): sequential,
shuffled (a keyed permutation, O(1) memory) and sharded over ranks like torch's DistributedSampler."""
from __future__ import annotations

from typing import Any

from .._js import is_integer, is_safe_integer
from ..errors import RangeError
from ..image import describe
from ..random.keys import check_count, check_seed
from .permutation import KeyedPermutation, check_length


class SequentialSampler:
    """Positions in dataset order."""

    def __init__(self, length: int) -> None:
        self.length = check_length(length)

    def at(self, position: int) -> int:
        _check_position(position, self.length)
        return int(position)


class ShuffleSampler:
    """A shuffle keyed by (seed, epoch): random access, the same for every rank and worker."""

    def __init__(self, length: int, seed: Any, epoch: int = 0) -> None:
        self.perm = KeyedPermutation(length, seed, epoch)
        self.length = self.perm.length

    def at(self, position: int) -> int:
        return self.perm.at(position)


class DistributedSampler:
    """One rank's share of an epoch, as torch's DistributedSampler: rank r takes global positions
    r, r + world_size, ... of the (shuffled) epoch. uneven="pad" (torch's drop_last=False) gives every
    rank ceil(n / world_size) positions, the last repeating the epoch's first; "drop" floor(n / world_size)."""

    def __init__(self, length: int, rank: Any, world_size: Any, shuffle: bool = False, seed: Any = None, epoch: Any = 0, uneven: str = "pad") -> None:
        n = check_length(length)
        self.world_size = check_world_size(world_size)
        self.rank = check_rank(rank, self.world_size)
        if uneven not in ("pad", "drop"):
            raise RangeError(f'uneven must be "pad" or "drop", got {describe(uneven)}')
        self.base = ShuffleSampler(n, check_seed(seed), check_count(0 if epoch is None else epoch, "epoch")) if shuffle else SequentialSampler(n)
        self.length = n // self.world_size if uneven == "drop" else -(-n // self.world_size)

    def at(self, position: int) -> int:
        _check_position(position, self.length)
        g = self.rank + int(position) * self.world_size
        return self.base.at(g % self.base.length)


def check_world_size(w: Any) -> int:
    if not is_safe_integer(w) or w < 1:
        raise RangeError(f"worldSize must be a positive integer, got {describe(w)}")
    return int(w)


def check_rank(r: Any, world_size: int) -> int:
    if not is_safe_integer(r) or r < 0 or r >= world_size:
        raise RangeError(f"rank must be an integer in [0, {world_size}) (worldSize {world_size}), got {describe(r)}")
    return int(r)


def _check_position(p: Any, length: int) -> None:
    if not is_integer(p) or p < 0 or p >= length:
        raise RangeError(f"position must be an integer in [0, {length}), got {describe(p)}")

"""Sequential randomness, like torch.Generator (mirrors src/random/generator.ts)."""
from __future__ import annotations

from typing import Any

from .._js import is_safe_integer
from ..errors import RangeError
from .keys import TAG, Key, check_seed, fold_in, seed_key
from .stream import Stream


class Generator:
    """Advances with each use and replays from its seed. Each pipeline call takes the next key
    (next_key()); direct draws (random(), randint(), ...) come from a stream of their own."""

    def __init__(self, seed: Any) -> None:
        self.manual_seed(seed)

    def manual_seed(self, seed: Any) -> "Generator":
        """Resets to the start of seed's sequence."""
        self.seed = check_seed(seed)
        self.calls = 0
        self.stream = Stream(fold_in(seed_key(self.seed), 0, TAG["generator"]))
        return self

    def initial_seed(self) -> int:
        """The seed this generator started from."""
        return self.seed

    def next_key(self) -> Key:
        """A fresh key for one pipeline call; the generator advances by one call."""
        self.calls += 1
        return fold_in(seed_key(self.seed), self.calls, TAG["generator"])

    def get_state(self) -> dict:
        """Position, as the JavaScript host's JSON ({seed: string, calls}). Direct draws are not part of it."""
        return {"seed": str(self.seed), "calls": self.calls}

    def set_state(self, state: dict) -> "Generator":
        """Restores a position from get_state() (or the JavaScript host's getState())."""
        self.manual_seed(int(state["seed"]))
        calls = state.get("calls")
        if not is_safe_integer(calls) or calls < 0:
            raise RangeError(f"state.calls must be a non-negative integer, got {calls}")
        self.calls = int(calls)
        return self

    def next_u32(self) -> int:
        return self.stream.next_u32()

    def random(self) -> float:
        return self.stream.random()

    def uniform(self, low: float, high: float) -> float:
        return self.stream.uniform(low, high)

    def randint(self, low: int, high: int) -> int:
        return self.stream.randint(low, high)

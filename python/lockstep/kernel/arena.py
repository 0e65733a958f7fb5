"""Bump allocator over the kernel's linear memory (mirrors src/kernel/arena.ts)."""
from __future__ import annotations

import numpy as np

from ..errors import RangeError

PAGE = 65536
SLACK = 64
"""Every block gets this much slack after its end: vector loads and stores may run past."""
ARENA_LIMIT = 3 * 1024 * 1024 * 1024
"""The arena never grows wasm memory past this (wasm32 tops out at 4 GiB)."""


def _take(view: np.ndarray, out: np.ndarray | None, shape) -> np.ndarray:
    """A copy of an arena view (shaped when asked), or the view copied into out."""
    if shape is not None:
        view = view.reshape(shape)
    if out is not None:
        np.copyto(out, view.reshape(out.shape))
        return out
    return view.copy()


class Arena:
    """Reset before each call; memory only grows to the largest call seen.

    `u8`, `f32`, `u32` and `f64` are numpy views of the whole memory (no copies), taken again
    whenever the memory grows.
    """

    def __init__(self, k) -> None:
        self.k = k
        self.fixed = (k.heapBase() + 15) & ~15
        """256 bytes that outlive resets, for the RNG's small calls made between ops."""
        self.base = self.fixed + 256
        self.top = self.base
        self.refresh()

    def reset(self) -> None:
        """Frees every block."""
        self.top = self.base

    def alloc(self, nbytes: int) -> int:
        """Reserves nbytes (16-aligned, with slack) and returns its address."""
        at = self.top
        end = at + ((nbytes + SLACK + 15) & ~15)
        if end > ARENA_LIMIT:
            raise RangeError(f"lockstep: this call needs {-(-end // 2**20)} MiB of kernel memory, over the {ARENA_LIMIT // 2**20} MiB limit; use a smaller image")
        have = self.size  # only this arena grows the memory (the kernel never does)
        if end > have:
            self.k.grow(-(-(end - have) // PAGE))
            self.refresh()
        self.top = end
        return at

    def put(self, data: np.ndarray) -> int:
        """Copies uint8 data (any shape and strides: one copy) in and returns its address."""
        at = self.alloc(data.size)
        self.u8[at : at + data.size].reshape(data.shape)[...] = data
        return at

    def put_f32(self, data) -> int:
        """Copies f32 values in and returns its address."""
        a = np.asarray(data, dtype=np.float32)
        at = self.alloc(a.size * 4)
        self.f32[at >> 2 : (at >> 2) + a.size].reshape(a.shape)[...] = a
        return at

    def take_u8(self, at: int, length: int, out: np.ndarray | None = None, shape=None) -> np.ndarray:
        """Copies length bytes at `at` out, into out when given."""
        return _take(self.u8[at : at + length], out, shape)

    def take_f32(self, at: int, length: int, out: np.ndarray | None = None, shape=None) -> np.ndarray:
        """Copies length f32 values at `at` out, into out when given."""
        return _take(self.f32[at >> 2 : (at >> 2) + length], out, shape)

    def refresh(self) -> None:
        buf = self.k.memory_view()
        self.size = buf.size
        self.u8 = buf
        self.f32 = buf.view(np.float32)
        self.u32 = buf.view(np.uint32)
        self.f64 = buf.view(np.float64)

"""The raw exports of build/lockstep.wasm (mirrors src/kernel/exports.ts). Addresses are byte offsets."""

MODE = {"constant": 0, "edge": 1, "reflect": 2, "symmetric": 3}
"""Border modes of extract, as in assembly/geometry.ts."""
FILTER = {"nearest": 0, "bilinear": 1, "bicubic": 2}
"""Filters of resample, as in assembly/resample.ts."""
FLAG = {"hflip": 1, "vflip": 2, "tensor": 4, "torch": 8, "scaleMul": 16}
"""Flags of resample: torch's uint8 resize and v2's scaled ToDtype are the "tensor" semantics."""

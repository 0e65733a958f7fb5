"""Transcendental functions computed inside the wasm kernel (mirrors src/kernel/math.ts).

Use these, never math.log/exp/..., for any value that can reach an output: they are the same
bits as the JavaScript host's on every engine.
"""
from .instance import kernel


class _KMath:
    @staticmethod
    def log(x: float) -> float:
        return kernel().mathLog(float(x))

    @staticmethod
    def exp(x: float) -> float:
        return kernel().mathExp(float(x))

    @staticmethod
    def pow(x: float, y: float) -> float:
        return kernel().mathPow(float(x), float(y))

    @staticmethod
    def sin(x: float) -> float:
        return kernel().mathSin(float(x))

    @staticmethod
    def cos(x: float) -> float:
        return kernel().mathCos(float(x))

    @staticmethod
    def atan2(y: float, x: float) -> float:
        return kernel().mathAtan2(float(y), float(x))


kmath = _KMath()

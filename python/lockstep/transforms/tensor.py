"""ToTensor and Normalize (mirrors src/transforms/tensor.ts)."""
from __future__ import annotations

from typing import Any

from ..functional.tensor import check_mean_std
from ..functional.semantics import DEFAULT_SEMANTICS
from .base import Deterministic
from .schema import register, req


class ToTensor(Deterministic):
    """u8 HWC image -> f32 CHW tensor in [0, 1] (torchvision ToTensor)."""

    type = "ToTensor"

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        """"pil": torchvision's ToTensor (v / 255); "tensor": v2's ToDtype(float32, scale=True) (v * float(1 / 255))."""
        if meta["kind"] != "image":
            raise TypeError("ToTensor expects an image, got a tensor")
        return [{"op": "toTensor", "semantics": semantics}]

    def config(self) -> dict:
        return {}


class Normalize(Deterministic):
    """(x - mean) / std per channel, in f32 (torchvision Normalize). Fused into ToTensor when it follows it."""

    type = "Normalize"

    def __init__(self, mean: Any, std: Any) -> None:
        self.mean, self.std = check_mean_std(mean, std)
        self._fitted: dict = {}  # channel count -> (mean, std): checked once, not on every call

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        if meta["kind"] != "tensor":
            raise TypeError("Normalize expects a tensor: put ToTensor before it")
        s = meta["shape"]
        c = s[-3] if len(s) >= 3 else 1
        fitted = self._fitted.get(c)
        if fitted is None:
            fitted = self._fitted[c] = check_mean_std(self.mean, self.std, c)
        return [{"op": "normalize", "mean": fitted[0], "std": fitted[1]}]

    def config(self) -> dict:
        return {"mean": self.mean, "std": self.std}


register("ToTensor", [], lambda f, p: ToTensor())
register("Normalize", ["mean", "std"], lambda f, p: Normalize(req(f, "mean"), req(f, "std")))

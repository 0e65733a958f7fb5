"""Imports torchvision 0.28 on the venv's CPU torch (PLATFORMS.md): its wheel is a CUDA build whose
C++ ops cannot register their fake kernels on a CPU torch, and the transforms are pure Python, so
torch.library.register_fake is a no-op while the modules import."""
from __future__ import annotations

import importlib


def import_torchvision(*modules: str) -> list:
    """The named modules (e.g. "torchvision.transforms.v2"), imported with register_fake stubbed out."""
    import torch.library

    orig = torch.library.register_fake
    torch.library.register_fake = lambda *a, **k: (lambda fn: fn)
    try:
        return [importlib.import_module(m) for m in modules]
    finally:
        torch.library.register_fake = orig

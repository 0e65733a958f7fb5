"""What users hand in and get back, at the edge of a pipeline (Python only; the TypeScript host
has one image type). Inside, images are uint8 numpy arrays (H, W, C) and tensors float32 arrays.

- numpy uint8 (H, W, C) or (H, W): an image, HWC as numpy and PIL hold them. Any strides: it is
  copied once, straight into the kernel's memory.
- PIL images in mode L, RGB or RGBA: np.asarray of them (other modes: convert first).
- torch uint8 tensors (C, H, W) or (H, W): an image in torchvision's layout (CHW), viewed without
  a copy. torch float32 tensors: tensors.
- numpy / torch float32 arrays: tensors (CHW, NCHW).

Results come back as numpy arrays, or as torch tensors (output="torch", the default for torch
input): torch.from_numpy shares the memory, so no copy is made; uint8 images come back as
(C, H, W) views of the HWC bytes, as torchvision's tensors are laid out.
"""
from __future__ import annotations

import sys
from typing import Any, Optional, Tuple

import numpy as np

from .errors import RangeError
from .image import describe


def _torch():
    return sys.modules.get("torch")


def is_torch_tensor(x: Any) -> bool:
    t = _torch()
    return t is not None and isinstance(x, t.Tensor)


def is_pil_image(x: Any) -> bool:
    pil = sys.modules.get("PIL.Image")
    return pil is not None and isinstance(x, pil.Image)


def to_sample(x: Any, name: str = "input") -> Tuple[np.ndarray, str]:
    """(numpy sample, where it came from: "numpy", "pil" or "torch")."""
    if isinstance(x, np.ndarray):
        return _from_numpy(x, name), "numpy"
    if is_torch_tensor(x):
        t = x.detach()
        if t.device.type != "cpu":
            raise TypeError(f"{name} must be a CPU tensor (lockstep runs on the CPU through wasm), got a tensor on {t.device}")
        if t.dtype == _torch().uint8:
            if t.dim() == 2:
                return _from_numpy(t.numpy()[:, :, None], name), "torch"
            if t.dim() != 3:
                raise RangeError(f"{name}: a uint8 torch tensor must be an image (C, H, W) or (H, W), got shape {tuple(t.shape)}")
            return _from_numpy(t.numpy().transpose(1, 2, 0), name), "torch"
        if t.dtype == _torch().float32:
            return _from_numpy(t.numpy(), name), "torch"
        raise TypeError(f"{name} must be a uint8 (image) or float32 (tensor) torch tensor, got {t.dtype}")
    if is_pil_image(x):
        if x.mode not in ("L", "RGB", "RGBA"):
            raise TypeError(f'{name} is a PIL image in mode {x.mode}; convert it first: img.convert("RGB") (lockstep takes L, RGB and RGBA)')
        return _from_numpy(np.asarray(x), name), "pil"
    raise TypeError(f"{name} must be a numpy array (uint8 HWC image or float32 tensor), a PIL image or a torch tensor, got {describe(x)}")


def _from_numpy(a: np.ndarray, name: str) -> np.ndarray:
    if a.dtype == np.uint8:
        if a.ndim == 2:
            return a[:, :, None]
        if a.ndim != 3:
            raise RangeError(f"{name}: a uint8 image must have shape (height, width, channels) or (height, width), got {tuple(a.shape)}")
        return a
    if a.dtype == np.float32:
        return a
    raise TypeError(f"{name} has dtype {a.dtype}: images are uint8 (H, W, C), tensors float32 (C, H, W); convert it first (e.g. .astype(np.uint8) for an image in [0, 255])")


def check_output(output: Any) -> Optional[str]:
    if output not in (None, "numpy", "torch"):
        raise RangeError(f'output must be "numpy", "torch" or None (as the input), got {describe(output)}')
    if output == "torch" and _torch() is None:
        try:
            import torch  # noqa: F401
        except ImportError as e:
            raise TypeError('output="torch" needs PyTorch: pip install "lockstep[torch]"') from e
    return output


def from_sample(y: np.ndarray, source: str, output: Optional[str]) -> Any:
    """The result as numpy, or as a torch tensor sharing its memory."""
    want = output or ("torch" if source == "torch" else "numpy")
    if want == "numpy":
        return y
    torch = _torch()
    t = torch.from_numpy(y)
    return t.permute(2, 0, 1) if y.dtype == np.uint8 else t


def out_array(out: Any) -> Optional[np.ndarray]:
    """The numpy view of an out= buffer (a numpy array, or a CPU torch tensor: viewed, not copied)."""
    if out is None or isinstance(out, np.ndarray):
        return out
    if is_torch_tensor(out):
        if out.device.type != "cpu":
            raise TypeError("out must be on the CPU")
        if out.dtype == _torch().uint8 and out.dim() == 3:
            hwc = out.permute(1, 2, 0)
            if not hwc.is_contiguous():
                raise TypeError("a uint8 torch out must be a (C, H, W) view of HWC bytes, as lockstep returns images: torch.empty(h, w, c, dtype=torch.uint8).permute(2, 0, 1)")
            return hwc.numpy()
        if not out.is_contiguous():
            raise TypeError("out must be a contiguous tensor")
        return out.numpy()
    raise TypeError(f"out must be a numpy array or a torch tensor, got {describe(out)}")

"""JPEG compression artefacts (torchvision v2 F.jpeg: encode_jpeg, then decode_jpeg) and the encoder
on its own, both in the kernel (mirrors src/functional/jpeg.ts)."""
from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .._js import UNDEFINED, is_integer
from ..errors import RangeError
from ..image import check_image, describe
from ..kernel.instance import kernel
from .resample import check_out

# Info block slots used here (assembly/codec/info.ts).
INFO_WIDTH = 1
INFO_HEIGHT = 2
INFO_BYTES = 4
INFO_SCRATCH = 5
INFO_END = 10
INFO_JPEG_OPTIONS = 26
INFO_BLOCK = 128
E_ENC_SPACE = 13
"""jpegEncode's status for an output buffer that is too small (assembly/codec/status.ts)."""


def check_quality(q: Any, name: str = "quality") -> int:
    """A JPEG quality: an integer in [1, 100] (torchvision's encode_jpeg and JPEG)."""
    if isinstance(q, bool) or not is_integer(q) or q < 1 or q > 100:
        raise RangeError(f"{name} must be an integer in [1, 100], got {describe(q)}")
    return int(q)


def check_jpeg_image(img: Any, name: str = "img") -> np.ndarray:
    """An image JPEG can code: 1 (grey) or 3 (RGB) channels, as torchvision's encode_jpeg."""
    i = check_image(img, name)
    if i.shape[2] not in (1, 3):
        raise RangeError(f"{name}.channels must be 1 (grey) or 3 (RGB) to code as JPEG (torchvision's encode_jpeg takes no alpha), got {i.shape[2]}")
    return i


def _internal(what: str, status: int) -> Exception:
    return RuntimeError(f"lockstep: internal error: the kernel's JPEG {what} returned status {status}; please report it with the image size")


def _encode_in_kernel(img: np.ndarray, quality: int):
    """Encodes img in the kernel (arena reset first); returns (kernel, address, length) of the file."""
    k = kernel()
    arena = k.arena
    h, w, c = img.shape
    arena.reset()
    src = arena.put(img)
    info = arena.alloc(INFO_BLOCK)
    scratch = arena.alloc(k.jpegEncodeScratch(w, h, c))
    bound = k.jpegEncodeBound(w, h, c)
    cap = min(bound, w * h * c + 2048)
    dst = arena.alloc(cap)
    status = k.jpegEncode(src, w, h, c, quality, dst, cap, scratch, info)
    if status == E_ENC_SPACE and cap < bound:
        cap = bound
        dst = arena.alloc(cap)
        status = k.jpegEncode(src, w, h, c, quality, dst, cap, scratch, info)
    if status != 0:
        raise _internal("encoder", status)
    return k, dst, int(arena.u32[(info >> 2) + INFO_END])


def encode_jpeg(img: np.ndarray, quality: Any = UNDEFINED) -> bytes:
    """Encodes a grey or RGB image as a baseline JPEG with the bytes torchvision's
    encode_jpeg(img, quality) writes (Pillow's save(quality=q) writes the same). quality: 1..100, default 75."""
    check_jpeg_image(img)
    q = check_quality(75 if quality is UNDEFINED else quality, "quality")
    k, at, length = _encode_in_kernel(img, q)
    return k.arena.u8[at : at + length].tobytes()


def jpeg(img: np.ndarray, quality: Any, out: Optional[np.ndarray] = None) -> np.ndarray:
    """JPEG compression artefacts (torchvision v2 F.jpeg): encode_jpeg at quality, then libjpeg-turbo's decode, in the kernel."""
    check_jpeg_image(img)
    check_quality(quality)
    o = check_out(out, np.uint8, img.shape)
    k, at, length = _encode_in_kernel(img, int(quality))
    arena = k.arena
    info = arena.alloc(INFO_BLOCK)
    arena.u32[(info >> 2) + INFO_JPEG_OPTIONS] = 0
    status = k.jpegInfo(at, length, info)
    if status != 0:
        raise _internal("decoder's header pass", status)
    slots = arena.u32[info >> 2 : (info >> 2) + 32].copy()
    h, w, c = img.shape
    if slots[INFO_WIDTH] != w or slots[INFO_HEIGHT] != h or slots[INFO_BYTES] != c:
        raise _internal("decoder's header pass", -1)
    scratch = arena.alloc(int(slots[INFO_SCRATCH]))
    dst = arena.alloc(img.size)
    status = k.jpegDecode(at, length, info, dst, scratch)
    if status != 0:
        raise _internal("decoder", status)
    return arena.take_u8(dst, img.size, o, img.shape)

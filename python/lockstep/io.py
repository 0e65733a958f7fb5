"""Image files to arrays through the kernel's decoders (mirrors src/io/decode.ts).

PNG and JPEG are decoded by build/lockstep.wasm itself, so the bytes equal Pillow 12.3's
``Image.open(f).convert(mode)`` and equal what the JavaScript host decodes, on every machine.
Other formats (BMP, GIF, TIFF...) go through Pillow when it is installed (the JavaScript host uses
jimp for them: only PNG and JPEG carry the same-bytes promise).
"""
from __future__ import annotations

import io as _io
from typing import Literal

import numpy as np

from .errors import RangeError
from .image import MAX_PIXELS, MAX_SIDE
from .kernel.instance import kernel

DecodeMode = Literal["RGB", "RGBA", "L", "keep"]

DEFAULT_MAX_PIXELS = 2 * 89_478_485
"""Pillow's decompression-bomb error limit: ``2 * Image.MAX_IMAGE_PIXELS``."""

# assembly/codec/info.ts and image.ts
_INFO_WORDS = 32
_WIDTH, _HEIGHT, _FORMAT, _MODE, _ORIENTATION, _FLAGS = 1, 2, 0, 3, 6, 7
_OUT_WIDTH, _OUT_HEIGHT, _OUT_CHANNELS, _OUT_SCRATCH, _JPEG_OPTIONS = 19, 20, 21, 22, 26
_WANT = {"keep": 0, "L": 2, "RGB": 4, "RGBA": 5}
_MODE_NAMES = ["", "1", "L", "LA", "RGB", "RGBA", "P", "I;16", "CMYK"]
_AUX_BYTES = 1024
_E_FORMAT, _E_TOO_LARGE = 1, 2


class DecodeError(ValueError):
    """A file that could not be decoded: truncated, corrupt, or a kind lockstep does not decode.

    ``code`` is the kernel's status (assembly/codec/status.ts); ``reason`` is "unsupported",
    "truncated" or "corrupt". The message is the kernel's, word for word what the JavaScript host says.
    """

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code
        self.reason = "unsupported" if code < 100 else "truncated" if code < 200 else "corrupt"


def _as_bytes(data) -> np.ndarray:
    if isinstance(data, (bytes, bytearray, memoryview)):
        b = np.frombuffer(data, dtype=np.uint8)
    elif isinstance(data, np.ndarray) and data.dtype == np.uint8 and data.ndim == 1:
        b = data
    else:
        raise TypeError(f"decode: data must be bytes, a bytearray, a memoryview or a 1-D uint8 array, got {type(data).__name__}")
    if b.size == 0:
        raise TypeError("decode: empty input (0 bytes); expected the bytes of an image file")
    return b


def _first_bytes(b: np.ndarray) -> str:
    n = min(b.size, 8)
    return f"first bytes {' '.join(f'{x:02x}' for x in b[:n])}{' …' if b.size > n else ''}, {b.size} bytes"


def _check(k, status: int, info: int, b: np.ndarray | None = None) -> None:
    if status == 0:
        return
    a = k.arena
    cap = 512
    at = a.alloc(cap)
    n = k.codecMessage(status, info, at, cap)
    text = bytes(a.u8[at : at + n]).decode("ascii")
    if status == _E_TOO_LARGE:
        raise RangeError(f"decode: {text}")
    if status == _E_FORMAT and b is not None:
        raise TypeError(f"decode: {text} ({_first_bytes(b)}); lockstep reads PNG and JPEG (other formats through Pillow)")
    raise DecodeError(f"decode: {text}", status)


def _is_kernel_format(b: np.ndarray) -> bool:
    head = bytes(b[:8])
    return head.startswith(b"\x89PNG\r\n\x1a\n"[: len(head)]) or head[:1] == b"\xff"


def decode(data, mode: DecodeMode = "keep", *, apply_exif_orientation: bool = False, max_pixels: int = DEFAULT_MAX_PIXELS, allow_truncated: bool = False) -> np.ndarray:
    """Decodes a PNG or JPEG file to a uint8 HWC array (2-D for one channel is not used: always HWC).

    ``mode`` as Pillow's ``.convert(mode)``: "RGB", "RGBA", "L", or "keep" the file's channels (grey 1,
    colour 3, with alpha or a palette with transparency 4). ``apply_exif_orientation`` gives
    ``ImageOps.exif_transpose``'s bytes; ``max_pixels`` refuses larger images from the header before
    anything is allocated; ``allow_truncated`` decodes a cut JPEG as Pillow's LOAD_TRUNCATED_IMAGES.
    Raises TypeError (not an image, bad arguments), RangeError (a ValueError: over the size limits) or
    DecodeError (a ValueError: truncated, corrupt or unsupported).
    """
    b = _as_bytes(data)
    if mode not in _WANT:
        raise TypeError(f'decode: mode must be "RGB", "RGBA", "L" or "keep", got {mode!r}')
    if not isinstance(apply_exif_orientation, bool):
        raise TypeError(f"decode: apply_exif_orientation must be a bool, got {apply_exif_orientation!r}")
    if not isinstance(allow_truncated, bool):
        raise TypeError(f"decode: allow_truncated must be a bool, got {allow_truncated!r}")
    if isinstance(max_pixels, bool) or not isinstance(max_pixels, int) or max_pixels < 1:
        raise RangeError(f"decode: max_pixels must be a positive integer, got {max_pixels!r}")
    if not _is_kernel_format(b):
        return _decode_other(b, mode, max_pixels)
    k, src, info, word = _header(b)
    a = k.arena
    width, height = word(_WIDTH), word(_HEIGHT)
    what = "PNG" if word(_FORMAT) == 1 else "JPEG"
    if width > MAX_SIDE or height > MAX_SIDE:
        raise RangeError(f"decode: the {what} is {width}x{height}, over lockstep's limit of {MAX_SIDE} pixels a side")
    limit = min(max_pixels, MAX_PIXELS)
    if width * height > limit:
        which = "maxPixels" if limit == max_pixels else "lockstep's MAX_PIXELS"
        raise RangeError(f"decode: the {what} is {width}x{height} = {width * height} pixels, over the limit of {limit} ({which}); refused before decoding")
    _check(k, k.imagePlan(info, _WANT[mode], 1 if apply_exif_orientation else 0), info)
    scratch_bytes = word(_OUT_SCRATCH)
    if scratch_bytes < 0:
        raise RangeError(f"decode: the {what} needs over 2 GiB of working memory to decode")
    ow, oh, oc = word(_OUT_WIDTH), word(_OUT_HEIGHT), word(_OUT_CHANNELS)
    if allow_truncated:
        a.u32[(info >> 2) + _JPEG_OPTIONS] = 1
    dst = a.alloc(ow * oh * oc)
    aux = a.alloc(_AUX_BYTES)
    scratch = a.alloc(scratch_bytes)
    _check(k, k.imageDecode(src, b.size, info, dst, aux, scratch), info)
    return a.take_u8(dst, ow * oh * oc, shape=(oh, ow, oc))


def _header(b: np.ndarray):
    """Puts the file in a fresh arena and reads its header: (kernel, file, info block, info word reader)."""
    k = kernel()
    a = k.arena
    a.reset()
    src = a.put(b)
    info = a.alloc(_INFO_WORDS * 4)
    a.u32[info >> 2 : (info >> 2) + _INFO_WORDS] = 0
    _check(k, k.imageInfo(src, b.size, info), info, b)

    def word(slot: int) -> int:
        return int(a.u32[(info >> 2) + slot].astype(np.int32))

    return k, src, info, word


def read_info(data) -> dict:
    """What a PNG or JPEG header says: format, width, height, Pillow's mode, orientation (no pixels)."""
    b = _as_bytes(data)
    k, _, _, word = _header(b)
    keep = k.keepMode(word(_MODE), word(_FLAGS))
    fmt = "png" if word(_FORMAT) == 1 else "jpeg"
    return {
        "format": fmt,
        "width": word(_WIDTH),
        "height": word(_HEIGHT),
        "mode": _MODE_NAMES[word(_MODE)] if 0 < word(_MODE) < len(_MODE_NAMES) else "?",
        "channels": 1 if keep == 2 else 3 if keep == 4 else 4,
        "orientation": word(_ORIENTATION),
        "progressive": fmt == "jpeg" and bool(word(_FLAGS) & 1),
        "interlaced": fmt == "png" and bool(word(_FLAGS) & 2),
    }


def _decode_other(b: np.ndarray, mode: str, max_pixels: int) -> np.ndarray:
    try:
        from PIL import Image
    except ImportError:
        raise TypeError(f"decode: not a PNG or JPEG file ({_first_bytes(b)}); other formats need Pillow (pip install Pillow)") from None
    try:
        im = Image.open(_io.BytesIO(b.tobytes()))
    except Exception:  # noqa: BLE001 - Pillow says "cannot identify image file"
        raise TypeError(f"decode: not a PNG or JPEG file ({_first_bytes(b)}); lockstep reads PNG and JPEG (other formats through Pillow)") from None
    w, h = im.size
    if w > MAX_SIDE or h > MAX_SIDE or w * h > min(max_pixels, MAX_PIXELS):
        raise RangeError(f"decode: the {im.format} is {w}x{h}, over the size limit")
    if mode == "keep":
        mode = "L" if im.mode in ("1", "L", "I;16", "I", "F") else "RGBA" if ("A" in im.mode or "transparency" in im.info) else "RGB"
    out = np.asarray(im.convert(mode))
    return out.reshape(h, w, -1).copy()

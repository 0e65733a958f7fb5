"""Colour ops: torchvision.transforms.functional on u8 images, with torchvision's bytes under each
semantics (functional/semantics.py): "pil" (Pillow 12.3 through torchvision: assembly/pilcolor.ts),
"tensor" (torchvision 0.28's v2 uint8 kernels: assembly/tvcolor.ts) and "tensor-v1" (the v1 tensor
kernels AugMix runs: assembly/color.ts). Every pixel is computed in the kernel (mirrors
src/functional/color.ts).

Channels: 1 (grey), 3 (RGB) or 4 (RGBA: the colour ops act on RGB and copy alpha). On grey images
adjust_saturation and adjust_hue return the image unchanged, as torchvision does."""
from __future__ import annotations

from typing import Any, Callable, Optional

import numpy as np

from .._js import is_finite, is_integer, num
from ..errors import RangeError
from ..image import check_image, describe
from ..kernel.instance import kernel
from .args import check_finite, check_int, is_array
from .resample import check_out
from .semantics import check_kernel_semantics

MAX_FACTOR = 1e6
"""Largest factor accepted by the adjust* ops (beyond it every output is saturated anyway)."""


def check_factor(v: Any, name: str) -> Any:
    """A non-negative factor (brightness, contrast, saturation, sharpness, gamma)."""
    if not is_finite(v) or v < 0 or v > MAX_FACTOR:
        raise RangeError(f"{name} must be a finite number in [0, {int(MAX_FACTOR)}], got {describe(v)}")
    return num(v)


def check_hue(v: Any, name: str = "hueFactor") -> Any:
    """A hue shift in [-0.5, 0.5]."""
    if not is_finite(v) or v < -0.5 or v > 0.5:
        raise RangeError(f"{name} must be a finite number in [-0.5, 0.5], got {describe(v)}")
    return num(v)


def check_bits(v: Any, name: str = "bits") -> int:
    """Posterize bits: an integer in [0, 8]."""
    return check_int(v, name, 0, 8)


def check_threshold(v: Any, name: str = "threshold") -> Any:
    """Solarize threshold: a number in [0, 255]."""
    if not is_finite(v) or v < 0 or v > 255:
        raise RangeError(f"{name} must be a finite number in [0, 255], got {describe(v)}")
    return num(v)


def check_permutation(v: Any, n: int, name: str = "permutation") -> list:
    """A permutation of 0..n-1."""
    if not is_array(v) or len(v) != n or not all(is_integer(x) and 0 <= x < n for x in v) or len({int(x) for x in v}) != n:
        raise RangeError(f"{name} must be a permutation of [{', '.join(str(i) for i in range(n))}] (one entry per channel), got {describe(v)}")
    return [int(x) for x in v]


def _semantics_of(semantics: Any) -> str:
    return check_kernel_semantics(semantics, "semantics")


def _unchanged(img: np.ndarray, out: Optional[np.ndarray]) -> np.ndarray:
    """A copy of the image (into out when given): what the ops return when they change nothing."""
    arena = kernel().arena
    arena.reset()
    return _result(img, img.shape[2], arena.put(img), out)


def _result(img: np.ndarray, channels: int, dst: int, out: Optional[np.ndarray]) -> np.ndarray:
    h, w = img.shape[0], img.shape[1]
    shape = (h, w, channels)
    return kernel().arena.take_u8(dst, h * w * channels, check_out(out, np.uint8, shape), shape)


def _through_lut(img: np.ndarray, out: Optional[np.ndarray], fill: Callable[[Any, int, int], None], per_channel: bool = False) -> np.ndarray:
    """Runs fill(k, luts, src) (one table, or one per colour channel when per_channel) and maps the image through them."""
    k = kernel()
    arena = k.arena
    c = img.shape[2]
    arena.reset()
    src = arena.put(img)
    luts = arena.alloc(768)
    fill(k, luts, src)
    if not per_channel and c != 1:
        m = arena.u8
        m[luts + 256 : luts + 512] = m[luts : luts + 256]
        m[luts + 512 : luts + 768] = m[luts : luts + 256]
    dst = arena.alloc(img.size)
    k.colorApplyLut(src, img.shape[0] * img.shape[1], c, luts, dst)
    return _result(img, c, dst, out)


def adjust_brightness(img: np.ndarray, brightness_factor: float, out: Optional[np.ndarray] = None, semantics: Optional[str] = None) -> np.ndarray:
    """Scales brightness (torchvision F.adjust_brightness): 0 is black, 1 the original. Pillow's blend
    with black is the same table as the tensor kernels' (v * factor).clamp(0, 255): every semantics."""
    check_image(img)
    r = check_factor(brightness_factor, "brightnessFactor")
    _semantics_of(semantics)
    return _through_lut(img, out, lambda k, lut, src: k.colorLutBlend(r, 1 - r, 0.0, lut))


def adjust_contrast(img: np.ndarray, contrast_factor: float, out: Optional[np.ndarray] = None, semantics: Optional[str] = None) -> np.ndarray:
    """Blends with the mean grey level (torchvision F.adjust_contrast): 0 gives a flat grey image, 1 the
    original. "pil": ImageEnhance.Contrast (the grey mean rounded to an integer, Pillow's blend);
    "tensor": v2's float mean and fused blend."""
    check_image(img)
    r = check_factor(contrast_factor, "contrastFactor")
    sem = _semantics_of(semantics)
    n = img.shape[0] * img.shape[1]
    c = img.shape[2]

    def fill(k, lut, src):
        if sem == "pil":
            k.pilLutBlend(k.pilContrastMean(src, n, c), r, lut)
        elif sem == "tensor":
            k.tvLutBlend(r, 1 - r, k.tvMean(src, n, c), lut)
        else:
            k.colorLutBlend(r, 1 - r, k.colorMean(src, n, c, k.arena.alloc(n)), lut)

    return _through_lut(img, out, fill)


def adjust_saturation(img: np.ndarray, saturation_factor: float, out: Optional[np.ndarray] = None, semantics: Optional[str] = None) -> np.ndarray:
    """Blends each pixel with its grey value (torchvision F.adjust_saturation): 0 is grey, 1 the original.
    Grey images come back unchanged, as torchvision returns them."""
    check_image(img)
    r = check_factor(saturation_factor, "saturationFactor")
    sem = _semantics_of(semantics)
    if img.shape[2] == 1:
        return _unchanged(img, out)
    k = kernel()
    arena = k.arena
    c = img.shape[2]
    n = img.shape[0] * img.shape[1]
    arena.reset()
    src = arena.put(img)
    dst = arena.alloc(img.size)
    if sem == "pil":
        k.pilColor(src, n, c, r, dst)
    elif sem == "tensor":
        k.tvSaturation(src, n, c, r, 1 - r, dst)
    else:
        grey = arena.alloc(img.size)
        k.colorGrayscale(src, n, c, c, grey)
        k.colorBlend(src, grey, img.size, c, r, 1 - r, dst)
    return _result(img, c, dst, out)


def adjust_hue(img: np.ndarray, hue_factor: float, out: Optional[np.ndarray] = None, semantics: Optional[str] = None) -> np.ndarray:
    """Shifts the hue by hue_factor turns, in [-0.5, 0.5] (torchvision F.adjust_hue). "pil": Pillow's HSV
    bytes, the hue byte shifted by int(hue_factor * 255); "tensor": v2's float32 HSV. Grey images come
    back unchanged, as torchvision returns them."""
    check_image(img)
    hf = check_hue(hue_factor)
    sem = _semantics_of(semantics)
    if img.shape[2] == 1:
        return _unchanged(img, out)
    k = kernel()
    arena = k.arena
    arena.reset()
    src = arena.put(img)
    dst = arena.alloc(img.size)
    n = img.shape[0] * img.shape[1]
    if sem == "pil":
        k.pilHue(src, n, img.shape[2], hf, dst)
    else:
        k.tvHue(src, n, img.shape[2], hf, dst)
    return _result(img, img.shape[2], dst, out)


def adjust_gamma(img: np.ndarray, gamma: float, gain: float = 1, out: Optional[np.ndarray] = None, semantics: Optional[str] = None) -> np.ndarray:
    """Gamma correction 255 * gain * (v / 255) ** gamma, clamped (torchvision F.adjust_gamma): "pil" is
    torchvision's float64 point table, "tensor" v2's float32 one."""
    check_image(img)
    g = check_factor(gamma, "gamma")
    kk = check_finite(gain, "gain")
    if abs(kk) > MAX_FACTOR:
        raise RangeError(f"gain must be a finite number in [-{int(MAX_FACTOR)}, {int(MAX_FACTOR)}], got {kk}")
    sem = _semantics_of(semantics)

    def fill(k, lut, src):
        if sem == "pil":
            k.pilLutGamma(g, kk, lut)
        elif sem == "tensor":
            k.tvLutGamma(g, kk, lut)
        else:
            k.colorLutGamma(g, kk, lut)

    return _through_lut(img, out, fill)


def adjust_sharpness(img: np.ndarray, sharpness_factor: float, out: Optional[np.ndarray] = None, semantics: Optional[str] = None) -> np.ndarray:
    """Blends with a smoothed image ([1 1 1; 1 5 1; 1 1 1] / 13 inside, the border unchanged) (torchvision
    F.adjust_sharpness): 0 blurs, 1 is the original, 2 sharpens. "pil": ImageFilter.SMOOTH and Pillow's
    blend; "tensor": the rounded convolution and v2's fused blend. Sides of 1 or 2 pixels come back unchanged."""
    check_image(img)
    r = check_factor(sharpness_factor, "sharpnessFactor")
    sem = _semantics_of(semantics)
    h, w, c = img.shape
    if w <= 2 or h <= 2:
        return _unchanged(img, out)
    k = kernel()
    arena = k.arena
    n = img.size
    arena.reset()
    src = arena.put(img)
    degenerate = arena.alloc(n)
    dst = arena.alloc(n)
    if sem == "pil":
        k.pilSmooth(src, w, h, c, degenerate)
        k.pilBlend(src, degenerate, n, c, r, dst)
    else:
        k.colorBlur3(src, w, h, c, degenerate)
        if sem == "tensor":
            k.tvSharpness(src, degenerate, n, c, 1 - r, dst)
        else:
            k.colorBlend(src, degenerate, n, c, r, 1 - r, dst)
    return _result(img, c, dst, out)


def rgb_to_grayscale(img: np.ndarray, num_output_channels: int = 1, out: Optional[np.ndarray] = None, semantics: Optional[str] = None) -> np.ndarray:
    """Converts to grey (torchvision F.rgb_to_grayscale): "pil" is convert("L"),
    (19595 r + 38470 g + 7471 b + 2^15) >> 16; "tensor" v2's 0.2989 r + 0.587 g + 0.114 b truncated.
    1 output channel drops RGBA's alpha; 3 gives grey RGB, plus the alpha for RGBA. A grey image is
    copied (1) or repeated thrice (3), as Pillow and v2 do ("tensor-v1" keeps it one channel)."""
    check_image(img)
    if num_output_channels not in (1, 3) or isinstance(num_output_channels, bool):
        raise RangeError(f"numOutputChannels must be 1 or 3, got {describe(num_output_channels)}")
    sem = _semantics_of(semantics)
    c = img.shape[2]
    # v1's tensor kernel expands a grey image to its own shape: it stays one channel.
    out_c = 1 if num_output_channels == 1 or (sem == "tensor-v1" and c == 1) else (4 if c == 4 else 3)
    k = kernel()
    arena = k.arena
    arena.reset()
    src = arena.put(img)
    n = img.shape[0] * img.shape[1]
    dst = arena.alloc(n * out_c)
    if sem == "pil":
        k.pilGrey(src, n, c, out_c, dst)
    elif sem == "tensor":
        k.tvGrayscale(src, n, c, out_c, dst)
    else:
        k.colorGrayscale(src, n, c, out_c, dst)
    return _result(img, out_c, dst, out)


def invert(img: np.ndarray, out: Optional[np.ndarray] = None, semantics: Optional[str] = None) -> np.ndarray:
    """255 - v (torchvision F.invert; the same bytes under every semantics)."""
    check_image(img)
    _semantics_of(semantics)
    return _through_lut(img, out, lambda k, lut, src: k.colorLutInvert(lut))


def posterize(img: np.ndarray, bits: int, out: Optional[np.ndarray] = None, semantics: Optional[str] = None) -> np.ndarray:
    """Keeps the top bits of each value, bits in [0, 8] (torchvision F.posterize; every semantics)."""
    check_image(img)
    b = check_bits(bits)
    _semantics_of(semantics)
    return _through_lut(img, out, lambda k, lut, src: k.colorLutPosterize(b, lut))


def solarize(img: np.ndarray, threshold: float, out: Optional[np.ndarray] = None, semantics: Optional[str] = None) -> np.ndarray:
    """Inverts values >= threshold, threshold in [0, 255] (torchvision F.solarize; every semantics)."""
    check_image(img)
    t = check_threshold(threshold)
    _semantics_of(semantics)
    return _through_lut(img, out, lambda k, lut, src: k.colorLutSolarize(t, lut))


def autocontrast(img: np.ndarray, out: Optional[np.ndarray] = None, semantics: Optional[str] = None) -> np.ndarray:
    """Stretches each channel to [0, 255] from its own minimum and maximum (torchvision F.autocontrast):
    "pil" is ImageOps' float64 table, "tensor" v2's float32 division."""
    check_image(img)
    sem = _semantics_of(semantics)
    c = img.shape[2]
    cc = 3 if c == 4 else c

    def fill(k, luts, src):
        mm = k.arena.alloc(112)
        k.colorMinMax(src, img.shape[0] * img.shape[1], c, mm)
        m = k.arena.u8
        lut = k.pilLutAutocontrast if sem == "pil" else k.tvLutAutocontrast if sem == "tensor" else k.colorLutAutocontrast
        for ch in range(cc):
            lut(int(m[mm + ch]), int(m[mm + c + ch]), luts + ch * 256)

    return _through_lut(img, out, fill, True)


def equalize(img: np.ndarray, out: Optional[np.ndarray] = None, semantics: Optional[str] = None) -> np.ndarray:
    """Histogram equalization per channel (torchvision F.equalize): ImageOps.equalize's integer table,
    which torchvision's tensor kernels compute alike (every semantics)."""
    check_image(img)
    _semantics_of(semantics)
    c = img.shape[2]
    cc = 3 if c == 4 else c

    def fill(k, luts, src):
        hist = k.arena.alloc(3 * 1024)
        k.colorHistograms(src, img.shape[0] * img.shape[1], c, hist)
        for ch in range(cc):
            k.colorLutEqualize(hist + ch * 1024, luts + ch * 256)

    return _through_lut(img, out, fill, True)


def permute_channels(img: np.ndarray, permutation: Any, out: Optional[np.ndarray] = None, semantics: Optional[str] = None) -> np.ndarray:
    """Reorders channels: output channel k is input channel permutation[k] (torchvision v2 F.permute_channels)."""
    check_image(img)
    _semantics_of(semantics)
    p = check_permutation(permutation, img.shape[2])
    k = kernel()
    arena = k.arena
    arena.reset()
    src = arena.put(img)
    dst = arena.alloc(img.size)
    packed = sum(v << (8 * i) for i, v in enumerate(p))
    k.colorPermute(src, img.shape[0] * img.shape[1], img.shape[2], packed & 0xFFFFFFFF, dst)
    return _result(img, img.shape[2], dst, out)

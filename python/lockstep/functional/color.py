"""Colour ops: torchvision.transforms.functional (tensor backend) on u8 images, with torchvision's
bytes, every pixel computed in the kernel (mirrors src/functional/color.ts)."""
from __future__ import annotations

from typing import Any, Callable, Optional

import numpy as np

from .._js import is_finite, is_integer, num
from ..errors import RangeError
from ..image import check_image, describe
from ..kernel.instance import kernel
from .args import check_finite, check_int, is_array
from .resample import check_out

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


def _need_color(img: np.ndarray, op: str) -> None:
    if img.shape[2] == 1:
        raise RangeError(f"{op} needs a colour image (3 or 4 channels), got 1 channel; torchvision returns grey images unchanged, skip the op for them")


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


def adjust_brightness(img: np.ndarray, brightness_factor: float, out: Optional[np.ndarray] = None) -> np.ndarray:
    """Scales brightness: (factor * img).clamp(0, 255) truncated (torchvision F.adjust_brightness)."""
    check_image(img)
    r = check_factor(brightness_factor, "brightnessFactor")
    return _through_lut(img, out, lambda k, lut, src: k.colorLutBlend(r, 1 - r, 0.0, lut))


def adjust_contrast(img: np.ndarray, contrast_factor: float, out: Optional[np.ndarray] = None) -> np.ndarray:
    """Blends with the mean of the grey image (torchvision F.adjust_contrast)."""
    check_image(img)
    r = check_factor(contrast_factor, "contrastFactor")

    def fill(k, lut, src):
        n = img.shape[0] * img.shape[1]
        tmp = k.arena.alloc(n)
        k.colorLutBlend(r, 1 - r, k.colorMean(src, n, img.shape[2], tmp), lut)

    return _through_lut(img, out, fill)


def adjust_saturation(img: np.ndarray, saturation_factor: float, out: Optional[np.ndarray] = None) -> np.ndarray:
    """Blends each pixel with its grey value (torchvision F.adjust_saturation). Needs 3 or 4 channels."""
    check_image(img)
    r = check_factor(saturation_factor, "saturationFactor")
    _need_color(img, "adjustSaturation")
    k = kernel()
    arena = k.arena
    c = img.shape[2]
    n = img.size
    arena.reset()
    src = arena.put(img)
    grey = arena.alloc(n)
    k.colorGrayscale(src, img.shape[0] * img.shape[1], c, c, grey)
    dst = arena.alloc(n)
    k.colorBlend(src, grey, n, c, r, 1 - r, dst)
    return _result(img, c, dst, out)


def adjust_hue(img: np.ndarray, hue_factor: float, out: Optional[np.ndarray] = None) -> np.ndarray:
    """Shifts the hue by hue_factor turns, in [-0.5, 0.5] (torchvision F.adjust_hue). Needs 3 or 4 channels."""
    check_image(img)
    hf = check_hue(hue_factor)
    _need_color(img, "adjustHue")
    k = kernel()
    arena = k.arena
    arena.reset()
    src = arena.put(img)
    dst = arena.alloc(img.size)
    k.colorHue(src, img.shape[0] * img.shape[1], img.shape[2], hf, dst)
    return _result(img, img.shape[2], dst, out)


def adjust_gamma(img: np.ndarray, gamma: float, gain: float = 1, out: Optional[np.ndarray] = None) -> np.ndarray:
    """Gamma correction 255 * gain * (v / 255) ** gamma, clamped (torchvision F.adjust_gamma)."""
    check_image(img)
    g = check_factor(gamma, "gamma")
    kk = check_finite(gain, "gain")
    if abs(kk) > MAX_FACTOR:
        raise RangeError(f"gain must be a finite number in [-{int(MAX_FACTOR)}, {int(MAX_FACTOR)}], got {kk}")
    return _through_lut(img, out, lambda k, lut, src: k.colorLutGamma(g, kk, lut))


def adjust_sharpness(img: np.ndarray, sharpness_factor: float, out: Optional[np.ndarray] = None) -> np.ndarray:
    """Blends with a smoothed image (torchvision F.adjust_sharpness); sides of 1 or 2 pixels are returned unchanged."""
    check_image(img)
    r = check_factor(sharpness_factor, "sharpnessFactor")
    k = kernel()
    arena = k.arena
    n = img.size
    h, w, c = img.shape
    arena.reset()
    src = arena.put(img)
    if w <= 2 or h <= 2:
        return _result(img, c, src, out)
    blurred = arena.alloc(n)
    k.colorBlur3(src, w, h, c, blurred)
    dst = arena.alloc(n)
    k.colorBlend(src, blurred, n, c, r, 1 - r, dst)
    return _result(img, c, dst, out)


def rgb_to_grayscale(img: np.ndarray, num_output_channels: int = 1, out: Optional[np.ndarray] = None) -> np.ndarray:
    """Grey (0.2989 r + 0.587 g + 0.114 b) truncated, as torchvision F.rgb_to_grayscale; 3 keeps RGBA's alpha."""
    check_image(img)
    if num_output_channels not in (1, 3) or isinstance(num_output_channels, bool):
        raise RangeError(f"numOutputChannels must be 1 or 3, got {describe(num_output_channels)}")
    c = img.shape[2]
    out_c = 1 if num_output_channels == 1 else (4 if c == 4 else 3)
    k = kernel()
    arena = k.arena
    arena.reset()
    src = arena.put(img)
    dst = arena.alloc(img.shape[0] * img.shape[1] * out_c)
    k.colorGrayscale(src, img.shape[0] * img.shape[1], c, out_c, dst)
    return _result(img, out_c, dst, out)


def invert(img: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
    """255 - v (torchvision F.invert)."""
    check_image(img)
    return _through_lut(img, out, lambda k, lut, src: k.colorLutInvert(lut))


def posterize(img: np.ndarray, bits: int, out: Optional[np.ndarray] = None) -> np.ndarray:
    """Keeps the top bits of each value, bits in [0, 8] (torchvision F.posterize)."""
    check_image(img)
    b = check_bits(bits)
    return _through_lut(img, out, lambda k, lut, src: k.colorLutPosterize(b, lut))


def solarize(img: np.ndarray, threshold: float, out: Optional[np.ndarray] = None) -> np.ndarray:
    """Inverts values >= threshold, threshold in [0, 255] (torchvision F.solarize)."""
    check_image(img)
    t = check_threshold(threshold)
    return _through_lut(img, out, lambda k, lut, src: k.colorLutSolarize(t, lut))


def autocontrast(img: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
    """Stretches each channel to [0, 255] from its own minimum and maximum (torchvision F.autocontrast)."""
    check_image(img)
    c = img.shape[2]
    cc = 3 if c == 4 else c

    def fill(k, luts, src):
        mm = k.arena.alloc(112)
        k.colorMinMax(src, img.shape[0] * img.shape[1], c, mm)
        m = k.arena.u8
        for ch in range(cc):
            k.colorLutAutocontrast(int(m[mm + ch]), int(m[mm + c + ch]), luts + ch * 256)

    return _through_lut(img, out, fill, True)


def equalize(img: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
    """Histogram equalization per channel, torchvision's integer formula (torchvision F.equalize)."""
    check_image(img)
    c = img.shape[2]
    cc = 3 if c == 4 else c

    def fill(k, luts, src):
        hist = k.arena.alloc(3 * 1024)
        k.colorHistograms(src, img.shape[0] * img.shape[1], c, hist)
        for ch in range(cc):
            k.colorLutEqualize(hist + ch * 1024, luts + ch * 256)

    return _through_lut(img, out, fill, True)


def permute_channels(img: np.ndarray, permutation: Any, out: Optional[np.ndarray] = None) -> np.ndarray:
    """Reorders channels: output channel k is input channel permutation[k] (torchvision v2 F.permute_channels)."""
    check_image(img)
    p = check_permutation(permutation, img.shape[2])
    k = kernel()
    arena = k.arena
    arena.reset()
    src = arena.put(img)
    dst = arena.alloc(img.size)
    packed = sum(v << (8 * i) for i, v in enumerate(p))
    k.colorPermute(src, img.shape[0] * img.shape[1], img.shape[2], packed & 0xFFFFFFFF, dst)
    return _result(img, img.shape[2], dst, out)

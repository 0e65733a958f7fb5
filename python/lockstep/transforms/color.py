"""Colour transforms, torchvision v2 names and sampling (mirrors src/transforms/color.ts). Pixels come
from the functional colour ops, emitted as registered ops whose args name the semantics they run with
("pil", "tensor", or "tensor-v1" inside AugMix). RGBA keeps alpha; on grey images the saturation and
hue adjustments are skipped (torchvision returns grey images unchanged for them), their factors still
drawn so the record does not depend on the channel count."""
from __future__ import annotations

from typing import Any, Callable, List, Optional

from .._js import UNDEFINED, is_finite, is_integer, is_number, number_to_string
from ..errors import RangeError
from ..functional import color as C
from ..functional.args import check_finite, is_array
from ..image import describe
from ..functional.semantics import DEFAULT_SEMANTICS, check_kernel_semantics
from .base import Context, Deterministic, Transform
from .ops import define_op
from .params import check_probability, expect_params, image_meta, is_object
from .schema import kw, register, req


def _why(fn: Callable[[], Any]) -> Optional[str]:
    """The message of fn's error, or None when it passes: op checks reuse the functional validators."""
    try:
        fn()
        return None
    except (TypeError, ValueError) as e:
        return str(e)


# ---------------------------------------------------------------------------------------
# Ops

def _color_op(name: str, check, run, meta=None) -> None:
    """A colour op: its args carry the semantics it runs with (absent: "pil"); run(img, args, semantics)."""
    def checked(a):
        check_kernel_semantics(a.get("semantics"), "semantics")
        check(a)

    define_op(name,
              meta=lambda a, m: meta(a, image_meta(m, name)) if meta else image_meta(m, name),
              check=lambda a: _why(lambda: checked(a)),
              run=lambda x, a: run(x, a, a.get("semantics") or DEFAULT_SEMANTICS))


def _check_gray_channels(a):
    if a.get("numOutputChannels") not in (1, 3) or isinstance(a.get("numOutputChannels"), bool):
        raise RangeError(f"numOutputChannels must be 1 or 3, got {describe(a.get('numOutputChannels'))}")


def _check_perm(a):
    p = a.get("permutation")
    if not is_array(p) or len(p) not in (1, 3, 4):
        raise RangeError(f"permutation must have 1, 3 or 4 entries, got {describe(p)}")
    C.check_permutation(p, len(p))


def _perm_meta(a, m):
    if len(a["permutation"]) != m["channels"]:
        raise RangeError(f"permuteChannels: the permutation has {len(a['permutation'])} entries, but the image has {m['channels']} channels")
    return m


_color_op("adjustBrightness", lambda a: C.check_factor(a.get("factor"), "factor"), lambda img, a, s: C.adjust_brightness(img, a["factor"], semantics=s))
_color_op("adjustContrast", lambda a: C.check_factor(a.get("factor"), "factor"), lambda img, a, s: C.adjust_contrast(img, a["factor"], semantics=s))
_color_op("adjustSaturation", lambda a: C.check_factor(a.get("factor"), "factor"), lambda img, a, s: C.adjust_saturation(img, a["factor"], semantics=s))
_color_op("adjustHue", lambda a: C.check_hue(a.get("factor"), "factor"), lambda img, a, s: C.adjust_hue(img, a["factor"], semantics=s))
_color_op("adjustSharpness", lambda a: C.check_factor(a.get("factor"), "factor"), lambda img, a, s: C.adjust_sharpness(img, a["factor"], semantics=s))
_color_op("invert", lambda a: None, lambda img, a, s: C.invert(img, semantics=s))
_color_op("autocontrast", lambda a: None, lambda img, a, s: C.autocontrast(img, semantics=s))
_color_op("equalize", lambda a: None, lambda img, a, s: C.equalize(img, semantics=s))
_color_op("posterize", lambda a: C.check_bits(a.get("bits")), lambda img, a, s: C.posterize(img, a["bits"], semantics=s))
_color_op("solarize", lambda a: C.check_threshold(a.get("threshold")), lambda img, a, s: C.solarize(img, a["threshold"], semantics=s))
_color_op("rgbToGrayscale", _check_gray_channels, lambda img, a, s: C.rgb_to_grayscale(img, a["numOutputChannels"], semantics=s),
          lambda a, m: {**m, "channels": 1 if a["numOutputChannels"] == 1 else (4 if m["channels"] == 4 else 3)})
_color_op("permuteChannels", _check_perm, lambda img, a, s: C.permute_channels(img, a["permutation"], semantics=s), _perm_meta)


def call(name: str, semantics: str, args: Optional[dict] = None) -> dict:
    """A colour op under semantics."""
    return {"op": "call", "name": name, "args": {**({} if args is None else args), "semantics": semantics}}


def _colour_channels(m: dict) -> int:
    """The colour channels a permutation draws over: 1 for grey, 3 for RGB and RGBA (alpha stays last)."""
    return 1 if m["channels"] == 1 else 3


def _full_permutation(perm: List[int], m: dict) -> List[int]:
    """A colour permutation extended to every channel of the image (alpha, if any, stays)."""
    return list(perm) + [3] if m["channels"] == 4 else list(perm)


def fisher_yates(ctx: Context, n: int) -> List[int]:
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        j = ctx.rng.randint(0, i + 1)
        order[i], order[j] = order[j], order[i]
    return order


def _is_permutation(v: Any, n: int) -> bool:
    return isinstance(v, list) and len(v) == n and all(is_integer(x) for x in v) and sorted(v) == list(range(n))


def _is_factor(v: Any) -> bool:
    return v is None or is_finite(v)


# ---------------------------------------------------------------------------------------
# ColorJitter

def _jitter_range(value: Any, name: str, center: float, lo: float, hi: float, clip_first_on_zero: bool):
    """torchvision's ColorJitter._check_input: the [min, max] range, or None when it does nothing."""
    if value is None or value is UNDEFINED:
        return None
    if is_number(value):
        v = check_finite(value, name)
        if v < 0 or center + v > hi:
            raise RangeError(f"{name} as a single number must be in [0, {number_to_string(hi - center)}], got {v}")
        r = [center - v, center + v]
        if clip_first_on_zero:
            r[0] = max(r[0], 0)
    elif is_array(value) and len(value) == 2:
        a = check_finite(value[0], f"{name}[0]")
        b = check_finite(value[1], f"{name}[1]")
        if not (lo <= a <= b <= hi):
            raise RangeError(f"{name} must be [min, max] with {lo} <= min <= max <= {hi}, got [{a}, {b}]")
        r = [a, b]
    else:
        raise TypeError(f"{name} must be a number, [min, max] or null, got {describe(value)}")
    return None if r[0] == center and r[1] == center else r


class ColorJitter(Transform):
    """Randomly changes brightness, contrast, saturation and hue, in a random order (torchvision
    ColorJitter). Each amount is v (factor from [max(0, 1 - v), 1 + v]; hue from [-v, v]) or
    [min, max]; 0 or None turns it off."""

    type = "ColorJitter"
    random = True

    def __init__(self, brightness: Any = 0, contrast: Any = 0, saturation: Any = 0, hue: Any = 0) -> None:
        self.brightness = _jitter_range(brightness, "brightness", 1, 0, C.MAX_FACTOR, True)
        self.contrast = _jitter_range(contrast, "contrast", 1, 0, C.MAX_FACTOR, True)
        self.saturation = _jitter_range(saturation, "saturation", 1, 0, C.MAX_FACTOR, True)
        self.hue = _jitter_range(hue, "hue", 0, -0.5, 0.5, False)

    def make_params(self, ctx: Context, meta: dict) -> dict:
        image_meta(meta, self.type)
        # torchvision's get_params: torch.randperm(4), then the four factors in this order.
        order = fisher_yates(ctx, 4)

        def draw(r):
            return ctx.rng.uniform(r[0], r[1]) if r else None

        brightness = draw(self.brightness)
        contrast = draw(self.contrast)
        saturation = draw(self.saturation)
        hue = draw(self.hue)
        return {"order": order, "brightness": brightness, "contrast": contrast, "saturation": saturation, "hue": hue}

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        m = image_meta(meta, self.type)
        expect_params(is_object(params) and _is_permutation(params.get("order"), 4) and all(_is_factor(params.get(k, UNDEFINED)) for k in ("brightness", "contrast", "saturation", "hue")),
                      self.type, "{ order: a permutation of 0..3, brightness, contrast, saturation, hue: number or null }", params)
        ops = []
        for i in params["order"]:
            if i == 0 and params["brightness"] is not None:
                ops.append(call("adjustBrightness", semantics, {"factor": params["brightness"]}))
            if i == 1 and params["contrast"] is not None:
                ops.append(call("adjustContrast", semantics, {"factor": params["contrast"]}))
            if i == 2 and params["saturation"] is not None and m["channels"] != 1:
                ops.append(call("adjustSaturation", semantics, {"factor": params["saturation"]}))
            if i == 3 and params["hue"] is not None and m["channels"] != 1:
                ops.append(call("adjustHue", semantics, {"factor": params["hue"]}))
        return ops

    def config(self) -> dict:
        return {"brightness": self.brightness, "contrast": self.contrast, "saturation": self.saturation, "hue": self.hue}


# ---------------------------------------------------------------------------------------
# RandomPhotometricDistort

def _pair_range(v: Any, name: str, lo: float, hi: float) -> List[Any]:
    if not is_array(v) or len(v) != 2:
        raise TypeError(f"{name} must be [min, max], got {describe(v)}")
    a = check_finite(v[0], f"{name}[0]")
    b = check_finite(v[1], f"{name}[1]")
    if not (lo <= a <= b <= hi):
        raise RangeError(f"{name} must be [min, max] with {lo} <= min <= max <= {hi}, got [{a}, {b}]")
    return [a, b]


class RandomPhotometricDistort(Transform):
    """SSD-style photometric distortion (torchvision v2 RandomPhotometricDistort): brightness, contrast,
    saturation and hue each with probability p, contrast first or after hue, then with probability p
    a random permutation of the colour channels."""

    type = "RandomPhotometricDistort"
    random = True

    def __init__(self, brightness: Any = (0.875, 1.125), contrast: Any = (0.5, 1.5), saturation: Any = (0.5, 1.5), hue: Any = (-0.05, 0.05), p: float = 0.5) -> None:
        self.brightness = _pair_range([0.875, 1.125] if brightness is None else brightness, "brightness", 0, C.MAX_FACTOR)
        self.contrast = _pair_range([0.5, 1.5] if contrast is None else contrast, "contrast", 0, C.MAX_FACTOR)
        self.saturation = _pair_range([0.5, 1.5] if saturation is None else saturation, "saturation", 0, C.MAX_FACTOR)
        self.hue = _pair_range([-0.05, 0.05] if hue is None else hue, "hue", -0.5, 0.5)
        self.p = check_probability(0.5 if p is None else p)

    def make_params(self, ctx: Context, meta: dict) -> dict:
        m = image_meta(meta, self.type)
        rng = ctx.rng

        def draw(r):
            return rng.uniform(r[0], r[1]) if rng.random() < self.p else None

        brightness = draw(self.brightness)
        contrast = draw(self.contrast)
        saturation = draw(self.saturation)
        hue = draw(self.hue)
        contrast_before = rng.random() < 0.5
        permutation = fisher_yates(ctx, _colour_channels(m)) if rng.random() < self.p else None
        return {"brightness": brightness, "contrast": contrast, "saturation": saturation, "hue": hue, "contrastBefore": contrast_before, "permutation": permutation}

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        m = image_meta(meta, self.type)
        n = _colour_channels(m)
        expect_params(
            is_object(params) and all(_is_factor(params.get(k, UNDEFINED)) for k in ("brightness", "contrast", "saturation", "hue"))
            and isinstance(params.get("contrastBefore"), bool) and (params.get("permutation", UNDEFINED) is None or _is_permutation(params.get("permutation"), n)),
            self.type,
            f"{{ brightness, contrast, saturation, hue: number or null, contrastBefore: boolean, permutation: null or a permutation of {n} colour channels }}",
            params)
        ops = []
        if params["brightness"] is not None:
            ops.append(call("adjustBrightness", semantics, {"factor": params["brightness"]}))
        if params["contrast"] is not None and params["contrastBefore"]:
            ops.append(call("adjustContrast", semantics, {"factor": params["contrast"]}))
        if params["saturation"] is not None and m["channels"] != 1:
            ops.append(call("adjustSaturation", semantics, {"factor": params["saturation"]}))
        if params["hue"] is not None and m["channels"] != 1:
            ops.append(call("adjustHue", semantics, {"factor": params["hue"]}))
        if params["contrast"] is not None and not params["contrastBefore"]:
            ops.append(call("adjustContrast", semantics, {"factor": params["contrast"]}))
        if params["permutation"] is not None and m["channels"] != 1:
            ops.append(call("permuteChannels", semantics, {"permutation": _full_permutation(params["permutation"], m)}))
        return ops

    def config(self) -> dict:
        return {"brightness": self.brightness, "contrast": self.contrast, "saturation": self.saturation, "hue": self.hue, "p": self.p}


# ---------------------------------------------------------------------------------------
# Grayscale and the "with probability p" transforms

class Grayscale(Deterministic):
    """Converts to grey (torchvision Grayscale): 1 channel, or 3 (RGBA keeps its alpha: 4)."""

    type = "Grayscale"

    def __init__(self, num_output_channels: int = 1) -> None:
        if num_output_channels not in (1, 3) or isinstance(num_output_channels, bool):
            raise RangeError(f"numOutputChannels must be 1 or 3, got {describe(num_output_channels)}")
        self.num_output_channels = int(num_output_channels)

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        image_meta(meta, self.type)
        return [call("rgbToGrayscale", semantics, {"numOutputChannels": self.num_output_channels})]

    def config(self) -> dict:
        return {"numOutputChannels": self.num_output_channels}


class _RandomlyApplied(Transform):
    random = True
    default_p = 0.5

    def __init__(self, p: Any = UNDEFINED) -> None:
        self.p = check_probability(self.default_p if p is UNDEFINED else p)

    def applied(self, m: dict, semantics: str) -> list:
        raise NotImplementedError

    def make_params(self, ctx: Context, meta: dict) -> dict:
        image_meta(meta, self.type)
        return {"applied": ctx.rng.random() < self.p}

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        m = image_meta(meta, self.type)
        expect_params(is_object(params) and isinstance(params.get("applied"), bool), self.type, "{ applied: boolean }", params)
        return self.applied(m, semantics) if params["applied"] else []

    def config(self) -> dict:
        return {"p": self.p}


class RandomGrayscale(_RandomlyApplied):
    """Converts to grey with probability p, keeping the channel count (torchvision RandomGrayscale, p = 0.1)."""

    type = "RandomGrayscale"
    default_p = 0.1

    def __init__(self, p: float = 0.1) -> None:
        super().__init__(p)

    def applied(self, m: dict, semantics: str) -> list:
        return [] if m["channels"] == 1 else [call("rgbToGrayscale", semantics, {"numOutputChannels": 3})]


class RandomInvert(_RandomlyApplied):
    """Inverts with probability p (torchvision RandomInvert)."""

    type = "RandomInvert"

    def __init__(self, p: float = 0.5) -> None:
        super().__init__(p)

    def applied(self, m: dict, semantics: str) -> list:
        return [call("invert", semantics)]


class RandomPosterize(_RandomlyApplied):
    """Keeps bits bits per value with probability p (torchvision RandomPosterize)."""

    type = "RandomPosterize"

    def __init__(self, bits: int, p: float = 0.5) -> None:
        super().__init__(p)
        self.bits = C.check_bits(bits)

    def applied(self, m: dict, semantics: str) -> list:
        return [call("posterize", semantics, {"bits": self.bits})]

    def config(self) -> dict:
        return {"bits": self.bits, "p": self.p}


class RandomSolarize(_RandomlyApplied):
    """Inverts values >= threshold with probability p (torchvision RandomSolarize)."""

    type = "RandomSolarize"

    def __init__(self, threshold: float, p: float = 0.5) -> None:
        super().__init__(p)
        self.threshold = C.check_threshold(threshold)

    def applied(self, m: dict, semantics: str) -> list:
        return [call("solarize", semantics, {"threshold": self.threshold})]

    def config(self) -> dict:
        return {"threshold": self.threshold, "p": self.p}


class RandomAdjustSharpness(_RandomlyApplied):
    """Adjusts sharpness by sharpness_factor with probability p (torchvision RandomAdjustSharpness)."""

    type = "RandomAdjustSharpness"

    def __init__(self, sharpness_factor: float, p: float = 0.5) -> None:
        super().__init__(p)
        self.sharpness_factor = C.check_factor(sharpness_factor, "sharpnessFactor")

    def applied(self, m: dict, semantics: str) -> list:
        return [call("adjustSharpness", semantics, {"factor": self.sharpness_factor})]

    def config(self) -> dict:
        return {"sharpnessFactor": self.sharpness_factor, "p": self.p}


class RandomAutocontrast(_RandomlyApplied):
    """Autocontrast with probability p (torchvision RandomAutocontrast)."""

    type = "RandomAutocontrast"

    def __init__(self, p: float = 0.5) -> None:
        super().__init__(p)

    def applied(self, m: dict, semantics: str) -> list:
        return [call("autocontrast", semantics)]


class RandomEqualize(_RandomlyApplied):
    """Histogram equalization with probability p (torchvision RandomEqualize)."""

    type = "RandomEqualize"

    def __init__(self, p: float = 0.5) -> None:
        super().__init__(p)

    def applied(self, m: dict, semantics: str) -> list:
        return [call("equalize", semantics)]


class RandomChannelPermutation(Transform):
    """Shuffles the colour channels (torchvision v2 RandomChannelPermutation); alpha stays last, grey images are unchanged."""

    type = "RandomChannelPermutation"
    random = True

    def make_params(self, ctx: Context, meta: dict) -> dict:
        return {"permutation": fisher_yates(ctx, _colour_channels(image_meta(meta, self.type)))}

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        m = image_meta(meta, self.type)
        n = _colour_channels(m)
        expect_params(is_object(params) and _is_permutation(params.get("permutation"), n), self.type, f"{{ permutation: a permutation of {n} colour channels }}", params)
        return [] if n == 1 else [call("permuteChannels", semantics, {"permutation": _full_permutation(params["permutation"], m)})]

    def config(self) -> dict:
        return {}


def _none_to_undefined(f: dict, k: str) -> Any:
    return f[k] if k in f else UNDEFINED


register("ColorJitter", ["brightness", "contrast", "saturation", "hue"],
         lambda f, p: ColorJitter(f.get("brightness"), f.get("contrast"), f.get("saturation"), f.get("hue")))
register("RandomPhotometricDistort", ["brightness", "contrast", "saturation", "hue", "p"],
         lambda f, p: RandomPhotometricDistort(**kw(f, brightness="brightness", contrast="contrast", saturation="saturation", hue="hue", p="p")))
register("Grayscale", ["numOutputChannels"], lambda f, p: Grayscale(**kw(f, num_output_channels="numOutputChannels")))
register("RandomGrayscale", ["p"], lambda f, p: RandomGrayscale(**kw(f, p="p")))
register("RandomInvert", ["p"], lambda f, p: RandomInvert(**kw(f, p="p")))
register("RandomPosterize", ["bits", "p"], lambda f, p: RandomPosterize(req(f, "bits"), **kw(f, p="p")))
register("RandomSolarize", ["threshold", "p"], lambda f, p: RandomSolarize(req(f, "threshold"), **kw(f, p="p")))
register("RandomAdjustSharpness", ["sharpnessFactor", "p"], lambda f, p: RandomAdjustSharpness(req(f, "sharpnessFactor"), **kw(f, p="p")))
register("RandomAutocontrast", ["p"], lambda f, p: RandomAutocontrast(**kw(f, p="p")))
register("RandomEqualize", ["p"], lambda f, p: RandomEqualize(**kw(f, p="p")))
register("RandomChannelPermutation", [], lambda f, p: RandomChannelPermutation())

"""The auto-augment policies of torchvision 0.28 (mirrors src/transforms/autoaugment.ts): AutoAugment,
RandAugment, TrivialAugmentWide and AugMix, with torchvision's op spaces, float32 magnitude tables
(torch 2.13's linspace arithmetic) and sampling algorithms; AugMix mixes in the kernel.

The chosen operations run under the pipeline's semantics: "pil" is v1 on PIL images (Pillow's warps
and colour), "tensor" v2 on uint8 tensors (Solarize's table runs 1.0 .. 0.0 and the threshold is
255 * magnitude). AugMix converts PIL images to tensors itself, so under "pil" its chains run v1's
tensor kernels ("tensor-v1") and under "tensor" v2's."""
from __future__ import annotations

import math
from typing import Any, Callable, List, Optional

from .. import _js
from .._js import UNDEFINED, floor, fround as fr, is_finite, is_integer, trunc
from ..errors import RangeError
from ..functional.args import check_finite, check_int, fill_bytes, is_array, mode_value, round_half_even
from ..functional.warp import check_warp_interpolation
from ..image import describe
from ..kernel.instance import kernel
from ..kernel.math import kmath
from ..functional.semantics import DEFAULT_SEMANTICS
from .base import Context, Transform
from .execute import execute
from .ops import check_op, define_op, op_meta
from .params import expect_params, image_meta, is_int, is_object
from ..targets.sample import refuse_targets
from .schema import register

# ---------------------------------------------------------------------------------------
# Magnitude tables


def _fma32(a: float, b: float, c: float) -> float:
    """torch's float32 a * b + c with one rounding (exact in float64 for the tables here)."""
    return fr(a * b + c)


def linspace_at(start: float, end: float, steps: int, i: int) -> float:
    """Element i of torch.linspace(start, end, steps) in float32: torch 2.13 computes start + step * i
    below the halfway index and end - step * (steps - 1 - i) from it, each one fused multiply-add."""
    s = fr(start)
    e = fr(end)
    if steps == 1:
        return s
    step = fr(fr(e - s) / (steps - 1))
    return _fma32(step, i, s) if i < steps // 2 else _fma32(-step, steps - i - 1, e)


def _posterize_at(top: int, div: int, bins: int, i: int) -> int:
    """top - (torch.arange(bins) / ((bins - 1) / div)).round().int(), element i."""
    return top - round_half_even(fr(i / fr((bins - 1) / div)))


class SpaceEntry:
    """One entry of an augmentation space: its table (bins values, 0 for none) and whether the sign is drawn."""

    __slots__ = ("name", "bins", "signed", "at")

    def __init__(self, name: str, bins: int, signed: bool, at: Callable[[int], float]) -> None:
        self.name = name
        self.bins = bins
        self.signed = signed
        self.at = at


def _lin(name: str, start: float, end: float, bins: int, signed: bool = True) -> SpaceEntry:
    return SpaceEntry(name, bins, signed, lambda i: linspace_at(start, end, bins, i))


def _none(name: str) -> SpaceEntry:
    return SpaceEntry(name, 0, False, lambda i: 0)


def augmentation_space(kind: str, bins: int, height: int, width: int, all_ops: bool = True, semantics: str = DEFAULT_SEMANTICS) -> List[SpaceEntry]:
    """torchvision's _augmentation_space of a policy family, in its order. "tensor" is v2's space: the
    same but for Solarize, whose table runs 1.0 .. 0.0 (v1: 255 .. 0)."""
    solarize = _lin("Solarize", 1.0, 0.0, bins, False) if semantics == "tensor" else _lin("Solarize", 255, 0, bins, False)
    if kind == "TrivialAugmentWide":
        return [
            _none("Identity"), _lin("ShearX", 0, 0.99, bins), _lin("ShearY", 0, 0.99, bins), _lin("TranslateX", 0, 32, bins), _lin("TranslateY", 0, 32, bins),
            _lin("Rotate", 0, 135, bins), _lin("Brightness", 0, 0.99, bins), _lin("Color", 0, 0.99, bins), _lin("Contrast", 0, 0.99, bins),
            _lin("Sharpness", 0, 0.99, bins), SpaceEntry("Posterize", bins, False, lambda i: _posterize_at(8, 6, bins, i)),
            solarize, _none("AutoContrast"), _none("Equalize"),
        ]
    if kind == "AugMix":
        s = [
            _lin("ShearX", 0, 0.3, bins), _lin("ShearY", 0, 0.3, bins), _lin("TranslateX", 0, width / 3, bins), _lin("TranslateY", 0, height / 3, bins),
            _lin("Rotate", 0, 30, bins), SpaceEntry("Posterize", bins, False, lambda i: _posterize_at(4, 4, bins, i)),
            solarize, _none("AutoContrast"), _none("Equalize"),
        ]
        if all_ops:
            s += [_lin("Brightness", 0, 0.9, bins), _lin("Color", 0, 0.9, bins), _lin("Contrast", 0, 0.9, bins), _lin("Sharpness", 0, 0.9, bins)]
        return s
    s = [
        _lin("ShearX", 0, 0.3, bins), _lin("ShearY", 0, 0.3, bins), _lin("TranslateX", 0, (150 / 331) * width, bins), _lin("TranslateY", 0, (150 / 331) * height, bins),
        _lin("Rotate", 0, 30, bins), _lin("Brightness", 0, 0.9, bins), _lin("Color", 0, 0.9, bins), _lin("Contrast", 0, 0.9, bins), _lin("Sharpness", 0, 0.9, bins),
        SpaceEntry("Posterize", bins, False, lambda i: _posterize_at(8, 4, bins, i)), solarize, _none("AutoContrast"), _none("Equalize"),
    ]
    if kind == "AutoAugment":
        return s + [_none("Invert")]
    return [_none("Identity")] + s


# ---------------------------------------------------------------------------------------
# Policies (torchvision's AutoAugment._get_policies, unchanged from 0.14 to 0.28)

POLICIES = {    "imagenet": [
    [["Posterize", 0.4, 8], ["Rotate", 0.6, 9]],
    [["Solarize", 0.6, 5], ["AutoContrast", 0.6, None]],
    [["Equalize", 0.8, None], ["Equalize", 0.6, None]],
    [["Posterize", 0.6, 7], ["Posterize", 0.6, 6]],
    [["Equalize", 0.4, None], ["Solarize", 0.2, 4]],
    [["Equalize", 0.4, None], ["Rotate", 0.8, 8]],
    [["Solarize", 0.6, 3], ["Equalize", 0.6, None]],
    [["Posterize", 0.8, 5], ["Equalize", 1.0, None]],
    [["Rotate", 0.2, 3], ["Solarize", 0.6, 8]],
    [["Equalize", 0.6, None], ["Posterize", 0.4, 6]],
    [["Rotate", 0.8, 8], ["Color", 0.4, 0]],
    [["Rotate", 0.4, 9], ["Equalize", 0.6, None]],
    [["Equalize", 0.0, None], ["Equalize", 0.8, None]],
    [["Invert", 0.6, None], ["Equalize", 1.0, None]],
    [["Color", 0.6, 4], ["Contrast", 1.0, 8]],
    [["Rotate", 0.8, 8], ["Color", 1.0, 2]],
    [["Color", 0.8, 8], ["Solarize", 0.8, 7]],
    [["Sharpness", 0.4, 7], ["Invert", 0.6, None]],
    [["ShearX", 0.6, 5], ["Equalize", 1.0, None]],
    [["Color", 0.4, 0], ["Equalize", 0.6, None]],
    [["Equalize", 0.4, None], ["Solarize", 0.2, 4]],
    [["Solarize", 0.6, 5], ["AutoContrast", 0.6, None]],
    [["Invert", 0.6, None], ["Equalize", 1.0, None]],
    [["Color", 0.6, 4], ["Contrast", 1.0, 8]],
    [["Equalize", 0.8, None], ["Equalize", 0.6, None]],
  ],
    "cifar10": [
    [["Invert", 0.1, None], ["Contrast", 0.2, 6]],
    [["Rotate", 0.7, 2], ["TranslateX", 0.3, 9]],
    [["Sharpness", 0.8, 1], ["Sharpness", 0.9, 3]],
    [["ShearY", 0.5, 8], ["TranslateY", 0.7, 9]],
    [["AutoContrast", 0.5, None], ["Equalize", 0.9, None]],
    [["ShearY", 0.2, 7], ["Posterize", 0.3, 7]],
    [["Color", 0.4, 3], ["Brightness", 0.6, 7]],
    [["Sharpness", 0.3, 9], ["Brightness", 0.7, 9]],
    [["Equalize", 0.6, None], ["Equalize", 0.5, None]],
    [["Contrast", 0.6, 7], ["Sharpness", 0.6, 5]],
    [["Color", 0.7, 7], ["TranslateX", 0.5, 8]],
    [["Equalize", 0.3, None], ["AutoContrast", 0.4, None]],
    [["TranslateY", 0.4, 3], ["Sharpness", 0.2, 6]],
    [["Brightness", 0.9, 6], ["Color", 0.2, 8]],
    [["Solarize", 0.5, 2], ["Invert", 0.0, None]],
    [["Equalize", 0.2, None], ["AutoContrast", 0.6, None]],
    [["Equalize", 0.2, None], ["Equalize", 0.6, None]],
    [["Color", 0.9, 9], ["Equalize", 0.6, None]],
    [["AutoContrast", 0.8, None], ["Solarize", 0.2, 8]],
    [["Brightness", 0.1, 3], ["Color", 0.7, 0]],
    [["Solarize", 0.4, 5], ["AutoContrast", 0.9, None]],
    [["TranslateY", 0.9, 9], ["TranslateY", 0.7, 9]],
    [["AutoContrast", 0.9, None], ["Solarize", 0.8, 3]],
    [["Equalize", 0.8, None], ["Invert", 0.1, None]],
    [["TranslateY", 0.7, 9], ["AutoContrast", 0.9, None]],
  ],
    "svhn": [
    [["ShearX", 0.9, 4], ["Invert", 0.2, None]],
    [["ShearY", 0.9, 8], ["Invert", 0.7, None]],
    [["Equalize", 0.6, None], ["Solarize", 0.6, 6]],
    [["Invert", 0.9, None], ["Equalize", 0.6, None]],
    [["Equalize", 0.6, None], ["Rotate", 0.9, 3]],
    [["ShearX", 0.9, 4], ["AutoContrast", 0.8, None]],
    [["ShearY", 0.9, 8], ["Invert", 0.4, None]],
    [["ShearY", 0.9, 5], ["Solarize", 0.2, 6]],
    [["Invert", 0.9, None], ["AutoContrast", 0.8, None]],
    [["Equalize", 0.6, None], ["Rotate", 0.9, 3]],
    [["ShearX", 0.9, 4], ["Solarize", 0.3, 3]],
    [["ShearY", 0.8, 8], ["Invert", 0.7, None]],
    [["Equalize", 0.9, None], ["TranslateY", 0.6, 6]],
    [["Invert", 0.9, None], ["Equalize", 0.6, None]],
    [["Contrast", 0.3, 3], ["Rotate", 0.8, 4]],
    [["Invert", 0.8, None], ["TranslateY", 0.0, 2]],
    [["ShearY", 0.7, 6], ["Solarize", 0.4, 8]],
    [["Invert", 0.6, None], ["Rotate", 0.8, 4]],
    [["ShearY", 0.3, 7], ["TranslateX", 0.9, 3]],
    [["ShearX", 0.1, 6], ["Invert", 0.6, None]],
    [["Solarize", 0.7, 2], ["TranslateY", 0.6, 7]],
    [["ShearY", 0.8, 4], ["Invert", 0.8, None]],
    [["ShearX", 0.7, 9], ["TranslateY", 0.8, 3]],
    [["ShearY", 0.8, 5], ["AutoContrast", 0.7, None]],
    [["ShearX", 0.7, 2], ["Invert", 0.1, None]],
  ],
}


def _check_policy(v: Any) -> str:
    v = mode_value(v)
    if v not in ("imagenet", "cifar10", "svhn"):
        raise RangeError(f'policy must be "imagenet", "cifar10" or "svhn", got {describe(v)}')
    return v


def auto_augment_policy(policy: str) -> list:
    """The sub-policies of an AutoAugment policy: two (operation, probability, magnitude bin or None) each."""
    return POLICIES[_check_policy(policy)]


# ---------------------------------------------------------------------------------------
# Randomness

TWO_PI = 2 * math.pi
THIRD = fr(1 / 3)
C0331 = fr(0.0331)
DBL_MIN = 2.2250738585072014e-308
FLT_MIN = 1.1754943508222875e-38
BELOW_ONE = fr(1 - 2**-24)


def _standard_normal(rng) -> float:
    """A standard normal variate (Box-Muller on two 53-bit uniforms)."""
    u1 = rng.random()
    u2 = rng.random()
    return math.sqrt(-2 * kmath.log(1 - u1)) * kmath.cos(TWO_PI * u2)


def sample_gamma(rng, alpha: float) -> float:
    """A Gamma(alpha, 1) variate by torch's sample_gamma (Marsaglia and Tsang, with the boost for alpha < 1)."""
    scale = 1.0
    a = alpha
    if a < 1:
        scale *= kmath.pow(1 - rng.random(), 1 / a)
        a += 1
    d = a - THIRD
    c = 1 / math.sqrt(9 * d)
    while True:
        while True:
            x = _standard_normal(rng)
            y = 1 + c * x
            if not y <= 0:
                break
        v = y * y * y
        u = 1 - rng.random()
        xx = x * x
        if u < 1 - C0331 * xx * xx:
            return scale * d * v
        if kmath.log(u) < 0.5 * xx + d * (1 - v + kmath.log(v)):
            return scale * d * v


def sample_dirichlet(rng, alpha: float, k: int) -> List[float]:
    """torch._sample_dirichlet of k concentrations alpha: float32 weights."""
    g = [max(DBL_MIN, sample_gamma(rng, alpha)) for _ in range(k)]
    total = 0.0
    for v in g:
        total += v
    return [min(BELOW_ONE, max(FLT_MIN, fr(v / total))) for v in g]


class StreamDraws:
    """The draws the policies make, named after torch's, from a stream."""

    def __init__(self, rng) -> None:
        self.rng = rng

    def randint(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def rand(self) -> float:
        return (self.rng.next_u32() >> 8) / 16777216

    def dirichlet(self, alpha: float, k: int) -> List[float]:
        return sample_dirichlet(self.rng, alpha, k)


# ---------------------------------------------------------------------------------------
# Applying one operation (torchvision's _apply_op)

RAD_TO_DEG = 180 / math.pi


def shear_degrees(magnitude: float) -> float:
    """math.degrees(math.atan(magnitude)) through the kernel's atan2(m, 1)."""
    return kmath.atan2(magnitude, 1) * RAD_TO_DEG


def _unsign(v: float) -> Any:
    """-0 becomes 0: every op treats them alike, and JSON would make the same change."""
    return 0 if v == 0 else v


def aug_op_ops(op: dict, meta: dict, interpolation: str, fill: Optional[List[int]], semantics: str = DEFAULT_SEMANTICS) -> list:
    """The ops of one auto-augment operation (torchvision's _apply_op) under semantics: Shear as an affine
    shear of atan(magnitude) in degrees about the top-left corner, Translate by int(magnitude) pixels,
    Rotate about the centre, Brightness/Color/Contrast/Sharpness by 1 + magnitude, Posterize to
    int(magnitude) bits, Solarize at the magnitude ("tensor": at 255 * magnitude, v2's scale). Color does
    nothing on a grey image. fill None is torchvision's fill=None (0 for Pillow, grid_sample's zeros)."""
    m = op["magnitude"]
    name = op["name"]

    def _call(name: str, args: Optional[dict] = None) -> dict:
        return {"op": "call", "name": name, "args": {**({} if args is None else args), "semantics": semantics}}

    def geo(**changes):
        g = {"angle": 0, "translate": [0, 0], "scale": 1, "shear": [0, 0], "interpolation": interpolation, "fill": fill, "center": None}
        g.update(changes)
        return g

    if name == "Identity":
        return []
    if name == "ShearX":
        return [_call("affine", geo(shear=[shear_degrees(m), 0], center=[0, 0]))]
    if name == "ShearY":
        return [_call("affine", geo(shear=[0, shear_degrees(m)], center=[0, 0]))]
    if name == "TranslateX":
        return [_call("affine", geo(translate=[_unsign(trunc(m)), 0]))]
    if name == "TranslateY":
        return [_call("affine", geo(translate=[0, _unsign(trunc(m))]))]
    if name == "Rotate":
        return [_call("rotate", {"angle": m, "interpolation": interpolation, "expand": False, "center": None, "fill": fill})]
    if name == "Brightness":
        return [_call("adjustBrightness", {"factor": 1 + m})]
    if name == "Color":
        return [] if meta["channels"] == 1 else [_call("adjustSaturation", {"factor": 1 + m})]
    if name == "Contrast":
        return [_call("adjustContrast", {"factor": 1 + m})]
    if name == "Sharpness":
        return [_call("adjustSharpness", {"factor": 1 + m})]
    if name == "Posterize":
        return [_call("posterize", {"bits": trunc(m)})]
    if name == "Solarize":
        return [_call("solarize", {"threshold": 255 * m if semantics == "tensor" else m})]
    if name == "AutoContrast":
        return [_call("autocontrast")]
    if name == "Equalize":
        return [_call("equalize")]
    if name == "Invert":
        return [_call("invert")]
    raise RangeError(f"unknown operation {name!r}")


def _choose(entry: SpaceEntry, bin_: Optional[int], negate: bool) -> dict:
    """A chosen operation: entry's magnitude bin (0 without a table), negated when negate."""
    mag = 0 if bin_ is None or entry.bins == 0 else entry.at(bin_)
    return {"name": entry.name, "magnitude": _unsign(-mag if entry.signed and negate else mag)}


# ---------------------------------------------------------------------------------------
# The mixing op of AugMix

MAX_CHAINS = 64
MAX_DEPTH = 64


def _unit(v: Any) -> bool:
    return is_finite(v) and 0 <= v <= 1


def _check_mix_args(a: dict) -> Optional[str]:
    if not _unit(a.get("original")):
        return f"original must be a weight in [0, 1], got {describe(a.get('original'))}"
    w, ch = a.get("weights"), a.get("chains")
    if not is_array(w) or not is_array(ch) or len(w) != len(ch) or len(ch) > MAX_CHAINS:
        return f"weights and chains must be arrays of the same length (at most {MAX_CHAINS})"
    if not all(_unit(x) for x in w):
        return f"weights must be in [0, 1], got {describe(w)}"
    for chain in ch:
        if not is_array(chain) or len(chain) > MAX_DEPTH * 2:
            return f"each chain must be an array of at most {MAX_DEPTH * 2} ops"
        for op in chain:
            if not is_object(op) or not isinstance(op.get("op"), str):
                return f"chain ops must be ops, got {describe(op)}"
            try:
                check_op(op, "AugMix")
            except (TypeError, ValueError) as e:
                return str(e)
    return None


def _mix_meta(a: dict, meta: dict) -> dict:
    m = image_meta(meta, "AugMix")
    for chain in a["chains"]:
        out = m
        for op in chain:
            out = op_meta(op, out)
        if out["kind"] != "image" or out["width"] != m["width"] or out["height"] != m["height"] or out["channels"] != m["channels"]:
            raise RangeError("AugMix: every chain must keep the image's size and channels")
    return m


def _mix_run(x, a: dict):
    img = x
    n = img.size
    # Every chain first: executing one uses (and resets) the arena.
    augs = [execute(img, chain) for chain in a["chains"]]
    # Then the kernel mixes in one arena session, as torchvision's mix in float32.
    k = kernel()
    arena = k.arena
    arena.reset()
    acc = arena.alloc(n * 4)
    buf = arena.put(img)
    k.mixInit(acc, buf, n, fr(a["original"]))
    for i, aug in enumerate(augs):
        arena.u8[buf : buf + n].reshape(aug.shape)[...] = aug
        k.mixAdd(acc, buf, n, fr(a["weights"][i]))
    k.mixFinish(acc, buf, n)
    return arena.take_u8(buf, n, None, img.shape)


define_op("augMix", meta=_mix_meta, check=_check_mix_args, run=_mix_run)


# ---------------------------------------------------------------------------------------
# Shared options and checks

def _check_fill(fill: Any) -> Any:
    if fill is None or fill is UNDEFINED:
        return None
    if _js.is_number(fill):
        fill_bytes(fill, 1, "fill")
        return _js.num(fill)
    if is_array(fill) and len(fill) in (1, 3, 4):
        fill_bytes(fill, len(fill), "fill")
        return [_js.num(x) for x in fill]
    raise TypeError(f"fill must be null, an integer in [0, 255] or an array of 1, 3 or 4 of them, got {describe(fill)}")


MAX_BINS = 100000
MAX_OPS = 100


class _AugmentBase(Transform):
    random = True

    def __init__(self, interpolation: Any, fill: Any) -> None:
        self.interpolation = check_warp_interpolation(interpolation)
        self.fill = _check_fill(fill)

    def draw_params(self, draws, meta: dict, semantics: str = DEFAULT_SEMANTICS):
        """Draws the params from draws (any source of torch-like draws) for an input described by meta,
        from the magnitude tables of semantics (v1's or v2's)."""
        raise NotImplementedError

    def make_params(self, ctx: Context, meta: dict):
        return self.draw_params(StreamDraws(ctx.rng), meta, ctx.semantics)

    def _fill_for(self, m: dict, semantics: str) -> Optional[List[int]]:
        """The fill for m's channels: bytes, or None for torchvision's fill=None on tensors."""
        if self.fill is None and semantics != "pil":
            return None
        return [int(v) for v in fill_bytes(0 if self.fill is None else self.fill, m["channels"], "fill")]

    def lower(self, lst: list, m: dict, semantics: str) -> list:
        """The ops of a list of chosen operations, under semantics."""
        fill = self._fill_for(m, semantics)
        out = []
        for op in lst:
            out.extend(aug_op_ops(op, m, self.interpolation, fill, semantics))
        return out

    def map_targets(self, params: Any, meta: dict, state, semantics: str = DEFAULT_SEMANTICS):
        """torchvision's auto-augment policies refuse boxes and masks; so do these."""
        return refuse_targets(state, self.type)

    def common(self) -> dict:
        return {"interpolation": self.interpolation, "fill": self.fill}


def _is_aug_ops(v: Any, names: set, mx: int) -> bool:
    return (isinstance(v, list) and len(v) <= mx
            and all(is_object(o) and isinstance(o.get("name"), str) and o["name"] in names and is_finite(o.get("magnitude")) for o in v))


def _names_of(s: List[SpaceEntry]) -> set:
    return {e.name for e in s}


OP_SHAPE = "{ name, magnitude } entries"
AA_NAMES = _names_of(augmentation_space("AutoAugment", 10, 1, 1))


class AutoAugment(_AugmentBase):
    """AutoAugment (torchvision AutoAugment): one of the policy's 25 sub-policies at random, each of its
    two operations applied with its probability, magnitudes from 10 bins, random signs."""

    type = "AutoAugment"

    def __init__(self, policy: Any = "imagenet", interpolation: Any = "nearest", fill: Any = None) -> None:
        super().__init__("nearest" if interpolation is None else interpolation, fill)
        self.policy = _check_policy("imagenet" if policy is None else policy)

    def draw_params(self, d, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> dict:
        m = image_meta(meta, self.type)
        policies = POLICIES[self.policy]
        # get_params: randint(len(policies)), rand(2), randint(2, (2,)).
        sub_policy = d.randint(0, len(policies))
        probs = [d.rand(), d.rand()]
        signs = [d.randint(0, 2), d.randint(0, 2)]
        space = augmentation_space("AutoAugment", 10, m["height"], m["width"], True, semantics)
        applied = [False, False]
        ops = []
        for i, (name, p, bin_) in enumerate(policies[sub_policy]):
            # probs[i] <= p compares in float32.
            if not fr(probs[i]) <= fr(p):
                continue
            applied[i] = True
            ops.append(_choose(next(e for e in space if e.name == name), bin_, signs[i] == 0))
        return {"subPolicy": sub_policy, "applied": applied, "ops": ops}

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        m = image_meta(meta, self.type)
        expect_params(is_object(params) and is_int(params.get("subPolicy")) and 0 <= params["subPolicy"] < 25 and isinstance(params.get("applied"), list)
                      and len(params["applied"]) == 2 and all(isinstance(b, bool) for b in params["applied"]) and _is_aug_ops(params.get("ops"), AA_NAMES, 2),
                      self.type, f"{{ subPolicy: 0..24, applied: [boolean, boolean], ops: up to 2 {OP_SHAPE} }}", params)
        return self.lower(params["ops"], m, semantics)

    def config(self) -> dict:
        return {"policy": self.policy, **self.common()}


RA_NAMES = _names_of(augmentation_space("RandAugment", 2, 1, 1))


def _check_bins(v: Any) -> int:
    return check_int(v, "numMagnitudeBins", 2, MAX_BINS)


class RandAugment(_AugmentBase):
    """RandAugment (torchvision RandAugment): num_ops operations drawn uniformly from 14, each at
    magnitude bin magnitude of num_magnitude_bins, with a random sign for signed operations."""

    type = "RandAugment"

    def __init__(self, num_ops: Any = 2, magnitude: Any = 9, num_magnitude_bins: Any = 31, interpolation: Any = "nearest", fill: Any = None) -> None:
        super().__init__("nearest" if interpolation is None else interpolation, fill)
        self.num_ops = check_int(2 if num_ops is None else num_ops, "numOps", 0, MAX_OPS)
        self.num_magnitude_bins = _check_bins(31 if num_magnitude_bins is None else num_magnitude_bins)
        self.magnitude = check_int(9 if magnitude is None else magnitude, "magnitude", 0, self.num_magnitude_bins - 1)

    def draw_params(self, d, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> dict:
        m = image_meta(meta, self.type)
        space = augmentation_space("RandAugment", self.num_magnitude_bins, m["height"], m["width"], True, semantics)
        ops = []
        for _ in range(self.num_ops):
            e = space[d.randint(0, len(space))]
            ops.append(_choose(e, self.magnitude, e.signed and d.randint(0, 2) == 1))
        return {"ops": ops}

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        m = image_meta(meta, self.type)
        expect_params(is_object(params) and _is_aug_ops(params.get("ops"), RA_NAMES, MAX_OPS), self.type, f"{{ ops: {OP_SHAPE} }}", params)
        return self.lower(params["ops"], m, semantics)

    def config(self) -> dict:
        return {"numOps": self.num_ops, "magnitude": self.magnitude, "numMagnitudeBins": self.num_magnitude_bins, **self.common()}


class TrivialAugmentWide(_AugmentBase):
    """TrivialAugment Wide (torchvision TrivialAugmentWide): one operation drawn uniformly from 14, at a
    uniformly drawn magnitude bin of its (wide) table, with a random sign for signed operations."""

    type = "TrivialAugmentWide"

    def __init__(self, num_magnitude_bins: Any = 31, interpolation: Any = "nearest", fill: Any = None) -> None:
        super().__init__("nearest" if interpolation is None else interpolation, fill)
        self.num_magnitude_bins = _check_bins(31 if num_magnitude_bins is None else num_magnitude_bins)

    def draw_params(self, d, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> dict:
        image_meta(meta, self.type)
        space = augmentation_space("TrivialAugmentWide", self.num_magnitude_bins, 1, 1, True, semantics)
        e = space[d.randint(0, len(space))]
        bin_ = d.randint(0, e.bins) if e.bins > 0 else None
        return {"ops": [_choose(e, bin_, e.signed and d.randint(0, 2) == 1)]}

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        m = image_meta(meta, self.type)
        expect_params(is_object(params) and _is_aug_ops(params.get("ops"), RA_NAMES, 1), self.type, "{ ops: [one { name, magnitude } entry] }", params)
        return self.lower(params["ops"], m, semantics)

    def config(self) -> dict:
        return {"numMagnitudeBins": self.num_magnitude_bins, **self.common()}


AUGMIX_NAMES = _names_of(augmentation_space("AugMix", 10, 1, 1, True))


class AugMix(_AugmentBase):
    """AugMix (torchvision AugMix): mixture_width chains of 1..3 (or chain_depth) random operations,
    mixed with Dirichlet(alpha) weights, then with the original by a Beta(alpha, alpha) weight, in float32."""

    type = "AugMix"

    def __init__(self, severity: Any = 3, mixture_width: Any = 3, chain_depth: Any = -1, alpha: Any = 1.0, all_ops: Any = True, interpolation: Any = "bilinear", fill: Any = None) -> None:
        super().__init__("bilinear" if interpolation is None else interpolation, fill)
        self.severity = check_int(3 if severity is None else severity, "severity", 1, 10)
        self.mixture_width = check_int(3 if mixture_width is None else mixture_width, "mixtureWidth", 1, MAX_CHAINS)
        self.chain_depth = check_int(-1 if chain_depth is None else chain_depth, "chainDepth", -(2**31), MAX_DEPTH)
        alpha = check_finite(1 if alpha is None else alpha, "alpha")
        if not (0 < alpha <= 1e6):
            raise RangeError(f"alpha must be in (0, 1e6], got {alpha}")
        self.alpha = alpha
        all_ops = True if all_ops is None else all_ops
        if not isinstance(all_ops, bool):
            raise TypeError(f"allOps must be a boolean, got {describe(all_ops)}")
        self.all_ops = all_ops

    def draw_params(self, d, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> dict:
        m = image_meta(meta, self.type)
        space = augmentation_space("AugMix", 10, m["height"], m["width"], self.all_ops, semantics)
        beta = d.dirichlet(self.alpha, 2)
        chain_weights = d.dirichlet(self.alpha, self.mixture_width)
        chains = []
        for _ in range(self.mixture_width):
            depth = self.chain_depth if self.chain_depth > 0 else d.randint(1, 4)
            chain = []
            for _ in range(depth):
                e = space[d.randint(0, len(space))]
                bin_ = d.randint(0, self.severity) if e.bins > 0 else None
                chain.append(_choose(e, bin_, e.signed and d.randint(0, 2) == 1))
            chains.append(chain)
        return {"mix": [beta[0], beta[1]], "chainWeights": chain_weights, "chains": chains}

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        m = image_meta(meta, self.type)
        names = AUGMIX_NAMES if self.all_ops else _names_of(augmentation_space("AugMix", 10, 1, 1, False))
        expect_params(
            is_object(params) and isinstance(params.get("mix"), list) and len(params["mix"]) == 2 and all(_unit(v) for v in params["mix"])
            and isinstance(params.get("chainWeights"), list) and len(params["chainWeights"]) == self.mixture_width and all(_unit(v) for v in params["chainWeights"])
            and isinstance(params.get("chains"), list) and len(params["chains"]) == self.mixture_width and all(_is_aug_ops(c, names, MAX_DEPTH) for c in params["chains"]),
            self.type, f"{{ mix: [m0, m1], chainWeights: {self.mixture_width} weights, chains: {self.mixture_width} arrays of {OP_SHAPE} }}", params)
        m1 = fr(params["mix"][1])
        # torchvision's AugMix runs tensor kernels on every input: v1's under "pil", v2's under "tensor".
        chain_semantics = "tensor" if semantics == "tensor" else "tensor-v1"
        return [{"op": "call", "name": "augMix", "args": {"original": fr(params["mix"][0]), "weights": [fr(fr(w) * m1) for w in params["chainWeights"]],
                                                          "chains": [self.lower(c, m, chain_semantics) for c in params["chains"]]}}]

    def config(self) -> dict:
        return {"severity": self.severity, "mixtureWidth": self.mixture_width, "chainDepth": self.chain_depth, "alpha": self.alpha, "allOps": self.all_ops, **self.common()}


def _options(f: dict, type_: str, allowed: dict) -> dict:
    return {py: f[js] for py, js in allowed.items() if js in f and f[js] is not None}


register("AutoAugment", ["policy", "interpolation", "fill"],
         lambda f, p: AutoAugment(**_options(f, "AutoAugment", {"policy": "policy", "interpolation": "interpolation", "fill": "fill"})))
register("RandAugment", ["numOps", "magnitude", "numMagnitudeBins", "interpolation", "fill"],
         lambda f, p: RandAugment(**_options(f, "RandAugment", {"num_ops": "numOps", "magnitude": "magnitude", "num_magnitude_bins": "numMagnitudeBins", "interpolation": "interpolation", "fill": "fill"})))
register("TrivialAugmentWide", ["numMagnitudeBins", "interpolation", "fill"],
         lambda f, p: TrivialAugmentWide(**_options(f, "TrivialAugmentWide", {"num_magnitude_bins": "numMagnitudeBins", "interpolation": "interpolation", "fill": "fill"})))
register("AugMix", ["severity", "mixtureWidth", "chainDepth", "alpha", "allOps", "interpolation", "fill"],
         lambda f, p: AugMix(**_options(f, "AugMix", {"severity": "severity", "mixture_width": "mixtureWidth", "chain_depth": "chainDepth", "alpha": "alpha", "all_ops": "allOps", "interpolation": "interpolation", "fill": "fill"})))

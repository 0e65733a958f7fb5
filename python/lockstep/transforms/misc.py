"""GaussianBlur, GaussianNoise, RandomErasing, LinearTransformation and Lambda: sampling as
torchvision's, pixels in the kernel (mirrors src/transforms/misc.ts)."""
from __future__ import annotations

import math
import re
from typing import Any, Callable, Optional

import numpy as np

from .. import _js
from .._js import UNDEFINED, fround, is_finite, is_integer, is_number, js_round
from ..errors import RangeError
from ..functional.args import check_finite, is_array, round_half_even
from ..functional.erase import check_noise, erase, erase_constants, erase_random, gaussian_noise
from ..functional.filter import MAX_MATRIX, check_kernel_size, check_sigma_value, gaussian_blur, linear_transformation
from ..image import check_image, check_tensor, describe, is_tensor, meta_of
from ..kernel.math import kmath
from ..random.stream import Stream
from ..functional.semantics import DEFAULT_SEMANTICS
from .base import Context, Deterministic, Transform
from .ops import define_op
from .params import check_bool, check_probability, expect_params, image_meta, is_int, is_object
from .schema import kw, register, req


def tensor_meta(meta: dict, type_: str) -> dict:
    if meta["kind"] != "tensor":
        raise TypeError(f"{type_} expects a tensor: place it after ToTensor")
    s = meta["shape"]
    if len(s) < 3:
        raise RangeError(f"{type_} expects a [..., C, H, W] tensor, got shape [{', '.join(map(str, s))}]")
    return {**meta, "c": s[-3], "h": s[-2], "w": s[-1]}


def _check_range(v: Any, name: str, lo: float, hi: float, open_: bool):
    if not is_array(v) or len(v) != 2:
        raise TypeError(f"{name} must be [min, max], got {describe(v)}")
    a, b = check_finite(v[0], f"{name}[0]"), check_finite(v[1], f"{name}[1]")

    def bad(x):
        return ((not x > lo) if open_ else x < lo) or x > hi

    if bad(a) or bad(b):
        raise RangeError(f"{name} values must be in {'(' if open_ else '['}{_js.number_to_string(lo)}, {_js.number_to_string(hi)}], got [{a}, {b}]")
    if a > b:
        raise RangeError(f"{name} must be [min, max] with min <= max, got [{a}, {b}]")
    return [a, b]


def is_key(v: Any) -> bool:
    return is_array(v) and len(v) == 2 and all(is_integer(x) and 0 <= x <= 0xFFFFFFFF for x in v)


# ---------------------------------------------------------------------------------------
# Ops

def _blur_check(a: dict) -> Optional[str]:
    try:
        check_kernel_size(a.get("kernelSize"))
        s = a.get("sigma")
        if not is_array(s) or len(s) != 2:
            return "sigma must be [sigmaX, sigmaY]"
        for i, x in enumerate(s):
            check_sigma_value(x, f"sigma[{i}]")
        return None
    except (TypeError, ValueError) as e:
        return str(e)


define_op("gaussianBlur", meta=lambda a, m: image_meta(m, "GaussianBlur"), check=_blur_check, run=lambda x, a: gaussian_blur(x, a["kernelSize"], a["sigma"]))

define_op("gaussianNoise", meta=lambda a, m: m,
          check=lambda a: None if is_key(a.get("key")) else f"key must be two unsigned 32-bit integers, got {describe(a.get('key'))}",
          run=lambda x, a: gaussian_noise(x, a["key"], a["mean"], a["sigma"], a["clip"]))


def _erase_meta(a: dict, meta: dict) -> dict:
    m = tensor_meta(meta, "RandomErasing")
    if a["top"] + a["height"] > m["h"] or a["left"] + a["width"] > m["w"]:
        raise RangeError(f"RandomErasing: the region {a['height']}x{a['width']} at ({a['top']}, {a['left']}) does not fit in the {m['h']}x{m['w']} tensor")
    if a["value"] != "random" and len(a["value"]) != m["c"]:
        raise RangeError(f"RandomErasing: value has {len(a['value'])} entries, but the tensor has {m['c']} channels")
    return meta


def _erase_check(a: dict) -> Optional[str]:
    if not all(is_integer(a.get(k)) and 0 <= a[k] <= 2**30 for k in ("top", "left", "height", "width")):
        return "top/left/height/width must be non-negative integers"
    if a["value"] == "random" and not is_key(a.get("key")):
        return f"key must be two unsigned 32-bit integers, got {describe(a.get('key'))}"
    return None


define_op("erase", meta=_erase_meta, check=_erase_check,
          run=lambda x, a: erase_random(x, a["top"], a["left"], a["height"], a["width"], a["key"], inplace=a["inplace"]) if a["value"] == "random"
          else erase(x, a["top"], a["left"], a["height"], a["width"], a["value"], inplace=a["inplace"]))


def _linear_meta(a: dict, meta: dict) -> dict:
    m = tensor_meta(meta, "LinearTransformation")
    d = m["c"] * m["h"] * m["w"]
    if d != a["mean"].size:
        raise RangeError(f"LinearTransformation: input tensor and transformation matrix have incompatible shape: [{m['c']} x {m['h']} x {m['w']}] = {d} != {a['mean'].size}")
    return meta


define_op("linearTransformation", meta=_linear_meta,
          check=lambda a: None if isinstance(a.get("matrix"), np.ndarray) and isinstance(a.get("mean"), np.ndarray) and a["matrix"].size == a["mean"].size ** 2 else "matrix must be d x d and mean d long",
          run=lambda x, a: linear_transformation(x, a["matrix"], a["mean"]))


def _lambda_run(x: np.ndarray, a: dict) -> np.ndarray:
    label = f"Lambda {_js.dumps(a['name'])}"
    want = a["outputMeta"](meta_of(x)) if a["outputMeta"] else meta_of(x)
    y = a["fn"](x, Stream(tuple(a["key"])) if a["key"] else _NoRandomness(a["name"]))
    if not isinstance(y, np.ndarray):
        raise TypeError(f"{label} must return an image (uint8 HWC array) or a tensor (float32 array), got {describe(y)}")
    if is_tensor(y):
        check_tensor(y, f"{label}'s output")
    else:
        check_image(y, f"{label}'s output")
    got = meta_of(y)
    if _js.dumps(got) != _js.dumps(want):
        says = "its output_meta says" if a["outputMeta"] else "without an output_meta option it must keep its input's meta"
        raise RangeError(f"{label} returned {_js.dumps(got)}, but {says} {_js.dumps(want)}")
    return y


define_op("lambda", meta=lambda a, m: a["outputMeta"](m) if a["outputMeta"] else m,
          check=lambda a: None if a.get("key") is None or is_key(a.get("key")) else f"key must be two unsigned 32-bit integers, got {describe(a.get('key'))}",
          run=_lambda_run)


# ---------------------------------------------------------------------------------------
# GaussianBlur

class GaussianBlur(Transform):
    """Blurs with a Gaussian kernel whose sigma is drawn uniformly from [min, max] (torchvision
    GaussianBlur). kernel_size: an odd k or [kx, ky]; sigma: a fixed value or [min, max]."""

    type = "GaussianBlur"

    def __init__(self, kernel_size: Any, sigma: Any = (0.1, 2.0)) -> None:
        self.kernel_size = check_kernel_size(kernel_size)
        if is_number(sigma):
            s = check_sigma_value(sigma)
            self.sigma = [s, s]
        else:
            if not is_array(sigma) or len(sigma) != 2:
                raise TypeError(f"sigma must be a positive number or [min, max], got {describe(sigma)}")
            a, b = check_sigma_value(sigma[0], "sigma[0]"), check_sigma_value(sigma[1], "sigma[1]")
            if a > b:
                raise RangeError(f"sigma must be [min, max] with min <= max, got [{a}, {b}]")
            self.sigma = [a, b]
        self.random = self.sigma[0] != self.sigma[1]

    def make_params(self, ctx: Context, meta: dict) -> dict:
        image_meta(meta, self.type)
        return {"sigma": ctx.rng.uniform(self.sigma[0], self.sigma[1]) if self.random else self.sigma[0]}

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        image_meta(meta, self.type)
        expect_params(is_object(params) and is_number(params.get("sigma")), self.type, "{ sigma: number }", params)
        return [{"op": "call", "name": "gaussianBlur", "args": {"kernelSize": self.kernel_size, "sigma": [params["sigma"], params["sigma"]]}}]

    def config(self) -> dict:
        return {"kernelSize": self.kernel_size, "sigma": self.sigma}


# ---------------------------------------------------------------------------------------
# GaussianNoise

class GaussianNoise(Transform):
    """Adds Gaussian noise (torchvision v2 GaussianNoise) from Philox with the element index as
    counter and the slot key as key (Box-Muller in the kernel); images get round(x + 255 * noise).
    Params: the slot key, so a record replays the noise."""

    type = "GaussianNoise"
    random = True

    def __init__(self, mean: Any = 0.0, sigma: Any = 0.1, clip: Any = True) -> None:
        self.mean, self.sigma, self.clip = check_noise(0 if mean is None else mean, 0.1 if sigma is None else sigma, check_bool(clip, "clip", True))

    def make_params(self, ctx: Context, meta: dict) -> dict:
        return {"key": [ctx.key[0], ctx.key[1]]}

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        expect_params(is_object(params) and is_key(params.get("key")), self.type, "{ key: [k0, k1] }", params)
        return [{"op": "call", "name": "gaussianNoise", "args": {"mean": self.mean, "sigma": self.sigma, "clip": self.clip, "key": params["key"]}}]

    def config(self) -> dict:
        return {"mean": self.mean, "sigma": self.sigma, "clip": self.clip}


# ---------------------------------------------------------------------------------------
# RandomErasing

class RandomErasing(Transform):
    """Erases a random rectangle of a tensor with probability p (torchvision RandomErasing); value: a
    number, one per channel, or "random" (normal noise from the slot key). Params: None when nothing is erased."""

    type = "RandomErasing"
    random = True

    def __init__(self, p: Any = 0.5, scale: Any = (0.02, 0.33), ratio: Any = (0.3, 3.3), value: Any = 0, inplace: Any = False) -> None:
        self.p = check_probability(0.5 if p is None else p)
        self.scale = _check_range([0.02, 0.33] if scale is None else scale, "scale", 0, 1, False)
        self.ratio = _check_range([0.3, 3.3] if ratio is None else ratio, "ratio", 0, 1e30, True)
        v = 0 if value is None else value
        if isinstance(v, str) and v == "random":
            self.value = v
        elif is_number(v):
            self.value = check_finite(v, "value")
        elif is_array(v) and len(v) >= 1:
            self.value = [check_finite(x, f"value[{i}]") for i, x in enumerate(v)]
        else:
            raise TypeError(f'value must be a number, an array of numbers (1 or one per channel) or "random", got {describe(v)}')
        self.inplace = check_bool(inplace, "inplace", False)

    def make_params(self, ctx: Context, meta: dict) -> Any:
        m = tensor_meta(meta, self.type)
        if self.value != "random":
            erase_constants(self.value, m["c"], "value")
        rng = ctx.rng
        if not rng.random() < self.p:
            return None
        area = m["h"] * m["w"]
        log_ratio = (kmath.log(self.ratio[0]), kmath.log(self.ratio[1]))
        for _ in range(10):
            erase_area = area * rng.uniform(self.scale[0], self.scale[1])
            aspect = kmath.exp(rng.uniform(log_ratio[0], log_ratio[1]))
            h = round_half_even(math.sqrt(erase_area * aspect))
            w = round_half_even(math.sqrt(erase_area / aspect))
            if not (h < m["h"] and w < m["w"]):
                continue
            top = rng.randint(0, m["h"] - h + 1)
            left = rng.randint(0, m["w"] - w + 1)
            return {"top": top, "left": left, "height": h, "width": w, "key": [ctx.key[0], ctx.key[1]] if self.value == "random" else None}
        return None

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        m = tensor_meta(meta, self.type)
        if params is None:
            return []
        expect_params(is_object(params) and all(is_int(params.get(k)) for k in ("top", "left", "height", "width")) and (params.get("key", UNDEFINED) is None or is_key(params.get("key"))),
                      self.type, "null or { top, left, height, width, key }", params)
        value = "random" if self.value == "random" else erase_constants(self.value, m["c"], "value")
        return [{"op": "call", "name": "erase", "args": {"top": params["top"], "left": params["left"], "height": params["height"], "width": params["width"],
                                                         "value": value, "key": params["key"], "inplace": self.inplace}}]

    def config(self) -> dict:
        return {"p": self.p, "scale": self.scale, "ratio": self.ratio, "value": self.value, "inplace": self.inplace}


# ---------------------------------------------------------------------------------------
# LinearTransformation

def _check_f32(x: Any, name: str):
    v = check_finite(x, name)
    if not math.isfinite(fround(float(v))):
        raise RangeError(f"{name} must be within float32 range, got {v}")
    return v


def _matrix_of(v: Any) -> np.ndarray:
    if isinstance(v, np.ndarray):
        if v.ndim == 2:
            if v.shape[0] != v.shape[1] or v.shape[0] < 1:
                raise RangeError(f"transformationMatrix must be square, got shape {tuple(v.shape)}")
            v = v.reshape(-1)
        d = js_round(math.sqrt(v.size))
        if d * d != v.size or d < 1:
            raise RangeError(f"transformationMatrix must be square: a flat array needs d * d entries, got {v.size}")
        if v.size > MAX_MATRIX:
            raise RangeError(f"transformationMatrix has {v.size} entries, over the limit of {MAX_MATRIX}")
        a = v.astype(np.float32)
        bad = np.flatnonzero(~np.isfinite(a))
        if bad.size:
            raise RangeError(f"transformationMatrix[{bad[0]}] must be finite, got {a[bad[0]]}")
        return a
    if not is_array(v) or len(v) < 1 or not all(is_array(r) for r in v):
        raise TypeError(f"transformationMatrix must be a d x d array of rows (or a numpy array), got {describe(v)}")
    d = len(v)
    if d * d > MAX_MATRIX:
        raise RangeError(f"transformationMatrix has {d * d} entries, over the limit of {MAX_MATRIX}")
    out = np.zeros(d * d, np.float32)
    for i, row in enumerate(v):
        if len(row) != d:
            raise RangeError(f"transformationMatrix must be square: row {i} has {len(row)} entries, expected {d}")
        for j, x in enumerate(row):
            out[i * d + j] = _check_f32(x, f"transformationMatrix[{i}][{j}]")
    return out


def _vector_of(v: Any, d: int) -> np.ndarray:
    arr = v.tolist() if isinstance(v, np.ndarray) else v
    if not is_array(arr):
        raise TypeError(f"meanVector must be an array of {d} numbers, got {describe(v)}")
    if len(arr) != d:
        raise RangeError(f"meanVector has {len(arr)} entries, but transformationMatrix is {d} x {d}")
    return np.array([_check_f32(x, f"meanVector[{i}]") for i, x in enumerate(arr)], dtype=np.float32)


class LinearTransformation(Deterministic):
    """Whitening (torchvision LinearTransformation): each [C, H, W] item flattened to x becomes
    (x - mean_vector) @ transformation_matrix, in f32 in the kernel with a fixed summation order."""

    type = "LinearTransformation"

    def __init__(self, transformation_matrix: Any, mean_vector: Any) -> None:
        self.transformation_matrix = _matrix_of(transformation_matrix)
        self.mean_vector = _vector_of(mean_vector, js_round(math.sqrt(self.transformation_matrix.size)))

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        tensor_meta(meta, self.type)
        return [{"op": "call", "name": "linearTransformation", "args": {"matrix": self.transformation_matrix, "mean": self.mean_vector}}]

    def config(self) -> dict:
        d = self.mean_vector.size
        return {"transformationMatrix": self.transformation_matrix.reshape(d, d).tolist(), "meanVector": self.mean_vector.tolist()}


# ---------------------------------------------------------------------------------------
# Lambda

_lambdas: dict = {}
_NAME = re.compile(r"^[A-Za-z0-9_.:\-/]{1,100}$")


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or not _NAME.match(name) or name.endswith("\n"):
        raise TypeError(f"name must be 1-100 characters of letters, digits and _ . : - /, got {describe(name)}")
    return name


def register_lambda(name: str, fn: Callable, output_meta: Optional[Callable] = None) -> None:
    """Makes a user function known to from_json under name, so pipelines holding Lambda(fn, name=...)
    serialise and rebuild (register it in every process that rebuilds the pipeline)."""
    _check_name(name)
    if not callable(fn):
        raise TypeError(f"fn must be a function (x, rng) -> output, got {describe(fn)}")
    had = _lambdas.get(name)
    if had is not None and had[0] is not fn:
        raise RangeError(f"a different function is already registered as Lambda {_js.dumps(name)}")
    _lambdas[name] = (fn, output_meta)


class _NoRandomness:
    def __init__(self, name: str) -> None:
        self.name = name

    def _fail(self, *a: Any) -> Any:
        raise TypeError(f"Lambda {_js.dumps(self.name)} was declared random=False but used its rng; drop random=False to get a keyed stream")

    next_u32 = nextU32 = random = uniform = randint = _fail


class Lambda(Transform):
    """A user transform (torchvision Lambda) whose function also receives its own keyed stream:
    Lambda(lambda x, rng: ..., name="..."). Its draws are reproducible like any built-in's."""

    type = "Lambda"

    def __init__(self, fn: Callable, name: Optional[str] = None, random: Any = True, output_meta: Optional[Callable] = None) -> None:
        if not callable(fn):
            raise TypeError(f"Lambda needs a function (x, rng) -> output, got {describe(fn)}")
        self.fn = fn
        self.name = None if name is None else _check_name(name)
        self.random = check_bool(random, "random", True)
        if output_meta is not None and not callable(output_meta):
            raise TypeError(f"output_meta must be a function (meta) -> meta, got {describe(output_meta)}")
        self.meta_fn = output_meta

    def make_params(self, ctx: Context, meta: dict) -> Any:
        return {"key": [ctx.key[0], ctx.key[1]]} if self.random else None

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        if self.random:
            expect_params(is_object(params) and is_key(params.get("key")), self.type, "{ key: [k0, k1] }", params)
        key = [int(params["key"][0]), int(params["key"][1])] if self.random else None
        return [{"op": "call", "name": "lambda", "args": {"fn": self.fn, "name": self.name or "(unnamed)", "key": key, "outputMeta": self.meta_fn}}]

    def to_dict(self) -> dict:
        if self.name is None:
            raise TypeError("Lambda cannot be serialised without a name: construct it as Lambda(fn, name=...) and call register_lambda(name, fn) wherever the pipeline is rebuilt with from_json")
        had = _lambdas.get(self.name)
        if had is not None and had[0] is not self.fn:
            raise RangeError(f"Lambda {_js.dumps(self.name)}: a different function is registered under this name, so from_json would rebuild another transform")
        return super().to_dict()

    def config(self) -> dict:
        return {"name": self.name, "random": self.random}


def _lambda_create(f: dict, path: str) -> Lambda:
    name = _check_name(f.get("name", UNDEFINED))
    entry = _lambdas.get(name)
    if entry is None:
        raise RangeError(f"name: no function is registered as Lambda {_js.dumps(name)}; call register_lambda({_js.dumps(name)}, fn) before from_json")
    return Lambda(entry[0], name=name, random=f.get("random", UNDEFINED) if "random" in f else True, output_meta=entry[1])


register("GaussianBlur", ["kernelSize", "sigma"], lambda f, p: GaussianBlur(req(f, "kernelSize"), **kw(f, sigma="sigma")))
register("GaussianNoise", ["mean", "sigma", "clip"], lambda f, p: GaussianNoise(**kw(f, mean="mean", sigma="sigma", clip="clip")))
register("RandomErasing", ["p", "scale", "ratio", "value", "inplace"],
         lambda f, p: RandomErasing(**kw(f, p="p", scale="scale", ratio="ratio", value="value", inplace="inplace")))
register("LinearTransformation", ["transformationMatrix", "meanVector"], lambda f, p: LinearTransformation(req(f, "transformationMatrix"), req(f, "meanVector")))
register("Lambda", ["name", "random"], _lambda_create)

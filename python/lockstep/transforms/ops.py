"""The small instruction set transforms lower to (mirrors src/ir/ops.ts). Params are data;
ops are what runs. An op is a dict: {"op": "window" | "resize" | "hflip" | "vflip" | "toTensor" |
"normalize" | "call", ...}; "call" ops name a family registered with define_op. resize and toTensor
ops carry "semantics" (absent: "pil"): Pillow's resampler / ToTensor's v / 255, or ("tensor")
torch's uint8 resize / v2's ToDtype(scale=True)."""
from __future__ import annotations

from typing import Any, Callable, Optional

from .._js import is_finite, is_integer
from ..errors import RangeError
from ..image import MAX_SIDE
from ..functional.args import is_array
from ..functional.semantics import check_semantics


class OpSpec:
    """How to run an op family: meta(args, meta) -> meta, check(args) -> message or None, run(x, args) -> sample."""

    def __init__(self, meta: Callable[[dict, dict], dict], check: Callable[[dict], Optional[str]], run: Callable[[Any, dict], Any]):
        self.meta = meta
        self.check = check
        self.run = run


_specs: dict = {}


def define_op(name: str, meta, check, run) -> None:
    """Registers an op family under name; transforms then emit {"op": "call", "name": name, "args": ...}."""
    if name in _specs:
        raise RuntimeError(f"op {name} is already defined")
    _specs[name] = OpSpec(meta, check, run)


def op_spec(name: str) -> OpSpec:
    s = _specs.get(name)
    if s is None:
        raise RangeError(f"unknown op {name!r}")
    return s


def op_meta(op: dict, meta: dict) -> dict:
    """The meta an op produces. Raises when the op does not fit its input."""
    kind = op["op"]
    if kind == "call":
        return op_spec(op["name"]).meta(op["args"], meta)
    if kind == "normalize":
        if meta["kind"] != "tensor":
            raise TypeError("Normalize expects a tensor: put ToTensor before it")
        return meta
    if meta["kind"] != "image":
        raise TypeError(f"{kind} expects an image (u8), got a tensor: place it before ToTensor")
    if kind == "window":
        return {**meta, "width": op["width"], "height": op["height"]}
    if kind == "resize":
        return {**meta, "width": op["size"][1], "height": op["size"][0]}
    if kind == "toTensor":
        return {"kind": "tensor", "shape": [meta["channels"], meta["height"], meta["width"]]}
    return meta


def _is_int(v: Any, lo: int, hi: int) -> bool:
    return is_integer(v) and lo <= v <= hi


def check_op(op: dict, where: str) -> None:
    """Checks an op built from (possibly hostile) params before it reaches the kernel."""
    kind = op["op"]

    def bad(what: str):
        raise RangeError(f"{where}: invalid {kind} op: {what}")

    if kind == "window":
        if not _is_int(op["top"], -(2**30), 2**30) or not _is_int(op["left"], -(2**30), 2**30):
            bad("top/left must be integers")
        if not _is_int(op["height"], 1, MAX_SIDE) or not _is_int(op["width"], 1, MAX_SIDE):
            bad(f"height/width must be integers in [1, {MAX_SIDE}]")
        if not is_array(op["fill"]) or not all(_is_int(v, 0, 255) for v in op["fill"]):
            bad("fill must be integers in [0, 255]")
    elif kind == "resize":
        if not is_array(op["size"]) or len(op["size"]) != 2 or not all(_is_int(v, 1, MAX_SIDE) for v in op["size"]):
            bad(f"size must be [h, w] in [1, {MAX_SIDE}]")
        if "semantics" in op and op["semantics"] not in ("pil", "tensor"):
            bad('semantics must be "pil" or "tensor"')
    elif kind == "toTensor":
        if "semantics" in op:
            check_semantics(op["semantics"], f"{where}: toTensor op semantics")
    elif kind == "call":
        why = op_spec(op["name"]).check(op["args"])
        if why is not None:
            raise RangeError(f"{where}: invalid {op['name']} op: {why}")
    elif kind == "normalize":
        if not all(is_finite(s) and s != 0 for s in op["std"]) or not all(is_finite(m) for m in op["mean"]):
            bad("mean/std must be finite, std non-zero")

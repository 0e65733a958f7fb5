"""Runs ops on a sample (mirrors src/ir/execute.ts). Consecutive in-bounds crops, one resize,
flips and the final ToTensor(+Normalize) fuse into one kernel pass with no intermediate image; the
bytes are those of running the ops one by one (execute_each)."""
from __future__ import annotations

from typing import List, Optional, Tuple

import numpy as np

from .. import functional as F
from ..errors import RangeError
from ..functional.args import fill_bytes
from ..functional.geometry import window as window_op
from ..functional.resample import ResamplePlan, check_out, identity_plan, run_resample
from ..image import check_image, check_tensor, is_tensor, meta_of
from .ops import op_meta, op_spec


def _full_window(p: ResamplePlan) -> bool:
    w = p.window
    return w["top"] == 0 and w["left"] == 0 and w["height"] == p.size[0] and w["width"] == p.size[1]


def _resized(p: ResamplePlan) -> bool:
    return p.size[0] != p.box["height"] or p.size[1] != p.box["width"]


def _run_one(x: np.ndarray, op: dict) -> np.ndarray:
    """Runs one op alone with the functional API."""
    kind = op["op"]
    if kind == "call":
        return op_spec(op["name"]).run(x, op["args"])
    if kind == "normalize":
        return F.normalize(x, op["mean"], op["std"])
    img = x
    if kind == "window":
        return window_op(img, op["top"], op["left"], op["height"], op["width"], op["mode"], fill_bytes(op["fill"], img.shape[2]))
    if kind == "resize":
        h, w = img.shape[0], img.shape[1]
        box = {"top": 0, "left": 0, "height": h, "width": w}
        plan = identity_plan(w, h).copy(box=box, size=list(op["size"]), window={"top": 0, "left": 0, "height": op["size"][0], "width": op["size"][1]},
                                        interpolation=op["interpolation"], antialias=op["antialias"], semantics=op.get("semantics", "pil"))
        return run_resample(img, plan)
    if kind == "hflip":
        return F.hflip(img)
    if kind == "vflip":
        return F.vflip(img)
    if kind == "toTensor":
        return F.to_tensor(img, semantics=op.get("semantics", "pil"))
    raise RangeError(f"unknown op {kind!r}")


def execute_each(input: np.ndarray, ops: List[dict]) -> np.ndarray:
    """Reference executor: every op on its own."""
    x = input
    for op in ops:
        x = _run_one(x, op)
    return np.array(x, order="C") if x is input else x


def _fold(plan: ResamplePlan, op: dict) -> bool:
    """Tries to fold op into plan (over an image of the plan's current size); False if it cannot."""
    kind = op["op"]
    if plan.tensor is not None:
        if kind != "normalize" or any(m != 0 for m in plan.tensor["mean"]) or any(s != 1 for s in plan.tensor["std"]):
            return False
        plan.tensor = {"mean": list(op["mean"]), "std": list(op["std"])}
        return True
    H = plan.window["height"]
    W = plan.window["width"]
    if kind == "hflip":
        plan.hflip = not plan.hflip
        return True
    if kind == "vflip":
        plan.vflip = not plan.vflip
        return True
    if kind == "toTensor":
        # The bytes-to-f32 step follows the op's semantics; a resize already planned keeps its own.
        if _resized(plan) and plan.semantics != op.get("semantics", "pil"):
            return False
        plan.tensor = {"mean": [], "std": []}
        plan.semantics = op.get("semantics", "pil")
        return True
    if kind == "window":
        if op["top"] < 0 or op["left"] < 0 or op["top"] + op["height"] > H or op["left"] + op["width"] > W:
            return False
        # Undo the pending flips: a crop of a mirrored image is the mirrored crop.
        top = H - op["top"] - op["height"] if plan.vflip else op["top"]
        left = W - op["left"] - op["width"] if plan.hflip else op["left"]
        if not _resized(plan):
            plan.box = {"top": plan.box["top"] + plan.window["top"] + top, "left": plan.box["left"] + plan.window["left"] + left, "height": op["height"], "width": op["width"]}
            plan.size = [op["height"], op["width"]]
            plan.window = {"top": 0, "left": 0, "height": op["height"], "width": op["width"]}
        else:
            plan.window = {"top": plan.window["top"] + top, "left": plan.window["left"] + left, "height": op["height"], "width": op["width"]}
        return True
    if kind == "resize":
        # One resize per pass, and only before flips (Pillow's rounding is not mirror-symmetric).
        if _resized(plan) or plan.hflip or plan.vflip or not _full_window(plan):
            return False
        plan.size = list(op["size"])
        plan.window = {"top": 0, "left": 0, "height": op["size"][0], "width": op["size"][1]}
        plan.interpolation = op["interpolation"]
        plan.antialias = op["antialias"]
        plan.semantics = op.get("semantics", "pil")
        return True
    return False


def _is_identity(plan: ResamplePlan, img: dict) -> bool:
    return plan.tensor is None and not plan.hflip and not plan.vflip and not _resized(plan) and plan.box["width"] == img["width"] and plan.box["height"] == img["height"]


def _finished(plan: ResamplePlan, c: int) -> ResamplePlan:
    """The plan with one mean and std per channel, checked against the channel count."""
    if plan.tensor is None:
        return plan

    def fit(v, d):
        return [d] * c if len(v) == 0 else ([v[0]] * c if len(v) == 1 else v)

    if len(plan.tensor["mean"]) > 1 and len(plan.tensor["mean"]) != c:
        raise RangeError(f"Normalize has {len(plan.tensor['mean'])} means, but the image has {c} channels")
    if len(plan.tensor["std"]) > 1 and len(plan.tensor["std"]) != c:
        raise RangeError(f"Normalize has {len(plan.tensor['std'])} stds, but the image has {c} channels")
    return plan.copy(tensor={"mean": fit(plan.tensor["mean"], 0), "std": fit(plan.tensor["std"], 1)})


def _merge_windows(ops: List[dict]) -> List[dict]:
    """Merges a window that lies inside the previous window's output into it: every pixel of the inner
    window is the outer window's border rule applied to the input at the summed offset, so one window
    gives the same bytes (pad-then-crop, zoom-out then an IoU crop) without the large intermediate canvas."""
    if not any(op["op"] == "window" and i + 1 < len(ops) and ops[i + 1]["op"] == "window" for i, op in enumerate(ops)):
        return ops
    out: List[dict] = []
    for op in ops:
        prev = out[-1] if out else None
        if (op["op"] == "window" and prev is not None and prev["op"] == "window" and op["top"] >= 0 and op["left"] >= 0
                and op["top"] + op["height"] <= prev["height"] and op["left"] + op["width"] <= prev["width"]):
            out[-1] = {**prev, "top": prev["top"] + op["top"], "left": prev["left"] + op["left"], "height": op["height"], "width": op["width"]}
        else:
            out.append(op)
    return out


def lower(input: dict, all_ops: List[dict]) -> Tuple[list, list]:
    """Splits ops into steps ({"kind": "resample", "plan"} or {"kind": "op", "op"}), fusing what can
    be fused. metas[i] describes step i's input and the last entry the output."""
    ops = _merge_windows(all_ops)
    steps: list = []
    metas: list = [input]
    state = {"x": input, "plan": None, "base": None}

    def push(step, nxt):
        steps.append(step)
        metas.append(nxt)
        state["x"] = nxt

    def flush():
        plan, base = state["plan"], state["base"]
        if plan is not None and base is not None and not _is_identity(plan, base):
            f = _finished(plan, base["channels"])
            w = f.window
            nxt = {"kind": "tensor", "shape": [base["channels"], w["height"], w["width"]]} if f.tensor is not None else {"kind": "image", "width": w["width"], "height": w["height"], "channels": base["channels"]}
            push({"kind": "resample", "plan": f}, nxt)
        state["plan"] = None
        state["base"] = None

    for op in ops:
        x = state["x"]
        if x["kind"] == "image" or state["plan"] is not None:
            if state["plan"] is None:
                state["base"] = x
                state["plan"] = identity_plan(x["width"], x["height"])
            if _fold(state["plan"], op):
                continue
            flush()
            x = state["x"]
            if x["kind"] == "image":
                state["base"] = x
                state["plan"] = identity_plan(x["width"], x["height"])
                if _fold(state["plan"], op):
                    continue
                state["plan"] = None
                state["base"] = None
        push({"kind": "op", "op": op}, op_meta(op, state["x"]))
    flush()
    return steps, metas


def execute(input: np.ndarray, ops: List[dict], out: Optional[np.ndarray] = None) -> np.ndarray:
    """Runs ops, fusing what can be fused; out receives the final values when given."""
    x = check_tensor(input, "input") if is_tensor(input) else check_image(input, "input")
    steps, _ = lower(meta_of(x), ops)
    for i, step in enumerate(steps):
        if step["kind"] == "op":
            x = _run_one(x, step["op"])
            continue
        last = i == len(steps) - 1
        x = run_resample(x, step["plan"], out if last else None)
        if last and out is not None:
            return x
    if x is input:
        x = np.array(x, order="C")
    if out is not None:
        o = check_out(out, np.float32 if is_tensor(x) else np.uint8, x.shape)
        np.copyto(o, x.reshape(o.shape))
        return o
    return x

"""Transforms of transforms: Compose, RandomApply, RandomChoice, RandomOrder (mirrors
src/transforms/container.ts). Child i draws from slot i of its parent, so adding a child never
changes the draws of the others."""
from __future__ import annotations

from typing import Any, List, Optional

from .._js import UNDEFINED, is_finite
from ..errors import RangeError
from ..functional.args import check_finite, is_array
from ..functional.semantics import DEFAULT_SEMANTICS, check_json_semantics, check_semantics
from ..image import describe
from .base import Context, Transform, draw_params
from .ops import op_meta
from .params import check_probability, expect_params, is_int, is_object
from .schema import child_transforms, kw, register


def _check_children(transforms: Any, name: str = "transforms") -> List[Transform]:
    if not is_array(transforms) or not all(isinstance(t, Transform) for t in transforms):
        raise TypeError(f"{name} must be an array of transforms, got {describe(transforms)}")
    return list(transforms)


def _run_params(children: List[Transform], order: List[int], ctx: Context, meta: dict, semantics: str, targets=None) -> list:
    """Params of a run of children in order, meta (and targets, when a later child reads them) flowing from one to the next."""
    params: list = [None] * len(children)
    m = meta
    t = targets
    for k, i in enumerate(order):
        params[i] = draw_params(children[i], ctx.child(i), m, t)
        if t is not None and any(children[j].needs_targets for j in order[k + 1:]):
            t = children[i].map_targets(params[i], m, t, semantics)
        m = children[i].output_meta(m, params[i], semantics)
    return params


def _run_targets(children: List[Transform], order: List[int], params: list, meta: dict, state, semantics: str):
    """The targets after a run of children in order (sizes flow as the image's do under semantics)."""
    m = meta
    t = state
    for i in order:
        t = children[i].map_targets(params[i], m, t, semantics)
        m = children[i].output_meta(m, params[i], semantics)
    return t


def _needs(children: List[Transform]) -> bool:
    return any(c.needs_targets for c in children)


def _run_ops(children: List[Transform], order: List[int], params: list, meta: dict, semantics: str) -> list:
    ops: list = []
    m = meta
    for i in order:
        own = children[i].ops(params[i], m, semantics)
        ops.extend(own)
        for op in own:  # the child's output_meta, from the ops just made (not made again)
            m = op_meta(op, m)
    return ops


class Compose(Transform):
    """Applies transforms one after the other (torchvision Compose). Params: one entry per child.

    semantics: which torchvision pipeline to reproduce, "pil" (torchvision on PIL images, the default
    at the root) or "tensor" (torchvision v2 on uint8 tensors). A nested Compose without it (None)
    takes its parent's. Recorded in to_json() and in records."""

    type = "Compose"

    def __init__(self, transforms: List[Transform], semantics: Optional[str] = None) -> None:
        self.transforms = _check_children(transforms)
        self.random = any(t.random for t in self.transforms)
        # The semantics given to the constructor, or None to take the parent's ("pil" at the root).
        self.own_semantics: Optional[str] = None if semantics is None else check_semantics(semantics)

    @property
    def semantics(self) -> str:
        return self.own_semantics or DEFAULT_SEMANTICS

    def make_params(self, ctx: Context, meta: dict, targets=None) -> list:
        c = ctx.with_semantics(self.own_semantics) if self.own_semantics else ctx
        return _run_params(self.transforms, list(range(len(self.transforms))), c, meta, c.semantics, targets)

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        expect_params(isinstance(params, list) and len(params) == len(self.transforms), self.type, f"an array of {len(self.transforms)} child params", params)
        return _run_ops(self.transforms, list(range(len(self.transforms))), params, meta, self.own_semantics or semantics)

    @property
    def needs_targets(self) -> bool:
        return _needs(self.transforms)

    def map_targets(self, params: Any, meta: dict, state, semantics: str = DEFAULT_SEMANTICS):
        expect_params(isinstance(params, list) and len(params) == len(self.transforms), self.type, f"an array of {len(self.transforms)} child params", params)
        return _run_targets(self.transforms, list(range(len(self.transforms))), params, meta, state, self.own_semantics or semantics)

    def config(self) -> dict:
        children = [t.to_dict() for t in self.transforms]
        return {"transforms": children, "semantics": self.own_semantics} if self.own_semantics else {"transforms": children}


class RandomApply(Transform):
    """Applies its transforms, in order, with probability p (torchvision RandomApply)."""

    type = "RandomApply"
    random = True

    def __init__(self, transforms: List[Transform], p: float = 0.5) -> None:
        self.transforms = _check_children(transforms)
        self.p = check_probability(p)

    def make_params(self, ctx: Context, meta: dict, targets=None) -> dict:
        applied = ctx.rng.random() < self.p
        return {"applied": applied, "params": _run_params(self.transforms, list(range(len(self.transforms))), ctx, meta, ctx.semantics, targets) if applied else None}

    @property
    def needs_targets(self) -> bool:
        return _needs(self.transforms)

    def map_targets(self, params: Any, meta: dict, state, semantics: str = DEFAULT_SEMANTICS):
        expect_params(is_object(params) and isinstance(params.get("applied"), bool), self.type, "{ applied, params }", params)
        if not params["applied"]:
            return state
        inner = params.get("params")
        expect_params(isinstance(inner, list) and len(inner) == len(self.transforms), self.type, f"params with {len(self.transforms)} entries", inner)
        return _run_targets(self.transforms, list(range(len(self.transforms))), inner, meta, state, semantics)

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        expect_params(is_object(params) and isinstance(params.get("applied"), bool), self.type, "{ applied, params }", params)
        if not params["applied"]:
            return []
        inner = params.get("params")
        expect_params(isinstance(inner, list) and len(inner) == len(self.transforms), self.type, f"params with {len(self.transforms)} entries", inner)
        return _run_ops(self.transforms, list(range(len(self.transforms))), inner, meta, semantics)

    def config(self) -> dict:
        return {"transforms": [t.to_dict() for t in self.transforms], "p": self.p}


class RandomChoice(Transform):
    """Applies one of its transforms, picked with weights p (uniform by default) (torchvision RandomChoice)."""

    type = "RandomChoice"
    random = True

    def __init__(self, transforms: List[Transform], p: Optional[List[float]] = None) -> None:
        self.transforms = _check_children(transforms)
        if len(self.transforms) == 0:
            raise RangeError("transforms must not be empty")
        if p is not None and p is not UNDEFINED:
            if not is_array(p) or len(p) != len(self.transforms):
                raise RangeError(f"p must have one weight per transform ({len(self.transforms)}), got {describe(p)}")
            for i, w in enumerate(p):
                if check_finite(w, f"p[{i}]") < 0:
                    raise RangeError(f"p[{i}] must be >= 0, got {w}")
            total = 0
            for w in p:
                total += w
            if total <= 0:
                raise RangeError("p must have a positive sum")
        self.p = [check_finite(w, "p") for w in p] if p else None

    def make_params(self, ctx: Context, meta: dict, targets=None) -> dict:
        w = self.p if self.p is not None else [1] * len(self.transforms)
        total = 0
        for x in w:
            total += x
        u = ctx.rng.random() * total
        choice = 0
        acc = w[0]
        while choice < len(w) - 1 and u >= acc:
            acc += w[choice + 1]
            choice += 1
        while w[choice] == 0:  # u landed on the end of a zero-weight run
            choice -= 1
        return {"choice": choice, "params": draw_params(self.transforms[choice], ctx.child(choice), meta, targets)}

    @property
    def needs_targets(self) -> bool:
        return _needs(self.transforms)

    def map_targets(self, params: Any, meta: dict, state, semantics: str = DEFAULT_SEMANTICS):
        expect_params(is_object(params) and is_int(params.get("choice")) and 0 <= params["choice"] < len(self.transforms), self.type,
                      f"{{ choice in [0, {len(self.transforms)}), params }}", params)
        return self.transforms[int(params["choice"])].map_targets(params.get("params", UNDEFINED), meta, state, semantics)

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        expect_params(is_object(params) and is_int(params.get("choice")) and 0 <= params["choice"] < len(self.transforms), self.type,
                      f"{{ choice in [0, {len(self.transforms)}), params }}", params)
        return self.transforms[int(params["choice"])].ops(params.get("params", UNDEFINED), meta, semantics)

    def config(self) -> dict:
        return {"transforms": [t.to_dict() for t in self.transforms], "p": self.p}


class RandomOrder(Transform):
    """Applies its transforms in a random order (torchvision RandomOrder); Fisher-Yates on the slot's stream."""

    type = "RandomOrder"
    random = True

    def __init__(self, transforms: List[Transform]) -> None:
        self.transforms = _check_children(transforms)

    def make_params(self, ctx: Context, meta: dict, targets=None) -> dict:
        order = list(range(len(self.transforms)))
        for i in range(len(order) - 1, 0, -1):
            j = ctx.rng.randint(0, i + 1)
            order[i], order[j] = order[j], order[i]
        return {"order": order, "params": _run_params(self.transforms, order, ctx, meta, ctx.semantics, targets)}

    @property
    def needs_targets(self) -> bool:
        return _needs(self.transforms)

    def map_targets(self, params: Any, meta: dict, state, semantics: str = DEFAULT_SEMANTICS):
        self.ops(params, meta)  # validates the params
        return _run_targets(self.transforms, [int(i) for i in params["order"]], params["params"], meta, state, semantics)

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> list:
        n = len(self.transforms)
        ok = (is_object(params) and isinstance(params.get("order"), list) and len(params["order"]) == n
              and all(is_int(v) for v in params["order"]) and sorted(params["order"]) == list(range(n))
              and isinstance(params.get("params"), list) and len(params["params"]) == n)
        expect_params(ok, self.type, f"{{ order: a permutation of 0..{n - 1}, params }}", params)
        return _run_ops(self.transforms, [int(i) for i in params["order"]], params["params"], meta, semantics)

    def config(self) -> dict:
        return {"transforms": [t.to_dict() for t in self.transforms]}


register("Compose", ["transforms", "semantics"],
         lambda f, path: Compose(child_transforms(f.get("transforms", UNDEFINED), path), semantics=check_json_semantics(f["semantics"]) if "semantics" in f else None))
register("RandomApply", ["transforms", "p"], lambda f, path: RandomApply(child_transforms(f.get("transforms", UNDEFINED), path), 0.5 if f.get("p") is None else f["p"]))
register("RandomChoice", ["transforms", "p"], lambda f, path: RandomChoice(child_transforms(f.get("transforms", UNDEFINED), path), **kw(f, p="p")))
register("RandomOrder", ["transforms"], lambda f, path: RandomOrder(child_transforms(f.get("transforms", UNDEFINED), path)))

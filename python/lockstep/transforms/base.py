"""The Transform base (mirrors src/transforms/base.ts): make_params draws parameters (plain JSON)
from a slot's randomness, ops turns parameters into pixel operations; apply, sample,
apply_with_record and replay are built on those two."""
from __future__ import annotations

from typing import Any, List, Optional

import numpy as np

from .. import _js
from .._js import UNDEFINED, is_integer
from ..convert import check_output, from_sample, out_array, to_sample
from ..errors import RangeError
from ..functional.semantics import DEFAULT_SEMANTICS, check_json_semantics
from ..image import check_image, check_tensor, describe, is_tensor, meta_of
from ..random.keys import TAG, Key, check_count, check_seed, fold_in, sample_key
from ..random.stream import Stream
from ..targets.geometry import map_target
from ..targets.sample import TargetState, has_targets, is_structured, map_targets as map_each_target, split_sample, without_masks
from .execute import execute
from .ops import check_op, op_meta

HOW_TO_SEED = ("pass seed=, index=, epoch= for keyed randomness (reproducible per sample, any worker count) "
               "or generator=lockstep.Generator(seed) for sequential randomness")


class Context:
    """The randomness of one transform slot: its key, a lazily made stream, and its children's slots;
    plus the semantics the call runs with (the auto-augment policies draw from torchvision v1's or
    v2's magnitude tables accordingly).

    A child's key is folded when first used (a transform that draws nothing never asks), which
    saves kernel calls and changes no draw."""

    __slots__ = ("_key", "semantics", "_parent", "_i", "_stream")

    def __init__(self, key: Optional[Key], semantics: str = DEFAULT_SEMANTICS, parent: Optional["Context"] = None, i: int = 0) -> None:
        self._key = key
        self.semantics = semantics
        self._parent = parent
        self._i = i
        self._stream: Optional[Stream] = None

    @property
    def key(self) -> Key:
        if self._key is None:
            self._key = fold_in(self._parent.key, self._i, TAG["slot"])  # type: ignore[union-attr]
        return self._key

    @property
    def rng(self) -> Stream:
        """This slot's draws."""
        if self._stream is None:
            self._stream = Stream(self.key)
        return self._stream

    def child(self, i: int) -> "Context":
        """The slot of child i: a key folded from this one, stable whatever else the pipeline holds."""
        return Context(None, self.semantics, self, i)

    def with_semantics(self, semantics: str) -> "Context":
        """This slot under another semantics (for a Compose that sets its own; it draws nothing itself)."""
        return self if semantics == self.semantics else Context(self._key, semantics, self._parent, self._i)


def _root_context(t: "Transform", seed: Any, epoch: Any, index: Any, generator: Any) -> Optional[Context]:
    """The root context of a call, or None for a pipeline that draws nothing."""
    keyed = seed is not None
    if keyed and generator is not None:
        raise TypeError(f"pass either seed or generator, not both; {HOW_TO_SEED}")
    if generator is not None:
        if not callable(getattr(generator, "next_key", None)):
            raise TypeError(f"generator must be a lockstep Generator, got {describe(generator)}")
        return Context(generator.next_key(), t.semantics)
    if keyed:
        return Context(sample_key(check_seed(seed), check_count(0 if epoch is None else epoch, "epoch"), check_count(0 if index is None else index, "index")), t.semantics)
    if index is not None or epoch is not None:
        raise TypeError(f"index and epoch need a seed; {HOW_TO_SEED}")
    if t.random:
        raise TypeError(f"{t.type} draws random parameters and no randomness was given: {HOW_TO_SEED}")
    return None


def _one_input(inputs: tuple) -> Any:
    """torchvision's forward(*inputs): one input as itself, several as a tuple sample."""
    if len(inputs) == 0:
        raise TypeError("a transform needs an input: an image, or a sample such as (image, target)")
    return inputs[0] if len(inputs) == 1 else tuple(inputs)


def draw_params(t: "Transform", ctx: Context, meta: dict, targets: Optional[TargetState]) -> Any:
    """t's params; transforms that read the sample's targets (needs_targets) get them."""
    return t.make_params(ctx, meta, targets) if t.needs_targets else t.make_params(ctx, meta)


def _is_meta_like(x: Any) -> bool:
    """Whether sample() was handed a meta ({"kind"} or {"width", "height"}) rather than a sample."""
    return isinstance(x, dict) and (x.get("kind") in ("image", "tensor") or ("width" in x and "data" not in x))


def to_meta(x: Any) -> dict:
    """The meta of an input: a meta dict, {width, height, channels?}, or a sample."""
    if isinstance(x, dict) and "kind" in x:
        if x["kind"] == "tensor":
            s = x.get("shape")
            if not isinstance(s, (list, tuple)) or len(s) < 1 or not all(is_integer(d) and d >= 1 for d in s):
                raise TypeError(f"meta.shape must be an array of positive integers, got {describe(s)}")
            return {"kind": "tensor", "shape": [int(d) for d in s]}
        return _image_meta_of(x.get("width"), x.get("height"), x.get("channels"))
    if isinstance(x, dict) and "width" in x:
        return _image_meta_of(x.get("width"), x.get("height"), 3 if x.get("channels") is None else x.get("channels"))
    s, _ = to_sample(x)
    if is_tensor(s):
        check_tensor(s, "input")
    else:
        check_image(s, "input")
    return meta_of(s)


def _image_meta_of(width: Any, height: Any, channels: Any) -> dict:
    from ..image import MAX_PIXELS, MAX_SIDE, check_area, check_side
    check_side(width, "meta.width")
    check_side(height, "meta.height")
    if channels not in (1, 3, 4) or isinstance(channels, bool):
        raise RangeError(f"meta.channels must be 1, 3 or 4, got {describe(channels)}")
    check_area(int(width), int(height), "meta")
    return {"kind": "image", "width": int(width), "height": int(height), "channels": int(channels)}


class Transform:
    """A transform, torchvision v2 style. Subclasses set type and random and define make_params,
    ops and config (the constructor's arguments as JSON, camelCase as the TypeScript host's)."""

    type: str = "Transform"
    random: bool = False

    def make_params(self, ctx: Context, meta: dict) -> Any:
        """Draws this transform's parameters for an input described by meta."""
        raise NotImplementedError

    def ops(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> List[dict]:
        """The pixel operations that apply params to an input described by meta, computed the way
        torchvision does under semantics (parameters never depend on it)."""
        raise NotImplementedError

    def config(self) -> dict:
        """The constructor's arguments as JSON (without type)."""
        raise NotImplementedError

    def geometry(self, params: Any, meta: dict, semantics: str = DEFAULT_SEMANTICS) -> Optional[List[dict]]:
        """The geometric calls (torchvision's functional calls: crop, pad, resize, rotate, ...) these
        params make, which move the sample's targets; None for transforms that leave targets alone."""
        return None

    @property
    def needs_targets(self) -> bool:
        """Whether make_params reads the sample's targets (then it is called with them)."""
        return False

    def map_targets(self, params: Any, meta: dict, state: TargetState, semantics: str = DEFAULT_SEMANTICS) -> TargetState:
        """Moves the targets with the same params as the image: each geometric call in turn."""
        geo = self.geometry(params, meta, semantics)
        if not geo or not has_targets(state):
            return state

        def move(t, path):
            for g in geo:
                t = map_target(g, t)
            return t

        return map_each_target(state, move)

    @property
    def semantics(self) -> str:
        """The semantics this transform runs with when called directly: a Compose's own option,
        otherwise "pil" (torchvision on PIL images). Nested transforms take their parent's."""
        return DEFAULT_SEMANTICS

    def output_meta(self, meta: dict, params: Any, semantics: Optional[str] = None) -> dict:
        """The meta of the output, from the ops."""
        m = meta
        for op in self.ops(params, meta, self.semantics if semantics is None else semantics):
            m = op_meta(op, m)
        return m

    def to_dict(self) -> dict:
        """This transform as a JSON object (the TypeScript host's toJSON()); from_json rebuilds it."""
        return {"type": self.type, **self.config()}

    def to_json(self) -> str:
        """This transform as a JSON string: byte for byte what JSON.stringify(t.toJSON()) gives in JavaScript."""
        return _js.dumps(self.to_dict())

    def __repr__(self) -> str:
        return f"lockstep.from_json({self.to_json()!r})"

    # ---- what users call -------------------------------------------------------------------

    def sample(self, input: Any, *, seed: Any = None, epoch: Any = None, index: Any = None, generator: Any = None) -> Any:
        """Draws the parameters for an input (an image, a tensor, or its meta) without touching pixels.
        With the same randomness, apply uses exactly these."""
        split = None if _is_meta_like(input) else split_sample(input)
        meta = to_meta(input if split is None else split.image)
        ctx = _root_context(self, seed, epoch, index, generator) or Context((0, 0), self.semantics)
        return draw_params(self, ctx, meta, self._param_targets(split.state if split is not None else None))

    def apply(self, *inputs: Any, seed: Any = None, epoch: Any = None, index: Any = None, generator: Any = None, out: Any = None, output: Optional[str] = None) -> Any:
        """Applies the transform. Keyed (seed=, index=, epoch=) or sequential (generator=). Several
        inputs are one sample, as torchvision's transform(img, target): a tuple comes back."""
        return self.apply_with_record(_one_input(inputs), seed=seed, epoch=epoch, index=index, generator=generator, out=out, output=output)[0]

    def __call__(self, *inputs: Any, seed: Any = None, epoch: Any = None, index: Any = None, generator: Any = None, out: Any = None, output: Optional[str] = None) -> Any:
        """pipeline(img, seed=, epoch=, index=) is apply: numpy in, numpy out; torch in, torch out.
        pipeline(img, target, seed=...) takes torchvision v2's structured samples: (image, dict of
        boxes / masks / key points / labels) in, the same structure out, targets moved with the image."""
        return self.apply(_one_input(inputs), seed=seed, epoch=epoch, index=index, generator=generator, out=out, output=output)

    def apply_with_record(self, input: Any, *, seed: Any = None, epoch: Any = None, index: Any = None, generator: Any = None, out: Any = None, output: Optional[str] = None):
        """Applies the transform; returns (output, record), record = {"meta", "params", "semantics"} for
        replay (semantics: the one the pixels were computed with)."""
        output = check_output(output)
        split = split_sample(input)
        x, source = to_sample(split.image)
        meta = to_meta_of_sample(x)
        semantics = self.semantics
        ctx = _root_context(self, seed, epoch, index, generator) or Context((0, 0), semantics)
        params = draw_params(self, ctx, meta, self._param_targets(split.state))
        return self._finish(split, x, source, meta, params, semantics, out, output), {"meta": meta, "params": params, "semantics": semantics}

    def replay(self, input: Any, record: Any, *, out: Any = None, output: Optional[str] = None) -> Any:
        """Re-applies recorded parameters (from apply_with_record, here or in JavaScript): the same output,
        with the record's semantics ("pil" for records that name none)."""
        if not isinstance(record, dict) or "params" not in record or "meta" not in record:
            raise TypeError(f"record must be {{meta, params}} as returned by apply_with_record, got {describe(record)}")
        output = check_output(output)
        split = split_sample(input)
        x, source = to_sample(split.image)
        meta = to_meta_of_sample(x)
        if _js.dumps(meta) != _js.dumps(record["meta"]):
            raise RangeError(f"record was made for input {_js.dumps(record['meta'])}, but this input is {_js.dumps(meta)}")
        semantics = check_json_semantics(record.get("semantics", UNDEFINED), "record.semantics")
        return self._finish(split, x, source, meta, record["params"], semantics, out, output)

    def _param_targets(self, state: Optional[TargetState]) -> Optional[TargetState]:
        """The targets make_params sees: boxes and key points (no mask pixels), only when it reads them."""
        return without_masks(state) if state is not None and self.needs_targets else None

    def _finish(self, split, x: np.ndarray, source: str, meta: dict, params: Any, semantics: str, out: Any, output: Optional[str]) -> Any:
        """Moves the targets (first: a transform that cannot take them fails before pixel work), runs
        the image's ops, and rebuilds the sample."""
        state = self.map_targets(params, meta, split.state, semantics) if split.state is not None else None
        y = self._run(x, meta, params, semantics, out_array(out))
        image = out if out is not None else from_sample(y, source, output)
        if split.state is not None and source == "torch" and _is_tv_image(split.image):
            from torchvision import tv_tensors
            image = tv_tensors.Image(image)
        return split.rebuild(image, state)

    def _run(self, x: np.ndarray, meta: dict, params: Any, semantics: str, out: Optional[np.ndarray]) -> np.ndarray:
        ops = self.ops(params, meta, semantics)
        m = meta
        for op in ops:
            check_op(op, self.type)
            m = op_meta(op, m)
        return execute(x, ops, out)


def _is_tv_image(x: Any) -> bool:
    import sys
    tv = sys.modules.get("torchvision.tv_tensors")
    return tv is not None and isinstance(x, tv.Image)


def to_meta_of_sample(x: np.ndarray) -> dict:
    if is_tensor(x):
        check_tensor(x, "input")
    else:
        check_image(x, "input")
    return meta_of(x)


class Deterministic(Transform):
    """A transform that draws nothing: make_params returns None and ops depends on meta only."""

    random = False

    def make_params(self, ctx: Context, meta: dict) -> None:
        return None

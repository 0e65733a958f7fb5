"""Structured samples, as torchvision v2 takes them (mirrors src/targets/sample.ts): an image plus
targets in dicts, lists and tuples ({"image", "boxes", "labels"}, (image, {"boxes", "masks",
"labels"}), ...). The sample is flattened into leaves; the image and the targets are transformed,
every other leaf (labels, ids, file names) passes through, and the structure is rebuilt around the
results, in the types it came in: torchvision's tv_tensors come back as tv_tensors, lockstep's
targets as lockstep's.

Which leaf is the image (torchvision's rule): a PIL image or a tv_tensors.Image if there is one;
otherwise the first plain numpy array or torch tensor with two or more dimensions."""
from __future__ import annotations

import re
import sys
from typing import Any, Callable, List, Optional

import numpy as np

from ..convert import is_pil_image, is_torch_tensor
from ..errors import RangeError
from ..image import describe
from .types import BoundingBoxes, KeyPoints, Mask, check_bounding_boxes, check_key_points, check_mask, is_target, mask_size

MAX_DEPTH = 32


class Leaf:
    """One leaf of a sample other than its image: where it is, its value, and what it came as
    ("tv" for a torchvision tv_tensor, with the mask's dtype; None for lockstep's own types)."""

    __slots__ = ("path", "value", "origin")

    def __init__(self, path: tuple, value: Any, origin: Any = None) -> None:
        self.path, self.value, self.origin = path, value, origin

    def with_value(self, value: Any) -> "Leaf":
        return Leaf(self.path, value, self.origin)


class TargetState:
    """The targets of a sample on their way through a pipeline: every leaf but the image, in the
    sample's order, and which leaf holds the labels (torchvision's heuristic), or -1."""

    __slots__ = ("leaves", "labels")

    def __init__(self, leaves: List[Leaf], labels: int = -1) -> None:
        self.leaves, self.labels = leaves, labels


def path_name(path: tuple) -> str:
    """sample["target"]["boxes"], sample[1]["labels"]: a path for messages."""
    return "sample" + "".join(f"[{p}]" if isinstance(p, int) else f"[{p!r}]" for p in path)


def _tv():
    m = sys.modules.get("torchvision.tv_tensors")
    if m is None and "torchvision" in sys.modules:
        try:
            import torchvision.tv_tensors as m  # noqa: F811
        except Exception:  # noqa: BLE001 - torchvision present but broken: treat its types as absent
            return None
    return m


def _is_tv(v: Any, name: str) -> bool:
    tv = _tv()
    return tv is not None and isinstance(v, getattr(tv, name))


def _is_pure_array(v: Any) -> bool:
    if isinstance(v, np.ndarray):
        return True
    if is_torch_tensor(v):
        tv = _tv()
        return tv is None or not isinstance(v, tv.TVTensor)
    return False


def _is_scalar(v: Any) -> bool:
    return v is None or isinstance(v, (bool, int, float, str, np.generic))


def _walk(v: Any, path: tuple, out: list, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise RangeError(f"{path_name(path)}: a sample may nest at most {MAX_DEPTH} levels")
    if isinstance(v, (list, tuple)) and not all(_is_scalar(x) for x in v):
        for i, x in enumerate(v):
            _walk(x, path + (i,), out, depth + 1)
    elif isinstance(v, dict):
        for k in v:
            _walk(v[k], path + (k,), out, depth + 1)
    else:
        out.append((path, v))


def _find_labels(sample: Any, leaves: List[Leaf]) -> int:
    """torchvision's _find_labels_default_heuristic: a "labels" key (any case), else a key containing "label"."""
    base: tuple = ()
    obj = sample
    if isinstance(sample, (list, tuple)):
        if len(sample) < 2:
            return -1
        base, obj = (1,), sample[1]
    if not isinstance(obj, dict):
        return -1
    keys = [k for k in obj if isinstance(k, str)]
    key = next((k for k in keys if k.lower() == "labels"), None) or next((k for k in keys if "label" in k.lower()), None)
    if key is None:
        return -1
    want = base + (key,)
    return next((i for i, l in enumerate(leaves) if l.path == want), -1)


def _set_at(root: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(root, list):
        c = list(root)
        c[head] = _set_at(root[head], rest, value)
        return c
    if isinstance(root, tuple):
        c = list(root)
        c[head] = _set_at(root[head], rest, value)
        return type(root)(*c) if hasattr(root, "_fields") else tuple(c)
    c = dict(root)
    c[head] = _set_at(root[head], rest, value)
    return c if type(root) is dict else type(root)(c)


# ---- torchvision tv_tensors <-> lockstep targets --------------------------------------------


def _from_tv(v: Any, name: str):
    """A tv_tensor as a lockstep target, and what to give back (its origin)."""
    if _is_tv(v, "BoundingBoxes"):
        data = v.detach().cpu().numpy()
        b = BoundingBoxes._raw(v.format.name, [int(s) for s in v.canvas_size], getattr(v, "clamping_mode", "soft"),
                               np.ascontiguousarray(data, dtype=np.float32).reshape(-1))
        return check_bounding_boxes(b, name), ("tv", str(v.dtype))
    if _is_tv(v, "KeyPoints"):
        data = v.detach().cpu().numpy()
        k = KeyPoints._raw([int(s) for s in v.canvas_size], [int(s) for s in data.shape], np.ascontiguousarray(data, dtype=np.float32).reshape(-1))
        return check_key_points(k, name), ("tv", str(v.dtype))
    if _is_tv(v, "Mask"):
        a = v.detach().cpu().numpy()
        dtype = str(v.dtype)
        if a.dtype not in (np.uint8, np.int32):
            if a.dtype == np.bool_:
                a = a.astype(np.uint8)
            elif a.dtype.kind in "iu" and (a.size == 0 or (a.min() >= -(2**31) and a.max() < 2**31)):
                a = a.astype(np.int32)
            else:
                raise TypeError(f"{name} must hold uint8, bool or integer values that fit in int32, got a {v.dtype} mask")
        if a.ndim == 4 and a.shape[1] == 1:
            raise RangeError(f"{name} has shape {tuple(a.shape)}; give masks as (H, W) or (N, H, W)")
        return check_mask(Mask._raw([int(s) for s in a.shape], np.ascontiguousarray(a).reshape(-1)), name), ("tv", dtype)
    return None


def _to_tv(t: Any, origin) -> Any:
    """A lockstep target (or a pure array after ToPureTensor) back as what it came as."""
    if not (isinstance(origin, tuple) and origin[0] == "tv"):
        return t
    import torch
    from torchvision import tv_tensors as tv
    dtype = getattr(torch, origin[1].replace("torch.", ""))
    if isinstance(t, BoundingBoxes):
        fmt = getattr(tv.BoundingBoxFormat, t.format)
        return tv.BoundingBoxes(torch.from_numpy(t.numpy().copy()), format=fmt, canvas_size=tuple(t.canvas_size), clamping_mode=t.clamping_mode)
    if isinstance(t, KeyPoints):
        return tv.KeyPoints(torch.from_numpy(t.numpy().copy()), canvas_size=tuple(t.canvas_size))
    if isinstance(t, Mask):
        a = torch.from_numpy(t.numpy().copy())
        return tv.Mask(a if a.dtype == dtype else a.to(dtype))
    if isinstance(t, np.ndarray):  # ToPureTensor: a plain tensor
        return torch.from_numpy(t.copy())
    return t


# ---- split and rebuild ------------------------------------------------------------------------


class Split:
    """A sample split into its image, its targets (None for a bare image) and a way back."""

    __slots__ = ("image", "state", "rebuild")

    def __init__(self, image: Any, state: Optional[TargetState], rebuild: Callable[[Any, Optional[TargetState]], Any]) -> None:
        self.image, self.state, self.rebuild = image, state, rebuild


def _image_hw(x: Any):
    """The (height, width) of an image leaf as lockstep will read it, or None if unknown here."""
    if is_pil_image(x):
        return [x.height, x.width]
    a = x
    if is_torch_tensor(a):
        s = list(a.shape)
        if len(s) >= 2:
            return [int(d) for d in s[-2:]]
    if isinstance(a, np.ndarray) and a.ndim >= 2:
        if a.dtype == np.float32:
            return [int(a.shape[-2]), int(a.shape[-1])]
        return [int(a.shape[0]), int(a.shape[1])]
    return None


def is_structured(x: Any) -> bool:
    """Whether x is a sample structure (dict, list, tuple) rather than an image."""
    return isinstance(x, (dict, list, tuple))


def split_sample(input: Any) -> Split:
    """Splits a sample: a bare image, or dicts / lists / tuples holding exactly one image and any
    targets. Validates every target and that its size matches the image's."""
    if not is_structured(input):
        return Split(input, None, lambda image, state: image)
    found: list = []
    _walk(input, (), found, 0)
    explicit = [i for i, (p, v) in enumerate(found) if is_pil_image(v) or _is_tv(v, "Image")]
    if len(explicit) > 1:
        raise TypeError(f"the sample holds {len(explicit)} images ({', '.join(path_name(found[i][0]) for i in explicit)}); a sample holds one image and its targets")
    if explicit:
        at = explicit[0]
    else:
        at = next((i for i, (p, v) in enumerate(found) if _is_pure_array(v) and len(v.shape) >= 2), -1)
    if at < 0:
        targets = [f"{_kind(v)} at {path_name(p)}" for p, v in found if is_target(v) or _from_tv_kind(v)]
        raise TypeError("the sample has no image: expected one image (a numpy array, a PIL image or a torch tensor) in it, "
                        "e.g. {\"image\": img, \"boxes\": ..., \"labels\": ...}" + (f"; found {', '.join(targets)}" if targets else ""))
    img_path, image = found[at]
    leaves: List[Leaf] = []
    for i, (p, v) in enumerate(found):
        if i == at:
            continue
        name = path_name(p)
        tv = _from_tv(v, name)
        if tv is not None:
            leaves.append(Leaf(p, tv[0], tv[1]))
            continue
        if isinstance(v, BoundingBoxes):
            check_bounding_boxes(v, name)
        elif isinstance(v, KeyPoints):
            check_key_points(v, name)
        elif isinstance(v, Mask):
            check_mask(v, name)
        leaves.append(Leaf(p, v))
    hw = _image_hw(image)
    for l in leaves:
        t = l.value
        if not is_target(t) or hw is None:
            continue
        size = mask_size(t) if isinstance(t, Mask) else t.canvas_size
        if list(size) != list(hw):
            what = " (shape (..., H, W))" if isinstance(t, Mask) else ".canvas_size"
            raise RangeError(f"{path_name(l.path)}{what} is {list(size)} but the image at {path_name(img_path)} is {hw[0]}x{hw[1]} (height x width): they must match")
    state = TargetState(leaves, _find_labels(input, leaves))

    def rebuild(new_image: Any, s: Optional[TargetState]) -> Any:
        out = _set_at(input, img_path, new_image)
        for l in (s.leaves if s is not None else []):
            out = _set_at(out, l.path, _to_tv(l.value, l.origin))
        return out

    return Split(image, state, rebuild)


def _kind(v: Any) -> str:
    return getattr(v, "kind", type(v).__name__)


def _from_tv_kind(v: Any) -> bool:
    return any(_is_tv(v, n) for n in ("BoundingBoxes", "KeyPoints", "Mask"))


def map_targets(state: TargetState, fn: Callable[[Any, tuple], Any]) -> TargetState:
    """The state with every target leaf replaced by fn(target, path)."""
    return TargetState([l.with_value(fn(l.value, l.path)) if is_target(l.value) else l for l in state.leaves], state.labels)


def without_masks(state: TargetState) -> TargetState:
    """The state without masks (for drawing params: nothing there needs pixels)."""
    keep = [not isinstance(l.value, Mask) for l in state.leaves]
    leaves = [l for l, k in zip(state.leaves, keep) if k]
    labels = -1 if state.labels < 0 or not keep[state.labels] else leaves.index(state.leaves[state.labels])
    return TargetState(leaves, labels)


def first_target(state: Optional[TargetState], cls) -> Optional[tuple]:
    """The first target of a class (torchvision's get_bounding_boxes / get_keypoints): (index, value)."""
    if state is None:
        return None
    for i, l in enumerate(state.leaves):
        if isinstance(l.value, cls):
            return i, l.value
    return None


def has_targets(state: Optional[TargetState]) -> bool:
    return state is not None and any(is_target(l.value) for l in state.leaves)


def refuse_targets(state: TargetState, type_: str) -> TargetState:
    """For transforms torchvision refuses targets in (FiveCrop, TenCrop, the auto-augment family)."""
    for l in state.leaves:
        if is_target(l.value):
            raise TypeError(f"{type_} does not support bounding boxes, masks or key points (as torchvision), found {l.value.kind} at {path_name(l.path)}")
    return state

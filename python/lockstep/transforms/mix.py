"""Batch transforms: MixUp and CutMix (torchvision v2), on a whole batch and its labels (mirrors
src/transforms/mix.ts). Their randomness is keyed by (seed, epoch, batch number), so a loader batch
gets the same mix for any number of workers; lam ~ Beta(alpha, alpha) as torch draws it (two gammas,
Marsaglia and Tsang) from Philox, with the kernel's log / cos / pow; the blend in float32 in the kernel."""
from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np

from .. import _js
from ..convert import is_torch_tensor
from ..errors import RangeError
from ..functional.args import check_finite
from ..image import describe
from ..kernel.instance import kernel
from ..kernel.math import kmath
from ..random.keys import TAG, check_count, check_seed, fold_in, seed_key
from ..random.stream import Stream
from ..targets.f32 import f


def batch_key(seed: Any, epoch: int, batch: int):
    """The key of batch `batch` of `epoch`: a domain of its own, so it never equals a sample's key."""
    return fold_in(fold_in(seed_key(check_seed(seed)), check_count(epoch, "epoch"), TAG["epoch"]), check_count(batch, "batch"), TAG["batch"])


def _stream(seed: Any, epoch: Any, batch: Any, generator: Any) -> Stream:
    if generator is not None:
        if seed is not None:
            raise TypeError("pass either seed or generator, not both")
        return Stream(generator.next_key())
    if seed is None:
        raise TypeError("MixUp / CutMix draw random parameters: pass seed=, epoch=, batch= (keyed) or generator=")
    return Stream(batch_key(seed, 0 if epoch is None else epoch, 0 if batch is None else batch))


def _u01(s: Stream) -> float:
    return (s.next_u32() + 0.5) / 4294967296


def _normal(s: Stream) -> float:
    return math.sqrt(-2 * kmath.log(_u01(s))) * kmath.cos(2 * math.pi * _u01(s))


def _gamma(s: Stream, a: float) -> float:
    if a < 1:
        return _gamma(s, a + 1) * kmath.pow(_u01(s), 1 / a)
    d = a - 1 / 3
    c = 1 / math.sqrt(9 * d)
    while True:
        x = _normal(s)
        v = 1 + c * x
        if v <= 0:
            continue
        v = v * v * v
        u = _u01(s)
        if u < 1 - 0.0331 * x * x * x * x:
            return d * v
        if kmath.log(u) < 0.5 * x * x + d * (1 - v + kmath.log(v)):
            return d * v


def _beta(s: Stream, alpha: float) -> float:
    x, y = _gamma(s, alpha), _gamma(s, alpha)
    return f(x / (x + y))  # torch samples in float32


def _blend_rolled(data: np.ndarray, n: int, lam: float) -> np.ndarray:
    """out[i] = f32(x[i - 1] * (1 - lam)) + f32(x[i] * lam) over the N rows of data (i - 1 wraps), in the kernel."""
    flat = np.ascontiguousarray(data, dtype=np.float32).reshape(n, -1)
    rolled = np.roll(flat, 1, axis=0)
    k = kernel()
    arena = k.arena
    arena.reset()
    a = arena.put_f32(rolled)
    b = arena.put_f32(flat)
    dst = arena.alloc(flat.size * 4)
    k.blendF32(a, b, flat.size, f(1 - lam), f(lam), dst)
    return arena.take_f32(dst, flat.size, shape=data.shape)


def _numpy(x: Any):
    """(numpy array, whether it came as a torch tensor)."""
    if is_torch_tensor(x):
        t = x.detach()
        if t.device.type != "cpu":
            raise TypeError("MixUp / CutMix run on the CPU: move the batch there first")
        return t.contiguous().numpy(), True
    if isinstance(x, np.ndarray):
        return x, False
    return None, False


class _MixBase:
    """MixUp and CutMix: alpha, num_classes, the label mixing and the keyed API."""

    type = "Mix"

    def __init__(self, *, alpha: float = 1.0, num_classes: Optional[int] = None) -> None:
        self.alpha = check_finite(1.0 if alpha is None else alpha, "alpha")
        if not self.alpha > 0:
            raise RangeError(f"alpha must be > 0, got {self.alpha}")
        if num_classes is not None and not (_js.is_integer(num_classes) and 1 <= num_classes <= 1e6):
            raise RangeError(f"numClasses must be an integer in [1, 1e6], got {describe(num_classes)}")
        self.num_classes = None if num_classes is None else int(num_classes)

    # ---- what users call ------------------------------------------------------------------

    def __call__(self, images: Any, labels: Any, *, seed: Any = None, epoch: Any = None, batch: Any = None, generator: Any = None):
        """Mixes a batch as torchvision's transform(images, labels): returns (images, [N, K] float32 label weights)."""
        return self.apply_with_record(images, labels, seed=seed, epoch=epoch, batch=batch, generator=generator)[0]

    def sample(self, images: Any, *, seed: Any = None, epoch: Any = None, batch: Any = None, generator: Any = None) -> dict:
        """The params a call with the same key would draw (no pixel work)."""
        x, _ = self._check_images(images, False)
        return self.draw(_stream(seed, epoch, batch, generator), x)

    def apply_with_record(self, images: Any, labels: Any, *, seed: Any = None, epoch: Any = None, batch: Any = None, generator: Any = None):
        """((images, labels), {"params": ...}) for replay."""
        x, _ = self._check_images(images, self.type == "MixUp")
        params = self.draw(_stream(seed, epoch, batch, generator), x)
        return self._run(images, labels, params), {"params": params}

    def replay(self, images: Any, labels: Any, record: Any):
        """The same output as the call that made record (here or in JavaScript)."""
        if not isinstance(record, dict) or "params" not in record:
            raise TypeError(f"record must be {{params}} as returned by apply_with_record, got {describe(record)}")
        return self._run(images, labels, self.check_params(record["params"]))

    def to_dict(self) -> dict:
        return {"type": self.type, "alpha": self.alpha, "numClasses": self.num_classes}

    def to_json(self) -> str:
        return _js.dumps(self.to_dict())

    # ---- inside ---------------------------------------------------------------------------

    def _check_images(self, images: Any, need_float: bool):
        x, torch_in = _numpy(images)
        if x is None or x.ndim != 4:
            raise TypeError(f"{self.type}: images must be a batch of shape (N, C, H, W) (float32, or uint8 for CutMix), got {describe(images)}")
        if x.dtype not in (np.float32, np.uint8):
            raise TypeError(f"{self.type}: images must be float32 or uint8, got {x.dtype}")
        if need_float and x.dtype != np.float32:
            raise TypeError(f"{self.type} needs float images (torch cannot blend uint8 in place either): end the pipeline with ToTensor or ToDtype(float32)")
        if any(d < 1 for d in x.shape):
            raise RangeError(f"{self.type}: images.shape {tuple(x.shape)} has an empty dimension")
        return x, torch_in

    def _one_hot(self, labels: Any, n: int) -> np.ndarray:
        a, _ = _numpy(labels)
        if a is None:
            if isinstance(labels, (list, tuple)):
                a = np.asarray(labels)
            else:
                raise TypeError(f"{self.type}: labels must be class indices (N integers) or (N, K) float32 probabilities, got {describe(labels)}")
        if a.dtype == np.float32 and a.ndim == 2:
            if a.shape[0] != n:
                raise RangeError(f"{self.type}: 2-D labels must be (N, K) with N = {n}, got {tuple(a.shape)}")
            if self.num_classes is not None and a.shape[1] != self.num_classes:
                raise RangeError(f"{self.type}: labels have {a.shape[1]} classes but numClasses is {self.num_classes}")
            return a.copy()
        if a.ndim != 1 or len(a) != n:
            raise RangeError(f"{self.type}: {len(a) if a.ndim == 1 else tuple(a.shape)} labels for a batch of {n} images")
        if self.num_classes is None:
            raise TypeError(f"{self.type}: num_classes must be given for index labels")
        k = self.num_classes
        out = np.zeros((n, k), np.float32)
        for i, c in enumerate(a.tolist()):
            if not _js.is_integer(c) or not 0 <= c < k:
                raise RangeError(f"{self.type}: labels[{i}] must be a class index in [0, {k}), got {describe(c)}")
            out[i, int(c)] = 1
        return out

    def _run(self, images: Any, labels: Any, params: dict):
        x, torch_in = self._check_images(images, self.type == "MixUp")
        n = x.shape[0]
        weights = _blend_rolled(self._one_hot(labels, n), n, params["lam"])
        mixed = self.mix_images(x, params)
        if torch_in:
            import torch
            return torch.from_numpy(mixed), torch.from_numpy(weights)
        return mixed, weights


class MixUp(_MixBase):
    """MixUp (torchvision v2): every image and label becomes lam * itself + (1 - lam) * the previous one in
    the batch (the first takes the last), lam ~ Beta(alpha, alpha). Float32 (N, C, H, W) images; labels
    as class indices (give num_classes) or (N, K) probabilities; label weights come back (N, K) float32."""

    type = "MixUp"

    def draw(self, s: Stream, x: np.ndarray) -> dict:
        return {"lam": _beta(s, self.alpha)}

    def check_params(self, p: Any) -> dict:
        lam = p.get("lam") if isinstance(p, dict) else None
        if not _js.is_number(lam) or not 0 <= lam <= 1:
            raise TypeError(f"MixUp: params must be {{lam in [0, 1]}}, got {describe(p)}")
        return {"lam": lam}

    def mix_images(self, x: np.ndarray, p: dict) -> np.ndarray:
        return _blend_rolled(x, x.shape[0], p["lam"])


class CutMix(_MixBase):
    """CutMix (torchvision v2): a box of about (1 - lam) of the image, lam ~ Beta(alpha, alpha), centred at a
    uniform pixel and clipped, is pasted from the previous image of the batch; labels mix with the box's
    actual area (torchvision's lam_adjusted). (N, C, H, W) float32 or uint8 batches."""

    type = "CutMix"

    def draw(self, s: Stream, x: np.ndarray) -> dict:
        lam = _beta(s, self.alpha)
        H, W = x.shape[2], x.shape[3]
        rx, ry = s.randint(0, W), s.randint(0, H)
        r = 0.5 * math.sqrt(1.0 - lam)
        rw, rh = math.trunc(r * W), math.trunc(r * H)
        box = [max(rx - rw, 0), max(ry - rh, 0), min(rx + rw, W), min(ry + rh, H)]
        return {"box": box, "lam": 1.0 - ((box[2] - box[0]) * (box[3] - box[1])) / (W * H)}

    def check_params(self, p: Any) -> dict:
        ok = isinstance(p, dict) and isinstance(p.get("box"), list) and len(p["box"]) == 4 and all(_js.is_integer(v) and v >= 0 for v in p["box"]) and _js.is_number(p.get("lam"))
        if not ok:
            raise TypeError(f"CutMix: params must be {{box: [x1, y1, x2, y2], lam}}, got {describe(p)}")
        return {"box": [int(v) for v in p["box"]], "lam": p["lam"]}

    def mix_images(self, x: np.ndarray, p: dict) -> np.ndarray:
        H, W = x.shape[2], x.shape[3]
        x1, y1, x2, y2 = p["box"]
        if x2 > W or y2 > H or x1 > x2 or y1 > y2:
            raise RangeError(f"CutMix: box {p['box']} does not fit {W}x{H} images")
        out = x.copy()
        out[:, :, y1:y2, x1:x2] = np.roll(x, 1, axis=0)[:, :, y1:y2, x1:x2]
        return out


def batch_transform_from_json(value: Any):
    """Rebuilds a batch transform from its JSON ({"type": "MixUp" | "CutMix", "alpha", "numClasses"})."""
    import json
    o = json.loads(value) if isinstance(value, str) else value
    if not isinstance(o, dict):
        raise TypeError(f'expected {{"type": "MixUp" | "CutMix", "alpha", "numClasses"}}, got {describe(o)}')
    for k in o:
        if k not in ("type", "alpha", "numClasses"):
            raise RangeError(f"$.{k}: unknown field (allowed: alpha, numClasses)")
    kw = {"alpha": o.get("alpha"), "num_classes": o.get("numClasses")}
    if o.get("type") == "MixUp":
        return MixUp(**kw)
    if o.get("type") == "CutMix":
        return CutMix(**kw)
    raise RangeError(f'$.type: expected "MixUp" or "CutMix", got {describe(o.get("type"))}')

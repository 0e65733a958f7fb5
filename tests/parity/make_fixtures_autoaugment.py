#!/work/venv/bin/python
"""Generate the torchvision parity fixtures for lockstep's auto-augment policies, under both semantics.

Run with the venv's Python (torch 2.13 CPU, torchvision 0.28, Pillow 12.3):

    /work/venv/bin/python tests/parity/make_fixtures_autoaugment.py [--samples DIR]

Writes tests/parity/fixtures/autoaugment/{cases.json, samples.json.gz, inputs/, out/}, in the
format of fixtures/cases.json (see tests/parity/README.md). Deterministic: two runs give
identical bytes.

cases.json holds
  tables  torchvision's magnitude tables (_augmentation_space) for several bin counts and
          image sizes, as the float32 values torch.linspace / the Posterize formula give:
          v1's (semantics "pil") and v2's ("tensor": Solarize runs 1.0 .. 0.0 there).
  shearDegrees  [magnitude, math.degrees(math.atan(magnitude))] for the shear tables.
  cases   "op" cases, each with its semantics: one operation on one input.
          "pil": torchvision.transforms.autoaugment._apply_op on a PIL image ("pillow";
          RGBA: colour ops on RGB with alpha appended, "pillow-rgb+alpha"; geometry on each
          band as an 'L' image, "pillow-bands").
          "tensor": v2's _apply_image_or_video_transform on the uint8 CHW tensor
          ("torchvision-v2"; RGBA colour ops on RGB + alpha, "torchvision-v2-rgb+alpha").
          "tensor-v1": v1's _apply_op on the tensor (what AugMix runs on any input),
          "torchvision-v1" / "torchvision-v1-rgb+alpha", for AugMix's operations.
          "transform" cases: a transform's own forward() with torch's draws replaced by a
          script (see Scripted below): `script` lists each draw (the function, its range
          and the value returned), `ops` the (name, magnitude) pairs _apply_op received,
          `dirichlet` (AugMix) the weights _sample_dirichlet returned. "pil": v1 forward()
          on the PIL image (AugMix converts it to a tensor itself). "tensor": the same draws'
          operations (Solarize's magnitude from v2's table at the same bin) applied as v2's
          forward() applies them: in order through _apply_image_or_video_transform, or
          (AugMix) mixed with the same weights, on the uint8 tensor.
samples.json.gz holds torchvision's own sampling, aggregated: for each configuration the
counts of (op name, magnitude) passed to _apply_op over N forward() calls (a recorder
replaces _apply_op, the image is a zero uint8 tensor), AutoAugment's sub-policy and
probability outcomes, AugMix's chain depths, and torch._sample_dirichlet draws.
torch.manual_seed(0) before each configuration.
"""

import gzip
import json
import math
import os
import shutil
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as base  # noqa: E402  (imports torchvision the venv way)
from make_fixtures import torch  # noqa: E402
import torchvision.transforms.autoaugment as AA  # noqa: E402
import torchvision.transforms.v2 as T2  # noqa: E402
from torchvision.transforms import InterpolationMode  # noqa: E402

OUT = os.path.join(base.FIXTURES, "autoaugment")
GENERATOR = "tests/parity/make_fixtures_autoaugment.py"
GEOMETRY = {"ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate"}


def f32(v):
    """A float32 value as the Python float it converts to exactly."""
    return float(np.float32(v))


def f32s(v):
    """A float32 value printed with the 9 significant digits that identify it (float32(x) gives it back)."""
    x = float(f"{float(np.float32(v)):.9g}")
    assert np.float32(x) == np.float32(v)
    return x


# ---------------------------------------------------------------------------
# Inputs (HWC uint8)


def ramp_alpha(h, w, seed):
    ramp = np.linspace(-40.0, 295.0, w)[None, :].repeat(h, axis=0)
    jitter = np.random.RandomState(seed).randint(-30, 31, size=(h, w))
    return np.clip(np.round(ramp) + jitter, 0, 255).astype(np.uint8)


def make_inputs(samples):
    from PIL import Image

    astronaut = base.load_rgb(samples, "astronaut.png")
    coffee = base.load_rgb(samples, "coffee.png")
    astro = base.crop_hwc(astronaut, left=190, top=55, width=28, height=22)
    astro_l = np.array(Image.fromarray(astro, "RGB").convert("L"), dtype=np.uint8)[:, :, None]
    inputs = {
        "astronaut_28x22_rgb": astro,
        "astronaut_28x22_l": astro_l,
        "astronaut_28x22_rgba": np.concatenate([astro, ramp_alpha(22, 28, 4)[:, :, None]], axis=2),
        "coffee_20x16_rgb": base.crop_hwc(coffee, left=270, top=150, width=20, height=16),
        "syn_17x3_rgb": base.noise(6, 3, 17, 3),
        "syn_1x1_rgb": base.noise(1, 1, 1, 3),
    }
    for name, arr in inputs.items():
        assert arr.dtype == np.uint8 and arr.ndim == 3 and arr.shape[2] in (1, 3, 4), name
    return inputs


# ---------------------------------------------------------------------------
# Magnitude tables


V2_CLASSES = {"AutoAugment": T2.AutoAugment, "RandAugment": T2.RandAugment, "TrivialAugmentWide": T2.TrivialAugmentWide, "AugMix": T2.AugMix}


def space_v2(kind, bins, h, w, all_ops=True):
    cls = V2_CLASSES[kind]
    table = cls._PARTIAL_AUGMENTATION_SPACE if kind == "AugMix" and not all_ops else cls._AUGMENTATION_SPACE
    out = {}
    for name, (fn, signed) in table.items():
        mags = fn(bins, h, w)
        vals = [] if mags is None or mags.ndim == 0 else [f32s(v) for v in mags.tolist()]
        out[name] = {"signed": bool(signed), "magnitudes": vals}
    return out


def space(kind, bins, h, w, all_ops=True, v2=False):
    if v2:
        return space_v2(kind, bins, h, w, all_ops)
    if kind == "AutoAugment":
        s = AA.AutoAugment()._augmentation_space(bins, (h, w))
    elif kind == "RandAugment":
        s = AA.RandAugment()._augmentation_space(bins, (h, w))
    elif kind == "TrivialAugmentWide":
        s = AA.TrivialAugmentWide()._augmentation_space(bins)
    else:
        s = AA.AugMix(all_ops=all_ops)._augmentation_space(bins, (h, w))
    out = {}
    for name, (mags, signed) in s.items():
        vals = [] if mags.ndim == 0 else [f32s(v) for v in mags.tolist()]
        out[name] = {"signed": bool(signed), "magnitudes": vals}
    return out


def tables():
    out = []
    for kind, binlist, sizes in [
        ("AutoAugment", [10], [(22, 28), (3, 17), (224, 224), (331, 500), (1, 1)]),
        ("RandAugment", [31, 2, 3, 17, 100], [(22, 28), (224, 224), (331, 500)]),
        ("TrivialAugmentWide", [31, 2, 7, 100], [(0, 0)]),
        ("AugMix", [10], [(22, 28), (3, 17), (224, 224)]),
    ]:
        for bins in binlist:
            for h, w in sizes:
                for sem in ("pil", "tensor"):
                    entry = {"kind": kind, "semantics": sem, "bins": bins, "height": h, "width": w, "space": space(kind, bins, h, w, v2=sem == "tensor")}
                    if kind == "AugMix":
                        entry["allOps"] = True
                    out.append(entry)
    for sem in ("pil", "tensor"):
        out.append({"kind": "AugMix", "semantics": sem, "bins": 10, "height": 24, "width": 32, "allOps": False, "space": space("AugMix", 10, 24, 32, all_ops=False, v2=sem == "tensor")})
    return out


def shear_degrees():
    """[magnitude, math.degrees(math.atan(magnitude))] for the shear tables (as _apply_op computes the shear)."""
    out = []
    for end, n in [(0.3, 10), (0.3, 31), (0.99, 31)]:
        for v in torch.linspace(0.0, end, n).tolist():
            for m in (v, -v) if v else (v,):
                out.append([m, math.degrees(math.atan(m))])
    return out


# ---------------------------------------------------------------------------
# Single ops


def fill_list(fill, c):
    if fill is None:
        return None
    return fill if isinstance(fill, list) and len(fill) == c else [fill[0] if isinstance(fill, list) else fill] * c


def with_alpha(fn, arr, ref):
    out = fn(arr[:, :, :3])
    return ref, np.ascontiguousarray(np.concatenate([out, arr[:, :, 3:]], axis=2))


def apply_v1_tensor(arr, name, mag, interp, fill):
    """v1's _apply_op on the uint8 tensor ("tensor-v1": AugMix's kernels)."""
    c = arr.shape[2]
    if c == 4 and name not in GEOMETRY:
        return with_alpha(lambda a: apply_v1_tensor(a, name, mag, interp, None)[1], arr, "torchvision-v1-rgb+alpha")
    fl = fill_list(fill, c)
    t = AA._apply_op(base.to_chw_tensor(arr), name, mag, interpolation=InterpolationMode(interp), fill=None if fl is None else [float(v) for v in fl])
    return "torchvision-v1", base.tensor_to_hwc(t)


def v2_apply(t, name, mag, interp, fill):
    """v2's _apply_image_or_video_transform on a uint8 tensor (fill as a v2 transform sets it up)."""
    host = T2.RandAugment(interpolation=InterpolationMode(interp), fill=fill)
    return host._apply_image_or_video_transform(t, name, mag, InterpolationMode(interp), host._fill)


def apply_v2(arr, name, mag, interp, fill):
    """ "tensor": v2 on the uint8 tensor; RGBA colour ops on RGB + alpha (v2 takes 1 or 3 channels). """
    c = arr.shape[2]
    if c == 4 and name not in GEOMETRY:
        return with_alpha(lambda a: apply_v2(a, name, mag, interp, None)[1], arr, "torchvision-v2-rgb+alpha")
    fl = fill_list(fill, c)
    t = v2_apply(base.to_chw_tensor(arr), name, mag, interp, None if fl is None else [float(v) for v in fl])
    return "torchvision-v2", base.tensor_to_hwc(t)


def apply_pil(arr, name, mag, interp, fill):
    """ "pil": v1's _apply_op on the PIL image; RGBA geometry per band, colour on RGB + alpha. """
    c = arr.shape[2]
    fl = fill_list(fill, c) or [0] * c
    mode = InterpolationMode(interp)
    if c == 4:
        if name not in GEOMETRY:
            return with_alpha(lambda a: apply_pil(a, name, mag, interp, None)[1], arr, "pillow-rgb+alpha")
        bands = [base.pil_to_hwc(AA._apply_op(base.to_pil(arr[:, :, k : k + 1]), name, mag, interpolation=mode, fill=fl[k])) for k in range(4)]
        return "pillow-bands", np.ascontiguousarray(np.concatenate(bands, axis=2))
    f = fl[0] if c == 1 else list(fl)
    return "pillow", base.pil_to_hwc(AA._apply_op(base.to_pil(arr), name, mag, interpolation=mode, fill=f))


AUGMIX_OPS = {"ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate", "Posterize", "Solarize", "AutoContrast", "Equalize", "Brightness", "Color", "Contrast", "Sharpness"}


def solarize_v2(mag_v1):
    """v2's Solarize magnitude at the bin where v1's table holds mag_v1 (for 10 or 31 bins)."""
    for n in (31, 10):
        t1 = torch.linspace(255.0, 0.0, n).tolist()
        if mag_v1 in t1:
            return f32(torch.linspace(1.0, 0.0, n)[t1.index(mag_v1)].item())
    raise KeyError(mag_v1)


def lin(start, end, n, i):
    return f32(torch.linspace(start, end, n)[i].item())


def op_cases():
    cases = []
    geo_mags = {
        "ShearX": [lin(0, 0.3, 10, 9), -lin(0, 0.3, 31, 9), lin(0, 0.99, 31, 17), -lin(0, 0.99, 31, 30)],
        "ShearY": [-lin(0, 0.3, 10, 9), lin(0, 0.3, 31, 9), -lin(0, 0.99, 31, 17), lin(0, 0.99, 31, 30)],
        "TranslateX": [lin(0, 150 / 331 * 28, 31, 9), -lin(0, 150 / 331 * 28, 10, 9), lin(0, 32, 31, 30), -lin(0, 32, 31, 13), lin(0, 28 / 3, 10, 2)],
        "TranslateY": [-lin(0, 150 / 331 * 22, 31, 9), lin(0, 150 / 331 * 22, 10, 9), -lin(0, 32, 31, 30), lin(0, 32, 31, 13)],
        "Rotate": [lin(0, 30, 10, 9), -lin(0, 30, 31, 9), lin(0, 135, 31, 30), -lin(0, 135, 31, 13), lin(0, 30, 10, 1)],
    }
    colour_mags = {
        "Brightness": [lin(0, 0.9, 10, 9), -lin(0, 0.9, 31, 9), lin(0, 0.99, 31, 30), -lin(0, 0.99, 31, 30), -lin(0, 0.99, 31, 4)],
        "Color": [-lin(0, 0.9, 10, 9), lin(0, 0.9, 31, 9), lin(0, 0.99, 31, 30), -lin(0, 0.99, 31, 30)],
        "Contrast": [lin(0, 0.9, 10, 9), -lin(0, 0.9, 31, 9), -lin(0, 0.99, 31, 30), lin(0, 0.99, 31, 21)],
        "Sharpness": [-lin(0, 0.9, 10, 9), lin(0, 0.9, 31, 9), lin(0, 0.99, 31, 30), -lin(0, 0.99, 31, 30)],
        "Posterize": [8.0, 6.0, 4.0, 2.0, 0.0],
        "Solarize": [lin(255, 0, 31, 0), lin(255, 0, 31, 3), lin(255, 0, 10, 5), lin(255, 0, 31, 29), lin(255, 0, 31, 30)],
        "AutoContrast": [0.0],
        "Equalize": [0.0],
        "Invert": [0.0],
        "Identity": [0.0],
    }
    everywhere = ("pil", "tensor", "tensor-v1")
    for name, mags in geo_mags.items():
        for interp in ("nearest", "bilinear"):
            for k, m in enumerate(mags):
                for inp in ("astronaut_28x22_rgb", "coffee_20x16_rgb"):
                    cases.append((name, inp, m, interp, None, everywhere))
                if k < 2:
                    cases.append((name, "astronaut_28x22_rgb", m, interp, [17, 99, 230], everywhere))
                    cases.append((name, "astronaut_28x22_l", m, interp, [77], everywhere))
                    cases.append((name, "astronaut_28x22_rgba", m, interp, [17, 99, 230, 128], everywhere))
                if k == 0:
                    cases.append((name, "syn_17x3_rgb", m, interp, None, everywhere))
                    cases.append((name, "syn_1x1_rgb", m, interp, None, everywhere))
    for name, mags in colour_mags.items():
        sems = everywhere if name in AUGMIX_OPS else ("pil", "tensor")
        for k, m in enumerate(mags):
            for inp in ("astronaut_28x22_rgb", "coffee_20x16_rgb", "astronaut_28x22_l"):
                cases.append((name, inp, m, "nearest", None, sems))
            if k < 2:
                for inp in ("astronaut_28x22_rgba", "syn_17x3_rgb", "syn_1x1_rgb"):
                    cases.append((name, inp, m, "nearest", None, sems))
    return cases


# ---------------------------------------------------------------------------
# Transforms with scripted draws


class Scripted:
    """Stands in for the `torch` module inside torchvision.transforms.autoaugment: randint and
    rand return scripted values (recorded with their arguments), everything else is torch."""

    def __init__(self, values):
        self.values = list(values)
        self.log = []

    def __getattr__(self, name):
        return getattr(torch, name)

    def _next(self):
        assert self.values, "script ran out"
        return self.values.pop(0)

    def randint(self, *args, **kw):
        if "high" in kw:
            low, high, size = kw.get("low", 0), kw["high"], kw["size"]
        elif len(args) == 3:
            low, high, size = args
        else:
            low, high, size = 0, args[0], args[1]
        n = size[0]
        vals = [self._next() for _ in range(n)]
        for v in vals:
            assert low <= v < high, (v, low, high)
            self.log.append({"fn": "randint", "low": low, "high": high, "value": v})
        return torch.tensor(vals, dtype=torch.long)

    def rand(self, size):
        n = size[0]
        vals = [f32(self._next()) for _ in range(n)]
        for v in vals:
            self.log.append({"fn": "rand", "value": v})
        return torch.tensor(vals, dtype=torch.float32)


class ScriptedAugMix(AA.AugMix):
    def __init__(self, dirichlet, log, **kw):
        super().__init__(**kw)
        self._dirichlet = list(dirichlet)
        self._log = log

    def _sample_dirichlet(self, params):
        vals = [f32(v) for v in self._dirichlet.pop(0)]
        assert len(vals) == params.shape[1]
        self._log.append({"fn": "dirichlet", "alpha": float(params[0, 0]), "k": int(params.shape[1]), "value": vals})
        return torch.tensor([vals], dtype=torch.float32)


def run_scripted(make, arr, values):
    """v1 forward() of make(log) on arr as a PIL image with scripted draws; returns (script, ops, out)."""
    proxy = Scripted(values)
    applied = []
    real_apply, real_torch = AA._apply_op, AA.torch

    def recorder(img, op_name, magnitude, interpolation, fill):
        applied.append({"name": op_name, "magnitude": float(magnitude)})
        return real_apply(img, op_name, magnitude, interpolation, fill)

    AA._apply_op, AA.torch = recorder, proxy
    try:
        t = make(proxy.log)
        out = t(base.to_pil(arr))
    finally:
        AA._apply_op, AA.torch = real_apply, real_torch
    assert not proxy.values, f"script not used up: {proxy.values}"
    return proxy.log, applied, base.pil_to_hwc(out)


def v2_ops(ops):
    """The operations as v2 receives them: Solarize's magnitude from v2's table."""
    return [{"name": o["name"], "magnitude": solarize_v2(o["magnitude"]) if o["name"] == "Solarize" else o["magnitude"]} for o in ops]


def replay_v2(kind, cfg, arr, log, ops):
    """v2's forward() on arr's uint8 tensor with the draws' operations (and AugMix's weights)."""
    interp, fill = cfg["interpolation"], cfg["fill"]
    c = arr.shape[2]
    fill = None if fill is None else [float(v) for v in fill_list(fill, c)]
    t = base.to_chw_tensor(arr)
    if kind != "AugMix":
        for o in ops:
            t = v2_apply(t, o["name"], o["magnitude"], interp, fill)
        return base.tensor_to_hwc(t)
    dirichlet = [e["value"] for e in log if e["fn"] == "dirichlet"]
    width = cfg["mixtureWidth"]
    if cfg["chainDepth"] > 0:
        depths = [cfg["chainDepth"]] * width
    else:
        depths = [e["value"] for e in log if e["fn"] == "randint" and e["low"] == 1 and e["high"] == 4]
    assert len(depths) == width and sum(depths) == len(ops)
    # as v2's AugMix.forward: mix = m0 * x; mix += (w_i * m1) * chain_i; .to(uint8)
    batch = t.reshape(1, *t.shape)
    m = torch.tensor([dirichlet[0]], dtype=torch.float32)
    combined = torch.tensor([dirichlet[1]], dtype=torch.float32) * m[:, 1].reshape([1, -1])
    mix = m[:, 0].reshape([1, 1, 1, 1]) * batch
    k = 0
    for i, d in enumerate(depths):
        aug = batch
        for o in ops[k : k + d]:
            aug = v2_apply(aug, o["name"], o["magnitude"], interp, fill)
        k += d
        mix.add_(combined[:, i].reshape([1, 1, 1, 1]) * aug)
    return base.tensor_to_hwc(mix.reshape(t.shape).to(dtype=torch.uint8))


MIX_A = [[0.3417, 0.6583], [0.2, 0.5, 0.3]]
MIX_B = [[0.8125, 0.1875], [0.61, 0.39]]
MIX_C = [[0.05, 0.95], [1.0 - 2**-24]]


def transform_cases():
    """(kind, config, input, script values, dirichlet or None, note)."""
    rgb, grey, coffee = "astronaut_28x22_rgb", "astronaut_28x22_l", "coffee_20x16_rgb"
    c = []
    aa = lambda policy, interp="nearest", fill=None: {"policy": policy, "interpolation": interp, "fill": fill}
    # AutoAugment: sub-policy id, two probabilities, two signs (0 = negative)
    c.append(("AutoAugment", aa("imagenet"), rgb, [14, 0.5, 0.9, 0, 1], None))
    c.append(("AutoAugment", aa("imagenet"), coffee, [16, 0.2, 0.85, 1, 0], None))
    c.append(("AutoAugment", aa("imagenet"), rgb, [7, 0.8, 0.99, 1, 1], None))  # 0.8 <= 0.8 in float32
    c.append(("AutoAugment", aa("imagenet"), grey, [12, 0.0, 0.5, 0, 0], None))  # probability 0.0 still applies at 0
    c.append(("AutoAugment", aa("imagenet"), grey, [15, 0.9, 0.3, 0, 1], None))  # Color on grey
    c.append(("AutoAugment", aa("cifar10"), rgb, [6, 0.1, 0.2, 0, 1], None))
    c.append(("AutoAugment", aa("cifar10"), coffee, [13, 0.3, 0.1, 1, 0], None))
    c.append(("AutoAugment", aa("cifar10"), rgb, [2, 0.7, 0.5, 0, 1], None))
    c.append(("AutoAugment", aa("svhn"), rgb, [3, 0.5, 0.5, 1, 1], None))
    c.append(("AutoAugment", aa("svhn"), coffee, [0, 0.1, 0.1, 0, 1], None))
    c.append(("AutoAugment", aa("cifar10", "bilinear", [10, 200, 30]), rgb, [1, 0.3, 0.2, 1, 0], None))
    c.append(("AutoAugment", aa("imagenet", "bilinear"), rgb, [10, 0.5, 0.1, 0, 1], None))
    ra = lambda n=2, m=9, b=31, interp="nearest", fill=None: {"numOps": n, "magnitude": m, "numMagnitudeBins": b, "interpolation": interp, "fill": fill}
    # RandAugment: per op its index (Identity 0 .. Equalize 13), then a sign for signed ops (1 = negative)
    c.append(("RandAugment", ra(), rgb, [7, 1, 10], None))
    c.append(("RandAugment", ra(), coffee, [11, 9, 0], None))
    c.append(("RandAugment", ra(), rgb, [0, 12], None))
    c.append(("RandAugment", ra(), grey, [6, 1, 13], None))
    c.append(("RandAugment", ra(), grey, [7, 0, 8, 1], None))
    c.append(("RandAugment", ra(3, 30), rgb, [8, 0, 6, 1, 10], None))
    c.append(("RandAugment", ra(3, 0, 5), coffee, [9, 1, 11, 10], None))
    c.append(("RandAugment", ra(1, 4, 5), rgb, [10], None))
    c.append(("RandAugment", ra(0), rgb, [], None))
    c.append(("RandAugment", ra(), rgb, [2, 1, 5, 0], None))
    c.append(("RandAugment", ra(2, 20, 31, "bilinear", [1, 2, 3]), coffee, [3, 0, 4, 1], None))
    # TrivialAugmentWide: op index, magnitude index for ops with a table, sign for signed ops
    ta = lambda b=31, interp="nearest", fill=None: {"numMagnitudeBins": b, "interpolation": interp, "fill": fill}
    c.append(("TrivialAugmentWide", ta(), rgb, [7, 30, 1], None))
    c.append(("TrivialAugmentWide", ta(), coffee, [10, 30], None))
    c.append(("TrivialAugmentWide", ta(), rgb, [11, 3], None))
    c.append(("TrivialAugmentWide", ta(), rgb, [0], None))
    c.append(("TrivialAugmentWide", ta(), grey, [13], None))
    c.append(("TrivialAugmentWide", ta(), coffee, [9, 0, 0], None))
    c.append(("TrivialAugmentWide", ta(), rgb, [8, 17, 0], None))
    c.append(("TrivialAugmentWide", ta(5), coffee, [6, 4, 1], None))
    c.append(("TrivialAugmentWide", ta(), rgb, [5, 13, 1], None))
    c.append(("TrivialAugmentWide", ta(31, "bilinear"), rgb, [1, 30, 0], None))
    c.append(("TrivialAugmentWide", ta(), coffee, [4, 20, 1], None))
    # AugMix: Dirichlet weights scripted; per chain a depth (when chainDepth <= 0), then per op
    # its index (ShearX 0 .. Equalize 8, Brightness 9 .. Sharpness 12), magnitude index, sign
    am = lambda sev=3, w=3, d=-1, a=1.0, all_ops=True, interp="bilinear", fill=None: {"severity": sev, "mixtureWidth": w, "chainDepth": d, "alpha": a, "allOps": all_ops, "interpolation": interp, "fill": fill}
    c.append(("AugMix", am(), rgb, [1, 8, 2, 5, 2, 6, 1, 3, 9, 0, 1, 11, 2, 0, 7], MIX_A))
    c.append(("AugMix", am(3, 2, 2, 0.5, False), coffee, [5, 1, 7, 6, 0, 8], MIX_B))
    c.append(("AugMix", am(10, 1, 1), rgb, [5, 9], MIX_C))
    c.append(("AugMix", am(), grey, [1, 10, 2, 0, 2, 12, 1, 1, 6, 2, 1, 9, 0, 0], MIX_A))
    c.append(("AugMix", am(), rgb, [2, 4, 2, 1, 0, 1, 0, 1, 3, 2, 0, 1, 7], MIX_A))
    c.append(("AugMix", am(3, 2, 1, 1.0, True, "nearest"), coffee, [2, 1, 1, 3, 0, 0], MIX_B))
    return c


def make_transform(kind, cfg, dirichlet):
    interp = InterpolationMode(cfg["interpolation"])
    fill = cfg["fill"]
    if kind == "AutoAugment":
        return lambda log: AA.AutoAugment(AA.AutoAugmentPolicy(cfg["policy"]), interp, fill)
    if kind == "RandAugment":
        return lambda log: AA.RandAugment(cfg["numOps"], cfg["magnitude"], cfg["numMagnitudeBins"], interp, fill)
    if kind == "TrivialAugmentWide":
        return lambda log: AA.TrivialAugmentWide(cfg["numMagnitudeBins"], interp, fill)
    return lambda log: ScriptedAugMix(
        dirichlet, log, severity=cfg["severity"], mixture_width=cfg["mixtureWidth"], chain_depth=cfg["chainDepth"],
        alpha=cfg["alpha"], all_ops=cfg["allOps"], interpolation=interp, fill=fill,
    )


# ---------------------------------------------------------------------------
# torchvision's own sampling, aggregated


def key(name, mag):
    return f"{name}|{float(mag)!r}"


def sample_counts(kind, cfg, n, h=24, w=32):
    torch.manual_seed(0)
    img = torch.zeros((3, h, w), dtype=torch.uint8)
    counts, extra = {}, {}
    real_apply = AA._apply_op

    def recorder(img, op_name, magnitude, interpolation, fill):
        k = key(op_name, magnitude)
        counts[k] = counts.get(k, 0) + 1
        return img

    AA._apply_op = recorder
    try:
        if kind == "AutoAugment":
            t = AA.AutoAugment(AA.AutoAugmentPolicy(cfg["policy"]))
            real_get = AA.AutoAugment.get_params
            outcomes = {}

            def get_params(num):
                pid, probs, signs = real_get(num)
                pol = t.policies[pid]
                k = f"{pid}|{int(probs[0] <= pol[0][1])}{int(probs[1] <= pol[1][1])}"
                outcomes[k] = outcomes.get(k, 0) + 1
                return pid, probs, signs

            t.get_params = get_params
            for _ in range(n):
                t(img)
            extra["outcomes"] = dict(sorted(outcomes.items()))
        elif kind == "RandAugment":
            t = AA.RandAugment(cfg["numOps"], cfg["magnitude"], cfg["numMagnitudeBins"])
            for _ in range(n):
                t(img)
        elif kind == "TrivialAugmentWide":
            t = AA.TrivialAugmentWide(cfg["numMagnitudeBins"])
            for _ in range(n):
                t(img)
        else:
            t = AA.AugMix(cfg["severity"], cfg["mixtureWidth"], cfg["chainDepth"], cfg["alpha"], cfg["allOps"])
            depths = {}
            total = [0]

            def recorder_depth(img, op_name, magnitude, interpolation, fill):
                total[0] += 1
                return recorder(img, op_name, magnitude, interpolation, fill)

            AA._apply_op = recorder_depth
            for _ in range(n):
                before = total[0]
                t(img)
                d = total[0] - before
                depths[str(d)] = depths.get(str(d), 0) + 1
            extra["opsPerCall"] = dict(sorted(depths.items(), key=lambda kv: int(kv[0])))
    finally:
        AA._apply_op = real_apply
    return {"kind": kind, "config": cfg, "height": h, "width": w, "calls": n, "counts": dict(sorted(counts.items())), **extra}


def dirichlet_samples(alpha, k, n):
    torch.manual_seed(0)
    p = torch.tensor([[alpha] * k]).expand(n, -1).contiguous()
    d = torch._sample_dirichlet(p)
    return {"alpha": alpha, "k": k, "samples": [[f32s(v) for v in row] for row in d.tolist()]}


def samples():
    configs = [
        ("AutoAugment", {"policy": "imagenet"}, 5000),
        ("AutoAugment", {"policy": "cifar10"}, 5000),
        ("AutoAugment", {"policy": "svhn"}, 5000),
        ("RandAugment", {"numOps": 2, "magnitude": 9, "numMagnitudeBins": 31}, 3000),
        ("RandAugment", {"numOps": 1, "magnitude": 3, "numMagnitudeBins": 5}, 3000),
        ("TrivialAugmentWide", {"numMagnitudeBins": 31}, 6000),
        ("AugMix", {"severity": 3, "mixtureWidth": 3, "chainDepth": -1, "alpha": 1.0, "allOps": True}, 2000),
        ("AugMix", {"severity": 10, "mixtureWidth": 2, "chainDepth": 2, "alpha": 0.5, "allOps": False}, 2000),
    ]
    out = {"generator": GENERATOR, "versions": base.VERSIONS, "seed": 0}
    out["ops"] = [sample_counts(kind, cfg, n) for kind, cfg, n in configs]
    out["dirichlet"] = [dirichlet_samples(a, k, 2000) for a, k in [(1.0, 2), (1.0, 3), (0.5, 2), (3.0, 4)]]
    return out


# ---------------------------------------------------------------------------
# Main


def main():
    inputs = make_inputs(base.parse_samples(__doc__))
    manifest_inputs = base.write_inputs(OUT, inputs)

    manifest_cases = []

    def emit(entry, out):
        rel = f"out/{len(manifest_cases)}.bin.gz"
        base.write_gz(os.path.join(OUT, rel), base.encode(out))
        entry["output"] = {"file": rel, "dtype": base.dtype_of(out), "shape": list(out.shape)}
        manifest_cases.append(entry)
        assert np.array_equal(np.frombuffer(base.read_gz(os.path.join(OUT, rel)), dtype=np.uint8).reshape(out.shape), out)

    apply = {"pil": apply_pil, "tensor": apply_v2, "tensor-v1": apply_v1_tensor}
    for name, inp, mag, interp, fill, sems in op_cases():
        arr = inputs[inp]
        for sem in sems:
            m = solarize_v2(mag) if sem == "tensor" and name == "Solarize" else mag
            ref, out = apply[sem](arr, name, m, interp, fill)
            assert out.shape == arr.shape, (name, inp, out.shape)
            desc = f"m={m!r}" + (f" {interp}" if name in GEOMETRY else "") + (f" fill={json.dumps(fill)}" if fill is not None else "")
            emit({"id": f"op/{sem}/{name}/{inp}/{desc}/{ref}", "kind": "op", "semantics": sem, "op": name, "input": inp,
                  "args": {"magnitude": m, "interpolation": interp, "fill": fill}, "reference": ref}, out)

    for n, (kind, cfg, inp, values, dirichlet) in enumerate(transform_cases()):
        log, ops, out = run_scripted(make_transform(kind, cfg, [list(d) for d in dirichlet] if dirichlet else None), inputs[inp], values)
        ref = "torchvision-v1-on-pil" if kind == "AugMix" else "pillow"
        emit({"id": f"transform/pil/{kind}/{n}/{inp}", "kind": "transform", "semantics": "pil", "op": kind, "input": inp, "args": cfg,
              "reference": ref, "script": log, "ops": ops}, out)
        ops2 = v2_ops(ops)
        emit({"id": f"transform/tensor/{kind}/{n}/{inp}", "kind": "transform", "semantics": "tensor", "op": kind, "input": inp, "args": cfg,
              "reference": "torchvision-v2", "script": log, "ops": ops2}, replay_v2(kind, cfg, inputs[inp], log, ops2))

    ids = [c["id"] for c in manifest_cases]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    manifest = {"generator": GENERATOR, "versions": base.VERSIONS, "cpuSensitive": base.CPU_SENSITIVE, "inputs": manifest_inputs, "tables": tables(), "shearDegrees": shear_degrees(), "cases": manifest_cases}
    base.write_json(os.path.join(OUT, "cases.json"), manifest)

    text = json.dumps(samples(), separators=(",", ":"), sort_keys=False) + "\n"
    with open(os.path.join(OUT, "samples.json.gz"), "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            gz.write(text.encode("utf-8"))

    counts = {}
    for c in manifest_cases:
        k = c["kind"] + ":" + c["semantics"] + ":" + c["reference"]
        counts[k] = counts.get(k, 0) + 1
    total = sum(os.path.getsize(os.path.join(root, f)) for root, _, files in os.walk(OUT) for f in files)
    print(f"{len(manifest_cases)} cases: " + ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    print(f"fixtures: {total} bytes")


if __name__ == "__main__":
    sys.exit(main())

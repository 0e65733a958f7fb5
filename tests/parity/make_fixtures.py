#!/work/venv/bin/python
"""Generate the torchvision/Pillow parity fixtures for lockstep.

Run with the venv's Python (torch 2.13 CPU, torchvision 0.28, Pillow 12.3 from pip):

    /work/venv/bin/python tests/parity/make_fixtures.py [--samples DIR]

Writes tests/parity/fixtures/{cases.json, rrc_samples.json, inputs/, out/}.
The output is deterministic: running the script twice gives identical bytes.
See tests/parity/README.md for the file format.
"""

import argparse
import gzip
import json
import math
import os
import re
import shutil
import sys

import platform

import numpy as np
import PIL
import torch
import torch.library

# torchvision 0.28's wheel is a CUDA build whose C++ ops cannot register on the CPU torch;
# the transforms are pure Python, so skip the fake-op registrations while importing it.
_register_fake = torch.library.register_fake
torch.library.register_fake = lambda *a, **k: (lambda fn: fn)
import torchvision  # noqa: E402
torch.library.register_fake = _register_fake

import torchvision.transforms as T  # noqa: E402
import torchvision.transforms.functional as F  # noqa: E402
import torchvision.transforms.v2.functional as F2  # noqa: E402
from PIL import Image  # noqa: E402
from torchvision.transforms import InterpolationMode  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(REPO, "tests", "parity", "fixtures")
GENERATOR = "tests/parity/make_fixtures.py"

def cpu_flags():
    """The x86 vector extensions torch's kernels may choose between (see CPU_SENSITIVE)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            flags = next((line.split(":", 1)[1].split() for line in fh if line.startswith("flags")), [])
    except OSError:
        flags = []
    return sorted(f for f in set(flags) if f in ("avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq"))


VERSIONS = {
    "torch": torch.__version__,
    "torchvision": torchvision.__version__,
    "pillow": PIL.__version__,
    "numpy": np.__version__,
    "python": platform.python_version(),
    "machine": platform.machine(),
    "torchCpuCapability": torch.backends.cpu.get_cpu_capability(),
    "cpuFlags": cpu_flags(),
}

# Which references depend on the CPU torch runs on (recorded in every manifest):
CPU_SENSITIVE = {
    "torch-uint8-resize": "torch's uint8 bilinear resize runs its own integer kernel on AVX2/AVX-512 CPUs "
    "(torchvision's _do_native_uint8_resize_on_cpu); elsewhere it resizes in float32 and rounds, up to 1 away",
    "torch-fma": "torch's x86-64 kernels fuse a.add_(b, alpha) and grid_sample's arithmetic into FMAs; "
    "a build or CPU without FMA rounds twice",
    "torch-float-sum": "torch's float32 sums (adjust_contrast's mean) round in an order set by the vector width "
    "once they pass 2^24",
}

MODES = {1: "L", 3: "RGB", 4: "RGBA"}
IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]


# ---------------------------------------------------------------------------
# Binary I/O


def write_gz(path, data):
    """gzip with mtime=0 and no file name in the header, so output is reproducible."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            gz.write(data)


def read_gz(path):
    with gzip.open(path, "rb") as gz:
        return gz.read()


def compact(obj):
    return json.dumps(obj, separators=(", ", ": "), ensure_ascii=True)


def write_json(path, obj):
    """Pretty-print with one entry per line for the 'inputs' map and the 'cases' list."""
    lines = ["{"]
    items = list(obj.items())
    for i, (key, value) in enumerate(items):
        comma = "," if i + 1 < len(items) else ""
        if isinstance(value, dict) and key == "inputs":
            inner = [f"  {compact(k)}: {compact(v)}" for k, v in value.items()]
            lines.append(f" {compact(key)}: {{\n" + ",\n".join(inner) + f"\n }}{comma}")
        elif isinstance(value, list) and key == "cases":
            inner = [f"  {compact(v)}" for v in value]
            lines.append(f" {compact(key)}: [\n" + ",\n".join(inner) + f"\n ]{comma}")
        else:
            lines.append(f" {compact(key)}: {compact(value)}{comma}")
    lines.append("}")
    write_checked(path, "\n".join(lines) + "\n", obj)


# ---------------------------------------------------------------------------
# Inputs (HWC uint8 arrays)


def default_samples_dir():
    local = os.path.join(REPO, "samples")
    if os.path.isdir(local):
        return local
    return os.path.normpath(os.path.join(REPO, "..", "shared", "samples"))


def load_rgb(samples, name):
    with Image.open(os.path.join(samples, name)) as im:
        return np.array(im.convert("RGB"), dtype=np.uint8)


def crop_hwc(arr, left, top, width, height):
    out = arr[top : top + height, left : left + width]
    assert out.shape[:2] == (height, width), (out.shape, width, height)
    return np.ascontiguousarray(out)


def noise(seed, height, width, channels):
    return np.random.RandomState(seed).randint(0, 256, size=(height, width, channels), dtype=np.uint8)


def make_inputs(samples):
    astronaut = load_rgb(samples, "astronaut.png")
    chelsea = load_rgb(samples, "chelsea.png")
    coffee = load_rgb(samples, "coffee.png")
    rocket = load_rgb(samples, "rocket.jpg")

    astro = crop_hwc(astronaut, left=170, top=40, width=97, height=83)
    astro_l = np.array(Image.fromarray(astro, "RGB").convert("L"), dtype=np.uint8)[:, :, None]

    # alpha: horizontal ramp 0..255 plus noise, clipped, so it contains both 0 and 255
    h, w = astro.shape[:2]
    ramp = np.linspace(-40.0, 295.0, w)[None, :].repeat(h, axis=0)
    jitter = np.random.RandomState(4).randint(-30, 31, size=(h, w))
    alpha = np.clip(np.round(ramp) + jitter, 0, 255).astype(np.uint8)
    astro_rgba = np.concatenate([astro, alpha[:, :, None]], axis=2)

    inputs = {
        "astronaut_97x83_rgb": astro,
        "astronaut_97x83_l": astro_l,
        "astronaut_97x83_rgba": astro_rgba,
        "chelsea_120x80_rgb": crop_hwc(chelsea, left=150, top=40, width=120, height=80),
        "coffee_64x48_rgb": crop_hwc(coffee, left=260, top=140, width=64, height=48),
        "rocket_75x51_rgb": crop_hwc(rocket, left=290, top=130, width=75, height=51),
        "chelsea_451x300_rgb": np.ascontiguousarray(chelsea),
        "syn_1x1_rgb": noise(1, 1, 1, 3),
        "syn_1x1_l": noise(2, 1, 1, 1),
        "syn_7x5_rgba": noise(3, 5, 7, 4),
        "syn_3x17_l": noise(5, 17, 3, 1),
        "syn_17x3_rgb": noise(6, 3, 17, 3),
        "syn_16x16_rgb": noise(7, 16, 16, 3),
    }
    for name, arr in inputs.items():
        assert arr.dtype == np.uint8 and arr.ndim == 3 and arr.shape[2] in MODES, name
    return inputs


# ---------------------------------------------------------------------------
# Conversions


def to_chw_tensor(arr):
    return torch.from_numpy(arr.copy()).permute(2, 0, 1).contiguous()


def tensor_to_hwc(t):
    assert t.dtype == torch.uint8 and t.ndim == 3
    return t.permute(1, 2, 0).contiguous().numpy()


def to_pil(arr):
    return Image.fromarray(arr if arr.shape[2] > 1 else arr[:, :, 0], MODES[arr.shape[2]])


def pil_to_hwc(img):
    arr = np.array(img, dtype=np.uint8)
    return arr[:, :, None] if arr.ndim == 2 else arr


def interp(name):
    return InterpolationMode(name)


def pillow_per_mode(arr, fn):
    """Apply a PIL-image function: 1 channel as 'L', 3 as 'RGB', 4 as four
    independent 'L' bands (Pillow would premultiply alpha for 'RGBA')."""
    if arr.shape[2] == 4:
        bands = [pil_to_hwc(fn(to_pil(arr[:, :, c : c + 1]))) for c in range(4)]
        return np.ascontiguousarray(np.concatenate(bands, axis=2))
    return pil_to_hwc(fn(to_pil(arr)))


# ---------------------------------------------------------------------------
# Reference implementations, one per op family. Each returns (reference, array).


def ref_flip(op, arr, args):
    fn = F.hflip if op == "hflip" else F.vflip
    return "torchvision-tensor", tensor_to_hwc(fn(to_chw_tensor(arr)))


def ref_crop(op, arr, a):
    out = F.crop(to_chw_tensor(arr), a["top"], a["left"], a["height"], a["width"])
    assert tuple(out.shape[1:]) == (a["height"], a["width"]), (a, tuple(out.shape))
    return "torchvision-tensor", tensor_to_hwc(out)


def ref_center_crop(op, arr, a):
    return "torchvision-tensor", tensor_to_hwc(F.center_crop(to_chw_tensor(arr), a["size"]))


def ref_pad(op, arr, a):
    out = F.pad(to_chw_tensor(arr), a["padding"], fill=a["fill"], padding_mode=a["paddingMode"])
    return "torchvision-tensor", tensor_to_hwc(out)


def ref_resize(op, arr, a):
    fn = lambda img: F.resize(img, a["size"], interp(a["interpolation"]), max_size=a.get("maxSize"))
    return "pillow", pillow_per_mode(arr, fn)


def ref_resized_crop(op, arr, a):
    fn = lambda img: F.resized_crop(
        img, a["top"], a["left"], a["height"], a["width"], a["size"], interp(a["interpolation"])
    )
    return "pillow", pillow_per_mode(arr, fn)


def ref_to_tensor(op, arr, a):
    return "pillow", F.to_tensor(to_pil(arr)).numpy()


def ref_normalize(op, arr, a):
    t = F.to_tensor(to_pil(arr))
    return "torchvision-tensor", F.normalize(t, a["mean"], a["std"]).numpy()


# "tensor" semantics: torchvision v2 on uint8 CHW tensors (4 channels natively).


def ref_resize_v2(op, arr, a):
    out = F2.resize(to_chw_tensor(arr), a["size"], interp(a["interpolation"]), max_size=a.get("maxSize"), antialias=a.get("antialias", True))
    return "torchvision-v2", tensor_to_hwc(out)


def ref_resized_crop_v2(op, arr, a):
    out = F2.resized_crop(
        to_chw_tensor(arr), a["top"], a["left"], a["height"], a["width"], a["size"], interp(a["interpolation"]), antialias=a.get("antialias", True)
    )
    return "torchvision-v2", tensor_to_hwc(out)


def ref_to_tensor_v2(op, arr, a):
    return "torchvision-v2", F2.to_dtype(to_chw_tensor(arr), torch.float32, scale=True).numpy()


def ref_normalize_v2(op, arr, a):
    t = F2.to_dtype(to_chw_tensor(arr), torch.float32, scale=True)
    return "torchvision-v2", F2.normalize(t, a["mean"], a["std"]).numpy()


REFERENCES = {
    "hflip": ref_flip,
    "vflip": ref_flip,
    "crop": ref_crop,
    "centerCrop": ref_center_crop,
    "pad": ref_pad,
    "resize": ref_resize,
    "resizedCrop": ref_resized_crop,
    "toTensor": ref_to_tensor,
    "normalize": ref_normalize,
}
TENSOR_REFERENCES = {
    "resize": ref_resize_v2,
    "resizedCrop": ref_resized_crop_v2,
    "toTensor": ref_to_tensor_v2,
    "normalize": ref_normalize_v2,
}
# Ops whose bytes are the same under both semantics (tested once, semantics "any").
SEMANTICS_FREE = {"hflip", "vflip", "crop", "centerCrop", "pad"}


# ---------------------------------------------------------------------------
# The case table: (op, input, description, args)

SMALL = [
    "astronaut_97x83_rgb",
    "astronaut_97x83_l",
    "astronaut_97x83_rgba",
    "chelsea_120x80_rgb",
    "coffee_64x48_rgb",
    "rocket_75x51_rgb",
    "syn_1x1_rgb",
    "syn_1x1_l",
    "syn_7x5_rgba",
    "syn_3x17_l",
    "syn_17x3_rgb",
    "syn_16x16_rgb",
]


def flip_cases():
    return [(op, name, "", {}) for op in ("hflip", "vflip") for name in SMALL]


def crop_cases(inputs):
    cases = []
    for name in [
        "astronaut_97x83_rgb",
        "astronaut_97x83_l",
        "astronaut_97x83_rgba",
        "coffee_64x48_rgb",
        "syn_1x1_rgb",
        "syn_1x1_l",
        "syn_7x5_rgba",
        "syn_3x17_l",
        "syn_17x3_rgb",
        "syn_16x16_rgb",
    ]:
        h, w = inputs[name].shape[:2]
        boxes = [
            ("inside", min(3, h - 1), min(5, w - 1), max(1, h // 2), max(1, w // 2)),
            ("whole image", 0, 0, h, w),
            ("partly outside top-left", -3, -4, max(1, h // 2) + 3, max(1, w // 2) + 4),
            ("partly outside bottom-right", h - 1, w - 2, 5, 6),
            ("larger than image on all sides", -2, -3, h + 5, w + 7),
            ("outside below-right", h + 2, w + 1, 4, 3),
            ("outside above, touching top edge", -4, 0, 4, w),
        ]
        # Boxes wholly above / left of the image with a gap (top + height < 0) are
        # left out: torchvision (0.14 and 0.28) slices img[..., 0:bottom] with a negative
        # bottom there and returns the wrong shape (see README).
        seen = set()
        for desc, top, left, height, width in boxes:
            key = (top, left, height, width)
            if key in seen:
                continue
            seen.add(key)
            args = {"top": top, "left": left, "height": height, "width": width}
            cases.append(("crop", name, f"{desc} t={top} l={left} h={height} w={width}", args))
    return cases


def center_crop_cases():
    table = {
        # 97 wide, 83 high
        "astronaut_97x83_rgb": [64, [80, 90], [81, 95], [85, 97], [83, 100], 120, [100, 50], [83, 97]],
        "astronaut_97x83_l": [[78, 92], 90],
        "astronaut_97x83_rgba": [50, [90, 101]],
        "coffee_64x48_rgb": [47, [20, 33]],
        "syn_1x1_rgb": [1, 3, [2, 4]],
        "syn_1x1_l": [2],
        "syn_7x5_rgba": [[3, 5], [4, 4], [6, 9]],
        "syn_3x17_l": [[8, 1], [20, 5]],
        "syn_17x3_rgb": [[2, 6], [1, 1]],
        "syn_16x16_rgb": [5, [10, 13], 17, [15, 16]],
    }
    cases = []
    for name, sizes in table.items():
        for size in sizes:
            cases.append(("centerCrop", name, f"size={json.dumps(size)}", {"size": size}))
    return cases


def pad_cases(inputs):
    cases = []

    def add(name, padding, mode, fill=0):
        args = {"padding": padding, "fill": fill, "paddingMode": mode}
        desc = f"{mode} padding={json.dumps(padding)}" + (f" fill={fill}" if mode == "constant" else "")
        cases.append(("pad", name, desc, args))

    def common(name):
        h, w = inputs[name].shape[:2]
        add(name, 2, "constant", 0)
        add(name, [1, 3], "constant", 255)
        add(name, [3, 0, 1, 5], "constant", 7)
        add(name, [1, 2, 3, 4], "edge")
        # reflect: padding must be smaller than the dimension it pads
        add(name, [min(3, w - 1), min(2, h - 1), min(1, w - 1), min(4, h - 1)], "reflect")
        # symmetric: padding may be at most the dimension
        add(name, [min(3, w), min(1, h), 0, min(2, h)], "symmetric")

    for name in ["astronaut_97x83_rgb", "astronaut_97x83_l", "astronaut_97x83_rgba", "rocket_75x51_rgb"]:
        common(name)
    # the largest paddings torch accepts, on the small grey photo only (size budget)
    add("astronaut_97x83_l", [96, 82], "reflect")
    add("astronaut_97x83_l", [97, 83, 0, 0], "symmetric")

    for name in ["syn_7x5_rgba", "syn_3x17_l", "syn_17x3_rgb", "syn_16x16_rgb"]:
        h, w = inputs[name].shape[:2]
        common(name)
        add(name, 5, "edge")
        add(name, [w - 1, h - 1], "reflect")
        add(name, [w, h, w, h], "symmetric")
    for name in ["syn_1x1_rgb", "syn_1x1_l"]:
        add(name, [1, 2, 3, 4], "constant", 200)
        add(name, 3, "edge")
        add(name, 1, "symmetric")
    return cases


def resize_cases():
    table = {
        "astronaut_97x83_rgb": [
            (64, "bilinear"), ([40, 50], "bicubic"), ([200, 150], "bilinear"),
            ([166, 194], "nearest"), ([50, 61], "nearest"), ([1, 1], "bilinear"),
            (100, "bicubic", 110), ([83, 97], "bilinear"), (30, "nearest"),
        ],
        "astronaut_97x83_l": [(64, "nearest"), ([120, 33], "bicubic"), ([41, 48], "bilinear"), (1, "bicubic")],
        "astronaut_97x83_rgba": [
            ([60, 70], "bilinear"), ([150, 130], "bicubic"), (40, "nearest"), ([1, 3], "bicubic"),
            (33, "bilinear", 50),
        ],
        "chelsea_120x80_rgb": [(40, "bilinear"), ([80, 200], "bicubic"), ([37, 53], "nearest"), (60, "bilinear", 80)],
        "coffee_64x48_rgb": [([100, 100], "bilinear"), (24, "bicubic"), ([13, 9], "nearest")],
        "rocket_75x51_rgb": [(32, "bicubic"), ([128, 160], "nearest"), ([30, 200], "bilinear")],
        "syn_1x1_rgb": [([5, 7], "bilinear"), (4, "nearest"), ([3, 3], "bicubic")],
        "syn_1x1_l": [([2, 9], "bicubic"), (3, "bilinear")],
        "syn_7x5_rgba": [([10, 14], "bilinear"), ([3, 2], "bicubic"), ([11, 13], "nearest"), ([1, 1], "bilinear")],
        "syn_3x17_l": [([1, 1], "bicubic"), ([9, 2], "bilinear"), ([34, 6], "nearest"), ([17, 1], "bicubic")],
        "syn_17x3_rgb": [([1, 40], "bilinear"), ([6, 34], "bicubic"), (1, "nearest"), ([2, 9], "nearest")],
        "syn_16x16_rgb": [
            ([7, 7], "bilinear"), ([5, 11], "bicubic"), ([33, 40], "nearest"), ([8, 8], "nearest"),
            (20, "bicubic"), ([24, 24], "bilinear"),
        ],
        "chelsea_451x300_rgb": [(224, "bilinear"), ([150, 225], "nearest")],
    }
    cases = []
    for name, entries in table.items():
        for entry in entries:
            size, mode = entry[0], entry[1]
            args = {"size": size, "interpolation": mode}
            desc = f"size={json.dumps(size)} {mode}"
            if len(entry) > 2:
                args["maxSize"] = entry[2]
                desc += f" maxSize={entry[2]}"
            cases.append(("resize", name, desc, args))
    return cases


def resized_crop_cases():
    table = {
        # (top, left, height, width, size, interpolation)
        "astronaut_97x83_rgb": [
            (10, 12, 50, 60, [32, 32], "bilinear"), (0, 0, 83, 97, [64, 64], "bicubic"),
            (20, 30, 33, 41, [100, 90], "nearest"), (-10, 60, 50, 50, [40, 40], "bilinear"),
        ],
        "astronaut_97x83_l": [(5, 5, 70, 60, [30, 40], "bicubic"), (11, 13, 17, 19, [40, 20], "bilinear")],
        "astronaut_97x83_rgba": [
            (3, 4, 60, 80, [48, 48], "bilinear"), (20, 20, 40, 40, [13, 17], "bicubic"),
            (0, 0, 10, 10, [25, 25], "nearest"),
        ],
        "chelsea_120x80_rgb": [(10, 20, 60, 90, [50, 50], "bicubic")],
        "coffee_64x48_rgb": [(8, 8, 32, 32, [64, 64], "bilinear")],
        "rocket_75x51_rgb": [(5, 10, 40, 50, [24, 24], "nearest")],
        "syn_7x5_rgba": [(1, 1, 3, 5, [6, 9], "bilinear")],
        "syn_3x17_l": [(2, 0, 10, 3, [5, 2], "bicubic")],
        "syn_16x16_rgb": [(4, 4, 8, 8, [3, 3], "bilinear"), (0, 0, 16, 16, [1, 1], "bicubic")],
        "chelsea_451x300_rgb": [
            (25, 80, 250, 300, [224, 224], "bilinear"), (25, 80, 250, 300, [224, 224], "bicubic"),
        ],
    }
    cases = []
    for name, entries in table.items():
        for top, left, height, width, size, mode in entries:
            args = {"top": top, "left": left, "height": height, "width": width, "size": size, "interpolation": mode}
            desc = f"t={top} l={left} h={height} w={width} size={json.dumps(size)} {mode}"
            cases.append(("resizedCrop", name, desc, args))
    return cases


def tensor_cases():
    cases = []
    for name in [
        "astronaut_97x83_l", "astronaut_97x83_rgba", "coffee_64x48_rgb", "syn_1x1_rgb", "syn_1x1_l",
        "syn_7x5_rgba", "syn_3x17_l", "syn_17x3_rgb", "syn_16x16_rgb",
    ]:
        cases.append(("toTensor", name, "", {}))
    norm = [
        ("coffee_64x48_rgb", IMAGENET_MEAN, IMAGENET_STD, "imagenet"),
        ("syn_16x16_rgb", IMAGENET_MEAN, IMAGENET_STD, "imagenet"),
        ("syn_1x1_rgb", IMAGENET_MEAN, IMAGENET_STD, "imagenet"),
        ("syn_17x3_rgb", [0.5, 0.5, 0.5], [0.5, 0.5, 0.5], "half"),
        ("syn_17x3_rgb", [0.0, 0.0, 0.0], [1.0, 1.0, 1.0], "identity"),
        ("astronaut_97x83_l", [0.5], [0.5], "half"),
        ("syn_3x17_l", [0.449], [0.226], "imagenet grey"),
        ("syn_1x1_l", [0.1], [3.0], "custom"),
        ("astronaut_97x83_rgba", IMAGENET_MEAN + [0.5], IMAGENET_STD + [0.25], "imagenet + alpha"),
        ("syn_7x5_rgba", [0.1, 0.2, 0.3, 0.4], [0.9, 0.8, 0.7, 0.6], "custom"),
    ]
    for name, mean, std, desc in norm:
        cases.append(("normalize", name, desc, {"mean": mean, "std": std}))
    return cases


def all_cases(inputs):
    """(op, input, description, args, semantics)."""
    free = flip_cases() + crop_cases(inputs) + center_crop_cases() + pad_cases(inputs)
    both = resize_cases() + resized_crop_cases() + tensor_cases()
    cases = [c + ("any",) for c in free]
    cases += [c + ("pil",) for c in both]
    cases += [c + ("tensor",) for c in both]
    # torch's uint8 resize without antialias (v2's antialias=False; PIL images always antialias)
    for op, name, desc, args in resize_cases() + resized_crop_cases():
        if args["interpolation"] != "nearest":
            cases.append((op, name, desc + " antialias=false", {**args, "antialias": False}, "tensor"))
    return cases


# ---------------------------------------------------------------------------
# RandomResizedCrop.get_params samples

RRC_CONFIGS = [
    # (width, height, scale, ratio)
    (500, 375, [0.08, 1.0], [3.0 / 4.0, 4.0 / 3.0]),
    (64, 256, [0.5, 1.0], [3.0 / 4.0, 4.0 / 3.0]),
    (224, 224, [0.08, 1.0], [0.5, 2.0]),
]
RRC_SAMPLES = 4000


def rrc_samples():
    cases = []
    for width, height, scale, ratio in RRC_CONFIGS:
        torch.manual_seed(0)  # reset per configuration
        img = Image.new("RGB", (width, height))
        samples = []
        for _ in range(RRC_SAMPLES):
            top, left, h, w = T.RandomResizedCrop.get_params(img, scale, ratio)
            samples.append([int(top), int(left), int(h), int(w)])
        cases.append({"width": width, "height": height, "scale": scale, "ratio": ratio, "samples": samples})
    return {"generator": GENERATOR, "versions": VERSIONS, "seed": 0, "cases": cases}


def write_rrc(path, obj):
    """Like write_json, but one [top, left, height, width] sample per line."""
    text = json.dumps(obj, indent=1, ensure_ascii=True)
    text = re.sub(r"\[\s+(-?\d+),\s+(-?\d+),\s+(-?\d+),\s+(-?\d+)\s+\]", r"[\1, \2, \3, \4]", text)
    write_checked(path, text + "\n", obj)


# ---------------------------------------------------------------------------
# Main


def dtype_of(arr):
    if arr.dtype == np.uint8:
        return "u8"
    if arr.dtype == np.float32:
        return "f32"
    raise TypeError(arr.dtype)


def encode(arr):
    if arr.dtype == np.float32:
        return np.ascontiguousarray(arr, dtype="<f4").tobytes()
    return np.ascontiguousarray(arr).tobytes()


def write_checked(path, text, obj):
    """Writes text (LF line ends) after checking it parses back to obj. Shared by every JSON writer."""
    assert json.loads(text) == obj
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def parse_samples(doc):
    """The --samples folder from the command line (doc: the script's docstring); torch on one thread."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--samples", default=default_samples_dir(), help="folder with the sample photos")
    opts = parser.parse_args()
    torch.set_num_threads(1)
    return opts.samples


def case_entry(case_id, op, sem, name, args, reference, rel, out):
    """A manifest case: its id, the op and semantics, the input's name, the args, the reference and the output file."""
    return {
        "id": case_id,
        "op": op,
        "semantics": sem,
        "input": name,
        "args": args,
        "reference": reference,
        "output": {"file": rel, "dtype": dtype_of(out), "shape": list(out.shape)},
    }


def check_unique_ids(cases):
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids)), "duplicate case ids"


def print_summary(cases, folder, label, key=lambda c: f'{c["semantics"]}/{c["op"]}'):
    """Prints the cases per key and the bytes under folder."""
    counts = {}
    for c in cases:
        counts[key(c)] = counts.get(key(c), 0) + 1
    total = sum(os.path.getsize(os.path.join(root, f)) for root, _, files in os.walk(folder) for f in files)
    print(f"{len(cases)} cases: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
    print(f"{label}: {total} bytes")


def write_inputs(folder, inputs):
    """Clears folder/inputs and folder/out, writes each input as inputs/<name>.bin.gz and
    returns the manifest's "inputs" entry. Shared by every fixture script."""
    for sub in ("inputs", "out"):
        shutil.rmtree(os.path.join(folder, sub), ignore_errors=True)
    os.makedirs(folder, exist_ok=True)
    manifest_inputs = {}
    for name, arr in inputs.items():
        rel = f"inputs/{name}.bin.gz"
        write_gz(os.path.join(folder, rel), encode(arr))
        h, w, c = arr.shape
        manifest_inputs[name] = {"file": rel, "width": w, "height": h, "channels": c}
    return manifest_inputs


def main():
    inputs = make_inputs(parse_samples(__doc__))

    manifest_inputs = write_inputs(FIXTURES, inputs)

    manifest_cases = []
    skipped = []
    expected = {}
    n = -1
    for op, name, desc, args, sem in all_cases(inputs):
        case_id = f"{sem}/{op}/{name}/{desc}" if desc else f"{sem}/{op}/{name}/default"
        try:
            reference, out = (TENSOR_REFERENCES if sem == "tensor" else REFERENCES)[op](op, inputs[name], args)
        except RuntimeError as e:
            # torch 2.13's uint8 AVX resize asserts on a 1x1 output of a 3-channel image
            # (that tensor is both contiguous and channels_last); torchvision raises too.
            if "INTERNAL ASSERT FAILED" not in str(e):
                raise
            skipped.append({"id": case_id, "reason": "torch raises: " + str(e).split(" at ")[0]})
            continue
        n += 1
        if out.dtype == np.uint8:
            assert out.ndim == 3 and out.shape[2] == inputs[name].shape[2], (op, name, out.shape)
        else:
            assert out.ndim == 3 and out.shape[0] == inputs[name].shape[2], (op, name, out.shape)
        rel = f"out/{n}.bin.gz"
        write_gz(os.path.join(FIXTURES, rel), encode(out))
        expected[rel] = out
        manifest_cases.append(case_entry(case_id, op, sem, name, args, reference, rel, out))
    check_unique_ids(manifest_cases)

    write_json(
        os.path.join(FIXTURES, "cases.json"),
        {"generator": GENERATOR, "versions": VERSIONS, "cpuSensitive": CPU_SENSITIVE, "skipped": skipped, "inputs": manifest_inputs, "cases": manifest_cases},
    )
    write_rrc(os.path.join(FIXTURES, "rrc_samples.json"), rrc_samples())

    verify(inputs, expected)
    print_summary(manifest_cases, FIXTURES, "fixtures")


def verify(inputs, expected):
    """Read every written file back and check it against the manifest."""
    with open(os.path.join(FIXTURES, "cases.json"), encoding="utf-8") as fh:
        manifest = json.load(fh)
    for name, meta in manifest["inputs"].items():
        data = read_gz(os.path.join(FIXTURES, meta["file"]))
        assert len(data) == meta["width"] * meta["height"] * meta["channels"], name
        assert data == inputs[name].tobytes(), name
    for case in manifest["cases"]:
        out = case["output"]
        data = read_gz(os.path.join(FIXTURES, out["file"]))
        itemsize = {"u8": 1, "f32": 4}[out["dtype"]]
        assert len(data) == math.prod(out["shape"]) * itemsize, case["id"]
        if out["dtype"] == "u8":
            back = np.frombuffer(data, dtype=np.uint8).reshape(out["shape"])
        else:
            back = np.frombuffer(data, dtype="<f4").reshape(out["shape"])
        assert np.array_equal(back, expected[out["file"]]), case["id"]
    names = {c["output"]["file"] for c in manifest["cases"]}
    on_disk = {"out/" + f for f in os.listdir(os.path.join(FIXTURES, "out"))}
    assert names == on_disk, "stray or missing output files"
    with open(os.path.join(FIXTURES, "rrc_samples.json"), encoding="utf-8") as fh:
        rrc = json.load(fh)
    for case in rrc["cases"]:
        assert len(case["samples"]) == RRC_SAMPLES
        for top, left, h, w in case["samples"]:
            assert 0 <= top and 0 <= left and 0 < h and 0 < w
            assert top + h <= case["height"] and left + w <= case["width"]


if __name__ == "__main__":
    sys.exit(main())

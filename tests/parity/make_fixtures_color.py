#!/work/venv/bin/python
"""Generate the torchvision parity fixtures for lockstep's colour ops, under both semantics.

Run with the venv's Python (torch 2.13 CPU, torchvision 0.28, Pillow 12.3):

    /work/venv/bin/python tests/parity/make_fixtures_color.py [--samples DIR]

Writes tests/parity/fixtures/color/{cases.json, jitter_samples.json, inputs/, out/} in the
format of make_fixtures.py (see tests/parity/README.md). Deterministic: two runs give
identical bytes (on the same CPU kind: see CPU_SENSITIVE in make_fixtures.py).

Every case names its semantics:
- "pil": torchvision.transforms.functional on a PIL image (mode L, RGB or RGBA), i.e.
  Pillow's ImageEnhance / ImageOps / point tables / HSV round trip ("pillow"). Where Pillow
  refuses RGBA (ImageOps) or drops its alpha (the HSV and gamma routes, grey with 3
  channels), lockstep changes the colour and keeps alpha, so the reference runs on the RGB
  part and appends the input's alpha ("pillow-rgb+alpha").
- "tensor": torchvision.transforms.v2.functional on a uint8 CHW tensor ("torchvision-v2").
  v2 takes 1 or 3 channels; 4-channel cases run on RGB and append alpha
  ("torchvision-v2-rgb+alpha").
- "tensor-v1": torchvision.transforms.functional (v1) on a uint8 tensor, the kernels
  torchvision's AugMix runs on any input ("torchvision-v1"), for the ops AugMix uses (and rgbToGrayscale: v1 keeps a grey image one channel).
"""

import json
import os
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import (  # noqa: E402  (imports torchvision the venv way)
    CPU_SENSITIVE,
    T,
    F,
    F2,
    torch,
    write_inputs,
    case_entry,
    check_unique_ids,
    parse_samples,
    print_summary,
    write_checked,
    VERSIONS,
    crop_hwc,
    encode,
    load_rgb,
    noise,
    read_gz,
    tensor_to_hwc,
    to_chw_tensor,
    to_pil,
    pil_to_hwc,
    write_gz,
    write_json,
)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(REPO, "tests", "parity", "fixtures", "color")
GENERATOR = "tests/parity/make_fixtures_color.py"


# ---------------------------------------------------------------------------
# Inputs (HWC uint8)


def ramp_alpha(h, w, seed):
    ramp = np.linspace(-40.0, 295.0, w)[None, :].repeat(h, axis=0)
    jitter = np.random.RandomState(seed).randint(-30, 31, size=(h, w))
    return np.clip(np.round(ramp) + jitter, 0, 255).astype(np.uint8)


def ties_image():
    """Every combination of 13 levels per channel (ties between max/min channels, greys,
    black, white, near-equal values) plus a few random pixels, as a 47 x 47 RGB image."""
    levels = [0, 1, 2, 63, 64, 127, 128, 129, 191, 192, 253, 254, 255]
    px = np.array([[r, g, b] for r in levels for g in levels for b in levels], dtype=np.uint8)
    extra = noise(11, 1, 47 * 47 - len(px), 3)[0]
    return np.concatenate([px, extra]).reshape(47, 47, 3)


def gradient_image(h, w):
    """A smooth, bright image large enough (> 65793 pixels) that torch's f32 sum of the
    grey image passes 2^24 (adjust_contrast's mean)."""
    y = np.arange(h)[:, None]
    x = np.arange(w)[None, :]
    r = 180 + (x * 75) // (w - 1) + 0 * y
    g = 255 - (y * 60) // (h - 1) + 0 * x
    b = 200 + ((x + y) * 55) // (w + h - 2)
    return np.stack([r, g, b], axis=2).astype(np.uint8)


def make_inputs(samples):
    astronaut = load_rgb(samples, "astronaut.png")
    chelsea = load_rgb(samples, "chelsea.png")
    coffee = load_rgb(samples, "coffee.png")
    rocket = load_rgb(samples, "rocket.jpg")

    astro = crop_hwc(astronaut, left=180, top=50, width=48, height=40)
    astro_l = np.array(Image.fromarray(astro, "RGB").convert("L"), dtype=np.uint8)[:, :, None]
    astro_rgba = np.concatenate([astro, ramp_alpha(40, 48, 4)[:, :, None]], axis=2)
    flat = np.full((4, 5, 3), [90, 90, 200], dtype=np.uint8)
    two = np.where(noise(12, 6, 8, 1) > 127, 200, 30).astype(np.uint8)

    inputs = {
        "astronaut_48x40_rgb": astro,
        "astronaut_48x40_l": astro_l,
        "astronaut_48x40_rgba": astro_rgba,
        "chelsea_56x40_rgb": crop_hwc(chelsea, left=150, top=40, width=56, height=40),
        "coffee_40x32_rgb": crop_hwc(coffee, left=260, top=140, width=40, height=32),
        "rocket_40x30_rgb": crop_hwc(rocket, left=300, top=140, width=40, height=30),
        "syn_1x1_rgb": noise(1, 1, 1, 3),
        "syn_1x1_l": noise(2, 1, 1, 1),
        "syn_7x5_rgba": noise(3, 5, 7, 4),
        "syn_3x17_l": noise(5, 17, 3, 1),
        "syn_17x3_rgb": noise(6, 3, 17, 3),
        "syn_16x16_rgb": noise(7, 16, 16, 3),
        "syn_ties_47x47_rgb": ties_image(),
        "syn_flat_5x4_rgb": flat,
        "syn_two_8x6_l": two,
        "syn_gradient_320x240_rgb": gradient_image(240, 320),
        "chelsea_280x240_rgb": crop_hwc(chelsea, left=100, top=30, width=280, height=240),
    }
    for name, arr in inputs.items():
        assert arr.dtype == np.uint8 and arr.ndim == 3 and arr.shape[2] in (1, 3, 4), name
    return inputs


# ---------------------------------------------------------------------------
# References


def with_alpha(fn, arr, ref):
    """fn on the RGB part, the input's alpha appended (unless fn returns one channel)."""
    out = fn(arr[:, :, :3])
    if out.shape[2] == 1:
        return ref.replace("+alpha", ""), out
    return ref, np.ascontiguousarray(np.concatenate([out, arr[:, :, 3:]], axis=2))


def pil(fn, arr, native_rgba=False):
    """torchvision on the PIL image; RGBA natively or as RGB + alpha."""
    run = lambda a: pil_to_hwc(fn(to_pil(a)))
    if arr.shape[2] == 4 and not native_rgba:
        return with_alpha(run, arr, "pillow-rgb+alpha")
    return "pillow", run(arr)


def v2(fn, arr, any_channels=False):
    run = lambda a: tensor_to_hwc(fn(to_chw_tensor(a)))
    if arr.shape[2] == 4 and not any_channels:
        return with_alpha(run, arr, "torchvision-v2-rgb+alpha")
    return "torchvision-v2", run(arr)


def v1(fn, arr):
    run = lambda a: tensor_to_hwc(fn(to_chw_tensor(a)))
    if arr.shape[2] == 4:
        return with_alpha(run, arr, "torchvision-v1-rgb+alpha")
    return "torchvision-v1", run(arr)


def reference(op, sem, arr, a):
    if sem == "pil":
        # ImageEnhance takes RGBA and keeps its alpha; the rest does not.
        table = {
            "adjustBrightness": (lambda i: F.adjust_brightness(i, a["factor"]), True),
            "adjustContrast": (lambda i: F.adjust_contrast(i, a["factor"]), True),
            "adjustSaturation": (lambda i: F.adjust_saturation(i, a["factor"]), True),
            "adjustSharpness": (lambda i: F.adjust_sharpness(i, a["factor"]), True),
            "adjustHue": (lambda i: F.adjust_hue(i, a["factor"]), False),
            "adjustGamma": (lambda i: F.adjust_gamma(i, a["gamma"], a["gain"]), False),
            "rgbToGrayscale": (lambda i: F.rgb_to_grayscale(i, a["numOutputChannels"]), a.get("numOutputChannels") == 1),
            "invert": (F.invert, False),
            "posterize": (lambda i: F.posterize(i, a["bits"]), False),
            "solarize": (lambda i: F.solarize(i, a["threshold"]), False),
            "autocontrast": (F.autocontrast, False),
            "equalize": (F.equalize, False),
            "permuteChannels": (lambda i: F2.permute_channels(i, a["permutation"]), True),
        }
        fn, native = table[op]
        return pil(fn, arr, native)
    if sem == "tensor":
        table = {
            "adjustBrightness": lambda t: F2.adjust_brightness(t, a["factor"]),
            "adjustContrast": lambda t: F2.adjust_contrast(t, a["factor"]),
            "adjustSaturation": lambda t: F2.adjust_saturation(t, a["factor"]),
            "adjustSharpness": lambda t: F2.adjust_sharpness(t, a["factor"]),
            "adjustHue": lambda t: F2.adjust_hue(t, a["factor"]),
            "adjustGamma": lambda t: F2.adjust_gamma(t, a["gamma"], a["gain"]),
            "rgbToGrayscale": lambda t: F2.rgb_to_grayscale(t, a["numOutputChannels"]),
            "invert": F2.invert,
            "posterize": lambda t: F2.posterize(t, a["bits"]),
            "solarize": lambda t: F2.solarize(t, a["threshold"]),
            "autocontrast": F2.autocontrast,
            "equalize": F2.equalize,
            "permuteChannels": lambda t: F2.permute_channels(t, a["permutation"]),
        }
        return v2(table[op], arr, any_channels=op == "permuteChannels")
    table = {
        "adjustBrightness": lambda t: F.adjust_brightness(t, a["factor"]),
        "adjustContrast": lambda t: F.adjust_contrast(t, a["factor"]),
        "adjustSaturation": lambda t: F.adjust_saturation(t, a["factor"]),
        "adjustSharpness": lambda t: F.adjust_sharpness(t, a["factor"]),
        "posterize": lambda t: F.posterize(t, a["bits"]),
        "solarize": lambda t: F.solarize(t, a["threshold"]),
        "autocontrast": F.autocontrast,
        "equalize": F.equalize,
        "rgbToGrayscale": lambda t: F.rgb_to_grayscale(t, a["numOutputChannels"]),
    }
    return v1(table[op], arr)


# ---------------------------------------------------------------------------
# Cases: (op, input, args)

PHOTOS = ["astronaut_48x40_rgb", "chelsea_56x40_rgb", "coffee_40x32_rgb", "rocket_40x30_rgb"]
GREY = ["astronaut_48x40_l", "syn_1x1_l", "syn_3x17_l", "syn_two_8x6_l"]
RGBA = ["astronaut_48x40_rgba", "syn_7x5_rgba"]
SYN_RGB = ["syn_1x1_rgb", "syn_17x3_rgb", "syn_16x16_rgb", "syn_ties_47x47_rgb", "syn_flat_5x4_rgb"]
COLOUR = PHOTOS + RGBA + SYN_RGB
ALL = COLOUR + GREY


def cases():
    """(op, input, args, semantics): every case under "pil" and "tensor", the ops AugMix
    uses also under "tensor-v1"."""
    base = []

    def add(op, names, arglist):
        for args in arglist:
            for name in names:
                base.append((op, name, args))

    factors = lambda fs: [{"factor": f} for f in fs]
    add("adjustBrightness", ["astronaut_48x40_rgb", "astronaut_48x40_l", "astronaut_48x40_rgba", "syn_16x16_rgb", "syn_1x1_l", "syn_ties_47x47_rgb"], factors([0, 0.5, 1, 1.3, 2.7]))
    add("adjustBrightness", ["coffee_40x32_rgb", "syn_7x5_rgba", "syn_3x17_l"], factors([0.123456789, 1.9]))
    add("adjustContrast", ["astronaut_48x40_rgb", "astronaut_48x40_l", "astronaut_48x40_rgba", "syn_16x16_rgb", "syn_flat_5x4_rgb", "syn_1x1_rgb"], factors([0, 0.5, 1, 1.7, 3]))
    add("adjustContrast", ["chelsea_56x40_rgb", "syn_3x17_l", "syn_7x5_rgba", "syn_ties_47x47_rgb"], factors([0.3, 2.2]))
    add("adjustContrast", ["syn_gradient_320x240_rgb"], factors([0.5, 1.8]))
    add("adjustSaturation", ["astronaut_48x40_rgb", "astronaut_48x40_rgba", "syn_ties_47x47_rgb", "syn_16x16_rgb"], factors([0, 0.3, 1, 1.5, 4]))
    add("adjustSaturation", ["chelsea_56x40_rgb", "coffee_40x32_rgb", "rocket_40x30_rgb", "syn_7x5_rgba", "syn_17x3_rgb", "syn_1x1_rgb"], factors([0.6, 2.5]))
    add("adjustHue", ["astronaut_48x40_rgb", "astronaut_48x40_rgba", "syn_ties_47x47_rgb", "syn_16x16_rgb"], factors([-0.5, -0.27, -0.05, 0, 0.013, 0.1, 0.5]))
    # hf one f32 step beyond -h(yellow): h + hf = -2^-26, and (h + hf) % 1 rounds to 1.0, so
    # _hsv2rgb's `i % 6` must wrap sector 6 to 0.
    add("adjustHue", ["syn_ties_47x47_rgb"], factors([-0.166666641831398]))
    add("adjustHue", ["chelsea_56x40_rgb", "coffee_40x32_rgb", "rocket_40x30_rgb", "syn_7x5_rgba", "syn_17x3_rgb", "syn_1x1_rgb", "syn_flat_5x4_rgb"], factors([-0.4, 0.25]))
    gammas = [(0, 1), (0.5, 1), (1, 1), (2, 1), (3, 1), (0.7, 1), (2.2, 1), (1.3, 0.8), (0.45, 1.5), (1, 2)]
    add("adjustGamma", ["astronaut_48x40_rgb", "astronaut_48x40_l", "syn_ties_47x47_rgb"], [{"gamma": g, "gain": k} for g, k in gammas])
    add("adjustGamma", ["astronaut_48x40_rgba", "syn_7x5_rgba", "syn_3x17_l"], [{"gamma": 0.8, "gain": 1}, {"gamma": 1.6, "gain": 1.1}])
    add("adjustSharpness", ["astronaut_48x40_rgb", "astronaut_48x40_l", "astronaut_48x40_rgba", "syn_16x16_rgb"], factors([0, 0.5, 1, 2, 5]))
    add("adjustSharpness", ["syn_3x17_l", "syn_17x3_rgb", "syn_7x5_rgba", "syn_1x1_rgb", "syn_ties_47x47_rgb", "rocket_40x30_rgb"], factors([0.3, 1.7]))
    add("rgbToGrayscale", COLOUR, [{"numOutputChannels": 1}, {"numOutputChannels": 3}])
    add("rgbToGrayscale", GREY, [{"numOutputChannels": 1}])
    add("invert", ALL, [{}])
    add("posterize", ["astronaut_48x40_rgb", "astronaut_48x40_l", "astronaut_48x40_rgba", "syn_ties_47x47_rgb"], [{"bits": b} for b in [0, 1, 3, 5, 8]])
    add("posterize", ["syn_7x5_rgba", "syn_3x17_l", "syn_17x3_rgb"], [{"bits": 2}, {"bits": 7}])
    add("solarize", ["astronaut_48x40_rgb", "astronaut_48x40_l", "astronaut_48x40_rgba", "syn_ties_47x47_rgb"], [{"threshold": t} for t in [0, 1, 127.5, 128, 200, 255]])
    add("solarize", ["syn_7x5_rgba", "syn_3x17_l", "syn_17x3_rgb"], [{"threshold": 64}, {"threshold": 128.00000001}])
    add("autocontrast", ALL, [{}])
    add("equalize", ALL, [{}])
    add("permuteChannels", ["astronaut_48x40_rgb", "syn_17x3_rgb"], [{"permutation": p} for p in [[0, 1, 2], [2, 1, 0], [1, 2, 0], [2, 0, 1]]])
    add("permuteChannels", ["syn_7x5_rgba"], [{"permutation": [3, 0, 2, 1]}, {"permutation": [2, 1, 0, 3]}])
    add("permuteChannels", ["syn_3x17_l"], [{"permutation": [0]}])
    # grey images through saturation and hue (returned unchanged) and grey to 3 channels
    add("adjustSaturation", GREY, factors([0.4, 2.0]))
    add("adjustHue", GREY, factors([0.25]))
    add("rgbToGrayscale", GREY, [{"numOutputChannels": 3}])
    # a photo past 65793 pixels: contrast's float32 mean past 2^24
    add("adjustContrast", ["chelsea_280x240_rgb"], factors([0.6]))
    out = [(op, name, args, sem) for sem in ("pil", "tensor") for op, name, args in base]
    # AugMix's ops, and grayscale for v1's grey-stays-grey rule
    v1_ops = {"adjustBrightness", "adjustContrast", "adjustSaturation", "adjustSharpness", "posterize", "solarize", "autocontrast", "equalize", "rgbToGrayscale"}
    out += [(op, name, args, "tensor-v1") for op, name, args in base if op in v1_ops]
    return out


def describe_args(args):
    return " ".join(f"{k}={json.dumps(v)}" for k, v in args.items()) or "default"


# ---------------------------------------------------------------------------
# ColorJitter.get_params samples

JITTER_CONFIGS = [
    # (brightness, contrast, saturation, hue) as ColorJitter takes them
    (0.4, 0.4, 0.4, 0.1),
    ([0.2, 1.8], 0, [0.5, 0.5], [-0.5, 0.3]),
]
JITTER_SAMPLES = 2000


def f32repr(x):
    return None if x is None else float(str(np.float32(x)))


def jitter_samples():
    out = []
    for b, c, s, h in JITTER_CONFIGS:
        cj = T.ColorJitter(b, c, s, h)
        torch.manual_seed(0)
        samples = []
        for _ in range(JITTER_SAMPLES):
            order, fb, fc, fs, fh = T.ColorJitter.get_params(cj.brightness, cj.contrast, cj.saturation, cj.hue)
            samples.append(["".join(str(int(i)) for i in order), f32repr(fb), f32repr(fc), f32repr(fs), f32repr(fh)])
        norm = lambda v: None if v is None else [float(v[0]), float(v[1])]
        out.append({
            "args": {"brightness": b, "contrast": c, "saturation": s, "hue": h},
            "ranges": {"brightness": norm(cj.brightness), "contrast": norm(cj.contrast), "saturation": norm(cj.saturation), "hue": norm(cj.hue)},
            "samples": samples,
        })
    return {"generator": GENERATOR, "versions": VERSIONS, "seed": 0, "columns": ["order", "brightness", "contrast", "saturation", "hue"], "configs": out}


def write_samples(path, obj):
    """One sample per line."""
    lines = ["{"]
    keys = list(obj)
    for i, k in enumerate(keys):
        comma = "," if i + 1 < len(keys) else ""
        if k != "configs":
            lines.append(f' {json.dumps(k)}: {json.dumps(obj[k])}{comma}')
            continue
        lines.append(' "configs": [')
        for j, cfg in enumerate(obj[k]):
            lines.append(f'  {{"args": {json.dumps(cfg["args"])}, "ranges": {json.dumps(cfg["ranges"])}, "samples": [')
            lines.append(",\n".join(f"   {json.dumps(s)}" for s in cfg["samples"]))
            lines.append("  ]}" + ("," if j + 1 < len(obj[k]) else ""))
        lines.append(" ]" + comma)
    lines.append("}")
    write_checked(path, "\n".join(lines) + "\n", obj)


# ---------------------------------------------------------------------------
# Main


def main():
    inputs = make_inputs(parse_samples(__doc__))

    manifest_inputs = write_inputs(FIXTURES, inputs)

    manifest_cases = []
    for n, (op, name, args, sem) in enumerate(cases()):
        ref, out = reference(op, sem, inputs[name], args)
        assert out.dtype == np.uint8 and out.ndim == 3 and out.shape[:2] == inputs[name].shape[:2], (op, name, out.shape)
        rel = f"out/{n}.bin.gz"
        write_gz(os.path.join(FIXTURES, rel), encode(out))
        manifest_cases.append(case_entry(f"{sem}/{op}/{name}/{describe_args(args)}", op, sem, name, args, ref, rel, out))
        assert np.array_equal(np.frombuffer(read_gz(os.path.join(FIXTURES, rel)), dtype=np.uint8).reshape(out.shape), out)
    check_unique_ids(manifest_cases)

    write_json(os.path.join(FIXTURES, "cases.json"), {"generator": GENERATOR, "versions": VERSIONS, "cpuSensitive": CPU_SENSITIVE, "inputs": manifest_inputs, "cases": manifest_cases})
    write_samples(os.path.join(FIXTURES, "jitter_samples.json"), jitter_samples())

    print_summary(manifest_cases, FIXTURES, "fixtures")


if __name__ == "__main__":
    sys.exit(main())

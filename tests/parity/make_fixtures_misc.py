#!/work/venv/bin/python
"""Generate the torchvision parity fixtures for lockstep's misc ops (blur, erase, linear).

Run with the venv's Python (torch 2.13 CPU, torchvision 0.28, Pillow 12.3), after make_fixtures.py:

    /work/venv/bin/python tests/parity/make_fixtures_misc.py

Reads the committed inputs of tests/parity/fixtures/cases.json and writes
tests/parity/fixtures/misc/{cases.json, erasing_samples.json, out/}. Same format as
fixtures/cases.json (input files are referenced as ../inputs/...). Deterministic: gzip with
mtime 0, numpy RandomState with fixed seeds, torch on one thread, torch.manual_seed(0)
before each RandomErasing configuration.

Cases:
* gaussianBlur, each case under both semantics: "pil" is F.gaussian_blur on the PIL image
  (torchvision converts it to a tensor and back: "torchvision-on-pil"; RGBA as RGB + alpha
  blurred the same way, "torchvision-on-pil-bands"), "tensor" v2's gaussian_blur on the uint8
  CHW tensor ("torchvision-v2"), output HWC u8. args: kernelSize [kx, ky], sigma [sx, sy] or
  null (torchvision's default).
* erase ("torchvision-tensor"): F.erase(F.to_tensor(pil) [then F.normalize], i, j, h, w, v),
  output CHW f32. args: i, j, h, w, value (list of per-channel values, or a nested [C][h][w]
  list of explicit values), normalize ({mean, std} or null).
* linearTransformation ("torch-mm"): transforms.LinearTransformation(W, mean) on
  F.to_tensor(pil), output CHW f32. args.data names a gz file of little-endian f32: the d
  mean values, then the d x d matrix row-major. Compared with a tolerance (BLAS sums in
  its own order).
"""

import gzip
import json
import os
import shutil
import sys

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_fixtures import VERSIONS, CPU_SENSITIVE, T, F, F2, torch, case_entry, check_unique_ids, compact, encode, print_summary, read_gz, write_gz, write_json, write_rrc  # noqa: E402

FIXTURES = os.path.join(HERE, "fixtures")
OUT = os.path.join(FIXTURES, "misc")
GENERATOR = "tests/parity/make_fixtures_misc.py"
MODES = {1: "L", 3: "RGB", 4: "RGBA"}
IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]


def load_inputs():
    with open(os.path.join(FIXTURES, "cases.json"), encoding="utf-8") as fh:
        manifest = json.load(fh)
    inputs = {}
    entries = {}
    for name, meta in manifest["inputs"].items():
        data = read_gz(os.path.join(FIXTURES, meta["file"]))
        arr = np.frombuffer(data, dtype=np.uint8).reshape(meta["height"], meta["width"], meta["channels"]).copy()
        inputs[name] = arr
        entries[name] = {**meta, "file": "../" + meta["file"]}
    return inputs, entries


def chw(arr):
    return torch.from_numpy(arr.copy()).permute(2, 0, 1).contiguous()


def to_pil(arr):
    return Image.fromarray(arr if arr.shape[2] > 1 else arr[:, :, 0], MODES[arr.shape[2]])


# ---------------------------------------------------------------------------
# Cases

BLUR = [
    ("astronaut_97x83_rgb", [3, 3], [1.0, 1.0]),
    ("astronaut_97x83_rgb", [5, 5], [0.8, 0.8]),
    ("astronaut_97x83_rgb", [3, 7], [1.5, 0.7]),
    ("astronaut_97x83_rgb", [11, 11], [2.0, 2.0]),
    ("astronaut_97x83_rgb", [9, 9], None),
    ("astronaut_97x83_rgb", [23, 23], [5.0, 5.0]),
    ("astronaut_97x83_l", [5, 5], [1.2, 1.2]),
    ("astronaut_97x83_l", [9, 1], [2.0, 1.0]),
    ("astronaut_97x83_l", [1, 1], [1.0, 1.0]),
    ("astronaut_97x83_rgba", [7, 7], [1.1, 1.1]),
    ("chelsea_120x80_rgb", [15, 15], [3.3, 3.3]),
    ("chelsea_120x80_rgb", [3, 3], [0.1, 0.1]),
    ("chelsea_120x80_rgb", [31, 31], [0.5, 0.5]),
    ("coffee_64x48_rgb", [7, 7], [0.3, 4.0]),
    ("coffee_64x48_rgb", [25, 25], [50.0, 50.0]),
    ("rocket_75x51_rgb", [13, 13], [2.7, 2.7]),
    ("rocket_75x51_rgb", [5, 5], None),
    ("syn_16x16_rgb", [5, 5], [1.0, 1.0]),
    ("syn_16x16_rgb", [15, 15], [2.0, 2.0]),
    ("syn_17x3_rgb", [5, 5], [1.3, 0.9]),
    ("syn_17x3_rgb", [3, 5], [0.6, 1.7]),
    ("syn_3x17_l", [5, 3], [1.0, 1.0]),
    ("syn_7x5_rgba", [7, 9], [1.0, 2.0]),
    ("syn_1x1_rgb", [1, 1], [1.0, 1.0]),
    ("syn_1x1_l", [1, 1], [0.5, 0.5]),
]


def blur_cases():
    return [("gaussianBlur", name, f"k={k} sigma={s}", {"kernelSize": k, "sigma": s}, sem) for sem in ("pil", "tensor") for name, k, s in BLUR]


def run_blur(arr, args, sem):
    if sem == "tensor":
        out = F2.gaussian_blur(chw(arr), args["kernelSize"], args["sigma"])
        assert out.dtype == torch.uint8
        return "torchvision-v2", out.permute(1, 2, 0).contiguous().numpy()
    img = to_pil(arr)
    out = np.array(F.gaussian_blur(img, args["kernelSize"], args["sigma"]), dtype=np.uint8)
    return "torchvision-on-pil", out[:, :, None] if out.ndim == 2 else out


def erase_cases():
    r = np.random.RandomState(11)
    explicit = r.normal(size=(3, 4, 5)).astype(np.float32).tolist()
    table = [
        ("coffee_64x48_rgb", 5, 7, 10, 20, [0.0], None, "zero"),
        ("coffee_64x48_rgb", 0, 0, 48, 64, [0.5, -1.0, 2.0], None, "whole, per channel"),
        ("coffee_64x48_rgb", 40, 60, 8, 4, [1.5], None, "corner"),
        ("coffee_64x48_rgb", 3, 9, 4, 5, explicit, {"mean": IMAGENET_MEAN, "std": IMAGENET_STD}, "explicit values, normalized"),
        ("astronaut_97x83_l", 10, 10, 0, 5, [3.0], None, "empty height"),
        ("astronaut_97x83_l", 80, 0, 3, 97, [-0.25], None, "bottom rows"),
        ("astronaut_97x83_rgb", 20, 30, 33, 41, [0.1, 0.2, 0.3], {"mean": IMAGENET_MEAN, "std": IMAGENET_STD}, "normalized"),
        ("syn_7x5_rgba", 1, 2, 3, 4, [0.1, 0.2, 0.3, 0.4], None, "rgba"),
        ("syn_1x1_rgb", 0, 0, 1, 1, [7.0], None, "1x1"),
    ]
    return [
        ("erase", name, f"i={i} j={j} h={h} w={w} {desc}", {"i": i, "j": j, "h": h, "w": w, "value": v, "normalize": norm})
        for name, i, j, h, w, v, norm, desc in table
    ]


def run_erase(arr, args):
    t = F.to_tensor(to_pil(arr))
    if args["normalize"]:
        t = F.normalize(t, args["normalize"]["mean"], args["normalize"]["std"])
    v = torch.tensor(args["value"], dtype=torch.float32)
    if v.ndim == 1:
        v = v[:, None, None]
    out = F.erase(t, args["i"], args["j"], args["h"], args["w"], v)
    return "torchvision-tensor", out.numpy()


LINEAR = [("syn_1x1_rgb", 1), ("syn_3x17_l", 2), ("syn_7x5_rgba", 3)]


def linear_cases():
    return [("linearTransformation", name, f"seed={seed}", {"data": f"lin/{seed}.bin.gz"}) for name, seed in LINEAR]


def linear_data(arr, seed):
    d = arr.size
    r = np.random.RandomState(100 + seed)
    mean = r.uniform(0, 1, size=d).astype(np.float32)
    mat = (r.normal(size=(d, d)) / np.sqrt(d)).astype(np.float32)
    return mean, mat


def run_linear(arr, args):
    seed = int(args["data"].split("/")[1].split(".")[0])
    mean, mat = linear_data(arr, seed)
    write_gz(os.path.join(OUT, args["data"]), encode(mean) + encode(mat))
    t = F.to_tensor(to_pil(arr))
    out = T.LinearTransformation(torch.from_numpy(mat), torch.from_numpy(mean))(t)
    return "torch-mm", out.numpy()


RUN = {"gaussianBlur": run_blur, "erase": run_erase, "linearTransformation": run_linear}

# ---------------------------------------------------------------------------
# RandomErasing.get_params samples

ERASING_CONFIGS = [
    # (channels, height, width, scale, ratio)
    (3, 224, 224, [0.02, 0.33], [0.3, 3.3]),
    (3, 32, 48, [0.1, 0.5], [0.5, 2.0]),
    (1, 4, 10, [0.02, 0.33], [0.3, 3.3]),
    (3, 20, 20, [0.5, 1.0], [0.3, 3.3]),
]
ERASING_SAMPLES = 2000


def erasing_samples():
    cases = []
    for c, h, w, scale, ratio in ERASING_CONFIGS:
        torch.manual_seed(0)
        img = torch.zeros(c, h, w)
        samples = []
        for _ in range(ERASING_SAMPLES):
            i, j, eh, ew, _v = T.RandomErasing.get_params(img, scale=scale, ratio=ratio, value=[0.0])
            samples.append([int(i), int(j), int(eh), int(ew)])
        cases.append({"channels": c, "height": h, "width": w, "scale": scale, "ratio": ratio, "samples": samples})
    return {"generator": GENERATOR, "versions": VERSIONS, "seed": 0, "cases": cases}


# ---------------------------------------------------------------------------
# Main


def main():
    torch.set_num_threads(1)
    inputs, entries = load_inputs()
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)

    cases = []
    used = set()
    all_cases = blur_cases() + [c + ("any",) for c in erase_cases() + linear_cases()]
    for n, (op, name, desc, args, sem) in enumerate(all_cases):
        reference, out = run_blur(inputs[name], args, sem) if op == "gaussianBlur" else RUN[op](inputs[name], args)
        rel = f"out/{n}.bin.gz"
        write_gz(os.path.join(OUT, rel), encode(out))
        used.add(name)
        cases.append(case_entry(f"{sem}/{op}/{name}/{desc}", op, sem, name, args, reference, rel, out))
    check_unique_ids(cases)
    write_json(
        os.path.join(OUT, "cases.json"),
        {"generator": GENERATOR, "versions": VERSIONS, "cpuSensitive": CPU_SENSITIVE, "inputs": {k: v for k, v in entries.items() if k in used}, "cases": cases},
    )
    write_rrc(os.path.join(OUT, "erasing_samples.json"), erasing_samples())

    # Read back.
    with open(os.path.join(OUT, "cases.json"), encoding="utf-8") as fh:
        manifest = json.load(fh)
    for case in manifest["cases"]:
        out = case["output"]
        data = read_gz(os.path.join(OUT, out["file"]))
        assert len(data) == int(np.prod(out["shape"])) * {"u8": 1, "f32": 4}[out["dtype"]], case["id"]
    print_summary(cases, OUT, "fixtures/misc", key=lambda c: c["op"])


if __name__ == "__main__":
    sys.exit(main())

#!/work/venv/bin/python
"""Generate the torchvision/Pillow parity fixtures for lockstep's warps, under both semantics.

Run with the venv's Python (torch 2.13 CPU, torchvision 0.28, Pillow 12.3):

    /work/venv/bin/python tests/parity/make_fixtures_warp.py [--samples DIR]

Writes tests/parity/fixtures/warp/{cases.json, samples.json.gz, inputs/, out/} in the format
of fixtures/cases.json (see tests/parity/README.md). Deterministic: two runs give identical
bytes. Inputs come from make_fixtures.py's make_inputs.

Every case names its semantics. "pil" (torchvision 0.28 on PIL images, so Pillow 12.3's
Geometry.c does the pixels):
  rotate      F.rotate(pil, angle, interpolation, expand, center, fill)   -> Image.rotate
  affine      F.affine(pil, angle, translate, scale, shear, ...)          -> Image.transform(AFFINE)
  perspective F.perspective(pil, startpoints, endpoints, ...)             -> Image.transform(PERSPECTIVE)
              args.coefficients holds torchvision's float32 lstsq solution (_get_perspective_coeffs),
              args.coefficientsExact the float64 solution rounded to float32
  fiveCrop / tenCrop  F.five_crop / F.ten_crop on a uint8 CHW tensor, stacked: [N, H, W, C]
                      (the same under both semantics: "any")
4-channel inputs are warped as four separate 'L' bands (Pillow premultiplies alpha for RGBA
with bilinear); a per-channel fill goes to its band.
"tensor": torchvision.transforms.v2.functional.rotate / affine / perspective on the uint8
CHW tensor (4 channels natively): grid_sample, the fill through a mask channel; fill null
is torchvision's fill=None (grid_sample's zeros, no mask). "tensor-v1": the v1 functional
API on the tensor (what AugMix runs).
samples.json.gz holds torchvision's own get_params draws for RandomRotation, RandomAffine and
RandomPerspective (torch.manual_seed(0) before each configuration).
"""

import os
import shutil
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as base  # noqa: E402  (imports torchvision the venv way)
from make_fixtures import torch, T, F, F2  # noqa: E402
from torchvision.transforms import InterpolationMode  # noqa: E402

OUT = os.path.join(base.FIXTURES, "warp")
GENERATOR = "tests/parity/make_fixtures_warp.py"
SAMPLES = 3000


def per_band(arr, fn, fill):
    """fn(pil, fill) on the image: 1 channel as 'L', 3 as 'RGB', 4 as four 'L' bands."""
    c = arr.shape[2]
    fills = fill if isinstance(fill, list) else [fill] * c
    if c == 4:
        bands = [base.pil_to_hwc(fn(base.to_pil(arr[:, :, k : k + 1]), fills[k])) for k in range(4)]
        return np.ascontiguousarray(np.concatenate(bands, axis=2))
    f = fills[0] if c == 1 else tuple(fills)
    return base.pil_to_hwc(fn(base.to_pil(arr), f))


def interp(name):
    return InterpolationMode(name)


def ref_rotate(arr, a):
    fn = lambda img, fill: F.rotate(img, a["angle"], interp(a["interpolation"]), a["expand"], a["center"], fill)
    return "pillow", per_band(arr, fn, a["fill"])


def ref_affine(arr, a):
    fn = lambda img, fill: F.affine(
        img, a["angle"], a["translate"], a["scale"], a["shear"], interp(a["interpolation"]), fill, a["center"]
    )
    return "pillow", per_band(arr, fn, a["fill"])


def ref_perspective(arr, a):
    fn = lambda img, fill: F.perspective(img, a["startpoints"], a["endpoints"], interp(a["interpolation"]), fill)
    return "pillow", per_band(arr, fn, a["fill"])


def on_tensor(fn, arr):
    return base.tensor_to_hwc(fn(base.to_chw_tensor(arr)))


def tensor_fill(a):
    f = a["fill"]
    return None if f is None else ([float(v) for v in f] if isinstance(f, list) else float(f))


def ref_rotate_tensor(arr, a, fns):
    fn = lambda t: fns.rotate(t, a["angle"], interp(a["interpolation"]), a["expand"], a["center"], tensor_fill(a))
    return on_tensor(fn, arr)


def ref_affine_tensor(arr, a, fns):
    fn = lambda t: fns.affine(t, a["angle"], a["translate"], a["scale"], a["shear"], interp(a["interpolation"]), tensor_fill(a), a["center"])
    return on_tensor(fn, arr)


def ref_perspective_tensor(arr, a, fns):
    fn = lambda t: fns.perspective(t, a["startpoints"], a["endpoints"], interp(a["interpolation"]), tensor_fill(a))
    return on_tensor(fn, arr)


TENSOR_REFERENCES = {"rotate": ref_rotate_tensor, "affine": ref_affine_tensor, "perspective": ref_perspective_tensor}


def ref_five_crop(arr, a):
    crops = F.five_crop(base.to_chw_tensor(arr), a["size"])
    return "torchvision-tensor", np.stack([base.tensor_to_hwc(c) for c in crops])


def ref_ten_crop(arr, a):
    crops = F.ten_crop(base.to_chw_tensor(arr), a["size"], a["verticalFlip"])
    return "torchvision-tensor", np.stack([base.tensor_to_hwc(c) for c in crops])


REFERENCES = {
    "rotate": ref_rotate,
    "affine": ref_affine,
    "perspective": ref_perspective,
    "fiveCrop": ref_five_crop,
    "tenCrop": ref_ten_crop,
}


def fill_for(name, inputs, k):
    c = inputs[name].shape[2]
    if k == 0:
        return 0
    if k == 1:
        return 200
    return [17, 99, 230, 128][:c] if c > 1 else [77]


def rotate_cases(inputs):
    cases = []
    # name -> angles; every angle runs nearest and bilinear, expand alternates (both for
    # the first angles of the cheaper inputs)
    table = {
        "coffee_64x48_rgb": [0, 90, 15, -33.3, 180, 270, 45, 123.4, -90, 360.5, -200.25],
        "astronaut_97x83_rgb": [15, -33.3],
        "astronaut_97x83_l": [90, 15, -33.3, 200.7],
        "astronaut_97x83_rgba": [-33.3],
        "syn_16x16_rgb": [90, 270, 30, -180, 0],
        "syn_7x5_rgba": [10, 90, -135, 0.5],
        # 150 and -30 on 3 x 17: positions Pillow computes as exactly 0.0 or 3.0 (edges) where
        # the exact value lies just outside or inside (the edge test)
        "syn_3x17_l": [90, 33, 150, -30],
        "syn_17x3_rgb": [-60, 270],
        "syn_1x1_l": [45],
        "syn_1x1_rgb": [90, 30],
    }
    k = 0
    for name, angles in table.items():
        h, w = inputs[name].shape[:2]
        small = h * w <= 300
        for i, angle in enumerate(angles):
            for mode in ("nearest", "bilinear"):
                expands = (False, True) if small or i < 3 else ((k % 2) == 1,)
                for expand in expands:
                    center = None
                    if k % 5 == 3:
                        center = [w // 3, h - 2]
                    elif k % 7 == 4:
                        center = [w * 0.5 + 0.25, h * 0.25]
                    fill = fill_for(name, inputs, k % 3)
                    k += 1
                    args = {"angle": angle, "interpolation": mode, "expand": expand, "center": center, "fill": fill}
                    desc = f"angle={angle} {mode} expand={expand} center={center} fill={fill}"
                    cases.append(("rotate", name, desc, args))
    return cases


def affine_cases(inputs):
    cases = []
    table = {
        # angle, translate, scale, shear
        "coffee_64x48_rgb": [
            (15.0, [0, 0], 1.0, [0.0, 0.0]),
            (-33.3, [5, -7], 0.8, [10.0, 0.0]),
            (0.0, [0, 0], 0.7, [0.0, 0.0]),  # a[1] == a[3] == 0: Pillow's ImagingScaleAffine
            (0.0, [9, -4], 1.0, [0.0, 0.0]),
            (0.0, [0, 0], 1.6, [0.0, 0.0]),
            (25.0, [2, 3], 1.3, [-12.0, 8.0]),
            (90.0, [0, 0], 1.0, [0.0, 0.0]),
            (170.0, [-10, 12], 0.5, [30.0, -20.0]),
            (7.0, [200, 0], 1.0, [0.0, 0.0]),
            # 64 / 0.0015 > 32768: Pillow's float path (no 16.16 fixed point) for nearest
            (3.0, [0, 0], 0.0015, [0.0, 0.0]),
        ],
        "astronaut_97x83_rgb": [(-21.0, [3, 1], 1.1, [6.0, -4.0])],
        "astronaut_97x83_l": [(15.0, [1, 1], 1.1, [5.0, 5.0]), (0.0, [3, 3], 0.9, [0.0, 0.0]), (-120.0, [0, 0], 2.0, [0.0, 40.0])],
        "astronaut_97x83_rgba": [(20.0, [4, -2], 0.9, [10.0, -3.0])],
        "syn_16x16_rgb": [(45.0, [1, 0], 1.0, [0.0, 0.0]), (0.0, [0, 0], 0.5, [0.0, 0.0])],
        "syn_7x5_rgba": [(33.0, [0, 1], 1.5, [15.0, 0.0]), (0.0, [0, 0], 1.25, [0.0, 0.0])],
        "syn_3x17_l": [(-10.0, [0, 0], 0.75, [0.0, 25.0])],
        "syn_1x1_rgb": [(30.0, [0, 0], 1.0, [0.0, 0.0])],
        "syn_17x3_rgb": [(0.0, [0, 0], 0.001, [0.0, 0.0]), (60.0, [0, 0], 0.001, [0.0, 0.0])],
    }
    k = 0
    for name, entries in table.items():
        h, w = inputs[name].shape[:2]
        for angle, translate, scale, shear in entries:
            for mode in ("nearest", "bilinear"):
                center = [w // 4, h // 2] if k % 4 == 2 else None
                fill = fill_for(name, inputs, k % 3)
                k += 1
                args = {
                    "angle": angle, "translate": translate, "scale": scale, "shear": shear,
                    "interpolation": mode, "fill": fill, "center": center,
                }
                desc = f"angle={angle} translate={translate} scale={scale} shear={shear} {mode} center={center} fill={fill}"
                cases.append(("affine", name, desc, args))
    return cases


def exact_coeffs(start, end):
    """The same 8 x 8 system solved in float64 (LAPACK gesv), rounded to float32."""
    a = np.zeros((8, 8))
    for i, (p1, p2) in enumerate(zip(end, start)):
        a[2 * i] = [p1[0], p1[1], 1, 0, 0, 0, -p2[0] * p1[0], -p2[0] * p1[1]]
        a[2 * i + 1] = [0, 0, 0, p1[0], p1[1], 1, -p2[1] * p1[0], -p2[1] * p1[1]]
    x = np.linalg.solve(a, np.array(start, dtype=np.float64).reshape(8))
    return [float(v) for v in x.astype(np.float32)]


def perspective_cases(inputs):
    cases = []
    k = 0
    table = {
        # name -> how many of the four end-point configurations
        "coffee_64x48_rgb": 4, "astronaut_97x83_rgb": 1, "astronaut_97x83_l": 2, "astronaut_97x83_rgba": 1,
        "syn_16x16_rgb": 4, "syn_7x5_rgba": 4, "syn_17x3_rgb": 4, "syn_3x17_l": 4, "rocket_75x51_rgb": 2,
    }
    for name, n in table.items():
        h, w = inputs[name].shape[:2]
        start = [[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]]
        configs = [[[2, 1], [w - 3, 2], [w - 1, h - 4], [1, h - 2]]]
        configs.append([[-3, 4], [w + 2, -1], [w - 5, h + 3], [4, h - 6]])  # partly outward: needs the fill
        for ds in (0.3, 0.6):
            torch.manual_seed(1000 + k + len(configs))
            _, end = T.RandomPerspective.get_params(w, h, ds)
            configs.append(end)
        for end in configs[:n]:
            for mode in ("nearest", "bilinear"):
                fill = fill_for(name, inputs, k % 3)
                k += 1
                coeffs = [float(v) for v in F._get_perspective_coeffs(start, end)]
                args = {
                    "startpoints": start, "endpoints": end, "interpolation": mode, "fill": fill,
                    "coefficients": coeffs, "coefficientsExact": exact_coeffs(start, end),
                }
                desc = f"end={end} {mode} fill={fill}"
                cases.append(("perspective", name, desc, args))
    return cases


def crop_cases():
    cases = []
    for name, size in [("astronaut_97x83_l", [40, 31]), ("syn_7x5_rgba", [3, 4]), ("syn_16x16_rgb", 16), ("coffee_64x48_rgb", [20, 33]), ("syn_1x1_l", 1)]:
        cases.append(("fiveCrop", name, f"size={size}", {"size": size}))
        for vf in (False, True):
            cases.append(("tenCrop", name, f"size={size} verticalFlip={vf}", {"size": size, "verticalFlip": vf}))
    return cases


def f32(v):
    """A float32 draw, printed with the 9 digits that identify it."""
    return float(f"{float(v):.9g}")


def samples():
    out = {"generator": GENERATOR, "versions": base.VERSIONS, "seed": 0}
    rot = []
    for degrees in ([-30.0, 30.0], [10.0, 200.0]):
        torch.manual_seed(0)
        rot.append({"degrees": degrees, "samples": [f32(T.RandomRotation.get_params(degrees)) for _ in range(SAMPLES)]})
    out["rotation"] = rot
    aff = []
    for degrees, translate, scale, shear, size in [
        ([-20.0, 20.0], [0.1, 0.3], [0.8, 1.2], [-10.0, 10.0], [97, 83]),
        ([0.0, 90.0], None, None, [-5.0, 5.0, 0.0, 20.0], [64, 48]),
    ]:
        torch.manual_seed(0)
        s = []
        for _ in range(SAMPLES):
            angle, (tx, ty), sc, (sx, sy) = T.RandomAffine.get_params(degrees, translate, scale, shear, size)
            s.append([f32(angle), tx, ty, f32(sc), f32(sx), f32(sy)])
        aff.append({"degrees": degrees, "translate": translate, "scale": scale, "shear": shear, "imgSize": size, "samples": s})
    out["affine"] = aff
    per = []
    for w, h, ds in [(97, 83, 0.5), (64, 48, 0.9)]:
        torch.manual_seed(0)
        s = []
        for _ in range(SAMPLES):
            _, end = T.RandomPerspective.get_params(w, h, ds)
            s.append([v for p in end for v in p])
        per.append({"width": w, "height": h, "distortionScale": ds, "samples": s})
    out["perspective"] = per
    return out


def main():
    inputs = base.make_inputs(base.parse_samples(__doc__))
    warps = rotate_cases(inputs) + affine_cases(inputs) + perspective_cases(inputs)
    all_cases = [c + ("pil",) for c in warps] + [c + ("any",) for c in crop_cases()]
    all_cases += [c + ("tensor",) for c in warps]
    # fill=None (torchvision's default for the functional ops): grid_sample's zeros, no mask
    all_cases += [(op, name, desc + " fill=None", {**args, "fill": None}, "tensor") for k, (op, name, desc, args) in enumerate(warps) if k % 3 == 1]
    # the v1 kernels (AugMix's) on a few cases, fill and bilinear included
    all_cases += [c + ("tensor-v1",) for k, c in enumerate(warps) if k % 4 == 0 and c[0] != "perspective"]
    all_cases += [(op, name, desc + " fill=None", {**args, "fill": None}, "tensor-v1") for k, (op, name, desc, args) in enumerate(warps) if k % 8 == 2 and op != "perspective"]

    used = sorted({c[1] for c in all_cases})
    manifest_inputs = base.write_inputs(OUT, {name: inputs[name] for name in used})

    manifest_cases = []
    for n, (op, name, desc, args, sem) in enumerate(all_cases):
        if sem in ("pil", "any"):
            reference, out = REFERENCES[op](inputs[name], args)
        else:
            reference = "torchvision-v2" if sem == "tensor" else "torchvision-v1"
            out = TENSOR_REFERENCES[op](inputs[name], args, F2 if sem == "tensor" else F)
        assert out.dtype == np.uint8 and out.shape[-1] == inputs[name].shape[2], (op, name, out.shape)
        rel = f"out/{n}.bin.gz"
        base.write_gz(os.path.join(OUT, rel), base.encode(out))
        manifest_cases.append(base.case_entry(f"{sem}/{op}/{name}/{desc}", op, sem, name, args, reference, rel, out))
    base.check_unique_ids(manifest_cases)
    base.write_json(
        os.path.join(OUT, "cases.json"),
        {"generator": GENERATOR, "versions": base.VERSIONS, "cpuSensitive": base.CPU_SENSITIVE, "inputs": manifest_inputs, "cases": manifest_cases},
    )
    base.write_gz(os.path.join(OUT, "samples.json.gz"), (base.compact(samples()) + "\n").encode("ascii"))

    # read back
    for case in manifest_cases:
        data = base.read_gz(os.path.join(OUT, case["output"]["file"]))
        assert len(data) == int(np.prod(case["output"]["shape"])), case["id"]
    base.print_summary(manifest_cases, OUT, "fixtures")


if __name__ == "__main__":
    sys.exit(main())

"""The two semantics from Python ("pil", the default, and "tensor"): the Compose option and its JSON,
records that carry it and replay across languages, the F.* keyword, errors that name the argument;
bytes checked against the JavaScript host (computed in the same run) and a few against torchvision
0.28 / Pillow 12.3 themselves."""
import base64
import json
import re

import numpy as np
import pytest

import lockstep
from lockstep import F
from conftest import js_host, photo, sha256
from tvimport import import_torchvision


def _image_json(img: np.ndarray) -> dict:
    h, w, c = img.shape
    return {"width": w, "height": h, "channels": c, "base64": base64.b64encode(img.tobytes()).decode()}


def _torchvision():
    return import_torchvision("torchvision.transforms.functional", "torchvision.transforms.v2.functional")


def _recipe(semantics=None, **kw):
    """The ImageNet recipe with colour and auto-augment ops, whose bytes differ between the semantics."""
    children = [lockstep.RandomResizedCrop(40, scale=(0.3, 1.0)), lockstep.RandomHorizontalFlip(), lockstep.ColorJitter(0.4, 0.4, 0.4, 0.1),
                lockstep.RandAugment(num_ops=2, magnitude=9), lockstep.RandomRotation(20, interpolation="bilinear"), lockstep.ToTensor(),
                lockstep.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])]
    return lockstep.Compose(children, semantics=semantics, **kw)


# ---------------------------------------------------------------------------------------
# The option and its JSON


def test_compose_semantics_is_written_only_when_set_and_read_back():
    assert lockstep.DEFAULT_SEMANTICS == "pil"
    assert _recipe().semantics == "pil" and "semantics" not in _recipe().to_dict()
    assert _recipe("tensor").semantics == "tensor" and _recipe("tensor").to_dict()["semantics"] == "tensor"
    assert _recipe("pil").to_dict()["semantics"] == "pil"  # an explicit choice is kept
    back = lockstep.from_json(_recipe("tensor").to_json())
    assert back.semantics == "tensor" and back.to_json() == _recipe("tensor").to_json()


def test_semantics_json_round_trips_with_javascript():
    inner = lockstep.Compose([lockstep.ColorJitter(0.2, 0.2, 0.2, 0.05), lockstep.ToTensor()])
    pipes = [
        _recipe("tensor"),
        _recipe("pil"),
        lockstep.Compose([lockstep.Resize(32), inner], semantics="tensor"),  # the nested one inherits, writes nothing
        lockstep.Compose([lockstep.RandomApply([lockstep.Compose([lockstep.AugMix()], semantics="pil")], p=0.5)], semantics="tensor"),
    ]
    answers = js_host({"op": "toJSON", "pipelines": [p.to_dict() for p in pipes]})
    for p, js in zip(pipes, answers):
        assert js.get("json") == p.to_json(), js
        assert lockstep.from_json(js["json"]).to_json() == js["json"]
    assert json.loads(answers[2]["json"])["transforms"][1] == {"type": "Compose", "transforms": inner.to_dict()["transforms"]}


@pytest.mark.parametrize("semantics", ["pil", "tensor"])
def test_records_carry_the_semantics_and_match_javascript(semantics):
    pipe = _recipe(semantics)
    img = photo(61, 47, seed=5)
    keys = [{"seed": "18446744073709551615", "epoch": 3, "index": 2**40 + 7}, {"seed": "42", "epoch": 0, "index": 11}, {"seed": "7", "epoch": 1, "index": 2}]
    answers = js_host({"op": "apply", "pipeline": pipe.to_dict(), "image": _image_json(img), "keys": keys})
    for k, js in zip(keys, answers):
        y, record = pipe.apply_with_record(img, seed=int(k["seed"]), epoch=k["epoch"], index=k["index"])
        assert record["semantics"] == semantics
        assert lockstep._js.dumps(record) == js["record"]
        assert sha256(y) == js["sha256"] and list(y.shape) == js["shape"]


def test_records_replay_across_languages_with_their_own_semantics():
    img = photo(61, 47, seed=6)
    tensor, pil = _recipe("tensor"), _recipe()
    keys = [{"seed": str(s), "epoch": 2, "index": i} for s, i in ((1, 0), (2, 5), (3, 9), (4, 1))]
    made = js_host({"op": "apply", "pipeline": tensor.to_dict(), "image": _image_json(img), "keys": keys})
    js_records = [json.loads(a["record"]) for a in made]
    assert all(r["semantics"] == "tensor" for r in js_records)
    bare = [{"meta": r["meta"], "params": r["params"]} for r in js_records]
    # A record without semantics replays as "pil", as in JavaScript; and the semantics change the
    # bytes (otherwise this test could not fail).
    pil_bytes = [sha256(pil.replay(img, r)) for r in bare]
    assert pil_bytes == [sha256(pil.replay(img, {**r, "semantics": "pil"})) for r in js_records]
    assert all(p != a["sha256"] for p, a in zip(pil_bytes, made))
    for r, b, a in zip(js_records, bare, made):
        # JavaScript's records replay in Python with their own semantics where the pipeline sets none ...
        assert sha256(pil.replay(img, r)) == a["sha256"]
        # ... and a pipeline's own semantics win over the record's.
        assert sha256(tensor.replay(img, b)) == a["sha256"]
    # Python's records replay in JavaScript (a pipeline without the option: the record's semantics count).
    py_records = [tensor.apply_with_record(img, seed=int(k["seed"]), epoch=k["epoch"], index=k["index"])[1] for k in keys]
    replayed = js_host({"op": "replay", "pipeline": pil.to_dict(), "image": _image_json(img), "records": py_records + bare})
    assert [a["sha256"] for a in replayed] == [a["sha256"] for a in made] + pil_bytes


def test_a_nested_compose_inherits_or_sets_its_semantics():
    img = photo(33, 29, seed=8)
    cj = lockstep.ColorJitter(0.5, 0.5, 0.5, 0.2)

    def nested(inner=None, outer=None):
        return lockstep.Compose([lockstep.Compose([cj], semantics=inner)], semantics=outer)

    runs = {k: nested(*k).apply_with_record(img, seed=3) for k in ((None, None), ("tensor", None), (None, "tensor"), ("pil", "tensor"))}
    # ColorJitter draws the same under both (only the auto-augment tables differ); the bytes differ,
    # and the innermost setting wins.
    assert len({json.dumps(r[1]["params"]) for r in runs.values()}) == 1
    h = {k: sha256(r[0]) for k, r in runs.items()}
    assert h[("tensor", None)] == h[(None, "tensor")] != h[(None, None)] == h[("pil", "tensor")]
    js = js_host({"op": "apply", "pipeline": nested("tensor").to_dict(), "image": _image_json(img), "keys": [{"seed": "3", "epoch": 0, "index": 0}]})
    assert js[0]["sha256"] == h[("tensor", None)] and js[0]["record"] == lockstep._js.dumps(runs[("tensor", None)][1])


def test_a_torch_dataloader_batches_the_pipelines_semantics():
    import lockstep.torch as LT
    imgs = [photo(50 + i, 40, seed=20 + i) for i in range(6)]
    tensor = _recipe("tensor")
    batches = list(LT.DataLoader(LT.Dataset(imgs, tensor, seed=9), batch_size=3, num_workers=0))
    want = [sha256(tensor(img, seed=9, epoch=0, index=i)) for i, img in enumerate(imgs)]
    got = [sha256(b[j]) for b in batches for j in range(len(b))]
    assert got == want
    assert got != [sha256(_recipe()(img, seed=9, epoch=0, index=i)) for i, img in enumerate(imgs)]


# ---------------------------------------------------------------------------------------
# F.* with semantics=


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", lambda m: "_" + m.group(1).lower(), name)


CALLS = [  # (F name in JavaScript, positional args, options); Python gets the same as keywords
    ("adjustBrightness", [1.3], {}),
    ("adjustContrast", [0.6], {}),
    ("adjustSaturation", [1.7], {}),
    ("adjustHue", [0.23], {}),
    ("adjustHue", [-0.41], {}),
    ("adjustGamma", [0.7, 1.1], {}),
    ("adjustSharpness", [2.5], {}),
    ("rgbToGrayscale", [1], {}),
    ("rgbToGrayscale", [3], {}),
    ("autocontrast", [], {}),
    ("equalize", [], {}),
    ("posterize", [3], {}),
    ("solarize", [100], {}),
    ("invert", [], {}),
    ("resize", [[13, 21]], {"interpolation": "bilinear"}),
    ("resize", [9], {"interpolation": "bicubic", "antialias": False}),
    ("resize", [[31, 40]], {"interpolation": "nearest"}),
    ("toTensor", [], {}),
    ("rotate", [33.5], {"interpolation": "bilinear"}),
    ("rotate", [90], {"expand": True}),
    ("rotate", [-20], {"interpolation": "bilinear", "fill": [10, 200, 30, 255]}),
    ("affine", [], {"angle": 12, "translate": [2, -3], "scale": 0.9, "shear": [5, 2], "interpolation": "bilinear"}),
    ("affine", [], {"angle": -7, "center": [3, 4], "fill": 9}),
    ("perspective", [[[0, 0], [22, 0], [22, 16], [0, 16]], [[2, 1], [20, 0], [22, 15], [1, 14]]], {"interpolation": "bilinear"}),
]
SEMANTICS = [None, "pil", "tensor", "tensor-v1"]


def _fit_fill(opts: dict, c: int) -> dict:
    f = opts.get("fill")
    return {**opts, "fill": f[:c] if c > 1 else f[0]} if isinstance(f, list) else opts


def test_functional_semantics_match_javascript():
    images = [photo(23, 17, 3, seed=1), photo(23, 17, 1, seed=2), photo(9, 7, 4, seed=3)]
    calls = []
    for i, img in enumerate(images):
        for name, args, opts in CALLS:
            for s in SEMANTICS:
                o = _fit_fill(opts, img.shape[2])
                if s is not None:
                    o = {**o, "semantics": s}
                calls.append({"image": i, "name": name, "args": args, "opts": o})
    answers = js_host({"op": "functional", "images": [_image_json(x) for x in images], "calls": calls})
    compared = 0
    for call, js in zip(calls, answers):
        fn = getattr(F, _snake(call["name"]))
        kw = {_snake(k): v for k, v in call["opts"].items()}
        where = f"{call['name']}{call['args']} {call['opts']} on {images[call['image']].shape}"
        if "error" in js:  # "tensor-v1" is internal: only the kernel-level ops take it
            with pytest.raises((TypeError, ValueError)) as e:
                fn(images[call["image"]], *call["args"], **kw)
            assert lockstep.errors.js_error_name(e.value) == js["error"], where
            continue
        y = fn(images[call["image"]], *call["args"], **kw)
        assert sha256(y) == js["sha256"] and list(y.shape) == js["shape"], where
        compared += 1
    assert compared > 200


def test_semantics_change_the_bytes_where_torchvision_does():
    img = _photo()
    for fn, args in ((F.adjust_contrast, [0.6]), (F.adjust_saturation, [1.7]), (F.adjust_hue, [0.23]), (F.resize, [[13, 21]]), (F.to_tensor, []),
                     (F.rotate, [33.5, "bilinear"])):
        assert sha256(fn(img, *args)) == sha256(fn(img, *args, semantics="pil"))
        assert sha256(fn(img, *args, semantics="tensor")) != sha256(fn(img, *args, semantics="pil")), fn.__name__


def test_grey_images_pass_saturation_and_hue_unchanged_and_stay_grey():
    g = photo(11, 5, 1, seed=9)
    for s in ("pil", "tensor"):
        assert np.array_equal(F.adjust_saturation(g, 0.2, semantics=s), g)
        assert np.array_equal(F.adjust_hue(g, 0.3, semantics=s), g)
        assert np.array_equal(F.rgb_to_grayscale(g, semantics=s), g)
    out = np.empty_like(g)
    assert F.adjust_hue(g, 0.3, out=out) is out and np.array_equal(out, g)


def test_functional_ops_against_torchvision():
    """Independent of lockstep's JavaScript host: torchvision 0.28 on a PIL image ("pil") and v2 on a uint8 tensor ("tensor")."""
    import torch
    from PIL import Image
    TF, TF2 = _torchvision()
    img = _photo()
    pil = Image.fromarray(img)
    t = torch.from_numpy(img).permute(2, 0, 1).contiguous()
    hwc = lambda x: x.permute(1, 2, 0).numpy()  # noqa: E731
    assert np.array_equal(F.adjust_hue(img, 0.23), np.asarray(TF.adjust_hue(pil, 0.23)))
    assert np.array_equal(F.adjust_contrast(img, 0.6), np.asarray(TF.adjust_contrast(pil, 0.6)))
    assert np.array_equal(F.adjust_saturation(img, 1.7), np.asarray(TF.adjust_saturation(pil, 1.7)))
    assert np.array_equal(F.adjust_saturation(img, 1.7, semantics="tensor"), hwc(TF2.adjust_saturation(t, 1.7)))
    assert np.array_equal(F.adjust_hue(img, -0.41, semantics="tensor"), hwc(TF2.adjust_hue(t, -0.41)))
    assert np.array_equal(F.autocontrast(img, semantics="tensor"), hwc(TF2.autocontrast(t)))
    assert np.array_equal(F.to_tensor(img, semantics="tensor"), TF2.to_dtype(t, torch.float32, scale=True).numpy())
    assert np.array_equal(F.to_tensor(img), TF.to_tensor(pil).numpy())
    assert np.array_equal(F.rotate(img, 33.5, semantics="tensor"), hwc(TF2.rotate(t, 33.5)))
    g = img[:, :, :1].copy()
    assert F.rgb_to_grayscale(g, semantics="tensor").shape[2] == TF2.rgb_to_grayscale(torch.from_numpy(g).permute(2, 0, 1)).shape[0] == 1


def _photo() -> np.ndarray:
    """A smooth 57x41 RGB picture (gradients and a disc): colour ops see real structure, not noise."""
    y, x = np.mgrid[0:41, 0:57]
    r = (x * 4 + y) % 256
    g = (y * 6 + 40) % 256
    b = np.where((x - 28) ** 2 + (y - 20) ** 2 < 150, 220, (x * y) % 256)
    return np.stack([r, g, b], -1).astype(np.uint8)


# ---------------------------------------------------------------------------------------
# Errors name the argument, as in JavaScript


def test_bad_semantics_are_named_errors():
    img = photo(8, 8)
    for bad in ("torch", "tensor-v1", "PIL", 1, True, ["pil"]):
        with pytest.raises(ValueError, match='semantics must be "pil"'):
            lockstep.Compose([lockstep.ToTensor()], semantics=bad)
        with pytest.raises(ValueError, match='semantics must be "pil"'):
            F.resize(img, 4, semantics=bad)
    with pytest.raises(ValueError, match="semantics must be"):
        F.adjust_hue(img, 0.1, semantics="tensor-v2")
    with pytest.raises(ValueError, match="record.semantics must be"):
        _recipe().replay(img, {**_recipe().apply_with_record(img, seed=1)[1], "semantics": "v2"})
    # the kernel keeps working
    assert F.adjust_hue(img, 0.1, semantics="tensor").shape == img.shape


def test_bad_semantics_in_json_fail_as_in_javascript():
    bad = [
        {"type": "Compose", "transforms": [], "semantics": None},
        {"type": "Compose", "transforms": [], "semantics": "tensor-v1"},
        {"type": "Compose", "transforms": [], "semantics": "Tensor"},
        {"type": "Compose", "transforms": [{"type": "Compose", "transforms": [], "semantics": 3}]},
        {"type": "RandomApply", "transforms": [], "semantics": "tensor"},
    ]
    answers = js_host({"op": "toJSON", "pipelines": bad})
    for b, js in zip(bad, answers):
        assert "error" in js, b
        with pytest.raises((TypeError, ValueError)) as e:
            lockstep.from_json(b)
        assert lockstep.errors.js_error_name(e.value) == js["error"], (b, str(e.value), js["message"])
        assert str(e.value) == js["message"], b

"""Pipeline JSON both ways: JSON made in JavaScript runs in Python and comes back byte for byte,
and Python's to_json() is what JavaScript's toJSON() writes for the same pipeline."""
import base64

import numpy as np
import pytest

import lockstep
from conftest import js_host, photo, sha256
import conformance_runner as runner

_VECTORS = runner.load()
PIPELINES = [p["json"] for p in _VECTORS["pipelines"]]


def test_every_vector_pipeline_round_trips_with_the_same_bytes():
    runner.register_lambdas()
    answers = js_host({"op": "toJSON", "pipelines": PIPELINES})
    built = 0
    for json_in, js in zip(PIPELINES, answers):
        if "error" in js:
            with pytest.raises((TypeError, ValueError)):
                lockstep.from_json(json_in)
            continue
        py = lockstep.from_json(json_in).to_json()
        assert py == js["json"], json_in
        assert lockstep.from_json(js["json"]).to_json() == js["json"]
        built += 1
    assert built > 80


def test_python_built_pipelines_are_what_javascript_writes():
    pipes = [
        lockstep.Compose([lockstep.RandomResizedCrop(224, scale=(0.08, 1.0), interpolation=lockstep.InterpolationMode.BICUBIC, antialias=True),
                          lockstep.RandomHorizontalFlip(), lockstep.ToTensor(), lockstep.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])]),
        lockstep.Compose([lockstep.RandomCrop(32, padding=4, padding_mode="reflect"), lockstep.ColorJitter(brightness=0.4, contrast=0.4, saturation=0.4, hue=0.1)]),
        lockstep.RandomChoice([lockstep.RandomRotation(15, fill=[1, 2, 3]), lockstep.RandomAffine(10, translate=(0.1, 0.2), scale=(0.9, 1.1), shear=5)], p=[1, 2]),
        lockstep.RandomApply([lockstep.GaussianBlur(5, sigma=(0.1, 2.0)), lockstep.RandomErasing(value="random")], p=0.3),
        lockstep.Compose([lockstep.Resize(256, max_size=300), lockstep.CenterCrop(224), lockstep.AutoAugment("cifar10"), lockstep.AugMix(severity=2)]),
        lockstep.Compose([lockstep.TrivialAugmentWide(), lockstep.RandAugment(num_ops=3), lockstep.RandomPerspective(0.2), lockstep.ElasticTransform(alpha=30.0)]),
    ]
    answers = js_host({"op": "toJSON", "pipelines": [p.to_dict() for p in pipes]})
    for p, js in zip(pipes, answers):
        assert js.get("json") == p.to_json()


def test_records_made_in_javascript_replay_in_python():
    pipe = lockstep.Compose([lockstep.RandomResizedCrop(40), lockstep.ColorJitter(0.4, 0.4, 0.4, 0.1), lockstep.RandomHorizontalFlip(), lockstep.ToTensor()])
    img = photo(61, 47)
    keys = [{"seed": "18446744073709551615", "epoch": 3, "index": 2**40 + 7}, {"seed": "42", "epoch": 0, "index": 0}]
    answers = js_host({"op": "apply", "pipeline": pipe.to_dict(), "image": {"width": 61, "height": 47, "channels": 3, "base64": base64.b64encode(img.tobytes()).decode()}, "keys": keys})
    for k, js in zip(keys, answers):
        y, record = pipe.apply_with_record(img, seed=int(k["seed"]), epoch=k["epoch"], index=k["index"])
        assert sha256(y) == js["sha256"] and list(y.shape) == js["shape"]
        assert lockstep._js.dumps(record) == js["record"]
        replayed = pipe.replay(img, __import__("json").loads(js["record"]))
        assert sha256(replayed) == js["sha256"]


@pytest.mark.parametrize("bad,cls,where", [
    ('{"type": "Compose", "transforms": [{"type": "Resize", "size": 0}]}', ValueError, r"\$\.transforms\[0\]\.size"),
    ('{"type": "RandomCrop", "size": 8, "__proto__": {"p": 1}}', TypeError, "__proto__"),
    ('{"type": "Compose", "transforms": [{"type": "Pad", "padding": 1, "constructor": 1}]}', TypeError, "constructor"),
    ('{"type": "Normalize", "mean": [NaN], "std": [1]}', ValueError, "not valid JSON"),
    ('{"type": "RandomHorizontalFlip", "p": 1e999}', ValueError, "p"),
    ('{"type": "Nope"}', ValueError, "unknown transform"),
    ('{"type": "RandomCrop", "size": 8, "sise": 3}', ValueError, "unknown field"),
    ('[1, 2]', TypeError, "transform object"),
    ('{"type": "RandomHorizontalFlip", "p": true}', ValueError, "p"),
    ('{"type": "Resize", "size": [1e300, 2]}', ValueError, "size"),
    ('not json', ValueError, "not valid JSON"),
])
def test_hostile_json_is_a_python_exception(bad, cls, where):
    with pytest.raises(cls, match=where):
        lockstep.from_json(bad)
    # and the kernel keeps working
    assert lockstep.philox4x32([0, 0, 0, 0], [0, 0])[0] == 0x6627E8D5


def test_hostile_params_in_a_record_are_refused():
    pipe = lockstep.RandomResizedCrop(16)
    img = photo(20, 20)
    for params in ({"top": "1", "left": 0, "height": 4, "width": 4}, {"top": True, "left": 0, "height": 4, "width": 4}, None,
                   {"top": 0, "left": 0, "height": 10**9, "width": 4}, {"top": float("nan"), "left": 0, "height": 4, "width": 4}):
        with pytest.raises((TypeError, ValueError)):
            pipe.replay(img, {"meta": lockstep.meta_of(img), "params": params})
    assert pipe(img, seed=1).shape == (16, 16, 3)

"""MixUp and CutMix (torchvision v2's batch transforms) in the Python host: keyed by (seed, epoch,
batch) with the JavaScript host's params and bytes (computed in this run), torchvision 0.28's own
outputs on its recorded params, and the DataLoader's batch_transform giving the same mix for any
num_workers."""
import base64

import numpy as np
import pytest
import torch

import lockstep
import lockstep.torch as LT
from conftest import js_host, sha256
from tvimport import import_torchvision

KEYS = [{"seed": "7", "epoch": 0, "batch": 0}, {"seed": "7", "epoch": 0, "batch": 1}, {"seed": "18446744073709551615", "epoch": 5, "batch": 2**33}]


def batch(n=5, c=3, h=12, w=10, seed=0):
    return np.random.default_rng(seed).random((n, c, h, w), dtype=np.float32)


@pytest.mark.parametrize("transform", [{"type": "MixUp", "alpha": 0.4, "numClasses": 7}, {"type": "CutMix", "alpha": 1.0, "numClasses": 7},
                                       {"type": "MixUp", "alpha": 2.5, "numClasses": 7}, {"type": "CutMix", "alpha": 0.2, "numClasses": 7}])
def test_the_javascript_hosts_params_and_bytes(transform):
    x = batch()
    labels = [0, 3, 6, 2, 3]
    js = js_host({"op": "mix", "transform": transform, "images": {"shape": list(x.shape), "base64": base64.b64encode(x.tobytes()).decode()}, "labels": labels, "keys": KEYS})
    t = lockstep.batch_transform_from_json(transform)
    assert t.to_json() == lockstep.batch_transform_from_json(t.to_json()).to_json()
    for k, want in zip(KEYS, js):
        (images, weights), record = t.apply_with_record(x, labels, seed=int(k["seed"]), epoch=k["epoch"], batch=k["batch"])
        assert lockstep._js.dumps(record["params"]) == lockstep._js.dumps(want["params"]), (k, record, want)
        assert sha256(images) == want["images"]["sha256"] and list(images.shape) == want["images"]["shape"]
        assert sha256(weights) == want["labels"]["sha256"] and list(weights.shape) == want["labels"]["shape"] == [5, 7]


def _torchvision():
    (v2,) = import_torchvision("torchvision.transforms.v2")
    return v2


@pytest.mark.parametrize("name, dtype", [("MixUp", torch.float32), ("CutMix", torch.float32), ("CutMix", torch.uint8)])
def test_torchvisions_outputs_on_its_own_draws(name, dtype):
    """torchvision draws (torch.manual_seed), lockstep replays its params: images and label weights bit for
    bit (MixUp blends float images only, as the JavaScript host's; uint8 is refused, see below)."""
    v2 = _torchvision()
    ours = getattr(lockstep, name)(alpha=0.7, num_classes=6)
    for k in range(6):
        theirs = getattr(v2, name)(alpha=0.7, num_classes=6)
        calls = []
        orig = theirs.make_params
        theirs.make_params = lambda flat: calls.append(orig(flat)) or calls[-1]
        torch.manual_seed(k)
        images = torch.rand(4, 3, 9, 11) if dtype == torch.float32 else torch.randint(0, 256, (4, 3, 9, 11), dtype=torch.uint8)
        labels = torch.randint(0, 6, (4,))
        want_images, want_labels = theirs(images, labels)
        p = calls[0]
        params = {"lam": float(p["lam"])} if name == "MixUp" else {"box": [int(v) for v in p["box"]], "lam": float(p["lam_adjusted"])}
        got_images, got_labels = ours.replay(images, labels, {"params": params})
        assert got_images.dtype == want_images.dtype and torch.equal(got_images, want_images), f"{name} case {k}: images"
        assert torch.equal(got_labels, want_labels), f"{name} case {k}: label weights"


def test_mixup_refuses_uint8_and_bad_labels():
    with pytest.raises(TypeError, match="needs float images"):
        lockstep.MixUp(num_classes=3)(np.zeros((2, 3, 4, 4), np.uint8), [0, 1], seed=1)
    with pytest.raises(ValueError, match=r"labels\[1\] must be a class index in \[0, 3\)"):
        lockstep.CutMix(num_classes=3)(batch(2), [0, 3], seed=1)
    with pytest.raises(TypeError, match="pass seed="):
        lockstep.CutMix(num_classes=3)(batch(2), [0, 1])


def test_the_loader_mixes_each_batch_the_same_for_any_worker_count():
    rng = np.random.default_rng(4)
    items = [rng.integers(0, 256, (10, 12, 3), dtype=np.uint8) for _ in range(10)]
    ds = LT.Dataset(items, lockstep.Compose([lockstep.RandomHorizontalFlip(), lockstep.ToTensor()]), seed=11, labels=[i % 4 for i in range(10)])
    mix = lockstep.CutMix(num_classes=4)
    runs = []
    for workers in (0, 2):
        loader = LT.DataLoader(ds, batch_size=4, shuffle=True, num_workers=workers, batch_transform=mix)
        runs.append([(sha256(x), sha256(y), tuple(y.shape)) for x, y in loader])
    assert runs[0] == runs[1] and [r[2] for r in runs[0]] == [(4, 4), (4, 4), (2, 4)]
    # each batch is the plain batch mixed with the key (seed, epoch, batch number)
    plain = list(LT.DataLoader(ds, batch_size=4, shuffle=True))
    for b, ((x, y), got) in enumerate(zip(plain, runs[0])):
        mx, my = mix(x, y, seed=11, epoch=0, batch=b)
        assert (sha256(mx), sha256(my)) == got[:2]

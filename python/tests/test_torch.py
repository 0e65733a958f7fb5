"""lockstep.torch against the JavaScript Loader (computed in this run by python/tests/js/loader.ts):
the same batches for num_workers 0, 1 and 2, per rank of a two-process gloo group, and after a resume."""
import json
import os
import socket
import subprocess
import sys

import numpy as np
import pytest
import torch

import lockstep
import lockstep.torch as LT
from conftest import HERE, js_loader, sha256

PIPELINE = {"type": "Compose", "transforms": [
    {"type": "RandomResizedCrop", "size": [24, 24], "scale": [0.25, 1]}, {"type": "RandomHorizontalFlip"},
    {"type": "ColorJitter", "brightness": [0.6, 1.4], "hue": [-0.1, 0.1]}, {"type": "ToTensor"},
    {"type": "Normalize", "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]}]}
SEED = 2**40 + 11


def dataset(root):
    files, labels, _ = LT.image_folder(root)
    return LT.Dataset(files, lockstep.from_json(PIPELINE), seed=SEED, labels=labels)


def rows(loader):
    return [{"labels": y.tolist(), "shape": list(x.shape), "sha256": sha256(x)} for x, y in loader]


def js_rows(root, **o):
    batches = js_loader({"root": str(root), "pipeline": PIPELINE, "batchSize": 4, "shuffle": True, "seed": SEED, "epochs": [0, 1], **o})
    return [{"labels": b["labels"], "shape": b["shape"], "sha256": b["sha256"]} for b in batches]


@pytest.fixture(scope="module")
def js_epochs(image_folder):
    return js_rows(image_folder)


@pytest.mark.parametrize("workers", [0, 1, 2])
def test_dataloader_batches_are_the_javascript_loaders_for_any_worker_count(image_folder, js_epochs, workers):
    loader = LT.DataLoader(dataset(image_folder), batch_size=4, shuffle=True, num_workers=workers)
    got = rows(loader) + rows(loader)  # each full pass advances the epoch, as the JavaScript Loader
    assert got == js_epochs
    assert loader.epoch == 2


def test_plain_torch_dataloader_with_the_keyed_sampler(image_folder, js_epochs):
    ds = dataset(image_folder)
    sampler = LT.KeyedSampler(ds, seed=SEED)
    loader = torch.utils.data.DataLoader(ds, batch_size=4, sampler=sampler, num_workers=2)  # default_collate, no worker_init_fn
    got = []
    for epoch in (0, 1):
        sampler.set_epoch(epoch)
        got += rows(loader)
    assert got == js_epochs


def test_resume_from_state_dict_equals_the_uninterrupted_run(image_folder, js_epochs):
    ds = dataset(image_folder)
    first = LT.DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    it = iter(first)
    seen = [next(it), next(it)]
    state = json.loads(json.dumps(first.state_dict()))  # plain JSON, as a checkpoint holds it
    assert state["batch"] == 2 and state["epoch"] == 0 and state["format"] == "lockstep-loader/1"
    del it
    resumed = LT.DataLoader(dataset(image_folder), batch_size=4, shuffle=True, num_workers=1)
    resumed.load_state_dict(state)
    got = [{"labels": y.tolist(), "shape": list(x.shape), "sha256": sha256(x)} for x, y in seen] + rows(resumed) + rows(resumed)
    assert got == js_epochs
    with pytest.raises(ValueError, match="batchSize"):
        LT.DataLoader(ds, batch_size=3, shuffle=True).load_state_dict(state)


def test_two_rank_gloo_run_equals_the_javascript_shards(image_folder):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    procs = []
    for rank in (0, 1):
        env = {**os.environ, "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(port), "RANK": str(rank), "WORLD_SIZE": "2", "GLOO_SOCKET_IFNAME": "lo"}
        procs.append(subprocess.Popen([sys.executable, str(HERE / "dist_rank.py"), str(image_folder), json.dumps(PIPELINE), "4", str(SEED), "1"],
                                      env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err[-3000:]
        outs.append(json.loads(out.strip().splitlines()[-1]))
    for rank, o in enumerate(outs):
        want = [{"labels": b["labels"], "shape": b["shape"], "sha256": b["sha256"]}
                for b in js_loader({"root": str(image_folder), "pipeline": PIPELINE, "batchSize": 4, "shuffle": True, "seed": SEED, "epochs": [0], "rank": rank, "worldSize": 2})]
        assert o["rank"] == rank and o["world"] == 2
        assert o["batches"] == want
    assert outs[0]["gathered"] == [outs[0]["batches"], outs[1]["batches"]]


def test_sampler_shards_cover_the_epoch_and_match_the_permutation():
    n, seed = 23, 5
    perm = lockstep.KeyedPermutation(n, seed, 3)
    order = [perm.at(i) for i in range(n)]
    assert sorted(order) == list(range(n)) and order != list(range(n))
    assert all(perm.position_of(x) == i for i, x in enumerate(order))
    shards = [list(LT.KeyedSampler(n, seed=seed, rank=r, world_size=3, uneven="drop", epoch=3)) for r in range(3)]
    flat = [k.index for r in range(7) for k in (shards[0][r], shards[1][r], shards[2][r])]
    assert flat == order[:21] and all(k.epoch == 3 for s in shards for k in s)
    s = LT.KeyedSampler(n, seed=seed)
    s.load_state_dict({"epoch": 1, "position": 20})
    assert [k.index for k in s] == [lockstep.KeyedPermutation(n, seed, 1).at(p) for p in (20, 21, 22)]
    assert len(list(s)) == n  # the next pass starts from the beginning again
    with pytest.raises(ValueError, match="rank"):
        LT.KeyedSampler(n, seed=1, rank=3, world_size=3)
    with pytest.raises(TypeError, match="seed"):
        LT.KeyedSampler(n)


def test_dataset_items_and_labels(image_folder):
    ds = dataset(image_folder)
    x, y = ds[LT.SampleKey(3, 1)]
    assert x.shape == (3, 24, 24) and y == 0
    ds.set_epoch(1)
    assert sha256(ds[3][0]) == sha256(x)
    imgs = LT.Dataset([np.full((8, 9, 3), i, np.uint8) for i in range(3)], lockstep.RandomCrop(4), seed=1)
    t = imgs[2]
    assert t.shape == (3, 4, 4) and t.dtype == torch.uint8 and int(t[0, 0, 0]) == 2
    with pytest.raises(IndexError):
        imgs[3]
    with pytest.raises(TypeError, match="seed"):
        LT.Dataset([1], lockstep.RandomCrop(4))

"""The JavaScript Loader's robustness behaviours (src/data/loader.ts on the robust branch) where they
apply to lockstep.torch's DataLoader: a late batch raises BatchTimeoutError naming its indices and
stops its workers; the workers end with the loop (its end, a break, an error) unless persistent;
a batch that cannot be stacked names the odd sample (the one unlike most of the batch).

torch's DataLoader owns the mechanisms (its timeout=, persistent_workers=, its BatchSampler never
yields an empty batch); these tests pin what lockstep adds on top of them."""
import multiprocessing
import time

import numpy as np
import pytest
import torch

import lockstep
import lockstep.torch as LT

SLOW = 5  # the dataset index that takes too long


class SlowDataset(LT.Dataset):
    """Item SLOW sleeps past the loader's timeout (only in a worker process: the test's own process never waits)."""

    def _read(self, index):
        if index == SLOW and torch.utils.data.get_worker_info() is not None:
            time.sleep(120)
        return super()._read(index)


def images(n, shape=(8, 8, 3)):
    rng = np.random.default_rng(0)
    return [rng.integers(0, 256, shape, dtype=np.uint8) for _ in range(n)]


def pipeline():
    return lockstep.Compose([lockstep.RandomHorizontalFlip(), lockstep.ToTensor()])


def workers():
    return [p for p in multiprocessing.active_children() if p.is_alive()]


def test_a_late_batch_names_its_indices_and_stops_its_workers():
    ds = SlowDataset(images(12), pipeline(), seed=3)
    # 10 s: well above a worker's start (it compiles its own kernel, ~3 s on this shared machine), so
    # only the slow sample can be late; the sampler puts it in batch 1 or 2, after a batch that arrives.
    loader = LT.DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, timeout=10)
    want = next(b for b in range(3) if SLOW in loader.batch_indices(0, b))
    assert want > 0
    got = []
    t0 = time.monotonic()
    with pytest.raises(lockstep.BatchTimeoutError) as e:
        for x in loader:
            got.append(x)
    assert time.monotonic() - t0 < 60, "the timeout cut the wait short"
    err = e.value
    assert isinstance(err, RuntimeError) and err.epoch == 0 and err.batch == want and SLOW in err.indices
    assert err.indices == loader.batch_indices(0, want) and len(got) == want
    assert f"batch {want} of epoch 0" in str(err) and str(SLOW) in str(err)
    assert workers() == [], "the workers were stopped before the error reached the loop"


def test_timeout_needs_workers():
    ds = LT.Dataset(images(4), pipeline(), seed=3)
    with pytest.raises(lockstep.RangeError, match="num_workers >= 1"):
        LT.DataLoader(ds, batch_size=2, timeout=1)
    with pytest.raises(lockstep.RangeError, match="timeout must be"):
        LT.DataLoader(ds, batch_size=2, num_workers=1, timeout=-1)


def test_workers_end_with_the_loop_unless_persistent():
    ds = LT.Dataset(images(12), pipeline(), seed=3)
    loader = LT.DataLoader(ds, batch_size=4, shuffle=True, num_workers=1)
    for _ in loader:
        assert len(workers()) == 1
    assert workers() == [], "a finished pass releases its workers"
    for _ in loader:
        break
    assert workers() == [], "a break releases them before the next statement"
    with pytest.raises(ZeroDivisionError):
        for _ in loader:
            1 / 0
    assert workers() == [], "an error in the loop body releases them"

    plain = LT.DataLoader(ds, batch_size=4, shuffle=True)
    with LT.DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, persistent_workers=True) as kept:
        for epoch in range(2):
            want, got = list(plain), list(kept)
            assert len(got) == len(want) == 3 and all(torch.equal(a, b) for a, b in zip(want, got)), f"epoch {epoch}: the batches of num_workers=0"
            if epoch == 0:
                pids = sorted(p.pid for p in workers())
                assert len(pids) == 2, "persistent workers outlive the pass"
        assert sorted(p.pid for p in workers()) == pids, "and served the next one"
    assert workers() == [], "close() (the with block's end) ends them"


def test_collate_names_the_odd_sample_not_the_second():
    """Sample 0 is the odd one (9x8 among 8x8): the error names it, as the JavaScript Loader's collate does,
    where torch's default_collate would blame batch position 1 for differing from position 0."""
    items = images(4)
    items[0] = np.zeros((9, 8, 3), np.uint8)
    ds = LT.Dataset(items, lockstep.ToTensor())
    with pytest.raises(lockstep.RangeError) as e:
        next(iter(LT.DataLoader(ds, batch_size=4)))
    msg = str(e.value)
    assert msg.startswith("lockstep collate: sample 0 cannot join its batch: its output has shape [3, 9, 8]")
    assert "(e.g. sample 1's) have [3, 8, 8]" in msg and "collate_fn" in msg
    # a collate_fn that keeps lists still gets the samples
    batch = next(iter(LT.DataLoader(ds, batch_size=4, collate_fn=list)))
    assert [tuple(t.shape) for t in batch] == [(3, 9, 8)] + [(3, 8, 8)] * 3


def test_collate_refuses_mixing_images_and_tensors():
    """uint8 images and float32 tensors in one batch: default_collate would promote the images to float
    silently; the odd one (the minority kind) is named."""
    items = images(3) + [np.zeros((3, 8, 8), np.float32)]
    ds = LT.Dataset(items, lockstep.Compose([]))
    with pytest.raises(lockstep.RangeError, match=r"sample 3 cannot join its batch: its output is a tensor, but the batch's other outputs \(e.g. sample 0's\) are images"):
        next(iter(LT.DataLoader(ds, batch_size=4)))


def test_file_samples_are_named_with_their_file(tmp_path):
    from PIL import Image
    paths = []
    for i, size in enumerate([(8, 8), (8, 8), (10, 8)]):
        p = tmp_path / f"{i}.png"
        Image.fromarray(np.zeros((size[1], size[0], 3), np.uint8)).save(p)
        paths.append(str(p))
    ds = LT.Dataset(paths, lockstep.ToTensor())
    with pytest.raises(lockstep.RangeError, match=r"sample 2 \(.*2\.png\) cannot join its batch"):
        next(iter(LT.DataLoader(ds, batch_size=3)))

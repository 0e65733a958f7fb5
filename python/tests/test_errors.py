"""Bad input from Python: an exception naming the problem, never a wasm trap; the kernel keeps working."""
import numpy as np
import pytest
import torch

import lockstep
from conftest import photo, sha256

PIPE = lockstep.Compose([lockstep.RandomResizedCrop(16), lockstep.ColorJitter(0.2, 0.2, 0.2, 0.05), lockstep.ToTensor()])
IMG = photo(40, 30)
GOLDEN = sha256(PIPE(IMG, seed=3, index=1))


@pytest.mark.parametrize("bad,cls,match", [
    (IMG.astype(np.float64), TypeError, "dtype float64"),
    (IMG.astype(np.int16), TypeError, "dtype int16"),
    (np.zeros((4, 4, 2), np.uint8), ValueError, "channels"),
    (np.zeros((4, 4, 3, 1), np.uint8), ValueError, "shape"),
    (np.zeros((0, 4, 3), np.uint8), ValueError, "height"),
    (np.zeros((40000, 1, 1), np.uint8), ValueError, "height"),
    (np.broadcast_to(np.zeros(1, np.uint8), (20000, 20000, 1)), ValueError, "pixels"),
    ([[1, 2], [3, 4]], TypeError, "numpy array"),
    ("img.png", TypeError, "numpy array"),
    (torch.zeros(3, 4, 4, dtype=torch.int32), TypeError, "torch.int32"),
    (torch.zeros(2, 3, 4, 4, dtype=torch.uint8), ValueError, "C, H, W"),
])
def test_bad_images(bad, cls, match):
    with pytest.raises(cls, match=match):
        PIPE(bad, seed=3, index=1)
    assert sha256(PIPE(IMG, seed=3, index=1)) == GOLDEN


def test_non_contiguous_inputs_are_read_as_they_are():
    big = photo(80, 60)
    view = big[::2, ::2]  # strided: copied once, straight into the kernel
    assert not view.flags.c_contiguous
    assert sha256(PIPE(view, seed=3, index=1)) == sha256(PIPE(np.ascontiguousarray(view), seed=3, index=1))
    flipped = IMG[:, ::-1]
    assert sha256(lockstep.F.hflip(flipped)) == sha256(IMG)


@pytest.mark.parametrize("kwargs,cls,match", [
    ({"seed": -1}, ValueError, "seed"),
    ({"seed": 2**64}, ValueError, "seed"),
    ({"seed": 1.5}, ValueError, "seed"),
    ({"seed": float("nan")}, ValueError, "seed"),
    ({"seed": True}, ValueError, "seed"),
    ({"seed": 1, "index": -1}, ValueError, "index"),
    ({"seed": 1, "epoch": 2**53}, ValueError, "epoch"),
    ({"index": 3}, TypeError, "need a seed"),
    ({"seed": 1, "generator": "g"}, TypeError, "either seed or generator"),
    ({"generator": object()}, TypeError, "Generator"),
    ({"seed": 1, "output": "jax"}, ValueError, "output"),
])
def test_bad_options(kwargs, cls, match):
    with pytest.raises(cls, match=match):
        PIPE(IMG, **kwargs)
    assert sha256(PIPE(IMG, seed=3, index=1)) == GOLDEN


def test_nan_and_huge_arguments():
    for make in (lambda: lockstep.Normalize([float("nan")], [1.0]), lambda: lockstep.RandomRotation(float("inf")),
                 lambda: lockstep.Resize(10**12), lambda: lockstep.RandomAffine(0, scale=(0, 1)), lambda: lockstep.GaussianBlur(3, sigma=float("nan")),
                 lambda: lockstep.RandomResizedCrop(16, ratio=(float("nan"), 1.0)), lambda: lockstep.Pad(10**6)):
        with pytest.raises((TypeError, ValueError)):
            make()
    with pytest.raises(ValueError, match="over"):
        lockstep.Resize(30000)(np.zeros((10, 20000, 1), np.uint8))
    with pytest.raises(ValueError):
        lockstep.F.pad(IMG, 32760)
    assert sha256(PIPE(IMG, seed=3, index=1)) == GOLDEN


def test_tensor_and_image_mixups():
    with pytest.raises(TypeError, match="before ToTensor"):
        lockstep.Compose([lockstep.ToTensor(), lockstep.RandomCrop(4)])(IMG, seed=1)
    with pytest.raises(TypeError, match="ToTensor before"):
        lockstep.Normalize([0.5], [0.5])(IMG)
    with pytest.raises(ValueError, match="channels"):
        lockstep.Compose([lockstep.ToTensor(), lockstep.Normalize([0.5, 0.5], [1, 1])])(IMG)


def test_memory_stays_flat_over_many_calls():
    from lockstep.kernel.instance import kernel
    big = photo(500, 375)
    out = np.empty((3, 16, 16), np.float32)
    PIPE(big, seed=0, out=out)
    size = kernel().memory_size()
    for i in range(300):
        PIPE(big, seed=0, index=i, out=out)
    assert kernel().memory_size() == size

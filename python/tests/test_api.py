"""The Python surface: inputs (numpy, PIL, torch), outputs (numpy or torch without a copy), out=,
keyed and sequential randomness, sample / apply_with_record / replay, torchvision's signatures."""
import numpy as np
import pytest
import torch
from PIL import Image

import lockstep
from conftest import js_host, photo, sha256
from tvimport import import_torchvision

RECIPE = lockstep.Compose([lockstep.RandomResizedCrop(32), lockstep.RandomHorizontalFlip(), lockstep.ToTensor(),
                           lockstep.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])


def test_numpy_pil_and_torch_inputs_give_the_same_bytes():
    img = photo(50, 40)
    want = RECIPE(img, seed=42, epoch=1, index=5)
    assert isinstance(want, np.ndarray) and want.dtype == np.float32 and want.shape == (3, 32, 32)
    from_pil = RECIPE(Image.fromarray(img), seed=42, epoch=1, index=5)
    from_torch = RECIPE(torch.from_numpy(img).permute(2, 0, 1), seed=42, epoch=1, index=5)  # torchvision's CHW
    assert isinstance(from_torch, torch.Tensor)
    assert sha256(from_pil) == sha256(want) == sha256(from_torch)


def test_grey_images_as_2d_arrays_and_pil_l():
    g = photo(20, 10, 1)[:, :, 0]
    a = lockstep.RandomCrop(8)(g, seed=1)
    b = lockstep.RandomCrop(8)(Image.fromarray(g), seed=1)
    assert a.shape == (8, 8, 1) and np.array_equal(a, b)


def test_torch_output_shares_memory_and_images_are_chw_views():
    img = photo(30, 20)
    t = RECIPE(img, seed=1, output="torch")
    assert isinstance(t, torch.Tensor) and t.dtype == torch.float32 and t.shape == (3, 32, 32)
    u = lockstep.RandomCrop(10)(torch.from_numpy(img).permute(2, 0, 1), seed=3)
    assert u.dtype == torch.uint8 and u.shape == (3, 10, 10)
    hwc = u.permute(1, 2, 0)
    assert hwc.is_contiguous()  # a view of the HWC bytes the kernel wrote: no copy was made
    assert np.array_equal(hwc.numpy(), lockstep.RandomCrop(10)(img, seed=3))


def test_out_buffers_receive_the_bytes():
    img = photo(64, 48)
    out = np.empty((3, 32, 32), np.float32)
    r = RECIPE(img, seed=9, index=2, out=out)
    assert r is out and sha256(out) == sha256(RECIPE(img, seed=9, index=2))
    batch = torch.empty(4, 3, 32, 32)
    for i in range(4):
        RECIPE(img, seed=9, index=i, out=batch[i])
    assert sha256(batch[2]) == sha256(RECIPE(img, seed=9, index=2))
    with pytest.raises(ValueError, match="out has"):
        RECIPE(img, seed=9, out=np.empty((3, 31, 32), np.float32))
    with pytest.raises(TypeError, match="out must be a float32"):
        RECIPE(img, seed=9, out=np.empty((3, 32, 32), np.float64))
    with pytest.raises(TypeError, match="C-contiguous"):
        RECIPE(img, seed=9, out=np.empty((3, 32, 64), np.float32)[:, :, ::2])


def test_sample_apply_with_record_and_replay():
    img = photo(50, 40)
    params = RECIPE.sample(img, seed=7, epoch=2, index=3)
    assert RECIPE.sample({"width": 50, "height": 40}, seed=7, epoch=2, index=3) == params
    y, record = RECIPE.apply_with_record(img, seed=7, epoch=2, index=3)
    assert record == {"meta": {"kind": "image", "width": 50, "height": 40, "channels": 3}, "params": params, "semantics": "pil"}
    assert sha256(RECIPE.replay(img, record)) == sha256(y)
    with pytest.raises(ValueError, match="record was made for"):
        RECIPE.replay(photo(51, 40), record)


def test_keyed_randomness_needs_a_seed_and_says_how():
    with pytest.raises(TypeError, match="seed="):
        RECIPE(photo())
    assert lockstep.Compose([lockstep.Resize(16), lockstep.ToTensor()])(photo()).shape == (3, 16, 21)
    with pytest.raises(TypeError, match="either seed or generator"):
        RECIPE(photo(), seed=1, generator=lockstep.Generator(1))


def test_generator_is_the_javascript_generator():
    js = js_host({"op": "generator", "seed": "18446744073709551615", "calls": 3, "draws": 5})
    g = lockstep.Generator(2**64 - 1)
    assert [list(g.next_key()) for _ in range(3)] == js["keys"]
    assert [g.random() for _ in range(5)] == js["draws"]
    assert g.get_state() == js["state"]
    img = photo()
    a = [sha256(RECIPE(img, generator=lockstep.Generator(5))) for _ in range(2)]
    g = lockstep.Generator(5)
    b = [sha256(RECIPE(img, generator=g)) for _ in range(2)]
    assert a[0] == a[1] == b[0] != b[1]
    h = lockstep.Generator(0).set_state(g.get_state())
    assert sha256(RECIPE(img, generator=h)) == sha256(RECIPE(img, generator=g))


def test_torchvision_signatures_and_named_errors():
    tv = pytest.importorskip  # noqa: F841 (torchvision's own enum is checked below when importable)
    t = lockstep.RandomResizedCrop(224, scale=(0.08, 1.0), ratio=(3 / 4, 4 / 3), interpolation="bicubic", antialias=True)
    assert t.to_dict()["interpolation"] == "bicubic"
    assert lockstep.ColorJitter(brightness=0.4, contrast=0.4, saturation=0.4, hue=0.1).to_dict()["hue"] == [-0.1, 0.1]
    assert lockstep.RandomCrop(32, padding=4, pad_if_needed=True, fill=(1, 2, 3), padding_mode="edge").to_dict()["padIfNeeded"] is True
    assert lockstep.Normalize(mean=(0.5,), std=(0.25,)).to_dict() == {"type": "Normalize", "mean": [0.5], "std": [0.25]}
    for make, cls, name in [
        (lambda: lockstep.RandomResizedCrop(0), ValueError, "size"),
        (lambda: lockstep.RandomResizedCrop(224, scale=(1.0, 0.5)), ValueError, "scale"),
        (lambda: lockstep.RandomResizedCrop(224, interpolation="lanczos"), ValueError, "interpolation"),
        (lambda: lockstep.RandomResizedCrop(224, antialias="yes"), TypeError, "antialias"),
        (lambda: lockstep.Normalize([0.5], [0.0]), ValueError, "std"),
        (lambda: lockstep.Normalize("abc", [1.0]), TypeError, "mean"),
        (lambda: lockstep.ColorJitter(brightness=-1), ValueError, "brightness"),
        (lambda: lockstep.RandomHorizontalFlip(p=1.5), ValueError, "p"),
        (lambda: lockstep.RandomCrop(32, padding_mode="wrap"), ValueError, "paddingMode"),
        (lambda: lockstep.GaussianBlur(4), ValueError, "kernelSize"),
        (lambda: lockstep.Compose([lambda x: x]), TypeError, "transforms"),
    ]:
        with pytest.raises(cls, match=name):
            make()


def test_torchvision_interpolation_mode_is_accepted():
    (transforms,) = import_torchvision("torchvision.transforms")
    InterpolationMode = transforms.InterpolationMode
    assert lockstep.Resize(10, interpolation=InterpolationMode.NEAREST).to_dict()["interpolation"] == "nearest"


def test_functional_ops():
    img = photo(9, 7)
    assert np.array_equal(lockstep.F.hflip(img), img[:, ::-1])
    assert np.array_equal(lockstep.F.vflip(img), img[::-1])
    assert np.array_equal(lockstep.F.crop(img, 1, 2, 3, 4), img[1:4, 2:6])
    t = lockstep.F.to_tensor(img)
    assert np.array_equal(t, (img.transpose(2, 0, 1) / np.float32(255)).astype(np.float32))
    assert lockstep.F.resize(img, [5, 6]).shape == (5, 6, 3)

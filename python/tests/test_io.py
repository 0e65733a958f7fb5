"""lockstep.decode against Pillow 12.3 (the oracle, installed beside the tests) on the committed
codec corpora (tests/codec/): the same bytes as Image.open(f).convert(mode) and as the
JavaScript host (whose answers the conformance vectors carry), and the same errors."""
import hashlib
import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps

import lockstep

ROOT = Path(__file__).resolve().parents[2]
JPEG = json.loads((ROOT / "tests/codec/jpeg/manifest.json").read_text())
PNG = json.loads((ROOT / "tests/codec/png-manifest.json").read_text())


def sha(a: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()


def keep_of(mode: str, channels: int) -> str:
    return {1: "L", 3: "RGB", 4: "RGBA"}[channels]


@pytest.mark.parametrize("mode", ["RGB", "L", "RGBA"])
def test_jpeg_corpus_equals_pillow_convert(mode):
    n = 0
    for f in JPEG["files"]:
        if f.get("expect") or f.get("error"):
            continue
        img = lockstep.decode((ROOT / "tests/codec/jpeg" / f["name"]).read_bytes(), mode)
        assert img.shape == (f["height"], f["width"], {"L": 1, "RGB": 3, "RGBA": 4}[mode]), f["name"]
        assert sha(img) == f[mode.lower()], f"{f['name']} {mode}"
        n += 1
    assert n > 300


def test_png_corpus_equals_pillow_convert_in_every_mode():
    for f in PNG["files"]:
        data = (ROOT / f["file"]).read_bytes()
        for mode in ("RGB", "L", "RGBA"):
            assert sha(lockstep.decode(data, mode)) == f[mode], f"{f['file']} {mode}"
        kept = lockstep.decode(data, "keep")
        assert sha(kept) == f[keep_of(f["mode"], kept.shape[2])], f"{f['file']} keep"


def test_against_pillow_itself_photos_and_exif_transpose():
    for name in ("samples/rocket.jpg", "samples/coffee.png", "tests/codec/jpeg/exif_o6.jpg", "tests/codec/jpeg/exif_o8.jpg", "tests/codec/png/exif-orientation6.png"):
        data = (ROOT / name).read_bytes()
        with Image.open(io.BytesIO(data)) as im:
            for mode in ("RGB", "L", "RGBA"):
                assert np.array_equal(lockstep.decode(data, mode).reshape(im.height, im.width, -1), np.asarray(im.convert(mode)).reshape(im.height, im.width, -1)), f"{name} {mode}"
            turned = ImageOps.exif_transpose(im).convert("RGB")
            got = lockstep.decode(data, "RGB", apply_exif_orientation=True)
            assert got.shape[:2] == (turned.height, turned.width) and np.array_equal(got, np.asarray(turned)), name


def test_read_info():
    info = lockstep.read_info((ROOT / "samples/rocket.jpg").read_bytes())
    assert info == {"format": "jpeg", "width": 640, "height": 427, "mode": "RGB", "channels": 3, "orientation": 0, "progressive": False, "interlaced": False}


def test_errors_are_python_exceptions_and_the_kernel_keeps_working():
    good = (ROOT / "samples/rocket.jpg").read_bytes()
    want = sha(lockstep.decode(good))
    with pytest.raises(TypeError, match="empty input"):
        lockstep.decode(b"")
    with pytest.raises(TypeError, match="not a PNG or JPEG file"):
        lockstep.decode(b"hello, world, not an image")
    with pytest.raises(lockstep.DecodeError, match="^decode: truncated") as e:
        lockstep.decode(good[:4000])
    assert e.value.reason == "truncated" and 100 <= e.value.code < 200
    png = bytearray((ROOT / "samples/coffee.png").read_bytes())
    png[100] ^= 0x40
    with pytest.raises(lockstep.DecodeError, match="CRC mismatch") as e:
        lockstep.decode(bytes(png))
    assert e.value.reason == "corrupt"
    with pytest.raises(lockstep.RangeError, match=r"640x427 = 273280 pixels, over the limit of 273279 \(maxPixels\)"):
        lockstep.decode(good, max_pixels=640 * 427 - 1)
    with pytest.raises(TypeError, match="mode must be"):
        lockstep.decode(good, "CMYK")
    assert sha(lockstep.decode(good)) == want
    assert lockstep.decode(good[: int(len(good) * 0.6)], "RGB", allow_truncated=True).shape == (427, 640, 3)


def test_other_formats_through_pillow():
    for f in json.loads((ROOT / "tests/codec/other/manifest.json").read_text())["files"]:
        data = (ROOT / f["file"]).read_bytes()
        for mode in ("RGB", "L", "RGBA"):
            assert sha(lockstep.decode(data, mode)) == f[mode], f["file"]

"""JPEG through the Python host: encode_jpeg writes the bytes Pillow's save(quality=q) writes (the same
libjpeg-turbo calls as torchvision's encode_jpeg; tests/codec/make_jpegenc_corpus.py checks that
equivalence against torchvision's own bundled library), F.jpeg gives Pillow's round trip, and the
JPEG transform draws and refuses as the TypeScript one does."""
import io

import numpy as np
import pytest
from PIL import Image

import lockstep
from lockstep import F
from conftest import photo


def pillow_file(arr: np.ndarray, q: int) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(arr[:, :, 0] if arr.shape[2] == 1 else arr).save(buf, "JPEG", quality=q)
    return buf.getvalue()


@pytest.mark.parametrize("w,h,c,q", [(1, 1, 3, 75), (17, 9, 3, 5), (33, 31, 1, 90), (50, 40, 3, 100), (64, 48, 1, 1), (23, 47, 3, 50)])
def test_encode_jpeg_writes_pillows_bytes_and_jpeg_decodes_them_as_pillow(w, h, c, q):
    img = photo(w, h, c)
    data = F.encode_jpeg(img, q)
    assert data == pillow_file(img, q)
    want = np.asarray(Image.open(io.BytesIO(data))).reshape(h, w, c)
    assert np.array_equal(F.jpeg(img, q), want)


def test_noise_at_quality_100_needs_more_than_the_raw_size():
    img = np.random.RandomState(3).randint(0, 256, (75, 100, 1), dtype=np.uint8)
    data = F.encode_jpeg(img, 100)
    assert len(data) > img.size + 2048 and data == pillow_file(img, 100)


def test_jpeg_transform_draws_min_to_max_inclusive_and_round_trips_json():
    t = lockstep.JPEG([20, 22])
    seen = {t.sample({"width": 8, "height": 8}, seed=1, index=i)["quality"] for i in range(64)}
    assert seen == {20, 21, 22}
    img = photo(24, 16)
    out = t(img, seed=5, index=2)
    q = t.sample(img, seed=5, index=2)["quality"]
    assert np.array_equal(out, F.jpeg(img, q))
    assert lockstep.from_json(t.to_json()).to_dict() == {"type": "JPEG", "quality": [20, 22]}


def test_bad_input():
    img = photo(8, 8)
    with pytest.raises(lockstep.RangeError, match=r"img\.channels must be 1 \(grey\) or 3 \(RGB\)"):
        F.jpeg(photo(8, 8, 4), 50)
    for q in (0, 101, 7.5, "75", True):
        with pytest.raises(lockstep.RangeError, match=r"^quality must be an integer in \[1, 100\]"):
            F.encode_jpeg(img, q)
    with pytest.raises(lockstep.RangeError, match=r"quality must be \[min, max\] with min <= max"):
        lockstep.JPEG([50, 40])
    with pytest.raises(TypeError, match=r"quality must be an integer in \[1, 100\] or \[min, max\]"):
        lockstep.JPEG("75")
    with pytest.raises(lockstep.RangeError, match=r"JPEG expects a grey or RGB image"):
        lockstep.JPEG(50)(photo(8, 8, 4))

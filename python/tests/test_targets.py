"""Boxes, masks and key points with the image (issue 12) in the Python host: torchvision v2's input
structure in (dicts and tuples of tv_tensors, or lockstep's own target classes with numpy arrays),
the same structure out, and torchvision 0.28's own detection and segmentation recipes reproduced
bit for bit: torchvision runs its pipeline with its own randomness, the params it drew are recorded,
and lockstep replays them on the same sample (image bytes, boxes as float32 bits, labels, masks)."""
import numpy as np
import pytest

import lockstep
from lockstep import BoundingBoxes, KeyPoints, Mask
from tvimport import import_torchvision

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def _torchvision():
    import torch

    torchvision, tv_tensors, v2 = import_torchvision("torchvision", "torchvision.tv_tensors", "torchvision.transforms.v2")
    assert torchvision.__version__.startswith("0.28"), torchvision.__version__
    torch.set_num_threads(1)
    return torch, tv_tensors, v2


def _recording(t):
    """Wraps t.make_params so every call is recorded (as tests/parity/make_fixtures_tutorials.py does)."""
    calls = []
    orig = t.make_params

    def make_params(flat):
        p = orig(flat)
        calls.append(p)
        return p

    t.make_params = make_params
    return calls


def _photo():
    from PIL import Image
    from conftest import ROOT
    return Image.open(ROOT / "samples" / "chelsea.png").convert("RGB").resize((200, 150), Image.BILINEAR)


BOXES = [[20.5, 10.25, 90.0, 120.0], [80.0, 30.5, 190.25, 100.0], [150.0, 110.0, 199.5, 149.0], [5.0, 5.0, 12.0, 9.5]]


def _same_bits(a, b) -> bool:
    """float32 tensors equal bit for bit (-0 and 0 differ)."""
    import torch
    return a.dtype == b.dtype == torch.float32 and a.shape == b.shape and torch.equal(a.contiguous().view(torch.int32), b.contiguous().view(torch.int32))


def test_detection_tutorial_bit_for_bit_with_torchvision():
    """torchvision's "end-to-end object detection" pipeline on (tv_tensors.Image, {boxes, labels, masks}):
    torchvision draws, lockstep replays under semantics "tensor" (it runs on the uint8 tensor ToImage
    makes), and every output is torchvision's: float32 image bytes, box bits, labels, instance masks,
    each in its tv_tensors type."""
    torch, tv, v2 = _torchvision()
    photo = _photo()
    W, H = photo.size
    yy, xx = np.mgrid[0:H, 0:W]
    inst = np.stack([((xx >= b[0]) & (xx < b[2]) & (yy >= b[1]) & (yy < b[3])).astype(np.uint8) for b in BOXES])
    ours = lockstep.Compose([lockstep.ToImage(), lockstep.RandomPhotometricDistort(p=1), lockstep.RandomZoomOut(fill={tv.Image: (123, 117, 104), "others": 0}),
                             lockstep.RandomIoUCrop(), lockstep.RandomHorizontalFlip(p=1), lockstep.SanitizeBoundingBoxes(), lockstep.ToDtype(torch.float32, scale=True)],
                            semantics="tensor")
    dropped = cropped = 0
    for k in range(8):
        distort, zoom, iou = v2.RandomPhotometricDistort(p=1), v2.RandomZoomOut(fill={tv.Image: (123, 117, 104), "others": 0}), v2.RandomIoUCrop()
        theirs = v2.Compose([v2.ToImage(), distort, zoom, iou, v2.RandomHorizontalFlip(p=1), v2.SanitizeBoundingBoxes(), v2.ToDtype(torch.float32, scale=True)])
        dc, zc, ic = _recording(distort), _recording(zoom), _recording(iou)

        def sample():
            return (tv.Image(torch.from_numpy(np.asarray(photo).copy()).permute(2, 0, 1)),
                    {"boxes": tv.BoundingBoxes(torch.tensor(BOXES), format="XYXY", canvas_size=(H, W)), "labels": torch.tensor([1, 2, 3, 4]),
                     "masks": tv.Mask(torch.from_numpy(inst))})

        torch.manual_seed(k)
        img, target = theirs(*sample())
        d = dc[0]
        perm = d["channel_permutation"]
        ip = ic[0] if ic else None
        params = [None,
                  {"brightness": d["brightness_factor"], "contrast": d["contrast_factor"], "saturation": d["saturation_factor"], "hue": d["hue_factor"],
                   "contrastBefore": d["contrast_before"], "permutation": None if perm is None else perm.tolist()},
                  {"applied": True, "padding": list(zc[0]["padding"])} if zc else {"applied": False, "padding": None},
                  {"top": ip["top"], "left": ip["left"], "height": ip["height"], "width": ip["width"], "within": [bool(v) for v in ip["is_within_crop_area"].tolist()]} if ip else None,
                  {"flip": True}, None, None]
        out_img, out = ours.replay(sample(), {"meta": {"kind": "image", "width": W, "height": H, "channels": 3}, "params": params})
        assert isinstance(out_img, tv.Image) and _same_bits(out_img.as_subclass(torch.Tensor), img.as_subclass(torch.Tensor)), f"case {k}: image bytes"
        assert isinstance(out["boxes"], tv.BoundingBoxes) and tuple(out["boxes"].canvas_size) == tuple(target["boxes"].canvas_size)
        assert out["boxes"].format == target["boxes"].format
        assert _same_bits(out["boxes"].as_subclass(torch.Tensor), target["boxes"].as_subclass(torch.Tensor)), f"case {k}: {out['boxes']} vs {target['boxes']}"
        assert torch.equal(out["labels"], target["labels"]) and out["labels"].dtype == torch.int64
        assert isinstance(out["masks"], tv.Mask) and out["masks"].dtype == target["masks"].dtype and torch.equal(out["masks"], target["masks"])
        dropped += len(BOXES) - len(target["labels"])
        cropped += ip is not None
    assert dropped > 0 and cropped > 0, "the cases exercise SanitizeBoundingBoxes and RandomIoUCrop"


def test_segmentation_recipe_bit_for_bit_with_torchvision():
    """references/segmentation's training recipe on (PIL image, tv_tensors.Mask): torchvision draws, lockstep
    replays ("pil" semantics: the image is a PIL image until ToImage); the normalised float32 image and
    the mask (padded with 255) are torchvision's bytes."""
    torch, tv, v2 = _torchvision()
    from torchvision.transforms.v2.functional._geometry import _compute_resized_output_size
    photo = _photo()
    W, H = photo.size
    yy, xx = np.mgrid[0:H, 0:W]
    seg = (((xx // 20) * 3 + (yy // 15) * 5) % 21).astype(np.uint8)
    ours = lockstep.Compose([lockstep.RandomResize(90, 260), lockstep.RandomHorizontalFlip(0.5), lockstep.RandomCrop(120, pad_if_needed=True, fill={tv.Mask: 255, "others": 0}),
                             lockstep.ToImage(), lockstep.ToDtype(torch.float32, scale=True), lockstep.Normalize(MEAN, STD)])
    padded = 0
    for k in range(12):
        rr, flip, crop = v2.RandomResize(90, 260), v2.RandomHorizontalFlip(0.5), v2.RandomCrop(120, pad_if_needed=True, fill={tv.Mask: 255, "others": 0})
        theirs = v2.Compose([rr, flip, crop, v2.ToImage(), v2.ToDtype(torch.float32, scale=True), v2.Normalize(MEAN, STD)])
        rc, fc, cc = _recording(rr), _recording(flip), _recording(crop)
        torch.manual_seed(k)
        img, mask = theirs(photo, tv.Mask(torch.from_numpy(seg)))
        size = _compute_resized_output_size((H, W), size=rc[0]["size"])
        cp = cc[0]
        params = [{"size": list(size)}, {"flip": bool(fc)}, {"top": cp["top"], "left": cp["left"], "padding": list(cp["padding"])}, None, None, None]
        out_img, out_mask = ours.replay((photo, tv.Mask(torch.from_numpy(seg))), {"meta": {"kind": "image", "width": W, "height": H, "channels": 3}, "params": params})
        assert isinstance(out_img, np.ndarray) and out_img.dtype == np.float32  # a PIL image in: numpy out
        assert _same_bits(torch.from_numpy(out_img), img), f"case {k}: image bytes"
        assert isinstance(out_mask, tv.Mask) and torch.equal(out_mask, mask), f"case {k}: mask"
        padded += int((mask == 255).any())
    assert padded > 0, "some case pads the mask with its own fill"


def _det_sample(rng, H=40, W=56, layout="dict"):
    boxes = BoundingBoxes([[2.5, 3, 20.25, 21.5], [18, 1.75, 44, 14], [30.5, 12, 43.5, 29.75], [40, 25, 40.5, 25.25]], format="XYXY", canvas_size=(H, W))
    masks = Mask(rng.integers(0, 2, (4, H, W), dtype=np.uint8))
    points = KeyPoints([[5, 5], [20.5, 10], [40, 25]], canvas_size=(H, W))
    image = rng.integers(0, 256, (H, W, 3), dtype=np.uint8)
    t = {"boxes": boxes, "masks": masks, "keypoints": points, "labels": np.array([17, 3, 8, 1])}
    return (image, t) if layout == "tuple" else {"image": image, **t}


@pytest.mark.parametrize("layout", ["dict", "tuple"])
def test_numpy_samples_keep_their_structure_and_replay(layout):
    """A sample of numpy arrays and lockstep's target classes: the same structure and types come out, the
    labels (a numpy array) are filtered with the boxes, and apply_with_record -> replay and sample() agree."""
    rng = np.random.default_rng(1)
    sample = _det_sample(rng, layout=layout)
    t = lockstep.Compose([lockstep.RandomZoomOut(fill={"image": [1, 2, 3], "mask": 0}, p=1), lockstep.RandomIoUCrop(), lockstep.RandomHorizontalFlip(),
                          lockstep.Resize((32, 32)), lockstep.SanitizeBoundingBoxes(), lockstep.ClampKeyPoints(), lockstep.ToDtype("float32", scale=True)])
    out, record = t.apply_with_record(sample, seed=7, epoch=1, index=3)
    assert type(out) is type(sample)
    img, tgt = (out[0], out[1]) if layout == "tuple" else (out["image"], out)
    assert img.dtype == np.float32 and img.shape == (3, 32, 32)
    assert isinstance(tgt["boxes"], BoundingBoxes) and tgt["boxes"].canvas_size == [32, 32]
    assert isinstance(tgt["masks"], Mask) and tgt["masks"].shape[1:] == [32, 32] and set(np.unique(tgt["masks"].numpy())) <= {0, 1}
    assert isinstance(tgt["labels"], np.ndarray) and len(tgt["labels"]) == len(tgt["boxes"]) == tgt["masks"].shape[0]
    assert t.sample(sample, seed=7, epoch=1, index=3) == record["params"]
    again = t.replay(sample, record)
    a_img, a_tgt = (again[0], again[1]) if layout == "tuple" else (again["image"], again)
    assert np.array_equal(a_img, img) and np.array_equal(a_tgt["boxes"].data, tgt["boxes"].data) and np.array_equal(a_tgt["masks"].data, tgt["masks"].data)
    assert np.array_equal(a_tgt["keypoints"].data, tgt["keypoints"].data) and np.array_equal(a_tgt["labels"], tgt["labels"])
    # the input is untouched
    src = sample[1] if layout == "tuple" else sample
    assert src["boxes"].canvas_size == [40, 56] and len(src["labels"]) == 4


def test_boxes_follow_the_drawing_through_a_flip_and_crop():
    """A filled rectangle drawn on the image and its box move together: after a flip and a crop the box is
    exactly the rectangle's extent in the output image (an independent check of the coordinate maths)."""
    img = np.zeros((30, 40, 1), np.uint8)
    img[5:12, 8:20] = 255  # x in [8, 20), y in [5, 12)
    sample = {"image": img, "boxes": BoundingBoxes([[8, 5, 20, 12]], format="XYXY", canvas_size=(30, 40)), "labels": [1]}
    t = lockstep.Compose([lockstep.RandomHorizontalFlip(p=1), lockstep.RandomVerticalFlip(p=1), lockstep.CenterCrop((24, 30))])
    out = t(sample, seed=0)
    ys, xs = np.nonzero(out["image"][:, :, 0])
    assert out["boxes"].numpy().tolist() == [[xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]]


def test_torchvision_structure_for_lockstep_draws():
    """lockstep's own draws (seed, epoch, index) on torchvision's tv_tensors: tv_tensors come back, with
    the canvas and dtypes torchvision would give; a second call with the same key gives the same bytes."""
    torch, tv, v2 = _torchvision()
    img = tv.Image(torch.randint(0, 256, (3, 48, 64), dtype=torch.uint8))
    target = {"boxes": tv.BoundingBoxes(torch.tensor([[4.0, 6.0, 30.0, 40.0], [50.0, 2.0, 63.0, 20.0]]), format="XYXY", canvas_size=(48, 64)),
              "masks": tv.Mask(torch.zeros(2, 48, 64, dtype=torch.bool)), "keypoints": tv.KeyPoints(torch.tensor([[3.0, 4.0], [60.0, 40.0]]), canvas_size=(48, 64)),
              "labels": torch.tensor([3, 5]), "image_id": 12}
    t = lockstep.Compose([lockstep.RandomRotation(30, expand=True), lockstep.RandomResizedCrop((24, 32)), lockstep.ConvertBoundingBoxFormat("CXCYWH")], semantics="tensor")
    a_img, a = t(img, target, seed=3, index=9) if False else t((img, target), seed=3, index=9)
    b_img, b = t((img, target), seed=3, index=9)
    assert isinstance(a_img, tv.Image) and a_img.shape == (3, 24, 32) and torch.equal(a_img, b_img)
    assert isinstance(a["boxes"], tv.BoundingBoxes) and a["boxes"].format == tv.BoundingBoxFormat.CXCYWH and tuple(a["boxes"].canvas_size) == (24, 32)
    assert isinstance(a["masks"], tv.Mask) and a["masks"].dtype == torch.bool and a["masks"].shape == (2, 24, 32)
    assert isinstance(a["keypoints"], tv.KeyPoints) and tuple(a["keypoints"].canvas_size) == (24, 32)
    assert a["image_id"] == 12 and torch.equal(a["labels"], target["labels"])
    assert torch.equal(a["boxes"], b["boxes"]) and torch.equal(a["keypoints"], b["keypoints"])


def test_to_pure_tensor_and_label_getters():
    torch, tv, v2 = _torchvision()
    img = tv.Image(torch.randint(0, 256, (3, 20, 30), dtype=torch.uint8))
    sample = {"image": img, "boxes": tv.BoundingBoxes(torch.tensor([[0.0, 0.0, 0.5, 10.0], [2.0, 2.0, 12.0, 12.0]]), format="XYXY", canvas_size=(20, 30)),
              "labels": torch.tensor([1, 2]), "iscrowd": [0, 1]}
    out = lockstep.Compose([lockstep.SanitizeBoundingBoxes(labels_getter=["labels", "iscrowd"]), lockstep.ToPureTensor()])(sample)
    assert type(out["boxes"]) is torch.Tensor and out["boxes"].tolist() == [[2.0, 2.0, 12.0, 12.0]]
    assert out["labels"].tolist() == [2] and out["iscrowd"] == [1]


def _nan_boxes():
    b = BoundingBoxes([[0, 0, 1, 1]], format="XYXY", canvas_size=(8, 8))
    b.data = np.array([0, 0, np.nan, 1], np.float32)  # changed after construction: the sample's check still sees it
    return b


@pytest.mark.parametrize("make, error, words", [
    (lambda: {"boxes": BoundingBoxes([[0, 0, 1, 1]], format="XYXY", canvas_size=(8, 8))}, TypeError, "no image"),
    (lambda: {"image": np.zeros((8, 8, 3), np.uint8), "boxes": BoundingBoxes([[0, 0, 1, 1]], format="XYXY", canvas_size=(8, 9))}, ValueError, "sample['boxes'].canvas_size"),
    (lambda: {"image": np.zeros((8, 8, 3), np.uint8), "masks": Mask(np.zeros((2, 8, 7), np.uint8))}, ValueError, "sample['masks']"),
    (lambda: {"image": np.zeros((8, 8, 3), np.uint8), "boxes": _nan_boxes()}, ValueError, "sample['boxes'].data[0][2] must be finite"),
])
def test_bad_samples_name_the_field(make, error, words):
    with pytest.raises(error) as e:
        lockstep.RandomHorizontalFlip()(make(), seed=1)
    assert words in str(e.value)
    assert lockstep.Resize(4)(np.zeros((8, 8, 3), np.uint8)).shape == (4, 4, 3), "the kernel keeps working"


@pytest.mark.parametrize("data, error, words", [
    ([[0, 0, float("nan"), 1]], ValueError, "finite"),
    ([[5, 0, 1, 1]], ValueError, "negative size"),
    ([[0, 0, 1]], ValueError, "4 numbers"),
    ("boxes", TypeError, "numpy array or a list"),
])
def test_bad_boxes_are_refused(data, error, words):
    with pytest.raises(error) as e:
        BoundingBoxes(data, format="XYXY", canvas_size=(8, 8))
    assert words in str(e.value)
    with pytest.raises(ValueError, match="format must be one of"):
        BoundingBoxes([[0, 0, 1, 1]], format="XYZ", canvas_size=(8, 8))


def test_transforms_torchvision_refuses_refuse_targets():
    sample = _det_sample(np.random.default_rng(2))
    with pytest.raises(TypeError, match="FiveCrop does not support"):
        lockstep.FiveCrop(8)(sample)
    with pytest.raises(TypeError, match='padding mode "reflect"'):
        lockstep.Pad(2, padding_mode="reflect")(sample)
    with pytest.raises(TypeError, match="RandomIoUCrop needs"):
        lockstep.RandomIoUCrop()(np.zeros((8, 8, 3), np.uint8), seed=1)


def _readme_blocks():
    """The README's Python examples of targets (between "**Detection and segmentation**" and "- **Inputs**")."""
    import re
    from conftest import ROOT
    text = (ROOT / "README.md").read_text()
    part = text[text.index("**Detection and segmentation** take torchvision v2's structured samples"):text.index("- **Inputs**: numpy `uint8`")]
    return re.findall(r"```python\n(.*?)```", part, re.S)


def test_the_readme_examples_run(monkeypatch):
    """The README's target examples run as written (from the repository root), and say what they claim."""
    from conftest import ROOT
    _torchvision()
    monkeypatch.chdir(ROOT)
    blocks = _readme_blocks()
    assert len(blocks) == 2
    scope: dict = {}
    exec(compile(blocks[0], "README.md (detection)", "exec"), scope)
    import torch
    from torchvision import tv_tensors
    x, t = scope["x"], scope["t"]
    assert isinstance(x, tv_tensors.Image) and x.dtype == torch.float32 and isinstance(t["boxes"], tv_tensors.BoundingBoxes)
    exec(compile(blocks[1], "README.md (numpy)", "exec"), scope)
    out = scope["out"]
    assert out["boxes"].numpy().shape == (1, 4) and out["boxes"].format == "XYWH" and out["boxes"].canvas_size == [224, 224]
    assert out["image"].shape == (224, 224, 3) and out["masks"].shape == [224, 224] and out["keypoints"].canvas_size == [224, 224]
    again = scope["aug"].replay(scope["sample"], scope["record"])
    assert np.array_equal(again["image"], out["image"]) and np.array_equal(again["boxes"].data, out["boxes"].data)

#!/usr/bin/env python3
"""torchvision 0.28 v2's detection and segmentation recipes, end to end, as lockstep replays them.

    /work/venv/bin/python tests/parity/make_fixtures_tutorials.py

Writes tests/parity/fixtures/targets/tutorials.json. Each case runs torchvision's own pipeline
(Compose.forward, torch.manual_seed(case)) on a photo with boxes, labels and masks, records the
params every transform drew (wrapping make_params) in lockstep's form, and stores what came out:
the SHA-256 of the image tensor's float32 bytes, the boxes, the labels and the masks' SHA-256.
lockstep replays the recorded params and must give the same bytes and coordinates.

- detection: the "Transforms v2: end-to-end object detection/segmentation example" pipeline,
  whole (ToImage, RandomPhotometricDistort(p=1), RandomZoomOut(fill={Image: (123, 117, 104),
  others: 0}), RandomIoUCrop, RandomHorizontalFlip(p=1), SanitizeBoundingBoxes,
  ToDtype(float32, scale=True)). After ToImage it runs on a uint8 tensor, so lockstep replays it
  under semantics "tensor" (v2's colour kernels).
- segmentation: references/segmentation's training recipe on a PIL image and a Mask
  (RandomResize, RandomHorizontalFlip, RandomCrop with pad_if_needed and fill
  {Mask: 255, others: 0}, ToImage, ToDtype(float32, scale=True), Normalize).
"""

import base64
import hashlib
import json
import os

import numpy as np
import torch
import torch.library

_orig = torch.library.register_fake
torch.library.register_fake = lambda *a, **k: (lambda fn: fn)
import torchvision  # noqa: E402

torch.library.register_fake = _orig
from PIL import Image  # noqa: E402
from torchvision import tv_tensors  # noqa: E402
from torchvision.transforms import v2  # noqa: E402
from torchvision.transforms.v2.functional._geometry import _compute_resized_output_size  # noqa: E402

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures", "targets", "tutorials.json")
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def recording(t):
    """Wraps t.make_params so each call is recorded (RandomApply transforms skip it when not applied)."""
    calls = []
    orig = t.make_params

    def make_params(flat):
        p = orig(flat)
        calls.append(p)
        return p

    t.make_params = make_params
    return calls


def sha(t):
    a = np.ascontiguousarray(t.detach().numpy())
    return hashlib.sha256(a.astype(a.dtype.newbyteorder("<")).tobytes()).hexdigest()


def main():
    photo = Image.open(os.path.join(HERE, "..", "..", "samples", "chelsea.png")).convert("RGB").resize((200, 150), Image.BILINEAR)
    W, H = photo.size
    rgb = np.asarray(photo)
    boxes = [[20.5, 10.25, 90.0, 120.0], [80.0, 30.5, 190.25, 100.0], [150.0, 110.0, 199.5, 149.0], [5.0, 5.0, 12.0, 9.5]]
    yy, xx = np.mgrid[0:H, 0:W]
    inst = np.stack([((xx >= b[0]) & (xx < b[2]) & (yy >= b[1]) & (yy < b[3])).astype(np.uint8) for b in boxes])
    seg = (((xx // 20) * 3 + (yy // 15) * 5) % 21).astype(np.uint8)
    cases = []
    for k in range(12):
        distort = v2.RandomPhotometricDistort(p=1)
        zoom = v2.RandomZoomOut(fill={tv_tensors.Image: (123, 117, 104), "others": 0})
        iou = v2.RandomIoUCrop()
        det = v2.Compose([v2.ToImage(), distort, zoom, iou, v2.RandomHorizontalFlip(p=1), v2.SanitizeBoundingBoxes(), v2.ToDtype(torch.float32, scale=True)])
        dc, zc, ic = recording(distort), recording(zoom), recording(iou)
        torch.manual_seed(k)
        target = {"boxes": tv_tensors.BoundingBoxes(torch.tensor(boxes), format="XYXY", canvas_size=(H, W)), "labels": torch.tensor([1, 2, 3, 4]), "masks": tv_tensors.Mask(torch.from_numpy(inst))}
        img, out = det(photo, target)
        ip = ic[0] if ic else {}
        d = dc[0]
        perm = d["channel_permutation"]
        distorted = {"brightness": d["brightness_factor"], "contrast": d["contrast_factor"], "saturation": d["saturation_factor"], "hue": d["hue_factor"],
                     "contrastBefore": d["contrast_before"], "permutation": None if perm is None else perm.tolist()}
        params = [None, distorted, {"applied": True, "padding": zc[0]["padding"]} if zc else {"applied": False, "padding": None},
                  {"top": ip["top"], "left": ip["left"], "height": ip["height"], "width": ip["width"], "within": [bool(v) for v in ip["is_within_crop_area"].tolist()]} if ip else None,
                  {"flip": True}, None, None]
        cases.append({"id": f"detection#{k}", "pipeline": "detection", "params": params, "image": {"shape": list(img.shape), "sha256": sha(img)},
                      "boxes": {"canvasSize": list(out["boxes"].canvas_size), "data": [float(v) for v in out["boxes"].reshape(-1).tolist()]},
                      "labels": out["labels"].tolist(), "masks": {"shape": list(out["masks"].shape), "sha256": sha(out["masks"])}})
    for k in range(12):
        rr, flip, crop = v2.RandomResize(90, 260), v2.RandomHorizontalFlip(0.5), v2.RandomCrop(120, pad_if_needed=True, fill={tv_tensors.Mask: 255, "others": 0})
        seg_t = v2.Compose([rr, flip, crop, v2.ToImage(), v2.ToDtype(torch.float32, scale=True), v2.Normalize(MEAN, STD)])
        rc, fc, cc = recording(rr), recording(flip), recording(crop)
        torch.manual_seed(100 + k)
        img, mask = seg_t(photo, tv_tensors.Mask(torch.from_numpy(seg)))
        size = _compute_resized_output_size((H, W), size=rc[0]["size"])
        cp = cc[0]
        params = [{"size": list(size)}, {"flip": bool(fc)}, {"top": cp["top"], "left": cp["left"], "padding": list(cp["padding"])}, None, None, None]
        cases.append({"id": f"segmentation#{k}", "pipeline": "segmentation", "params": params, "image": {"shape": list(img.shape), "sha256": sha(img)},
                      "mask": {"shape": list(mask.shape), "sha256": sha(mask)}})
    doc = {
        "versions": {"torch": torch.__version__, "torchvision": torchvision.__version__, "cpuCapability": torch.backends.cpu.get_cpu_capability(), "generator": "tests/parity/make_fixtures_tutorials.py"},
        "photo": {"file": "samples/chelsea.png", "resize": [W, H], "base64": base64.b64encode(rgb.tobytes()).decode()},
        "boxes": boxes, "labels": [1, 2, 3, 4],
        "pipelines": {
            "detection": {"type": "Compose", "semantics": "tensor", "transforms": [{"type": "ToImage"}, {"type": "RandomPhotometricDistort", "p": 1}, {"type": "RandomZoomOut", "fill": {"image": [123, 117, 104], "mask": 0}}, {"type": "RandomIoUCrop"}, {"type": "RandomHorizontalFlip", "p": 1}, {"type": "SanitizeBoundingBoxes"}, {"type": "ToDtype", "dtype": "float32", "scale": True}]},
            "segmentation": {"type": "Compose", "transforms": [{"type": "RandomResize", "minSize": 90, "maxSize": 260}, {"type": "RandomHorizontalFlip", "p": 0.5}, {"type": "RandomCrop", "size": 120, "padIfNeeded": True, "fill": {"image": 0, "mask": 255}}, {"type": "ToImage"}, {"type": "ToDtype", "dtype": "float32", "scale": True}, {"type": "Normalize", "mean": MEAN, "std": STD}]},
        },
        "cases": cases,
    }
    with open(OUT, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()

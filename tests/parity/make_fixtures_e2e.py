#!/work/venv/bin/python
"""Replay lockstep's end-to-end records in torchvision 0.28 and write torchvision's output hashes.

Run with the venv's Python (torch 2.13 CPU, torchvision 0.28, Pillow 12.3), after
`npx tsx tests/parity/make_e2e_records.ts` has written fixtures/e2e/records.json:

    /work/venv/bin/python tests/parity/make_fixtures_e2e.py

For each record (an ImageNet training recipe: RandomResizedCrop 224, RandomHorizontalFlip,
ColorJitter(0.4, 0.4, 0.4, 0.1) or RandAugment(), then ToTensor and Normalize), it applies
exactly the recorded parameters the way torchvision does under the record's semantics:
  "pil"     torchvision.transforms (v1) on the PIL image: F.resized_crop (Pillow, bilinear),
            F.hflip, F.adjust_* in ColorJitter's recorded order, or autoaugment._apply_op
            per recorded RandAugment operation; F.to_tensor; F.normalize.
  "tensor"  torchvision.transforms.v2 on the uint8 tensor (v2.ToImage first): F.resized_crop
            (torch's uint8 antialiased resize), F.horizontal_flip, F.adjust_*, or
            RandAugment's _apply_image_or_video_transform per recorded operation;
            F.to_dtype(float32, scale=True); F.normalize.
and writes fixtures/e2e/torchvision.json: per record the SHA-256 of the uint8 HWC image
after the augmentation and of the float32 CHW output (little-endian), and per photo the
SHA-256 of the decoded RGB pixels (so the test can check it decodes the same image).
"""

import hashlib
import json
import os
import sys

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_fixtures as base  # noqa: E402  (imports torchvision the venv way)
from make_fixtures import torch, F, F2  # noqa: E402
import torchvision.transforms.autoaugment as AA  # noqa: E402
import torchvision.transforms.v2 as T2  # noqa: E402
from torchvision.transforms import InterpolationMode  # noqa: E402

OUT = os.path.join(HERE, "fixtures", "e2e")
MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]


def sha(b):
    return hashlib.sha256(b).hexdigest()


def jitter_fns(params, v2):
    fns = (F2 if v2 else F)
    out = []
    for i in params["order"]:
        if i == 0 and params["brightness"] is not None:
            out.append(lambda x, f=params["brightness"]: fns.adjust_brightness(x, f))
        if i == 1 and params["contrast"] is not None:
            out.append(lambda x, f=params["contrast"]: fns.adjust_contrast(x, f))
        if i == 2 and params["saturation"] is not None:
            out.append(lambda x, f=params["saturation"]: fns.adjust_saturation(x, f))
        if i == 3 and params["hue"] is not None:
            out.append(lambda x, f=params["hue"]: fns.adjust_hue(x, f))
    return out


def replay(case, photo):
    rrc, flip, middle = case["record"]["params"]
    size = [224, 224]
    if case["semantics"] == "pil":
        img = Image.fromarray(photo, "RGB")
        img = F.resized_crop(img, rrc["top"], rrc["left"], rrc["height"], rrc["width"], size, InterpolationMode.BILINEAR, antialias=True)
        if flip["flip"]:
            img = F.hflip(img)
        if case["recipe"] == "colorjitter":
            for fn in jitter_fns(middle, False):
                img = fn(img)
        else:
            for op in middle["ops"]:
                img = AA._apply_op(img, op["name"], op["magnitude"], interpolation=InterpolationMode.NEAREST, fill=None)
        u8 = np.array(img, dtype=np.uint8)
        out = F.normalize(F.to_tensor(img), MEAN, STD)
    else:
        t = F2.to_image(Image.fromarray(photo, "RGB"))
        t = F2.resized_crop(t, rrc["top"], rrc["left"], rrc["height"], rrc["width"], size, InterpolationMode.BILINEAR, antialias=True)
        if flip["flip"]:
            t = F2.horizontal_flip(t)
        if case["recipe"] == "colorjitter":
            for fn in jitter_fns(middle, True):
                t = fn(t)
        else:
            host = T2.RandAugment()
            for op in middle["ops"]:
                t = host._apply_image_or_video_transform(t, op["name"], op["magnitude"], InterpolationMode.NEAREST, host._fill)
        u8 = t.permute(1, 2, 0).contiguous().numpy()
        out = F2.normalize(F2.to_dtype(t, torch.float32, scale=True), MEAN, STD)
    f32 = np.ascontiguousarray(out.numpy(), dtype="<f4")
    return sha(np.ascontiguousarray(u8).tobytes()), sha(f32.tobytes())


def main():
    torch.set_num_threads(1)
    with open(os.path.join(OUT, "records.json"), encoding="utf-8") as fh:
        records = json.load(fh)
    samples = base.default_samples_dir()
    photos = {}
    for case in records["cases"]:
        if case["photo"] not in photos:
            with Image.open(os.path.join(samples, case["photo"])) as im:
                photos[case["photo"]] = np.array(im.convert("RGB"), dtype=np.uint8)
    results = {}
    for case in records["cases"]:
        u8, f32 = replay(case, photos[case["photo"]])
        results[case["id"]] = {"u8": u8, "f32": f32}
    doc = {
        "generator": "tests/parity/make_fixtures_e2e.py",
        "versions": base.VERSIONS,
        "cpuSensitive": base.CPU_SENSITIVE,
        "photos": {name: sha(arr.tobytes()) for name, arr in sorted(photos.items())},
        "outputs": results,
    }
    text = json.dumps(doc, indent=1) + "\n"
    with open(os.path.join(OUT, "torchvision.json"), "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    print(f"{len(results)} outputs")


if __name__ == "__main__":
    sys.exit(main())

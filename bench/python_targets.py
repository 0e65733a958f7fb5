"""The detection recipe (RandomZoomOut + RandomIoUCrop + flip + Resize 320 + SanitizeBoundingBoxes, 20
boxes on a 500x375 photo) in the Python host vs torchvision 0.28 v2, one run, one thread:

    .venv/bin/python bench/python_targets.py [seconds]

Prints samples/s per row and the ratios. lockstep draws its own params per key (seed 0, index i),
torchvision from torch.manual_seed(0): the same work, not the same draws. The "zoom + flip + resize"
rows time a pipeline that no transform reads the boxes of, with and without 20 boxes (same draws):
what moving the boxes costs."""
import json
import os
import sys
import time

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

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "python"))
import lockstep  # noqa: E402

torch.set_num_threads(1)
SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
pil = Image.open(os.path.join(HERE, "..", "samples", "chelsea.png")).convert("RGB").resize((500, 375), Image.BILINEAR)
photo = np.asarray(pil).copy()
rows = []
for i in range(20):
    x, y = (i * 97) % 420 + 0.5, (i * 53) % 300 + 0.25
    rows.append([x, y, x + 30 + (i % 5) * 9, y + 25 + (i % 4) * 11])
K = 32


def rate(run):
    """Samples/s of the fastest cycle of K samples."""
    best = float("inf")
    until = time.perf_counter() + 3 * SECONDS
    while True:
        t0 = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - t0)
        if time.perf_counter() > until:
            return K / best


def ours(semantics):
    return lockstep.Compose([lockstep.RandomZoomOut(fill={"image": [123, 117, 104], "mask": 0}), lockstep.RandomIoUCrop(), lockstep.RandomHorizontalFlip(),
                             lockstep.Resize((320, 320)), lockstep.SanitizeBoundingBoxes()], semantics=semantics)


def lockstep_run(t, make):
    def run():
        for i in range(K):
            t(make(), seed=0, index=i)
    return run


def geometric(semantics):
    """Zoom-out, flip and resize: no transform reads the boxes, so the bare image gets the same draws."""
    return lockstep.Compose([lockstep.RandomZoomOut(fill={"image": [123, 117, 104], "mask": 0}), lockstep.RandomHorizontalFlip(),
                             lockstep.Resize((320, 320))], semantics=semantics)


def np_sample():
    return {"image": photo, "boxes": lockstep.BoundingBoxes(rows, format="XYXY", canvas_size=(375, 500)), "labels": np.arange(20) % 7}


def tv_sample(image):
    return image, {"boxes": tv_tensors.BoundingBoxes(torch.tensor(rows), format="XYXY", canvas_size=(375, 500)), "labels": torch.arange(20) % 7}


recipe = v2.Compose([v2.RandomZoomOut(fill={tv_tensors.Image: (123, 117, 104), "others": 0}), v2.RandomIoUCrop(), v2.RandomHorizontalFlip(),
                     v2.Resize((320, 320)), v2.SanitizeBoundingBoxes()])


def torchvision_run(make):
    def run():
        torch.manual_seed(0)
        for _ in range(K):
            recipe(*make())
    return run


tensor = v2.functional.pil_to_tensor(pil)
r = {
    "lockstep tensor (numpy + lockstep targets)": rate(lockstep_run(ours("tensor"), np_sample)),
    "lockstep tensor (tv_tensors)": rate(lockstep_run(ours("tensor"), lambda: tv_sample(tv_tensors.Image(tensor)))),
    "lockstep tensor, zoom + flip + resize, 20 boxes": rate(lockstep_run(geometric("tensor"), np_sample)),
    "lockstep tensor, zoom + flip + resize, image only": rate(lockstep_run(geometric("tensor"), lambda: photo)),
    "torchvision v2 on a uint8 tensor": rate(torchvision_run(lambda: tv_sample(tv_tensors.Image(tensor)))),
    "lockstep pil (numpy + lockstep targets)": rate(lockstep_run(ours("pil"), np_sample)),
    "torchvision v2 on a PIL image": rate(torchvision_run(lambda: tv_sample(pil))),
}
for k, v in r.items():
    print(f"{k:45s} {v:8.1f} samples/s")
print(json.dumps({"torchvision": torchvision.__version__.split("+")[0], "cpu": torch.backends.cpu.get_cpu_capability(),
                  "tensor vs torchvision": round(r["lockstep tensor (numpy + lockstep targets)"] / r["torchvision v2 on a uint8 tensor"], 2),
                  "pil vs torchvision": round(r["lockstep pil (numpy + lockstep targets)"] / r["torchvision v2 on a PIL image"], 2),
                  "20 boxes add": round(r["lockstep tensor, zoom + flip + resize, image only"] / r["lockstep tensor, zoom + flip + resize, 20 boxes"] - 1, 3)}))

# CPU time (best of 5, per sample) of moving the 20 boxes vs the image's pixel work, same params:
# less noisy on a shared machine than the wall-clock rows above.
from lockstep.targets.sample import split_sample  # noqa: E402

geo = geometric("tensor")
records = [geo.apply_with_record(np_sample(), seed=0, index=i)[1] for i in range(K)]
state = split_sample(np_sample()).state


def cpu(fn):
    best = float("inf")
    for _ in range(5):
        c = time.process_time()
        for rec in records:
            fn(rec)
        best = min(best, (time.process_time() - c) / K)
    return best


boxes_ms = cpu(lambda rec: geo.map_targets(rec["params"], rec["meta"], state, "tensor")) * 1e3
image_ms = cpu(lambda rec: geo.replay(photo, rec)) * 1e3
print(f"zoom + flip + resize, CPU per sample: 20 boxes {boxes_ms:.3f} ms, image {image_ms:.3f} ms ({100 * boxes_ms / image_ms:.1f}%)")

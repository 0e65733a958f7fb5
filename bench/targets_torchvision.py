"""torchvision 0.28 v2's detection recipe timed for bench/targets.ts (one thread): prints JSON."""
import json
import os
import sys
import time

import torch
import torch.library

_orig = torch.library.register_fake
torch.library.register_fake = lambda *a, **k: (lambda fn: fn)
import torchvision  # noqa: E402

torch.library.register_fake = _orig
from PIL import Image  # noqa: E402
from torchvision import tv_tensors  # noqa: E402
from torchvision.transforms import v2  # noqa: E402

torch.set_num_threads(1)
SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
here = os.path.dirname(os.path.abspath(__file__))
pil = Image.open(os.path.join(here, "..", "samples", "chelsea.png")).convert("RGB").resize((500, 375), Image.BILINEAR)
rows = []
for i in range(20):
    x, y = (i * 97) % 420 + 0.5, (i * 53) % 300 + 0.25
    rows.append([x, y, x + 30 + (i % 5) * 9, y + 25 + (i % 4) * 11])
recipe = v2.Compose([
    v2.RandomZoomOut(fill={tv_tensors.Image: (123, 117, 104), "others": 0}, side_range=(1.0, 4.0)),
    v2.RandomIoUCrop(),
    v2.RandomHorizontalFlip(),
    v2.Resize((320, 320)),
    v2.SanitizeBoundingBoxes(),
])


def sample(image):
    return image, {"boxes": tv_tensors.BoundingBoxes(torch.tensor(rows), format="XYXY", canvas_size=(375, 500)), "labels": torch.arange(20) % 7}


K = 32


def rate(make):
    """Samples/s of the fastest cycle of K samples (each cycle the same draws: torch.manual_seed(0))."""
    best = float("inf")
    until = time.perf_counter() + 3 * SECONDS
    while True:
        torch.manual_seed(0)
        t0 = time.perf_counter()
        for _ in range(K):
            recipe(*make())
        best = min(best, time.perf_counter() - t0)
        if time.perf_counter() > until:
            return K / best


tensor = v2.functional.pil_to_tensor(pil)
print(json.dumps({
    "version": torchvision.__version__.split("+")[0],
    "cpu": torch.backends.cpu.get_cpu_capability(),
    "tensor": rate(lambda: sample(tv_tensors.Image(tensor))),
    "pil": rate(lambda: sample(pil)),
}))

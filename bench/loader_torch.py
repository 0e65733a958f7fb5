"""torch's DataLoader with torchvision's ImageFolder and the same training recipe as bench/loader.ts
(RandomResizedCrop 224, RandomHorizontalFlip, ToTensor, Normalize), on the same folder: the row
lockstep's Loader is compared with. Prints one JSON line: images/s of the best warm epoch per
worker count. Run by bench/loader.ts (python bench/loader_torch.py DIR BATCH REPEATS W1,W2...)."""
import json
import sys
import time

import torch
import torch.library

_orig = torch.library.register_fake
torch.library.register_fake = lambda *a, **k: (lambda fn: fn)  # CPU torch + CUDA torchvision wheel (PLATFORMS.md)
import torchvision  # noqa: E402
from torchvision import datasets, transforms  # noqa: E402

torch.library.register_fake = _orig

root, batch, repeats, workers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), [int(w) for w in sys.argv[4].split(",")]
torch.set_num_threads(1)
recipe = transforms.Compose([
    transforms.RandomResizedCrop(224),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
ds = datasets.ImageFolder(root, transform=recipe)
out = {"torch": torch.__version__, "torchvision": torchvision.__version__, "rows": {}}
for w in workers:
    loader = torch.utils.data.DataLoader(ds, batch_size=batch, shuffle=True, num_workers=w, persistent_workers=w > 0)
    best = float("inf")
    for r in range(repeats + 1):  # the first epoch starts the workers
        t0 = time.perf_counter()
        for x, y in loader:
            pass
        if r > 0:
            best = min(best, time.perf_counter() - t0)
    out["rows"][w] = len(ds) / best
    del loader
print(json.dumps(out))

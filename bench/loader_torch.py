"""torch's DataLoader with torchvision's ImageFolder and the same training recipe as bench/loader.ts
(RandomResizedCrop 224, RandomHorizontalFlip, ToTensor, Normalize), on the same folder: the row
lockstep's Loader is compared with. Run by bench/loader.ts as `python bench/loader_torch.py DIR BATCH`:
it then reads one worker count a line on stdin, runs one epoch of a persistent DataLoader with
that many workers (made on first use, as lockstep's) and prints the epoch's seconds as one JSON
line; so lockstep's and torch's epochs alternate in one run and share the machine's load. With
the seconds come the CPU seconds the epoch took: this process's (all its threads) plus its
workers' (read from /proc, as workers are processes), so a round that other processes slowed
shows as wall time without CPU time; and the minor page faults (the same sources). The first line it prints names the versions."""
import json
import os
import resource
import sys
import time

import torch
import torch.library

_orig = torch.library.register_fake
torch.library.register_fake = lambda *a, **k: (lambda fn: fn)  # CPU torch + CUDA torchvision wheel (PLATFORMS.md)
import torchvision  # noqa: E402
from torchvision import datasets, transforms  # noqa: E402

torch.library.register_fake = _orig

root, batch = sys.argv[1], int(sys.argv[2])
torch.set_num_threads(1)
recipe = transforms.Compose([
    transforms.RandomResizedCrop(224),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
ds = datasets.ImageFolder(root, transform=recipe)
loaders = {}
print(json.dumps({"torch": torch.__version__, "torchvision": torchvision.__version__, "images": len(ds)}), flush=True)
TICK = os.sysconf("SC_CLK_TCK")


def workers_usage(loader):
    """CPU seconds and minor page faults of the DataLoader's worker processes so far (0 without workers)."""
    it = getattr(loader, "_iterator", None)
    cpu, faults = 0.0, 0
    for p in getattr(it, "_workers", []) if it is not None else []:
        try:
            with open(f"/proc/{p.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            cpu += (int(fields[11]) + int(fields[12])) / TICK  # utime, stime
            faults += int(fields[7])  # minflt
        except OSError:
            pass
    return cpu, faults


def usage(loader):
    cpu, faults = workers_usage(loader)
    return time.process_time() + cpu, resource.getrusage(resource.RUSAGE_SELF).ru_minflt + faults


for line in sys.stdin:
    w = int(line)
    if w not in loaders:
        loaders[w] = torch.utils.data.DataLoader(ds, batch_size=batch, shuffle=True, num_workers=w, persistent_workers=w > 0)
    loader = loaders[w]
    c0, f0 = usage(loader)
    t0 = time.perf_counter()
    for x, y in loader:
        pass
    seconds = time.perf_counter() - t0
    c1, f1 = usage(loader)
    print(json.dumps({"seconds": seconds, "cpu": c1 - c0, "faults": f1 - f0}), flush=True)

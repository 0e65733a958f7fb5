"""lockstep for Python, one run, ratios (not part of the tests):

1. the training recipe (RandomResizedCrop 224, RandomHorizontalFlip, ToTensor, Normalize) on one
   500x375 RGB image with out=: the Python host vs the Node host (bench/python_node.ts) vs
   torchvision 0.28 on a PIL image; and the same recipe under semantics="tensor" vs torchvision 0.28's
   v2 transforms on a uint8 tensor (ToImage ... ToDtype(float32, scale=True), the pipeline it reproduces);
2. DataLoader throughput (batch 32, PNG files; lockstep decodes them in the kernel, ImageFolder with
   Pillow, the same bytes) at num_workers 0 and 2: lockstep.torch.DataLoader vs torchvision's
   ImageFolder + the same transforms.

Run from the repository root: .venv/bin/python bench/python.py [seconds per measurement]
"""
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "python"))

import torch  # noqa: E402
import torch.library  # noqa: E402
from PIL import Image  # noqa: E402

_orig = torch.library.register_fake
torch.library.register_fake = lambda *a, **k: (lambda fn: fn)  # torchvision 0.28's CUDA wheel on a CPU torch (PLATFORMS.md)
import torchvision  # noqa: E402
from torchvision import transforms as T  # noqa: E402
from torchvision.transforms import v2  # noqa: E402
torch.library.register_fake = _orig

import lockstep  # noqa: E402
import lockstep.torch as LT  # noqa: E402

SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
torch.set_num_threads(1)


def rate(fn, seconds=SECONDS, warm=20, cpu=False):
    """Calls per second of wall time (or, cpu=True, (wall rate, rate per second of this process's CPU time))."""
    for i in range(warm):
        fn(i)
    n, t0, c0 = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - t0 < seconds:
        fn(n)
        n += 1
    wall = n / (time.perf_counter() - t0)
    return (wall, n / (time.process_time() - c0)) if cpu else wall


def photo() -> np.ndarray:
    src = Image.open(ROOT / "samples" / "coffee.png").convert("RGB").resize((500, 375), Image.BILINEAR)
    return np.ascontiguousarray(np.asarray(src))


ROUNDS = 5


def recipe_rows(img: np.ndarray):
    """Python, Node and torchvision interleaved for ROUNDS rounds; the best round of each (the machine is shared)."""
    import json
    recipe = lockstep.Compose([lockstep.RandomResizedCrop(224), lockstep.RandomHorizontalFlip(), lockstep.ToTensor(), lockstep.Normalize(MEAN, STD)])
    out = np.empty((3, 224, 224), np.float32)
    pil = Image.fromarray(img)
    tv = T.Compose([T.RandomResizedCrop(224), T.RandomHorizontalFlip(), T.ToTensor(), T.Normalize(MEAN, STD)])
    py, node, tvr = [], [], []
    with tempfile.NamedTemporaryFile(suffix=".raw") as f:
        f.write(img.tobytes())
        f.flush()
        p = subprocess.Popen(["node", "--import", "tsx", str(ROOT / "bench" / "python_node.ts"), f.name, str(SECONDS)], cwd=ROOT,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        json.loads(p.stdout.readline())  # ready
        for _ in range(ROUNDS):
            py.append(rate(lambda i: recipe(img, seed=1, index=i, out=out), cpu=True))
            p.stdin.write("go\n")
            p.stdin.flush()
            r = json.loads(p.stdout.readline())
            node.append((r["imagesPerSecond"], r["imagesPerCpuSecond"]))
            tvr.append(rate(lambda i: tv(pil), cpu=True))
        p.stdin.close()
        p.wait()
    best = lambda rows, k: max(r[k] for r in rows)  # noqa: E731
    return [(best(py, k), best(node, k), best(tvr, k)) for k in (0, 1)]


def tensor_rows(img: np.ndarray):
    """semantics="tensor" in Python vs torchvision v2 on a uint8 tensor, interleaved; the best round of each."""
    recipe = lockstep.Compose([lockstep.RandomResizedCrop(224), lockstep.RandomHorizontalFlip(), lockstep.ToTensor(), lockstep.Normalize(MEAN, STD)], semantics="tensor")
    out = np.empty((3, 224, 224), np.float32)
    chw = torch.from_numpy(img.copy()).permute(2, 0, 1).contiguous()
    tv = v2.Compose([v2.ToImage(), v2.RandomResizedCrop(224, antialias=True), v2.RandomHorizontalFlip(), v2.ToDtype(torch.float32, scale=True), v2.Normalize(MEAN, STD)])
    py, tvr = [], []
    for _ in range(ROUNDS):
        py.append(rate(lambda i: recipe(img, seed=1, index=i, out=out), cpu=True))
        tvr.append(rate(lambda i: tv(chw), cpu=True))
    return [(max(r[k] for r in py), max(r[k] for r in tvr)) for k in (0, 1)]


def folder(n: int = 64) -> Path:
    root = Path(tempfile.mkdtemp(prefix="lockstep-bench-"))
    img = Image.fromarray(photo())
    for c in ("a", "b"):
        (root / c).mkdir()
        for i in range(n // 2):
            img.rotate(i * 3).save(root / c / f"{i:03d}.png", compress_level=1)
    return root


def loader_rate(make, images: int, passes: int = 2) -> float:
    loader = make()
    for _ in loader:  # warm: workers, kernels, caches
        break
    t0 = time.perf_counter()
    for _ in range(passes):
        for x, y in loader:
            pass
    return images * passes / (time.perf_counter() - t0)


def main() -> None:
    img = photo()
    (py, node, tvr), (pyc, nodec, tvc) = recipe_rows(img)
    (tpy, tv2), (tpyc, tv2c) = tensor_rows(img)
    root = folder()
    files, labels, _ = LT.image_folder(root)
    pipe = lockstep.Compose([lockstep.RandomResizedCrop(224), lockstep.RandomHorizontalFlip(), lockstep.ToTensor(), lockstep.Normalize(MEAN, STD)])
    ds = LT.Dataset(files, pipe, seed=1, labels=labels)
    tvds = torchvision.datasets.ImageFolder(str(root), transform=T.Compose([T.RandomResizedCrop(224), T.RandomHorizontalFlip(), T.ToTensor(), T.Normalize(MEAN, STD)]))
    rows = []
    for workers in (0, 2):
        ls = loader_rate(lambda: LT.DataLoader(ds, batch_size=32, shuffle=True, num_workers=workers, persistent_workers=workers > 0), len(files))
        tv = loader_rate(lambda: torch.utils.data.DataLoader(tvds, batch_size=32, shuffle=True, num_workers=workers, persistent_workers=workers > 0), len(files))
        rows.append((workers, ls, tv))
    print(f"machine: {os.cpu_count()} cores (shared); one run; recipe rows: best of {ROUNDS} interleaved rounds of {SECONDS:g} s; torch threads 1")
    print("| | lockstep (Python) | vs Node lockstep | vs torchvision 0.28 (PIL) |")
    print("|---|---|---|---|")
    print(f"| training recipe, 500x375 -> 224, out=, wall time | {py:.0f} img/s | {py / node:.2f}x (Node {node:.0f} img/s) | {py / tvr:.2f}x (torchvision {tvr:.0f} img/s) |")
    print(f"| the same, per CPU second of the process | {pyc:.0f} img/s | {pyc / nodec:.2f}x (Node {nodec:.0f} img/s) | {pyc / tvc:.2f}x (torchvision {tvc:.0f} img/s) |")
    print(f"| the recipe under semantics=\"tensor\", wall time / per CPU second | {tpy:.0f} / {tpyc:.0f} img/s | | {tpy / tv2:.2f}x / {tpyc / tv2c:.2f}x vs torchvision v2 on a uint8 tensor ({tv2:.0f} / {tv2c:.0f} img/s) |")
    for workers, ls, tv in rows:
        print(f"| DataLoader, PNG 500x375, batch 32, num_workers={workers} | {ls:.0f} img/s | | {ls / tv:.2f}x (ImageFolder + transforms {tv:.0f} img/s) |")


if __name__ == "__main__":
    main()

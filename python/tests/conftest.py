"""Shared helpers: the repository, the JavaScript host (the TypeScript sources through tsx, run in
the same test run), and small images."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def node(script: str, arg: str | None = None, stdin: str | None = None, timeout: int = 120) -> str:
    """Runs python/tests/js/<script> with Node + tsx from the repository root; its stdout."""
    cmd = ["node", "--import", "tsx", str(HERE / "js" / script)] + ([arg] if arg is not None else [])
    r = subprocess.run(cmd, cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stderr[-3000:]}")
    return r.stdout


def js_host(request: dict) -> object:
    """One request to python/tests/js/host.ts (the JavaScript host's answers)."""
    return json.loads(node("host.ts", stdin=json.dumps(request)))


def js_loader(options: dict) -> list:
    """The JavaScript Loader's batches for options (python/tests/js/loader.ts): one dict per batch."""
    return [json.loads(line) for line in node("loader.ts", json.dumps(options)).splitlines() if line.strip()]


def sha256(a) -> str:
    a = a.numpy() if hasattr(a, "numpy") else a
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()


def photo(w: int = 64, h: int = 48, c: int = 3, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (h, w, c), dtype=np.uint8)


@pytest.fixture(scope="session")
def image_folder(tmp_path_factory) -> Path:
    """root/<class>/<n>.png, 2 classes, 11 PNGs of assorted sizes (lossless: Pillow and the JavaScript decoder agree)."""
    from PIL import Image
    root = tmp_path_factory.mktemp("folder")
    rng = np.random.default_rng(3)
    for c, n in (("cat", 6), ("dog", 5)):
        (root / c).mkdir()
        for i in range(n):
            h, w = rng.integers(28, 70, 2)
            Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8)).save(root / c / f"{i:02d}.png")
    return root

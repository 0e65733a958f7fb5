"""pip's view: the wheel carries build/lockstep.wasm and works from anywhere; a missing kernel is a
clear error that says how to build it."""
import os
import subprocess
import sys
import zipfile

from conftest import ROOT

PY = ROOT / "python"


def build_wheel(out, env=None):
    return subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", str(PY), "-w", str(out)],
                          capture_output=True, text=True, env=env, timeout=300)


def test_the_wheel_carries_the_kernel_and_runs_outside_the_repository(tmp_path):
    r = build_wheel(tmp_path / "dist")
    assert r.returncode == 0, r.stderr[-2000:]
    wheel = next((tmp_path / "dist").glob("lockstep-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "lockstep/lockstep.wasm" in names and "lockstep/torch.py" in names and "lockstep/targets/boxes.py" in names
    assert zipfile.ZipFile(wheel).read("lockstep/lockstep.wasm") == (ROOT / "build" / "lockstep.wasm").read_bytes()
    site = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", str(site), str(wheel)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    code = ("import lockstep, numpy as np; from lockstep.kernel.instance import default_wasm_path as p; print(p()); "
            "print(lockstep.philox4x32([0,0,0,0],[0,0])[0] == 0x6627e8d5, lockstep.RandomCrop(4)({\"image\": np.zeros((8,8,3),np.uint8), \"boxes\": lockstep.BoundingBoxes([[0,0,8,8]], format=\"XYXY\", canvas_size=(8,8))}, seed=1)[\"image\"].shape)")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "LOCKSTEP_WASM")}
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env={**env, "PYTHONPATH": str(site)}, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    lines = r.stdout.splitlines()
    assert lines[0].startswith(str(site)) and lines[1] == "True (4, 4, 3)"


def test_a_missing_kernel_says_to_build_it(tmp_path):
    r = build_wheel(tmp_path / "dist", env={**os.environ, "LOCKSTEP_WASM": str(tmp_path / "nope.wasm")})
    assert r.returncode != 0
    assert "npm run build:wasm" in r.stdout + r.stderr
    code = "import lockstep; lockstep.ready()"
    r = subprocess.run([sys.executable, "-c", code], env={**os.environ, "LOCKSTEP_WASM": str(tmp_path / "nope.wasm"), "PYTHONPATH": str(PY)}, capture_output=True, text=True, timeout=120)
    assert r.returncode != 0 and "npm run build:wasm" in r.stderr

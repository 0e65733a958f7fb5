"""Builds the wheel with the kernel inside: build/lockstep.wasm (made by `npm run build:wasm` in the
repository root) is copied into the package at build time."""
import os
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
WASM = Path(os.environ.get("LOCKSTEP_WASM", HERE.parent / "build" / "lockstep.wasm"))


class BuildWithKernel(build_py):
    def run(self):
        super().run()
        if not WASM.exists():
            raise SystemExit(
                f"lockstep: {WASM} is missing. Build the kernel first: run `npm run build:wasm` (or `npm ci`) "
                "in the repository root, then pip install ./python again."
            )
        target = Path(self.build_lib) / "lockstep" / "lockstep.wasm"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(WASM, target)


setup(cmdclass={"build_py": BuildWithKernel})

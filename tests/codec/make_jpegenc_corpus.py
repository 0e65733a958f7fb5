#!/usr/bin/env python3
"""Writes the JPEG encoder's fixtures: tests/codec/jpegenc/manifest.json.

Run with Pillow 12.3 and torchvision 0.28 (the venv): /work/venv/bin/python tests/codec/make_jpegenc_corpus.py

The oracle is torchvision's encode_jpeg(img, quality): libjpeg-turbo with jpeg_set_defaults,
then jpeg_set_quality(quality, TRUE), RGB (JCS_RGB -> YCbCr 4:2:0) or grey (JCS_GRAYSCALE).
torchvision's C++ ops cannot load on this CPU-only torch, so the bytes come from Pillow's
Image.save(f, "JPEG", quality=q), which makes the same libjpeg-turbo calls (JpegEncode.c:
jpeg_set_defaults, jpeg_set_quality(q, TRUE), default subsampling, no optimize, progressive,
restart, smoothing, dpi, EXIF, ICC or comment for a plain image) - and the script proves the
equivalence on every case: tests/codec/tv_jpeg.c makes torchvision's exact calls and is linked
with the libjpeg-turbo 3.1 bundled in torchvision's wheel (torchvision.libs/libjpeg*.so.8), and
with Debian's libjpeg-turbo 2.1 (the library of its cjpeg/djpeg); all three must write the same
file, and torchvision's decode_jpeg calls must decode it to the pixels Pillow decodes. The
manifest records which checks ran (they need gcc and libjpeg62-turbo-dev's headers).

For every case the manifest holds the input recipe (a synthetic pattern both this script and
tests/helpers/jpegenc.ts compute, or a sample photo, whole or cropped), the quality, the file's
SHA-256 and length, and the SHA-256 of what torchvision.transforms.v2.functional.jpeg returns for
the same image as a PIL image (save, then open: the round trip lockstep's F.jpeg reproduces;
every seventh case also through the v2.JPEG transform class).
"""

from __future__ import annotations

import glob
import hashlib
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import PIL
from PIL import Image, features

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "jpegenc")
ROOT = os.path.dirname(os.path.dirname(HERE))
SAMPLES = os.path.join(ROOT, "samples")
PHOTOS = ["astronaut.png", "chelsea.png", "coffee.png"]


def sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


# ---------------------------------------------------------------------------- inputs


def h32(x: np.ndarray, y: np.ndarray, c: np.ndarray, seed: int) -> np.ndarray:
    """A 32-bit integer hash (mirrored in tests/helpers/jpegenc.ts)."""
    m = 0xFFFFFFFF
    v = (x * 0x9E3779B1 + y * 0x85EBCA77 + c * 0xC2B2AE3D + seed * 0x27D4EB2F) & m
    v ^= v >> 15
    v = (v * 0x2C1B3C6D) & m
    v ^= v >> 12
    v = (v * 0x297A2D39) & m
    v ^= v >> 15
    return v


def synth(kind: str, w: int, h: int, ch: int, seed: int) -> np.ndarray:
    """Synthetic HWC uint8 patterns (mirrored in tests/helpers/jpegenc.ts)."""
    y, x, c = np.meshgrid(np.arange(h, dtype=np.int64), np.arange(w, dtype=np.int64), np.arange(ch, dtype=np.int64), indexing="ij")
    if kind == "noise":
        v = h32(x, y, c, seed) & 255
    elif kind == "gradient":
        v = ((x * 256 * (c + 1)) // w + (y * 256) // h + seed) & 255
    elif kind == "blocks":
        v = ((x >> 2) * 37 + (y >> 3) * 91 + c * 53 + seed) & 255
    elif kind == "flat":
        v = np.full_like(x, seed & 255)
    elif kind == "extremes":
        # Black and white stripes and checks: the largest DCT coefficients 8-bit data can give.
        v = np.where((((x >> 1) + (y >> 2) + (h32(x >> 3, y >> 3, c * 0, seed) & 1)) & 1) == 1, 255, 0)
    else:
        raise ValueError(kind)
    return v.astype(np.uint8)


def photo(name: str, channels: int, crop: list[int] | None) -> np.ndarray:
    """A sample photo as RGB, or its green channel for grey; optionally cropped [left, top, w, h]."""
    arr = np.asarray(Image.open(os.path.join(SAMPLES, name)).convert("RGB"))
    if crop:
        left, top, w, h = crop
        arr = arr[top:top + h, left:left + w]
    if channels == 1:
        arr = arr[:, :, 1:2]
    return np.ascontiguousarray(arr)


def pixels_of(case: dict) -> np.ndarray:
    src = case["input"]
    if src["kind"] == "photo":
        return photo(src["name"], src["channels"], src.get("crop"))
    return synth(src["kind"], src["width"], src["height"], src["channels"], src["seed"])


def to_pil(arr: np.ndarray) -> Image.Image:
    return Image.fromarray(arr[:, :, 0], "L") if arr.shape[2] == 1 else Image.fromarray(arr, "RGB")


# ---------------------------------------------------------------------------- references


def pillow_encode(arr: np.ndarray, quality: int) -> bytes:
    buf = io.BytesIO()
    to_pil(arr).save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def pillow_decode(data: bytes) -> bytes:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im.tobytes()


def import_torchvision():
    """torchvision 0.28 with its C++ op registrations skipped (they cannot load on CPU torch)."""
    import torch
    import torch.library

    orig = torch.library.register_fake
    torch.library.register_fake = lambda *a, **k: (lambda fn: fn)
    try:
        import torchvision
        from torchvision.transforms.v2 import functional as TF
    finally:
        torch.library.register_fake = orig
    return torchvision, TF


class Harness:
    """tests/codec/tv_jpeg.c linked with one libjpeg."""

    def __init__(self, exe: str, label: str):
        self.exe = exe
        self.label = label

    def encode(self, arr: np.ndarray, quality: int) -> bytes:
        h, w, c = arr.shape
        r = subprocess.run([self.exe, "encode", str(w), str(h), str(c), str(quality)], input=arr.tobytes(), capture_output=True, check=True)
        return r.stdout

    def decode(self, data: bytes) -> bytes:
        r = subprocess.run([self.exe, "decode"], input=data, capture_output=True, check=True)
        head, _, px = r.stdout.partition(b"\n")
        return px


def build_harnesses(tmp: str) -> tuple[list[Harness], list[str]]:
    """Compiles tv_jpeg.c against torchvision's bundled libjpeg-turbo and Debian's; what could not be built is reported."""
    notes: list[str] = []
    out: list[Harness] = []
    cc = shutil.which("gcc") or shutil.which("cc")
    conf = "/usr/include/x86_64-linux-gnu/jconfig.h"
    if not cc or not os.path.exists("/usr/include/jpeglib.h") or not os.path.exists(conf):
        return out, ["no C compiler or libjpeg headers (apt-get install gcc libjpeg62-turbo-dev): cross-checks skipped"]
    src = os.path.join(HERE, "tv_jpeg.c")
    spec = importlib.util.find_spec("torchvision")
    libs = glob.glob(os.path.join(os.path.dirname(os.path.dirname(spec.origin)), "torchvision.libs", "libjpeg*.so.8")) if spec else []
    if libs:
        # The wheel's library speaks the libjpeg 8 ABI: compile with JPEG_LIB_VERSION 80.
        inc = os.path.join(tmp, "inc")
        lib = os.path.join(tmp, "lib")
        os.makedirs(inc)
        os.makedirs(lib)
        with open(conf) as fh:
            text = fh.read()
        with open(os.path.join(inc, "jconfig.h"), "w") as fh:
            fh.write(text.replace("#define JPEG_LIB_VERSION  62", "#define JPEG_LIB_VERSION  80"))
        os.symlink(libs[0], os.path.join(lib, "libjpeg.so.8"))
        exe = os.path.join(tmp, "tv_jpeg_torchvision")
        subprocess.run([cc, "-O1", "-I", inc, "-o", exe, src, os.path.join(lib, "libjpeg.so.8"), f"-Wl,-rpath,{lib}"], check=True)
        out.append(Harness(exe, f"torchvision {os.path.basename(libs[0])} ({lib_version(libs[0])})"))
    else:
        notes.append("torchvision.libs/libjpeg*.so.8 not found: the torchvision cross-check was skipped")
    exe = os.path.join(tmp, "tv_jpeg_debian")
    r = subprocess.run([cc, "-O1", "-o", exe, src, "-ljpeg"], capture_output=True)
    if r.returncode == 0:
        out.append(Harness(exe, f"Debian libjpeg-turbo {deb_version()}"))
    else:
        notes.append("Debian's libjpeg could not be linked: that cross-check was skipped")
    return out, notes


def lib_version(path: str) -> str:
    with open(path, "rb") as fh:
        data = fh.read()
    i = data.find(b"libjpeg-turbo version ")
    return data[i:data.find(b"\0", i)].decode() if i >= 0 else "unknown"


def deb_version() -> str:
    r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "libjpeg62-turbo"], capture_output=True, text=True)
    return r.stdout.strip() or "unknown"


# ---------------------------------------------------------------------------- cases


def cases() -> list[dict]:
    out: list[dict] = []

    def add(inp: dict, quality: int) -> None:
        out.append({"input": inp, "quality": quality})

    # Every size class the edges care about: MCU multiples, one more, one less, 1 pixel wide/high.
    sides = [1, 2, 3, 7, 8, 9, 15, 16, 17, 23, 24, 31, 32, 33, 47, 49]
    qs = [1, 5, 10, 20, 24, 25, 26, 40, 50, 60, 75, 85, 90, 95, 99, 100]
    kinds = ["noise", "gradient", "blocks", "extremes"]
    n = 0
    for i, w in enumerate(sides):
        for j, h in enumerate(sides):
            if (i + j) % 3 != 0 and not (w <= 2 or h <= 2):
                continue
            for ch in (3, 1):
                kind = kinds[n % len(kinds)]
                add({"kind": kind, "width": w, "height": h, "channels": ch, "seed": n}, qs[n % len(qs)])
                n += 1
    # Wider images (several MCUs a row, odd remainders).
    for w, h in [(100, 75), (129, 65), (250, 3), (3, 250), (64, 64), (120, 97)]:
        for ch in (3, 1):
            for kind in ("noise", "gradient", "blocks", "extremes", "flat"):
                add({"kind": kind, "width": w, "height": h, "channels": ch, "seed": n}, qs[n % len(qs)])
                n += 1
    # Every quality on one small photo crop, RGB and grey.
    for q in range(1, 101):
        add({"kind": "photo", "name": "chelsea.png", "channels": 3, "crop": [150, 60, 45, 38]}, q)
        add({"kind": "photo", "name": "chelsea.png", "channels": 1, "crop": [150, 60, 45, 38]}, q)
    # Whole photos.
    for name in PHOTOS:
        for ch in (3, 1):
            for q in (10, 50, 75, 95, 100):
                add({"kind": "photo", "name": name, "channels": ch}, q)
    return out


def main() -> None:
    torchvision, TF = import_torchvision()
    from torchvision.transforms import v2
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    with tempfile.TemporaryDirectory() as tmp:
        harnesses, notes = build_harnesses(tmp)
        records = []
        for i, c in enumerate(cases()):
            arr = pixels_of(c)
            data = pillow_encode(arr, c["quality"])
            decoded = pillow_decode(data)
            # torchvision's own transform on the PIL image (its PIL kernel: save, then open).
            tv = TF.jpeg(to_pil(arr), c["quality"])
            if tv.tobytes() != decoded:
                raise SystemExit(f"case {i}: torchvision.transforms.v2.functional.jpeg differs from Pillow's round trip")
            if i % 7 == 0:
                # The transform class too (a fixed quality draws nothing that matters).
                q = c["quality"]
                for t in (v2.JPEG(q), v2.JPEG([q, q])):
                    if t(to_pil(arr)).tobytes() != decoded:
                        raise SystemExit(f"case {i}: torchvision.transforms.v2.JPEG differs from Pillow's round trip")
            for hn in harnesses:
                if hn.encode(arr, c["quality"]) != data:
                    raise SystemExit(f"case {i}: {hn.label} writes other bytes than Pillow: {c}")
                if hn.decode(data) != decoded:
                    raise SystemExit(f"case {i}: {hn.label} decodes other pixels than Pillow: {c}")
            h, w, ch = arr.shape
            records.append({**c, "width": w, "height": h, "bytes": len(data), "jpeg": sha(data), "roundtrip": sha(decoded)})
        manifest = {
            "generator": "tests/codec/make_jpegenc_corpus.py",
            "pillow": PIL.__version__,
            "libjpeg_turbo": features.version("libjpeg_turbo"),
            "torchvision": torchvision.__version__,
            "numpy": np.__version__,
            "checked_against": [hn.label for hn in harnesses],
            "notes": notes,
            "cases": records,
        }
    with open(os.path.join(OUT, "manifest.json"), "w") as fh:
        fh.write("{\n")
        keys = [k for k in manifest if k != "cases"]
        for k in keys:
            fh.write(f"  {json.dumps(k)}: {json.dumps(manifest[k])},\n")
        fh.write('  "cases": [\n')
        fh.write(",\n".join("    " + json.dumps(r, separators=(",", ":")) for r in records))
        fh.write("\n  ]\n}\n")
    print(f"{len(records)} cases; checked against: {manifest['checked_against']}; notes: {notes}")


if __name__ == "__main__":
    main()

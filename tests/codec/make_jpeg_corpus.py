#!/usr/bin/env python3
"""Writes the JPEG decoder's fixture corpus: tests/codec/jpeg/*.jpg and manifest.json.

Run with Pillow 12.3 (the oracle): /work/venv/bin/python tests/codec/make_jpeg_corpus.py
Needs libjpeg-turbo's cjpeg/jpegtran (apt-get install libjpeg-turbo-progs) and opencv-python
to make some of the files; the tests need neither (inputs and manifest are committed).

For every file the manifest records what Pillow gives: the SHA-256 of Image.open(f).tobytes()
(the native mode), of .convert("RGB"), .convert("L"), .convert("RGBA"), and of
ImageOps.exif_transpose(im).tobytes() - or the error Pillow raises. Mutations (truncations,
byte flips, corrupted tables) are stored as recipes over corpus files, with Pillow's outcome
by default and under ImageFile.LOAD_TRUNCATED_IMAGES.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import warnings

import numpy as np
from PIL import Image, ImageFile, ImageOps, features

import PIL

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "jpeg")
ROOT = os.path.dirname(os.path.dirname(HERE))
SAMPLES = os.path.join(ROOT, "samples")

warnings.simplefilter("ignore")
Image.MAX_IMAGE_PIXELS = None

files: list[dict] = []
mutations: list[dict] = []
data_of: dict[str, bytes] = {}


def sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def tool_version(cmd: list[str]) -> str:
    try:
        r = subprocess.run(cmd, capture_output=True, text=True)
        return (r.stdout + r.stderr).strip().splitlines()[0]
    except OSError:
        return "missing"


# ---------------------------------------------------------------------------- the oracle


def pillow_outcome(data: bytes, truncated_ok: bool = False) -> dict:
    ImageFile.LOAD_TRUNCATED_IMAGES = truncated_ok
    try:
        im = Image.open(io.BytesIO(data))
        im.load()
        out = {"mode": im.mode, "width": im.size[0], "height": im.size[1], "native": sha(im.tobytes())}
        return out
    except Exception as e:  # noqa: BLE001 - any failure is an outcome
        return {"error": re.sub(r" at 0x[0-9a-f]+", "", f"{type(e).__name__}: {e}")}
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = False


def full_record(data: bytes) -> dict:
    rec = pillow_outcome(data)
    if "error" in rec:
        return rec
    im = Image.open(io.BytesIO(data))
    im.load()
    for mode in ("RGB", "L", "RGBA"):
        rec[mode.lower()] = sha(im.convert(mode).tobytes())
    try:
        t = ImageOps.exif_transpose(im)
        rec["exif_transpose"] = sha(t.tobytes())
        rec["transposed_size"] = list(t.size)
    except Exception as e:  # noqa: BLE001
        rec["exif_transpose_error"] = f"{type(e).__name__}: {e}"
    return rec


def add(name: str, data: bytes, category: str, tool: str, oracle: bool = True, **extra) -> None:
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        f.write(data)
    data_of[name] = data
    rec = {"name": name, "category": category, "tool": tool, "bytes": len(data)}
    rec.update(extra)
    if oracle:
        rec.update(full_record(data))
    else:
        rec["pillow_skipped"] = "not run: Pillow would decode a 134-megapixel grey image"
    files.append(rec)


# ---------------------------------------------------------------------------- encoders


def pil_jpeg(im: Image.Image, **kw) -> bytes:
    b = io.BytesIO()
    im.save(b, "JPEG", **kw)
    return b.getvalue()


def ppm(arr: np.ndarray) -> bytes:
    if arr.ndim == 2:
        return b"P5\n%d %d\n255\n" % (arr.shape[1], arr.shape[0]) + arr.astype(np.uint8).tobytes()
    return b"P6\n%d %d\n255\n" % (arr.shape[1], arr.shape[0]) + arr.astype(np.uint8).tobytes()


def cjpeg(arr: np.ndarray, *args: str, scans: str | None = None) -> bytes:
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "in.ppm")
        with open(src, "wb") as f:
            f.write(ppm(arr))
        cmd = ["cjpeg", *args]
        if scans is not None:
            sp = os.path.join(d, "scans.txt")
            with open(sp, "w") as f:
                f.write(scans)
            cmd += ["-scans", sp]
        r = subprocess.run(cmd + [src], capture_output=True)
        if r.returncode != 0:
            raise RuntimeError(f"{cmd}: {r.stderr.decode()}")
        return r.stdout


def try_add(name: str, make, *rest, **kw) -> None:
    try:
        data = make()
    except RuntimeError as e:
        print(f"skipped {name}: {e}".strip())
        return
    add(name, data, *rest, **kw)


def jpegtran(data: bytes, *args: str, scans: str | None = None) -> bytes:
    with tempfile.TemporaryDirectory() as d:
        cmd = ["jpegtran", *args]
        if scans is not None:
            sp = os.path.join(d, "scans.txt")
            with open(sp, "w") as f:
                f.write(scans)
            cmd += ["-scans", sp]
        r = subprocess.run(cmd, input=data, capture_output=True)
        if r.returncode != 0:
            raise RuntimeError(f"{cmd}: {r.stderr.decode()}")
        return r.stdout


def cv2_jpeg(arr: np.ndarray, params: list[int]) -> bytes:
    import cv2

    bgr = arr[:, :, ::-1] if arr.ndim == 3 else arr
    ok, buf = cv2.imencode(".jpg", np.ascontiguousarray(bgr), params)
    assert ok
    return buf.tobytes()


# ---------------------------------------------------------------------------- marker surgery


def segments(data: bytes) -> list[tuple[int, int, int]]:
    """(marker, start, end) of each segment before the first SOS (end: after its payload)."""
    out = []
    p = 2
    while p + 4 <= len(data):
        assert data[p] == 0xFF, p
        m = data[p + 1]
        n = struct.unpack(">H", data[p + 2 : p + 4])[0]
        out.append((m, p, p + 2 + n))
        if m == 0xDA:
            break
        p += 2 + n
    return out


def strip_markers(data: bytes, marker: int) -> bytes:
    out = data
    for m, s, e in reversed(segments(data)):
        if m == marker:
            out = out[:s] + out[e:]
    return out


def insert_after_soi(data: bytes, seg: bytes) -> bytes:
    return data[:2] + seg + data[2:]


def app(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def sof_offset(data: bytes) -> int:
    for m, s, e in segments(data):
        if m in (0xC0, 0xC1, 0xC2, 0xC3, 0xC9, 0xCA, 0xCB):
            return s
    raise ValueError("no SOF")


def patch(data: bytes, at: int, new: bytes) -> bytes:
    return data[:at] + new + data[at + len(new) :]


# ---------------------------------------------------------------------------- a coefficient-level encoder

ZIGZAG = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
    12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
    35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
    58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]


class Bits:
    def __init__(self) -> None:
        self.acc = 0
        self.n = 0
        self.out = bytearray()

    def put(self, v: int, n: int) -> None:
        for i in range(n - 1, -1, -1):
            self.acc = (self.acc << 1) | ((v >> i) & 1)
            self.n += 1
            if self.n == 8:
                self.out.append(self.acc)
                if self.acc == 0xFF:
                    self.out.append(0)
                self.acc = 0
                self.n = 0

    def flush(self) -> bytes:
        if self.n:
            self.put((1 << (8 - self.n)) - 1, 8 - self.n)
        return bytes(self.out)


def magnitude(v: int) -> tuple[int, int]:
    a = abs(v)
    s = a.bit_length()
    bits = v if v >= 0 else v + (1 << s) - 1
    return s, bits


def raw_grey_jpeg(width: int, height: int, blocks: list, quant: list[int], ac_len: int = 9) -> bytes:
    """Baseline-syntax grey JPEG from explicit blocks. A block is a list of 64 quantized
    coefficients (natural order), or ("symbols", dc_diff, [(run, size, value), ...]) written as
    given (for runs past the end of the block). DC table: 16 codes of 5 bits; AC table: all 256
    symbols with codes of `ac_len` bits. 16-bit quantizers make it SOF1 with a 16-bit DQT."""
    wide = max(quant) > 255
    out = bytearray(b"\xff\xd8")
    if wide:
        q = bytes([0x10]) + b"".join(struct.pack(">H", quant[ZIGZAG[i]]) for i in range(64))
    else:
        q = bytes([0x00]) + bytes(quant[ZIGZAG[i]] for i in range(64))
    out += app(0xDB, q)
    out += app(0xC1 if wide else 0xC0, struct.pack(">BHHB", 8, height, width, 1) + bytes([1, 0x11, 0]))
    dc_bits = [0] * 16
    dc_bits[4] = 16
    out += app(0xC4, bytes([0x00]) + bytes(dc_bits) + bytes(range(16)))
    # 255 codes of ac_len bits, the last symbol (0xFF) one bit longer: canonical codes.
    ac_bits = [0] * 16
    ac_bits[ac_len - 1] = 255
    ac_bits[ac_len] = 1
    out += app(0xC4, bytes([0x10]) + bytes(ac_bits) + bytes(range(256)))
    ac_code = {sym: (sym, ac_len) for sym in range(255)}
    ac_code[255] = (255 << 1, ac_len + 1)

    def put_ac(bw: "Bits", sym: int) -> None:
        code, n = ac_code[sym]
        bw.put(code, n)
    out += app(0xDA, bytes([1, 1, 0x00, 0, 63, 0]))
    bw = Bits()
    pred = 0
    for blk in blocks:
        if isinstance(blk, tuple):
            _, diff, syms = blk
            s, b = magnitude(diff)
            bw.put(s, 5)
            bw.put(b, s)
            pred += diff
            for run, size, value in syms:
                put_ac(bw, (run << 4) | size)
                if size:
                    bw.put(magnitude(value)[1], size)
            continue
        dc = blk[0]
        diff = dc - pred
        pred = dc
        s, b = magnitude(diff)
        assert s <= 15
        bw.put(s, 5)
        bw.put(b, s)
        run = 0
        zz = [blk[ZIGZAG[k]] for k in range(64)]
        last = max((k for k in range(1, 64) if zz[k] != 0), default=0)
        for k in range(1, last + 1):
            v = zz[k]
            if v == 0:
                run += 1
                continue
            while run > 15:
                put_ac(bw, 0xF0)
                run -= 16
            s, b = magnitude(v)
            put_ac(bw, (run << 4) | s)
            bw.put(b, s)
            run = 0
        if last < 63:
            put_ac(bw, 0x00)
    out += bw.flush()
    out += b"\xff\xd9"
    return bytes(out)


# ---------------------------------------------------------------------------- source pictures


def load_rgb(name: str) -> np.ndarray:
    return np.asarray(Image.open(os.path.join(SAMPLES, name)).convert("RGB"))


def main() -> None:
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    rng = np.random.default_rng(20260705)
    pyr = random.Random(20260705)

    photos = {n: load_rgb(n) for n in ("rocket.jpg", "chelsea.png", "coffee.png", "astronaut.png")}
    cat = photos["chelsea.png"]

    def crop(a: np.ndarray, x: int, y: int, w: int, h: int) -> np.ndarray:
        return np.ascontiguousarray(a[y : y + h, x : x + w])

    def noise(w: int, h: int, c: int = 3) -> np.ndarray:
        base = rng.integers(0, 256, (h, w, c) if c > 1 else (h, w), dtype=np.uint8)
        return base

    def gradient(w: int, h: int) -> np.ndarray:
        x = np.linspace(0, 255, w)[None, :, None]
        y = np.linspace(0, 255, h)[:, None, None]
        return np.concatenate([np.broadcast_to(x, (h, w, 1)), np.broadcast_to(y, (h, w, 1)),
                               np.broadcast_to((x + y) / 2, (h, w, 1))], axis=2).astype(np.uint8)

    pil = f"Pillow {PIL.__version__}"

    # A. quality x subsampling on photo crops
    sub_names = {0: "444", 1: "422", 2: "420"}
    crops = [("rocket", crop(photos["rocket.jpg"], 200, 120, 97, 61)),
             ("cat", crop(cat, 150, 60, 64, 48)),
             ("coffee", crop(photos["coffee.png"], 300, 100, 61, 97)),
             ("astro", crop(photos["astronaut.png"], 180, 40, 80, 80))]
    for q in (5, 10, 25, 50, 75, 90, 95, 100):
        for sub in (0, 1, 2):
            for cname, arr in crops:
                if (q + sub + len(cname)) % 2 and cname != "rocket":
                    continue  # keep the corpus small: every photo at every setting is not needed
                add(f"q{q:03d}_{sub_names[sub]}_{cname}.jpg", pil_jpeg(Image.fromarray(arr), quality=q, subsampling=sub),
                    "quality", f"{pil} quality={q} subsampling={sub}")

    # B. sizes, including 1x1 and sizes that are not multiples of the MCU
    sizes = [(1, 1), (1, 2), (2, 1), (2, 2), (3, 5), (5, 3), (4, 4), (7, 9), (8, 8), (9, 7), (15, 16), (16, 15),
             (17, 17), (31, 32), (33, 33), (47, 15), (15, 47), (65, 63)]
    for w, h in sizes:
        for sub in (0, 1, 2):
            arr = crop(cat, 100, 80, w, h) if (w * h) % 2 else noise(w, h)
            add(f"size_{w}x{h}_{sub_names[sub]}.jpg", pil_jpeg(Image.fromarray(arr), quality=85, subsampling=sub),
                "size", f"{pil} quality=85 subsampling={sub}")

    # C. sampling factors through cjpeg (libjpeg-turbo), interleaved
    samplings = ["1x1", "2x1", "1x2", "2x2", "4x1", "1x4", "4x2", "2x4", "3x1", "1x3", "3x2", "2x3",
                 "2x1,1x2,1x1", "1x1,2x2,1x1", "2x2,1x2,2x1", "4x1,2x1,1x1", "1x4,1x2,1x1", "2x2,2x1,1x1",
                 "3x1,1x1,1x1", "3x2,1x1,1x1", "2x2,1x1,2x2", "1x2,1x1,1x1", "2x1,2x1,1x1",
                 "4x2,1x1,1x1", "2x4,1x1,1x1", "4x1,4x1,1x1", "1x2,1x2,1x1"]
    for spec in samplings:
        for (w, h) in ((37, 29), (64, 48), (5, 3)):
            if h == 3 and "4" not in spec and "3" not in spec:
                continue
            arr = crop(photos["coffee.png"], 250, 150, w, h)
            tag = spec.replace(",", "_")
            try_add(f"samp_{tag}_{w}x{h}.jpg", lambda: cjpeg(arr, "-quality", "88", "-sample", spec), "sampling",
                    f"cjpeg -quality 88 -sample {spec}")
    # sampling factors needing more than 10 blocks in an interleaved MCU: separate scans
    for spec in ("4x4,1x1,1x1", "4x4,2x2,1x1", "4x4,4x4,4x4", "4x2,2x1,1x1", "3x3,1x1,1x1"):
        arr = crop(photos["coffee.png"], 250, 150, 45, 37)
        scans = "0;\n1;\n2;\n"
        add(f"samp_{spec.replace(',', '_')}_separate.jpg", cjpeg(arr, "-quality", "80", "-sample", spec, scans=scans),
            "sampling", f"cjpeg -sample {spec} -scans (one component a scan)")
    # opencv's sampling presets
    import cv2

    for nm, flag in (("411", cv2.IMWRITE_JPEG_SAMPLING_FACTOR_411), ("420", cv2.IMWRITE_JPEG_SAMPLING_FACTOR_420),
                     ("422", cv2.IMWRITE_JPEG_SAMPLING_FACTOR_422), ("440", cv2.IMWRITE_JPEG_SAMPLING_FACTOR_440),
                     ("444", cv2.IMWRITE_JPEG_SAMPLING_FACTOR_444)):
        arr = crop(photos["astronaut.png"], 100, 100, 83, 51)
        add(f"cv2_{nm}.jpg", cv2_jpeg(arr, [cv2.IMWRITE_JPEG_QUALITY, 90, cv2.IMWRITE_JPEG_SAMPLING_FACTOR, flag]),
            "sampling", f"opencv {cv2.__version__} sampling {nm}")
    add("cv2_progressive_optimized.jpg", cv2_jpeg(crop(photos["astronaut.png"], 0, 0, 99, 77),
        [cv2.IMWRITE_JPEG_QUALITY, 80, cv2.IMWRITE_JPEG_PROGRESSIVE, 1, cv2.IMWRITE_JPEG_OPTIMIZE, 1]),
        "progressive", f"opencv {cv2.__version__} progressive optimize")
    add("cv2_rst.jpg", cv2_jpeg(crop(photos["astronaut.png"], 0, 0, 99, 77),
        [cv2.IMWRITE_JPEG_QUALITY, 80, cv2.IMWRITE_JPEG_RST_INTERVAL, 3]), "restart", f"opencv {cv2.__version__} rst 3")

    # D. restart intervals
    arr = crop(photos["rocket.jpg"], 100, 100, 77, 53)
    for spec, args in (("rows1_420", ["-restart", "1"]), ("b1_420", ["-restart", "1B"]), ("b3_444", ["-restart", "3B", "-sample", "1x1"]),
                       ("b5_422", ["-restart", "5B", "-sample", "2x1"]), ("rows2_grey", ["-restart", "2", "-grayscale"])):
        add(f"rst_{spec}.jpg", cjpeg(arr, "-quality", "85", *args), "restart", "cjpeg -quality 85 " + " ".join(args))
    base420 = cjpeg(arr, "-quality", "85")
    add("rst_prog_b2.jpg", jpegtran(base420, "-progressive", "-restart", "2B"), "restart", "cjpeg | jpegtran -progressive -restart 2B")
    add("rst_prog_rows1_grey.jpg", jpegtran(cjpeg(arr, "-grayscale"), "-progressive", "-restart", "1"), "restart",
        "cjpeg -grayscale | jpegtran -progressive -restart 1")
    add("rst_pil_dri.jpg", pil_jpeg(Image.fromarray(arr), quality=70, restart_marker_blocks=4), "restart", f"{pil} restart_marker_blocks=4")

    # E. progressive
    parr = crop(photos["coffee.png"], 50, 50, 123, 91)
    for sub in ("1x1", "2x1", "2x2", "1x2", "4x1"):
        add(f"prog_cjpeg_{sub}.jpg", cjpeg(parr, "-quality", "82", "-progressive", "-sample", sub), "progressive",
            f"cjpeg -progressive -sample {sub}")
    add("prog_pil_420.jpg", pil_jpeg(Image.fromarray(parr), quality=90, progressive=True), "progressive", f"{pil} progressive")
    add("prog_pil_444_opt.jpg", pil_jpeg(Image.fromarray(parr), quality=95, progressive=True, optimize=True, subsampling=0),
        "progressive", f"{pil} progressive optimize subsampling=0")
    add("prog_grey.jpg", cjpeg(parr[:, :, 1], "-progressive", "-quality", "70"), "progressive", "cjpeg -progressive (grey)")
    add("prog_jpegtran_sizes_1x1.jpg", jpegtran(pil_jpeg(Image.fromarray(crop(cat, 0, 0, 1, 1))), "-progressive"),
        "progressive", "Pillow 1x1 | jpegtran -progressive")
    add("prog_jpegtran_17x9.jpg", jpegtran(pil_jpeg(Image.fromarray(crop(cat, 0, 0, 17, 9))), "-progressive"),
        "progressive", "Pillow 17x9 | jpegtran -progressive")
    scripts = {
        # spectral selection only
        "spectral": "0,1,2: 0 0 0 0;\n0: 1 5 0 0;\n0: 6 63 0 0;\n1: 1 63 0 0;\n2: 1 63 0 0;\n",
        # successive approximation down to 0, non-interleaved DC
        "approx": "0: 0 0 0 2;\n1: 0 0 0 1;\n2: 0 0 0 1;\n0: 1 63 0 2;\n1: 1 63 0 1;\n2: 1 63 0 1;\n"
                  "0: 0 0 2 1;\n0: 0 0 1 0;\n1: 0 0 1 0;\n2: 0 0 1 0;\n0: 1 63 2 1;\n0: 1 63 1 0;\n1: 1 63 1 0;\n2: 1 63 1 0;\n",
        # incomplete scripts: libjpeg's block smoothing estimates the missing coefficients
        "dc_only": "0,1,2: 0 0 0 0;\n",
        "dc_approx_only": "0,1,2: 0 0 0 1;\n",
        "low_ac": "0,1,2: 0 0 0 0;\n0: 1 5 0 0;\n1: 1 2 0 0;\n2: 1 2 0 0;\n",
        "no_final_refine": "0,1,2: 0 0 0 1;\n0: 1 5 0 2;\n0: 6 63 0 2;\n1: 1 63 0 1;\n2: 1 63 0 1;\n0: 1 63 2 1;\n",
        "ac_first_9": "0,1,2: 0 0 0 0;\n0: 1 9 0 0;\n1: 1 63 0 0;\n2: 1 63 0 0;\n",
        "ac_10_plus": "0,1,2: 0 0 0 0;\n0: 10 63 0 0;\n1: 1 63 0 0;\n2: 1 63 0 0;\n",
        "luma_only_ac": "0,1,2: 0 0 0 0;\n0: 1 63 0 0;\n",
    }
    for nm, sc in scripts.items():
        for sub in ("2x2", "1x1"):
            add(f"prog_scans_{nm}_{sub}.jpg", cjpeg(parr, "-quality", "85", "-sample", sub, scans=sc), "progressive",
                f"cjpeg -sample {sub} -scans {nm}")
    add("prog_scans_dc_only_grey.jpg", cjpeg(parr[:, :, 0], "-quality", "85", scans="0: 0 0 0 0;\n"), "progressive",
        "cjpeg -grayscale -scans dc_only")
    # smoothing across a short last iMCU row (v=2 luma, odd block rows)
    add("prog_scans_low_ac_tall.jpg", cjpeg(crop(photos["coffee.png"], 10, 10, 40, 73), "-quality", "60", "-sample", "2x2",
        scans=scripts["low_ac"]), "progressive", "cjpeg -sample 2x2 -scans low_ac, 40x73")
    # sequential multi-scan (components in separate scans)
    add("seq_separate_scans.jpg", cjpeg(parr, "-quality", "85", scans="0;\n1;\n2;\n"), "progressive", "cjpeg -scans 0;1;2 (baseline, non-interleaved)")
    add("seq_two_scans.jpg", cjpeg(parr, "-quality", "85", "-sample", "2x2", scans="0;\n1,2;\n"), "progressive", "cjpeg -scans 0;1,2")

    # F. optimized Huffman tables
    add("opt_cjpeg.jpg", cjpeg(parr, "-optimize", "-quality", "90"), "optimized", "cjpeg -optimize")
    add("opt_pil_444.jpg", pil_jpeg(Image.fromarray(parr), optimize=True, quality=92, subsampling=0), "optimized", f"{pil} optimize")
    add("opt_pil_420_q30.jpg", pil_jpeg(Image.fromarray(parr), optimize=True, quality=30), "optimized", f"{pil} optimize quality=30")

    # G. grey
    garr = np.asarray(Image.fromarray(parr).convert("L"))
    for q in (10, 60, 97):
        add(f"grey_pil_q{q}.jpg", pil_jpeg(Image.fromarray(garr), quality=q), "grey", f"{pil} L quality={q}")
    add("grey_cjpeg.jpg", cjpeg(parr, "-grayscale"), "grey", "cjpeg -grayscale")
    add("grey_sample_2x2.jpg", cjpeg(garr, "-sample", "2x2"), "grey", "cjpeg -sample 2x2 (one component)")
    add("grey_sample_1x3.jpg", cjpeg(garr[:45, :37], "-sample", "1x3"), "grey", "cjpeg -sample 1x3 (one component)")
    add("grey_odd.jpg", pil_jpeg(Image.fromarray(garr[:13, :11]), quality=75), "grey", f"{pil} L 11x13")

    # H. RGB without colour conversion, and libjpeg's colour-space guesses
    rgb = cjpeg(parr, "-rgb", "-quality", "90")
    add("rgb_adobe.jpg", rgb, "colorspace", "cjpeg -rgb (Adobe transform 0, ids R G B)")
    add("rgb_adobe_sub.jpg", cjpeg(parr, "-rgb", "-sample", "2x2,1x1,1x1"), "colorspace", "cjpeg -rgb -sample 2x2,1x1,1x1")
    add("rgb_prog.jpg", jpegtran(rgb, "-progressive"), "colorspace", "cjpeg -rgb | jpegtran -progressive")
    no_adobe = strip_markers(rgb, 0xEE)
    add("rgb_ids_only.jpg", no_adobe, "colorspace", "cjpeg -rgb without its APP14: ids 'R','G','B'")
    jfif = app(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    add("rgb_with_jfif.jpg", insert_after_soi(rgb, jfif), "colorspace", "cjpeg -rgb plus a JFIF APP0 (JFIF wins: YCbCr)")
    ycc = cjpeg(parr, "-quality", "90")
    add("ycc_no_jfif.jpg", strip_markers(ycc, 0xE0), "colorspace", "cjpeg without its JFIF APP0 (ids 1 2 3)")
    adobe1 = app(0xEE, b"Adobe\x00\x64\x00\x00\x00\x00\x01")
    add("ycc_adobe1.jpg", insert_after_soi(strip_markers(ycc, 0xE0), adobe1), "colorspace", "Adobe transform 1, no JFIF")
    adobe9 = app(0xEE, b"Adobe\x00\x64\x00\x00\x00\x00\x09")
    add("rgb_ids_adobe9.jpg", insert_after_soi(no_adobe, adobe9), "colorspace", "ids R G B with Adobe transform 9 (YCbCr assumed)")

    # I. CMYK and YCCK
    carr = np.concatenate([parr, parr[:, :, :1] // 2], axis=2)
    cmyk = Image.fromarray(carr, "CMYK")
    add("cmyk_pil_q75.jpg", pil_jpeg(cmyk, quality=75), "cmyk", f"{pil} CMYK quality=75")
    add("cmyk_pil_q95.jpg", pil_jpeg(cmyk, quality=95), "cmyk", f"{pil} CMYK quality=95")
    add("cmyk_pil_sub.jpg", pil_jpeg(cmyk, quality=80, subsampling=2), "cmyk", f"{pil} CMYK subsampling=2 (first component 2x2)")
    add("cmyk_pil_prog.jpg", pil_jpeg(cmyk, quality=80, progressive=True), "cmyk", f"{pil} CMYK progressive")
    cm = pil_jpeg(cmyk, quality=85)
    add("cmyk_no_adobe.jpg", strip_markers(cm, 0xEE), "cmyk", "Pillow CMYK without APP14 (CMYK assumed)")

    def to_ycck(data: bytes) -> bytes:
        for m, s, e in segments(data):
            if m == 0xEE:
                return patch(data, s + 4 + 11, b"\x02")
        raise ValueError

    # YCCK: a CMYK encode of Y, Cb, Cr, K samples with the Adobe transform set to 2.
    ycc_arr = np.asarray(Image.fromarray(parr).convert("YCbCr"))
    ycck = np.concatenate([ycc_arr, parr[:, :, 2:3]], axis=2)
    yimg = Image.fromarray(255 - ycck, "CMYK")  # Pillow inverts CMYK when it saves
    add("ycck.jpg", to_ycck(pil_jpeg(yimg, quality=88)), "cmyk", f"{pil} CMYK of YCbCrK samples, Adobe transform 2")
    add("ycck_sub.jpg", to_ycck(pil_jpeg(yimg, quality=88, subsampling=2)), "cmyk", "as ycck.jpg, subsampling=2")
    add("ycck_prog.jpg", to_ycck(pil_jpeg(yimg, quality=70, progressive=True)), "cmyk", "as ycck.jpg, progressive")

    # J. EXIF orientation
    earr = crop(photos["rocket.jpg"], 300, 200, 37, 23)
    for o in range(1, 9):
        ex = Image.Exif()
        ex[0x0112] = o
        add(f"exif_o{o}.jpg", pil_jpeg(Image.fromarray(earr), quality=90, exif=ex.tobytes()), "exif", f"{pil} exif Orientation={o}")
    for o in (5, 6):
        ex = Image.Exif()
        ex[0x0112] = o
        add(f"exif_o{o}_grey.jpg", pil_jpeg(Image.fromarray(earr).convert("L"), exif=ex.tobytes()), "exif", f"{pil} L exif Orientation={o}")
        add(f"exif_o{o}_cmyk.jpg", pil_jpeg(Image.fromarray(earr).convert("CMYK"), exif=ex.tobytes()), "exif", f"{pil} CMYK exif Orientation={o}")
    plain = pil_jpeg(Image.fromarray(earr), quality=90)

    def tiff(big: bool, entries: list[tuple[int, int, int, bytes]], ifd: int = 8, extra: bytes = b"", head: bytes | None = None) -> bytes:
        e = ">" if big else "<"
        h = head if head is not None else ((b"MM\x00\x2a" if big else b"II\x2a\x00") + struct.pack(e + "I", ifd))
        body = struct.pack(e + "H", len(entries))
        for tag, typ, count, value in entries:
            body += struct.pack(e + "HHI", tag, typ, count) + value.ljust(4, b"\x00")
        body += struct.pack(e + "I", 0)
        return h + b"\x00" * (ifd - 8) + body + extra

    def with_exif(t: bytes, name: str, desc: str) -> None:
        add(name, insert_after_soi(plain, app(0xE1, b"Exif\x00\x00" + t)), "exif", desc)

    with_exif(tiff(True, [(0x0112, 3, 1, struct.pack(">H", 6))]), "exif_be_short.jpg", "big-endian SHORT 6")
    with_exif(tiff(False, [(0x0112, 4, 1, struct.pack("<I", 8))]), "exif_le_long.jpg", "little-endian LONG 8")
    with_exif(tiff(True, [(0x0112, 3, 2, struct.pack(">HH", 3, 6))]), "exif_count2.jpg", "SHORT count 2 (3, 6): first value")
    with_exif(tiff(False, [(0x0112, 5, 1, struct.pack("<I", 26))], extra=struct.pack("<II", 12, 2)), "exif_rational.jpg", "RATIONAL 12/2 (out of line)")
    with_exif(tiff(False, [(0x0112, 5, 1, struct.pack("<I", 26))], extra=struct.pack("<II", 7, 2)), "exif_rational_frac.jpg", "RATIONAL 7/2")
    with_exif(tiff(False, [(0x0112, 1, 1, b"\x06")]), "exif_byte.jpg", "BYTE 6 (bytes: no transpose)")
    with_exif(tiff(False, [(0x0112, 8, 1, struct.pack("<h", 7))]), "exif_sshort.jpg", "SSHORT 7")
    with_exif(tiff(False, [(0x0112, 11, 1, struct.pack("<f", 3.0))]), "exif_float.jpg", "FLOAT 3.0")
    with_exif(tiff(False, [(0x0112, 3, 1, struct.pack("<H", 2)), (0x0112, 3, 1, struct.pack("<H", 7))]), "exif_duplicate.jpg", "two orientation tags (last wins)")
    with_exif(tiff(False, [(0x0112, 3, 1, struct.pack("<H", 9))]), "exif_value9.jpg", "orientation 9 (no transpose)")
    with_exif(tiff(False, [(0x0112, 99, 1, struct.pack("<H", 6))]), "exif_badtype.jpg", "unknown type (skipped)")
    with_exif(tiff(False, [(0x0110, 2, 4, b"abc\x00"), (0x0112, 3, 1, struct.pack("<H", 4))], ifd=20), "exif_ifd_offset.jpg", "IFD0 at offset 20, two tags")
    with_exif(tiff(False, [(0x0112, 3, 1, struct.pack("<H", 6))])[:14], "exif_truncated_ifd.jpg", "IFD cut inside the entry")
    with_exif(tiff(False, [(0x0112, 3, 1, struct.pack("<H", 6))], ifd=4000), "exif_ifd_beyond.jpg", "IFD0 offset past the block")
    with_exif(tiff(False, [(0x0112, 3, 1, struct.pack("<H", 5))], head=b"II\x00\x2a\x08\x00\x00\x00"), "exif_swapped_magic.jpg", "II with 00 2A magic")
    with_exif(b"Exif\x00\x00" + tiff(False, [(0x0112, 3, 1, struct.pack("<H", 8))]), "exif_double_prefix.jpg", "Exif\\0\\0 twice")
    xmp_attr = b'http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><rdf:Description tiff:Orientation="6"/></x:xmpmeta>'
    xmp_elem = b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><tiff:Orientation>3</tiff:Orientation></x:xmpmeta>"
    add("xmp_attr.jpg", insert_after_soi(plain, app(0xE1, xmp_attr)), "exif", "XMP tiff:Orientation=\"6\", no EXIF")
    add("xmp_elem.jpg", insert_after_soi(plain, app(0xE1, xmp_elem)), "exif", "XMP <tiff:Orientation>3, no EXIF")
    add("xmp_and_exif_without.jpg", insert_after_soi(plain, app(0xE1, b"Exif\x00\x00" + tiff(False, [(0x0110, 2, 4, b"abc\x00")])) + app(0xE1, xmp_attr)),
        "exif", "EXIF without orientation, XMP says 6")
    add("xmp_and_exif_with.jpg", insert_after_soi(plain, app(0xE1, b"Exif\x00\x00" + tiff(False, [(0x0112, 3, 1, struct.pack("<H", 2))])) + app(0xE1, xmp_attr)),
        "exif", "EXIF orientation 2 wins over XMP 6")
    two = app(0xE1, b"Exif\x00\x00" + tiff(False, [(0x0112, 3, 1, struct.pack("<H", 7))])) + app(0xE1, b"Exif\x00\x00" + tiff(False, [(0x0112, 3, 1, struct.pack("<H", 2))]))
    add("exif_two_app1.jpg", insert_after_soi(plain, two), "exif", "two EXIF APP1 segments: the first counts")

    # K. large images and the benchmark photos
    big = np.asarray(Image.fromarray(photos["astronaut.png"]).resize((1920, 1080), Image.BICUBIC))
    add("bench_1920x1080_q90_420.jpg", pil_jpeg(Image.fromarray(big), quality=90), "large", f"{pil} quality=90 4:2:0")
    b500 = np.asarray(Image.fromarray(photos["coffee.png"]).resize((500, 375), Image.BICUBIC))
    add("bench_500x375_q90_420.jpg", pil_jpeg(Image.fromarray(b500), quality=90), "large", f"{pil} quality=90 4:2:0")
    add("bench_500x375_q90_420_prog.jpg", pil_jpeg(Image.fromarray(b500), quality=90, progressive=True), "large", f"{pil} quality=90 4:2:0 progressive")
    add("large_4000x3000_q10_420.jpg", pil_jpeg(Image.fromarray(gradient(4000, 3000)), quality=10), "large", f"{pil} gradient quality=10")
    add("large_2049x1537_prog_q20.jpg", pil_jpeg(Image.fromarray(gradient(2049, 1537)), quality=20, progressive=True), "large", f"{pil} gradient progressive quality=20")
    add("large_1001x999_grey_q40.jpg", pil_jpeg(Image.fromarray(gradient(1001, 999)[:, :, 0]), quality=40), "large", f"{pil} grey gradient")
    add("photo_rocket_reencoded.jpg", pil_jpeg(Image.fromarray(photos["rocket.jpg"]), quality=80), "photo", f"{pil} rocket.jpg re-encoded quality=80")
    add("photo_cat_q95_444.jpg", pil_jpeg(Image.fromarray(cat), quality=95, subsampling=0), "photo", f"{pil} chelsea quality=95 4:4:4")
    with open(os.path.join(SAMPLES, "rocket.jpg"), "rb") as f:
        add("photo_rocket_original.jpg", f.read(), "photo", "samples/rocket.jpg as shipped")

    # L. extreme coefficients (the IDCT's 16-bit wrap and saturation, as libjpeg-turbo's SIMD code)
    for seed, (ac_len, maxq) in enumerate(((9, 255), (12, 255), (9, 65535), (12, 4000))):
        r = np.random.default_rng(100 + seed)
        blocks = []
        for i in range(48):
            blk = [0] * 64
            kind = i % 4
            if kind == 0:
                blk[0] = int(r.integers(-32767, 32768))
            elif kind == 1:
                for pos in r.choice(64, size=int(r.integers(1, 12)), replace=False):
                    blk[int(pos)] = int(r.integers(-32767, 32768))
            elif kind == 2:
                for pos in range(8):
                    blk[pos] = int(r.integers(-2000, 2000))
            else:
                for pos in range(64):
                    blk[pos] = int(r.integers(-600, 600))
            blocks.append(blk)
        # keep every DC difference within 15 bits
        prev = 0
        for blk in blocks:
            d = max(-32767, min(32767, blk[0] - prev))
            blk[0] = prev + d
            prev = blk[0]
        quant = [int(x) for x in r.integers(1, maxq + 1, 64)]
        add(f"coef_extreme_{seed}.jpg", raw_grey_jpeg(64, 48, blocks, quant, ac_len), "extreme", f"raw encoder: AC codes {ac_len} bits, quantizers <= {maxq}")
    # runs past coefficient 63 (libjpeg stores them at 63)
    runs = [("symbols", 100, [(15, 0, 0), (15, 0, 0), (15, 0, 0), (15, 5, 17)]),
            ("symbols", -50, [(0, 3, 5), (15, 0, 0), (15, 0, 0), (15, 0, 0), (14, 2, -3)]),
            ("symbols", 0, [(0, 0, 0)])]
    add("coef_run_past_end.jpg", raw_grey_jpeg(24, 8, runs, [3] * 64), "extreme", "raw encoder: zero runs past coefficient 63")

    # M. damage libjpeg and Pillow shrug off
    good = pil_jpeg(Image.fromarray(crop(cat, 20, 20, 45, 33)), quality=80)
    eoi = good.rindex(b"\xff\xd9")
    add("tol_garbage_before_eoi.jpg", good[:eoi] + b"\x12\x34\x00\x56" + good[eoi:], "tolerated", "bytes between the scan and EOI")
    add("tol_fill_ff.jpg", good[:eoi] + b"\xff\xff\xff" + good[eoi:], "tolerated", "FF fill bytes before EOI")
    add("tol_trailing.jpg", good + b"trailing bytes after EOI\xff\xd8", "tolerated", "bytes after EOI")
    add("tol_two_images.jpg", good + pil_jpeg(Image.fromarray(crop(cat, 0, 0, 9, 9))), "tolerated", "a second JPEG after EOI")
    segs = segments(good)
    sos = [s for m, s, e in segs if m == 0xDA][0]
    add("tol_junk_between_segments.jpg", good[:sos] + b"\x00junk" + good[sos:], "tolerated", "non-marker bytes before SOS")
    std = cjpeg(crop(cat, 20, 20, 45, 33), "-quality", "75")
    add("tol_no_dht.jpg", strip_markers(std, 0xC4), "tolerated", "cjpeg (standard tables) with its DHT removed (libjpeg's defaults)")
    add("tol_dri_zero.jpg", insert_after_soi(good, b"\xff\xdd\x00\x04\x00\x00"), "tolerated", "DRI 0")
    add("tol_app_len0.jpg", insert_after_soi(good, b"\xff\xe5\x00\x00"), "tolerated", "APP5 with length 0")
    add("tol_com.jpg", insert_after_soi(good, app(0xFE, b"a comment")), "tolerated", "COM segment")
    add("tol_rst_in_header.jpg", insert_after_soi(good, b"\xff\xd3"), "tolerated", "RST3 before SOF")
    rst = cjpeg(crop(cat, 20, 20, 45, 33), "-restart", "1B")
    first_rst = rst.index(b"\xff\xd0", sos)
    add("tol_rst_padding.jpg", rst[:first_rst] + b"\xff\xff" + rst[first_rst:], "tolerated", "FF fill before a restart marker")
    add("tol_rst_garbage.jpg", rst[:first_rst] + b"\x01\x02" + rst[first_rst:], "tolerated", "extra bytes before a restart marker")

    # duplicate component ids (libjpeg matches each scan entry to the first unused component)
    dup = bytearray(strip_markers(std, 0xE0))
    for m, s0, e0 in segments(bytes(dup)):
        if m == 0xC0:
            for c in range(3):
                dup[s0 + 10 + 3 * c] = 1
        if m == 0xDA:
            for c in range(3):
                dup[s0 + 5 + 2 * c] = 1
    add("tol_duplicate_ids.jpg", bytes(dup), "tolerated", "component ids 1, 1, 1 in SOF and SOS, no JFIF")

    # N. refused: Pillow refuses too, or lockstep does (arithmetic coding, lossless)
    add("ref_arith.jpg", cjpeg(parr, "-arithmetic"), "refused", "cjpeg -arithmetic", expect="E_JPEG_ARITHMETIC")
    add("ref_arith_prog.jpg", cjpeg(parr, "-arithmetic", "-progressive"), "refused", "cjpeg -arithmetic -progressive", expect="E_JPEG_ARITHMETIC")
    so = sof_offset(good)
    add("ref_12bit.jpg", patch(good, so + 4, b"\x0c"), "refused", "precision patched to 12", expect="E_JPEG_12BIT")
    add("ref_lossless.jpg", patch(good, so + 1, b"\xc3"), "refused", "SOF0 patched to SOF3", expect="E_JPEG_LOSSLESS")
    add("ref_sof5.jpg", patch(good, so + 1, b"\xc5"), "refused", "SOF0 patched to SOF5", expect="E_JPEG_UNSUPPORTED")
    add("ref_65535.jpg", patch(good, so + 5, b"\xff\xff\xff\xff"), "refused", "65535x65535 in the SOF", expect="E_TOO_LARGE")
    add("ref_11585.jpg", patch(good, so + 5, struct.pack(">HH", 11585, 11585)), "refused", "11585x11585 claimed by a small file",
        oracle=False, expect="E_TRUNCATED_DATA")
    add("ref_zero_height.jpg", patch(good, so + 5, b"\x00\x00"), "refused", "height 0 (DNL)", expect="E_CORRUPT")
    two_c = good[: so + 2] + struct.pack(">H", 14) + good[so + 4 : so + 9] + b"\x02" + good[so + 10 : so + 16] + good[so + 19 :]
    add("ref_two_components.jpg", two_c, "refused", "a 2-component frame", expect="E_JPEG_COMPONENTS")
    frac = cjpeg(crop(cat, 0, 0, 40, 40), "-sample", "2x1,1x1,1x1")
    fo = sof_offset(frac)
    add("ref_fractional_32.jpg", patch(patch(frac, fo + 10 + 1, b"\x31"), fo + 13 + 1, b"\x21"), "refused", "luma 3x1, Cb 2x1: non-integral ratio", expect="E_JPEG_SAMPLING")
    add("ref_mcu_too_big.jpg", patch(frac, fo + 10 + 1, b"\x44"), "refused", "luma 4x4 in an interleaved scan (18 blocks an MCU)", expect="E_JPEG_SAMPLING")
    add("ref_not_jpeg.jpg", b"\x89PNG\r\n\x1a\n" + good[8:], "refused", "PNG signature", expect="E_FORMAT")
    add("ref_empty.jpg", b"", "refused", "zero bytes", expect="E_FORMAT")
    add("ref_soi_only.jpg", b"\xff\xd8\xff", "refused", "SOI and nothing else", expect="E_TRUNCATED")

    # ---------------------------------------------------------------- mutations
    def mutate(src_name: str, op: str, **kw) -> None:
        data = data_of[src_name]
        if op == "truncate":
            out = data[: kw["at"]]
        elif op == "flip":
            b = bytearray(data)
            b[kw["offset"]] = kw["value"]
            out = bytes(b)
        elif op == "patch":
            out = patch(data, kw["offset"], bytes.fromhex(kw["hex"]))
        elif op == "insert":
            out = data[: kw["offset"]] + bytes.fromhex(kw["hex"]) + data[kw["offset"] :]
        elif op == "repeat_last_scan":
            last, eoi = data.rindex(b"\xff\xda"), data.rindex(b"\xff\xd9")
            out = data[:eoi] + data[last:eoi] * kw["count"] + data[eoi:]
        else:
            raise ValueError(op)
        rec = {"source": src_name, "op": op, **kw}
        if "expect" in kw:
            rec["pillow"] = "not run (a scan flood: Pillow takes long to decode it)"
            mutations.append(rec)
            return
        strict = pillow_outcome(out)
        rec["pillow"] = strict.get("native", "error")
        if "error" in strict:
            rec["pillow_error"] = strict["error"]
        if op == "truncate":
            lt = pillow_outcome(out, truncated_ok=True)
            rec["pillow_truncated_ok"] = lt.get("native", "error")
        mutations.append(rec)

    trunc_sources = ["q090_420_rocket.jpg", "prog_pil_420.jpg", "grey_pil_q60.jpg", "cmyk_pil_q75.jpg",
                     "rst_b1_420.jpg", "opt_pil_444.jpg", "prog_scans_approx_2x2.jpg", "rst_prog_b2.jpg",
                     "seq_separate_scans.jpg", "bench_500x375_q90_420.jpg"]
    for nm in trunc_sources:
        n = len(data_of[nm])
        for k in range(1, 16):
            mutate(nm, "truncate", at=n * k // 16)
        for cut in (1, 2, 3):
            mutate(nm, "truncate", at=n - cut)
    flip_sources = ["q075_420_rocket.jpg", "prog_pil_420.jpg", "rst_b1_420.jpg", "cmyk_pil_q75.jpg", "grey_pil_q60.jpg",
                    "samp_4x1,2x1,1x1_37x29.jpg".replace(",", "_")]
    for nm in flip_sources:
        data = data_of[nm]
        for _ in range(40):
            off = pyr.randrange(2, len(data))
            mutate(nm, "flip", offset=off, value=pyr.randrange(256))
    # corrupt Huffman tables and bogus markers
    src = "q090_420_rocket.jpg"
    data = data_of[src]
    for m, s, e in segments(data):
        if m == 0xC4:
            mutate(src, "flip", offset=s + 5, value=0xFF)  # a count of 255 codes of one length
            mutate(src, "flip", offset=s + 4 + 1 + 1, value=3)  # three 2-bit codes and more: overfull
            mutate(src, "flip", offset=s + 4, value=0x37)  # table class/id out of range
            bits = bytearray(data[s + 5 : s + 21])
            bits[0] += 2  # two more 1-bit codes: the code space overflows (JERR_BAD_HUFF_TABLE)
            for i in range(15, 0, -1):
                if bits[i] >= 2:
                    bits[i] -= 2
                    break
            mutate(src, "patch", offset=s + 5, hex=bits.hex())
            break
    first_sos = [s for m, s, e in segments(data) if m == 0xDA][0]
    for hexs in ("ff01", "ffc8", "fff0", "ffde", "ffd8", "ffd9", "ff02"):
        mutate(src, "insert", offset=first_sos, hex=hexs)
    mutate(src, "insert", offset=first_sos + 300, hex="ffd9")  # EOI inside the scan
    mutate(src, "insert", offset=first_sos + 300, hex="ffd5")  # a restart marker where none belongs
    mutate("rst_b1_420.jpg", "flip", offset=data_of["rst_b1_420.jpg"].index(b"\xff\xd3", 300) + 1, value=0xD5)  # wrong RST number
    for nm in ("q090_420_rocket.jpg", "prog_pil_420.jpg"):
        d = data_of[nm]
        mutate(nm, "insert", offset=d.rindex(b"\xff\xd9"), hex="ffda000c03010002110311003f00")  # a second SOS

    # a scan flood: one refinement scan repeated 1500 times in a 42 KB file
    mutate("large_2049x1537_prog_q20.jpg", "repeat_last_scan", count=1500, expect="E_JPEG_SCANS")

    manifest = {
        "about": "JPEG decoder fixtures: Pillow's bytes for every file. Made by tests/codec/make_jpeg_corpus.py.",
        "pillow": PIL.__version__,
        "libjpeg_turbo": features.version("libjpeg_turbo"),
        "numpy": np.__version__,
        "opencv": cv2.__version__,
        "cjpeg": tool_version(["cjpeg", "-version"]),
        "jpegtran": tool_version(["jpegtran", "-version"]),
        "python": sys.version.split()[0],
        "cpu_avx2": "avx2" in open("/proc/cpuinfo").read(),
        "files": files,
        "mutations": mutations,
    }
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    total = sum(len(v) for v in data_of.values())
    print(f"{len(files)} files, {total} bytes, {len(mutations)} mutations")


if __name__ == "__main__":
    main()

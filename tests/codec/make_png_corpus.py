#!/usr/bin/env python3
"""PNG decoder and colour-mode fixtures: Pillow 12.3 is the oracle.

Run with /work/venv/bin/python tests/codec/make_png_corpus.py (from anywhere). It writes

- tests/codec/png/*.png: the corpus. Pillow cannot write most kinds of PNG (2/4-bit grey,
  16-bit colour, Adam7, tRNS colour keys, odd chunk layouts, every filter type, stored and
  fixed-Huffman deflate blocks...), so a small PNG writer below builds them: its own packing,
  filtering (every filter type, chosen per row) and Adam7 interlacing, Python's zlib with
  several levels, strategies and window sizes, IDAT split in many ways. Pillow-written files
  and the photos in samples/ are in the corpus too.
- tests/codec/png-manifest.json: per file, the SHA-256 of what Pillow gives after
  `Image.open(f)`: the native mode's bytes (`tobytes()`; mode "1" as one 0/255 byte a pixel,
  `tobytes("raw", "L")`, which is how Pillow stores it), the palette with its alpha for mode P
  (256 RGB triples then 256 alphas, read back through Pillow's own convert("RGBA") of every
  index), and `.convert("RGB")`, `.convert("L")`, `.convert("RGBA")`, each on a fresh open.
- tests/codec/convert/*.bin and the "convert" section of the manifest: images Pillow creates
  directly in every mode lockstep's convertMode takes (1, L, LA, RGB, RGBA, P with and without
  transparency, I;16, CMYK, and L/RGB/1/I;16 with a colour key in info["transparency"]), with
  the SHA-256 of Pillow's convert to RGB, L and RGBA.
- the "encoded" section: when tests/codec/encoded/*.png exist (lockstep's own encoder output,
  written by `npx tsx tests/codec/make_encoded.ts`), the SHA-256 of each file and of the
  pixels Pillow decodes from it, so the tests prove Pillow reads lockstep's PNGs exactly.

The tests need no Python: everything they read is committed.
"""
from __future__ import annotations

import hashlib
import io
import json
import struct
import sys
import zlib
from pathlib import Path

import numpy as np
import PIL
from PIL import Image

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CORPUS = HERE / "png"
CONVERT = HERE / "convert"
ENCODED = HERE / "encoded"
MANIFEST = HERE / "png-manifest.json"

RNG = np.random.default_rng(20261205)


def sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


# ---------------------------------------------------------------------------------------------
# A small PNG writer


def chunk(ctype: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + ctype + data + struct.pack(">I", zlib.crc32(ctype + data) & 0xFFFFFFFF)


def pack_rows(arr: np.ndarray, depth: int) -> np.ndarray:
    """(h, w, s) samples -> (h, rowbytes) uint8, big-endian / MSB-first as PNG stores them."""
    h, w, s = arr.shape
    if depth == 16:
        return arr.astype(">u2").reshape(h, w * s).view(np.uint8).reshape(h, w * s * 2)
    if depth == 8:
        return arr.astype(np.uint8).reshape(h, w * s)
    assert s == 1
    bits = np.unpackbits(arr.astype(np.uint8).reshape(h, w, 1), axis=2)[:, :, 8 - depth :]
    bits = bits.reshape(h, w * depth)
    return np.packbits(bits, axis=1)  # pads the last byte with zero bits


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = np.abs(p - a), np.abs(p - b), np.abs(p - c)
    return np.where((pa <= pb) & (pa <= pc), a, np.where(pb <= pc, b, c))


def filter_rows(rows: np.ndarray, bpp: int, choose, start: int = 0) -> bytes:
    """Filters each row with the type choose(row index) returns (0-4, or 'best')."""
    out = bytearray()
    h, rb = rows.shape
    prev = np.zeros(rb, np.int32)
    for y in range(h):
        raw = rows[y].astype(np.int32)
        a = np.concatenate([np.zeros(bpp, np.int32), raw[:-bpp]]) if rb > bpp else np.zeros(rb, np.int32)
        b = prev
        c = np.concatenate([np.zeros(bpp, np.int32), prev[:-bpp]]) if rb > bpp else np.zeros(rb, np.int32)
        cands = {
            0: raw,
            1: raw - a,
            2: raw - b,
            3: raw - (a + b) // 2,
            4: raw - paeth(a, b, c),
        }
        f = choose(start + y)
        if f == "best":  # minimum sum of absolute differences, libpng's heuristic
            f = min(range(5), key=lambda k: int(np.abs(((cands[k] + 128) & 255) - 128).sum()))
        out.append(f)
        out += (cands[f] & 255).astype(np.uint8).tobytes()
        prev = raw
    return bytes(out)


PASSES = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
SAMPLES = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def scanlines(arr: np.ndarray, depth: int, ctype: int, interlace: bool, choose) -> bytes:
    bpp = max(1, SAMPLES[ctype] * depth // 8)
    if not interlace:
        return filter_rows(pack_rows(arr, depth), bpp, choose)
    out = b""
    line = 0
    for x0, y0, dx, dy in PASSES:
        sub = arr[y0::dy, x0::dx]
        if sub.shape[0] == 0 or sub.shape[1] == 0:
            continue
        out += filter_rows(pack_rows(sub, depth), bpp, choose, line)
        line += sub.shape[0]
    return out


def make_png(
    arr: np.ndarray,
    depth: int,
    ctype: int,
    *,
    interlace: bool = False,
    choose=lambda y: y % 5,
    level: int = 6,
    strategy: int = zlib.Z_DEFAULT_STRATEGY,
    wbits: int = 15,
    plte: bytes | None = None,
    trns: bytes | None = None,
    idat_split=None,
    before: list[bytes] = (),
    after: list[bytes] = (),
    trns_after: bool = False,
) -> bytes:
    h, w = arr.shape[:2]
    if arr.ndim == 2:
        arr = arr[:, :, None]
    raw = scanlines(arr, depth, ctype, interlace, choose)
    co = zlib.compressobj(level, zlib.DEFLATED, wbits, 9, strategy)
    z = co.compress(raw) + co.flush()
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, 1 if interlace else 0))
    for c in before:
        out += c
    if plte is not None:
        out += chunk(b"PLTE", plte)
    if trns is not None and not trns_after:
        out += chunk(b"tRNS", trns)
    parts = idat_split(z) if idat_split else [z]
    for p in parts:
        out += chunk(b"IDAT", p)
    if trns is not None and trns_after:
        out += chunk(b"tRNS", trns)
    for c in after:
        out += c
    return out + chunk(b"IEND", b"")


# ---------------------------------------------------------------------------------------------
# Content


def content(h: int, w: int, s: int, maxv: int, kind: str, rng=None) -> np.ndarray:
    """Deterministic test content: noise, smooth gradients, or both (noise over a gradient)."""
    rng = RNG if rng is None else rng
    yy, xx = np.mgrid[0:h, 0:w]
    chans = []
    for k in range(s):
        g = ((xx * (k + 1) * 37 + yy * (3 - k % 3) * 53) % (maxv + 1)).astype(np.int64)
        if kind == "noise":
            v = rng.integers(0, maxv + 1, size=(h, w))
        elif kind == "smooth":
            v = g
        else:
            v = np.clip(g + rng.integers(-maxv // 16 - 1, maxv // 16 + 2, size=(h, w)), 0, maxv)
        chans.append(v)
    return np.stack(chans, axis=2)


def split_every(n: int):
    return lambda z: [z[i : i + n] for i in range(0, len(z), n)] or [b""]


def split_with_empty(z: bytes):
    third = max(1, len(z) // 3)
    return [b"", z[:third], b"", b"", z[third : 2 * third], z[2 * third :], b""]


def palette(n: int) -> bytes:
    return bytes(RNG.integers(0, 256, size=3 * n, dtype=np.uint8))


# ---------------------------------------------------------------------------------------------
# Pillow's view of a file


def native_bytes(im: Image.Image) -> bytes:
    return im.tobytes("raw", "L") if im.mode == "1" else im.tobytes()


def aux_bytes(im: Image.Image) -> bytes:
    """Pillow's palette and its alpha, read through Pillow's own P -> RGBA of every index."""
    full = Image.frombytes("P", (256, 1), bytes(range(256)))
    full.putpalette(im.getpalette())
    if "transparency" in im.info:
        full.info["transparency"] = im.info["transparency"]
    rgba = full.convert("RGBA").tobytes()
    return bytes(b for i in range(256) for b in rgba[4 * i : 4 * i + 3]) + rgba[3::4]


def pillow_record(path: Path, category: str) -> dict:
    def fresh() -> Image.Image:
        return Image.open(path)

    im = fresh()
    im.load()
    rec = {
        "file": str(path.relative_to(HERE.parent.parent)),
        "category": category,
        "width": im.width,
        "height": im.height,
        "mode": im.mode,
        "bytes": path.stat().st_size,
        "native": sha(native_bytes(im)),
    }
    if "transparency" in im.info:
        t = im.info["transparency"]
        rec["transparency"] = list(t) if isinstance(t, (bytes, tuple)) else t
    if im.mode == "P":
        rec["aux"] = sha(aux_bytes(im))
    # What ImageOps.exif_transpose acts on (getexif() reads eXIf, then XMP's tiff:Orientation).
    orientation = im.getexif().get(0x0112)
    if orientation is not None:
        rec["orientation"] = orientation
    for mode in ("RGB", "L", "RGBA"):
        rec[mode] = sha(fresh().convert(mode).tobytes())
    return rec


# ---------------------------------------------------------------------------------------------
# The corpus

FILES: dict[str, tuple[bytes, str]] = {}


def add(name: str, data: bytes, category: str) -> None:
    assert name not in FILES, name
    FILES[name] = (data, category)


def build_corpus() -> None:
    combos = [(0, d) for d in (1, 2, 4, 8, 16)] + [(2, 8), (2, 16)] + [(3, d) for d in (1, 2, 4, 8)] + [(4, 8), (4, 16), (6, 8), (6, 16)]
    sizes = [(1, 1), (1, 7), (5, 1), (3, 2), (7, 5), (8, 8), (9, 9), (17, 13), (33, 31), (64, 3), (70, 70)]
    # Every colour type x bit depth x interlace, many sizes, every filter type.
    for ct, d in combos:
        s = SAMPLES[ct]
        maxv = (1 << d) - 1
        for il in (False, True):
            for i, (w, h) in enumerate(sizes):
                kind = ("noise", "smooth", "mixed")[i % 3]
                if ct == 3:
                    n = 1 << d
                    arr = content(h, w, 1, maxv, kind)
                    data = make_png(arr, d, ct, interlace=il, plte=palette(n))
                else:
                    arr = content(h, w, s, maxv, kind)
                    data = make_png(arr, d, ct, interlace=il)
                add(f"ct{ct}-d{d}{'-i' if il else ''}-{w}x{h}.png", data, f"type{ct}-depth{d}{'-adam7' if il else ''}")
        # One with a single filter type throughout, per type, and the min-sum heuristic.
        for f in (0, 1, 2, 3, 4, "best"):
            arr = content(23, 29, s, maxv, "mixed")
            kw = {"plte": palette(1 << d)} if ct == 3 else {}
            add(f"ct{ct}-d{d}-filter{f}.png", make_png(arr, d, ct, choose=lambda y, f=f: f, **kw), "filters")

    # Palettes: short PLTE with indices past its end, full tRNS, partial tRNS, one transparent
    # entry (Pillow's int transparency), tRNS longer than PLTE, empty tRNS.
    idx = content(19, 27, 1, 255, "noise")
    add("pal-short-plte.png", make_png(idx % 40, 8, 3, plte=palette(20)), "palette")
    add("pal-trns-full.png", make_png(idx, 8, 3, plte=palette(256), trns=bytes(RNG.integers(0, 256, 256, dtype=np.uint8))), "palette-trns")
    add("pal-trns-partial.png", make_png(idx % 64, 8, 3, plte=palette(64), trns=bytes(RNG.integers(0, 256, 10, dtype=np.uint8))), "palette-trns")
    add("pal-trns-single.png", make_png(idx % 16, 8, 3, plte=palette(16), trns=b"\xff\xff\x00\xff"), "palette-trns")
    add("pal-trns-single-last.png", make_png(idx % 16, 8, 3, plte=palette(16), trns=b"\xff" * 15 + b"\x00"), "palette-trns")
    add("pal-trns-long.png", make_png(idx % 32, 8, 3, plte=palette(8), trns=bytes(range(0, 256, 8))), "palette-trns")
    add("pal-trns-empty.png", make_png(idx % 16, 8, 3, plte=palette(16), trns=b""), "palette-trns")
    add("pal-trns-after-idat.png", make_png(idx % 16, 8, 3, plte=palette(16), trns=b"\x00\x80\x40", trns_after=True), "palette-trns")
    add("pal2-trns-adam7.png", make_png(content(21, 19, 1, 3, "noise"), 2, 3, interlace=True, plte=palette(4), trns=b"\x00\x55"), "palette-trns")
    add("pal1-trns.png", make_png(content(9, 30, 1, 1, "noise"), 1, 3, plte=palette(2), trns=b"\x00"), "palette-trns")
    add("pal4-trns-adam7.png", make_png(content(13, 11, 1, 15, "noise"), 4, 3, interlace=True, plte=palette(16), trns=bytes(range(0, 160, 10))), "palette-trns")
    # Two PLTE chunks (the last before IDAT wins), PLTE in an RGB file (ignored).
    add("pal-two-plte.png", make_png(idx % 8, 8, 3, before=[chunk(b"PLTE", palette(8))], plte=palette(8)), "palette")
    add("rgb-with-plte.png", make_png(content(9, 10, 3, 255, "noise"), 8, 2, plte=palette(100)), "palette")

    # tRNS colour keys (8 and 16 bit, and grey 1/2/4-bit), with pixels that match the key.
    def keyed_grey(d: int, key: int, il: bool = False) -> bytes:
        maxv = (1 << d) - 1
        arr = content(15, 17, 1, maxv, "noise")
        arr[::3, ::2, 0] = key & maxv
        return make_png(arr, d, 0, interlace=il, trns=struct.pack(">H", key))

    for d, key in ((1, 0), (1, 1), (2, 1), (2, 0), (4, 7), (8, 0), (8, 200), (16, 200), (16, 300), (16, 0xFFFF)):
        add(f"grey{d}-key{key}.png", keyed_grey(d, key), "colour-key")
    add("grey8-key200-adam7.png", keyed_grey(8, 200, True), "colour-key")

    def keyed_rgb(d: int, key: tuple[int, int, int], il: bool = False) -> bytes:
        maxv = (1 << d) - 1
        arr = content(14, 16, 3, maxv, "noise")
        arr[1::2, ::3] = key
        return make_png(arr, d, 2, interlace=il, trns=struct.pack(">HHH", *key))

    for d, key in ((8, (10, 20, 30)), (8, (0, 0, 0)), (16, (10, 20, 30)), (16, (0x1234, 0x5678, 0x9ABC)), (16, (300, 20, 30))):
        add(f"rgb{d}-key{'-'.join(map(str, key))}.png", keyed_rgb(d, key), "colour-key")
    add("rgb8-key-adam7.png", keyed_rgb(8, (1, 2, 3), True), "colour-key")
    add("grey8-key-after-idat.png", make_png(np.full((6, 5), 9), 8, 0, trns=b"\x00\x09", trns_after=True), "colour-key")
    # tRNS where Pillow ignores it (grey+alpha, RGBA).
    add("rgba-with-trns.png", make_png(content(5, 6, 4, 255, "noise"), 8, 6, trns=b"\x00\x01\x00\x02\x00\x03"), "colour-key")

    # 16-bit extremes: values whose high and low bytes differ, all 0xFFFF / 0x00FF / 0xFF00.
    for ct in (0, 2, 4, 6):
        s = SAMPLES[ct]
        arr = np.zeros((4, 4, s), np.int64)
        arr[0] = 0xFFFF
        arr[1] = 0x00FF
        arr[2] = 0xFF00
        arr[3] = 0x0100
        add(f"d16-extremes-ct{ct}.png", make_png(arr, 16, ct), "16-bit")

    # Deflate variety: stored blocks (level 0), fixed Huffman (Z_FIXED), Huffman only, RLE,
    # filtered, level 1 and 9, small windows; big enough for several blocks.
    # Smooth content with a noisy band, so that every strategy emits real Huffman blocks.
    big = content(96, 200, 3, 255, "smooth")
    big[40:50] = content(10, 200, 3, 255, "noise")
    for name, lvl, strat, wb in (
        ("stored", 0, zlib.Z_DEFAULT_STRATEGY, 15),
        ("fixed", 6, zlib.Z_FIXED, 15),
        ("huffman-only", 6, zlib.Z_HUFFMAN_ONLY, 15),
        ("rle", 6, zlib.Z_RLE, 15),
        ("filtered", 6, zlib.Z_FILTERED, 15),
        ("level1", 1, zlib.Z_DEFAULT_STRATEGY, 15),
        ("level9", 9, zlib.Z_DEFAULT_STRATEGY, 15),
        ("window512", 6, zlib.Z_DEFAULT_STRATEGY, 9),
        ("window4k", 9, zlib.Z_DEFAULT_STRATEGY, 12),
    ):
        add(f"zlib-{name}.png", make_png(big, 8, 2, level=lvl, strategy=strat, wbits=wb, choose=lambda y: (y * 7) % 5), "deflate")
    add("zlib-stored-big.png", make_png(content(300, 300, 1, 255, "noise"), 8, 0, level=0), "deflate")
    # Long runs: distance-1 and short-period matches.
    runs = np.zeros((40, 300, 3), np.int64)
    runs[:, :, 0] = 7
    runs[::2, ::3, 1] = 200
    add("zlib-runs.png", make_png(runs, 8, 2, choose=lambda y: 0), "deflate")
    add("zlib-runs-9.png", make_png(runs, 8, 2, level=9, choose=lambda y: 1), "deflate")

    # IDAT layout: 1-byte chunks, zero-length chunks in between, 7-byte chunks, interlaced too.
    add("idat-1byte.png", make_png(content(11, 13, 3, 255, "mixed"), 8, 2, idat_split=split_every(1)), "idat-layout")
    add("idat-7byte-adam7.png", make_png(content(21, 17, 4, 255, "mixed"), 8, 6, interlace=True, idat_split=split_every(7)), "idat-layout")
    add("idat-empty-chunks.png", make_png(content(30, 30, 1, 255, "mixed"), 8, 0, idat_split=split_with_empty), "idat-layout")
    add("idat-empty-first-last.png", make_png(content(8, 9, 2, 255, "noise"), 8, 4, idat_split=lambda z: [b"", z, b""]), "idat-layout")

    # Ancillary chunks before and after IDAT, unknown ancillary and private chunks, eXIf.
    text = [chunk(b"tEXt", b"Comment\x00hello"), chunk(b"gAMA", struct.pack(">I", 45455)), chunk(b"pHYs", struct.pack(">IIB", 2835, 2835, 1))]
    unknown = [chunk(b"prVt", b"\x00" * 10), chunk(b"zzZz", b"abc"), chunk(b"tIME", b"\x07\xe9\x01\x02\x03\x04\x05")]
    add("ancillary-before.png", make_png(content(12, 10, 3, 255, "mixed"), 8, 2, before=text + unknown), "chunks")
    add("ancillary-after.png", make_png(content(12, 10, 3, 255, "mixed"), 8, 2, after=text + unknown), "chunks")
    add("ancillary-zero-length.png", make_png(content(5, 5, 1, 255, "mixed"), 8, 0, before=[chunk(b"zeRo", b"")], after=[chunk(b"soME", b"")]), "chunks")
    exif = b"MM\x00*\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00\x00\x00\x00\x00"
    add("exif-orientation6.png", make_png(content(6, 9, 3, 255, "mixed"), 8, 2, before=[chunk(b"eXIf", exif)]), "chunks")
    add("exif-after-idat.png", make_png(content(6, 9, 3, 255, "mixed"), 8, 2, after=[chunk(b"eXIf", exif)]), "chunks")

    # Large and long: a few big images (smooth content keeps the files small), long lines.
    add("large-rgb-1920x1080.png", make_png(content(1080, 1920, 3, 255, "smooth"), 8, 2, choose=lambda y: y % 5), "large")
    add("large-rgba-adam7-1024x768.png", make_png(content(768, 1024, 4, 255, "smooth"), 8, 6, interlace=True, choose=lambda y: (y // 3) % 5), "large")
    add("large-grey16-1500x1000.png", make_png(content(1000, 1500, 1, 65535, "smooth"), 16, 0, choose=lambda y: 4), "large")
    add("large-grey1-4000x3000.png", make_png(content(3000, 4000, 1, 1, "smooth"), 1, 0, choose=lambda y: 2), "large")
    add("line-4000x1.png", make_png(content(1, 4000, 3, 255, "mixed"), 8, 2), "large")
    add("line-1x4000.png", make_png(content(4000, 1, 4, 255, "mixed"), 8, 6), "large")
    add("line-1x3000-adam7.png", make_png(content(3000, 1, 1, 3, "mixed"), 2, 0, interlace=True), "large")

    # Pillow-written files in each mode it saves, and the sample photos in other modes.
    base = Image.open(REPO / "samples" / "chelsea.png").convert("RGB")
    small = base.resize((150, 100), Image.Resampling.BILINEAR)
    for mode in ("1", "L", "LA", "P", "RGB", "RGBA", "I;16"):
        im = small.convert("L").convert(mode) if mode in ("1", "I;16") else small.convert(mode)
        if mode == "I;16":
            im = Image.frombytes("I;16", small.size, (np.asarray(small.convert("L"), np.uint16) * 257).astype("<u2").tobytes())
        buf = io.BytesIO()
        im.save(buf, "PNG", optimize=(mode == "P"))
        add(f"pillow-{mode.replace(';', '')}.png", buf.getvalue(), "pillow-written")
    buf = io.BytesIO()
    small.quantize(50).save(buf, "PNG", transparency=3)
    add("pillow-P-transparency.png", buf.getvalue(), "pillow-written")
    buf = io.BytesIO()
    small.convert("L").save(buf, "PNG", transparency=77)
    add("pillow-L-transparency.png", buf.getvalue(), "pillow-written")
    buf = io.BytesIO()
    small.save(buf, "PNG", transparency=(10, 20, 30))
    add("pillow-RGB-transparency.png", buf.getvalue(), "pillow-written")

    # Photos: an RGBA one (coffee with an alpha ramp, used by bench/decode-png.ts too), an
    # interlaced one through our writer, a palette one.
    coffee = Image.open(REPO / "samples" / "coffee.png").convert("RGB")
    alpha = Image.linear_gradient("L").resize(coffee.size)
    rgba = coffee.copy()
    rgba.putalpha(alpha)
    buf = io.BytesIO()
    rgba.save(buf, "PNG")
    add("photo-coffee-rgba.png", buf.getvalue(), "photo")
    chelsea = np.asarray(base, np.int64)
    add("photo-chelsea-adam7.png", make_png(chelsea, 8, 2, interlace=True, choose=lambda y: "best", level=9), "photo")
    buf = io.BytesIO()
    base.quantize(256).save(buf, "PNG")
    add("photo-chelsea-p.png", buf.getvalue(), "photo")

    # Consecutive Paeth rows (the decoder takes them two at a time) at every small width, odd
    # and even heights, and runs broken by other filters. Own generator: the cases above keep
    # their bytes.
    rng = np.random.default_rng(7)
    pattern = [4, 4, 1, 4, 4, 4, 3, 4, 0, 4, 2, 4, 4]
    for ct in (2, 6):
        for w, h in ((1, 1), (1, 2), (1, 5), (2, 3), (3, 4), (4, 7), (5, 2), (16, 9)):
            add(f"paeth-ct{ct}-{w}x{h}.png", make_png(content(h, w, SAMPLES[ct], 255, "noise", rng), 8, ct, choose=lambda y: 4), "paeth-pairs")
        add(f"paeth-runs-ct{ct}.png", make_png(content(26, 13, SAMPLES[ct], 255, "mixed", rng), 8, ct, choose=lambda y: pattern[y % 13]), "paeth-pairs")

    # Orientation: XMP in iTXt and tEXt (Pillow's fallback when EXIF has no orientation tag),
    # eXIf without the tag, eXIf and XMP disagreeing (EXIF wins), values outside 1-8.
    small = content(5, 7, 3, 255, "smooth")
    def xmp(v: str) -> bytes:
        return f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description tiff:Orientation="{v}"/></x:xmpmeta>'.encode()
    def itxt(text: bytes) -> bytes:
        return chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0" + text)
    no_tag = b"MM\x00*\x00\x00\x00\x08\x00\x01\x01\x00\x00\x03\x00\x00\x00\x01\x00\x10\x00\x00\x00\x00\x00\x00"
    add("xmp-itxt-orientation3.png", make_png(small, 8, 2, before=[itxt(xmp("3"))]), "orientation")
    add("xmp-text-orientation8.png", make_png(small, 8, 2, after=[chunk(b"tEXt", b"XML:com.adobe.xmp\0" + xmp("8"))]), "orientation")
    add("xmp-element-orientation5.png", make_png(small, 8, 2, before=[itxt(b"<tiff:Orientation>5</tiff:Orientation>")]), "orientation")
    add("xmp-orientation9.png", make_png(small, 8, 2, before=[itxt(xmp("9"))]), "orientation")
    add("exif-no-tag-xmp6.png", make_png(small, 8, 2, before=[chunk(b"eXIf", no_tag), itxt(xmp("6"))]), "orientation")
    add("exif6-xmp2.png", make_png(small, 8, 2, before=[chunk(b"eXIf", exif), itxt(xmp("2"))]), "orientation")
    add("xmp-two-chunks-last-wins.png", make_png(small, 8, 2, before=[itxt(xmp("4"))], after=[itxt(xmp("7"))]), "orientation")


SAMPLE_PHOTOS = ["astronaut.png", "chelsea.png", "coffee.png"]


# ---------------------------------------------------------------------------------------------
# Convert fixtures: images Pillow creates directly, in every mode convertMode reads


def build_convert() -> list[dict]:
    CONVERT.mkdir(exist_ok=True)
    for old in CONVERT.glob("*.bin"):
        old.unlink()
    w, h = 37, 23
    n = w * h
    cases = []

    def rand(k: int) -> bytes:
        return bytes(RNG.integers(0, 256, size=k, dtype=np.uint8))

    def add_case(name: str, im: Image.Image, raw: bytes, transparency=None) -> None:
        if transparency is not None:
            im.info["transparency"] = transparency
        (CONVERT / f"{name}.bin").write_bytes(raw)
        rec = {"name": name, "file": f"tests/codec/convert/{name}.bin", "mode": im.mode, "width": w, "height": h, "input": sha(raw)}
        if im.mode == "P":
            rec["palette"] = im.getpalette()
        if transparency is not None:
            rec["transparency"] = list(transparency) if isinstance(transparency, (bytes, tuple)) else transparency
        for mode in ("RGB", "L", "RGBA"):
            src = im.copy()
            src.info = dict(im.info)
            rec[mode] = sha(src.convert(mode).tobytes())
        cases.append(rec)

    # Values that hit every edge: 0, 255, and random bytes.
    def edge(k: int) -> bytes:
        b = bytearray(rand(k))
        b[0:8] = b"\x00\xff\x00\xff\x80\x7f\x01\xfe"
        return bytes(b)

    one = bytes(255 if v & 1 else 0 for v in rand(n))
    im = Image.frombytes("L", (w, h), one).convert("1", dither=Image.Dither.NONE)
    add_case("mode-1", im, one)
    add_case("mode-1-key0", im.copy(), one, 0)
    add_case("mode-1-key255", im.copy(), one, 255)
    raw = edge(n)
    add_case("mode-L", Image.frombytes("L", (w, h), raw), raw)
    keyed = bytearray(raw)
    keyed[::5] = b"\x2c" * len(keyed[::5])
    add_case("mode-L-key44", Image.frombytes("L", (w, h), bytes(keyed)), bytes(keyed), 44)
    add_case("mode-L-key300", Image.frombytes("L", (w, h), bytes(keyed)), bytes(keyed), 300)  # Pillow compares key & 0xff
    raw = edge(2 * n)
    add_case("mode-LA", Image.frombytes("LA", (w, h), raw), raw)
    raw = edge(3 * n)
    add_case("mode-RGB", Image.frombytes("RGB", (w, h), raw), raw)
    keyed = bytearray(raw)
    for i in range(0, n, 4):
        keyed[3 * i : 3 * i + 3] = b"\x0a\x14\x1e"
    add_case("mode-RGB-key", Image.frombytes("RGB", (w, h), bytes(keyed)), bytes(keyed), (10, 20, 30))
    add_case("mode-RGB-key16", Image.frombytes("RGB", (w, h), bytes(keyed)), bytes(keyed), (0x10A, 0x214, 0x31E))
    raw = edge(4 * n)
    add_case("mode-RGBA", Image.frombytes("RGBA", (w, h), raw), raw)
    raw = edge(4 * n)
    add_case("mode-CMYK", Image.frombytes("CMYK", (w, h), raw), raw)
    # I;16: values across the whole range (most clip to 255 in Pillow's I;16 -> L/RGB).
    vals = RNG.integers(0, 65536, size=n, dtype=np.uint32)
    vals[: n // 2] = RNG.integers(0, 300, size=n // 2)
    vals[:6] = [0, 1, 255, 256, 65535, 44]
    raw = vals.astype("<u2").tobytes()
    add_case("mode-I16", Image.frombytes("I;16", (w, h), raw), raw)
    add_case("mode-I16-key44", Image.frombytes("I;16", (w, h), raw), raw, 44)
    add_case("mode-I16-key300", Image.frombytes("I;16", (w, h), raw), raw, 300)
    add_case("mode-I16-key255", Image.frombytes("I;16", (w, h), raw), raw, 255)
    # P: full palette, short palette (indices past its end), bytes and int transparency.
    raw = rand(n)
    pal = list(rand(768))
    p = Image.frombytes("P", (w, h), raw)
    p.putpalette(pal)
    add_case("mode-P", p, raw)
    p = Image.frombytes("P", (w, h), raw)
    p.putpalette(pal[:90])
    add_case("mode-P-short", p, raw)
    p = Image.frombytes("P", (w, h), raw)
    p.putpalette(pal)
    add_case("mode-P-trns-bytes", p, raw, rand(200))
    p = Image.frombytes("P", (w, h), raw)
    p.putpalette(pal)
    add_case("mode-P-trns-int", p, raw, 7)
    return cases


def filtered_zlib6(raw: bytes) -> bytes:
    """Reference zlib at level 6 with Z_FILTERED: how Pillow's PNG encoder configures zlib."""
    co = zlib.compressobj(6, zlib.DEFLATED, 15, 9, zlib.Z_FILTERED)
    return co.compress(raw) + co.flush()


def chunks_of(data: bytes):
    off = 8
    while off + 12 <= len(data):
        (n,) = struct.unpack(">I", data[off : off + 4])
        yield data[off + 4 : off + 8], data[off + 8 : off + 8 + n]
        off += 12 + n


# ---------------------------------------------------------------------------------------------


def main() -> None:
    assert PIL.__version__.startswith("12.3"), f"expected Pillow 12.3, got {PIL.__version__}"
    CORPUS.mkdir(exist_ok=True)
    for old in CORPUS.glob("*.png"):
        old.unlink()
    build_corpus()
    files = []
    for name, (data, category) in sorted(FILES.items()):
        path = CORPUS / name
        path.write_bytes(data)
        files.append(pillow_record(path, category))
    for name in SAMPLE_PHOTOS:
        files.append(pillow_record(REPO / "samples" / name, "photo"))
    encoded = []
    for path in sorted(ENCODED.glob("*.png")) if ENCODED.exists() else []:
        im = Image.open(path)
        data = path.read_bytes()
        idat = b"".join(d for t, d in chunks_of(data) if t == b"IDAT")
        encoded.append({
            "file": str(path.relative_to(REPO)), "sha256": sha(data), "mode": im.mode, "width": im.width, "height": im.height,
            "pixels": sha(im.tobytes()), "zlib6": len(zlib.compress(zlib.decompress(idat), 6)),
            "zlib6_filtered": len(filtered_zlib6(zlib.decompress(idat))),
        })
    manifest = {
        "generator": "tests/codec/make_png_corpus.py",
        "versions": {"python": sys.version.split()[0], "Pillow": PIL.__version__, "numpy": np.__version__, "zlib": zlib.ZLIB_RUNTIME_VERSION},
        "files": files,
        "convert": build_convert(),
        "encoded": encoded,
    }
    MANIFEST.write_text(json.dumps(manifest, indent=1) + "\n")
    total = sum(f["bytes"] for f in files if f["file"].startswith("tests/"))
    print(f"{len(files)} files ({total / 1e6:.2f} MB in tests/codec/png), {len(manifest['convert'])} convert cases, {len(encoded)} encoded files")


if __name__ == "__main__":
    main()

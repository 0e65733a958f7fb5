"""Writes tests/codec/other/: BMP, GIF and TIFF files that lockstep decodes through jimp, with the
SHA-256 of Pillow's convert("RGB" | "L" | "RGBA") bytes. lockstep promises Pillow's bytes for PNG
and JPEG only; these files are the simple cases where jimp's decoders agree with Pillow, and the
test pins that they still do. Run with the venv of tests/parity (Pillow 12.3):

    /work/venv/bin/python tests/codec/make_other_corpus.py
"""
import hashlib, json, os
import PIL
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "other")
os.makedirs(OUT, exist_ok=True)

def pattern(w, h):
    im = Image.new("RGB", (w, h))
    im.putdata([((x * 37 + y * 11) % 256, (x * 5 + y * 29) % 256, (x * y + 7) % 256) for y in range(h) for x in range(w)])
    return im

files = []
def add(name, im, **save):
    path = os.path.join(OUT, name)
    im.save(path, **save)
    with Image.open(path) as got:
        files.append({
            "file": os.path.relpath(path, os.path.join(HERE, "..", "..")),
            "width": got.width, "height": got.height, "mode": got.mode,
            **{m: hashlib.sha256(got.convert(m).tobytes()).hexdigest() for m in ("RGB", "L", "RGBA")},
        })

add("rgb-24bit.bmp", pattern(33, 17))
add("rgb-uncompressed.tiff", pattern(29, 13), compression=None)
add("palette-opaque.gif", pattern(31, 19).quantize(64, dither=Image.Dither.NONE))

with open(os.path.join(OUT, "manifest.json"), "w") as f:
    json.dump({"generator": "tests/codec/make_other_corpus.py", "pillow": PIL.__version__, "files": files}, f, indent=1)
print(f"{len(files)} files in {OUT}")

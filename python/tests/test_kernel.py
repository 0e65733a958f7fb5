"""The kernel under wasmtime: Random123's known answers, the fast call path, traps become exceptions."""
import numpy as np
import pytest

import lockstep
from lockstep.kernel.instance import kernel

# Random123 kat_vectors (DESIGN.md)
KAT = [
    ([0, 0, 0, 0], [0, 0], [0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8]),
    ([0xFFFFFFFF] * 4, [0xFFFFFFFF] * 2, [0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD]),
    ([0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344], [0xA4093822, 0x299F31D0], [0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1]),
]


@pytest.mark.parametrize("counter,key,want", KAT)
def test_philox_known_answers(counter, key, want):
    assert lockstep.philox4x32(counter, key).tolist() == want


def test_unchecked_calls_equal_wasmtime_checked_calls():
    k = kernel()
    at = k.arena.fixed
    exports = k.instance.exports(k.store)
    rng = np.random.default_rng(5)
    for _ in range(50):
        args = [int(v) for v in rng.integers(0, 2**32, 6)]
        k.philox(*args, at)
        fast = k.arena.u32[at >> 2 : (at >> 2) + 4].tolist()
        exports["philox"](k.store, *[a - 2**32 if a >= 2**31 else a for a in args], at)
        assert k.arena.u32[at >> 2 : (at >> 2) + 4].tolist() == fast
    for x in (0.5, 2.0, 1e-300, 123.456):
        assert k.mathLog(x) == exports["mathLog"](k.store, x)
        assert k.mathExp(-x) == exports["mathExp"](k.store, -x)


def test_a_trap_is_a_python_exception_and_the_kernel_keeps_working():
    k = kernel()
    with pytest.raises(lockstep.KernelError, match="internal kernel error"):
        k.philox(0, 0, 0, 0, 0, 0, 2**31 - 8)  # a store past the end of memory: wasm traps
    assert lockstep.philox4x32(*KAT[2][:2]).tolist() == KAT[2][2]
    img = np.arange(60, dtype=np.uint8).reshape(4, 5, 3)
    assert np.array_equal(lockstep.F.hflip(img), img[:, ::-1])


def test_bad_philox_arguments():
    with pytest.raises(TypeError, match="counter"):
        lockstep.philox4x32([1, 2, 3], [0, 0])
    with pytest.raises(ValueError, match=r"key\[1\]"):
        lockstep.philox4x32([0, 0, 0, 0], [0, 2**32])


def test_mirrored_constants_agree_with_the_kernel():
    """Every number the Python host restates from assembly/ equals the kernel's exported constant."""
    from importlib import import_module

    # The modules themselves (lockstep.functional's `jpeg` is also the name of its function).
    io, jpeg, warp, exports = (import_module(f"lockstep.{m}") for m in ("io", "functional.jpeg", "functional.warp", "kernel.exports"))

    c = kernel().constants
    assert len(c) > 0, "the kernel exports no constants"
    mirrored = {
        "MODE_CONSTANT": exports.MODE["constant"], "MODE_EDGE": exports.MODE["edge"],
        "MODE_REFLECT": exports.MODE["reflect"], "MODE_SYMMETRIC": exports.MODE["symmetric"],
        "FILTER_NEAREST": exports.FILTER["nearest"], "FILTER_BILINEAR": exports.FILTER["bilinear"],
        "FILTER_BICUBIC": exports.FILTER["bicubic"],
        "FLAG_HFLIP": exports.FLAG["hflip"], "FLAG_VFLIP": exports.FLAG["vflip"], "FLAG_TENSOR": exports.FLAG["tensor"],
        "FLAG_TORCH": exports.FLAG["torch"], "FLAG_SCALE_MUL": exports.FLAG["scaleMul"],
        "WARP_AFFINE": warp.KIND["affine"], "WARP_PERSPECTIVE": warp.KIND["perspective"],
        "WARP_NEAREST": warp.FILTER["nearest"], "WARP_BILINEAR": warp.FILTER["bilinear"],
        "TV_FILL": warp._TV_FILL, "TV_V1": warp._TV_V1,
        "INFO_WIDTH": jpeg.INFO_WIDTH, "INFO_HEIGHT": jpeg.INFO_HEIGHT, "INFO_BYTES": jpeg.INFO_BYTES,
        "INFO_SCRATCH": jpeg.INFO_SCRATCH, "INFO_END": jpeg.INFO_END, "INFO_JPEG_OPTIONS": jpeg.INFO_JPEG_OPTIONS,
        "E_ENC_SPACE": jpeg.E_ENC_SPACE,
        "INFO_FORMAT": io._FORMAT, "INFO_MODE": io._MODE, "INFO_ORIENTATION": io._ORIENTATION, "INFO_FLAGS": io._FLAGS,
        "INFO_OUT_WIDTH": io._OUT_WIDTH, "INFO_OUT_HEIGHT": io._OUT_HEIGHT, "INFO_OUT_CHANNELS": io._OUT_CHANNELS,
        "INFO_OUT_SCRATCH": io._OUT_SCRATCH, "AUX_BYTES": io._AUX_BYTES, "E_FORMAT": io._E_FORMAT,
        "E_TOO_LARGE": io._E_TOO_LARGE, "WANT_KEEP": io._WANT["keep"], "MODE_L": io._WANT["L"],
        "MODE_RGB": io._WANT["RGB"], "MODE_RGBA": io._WANT["RGBA"],
    }
    assert {n: c.get(n) for n in mirrored} == mirrored
    assert io._WIDTH == c["INFO_WIDTH"] and io._HEIGHT == c["INFO_HEIGHT"] and io._JPEG_OPTIONS == c["INFO_JPEG_OPTIONS"]
    assert io._INFO_WORDS == c["INFO_WORDS"] and jpeg.INFO_BLOCK == 4 * c["INFO_WORDS"]
    names = {c[f"MODE_{m}"]: p for m, p in [("1", "1"), ("L", "L"), ("LA", "LA"), ("RGB", "RGB"), ("RGBA", "RGBA"), ("P", "P"), ("I16", "I;16"), ("CMYK", "CMYK")]}
    assert {i: n for i, n in enumerate(io._MODE_NAMES) if n} == names


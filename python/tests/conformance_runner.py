"""The conformance vector file (tests/conformance/vectors.json) through the Python host: every case's
output shape, params and SHA-256 (or error class) must equal the JavaScript answers. A port of
tests/conformance/compute.ts's runVectors; `python conformance_runner.py [vectors.json]` prints the
summary as one JSON line (a row of the platform matrix, tests/conformance/python.ts)."""
from __future__ import annotations

import base64
import hashlib
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))

import lockstep  # noqa: E402
from lockstep import _js  # noqa: E402
from lockstep.errors import js_error_name  # noqa: E402

VECTORS = ROOT / "tests" / "conformance" / "vectors.json"


def synthetic_image(width: int, height: int, channels: int, salt: int) -> np.ndarray:
    """compute.ts's syntheticImage: a gradient plus a hash of the position (32-bit integer arithmetic)."""
    i = np.arange(width * height * channels, dtype=np.uint64)
    y, x, c = np.unravel_index(np.arange(width * height * channels), (height, width, channels))
    a = ((i + 1) * 0x9E3779B1) & 0xFFFFFFFF
    b = ((salt + 7) * 0x85EBCA6B) & 0xFFFFFFFF
    noise = (a ^ b) & 0xFFFFFFFF
    v = (x * 29 + y * 13 + c * 71 + salt * 5 + ((noise >> 26) & 63).astype(np.int64)) & 255
    return v.astype(np.uint8).reshape(height, width, channels)


def decode_inputs(vectors: dict) -> dict:
    out = {}
    for name, s in vectors["inputs"].items():
        if "base64" in s:
            data = np.frombuffer(base64.b64decode(s["base64"]), np.uint8)
            out[name] = data.reshape(s["height"], s["width"], s["channels"])
        else:
            out[name] = synthetic_image(s["width"], s["height"], s["channels"], s.get("synthetic", 0))
    return out


def register_lambdas() -> None:
    """The user functions the Lambda cases call: the same integer arithmetic as compute.ts's registerLambdas."""
    def img(x):
        if x.dtype != np.uint8:
            raise TypeError("conformance lambdas take images")
        return x

    def invert(x, rng):
        return 255 - img(x)

    def shift(x, rng):
        i = img(x)
        by = rng.randint(0, 256)
        c = rng.randint(0, i.shape[2])
        y = i.copy()
        y[:, :, c] = (y[:, :, c].astype(np.int32) + by) & 255
        return y

    def transpose(x, rng):
        return np.ascontiguousarray(img(x).transpose(1, 0, 2))

    def swap(m):
        return {**m, "width": m["height"], "height": m["width"]} if m["kind"] == "image" else m

    for name, fn, meta in (("conformance.invert", invert, None), ("conformance.shift", shift, None), ("conformance.transpose", transpose, swap)):
        try:
            lockstep.register_lambda(name, fn, output_meta=meta)
        except ValueError as e:
            if "already registered" not in str(e):
                raise


def describe_out(y: np.ndarray) -> str:
    if y.dtype == np.float32:
        return "tensor " + "x".join(str(d) for d in y.shape)
    return f"image {y.shape[1]}x{y.shape[0]}x{y.shape[2]}"


def compute_case(pipeline, input: np.ndarray, case: dict) -> dict:
    try:
        seed = int(case["seed"]) if isinstance(case["seed"], str) else case["seed"]
        y, record = pipeline.apply_with_record(input, seed=seed, epoch=case["epoch"], index=case["index"])
        params = _js.to_json_value(record["params"])
    except Exception as e:  # noqa: BLE001 - the class is the answer
        return {"error": js_error_name(e), "message": str(e)}
    return {"out": describe_out(y), "params": params, "sha256": hashlib.sha256(np.ascontiguousarray(y).tobytes()).hexdigest()}


def same(case: dict, got: dict) -> bool:
    if "error" in case:
        return got.get("error") == case["error"]
    return "error" not in got and got["out"] == case["out"] and got["sha256"] == case["sha256"] and _js.dumps(got["params"]) == _js.dumps(case["params"])


def case_name(vectors: dict, case: dict) -> str:
    return f"{vectors['pipelines'][case['pipeline']]['name']}/{case['input']}/{case['seed']}:{case['epoch']}:{case['index']}"


def types_in(json_value, into=None) -> set:
    """Every transform type named in a pipeline's JSON (generate.ts's typesIn)."""
    into = set() if into is None else into
    if isinstance(json_value, list):
        for x in json_value:
            types_in(x, into)
    elif isinstance(json_value, dict):
        if isinstance(json_value.get("type"), str):
            into.add(json_value["type"])
        for v in json_value.values():
            if isinstance(v, (list, dict)):
                types_in(v, into)
    return into


def unported(vectors: dict) -> set:
    """Pipelines (by number) using a transform type this host does not have yet (the JavaScript host's
    newer types: targets and their conversions, issue 12); their cases, and the target cases, are
    counted as notPorted instead of being computed."""
    have = set(lockstep.registered_types())
    return {n for n, p in enumerate(vectors["pipelines"]) if not types_in(p["json"]) <= have}


def run_vectors(vectors: dict, platform: str = "python (wasmtime)"):
    """Every case of vectors: (summary as compute.ts's Summary, [(case number, case, outcome)] of the mismatches)."""
    register_lambdas()
    start = time.time()
    summary = {"platform": platform, "runtime": "python", "backend": "wasm", "cases": 0, "matches": 0, "mismatches": 0, "first": None, "ms": 0}
    skip = unported(vectors)
    have = set(lockstep.registered_types())
    # Not run here, and counted so the row says so: every target case (samples with boxes, masks,
    # key points: not ported yet) and the image cases of the types this host lacks.
    summary["notPortedTargetCases"] = len(vectors.get("targetCases", []))
    summary["notPorted"] = sum(1 for c in vectors["cases"] if c["pipeline"] in skip) + summary["notPortedTargetCases"]
    summary["notPortedTypes"] = sorted({t for n in skip for t in types_in(vectors["pipelines"][n]["json"])} - have)
    inputs = decode_inputs(vectors)
    pipelines: dict = {}
    bad = []
    for n, c in enumerate(vectors["cases"]):
        if c["pipeline"] in skip:
            continue
        summary["cases"] += 1
        p = pipelines.get(c["pipeline"])
        if p is None:
            try:
                p = lockstep.from_json(vectors["pipelines"][c["pipeline"]]["json"])
            except Exception as e:  # noqa: BLE001
                p = e
            pipelines[c["pipeline"]] = p
        got = {"error": "fromJSON", "message": str(p)} if isinstance(p, Exception) else compute_case(p, inputs[c["input"]], c)
        if same(c, got):
            summary["matches"] += 1
        else:
            summary["mismatches"] += 1
            bad.append((n, c, got))
            if summary["first"] is None:
                summary["first"] = {"n": n, "name": case_name(vectors, c), "case": c, "pipeline": vectors["pipelines"][c["pipeline"]]["json"], "got": got}
    for k, d in enumerate(vectors.get("decodes", [])):
        summary["cases"] += 1
        got = compute_decode(d)
        ok = got.get("error") == d["error"] if "error" in d else "error" not in got and got["out"] == d["out"] and got["sha256"] == d["sha256"]
        if ok:
            summary["matches"] += 1
        else:
            summary["mismatches"] += 1
            n = len(vectors["cases"]) + len(vectors.get("targetCases", [])) + k  # compute.ts's numbering
            bad.append((n, d, got))
            if summary["first"] is None:
                summary["first"] = {"n": n, "name": f"decode {d['name']} mode {d['mode']}{' +orientation' if d['orient'] else ''}", "case": d, "pipeline": None, "got": got}
    summary["ms"] = round((time.time() - start) * 1000)
    return summary, bad


def compute_decode(d: dict) -> dict:
    """compute.ts's computeDecode: the decoded image's shape and SHA-256, or the error's JavaScript class."""
    try:
        img = lockstep.decode(base64.b64decode(d["base64"]), d["mode"], apply_exif_orientation=d["orient"])
    except Exception as e:  # noqa: BLE001
        return {"error": js_error_name(e), "message": str(e)}
    h, w, c = img.shape
    return {"out": f"image {w}x{h}x{c}", "sha256": hashlib.sha256(np.ascontiguousarray(img).tobytes()).hexdigest()}


def load(path=VECTORS) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def not_ported_line(summary: dict) -> str:
    """What this row did not run, in words (empty when it ran everything)."""
    if not summary.get("notPorted"):
        return ""
    image = summary["notPorted"] - summary.get("notPortedTargetCases", 0)
    types = ", ".join(summary.get("notPortedTypes", [])) or "none"
    return (f"{summary['platform']}: NOT RUN (not ported to Python yet, issue 12): {summary.get('notPortedTargetCases', 0)} target cases "
            f"and {image} image cases of the types {types}")


if __name__ == "__main__":
    summary, _ = run_vectors(load(sys.argv[1] if len(sys.argv) > 1 else VECTORS))
    line = not_ported_line(summary)
    if line:
        print(line)
    print(json.dumps(summary))

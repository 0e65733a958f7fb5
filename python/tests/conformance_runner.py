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


def synthetic_mask(shape: list, dtype: str, salt: int) -> np.ndarray:
    """compute.ts's syntheticMask: label blocks for a label map, blobs of 0/1 for instance masks; int32
    masks use large label ids (integer arithmetic)."""
    planes = shape[0] if len(shape) == 3 else 1
    h, w = shape[-2], shape[-1]
    p, y, x = np.meshgrid(np.arange(planes), np.arange(h), np.arange(w), indexing="ij")
    v = ((x + y * 3 + p * 11 + salt) >> 3) & 1 if len(shape) == 3 else ((x >> 2) * 3 + (y >> 2) * 5 + salt) % 6
    if dtype == "u8":
        return v.astype(np.uint8).reshape(-1)
    return (v * 70001 + ((x >> 3) & 1)).astype(np.int32).reshape(-1)


def build_target_sample(spec: dict, images: dict):
    """compute.ts's buildTargetSample, with lockstep's target classes."""
    image = images[spec["image"]]
    canvas = [image.shape[0], image.shape[1]]
    t = {}
    if "boxes" in spec:
        b = spec["boxes"]
        t["boxes"] = lockstep.BoundingBoxes(np.array(b["data"], np.float32), format=b["format"], canvas_size=canvas, clamping_mode=b["clampingMode"])
    if "keypoints" in spec:
        k = spec["keypoints"]
        t["keypoints"] = lockstep.KeyPoints(np.array(k["data"], np.float32).reshape(k["shape"]), canvas_size=canvas)
    if "masks" in spec:
        m = spec["masks"]
        t["masks"] = lockstep.Mask(synthetic_mask(m["shape"], m["dtype"], m["synthetic"]).reshape(m["shape"]))
    if "labels" in spec:
        t["labels"] = list(spec["labels"])
    return (image, t) if spec["layout"] == "tuple" else {"image": image, **t}


_ARRAY_TYPES = {np.dtype(np.float32): "Float32Array", np.dtype(np.uint8): "Uint8Array", np.dtype(np.int32): "Int32Array"}


def _typed(a: np.ndarray) -> dict:
    return {"type": _ARRAY_TYPES[a.dtype], "hex": np.ascontiguousarray(a).tobytes().hex()}


def targets_text(output, image) -> str:
    """compute.ts's targetsText: the output without its image as canonical JSON, every typed array as
    its type and the hex of its bytes; lockstep's targets in the JavaScript host's field order."""
    def walk(v):
        if v is image:
            return "<image>"
        if isinstance(v, lockstep.BoundingBoxes):
            return {"kind": "boxes", "format": v.format, "canvasSize": v.canvas_size, "clampingMode": v.clamping_mode, "data": _typed(v.data)}
        if isinstance(v, lockstep.KeyPoints):
            return {"kind": "keypoints", "canvasSize": v.canvas_size, "shape": v.shape, "data": _typed(v.data)}
        if isinstance(v, lockstep.Mask):
            return {"kind": "mask", "shape": v.shape, "data": _typed(v.data)}
        if isinstance(v, np.ndarray):  # ToPureTensor's plain tensors: { shape, data }
            return {"shape": list(v.shape), "data": _typed(v.reshape(-1))}
        if isinstance(v, (list, tuple)):
            return [walk(x) for x in v]
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        return v
    return _js.dumps(walk(output))


def apply_recorded(pipeline, x, case: dict):
    """compute.ts's applyRecorded: the output for the case's (seed, epoch, index) and the record's params as JSON values."""
    seed = int(case["seed"]) if isinstance(case["seed"], str) else case["seed"]
    y, record = pipeline.apply_with_record(x, seed=seed, epoch=case["epoch"], index=case["index"])
    return y, _js.to_json_value(record["params"])


def compute_target_case(pipeline, sample, case: dict) -> dict:
    """compute.ts's computeTargetCase: the image's shape, params and SHA-256, and the SHA-256 of the targets."""
    try:
        y, params = apply_recorded(pipeline, sample, case)
    except Exception as e:  # noqa: BLE001 - the class is the answer
        return {"error": js_error_name(e), "message": str(e)}
    image = y[0] if isinstance(y, (list, tuple)) else y["image"]
    return {"out": describe_out(image), "params": params, "sha256": hashlib.sha256(np.ascontiguousarray(image).tobytes()).hexdigest(),
            "targets": hashlib.sha256(targets_text(y, image).encode()).hexdigest()}


def compute_case(pipeline, input: np.ndarray, case: dict) -> dict:
    try:
        y, params = apply_recorded(pipeline, input, case)
    except Exception as e:  # noqa: BLE001 - the class is the answer
        return {"error": js_error_name(e), "message": str(e)}
    return {"out": describe_out(y), "params": params, "sha256": hashlib.sha256(np.ascontiguousarray(y).tobytes()).hexdigest()}


def same(case: dict, got: dict) -> bool:
    if "error" in case:
        return got.get("error") == case["error"]
    return ("error" not in got and got["out"] == case["out"] and got["sha256"] == case["sha256"] and got.get("targets") == case.get("targets")
            and _js.dumps(got["params"]) == _js.dumps(case["params"]))


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
    # A pipeline naming a type this host lacks is counted as not run (and the row says so), never
    # passed silently; every type is ported now, so this stays 0 unless the vectors move ahead.
    skip = unported(vectors)
    have = set(lockstep.registered_types())
    skipped_targets = sum(1 for c in vectors.get("targetCases", []) if c["pipeline"] in skip)
    summary["notPortedTargetCases"] = skipped_targets
    summary["notPorted"] = sum(1 for c in vectors["cases"] if c["pipeline"] in skip) + skipped_targets
    summary["notPortedTypes"] = sorted({t for n in skip for t in types_in(vectors["pipelines"][n]["json"])} - have)
    inputs = decode_inputs(vectors)
    pipelines: dict = {}
    bad = []

    def pipeline(i: int):
        """Pipeline i, built once (or the exception building it raised)."""
        if i not in pipelines:
            try:
                pipelines[i] = lockstep.from_json(vectors["pipelines"][i]["json"])
            except Exception as e:  # noqa: BLE001
                pipelines[i] = e
        return pipelines[i]

    def tally(ok: bool, n: int, case: dict, got: dict, first) -> None:
        """Counts one outcome; a mismatch is listed, and the first one described by first() (name, pipeline)."""
        summary["cases"] += 1
        if ok:
            summary["matches"] += 1
            return
        summary["mismatches"] += 1
        bad.append((n, case, got))
        if summary["first"] is None:
            name, pipeline_json = first()
            summary["first"] = {"n": n, "name": name, "case": case, "pipeline": pipeline_json, "got": got}

    for n, c in enumerate(vectors["cases"]):
        if c["pipeline"] in skip:
            continue
        p = pipeline(c["pipeline"])
        got = {"error": "fromJSON", "message": str(p)} if isinstance(p, Exception) else compute_case(p, inputs[c["input"]], c)
        tally(same(c, got), n, c, got, lambda: (case_name(vectors, c), vectors["pipelines"][c["pipeline"]]["json"]))
    samples: dict = {}
    for k, c in enumerate(vectors.get("targetCases", [])):
        if c["pipeline"] in skip:
            continue
        n = len(vectors["cases"]) + k  # compute.ts's numbering
        p = pipeline(c["pipeline"])
        if isinstance(p, Exception):
            got = {"error": "fromJSON", "message": str(p)}
        else:
            got = compute_target_case(p, build_target_sample(vectors["targetSamples"][c["input"]], inputs), c)
        tally(same(c, got), n, c, got, lambda: ("targets/" + case_name(vectors, c), vectors["pipelines"][c["pipeline"]]["json"]))
    for k, d in enumerate(vectors.get("decodes", [])):
        got = compute_decode(d)
        ok = got.get("error") == d["error"] if "error" in d else "error" not in got and got["out"] == d["out"] and got["sha256"] == d["sha256"]
        n = len(vectors["cases"]) + len(vectors.get("targetCases", [])) + k  # compute.ts's numbering
        tally(ok, n, d, got, lambda: (f"decode {d['name']} mode {d['mode']}{' +orientation' if d['orient'] else ''}", None))
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
    return (f"{summary['platform']}: NOT RUN (not ported to Python yet): {summary.get('notPortedTargetCases', 0)} target cases "
            f"and {image} image cases of the types {types}")


if __name__ == "__main__":
    summary, _ = run_vectors(load(sys.argv[1] if len(sys.argv) > 1 else VECTORS))
    line = not_ported_line(summary)
    if line:
        print(line)
    print(json.dumps(summary))

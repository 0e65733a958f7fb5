"""The whole conformance vector file (tests/conformance/vectors.json, made by the JavaScript host):
every case's output shape, params and SHA-256, or error class, in Python. One test per pipeline."""
import pytest

import conformance_runner as runner

VECTORS = runner.load()


@pytest.mark.parametrize("n", range(len(VECTORS["pipelines"])), ids=[p["name"] for p in VECTORS["pipelines"]])
def test_pipeline_cases_match_javascript(n):
    sub = {**VECTORS, "cases": [c for c in VECTORS["cases"] if c["pipeline"] == n], "decodes": []}
    assert sub["cases"], "every pipeline has cases"
    summary, bad = runner.run_vectors(sub)
    assert summary["cases"] == len(sub["cases"])
    assert not bad, [(runner.case_name(VECTORS, c), c.get("error") or c["sha256"][:12], got) for _, c, got in bad[:3]]


def test_decode_cases_match_javascript():
    """The vector file's decode cases: the same image shape and bytes (or error class) as JavaScript."""
    sub = {**VECTORS, "cases": []}
    assert len(sub["decodes"]) > 40
    summary, bad = runner.run_vectors(sub)
    assert summary["cases"] == len(sub["decodes"])
    assert not bad, [(c["name"], c["mode"], got) for _, c, got in bad[:3]]


def test_every_pipeline_has_cases():
    covered = {c["pipeline"] for c in VECTORS["cases"]}
    assert covered == set(range(len(VECTORS["pipelines"])))


def test_a_wrong_answer_is_caught():
    """The comparison can fail: a changed hash, params or error class is a mismatch."""
    import copy
    v = copy.deepcopy({**VECTORS, "cases": VECTORS["cases"][:40], "decodes": VECTORS["decodes"][:2]})
    v["decodes"][0]["sha256"] = "0" * 64
    v["cases"][0]["sha256"] = "0" * 64
    v["cases"][1]["params"] = ["not", "these"]
    summary, bad = runner.run_vectors(v)
    assert summary["mismatches"] == 3 and [b[0] for b in bad] == [0, 1, 40]

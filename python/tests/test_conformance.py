"""The whole conformance vector file (tests/conformance/vectors.json, made by the JavaScript host):
every case's output shape, params and SHA-256, or error class, in Python. One test per pipeline."""
import pytest

import conformance_runner as runner

VECTORS = runner.load()
IMAGE_PIPELINES = sorted({c["pipeline"] for c in VECTORS["cases"]})
TARGET_PIPELINES = sorted({c["pipeline"] for c in VECTORS["targetCases"]})


@pytest.mark.parametrize("n", IMAGE_PIPELINES, ids=[VECTORS["pipelines"][n]["name"] for n in IMAGE_PIPELINES])
def test_pipeline_cases_match_javascript(n):
    sub = {**VECTORS, "cases": [c for c in VECTORS["cases"] if c["pipeline"] == n], "targetCases": [], "decodes": []}
    assert sub["cases"], "every pipeline has cases"
    summary, bad = runner.run_vectors(sub)
    assert summary["cases"] == len(sub["cases"])
    assert not bad, [(runner.case_name(VECTORS, c), c.get("error") or c["sha256"][:12], got) for _, c, got in bad[:3]]


@pytest.mark.parametrize("n", TARGET_PIPELINES, ids=[VECTORS["pipelines"][n]["name"] for n in TARGET_PIPELINES])
def test_target_cases_match_javascript(n):
    """Samples with boxes, masks, key points and labels: the image's bytes, the params and the SHA-256 of
    the targets' canonical text (or the error class) as the JavaScript host computed them."""
    sub = {**VECTORS, "cases": [], "targetCases": [c for c in VECTORS["targetCases"] if c["pipeline"] == n], "decodes": []}
    assert sub["targetCases"], "every target pipeline has cases"
    summary, bad = runner.run_vectors(sub)
    assert summary["cases"] == len(sub["targetCases"]) and summary["notPorted"] == 0
    assert not bad, [(runner.case_name(VECTORS, c), c.get("error") or c["targets"][:12], got) for _, c, got in bad[:3]]


def test_decode_cases_match_javascript():
    """The vector file's decode cases: the same image shape and bytes (or error class) as JavaScript."""
    sub = {**VECTORS, "cases": [], "targetCases": []}
    assert len(sub["decodes"]) > 40
    summary, bad = runner.run_vectors(sub)
    assert summary["cases"] == len(sub["decodes"])
    assert not bad, [(c["name"], c["mode"], got) for _, c, got in bad[:3]]


def test_every_pipeline_has_cases():
    covered = {c["pipeline"] for c in VECTORS["cases"]}
    targets = {c["pipeline"] for c in VECTORS.get("targetCases", [])}
    assert covered | targets == set(range(len(VECTORS["pipelines"])))


def test_every_type_is_ported_and_every_case_runs():
    """No case of the vector file is skipped: every transform type it names is registered here."""
    summary, _ = runner.run_vectors({**VECTORS, "cases": [], "targetCases": [], "decodes": []})
    assert summary["notPortedTypes"] == [] and summary["notPorted"] == 0
    assert runner.not_ported_line(summary) == ""


def test_a_type_this_host_lacks_is_counted_not_run_never_passed():
    """The counting that kept the row honest while types were missing still works: a pipeline naming an
    unknown type has its cases counted as not run, and the runner's line says so."""
    import copy
    v = copy.deepcopy({**VECTORS, "cases": VECTORS["cases"][:3], "targetCases": VECTORS["targetCases"][:2], "decodes": []})
    for c in v["cases"] + v["targetCases"]:
        v["pipelines"][c["pipeline"]]["json"] = {"type": "Compose", "transforms": [{"type": "NotARealType"}]}
    summary, bad = runner.run_vectors(v)
    assert summary["cases"] == 0 and not bad
    assert summary["notPorted"] == 5 and summary["notPortedTargetCases"] == 2 and summary["notPortedTypes"] == ["NotARealType"]
    assert "2 target cases" in runner.not_ported_line(summary)


def test_a_wrong_answer_is_caught():
    """The comparison can fail: a changed hash, params or error class is a mismatch."""
    import copy
    v = copy.deepcopy({**VECTORS, "cases": VECTORS["cases"][:40], "targetCases": VECTORS["targetCases"][:5], "decodes": VECTORS["decodes"][:2]})
    v["decodes"][0]["sha256"] = "0" * 64
    v["cases"][0]["sha256"] = "0" * 64
    v["cases"][1]["params"] = ["not", "these"]
    v["targetCases"][2]["targets"] = "0" * 64
    summary, bad = runner.run_vectors(v)
    # target cases are numbered after the cases, decode cases after both, as compute.ts numbers them
    assert summary["mismatches"] == 4 and [b[0] for b in bad] == [0, 1, 42, 45]

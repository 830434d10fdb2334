"""Replay the fuzzers' seed corpora and regression corpus through their invariants -- plain pytest, no atheris.

fixtures/findings/manifest.json lists every crash or divergence found, with what the replay expects:
``agree`` (no finding), ``documented:Dn`` (a documented difference, docs/fuzzing.md) or ``xfail`` (a known,
unfixed bug of the bundled parser: the replay still finds it; once fixed, the strict xfail turns red and the
entry becomes ``agree``).
"""

from __future__ import annotations

import json
import os

import pytest
from h1conform_fuzz import differential, response_invariants

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fixtures", "corpus")
FINDINGS = os.path.join(ROOT, "fixtures", "findings")
MANIFEST = json.load(open(os.path.join(FINDINGS, "manifest.json"), encoding="utf-8"))["entries"]


def _read(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def _replay(harness: str, data: bytes, suppress_known: bool = True):
    if harness == "fuzz_request_parser":
        return differential.check(data, modes=("bytes", "random"), suppress_known=suppress_known)
    assert harness == "fuzz_response_checker", harness
    response_invariants.check(data)
    return None


def _seeds():
    for harness in sorted(os.listdir(CORPUS)):
        for name in sorted(os.listdir(os.path.join(CORPUS, harness))):
            yield pytest.param(harness, os.path.join(CORPUS, harness, name), id=f"{harness}/{name}")


@pytest.mark.parametrize("harness,path", list(_seeds()))
def test_seed_corpus(harness, path):
    result = _replay(harness, _read(path))
    assert result is None or result.startswith("D"), result


def _entries():
    for e in MANIFEST:
        marks = []
        if e["expect"] == "xfail":
            marks.append(pytest.mark.xfail(raises=differential.Finding, strict=True, reason=e["note"]))
        yield pytest.param(e, id=e["file"], marks=marks)


@pytest.mark.parametrize("entry", list(_entries()))
def test_regression_corpus(entry):
    data = _read(os.path.join(FINDINGS, entry["file"]))
    if entry["expect"] == "xfail":
        _replay(entry["harness"], data, suppress_known=False)  # raises Finding while the bug is there
        return
    result = _replay(entry["harness"], data)
    expected = None if entry["expect"] == "agree" else entry["expect"].split(":", 1)[1]
    assert result == expected


def test_known_bugs_are_suppressed_for_campaigns():
    """The harness skips a known bug (so a campaign looks for new ones); the replay above still proves it."""
    for e in MANIFEST:
        if e["expect"] == "xfail" and e["harness"] == "fuzz_request_parser":
            assert differential.check(_read(os.path.join(FINDINGS, e["file"]))) == "known"


def test_every_finding_file_is_listed():
    listed = {e["file"] for e in MANIFEST}
    present = {n for n in os.listdir(FINDINGS) if n != "manifest.json"}
    assert present == listed

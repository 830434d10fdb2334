"""CI fuzz smoke (<= 60 s in all): the corpus replay (pure Python), a 5 s network campaign against the
bundled server, and -- when atheris imports -- 2000 runs of the in-process harness."""

from __future__ import annotations

import glob
import importlib.util
import json
import os
import shutil
import subprocess
import sys

import pytest
from h1conform_fuzz import differential

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MANIFEST = json.load(open(os.path.join(ROOT, "fixtures", "findings", "manifest.json"), encoding="utf-8"))["entries"]


def test_regression_corpus_replays_without_atheris():
    """(a) Every regression input, through the differential invariant, in this process."""
    for e in MANIFEST:
        if e["harness"] != "fuzz_request_parser":
            continue
        data = open(os.path.join(ROOT, "fixtures", "findings", e["file"]), "rb").read()
        result = differential.check(data)
        assert result == {"agree": None, "xfail": "known"}.get(e["expect"], e["expect"].split(":")[-1]), e["file"]


def test_network_campaign_5s(tmp_path):
    """(b) `h1conform fuzz --time 5` against the bundled server: a summary, no crash, hang or thread leak,
    and no finding that a known, listed bug does not explain."""
    findings = tmp_path / "findings"
    proc = subprocess.run(
        [sys.executable, "-m", "h1conform.cli", "fuzz", "--time", "5", "--seed", "6", "--findings", str(findings)],
        cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 1), proc.stderr
    assert "execs in" in proc.stdout and "exec/s" in proc.stdout, proc.stdout
    assert "(left over: 0)" in proc.stderr and "server still answers" in proc.stderr, proc.stderr
    known = [e["network_match"] for e in MANIFEST if e["expect"] == "xfail" and "network_match" in e]
    for path in glob.glob(str(findings / "*.json")):
        meta = json.load(open(path, encoding="utf-8"))
        assert meta["kind"] not in ("hang", "server-crash", "thread-leak", "unparseable-response"), meta
        assert any(k in meta["detail"] for k in known), meta
    assert (proc.returncode == 1) == bool(glob.glob(str(findings / "*.json"))), proc.stdout


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris is not installed")
def test_atheris_2000_runs(tmp_path):
    """(c) The in-process harness, as OSS-Fuzz runs it, on a copy of the seed corpus (fixed seed)."""
    corpus = tmp_path / "corpus"
    shutil.copytree(os.path.join(ROOT, "fixtures", "corpus", "fuzz_request_parser"), corpus)
    proc = subprocess.run(
        [sys.executable, os.path.join(ROOT, "fuzz", "fuzz_request_parser.py"), "-runs=2000", "-seed=1",
         "-dict=" + os.path.join(ROOT, "fixtures", "dict", "fuzz_request_parser.dict"),
         f"-artifact_prefix={tmp_path}/", str(corpus)],
        cwd=str(tmp_path), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Done 2000 runs" in proc.stderr

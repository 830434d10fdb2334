"""The real-server matrix as regression tests: each server of the matrix, without and with its echo endpoint, gives
exactly the fails, warns and errors its reviewed expectations file lists (both ways; a difference is confirmed by a
second run of that server before it fails the test).  ``pytest -m matrix`` runs
these; each skips, saying why, where its server is not installed (Debian servers: apt-get install nginx-light
apache2 lighttpd caddy h2o fcgiwrap; PyPI servers are installed into their own cached environments on first use).

The files are checked without running anything too: every entry names a case, quotes the RFC and says what was
seen, and every fail of docs/matrix.md is argued in its server's file."""

from __future__ import annotations

import os
import re

import pytest
from h1conform import expectations
from h1conform.catalog import load_cases
from h1conform.matrix import RUNS, check, expectations_path, run_one
from h1conform.servers import MATRIX, SERVERS, unavailable

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASE_IDS = {c.id for c in load_cases()}


@pytest.mark.matrix
@pytest.mark.parametrize("run", RUNS)
@pytest.mark.parametrize("server", MATRIX)
def test_server_gives_what_its_reviewed_expectations_list(server, run, tmp_path):
    why = unavailable(server, echo=run == "echo")
    if why:
        pytest.skip(why)
    result = run_one(server, run, str(tmp_path))
    if result.missing.startswith("cannot install"):  # no package index here: say so, do not fail
        pytest.skip(result.missing)
    assert result.ran, result.missing
    differences = check(result)
    if differences:  # a real server's timing can differ once: a difference counts when a second run shows it too
        again = tmp_path / "again"
        again.mkdir()
        differences = sorted(set(differences) & set(check(run_one(server, run, str(again)))))
    assert not differences, "\n".join(differences) + f"\n(the runs' reports: {tmp_path}/{result.name}.json, again/)"


@pytest.mark.parametrize("server", list(SERVERS))
def test_every_server_has_a_reviewed_expectations_file(server):
    data = expectations.load(expectations_path(server), known_cases=CASE_IDS)
    assert data.server == server and data.version
    if SERVERS[server].requirement:  # a PyPI server's file is for the release the matrix pins
        assert data.version == SERVERS[server].version_pin


def test_an_expectations_file_is_checked_both_ways():
    e = expectations.parse({"server": "x", "version": "1", "expect": [
        {"case": "a", "outcome": "fail", "rfc": 'RFC 9110 §1: "MUST"', "seen": "it did"},
        {"case": "b", "outcome": "warn", "runs": "echo", "rfc": 'RFC 9110 §2: "SHOULD"', "seen": "it did"}]})
    same = expectations.compare(e, "echo", {"a": "fail", "b": "warn", "c": "pass"})
    assert same == []
    new_fail = expectations.compare(e, "plain", {"a": "fail", "b": "warn", "c": "fail"})
    assert [str(m) for m in new_fail] == ["b: not listed, the run gave warn", "c: not listed, the run gave fail"]
    fixed = expectations.compare(e, "plain", {"a": "pass"})
    assert [str(m) for m in fixed] == ["a: listed as fail, the run gave pass"]


@pytest.mark.parametrize("entry, problem", [
    ({"case": "a", "outcome": "pass", "rfc": 'RFC 9110: "x"', "seen": "s"}, "outcome"),
    ({"case": "a", "outcome": "fail", "rfc": "no quote", "seen": "s"}, "rfc"),
    ({"case": "a", "outcome": "fail", "rfc": 'RFC 9110: "x"'}, "seen"),
    ({"case": "a", "outcome": "fail", "runs": "sometimes", "rfc": 'RFC 9110: "x"', "seen": "s"}, "runs"),
    ({"case": "a", "outcome": "fail", "rfc": 'RFC 9110: "x"', "seen": "s", "why": "w"}, "unknown field"),
])
def test_an_unargued_entry_is_refused(entry, problem):
    with pytest.raises(ValueError, match=problem):
        expectations.parse({"expect": [entry]})


def test_every_fail_in_docs_matrix_is_argued_in_its_servers_file():
    path = os.path.join(ROOT, "docs", "matrix.md")
    lines = open(path, encoding="utf-8").read().splitlines()
    header = next(line for line in lines if line.startswith("| case | level |"))
    servers = [s.strip() for s in header.strip("|").split("|")[2:]]
    argued = {s: {e.case for e in expectations.load(expectations_path(s)).entries if e.outcome == "fail"}
              for s in servers}
    unargued = []
    for line in lines:
        m = re.match(r"\| `([a-z0-9-]+)` \|", line)
        if not m:
            continue
        cells = [c.strip() for c in line.strip("|").split("|")[2:]]
        unargued += [f"{m.group(1)} on {s}" for s, cell in zip(servers, cells) if "FAIL" in cell
                     and m.group(1) not in argued[s]]
    assert len(servers) >= 11 and not unargued, unargued


def test_an_interrupted_matrix_stops_its_servers_and_writes_what_finished(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "m"
    proc = subprocess.Popen([sys.executable, "-m", "h1conform.cli", "matrix", "bundled", "bundled", "--no-check",
                             "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (out / "bundled-plain.json").exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)  # poll interval while the first run goes on (a bounded wait, not a readiness sleep)
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 143, stdout + stderr
    assert "interrupted" in stderr and (out / "matrix.md").exists() and (out / "matrix.html").exists()

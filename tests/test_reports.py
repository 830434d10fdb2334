"""Reports people and tools read: JUnit named by case id with warns visible, JSON with known deviations as an
outcome, output folders created, each failure printed once."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from h1conform_server.server import Server

CLI = [sys.executable, "-m", "h1conform.cli"]
junitparser = pytest.importorskip("junitparser")


def run(*args, timeout=120):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def broken_target(request):
    with Server(host="127.0.0.1", port=0, quirks=frozenset(request.param)) as server:
        host, port = server.address
        yield f"{host}:{port}"


@pytest.mark.parametrize("broken_target", [("keep_http10_open", "close_without_signal")], indirect=True)
def test_junit_names_are_case_ids_and_warns_carry_their_evidence(broken_target, tmp_path):
    junit = tmp_path / "new" / "folder" / "junit.xml"  # folders are created
    r = run("run", "--target", broken_target, "--timeout", "0.5", "--junit", str(junit),
            "--select", "persist-http10-default-close,close-request-echoed,persist-http11-default")
    assert r.returncode == 1, r.stdout + r.stderr
    cases = {c.name: c for suite in junitparser.JUnitXml.fromfile(str(junit)) for c in suite}
    assert set(cases) == {"persist-http10-default-close", "close-request-echoed", "persist-http11-default"}
    failed = cases["persist-http10-default-close"]
    assert [type(x).__name__ for x in failed.result] == ["Failure"]
    assert "Expected:" in failed.result[0].text and "transcript" in failed.result[0].text
    warned = cases["close-request-echoed"]
    assert warned.is_passed and "WARN close-request-echoed" in warned.system_out
    assert "transcript" in warned.system_out  # a warn carries its bytes
    props = {p.name: p.value for p in warned.child(junitparser.Properties)}
    assert props["h1conform.outcome"] == "warn" and props["h1conform.level"] == "SHOULD"
    assert cases["persist-http11-default"].is_passed
    assert failed.classname == "h1conform.9112-9.3"


@pytest.mark.parametrize("broken_target", [("keep_http10_open",)], indirect=True)
def test_json_known_deviation_is_an_outcome_and_the_summary_agrees(broken_target, tmp_path):
    dev = tmp_path / "dev.toml"
    dev.write_text('[deviations]\n"persist-http10-default-close" = "kept open on purpose"\n')
    out = tmp_path / "missing" / "r.json"
    r = run("run", "--target", broken_target, "--timeout", "0.5", "--deviations", str(dev), "--json", str(out),
            "--select", "persist-http10-default-close")
    assert r.returncode == 0, r.stdout + r.stderr
    report = json.loads(out.read_text())
    (c,) = report["cases"]
    assert c["outcome"] == "known-deviation" and c["observed"] == "fail" and c["deviation"] == "kept open on purpose"
    assert report["summary"]["known-deviation"] == 1 and report["summary"]["fail"] == 0
    assert sum(report["summary"].values()) == len(report["cases"])


def test_an_output_path_that_cannot_be_written_is_refused_at_once(tmp_path):
    (tmp_path / "file").write_text("")
    r = run("run", "--json", str(tmp_path / "file" / "r.json"))
    assert r.returncode == 2 and "--json" in r.stderr and r.stderr.count("\n") == 1
    assert "Traceback" not in r.stderr and "cases against" not in r.stdout


@pytest.mark.parametrize("broken_target", [("keep_http10_open",)], indirect=True)
def test_a_failure_is_printed_once(broken_target):
    r = run("run", "--target", broken_target, "--timeout", "0.5", "--select", "persist-http10-default-close")
    assert r.returncode == 1
    assert r.stdout.count("persist-http10-default-close") == 1, r.stdout
    assert r.stdout.count("Expected:") == 1 and "transcript" in r.stdout


@pytest.mark.parametrize("broken_target", [("keep_http10_open",)], indirect=True)
def test_plugin_junitxml_names_cases_by_id_with_properties(broken_target, tmp_path):
    junit = tmp_path / "j.xml"
    r = subprocess.run([sys.executable, "-m", "pytest", "--pyargs", "h1conform", "-p", "no:cacheprovider", "-q",
                        "--h1-target", broken_target, "--h1-timeout", "0.5", "--junitxml", str(junit),
                        "-k", "persist-http10-default-close or persist-http11-default"],
                       capture_output=True, text=True, timeout=120, cwd=tmp_path,
                       env={**os.environ, "CI": "1"})  # on CI, pytest's short summary shows whole crash messages
    assert r.returncode == 1, r.stdout + r.stderr
    cases = {c.name: c for suite in junitparser.JUnitXml.fromfile(str(junit)) for c in suite}
    assert set(cases) == {"persist-http10-default-close", "persist-http11-default"}
    props = {p.name: p.value for p in cases["persist-http10-default-close"].child(junitparser.Properties)}
    assert props["h1conform.outcome"] == "fail"
    assert r.stdout.count("Expected:") == 1  # pytest's FAILURES section; the h1conform summary only counts
    assert "FAILED" in r.stdout and r.stdout.count("transcript") == 1  # the short summary: one line

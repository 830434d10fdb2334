"""The command line and the pytest plugin, end to end in subprocesses."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from h1conform_server.server import Server

CLI = [sys.executable, "-m", "h1conform.cli"]


def run(*args, timeout=120):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def broken_server(request):
    with Server(host="127.0.0.1", port=0, quirks=frozenset(request.param)) as server:
        host, port = server.address
        yield f"{host}:{port}"


def test_unreachable_target_exits_2_with_one_line():
    r = run("run", "--target", "127.0.0.1:1")
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and "unreachable" in r.stderr
    assert "Traceback" not in r.stderr + r.stdout


@pytest.mark.parametrize("bad", ["nonsense", "127.0.0.1:99999", "ftp://127.0.0.1:21"])
def test_malformed_target_exits_2(bad):
    r = run("run", "--target", bad)
    assert r.returncode == 2 and "invalid --target" in r.stderr and "Traceback" not in r.stderr


def test_bad_option_exits_2():
    r = run("run", "--level", "sometimes")
    assert r.returncode == 2 and "Traceback" not in r.stderr


@pytest.mark.parametrize("argv, help_line", [(["run", "--bogus"], "see h1conform run --help"),
                                             (["--bogus"], "see h1conform --help"),
                                             (["matrix", "--bogus"], "see h1conform matrix --help")])
def test_unknown_option_points_at_its_commands_help(argv, help_line):
    r = run(*argv)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and help_line in r.stderr, r.stderr


def test_list_json_shape():
    r = run("list", "--json")
    assert r.returncode == 0
    cases = json.loads(r.stdout)["cases"]
    assert len(cases) >= 40
    assert {"id", "requirements", "level", "section"} <= set(cases[0])


def test_run_selected_cases_writes_json_and_summary_last(tmp_path):
    out = tmp_path / "report.json"
    junit = tmp_path / "junit.xml"
    r = run("run", "--select", "persist-*", "--json", str(out), "--junit", str(junit))
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.strip().splitlines()[-1].startswith("h1conform: ")
    report = json.loads(out.read_text())
    assert report["tool"] == "h1conform" and report["summary"]["fail"] == 0
    assert all({"id", "requirements", "level", "outcome", "duration_s", "expected", "actual"} <= set(c)
               for c in report["cases"])
    assert {c["id"] for c in report["cases"]} >= {"persist-http10-default-close", "persist-http10-keep-alive"}
    assert "<testsuite" in junit.read_text()


def test_no_case_ran_exits_3():
    r = run("run", "--select", "no-such-case-*")
    assert r.returncode == 3


@pytest.mark.parametrize("broken_server", [("keep_http10_open",)], indirect=True)
def test_must_failure_exits_1_and_shows_expected_actual(broken_server, tmp_path):
    r = run("run", "--target", broken_server, "--select", "persist-http10-default-close", "--timeout", "0.5")
    assert r.returncode == 1
    assert "Expected:" in r.stdout and "Actual:" in r.stdout and "FAIL" in r.stdout
    assert "transcript" in r.stdout  # the bytes on the wire


@pytest.mark.parametrize("broken_server", [("close_without_signal",)], indirect=True)
def test_should_failure_is_a_warning_unless_strict(broken_server):
    r = run("run", "--target", broken_server, "--select", "close-request-echoed")
    assert r.returncode == 0 and "WARN" in r.stdout
    r = run("run", "--target", broken_server, "--select", "close-request-echoed", "--strict")
    assert r.returncode == 1


@pytest.mark.parametrize("broken_server", [("keep_http10_open",)], indirect=True)
def test_known_deviation_does_not_fail_the_run(broken_server, tmp_path):
    dev = tmp_path / "dev.toml"
    dev.write_text('[deviations]\n"persist-http10-default-close" = "kept open on purpose"\n')
    r = run("run", "--target", broken_server, "--select", "persist-http10-default-close", "--timeout", "0.5",
            "--deviations", str(dev))
    assert r.returncode == 0 and "KNOWN" in r.stdout


def test_plain_pytest_with_target_and_keyword(tmp_path):
    with Server(host="127.0.0.1", port=0) as server:
        host, port = server.address
        r = subprocess.run([sys.executable, "-m", "pytest", "--pyargs", "h1conform", "-p", "no:cacheprovider",
                            "--h1-target", f"{host}:{port}", "-k", "persist-http10-default-close", "-q"],
                           capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "1 passed" in r.stdout


def test_plain_pytest_rejects_a_bad_target(tmp_path):
    r = subprocess.run([sys.executable, "-m", "pytest", "--pyargs", "h1conform", "-p", "no:cacheprovider",
                        "--h1-target", "nonsense"], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert r.returncode == 4 and "invalid --h1-target" in r.stderr


@pytest.mark.parametrize("broken_server", [("te_final_coding_lenient",)], indirect=True)
def test_fail_on_desync_turns_a_desync_warn_into_a_failure(broken_server, tmp_path):
    # the quirk makes a SHOULD smuggling case a warn; a SHOULD case of another impact keeps its warn
    select = "smuggle-te-unknown-then-chunked,close-request-echoed"
    r = run("run", "--target", broken_server, "--select", select)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "WARN  smuggle-te-unknown-then-chunked [SHOULD, RFC 9112 §6.1, desync]" in r.stdout
    out = tmp_path / "report.json"
    r = run("run", "--target", broken_server, "--select", select, "--fail-on", "dos,desync", "--json", str(out))
    assert r.returncode == 1, r.stdout + r.stderr
    assert "FAIL  smuggle-te-unknown-then-chunked [SHOULD, RFC 9112 §6.1, desync]" in r.stdout
    case = {c["id"]: c for c in json.loads(out.read_text())["cases"]}["smuggle-te-unknown-then-chunked"]
    assert case["impact"] == "desync" and case["outcome"] == "fail"
    assert case["detail"] == "failed because --fail-on desync: a SHOULD under the RFC"
    r = run("run", "--target", broken_server, "--select", select, "--fail-on", "injection")
    assert r.returncode == 0 and "WARN  smuggle-te-unknown-then-chunked" in r.stdout


@pytest.mark.parametrize("broken_server", [("te_final_coding_lenient",)], indirect=True)
def test_plain_pytest_fail_on(broken_server, tmp_path):
    argv = [sys.executable, "-m", "pytest", "--pyargs", "h1conform", "-p", "no:cacheprovider", "-q",
            "--h1-target", broken_server, "-k", "smuggle-te-unknown-then-chunked"]
    assert subprocess.run(argv, capture_output=True, text=True, timeout=120, cwd=tmp_path).returncode == 0
    r = subprocess.run([*argv, "--h1-fail-on", "desync"], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert r.returncode == 1 and "failed because --fail-on desync" in r.stdout, r.stdout + r.stderr


def test_fail_on_rejects_what_is_not_an_impact():
    r = run("run", "--fail-on", "desync,bogus")
    assert r.returncode == 2 and "bogus is not an impact" in r.stderr and "Traceback" not in r.stderr


def test_list_shows_impact():
    cases = {c["id"]: c for c in json.loads(run("list", "--json").stdout)["cases"]}
    assert cases["smuggle-cl-te-cl-zero"]["impact"] == "desync"
    assert {c["impact"] for c in cases.values()} == {"desync", "injection", "dos", "none"}
    assert " desync " in next(line for line in run("list").stdout.splitlines() if line.startswith("smuggle-cl-te-"))

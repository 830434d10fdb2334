"""The plugin is a good citizen in other people's pytest sessions: inert where the suite is not collected (no
option that can clash, no fixture, no hook doing work), active when asked; an empty --target is a usage error.

The test extra installs pytest-timeout and pytest-xdist, two of the most used plugins, beside h1conform, so
every run of these tests is a session with all three loaded."""

from __future__ import annotations

import subprocess
import sys

import pytest
from h1conform_server.server import Server

CLI = [sys.executable, "-m", "h1conform.cli"]


def pytest_in(path, *args, timeout=120):
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
                          capture_output=True, text=True, timeout=timeout, cwd=path)


@pytest.fixture
def project(tmp_path):
    """An unrelated one-test project, with a fixture and an option named like ours used to be."""
    (tmp_path / "conftest.py").write_text(
        "import pytest\n\n"
        "def pytest_addoption(parser):\n    parser.addoption('--target', default='theirs')\n\n"
        "@pytest.fixture\ndef probe(request):\n    return request.config.getoption('--target')\n")
    (tmp_path / "test_one.py").write_text("def test_one(probe):\n    assert probe == 'theirs'\n")
    return tmp_path


def test_plugins_beside_us_are_installed():
    pytest.importorskip("pytest_timeout")
    pytest.importorskip("xdist")


def test_an_unrelated_project_runs_untouched(project):
    r = pytest_in(project, "-q", "--timeout", "30")  # pytest-timeout's --timeout, not ours
    assert r.returncode == 0, r.stdout + r.stderr
    assert "1 passed" in r.stdout and "h1conform" not in r.stdout


def test_an_unrelated_project_runs_under_xdist(project):
    pytest.importorskip("xdist")
    r = pytest_in(project, "-q", "-n", "2", "--timeout", "30")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "1 passed" in r.stdout


def test_the_plugin_registers_only_prefixed_options(project):
    r = pytest_in(project, "--help")
    assert r.returncode == 0
    section = r.stdout.split("\nh1conform:", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    options = [line.split()[0] for line in section if line.strip().startswith("--")]
    assert len(options) >= 10 and all(o.startswith("--h1-") for o in options), options


def test_the_suite_runs_through_the_plugin_beside_pytest_timeout(tmp_path):
    with Server(host="127.0.0.1", port=0) as server:
        host, port = server.address
        r = pytest_in(tmp_path, "--pyargs", "h1conform", "--timeout", "60", "--h1-target", f"{host}:{port}",
                      "-k", "persist-http10-default-close or close-request-closes", "-q")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "2 passed" in r.stdout and "h1conform: 2 cases" in r.stdout


def test_the_suite_runs_under_xdist(tmp_path):
    pytest.importorskip("xdist")
    r = pytest_in(tmp_path, "--pyargs", "h1conform", "-n", "2", "-q", "--h1-select", "persist-*")
    assert r.returncode == 0, r.stdout + r.stderr
    assert " passed" in r.stdout and "failed" not in r.stdout


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_target_is_a_usage_error(value, tmp_path):
    for args in (["run", "--target", value], ["fuzz", "--target", value, "--time", "1"]):
        r = subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=60)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert r.stderr.count("\n") == 1 and "empty" in r.stderr and "Traceback" not in r.stderr
        assert r.stdout == ""
    r = pytest_in(tmp_path, "--pyargs", "h1conform", "--h1-target", value)
    assert r.returncode == 4 and "empty" in r.stderr and "passed" not in r.stdout

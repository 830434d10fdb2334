"""A run is bounded: an interrupt writes the reports of what ran, --max-time is a budget for the whole run, and
a target that dies mid-run turns the remaining cases into errors at once."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading

import pytest
from h1conform.catalog import load_cases

CLI = [sys.executable, "-m", "h1conform.cli"]


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupt_writes_the_reports_and_exits_128_plus_signal(sig, code, tmp_path):
    out, junit = tmp_path / "r.json", tmp_path / "r.xml"
    proc = subprocess.Popen([*CLI, "run", "--jobs", "1", "--json", str(out), "--junit", str(junit)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        dots = 0
        while dots < 20:  # the progress dots, as they come: some cases have run
            char = proc.stdout.read(1)
            assert char, "the run ended before it could be interrupted"
            dots += char == "."
        proc.send_signal(sig)
        rest, stderr = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == code, stderr
    assert f"interrupted by {sig.name}" in stderr
    report = json.loads(out.read_text())
    assert 0 < len(report["cases"]) < len(load_cases()) and "<testsuite" in junit.read_text()
    assert rest.strip().splitlines()[-1].startswith("h1conform: ")


def test_max_time_skips_what_it_could_not_start(tmp_path):
    out = tmp_path / "r.json"
    r = subprocess.run([*CLI, "run", "--max-time", "0.5", "--json", str(out)], capture_output=True, text=True,
                       timeout=120)
    cases = json.loads(out.read_text())["cases"]
    skipped = [c for c in cases if c["outcome"] == "skip" and "time budget" in c.get("detail", "")]
    assert len(cases) == len(load_cases()) and skipped  # on a loaded machine the budget may be spent before the first case
    assert r.returncode == (3 if len(skipped) == len(cases) else 0), r.stderr


class _DyingServer:
    """Answers every request with a fixed 200 and a close, for ``accepts`` connections; then stops listening."""

    def __init__(self, accepts: int) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.accepts = accepts
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        for _ in range(self.accepts):
            conn, _ = self.sock.accept()
            with conn:
                conn.settimeout(2)
                try:
                    got = b""
                    while b"\r\n\r\n" not in got and len(got) < 65536:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        got += chunk
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
                except OSError:
                    pass
        self.sock.close()


def test_a_target_that_dies_mid_run_errors_the_rest_at_once(tmp_path):
    server = _DyingServer(accepts=160)  # calibration takes about 80 (65 to see 64 connections served at once)
    out = tmp_path / "r.json"
    r = subprocess.run([*CLI, "run", "--target", f"127.0.0.1:{server.port}", "--timeout", "0.5", "--json", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 1
    cases = json.loads(out.read_text())["cases"]
    gone = [c for c in cases if c["outcome"] == "error" and "stopped accepting connections" in c.get("detail", "")]
    assert len(gone) > 300, [c.get("detail") for c in cases if c["outcome"] == "error"][:3]
    assert all(c["duration_s"] < 0.1 for c in gone)

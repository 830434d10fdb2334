"""``python -m h1conform_server`` prints its address, serves, and exits 0 on SIGTERM/SIGINT."""
from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys

import pytest
from h1conform_server.testing import exchange, parse_all

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read_line(proc, timeout=10.0) -> str:
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        assert sel.select(timeout), "no output from the server within %.0f s" % timeout
        return proc.stdout.readline().decode()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_cli_prints_address_serves_and_exits_cleanly(signum, tmp_path):
    (tmp_path / "x.txt").write_bytes(b"from tmp docroot\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "h1conform_server", "--port", "0", "--docroot", str(tmp_path)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        line = read_line(proc)
        m = re.fullmatch(r"listening on http://127\.0\.0\.1:(\d+)/\n", line)
        assert m, line
        raw = exchange(("127.0.0.1", int(m.group(1))), b"GET /x.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        assert parse_all(raw)[0].body == b"from tmp docroot\n"
        proc.send_signal(signum)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def test_cli_rejects_unknown_quirk():
    proc = subprocess.run(
        [sys.executable, "-m", "h1conform_server", "--quirk", "nope"], cwd=ROOT, capture_output=True, timeout=20
    )
    assert proc.returncode == 2 and b"unknown quirk" in proc.stderr


def test_cli_lists_switches():
    proc = subprocess.run(
        [sys.executable, "-m", "h1conform_server", "--list-quirks"], cwd=ROOT, capture_output=True, timeout=20
    )
    assert proc.returncode == 0 and b"no_date\t" in proc.stdout

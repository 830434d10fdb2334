"""Shared by the report tests: one small run against the bundled server with two quirks on, every report written."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from h1conform_server.server import Server

#: a fail (MUST), a warn (SHOULD), info (MAY, a branch), a pass, a skip (no uploads), bytes with bare LFs
REPORT_CASES = ("persist-http10-default-close,close-request-echoed,persist-http10-keep-alive,persist-http11-default,"
                "smuggle-bare-lf-one-field,post-create-201-location")


@dataclass
class Reports:
    folder: Path
    port: int
    returncode: int
    stdout: str

    def path(self, ext: str) -> Path:
        return self.folder / f"r.{ext}"


@pytest.fixture(scope="session")
def reports(tmp_path_factory) -> Reports:
    folder = tmp_path_factory.mktemp("reports")
    with Server(host="127.0.0.1", port=0, quirks=frozenset({"keep_http10_open", "close_without_signal"})) as srv:
        host, port = srv.address
        argv = [sys.executable, "-m", "h1conform.cli", "run", "--target", f"{host}:{port}", "--timeout", "0.5",
                "--select", REPORT_CASES]
        for ext in ("json", "html", "pcap", "junit"):
            argv += [f"--{ext}", str(folder / f"r.{ext}")]
        r = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    return Reports(folder, port, r.returncode, r.stdout + r.stderr)

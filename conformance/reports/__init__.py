"""Report formats, one module each behind one interface: ``write(path, results, run)``.

================  =========================================================================================
``json``          every case with its verdict and its wire events (bytes in base64); ``report.schema.json``
``junit``         JUnit XML named by case id, for CI viewers
``html``          one self-contained page: summary, chart, filters, each case with its rule and transcript
``pcap``          the transcripts as synthesized TCP streams, for Wireshark and tshark
================  =========================================================================================

:data:`FORMATS` declares them once: ``h1conform run`` offers ``--<name> FILE`` and the pytest plugin
``--h1-<name> FILE`` for each, and both write through :func:`write_all`.  A format module needs only
``write(path: str, results: List[Result], run: RunInfo) -> None``; add one by adding its name here.
The terminal summary (:mod:`.summary`) and the progress line (:mod:`.progress`) are for people at a terminal;
``h1conform diff`` (:mod:`.diff`) compares two JSON reports.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from typing import List, Mapping, Optional

#: name -> what its file holds (the help of --NAME / --h1-NAME)
FORMATS = {
    "json": "write the JSON report (each case with its wire events) to FILE",
    "junit": "write a JUnit XML report to FILE",
    "html": "write a self-contained HTML report (summary, filters, each case with its transcript) to FILE",
    "pcap": "write the transcripts as a pcap file (one TCP stream per connection) to FILE",
}


@dataclass(frozen=True)
class RunInfo:
    """What a report says about the run besides its cases."""

    target: Optional[str] = None  # how the target is shown (``http://127.0.0.1:8080/``), None if none was reached
    host: str = ""
    port: int = 0
    tls: bool = False
    calibration: object = None  # h1conform.calibration.Calibration, when it ran
    started: float = 0.0  # wall clock (time.time()) at the start of the run
    duration_s: float = 0.0

    @classmethod
    def of(cls, target, calibration, started: float, duration_s: float) -> "RunInfo":
        """From a :class:`h1conform.target.Target` (or None)."""
        if target is None:
            return cls(calibration=calibration, started=started, duration_s=duration_s)
        return cls(target=target.display, host=target.host, port=target.port, tls=target.tls,
                   calibration=calibration, started=started, duration_s=duration_s)


def prepare_output(path: str) -> None:
    """Create the folder a report goes into, before the run, so that a bad path fails at once (OSError)."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    if not os.access(folder, os.W_OK):
        raise PermissionError(f"cannot write into {folder}")
    if os.path.isdir(path):
        raise IsADirectoryError(f"{path} is a folder")


def write(name: str, path: str, results: List, run: RunInfo) -> None:
    """Write one format (a name of :data:`FORMATS`)."""
    if name not in FORMATS:
        raise ValueError(f"no report format {name!r}")
    prepare_output(path)
    importlib.import_module(f"{__name__}.{name}").write(path, results, run)


def write_all(paths: Mapping[str, Optional[str]], results: List, run: RunInfo) -> None:
    """Each format that has a path (format name -> path or None), in :data:`FORMATS` order."""
    for name in FORMATS:
        if paths.get(name):
            write(name, paths[name], results, run)

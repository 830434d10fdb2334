"""The JSON report: every case with its verdict and the bytes that showed it.

Its shape is ``report.schema.json`` beside this module (JSON Schema 2020-12; ``schema_path()``), versioned by
``report_version``.  Version 2: each case's ``transcript`` is the list of its wire events (:mod:`h1conform.wire`:
``{"conn", "t", "dir", "data": base64, ["truncated"], ["note"]}``, ``t`` in seconds since the case's ``started``),
and ``transcript_text`` is the same as the terminal prints it.  Version 1 had the text in ``transcript``.
"""

from __future__ import annotations

import json
import os
from typing import List

from ..cases import Result
from . import RunInfo
from .summary import counts, version

REPORT_VERSION = 2


def schema_path() -> str:
    """The JSON Schema of the report, shipped in the package."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "report.schema.json")


def report(results: List[Result], run: RunInfo) -> dict:
    address = {"host": run.host, "port": run.port, "tls": run.tls} if run.target is not None else None
    return {"tool": "h1conform", "report_version": REPORT_VERSION, "version": version(), "target": run.target,
            "address": address, "started": round(run.started, 6), "duration_s": round(run.duration_s, 3),
            "calibration": run.calibration.as_dict() if run.calibration is not None else None,
            "cases": [r.as_dict() for r in results], "summary": counts(results)}


def dumps(doc: dict) -> str:
    """The report with one case a line (so that it greps and diffs by case); the rest indented."""
    head = json.dumps({k: v for k, v in doc.items() if k != "cases"}, indent=1)
    cases = ",\n".join("  " + json.dumps(c) for c in doc["cases"])
    return head[:-2] + ',\n "cases": [\n' + cases + "\n ]\n}\n"


def write(path: str, results: List[Result], run: RunInfo) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(dumps(report(results, run)))

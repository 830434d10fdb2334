"""Reports: the terminal summary, the JSON report, the known-deviations file."""

from __future__ import annotations

import json
import sys
from collections import Counter
from typing import Dict, Iterable, List, Optional

from .cases import OUTCOMES, Result

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.9/3.10 only
    import tomli as tomllib


def version() -> str:
    try:
        from importlib.metadata import version as _v

        return _v("h1conform")
    except Exception:  # not installed (running from a source tree)
        return "0+unknown"


def counts(results: Iterable[Result]) -> Dict[str, int]:
    c = Counter(r.outcome for r in results if not (r.deviation and r.outcome in ("fail", "error")))
    out = {k: c.get(k, 0) for k in OUTCOMES}
    out["known_deviation"] = sum(1 for r in results if r.deviation and r.outcome in ("fail", "error"))
    return out


def json_report(results: List[Result], target: Optional[str]) -> dict:
    summary = counts(results)
    return {"tool": "h1conform", "version": version(), "target": target,
            "cases": [r.as_dict() for r in results], "summary": summary}


def write_json(path: str, report: dict) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(report, fh, indent=2)
        fh.write("\n")


def load_deviations(path: str) -> Dict[str, str]:
    """``[deviations]`` table of ``case-id = "reason"``."""
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    table = data.get("deviations")
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise ValueError('expected a [deviations] table of case-id = "reason" lines')
    return dict(table)


def summary_lines(results: List[Result], target: str) -> List[str]:
    """What the run found, worst first, then one line of counts (the last line)."""
    lines: List[str] = []
    order = {"fail": 0, "error": 1, "warn": 2, "info": 3}
    for r in sorted((r for r in results if r.outcome in order), key=lambda r: (order[r.outcome], r.case.id)):
        c = r.case
        tag = "FAIL" if r.outcome == "fail" and not r.deviation else r.outcome.upper()
        if r.deviation and r.outcome in ("fail", "error"):
            tag = "KNOWN"
        lines.append(f"{tag:5} {c.id} [{c.level}, {c.section}] {c.rule}")
        if r.outcome == "info":
            lines.append(f"      chose: {r.branch} - {c.accepted.get(r.branch, '')}")
        elif r.outcome == "error":
            lines.append(f"      error: {r.detail}")
        else:
            lines.append(f"      Expected: {r.expected}")
            lines.append(f"      Actual:   {r.actual}")
    n = counts(results)
    total = sum(n[k] for k in OUTCOMES) + n["known_deviation"]
    parts = [f"{n[k]} {k}" for k in OUTCOMES]
    if n["known_deviation"]:
        parts.append(f"{n['known_deviation']} known deviation")
    lines.append(f"h1conform: {total} cases against {target}: " + ", ".join(parts))
    return lines

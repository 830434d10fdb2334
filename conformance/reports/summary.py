"""The terminal summary, and what every format shares: the counts, the tool's version, a verdict's properties."""

from __future__ import annotations

from collections import Counter
from typing import Dict, Iterable, List, Tuple

from ..cases import KNOWN_DEVIATION, OUTCOMES, Result


def version() -> str:
    try:
        from importlib.metadata import version as _v

        return _v("h1conform")
    except Exception:  # not installed (running from a source tree)
        return "0+unknown"


def counts(results: Iterable[Result]) -> Dict[str, int]:
    """Cases per reported outcome: the six outcomes, then ``known-deviation``."""
    c = Counter(r.reported for r in results)
    return {k: c.get(k, 0) for k in (*OUTCOMES, KNOWN_DEVIATION)}


def summary_lines(results: List[Result], target: str, *, failures: bool = True) -> List[str]:
    """What the run found, worst first, then one line of counts (the last line).

    ``failures`` prints each fail and error with its transcript; the pytest plugin turns it off, since pytest's
    own FAILURES section already shows them, so that a failure is printed once."""
    lines: List[str] = []
    order = {"fail": 0, "error": 1, KNOWN_DEVIATION: 2, "warn": 3, "inconclusive": 4, "info": 5}
    shown = [r for r in results if r.reported in order and (failures or r.reported not in ("fail", "error"))]
    for r in sorted(shown, key=lambda r: (order[r.reported], r.case.id)):
        c = r.case
        tag = {KNOWN_DEVIATION: "KNOWN", "inconclusive": "INCONCLUSIVE"}.get(r.reported, r.reported.upper())
        lines.append(f"{tag:5} {c.id} [{c.level}, {c.section}, {c.impact}] {c.rule}")
        if r.outcome == "info":
            lines.append(f"      chose: {r.branch} - {c.accepted.get(r.branch, '')}")
        elif r.outcome == "error":
            lines.append(f"      error: {r.detail}")
        elif r.outcome == "inconclusive":
            lines.append(f"      Saw:      {r.actual}")
            lines.append(f"      Why:      {r.detail}" + (f"; to decide it: {r.remedy}" if r.remedy else ""))
        else:
            lines.append(f"      Expected: {r.expected}")
            lines.append(f"      Actual:   {r.actual}")
            if r.outcome == "fail" and r.detail:  # e.g. a warn made a failure by --fail-on
                lines.append(f"      Why:      {r.detail}")
        if r.deviation:
            lines.append(f"      known deviation: {r.deviation}")
        if r.reported in ("fail", "error") and r.transcript:
            lines.extend("      " + t for t in r.transcript.splitlines())
    n = counts(results)
    parts = [f"{n[k]} {k}" for k in OUTCOMES]
    if n[KNOWN_DEVIATION]:
        parts.append(f"{n[KNOWN_DEVIATION]} known deviation")
    if n["inconclusive"]:
        remedies = Counter(r.remedy for r in results if r.outcome == "inconclusive" and r.remedy)
        hint = "; ".join(f"{k} ({v})" for k, v in remedies.most_common(3))
        lines.append(f"h1conform: {n['inconclusive']} cases ran but could not decide on this target"
                     + (f"; what would decide them: {hint}" if hint else ""))
    lines.append(f"h1conform: {sum(n.values())} cases against {target}: " + ", ".join(parts))
    return lines


def result_properties(r: Result) -> List[Tuple[str, str]]:
    """The verdict as (name, value) pairs: JUnit ``<property>`` elements of the case's testcase."""
    props = [("h1conform.outcome", r.reported), ("h1conform.level", r.case.level),
             ("h1conform.section", r.case.section), ("h1conform.requirements", ",".join(r.case.requirements)),
             ("h1conform.impact", r.case.impact)]
    for name, value in (("branch", r.branch), ("expected", r.expected), ("actual", r.actual),
                        ("detail", r.detail), ("remedy", r.remedy), ("deviation", r.deviation)):
        if value:
            props.append((f"h1conform.{name}", value))
    return props

"""Reviewed expectations of a real server: every fail and warn the suite gives it, each argued by hand with the RFC
sentence it breaks.  ``fixtures/expectations/<server>.toml``::

    server = "nginx"
    version = "1.22.1 (Debian 12)"

    [[expect]]
    case = "method-not-allowed-has-allow"
    outcome = "fail"                 # fail, warn or error
    runs = "both"                    # both (the default), plain (without the echo endpoint) or echo (with it)
    rfc = 'RFC 9110 §15.5.6: "The origin server MUST generate an Allow header field in a 405 response ..."'
    seen = "405 to POST / without an Allow field"
    sometimes = false                # true: the server does it on some runs only (say why in seen)

A run matches its file both ways: each fail, warn or error it gives is listed for that run, and each listed one
was given (:func:`compare`), unless it is listed as happening only ``sometimes``.  The same file serves
``--deviations``: its fails are the server's known deviations.
A plain ``[deviations]`` table of ``case-id = "reason"`` is read too.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Dict, List, Mapping, Tuple

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python < 3.11
    import tomli as tomllib

#: the outcomes an expectations file lists (the rest -- pass, info, inconclusive, skip -- are not flags)
FLAGGED = ("fail", "warn", "error")
RUNS = ("both", "plain", "echo")
FIELDS = {"case", "outcome", "runs", "rfc", "seen", "sometimes"}


@dataclass(frozen=True)
class Expected:
    case: str
    outcome: str
    runs: str
    rfc: str
    seen: str
    sometimes: bool = False

    def applies(self, run: str) -> bool:
        return self.runs in ("both", run)


@dataclass(frozen=True)
class Expectations:
    server: str
    version: str
    entries: Tuple[Expected, ...]

    def flags(self, run: str) -> Dict[str, str]:
        """case id -> outcome, for the ``plain`` or ``echo`` run."""
        return {e.case: e.outcome for e in self.entries if e.applies(run)}


def _read(path: str) -> dict:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def parse(data: Mapping, known_cases=None) -> Expectations:
    """Check every entry (fields, outcome, runs, an RFC sentence, a known case, no case twice for one run)."""
    entries: List[Expected] = []
    seen_for: Dict[Tuple[str, str], int] = {}
    for i, raw in enumerate(data.get("expect", []), 1):
        where = f"[[expect]] #{i}"
        if not isinstance(raw, dict):
            raise ValueError(f"{where}: not a table")
        extra = set(raw) - FIELDS
        if extra:
            raise ValueError(f"{where}: unknown field(s) {', '.join(sorted(extra))}")
        e = Expected(case=str(raw.get("case", "")), outcome=str(raw.get("outcome", "")),
                     runs=str(raw.get("runs", "both")), rfc=str(raw.get("rfc", "")).strip(),
                     seen=str(raw.get("seen", "")).strip(), sometimes=raw.get("sometimes", False))
        if not e.case:
            raise ValueError(f"{where}: no case")
        where = f"{where} ({e.case})"
        if known_cases is not None and e.case not in known_cases:
            raise ValueError(f"{where}: no such case")
        if e.outcome not in FLAGGED:
            raise ValueError(f"{where}: outcome {e.outcome!r} is not one of {', '.join(FLAGGED)}")
        if e.runs not in RUNS:
            raise ValueError(f"{where}: runs {e.runs!r} is not one of {', '.join(RUNS)}")
        if "RFC" not in e.rfc or '"' not in e.rfc:
            raise ValueError(f'{where}: rfc must quote the RFC sentence (RFC NNNN §N: "...")')
        if not e.seen:
            raise ValueError(f"{where}: seen must say what the server did")
        if not isinstance(e.sometimes, bool):
            raise ValueError(f"{where}: sometimes must be true or false")
        for run in ("plain", "echo"):
            if e.applies(run):
                if (e.case, run) in seen_for:
                    raise ValueError(f"{where}: listed twice for the {run} run")
                seen_for[(e.case, run)] = i
        entries.append(e)
    return Expectations(str(data.get("server", "")), str(data.get("version", "")), tuple(entries))


def load(path: str, known_cases=None) -> Expectations:
    return parse(_read(path), known_cases)


def load_deviations(path: str) -> Dict[str, str]:
    """case id -> reason: a ``[deviations]`` table, or the fails of an expectations file (any run)."""
    data = _read(path)
    if "expect" in data:
        return {e.case: e.seen for e in parse(data).entries if e.outcome == "fail"}
    table = data.get("deviations")
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise ValueError('expected [[expect]] entries or a [deviations] table of case-id = "reason" lines')
    return dict(table)


@dataclass(frozen=True)
class Mismatch:
    case: str
    expected: str  # the listed outcome, or "pass" (not listed)
    actual: str    # the outcome of the run

    def __str__(self) -> str:
        listed = f"listed as {self.expected}" if self.expected != "unlisted" else "not listed"
        return f"{self.case}: {listed}, the run gave {self.actual}"


def compare(expectations: Expectations, run: str, outcomes: Mapping[str, str]) -> List[Mismatch]:
    """Both ways: a flag the run gave that is not listed (a regression, or a new case to review), and a listed flag
    the run did not give (fixed, or the file is stale).  ``outcomes`` is case id -> outcome, as observed."""
    listed = expectations.flags(run)
    sometimes = {e.case for e in expectations.entries if e.sometimes and e.applies(run)}
    out = []
    for case, outcome in sorted(outcomes.items()):
        want = listed.get(case)
        if outcome in FLAGGED and want != outcome:
            out.append(Mismatch(case, want or "unlisted", outcome))
        elif outcome not in FLAGGED and want and case not in sometimes:
            out.append(Mismatch(case, want, outcome))
    out += [Mismatch(case, want, "nothing (the case did not run)") for case, want in sorted(listed.items())
            if case not in outcomes]
    return out

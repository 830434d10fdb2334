"""The Case model: what a case checks, at which level, and which outcomes it accepts.

A case is a plain function ``test_<name>(probe)`` decorated with :func:`case`.
The decorator records the metadata in :data:`REGISTRY` (keyed by the stable
mnemonic id, never by position) and leaves the function runnable by pytest.
:func:`judge` turns what happened (an exception or none, plus what the probe
recorded) into one of the six outcomes; the pytest plugin and the self-tests
both use it, so a verdict is made in exactly one place.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, FrozenSet, Mapping, Optional, Tuple

from . import spec
from .errors import Inconclusive, TargetUnreachable, Violation
from .impact import impact_of

LEVELS = ("MUST", "MUST NOT", "SHOULD", "SHOULD NOT", "MAY", "INFO")
OUTCOMES = ("pass", "fail", "warn", "info", "inconclusive", "skip", "error")
KNOWN_DEVIATION = "known-deviation"  # a fail or error listed in the target's deviations file
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$")
_REQ = re.compile(r"^91(?:10|12)-[0-9A-Z.]+-r[0-9]+$")


def severity(level: str) -> str:
    """MUST / MUST NOT -> 'must'; SHOULD / SHOULD NOT -> 'should'; MAY and INFO -> 'may'.

    INFO rows of the catalog are not normative (RFC text that says "ought to"); like
    MAY rows they record what the target does and never fail."""
    word = level.split()[0].lower()
    return "may" if word == "info" else word


@dataclass(frozen=True)
class Case:
    id: str
    requirements: Tuple[str, ...]
    level: str
    section: str  # e.g. "RFC 9112 §9.3"
    rule: str  # one line, the rule being checked
    func: Callable = field(compare=False, repr=False)
    accepted: Mapping[str, str] = field(default_factory=dict)  # branch -> what it means
    needs: Tuple[str, ...] = ()  # optional target features
    tags: Tuple[str, ...] = ()
    alone: bool = False  # timing-sensitive (pauses judged by arrival time): never run beside others

    @property
    def severity(self) -> str:
        return severity(self.level)

    @property
    def impact(self) -> str:
        """What breaking it puts at risk: ``desync``, ``injection``, ``dos`` or ``none`` (:mod:`.impact`)."""
        return impact_of(self)

    @property
    def section_key(self) -> str:
        """``9112-9.3`` style key used by --select."""
        rfc, _, sec = self.section.replace("RFC ", "").partition(" §")
        return f"{rfc}-{sec}"


REGISTRY: Dict[str, Case] = {}


def case(*, id: str, requirements, rule: str, level: Optional[str] = None, section: Optional[str] = None,
         accepted: Optional[Mapping[str, str]] = None, needs=(), tags=(), alone: bool = False) -> Callable:
    """Declare a conformance case; see :class:`Case` for the fields.

    ``section`` and ``level`` default from the catalog row of the first requirement (:func:`.spec.defaults`);
    give them only where the case differs from that row, and say why beside them.  Repeating the row is an
    error, so that each is declared once."""
    if not _ID.match(id):
        raise ValueError(f"case id {id!r} must be lower-case words joined by '-'")
    reqs = tuple(requirements)
    if not reqs or not all(_REQ.match(r) for r in reqs):
        raise ValueError(f"case {id}: requirements {reqs!r} must be catalog ids like 9112-9.3-r3")
    try:
        row_section, row_level = spec.defaults(reqs[0])
    except KeyError:
        raise ValueError(f"case {id}: requirement {reqs[0]} has no row in the catalog") from None
    for name, given, row in (("section", section, row_section), ("level", level, row_level)):
        if given == row:
            raise ValueError(f"case {id}: {name}={given!r} repeats the catalog row of {reqs[0]}; leave it out")
    section = row_section if section is None else section
    level = row_level if level is None else level
    if level not in LEVELS:
        raise ValueError(f"case {id}: level {level!r} is not one of {LEVELS}")
    if not re.match(r"^RFC 91(10|12) §[0-9A-Z.]+$", section):
        raise ValueError(f"case {id}: section {section!r} must look like 'RFC 9112 §9.3'")
    if level in ("MAY", "INFO") and not accepted:
        raise ValueError(f"case {id}: a {level} case must list its accepted behaviours")

    def decorate(func: Callable) -> Callable:
        if id in REGISTRY and REGISTRY[id].func.__qualname__ != func.__qualname__:
            raise ValueError(f"duplicate case id {id!r}")
        c = Case(id=id, requirements=reqs, level=level, section=section, rule=rule, func=func,
                 accepted=dict(accepted or {}), needs=tuple(needs), tags=tuple(tags), alone=alone)
        REGISTRY[id] = c
        func.h1case = c
        return func

    return decorate


@dataclass
class Result:
    case: Case
    outcome: str
    expected: str = ""
    actual: str = ""
    branch: str = ""  # which accepted behaviour the target chose
    detail: str = ""  # skip / error / inconclusive reason
    remedy: str = ""  # inconclusive: what would make the case conclusive
    transcript: str = ""  # the case's connections as text, as the terminal prints them
    duration_s: float = 0.0
    deviation: str = ""  # reason, when listed as a known deviation of the target
    wire: list = field(default_factory=list)  # the same connections as h1conform.wire.WireEvent, with the bytes
    started: float = 0.0  # wall clock (time.time()) when the case started: wire events count from it

    @property
    def reported(self) -> str:
        """The outcome as reports give it: ``known-deviation`` for a fail or error the deviations file lists."""
        return KNOWN_DEVIATION if self.deviation and self.outcome in ("fail", "error") else self.outcome

    def as_dict(self) -> dict:
        """The case as the JSON report gives it (``h1conform/reports/report.schema.json``)."""
        d = {"id": self.case.id, "requirements": list(self.case.requirements), "level": self.case.level,
             "section": self.case.section, "impact": self.case.impact, "rule": self.case.rule, "tags": list(self.case.tags),
             "outcome": self.reported, "duration_s": round(self.duration_s, 4),
             "expected": self.expected, "actual": self.actual}
        if self.branch:
            d["branch"] = self.branch
            d["branch_means"] = self.case.accepted.get(self.branch, "")
        if self.detail:
            d["detail"] = self.detail
        if self.remedy:
            d["remedy"] = self.remedy
        if self.deviation:
            d["deviation"] = self.deviation  # the reason the deviations file gives
            d["observed"] = self.outcome  # what the case found, before the deviations file was applied
        if self.started:
            d["started"] = round(self.started, 6)
        d["transcript"] = [e.as_json() for e in self.wire]  # the bytes that showed it
        d["transcript_text"] = self.transcript  # the same, as the terminal prints them
        return d


def judge(c: Case, exc: Optional[BaseException], probe, duration_s: float = 0.0,
          strict: bool = False, fail_on: FrozenSet[str] = frozenset()) -> Result:
    """The one place where an outcome is decided.

    - no exception: ``info`` when the case recorded which accepted behaviour
      the target chose (a MAY row), otherwise ``pass``;
    - :class:`Violation`: ``fail`` for MUST / MUST NOT, ``warn`` for SHOULD,
      SHOULD NOT and for leaving a MAY case's accepted set (``fail`` for those
      too under ``strict``, and for a case whose :attr:`Case.impact` is in ``fail_on``, saying so in its detail);
    - :class:`Inconclusive`: ``inconclusive`` with the reason and the remedy (never a pass);
    - a skip: ``skip`` with its reason; :class:`TargetUnreachable`: ``error``;
    - anything else is a bug of ours or a target we cannot judge: ``error``.
    """
    r = Result(case=c, outcome="pass", duration_s=duration_s)
    if probe is not None:
        r.expected, r.actual, r.branch = probe.expected, probe.actual, probe.branch
        r.transcript = probe.render_transcripts()
        r.wire, r.started = probe.wire(), probe.started_wall
    if exc is None:
        r.outcome = "info" if (r.branch and c.severity == "may") else "pass"
        return r
    if isinstance(exc, Violation):
        r.expected, r.actual = exc.expected, exc.actual
        level = exc.level or c.level
        r.outcome = "fail" if severity(level) == "must" or strict else "warn"
        if r.outcome == "warn" and c.impact in fail_on:
            r.outcome = "fail"
            r.detail = f"failed because --fail-on {c.impact}: a {level} under the RFC"
        return r
    if isinstance(exc, Inconclusive):
        r.expected, r.actual = exc.expected, exc.actual
        r.outcome, r.detail, r.remedy = "inconclusive", exc.reason, exc.remedy
        return r
    if type(exc).__name__ in ("Skipped", "SkipTest"):
        r.outcome, r.detail = "skip", str(getattr(exc, "msg", exc))
        return r
    if isinstance(exc, TargetUnreachable):
        r.outcome, r.detail = "error", str(exc)
        return r
    r.outcome, r.detail = "error", f"{type(exc).__name__}: {exc}"
    return r


def run_case(c: Case, probe, strict: bool = False, fail_on: FrozenSet[str] = frozenset()) -> Result:
    """Run one case outside pytest (the self-tests use this) and judge it."""
    start = time.perf_counter()
    try:
        c.func(probe)
    except BaseException as exc:  # judged, never swallowed: judge() maps every kind
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return judge(c, exc, probe, time.perf_counter() - start, strict, fail_on)
    return judge(c, None, probe, time.perf_counter() - start, strict, fail_on)

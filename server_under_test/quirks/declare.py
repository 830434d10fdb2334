"""How a quirk is declared, and how quirk names become the rules a server runs with (see __init__.py)."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field, fields, replace
from typing import Any, Callable, Dict, FrozenSet, Iterable, Mapping, Tuple

from ..rules import STRICT, Rules

__all__ = ["Quirk", "QUIRKS", "PROVEN_TOGETHER", "UnknownQuirk", "QuirkConflict", "quirk", "family",
           "proven_together", "rules_for", "validate"]

SEAMS = ("parser", "connection", "app")


class UnknownQuirk(ValueError):
    """A quirk name that no declaration has."""


class QuirkConflict(ValueError):
    """Two quirks of one combination set the same rule."""


@dataclass(frozen=True)
class Quirk:
    name: str
    doc: str
    #: the cases that stop passing with this quirk on (a MAY case counts when it records another choice)
    breaks: FrozenSet[str]
    #: the quirk garbles so much that other cases change too: ``breaks`` is "at least these"
    cascades: bool = False
    #: seam -> {rule field: value}
    changes: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    #: the declaring module's topic: core, parsing, responses or semantics
    family: str = ""


QUIRKS: Dict[str, Quirk] = {}
#: combinations of quirks and the cases they break together (a desync needs a front and a back)
PROVEN_TOGETHER: Dict[Tuple[str, ...], FrozenSet[str]] = {}


def quirk(name: str, doc: str, *, breaks: Iterable[str], cascades: bool = False, family: str = "",
          **changes: Mapping[str, Any]) -> Quirk:
    """Declare a quirk (at import time of a ``quirks`` module); return it."""
    if name in QUIRKS:
        raise ValueError(f"quirk {name!r} is declared twice")
    unknown_seams = set(changes) - set(SEAMS)
    if unknown_seams:
        raise TypeError(f"quirk {name!r}: unknown seam(s) {sorted(unknown_seams)} (seams: {', '.join(SEAMS)})")
    for seam, values in changes.items():
        known = {f.name for f in fields(getattr(STRICT, seam))}
        bad = set(values) - known
        if bad:
            raise TypeError(f"quirk {name!r}: {seam} has no rule(s) {sorted(bad)}")
    q = Quirk(name, doc, frozenset(breaks), cascades, {seam: dict(v) for seam, v in changes.items()}, family)
    QUIRKS[name] = q
    return q


def family(topic: str) -> Callable[..., Quirk]:
    """``quirk`` for the declarations of one module: ``quirk = family("parsing")``."""
    return functools.partial(quirk, family=topic)


def proven_together(names: Tuple[str, ...], breaks: Iterable[str]) -> None:
    PROVEN_TOGETHER[tuple(names)] = frozenset(breaks)


def validate(names: Iterable[str] | None) -> FrozenSet[str]:
    """*names* as a frozenset; :class:`UnknownQuirk` for a name no quirk has."""
    if names is None:
        return frozenset()
    if isinstance(names, (str, bytes)):
        raise TypeError("quirks must be a collection of quirk names, not a single string")
    chosen = frozenset(names)
    unknown = sorted(str(n) for n in chosen if n not in QUIRKS)
    if unknown:
        raise UnknownQuirk(f"unknown quirk(s): {', '.join(unknown)} (known: {', '.join(sorted(QUIRKS))})")
    return chosen


def rules_for(names: Iterable[str] | None) -> Rules:
    """The rules of a server with the quirks *names* on (the strict rules for none)."""
    chosen = validate(names)
    if not chosen:
        return STRICT
    seams = {seam: {} for seam in SEAMS}
    setter: Dict[Tuple[str, str], str] = {}
    for name in sorted(chosen):
        for seam, values in QUIRKS[name].changes.items():
            strict = getattr(STRICT, seam)
            for rule, value in values.items():
                if isinstance(getattr(strict, rule), tuple):
                    seams[seam][rule] = seams[seam].get(rule, getattr(strict, rule)) + tuple(value)
                    continue
                other = setter.setdefault((seam, rule), name)
                if other != name:
                    raise QuirkConflict(f"quirks {other!r} and {name!r} both set {seam}.{rule}")
                seams[seam][rule] = value
    return replace(STRICT, quirks=chosen,
                   **{seam: replace(getattr(STRICT, seam), **values) for seam, values in seams.items() if values})


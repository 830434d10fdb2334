"""``h1conform diff OLD.json NEW.json``: what changed between two runs, for CI.

Cases are compared by id, one line each: a new failure (with its level), a new warning, a fixed case, another
change of outcome, a changed branch (the accepted behaviour a MAY case recorded: ``chose``), a case new in NEW or
gone from it; then one line of counts.  Exit 0, or 1 when a MUST / MUST NOT case newly fails (``fail`` or
``error`` in NEW where OLD had neither, a new case included); 2 with one line when a report cannot be read.
A known deviation (``known-deviation``) is an outcome of its own: listing a failure is not a new failure.
Reports of every ``report_version`` are read (only the ids, levels, outcomes and branches are compared).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from ..cases import severity
from ..expectations import FLAGGED  # the outcomes that flag a case: fail, warn, error

FAILING = ("fail", "error")
EXIT_OK, EXIT_NEW_MUST_FAILURE, EXIT_UNREADABLE = 0, 1, 2


class Unreadable(Exception):
    pass


def load(path: str) -> Dict[str, dict]:
    """case id -> its entry; :class:`Unreadable` (one line) for a missing file, bad JSON, or not a report."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise Unreadable(f"{path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise Unreadable(f"{path}: not JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("tool") != "h1conform" or not isinstance(data.get("cases"), list):
        raise Unreadable(f"{path}: not an h1conform JSON report (h1conform run --json FILE)")
    cases = {}
    for i, c in enumerate(data["cases"]):
        if not (isinstance(c, dict) and isinstance(c.get("id"), str) and isinstance(c.get("outcome"), str)
                and isinstance(c.get("level"), str)):
            raise Unreadable(f"{path}: case #{i + 1} has no id, level or outcome")
        cases[c["id"]] = c
    return cases


@dataclass(frozen=True)
class Change:
    kind: str  # new-failure, new-warning, fixed, changed, branch, added, removed
    case: str
    level: str
    old: str  # outcome (or branch) before; "" for an added case
    new: str  # after; "" for a removed case
    actual: str = ""

    @property
    def must(self) -> bool:
        return self.kind == "new-failure" and severity(self.level) == "must"

    def __str__(self) -> str:
        what = {"new-failure": "NEW FAIL", "new-warning": "NEW WARN", "fixed": "FIXED", "changed": "CHANGED",
                "branch": "BRANCH", "added": "ADDED", "removed": "REMOVED"}[self.kind]
        was = f"{self.old} -> {self.new}" if self.old and self.new else (self.new or f"was {self.old}")
        return f"{what:8} {self.case} [{self.level}] {was}" + (f": {self.actual}" if self.actual else "")


ORDER = ("new-failure", "new-warning", "fixed", "changed", "branch", "added", "removed")


def _kind(old: Optional[str], new: str) -> Optional[str]:
    if old == new:
        return None
    if new in FAILING and old not in FAILING:
        return "new-failure"
    if new == "warn" and old not in FLAGGED:
        return "new-warning"
    if old in FLAGGED and new in ("pass", "info"):
        return "fixed"
    return "changed"


def compare(old: Dict[str, dict], new: Dict[str, dict]) -> List[Change]:
    out = []
    for cid, n in new.items():
        o = old.get(cid)
        actual = n.get("actual", "") if n["outcome"] in FLAGGED else ""
        if o is None:
            kind = "new-failure" if n["outcome"] in FAILING else "added"
            out.append(Change(kind, cid, n["level"], "", n["outcome"], actual))
            continue
        kind = _kind(o["outcome"], n["outcome"])
        if kind:
            out.append(Change(kind, cid, n["level"], o["outcome"], n["outcome"], actual))
        elif o.get("branch", "") != n.get("branch", ""):
            out.append(Change("branch", cid, n["level"], o.get("branch", "") or "(none)",
                              n.get("branch", "") or "(none)"))
    out += [Change("removed", cid, o["level"], o["outcome"], "") for cid, o in old.items() if cid not in new]
    return sorted(out, key=lambda c: (ORDER.index(c.kind), c.case))


def summary(changes: List[Change]) -> str:
    n = {k: sum(c.kind == k for c in changes) for k in ORDER}
    must = sum(c.must for c in changes)
    words = {"new-failure": f"new failures ({must} MUST)", "new-warning": "new warnings", "fixed": "fixed",
             "changed": "other outcome changes", "branch": "changed branches", "added": "added cases",
             "removed": "removed cases"}
    return "h1conform diff: " + ", ".join(f"{n[k]} {words[k]}" for k in ORDER)


def diff(old_path: str, new_path: str) -> Tuple[List[str], int]:
    """The lines to print and the exit code (raises :class:`Unreadable`)."""
    changes = compare(load(old_path), load(new_path))
    code = EXIT_NEW_MUST_FAILURE if any(c.must for c in changes) else EXIT_OK
    return [str(c) for c in changes] + [summary(changes)], code


def main(old_path: str, new_path: str) -> int:
    try:
        lines, code = diff(old_path, new_path)
    except Unreadable as exc:
        print(f"h1conform: error: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    for line in lines:
        print(line)
    return code

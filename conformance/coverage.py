"""``h1conform coverage``: which catalog requirements the cases cover.

A requirement is covered when at least one case names its id.  Every testable
requirement that no case covers must have a reviewed reason in
``fixtures/spec/uncovered.tsv`` (id, reason); the report lists them with it.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Dict, List, Tuple

from .catalog import Requirement, fixtures_dir, load_cases, requirements


def uncovered_reasons() -> Dict[str, str]:
    path = fixtures_dir() / "spec" / "uncovered.tsv"
    if not path.exists():
        return {}
    rows = csv.reader(io.StringIO(path.read_text(encoding="utf-8")), delimiter="\t", quoting=csv.QUOTE_NONE)
    return {r[0]: r[1] for r in rows if r and not r[0].startswith("#") and len(r) >= 2}


@dataclass
class Coverage:
    catalog: Dict[str, Requirement]
    cases_by_req: Dict[str, List[str]]
    reasons: Dict[str, str]

    def covered(self, rid: str) -> bool:
        return bool(self.cases_by_req.get(rid))

    def ratio(self, testable: str) -> Tuple[int, int]:
        rows = [r for r in self.catalog.values() if r.testable == testable]
        return sum(self.covered(r.id) for r in rows), len(rows)

    def uncovered(self) -> List[Requirement]:
        return [r for r in self.catalog.values() if r.testable in ("yes", "partly") and not self.covered(r.id)]


def compute() -> Coverage:
    cases = load_cases()
    by_req: Dict[str, List[str]] = defaultdict(list)
    for c in cases:
        for rid in c.requirements:
            by_req[rid].append(c.id)
    return Coverage(catalog=requirements(), cases_by_req=dict(by_req), reasons=uncovered_reasons())


def _level_key(level: str) -> str:
    return level.split()[0]


def report_lines(cov: Coverage) -> List[str]:
    lines = []
    sections: Dict[Tuple[str, str], List[Requirement]] = defaultdict(list)
    for r in cov.catalog.values():
        sections[(r.rfc, r.section)].append(r)

    def sort_key(key):
        rfc, sec = key
        return (rfc != "9112", [int(p) if p.isdigit() else ord(p[0]) * 1000 for p in sec.split(".")])

    lines.append(f"{'section':16} {'covered':>8}   by level (covered/total)")
    for key in sorted(sections, key=sort_key):
        rows = sections[key]
        by_level: Dict[str, List[int]] = defaultdict(lambda: [0, 0])
        for r in rows:
            by_level[_level_key(r.level)][1] += 1
            by_level[_level_key(r.level)][0] += cov.covered(r.id)
        done = sum(cov.covered(r.id) for r in rows)
        levels = "  ".join(f"{lv} {c}/{t}" for lv, (c, t) in sorted(by_level.items()))
        lines.append(f"RFC {key[0]} §{key[1]:8} {done:>3}/{len(rows):<4}   {levels}")
    lines.append("")
    uncovered = cov.uncovered()
    if uncovered:
        lines.append("uncovered (testable=yes or partly), with the reviewed reason:")
        for r in uncovered:
            lines.append(f"  {r.id:16} {r.testable:6} {r.level:10} {cov.reasons.get(r.id, 'NO REASON RECORDED')}")
        lines.append("")
    yes_c, yes_t = cov.ratio("yes")
    partly_c, partly_t = cov.ratio("partly")
    n_cases = len({c for ids in cov.cases_by_req.values() for c in ids})
    lines.append(f"coverage: testable=yes {yes_c}/{yes_t} ({100 * yes_c / max(yes_t, 1):.1f}%), "
                 f"partly {partly_c}/{partly_t} ({100 * partly_c / max(partly_t, 1):.1f}%), {n_cases} cases")
    return lines


def as_json(cov: Coverage) -> str:
    yes_c, yes_t = cov.ratio("yes")
    partly_c, partly_t = cov.ratio("partly")
    return json.dumps({
        "testable_yes": {"covered": yes_c, "total": yes_t},
        "testable_partly": {"covered": partly_c, "total": partly_t},
        "requirements": {rid: {"level": r.level, "testable": r.testable, "cases": cov.cases_by_req.get(rid, []),
                               "uncovered_reason": cov.reasons.get(rid) if not cov.covered(rid) else None}
                         for rid, r in cov.catalog.items()},
    }, indent=2)

"""Coverage of the requirements catalog: the acceptance figures of the coverage and smuggling work, as tests."""

from __future__ import annotations

import subprocess
import sys

from h1conform.catalog import load_cases
from h1conform.coverage import compute


def test_every_testable_row_is_covered():
    covered, total = compute().ratio("yes")
    assert covered == total


def test_at_least_80_percent_of_partly_rows_are_covered():
    covered, total = compute().ratio("partly")
    assert covered / total >= 0.8, f"{covered}/{total}"


def test_every_uncovered_row_has_a_reviewed_reason():
    cov = compute()
    assert not [r.id for r in cov.uncovered() if r.id not in cov.reasons]
    assert not [rid for rid in cov.reasons if cov.covered(rid)], "a covered row still has an 'uncovered' reason"


def test_case_counts():
    cases = load_cases()
    assert len(cases) >= 250
    assert len([c for c in cases if "smuggling" in c.tags]) >= 120


def test_coverage_command_prints_the_summary_last():
    r = subprocess.run([sys.executable, "-m", "h1conform.cli", "coverage"], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0
    assert r.stdout.strip().splitlines()[-1].startswith("coverage: testable=yes 160/160")

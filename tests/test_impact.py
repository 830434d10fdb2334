"""The impact of every case, decided by one rule (h1conform.impact), and --fail-on in the one place verdicts are made."""

from __future__ import annotations

from dataclasses import replace

import pytest
from h1conform import impact
from h1conform.cases import judge
from h1conform.catalog import load_cases
from h1conform.errors import Violation

CASES = {c.id: c for c in load_cases()}


def test_every_case_has_one_of_the_impacts():
    assert {c.impact for c in CASES.values()} == set(impact.IMPACTS)


def test_every_override_names_a_case_changes_its_verdict_and_says_why():
    for case_id, (value, reason) in impact.OVERRIDES.items():
        assert case_id in CASES, f"override of {case_id}: no such case"
        assert value in impact.IMPACTS and reason.strip()
        without = replace(CASES[case_id], id="no-override-" + case_id)
        assert impact.impact_of(without) != value, f"override of {case_id} repeats what the rule decides"


@pytest.mark.parametrize("case_id, expected", [
    ("smuggle-cl-te-cl-zero", "desync"),  # a tag of framing
    ("response-content-length-exact", "desync"),  # a framing section, untagged
    ("smuggle-name-space-before-colon", "desync"),  # 9112 §5.1: hides a field from one of two parsers
    ("smuggle-name-nul", "injection"),  # field-name syntax elsewhere
    ("smuggle-host-twice-different", "injection"),
    ("fields-too-many-lines-refused", "dos"),  # 9110 §5.4 field limits
    ("content-too-large-413", "dos"),  # tagged limits
    ("etag-present", "none"),
])
def test_the_rule(case_id, expected):
    assert CASES[case_id].impact == expected


def test_every_smuggling_case_has_an_impact():
    assert not [c.id for c in CASES.values() if "smuggling" in c.tags and c.impact == "none"]


def _violation(case_id, **kw):
    return judge(CASES[case_id], Violation("a", "b"), None, **kw)


def test_fail_on_makes_a_warn_of_that_impact_a_failure_saying_why():
    assert _violation("smuggle-te-unknown-then-chunked").outcome == "warn"
    r = _violation("smuggle-te-unknown-then-chunked", fail_on=frozenset({"desync"}))
    assert r.outcome == "fail" and r.detail == "failed because --fail-on desync: a SHOULD under the RFC"
    assert _violation("smuggle-te-unknown-then-chunked", fail_on=frozenset({"dos"})).outcome == "warn"
    assert _violation("close-request-echoed", fail_on=frozenset(impact.FAIL_ON_CHOICES)).outcome == "warn"
    assert _violation("smuggle-cl-list-same", fail_on=frozenset({"desync"})).outcome == "fail"  # a MAY left


def test_fail_on_values():
    assert impact.parse_fail_on(["desync,dos", " Injection "]) == {"desync", "dos", "injection"}
    assert impact.parse_fail_on([]) == frozenset()
    with pytest.raises(ValueError, match="none is not an impact"):
        impact.parse_fail_on(["none"])

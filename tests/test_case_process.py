"""The case pool in a process of its own (h1conform.case_process): outcomes cross intact, in any order they end,
and a case process that dies leaves the cases it did not report as errors at once, not waits."""

from __future__ import annotations

import os
import pickle

import pytest
from h1conform import case_process
from h1conform.cases import Case, judge
from h1conform.errors import Inconclusive, TargetUnreachable, Violation

pytestmark = [
    pytest.mark.skipif(not case_process.available(), reason="the case process is forked on Linux only"),
    # an xdist worker has threads of its own (h1conform run forks from a process with one)
    pytest.mark.filterwarnings("ignore:This process .* is multi-threaded, use of fork:DeprecationWarning"),
]


def _case(name: str, func, alone: bool = False) -> Case:
    return Case(id=f"fake-{name}", requirements=("9112-9.3-r1",), level="MUST", section="RFC 9112 §9.3",
                rule="a fake case", func=func, alone=alone)


def _crossed(exc):
    nodeid, probe, back, seconds = pickle.loads(case_process._pickled("n", None, exc, 0.5))
    return case_process._restored(back)


def test_verdicts_cross_with_their_fields():
    v = _crossed(Violation("a 200", "a 400", level="SHOULD"))
    assert isinstance(v, Violation) and (v.expected, v.actual, v.level) == ("a 200", "a 400", "SHOULD")
    i = _crossed(Inconclusive("x", "y", reason="the route answered", remedy="--echo-path"))
    assert isinstance(i, Inconclusive) and (i.reason, i.remedy) == ("the route answered", "--echo-path")
    assert isinstance(_crossed(TargetUnreachable("gone")), TargetUnreachable)


def test_a_skip_crosses_as_pytest_skip():
    try:
        pytest.skip("the target has no echo resource")
    except pytest.skip.Exception as exc:
        back = _crossed(exc)
    assert isinstance(back, pytest.skip.Exception) and back.msg == "the target has no echo resource"
    assert judge(_case("skip", None), back, None).outcome == "skip"


def test_an_exception_that_does_not_pickle_crosses_as_its_text():
    class Local(Exception):  # a class pickle cannot find by name
        pass

    back = _crossed(Local("bad state"))
    result = judge(_case("bug", None), back, None)
    assert result.outcome == "error" and "Local: bad state" in result.detail


def _pool(*cases):
    pool = case_process.ForkedPrerun(4, lambda: None, lambda c: None, lambda p: None)
    pool.start([(c.id, c) for c in cases])
    return pool


def _violation(probe):
    raise Violation("a pass", "a fail")


def test_outcomes_are_handed_to_the_case_waiting_for_each():
    cases = [_case("passes", lambda probe: None), _case("fails", _violation), _case("alone", lambda probe: None, True)]
    pool = _pool(*cases)
    try:
        outcomes = {c.id: pool.outcome(c.id) for c in reversed(cases)}  # asked for in another order than run
    finally:
        pool.stop()
    assert outcomes["fake-passes"][1] is None and outcomes["fake-alone"][1] is None
    assert isinstance(outcomes["fake-fails"][1], Violation)
    assert pool.outcome("fake-unknown") is None


def test_a_case_process_that_dies_leaves_errors_not_waits():
    def dies(probe):
        os._exit(9)

    cases = [_case("dies", dies, alone=True)] + [_case(f"later-{i}", lambda probe: None) for i in range(3)]
    pool = _pool(*cases)
    try:
        outcomes = [pool.outcome(c.id) for c in cases]
    finally:
        pool.stop()
    for probe, exc, seconds in outcomes:  # the alone case runs first: nothing was reported
        assert isinstance(exc, case_process.CaseProcessDied) and "the case process ended first" in str(exc)
        assert judge(cases[0], exc, None).outcome == "error"

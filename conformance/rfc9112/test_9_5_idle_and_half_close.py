"""RFC 9112 §9.5 and §9.6: how connections end.

A server that times out an idle keep-alive connection closes it gracefully
(a FIN, optionally after a 408), not with a reset; and a client's half-close
right after a complete request does not cancel the response.
"""

from __future__ import annotations

import pytest
from h1conform.cases import case
from h1conform.client import HALF_CLOSE
from h1conform.verdicts import check, expect_responses


@case(id="idle-timeout-graceful-close", requirements=("9112-9.5-r1",),
      rule="an idle keep-alive connection is timed out with a graceful close (FIN), not a reset",
      tags=("idle-timeout",))  # beside the others: load delays the close, but not by the 2 s it is given
def test_idle_timeout_graceful_close(probe):
    idle = probe.target.idle_timeout
    if not idle:
        pytest.skip("the target's idle timeout is not known (pass --idle-timeout S)")
    ex = probe.exchange(probe.request("GET"), follow_up=False, wait_close=True, timeout=idle + 2.0)
    expect_responses(probe, ex, 1, "(then an idle connection)")
    check(probe, ex.ending == "closed", f"a FIN within {idle + 2:g} s of idling", ex.describe_end() + f" ({ex.ending})")


HALF = {"answered": "the response is delivered after the client's FIN"}


@case(id="half-close-after-request-answered", requirements=("9112-9.6-r8",),
      accepted=HALF, rule="a client half-close (FIN right after a complete request) does not cancel the response",
      alone=True)
def test_half_close_after_request_answered(probe):
    ex = probe.exchange(probe.request("GET"), HALF_CLOSE, follow_up=False, wait_close=True)
    branch = "answered" if ex.responses and ex.responses[0].complete else "dropped"
    probe.choose(HALF, branch, ex.describe())

"""RFC 9110 §10.2.1: every 405 carries Allow."""

from __future__ import annotations

from h1conform.cases import case
from h1conform.semantics import get, not_allowed, one, skip
from h1conform.verdicts import check


def _allow_on_405(probe, resp, what):
    if resp.status != 405:
        skip(f"{what} is answered {resp.status}, not 405: nothing to judge")
    check(probe, resp.header("allow") is not None, f"{what}: 405 with an Allow field",
          f"Allow: {resp.header('allow')!r}")


@case(id="method-not-allowed-has-allow", requirements=("9110-10.2.1-r1",),
      rule="a 405 (here to POST on the resource) lists the allowed methods in Allow")
def test_method_not_allowed_has_allow(probe):
    _allow_on_405(probe, one(probe, not_allowed(probe)), "POST on the resource")


@case(id="connect-not-allowed-has-allow", requirements=("9110-10.2.1-r1",),
      rule="a 405 to CONNECT lists the allowed methods in Allow")
def test_connect_not_allowed_has_allow(probe):
    target = probe.target.host_header if ":" in probe.target.host_header else f"{probe.target.host_header}:80"
    _allow_on_405(probe, get(probe, target, method="CONNECT"), "CONNECT")

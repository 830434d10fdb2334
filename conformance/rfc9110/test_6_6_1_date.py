"""RFC 9110 §6.6.1 and §5.6.7: the Date header field.

An origin server with a clock sends Date in every 2xx, 3xx and 4xx response,
as an IMF-fixdate.
"""

from __future__ import annotations

from h1conform import grammar
from h1conform.cases import case
from h1conform.verdicts import check, expect_responses

MISSING = "/h1conform-no-such-resource"


@case(id="response-date-present", requirements=("9110-6.6.1-r2",),
      rule="an origin server with a clock sends Date in every 2xx, 3xx and 4xx response")
def test_response_date_present(probe):
    responses = []
    for req in (probe.request("GET"), probe.request("GET", MISSING)):
        ex = probe.exchange(req, follow_up=False)
        expect_responses(probe, ex, 1)
        responses.append(ex.responses[0])
    lacking = [r.summary() for r in responses if r.status < 500 and r.header("date") is None]
    check(probe, not lacking, "a Date field in each response", f"no Date in: {lacking}" if lacking else "present")


@case(id="response-date-imf-fixdate", requirements=("9110-5.6.7-r2", "9110-5.6.7-r3"),
      rule="generated HTTP-dates are IMF-fixdate, e.g. Sun, 06 Nov 1994 08:49:37 GMT")
def test_response_date_imf_fixdate(probe):
    ex = probe.exchange(probe.request("GET"))
    expect_responses(probe, ex, 1)
    dates = ex.responses[0].values("date")
    bad = [d for d in dates if not grammar.imf_fixdate_re.fullmatch(d)]
    check(probe, not bad, "every Date value an IMF-fixdate", f"Date: {dates!r}")

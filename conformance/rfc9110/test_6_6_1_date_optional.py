"""RFC 9110 §6.6.1: Date is optional in 1xx and 5xx responses (recorded, never judged).

The case needs a 5xx to look at: it asks for one the usual ways (an unknown method, which RFC 9110 §9.1 answers
501, and an HTTP/2.0 request-line in HTTP/1 syntax, which RFC 9112 §2.3 lets a server answer 505) and skips when
the target answers neither with a 5xx.
"""

from __future__ import annotations

from h1conform.cases import case
from h1conform.probe import RawRequest
from h1conform.reference import RequestInfo
from h1conform.semantics import UNKNOWN_METHOD, skip
from h1conform.verdicts import expect_responses

DATE_5XX = {
    "with-date": "the 5xx carries Date -- RFC 9110 §6.6.1: \"An origin server MAY generate a Date header field "
                 "in 1xx (Informational) and 5xx (Server Error) responses\"",
    "without-date": "the 5xx has no Date -- the same sentence: Date is optional there",
}


def _five_hundreds(probe) -> list:
    http2 = f"GET {probe.target.resource} HTTP/2.0\r\nHost: {probe.target.host_header}\r\n\r\n".encode("latin-1")
    got = []
    for req in (probe.request(UNKNOWN_METHOD), RawRequest(http2, RequestInfo("GET", "1.1", "GET HTTP/2.0"))):
        ex = probe.exchange(req, follow_up=False)
        expect_responses(probe, ex, 1, f"to {req.info.label}")
        got.append(ex.responses[0])
        if 500 <= got[-1].status < 600:
            return [got[-1]]
    skip("the target answered no request with a 5xx (" + "; ".join(r.summary() for r in got) + "): no 5xx whose"
         " Date could be recorded")


@case(id="date-optional-in-5xx-recorded", requirements=("9110-6.6.1-r3",),
      accepted=DATE_5XX, rule="an origin server may omit Date from a 5xx (501 to an unknown method, or 505)")
def test_date_optional_in_5xx_recorded(probe):
    resp = _five_hundreds(probe)[0]
    probe.choose(DATE_5XX, "with-date" if resp.header("date") is not None else "without-date", resp.summary())

"""RFC 9110 §6.6.1: Date is optional in 1xx and 5xx responses (recorded, never judged)."""

from __future__ import annotations

from h1conform.cases import case
from h1conform.semantics import UNKNOWN_METHOD, get

DATE_5XX = {
    "with-date": "the 5xx carries Date",
    "without-date": "the 5xx has no Date (allowed)",
}


@case(id="date-optional-in-5xx-recorded", requirements=("9110-6.6.1-r3",), level="MAY", section="RFC 9110 §6.6.1",
      accepted=DATE_5XX, rule="an origin server may omit Date from a 5xx (here 501 to an unknown method)")
def test_date_optional_in_5xx_recorded(probe):
    resp = get(probe, method=UNKNOWN_METHOD)
    branch = ("with-date" if resp.header("date") is not None else "without-date") if resp.status >= 500 else "no-5xx"
    probe.choose(DATE_5XX, branch, resp.summary())

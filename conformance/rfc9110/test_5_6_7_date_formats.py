"""RFC 9110 §5.6.7: recipients accept all three HTTP-date formats (judged through If-Modified-Since),
and read an RFC 850 two-digit year more than 50 years ahead as the past century."""

from __future__ import annotations

from h1conform.cases import case
from h1conform.semantics import asctime_date, get, last_modified_of, resource, rfc850_date, skip, text
from h1conform.verdicts import check, expect_status


def _ims_honoured(probe):
    base = resource(probe)
    stamp = last_modified_of(base)
    first = get(probe, headers=[("If-Modified-Since", text(base.header("last-modified")))])
    if first.status != 304:
        skip(f"If-Modified-Since: <Last-Modified> is answered {first.status}: the target does not evaluate it")
    return base, stamp


@case(id="ims-rfc850-date-accepted", requirements=("9110-5.6.7-r1",),
      rule="an RFC 850 date is accepted: If-Modified-Since = Last-Modified in that form gives 304")
def test_ims_rfc850_date_accepted(probe):
    _, stamp = _ims_honoured(probe)
    value = rfc850_date(stamp)
    expect_status(probe, get(probe, headers=[("If-Modified-Since", value)]), {304}, f"If-Modified-Since: {value}")


@case(id="ims-asctime-date-accepted", requirements=("9110-5.6.7-r1",),
      rule="an asctime date is accepted: If-Modified-Since = Last-Modified in that form gives 304")
def test_ims_asctime_date_accepted(probe):
    _, stamp = _ims_honoured(probe)
    value = asctime_date(stamp)
    expect_status(probe, get(probe, headers=[("If-Modified-Since", value)]), {304}, f"If-Modified-Since: {value}")


@case(id="ims-rfc850-past-century", requirements=("9110-5.6.7-r4",),
      rule="an RFC 850 year more than 50 years ahead is the past century: 06-Nov-94 is 1994 (so: modified, 200)")
def test_ims_rfc850_past_century(probe):
    base, stamp = _ims_honoured(probe)
    if stamp <= 784111777:
        skip("the resource was last modified before 1994")
    resp = get(probe, headers=[("If-Modified-Since", "Sunday, 06-Nov-94 08:49:37 GMT")])
    check(probe, resp.status == 200 and resp.body == base.body,
          "200 with the full representation (1994 is before Last-Modified)", resp.summary())

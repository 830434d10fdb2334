"""RFC 9112 §6.3: a server prefers length-delimited or chunked responses to close-delimited ones."""

from __future__ import annotations

from h1conform.cases import case
from h1conform.semantics import MISSING, get, not_allowed, one, summary
from h1conform.verdicts import check


@case(id="response-length-delimited-preferred", requirements=("9112-6.3-r9",),
      rule="responses to HTTP/1.1 requests (200, 404, 405) are framed by Content-Length or chunked, not by close")
def test_response_length_delimited_preferred(probe):
    got = [get(probe), get(probe, MISSING), one(probe, not_allowed(probe))]
    bad = [summary(r) for r in got if r.framing == "close-delimited"]
    check(probe, not bad, "Content-Length or chunked framing", "; ".join(bad) or "all delimited")

"""RFC 9110 §15: status codes -- the range of codes, no 1xx to HTTP/1.0, validators on a 200,
explanatory content on 4xx and 5xx."""

from __future__ import annotations

from h1conform.cases import case
from h1conform.probe import RawRequest
from h1conform.reference import RequestInfo
from h1conform.semantics import MISSING, UNKNOWN_METHOD, get, resource, sample, skip, summary
from h1conform.verdicts import check, expect_responses


@case(id="status-code-in-range", requirements=("9110-15-r1",),
      rule="every status code is a three-digit integer from 100 to 599")
def test_status_code_in_range(probe):
    bad = [summary(r) for r in sample(probe) if not 100 <= r.status <= 599]
    check(probe, not bad, "status codes 100-599 only", "; ".join(bad) or "all in range")


@case(id="no-1xx-to-http10-upgrade", requirements=("9110-15.2-r1",),
      rule="no 1xx to an HTTP/1.0 request, even one with Upgrade: h2c")
def test_no_1xx_to_http10_upgrade(probe):
    ex = probe.exchange(probe.request("GET", version="1.0", headers=[
        ("Connection", "Upgrade, HTTP2-Settings"), ("Upgrade", "h2c"), ("HTTP2-Settings", "AAMAAABkAAQCAAAAAAIAAAAA")]),
        follow_up=False)
    resp = ex.responses[0] if ex.responses else None
    check(probe, ex.error is None and resp is not None and resp.complete and not resp.informational,
          "a final response with no 1xx before it", ex.describe() + (
              f"; 1xx seen: {resp.informational}" if resp is not None and resp.informational else ""))


@case(id="ok-carries-validators", requirements=("9110-15.3.1-r1",),
      rule="a 200 to GET carries the validators it has: a strong ETag and Last-Modified")
def test_ok_carries_validators(probe):
    base = resource(probe)
    lacking = [n for n in ("ETag", "Last-Modified") if base.header(n) is None]
    check(probe, not lacking, "ETag and Last-Modified in the 200", f"missing: {lacking}" if lacking else "both")


@case(id="client-error-explanatory-content", requirements=("9110-15.5-r1",),
      rule="a 4xx (here 404) carries content explaining the error; a 4xx to HEAD carries none")
def test_client_error_explanatory_content(probe):
    resp = get(probe, MISSING)
    if not 400 <= resp.status < 500:
        skip(f"{MISSING} is answered {resp.summary()}, not a 4xx: no client error to judge")
    check(probe, len(resp.body) > 0, "a 4xx with non-empty content", resp.summary())
    head = get(probe, MISSING, method="HEAD")
    check(probe, 400 <= head.status < 500 and not head.body, "the same 4xx to HEAD, without content",
          head.summary())


@case(id="server-error-explanatory-content", requirements=("9110-15.6-r1",),
      rule="a 5xx (501 to an unknown method, 505 to HTTP/2.0 in HTTP/1 syntax) carries explanatory content")
def test_server_error_explanatory_content(probe):
    got = [get(probe, method=UNKNOWN_METHOD)]
    raw = f"GET {probe.target.resource} HTTP/2.0\r\nHost: {probe.target.host_header}\r\n\r\n".encode("latin-1")
    ex = probe.exchange(RawRequest(raw, RequestInfo("GET", "1.1", "GET HTTP/2.0")), follow_up=False)
    expect_responses(probe, ex, 1, "to an HTTP/2.0 request line")
    got.append(ex.responses[0])
    if not any(500 <= r.status < 600 for r in got):
        skip("no 5xx came (" + "; ".join(r.summary() for r in got) + "): no server error to judge")
    empty = [r.summary() for r in got if 500 <= r.status < 600 and not r.body]
    check(probe, not empty, "every 5xx with non-empty content", "; ".join(empty) or
          "; ".join(r.summary() for r in got))

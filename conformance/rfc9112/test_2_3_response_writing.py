"""How the server writes responses (RFC 9112 §2.2, §2.3, §7.1; RFC 9110 §2.3, §6.2, §6.6.1, §15.3.5,
§15.4.5, §15.5.14, §15.6.6).

No whitespace before the first field; the status line says the version the
server speaks (HTTP/1.1, not the request's HTTP/1.2, not a downgrade); chunked
responses are well formed; 204 and 304 end at their header section; Date is
close to now; 505 explains itself; and the server keeps serving after
oversized input.
"""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime

from h1conform.cases import case
from h1conform.probe import RawRequest
from h1conform.reference import RequestInfo
from h1conform.semantics import skip
from h1conform.smuggling import Family, register
from h1conform.verdicts import check, expect_responses, expect_status


def _only(probe, req, **kw):
    ex = probe.exchange(req, follow_up=False, **kw)
    expect_responses(probe, ex, 1)
    return ex.responses[0]


@case(id="response-no-space-before-first-field", requirements=("9112-2.2-r6",),
      rule="no whitespace between the status line and the first field line")
def test_response_no_space_before_first_field(probe):
    ex = probe.exchange(probe.request("GET"), follow_up=False)
    head = ex.transcript.received.split(b"\r\n", 2)
    check(probe, len(head) > 1 and head[1][:1] not in (b" ", b"\t"),
          "the line after the status line starts with a field name", repr(b"\r\n".join(head[:2])[:80]))


@case(id="response-version-not-downgraded", requirements=("9112-2.3-r4",),
      rule="an ordinary HTTP/1.1 request is answered with an HTTP/1.1 status line")
def test_response_version_not_downgraded(probe):
    resp = _only(probe, probe.request("GET"))
    check(probe, resp.http_version == b"1.1", "HTTP/1.1", "HTTP/" + resp.http_version.decode())


@case(id="response-version-not-echoed", requirements=("9110-6.2-r2",),
      rule="a request that says HTTP/1.2 or HTTP/1.9 is never answered with that version")
def test_response_version_not_echoed(probe):
    for version in ("1.2", "1.9"):
        ex = probe.exchange(probe.request("GET", version=version), follow_up=False, wait_close=False)
        line = ex.transcript.received.split(b"\r\n", 1)[0]
        check(probe, not line.startswith(b"HTTP/" + version.encode()) and line[:7] in (b"HTTP/1.", b""),
              f"a status line of HTTP/1.1 (or 1.0), never HTTP/{version}", repr(line[:40]))


@case(id="response-chunked-well-formed", requirements=("9112-7.1-r1",),
      rule="chunked responses are well formed: hex sizes without padding, CRLFs, a last chunk", needs=("stream",))
def test_response_chunked_well_formed(probe):
    resp = _only(probe, probe.request("GET", probe.feature_path("stream")))
    bad = [f.what for f in resp.findings if "chunk" in f.what]
    check(probe, resp.framing == "chunked" and not bad, "a chunked body matching the chunked grammar",
          f"{resp.framing}: {'; '.join(bad) or 'ok'}")


@case(id="version-505-explains", requirements=("9110-15.6.6-r1",),
      rule="a 505 has content explaining why the version is refused")
def test_version_505_explains(probe):
    ex = probe.exchange(RawRequest(probe.request("GET", version="2.0"), RequestInfo("GET")), follow_up=False)
    resp = ex.responses[0] if ex.responses else None
    if resp is None or resp.status != 505:
        probe.observe("(judged only when the target answers HTTP/2.0 with 505)", ex.describe())
        return
    check(probe, len(resp.body) > 0, "a 505 with a non-empty explanation", resp.summary())


@case(id="not-modified-ends-at-head", requirements=("9110-15.4.5-r3",),
      rule="a 304 ends at its header section: the next response starts right after it")
def test_not_modified_ends_at_head(probe):
    first = _only(probe, probe.request("GET"))
    etag = first.header("etag")
    if etag is None:
        import pytest

        pytest.skip("the resource has no ETag, so no 304 can be asked for")
    ex = probe.exchange(probe.request("GET", headers=[("If-None-Match", etag.decode("latin-1"))]),
                        probe.request("GET"))
    rs = ex.responses
    check(probe, len(rs) >= 1 and rs[0].status == 304 and not ex.error and
          (len(rs) == 2 or ex.closed) and (len(rs) < 2 or rs[1].start == rs[0].end),
          "304, then the next response right after its empty line", ex.describe())


@case(id="no-content-ends-at-head", requirements=("9110-15.3.5-r1",),
      rule="a 204 ends at its header section: the next response starts right after it")
def test_no_content_ends_at_head(probe):
    ex = probe.exchange(probe.request("OPTIONS"), probe.request("GET"))
    rs = ex.responses
    if not rs or rs[0].status != 204:
        probe.observe("(judged only when the target answers OPTIONS with 204)", ex.describe())
        return
    check(probe, not ex.error and (len(rs) == 2 or ex.closed) and (len(rs) < 2 or rs[1].start == rs[0].end),
          "204, then the next response right after its empty line", ex.describe())


@case(id="date-close-to-now", requirements=("9110-6.6.1-r1",),
      rule="Date approximates the time the response was generated (here: within 5 minutes of the tester's clock)")
def test_date_close_to_now(probe):
    resp = _only(probe, probe.request("GET"))
    value = resp.header("date")
    if value is None:  # "A sender that generates a Date header field SHOULD ...": nothing to compare
        skip(f"{resp.summary()} carries no Date (judged by response-date-present)")
    try:
        when = parsedate_to_datetime(value.decode("latin-1")).timestamp() if value else None
    except (TypeError, ValueError):
        when = None
    skew = None if when is None else abs(when - time.time())
    check(probe, skew is not None and skew < 300, "a Date within 5 minutes of now",
          f"Date: {value!r}" + (f" ({skew:.0f} s off)" if skew is not None else ""))


@case(id="oversized-input-then-still-serving", requirements=("9110-2.3-r1",),
      rule="after oversized input (a 1 MiB field line) the server still answers new connections")
def test_oversized_input_then_still_serving(probe):
    big = (b"GET / HTTP/1.1\r\nHost: " + probe.target.host_header.encode() + b"\r\nX-Big: " + b"a" * (1 << 20)
           + b"\r\n\r\n")
    probe.exchange(RawRequest(big, RequestInfo("GET")), follow_up=False)
    ex = probe.exchange(probe.request("GET"), follow_up=False)
    expect_status(probe, ex.responses[0] if ex.responses else None, range(100, 600),
                  "a new request after the oversized one")


register(globals(), [
    # RFC 9110 §15.5.14: the server "MAY terminate the request ... otherwise, the server MAY close the connection";
    # an answer from the head followed by a close (answered-closed) never reads the 10 GiB either; and a server with
    # no limit below 10 GiB waits for the content it was announced (stalled: it read the length as sent).
    Family("limits", ("9110-15.5.14-r1",),
           allow=frozenset({"rejected", "rejected-draining", "answered-closed", "answered-draining", "stalled"}),
           # 413 is the RFC's status for it, but 400 and a close refuse it as safely ("MAY terminate the request")
           extra=dict(reject=frozenset({400, 413})))(
        "content-too-large-413", [b"Content-Length: 10737418240"], b"",
        "content larger than the server allows may get 413 before it is sent (and a close); answering from the "
        "head and closing is safe too", tags=("limits",)),
])


@case(id="response-trailers-announced", requirements=("9110-6.6.2-r1",),
      rule="trailer fields a chunked response carries are announced in a Trailer field", needs=("stream",))
def test_response_trailers_announced(probe):
    resp = _only(probe, probe.request("GET", probe.feature_path("stream")))
    if not resp.trailers:
        probe.observe("(judged only when the response carries trailer fields)", resp.summary())
        return
    announced = {t.strip().lower() for v in resp.values("trailer") for t in v.split(b",")}
    missing = [n for n, _ in resp.trailers if n.lower() not in announced]
    check(probe, not missing, "every trailer field named in Trailer",
          f"Trailer: {resp.header('trailer')!r}; trailers {[n for n, _ in resp.trailers]!r}")

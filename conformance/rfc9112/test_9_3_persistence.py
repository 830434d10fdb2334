"""RFC 9112 §9.3: persistence, and what the server says about it.

HTTP/1.1 connections persist unless "close" is said; HTTP/1.0 connections
close unless "keep-alive" is said and the server chooses to honour it.
Persistence is always proven with a follow-up request on the same connection,
never by waiting for a timer.
"""

from __future__ import annotations

from h1conform.cases import case
from h1conform.verdicts import check, expect_closed, expect_persisted, expect_responses

SECTION = "RFC 9112 §9.3"


@case(id="persist-http11-default", requirements=("9112-9.3-r1", "9112-9.3-r2"),
      rule="an HTTP/1.1 connection without 'close' persists: a second request on it is answered",
      tags=("keep-alive",))
def test_persist_http11_default(probe):
    ex = probe.exchange(probe.request("GET"))
    expect_responses(probe, ex, 1)
    expect_persisted(probe, ex, "an HTTP/1.1 response without Connection: close")


@case(id="persist-http11-several-requests", requirements=("9112-9.5-r3",),
      rule="a keep-alive connection survives several sequential requests", tags=("keep-alive",))
def test_persist_http11_several_requests(probe):
    reqs = [probe.request("GET") for _ in range(5)]
    ex = probe.exchange(*reqs, one_at_a_time=True)
    expect_responses(probe, ex, 5, "to five sequential requests on one connection")


@case(id="persist-close-signalled", requirements=("9112-9.3-r5",),
      rule="a server that closes an HTTP/1.1 connection after a response says 'close' in that response",
      tags=("keep-alive",))
def test_persist_close_signalled(probe):
    ex = probe.exchange(probe.request("GET"))
    expect_responses(probe, ex, 1)
    resp = ex.responses[0]
    check(probe, ex.persisted or resp.says_close,
          "the connection persists, or the response carries Connection: close",
          f"{ex.describe()}; Connection: {resp.header('connection')!r}")


@case(id="persist-http10-default-close", requirements=("9112-9.3-r3",),
      rule="an HTTP/1.0 request without keep-alive: the connection closes after the response",
      tags=("keep-alive",))
def test_persist_http10_default_close(probe):
    ex = probe.exchange(probe.request("GET", version="1.0"))
    expect_responses(probe, ex, 1)
    expect_closed(probe, ex, "the response to an HTTP/1.0 request without keep-alive")


@case(id="persist-http10-pipelined-not-answered", requirements=("9112-9.3-r3",),
      rule="an HTTP/1.0 request without keep-alive: bytes after it on the connection are not answered",
      tags=("keep-alive", "pipelining"))
def test_persist_http10_pipelined_not_answered(probe):
    ex = probe.exchange(probe.request("GET", version="1.0"), probe.request("GET"))
    check(probe, len(ex.responses) == 1 and ex.closed,
          "one response (to the HTTP/1.0 request), then the connection closes", ex.describe())


@case(id="persist-http10-close-signalled", requirements=("9112-9.6-r1",),
      rule="a server that will close after answering HTTP/1.0 says Connection: close", tags=("keep-alive",))
def test_persist_http10_close_signalled(probe):
    ex = probe.exchange(probe.request("GET", version="1.0"))
    expect_responses(probe, ex, 1)
    resp = ex.responses[0]
    check(probe, ex.persisted or resp.says_close,
          "Connection: close in the response before the server closes",
          f"Connection: {resp.header('connection')!r}; {ex.describe_end()}")


HTTP10_KEEP_ALIVE = {
    "persistent": "keeps the connection open (a follow-up is answered) and says Connection: keep-alive",
    "close": "closes after the response and says Connection: close",
}


@case(id="persist-http10-keep-alive", requirements=("9112-9.3-r4",),
      accepted=HTTP10_KEEP_ALIVE, tags=("keep-alive",),
      rule="an HTTP/1.0 request with Connection: keep-alive may be kept open; either way the response says which")
def test_persist_http10_keep_alive(probe):
    ex = probe.exchange(probe.request("GET", version="1.0", keep_alive=True))
    expect_responses(probe, ex, 1)
    resp = ex.responses[0]
    said = resp.connection_options
    if ex.persisted and "keep-alive" in said:
        branch = "persistent"
    elif ex.closed and "close" in said:
        branch = "close"
    else:
        branch = "unsignalled"
    probe.choose(HTTP10_KEEP_ALIVE, branch, f"Connection: {resp.header('connection')!r}; {ex.describe_end()}")


@case(id="persist-http10-response-version", requirements=("9110-6.2-r1",),
      rule="a server answers an HTTP/1.0 request with the highest version it conforms to (HTTP/1.1)",
      tags=("keep-alive", "version"))
def test_persist_http10_response_version(probe):
    ex = probe.exchange(probe.request("GET", version="1.0"))
    expect_responses(probe, ex, 1)
    check(probe, ex.responses[0].http_version == b"1.1", "status line HTTP/1.1",
          f"HTTP/{ex.responses[0].http_version.decode()}")

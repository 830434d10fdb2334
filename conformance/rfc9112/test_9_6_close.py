"""RFC 9112 §9.6 and RFC 9110 §7.6.1: the "close" connection option.

A request with "close" is the last one answered on its connection; a response
with "close" is the last one sent.  Connection options are case-insensitive
and form a list that may hold empty elements (RFC 9110 §5.6.1.2).
"""

from __future__ import annotations

from h1conform.cases import case
from h1conform.verdicts import check, expect_closed, expect_responses

SECTION = "RFC 9112 §9.6"


def _close_exchange(probe, value: str):
    ex = probe.exchange(probe.request("GET", headers=[("Connection", value)]))
    expect_responses(probe, ex, 1)
    return ex


@case(id="close-request-closes", requirements=("9112-9.6-r2",),
      rule="after the response to a request with Connection: close, the server closes the connection",
      tags=("keep-alive",))
def test_close_request_closes(probe):
    ex = _close_exchange(probe, "close")
    expect_closed(probe, ex, "the response to a Connection: close request")


@case(id="close-request-echoed", requirements=("9112-9.6-r3",),
      rule="the response to a request with Connection: close carries Connection: close", tags=("keep-alive",))
def test_close_request_echoed(probe):
    ex = _close_exchange(probe, "close")
    resp = ex.responses[0]
    check(probe, resp.says_close, "Connection: close in the response", f"Connection: {resp.header('connection')!r}")


@case(id="close-option-uppercase", requirements=("9110-7.6.1-r1",),
      rule="connection options are case-insensitive: Connection: CLOSE closes", tags=("keep-alive",))
def test_close_option_uppercase(probe):
    expect_closed(probe, _close_exchange(probe, "CLOSE"), "the response to a Connection: CLOSE request")


@case(id="close-option-mixed-case", requirements=("9110-7.6.1-r1",),
      rule="connection options are case-insensitive: Connection: Close closes", tags=("keep-alive",))
def test_close_option_mixed_case(probe):
    expect_closed(probe, _close_exchange(probe, "Close"), "the response to a Connection: Close request")


@case(id="close-option-in-list", requirements=("9112-9.6-r2",),
      rule="'close' anywhere in the Connection list closes: Connection: keep-alive, close", tags=("keep-alive",))
def test_close_option_in_list(probe):
    expect_closed(probe, _close_exchange(probe, "keep-alive, close"),
                  "the response to a Connection: keep-alive, close request")


@case(id="close-option-empty-list-elements", requirements=("9110-5.6.1.2-r1",),
      tags=("keep-alive",),
      rule="a list with empty elements is accepted: Connection: , close closes")
def test_close_option_empty_list_elements(probe):
    expect_closed(probe, _close_exchange(probe, ", close"), "the response to a Connection: , close request")


@case(id="close-response-then-eof", requirements=("9112-9.6-r5", "9112-9.6-r6"),
      rule="after sending a response with Connection: close the server closes and answers nothing more",
      tags=("keep-alive", "pipelining"))
def test_close_response_then_eof(probe):
    bad = b"GET / HTTP/1.1\r\nHost: " + probe.target.host_header.encode() + b"\r\nBad Field Line\r\n\r\n"
    from h1conform.probe import RawRequest
    from h1conform.reference import RequestInfo

    ex = probe.exchange(RawRequest(bad, RequestInfo("GET")), probe.request("GET"))
    first = ex.responses[0] if ex.responses else None
    if first is None or not first.says_close:
        probe.observe("(only judged when the target answers the malformed request with Connection: close)",
                      ex.describe())
        return
    check(probe, len(ex.responses) == 1 and ex.closed,
          "the response carrying Connection: close is the last; the connection closes", ex.describe())

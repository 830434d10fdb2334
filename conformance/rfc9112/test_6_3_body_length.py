"""RFC 9112 §6 and §6.3: how long a message body is.

Requests: a Content-Length body that arrives in pieces is waited for and read
whole; a request with neither Content-Length nor Transfer-Encoding has no body
(the next bytes are the next request, and the server answers without waiting);
framing does not depend on the method.  Responses: one without
Content-Length or Transfer-Encoding is ended by closing the connection.
"""

from __future__ import annotations

from h1conform.cases import case
from h1conform.probe import HALF_CLOSE, split
from h1conform.verdicts import (
    answered_before_content,
    check,
    echo_of,
    expect_answered_in_order_prefix,
    expect_responses,
    expect_status,
    inconclusive,
)

BODY = b"0123456789abcdefghij"


def _body_target(probe):
    """The echo endpoint when the target has one (then the body is checked too)."""
    return probe.target.path("echo") if probe.target.has("echo") else probe.target.resource


def _expect_one_with_body(probe, ex, body):
    if not probe.target.has("echo") and answered_before_content(ex) and not ex.persisted and len(ex.responses) <= 1:
        # the route answered from the head (a 405 to POST, ...) and the connection ended: the body never mattered
        inconclusive(probe, "one response to the request, its body read whole", ex.describe(),
                     "the target answered before the last piece of the body was sent and then closed: the route "
                     "decided from the head, so how the server reads a body sent in pieces does not show",
                     "an endpoint that reads request bodies (--echo-path)")
    expect_responses(probe, ex, 1, "to one request whose body came in pieces")
    if probe.target.has("echo"):
        data = echo_of(probe, ex.responses[0])
        check(probe, data.get("body_length") == len(body) and data.get("body") == body.decode("latin-1"),
              f"the echo shows the whole {len(body)}-byte body", f"echo body {data.get('body')!r}")


PARTIAL = ("9112-9.2-r1", "9112-9.3-r6")
#: not §9.2, the first requirement's section: what the pieces test is 9112-9.3-r6 (the body is read whole)
PARTIAL_SECTION = "RFC 9112 §9.3"
PARTIAL_RULE = "a Content-Length body sent in pieces is read whole: one response, body intact"


@case(id="partial-body-split-paused", requirements=PARTIAL, section=PARTIAL_SECTION,
      rule=PARTIAL_RULE, tags=("partial-reads",))
def test_partial_body_split_paused(probe):
    req = probe.request("POST", _body_target(probe), body=BODY)
    ex = probe.exchange(*split(req, [len(req) - 12], pause=0.1))
    _expect_one_with_body(probe, ex, BODY)


@case(id="partial-body-three-pieces-paused", requirements=PARTIAL, section=PARTIAL_SECTION,
      rule=PARTIAL_RULE + " (the head, then the body in three pieces with pauses)", tags=("partial-reads",))
def test_partial_body_three_pieces_paused(probe):
    """A server that reads the body with one more read after the head passes two-piece splits; not this one."""
    req = probe.request("POST", _body_target(probe), body=BODY)
    start = len(req) - len(BODY)
    ex = probe.exchange(*split(req, [start, start + 7, start + 14], pause=0.05))
    _expect_one_with_body(probe, ex, BODY)


@case(id="partial-body-byte-by-byte", requirements=PARTIAL, section=PARTIAL_SECTION,
      rule=PARTIAL_RULE, tags=("partial-reads",))
def test_partial_body_byte_by_byte(probe):
    req = probe.request("POST", _body_target(probe), body=BODY)
    ex = probe.exchange(*split(req, range(len(req) - len(BODY), len(req)), pause=0.002))
    _expect_one_with_body(probe, ex, BODY)


@case(id="partial-body-head-alone-first", requirements=PARTIAL, section=PARTIAL_SECTION,
      rule=PARTIAL_RULE, tags=("partial-reads",))
def test_partial_body_head_alone_first(probe):
    req = probe.request("POST", _body_target(probe), body=BODY)
    ex = probe.exchange(*split(req, [len(req) - len(BODY)], pause=0.05))
    _expect_one_with_body(probe, ex, BODY)


@case(id="partial-body-incomplete-then-half-close", requirements=("9112-6.3-r6",),
      needs=("echo",), tags=("partial-reads",),
      rule="a body cut short by the client's close is incomplete: never answered as a success; the connection closes")
def test_partial_body_incomplete_then_half_close(probe):
    req = probe.request("POST", probe.feature_path("echo"), body=BODY[:10], length=100)
    ex = probe.exchange(req, HALF_CLOSE, follow_up=False, wait_close=True)
    ok = [r for r in ex.responses if 200 <= r.status < 300]
    check(probe, not ok and ex.ending in ("closed", "reset"),
          "no 2xx for a 10-byte body announced as 100 bytes; the connection closed", ex.describe())


INCOMPLETE_CHUNKED = {"error": "an error response (4xx or 5xx) then a close",
                      "closed": "a close without a response"}


@case(id="chunked-no-last-chunk-then-fin", requirements=("9112-8-r1",), accepted=INCOMPLETE_CHUNKED,
      needs=("echo",), tags=("partial-reads", "chunk-framing"),
      rule="a chunked body cut short by the client's close (no last chunk) is incomplete: an error then a close, "
           "or just the close; never answered as a complete request")
def test_chunked_no_last_chunk_then_fin(probe):
    # RFC 9112 §8: "A message body that uses the chunked transfer coding is incomplete if the zero-sized chunk that
    # terminates the encoding has not been received" and "A server that receives an incomplete request message ...
    # MAY send an error response prior to closing the connection": both choices are accepted; a success answers
    # an incomplete message as if it were whole
    req = probe.request("POST", probe.feature_path("echo"), chunked=b"5\r\nhello\r\n")
    ex = probe.exchange(req, HALF_CLOSE, follow_up=False, wait_close=True)
    first = ex.responses[0] if ex.responses else None
    if first is not None and 400 <= first.status < 600 and ex.ending in ("closed", "reset"):
        branch = "error"
    elif first is None and ex.ending in ("closed", "reset"):
        branch = "closed"
    else:
        branch = "other"
    probe.choose(INCOMPLETE_CHUNKED, branch, ex.describe())


# -- requests without Content-Length or Transfer-Encoding ------------------------------------
NO_LENGTH = ("9112-6.3-r7",)
NO_LENGTH_RULE = "a request with neither Content-Length nor Transfer-Encoding has a zero-length body"


@case(id="no-length-get-pipelined", requirements=NO_LENGTH, rule=NO_LENGTH_RULE,
      tags=("missing-length", "pipelining"))
def test_no_length_get_pipelined(probe):
    ex = probe.exchange(probe.request("GET"), probe.request("GET"))
    expect_answered_in_order_prefix(probe, ex, 2, "to two pipelined GETs without a body")


@case(id="no-length-post-answered-without-waiting", requirements=NO_LENGTH,
      rule=NO_LENGTH_RULE + ": the server answers without waiting for more bytes", tags=("missing-length",))
def test_no_length_post_answered_without_waiting(probe):
    ex = probe.exchange(probe.request("POST", _body_target(probe)), follow_up=False)
    expect_responses(probe, ex, 1, "to a POST without Content-Length (the connection kept open)")
    calibration = probe.calibration
    if calibration is not None and not calibration.reads_bodies:
        # the route answers a POST from its head whatever the body (calibration): an answer shows nothing here
        inconclusive(probe, "one response to a POST without Content-Length, not waiting for a body", ex.describe(),
                     f"calibration shows this route answering a POST before its body is sent"
                     f" ({calibration.body_reading}), so an answer without waiting shows nothing about body length",
                     "--echo-path to an endpoint that reads request bodies")


@case(id="no-length-post-pipelined", requirements=NO_LENGTH + ("9112-6.3-r10",),
      rule=NO_LENGTH_RULE + ": the next bytes are the next request (411 and a close also conform)",
      tags=("missing-length", "pipelining"))
def test_no_length_post_pipelined(probe):
    ex = probe.exchange(probe.request("POST", _body_target(probe)), probe.request("GET"))
    first = ex.responses[0] if ex.responses else None
    if first is not None and first.status == 411:
        check(probe, len(ex.responses) <= 2 and not ex.unsolicited,
              "411, then the GET answered or the connection closed", ex.describe())
        return
    expect_answered_in_order_prefix(probe, ex, 2, "to a POST without Content-Length and a pipelined GET")


@case(id="no-length-post-echo-empty", requirements=NO_LENGTH, rule=NO_LENGTH_RULE,
      needs=("echo",), tags=("missing-length",))
def test_no_length_post_echo_empty(probe):
    ex = probe.exchange(probe.echo("POST"))
    expect_responses(probe, ex, 1)
    # RFC 9112 §6.3: "A server MAY reject a request that contains a message body but not a Content-Length by
    # responding with 411 (Length Required)": nothing was read as a body, which is the rule
    if ex.responses[0].status == 411:
        probe.observe("the echo shows an empty body, or 411", ex.describe())
        return
    data = echo_of(probe, ex.responses[0])
    check(probe, data.get("body_length") == 0, "the echo shows an empty body", f"echo body {data.get('body')!r}")


@case(id="no-length-http10-post", requirements=NO_LENGTH,
      rule=NO_LENGTH_RULE + " (HTTP/1.0 too)", tags=("missing-length",))
def test_no_length_http10_post(probe):
    ex = probe.exchange(probe.request("POST", _body_target(probe), version="1.0", keep_alive=True),
                        follow_up=False)
    expect_responses(probe, ex, 1, "to an HTTP/1.0 POST without Content-Length (connection kept open)")


@case(id="no-length-put-pipelined", requirements=NO_LENGTH, rule=NO_LENGTH_RULE,
      tags=("missing-length", "pipelining"))
def test_no_length_put_pipelined(probe):
    ex = probe.exchange(probe.request("PUT", _body_target(probe)), probe.request("GET"))
    check(probe, len(ex.responses) >= 1 and (len(ex.responses) == 2 or ex.closed) and not ex.unsolicited,
          "the PUT answered without waiting for a body, then the GET answered (or the connection closed)",
          ex.describe())


# -- framing does not depend on the method (9112 §6) --------------------------------------------
def _embedded(probe) -> bytes:
    return probe.request("GET", "/h1conform-embedded-request")


@case(id="get-body-framed-by-content-length", requirements=("9112-6-r1",),
      rule="a GET's Content-Length body is read as its body, never as the next request", tags=("missing-length",))
def test_get_body_framed_by_content_length(probe):
    ex = probe.exchange(probe.request("GET", body=_embedded(probe)))
    check(probe, len(ex.responses) == 1 and (ex.persisted or ex.closed) and not ex.unsolicited,
          "one response; the request inside the body is never answered", ex.describe())


@case(id="head-body-framed-by-content-length", requirements=("9112-6-r1",),
      rule="a HEAD's Content-Length body is read as its body, never as the next request", tags=("missing-length",))
def test_head_body_framed_by_content_length(probe):
    ex = probe.exchange(probe.request("HEAD", body=_embedded(probe)))
    check(probe, len(ex.responses) == 1 and (ex.persisted or ex.closed) and not ex.unsolicited,
          "one response; the request inside the body is never answered", ex.describe())


# -- responses without a length ---------------------------------------------------------------
CLOSE_DELIMITED = ("9112-6.3-r8",)
CLOSE_RULE = "a response with neither Content-Length nor Transfer-Encoding is ended by closing the connection"


@case(id="response-close-delimited-ends-with-close", requirements=CLOSE_DELIMITED,
      rule=CLOSE_RULE, needs=("close_delimited",), tags=("missing-length",))
def test_response_close_delimited_ends_with_close(probe):
    ex = probe.exchange(probe.request("GET", probe.feature_path("close_delimited")), follow_up=False)
    resp = ex.responses[0] if ex.responses else None
    check(probe, resp is not None and resp.framing == "close-delimited" and resp.complete
          and ex.ending in ("closed", "reset"),
          "a close-delimited response, complete when the target closes the connection", ex.describe())


@case(id="response-stream-http10-ends-with-close", requirements=CLOSE_DELIMITED,
      rule=CLOSE_RULE + " (a body of unknown length sent to HTTP/1.0)", needs=("stream",), tags=("missing-length",))
def test_response_stream_http10_ends_with_close(probe):
    ex = probe.exchange(probe.request("GET", probe.feature_path("stream"), version="1.0"), follow_up=False)
    resp = ex.responses[0] if ex.responses else None
    check(probe, resp is not None and resp.complete
          and (resp.framing != "close-delimited" or ex.ending in ("closed", "reset")),
          "a complete response; if close-delimited, the connection closed after it", ex.describe())


@case(id="response-stream-http10-not-chunked", requirements=("9112-6.1-r8",),
      needs=("stream",), tags=("missing-length",),
      rule="no Transfer-Encoding (so no chunked) in a response to an HTTP/1.0 request")
def test_response_stream_http10_not_chunked(probe):
    ex = probe.exchange(probe.request("GET", probe.feature_path("stream"), version="1.0"), follow_up=False)
    resp = ex.responses[0] if ex.responses else None
    expect_status(probe, resp, range(200, 300), "the streamed resource")
    te = resp.header("transfer-encoding")
    check(probe, te is None, "no Transfer-Encoding field", f"Transfer-Encoding: {te!r}")


"""RFC 9112 §9.3.2 (and §9.2, §9.6, §2.2): pipelined requests.

Several requests written at once are answered one final response each, in
the order received.  Order is proven with the echo endpoint when the target
has one (each response names its request), otherwise by comparing each
response with the answer to the same request sent alone.
"""

from __future__ import annotations

from h1conform.cases import case
from h1conform.probe import Pause, RawRequest, echo_json
from h1conform.reference import RequestInfo
from h1conform.verdicts import check, expect_answered_in_order_prefix, expect_responses

ORDER = ("9112-9.3.2-r2", "9112-9.2-r1")
ORDER_RULE = "pipelined requests get one final response each, in the order received"
MISSING = "/h1conform-no-such-resource"


def _distinct_gets(probe, n: int):
    """n GET requests whose responses can be told apart."""
    if probe.target.has("echo"):
        return [probe.request("GET", f"{probe.target.path('echo')}?n={i}") for i in range(n)]
    paths = [probe.target.resource, MISSING]
    return [probe.request("GET", paths[i % 2]) for i in range(n)]


def _expect_in_order(probe, ex, reqs):
    expect_answered_in_order_prefix(probe, ex, len(reqs), "to the pipelined requests")
    k = len(ex.responses)
    if probe.target.has("echo"):
        seen = [(echo_json(r) or {}).get("target") for r in ex.responses]
        wanted = [r.info.label.split(" ", 1)[1] for r in reqs][:k]
        check(probe, seen == wanted, f"responses in request order {wanted}", f"echoed targets {seen}")
        return
    alone = [probe.exchange(r, follow_up=False).responses for r in reqs[:k]]
    want = [a[0].status if a else None for a in alone]
    got = [r.status for r in ex.responses]
    check(probe, want == got, f"statuses in request order {want}", f"{got}")


@case(id="pipeline-three-gets-in-order", requirements=ORDER, rule=ORDER_RULE,
      tags=("pipelining",))
def test_pipeline_three_gets_in_order(probe):
    reqs = _distinct_gets(probe, 3)
    _expect_in_order(probe, probe.exchange(*reqs), reqs)


@case(id="pipeline-ten-gets-in-order", requirements=ORDER, rule=ORDER_RULE,
      tags=("pipelining",))
def test_pipeline_ten_gets_in_order(probe):
    reqs = _distinct_gets(probe, 10)
    _expect_in_order(probe, probe.exchange(*reqs), reqs)


@case(id="pipeline-split-across-writes", requirements=ORDER,
      rule=ORDER_RULE + ", however the writes cut them", tags=("pipelining", "partial-reads"))
def test_pipeline_split_across_writes(probe):
    reqs = _distinct_gets(probe, 3)
    stream = b"".join(reqs)
    cut1, cut2 = len(reqs[0]) + 7, len(reqs[0]) + len(reqs[1]) + 3
    ex = probe.exchange(stream[:cut1], Pause(0.05), stream[cut1:cut2], Pause(0.05), stream[cut2:],
                        requests=[r.info for r in reqs])
    _expect_in_order(probe, ex, reqs)


@case(id="pipeline-posts-with-bodies", requirements=ORDER,
      rule=ORDER_RULE + "; bodies are never read as requests", tags=("pipelining",))
def test_pipeline_posts_with_bodies(probe):
    path = probe.target.path("echo") if probe.target.has("echo") else probe.target.resource
    reqs = [probe.request("POST", f"{path}?n=0", body=b"a" * 5),
            probe.request("POST", f"{path}?n=1", body=b"GET / HTTP/1.1\r\n\r\n"),
            probe.request("GET", f"{path}?n=2")]
    ex = probe.exchange(*reqs)
    if probe.target.has("echo"):
        _expect_in_order(probe, ex, reqs)
    else:
        expect_answered_in_order_prefix(probe, ex, 3, "to two POSTs with bodies and a GET")


@case(id="pipeline-chunked-then-get", requirements=ORDER + ("9112-6.1-r1",),
      rule=ORDER_RULE + "; a chunked body ends at its last chunk", tags=("pipelining",))
def test_pipeline_chunked_then_get(probe):
    path = probe.target.path("echo") if probe.target.has("echo") else probe.target.resource
    reqs = [probe.request("POST", f"{path}?n=0", chunked=b"5\r\nhello\r\n0\r\n\r\n"),
            probe.request("GET", f"{path}?n=1")]
    ex = probe.exchange(*reqs)
    first = ex.responses[0] if ex.responses else None
    if first is not None and first.status == 411:  # 9112 §6.3: 411 for a chunked request is allowed
        check(probe, not ex.unsolicited, "411, then the GET answered or a close", ex.describe())
        return
    if probe.target.has("echo"):
        _expect_in_order(probe, ex, reqs)
    else:
        expect_answered_in_order_prefix(probe, ex, 2, "to a chunked POST and a GET")


@case(id="pipeline-head-then-get", requirements=("9112-6.3-r1",),
      rule="a response to HEAD ends at its empty line: the next response starts right after it",
      tags=("pipelining",))
def test_pipeline_head_then_get(probe):
    ex = probe.exchange(probe.request("HEAD"), probe.request("GET"))
    if expect_answered_in_order_prefix(probe, ex, 2, "to HEAD then GET"):
        check(probe, ex.responses[1].start == ex.responses[0].end,
              "no bytes between the HEAD response's empty line and the next status line", ex.describe())
    else:
        check(probe, ex.responses[0].end == len(ex.transcript.received),
              "no bytes after the HEAD response's empty line", ex.describe())


@case(id="pipeline-mixed-head-get", requirements=("9110-8.6-r1", "9112-6.3-r1"),
      tags=("pipelining",),
      rule="HEAD responses carry no body, and their Content-Length equals the GET body length")
def test_pipeline_mixed_head_get(probe):
    reqs = [probe.request(m) for m in ("GET", "HEAD", "GET", "HEAD")]
    ex = probe.exchange(*reqs)
    if not expect_answered_in_order_prefix(probe, ex, 4, "to GET HEAD GET HEAD"):
        ex = probe.exchange(*reqs, one_at_a_time=True)  # a server that does not pipeline: one at a time
        expect_answered_in_order_prefix(probe, ex, 4, "to GET HEAD GET HEAD, one at a time")
    if len(ex.responses) < 2:
        return
    get_len = str(len(ex.responses[0].body)).encode()
    heads = [r.header("content-length") for r in ex.responses[1::2]]
    check(probe, all(h in (None, get_len) for h in heads),
          f"HEAD Content-Length absent or {get_len.decode()} (the GET body length)", f"{heads}")


@case(id="pipeline-bad-request-closes", requirements=("9112-2.2-r8",),
      rule="a malformed request in a pipeline gets 400 and the connection closes; later requests are not answered",
      tags=("pipelining",))
def test_pipeline_bad_request_closes(probe):
    bad = RawRequest(b"GET / HTTP/1.1\r\nHost: x\r\nBad Field Line\r\n\r\n", RequestInfo("GET"))
    ex = probe.exchange(probe.request("GET"), bad, probe.request("GET"))
    statuses = [r.status for r in ex.responses]
    if len(statuses) == 1 and ex.responses[0].says_close and ex.closed:
        probe.observe("(not judged: the target closed after the first response, as it said it would)", ex.describe())
        return
    check(probe, len(statuses) == 2 and statuses[1] == 400 and ex.closed,
          "a response to the first GET, 400 to the malformed one, then a close", ex.describe())


@case(id="pipeline-after-connection-close", requirements=("9112-9.6-r4",),
      rule="after a request with Connection: close, no further request on the connection is processed",
      tags=("pipelining", "keep-alive"))
def test_pipeline_after_connection_close(probe):
    ex = probe.exchange(probe.request("GET", close=True), probe.request("GET"))
    check(probe, len(ex.responses) == 1 and ex.closed,
          "one response (to the Connection: close request), then a close", ex.describe())


@case(id="pipeline-after-connection-close-later", requirements=("9112-9.6-r4",),
      tags=("pipelining", "keep-alive"),
      rule="a request sent after a Connection: close request (in a later write) is not processed")
def test_pipeline_after_connection_close_later(probe):
    ex = probe.exchange(probe.request("GET", close=True), Pause(0.05), probe.request("GET"))
    check(probe, len(ex.responses) == 1 and ex.closed,
          "one response (to the Connection: close request), then a close", ex.describe())


@case(id="pipeline-empty-line-between", requirements=("9112-2.2-r5",),
      rule="an empty line (CRLF) before a request-line is ignored, also between pipelined requests",
      tags=("pipelining",))
def test_pipeline_empty_line_between(probe):
    ex = probe.exchange(probe.request("GET"), b"\r\n", probe.request("GET"))
    if expect_answered_in_order_prefix(probe, ex, 2, "to two GETs with a CRLF between them"):
        check(probe, ex.responses[0].status == ex.responses[1].status, "both answered alike", ex.describe())


@case(id="leading-empty-line-ignored", requirements=("9112-2.2-r5",),
      rule="at least one empty line (CRLF) before the request-line is ignored")
def test_leading_empty_line_ignored(probe):
    alone = probe.exchange(probe.request("GET"), follow_up=False)
    req = probe.request("GET")
    ex = probe.exchange(RawRequest(b"\r\n" + req, req.info))
    expect_responses(probe, ex, 1)
    want = alone.responses[0].status if alone.responses else None
    check(probe, ex.responses[0].status == want, f"status {want}, as without the empty line",
          ex.responses[0].summary())


@case(id="pipeline-unread-body-not-a-request", requirements=("9112-9.3-r6",),
      rule="a body the server does not use is read and discarded (or the connection closed), never parsed as a request",
      tags=("pipelining",))
def test_pipeline_unread_body_not_a_request(probe):
    inner = probe.request("GET", "/h1conform-body-smuggled")
    ex = probe.exchange(probe.request("POST", MISSING, body=bytes(inner)), probe.request("GET"))
    ok = (len(ex.responses) == 2 and not ex.unsolicited) or (len(ex.responses) == 1 and ex.closed)
    check(probe, ok, "the POST answered, then the GET answered (or a close); the body never answered",
          ex.describe())



@case(id="pipeline-after-content-length-zero", requirements=ORDER,
      rule=ORDER_RULE + "; after Content-Length: 0 the next octets are the next request", tags=("pipelining",))
def test_pipeline_after_content_length_zero(probe):
    path = probe.target.path("echo") if probe.target.has("echo") else probe.target.resource
    reqs = [probe.request("POST", f"{path}?n=0", headers=[("Content-Length", "0")]),
            probe.request("GET", f"{path}?n=1")]
    ex = probe.exchange(*reqs)
    if probe.target.has("echo"):
        _expect_in_order(probe, ex, reqs)
    else:
        expect_answered_in_order_prefix(probe, ex, 2, "to a POST with Content-Length: 0 and a GET")

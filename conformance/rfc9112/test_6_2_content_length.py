"""RFC 9112 §6.2: Content-Length in responses.

The value is the exact number of body octets sent, and a response never
carries Content-Length together with Transfer-Encoding.
"""

from __future__ import annotations

from h1conform.cases import case
from h1conform.verdicts import check, expect_answered_in_order_prefix, expect_responses, expect_status

SECTION = "RFC 9112 §6.2"


@case(id="response-content-length-exact", requirements=("9112-6.2-r2",),
      rule="a response's Content-Length equals the body octets sent: the next response starts right after them")
def test_response_content_length_exact(probe):
    ex = probe.exchange(probe.request("GET"), probe.request("GET"))
    if expect_answered_in_order_prefix(probe, ex, 2, "to two pipelined GETs, each framed by its Content-Length"):
        check(probe, ex.responses[1].start == ex.responses[0].end and not ex.error,
              "the second status line right after the first body", ex.describe())


@case(id="response-no-content-length-with-chunked", requirements=("9112-6.2-r1",),
      rule="a response never carries both Content-Length and Transfer-Encoding", needs=("stream",))
def test_response_no_content_length_with_chunked(probe):
    ex = probe.exchange(probe.request("GET", probe.feature_path("stream")))
    expect_responses(probe, ex, 1)
    resp = ex.responses[0]
    expect_status(probe, resp, range(200, 300), "the streamed resource")
    both = resp.header("content-length") is not None and resp.header("transfer-encoding") is not None
    check(probe, not both, "Content-Length or Transfer-Encoding, not both",
          f"Content-Length: {resp.header('content-length')!r}, Transfer-Encoding: {resp.header('transfer-encoding')!r}")

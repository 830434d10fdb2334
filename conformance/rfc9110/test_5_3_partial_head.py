"""RFC 9110 §5.3: a request head that arrives in pieces.

"A server MUST NOT apply a request to the target resource until it receives
the entire request header section" — however the bytes are split across
writes and however long the pauses.  Each case sends a request cut at chosen
points and expects exactly one response, identical to the answer to the same
request sent in one write, and no response byte before the last piece.
"""

from __future__ import annotations

from h1conform.cases import case
from h1conform.probe import Part, Pause, crlf_offsets, split
from h1conform.verdicts import check, expect_answered_in_order_prefix, expect_no_early_bytes, expect_same_answer

REQS = ("9110-5.3-r2", "9112-9.2-r1")
RULE = "no response before the whole header section has arrived; then exactly one, as if sent whole"


def _check_split(probe, req, cuts, pause=0.02, how="in pieces"):
    whole = probe.exchange(req)
    ex = probe.exchange(*split(req, cuts, pause))
    expect_no_early_bytes(probe, ex, ex.send_done_at, "the last piece of the head was sent")
    expect_same_answer(probe, whole, ex, how)


def _head_request(probe, version="1.1"):
    return probe.request("GET", headers=[("User-Agent", "h1conform"), ("Accept", "*/*")], version=version)


@case(id="partial-head-split-at-crlf", requirements=REQS, rule=RULE,
      tags=("partial-reads",))
def test_partial_head_split_at_crlf(probe):
    req = _head_request(probe)
    _check_split(probe, req, crlf_offsets(req)[:-1], how="split at every CRLF")


@case(id="partial-head-split-mid-token", requirements=REQS, rule=RULE,
      tags=("partial-reads",))
def test_partial_head_split_mid_token(probe):
    req = _head_request(probe)
    # inside the method, the target, "HTTP", a field name and a field value
    cuts = [2, req.index(b" /") + 2, req.index(b"HTTP/") + 3, req.index(b"User-") + 3, req.index(b"h1conform") + 4]
    _check_split(probe, req, cuts, how="split inside tokens")


@case(id="partial-head-byte-by-byte", requirements=REQS, rule=RULE,
      tags=("partial-reads",))
def test_partial_head_byte_by_byte(probe):
    req = probe.request("GET")
    _check_split(probe, req, range(1, len(req)), pause=0.001, how="one byte per write")


@case(id="partial-head-split-inside-final-crlf", requirements=REQS, rule=RULE,
      tags=("partial-reads",))
def test_partial_head_split_inside_final_crlf(probe):
    req = _head_request(probe)
    _check_split(probe, req, [len(req) - 1, len(req) - 3], how="split between CR and LF of the empty line")


@case(id="partial-head-empty-line-delayed", requirements=REQS, rule=RULE,
      tags=("partial-reads",), alone=True)
def test_partial_head_empty_line_delayed(probe):
    req = _head_request(probe)
    whole = probe.exchange(req)
    ex = probe.exchange(*split(req, [len(req) - 2], pause=0.15))
    expect_no_early_bytes(probe, ex, ex.send_done_at, "the final empty line was sent (0.15 s later)")
    expect_same_answer(probe, whole, ex, "with the empty line 0.15 s late")


@case(id="partial-head-request-line-alone", requirements=REQS, rule=RULE,
      tags=("partial-reads",))
def test_partial_head_request_line_alone(probe):
    req = _head_request(probe)
    _check_split(probe, req, [crlf_offsets(req)[0]], pause=0.1, how="request line first, fields 0.1 s later")


@case(id="partial-head-http10-split", requirements=REQS, rule=RULE,
      tags=("partial-reads",))
def test_partial_head_http10_split(probe):
    req = _head_request(probe, version="1.0")
    _check_split(probe, req, crlf_offsets(req)[:-1] + [5], how="(HTTP/1.0) split at CRLFs")


@case(id="partial-head-pipelined-second-split", requirements=REQS, rule=RULE,
      tags=("partial-reads", "pipelining"))
def test_partial_head_pipelined_second_split(probe):
    first, second = probe.request("GET"), _head_request(probe)
    whole = probe.exchange(second)
    cut = len(second) - 5
    ex = probe.exchange(first, Part(second[:cut], second.info), Pause(0.05), second[cut:])
    if not expect_answered_in_order_prefix(probe, ex, 2, "to a GET and a pipelined GET sent in pieces"):
        return
    check(probe, len(ex.responses) == 2 and ex.responses[1].status == whole.responses[0].status
          and ex.responses[1].body == whole.responses[0].body,
          "two responses; the second the same as the second request sent alone "
          f"({whole.responses[0].summary() if whole.responses else 'no response'})",
          ex.describe())


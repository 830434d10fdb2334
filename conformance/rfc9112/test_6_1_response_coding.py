"""RFC 9112 §6.1 and §7.4: transfer codings in responses -- chunked once, none in 204, only chunked
when the request had no TE field; Transfer-Encoding in a HEAD response is allowed."""

from __future__ import annotations

import re

from h1conform.cases import case
from h1conform.semantics import get, summary, text
from h1conform.verdicts import check, expect_responses

HEAD_TE = {
    "chunked-no-content": "Transfer-Encoding: chunked, as GET would say, and no content follows",
    "length-no-content": "Content-Length (or nothing) and no content follows",
}


def _codings(resp):
    return [c.strip().lower() for v in resp.values("transfer-encoding") for c in v.split(b",") if c.strip()]


@case(id="response-chunked-applied-once", requirements=("9112-6.1-r2",),
      rule="chunked is applied at most once: Transfer-Encoding names it once and the content is not chunked again",
      needs=("stream",))
def test_response_chunked_applied_once(probe):
    ex = probe.exchange(probe.request("GET", probe.feature_path("stream")), follow_up=False)
    resp = ex.responses[0] if ex.responses else None
    codings = _codings(resp) if resp is not None else []
    again = resp is not None and re.match(rb"[0-9A-Fa-f]+\r\n", resp.body) is not None
    check(probe, ex.error is None and resp is not None and codings.count(b"chunked") <= 1 and not again,
          "Transfer-Encoding lists chunked at most once; the decoded content is not chunk-framed",
          f"{ex.describe()}; Transfer-Encoding: {resp.values('transfer-encoding') if resp else None!r}")


@case(id="response-head-transfer-encoding", requirements=("9112-6.1-r4",),
      accepted=HEAD_TE, needs=("stream",),
      rule="a HEAD response may carry Transfer-Encoding; either way no content follows it")
def test_response_head_transfer_encoding(probe):
    path = probe.feature_path("stream")
    ex = probe.exchange(probe.request("HEAD", path), probe.request("GET", path), follow_up=False)
    expect_responses(probe, ex, 2, "to HEAD then GET")
    head = ex.responses[0]
    branch = "chunked-no-content" if _codings(head) == [b"chunked"] else "length-no-content"
    if ex.responses[1].status != 200 or not ex.responses[1].body:
        branch = "content-followed"
    probe.choose(HEAD_TE, branch, f"{summary(head)}; then {summary(ex.responses[1])}")


@case(id="response-204-no-transfer-encoding", requirements=("9112-6.1-r5",),
      rule="a 204 (here to OPTIONS) carries no Transfer-Encoding")
def test_response_204_no_transfer_encoding(probe):
    got = [r for r in (get(probe, method="OPTIONS"), get(probe, "*", method="OPTIONS")) if r.status == 204]
    if not got:
        import pytest

        pytest.skip("the target answers OPTIONS without a 204: nothing to judge")
    bad = [summary(r) for r in got if r.values("transfer-encoding")]
    check(probe, not bad, "no Transfer-Encoding in any 204", "; ".join(bad) or f"{len(got)} clean 204s")


@case(id="response-only-chunked-without-te", requirements=("9112-7.4-r1",),
      rule="to a request without TE, Transfer-Encoding is absent or exactly chunked")
def test_response_only_chunked_without_te(probe):
    got = [get(probe)]
    if probe.target.has("stream"):
        got.append(get(probe, probe.target.path("stream")))
    bad = [f"{summary(r)}: Transfer-Encoding {text(r.header('transfer-encoding'))!r}" for r in got
           if r.values("transfer-encoding") and _codings(r) != [b"chunked"]]
    check(probe, not bad, "Transfer-Encoding absent or exactly chunked", "; ".join(bad) or "fine")

"""RFC 9110 §10.1.1 and §15.2: Expect: 100-continue, answered while the client waits.

The client sends the header section with ``Expect: 100-continue`` and an
announced body, pauses (the client's own wait, part of the probe), then sends
the body.  A server that wants the content must send ``100 Continue`` (or a
final status) *without* waiting for it, and after a 100 still sends a final
response.  The expectation is case-insensitive.  HTTP/1.0 requests get no 1xx.
"""

from __future__ import annotations

from h1conform.cases import case
from h1conform.probe import Pause, RawRequest
from h1conform.reference import RequestInfo
from h1conform.verdicts import check

WAIT = 0.2  # how long the client waits for the 100 before sending the body anyway (RFC 9110 §10.1.1)
BODY = b"hello"


def _exchange(probe, expect: str = "100-continue", version: str = "1.1"):
    path = probe.target.path("echo") if probe.target.has("echo") else probe.target.resource
    req = probe.request("POST", path, version=version, body=BODY,
                        headers=[("Expect", expect)] + ([("Connection", "keep-alive")] if version == "1.0" else []))
    head, body = bytes(req[:-len(BODY)]), BODY
    ex = probe.exchange(RawRequest(head, req.info), Pause(WAIT), body, requests=[RequestInfo("POST", version)])
    early = ex.transcript.received_before(ex.send_done_at)
    return ex, early


def _final(ex):
    return ex.responses[0] if ex.responses else None


@case(id="expect-continue-before-content", requirements=("9110-10.1.1-r8", "9110-10.1.1-r7"), level="MUST NOT",
      section="RFC 9110 §10.1.1",
      rule="with 100-continue and announced content, a 100 (or a final status) comes before the content is sent")
def test_expect_continue_before_content(probe):
    ex, early = _exchange(probe)
    check(probe, early.startswith(b"HTTP/1.1 100") or early.startswith(b"HTTP/1.1 4") or
          early.startswith(b"HTTP/1.1 5") or early.startswith(b"HTTP/1.1 2"),
          f"100 Continue (or a final status) within {WAIT} s, before the content is sent",
          f"before the content: {early[:60]!r}; then {ex.describe()}")


@case(id="expect-continue-case-insensitive", requirements=("9110-10.1.1-r1",), level="MUST",
      section="RFC 9110 §10.1.1", rule="the Expect value is case-insensitive: 100-Continue gets the same 100")
def test_expect_continue_case_insensitive(probe):
    ex, early = _exchange(probe, "100-Continue")
    check(probe, early[:12] in (b"HTTP/1.1 100",) or (early[:9] == b"HTTP/1.1 " and early[9:10] in b"245"),
          "100 Continue (or a final status) before the content, as for 100-continue",
          f"before the content: {early[:60]!r}; then {ex.describe()}")


@case(id="expect-continue-then-final", requirements=("9110-10.1.1-r5",), level="MUST", section="RFC 9110 §10.1.1",
      rule="after a 100 Continue the server sends a final response once the content is processed")
def test_expect_continue_then_final(probe):
    ex, early = _exchange(probe)
    final = _final(ex)
    check(probe, final is not None and final.complete and final.status >= 200,
          "a complete final response after the 100", ex.describe())


@case(id="expect-continue-ignored-for-http10", requirements=("9110-10.1.1-r3", "9110-15.2-r1"), level="MUST",
      section="RFC 9110 §10.1.1", rule="100-continue is ignored in HTTP/1.0 requests: no 1xx to an HTTP/1.0 client")
def test_expect_continue_ignored_for_http10(probe):
    ex, early = _exchange(probe, version="1.0")
    got_1xx = b"HTTP/1.1 1" in ex.transcript.received or b"HTTP/1.0 1" in ex.transcript.received
    check(probe, not got_1xx and _final(ex) is not None, "a final response and no 1xx", ex.describe())

"""RFC 9110 §10.1.1: Expect -- unknown expectations, 100-continue without content, and an early
final response to a request whose content the server will not use."""

from __future__ import annotations

from h1conform.cases import case
from h1conform.probe import Pause
from h1conform.semantics import MISSING, resource
from h1conform.verdicts import check

UNKNOWN = {
    "rejected": "417 (Expectation Failed)",
    "ignored": "the normal response, the expectation ignored",
}
NO_CONTENT = {
    "final-only": "the final response without a 100 (no content is coming)",
    "continue-then-final": "100 Continue, then the final response",
}


@case(id="expect-unknown-recorded", requirements=("9110-10.1.1-r2",), level="MAY", section="RFC 9110 §10.1.1",
      accepted=UNKNOWN, rule="an unknown expectation may be answered 417 or ignored")
def test_expect_unknown_recorded(probe):
    base = resource(probe)
    ex = probe.exchange(probe.request("GET", headers=[("Expect", "h1conform-unknown")]), follow_up=False)
    resp = ex.responses[0] if ex.responses else None
    if resp is not None and resp.status == 417:
        branch = "rejected"
    elif resp is not None and resp.status == base.status and resp.body == base.body:
        branch = "ignored"
    else:
        branch = "other"
    probe.choose(UNKNOWN, branch, ex.describe())


@case(id="expect-continue-without-content-recorded", requirements=("9110-10.1.1-r4",), level="MAY",
      section="RFC 9110 §10.1.1", accepted=NO_CONTENT,
      rule="100-continue on a request without content: the server may skip the 100; the request is served")
def test_expect_continue_without_content_recorded(probe):
    base = resource(probe)
    ex = probe.exchange(probe.request("GET", headers=[("Expect", "100-continue")]), follow_up=False)
    resp = ex.responses[0] if ex.responses else None
    if resp is None or resp.status != base.status or resp.body != base.body:
        branch = "other"
    else:
        branch = "continue-then-final" if 100 in resp.informational else "final-only"
    probe.choose(NO_CONTENT, branch, ex.describe())


@case(id="expect-early-final-signalled", requirements=("9110-10.1.1-r6",), level="SHOULD",
      section="RFC 9110 §10.1.1",
      rule="a final response sent before the content was read says whether the connection closes; "
           "otherwise the content is read and the connection goes on")
def test_expect_early_final_signalled(probe):
    content = b"not a request line\r\n"
    req = probe.request("POST", MISSING, headers=[("Expect", "100-continue"),
                                                  ("Content-Length", str(len(content)))])
    ex = probe.exchange(req, Pause(0.05), content)
    resp = ex.responses[0] if ex.responses else None
    closed_as_said = resp is not None and resp.says_close and ex.closed
    went_on = ex.persisted and not ex.unsolicited and ex.follow_up.status < 400
    check(probe, resp is not None and resp.complete and (closed_as_said or went_on),
          "the final response says Connection: close and the connection closes, or the content is read "
          "and a follow-up request is answered", ex.describe())

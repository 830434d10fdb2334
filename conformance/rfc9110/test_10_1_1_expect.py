"""RFC 9110 §10.1.1: Expect -- unknown expectations, 100-continue without content, and an early
final response to a request whose content the server will not use."""

from __future__ import annotations

from h1conform.cases import case
from h1conform.probe import Pause, echo_json
from h1conform.semantics import MISSING, resource, skip
from h1conform.verdicts import before_content, check, first_status

UNKNOWN = {
    "rejected": "417 (Expectation Failed) -- RFC 9110 §10.1.1: \"A server that receives an Expect field value "
                "containing a member other than 100-continue MAY respond with a 417 (Expectation Failed) status code "
                "to indicate that the unexpected expectation cannot be met.\"",
    "ignored": "the normal response, the expectation ignored -- the same sentence: the 417 is a MAY, not required",
}
NO_CONTENT = {
    "final-only": "the final response without a 100 -- RFC 9110 §10.1.1: \"A server MAY omit sending a 100 "
                  "(Continue) response if ... the framing indicates that there is no content.\"",
    "continue-then-final": "100 Continue, then the final response -- the same sentence: omitting the 100 is a MAY",
}


@case(id="expect-unknown-recorded", requirements=("9110-10.1.1-r2",),
      accepted=UNKNOWN, rule="an unknown expectation may be answered 417 or ignored", alone=True)
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


@case(id="expect-continue-without-content-recorded", requirements=("9110-10.1.1-r4",),
      accepted=NO_CONTENT,
      rule="100-continue on a request without content: the server may skip the 100; the request is served", alone=True)
def test_expect_continue_without_content_recorded(probe):
    base = resource(probe)
    ex = probe.exchange(probe.request("GET", headers=[("Expect", "100-continue")]), follow_up=False)
    resp = ex.responses[0] if ex.responses else None
    if resp is None or resp.status != base.status or resp.body != base.body:
        branch = "other"
    else:
        branch = "continue-then-final" if 100 in resp.informational else "final-only"
    probe.choose(NO_CONTENT, branch, ex.describe())


EARLY_FINAL = {
    "close-signalled": "Connection: close in the final response, then the close -- RFC 9110 §10.1.1: \"SHOULD "
                       "indicate whether it intends to close the connection\"",
    "went-on": "the content read and the connection kept (a follow-up request answered) -- RFC 9110 §10.1.1: "
               "\"or continue reading the request content\"",
}


@case(id="expect-early-final-signalled", requirements=("9110-10.1.1-r6",),
      accepted=EARLY_FINAL,
      rule="a final response sent before the content was read says whether the connection closes; "
           "otherwise the content is read and the connection goes on", alone=True)
def test_expect_early_final_signalled(probe):
    content = b"not a request line\r\n"
    req = probe.request("POST", MISSING, headers=[("Expect", "100-continue"),
                                                  ("Content-Length", str(len(content)))])
    ex = probe.exchange(req, Pause(probe.quiet_wait()), content)  # the wait for a 100 before the content
    resp = ex.responses[0] if ex.responses else None
    if resp is not None and resp.complete and resp.says_close and ex.closed:
        branch = "close-signalled"
    elif resp is not None and resp.complete and ex.persisted and not ex.unsolicited and ex.follow_up.status < 400:
        branch = "went-on"
    else:
        branch = "neither"
    if branch == "neither" and not _final_before_content(ex):
        skip(f"no final response came before the content was sent, so the rule (about one that does) does not "
             f"apply: {ex.describe()}")
    probe.choose(EARLY_FINAL, branch, ex.describe())


def _final_before_content(ex) -> bool:
    """A final status line arrived before the content was written (a 100 before it does not count)."""
    early = before_content(ex)
    return any(first_status(early[i:]) not in (None, 100) for i in [0] + [m + 4 for m in _heads(early)])


def _heads(data: bytes) -> list:
    out, i = [], data.find(b"\r\n\r\n")
    while i >= 0:
        out.append(i)
        i = data.find(b"\r\n\r\n", i + 4)
    return out


# -- request cases (issue 14) -----------------------------------------------------------------------------------
@case(id="expect-continue-content-sent-at-once", requirements=("9110-10.1.1-r4", "9112-9.3-r6"),
      level="MUST",  # not the MAY of 9110-10.1.1-r4 (the 100 may be skipped): reading the content is 9112-9.3-r6's MUST
      tags=("pipelining",),
      rule="100-continue with the content sent at once (no wait for the 100): the content is read as the body, "
           "never answered as a request; the next request is answered (or the connection closed)")
def test_expect_continue_content_sent_at_once(probe):
    # RFC 9110 §10.1.1: "A server MAY omit sending a 100 (Continue) response if it has already received some or all
    # of the content for the corresponding request"; RFC 9112 §9.3: "A server MUST read the entire request message
    # body or close the connection after sending its response".
    path = probe.target.path("echo") if probe.target.has("echo") else MISSING
    inner = bytes(probe.request("GET", "/h1conform-body-smuggled"))
    post = probe.request("POST", path, headers=[("Expect", "100-continue")], body=inner)
    ex = probe.exchange(post, probe.request("GET"))
    ok = (len(ex.responses) == 2 and not ex.unsolicited) or (len(ex.responses) == 1 and ex.closed)
    expected = "the POST answered (a 100 before it or not), then the GET answered (or a close); the content never " \
               "answered as a request"
    check(probe, ok, expected, ex.describe())
    data = echo_json(ex.responses[0]) if probe.target.has("echo") else None
    if data is not None:
        body = data.get("body", "").encode("latin-1")
        check(probe, body == inner, f"the echo shows the content as the body ({len(inner)} octets)",
              f"echo body {body[:60]!r}")

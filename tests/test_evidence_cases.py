"""Cases judge by evidence, not by the route's answer: regression tests against tiny servers that behave like the
real servers that once drew false verdicts (lighttpd's immediate final response to Expect: 100-continue, servers
that answer every method like GET, 404 every absolute-form target, or answer CONNECT 404 / 308).

Each server is a small threaded loop on 127.0.0.1 port 0 that reads request heads and answers each with what its
``answer`` function returns; every case is run as test_proof.py runs them.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from typing import Callable

import pytest
from h1conform.cases import run_case
from h1conform.catalog import load_cases
from h1conform.probe import Probe
from h1conform.target import Target

from .rawserver import ScriptServer

CASES = {c.id: c for c in load_cases()}
DATE = "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"

@dataclass
class Answer:
    status: str  # e.g. "200 OK"
    body: bytes = b""
    headers: str = ""  # extra field lines, each ending in CRLF
    close: bool = False  # say Connection: close and close after the response
    read_body: bool = True  # read the announced body before answering (False: answer from the head)
    length: bool = True  # send Content-Length (False: no framing field, e.g. a 2xx to CONNECT)


reply = Answer


def HeadServer(answer: Callable[[str, str, bytes], Answer]) -> ScriptServer:
    """Reads request heads on each connection and answers each with ``answer(method, target, head)``."""
    return ScriptServer(lambda conn: _answer_heads(conn, answer))


def _answer_heads(conn, answer) -> None:
    for _ in range(32):  # bounded: a case sends a handful of requests per connection
        head = conn.head()
        if head is None:
            return
        parts = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
        method, target = (parts[0], parts[1]) if len(parts) == 3 else ("", "")
        a = answer(method, target, head)
        length = _content_length(head)
        if a.read_body and length and len(conn.take(length)) < length:
            return
        fields = DATE + (f"Content-Length: {len(a.body)}\r\n" if a.length else "") + a.headers
        fields += "Connection: close\r\n" if a.close else ""
        conn.send(f"HTTP/1.1 {a.status}\r\n{fields}\r\n".encode("latin-1") + (b"" if method == "HEAD" else a.body))
        if a.close:
            conn.sock.shutdown(socket.SHUT_WR)
            return


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and value.strip().isdigit():
            return int(value.strip())
    return 0


def _expects_continue(head: bytes) -> bool:
    return b"\r\nexpect: 100-continue" in head.lower()


PAGE = b"<html>hello</html>\n"


def run(server: ScriptServer, case_id: str):
    return run_case(CASES[case_id], Probe(Target("127.0.0.1", server.port), timeout=0.5))


def outcomes(answer, ids) -> dict:
    with HeadServer(answer) as server:
        return {i: run(server, i) for i in ids}


def _assert(results: dict, want: dict) -> None:
    got = {i: results[i].outcome for i in want}
    detail = {i: f"{r.outcome}: {r.actual} {r.detail}" for i, r in results.items() if got.get(i) != want[i]}
    assert got == want, detail


# -- Expect: 100-continue answered at once with a final status, then a close (lighttpd) -----------------------
def _immediate_final(status: str) -> Callable:
    def answer(method: str, target: str, head: bytes) -> Answer:
        if _expects_continue(head):
            return reply(status, b"", close=True, read_body=False)
        return reply("200 OK", PAGE)
    return answer


@pytest.mark.parametrize("status", ["417 Expectation Failed", "200 OK"])
def test_immediate_final_response_to_expect_counts_as_before_the_content(status):
    results = outcomes(_immediate_final(status), ["expect-continue-before-content", "expect-continue-case-insensitive",
                                                  "expect-continue-then-final", "expect-continue-ignored-for-http10"])
    _assert(results, {
        "expect-continue-before-content": "pass",  # a final status before the content: allowed
        "expect-continue-case-insensitive": "inconclusive",  # no 100 to either spelling: nothing to compare
        "expect-continue-then-final": "skip",  # no 100 was sent: the rule is about what follows one
        "expect-continue-ignored-for-http10": "pass",
    })
    assert results["expect-continue-before-content"].branch == "final"
    assert "never sent" in results["expect-continue-before-content"].actual


def test_expect_early_final_without_close_signal_is_still_judged():
    """An early 404 that neither says close nor reads the content (the content is then answered as a request)."""
    def answer(method, target, head):
        if _expects_continue(head):
            return reply("404 Not Found", b"missing\n", read_body=False)
        if method not in ("GET", "HEAD", "POST"):
            return reply("400 Bad Request", b"bad\n", close=True)
        return reply("200 OK", PAGE)
    results = outcomes(answer, ["expect-early-final-signalled"])
    _assert(results, {"expect-early-final-signalled": "warn"})


# -- every method served like GET ------------------------------------------------------------------------------
def _like_get(method: str, target: str, head: bytes) -> Answer:
    return reply("200 OK", PAGE)


def test_server_answering_every_method_like_get():
    results = outcomes(_like_get, ["method-unknown-501", "method-not-allowed-405", "trace-reflects-or-refused",
                                   "connect-origin-recorded", "options-resource-allow", "date-optional-in-5xx-recorded",
                                   "method-not-allowed-has-allow", "absolute-form-accepted",
                                   "absolute-form-host-ignored"])
    _assert(results, {
        "method-unknown-501": "warn",  # BREW got the GET answer: the SHOULD 501 is not met
        "method-not-allowed-405": "skip",  # the resource accepts POST
        "trace-reflects-or-refused": "warn",  # 200 without the request in it
        "connect-origin-recorded": "fail",  # a 2xx to CONNECT with Content-Length (RFC 9110 §9.3.6 MUST NOT)
        "options-resource-allow": "warn",  # a successful OPTIONS without Allow
        "date-optional-in-5xx-recorded": "skip",  # no 5xx came
        "method-not-allowed-has-allow": "skip",  # no 405 came
        "absolute-form-accepted": "pass",
        "absolute-form-host-ignored": "pass",  # Host is ignored (it is ignored everywhere)
    })


# -- 404 for every absolute-form target ------------------------------------------------------------------------
def _absolute_404(method: str, target: str, head: bytes) -> Answer:
    if not target.startswith("/"):
        return reply("404 Not Found", b"no such site\n")
    return reply("200 OK", PAGE)


def test_server_answering_404_to_every_absolute_form_target():
    results = outcomes(_absolute_404, ["absolute-form-accepted", "absolute-form-host-ignored",
                                       "https-target-refused-on-plain"])
    _assert(results, {
        # the same target URI (same authority and path) answered otherwise than in origin-form (h2o): not accepted
        "absolute-form-accepted": "fail",
        "absolute-form-host-ignored": "inconclusive",  # the distinction it needs (own Host answered like origin-form)
        "https-target-refused-on-plain": "pass",  # not served
    })


def test_server_answering_400_to_absolute_form_fails():
    def answer(method, target, head):
        return reply("400 Bad Request", b"bad\n", close=True) if not target.startswith("/") else reply("200 OK", PAGE)
    _assert(outcomes(answer, ["absolute-form-accepted"]), {"absolute-form-accepted": "fail"})


def test_server_routing_absolute_form_by_host_fails():
    def answer(method, target, head):
        if not target.startswith("/") and b"\r\nHost: other.invalid" in head:
            return reply("404 Not Found", b"no such site\n")
        return reply("200 OK", PAGE)
    _assert(outcomes(answer, ["absolute-form-host-ignored"]), {"absolute-form-host-ignored": "fail"})


# -- CONNECT answered 404 or 308 (a static route, Caddy) -------------------------------------------------------
@pytest.mark.parametrize("status, headers", [("404 Not Found", ""), ("308 Permanent Redirect", "Location: /\r\n")])
def test_connect_refused_by_the_route(status, headers):
    def answer(method, target, head):
        if method == "CONNECT":
            return reply(status, b"no\n", headers)
        return reply("200 OK", PAGE)
    results = outcomes(answer, ["connect-origin-recorded", "target-connect-invalid-port", "target-connect-empty-port",
                                "connect-not-allowed-has-allow"])
    _assert(results, {
        "connect-origin-recorded": "info",  # any status but 2xx: the tunnel is not formed
        "target-connect-invalid-port": "pass",  # rejected (RFC 9110 §9.3.6 asks for a rejection, 400 typical)
        "target-connect-empty-port": "pass",
        "connect-not-allowed-has-allow": "skip",  # no 405
    })
    assert results["connect-origin-recorded"].branch == "refused"


def test_connect_with_invalid_port_accepted_as_tunnel_fails():
    def answer(method, target, head):
        if method == "CONNECT":
            return reply("200 Connection Established", close=True, length=False)
        return reply("200 OK", PAGE)
    results = outcomes(answer, ["target-connect-invalid-port", "target-connect-empty-port", "connect-origin-recorded"])
    _assert(results, {"target-connect-invalid-port": "fail", "target-connect-empty-port": "fail",
                      "connect-origin-recorded": "info"})
    assert results["connect-origin-recorded"].branch == "tunnel"


# -- the route's own answers to POST, OPTIONS and a long target ------------------------------------------------
@pytest.mark.parametrize("status", ["403 Forbidden", "404 Not Found", "500 Internal Server Error"])
def test_route_answers_are_inconclusive(status):
    def answer(method, target, head):
        if method in ("POST", "BREW", "FROBNICATE", "TRACE") or len(target) > 4000:
            return reply(status, b"route says no\n")
        if method == "OPTIONS":
            return reply("405 Method Not Allowed", b"no\n", "Allow: GET, HEAD\r\n")
        return reply("200 OK", PAGE)
    results = outcomes(answer, ["method-not-allowed-405", "method-unknown-501", "method-unknown-with-body-501",
                                "trace-reflects-or-refused", "uri-8000-octets-supported", "options-resource-allow",
                                "options-asterisk-allow"])
    _assert(results, {
        "method-not-allowed-405": "inconclusive",
        "method-unknown-501": "inconclusive",
        "method-unknown-with-body-501": "inconclusive",
        "trace-reflects-or-refused": "inconclusive",
        "uri-8000-octets-supported": "inconclusive",
        "options-resource-allow": "skip",  # the Allow SHOULD is about successful OPTIONS responses only
        "options-asterisk-allow": "skip",
    })


def test_long_target_refused_414_warns():
    def answer(method, target, head):
        return reply("414 URI Too Long", b"long\n", close=True) if len(target) > 4000 else reply("200 OK", PAGE)
    _assert(outcomes(answer, ["uri-8000-octets-supported"]), {"uri-8000-octets-supported": "warn"})


def test_post_answered_from_the_head_then_closed_is_inconclusive():
    """A 405 to POST sent before the body, then a close: how a body in pieces is read never shows."""
    def answer(method, target, head):
        if method == "POST":
            return reply("405 Method Not Allowed", b"no\n", "Allow: GET, HEAD\r\n", close=True, read_body=False)
        return reply("200 OK", PAGE)
    results = outcomes(answer, ["partial-body-head-alone-first", "partial-body-split-paused"])
    _assert(results, {"partial-body-head-alone-first": "inconclusive", "partial-body-split-paused": "inconclusive"})


def test_date_in_5xx_recorded_from_505():
    def answer(method, target, head):
        if head.split(b"\r\n", 1)[0].endswith(b"HTTP/2.0"):
            return reply("505 HTTP Version Not Supported", b"no\n", close=True)
        if method == "BREW":
            return reply("405 Method Not Allowed", b"no\n", "Allow: GET\r\n")
        return reply("200 OK", PAGE)
    results = outcomes(answer, ["date-optional-in-5xx-recorded"])
    _assert(results, {"date-optional-in-5xx-recorded": "info"})
    assert results["date-optional-in-5xx-recorded"].branch == "with-date"


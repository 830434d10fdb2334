"""Evidence of the smuggling classifier against servers that behave like real ones (tests/rawserver.py).

* like lighttpd with a static file: every request is answered from its head, with ``Connection: close``, and the
  body is never read: ``answered-closed`` (safe; inconclusive where only a rejection conforms);
* a server that answers 405 to every POST but keeps the connection, reading the body by Content-Length: the
  request was processed and the connection persisted, which is not the safe branch;
* like Caddy (Go's net/http) with a Transfer-Encoding in HTTP/1.0: it reads no body, answers, and then sends a
  400 for the body bytes it read as the next request, before or after the follow-up was written: ``split``,
  never "the connection persisted".
"""

from __future__ import annotations

import re

import pytest
from h1conform.cases import run_case
from h1conform.catalog import load_cases
from h1conform.probe import Probe, RawRequest
from h1conform.reference import RequestInfo
from h1conform.target import Target

from .rawserver import ScriptServer, response

CASES = {c.id: c for c in load_cases()}
PAGE = b"<html>a static page</html>\n"


def run(server: ScriptServer, case_id: str):
    return run_case(CASES[case_id], Probe(Target("127.0.0.1", server.port), timeout=0.5))


def _method(head: bytes) -> bytes:
    return head.split(b" ", 1)[0]


def _says_close(head: bytes) -> bool:
    return re.search(rb"(?im)^connection:[ \t]*close", head) is not None


def _content_length(head: bytes):
    m = re.search(rb"(?im)^content-length:(.*)$", head)
    return None if m is None else m.group(1).strip(b" \t\r")


def lighttpd(other_methods: int = 405):
    """Answer from the head (200 to GET, ``other_methods`` to anything else) with Connection: close; never read
    the body (then the staged close of RFC 9112 §9.6, discarding what still arrives)."""
    def handler(conn) -> None:
        head = conn.head()
        if head is None:
            return
        method = _method(head)
        status = 200 if method in (b"GET", b"HEAD") else other_methods
        conn.send(response(status, b"" if method == b"HEAD" else PAGE if status == 200 else b"not allowed\n",
                           close=True))
        conn.close_gracefully()
    return handler


def post_405_keeps_open(conn) -> None:
    """405 to every POST, 200 to GET; the body is read by Content-Length (int(), Transfer-Encoding ignored) and
    the connection kept unless the request says close."""
    while True:
        head = conn.head()
        if head is None or not re.match(rb"^[A-Z]+ \S+ HTTP/1\.[01]\r\n", head):
            if head is not None:
                conn.send(response(400, b"bad request\n", close=True))
            return
        value = _content_length(head)
        try:
            conn.take(int(value) if value is not None else 0)
        except ValueError:
            conn.send(response(400, b"bad length\n", close=True))
            return
        close = _says_close(head)
        conn.send(response(405, b"method not allowed\n", close=close) if _method(head) == b"POST"
                  else response(200, PAGE, close=close))
        if close:
            conn.close_gracefully()
            return


def go_http10_te(late_400: str):
    """Like Go's net/http: Transfer-Encoding in an HTTP/1.0 request is ignored (no body is read), HTTP/1.0
    keep-alive is honoured, and bytes that are not a request get 400.  ``late_400``: ``"after-follow-up"`` sends
    that 400 (and closes) only once the follow-up has arrived, ``"first"`` at once (and closes), ``"then-answer"``
    at once, keeping the connection, and then answers the follow-up."""
    def handler(conn) -> None:
        while True:
            head = conn.head()
            if head is None:
                return
            if not re.match(rb"^[A-Z]+ \S+ HTTP/1\.[01]\r\n", head):
                if late_400 == "after-follow-up":
                    conn.wait_for(b"\r\n\r\n")
                keep = late_400 == "then-answer"
                conn.send(response(400, b"400 Bad Request", close=not keep))
                if keep:
                    continue
                conn.close_gracefully()
                return
            value = _content_length(head)
            conn.take(int(value) if value is not None else 0)
            http10 = b" HTTP/1.0\r\n" in head.split(b"\r\n", 1)[0] + b"\r\n"
            keep = re.search(rb"(?im)^connection:[ \t]*keep-alive", head) is not None if http10 \
                else not _says_close(head)
            conn.send(response(200, PAGE, close=not keep))
            if not keep:
                conn.close_gracefully()
                return
    return handler


# -- answered from the head, then closed ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def answers_from_head():
    with ScriptServer(lighttpd()) as server:
        yield server


@pytest.fixture(scope="module")
def answers_200_from_head():
    with ScriptServer(lighttpd(200)) as server:
        yield server


@pytest.mark.parametrize("case_id", ["smuggle-cl-plus", "smuggle-te-vt-after", "smuggle-chunk-size-plus"])
def test_answered_from_the_head_is_inconclusive_where_only_a_rejection_conforms(answers_from_head, case_id):
    r = run(answers_from_head, case_id)
    assert (r.outcome, r.branch) == ("inconclusive", "answered-closed"), (r.outcome, r.actual)
    assert "--echo-path" in r.remedy and "reads request bodies" in r.remedy
    assert "405" in r.actual and "closed" in r.actual


@pytest.mark.parametrize("case_id", ["smuggle-cl-te-same-length", "smuggle-te-http10", "smuggle-body-on-get"])
def test_answered_from_the_head_is_safe_where_processing_is_allowed(answers_from_head, case_id):
    r = run(answers_from_head, case_id)
    assert (r.outcome, r.branch) == ("pass", "answered-closed"), (r.outcome, r.actual)


@pytest.mark.parametrize("case_id", ["smuggle-trailer-content-length", "smuggle-value-nel-kept"])
def test_how_a_field_was_read_is_inconclusive_without_echo(answers_from_head, case_id):
    """Safe framing is seen, but whether a trailer was merged or a value kept only an echo shows."""
    r = run(answers_from_head, case_id)
    assert r.outcome == "inconclusive" and "--echo-path" in r.remedy, (r.outcome, r.actual)


@pytest.mark.parametrize("case_id", ["smuggle-cl-wraps-2-64", "smuggle-cl-wraps-2-32", "smuggle-chunk-size-wraps-2-64",
                                     "smuggle-split-chunk-size-wraps"])
def test_a_huge_length_answered_from_the_head_then_closed_is_safe(answers_200_from_head, answers_from_head, case_id):
    r = run(answers_200_from_head, case_id)  # a 200: not an error status, so not a refusal
    assert (r.outcome, r.branch) == ("pass", "answered-closed"), (r.outcome, r.actual)
    r = run(answers_from_head, case_id)  # any error status refuses a huge length (reject=ANY_ERROR): a 405 too
    assert (r.outcome, r.branch) == ("pass", "rejected"), (r.outcome, r.actual)


@pytest.mark.parametrize("case_id", ["content-too-large-413", "chunk-ext-huge-refused"])
def test_an_answer_before_a_large_body_then_a_close_is_an_accepted_choice(answers_from_head, case_id):
    r = run(answers_from_head, case_id)
    assert (r.outcome, r.branch) == ("info", "answered-closed"), (r.outcome, r.actual)
    assert "close" in CASES[case_id].accepted["answered-closed"]


def test_a_request_without_a_body_answered_and_closed_was_processed(answers_from_head):
    """No body to leave unread: a 200 to an HTTP/1.1 request without Host is processing, whatever the close."""
    r = run(answers_from_head, "smuggle-host-missing-http11")
    assert (r.outcome, r.branch) == ("fail", "processed"), (r.outcome, r.actual)


# -- 405, but the connection persists and the body is read ---------------------------------------------------------

@pytest.fixture(scope="module")
def keeps_open():
    with ScriptServer(post_405_keeps_open) as server:
        yield server


def test_a_405_on_a_connection_that_persists_is_processing_not_answered_closed(keeps_open):
    r = run(keeps_open, "smuggle-cl-plus")  # int(b"+5") == 5: the body is read, the follow-up answered
    assert (r.outcome, r.branch) == ("fail", "processed"), (r.outcome, r.actual)
    assert "answered a follow-up" in r.actual


def test_cl_with_te_read_by_length_on_a_kept_connection_fails(keeps_open):
    r = run(keeps_open, "smuggle-cl-te-same-length")
    assert (r.outcome, r.branch) == ("fail", "processed-open"), (r.outcome, r.actual)


def test_a_body_on_get_read_and_the_connection_kept_passes(keeps_open):
    r = run(keeps_open, "smuggle-body-on-get")
    assert (r.outcome, r.branch) == ("pass", "processed"), (r.outcome, r.actual)


# -- a late 400 for the body bytes (the Caddy split) ----------------------------------------------------------------

@pytest.mark.parametrize("late_400", ["after-follow-up", "first", "then-answer"])
def test_a_400_for_leftover_body_bytes_is_a_split_never_persistence(late_400):
    with ScriptServer(go_http10_te(late_400)) as server:
        r = run(server, "smuggle-te-http10")
    assert (r.outcome, r.branch) == ("fail", "split"), (r.outcome, r.actual)
    assert "3/3 tries" in r.actual and "400" in r.actual


def test_the_follow_up_is_recognised_by_its_plain_answer_learnt_once_per_target():
    with ScriptServer(go_http10_te("after-follow-up")) as server:
        target = Target("127.0.0.1", server.port)
        req = (b"POST / HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n"
               b"5\r\nhello\r\n0\r\n\r\n")
        probe = Probe(target, timeout=0.5)
        first = probe.exchange(RawRequest(req, RequestInfo("POST", "1.0")))
        again = Probe(target, timeout=0.5).exchange(RawRequest(req, RequestInfo("POST", "1.0")))
        connections = server.connections
    for ex in (first, again):
        assert not ex.persisted and ex.follow_up_sent and len(ex.unsolicited) == 1
        assert ex.unsolicited[0].status == 400 and ex.closed
        assert f"alone it is answered 200 with {len(PAGE)} body bytes" in ex.describe()
    assert connections == 3  # two exchanges, and the follow-up asked alone once


def test_a_follow_up_answered_like_the_plain_request_still_counts_as_persistence(keeps_open):
    probe = Probe(Target("127.0.0.1", keeps_open.port), timeout=0.5)
    ex = probe.exchange(probe.request("POST", body=b"hello"))
    assert ex.persisted and not ex.unsolicited and ex.responses[0].status == 405


def test_a_page_that_changes_on_every_request_is_matched_by_status_only():
    """The plain answer is learnt from two requests on one connection: a length that differs is not compared."""
    count = iter(range(1000))

    def dynamic(conn) -> None:
        while True:
            head = conn.head()
            if head is None:
                return
            conn.take(int(_content_length(head) or 0))
            close = _says_close(head)
            conn.send(response(200, b"visit " + b"x" * next(count), close=close))
            if close:
                conn.close_gracefully()
                return

    with ScriptServer(dynamic) as server:
        probe = Probe(Target("127.0.0.1", server.port), timeout=0.5)
        ex = probe.exchange(probe.request("POST", body=b"hello"))
        plain = probe.plain_answer()
    assert plain is not None and plain.status == 200 and plain.body_length is None
    assert ex.persisted and not ex.unsolicited


# -- a server that reads a body with one more read after the head (root cause 7 of issue 10) ---------------------
def _one_more_read(conn) -> None:
    """Reads the head, then at most one more recv() for a Content-Length body; what is left is read as the next
    request (a line that is not a request line gets 400 and a close, as a real server would answer it)."""
    while True:
        head = conn.head()
        if head is None:
            return
        if not re.match(rb"[A-Z]+ /\S* HTTP/1\.[01]\r\n", head):  # leftover body bytes before a request line
            conn.send(response(400, b"bad\n", close=True))
            return
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length" and value.strip().isdigit():
                length = int(value.strip())
        if len(conn.buffer) < length:
            conn._more()  # the one extra read
        body, conn.buffer = conn.buffer[:length], conn.buffer[length:]
        conn.send(response(200, b"got %d\n" % len(body)))


def test_a_body_read_with_one_more_read_is_caught_by_three_pieces():
    with ScriptServer(_one_more_read) as server:
        two = run(server, "partial-body-head-alone-first")  # head, then the whole body: one more read gets it all
        three = run(server, "partial-body-three-pieces-paused")
    assert two.outcome == "pass", (two.outcome, two.actual)
    assert three.outcome == "fail", (three.outcome, three.actual)


# -- answered from the head, then draining ----------------------------------------------------------------------

def answers_then_drains(conn) -> None:
    """Like uvicorn with a page that never reads its body: 200 from the head at once, then the server goes on
    reading what the Content-Length or the chunk size announced (gigabytes here), answering nothing else."""
    head = conn.head()
    if head is None:
        return
    conn.send(response(200, PAGE))
    while conn.take(65536):  # the announced body: longer than anything the client sends
        pass


@pytest.fixture(scope="module")
def drains():
    with ScriptServer(answers_then_drains) as server:
        yield server


@pytest.mark.parametrize("case_id", ["smuggle-cl-wraps-2-32", "smuggle-chunk-size-wraps-2-64", "content-too-large-413"])
def test_a_huge_length_answered_from_the_head_then_drained_is_safe(drains, case_id):
    r = run(drains, case_id)
    assert r.outcome in ("pass", "info") and r.branch == "answered-draining", (r.outcome, r.branch, r.actual)
    accepted = CASES[case_id].accepted  # a MAY case lists what it accepts, with the RFC's words
    assert not accepted or "read the entire request message body" in accepted["answered-draining"]


def test_a_small_body_answered_then_waited_for_is_not_safe(drains):
    r = run(drains, "smuggle-cl-plus")  # a 5-byte body: waiting for more is reading a larger length
    assert r.outcome == "fail" and r.branch == "answered-draining", (r.outcome, r.branch, r.actual)


# -- refused from the head, then an error about the body ---------------------------------------------------------

def gunicorn_drain_error(conn) -> None:
    """Like gunicorn with a page that refuses POST: 405 from the head, then, draining the chunked body, a 400 about
    its invalid chunk size and a close."""
    while True:
        head = conn.head()
        if head is None:
            return
        if _method(head) != b"POST":  # the page, to GET (the follow-up alone learns this answer)
            conn.send(response(200, PAGE, close=_says_close(head)))
            if _says_close(head):
                conn.close_gracefully()
                return
            continue
        conn.send(response(405, b"method not allowed\n"))
        conn.take(2)
        conn.send(response(400, b"Invalid chunk size\n", close=True))
        conn.close_gracefully()
        return


def test_an_error_after_a_refusal_from_the_head_is_inconclusive_without_echo():
    with ScriptServer(gunicorn_drain_error) as server:
        r = run(server, "smuggle-chunk-size-plus")
    assert (r.outcome, r.branch) == ("inconclusive", "refused-then-error"), (r.outcome, r.branch, r.actual)
    assert "--echo-path" in r.remedy


def cheroot_http10_te(conn) -> None:
    """Like cheroot: Transfer-Encoding in HTTP/1.0 ignored (no body read), 200, then a close (the framing faulty)."""
    head = conn.head()
    if head is None:
        return
    conn.send(response(200, PAGE, close=True))
    conn.close_gracefully()


@pytest.mark.parametrize("case_id", ["smuggle-te-http10", "smuggle-te-http10-with-cl"])
def test_te_in_http10_processed_then_closed_is_what_the_rfc_asks(case_id):
    with ScriptServer(cheroot_http10_te) as server:
        r = run(server, case_id)
    assert r.outcome == "pass", (r.outcome, r.branch, r.actual)

"""Each core quirk changes exactly the behaviour it describes.

Every scenario runs against the normal server and against a server with the
one quirk on; the observed values must be the documented "good" and "bad" ones.
"""
from __future__ import annotations

import json

import pytest
from h1conform_server import Server
from h1conform_server.quirks import QUIRKS
from h1conform_server.testing import ResponseReader, connect, exchange, parse_all

HELLO = b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n"
INDEX_CLOSE = b"GET /index.html HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
HELLO_BODY = b"hello, world\n"
STREAM_BODY = b"chunk-1\nchunk-2\nchunk-3\n"


def statuses(raw, methods=None):
    return [r.status for r in parse_all(raw, methods)]


def second_answered(addr, first: bytes):
    """(Connection header of the first response, whether a second request on the connection is answered)."""
    with connect(addr) as sock:
        sock.sendall(first)
        reader = ResponseReader(sock)
        resp = reader.read_response()
        try:
            sock.sendall(HELLO)
            reader.read_response()
            answered = True
        except (EOFError, OSError):
            answered = False
    return resp.header("Connection"), answered


def s_answer_incomplete_head(addr):
    with connect(addr) as sock:
        sock.sendall(b"GET /hello.txt HTTP/1.1\r\n")
        reader = ResponseReader(sock)
        silent = reader.silent(0.25)
        sock.sendall(b"Host: t\r\nConnection: close\r\n\r\n")
        return silent, [r.status for r in parse_all(reader.read_to_eof())]


def s_body_one_more_read(addr):
    with connect(addr) as sock:
        sock.sendall(b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nhel")
        reader = ResponseReader(sock)
        reader.silent(0.1)
        sock.sendall(b"lo")
        silent = reader.silent(0.25)
        sock.sendall(b"world")
        return silent, json.loads(reader.read_response().body)["body_length"]


def s_body_first_read_only(addr):
    with connect(addr) as sock:
        sock.sendall(b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nhello")
        reader = ResponseReader(sock)
        silent = reader.silent(0.25)
        sock.sendall(b"world")
        return silent, json.loads(reader.read_response().body)["body_length"]


def s_wait_for_body_without_length(addr):
    raw = exchange(addr, b"POST /echo HTTP/1.1\r\nHost: t\r\n\r\n" + HELLO, shut_wr=True)
    return [(r.status, len(r.body)) for r in parse_all(raw)][0][0], len(parse_all(raw))


def s_ignore_body_on_get(addr):
    raw = exchange(addr, b"GET /echo HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n" % len(HELLO) + HELLO + INDEX_CLOSE)
    return statuses(raw)


def s_close_delimited_keep_open(addr):
    seen = []
    for request in (b"GET /close-delimited HTTP/1.1\r\nHost: t\r\n\r\n", b"GET /stream HTTP/1.0\r\n\r\n"):
        with connect(addr) as sock:
            sock.sendall(request)
            reader = ResponseReader(sock)
            head = reader.read_head()
            _body, eof = reader.read_until_eof(0.2)
            seen.append((head.header("Connection"), eof))
    return seen


def s_chunked_to_http10(addr):
    (r,) = parse_all(exchange(addr, b"GET /stream HTTP/1.0\r\n\r\n"))
    return r.framing, r.body


def s_close_without_signal(addr):
    (r,) = parse_all(exchange(addr, HELLO.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n")))
    return r.header("Connection")


def s_no_persistence(addr):
    return second_answered(addr, HELLO)


def s_keep_http10_open(addr):
    return second_answered(addr, b"GET /hello.txt HTTP/1.0\r\n\r\n")


def s_http10_keep_alive(addr):
    return second_answered(addr, b"GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")


def s_ignore_connection_close(addr):
    return second_answered(addr, b"GET /hello.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")


def s_connection_options_case_sensitive(addr):
    return second_answered(addr, b"GET /hello.txt HTTP/1.1\r\nHost: t\r\nConnection: Close\r\n\r\n")


def s_connection_whole_value_only(addr):
    return second_answered(addr, b"GET /hello.txt HTTP/1.1\r\nHost: t\r\nConnection: keep-alive, close\r\n\r\n")


def s_bad_request_then_more(addr):
    raw = exchange(addr, b"GET / HTTP/1.1\r\nHost: a b\r\n\r\n" + HELLO + INDEX_CLOSE)
    responses = parse_all(raw)
    return [r.status for r in responses], responses[0].header("Connection")


def s_drop_pipelined(addr):
    with connect(addr) as sock:
        sock.sendall(HELLO + b"GET /dir/ HTTP/1.1\r\nHost: t\r\n\r\n")
        reader = ResponseReader(sock)
        first = reader.read_response()
        sock.sendall(INDEX_CLOSE)
        rest = parse_all(reader.read_to_eof())
        return [len(r.body) for r in [first] + rest]


def s_pipeline_out_of_order(addr):
    return [len(r.body) for r in parse_all(exchange(addr, HELLO + INDEX_CLOSE))]


def s_body_in_head_response(addr):
    raw = exchange(addr, b"HEAD /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n" + INDEX_CLOSE)
    try:
        return statuses(raw, ["HEAD", "GET"])
    except ValueError:
        return "garbled"


def s_no_leading_crlf_tolerance(addr):
    return statuses(exchange(addr, b"\r\n" + INDEX_CLOSE))


def s_skip_unread_body(addr):
    head = b"POST /missing HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n" % len(HELLO)
    raw = exchange(addr, head + HELLO + INDEX_CLOSE)
    return statuses(raw)


def s_http10_response_version(addr):
    return [r.version for r in parse_all(exchange(addr, b"GET /hello.txt HTTP/1.0\r\n\r\n"))]


def s_no_date(addr):
    return parse_all(exchange(addr, INDEX_CLOSE))[0].header("Date") is not None


def s_date_rfc850(addr):
    return "-" in (parse_all(exchange(addr, INDEX_CLOSE))[0].header("Date") or "")


def s_lowercase_status_version(addr):
    return exchange(addr, INDEX_CLOSE)[:9]


def s_content_length_with_chunked(addr):
    (r,) = parse_all(exchange(addr, b"GET /stream HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"))
    return r.header("Transfer-Encoding"), r.header("Content-Length")


def s_content_length_short(addr):
    reader = ResponseReader(None, exchange(addr, HELLO.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n")))
    return reader.read_response().body, bytes(reader.buf)


# switch -> (scenario, observation on the normal server, observation with the switch on)
CASES = {
    "answer_incomplete_head": (s_answer_incomplete_head, (True, [200]), (False, [200, 400])),
    "body_first_read_only": (s_body_first_read_only, (True, 10), (False, 5)),
    "body_one_more_read": (s_body_one_more_read, (True, 10), (False, 5)),
    "wait_for_body_without_length": (s_wait_for_body_without_length, (200, 2), (200, 1)),
    "ignore_body_on_get": (s_ignore_body_on_get, [200, 200], [200, 200, 200]),
    "close_delimited_keep_open": (s_close_delimited_keep_open, [("close", True)] * 2, [(None, False)] * 2),
    "chunked_to_http10": (s_chunked_to_http10, ("close", STREAM_BODY), ("chunked", STREAM_BODY)),
    "close_without_signal": (s_close_without_signal, "close", None),
    "no_persistence": (s_no_persistence, (None, True), ("close", False)),
    "keep_http10_open": (s_keep_http10_open, ("close", False), (None, True)),
    "no_http10_keep_alive": (s_http10_keep_alive, ("keep-alive", True), ("close", False)),
    "no_keep_alive_header_http10": (s_http10_keep_alive, ("keep-alive", True), (None, True)),
    "ignore_connection_close": (s_ignore_connection_close, ("close", False), (None, True)),
    "connection_options_case_sensitive": (s_connection_options_case_sensitive, ("close", False), (None, True)),
    "connection_whole_value_only": (s_connection_whole_value_only, ("close", False), (None, True)),
    "ignore_own_close": (s_bad_request_then_more, ([400], "close"), ([400, 200, 200], "close")),
    "no_close_after_bad_request": (s_bad_request_then_more, ([400], "close"), ([400, 200, 200], None)),
    "drop_pipelined": (s_drop_pipelined, [13, 120, 193], [13, 193]),
    "pipeline_out_of_order": (s_pipeline_out_of_order, [13, 193], [193, 13]),
    "body_in_head_response": (s_body_in_head_response, [200, 200], "garbled"),
    "no_leading_crlf_tolerance": (s_no_leading_crlf_tolerance, [200], [400]),
    "skip_unread_body": (s_skip_unread_body, [404, 200], [404, 200, 200]),
    "http10_response_version": (s_http10_response_version, ["HTTP/1.1"], ["HTTP/1.0"]),
    "no_date": (s_no_date, True, False),
    "date_rfc850": (s_date_rfc850, False, True),
    "lowercase_status_version": (s_lowercase_status_version, b"HTTP/1.1 ", b"http/1.1 "),
    "content_length_with_chunked": (s_content_length_with_chunked, ("chunked", None), ("chunked", "24")),
    "content_length_short": (s_content_length_short, (HELLO_BODY, b""), (HELLO_BODY[:-1], b"\n")),
}


@pytest.fixture(scope="module")
def normal():
    with Server(linger_timeout=0.3) as srv:
        yield srv.address


CORE = sorted(name for name, q in QUIRKS.items() if q.family == "core")


def test_every_core_quirk_has_a_scenario():
    assert sorted(CASES) == CORE


@pytest.mark.parametrize("name", CORE)
def test_quirk_changes_behaviour(name, normal):
    scenario, good, bad = CASES[name]
    assert scenario(normal) == good
    with Server(quirks={name}, linger_timeout=0.3, idle_timeout=0.5) as srv:
        assert scenario(srv.address) == bad


def test_no_persistence_respects_close_without_signal():
    with Server(quirks={"no_persistence", "close_without_signal"}, linger_timeout=0.3) as srv:
        assert s_no_persistence(srv.address) == (None, False)


def test_ignore_own_close_leaves_client_requested_closes_alone():
    with Server(quirks={"ignore_own_close"}, linger_timeout=0.3, idle_timeout=0.5) as srv:
        assert s_ignore_connection_close(srv.address) == ("close", False)
        assert s_keep_http10_open(srv.address) == ("close", False)


def test_skip_unread_body_only_for_error_answers():
    with Server(quirks={"skip_unread_body"}, linger_timeout=0.3) as srv:
        assert s_ignore_body_on_get(srv.address) == [200, 200]
        head = b"GET /hello.txt HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n" % len(HELLO)
        raw = exchange(srv.address, head + HELLO + INDEX_CLOSE)
        assert statuses(raw) == [200, 200]

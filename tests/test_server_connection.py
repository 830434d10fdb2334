"""Persistence, pipelining, close handling and timeouts (RFC 9112 §9, RFC 9110 §7.6.1)."""
from __future__ import annotations

import os
import selectors
import signal
import socket
import threading
import time

import pytest
from h1conform_server import Limits, Server
from h1conform_server.testing import ResponseReader, connect, exchange, parse_all


@pytest.fixture(scope="module")
def addr():
    with Server(linger_timeout=0.5) as srv:
        yield srv.address


def answered_after(sock, reader, request: bytes) -> bool:
    """Send another request on the connection; True if it gets a response."""
    try:
        sock.sendall(request)
        reader.read_response()
        return True
    except (EOFError, OSError):
        return False


NEXT = b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n"


@pytest.mark.parametrize(
    "request_bytes,persistent,connection_header",
    [
        (b"GET / HTTP/1.1\r\nHost: t\r\n\r\n", True, None),
        (b"GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", False, "close"),
        (b"GET / HTTP/1.1\r\nHost: t\r\nConnection: CLOSE\r\n\r\n", False, "close"),
        (b"GET / HTTP/1.1\r\nHost: t\r\nConnection: keep-alive, Close\r\n\r\n", False, "close"),
        (b"GET / HTTP/1.1\r\nHost: t\r\nConnection: , close\r\n\r\n", False, "close"),
        (b"GET / HTTP/1.1\r\nHost: t\r\nConnection: x\r\nConnection: close\r\n\r\n", False, "close"),
        (b"GET / HTTP/1.0\r\n\r\n", False, "close"),
        (b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", True, "keep-alive"),
        (b"GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", True, "keep-alive"),
        (b"GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", False, "close"),
    ],
)
def test_persistence(addr, request_bytes, persistent, connection_header):
    with connect(addr) as sock:
        sock.sendall(request_bytes)
        reader = ResponseReader(sock)
        first = reader.read_response()
        assert first.status == 200
        assert first.header("Connection") == connection_header
        if persistent:
            assert answered_after(sock, reader, NEXT)
        else:
            assert reader.closed()


def test_requests_after_close_are_not_processed(addr):
    raw = exchange(
        addr,
        b"GET /hello.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
        b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\nx",
    )
    (only,) = parse_all(raw)
    assert only.body == b"hello, world\n"


def test_pipelined_responses_come_in_order(addr):
    targets = ["/hello.txt", "/missing", "/", "/stream", "/echo", "/sized/64k.txt", "/dir/", "/hello.txt"]
    data = b"".join(("GET %s HTTP/1.1\r\nHost: t\r\n\r\n" % t).encode() for t in targets)
    data += b"HEAD /hello.txt HTTP/1.1\r\nHost: t\r\n\r\nGET /close-delimited HTTP/1.1\r\nHost: t\r\n\r\n"
    responses = parse_all(exchange(addr, data), ["GET"] * len(targets) + ["HEAD", "GET"])
    assert [r.status for r in responses] == [200, 404, 200, 200, 200, 200, 200, 200, 200, 200]
    assert responses[0].body == responses[7].body == b"hello, world\n"
    assert len(responses[5].body) == 65536 and responses[8].body == b""
    assert responses[9].framing == "close"


def test_bad_request_closes_and_drops_pipelined_requests(addr):
    raw = exchange(addr, b"GET / HTTP/1.1\r\nHost: a b\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n")
    (only,) = parse_all(raw)
    assert only.status == 400 and only.header("Connection") == "close"


def test_te_and_cl_is_rejected_and_closes(addr):
    raw = exchange(
        addr,
        b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n"
        b"0\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n",
    )
    (only,) = parse_all(raw)
    assert only.status == 400


def test_unread_body_is_discarded_not_parsed(addr):
    inner = b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n"
    raw = exchange(
        addr,
        b"POST /missing HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n" % len(inner) + inner
        + b"DELETE /index.html HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n"
        % (len(inner), inner)
        + b"GET /index.html HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
    )
    assert [r.status for r in parse_all(raw)] == [404, 405, 200]


def test_request_without_length_is_answered_without_waiting(addr):
    raw = exchange(
        addr, b"POST /echo HTTP/1.1\r\nHost: t\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
    )
    first, second = parse_all(raw)
    assert b'"body_length": 0' in first.body and second.body == b"hello, world\n"


def test_incomplete_body_is_never_answered_as_complete(addr):
    raw = exchange(addr, b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n0123456789", shut_wr=True)
    assert [r.status for r in parse_all(raw)] in ([], [400])


def test_half_close_after_complete_request_still_gets_the_response(addr):
    raw = exchange(addr, b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n", shut_wr=True)
    assert parse_all(raw)[0].body == b"hello, world\n"


def test_expect_100_continue(addr):
    with connect(addr) as sock:
        sock.sendall(b"POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
        reader = ResponseReader(sock)
        assert reader.read_response().status == 100
        sock.sendall(b"hello")
        final = reader.read_response()
    assert final.status == 200 and b'"body": "hello"' in final.body
    raw = exchange(addr, b"POST /echo HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi")
    assert [r.status for r in parse_all(raw)] == [200]


def test_pipelined_close_tail_does_not_reset_the_response(addr):
    # a response with Connection: close followed by unread pipelined bytes must still arrive intact
    tail = b"GET /sized/64k.txt HTTP/1.1\r\nHost: t\r\n\r\n" * 50
    with connect(addr) as sock:
        sock.sendall(b"GET /sized/64k.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" + tail)
        reader = ResponseReader(sock)
        r = reader.read_response()
        assert len(r.body) == 65536 and reader.closed()


def test_idle_connection_is_closed_after_the_idle_timeout():
    with Server(idle_timeout=0.2, linger_timeout=0.2) as srv:
        with connect(srv.address) as sock:
            start = time.monotonic()
            reader = ResponseReader(sock)
            assert reader.closed(timeout=3)
            assert time.monotonic() - start < 2


def test_request_timeout_sends_408():
    with Server(request_timeout=0.2, linger_timeout=0.2) as srv:
        raw = exchange(srv.address, b"GET / HTTP/1.1\r\nHost: t\r\n")
    assert parse_all(raw)[0].status == 408


def test_stop_ends_idle_connections_and_refuses_new_ones():
    srv = Server(linger_timeout=0.2)
    address = srv.start()
    sock = connect(address)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n")
    reader = ResponseReader(sock)
    assert reader.read_response().status == 200
    start = time.monotonic()
    srv.stop()
    assert time.monotonic() - start < 2
    assert reader.closed(timeout=2)
    sock.close()
    with pytest.raises(OSError):
        connect(address, timeout=1).close()


def test_unknown_switch_rejected_at_construction():
    with pytest.raises(ValueError):
        Server(quirks={"no_such_switch"})


def test_bind_happens_in_start():
    srv = Server()
    with pytest.raises(RuntimeError):
        srv.address
    host, port = srv.start()
    try:
        assert host == "127.0.0.1" and port > 0 and srv.address == (host, port)
        with socket.create_connection((host, port), timeout=2):
            pass
    finally:
        srv.stop()


# ---------------------------------------------------------------- worker pool (issue 3)
def test_a_peer_that_does_not_read_pins_no_worker():
    with Server(workers=1, write_timeout=1.0, linger_timeout=0.2) as srv:
        hog = connect(srv.address)
        try:  # ~6 MB of responses it never reads: the single worker must not wait for it
            hog.sendall(b"GET /sized/64k.txt HTTP/1.1\r\nHost: t\r\n\r\n" * 100)
            start = time.monotonic()
            raw = exchange(srv.address, b"GET /hello.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            assert parse_all(raw)[0].body == b"hello, world\n"
            assert time.monotonic() - start < 1.0
            assert ResponseReader(hog).closed(timeout=1.0) is False  # still being served, slowly...
            hog.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            assert srv.wait_until_idle(5)  # ...until it takes nothing for write_timeout: dropped
        finally:
            hog.close()


def test_slow_reader_gets_every_byte():
    with Server(workers=1, linger_timeout=0.2) as srv:
        with connect(srv.address) as sock:
            sock.sendall(b"GET /sized/64k.txt HTTP/1.1\r\nHost: t\r\n\r\n" * 20 + NEXT)
            reader = ResponseReader(sock)
            bodies = [reader.read_response().body for _ in range(21)]
    assert all(len(b) == 65536 for b in bodies[:20]) and bodies[20] == b"hello, world\n"


def test_stop_finishes_the_request_in_flight():
    srv = Server(linger_timeout=0.2)
    address = srv.start()
    with connect(address) as sock:
        sock.sendall(b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nab")
        reader = ResponseReader(sock)
        assert reader.silent(0.2)  # the server has the head: a request is in flight
        stopper = threading.Thread(target=srv.stop, kwargs={"timeout": 5})
        stopper.start()
        assert reader.silent(0.2)  # still waiting for the rest of the body
        sock.sendall(b"cd")
        resp = reader.read_response()
        stopper.join(5)
        assert not stopper.is_alive()
    assert resp.status == 200 and b'"body": "abcd"' in resp.body and resp.header("Connection") == "close"


def test_select_poller_fallback_serves_like_epoll():
    with Server(poller="select", idle_timeout=0.3, linger_timeout=0.2) as srv:
        data = b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n" * 3 + b"GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
        assert [r.status for r in parse_all(exchange(srv.address, data))] == [200, 200, 200, 200]
        with connect(srv.address) as sock:
            assert ResponseReader(sock).closed(timeout=3)


def test_configured_limits_answer_414_431_413():
    limits = Limits(max_request_line=100, max_header_fields=5, max_header_bytes=1000, max_body=10)
    with Server(limits=limits, linger_timeout=0.2) as srv:
        cases = [
            (b"GET /" + b"a" * 200 + b" HTTP/1.1\r\nHost: t\r\n\r\n", 414),
            (b"GET / HTTP/1.1\r\nHost: t\r\n" + b"X: y\r\n" * 6 + b"\r\n", 431),
            (b"GET / HTTP/1.1\r\nHost: t\r\nX: " + b"y" * 2000 + b"\r\n\r\n", 431),
            (b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\n", 413),
        ]
        for data, status in cases:
            (resp,) = parse_all(exchange(srv.address, data))
            assert resp.status == status and resp.header("Connection") == "close"


def test_serve_cli_takes_the_limits_and_timeouts():
    import subprocess
    import sys

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    proc = subprocess.Popen(
        [sys.executable, "-m", "h1conform.cli", "serve", "--port", "0", "--max-request-line", "50",
         "--idle-timeout", "0.3", "--workers", "2", "--request-timeout", "2", "--shutdown-timeout", "1"],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            assert sel.select(10), "the server printed nothing"
        port = int(proc.stdout.readline().decode().rsplit(":", 1)[1].strip("/\n"))
        raw = exchange(("127.0.0.1", port), b"GET /" + b"a" * 60 + b" HTTP/1.1\r\nHost: t\r\n\r\n")
        assert parse_all(raw)[0].status == 414
        with connect(("127.0.0.1", port)) as sock:
            assert ResponseReader(sock).closed(timeout=3)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    bad = subprocess.run([sys.executable, "-m", "h1conform_server", "--workers", "0"], cwd=root,
                         capture_output=True, timeout=20)
    assert bad.returncode == 2 and b"--workers" in bad.stderr

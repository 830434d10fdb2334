"""The bundled server under load and abuse (issue 3): every test is bounded in time.

Many sockets: the file raises RLIMIT_NOFILE up to the hard limit and skips a test that still cannot get
enough descriptors.  No test waits with sleep: clients use selectors with deadlines, the server has
``wait_until_idle``.
"""
from __future__ import annotations

import gc
import os
import random
import selectors
import socket
import threading
import time

import pytest
from h1conform_server import Server
from h1conform_server.connection import Connection
from h1conform_server.routes import App, Request
from h1conform_server.static import FileResponse, StaticFiles
from h1conform_server.testing import ResponseReader, connect, exchange, parse_all

try:
    import resource
except ImportError:  # pragma: no cover - not on Windows
    resource = None

OK_CLOSE = b"GET /hello.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
OK = b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n"
HELLO = b"hello, world\n"


def need_fds(n: int) -> None:
    if resource is None:
        pytest.skip("no resource module: cannot check the descriptor limit")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= n:
        return
    target = n if hard == resource.RLIM_INFINITY else min(n, hard)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    except (ValueError, OSError):
        pass
    if resource.getrlimit(resource.RLIMIT_NOFILE)[0] < n:
        pytest.skip("needs %d file descriptors; the hard limit is %s" % (n, hard))


def open_many(address, n: int, timeout: float = 10.0):
    socks = []
    try:
        for _ in range(n):
            socks.append(socket.create_connection(address, timeout=timeout))
    except OSError:
        for s in socks:
            s.close()
        raise
    return socks


def read_all(socks, deadline: float):
    """Read every socket until EOF (or reset), within *deadline*; {sock: bytes}."""
    got = {s: bytearray() for s in socks}
    with selectors.DefaultSelector() as sel:
        for s in socks:
            s.setblocking(False)
            sel.register(s, selectors.EVENT_READ)
        open_ = len(socks)
        while open_ and time.monotonic() < deadline:
            for key, _ in sel.select(max(0.0, deadline - time.monotonic())):
                s = key.fileobj
                try:
                    data = s.recv(65536)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                if data:
                    got[s] += data
                else:
                    sel.unregister(s)
                    open_ -= 1
    return got


def assert_alive(address):
    assert parse_all(exchange(address, OK_CLOSE, timeout=5))[0].body == HELLO


# ------------------------------------------------------------------ concurrency
def test_thousand_concurrent_clients_are_all_served():
    need_fds(2 * 1000 + 200)
    with Server(workers=8, linger_timeout=0.5) as srv:
        start = time.monotonic()
        socks = open_many(srv.address, 1000)
        try:
            for s in socks:
                s.sendall(OK_CLOSE)
            got = read_all(socks, time.monotonic() + 15)
        finally:
            for s in socks:
                s.close()
        bodies = [parse_all(bytes(data)) for data in got.values()]
        assert sum(len(r) == 1 and r[0].status == 200 and r[0].body == HELLO for r in bodies) == 1000
        assert time.monotonic() - start < 15


def test_request_answered_within_a_second_beside_300_half_sent_and_200_idle():
    need_fds(2 * 500 + 200)
    with Server(workers=4, request_timeout=3.0, idle_timeout=30, linger_timeout=0.5) as srv:
        half = open_many(srv.address, 300)
        idle = open_many(srv.address, 200)
        try:
            for s in half:
                s.sendall(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n")  # slowloris: the empty line never comes
            for s in idle:  # a keep-alive connection between requests
                s.sendall(OK)
                assert ResponseReader(s).read_response().body == HELLO
            start = time.monotonic()
            assert_alive(srv.address)
            assert time.monotonic() - start < 1.0
            # the slow senders are cut at the whole-request deadline: 408, then close
            got = read_all(half, start + 10)
            assert all(parse_all(bytes(d))[0].status == 408 for d in got.values())
        finally:
            for s in half + idle:
                s.close()


def test_sender_trickling_bytes_is_cut_at_the_whole_request_deadline():
    with Server(request_timeout=0.6, idle_timeout=5, linger_timeout=0.2) as srv:
        with connect(srv.address) as sock:
            start = time.monotonic()
            reader = ResponseReader(sock, timeout=3)
            for byte in b"GET /hello.txt HTTP/1.1\r\nHost: t\r\nX-Slow: ":
                if not reader.silent(0.1):
                    break
                sock.sendall(bytes([byte]))  # one byte every 0.1 s: never idle, never complete
            assert reader.read_response().status == 408
            assert time.monotonic() - start < 3


# ------------------------------------------------------------------ the docroot jail
@pytest.fixture()
def jail(tmp_path):
    root = tmp_path / "docroot"
    (root / "inside").mkdir(parents=True)
    (root / "ok.txt").write_bytes(b"fine\n")
    (root / "big.bin").write_bytes(b"b" * 300_000)
    (tmp_path / "secret.txt").write_bytes(b"TOPSECRET\n")
    (tmp_path / "bigsecret.bin").write_bytes(b"TOPSECRET" * 40_000)
    os.symlink(str(tmp_path / "secret.txt"), str(root / "escape.txt"))
    os.symlink(str(tmp_path / "bigsecret.bin"), str(root / "escape.bin"))
    os.symlink(str(tmp_path), str(root / "escdir"))
    return tmp_path


PIECES = ["..", ".", "%2e", "%2E", "%2e%2e", "%2f", "%2F", "%5c", "\\", "%00", "%252e", "secret.txt", "escape.txt",
          "escape.bin", "escdir", "bigsecret.bin", "inside", "", "ok.txt", "//", "%2e.", ".%2e", "..;", "%c0%ae"]


def test_no_byte_outside_the_docroot_is_ever_served(jail):
    rng = random.Random(3)
    targets = ["/" + "/".join(rng.choice(PIECES) for _ in range(rng.randint(1, 5))) for _ in range(600)]
    targets += ["http://x/" + t.lstrip("/") for t in targets[:100]] + ["/escape.txt", "/escdir/secret.txt"] * 5
    with Server(docroot=str(jail / "docroot"), linger_timeout=0.2) as srv:
        for i in range(0, len(targets), 50):  # pipelined, 50 per connection, every target twice (cache warm)
            batch = [t for t in targets[i : i + 50] for _ in (0, 1)]
            data = b"".join(b"GET %s HTTP/1.1\r\nHost: t\r\n\r\n" % t.encode() for t in batch)
            raw = exchange(srv.address, data + OK_CLOSE, timeout=5)
            assert b"TOPSECRET" not in raw
            responses = parse_all(raw)
            assert all(r.status in (200, 301, 400, 404) for r in responses), [r.status for r in responses]
            # 301: a directory inside the docroot named without its trailing slash (the slashed path)
            assert all(r.header("Location").endswith("/") for r in responses if r.status == 301)


def test_files_swapped_for_symlinks_after_caching_are_not_followed_out(jail):
    root = jail / "docroot"
    (root / "d").mkdir()
    (root / "d" / "secret.txt").write_bytes(b"inside\n")
    with Server(docroot=str(root), linger_timeout=0.2) as srv:
        get = lambda t: exchange(srv.address, b"GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" % t)  # noqa
        assert parse_all(get(b"/ok.txt"))[0].body == b"fine\n"
        assert parse_all(get(b"/d/secret.txt"))[0].body == b"inside\n"
        os.remove(str(root / "ok.txt"))
        os.symlink(str(jail / "secret.txt"), str(root / "ok.txt"))
        os.rename(str(root / "d"), str(root / "d.old"))
        os.symlink(str(jail), str(root / "d"))
        for target in (b"/ok.txt", b"/d/secret.txt"):
            raw = get(target)
            assert b"TOPSECRET" not in raw and parse_all(raw)[0].status == 404


def test_large_files_are_sent_with_sendfile_and_the_same_headers(jail):
    root = str(jail / "docroot")
    app = App(root)
    fast = StaticFiles(app).lookup(b"GET", b"/big.bin", (1, 1), [(b"Host", b"t")])
    slow = app.handle(Request("GET", "/big.bin", (1, 1), [("Host", "t")]))
    assert isinstance(fast, FileResponse) and fast.headers == slow.headers and fast.size == len(slow.body)
    assert StaticFiles(app).lookup(b"GET", b"/big.bin", (1, 1), [(b"Range", b"bytes=0-1")]) is None
    with Server(docroot=root, linger_timeout=0.2) as srv:
        raw = exchange(srv.address, b"GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\nHEAD /big.bin HTTP/1.1\r\nHost: t\r\n\r\n"
                       + OK_CLOSE.replace(b"hello.txt", b"ok.txt"))
        big, head, ok = parse_all(raw, ["GET", "HEAD", "GET"])
        assert big.body == b"b" * 300_000 and head.header("Content-Length") == "300000" and ok.body == b"fine\n"


# ------------------------------------------------------------------ limits
def oversized_cases():
    yield "1 MB header line", b"GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + b"a" * 1_000_000 + b"\r\n\r\n", (431,)
    yield "100 kB target", b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: t\r\n\r\n", (414,)
    yield "20,000 fields", b"GET / HTTP/1.1\r\nHost: t\r\n" + b"X-F: v\r\n" * 20_000 + b"\r\n", (431,)
    for value in (b"99999999999999999999999999999999", b"18446744073709551616", b"1000000000000", b"-1",
                  b"1e9", b"0x10", b"+5", b"5, 5", b" "):
        yield "Content-Length: %r" % value, b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: %s\r\n\r\n" % value, (
            400, 413)


@pytest.mark.parametrize("name,data,statuses", list(oversized_cases()), ids=[c[0] for c in oversized_cases()])
def test_oversized_requests_are_refused_and_the_server_survives(name, data, statuses):
    with Server(linger_timeout=0.3) as srv:
        start = time.monotonic()
        with connect(srv.address, timeout=5) as sock:
            sender = threading.Thread(target=lambda: _send_quietly(sock, data), daemon=True)
            sender.start()
            raw, eof = ResponseReader(sock).read_until_eof(5)
            sender.join(5)
        assert eof, "%s: the connection was not closed" % name
        if raw:  # a reset may eat the answer; if it came, it is the right one
            (resp,) = parse_all(raw)
            assert resp.status in statuses and resp.header("Connection") == "close"
        assert time.monotonic() - start < 5
        assert_alive(srv.address)


def _send_quietly(sock, data):
    try:
        sock.sendall(data)
    except OSError:
        pass


# ------------------------------------------------------------------ garbage
def _fd_count():
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        return None


def _garbage_round(address, rng, n, concurrency=250):
    for i in range(0, n, concurrency):
        socks = []
        for j in range(min(concurrency, n - i)):
            s = socket.create_connection(address, timeout=5)
            kind = (i + j) % 4
            data = os.urandom(rng.randint(1, 3000))
            if kind == 1:
                data = b"GET / HTTP/1.1\r\n" + data
            try:
                s.sendall(data)
                if kind == 2:  # abort: RST instead of FIN
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    s.close()
                    continue
                if kind != 3:  # kind 3 leaves the request open: the whole-request deadline ends it
                    s.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            socks.append(s)
        read_all(socks, time.monotonic() + 10)
        for s in socks:
            s.close()


def test_thousands_of_random_byte_connections_leave_nothing_behind():
    need_fds(1000)
    rng = random.Random(7)
    with Server(workers=8, request_timeout=0.3, idle_timeout=0.3, linger_timeout=0.2) as srv:
        _garbage_round(srv.address, rng, 500)  # warm-up: caches, worker threads, allocator arenas
        assert srv.wait_until_idle(5)
        gc.collect()
        threads, fds = threading.active_count(), _fd_count()
        start = time.monotonic()
        _garbage_round(srv.address, rng, 2500)
        assert srv.wait_until_idle(5), "%d connections still open" % srv.connection_count
        gc.collect()
        assert threading.active_count() == threads
        assert _fd_count() == fds
        assert not [o for o in gc.get_objects() if isinstance(o, Connection)]
        assert time.monotonic() - start < 20
        assert_alive(srv.address)

"""Routes and response framing of the reference server, over real sockets."""
from __future__ import annotations

import json
import os
import re
import time
from email.utils import parsedate_to_datetime

import pytest
from h1conform_server import Server
from h1conform_server.testing import ResponseReader, connect, exchange, parse_all

DOCROOT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures", "docroot")
IMF_FIXDATE = re.compile(
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT"
)


@pytest.fixture(scope="module")
def addr():
    with Server(docroot=DOCROOT, linger_timeout=0.5) as srv:
        yield srv.address


def get(addr, target, method="GET", version="1.1", headers="", body=b""):
    host = "Host: t\r\n" if version == "1.1" else ""
    raw = ("%s %s HTTP/%s\r\n%s%sConnection: close\r\n\r\n" % (method, target, version, host, headers)).encode() + body
    responses = parse_all(exchange(addr, raw), [method])
    assert len(responses) == 1
    return responses[0]


def read_file(name):
    with open(os.path.join(DOCROOT, name), "rb") as f:
        return f.read()


@pytest.mark.parametrize(
    "target,name",
    [("/", "index.html"), ("/hello.txt", "hello.txt"), ("/dir/", "dir/index.html"),
     ("/sized/64k.txt", "sized/64k.txt"), ("/hello.txt?x=1", "hello.txt"), ("http://t/hello.txt", "hello.txt")],
)
def test_static_files(addr, target, name):
    r = get(addr, target)
    assert r.status == 200 and r.body == read_file(name)
    assert r.header("Content-Length") == str(len(r.body))
    assert r.header("Content-Type").startswith("text/")
    assert re.fullmatch(r'"[^"]+"', r.header("ETag"))
    assert IMF_FIXDATE.fullmatch(r.header("Last-Modified"))


@pytest.mark.parametrize("target,location", [("/dir", "/dir/"), ("/dir?x=1", "/dir/?x=1"), ("http://t/dir", "/dir/")])
def test_directory_without_trailing_slash_is_redirected(addr, target, location):
    r = get(addr, target)
    assert r.status == 301 and r.header("Location") == location
    assert location.encode() in r.body and r.header("Content-Type").startswith("text/html")


def test_every_response_has_date_server_and_http11_status_line(addr):
    for version in ("1.1", "1.0"):
        for target in ("/", "/missing", "/echo", "/stream"):
            r = get(addr, target, version=version)
            assert r.version == "HTTP/1.1"
            assert IMF_FIXDATE.fullmatch(r.header("Date"))
            assert abs(parsedate_to_datetime(r.header("Date")).timestamp() - time.time()) < 5
            assert r.header("Server") == "h1conform-sut"
            assert not (r.header("Content-Length") and r.header("Transfer-Encoding"))


def test_head_has_get_headers_and_no_body(addr):
    with connect(addr) as sock:
        sock.sendall(
            b"HEAD /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n"
            b"GET /hello.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
        )
        reader = ResponseReader(sock)
        head = reader.read_response("HEAD")
        full = reader.read_response("GET")
    assert head.status == full.status == 200 and full.body == b"hello, world\n"
    strip = lambda r: [(n, v) for n, v in r.headers if n not in ("Date", "Connection")]  # noqa: E731
    assert strip(head) == strip(full)


def test_if_none_match_gives_304_without_body(addr):
    etag = get(addr, "/hello.txt").header("ETag")
    for value in (etag, "W/" + etag, '"nope", ' + etag, "*"):
        with connect(addr) as sock:
            sock.sendall(
                ("GET /hello.txt HTTP/1.1\r\nHost: t\r\nIf-None-Match: %s\r\n\r\n" % value).encode()
                + b"GET /index.html HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
            )
            reader = ResponseReader(sock)
            r304 = reader.read_response()
            after = reader.read_response()
        assert r304.status == 304 and r304.header("ETag") == etag and r304.header("Content-Type") is None
        assert after.status == 200 and after.body == read_file("index.html")
    assert get(addr, "/hello.txt", headers='If-None-Match: "other"\r\n').status == 200
    assert get(addr, "/missing", headers="If-None-Match: *\r\n").status == 404


def test_if_modified_since(addr):
    last_modified = get(addr, "/hello.txt").header("Last-Modified")
    assert get(addr, "/hello.txt", headers="If-Modified-Since: %s\r\n" % last_modified).status == 304
    assert get(addr, "/hello.txt", headers="If-Modified-Since: garbage\r\n").status == 200
    both = 'If-None-Match: "x"\r\nIf-Modified-Since: %s\r\n' % last_modified
    assert get(addr, "/hello.txt", headers=both).status == 200


def test_echo_reports_the_interpreted_request(addr):
    raw = (
        b"POST /echo?q=1 HTTP/1.1\r\nHost: t\r\nX-Case: A\xe9\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"3;ext=1\r\nabc\r\n0\r\nX-Trailer: z\r\n\r\n"
        b"GET /echo HTTP/1.0\r\n\r\n"
    )
    first, second = parse_all(exchange(addr, raw))
    assert first.header("Content-Type") == "application/json"
    doc = json.loads(first.body)
    assert doc == {
        "method": "POST", "target": "/echo?q=1", "version": "HTTP/1.1",
        "headers": [["Host", "t"], ["X-Case", "A\xe9"], ["Transfer-Encoding", "chunked"]],
        "body": "abc", "body_length": 3, "trailers": [["X-Trailer", "z"]],
    }
    assert json.loads(second.body)["version"] == "HTTP/1.0"
    for method in ("PUT", "DELETE", "PATCH", "TRACE"):
        assert json.loads(get(addr, "/echo", method=method).body)["method"] == method


def test_stream_is_chunked_for_11_and_close_delimited_for_10(addr):
    r11 = get(addr, "/stream")
    assert r11.framing == "chunked" and r11.body == b"chunk-1\nchunk-2\nchunk-3\n"
    r10 = get(addr, "/stream", version="1.0")
    assert r10.framing == "close" and r10.body == r11.body
    assert r10.header("Transfer-Encoding") is None and r10.header("Connection") == "close"
    ka = exchange(addr, b"GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET / HTTP/1.0\r\n\r\n")
    (only,) = parse_all(ka)
    assert only.framing == "close" and only.header("Connection") == "close"


def test_close_delimited_route_closes_even_for_11(addr):
    with connect(addr) as sock:
        sock.sendall(b"GET /close-delimited HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n")
        r = ResponseReader(sock).read_response()
    assert r.status == 200 and r.framing == "close" and r.header("Connection") == "close"
    assert r.body.startswith(b"this body") and b"HTTP/1.1" not in r.body


def test_options(addr):
    star = get(addr, "*", method="OPTIONS")
    assert star.status == 204 and star.header("Allow") == "GET, HEAD, OPTIONS" and star.body == b""
    assert star.header("Content-Length") is None
    assert get(addr, "/hello.txt", method="OPTIONS").header("Allow") == "GET, HEAD, OPTIONS"
    assert "POST" in get(addr, "/echo", method="OPTIONS").header("Allow")


@pytest.mark.parametrize(
    "method,target,status",
    [("BREW", "/", 501), ("get", "/", 501), ("BREW", "/echo", 501), ("DELETE", "/hello.txt", 405),
     ("PUT", "/", 405), ("POST", "/stream", 405), ("GET", "/missing", 404), ("CONNECT", "t:443", 405),
     ("GET", "https://t/hello.txt", 421), ("GET", "/hello.txt/", 404)],
)
def test_error_statuses_have_text_bodies(addr, method, target, status):
    r = get(addr, target, method=method)
    assert r.status == status
    assert r.header("Content-Type").startswith("text/plain") and r.body.startswith(str(status).encode())
    assert r.header("Content-Length") == str(len(r.body))
    if status == 405:
        assert r.header("Allow") == "GET, HEAD, OPTIONS"


def test_protocol_errors_have_bodies_but_not_on_head(addr):
    r = parse_all(exchange(addr, b"GET / HTTP/1.1\r\nHost: a b\r\n\r\n"))[0]
    assert r.status == 400 and r.body.startswith(b"400 Bad Request") and r.header("Connection") == "close"
    r = parse_all(exchange(addr, b"HEAD / HTTP/1.1\r\nHost: a b\r\n\r\n"), ["HEAD"])[0]
    assert r.status == 400 and int(r.header("Content-Length")) > 0
    raw = exchange(addr, b"HEAD / HTTP/1.1\r\nHost: a b\r\n\r\n")
    assert raw.endswith(b"\r\n\r\n")
    for data, status in [(b"GET / HTTP/2.0\r\n\r\n", 505), (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\n", 414),
                         (b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 99999999999\r\n\r\n", 413),
                         (b"GET / HTTP/1.1\r\nHost: t\r\n" + b"X: y\r\n" * 101 + b"\r\n", 431)]:
        r = parse_all(exchange(addr, data))[0]
        assert r.status == status and r.body and r.header("Date")


TRAVERSALS = [
    "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/..%2fsecret.txt", "/%2e%2e%5csecret.txt",
    "/inside/../../secret.txt", "/.%2e/secret.txt", "http://x/../secret.txt", "http://x/../../etc/passwd",
    "/escape.txt", "/escdir/secret.txt", "/escdir/", "/..", "/%00/../secret.txt", "/etc/passwd", "//etc/passwd",
]


@pytest.fixture(scope="module")
def jail(tmp_path_factory):
    base = tmp_path_factory.mktemp("jail")
    root = base / "docroot"
    (root / "inside").mkdir(parents=True)
    (root / "ok.txt").write_bytes(b"fine\n")
    (base / "secret.txt").write_bytes(b"TOPSECRET\n")
    os.symlink(str(base / "secret.txt"), str(root / "escape.txt"))
    os.symlink(str(base), str(root / "escdir"))
    os.symlink(str(root / "ok.txt"), str(root / "link-inside.txt"))
    with Server(docroot=str(root), linger_timeout=0.5) as srv:
        yield srv.address


@pytest.mark.parametrize("target", TRAVERSALS)
def test_path_traversal_never_leaves_the_docroot(jail, target):
    raw = exchange(jail, ("GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" % target).encode())
    assert b"TOPSECRET" not in raw and b"root:" not in raw
    assert parse_all(raw)[0].status in (400, 404)


def test_symlink_inside_the_docroot_is_served(jail):
    raw = exchange(jail, b"GET /link-inside.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    assert parse_all(raw)[0].body == b"fine\n"

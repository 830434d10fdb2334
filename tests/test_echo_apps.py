"""The shipped echo endpoints (h1conform_fixtures.echo: WSGI, ASGI, CGI) answer as the bundled server's /echo does,
for the keys the suite reads, given the request as each interface hands it over; and Debian's apache2 and lighttpd
(nginx and h2o through fcgiwrap) run the CGI echo with scripts/real_server.py --with-echo."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import os
import re
import socket
import subprocess
import sys
import time

import h1conform_fixtures.echo as echo_pkg
import pytest
from h1conform_fixtures.echo import asgi as echo_asgi
from h1conform_fixtures.echo import wsgi as echo_wsgi
from h1conform_server import routes

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (method, target, version, headers, body): each is sent to the bundled /echo and, translated, to each app
REQUESTS = {
    "post-latin1-body": ("POST", "/echo?a=1&b=%20x", (1, 1),
                         [("Host", "example.test"), ("User-Agent", "t/1"), ("X-Custom", "v1"),
                          ("X-Obs-Text", "caf\xe9 \xa0"), ("Content-Type", "text/plain; charset=latin-1"),
                          ("Content-Length", "9")],
                         b"caf\xe9\x00\r\nz\xff"),
    "get-http10": ("GET", "/echo", (1, 0), [("Host", "example.test"), ("Accept", "*/*")], b""),
    "put-empty-body": ("PUT", "/echo", (1, 1), [("Host", "h"), ("Content-Length", "0")], b""),
    "trace-credentials": ("TRACE", "/echo", (1, 1),
                          [("Host", "h"), ("Authorization", "Bearer s3cret"), ("Cookie", "session=s3cret"),
                           ("X-Kept", "yes")], b""),
    "options": ("OPTIONS", "/echo", (1, 1), [("Host", "h")], b""),
    "lower-case-method": ("get", "/echo", (1, 1), [("Host", "h")], b""),  # not GET: 501
    "unsupported-media-type": ("POST", "/echo", (1, 1),
                               [("Host", "h"), ("Content-Type", "application/x-h1conform-unsupported"),
                                ("Content-Length", "10")], b"<not json>"),
}


def _version(v) -> str:
    return "HTTP/%d.%d" % v


def bundled(name):
    """(status, headers, body) of the bundled server's app for the request."""
    method, target, version, headers, body = REQUESTS[name]
    resp = routes.App().handle(routes.Request(method, target, version, list(headers), body))
    return resp.status, resp.headers, resp.body


def cgi_environ(name) -> dict:
    """The request as a CGI/1.1 server (Apache) passes it: HTTP_* for each field but Content-Length/-Type."""
    method, target, version, headers, body = REQUESTS[name]
    path, _, query = target.partition("?")
    env = {"REQUEST_METHOD": method, "REQUEST_URI": target, "SCRIPT_NAME": path, "PATH_INFO": "",
           "QUERY_STRING": query, "SERVER_PROTOCOL": _version(version), "GATEWAY_INTERFACE": "CGI/1.1",
           "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "REMOTE_ADDR": "127.0.0.1"}
    for n, v in headers:
        if n.lower() == "content-length":
            env["CONTENT_LENGTH"] = v
        elif n.lower() == "content-type":
            env["CONTENT_TYPE"] = v
        else:
            env["HTTP_" + n.upper().replace("-", "_")] = v
    return env


def wsgi_environ(name) -> dict:
    """The request as a WSGI server (waitress) passes it: no RAW_URI, PATH_INFO decoded."""
    from urllib.parse import unquote

    env = cgi_environ(name)
    del env["REQUEST_URI"]
    path, _, query = REQUESTS[name][1].partition("?")
    env.update({"SCRIPT_NAME": "", "PATH_INFO": unquote(path, "latin-1"), "QUERY_STRING": query,
                "wsgi.input": io.BytesIO(REQUESTS[name][4]), "wsgi.url_scheme": "http", "wsgi.version": (1, 0)})
    return env


def call_wsgi(app, environ):
    got = {}

    def start_response(status, headers, exc_info=None):
        got["status"], got["headers"] = int(status.split()[0]), headers

    body = b"".join(app(environ, start_response))
    return got["status"], got["headers"], body


def call_asgi(app, scope, body: bytes, pieces: int = 2):
    """Run the ASGI app on scope, the body handed over in ``pieces`` http.request messages."""
    step = max(1, -(-len(body) // pieces))
    messages = [{"type": "http.request", "body": body[i:i + step], "more_body": i + step < len(body)}
                for i in range(0, len(body), step)] or [{"type": "http.request", "body": b"", "more_body": False}]
    sent = []

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    out = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], [(n.decode("latin-1"), v.decode("latin-1")) for n, v in start["headers"]], out


def asgi_scope(name) -> dict:
    """The request as uvicorn passes it: names lower-cased, order and every field kept."""
    from urllib.parse import unquote

    method, target, version, headers, _body = REQUESTS[name]
    path, _, query = target.partition("?")
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "%d.%d" % version, "method": method,
            "scheme": "http", "path": unquote(path), "raw_path": path.encode("latin-1"),
            "query_string": query.encode("latin-1"), "root_path": "",
            "headers": [(n.lower().encode("latin-1"), v.encode("latin-1")) for n, v in headers],
            "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 5000)}


def run_cgi(env: dict, body: bytes):
    """Run the shipped echo.cgi with env and body on stdin: (status, headers, body) of its CGI response."""
    # the environment as octets (latin-1), as a server passes obs-text in a field value
    env = dict(env, PATH=os.environ.get("PATH", "/usr/bin:/bin"))
    raw_env = {k.encode("latin-1"): v.encode("latin-1") for k, v in env.items()}
    r = subprocess.run([sys.executable, str(echo_pkg.cgi_script())], input=body, capture_output=True, timeout=30,
                       env=raw_env)
    assert r.returncode == 0, r.stderr
    head, sep, out = r.stdout.partition(b"\r\n\r\n")
    assert sep, r.stdout
    headers = [tuple(s.strip() for s in line.split(":", 1)) for line in head.decode("latin-1").split("\r\n")]
    status = int(dict(headers)["Status"].split()[0])
    return status, [h for h in headers if h[0] != "Status"], out


def _value(headers, name):
    return [v for n, v in headers if n.lower() == name.lower()]


def _fields(pairs, drop=()):
    return sorted((n.lower(), v) for n, v in pairs if n.lower() not in drop)


def assert_like_bundled(name, got, *, drop_headers=(), ordered=False):
    """got (status, headers, body) agrees with the bundled /echo on the keys the suite reads."""
    b_status, b_headers, b_body = bundled(name)
    status, headers, body = got
    assert status == b_status, (name, status, body[:200])
    if b_status == 204:
        assert _value(headers, "Allow") == _value(b_headers, "Allow")
        return
    if b_status != 200:
        return
    assert _value(headers, "Content-Type") == ["application/json"]
    want, data = json.loads(b_body), json.loads(body)
    for key in ("method", "target", "version", "body", "body_length", "trailers"):
        assert data[key] == want[key], (name, key, data[key], want[key])
    assert all(isinstance(p, list) and len(p) == 2 for p in data["headers"])
    drop = {d.lower() for d in drop_headers}
    if ordered:
        assert [[n, v] for n, v in data["headers"] if n.lower() not in drop] == \
            [[n, v] for n, v in want["headers"] if n.lower() not in drop], name
    else:  # header order and case are lost in HTTP_* variables
        assert _fields(data["headers"], drop) == _fields(want["headers"], drop), name
    assert set(echo_pkg.KEYS) <= set(data)


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_wsgi_echo_matches_the_bundled_echo(name):
    got = call_wsgi(echo_wsgi.app, wsgi_environ(name))
    assert_like_bundled(name, got, drop_headers=("content-length",))
    if got[0] == 200:
        assert json.loads(got[2])["via"] == "wsgi"


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_asgi_echo_matches_the_bundled_echo(name):
    method, _target, _version, _headers, body = REQUESTS[name]
    got = call_asgi(echo_asgi.app, asgi_scope(name), body)
    assert_like_bundled(name, got, ordered=True)  # ASGI keeps order and every field (the names title-cased)
    if got[0] == 200:
        assert json.loads(got[2])["via"] == "asgi"


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_cgi_echo_matches_the_bundled_echo(name):
    got = run_cgi(cgi_environ(name), REQUESTS[name][4])
    assert_like_bundled(name, got, drop_headers=("content-length",))
    if got[0] == 200:
        assert json.loads(got[2])["via"] == "cgi"


def test_wsgi_target_is_the_raw_uri_when_the_server_gives_it():
    env = wsgi_environ("post-latin1-body")
    env["RAW_URI"] = "/echo?a=1&b=%20x"  # gunicorn
    env["PATH_INFO"] = "/echo"
    data = json.loads(call_wsgi(echo_wsgi.app, env)[2])
    assert data["target"] == "/echo?a=1&b=%20x"


def test_wsgi_and_cgi_refuse_a_short_body():
    env = wsgi_environ("post-latin1-body")
    env["CONTENT_LENGTH"] = "100"
    assert call_wsgi(echo_wsgi.app, env)[0] == 400
    assert run_cgi(dict(cgi_environ("post-latin1-body"), CONTENT_LENGTH="100"), REQUESTS["post-latin1-body"][4])[0] == 400


def test_cgi_without_content_length_reads_to_eof():
    env = cgi_environ("post-latin1-body")
    del env["CONTENT_LENGTH"]
    env["HTTP_TRANSFER_ENCODING"] = "chunked"  # the server de-chunked it and passes no CONTENT_LENGTH (Apache)
    status, _h, out = run_cgi(env, b"chunky")
    data = json.loads(out)
    assert status == 200 and data["body"] == "chunky" and data["body_length"] == 6
    assert ["Transfer-Encoding", "chunked"] in data["headers"]


def test_middleware_leaves_other_paths_to_the_app():
    def inner(environ, start_response):
        start_response("418 I'm a teapot", [("Content-Length", "0")])
        return [b""]

    env = wsgi_environ("get-http10")
    env["PATH_INFO"] = "/other"
    assert call_wsgi(echo_wsgi.with_echo(inner), env)[0] == 418
    assert call_wsgi(echo_wsgi.with_echo(inner), wsgi_environ("get-http10"))[0] == 200
    scope = dict(asgi_scope("get-http10"), path="/other")
    assert call_asgi(echo_asgi.app, scope, b"")[0] == 404


def test_asgi_lifespan_is_acknowledged():
    events = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent = []

    async def receive():
        return events.pop(0)

    async def send(message):
        sent.append(message["type"])

    asyncio.run(echo_asgi.app({"type": "lifespan", "asgi": {"version": "3.0"}}, receive, send))
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


# -- the page at / of both apps: a static resource with validators, conditional requests, methods --------------
APPS = {"wsgi": echo_wsgi, "asgi": echo_asgi}
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def imf(stamp: int) -> str:
    from email.utils import formatdate

    return formatdate(stamp, usegmt=True)


def rfc850(stamp: int) -> str:
    t = time.gmtime(stamp)
    return "%s, %02d-%s-%02d %02d:%02d:%02d GMT" % (_DAYS[t.tm_wday], t.tm_mday, _MONTHS[t.tm_mon - 1],
                                                  t.tm_year % 100, t.tm_hour, t.tm_min, t.tm_sec)


def asctime(stamp: int) -> str:
    t = time.gmtime(stamp)
    return "%s %s %2d %02d:%02d:%02d %d" % (_DAYS[t.tm_wday][:3], _MONTHS[t.tm_mon - 1], t.tm_mday, t.tm_hour,
                                            t.tm_min, t.tm_sec, t.tm_year)


def call_page(kind: str, method: str = "GET", path: str = "/", headers=(), body: bytes = b""):
    """(status, headers, body) of the app's answer, called in-process as a WSGI (waitress) or ASGI (uvicorn)
    server would call it; a field given twice is joined with ", " in the WSGI environ."""
    if kind == "wsgi":
        env = {"REQUEST_METHOD": method, "SCRIPT_NAME": "", "PATH_INFO": path, "QUERY_STRING": "",
               "SERVER_PROTOCOL": "HTTP/1.1", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80",
               "HTTP_HOST": "h", "wsgi.input": io.BytesIO(body), "wsgi.url_scheme": "http", "wsgi.version": (1, 0)}
        if body:
            env["CONTENT_LENGTH"] = str(len(body))
        for n, v in headers:
            key = "CONTENT_TYPE" if n.lower() == "content-type" else "HTTP_" + n.upper().replace("-", "_")
            env[key] = env[key] + ", " + v if key in env else v
        return call_wsgi(echo_wsgi.app, env)
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"h")] + [(n.lower().encode("latin-1"), v.encode("latin-1")) for n, v in headers]
             + ([(b"content-length", str(len(body)).encode())] if body else []),
             "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 5000)}
    return call_asgi(echo_asgi.app, scope, body)


def _one(headers, name):
    values = _value(headers, name)
    assert len(values) <= 1, (name, values)
    return values[0] if values else None


@pytest.mark.parametrize("kind", sorted(APPS))
@pytest.mark.parametrize("path", ["/", "/index.html"])
def test_page_get_and_head_carry_the_validators(kind, path):
    mod = APPS[kind]
    status, headers, body = call_page(kind, "GET", path)
    assert status == 200 and body == mod.PAGE
    etag = _one(headers, "ETag")
    assert re.fullmatch(r'"[\x21\x23-\x7e]+"', etag), etag  # strong: no W/
    assert etag == '"%s"' % hashlib.sha256(mod.PAGE).hexdigest()[:32]
    modified = _one(headers, "Last-Modified")
    assert modified == imf(mod.PAGE_MTIME) and mod.PAGE_MTIME <= time.time()
    assert re.fullmatch(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} GMT", modified)
    assert _one(headers, "Content-Type").startswith("text/html")
    assert _one(headers, "Content-Length") == str(len(mod.PAGE))
    assert _one(headers, "Accept-Ranges") is None
    h_status, h_headers, h_body = call_page(kind, "HEAD", path)
    assert h_status == 200 and h_body == b""
    assert _fields(h_headers) == _fields(headers)


def test_both_apps_serve_the_same_page_with_the_same_etag():
    assert echo_wsgi.PAGE == echo_asgi.PAGE and echo_wsgi.PAGE_ETAG == echo_asgi.PAGE_ETAG
    assert echo_wsgi.KNOWN_METHODS == echo_asgi.KNOWN_METHODS


# (method, fields, status): "{etag}" is the page's ETag, "{lm}" its Last-Modified ("{lm-1d}", "{lm+1d}": a day
# before, after; "{rfc850}", "{asctime}": the same date in the obsolete formats)
CONDITIONAL = {
    # If-Match (RFC 9110 section 13.1.1): strong comparison, "*", lists
    "if-match-current": ("GET", [("If-Match", "{etag}")], 200),
    "if-match-star": ("GET", [("If-Match", "*")], 200),
    "if-match-in-list": ("GET", [("If-Match", '"other", {etag}')], 200),
    "if-match-two-lines": ("GET", [("If-Match", '"other"'), ("If-Match", "{etag}")], 200),
    "if-match-weak-fails": ("GET", [("If-Match", "W/{etag}")], 412),
    "if-match-other-412": ("GET", [("If-Match", '"h1-a", "h1conform-no-such-tag"')], 412),
    "if-match-not-a-tag-412": ("GET", [("If-Match", "garbage")], 412),
    "if-match-head-412": ("HEAD", [("If-Match", '"other"')], 412),
    # If-Unmodified-Since (13.1.4): valid dates only, ignored with If-Match
    "ius-equal": ("GET", [("If-Unmodified-Since", "{lm}")], 200),
    "ius-later": ("GET", [("If-Unmodified-Since", "{lm+1d}")], 200),
    "ius-earlier-412": ("GET", [("If-Unmodified-Since", "{lm-1d}")], 412),
    "ius-earlier-rfc850-412": ("GET", [("If-Unmodified-Since", "{rfc850-1d}")], 412),
    "ius-invalid-ignored": ("GET", [("If-Unmodified-Since", "not-a-date")], 200),
    "ius-list-ignored": ("GET", [("If-Unmodified-Since", "{lm-1d}"), ("If-Unmodified-Since", "{lm-1d}")], 200),
    "ius-ignored-with-if-match": ("GET", [("If-Match", "{etag}"), ("If-Unmodified-Since", "{lm-1d}")], 200),
    # If-None-Match (13.1.2): weak comparison, "*", lists; 304 to GET and HEAD
    "inm-current-304": ("GET", [("If-None-Match", "{etag}")], 304),
    "inm-weak-matches-304": ("GET", [("If-None-Match", "W/{etag}")], 304),
    "inm-in-list-304": ("GET", [("If-None-Match", '"h1conform-no-such-tag", {etag}')], 304),
    "inm-star-304": ("GET", [("If-None-Match", "*")], 304),
    "inm-head-304": ("HEAD", [("If-None-Match", "{etag}")], 304),
    "inm-other-200": ("GET", [("If-None-Match", '"other", W/"another"')], 200),
    "inm-not-a-tag-200": ("GET", [("If-None-Match", "garbage")], 200),
    # If-Modified-Since (13.1.3): GET/HEAD, valid dates (three formats), ignored with If-None-Match
    "ims-equal-304": ("GET", [("If-Modified-Since", "{lm}")], 304),
    "ims-rfc850-304": ("GET", [("If-Modified-Since", "{rfc850}")], 304),
    "ims-asctime-304": ("GET", [("If-Modified-Since", "{asctime}")], 304),
    "ims-later-304": ("GET", [("If-Modified-Since", "{lm+1d}")], 304),
    "ims-head-304": ("HEAD", [("If-Modified-Since", "{lm}")], 304),
    "ims-earlier-200": ("GET", [("If-Modified-Since", "{lm-1d}")], 200),
    "ims-rfc850-1994-200": ("GET", [("If-Modified-Since", "Sunday, 06-Nov-94 08:49:37 GMT")], 200),
    "ims-invalid-ignored": ("GET", [("If-Modified-Since", "not-a-date")], 200),
    "ims-lower-case-ignored": ("GET", [("If-Modified-Since", "{lm-lower-case}")], 200),  # HTTP-date is case-sensitive
    "ims-list-ignored": ("GET", [("If-Modified-Since", "{lm+1d}"), ("If-Modified-Since", "{lm+1d}")], 200),
    "ims-ignored-with-inm": ("GET", [("If-None-Match", '"h1conform-no-such-tag"'), ("If-Modified-Since", "{lm+1d}")],
                             200),
    # precedence (13.2.2)
    "order-if-match-before-inm": ("GET", [("If-Match", '"other"'), ("If-None-Match", "{etag}")], 412),
    "order-ius-before-inm": ("GET", [("If-Unmodified-Since", "{lm-1d}"), ("If-None-Match", "{etag}")], 412),
    "order-inm-before-ims": ("GET", [("If-None-Match", "{etag}"), ("If-Modified-Since", "Thu, 01 Jan 1970 "
                                                                                       "00:00:00 GMT")], 304),
    "order-if-match-then-inm": ("GET", [("If-Match", "{etag}"), ("If-None-Match", "{etag}")], 304),
    # no ranges: If-Range alone, or with Range, changes nothing
    "if-range-alone": ("GET", [("If-Range", '"h1conform-no-such-tag"')], 200),
    "range-ignored": ("GET", [("Range", "bytes=0-0")], 200),
    "range-if-range-ignored": ("GET", [("Range", "bytes=0-0"), ("If-Range", "{etag}")], 200),
    # 13.2.1: preconditions are not evaluated for OPTIONS, a 405, a 404 or a 501
    "options-ignores-if-match": ("OPTIONS", [("If-Match", '"other"')], 204),
    "post-405-ignores-inm": ("POST", [("If-None-Match", "*")], 405),
    "delete-405-ignores-if-match": ("DELETE", [("If-Match", '"other"')], 405),
    "unknown-501-ignores-inm": ("BREW", [("If-None-Match", "*")], 501),
}


def _fill(kind, value: str) -> str:
    mod = APPS[kind]
    day = 86400
    for key, text in (("{etag}", mod.PAGE_ETAG), ("{lm-lower-case}", imf(mod.PAGE_MTIME).lower()),
                      ("{lm}", imf(mod.PAGE_MTIME)), ("{lm-1d}", imf(mod.PAGE_MTIME - day)),
                      ("{lm+1d}", imf(mod.PAGE_MTIME + day)), ("{rfc850}", rfc850(mod.PAGE_MTIME)),
                      ("{rfc850-1d}", rfc850(mod.PAGE_MTIME - day)), ("{asctime}", asctime(mod.PAGE_MTIME))):
        value = value.replace(key, text)
    return value


@pytest.mark.parametrize("kind", sorted(APPS))
@pytest.mark.parametrize("name", sorted(CONDITIONAL))
def test_page_conditional_requests(kind, name):
    method, fields, want = CONDITIONAL[name]
    mod = APPS[kind]
    status, headers, body = call_page(kind, method, "/", [(n, _fill(kind, v)) for n, v in fields])
    assert status == want, (name, status, headers, body[:100])
    if want == 200:
        assert body == (b"" if method == "HEAD" else mod.PAGE) and _one(headers, "ETag") == mod.PAGE_ETAG
        assert _one(headers, "Accept-Ranges") is None and _one(headers, "Content-Range") is None
    elif want == 304:  # the validators, no content and no representation metadata
        assert body == b""
        assert _one(headers, "ETag") == mod.PAGE_ETAG and _one(headers, "Last-Modified") == mod.PAGE_LAST_MODIFIED
        assert _one(headers, "Content-Type") is None and _one(headers, "Content-Length") is None
    elif want == 412:
        assert body == (b"" if method == "HEAD" else b"precondition failed\n")


@pytest.mark.parametrize("kind", sorted(APPS))
@pytest.mark.parametrize("path", ["/", "/index.html"])
def test_page_options_is_204_with_allow(kind, path):
    status, headers, body = call_page(kind, "OPTIONS", path)
    assert status == 204 and body == b""
    assert _one(headers, "Allow") == "GET, HEAD, OPTIONS" and _one(headers, "Content-Length") is None


@pytest.mark.parametrize("kind", sorted(APPS))
@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "TRACE", "CONNECT"])
def test_page_known_methods_not_allowed_are_405(kind, method):
    status, headers, body = call_page(kind, method, "/", [("X-H1conform-Trace", "marker-31")],
                                      b"abc" if method in ("POST", "PUT", "PATCH") else b"")
    assert status == 405 and _one(headers, "Allow") == "GET, HEAD, OPTIONS"
    assert body and b"marker-31" not in body  # not a TRACE reflection
    assert _one(headers, "ETag") is None


@pytest.mark.parametrize("kind", sorted(APPS))
@pytest.mark.parametrize("method", ["BREW", "FROBNICATE", "get", "Head", "X" * 300])
@pytest.mark.parametrize("path", ["/", "/h1conform-no-such-resource"])
def test_page_unknown_methods_are_501(kind, method, path):
    status, headers, body = call_page(kind, method, path, body=b"abc")
    assert status == 501 and body == b"method not implemented\n"
    assert _one(headers, "Content-Length") == str(len(body))


@pytest.mark.parametrize("kind", sorted(APPS))
def test_page_missing_resource_is_404_without_content_to_head(kind):
    status, headers, body = call_page(kind, "GET", "/h1conform-no-such-resource")
    assert status == 404 and body == b"not found\n"
    h_status, h_headers, h_body = call_page(kind, "HEAD", "/h1conform-no-such-resource")
    assert h_status == 404 and h_body == b"" and _fields(h_headers) == _fields(headers)
    # 13.2.1: preconditions are ignored where the answer would be a 404
    for fields in ([("If-None-Match", "*")], [("If-Match", '"other"')]):
        assert call_page(kind, "GET", "/h1conform-no-such-resource", fields)[0] == 404


@pytest.mark.parametrize("kind", sorted(APPS))
def test_echo_error_to_head_has_no_content(kind):
    fields = [("Content-Type", "application/x-h1conform-unsupported")]
    status, headers, body = call_page(kind, "HEAD", "/echo", fields)
    assert status == 415 and body == b"" and int(_one(headers, "Content-Length")) > 0
    assert call_page(kind, "POST", "/echo", fields, b"<x>")[2].startswith(b"the echo endpoint does not take")
    # the echo's own methods are as before: OPTIONS lists them all, TRACE reflects
    assert _one(call_page(kind, "OPTIONS", "/echo")[1], "Allow") == echo_wsgi.ECHO_ALLOW
    status, _h, body = call_page(kind, "TRACE", "/echo", [("X-H1conform-Trace", "marker-31")])
    assert status == 200 and json.loads(body)["method"] == "TRACE" and b"marker-31" in body


@pytest.mark.parametrize("value, stamp", [
    ("Sun, 06 Nov 1994 08:49:37 GMT", 784111777), ("Sunday, 06-Nov-94 08:49:37 GMT", 784111777),
    ("Sun Nov  6 08:49:37 1994", 784111777), ("Sun Nov 06 08:49:37 1994", 784111777),
    ("  Sun, 06 Nov 1994 08:49:37 GMT ", 784111777),
    ("Sun, 06 Nov 1994 08:49:37 GMT, Sun, 06 Nov 1994 08:49:37 GMT", None), ("not-a-date", None), ("", None),
    ("Sun, 06 Nov 1994 08:49:37 UTC", None), ("sun, 06 nov 1994 08:49:37 GMT", None),
    ("Sun, 31 Nov 1994 08:49:37 GMT", None), ("Sun, 06 Nov 1994 24:00:00 GMT", None),
    ("Sun, 6 Nov 1994 08:49:37 GMT", None), ("1994-11-06T08:49:37Z", None),
])
def test_http_date_accepts_the_three_formats_only(value, stamp):
    assert echo_wsgi.http_date(value) == stamp and echo_asgi.http_date(value) == stamp


@pytest.mark.parametrize("value, tags", [
    ("*", "*"), (' "a" ', [(False, '"a"')]), ('"a", W/"b"', [(False, '"a"'), (True, '"b"')]),
    (', "a" ,, "b",', [(False, '"a"'), (False, '"b"')]), ('"a,b"', [(False, '"a,b"')]), ("", []),
    ("garbage", None), ('"a" "b"', None), ('w/"a"', None), ('"a', None), ('*, "a"', None),
])
def test_entity_tag_lists(value, tags):
    assert echo_wsgi.entity_tags(value) == tags and echo_asgi.entity_tags(value) == tags


def test_cgi_script_is_shipped_executable_with_a_python3_shebang():
    script = echo_pkg.cgi_script()
    assert script.read_bytes().startswith(b"#!/usr/bin/env python3\n")
    assert os.access(script, os.X_OK)
    with open(os.path.join(ROOT, "pyproject.toml")) as f:
        conf = f.read()
    assert '"h1conform_fixtures.echo"' in conf and '"echo/*.cgi"' in conf


# -- real servers running the CGI echo -------------------------------------------------------------------------
def _exchange(port: int, request: bytes, deadline_s: float = 10.0) -> bytes:
    """Send request (with Connection: close) and read until the server closes, within the deadline."""
    end = time.monotonic() + deadline_s
    with socket.create_connection(("127.0.0.1", port), timeout=deadline_s) as s:
        s.sendall(request)
        data = b""
        while time.monotonic() < end:
            s.settimeout(max(0.1, end - time.monotonic()))
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    return data


def _dechunk(body: bytes) -> bytes:
    out = b""
    while True:
        size_line, _, rest = body.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            return out
        out, body = out + rest[:size], rest[size + 2:]


@pytest.mark.parametrize("server", ["apache2", "lighttpd", "nginx", "h2o", "caddy"])
def test_real_server_runs_the_echo(server):
    from h1conform.errors import ServerUnavailable
    from h1conform.servers import running, unavailable

    why = unavailable(server, echo=True)
    if why:
        pytest.skip(why)
    body = b"echo me \xe9 " + b"x" * 100
    try:
        with running(server, echo=True) as srv:
            raw = _exchange(srv.port, b"POST /echo?q=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Probe: one\r\n"
                                      b"Content-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                                      % len(body) + body)
    except ServerUnavailable as e:
        pytest.fail(f"{server} with its echo did not start: {e}")
    head, _, payload = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), raw[:300]
    if b"transfer-encoding: chunked" in head.lower():
        payload = _dechunk(payload)
    data = json.loads(payload)
    # caddy: the bundled server's echo behind caddy's reverse proxy, which names the fields as sent on
    assert data.get("via") == ("cgi" if server != "caddy" else None), data
    assert data["method"] == "POST" and data["target"] == "/echo?q=1"
    assert data["version"] == "HTTP/1.1"
    assert data["body"] == body.decode("latin-1") and data["body_length"] == len(body)
    assert ["X-Probe", "one"] in data["headers"] or ["x-probe", "one"] in data["headers"]

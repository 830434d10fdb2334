"""The shipped echo endpoints (h1conform_fixtures.echo: WSGI, ASGI, CGI) answer as the bundled server's /echo does,
for the keys the suite reads, given the request as each interface hands it over; and Debian's apache2 and lighttpd
(nginx and h2o through fcgiwrap) run the CGI echo with scripts/real_server.py --with-echo."""

from __future__ import annotations

import asyncio
import io
import json
import os
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

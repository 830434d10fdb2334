"""The reference request parser (conformance/reference_request.py), the mutators and the `h1conform fuzz` CLI."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest
from h1conform.reference_request import parse_stream
from h1conform_fuzz import mutate
from h1conform_fuzz.differential import FUZZ_LIMITS, check

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
H = b"Host: a\r\n"


@pytest.mark.parametrize("data,rule", [
    (b"GET / HTTP/1.1\r\n" + H + b"\r\n", None),
    (b"\r\n\r\nGET / HTTP/1.1\r\n" + H + b"\r\n", None),  # leading empty lines ignored (RFC 9112 §2.2)
    (b"GET / HTTP/1.2\r\n" + H + b"\r\n", None),  # processed as 1.1
    (b"OPTIONS * HTTP/1.1\r\nHost:\r\n\r\n", None),
    (b"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n", None),
    (b"GET http://u@a/ HTTP/1.1\r\n" + H + b"\r\n", "target"),
    (b"GET ftp://a/ HTTP/1.1\r\n" + H + b"\r\n", "target"),
    (b"GET * HTTP/1.1\r\n" + H + b"\r\n", "target"),
    (b"GET /%zz HTTP/1.1\r\n" + H + b"\r\n", "target"),
    (b"GET / HTTP/1.1\n" + H + b"\r\n", "bare-lf"),
    (b"GET / HTTP/1.1\r\nX: a\rb\r\n" + H + b"\r\n", "bare-cr"),
    (b"GET / http/1.1\r\n" + H + b"\r\n", "request-line"),
    (b"GET  / HTTP/1.1\r\n" + H + b"\r\n", "request-line"),
    (b"GET / HTTP/2.0\r\n" + H + b"\r\n", "version"),
    (b"GET / HTTP/1.1\r\n X: a\r\n" + H + b"\r\n", "ws-before-field"),
    (b"GET / HTTP/1.1\r\n" + H + b"X: a\r\n b\r\n\r\n", "obs-fold"),
    (b"GET / HTTP/1.1\r\n" + H + b"X : a\r\n\r\n", "field-line"),
    (b"GET / HTTP/1.1\r\n" + H + b"X: \x01\r\n\r\n", "field-line"),
    (b"GET / HTTP/1.1\r\n\r\n", "host"),
    (b"GET / HTTP/1.1\r\n" + H + H + b"\r\n", "host"),
    (b"GET / HTTP/1.1\r\nHost: [::1%25x]\r\n\r\n", "host"),
    (b"GET / HTTP/1.1\r\nHost: :80\r\n\r\n", "host"),
    (b"GET / HTTP/1.1\r\nHost: a:65536\r\n\r\n", "host"),
    (b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 1, 1\r\n\r\nx", "content-length"),
    (b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 1\r\nContent-Length: 1\r\n\r\nx", "content-length"),
    (b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "cl-te"),
    (b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "te-http10"),
    (b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: gzip\r\n\r\n", "te"),
    (b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n\r\n1 \r\nx\r\n0\r\n\r\n", "chunk-line"),
    (b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n\r\n1;\"q\"\r\nx\r\n0\r\n\r\n", "chunk-line"),
    (b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n\r\n1\r\nxy\r\n0\r\n\r\n", "chunk-crlf"),
    (b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 5\r\n\r\nabc", "incomplete"),
])
def test_reference_rules(data, rule):
    out = parse_stream(data)
    assert (out.rejection.rule if out.rejection else None) == rule, out.rejection


def test_reference_values_and_pipelining():
    data = (b"POST /p?q HTTP/1.1\r\nHost: a\r\nX:  v v \r\nTransfer-Encoding: chunked\r\n\r\n"
            b"3;e=\"x\"\r\nabc\r\n0\r\nT: 1\r\n\r\nGET / HTTP/1.0\r\n\r\n")
    out = parse_stream(data)
    assert out.accepted and len(out.requests) == 2
    first = out.requests[0]
    assert (first.method, first.target, first.version, first.body) == (b"POST", b"/p?q", (1, 1), b"abc")
    assert first.headers[1] == (b"X", b"v v") and first.trailers == [(b"T", b"1")]
    assert out.requests[1].version == (1, 0) and out.requests[1].closes


def test_reference_limits_match_the_bundled_parser():
    long_line = b"GET /" + b"a" * 200 + b" HTTP/1.1\r\n" + H + b"\r\n"
    assert parse_stream(long_line, limits=FUZZ_LIMITS).rejection.rule == "limit-request-line"
    assert check(long_line) is None  # the bundled parser rejects it too
    many = b"GET / HTTP/1.1\r\n" + H + b"".join(b"X%d: y\r\n" % i for i in range(20)) + b"\r\n"
    assert parse_stream(many, limits=FUZZ_LIMITS).rejection.rule == "limit-header-fields"
    assert check(many) is None


def test_mutate_is_deterministic():
    seeds = mutate.seed_requests("h", "/echo")
    assert mutate.generate(42, seeds) == mutate.generate(42, seeds)
    assert all(parse_stream(s).accepted for s in seeds)


def _cli(*args, timeout=60):
    return subprocess.run([sys.executable, "-m", "h1conform.cli", "fuzz", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def test_cli_unreachable_target_is_one_line_exit_2():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = _cli("--target", f"127.0.0.1:{port}", "--time", "1")
    assert proc.returncode == 2
    assert proc.stderr.startswith("h1conform: error:") and proc.stderr.count("\n") == 1
    assert _cli("--time", "0").returncode == 2
    assert _cli("--target", "nonsense").returncode == 2


def test_cli_max_execs_and_replay(tmp_path):
    proc = _cli("--max-execs", "50", "--seed", "3", "--findings", str(tmp_path))
    assert proc.returncode in (0, 1) and "50 execs in" in proc.stdout, proc.stdout + proc.stderr
    finding = tmp_path / "x.json"
    data = b"GET /echo HTTP/1.1\r\nHost: a\r\n\r\n"
    import base64

    finding.write_text(json.dumps({"kind": "test", "detail": "", "cuts": [5], "data_base64":
                                   base64.b64encode(data).decode()}))
    proc = _cli("--replay", str(finding))
    assert proc.returncode == 0 and "no finding now" in proc.stdout, proc.stdout + proc.stderr


def test_cli_without_the_fuzz_package_says_so_in_one_line():
    # sys.modules[name] = None makes every import of it fail, as a broken install would
    code = ("import sys; sys.modules['h1conform_fuzz'] = None; from h1conform.cli import main; "
            "sys.exit(main(sys.argv[1:]))")
    run = lambda *a: subprocess.run([sys.executable, "-c", code, *a], cwd=ROOT, capture_output=True, text=True,  # noqa: E731
                                    timeout=60)
    proc = run("fuzz", "--time", "1")
    assert proc.returncode == 2, proc
    assert proc.stderr.startswith("h1conform: error: `h1conform fuzz` needs the h1conform_fuzz package")
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert run("list").returncode == 0  # every other command still works


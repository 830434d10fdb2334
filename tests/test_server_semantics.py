"""Unit tests of the bundled app's RFC 9110 behaviour: byte ranges, preconditions, TRACE on /echo."""

from __future__ import annotations

import json

import pytest
from h1conform_server.app_rules import AppRules
from h1conform_server.conditional import Validators, evaluate
from h1conform_server.ranges import parse_ranges
from h1conform_server.routes import App, Request

V = Validators('"abc"', 1_000_000, "Mon, 12 Jan 1970 13:46:40 GMT")


@pytest.mark.parametrize("value,expected", [
    ("bytes=0-4", [(0, 4)]), ("bytes=-3", [(10, 12)]), ("bytes=5-", [(5, 12)]), ("BYTES=0-99", [(0, 12)]),
    ("bytes=0-0, 2-3", [(0, 0), (2, 3)]), ("bytes=50-", []), ("bytes=-0", []), ("items=0-1", None),
    ("bytes=4-2", None), ("bytes=x", None), ("bytes=" + ",".join(["0-0"] * 17), None),
    ("bytes=0-18446744073709551616", [(0, 12)]),
])
def test_parse_ranges(value, expected):
    assert parse_ranges(value, 13) == expected


def _req(*headers, method="GET"):
    return Request(method, "/hello.txt", (1, 1), [("Host", "t")] + list(headers))


@pytest.mark.parametrize("headers,status", [
    ((("If-Match", '"abc"'),), None), ((("If-Match", 'W/"abc"'),), 412), ((("If-Match", "*"),), None),
    ((("If-None-Match", 'W/"abc"'),), 304), ((("If-None-Match", '"x"'), ("If-Modified-Since", V.last_modified)), None),
    ((("If-Modified-Since", V.last_modified),), 304), ((("If-Modified-Since", "garbage"),), None),
    ((("If-Unmodified-Since", "Sun, 11 Jan 1970 00:00:00 GMT"),), 412), ((("If-Unmodified-Since", "x"),), None),
    ((("If-Match", '"x"'), ("If-None-Match", '"abc"')), 412),
])
def test_precondition_order(headers, status):
    assert evaluate(_req(*headers), V, AppRules()) == status


def test_range_responses_from_the_app():
    app = App()
    part = app.handle(_req(("Range", "bytes=0-4")))
    assert part.status == 206 and part.body == b"hello" and ("Content-Range", "bytes 0-4/13") in part.headers
    multi = app.handle(_req(("Range", "bytes=0-0,-1")))
    assert multi.status == 206 and dict(multi.headers)["Content-Type"].startswith("multipart/byteranges; boundary=")
    assert b"Content-Range: bytes 0-0/13" in multi.body and b"Content-Range: bytes 12-12/13" in multi.body
    none = app.handle(_req(("Range", "bytes=99-")))
    assert none.status == 416 and ("Content-Range", "bytes */13") in none.headers
    assert app.handle(_req(("Range", "bytes=0-4"), ("If-Range", '"other"'))).status == 200
    assert app.handle(_req(("Range", "bytes=0-4"), method="HEAD")).status == 200


def test_trace_on_echo_omits_credentials():
    app = App()
    resp = app.handle(Request("TRACE", "/echo", (1, 1), [("Host", "t"), ("Cookie", "s=1"), ("Authorization", "x")]))
    assert json.loads(resp.body)["headers"] == [["Host", "t"]]


def test_unknown_expectation_is_417():
    assert App().handle(_req(("Expect", "something"))).status == 417

"""The bundled app's small resources: /redirect/<code>, directories without their slash, /private,
415 on /echo, gzip negotiation with Vary, and the writable collection /uploads/."""

from __future__ import annotations

import gzip
import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from h1conform_server import Server
from h1conform_server.quirks import rules_for
from h1conform_server.resources import CREDENTIALS, MAX_UPLOAD_SIZE, MAX_UPLOADS, names
from h1conform_server.routes import UNSUPPORTED_MEDIA_TYPE, App, Request
from h1conform_server.testing import exchange, parse_all

DOCROOT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures", "docroot")


def call(app, method, target, *headers, body=b""):
    return app.handle(Request(method, target, (1, 1), [("Host", "t")] + list(headers), body))


def field(resp, name):
    values = [v for n, v in resp.headers if n.lower() == name.lower()]
    assert len(values) <= 1, values
    return values[0] if values else None


@pytest.fixture
def app():
    return App(DOCROOT)


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_redirects_carry_location_and_a_note(app, code):
    r = call(app, "GET", "/redirect/%d" % code)
    assert r.status == code and field(r, "Location") == "/" and b'href="/"' in r.body
    assert call(app, "HEAD", "/redirect/%d" % code).status == code


@pytest.mark.parametrize("target,status", [("/redirect/300", 404), ("/redirect/x", 404), ("/redirect/", 404)])
def test_unknown_redirects_are_missing(app, target, status):
    assert call(app, "GET", target).status == status


def test_directory_redirect_switch_drops_location():
    r = call(App(DOCROOT, rules=rules_for({"redirect_without_location"}).app), "GET", "/dir")
    assert r.status == 301 and field(r, "Location") is None


def test_private_needs_the_fixed_credentials(app):
    r = call(app, "GET", "/private")
    assert r.status == 401 and field(r, "WWW-Authenticate") == 'Basic realm="h1conform"' and r.body
    assert call(app, "GET", "/private", ("Authorization", "Basic d3Jvbmc6d3Jvbmc=")).status == 401
    ok = call(app, "GET", "/private", ("Authorization", CREDENTIALS))
    assert ok.status == 200 and ok.body
    assert call(app, "GET", "/private", ("Authorization", "basic " + CREDENTIALS.split()[1])).status == 200
    broken = call(App(DOCROOT, rules=rules_for({"unauthorized_without_challenge"}).app), "GET", "/private")
    assert broken.status == 401 and field(broken, "WWW-Authenticate") is None


@pytest.mark.parametrize("ctype", [UNSUPPORTED_MEDIA_TYPE, UNSUPPORTED_MEDIA_TYPE.upper() + "; x=1"])
def test_echo_refuses_the_unsupported_media_type(app, ctype):
    r = call(app, "POST", "/echo", ("Content-Type", ctype), body=b"x")
    assert r.status == 415 and field(r, "Accept-Encoding") is None
    assert call(app, "POST", "/echo", ("Content-Type", "text/plain"), body=b"x").status == 200
    broken = call(App(DOCROOT, rules=rules_for({"unsupported_media_type_accept_encoding"}).app), "POST", "/echo",
                  ("Content-Type", ctype), body=b"x")
    assert broken.status == 415 and field(broken, "Accept-Encoding")


@pytest.mark.parametrize("accept,coded", [
    ("gzip", True), ("x-gzip", True), ("deflate, gzip;q=0.5", True), ("*", True), ("gzip;q=0", False),
    ("gzip; q=0.000", False), ("*;q=0", False), ("identity", False), ("x-h1conform-unknown", False), ("", False),
    ("*, gzip;q=0", False),
])
def test_gzip_is_negotiated_with_vary(app, accept, coded):
    plain = call(app, "GET", "/")
    r = call(app, "GET", "/", ("Accept-Encoding", accept))
    assert r.status == 200 and field(r, "Vary") == "Accept-Encoding" and field(plain, "Vary") == "Accept-Encoding"
    if coded:
        assert field(r, "Content-Encoding") == "gzip" and gzip.decompress(r.body) == plain.body
        assert field(r, "ETag") == field(plain, "ETag")[:-1] + '-gzip"'
        assert call(app, "GET", "/", ("Accept-Encoding", accept)).body == r.body  # same octets every time
    else:
        assert field(r, "Content-Encoding") is None and r.body == plain.body and field(r, "ETag") == field(plain, "ETag")


def test_negotiated_validators_304_and_ranges(app):
    coded = call(app, "GET", "/", ("Accept-Encoding", "gzip"))
    r = call(app, "GET", "/", ("Accept-Encoding", "gzip"), ("If-None-Match", field(coded, "ETag")))
    assert r.status == 304 and field(r, "ETag") == field(coded, "ETag") and field(r, "Vary") == "Accept-Encoding"
    part = call(app, "GET", "/", ("Accept-Encoding", "gzip"), ("Range", "bytes=0-3"))
    assert part.status == 206 and part.body == b"<!DO" and field(part, "Content-Encoding") is None
    assert field(part, "Vary") == "Accept-Encoding"
    assert field(call(app, "GET", "/sized/64k.txt"), "Vary") == "Accept-Encoding"
    assert field(App(DOCROOT, rules=rules_for({"no_vary"}).app).handle(Request("GET", "/", (1, 1), [])), "Vary") is None


def test_uploads_lifecycle(app):
    r = call(app, "POST", "/uploads/", ("Content-Type", "text/plain"), body=b"one")
    assert r.status == 201 and field(r, "Location") == "/uploads/1"
    got = call(app, "GET", "/uploads/1")
    assert got.status == 200 and got.body == b"one" and field(got, "Content-Type") == "text/plain"
    put = call(app, "PUT", "/uploads/note", body=b"a\r\nb")
    assert put.status == 201 and field(put, "Location") == "/uploads/note"
    got = call(app, "GET", "/uploads/note")
    assert got.body == b"a\r\nb" and field(got, "ETag") == field(put, "ETag")
    assert field(got, "Content-Type") == "application/octet-stream"
    replaced = call(app, "PUT", "/uploads/note", body=b"new")
    assert replaced.status == 204 and field(replaced, "ETag") == field(call(app, "GET", "/uploads/note"), "ETag")
    assert call(app, "GET", "/uploads/").body == b"/uploads/1\n/uploads/note\n"
    assert call(app, "GET", "/uploads/note", ("If-None-Match", field(replaced, "ETag"))).status == 304
    assert call(app, "DELETE", "/uploads/note").status == 204
    assert call(app, "GET", "/uploads/note").status == 404
    assert call(app, "DELETE", "/uploads/note").status == 404
    assert call(app, "GET", "/uploads").status == 301
    assert names(app.uploads) == ["1"]


def test_uploads_refusals(app):
    assert call(app, "PUT", "/uploads/x", ("Content-Range", "bytes 0-1/4"), body=b"ab").status == 400
    assert call(app, "PUT", "/uploads/x", body=b"x" * (MAX_UPLOAD_SIZE + 1)).status == 413
    assert call(app, "PUT", "/uploads/x", ("If-Match", "*"), body=b"x").status == 412
    assert call(app, "PUT", "/uploads/x", ("Content-Type", "not a type"), body=b"x").status == 400
    assert call(app, "PUT", "/uploads/../x", body=b"x").status == 404
    assert call(app, "PUT", "/uploads/", body=b"x").status == 405
    assert call(app, "POST", "/uploads/x", body=b"x").status == 405
    assert call(app, "PUT", "/uploads/x", body=b"1").status == 201
    assert call(app, "PUT", "/uploads/x", ("If-None-Match", "*"), body=b"2").status == 412
    assert call(app, "PUT", "/uploads/x", ("If-Match", '"stale"'), body=b"2").status == 412
    assert call(app, "DELETE", "/uploads/x", ("If-Match", '"stale"')).status == 412
    assert call(app, "OPTIONS", "/uploads/x").status == 204
    assert names(app.uploads) == ["x"]


def test_uploads_are_bounded_and_thread_safe(app):
    def put(i):
        return call(app, "PUT", "/uploads/n%d" % i, body=b"%d" % i).status

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(put, range(MAX_UPLOADS + 16)))
    assert statuses.count(201) == MAX_UPLOADS and statuses.count(507) == 16 and len(app.uploads) == MAX_UPLOADS
    assert call(app, "POST", "/uploads/", body=b"x").status == 507
    assert call(app, "PUT", "/uploads/n0", body=b"still replaceable").status == 204


@pytest.mark.parametrize("switch,request_,status", [
    ("post_create_without_location", ("POST", "/uploads/"), 201),
    ("put_create_200", ("PUT", "/uploads/a"), 200),
])
def test_upload_switches(switch, request_, status):
    r = call(App(DOCROOT, rules=rules_for({switch}).app), *request_, body=b"x")
    assert r.status == status and (switch != "post_create_without_location" or field(r, "Location") is None)


def test_upload_switches_on_existing_members():
    app = App(DOCROOT, rules=rules_for({"put_replace_201", "put_validators_altered", "delete_redirects",
                               "content_range_put_replaces"}).app)
    assert call(app, "PUT", "/uploads/a", body=b"x\r\ny").status == 201
    assert call(app, "GET", "/uploads/a").body == b"x\ny"
    assert call(app, "PUT", "/uploads/a", body=b"z").status == 201
    assert call(app, "PUT", "/uploads/a", ("Content-Range", "bytes 0-0/1"), body=b"q").status == 201
    assert call(app, "DELETE", "/uploads/a").status == 303 and call(app, "GET", "/uploads/a").status == 404


def test_uploads_over_the_wire_keep_the_body_and_a_per_server_store():
    with Server(docroot=DOCROOT, linger_timeout=0.2) as srv:
        raw = (b"POST /uploads/ HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"
               b"GET /uploads/1 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        created, got = parse_all(exchange(srv.address, raw), ["POST", "GET"])
        assert created.status == 201 and created.header("Location") == "/uploads/1"
        assert got.status == 200 and got.body == b"hello"
    with Server(docroot=DOCROOT, linger_timeout=0.2) as srv:
        raw = b"GET /uploads/1 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
        assert parse_all(exchange(srv.address, raw), ["GET"])[0].status == 404

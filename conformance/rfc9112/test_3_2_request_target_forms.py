"""RFC 9112 §3.2-§3.2.4, RFC 9110 §4.2 and §9.3.6: request-target forms the server must refuse.

origin-form starts with "/" and has no fragment; authority-form is only for
CONNECT (whose port must be valid); asterisk-form only for OPTIONS; an http
URI with an empty host is invalid, and userinfo in it is an error; whitespace
inside the target makes the request-line invalid (400, or a 301 to the encoded
target) and is never silently corrected.
"""

from __future__ import annotations

from h1conform.smuggling import Family, register

GET = dict(method=b"GET", tags=("target",))


def form(section: str, req: str, level: str = "SHOULD", **kw) -> Family:
    return Family("request-target", section, (req,), level=level, extra=dict(GET, **kw))


VARIANTS = [
    form("RFC 9112 §3.2", "9112-3.2-r1", reject=frozenset({400, 301}))(
        "target-space-inside", (), b"", "whitespace inside the request-target: 400 (or 301 to the encoded target)",
        request_line=b"GET /a b HTTP/1.1"),
    form("RFC 9112 §3.2", "9112-3.2-r2", level="SHOULD NOT", reject=frozenset({400, 301}))(
        "target-space-not-corrected", (), b"", "an invalid request-line is not auto-corrected and processed",
        request_line=b"GET {path} x HTTP/1.1"),
    form("RFC 9112 §3.2.1", "9112-3.2.1-r1")(
        "target-origin-form-no-slash", (), b"", "origin-form must start with /: 400", request_line=b"GET a/b HTTP/1.1"),
    form("RFC 9112 §3.2.1", "9112-3.2.1-r1")(
        "target-origin-form-fragment", (), b"", "a fragment is not part of a request-target: 400",
        request_line=b"GET {path}#frag HTTP/1.1"),
    form("RFC 9112 §3.2.3", "9112-3.2.3-r1")(
        "target-authority-form-with-get", (), b"", "authority-form is only valid with CONNECT: 400",
        raw_head=b"GET {host} HTTP/1.1\r\nHost: {host}\r\n\r\n"),
    form("RFC 9112 §3.2.4", "9112-3.2.4-r1")(
        "target-asterisk-with-get", (), b"", "asterisk-form is only valid with OPTIONS: 400",
        request_line=b"GET * HTTP/1.1"),
    form("RFC 9110 §4.2.1", "9110-4.2.1-r1", level="MUST")(
        "target-http-uri-empty-host", (), b"", "an http URI with an empty host is invalid: reject (400)",
        request_line=b"GET http:///index.html HTTP/1.1"),
    form("RFC 9110 §4.2.4", "9110-4.2.4-r1")(
        "target-http-uri-userinfo", (), b"", "userinfo in an http URI is an error: 400",
        raw_head=b"GET http://user:pw@{host}/ HTTP/1.1\r\nHost: {host}\r\n\r\n"),
    form("RFC 9110 §9.3.6", "9110-9.3.6-r1", level="MUST")(
        "target-connect-empty-port", (), b"", "CONNECT with an empty port is rejected (400)",
        raw_head=b"CONNECT h1conform.test: HTTP/1.1\r\nHost: h1conform.test:\r\n\r\n"),
    form("RFC 9110 §9.3.6", "9110-9.3.6-r1", level="MUST")(
        "target-connect-invalid-port", (), b"", "CONNECT with an invalid port is rejected (400)",
        raw_head=b"CONNECT h1conform.test:http HTTP/1.1\r\nHost: h1conform.test\r\n\r\n"),
]

register(globals(), VARIANTS)

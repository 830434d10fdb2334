"""RFC 9112 §3.2-§3.2.4, RFC 9110 §4.2 and §9.3.6: request-target forms the server must refuse.

origin-form starts with "/" and has no fragment; authority-form is only for
CONNECT (whose port must be valid: any answer but a 2xx rejects it); asterisk-form only for OPTIONS; an http
URI with an empty host is invalid, and userinfo in it is an error; whitespace
inside the target makes the request-line invalid (400, or a 301 to the encoded
target) and is never silently corrected.
"""

from __future__ import annotations

from h1conform.cases import case
from h1conform.probe import RawRequest
from h1conform.reference import RequestInfo
from h1conform.smuggling import Family, register
from h1conform.verdicts import ROUTE_STATUSES, check, first_status

GET = dict(method=b"GET", tags=("target",))


def form(req: str, **kw) -> Family:
    # a bodiless GET: refused with the connection kept, no byte of it can be read as another request
    return Family("request-target", (req,), extra=dict(GET, **kw),
                  allow=frozenset({"rejected", "rejected-open"}))


CLIENT_ERRORS = frozenset(range(400, 500)) - ROUTE_STATUSES
VARIANTS = [
    form("9112-3.2-r1", reject=frozenset({400, 301}))(
        "target-space-inside", (), b"", "whitespace inside the request-target: 400 (or 301 to the encoded target)",
        request_line=b"GET /a b HTTP/1.1"),
    form("9112-3.2-r2", reject=frozenset({400, 301}))(
        "target-space-not-corrected", (), b"", "an invalid request-line is not auto-corrected and processed",
        request_line=b"GET {path} x HTTP/1.1"),
    form("9112-3.2.1-r1")(
        "target-origin-form-no-slash", (), b"", "origin-form must start with /: 400", request_line=b"GET a/b HTTP/1.1"),
    form("9112-3.2.1-r1")(
        "target-origin-form-fragment", (), b"", "a fragment is not part of a request-target: 400",
        request_line=b"GET {path}#frag HTTP/1.1"),
    form("9112-3.2.3-r1")(
        "target-authority-form-with-get", (), b"", "authority-form is only valid with CONNECT: 400",
        raw_head=b"GET {host} HTTP/1.1\r\nHost: {host}\r\n\r\n"),
    form("9112-3.2.4-r1")(
        "target-asterisk-with-get", (), b"", "asterisk-form is only valid with OPTIONS: 400, or 405 (the "
        "server-wide target allows OPTIONS only)", request_line=b"GET * HTTP/1.1", reject=frozenset({400, 405})),
    # "MUST reject it as invalid" and "treat its presence as an error" name no status: a client error refuses it;
    # but a route's 404 (or 403, ...) says only that no resource was found there, not that the target was refused
    # as invalid, nor that it was served: inconclusive (route_blind)
    form("9110-4.2.1-r1", reject=CLIENT_ERRORS, route_blind=True)(
        "target-http-uri-empty-host", (), b"", "an http URI with an empty host is invalid: reject it (400 typical)",
        request_line=b"GET http:///index.html HTTP/1.1"),
    form("9110-4.2.4-r1", reject=CLIENT_ERRORS, route_blind=True)(
        "target-http-uri-userinfo", (), b"", "userinfo in an http URI is an error: a 4xx (400 typical)",
        raw_head=b"GET http://user:pw@{host}/ HTTP/1.1\r\nHost: {host}\r\n\r\n"),
]
# -- request cases (issue 14): octets the request-target grammar has no place for -----------------------------------
# RFC 9112 §3.2 "request-target = origin-form / ..." is URI syntax (RFC 3986): pchar has no CTL, no octet above
# 0x7F and no backslash; such a target makes the request-line invalid, and RFC 9112 §3.2: "Recipients of an invalid
# request-line SHOULD respond with either a 400 (Bad Request) error or a 301 (Moved Permanently) redirect with the
# request-target properly encoded."  (%00 and %0D%0A are valid pct-encoded octets: no case here.)
RULE_OCTETS = "a request-target with {what} is an invalid request-line: 400 (or 301 to the encoded target)"
VARIANTS += [
    form("9112-3.2-r1", reject=frozenset({400, 301}))(
        f"target-{name}", (), b"", RULE_OCTETS.format(what=what), request_line=b"GET " + target + b" HTTP/1.1")
    for name, what, target in [
        ("raw-nul", "a raw NUL", b"/a\x00b"), ("raw-ctl", "a raw control octet (0x01)", b"/a\x01b"),
        ("raw-del", "a raw DEL (0x7F)", b"/a\x7fb"), ("raw-utf8", "raw UTF-8 octets (not pct-encoded)", b"/caf\xc3\xa9"),
        ("raw-overlong-utf8", "the overlong UTF-8 octets C0 AF (a disguised /)", b"/a\xc0\xaf..\xc0\xafb"),
        ("backslash", "a backslash", b"/a\\b"),
    ]
]

register(globals(), VARIANTS)


# -- CONNECT with an empty or invalid port ---------------------------------------------------------------------
CONNECT_BAD_PORT = {
    "rejected": "any final status that is not 2xx (400 typical; 405, 501, a 3xx, ... reject too), whether the "
                "connection then closes or not -- RFC 9110 §9.3.6: \"A server MUST reject a CONNECT request that "
                "targets an empty or invalid port number, typically by responding with a 400 (Bad Request) status "
                "code.\" and \"Any response other than a successful response indicates that the tunnel has not yet "
                "been formed.\"",
}


TAGS = ("smuggling", "request-target", "target")  # as the variants above: selected with them by --select smuggling


def _connect_bad_port(probe, target: str, host: str) -> None:
    raw = f"CONNECT {target} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode("latin-1")
    ex = probe.exchange(RawRequest(raw, RequestInfo("CONNECT", "1.1", f"CONNECT {target}")), follow_up=False)
    resp = ex.responses[0] if ex.responses else None
    # a 2xx opens a tunnel, after which the reference may hand back no response: read its status line then
    status = resp.status if resp is not None else None if ex.error else first_status(ex.transcript.received)
    expected = f"CONNECT {target}: " + CONNECT_BAD_PORT["rejected"]
    if status is None:
        # closing without a status does not form a tunnel, but the RFC asks for a response ("typically ... 400")
        check(probe, False, expected, ex.describe(), level="SHOULD" if ex.closed else None)
    check(probe, not 200 <= status < 300, expected, f"{status}: a tunnel was accepted; {ex.describe()}")
    probe.choose(CONNECT_BAD_PORT, "rejected" if 300 <= status < 600 else "other", ex.describe())


@case(id="target-connect-empty-port", requirements=("9110-9.3.6-r1",),
      accepted=CONNECT_BAD_PORT, tags=TAGS,
      rule="CONNECT with an empty port (h1conform.test:) is rejected: any status but 2xx (400 typical)")
def test_target_connect_empty_port(probe):
    _connect_bad_port(probe, "h1conform.test:", "h1conform.test:")


@case(id="target-connect-invalid-port", requirements=("9110-9.3.6-r1",),
      accepted=CONNECT_BAD_PORT, tags=TAGS,
      rule="CONNECT with an invalid port (h1conform.test:http) is rejected: any status but 2xx (400 typical)")
def test_target_connect_invalid_port(probe):
    _connect_bad_port(probe, "h1conform.test:http", "h1conform.test")

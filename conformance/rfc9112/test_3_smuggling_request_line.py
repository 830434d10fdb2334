"""RFC 9112 §2.3, §3, §3.1, §3.2 and RFC 9110 §6.2: the request-line and Host (smuggling classes 11, 12).

Host: an HTTP/1.1 request without Host, any request with two Host lines, or an
invalid Host value gets 400.  Request-line: exactly ``method SP target SP
HTTP/x.y``; other version shapes are grammar errors, methods are
case-sensitive tokens, HTTP/0.9 ought to be refused, and a server MAY accept
other whitespace between the parts (recorded).
"""

from __future__ import annotations

from h1conform.smuggling import ANY_ERROR, Family, register

GET = dict(method=b"GET")
VARIANTS = []

# -- class 11: Host -------------------------------------------------------------------------------------------
host = Family("host", ("9112-3.2-r5",), extra=GET)
RULE_HOST = "a Host field with an invalid value gets 400"
VARIANTS += [
    Family("host", ("9112-3.2-r3",), extra=GET)(
        "smuggle-host-missing-http11", (), b"", "an HTTP/1.1 request without Host gets 400", host=False),
    Family("host", ("9112-3.2-r4",), extra=GET)(
        "smuggle-host-twice-same", [b"Host: h1conform.test"], b"", "two Host lines (same value) get 400"),
    Family("host", ("9112-3.2-r4",), extra=GET)(
        "smuggle-host-twice-different", [b"Host: other.test"], b"", "two Host lines (different values) get 400"),
    Family("host", ("9112-3.2-r4",), extra=GET)(
        "smuggle-host-twice-http10", [b"Host: other.test"], b"", "two Host lines get 400, in HTTP/1.0 too",
        version=b"HTTP/1.0"),
]
VARIANTS += [
    host(f"smuggle-host-invalid-{name}", [], b"", RULE_HOST, host=False,
         raw_head=b"GET {path} HTTP/1.1\r\nHost: " + value + b"\r\n\r\n")
    for name, value in [("space", b"a b"), ("comma", b"a, b"), ("userinfo", b"user@h1conform.test"),
                        ("two-ports", b"h:80:80"), ("port-letters", b"h:abc"), ("open-bracket", b"[::1"),
                        ("path", b"h/path"), ("ctl", b"h\x01x")]
]
# `port = *DIGIT` (RFC 3986 §3.2.3, used by RFC 9110 §4.2.1 and the Host grammar of RFC 9110 §7.2): h:99999 is a
# valid Host value that names no TCP port.  Accepting it (and answering as for any other name) or refusing it are
# both what the grammar allows; what matters for framing is that nothing more is read from it (recorded).
# level MAY, not the MUST of 9112-3.2-r5 (an *invalid* Host is a 400): this Host is valid, either answer conforms.
VARIANTS += [
    Family("host", ("9112-3.2-r5",), level="MAY",
           allow=frozenset({"rejected", "rejected-open", "zero", "processed", "answered-closed"}), extra=GET)(
        "smuggle-host-port-too-big", [], b"", "Host: h:99999 is valid grammar (port = *DIGIT): accepted or refused,"
        " recorded", host=False, raw_head=b"GET {path} HTTP/1.1\r\nHost: h:99999\r\n\r\n"),
]

# -- class 12: request-line ------------------------------------------------------------------------------------
ver = Family("request-line", ("9112-2.3-r2",), extra=GET)
RULE_VER = "HTTP-version must be HTTP/DIGIT.DIGIT: anything else is a grammar error (400)"
VARIANTS += [
    ver(f"smuggle-version-{name}", (), b"", RULE_VER, request_line=b"GET {path} " + value)
    for name, value in [("two-digit-minor", b"HTTP/1.10"), ("leading-zero", b"HTTP/01.1"), ("no-minor", b"HTTP/1"),
                        ("three-parts", b"HTTP/1.1.1"),
                        ("no-slash", b"HTTP1.1"), ("trailing-junk", b"HTTP/1.1x")]
]
case_ = Family("request-line", ("9112-2.3-r1",), extra=GET)
VARIANTS += [
    case_("smuggle-version-lower-case", (), b"", "HTTP-name is case-sensitive: http/1.1 gets 400",
          request_line=b"GET {path} http/1.1"),
    case_("smuggle-version-capitalised", (), b"", "HTTP-name is case-sensitive: Http/1.1 gets 400",
          request_line=b"GET {path} Http/1.1"),
]
VARIANTS += [
    # RFC 9110 §6.2: a server "can send a 505 ... if it wishes ... to refuse service of the client's major protocol
    # version"; RFC 9110 §2.5: it "SHOULD send a response version equal to the highest version to which the server
    # is conformant that has a major version less than or equal to the one received": answering on HTTP/1.1 is
    # allowed too (recorded).
    Family("request-line", ("9110-6.2-r3",),
           allow=frozenset({"rejected", "zero", "processed", "answered-closed"}),
           extra=dict(reject=frozenset({400, 505}), **GET))(
        "smuggle-version-http2", (), b"", "HTTP/2.0 in an HTTP/1 request-line: 505 (or 400), or answered on HTTP/1.1",
        request_line=b"GET {path} HTTP/2.0"),
    Family("request-line", ("9110-6.2-r3",),
           allow=frozenset({"rejected", "zero", "processed", "answered-closed"}),
           extra=dict(reject=frozenset({400, 505}), **GET))(
        "smuggle-version-http3", (), b"", "HTTP/3.0 in an HTTP/1 request-line: 505 (or 400), or answered on HTTP/1.1",
        request_line=b"GET {path} HTTP/3.0"),
    Family("request-line", ("9110-6.2-r4",), allow=frozenset({"zero"}), extra=GET)(
        "smuggle-version-http12", (), b"", "HTTP/1.2 is handled as HTTP/1.1 (not 505/400)",
        request_line=b"GET {path} HTTP/1.2"),
    Family("request-line", ("9112-C.1-r1",),
           allow=frozenset({"rejected", "closed", "stalled"}), extra=GET)(
        "smuggle-http09-request", (), b"", "HTTP/0.9 (no version) ought to be refused: 400 or a close",
        raw_head=b"GET {path}\r\n\r\n"),
]
# Rejected with any error status and a close, or read as the request it would be with single spaces: both are the
# MAY of RFC 9112 §3 (which status a refusal carries is the business of the grammar-error cases, not of this one).
ws = Family("request-line", ("9112-3-r1",), allow=frozenset({"rejected", "zero"}),
            extra=dict(reject=ANY_ERROR, **GET))
RULE_WS = "other whitespace between request-line parts may be accepted or rejected (recorded)"
VARIANTS += [
    ws(f"smuggle-request-line-{name}", (), b"", RULE_WS, request_line=line)
    for name, line in [("double-space", b"GET  {path} HTTP/1.1"), ("tabs", b"GET\t{path}\tHTTP/1.1"),
                       ("trailing-space", b"GET {path} HTTP/1.1 "), ("leading-space", b" GET {path} HTTP/1.1")]
]
meth = Family("request-line", ("9112-3.1-r1",), allow=frozenset({"rejected", "rejected-open"}),
              extra=dict(reject=frozenset({400, 405, 501}), method_distinct=True, **GET))
VARIANTS += [
    meth("smuggle-method-lower-case", (), b"", "methods are case-sensitive: get is not GET (501/405/400)",
         request_line=b"get {path} HTTP/1.1"),
    meth("smuggle-method-mixed-case", (), b"", "methods are case-sensitive: Get is not GET (501/405/400)",
         request_line=b"Get {path} HTTP/1.1"),
]
tok = Family("request-line", ("9112-3.1-r2",), extra=GET)
VARIANTS += [
    tok(f"smuggle-method-{name}", (), b"", "a method must be a token: 400", request_line=line)
    for name, line in [("paren", b"GE(T {path} HTTP/1.1"), ("nul", b"G\x00ET {path} HTTP/1.1"),
                       ("at-sign", b"G@T {path} HTTP/1.1")]
]

# -- request cases (issue 14): request-line shapes ---------------------------------------------------------------
VARIANTS += [
    ver("smuggle-version-space-after-slash", (), b"", RULE_VER + " (HTTP/ 1.1)",
        request_line=b"GET {path} HTTP/ 1.1"),
    ver("smuggle-version-huge-minor", (), b"", RULE_VER + " (HTTP/1.99999999999: never read as HTTP/1.x)",
        request_line=b"GET {path} HTTP/1.99999999999"),
    # RFC 9110 §15.6.6: "The 505 (HTTP Version Not Supported) status code indicates that the server does not
    # support, or refuses to support, the major version of HTTP that was used in the request message": a 505 to a
    # major of 4294967297 refuses it without reading it as 1 (2^32 + 1 wrapped to 32 bits).
    ver("smuggle-version-major-wraps-2-32", (), b"", RULE_VER + " (HTTP/4294967297.1: 400 or 505, never read as "
        "HTTP/1.1)", request_line=b"GET {path} HTTP/4294967297.1", reject=frozenset({400, 505})),
]
# RFC 9112 §2.2: "When a server listening only for HTTP request messages, or processing what appears from the
# start-line to be an HTTP request message, receives a sequence of octets that does not match the HTTP-message
# grammar aside from the robustness exceptions listed above, the server SHOULD respond with a 400 (Bad Request)
# response and close the connection."
bad_line = Family("request-line", ("9112-2.2-r8",), extra=GET)
VARIANTS += [
    # RFC 9112 §3 lets a recipient take "SP, HTAB, VT (%x0B), FF (%x0C), or bare CR" for the separator: not LF,
    # which §2.2 only lets end a line (then the request-line is "GET /", HTTP/0.9, and "HTTP/1.1" a line with no
    # colon: invalid either way)
    bad_line("smuggle-request-line-lf-separator", (), b"", "LF is not a request-line separator: GET /<LF>HTTP/1.1 "
             "gets 400 and a close, never read as GET / HTTP/1.1", raw_head=b"GET {path}\nHTTP/1.1\r\nHost: {host}"
             b"\r\n\r\n"),
    bad_line("smuggle-request-line-no-target", (), b"", "a request-line without a target (GET HTTP/1.1) gets 400 "
             "and a close", request_line=b"GET HTTP/1.1"),
    bad_line("smuggle-request-line-garbage-line-first", (), b"", "a garbage line before the request-line gets 400 "
             "and a close: the request after it is not answered", raw_head=b"h1conform\x01garbage\x7f\r\n"
             b"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n"),
]

register(globals(), VARIANTS)

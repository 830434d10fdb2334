"""RFC 9112 §6, §7.1.2, §9 and RFC 9110 §6.5.1: bodies where few expect them, trailers, and
connection-level desync (smuggling classes 6, 7 and 13).

Framing never depends on the method: a body on GET, HEAD, OPTIONS or DELETE is
framed by Content-Length or chunked like any other.  Trailer fields are never
merged into the header section (so a trailer Content-Length, Transfer-Encoding
or Host changes nothing).  Ambiguous messages cut at every line, with pauses,
are read exactly as when sent whole.
"""

from __future__ import annotations

from h1conform.smuggling import ANY_ERROR, HUGE_OK, Family, register

SMUGGLED = b"GET /h1conform-smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
TE = b"Transfer-Encoding: chunked"


def cl(n: int) -> bytes:
    return b"Content-Length: %d" % n


def chunked(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n0\r\n\r\n" % (len(data), data)


def lacks(name: str):
    return lambda data: not [v for n, v in data.get("headers", []) if n.lower() == name.lower()]


def host_unchanged(data: dict) -> bool:
    return "evil.test" not in [v for n, v in data.get("headers", []) if n.lower() == "host"]


VARIANTS = []

# -- class 7: bodies on methods without body semantics (CL.0 / 0.CL) ---------------------------------------------
# RFC 9110 §9.3.1/§9.3.2/§9.3.5/§9.3.7: content on GET, HEAD, DELETE or OPTIONS "has no generally defined semantics"
# and "might lead some implementations to reject the request": any error status is allowed, with the connection
# closed or (the body read by its Content-Length) kept; what is never allowed is answering the body as a request.
body = Family("method-bodies", ("9112-6-r1",),
              allow=frozenset({"length", "rejected", "rejected-open", "processed", "answered-closed"}),
              extra=dict(cl_body=SMUGGLED, reject=ANY_ERROR))
RULE_BODY = "request framing does not depend on the method: the body is read, never answered as a request"
VARIANTS += [
    body(f"smuggle-body-on-{m.lower()}", [cl(len(SMUGGLED))], SMUGGLED, RULE_BODY + f" ({m})", method=m.encode())
    for m in ("GET", "HEAD", "OPTIONS", "DELETE")
]
# RFC 9110 §9.3.8: "A client MUST NOT send content in a TRACE request": a server is not told what to do with
# content it gets anyway, so any error status (or an answer) is allowed, but its framing is still Content-Length's
VARIANTS += [body("smuggle-body-on-trace", [cl(len(SMUGGLED))], SMUGGLED, RULE_BODY + " (TRACE)", method=b"TRACE")]
VARIANTS += [
    Family("method-bodies", ("9112-6-r1",), allow=frozenset({"chunked", "rejected", "processed"}),
           extra=dict(chunked_body=SMUGGLED))(
        f"smuggle-chunked-body-on-{m.lower()}", [TE], chunked(SMUGGLED), RULE_BODY + f" (chunked, {m})",
        method=m.encode())
    for m in ("GET", "HEAD")
]

# -- class 6: trailer fields --------------------------------------------------------------------------------------
# A trailer carrying a framing or routing field may also be refused outright: nothing is merged then either.
trailer = Family("trailers", ("9112-7.1.2-r2",),
                 allow=frozenset({"chunked", "rejected"}), extra=dict(chunked_body=b"hello"))
RULE_TRAILER = "trailer fields are not merged into the header section (refusing the request is fine too)"
VARIANTS += [
    trailer("smuggle-trailer-content-length", [TE], b"5\r\nhello\r\n0\r\nContent-Length: 50\r\n\r\n",
            RULE_TRAILER + " (Content-Length)", echo_ok=lacks("Content-Length")),
    trailer("smuggle-trailer-transfer-encoding", [TE], b"5\r\nhello\r\n0\r\nTransfer-Encoding: chunked\r\n\r\n",
            RULE_TRAILER + " (Transfer-Encoding)",
            echo_ok=lambda d: [n for n, _ in d.get("headers", [])].count("Transfer-Encoding") <= 1),
    trailer("smuggle-trailer-host", [TE], b"5\r\nhello\r\n0\r\nHost: evil.test\r\n\r\n", RULE_TRAILER + " (Host)",
            echo_ok=host_unchanged),
    # RFC 9110 §6.5.1: fields "necessary prior to receiving the content, such as those that describe ...
    # authentication, ... or content format" cannot be processed outside the header section, and "A recipient
    # MUST NOT merge a received trailer field into the header section unless its corresponding header field
    # definition explicitly permits" it: an Authorization or a Content-Type trailer merged would authenticate or
    # type the request after the fact (Http11Probe's SMUG-TRAILER-AUTH, SMUG-TRAILER-CONTENT-TYPE)
    trailer("smuggle-trailer-authorization", [TE], b"5\r\nhello\r\n0\r\nAuthorization: Bearer h1conform\r\n\r\n",
            RULE_TRAILER + " (Authorization)", echo_ok=lacks("Authorization")),
    trailer("smuggle-trailer-content-type", [TE], b"5\r\nhello\r\n0\r\nContent-Type: text/h1conform\r\n\r\n",
            RULE_TRAILER + " (Content-Type)",
            echo_ok=lambda d: "text/h1conform" not in [v for n, v in d.get("headers", []) if n.lower() == "content-type"]),
    Family("trailers", ("9110-6.5.1-r1",),
           allow=frozenset({"chunked", "rejected"}), extra=dict(chunked_body=b"hello"))(
        "smuggle-trailer-unknown-field", [TE], b"5\r\nhello\r\n0\r\nX-Trailer: 1\r\n\r\n",
        RULE_TRAILER + " (an unknown field)", echo_ok=lacks("X-Trailer")),
    Family("trailers", ("9112-7.1.2-r1",), allow=frozenset({"chunked"}),
           extra=dict(chunked_body=b"hello"))(
        "smuggle-trailer-accepted", [TE], b"5\r\nhello\r\n0\r\nX-Trailer: 1\r\nX-Other: 2\r\n\r\n",
        "a chunked request with trailer fields is accepted (they may be kept or dropped)"),
]

# -- class 13: the same ambiguities cut at every line, with pauses ------------------------------------------------
cut = dict(split=True)
VARIANTS += [
    # level MUST, not the MAY of 9112-6.1-r9 (reject, or read by TE alone): the close after it is 9112-6.1-r10's MUST
    Family("desync", ("9112-6.1-r9", "9112-6.1-r10"), level="MUST", allow=frozenset({"rejected", "chunked"}),
           extra=dict(needs_close_after=True, chunked_body=b"hello", **cut))(
        "smuggle-split-cl-te", [cl(18), TE], b"5\r\nhello\r\n0\r\n\r\n",
        "CL with TE, cut at every line: reject, or read by TE and close", cl_body=b"5\r\nhello\r\n0\r\n\r\n"),
    Family("desync", ("9112-6.3-r3",), extra=dict(reject=frozenset({400, 501}), **cut))(
        "smuggle-split-te-vt", [b"Transfer-Encoding: chunked\x0b"], b"5\r\nhello\r\n0\r\n\r\n",
        "an obfuscated Transfer-Encoding cut at every line: 400/501 and a close"),
    Family("desync", ("9112-6.3-r4",), extra=cut)(
        "smuggle-split-cl-plus", [b"Content-Length: +5"], b"hello",
        "an invalid Content-Length cut at every line: 400 and a close"),
    Family("desync", ("9112-7.1-r5",), extra=dict(reject=ANY_ERROR, **cut), allow=HUGE_OK)(
        "smuggle-split-chunk-size-wraps", [TE], b"10000000000000005\r\nhello\r\n0\r\n\r\n" + SMUGGLED,
        "a wrapping chunk size cut at every line: refused, never read as 5"),
    Family("desync", ("9112-5.1-r1",), extra=cut)(
        "smuggle-split-space-before-colon", [b"Transfer-Encoding : chunked", cl(5)], b"hello",
        "whitespace before a colon, cut at every line: 400"),
    Family("desync", ("9112-7.1.2-r2",),
           allow=frozenset({"chunked", "rejected"}), extra=dict(chunked_body=b"hello", **cut))(
        "smuggle-split-trailer-content-length", [TE], b"5\r\nhello\r\n0\r\nContent-Length: 50\r\n\r\n",
        "a trailer Content-Length cut at every line: not merged", echo_ok=lacks("Content-Length")),
]

register(globals(), VARIANTS)

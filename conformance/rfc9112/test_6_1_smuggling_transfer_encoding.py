"""RFC 9112 §6.1 and §6.3: Transfer-Encoding, alone and with Content-Length (smuggling classes 1 and 2).

Class 1 (cl-te): Content-Length with Transfer-Encoding, Transfer-Encoding in
HTTP/1.0, chunked not final, unknown codings, repeated fields.  The RFC lets a
server reject such a request or read it by Transfer-Encoding alone, and then
it MUST close the connection.

Class 2 (te-obfuscation): a Transfer-Encoding that is almost ``chunked``.
A value that is not exactly a coding list ending in ``chunked`` must be
rejected (400, or 501 for an unknown coding); a value that *is* valid
(``Chunked``, ``, chunked``, OWS around it) must be read as chunked.  Each
variant is sent without Content-Length, and again with one (the TE.CL form).
"""

from __future__ import annotations

from h1conform.smuggling import PROCESSING, Family, register

CHUNKED = b"5\r\nhello\r\n0\r\n\r\n"
SMUGGLED = b"GET /h1conform-smuggled HTTP/1.1\r\nHost: x\r\n\r\n"


def cl(n: int) -> bytes:
    return b"Content-Length: %d" % n


TE = b"Transfer-Encoding: chunked"

# -- class 1: CL with TE, TE in HTTP/1.0, final coding, unknown codings, repeated fields ----------------
# level MUST, not the MAY of 9112-6.1-r9 (reject, or read by TE alone): the close after it is 9112-6.1-r10's MUST
both = Family("cl-te", ("9112-6.1-r9", "9112-6.1-r10", "9112-6.3-r2"), level="MUST",
              allow=frozenset({"rejected", "chunked"}),
              extra=dict(needs_close_after=True, chunked_body=b"hello"))
RULE_BOTH = "CL with TE: reject, or read by TE alone and then close the connection"
# 400 is what §6.3 asks; 501 (§6.1, unknown coding) refuses and closes just as safely, so both are accepted.
not_final = Family("cl-te", ("9112-6.3-r3",),
                   extra=dict(reject=frozenset({400, 501}), chunked_body=b"hello"))
RULE_FINAL = "a request whose final transfer coding is not chunked gets 400 (or 501) and a close"

VARIANTS = [
    both("smuggle-cl-te-same-length", [cl(len(CHUNKED)), TE], CHUNKED, RULE_BOTH, cl_body=CHUNKED),
    both("smuggle-cl-te-cl-shorter", [cl(4), TE], CHUNKED, RULE_BOTH, cl_body=CHUNKED[:4]),
    both("smuggle-cl-te-cl-zero", [cl(0), TE], CHUNKED, RULE_BOTH, cl_body=b""),
    both("smuggle-te-cl-order", [TE, cl(len(CHUNKED))], CHUNKED, RULE_BOTH, cl_body=CHUNKED),
    both("smuggle-cl-te-tail-request", [cl(len(b"0\r\n\r\n" + SMUGGLED)), TE], b"0\r\n\r\n" + SMUGGLED,
         RULE_BOTH + " (a request hides behind the last chunk)", chunked_body=b"", cl_body=b"0\r\n\r\n" + SMUGGLED),
    both("smuggle-te-cl-tail-request", [TE, cl(3)], b"0\r\n\r\n" + SMUGGLED,
         RULE_BOTH + " (CL shorter than the chunked body)", chunked_body=b"", cl_body=b"0\r\n"),
    # "MUST treat the message as if the framing is faulty ... and close the connection after processing the
    # message": however it was read, the close after it leaves no byte to be read as another request
    both("smuggle-te-http10", [TE, b"Connection: keep-alive"], CHUNKED,
         "Transfer-Encoding in HTTP/1.0: framing is faulty; close after (even if keep-alive was asked)",
         version=b"HTTP/1.0", requirements=("9112-6.1-r11",), allow=frozenset({"rejected"}) | PROCESSING),
    both("smuggle-te-http10-with-cl", [TE, cl(len(CHUNKED)), b"Connection: keep-alive"], CHUNKED,
         "Transfer-Encoding in HTTP/1.0 even with CL: framing is faulty; close after", version=b"HTTP/1.0",
         requirements=("9112-6.1-r11",), cl_body=CHUNKED, allow=frozenset({"rejected"}) | PROCESSING),
    not_final("smuggle-te-chunked-gzip", [b"Transfer-Encoding: chunked, gzip"], CHUNKED, RULE_FINAL),
    not_final("smuggle-te-gzip-only", [b"Transfer-Encoding: gzip"], CHUNKED, RULE_FINAL),
    not_final("smuggle-te-identity", [b"Transfer-Encoding: identity"], CHUNKED, RULE_FINAL),
    not_final("smuggle-te-two-lines-chunked-then-identity", [TE, b"Transfer-Encoding: identity"], CHUNKED, RULE_FINAL),
    not_final("smuggle-te-chunked-gzip-with-cl", [b"Transfer-Encoding: chunked, gzip", cl(len(CHUNKED))], CHUNKED,
              RULE_FINAL + " (also with Content-Length)", cl_body=CHUNKED),
    Family("cl-te", ("9112-6.1-r7",))(
        "smuggle-te-unknown-then-chunked", [b"Transfer-Encoding: h1conform-unknown, chunked"], CHUNKED,
        "a transfer coding the server does not understand gets 501", reject=frozenset({501})),
    Family("cl-te", ("9112-7.2-r1",))(
        "smuggle-te-gzip-parameter", [b"Transfer-Encoding: gzip;level=1, chunked"], CHUNKED,
        "parameters on a compression coding are an error (400 or 501)", reject=frozenset({400, 501})),
    Family("cl-te", ("9112-6.1-r7",))(
        "smuggle-te-two-lines-gzip-then-chunked", [b"Transfer-Encoding: gzip", TE], CHUNKED,
        "gzip then chunked on two lines: an unsupported coding gets 501 (400 also refuses it)",
        reject=frozenset({400, 501})),
    Family("cl-te", ("9112-6.1-r7",))(
        "smuggle-te-chunked-twice", [TE, TE], CHUNKED,
        "chunked, chunked (chunked applied twice, which no sender may do): refused (400/501), or framed by its "
        "final coding, chunked, as RFC 9112 §6.3 frames any message whose final coding is chunked",
        reject=frozenset({400, 501}), chunked_body=b"hello", allow=frozenset({"rejected", "chunked"})),
]

# -- class 2: Transfer-Encoding obfuscation -------------------------------------------------------------
bad_te = Family("te-obfuscation", ("9112-6.3-r3",),
                extra=dict(reject=frozenset({400, 501}), chunked_body=b"hello"))
RULE_BAD = "a Transfer-Encoding that is not a coding list ending in chunked gets 400/501 and a close"
BAD_VALUES = [
    ("vt-after", b"chunked\x0b"), ("vt-before", b"\x0bchunked"), ("ff-after", b"chunked\x0c"),
    ("ff-before", b"\x0cchunked"), ("nul-after", b"chunked\x00"), ("nel-after", b"chunked\x85"),
    ("nel-before", b"\x85chunked"), ("nbsp-after", b"chunked\xa0"), ("nbsp-before", b"\xa0chunked"),
    ("quoted", b'"chunked"'), ("single-quoted", b"'chunked'"), ("truncated", b"chunk"), ("suffixed", b"chunkedx"),
    ("prefixed", b"xchunked"), ("inner-space", b"ch unked"), ("doubled-word", b"chunked chunked"),
    ("slash", b"chunked/1.1"), ("unicode-k", b"chun\xe2\x84\xaaed"), ("then-identity", b"chunked, identity"),
    ("backslash", b"chunked\\"),
    # issue 14: other control and high octets after chunked (a parser that strips or stops at them reads chunked)
    ("soh-after", b"chunked\x01"), ("eot-after", b"chunked\x04"), ("bs-after", b"chunked\x08"),
    ("us-after", b"chunked\x1f"), ("del-after", b"chunked\x7f"), ("shy-after", b"chunked\xad"),
    ("ff-byte-after", b"chunked\xff"),
    # an empty Transfer-Encoding is present and its final coding is not chunked (it has none)
    ("empty-value", b""),
]
bad_param = Family("te-obfuscation", ("9112-7.1-r6",),
                   extra=dict(reject=frozenset({400, 501}), chunked_body=b"hello"))
good_te = Family("te-obfuscation", ("9112-7-r1",), allow=frozenset({"chunked"}),
                 extra=dict(chunked_body=b"hello"))
RULE_GOOD = "a valid spelling of chunked (coding names are case-insensitive) is read as chunked"

for name, value in BAD_VALUES:
    VARIANTS.append(bad_te(f"smuggle-te-{name}", [b"Transfer-Encoding: " + value], CHUNKED, RULE_BAD))
    VARIANTS.append(bad_te(f"smuggle-te-{name}-with-cl", [b"Transfer-Encoding: " + value, cl(len(CHUNKED))],
                           CHUNKED, RULE_BAD + " (with Content-Length: never framed by it)", cl_body=CHUNKED))
for name, value in [("param", b"chunked;x=1"), ("param-spaced", b"chunked ; x=1")]:
    VARIANTS.append(bad_param(f"smuggle-te-chunked-{name}", [b"Transfer-Encoding: " + value], CHUNKED,
                              "parameters on chunked are an error (400)"))

VARIANTS += [
    good_te("smuggle-te-capitalised", [b"Transfer-Encoding: Chunked"], CHUNKED, RULE_GOOD),
    good_te("smuggle-te-upper-case", [b"Transfer-Encoding: CHUNKED"], CHUNKED, RULE_GOOD),
    good_te("smuggle-te-mixed-case", [b"Transfer-Encoding: cHuNkEd"], CHUNKED, RULE_GOOD),
    good_te("smuggle-te-name-lower-case", [b"transfer-encoding: chunked"], CHUNKED,
            "field names are case-insensitive: transfer-encoding is Transfer-Encoding", requirements=("9110-5.1-r1",)),
    good_te("smuggle-te-name-mixed-case", [b"tRANSFER-eNCODING: chunked"], CHUNKED,
            "field names are case-insensitive: tRANSFER-eNCODING is Transfer-Encoding",
            requirements=("9110-5.1-r1",)),
    good_te("smuggle-te-ows-around", [b"Transfer-Encoding: \t chunked \t"], CHUNKED,
            "OWS around a field value is stripped before use", requirements=("9110-5.5-r1",)),
    good_te("smuggle-te-empty-list-element", [b"Transfer-Encoding: , chunked"], CHUNKED,
            "a list with empty elements is accepted: ', chunked' is chunked", requirements=("9110-5.6.1.2-r1",)),
    good_te("smuggle-te-no-space-after-colon", [b"Transfer-Encoding:chunked"], CHUNKED,
            "OWS after the colon is optional", requirements=("9110-5.5-r1",)),
]

# names: whitespace before the colon is a MUST-400; an underscore makes a different (unknown) field
ws_name = Family("te-obfuscation", ("9112-5.1-r1",), extra=dict(chunked_body=b"hello"))
RULE_WS = "whitespace between a field name and the colon gets 400"
VARIANTS += [
    ws_name("smuggle-te-space-before-colon", [b"Transfer-Encoding : chunked"], CHUNKED, RULE_WS),
    ws_name("smuggle-te-tab-before-colon", [b"Transfer-Encoding\t: chunked"], CHUNKED, RULE_WS),
    ws_name("smuggle-te-vt-before-colon", [b"Transfer-Encoding\x0b: chunked"], CHUNKED, RULE_WS + " (VT is not a token)"),
    ws_name("smuggle-te-space-before-colon-with-cl", [b"Transfer-Encoding : chunked", cl(len(CHUNKED))], CHUNKED,
            RULE_WS + " (with Content-Length)"),
    Family("te-obfuscation", ("9112-2.2-r7",), allow=frozenset({"rejected", "length"}))(
        "smuggle-te-indented-first-line", [b" Transfer-Encoding: chunked", cl(len(CHUNKED))], CHUNKED,
        "an indented first field line is rejected or ignored entirely (never a Transfer-Encoding)",
        cl_body=CHUNKED, chunked_body=b"hello"),
    Family("te-obfuscation", ("9112-5.2-r2",), allow=frozenset({"rejected", "chunked"}))(
        "smuggle-te-folded-value", [cl(len(CHUNKED)), b"Transfer-Encoding:", b" chunked"], CHUNKED,
        "obs-fold: reject, or unfold to SP; unfolded it is CL with TE: reject, or read as chunked and close",
        cl_body=CHUNKED, chunked_body=b"hello", reject=frozenset({400, 501}), needs_close_after=True),
    Family("te-obfuscation", ("9110-5.1-r2",),
           allow=frozenset({"length", "rejected"}))(
        "smuggle-te-underscore-name", [b"Transfer_Encoding: chunked", cl(len(CHUNKED))], CHUNKED,
        "Transfer_Encoding is an unknown field, ignored: the body is framed by Content-Length", cl_body=CHUNKED),
]

# -- issue 14: Transfer-Encoding hidden behind a bare CR, a bare LF or an obs-fold, CR and other octets in the name
# and around the value, lists with empty elements, and valid spellings beside a Content-Length ----------------------
VARIANTS += [
    # RFC 9112 §2.2: a recipient of a bare CR "MUST consider that element to be invalid or replace each bare CR with
    # SP before processing the element": invalid is 400; replaced, X is "X Transfer-Encoding: chunked" and the body
    # is framed by Content-Length. Read as a line end, it is CL with TE.
    Family("te-obfuscation", ("9112-2.2-r3",), allow=frozenset({"rejected", "length"}))(
        "smuggle-te-after-bare-cr", [b"X: X\rTransfer-Encoding: chunked", cl(len(CHUNKED))], CHUNKED,
        "a Transfer-Encoding after a bare CR in the previous field is no field: 400, or (CR read as SP) the "
        "body is framed by Content-Length", cl_body=CHUNKED, chunked_body=b"hello",
        echo_ok=lambda d: [v for n, v in d.get("headers", []) if n.lower() == "x"] == ["X Transfer-Encoding: chunked"]),
    # RFC 9112 §2.2: "a recipient MAY recognize a single LF as a line terminator": then this is CL with TE (reject,
    # or chunked and close, RFC 9112 §6.1); RFC 9110 §5.5: a recipient of LF within a field value "MUST either
    # reject the message or replace each of those characters with SP": then the body is framed by Content-Length
    Family("te-obfuscation", ("9112-2.2-r2",), level="MUST",  # the MAY of LF is recorded; the close after is a MUST
           allow=frozenset({"rejected", "chunked", "length"}))(
        "smuggle-te-after-bare-lf", [b"X: X\nTransfer-Encoding: chunked", cl(len(CHUNKED))], CHUNKED,
        "a Transfer-Encoding after a bare LF: 400; or LF as a line end, then CL with TE: chunked and close; or LF "
        "read as SP: framed by Content-Length", cl_body=CHUNKED, chunked_body=b"hello", needs_close_after=True),
    # RFC 9112 §5.2: a server "MUST either reject the message by sending a 400 (Bad Request) ... or replace each
    # received obs-fold with one or more SP octets": then X is "X Transfer-Encoding: chunked", framed by CL
    Family("te-obfuscation", ("9112-5.2-r2",), allow=frozenset({"rejected", "length"}))(
        "smuggle-te-in-folded-line", [b"X: X", b" Transfer-Encoding: chunked", cl(len(CHUNKED))], CHUNKED,
        "an obs-fold line carrying Transfer-Encoding is part of the previous value: 400, or unfolded and framed "
        "by Content-Length", cl_body=CHUNKED, chunked_body=b"hello",
        echo_ok=lambda d: [v.split() for n, v in d.get("headers", []) if n.lower() == "x"]
        == [["X", "Transfer-Encoding:", "chunked"]]),
    # a bare CR at the end of the value: invalid (400; or, the element "chunked<CR>" being a coding the server does
    # not know, RFC 9112 §6.1: "A server that receives a request message with a transfer coding it does not
    # understand SHOULD respond with 501 (Not Implemented)"), or read as SP, which OWS then strips: chunked
    Family("te-obfuscation", ("9112-2.2-r3",), allow=frozenset({"rejected", "chunked"}))(
        "smuggle-te-bare-cr-after", [b"Transfer-Encoding: chunked\r"], CHUNKED,
        "chunked then a bare CR: 400/501, or the CR read as SP (stripped): chunked", chunked_body=b"hello",
        reject=frozenset({400, 501})),
    Family("te-obfuscation", ("9112-2.2-r3",), allow=frozenset({"rejected", "chunked"}))(
        "smuggle-te-bare-cr-after-with-cl", [b"Transfer-Encoding: chunked\r", cl(len(CHUNKED))], CHUNKED,
        "chunked then a bare CR, with Content-Length: 400/501, or the CR read as SP, then CL with TE: chunked and "
        "close", chunked_body=b"hello", cl_body=CHUNKED, needs_close_after=True, reject=frozenset({400, 501})),
    # RFC 9112 §5: field-name is a token; CR, NUL and DEL are no tchar, so the line is no field line: 400
    ws_name("smuggle-te-nul-before-colon-with-cl", [b"Transfer-Encoding\x00: chunked", cl(len(CHUNKED))], CHUNKED,
            "a NUL between the field name and the colon makes no field name: 400", requirements=("9112-5-r1",),
            cl_body=CHUNKED),
    ws_name("smuggle-te-del-before-colon-with-cl", [b"Transfer-Encoding\x7f: chunked", cl(len(CHUNKED))], CHUNKED,
            "a DEL between the field name and the colon makes no field name: 400", requirements=("9112-5-r1",),
            cl_body=CHUNKED),
    # RFC 9112 §2.2: the bare CR is invalid or SP; "Transfer- Encoding" (or a line "Transfer-") is no field line
    ws_name("smuggle-te-cr-in-name-with-cl", [b"Transfer-\rEncoding: chunked", cl(len(CHUNKED))], CHUNKED,
            "a bare CR inside the field name: 400 (as SP it is still no token)", requirements=("9112-2.2-r3",),
            cl_body=CHUNKED),
    good_te("smuggle-te-trailing-comma", [b"Transfer-Encoding: chunked,"], CHUNKED,
            "a list with a trailing empty element is accepted: 'chunked,' is chunked",
            requirements=("9110-5.6.1.2-r1",)),
]
# CL with a valid (if unusual) TE: reject, or chunked and close; a request hides after the last chunk, inside the
# Content-Length, so a server that reads chunked and keeps the connection answers it (split), one that reads the
# Content-Length shows the whole body (length)
TAIL = b"0\r\n\r\n" + SMUGGLED
odd = Family("cl-te", ("9112-6.1-r9", "9112-6.1-r10", "9112-6.3-r2"), level="MUST",
             allow=frozenset({"rejected", "chunked"}),
             extra=dict(needs_close_after=True, chunked_body=b"", cl_body=TAIL, reject=frozenset({400, 501})))
RULE_ODD = RULE_BOTH + " (a request hides behind the last chunk)"
VARIANTS += [
    both("smuggle-cl-te-cl-longer", [cl(len(CHUNKED) + 20), TE], CHUNKED,
         RULE_BOTH + " (Content-Length 20 octets longer than the body)", cl_body=None),
    both("smuggle-te-leading-comma-with-cl", [b"Transfer-Encoding: ,chunked", cl(len(CHUNKED))], CHUNKED,
         RULE_BOTH + " (',chunked')", cl_body=CHUNKED,
         reject=frozenset({400, 501})),
    both("smuggle-te-trailing-comma-with-cl", [b"Transfer-Encoding: chunked,", cl(len(CHUNKED))], CHUNKED,
         RULE_BOTH + " ('chunked,')", cl_body=CHUNKED,
         reject=frozenset({400, 501})),
    # NUL in the Content-Length value: 400 (RFC 9110 §5.5), or NUL read as SP, then CL with TE as above
    both("smuggle-cl-nul-after-with-te", [b"Content-Length: 6\x00", TE], CHUNKED,
         RULE_BOTH + " (Content-Length: 6 then NUL)", cl_body=CHUNKED[:6]),
    odd("smuggle-te-capitalised-tail-request", [b"Transfer-Encoding: Chunked", cl(len(TAIL))], TAIL,
        RULE_ODD + " ('Chunked')"),
    odd("smuggle-te-leading-comma-tail-request", [b"Transfer-Encoding: , chunked", cl(len(TAIL))], TAIL,
        RULE_ODD + " (', chunked')"),
    odd("smuggle-te-name-lower-case-tail-request", [b"transfer-encoding: chunked", cl(len(TAIL))], TAIL,
        RULE_ODD + " (transfer-encoding)"),
]

register(globals(), VARIANTS)

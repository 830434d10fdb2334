"""RFC 9112 §6.3 and RFC 9110 §8.6: Content-Length forms (smuggling class 3).

A request Content-Length must be 1*DIGIT; anything else (signs, hex, digit
separators, decimals, exponents, inner spaces, different repeated values) gets
400 and a close, and a numeral too big for the server is refused without ever
being read as a small number.  ``5, 5`` (or the same value on two lines) MAY be
read as 5.  Leading zeros and OWS around the value are valid.
"""

from __future__ import annotations

from h1conform.smuggling import ANY_ERROR, HUGE_OK, Family, register

BODY = b"hello"
SMUGGLED = b"GET /h1conform-smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
#: 10 octets: read as octal 010 (8), "89" is left over
DECIMAL_10 = b"0123456789"
#: 200 octets: read as octal 0200 (128), the last 72 are a whole request
_TAIL = b"GET /h1conform-smuggled HTTP/1.1\r\nHost: x\r\nX-Pad: "
DECIMAL_200 = b"a" * 128 + _TAIL + b"p" * (72 - len(_TAIL) - 4) + b"\r\n\r\n"
assert len(DECIMAL_200) == 200

bad = Family("content-length", ("9112-6.3-r4",), extra=dict(cl_body=BODY))
RULE_BAD = "an invalid Content-Length gets 400 and a close"
BAD = [
    ("plus", b"+5"), ("minus", b"-5"), ("hex", b"0x5"), ("underscore", b"5_0"), ("decimal", b"5.0"),
    ("exponent", b"5e0"), ("inner-space", b"5 5"), ("empty", b""), ("letters", b"abc"), ("digit-letter", b"5a"),
    ("arabic-digit", b"\xd9\xa5"), ("octal-prefix", b"0o5"), ("list-different", b"5, 6"), ("list-comma-only", b","),
    ("list-trailing-comma", b"5,"), ("quoted", b'"5"'), ("vt-after", b"5\x0b"), ("nbsp-after", b"5\xa0"),
]
VARIANTS = [bad(f"smuggle-cl-{name}", [b"Content-Length: " + value], BODY, RULE_BAD) for name, value in BAD]
VARIANTS += [
    bad("smuggle-cl-two-lines-different", [b"Content-Length: 5", b"Content-Length: 6"], BODY,
        RULE_BAD + " (two lines with different values)"),
    bad("smuggle-cl-two-lines-different-reversed", [b"Content-Length: 6", b"Content-Length: 5"], BODY,
        RULE_BAD + " (two lines with different values, larger first)"),
    # a parser that takes the first line reads 0 and answers the body, a whole request, as the next one (split)
    bad("smuggle-cl-two-lines-zero-then-length", [b"Content-Length: 0", b"Content-Length: %d" % len(SMUGGLED)],
        SMUGGLED, RULE_BAD + " (0, then the length of a request hidden in the body)", cl_body=SMUGGLED),
]

huge = Family("content-length", ("9110-8.6-r6",), allow=HUGE_OK,
              extra=dict(reject=ANY_ERROR, cl_body=BODY))
RULE_HUGE = "a huge Content-Length is refused (400/413/close), never wrapped to a small number"
VARIANTS += [
    huge("smuggle-cl-wraps-2-64", [b"Content-Length: 18446744073709551621"], BODY + SMUGGLED, RULE_HUGE + " (2^64+5)"),
    huge("smuggle-cl-wraps-2-32", [b"Content-Length: 4294967301"], BODY + SMUGGLED, RULE_HUGE + " (2^32+5)"),
]

same = Family("content-length", ("9112-6.3-r5", "9110-8.6-r7"),
              allow=frozenset({"rejected", "length"}), extra=dict(cl_body=BODY))
VARIANTS += [
    same("smuggle-cl-list-same", [b"Content-Length: 5, 5"], BODY, "Content-Length: 5, 5 may be read as 5 or rejected"),
    same("smuggle-cl-two-lines-same", [b"Content-Length: 5", b"Content-Length: 5"], BODY,
         "the same Content-Length on two lines may be read as 5 or rejected"),
]

good = Family("content-length", ("9110-5.5-r1",), allow=frozenset({"length"}),
              extra=dict(cl_body=BODY))
VARIANTS += [
    good("smuggle-cl-ows-around", [b"Content-Length:\t 5 \t"], BODY, "OWS around the value is stripped: 5"),
    Family("content-length", ("9112-6.3-r4",), allow=frozenset({"length"}),
           extra=dict(cl_body=BODY))(
        "smuggle-cl-leading-zeros", [b"Content-Length: 0005"], BODY, "0005 is a valid 1*DIGIT: 5"),
    # octal and decimal differ: 010 read as octal is 8 and leaves 2 octets ("89", answered as the start of the
    # next request, or missing from the echo's body); 0200 read as octal is 128 and leaves a whole request
    Family("content-length", ("9112-6.3-r4",), allow=frozenset({"length"}),
           extra=dict(cl_body=DECIMAL_10))(
        "smuggle-cl-leading-zero-octal-010", [b"Content-Length: 010"], DECIMAL_10,
        "010 is the decimal 10 (1*DIGIT), never the octal 8"),
    Family("content-length", ("9112-6.3-r4",), allow=frozenset({"length"}),
           extra=dict(cl_body=DECIMAL_200))(
        "smuggle-cl-leading-zero-octal-0200", [b"Content-Length: 0200"], DECIMAL_200,
        "0200 is the decimal 200, never the octal 128 (which leaves a request in the body)"),
    Family("content-length", ("9110-5.1-r1",), allow=frozenset({"length"}),
           extra=dict(cl_body=BODY))(
        "smuggle-cl-name-upper-case", [b"CONTENT-LENGTH: 5"], BODY, "field names are case-insensitive: CONTENT-LENGTH"),
]

register(globals(), VARIANTS)

"""RFC 9112 §7.1 and §7.1.1, RFC 9110 §5.6.3-§5.6.4: chunk sizes and chunk framing (smuggling classes 4, 5).

chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF, chunk-size = 1*HEXDIG.
Sizes with signs, prefixes, separators or whitespace without an extension are
malformed (400); huge sizes are refused and never wrap; extensions (with BWS,
tokens, quoted strings and quoted-pairs) are ignored.  Bare LF or other octets
in place of a CRLF are errors (h11 itself accepts some of them).
"""

from __future__ import annotations

from h1conform.smuggling import ANY_ERROR, HUGE_OK, Family, register

TE = b"Transfer-Encoding: chunked"
SMUGGLED = b"GET /h1conform-smuggled HTTP/1.1\r\nHost: x\r\n\r\n"


def chunks(size_line: bytes, data: bytes = b"hello", after: bytes = b"\r\n", last: bytes = b"0\r\n\r\n") -> bytes:
    return size_line + b"\r\n" + data + after + last


size = Family("chunk-size", ("9112-7.1-r2",), extra=dict(chunked_body=b"hello"))
RULE_SIZE = "a malformed chunk size is a grammar error: 400 and close (never guess a length)"
VARIANTS = [
    size(f"smuggle-chunk-size-{name}", [TE], chunks(line), RULE_SIZE)
    for name, line in [("hex-prefix", b"0x5"), ("plus", b"+5"), ("minus", b"-5"), ("underscore", b"5_"),
                       ("leading-underscore", b"_5"), ("leading-space", b" 5"),
                       ("trailing-space", b"5 "), ("trailing-tab", b"5\t"), ("semicolon-no-name", b"5;"),
                       ("nul", b"5\x00"), ("non-hex", b"5g")]
]
overflow = Family("chunk-size", ("9112-7.1-r5",), allow=HUGE_OK,
                  extra=dict(reject=ANY_ERROR, chunked_body=b"hello"))
RULE_OVERFLOW = "a huge chunk size is refused (400/413/close), never read as a small size"
VARIANTS += [
    overflow("smuggle-chunk-size-wraps-2-64", [TE], chunks(b"10000000000000005") + SMUGGLED, RULE_OVERFLOW + " (2^64+5)"),
    overflow("smuggle-chunk-size-seventeen-digits", [TE], chunks(b"F0000000000000005") + SMUGGLED,
             RULE_OVERFLOW + " (17 hex digits, 15*2^64+5)"),
    overflow("smuggle-chunk-size-wraps-2-32", [TE], chunks(b"100000005") + SMUGGLED, RULE_OVERFLOW + " (2^32+5)"),
]
valid = Family("chunk-size", ("9112-7.1-r4",), allow=frozenset({"chunked"}))
VARIANTS += [
    valid("smuggle-chunk-size-upper-hex", [TE], chunks(b"A", b"0123456789"), "hex sizes in upper case: A is 10",
          chunked_body=b"0123456789"),
    valid("smuggle-chunk-size-lower-hex", [TE], chunks(b"a", b"0123456789"), "hex sizes in lower case: a is 10",
          chunked_body=b"0123456789"),
    valid("smuggle-chunk-size-leading-zeros", [TE], chunks(b"0000000000000000005"), "leading zeros: 0...05 is 5",
          chunked_body=b"hello"),
    valid("smuggle-chunk-last-000", [TE], chunks(b"5", last=b"000\r\n\r\n"), "000 is a last-chunk",
          chunked_body=b"hello"),
    valid("smuggle-chunk-many", [TE], b"1\r\nh\r\n1\r\ne\r\n3\r\nllo\r\n0\r\n\r\n", "many chunks, one body",
          chunked_body=b"hello"),
]
ext = Family("chunk-ext", ("9112-7.1.1-r1",), allow=frozenset({"chunked"}),
             extra=dict(chunked_body=b"hello"))
RULE_EXT = "unrecognised chunk extensions are ignored"
VARIANTS += [
    ext("smuggle-chunk-ext-token", [TE], chunks(b"5;foo=bar"), RULE_EXT),
    ext("smuggle-chunk-ext-name-only", [TE], chunks(b"5;foo"), RULE_EXT),
    ext("smuggle-chunk-ext-quoted", [TE], chunks(b'5;a="b;c"'), RULE_EXT + " (quoted value with ;)"),
    ext("smuggle-chunk-ext-on-last", [TE], chunks(b"5", last=b"0;x=y\r\n\r\n"), RULE_EXT + " (on the last chunk)"),
    Family("chunk-ext", ("9110-5.6.3-r1",), allow=frozenset({"chunked"}),
           extra=dict(chunked_body=b"hello"))(
        "smuggle-chunk-ext-bws", [TE], chunks(b"5 ; a = b"), "BWS around ; and = in a chunk extension is accepted"),
    Family("chunk-ext", ("9110-5.6.4-r1",), allow=frozenset({"chunked"}),
           extra=dict(chunked_body=b"hello"))(
        "smuggle-chunk-ext-quoted-pair", [TE], chunks(b'5;a="x\\"y;z"'),
        "a quoted-pair inside a quoted chunk-ext value stands for the octet"),
]
frame = Family("chunk-framing", ("9112-7.1-r3",), extra=dict(chunked_body=b"hello"))
RULE_LF = "bare LF (or other octets) in place of a chunk CRLF is invalid: 400"
VARIANTS += [
    frame("smuggle-chunk-lf-after-size", [TE], b"5\nhello\r\n0\r\n\r\n", RULE_LF),
    frame("smuggle-chunk-lf-after-data", [TE], b"5\r\nhello\n0\r\n\r\n", RULE_LF),
    # no CRLF in the whole body: a parser that reads chunk lines up to CRLF has no chunk-size line yet and may wait
    # for the rest of an incomplete message (RFC 9112 §8); nothing after it is read as a request
    frame("smuggle-chunk-lf-everywhere", [TE], b"5\nhello\n0\n\n", RULE_LF,
          allow=frozenset({"rejected", "stalled"})),
    frame("smuggle-chunk-cr-after-data", [TE], b"5\r\nhello\r0\r\n\r\n", RULE_LF + " (bare CR)"),
    Family("chunk-framing", ("9112-7.1-r2",), extra=dict(chunked_body=b"hello"))(
        "smuggle-chunk-two-bytes-after-data", [TE], b"5\r\nhelloXX0\r\n\r\n",
        "chunk data must be followed by CRLF, not any two octets"),
    Family("chunk-framing", ("9112-7.1-r2",), extra=dict(chunked_body=b"hello"))(
        "smuggle-chunk-nul-in-extension", [TE], b"5;a=\x00\r\nhello\r\n0\r\n\r\n",
        "NUL inside a chunk extension is malformed: 400"),
    Family("chunk-framing", ("9112-7.1-r2",), extra=dict(chunked_body=b"hello"))(
        "smuggle-chunk-unterminated-quote", [TE], b'5;a="b\r\nhello\r\n0\r\n\r\n',
        "an unterminated quoted string in a chunk extension is malformed: 400"),
]

# -- issue 14: empty and CR-broken chunk-size lines, non-token extension names, the empty body ------------------
line = Family("chunk-framing", ("9112-7.1-r2",), extra=dict(chunked_body=b"hello"))
VARIANTS += [
    # an empty line where the next chunk-size belongs: a parser that reads it as 0 (a last chunk) ends the body
    # there, takes the next empty line for the end of the trailers and answers the request after it
    line("smuggle-chunk-size-empty-line", [TE], b"5\r\nhello\r\n\r\n\r\n" + SMUGGLED,
         "an empty chunk-size line is malformed (chunk-size = 1*HEXDIG): 400, never a last chunk"),
    # RFC 9112 §2.2: a bare CR "MUST consider that element to be invalid or replace each bare CR with SP": invalid,
    # the chunk-size line gets 400; read as SP it is "5 hello", still no chunk-size [ chunk-ext ]: 400 either way
    line("smuggle-chunk-cr-after-size", [TE], b"5\rhello\r\n0\r\n\r\n",
         "a bare CR after the chunk size never ends the line: the line is malformed, 400"),
    line("smuggle-chunk-size-cr-before-ext", [TE], b"5\r\r;x\r\nhello\r\n0\r\n\r\n",
         "bare CRs between the chunk size and its extension are malformed (CR is not BWS): 400"),
    line("smuggle-chunk-ext-bare-cr", [TE], b"5;a\rX\r\nhello\r\n0\r\n\r\n",
         "a bare CR inside a chunk extension is malformed (not a token, not a line end): 400"),
    line("smuggle-chunk-ext-invalid-token", [TE], b"5;bad[=x\r\nhello\r\n0\r\n\r\n",
         "a chunk-ext-name that is not a token (\"[\") is malformed: 400"),
    valid("smuggle-chunk-empty-body", [TE], b"0\r\n\r\n",
          "a chunked body of only the last chunk is a valid, empty body: processed", chunked_body=b""),
]

register(globals(), VARIANTS)

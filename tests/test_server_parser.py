"""Unit tests for h1conform_server.parser (sans-IO, no sockets)."""
from __future__ import annotations

import random
import time

import pytest
from h1conform_server.parser import (
    NEED_DATA,
    Body,
    EndOfRequest,
    Limits,
    ProtocolError,
    RequestHead,
    RequestParser,
)
from h1conform_server.quirks import UnknownQuirk, rules_for

SMALL = Limits(max_request_line=100, max_header_bytes=300, max_header_fields=5, max_body=1000, max_chunk_ext=20)


def run(chunks, limits=None, quirks=frozenset(), eof=False):
    """Feed *chunks*, drain events after each; return normalised events (Body pieces merged)."""
    p = RequestParser(limits or Limits(), rules_for(quirks).parser)
    out = []

    def drain():
        while True:
            ev = p.next_event()
            if ev is NEED_DATA:
                return
            if isinstance(ev, Body) and out and isinstance(out[-1], Body):
                out[-1] = Body(out[-1].data + ev.data)
            else:
                out.append(ev)

    try:
        for chunk in chunks:
            p.feed(chunk)
            drain()
        if eof:
            p.feed_eof()
            drain()
    except ProtocolError as exc:
        assert exc.__cause__ is None, "internal parser error: %r" % exc.__cause__
        out.append(("error", exc.status))
        with pytest.raises(ProtocolError):  # the parser stays failed
            p.next_event()
    return out


def splits(data: bytes):
    yield [data]
    yield [data[i : i + 1] for i in range(len(data))]
    rng = random.Random(len(data))
    for _ in range(3):
        cuts = sorted(rng.sample(range(1, len(data)), min(5, len(data) - 1))) if len(data) > 1 else []
        yield [data[a:b] for a, b in zip([0] + cuts, cuts + [len(data)])]


def events_all_ways(data: bytes, **kw):
    results = [run(chunks, **kw) for chunks in splits(data)]
    for other in results[1:]:
        assert other == results[0]
    return results[0]


def H(method=b"GET", target=b"/", version=(1, 1), headers=((b"Host", b"a"),)):
    return RequestHead(method, target, version, list(headers))


VALID = {
    "simple": (b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", [H(), EndOfRequest([])]),
    "leading-crlf": (b"\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", [H(), EndOfRequest([])]),
    "http10-no-host": (b"GET / HTTP/1.0\r\n\r\n", [H(version=(1, 0), headers=()), EndOfRequest([])]),
    "http12-is-11": (b"GET / HTTP/1.2\r\nHost: a\r\n\r\n", [H(), EndOfRequest([])]),
    "ows-stripped": (
        b"GET / HTTP/1.1\r\nHost:  a \t\r\nX-Obs: caf\xe9\r\nX-Empty:\r\n\r\n",
        [H(headers=[(b"Host", b"a"), (b"X-Obs", b"caf\xe9"), (b"X-Empty", b"")]), EndOfRequest([])],
    ),
    "content-length": (
        b"POST /echo HTTP/1.1\r\nhost: a\r\ncontent-length:\t5 \r\n\r\nhelloGET / HTTP/1.1\r\nHost: a\r\n\r\n",
        [
            H(b"POST", b"/echo", headers=[(b"host", b"a"), (b"content-length", b"5")]),
            Body(b"hello"),
            EndOfRequest([]),
            H(),
            EndOfRequest([]),
        ],
    ),
    "chunked-ext-trailers": (
        b"POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n"
        b'5 ; a = "b;c\\"d" ;e\r\nhello\r\n0006;x=y\r\n world\r\nA\r\n0123456789\r\n000;last\r\n'
        b"X-T: 1\r\nContent-Length: 99\r\n\r\n",
        [
            H(b"POST", b"/echo", headers=[(b"Host", b"a"), (b"Transfer-Encoding", b"Chunked")]),
            Body(b"hello world0123456789"),
            EndOfRequest([(b"X-T", b"1"), (b"Content-Length", b"99")]),
        ],
    ),
    "te-list-empty-elements": (
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: , chunked\r\n\r\n0\r\n\r\n",
        [H(b"POST", headers=[(b"Host", b"a"), (b"Transfer-Encoding", b", chunked")]), EndOfRequest([])],
    ),
    "absolute-form": (
        b"GET http://a:80/x?y HTTP/1.1\r\nHost: other\r\n\r\n",
        [H(target=b"http://a:80/x?y", headers=[(b"Host", b"other")]), EndOfRequest([])],
    ),
    "options-star": (b"OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", [H(b"OPTIONS", b"*"), EndOfRequest([])]),
    "connect": (
        b"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n",
        [H(b"CONNECT", b"a:443", headers=[(b"Host", b"a:443")]), EndOfRequest([])],
    ),
    "unknown-method": (b"BREW /pot HTTP/1.1\r\nHost: a\r\n\r\n", [H(b"BREW", b"/pot"), EndOfRequest([])]),
    "ipv6-host-empty-host": (
        b"GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\nGET / HTTP/1.1\r\nHost:\r\n\r\n",
        [H(headers=[(b"Host", b"[::1]:8080")]), EndOfRequest([]), H(headers=[(b"Host", b"")]), EndOfRequest([])],
    ),
    "crlf-between-pipelined": (
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
        [H(b"POST", headers=[(b"Host", b"a"), (b"Content-Length", b"1")]), Body(b"x"), EndOfRequest([]),
         H(), EndOfRequest([])],
    ),
}


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_requests_any_split(name):
    data, expected = VALID[name]
    assert events_all_ways(data) == expected


REQ = b"GET / HTTP/1.1\r\nHost: a\r\n"
CHUNKED = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"

INVALID = [
    # line endings / whitespace (RFC 9112 §2.2, §3, §5)
    (b"GET / HTTP/1.1\nHost: a\r\n\r\n", 400),
    (REQ + b"X: a\n\r\n", 400),
    (REQ + b"X: a\rb\r\n\r\n", 400),
    (b"GET / HTTP/1.1\rHost: a\r\n\r\n", 400),
    (b"\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    (b"GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    (b"GET\t/\tHTTP/1.1\r\nHost: a\r\n\r\n", 400),
    (b" GET / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    (b"GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400),
    (b"GE(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    (b"GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    (b"GET /\r\n", 400),
    # version (RFC 9112 §2.3)
    (b"GET / http/1.1\r\nHost: a\r\n\r\n", 400),
    (b"GET / HTTP/1.10\r\nHost: a\r\n\r\n", 400),
    (b"GET / HTTP/01.1\r\nHost: a\r\n\r\n", 400),
    (b"GET / HTTP/1\r\nHost: a\r\n\r\n", 400),
    (b"GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505),
    (b"GET / HTTP/0.9\r\nHost: a\r\n\r\n", 505),
    # request-target forms (RFC 9112 §3.2)
    (b"GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    (b"GET a:80 HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    (b"GET index.html HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    (b"GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    (b"GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    (b"GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    (b"GET http://u:p@a/ HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    (b"CONNECT a HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    (b"CONNECT a:99999 HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    # fields (RFC 9112 §5, RFC 9110 §5.5)
    (REQ + b"X : a\r\n\r\n", 400),
    (REQ + b"Content-Length\t: 0\r\n\r\n", 400),
    (REQ + b"X: a\r\n b\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\n X: a\r\nHost: a\r\n\r\n", 400),
    (REQ + b"X: a\x00b\r\n\r\n", 400),
    (REQ + b"X: a\x01b\r\n\r\n", 400),
    (REQ + b"No colon\r\n\r\n", 400),
    (REQ + b": empty\r\n\r\n", 400),
    (REQ + b"X@: a\r\n\r\n", 400),
    # Host (RFC 9112 §3.2)
    (b"GET / HTTP/1.1\r\n\r\n", 400),
    (REQ + b"Host: a\r\n\r\n", 400),
    (b"GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: a,b\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: u@h\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: h:80:80\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: h:abc\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: h:99999\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: h/path\r\n\r\n", 400),
    # framing (RFC 9112 §6)
    (REQ + b"Transfer-Encoding: gzip\r\n\r\n", 400),
    (REQ + b"Transfer-Encoding: chunked, gzip\r\n\r\n", 400),
    (REQ + b"Transfer-Encoding: identity\r\n\r\n", 400),
    (REQ + b"Transfer-Encoding: xchunked\r\n\r\n", 400),
    (REQ + b"Transfer-Encoding: chunked, chunked\r\n\r\n", 400),
    (REQ + b"Transfer-Encoding: chunked;foo=bar\r\n\r\n", 400),
    (REQ + b"Transfer-Encoding: gzip;level=1, chunked\r\n\r\n", 400),
    (REQ + b"Transfer-Encoding:\r\n\r\n", 400),
    (REQ + b"Transfer-Encoding: gzip, chunked\r\n\r\n", 501),
    (REQ + b"Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n", 400),
    (b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
    (REQ + b"Content-Length: abc\r\n\r\n", 400),
    (REQ + b"Content-Length: -1\r\n\r\n", 400),
    (REQ + b"Content-Length: +5\r\n\r\n", 400),
    (REQ + b"Content-Length: 5.0\r\n\r\n", 400),
    (REQ + b"Content-Length: 0x5\r\n\r\n", 400),
    (REQ + b"Content-Length: 5 5\r\n\r\n", 400),
    (REQ + b"Content-Length:\r\n\r\n", 400),
    (REQ + b"Content-Length: 5,6\r\n\r\n", 400),
    (REQ + b"Content-Length: 5, 5\r\n\r\n", 400),
    (REQ + b"Content-Length: 5\r\nContent-Length: 6\r\n\r\n", 400),
    (REQ + b"Content-Length: 5\r\nContent-Length: 5\r\n\r\n", 400),
    (REQ + b"Content-Length: 18446744073709551617\r\n\r\n", 413),
    (REQ + b"Content-Length: " + b"9" * 5000 + b"\r\n\r\n", 413),
    (REQ + b"Content-Length: 10485761\r\n\r\n", 413),
    # chunked (RFC 9112 §7.1)
    (CHUNKED + b"0x5\r\nhello\r\n0\r\n\r\n", 400),
    (CHUNKED + b"-5\r\nhello\r\n0\r\n\r\n", 400),
    (CHUNKED + b"5 \r\nhello\r\n0\r\n\r\n", 400),
    (CHUNKED + b"\r\nhello\r\n0\r\n\r\n", 400),
    (CHUNKED + b"5\r\nhelloX\r\n0\r\n\r\n", 400),
    (CHUNKED + b"5\r\nhell\r\n0\r\n\r\n", 400),
    (CHUNKED + b"5\nhello\n0\n\n", 400),
    (CHUNKED + b"5\r\nhello\n0\r\n\r\n", 400),
    (CHUNKED + b"5;a=b c\r\nhello\r\n0\r\n\r\n", 400),
    (CHUNKED + b"5;\r\nhello\r\n0\r\n\r\n", 400),
    (CHUNKED + b"FFFFFFFFFFFFFFFF1\r\nhello\r\n0\r\n\r\n", 400),
    (CHUNKED + b"10000000000000001\r\nhello\r\n0\r\n\r\n", 400),
    (CHUNKED + b"FFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n", 413),
    (CHUNKED + b"5;x=" + b"a" * 5000 + b"\r\nhello\r\n0\r\n\r\n", 400),
    (CHUNKED + b"0\r\nX-T : 1\r\n\r\n", 400),
    (CHUNKED + b"0\r\nX-T: 1\r\n folded\r\n\r\n", 400),
    # lengths (RFC 9112 §3, RFC 9110 §5.4)
    (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: a\r\n\r\n", 414),
    (b"A" * 9000 + b" / HTTP/1.1\r\nHost: a\r\n\r\n", 501),
    (REQ + b"X: " + b"a" * 70000 + b"\r\n\r\n", 431),
    (REQ + b"".join(b"X-%d: v\r\n" % i for i in range(101)) + b"\r\n", 431),
]


@pytest.mark.parametrize("data,status", INVALID, ids=[repr(d[:48]) for d, _ in INVALID])
def test_invalid_requests_any_split(data, status):
    assert events_all_ways(data)[-1] == ("error", status)


SMALL_CASES = [
    (b"GET /" + b"a" * 100 + b" HTTP/1.1\r\nHost: a\r\n\r\n", 414),
    (b"GET /" + b"a" * 86 + b" HTTP/1.1\r\nHost: a\r\n\r\n", None),  # exactly 100 octets: fine
    (b"GET /" + b"a" * 87 + b" HTTP/1.1\r\nHost: a\r\n\r\n", 414),
    (b"M" * 101 + b" / HTTP/1.1\r\n", 501),
    (b"M(" * 60 + b" / HTTP/1.1\r\n", 400),
    (REQ + b"X: " + b"a" * 300 + b"\r\n\r\n", 431),
    (REQ + b"A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n", 431),
    (REQ + b"A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", None),
    (REQ + b"Content-Length: 1001\r\n\r\n", 413),
    (CHUNKED + b"3E9\r\n", 413),
    (CHUNKED + b"3E8\r\n" + b"x" * 1000 + b"\r\n1\r\nx\r\n0\r\n\r\n", 413),
    (CHUNKED + b"1;" + b"a" * 30 + b"\r\nx\r\n0\r\n\r\n", 400),
    (CHUNKED + b"1;" + b"a" * 19 + b"\r\nx\r\n0\r\n\r\n", None),
    (CHUNKED + b"0\r\nX: " + b"t" * 300 + b"\r\n\r\n", 431),
]


@pytest.mark.parametrize("data,status", SMALL_CASES, ids=[repr(d[:40]) for d, _ in SMALL_CASES])
def test_limits_any_split(data, status):
    events = events_all_ways(data, limits=SMALL)
    if status is None:
        assert isinstance(events[-1], EndOfRequest)
    else:
        assert events[-1] == ("error", status)


def test_default_limits_accept_8000_octet_request_line():
    target = b"/" + b"a" * 7980
    events = run([b"GET " + target + b" HTTP/1.1\r\nHost: a\r\n\r\n"])
    assert events[0].target == target


def test_eof_mid_request_is_an_error_and_clean_eof_is_not():
    assert run([b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhello"], eof=True)[-1] == ("error", 400)
    assert run([b"GET / HTTP/1.1\r\nHost: a\r\n"], eof=True)[-1] == ("error", 400)
    assert run([CHUNKED + b"5\r\nhel"], eof=True)[-1] == ("error", 400)
    assert run([b"GET / HTTP/1.1\r\nHost: a\r\n\r\n\r\n"], eof=True) == [H(), EndOfRequest([])]


def test_no_length_means_empty_body_and_next_request_follows():
    data = b"POST /echo HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"
    assert events_all_ways(data) == [H(b"POST", b"/echo"), EndOfRequest([]), H(), EndOfRequest([])]


def test_body_pieces_never_exceed_the_framing():
    data = b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET"
    p = RequestParser()
    p.feed(data)
    assert isinstance(p.next_event(), RequestHead)
    assert p.next_event() == Body(b"abc")
    assert p.next_event() == EndOfRequest([])
    assert p.next_event() is NEED_DATA
    assert p.buffered == 3 and p.in_message


def test_recover_abandon_and_discard():
    p = RequestParser()
    p.feed(b"GET / HTTP/1.1\r\nHost: a b\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n")
    with pytest.raises(ProtocolError):
        p.next_event()
    p.recover()
    assert p.next_event().target == b"/next"
    p = RequestParser()
    p.feed(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 27\r\n\r\nGET /inner HTTP/1.1\r\nHost:\r\n\r\n")
    assert p.next_event().method == b"POST"
    p.abandon_body()
    assert p.next_event().target == b"/inner"
    p = RequestParser()
    p.feed(b"GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /dropped HTTP/1.1\r\n")
    p.next_event(), p.next_event()
    p.discard_buffered()
    assert p.next_event() is NEED_DATA and p.buffered == 0


def test_parser_is_linear_when_fed_byte_by_byte():
    data = REQ + b"".join(b"X-%03d: %s\r\n" % (i, b"v" * 600) for i in range(95)) + b"\r\n"
    assert len(data) > 50000
    start = time.perf_counter()
    events = run([data[i : i + 1] for i in range(len(data))])
    assert isinstance(events[-1], EndOfRequest)
    assert time.perf_counter() - start < 2.0


def test_only_protocol_errors_on_random_input():
    rng = random.Random(1234)
    alphabet = b"GET /HTP1.\r\n :;=\"\\\t0aF5-chunkedContent-LengthTransfer-EncodingHost\x00\xff"
    for _ in range(300):
        blob = bytes(rng.choice(alphabet) for _ in range(rng.randint(1, 120)))
        prefix = rng.choice([b"", REQ, CHUNKED, REQ + b"Content-Length: 3\r\n\r\n"])
        events_all_ways(prefix + blob)  # raises on anything but ProtocolError / differing results


@pytest.mark.parametrize(
    "quirks,data,expected",
    [
        ({"no_leading_crlf_tolerance"}, b"\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", [("error", 400)]),
        ({"ignore_body_on_get"}, b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx",
         [H(headers=[(b"Host", b"a"), (b"Content-Length", b"1")]), EndOfRequest([])]),
        ({"answer_incomplete_head"}, b"GET / HTTP/1.1\r\nHost: a\r\n", [H(headers=()), EndOfRequest([]), ("error", 400)]),
        ({"body_first_read_only"}, b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\n\r\nabc",
         [H(b"POST", headers=[(b"Host", b"a"), (b"Content-Length", b"9")]), Body(b"abc"), EndOfRequest([])]),
    ],
)
def test_parser_level_quirks(quirks, data, expected):
    assert run([data], quirks=frozenset(quirks)) == expected


def test_wait_for_body_without_length_reads_until_eof():
    p = RequestParser(rules=rules_for({"wait_for_body_without_length"}).parser)
    p.feed(b"POST / HTTP/1.1\r\nHost: a\r\n\r\nrest")
    assert p.next_event().method == b"POST"
    assert p.next_event() == Body(b"rest")
    assert p.next_event() is NEED_DATA
    p.feed_eof()
    assert p.next_event() == EndOfRequest([])


def test_unknown_quirk_is_rejected():
    with pytest.raises(UnknownQuirk):
        rules_for({"no_such_quirk"})

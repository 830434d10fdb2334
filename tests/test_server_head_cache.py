"""The parser's cache of bodiless GET/HEAD heads: a hit gives exactly what a fresh parse gives."""

from __future__ import annotations

import pytest
from h1conform_server.parser import NEED_DATA, Limits, ProtocolError, RequestParser
from h1conform_server.quirks import rules_for


def events(parser: RequestParser, data: bytes) -> list:
    parser.feed(data)
    out = []
    while True:
        try:
            ev = parser.next_event()
        except ProtocolError as exc:
            return out + [("error", exc.status)]
        if ev is NEED_DATA:
            return out
        out.append(ev)


HEADS = [
    b"GET /index.html HTTP/1.1\r\nHost: a\r\n\r\n",
    b"HEAD / HTTP/1.0\r\n\r\n",
    b"GET /x?y=1 HTTP/1.1\r\nHost: a\r\nAccept: */*\r\nUser-Agent: t\r\n\r\n",
]


@pytest.mark.parametrize("head", HEADS)
def test_a_cached_head_parses_like_a_fresh_one(head):
    limits = Limits(max_header_fields=99)  # a Limits value of its own: starts with an empty cache
    first, second = RequestParser(limits), RequestParser(limits)
    fresh = events(first, head)
    assert head in first._heads  # stored by the first parse
    assert events(second, head + head) == fresh + fresh  # served from the cache, twice, pipelined


def test_heads_with_a_body_or_an_error_are_not_cached():
    limits = Limits(max_header_fields=98)
    p = RequestParser(limits)
    events(p, b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx")
    events(RequestParser(limits), b"GET / HTTP/1.1\r\n\r\n")  # no Host: 400
    assert not p._heads


def test_parsers_with_other_rules_do_not_use_the_cache():
    assert RequestParser(rules=rules_for({"bare_lf_accepted"}).parser)._heads is None
    assert RequestParser(rules=rules_for({"no_date"}).parser)._heads is not None  # a quirk elsewhere


def test_the_cache_is_per_limits_value():
    a, b = RequestParser(Limits(max_header_fields=97)), RequestParser(Limits(max_header_fields=96))
    assert a._heads is not b._heads
    events(a, HEADS[0])
    assert HEADS[0] not in b._heads

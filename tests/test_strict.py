"""The strict layer flags what h11 tolerates in a response."""

from __future__ import annotations

import pytest
from h1conform import strict
from h1conform.reference import RequestInfo, parse_responses

GOOD_HEAD = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n"


def reqs(found):
    return {f.requirement for f in found}


def test_clean_head_has_no_findings():
    assert strict.check_head(GOOD_HEAD) == []
    assert strict.check_head(b"HTTP/1.1 204 \r\n\r\n") == []  # empty reason, SP kept


@pytest.mark.parametrize("head, requirement", [
    (b"HTTP/1.1 200 OK\nContent-Length: 0\n\n", "9110-2.2-r1"),  # bare LF
    (b"HTTP/1.1 200 OK\r\nX-A: a\rb\r\n\r\n", "9112-2.2-r4"),  # bare CR
    (b"HTTP/1.1 200 OK\r\nX-A: a\r\n b\r\n\r\n", "9112-5.2-r1"),  # obs-fold
    (b"HTTP/1.1 200 OK\r\n X-A: a\r\n\r\n", "9112-2.2-r6"),  # SP before the first field
    (b"http/1.1 200 OK\r\n\r\n", "9112-4-r2"),  # lower-case HTTP-name
    (b"HTTP/1.1 200\r\n\r\n", "9112-4-r1"),  # no SP after the code
    (b"HTTP/1.1 200 OK\r\nX A: b\r\n\r\n", "9110-2.2-r1"),  # field name not a token
    (b"HTTP/1.1 200 OK\r\nX-A : b\r\n\r\n", "9110-2.2-r1"),  # SP before the colon
])
def test_head_findings(head, requirement):
    assert requirement in reqs(strict.check_head(head))


def test_field_findings():
    assert "9112-6.2-r1" in reqs(strict.check_fields([(b"Content-Length", b"5"), (b"Transfer-Encoding", b"chunked")]))
    assert "9110-5.3-r1" in reqs(strict.check_fields([(b"Content-Length", b"5"), (b"content-length", b"5")]))
    assert "9110-2.2-r1" in reqs(strict.check_fields([(b"Content-Length", b"+5")]))
    assert "9112-6.1-r2" in reqs(strict.check_fields([(b"Transfer-Encoding", b"chunked, chunked")]))


@pytest.mark.parametrize("body, ok", [
    (b"5\r\nhello\r\n0\r\n\r\n", True),
    (b"5;a=b\r\nhello\r\n0\r\nX-T: 1\r\n\r\n", True),
    (b"5 \r\nhello\r\n0\r\n\r\n", False),  # whitespace after the size: h11 accepts it
    (b"5\nhello\r\n0\r\n\r\n", False),  # bare LF after the size
    (b"5\r\nhelloXX0\r\n\r\n", False),  # no CRLF after the data
])
def test_chunked_scan(body, ok):
    assert (strict.check_chunked(body) == []) is ok


def test_reference_applies_the_strict_layer_where_h11_is_lenient():
    data = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n"
    reader = parse_responses(data, [RequestInfo()])
    assert reader.error is None and reader.responses[0].body == b"hello"  # h11 took it
    assert "9110-2.2-r1" in reqs(reader.responses[0].findings)  # we did not


def test_reference_frames_head_responses_without_body():
    data = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n" + GOOD_HEAD
    reader = parse_responses(data, [RequestInfo("HEAD"), RequestInfo("GET")])
    assert [r.status for r in reader.responses] == [200, 200]
    assert reader.responses[1].start == reader.responses[0].end


def test_reference_counts_responses_after_a_close():
    first = b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    reader = parse_responses(first + GOOD_HEAD, [RequestInfo(), RequestInfo()])
    assert len(reader.responses) == 2  # h11 alone would refuse the second


def test_reference_reports_truncated_response():
    reader = parse_responses(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", [RequestInfo()])
    assert reader.error and not reader.responses[0].complete

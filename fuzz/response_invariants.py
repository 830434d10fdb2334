"""Invariants of the client-side reference (:mod:`h1conform.reference`) on arbitrary response streams.

Used by ``fuzz_response_checker.py`` and by the corpus replay in plain pytest.
"""

from __future__ import annotations

from typing import List

from h1conform.reference import RequestInfo, ResponseReader

from .differential import Finding, splits

METHODS = ("GET", "HEAD", "POST", "CONNECT")


def requests_for(selector: int) -> List[RequestInfo]:
    return [RequestInfo(METHODS[(selector >> (2 * i)) & 3]) for i in range(4)]


def _summary(reader: ResponseReader) -> tuple:
    # An incomplete response (cut by an error) ends where the bytes received *so far* ended: that offset
    # depends on the split by design (the reader stops storing after an error), so it is left out.
    return (tuple((r.status, r.framing, r.body, r.complete, r.start, r.end if r.complete else None)
                  for r in reader.responses), reader.error is not None)


def read(stream_chunks, requests) -> ResponseReader:
    reader = ResponseReader(requests)
    for chunk in stream_chunks:
        reader.feed(chunk)
    reader.feed_eof()
    return reader


def check(data: bytes) -> None:
    if not data:
        return
    requests = requests_for(data[0])
    stream = data[1:]
    whole = read([stream], requests)
    if len(whole.responses) > len(stream) // 10 + 1:
        raise Finding("progress", f"{len(whole.responses)} responses from {len(stream)} bytes")
    kept = sum(len(r.head) + len(r.body) for r in whole.responses)
    if kept > 2 * len(stream) + 4096:
        raise Finding("memory", f"{kept} bytes kept for a {len(stream)}-byte stream")
    if len(stream) > 1:
        split = read(splits(stream, "random"), requests)
        if _summary(split) != _summary(whole):
            raise Finding("split", f"split feeding gives {_summary(split)!r:.300} but whole gives "
                          f"{_summary(whole)!r:.300}")

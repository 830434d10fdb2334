"""Byte ranges (RFC 9110 §14) on static files: single ranges, suffix and open-ended ranges,
several ranges as multipart/byteranges, 416 with ``Content-Range: bytes */length``, and If-Range.

``apply(request, response, validators, rules)`` turns the 200 response to a GET into a 206 or 416
when the request has a Range field (and If-Range, if present, holds); otherwise it returns it unchanged.
"""
from __future__ import annotations

from typing import List, Optional, Tuple

from .conditional import Validators
from .grammar import RANGE_SPEC
from .messages import Response, error_response

MAX_RANGES = 16  # more ranges than this: ignored (RFC 9110 §14.2, a denial-of-service guard)
BOUNDARY = "h1conform-byteranges-7d1f"


def parse_ranges(value: str, length: int, max_ranges: Optional[int] = MAX_RANGES) -> Optional[List[Tuple[int, int]]]:
    """The satisfiable (first, last) pairs of a bytes Range value; None when the value is to be ignored
    (another unit, invalid syntax, more than *max_ranges* ranges).  An empty list means unsatisfiable."""
    unit, eq, specs = value.partition("=")
    if not eq or unit.strip(" \t").lower() != "bytes":
        return None
    parts = [p for p in specs.split(",") if p.strip(" \t")]
    if not parts or max_ranges is not None and len(parts) > max_ranges:
        return None
    out = []
    for part in parts:
        m = RANGE_SPEC.fullmatch(part)
        if m is None:
            return None
        if m.group(3) is not None:  # suffix-range
            n = int(m.group(3))
            if n > 0 and length > 0:
                out.append((max(0, length - n), length - 1))
            continue
        first = int(m.group(1))
        last = int(m.group(2)) if m.group(2) else None
        if last is not None and last < first:
            return None  # invalid range-spec: ignore the whole field
        if first < length:
            out.append((first, length - 1 if last is None or last >= length else last))
    return out


def content_range(first: int, last: int, length: int) -> str:
    return "bytes %d-%d/%d" % (first, last, length)


def apply(request, response, v: Validators, rules):
    """Answer a Range request on a 200 response to a method of ``rules.range_methods``; anything else
    passes through unchanged."""
    if response.status != 200 or request.method not in rules.range_methods:
        return response
    values = request.header_values("Range")
    if len(values) != 1 or not rules.if_range(request, v):
        return response
    try:
        ranges = rules.parse_ranges(values[0], len(response.body))
    except ValueError:  # pragma: no cover - the regex only lets digits through
        ranges = None
    if ranges is None:
        return response
    if not ranges:
        return error_response(416, "no satisfiable range", [("Content-Range", "bytes */%d" % len(response.body))])
    return rules.partial(response, ranges, rules)


def _split(response) -> Tuple[Optional[str], list]:
    """(Content-Type, the other fields) of the 200 response."""
    h = response.headers
    ctype = h[0][1] if h and h[0][0] == "Content-Type" else None
    return ctype, [(n, val) for n, val in h if n.lower() != "content-type"]


def partial(response, ranges: List[Tuple[int, int]], rules):
    """The 206 to satisfiable *ranges*: one range as such, several as multipart/byteranges."""
    if len(ranges) > 1:
        return multipart(response, ranges, rules)
    ctype, headers = _split(response)
    (first, last), length = ranges[0], len(response.body)
    hdrs = ([("Content-Type", ctype)] if ctype else []) + headers
    hdrs.append(("Content-Range", rules.content_range(first, last, length)))
    return Response(206, hdrs, response.body[first:last + 1])


def multipart(response, ranges: List[Tuple[int, int]], rules):
    """A multipart/byteranges 206: one body part, with its Content-Range, per range."""
    ctype, headers = _split(response)
    body, length = response.body, len(response.body)
    parts = []
    for first, last in ranges:
        part = "--%s\r\n" % BOUNDARY
        if ctype:
            part += "Content-Type: %s\r\n" % ctype
        part += "Content-Range: %s\r\n" % rules.content_range(first, last, length)
        parts.append(part.encode("latin-1") + b"\r\n" + body[first:last + 1] + b"\r\n")
    payload = b"".join(parts) + ("--%s--\r\n" % BOUNDARY).encode("latin-1")
    return Response(206, [("Content-Type", "multipart/byteranges; boundary=%s" % BOUNDARY)] + headers, payload)

"""Byte ranges (RFC 9110 §14) on static files: single ranges, suffix and open-ended ranges,
several ranges as multipart/byteranges, 416 with ``Content-Range: bytes */length``, and If-Range.

``apply(request, response, validators, quirks)`` turns the 200 response to a GET into a 206 or 416
when the request has a Range field (and If-Range, if present, holds); otherwise it returns it unchanged.
"""
from __future__ import annotations

import re
from typing import List, Optional, Tuple

from .conditional import Validators, if_range_holds
from .messages import Response, error_response

MAX_RANGES = 16  # more ranges than this: ignored (RFC 9110 §14.2, a denial-of-service guard)
BOUNDARY = "h1conform-byteranges-7d1f"
_SPEC = re.compile(r"\s*(?:([0-9]+)-([0-9]*)|-([0-9]+))\s*")


def parse_ranges(value: str, length: int, quirks: frozenset) -> Optional[List[Tuple[int, int]]]:
    """The satisfiable (first, last) pairs of a bytes Range value; None when the value is to be ignored
    (another unit, invalid syntax, too many ranges).  An empty list means unsatisfiable."""
    unit, eq, specs = value.partition("=")
    unit = unit.strip(" \t").lower()
    if not eq or (unit != "bytes" and "range_any_unit" not in quirks):
        return None
    parts = [p for p in specs.split(",") if p.strip(" \t")]
    if not parts or len(parts) > MAX_RANGES and "range_unlimited" not in quirks:
        return None
    out = []
    for part in parts:
        m = _SPEC.fullmatch(part)
        if m is None:
            return None
        if m.group(3) is not None:  # suffix-range
            n = int(m.group(3))
            if n > 0 and length > 0 and "ranges_only_from_zero" not in quirks:
                out.append((max(0, length - n), length - 1))
            continue
        first = int(m.group(1))
        last = int(m.group(2)) if m.group(2) else None
        if last is not None and last < first:
            return None  # invalid range-spec: ignore the whole field
        if first < length and not (first > 0 and "ranges_only_from_zero" in quirks):
            out.append((first, length - 1 if last is None or last >= length else last))
    return out


def _content_range(first: int, last: int, length: int, quirks: frozenset) -> str:
    return "bytes %d-%d/%d" % (first, last + ("content_range_off_by_one" in quirks), length)


def apply(request, response, v: Validators, quirks: frozenset):
    """Answer a Range request on a 200 GET response; anything else passes through unchanged."""
    values = request.header_values("Range")
    if not values and "range_from_content_range" in quirks:  # quirk: a request Content-Range read as a Range
        m = re.match(r"\s*bytes\s+([0-9]+-[0-9]+)/", ",".join(request.header_values("Content-Range")))
        values = ["bytes=" + m.group(1)] if m else []
    if response.status != 200 or len(values) != 1 or "no_ranges" in quirks:
        return response
    if request.method != "GET" and not (request.method == "HEAD" and "range_on_head" in quirks):
        return response
    if not if_range_holds(request, v, quirks):
        return response
    body = response.body
    length = len(body)
    try:
        ranges = parse_ranges(values[0], length, quirks)
    except ValueError:  # pragma: no cover - the regex only lets digits through
        ranges = None
    if "range_overflow_500" in quirks and any(len(d) > 18 for d in re.findall(r"[0-9]+", values[0])):
        return error_response(500, "range arithmetic overflow")
    if ranges is None:
        return response
    headers = [(n, val) for n, val in response.headers if n.lower() != "content-type"]
    ctype = response.headers[0][1] if response.headers and response.headers[0][0] == "Content-Type" else None
    if not ranges:
        if "unsatisfiable_200" in quirks:
            return response
        extra = [] if "no_416_content_range" in quirks else [("Content-Range", "bytes */%d" % length)]
        return error_response(416, "no satisfiable range", extra)
    if len(ranges) == 1 and "single_range_multipart" not in quirks:
        first, last = ranges[0]
        hdrs = ([("Content-Type", ctype)] if ctype else []) + headers
        hdrs.append(("Content-Range", _content_range(first, last, length, quirks)))
        return Response(206, hdrs, body[first:last + 1])
    parts = []
    for first, last in ranges:
        part = "--%s\r\n" % BOUNDARY
        if ctype:
            part += "Content-Type: %s\r\n" % ctype
        if "multipart_parts_without_content_range" not in quirks:
            part += "Content-Range: %s\r\n" % _content_range(first, last, length, quirks)
        parts.append(part.encode("latin-1") + b"\r\n" + body[first:last + 1] + b"\r\n")
    payload = b"".join(parts) + ("--%s--\r\n" % BOUNDARY).encode("latin-1")
    hdrs = [("Content-Type", "multipart/byteranges; boundary=%s" % BOUNDARY)] + headers
    if "multipart_top_level_content_range" in quirks:
        hdrs.append(("Content-Range", _content_range(ranges[0][0], ranges[-1][1], length, quirks)))
    return Response(206, hdrs, payload)

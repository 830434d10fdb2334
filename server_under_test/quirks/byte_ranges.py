"""Quirks of HTTP semantics (RFC 9110 §14): byte ranges.

They swap the range parser, the Content-Range formatter or the 206 builder (``AppRules.parse_ranges``,
``content_range``, ``partial``), change the methods whose Range is answered, or change the answer after.
"""
from __future__ import annotations

import functools
import re
from dataclasses import replace
from typing import List, Optional, Tuple

from .. import ranges
from ..messages import Request, Response
from .app_hooks import answer, dropping, upload_path
from .declare import family

quirk = family("semantics")

_PART_HEAD = re.compile(rb"(--" + ranges.BOUNDARY.encode("ascii") + rb"\r\n(?:Content-Type: [^\r\n]*\r\n)?)"
                        rb"Content-Range: bytes ([0-9]+)-([0-9]+)/([0-9]+)\r\n")
_MULTIPART = "multipart/byteranges"


def any_unit(value: str, length: int) -> Optional[List[Tuple[int, int]]]:
    """Whatever the unit, the ranges are read as bytes."""
    _, eq, specs = value.partition("=")
    return ranges.parse_ranges("bytes=" + specs, length) if eq else None


def from_zero_only(value: str, length: int) -> Optional[List[Tuple[int, int]]]:
    found = ranges.parse_ranges(value, length)
    return found if found is None else [r for r in found if r[0] == 0]


def unsatisfiable_ignored(value: str, length: int) -> Optional[List[Tuple[int, int]]]:
    return ranges.parse_ranges(value, length) or None


def off_by_one(first: int, last: int, length: int) -> str:
    return ranges.content_range(first, last + 1, length)


def content_range_as_range(request: Request) -> Request:
    """A GET with Content-Range and no Range is read as if the Content-Range were a Range."""
    if request.method != "GET" or request.header_values("Range"):
        return request
    m = re.match(r"\s*bytes\s+([0-9]+-[0-9]+)/", ",".join(request.header_values("Content-Range")))
    return replace(request, headers=request.headers + [("Range", "bytes=" + m.group(1))]) if m else request


def overflow_500(request: Request, response: Response) -> Response:
    """A range number of more than 18 digits on a GET of a file: 500."""
    values = request.header_values("Range")
    if request.method != "GET" or len(values) != 1 or not any(len(d) > 18 for d in re.findall(r"[0-9]+", values[0])):
        return response
    of_a_file = response.status == 416 or (
        response.status in (200, 206) and any(n == "ETag" for n, _ in response.headers) and not upload_path(request))
    return answer(500, "range arithmetic overflow") if of_a_file else response


def invalid_spec_500(request: Request, response: Response) -> Response:
    """A Range whose specifier has no digit at all (``bytes=abc-xyz``) on a GET of a file: 500."""
    values = request.header_values("Range")
    if request.method != "GET" or len(values) != 1 or re.search(r"[0-9]", values[0]) or "=" not in values[0]:
        return response
    return answer(500, "cannot parse the range") if response.status in (200, 206, 416) else response


def _multipart(response: Response) -> bool:
    return response.status == 206 and any(n == "Content-Type" and v.startswith(_MULTIPART) for n, v in response.headers)


def top_level_content_range(request: Request, response: Response) -> Response:
    parts = _PART_HEAD.findall(response.body) if _multipart(response) else []
    if parts:
        response.headers.append(("Content-Range", "bytes %s-%s/%s" % (
            parts[0][1].decode(), parts[-1][2].decode(), parts[0][3].decode())))
    return response


def parts_without_content_range(request: Request, response: Response) -> Response:
    if _multipart(response):
        response.body = _PART_HEAD.sub(rb"\1", response.body)
    return response


quirk(
    "range_any_unit",
    "a Range with an unknown unit (items=0-5) is served as bytes",
    breaks={"range-unknown-unit-ignored"},
    app=dict(parse_ranges=any_unit),
)
quirk(
    "range_on_head",
    "HEAD requests with Range are answered 206",
    breaks={"range-ignored-on-head"},
    app=dict(range_methods=frozenset({"GET", "HEAD"})),
)
quirk(
    "range_overflow_500",
    "range numbers longer than 18 digits are answered 500",
    breaks={"range-huge-number-handled"},
    app=dict(after=(overflow_500,)),
)
quirk(
    "invalid_range_500",
    "a Range specifier without a digit (bytes=abc-xyz) is answered 500",
    breaks={"range-invalid-spec-ignored-or-rejected"},
    app=dict(after=(invalid_spec_500,)),
)
quirk(
    "range_unlimited",
    "any number of ranges is served as one multipart/byteranges response",
    breaks={"range-many-overlapping-guarded"},
    app=dict(parse_ranges=functools.partial(ranges.parse_ranges, max_ranges=None)),
)
quirk(
    "ranges_only_from_zero",
    "byte ranges that do not start at byte 0 are answered 416",
    breaks={
        "range-content-range-valid", "range-last-clipped", "range-multipart-parts-content-range",
        "range-open-ended", "range-satisfiable-served", "range-suffix"
    },
    app=dict(parse_ranges=from_zero_only),
)
quirk(
    "no_ranges",
    "Range is ignored: always 200 with the full representation",
    breaks={
        "cond-if-range-etag-mismatch-full", "cond-if-range-old-date-full", "range-416-content-range",
        "range-content-range-valid", "range-first-bytes", "range-last-clipped",
        "range-multipart-byteranges", "range-multipart-parts-content-range", "range-open-ended",
        "range-partial-keeps-200-fields", "range-satisfiable-served", "range-single-not-multipart",
        "range-suffix", "range-support-recorded", "range-unsatisfiable-416"
    },
    app=dict(range_methods=frozenset()),
)
quirk(
    "unsatisfiable_200",
    "an unsatisfiable Range is answered 200 with the full representation instead of 416",
    breaks={"range-416-content-range", "range-unsatisfiable-416"},
    app=dict(parse_ranges=unsatisfiable_ignored),
)
quirk(
    "range_from_content_range",
    "a GET with Content-Range and no Range is answered 206 with that range",
    breaks={"range-content-range-in-request-ignored"},
    app=dict(rewrite=(content_range_as_range,)),
)
quirk(
    "content_range_off_by_one",
    "Content-Range says last-byte-pos + 1 (the body is right)",
    breaks={
        "range-content-range-valid", "range-first-bytes", "range-last-clipped",
        "range-multipart-parts-content-range", "range-open-ended", "range-suffix"
    },
    app=dict(content_range=off_by_one),
)
quirk(
    "no_416_content_range",
    "416 responses carry no Content-Range",
    breaks={"range-416-content-range"},
    app=dict(after=(dropping(416, "Content-Range"),)),
)
quirk(
    "multipart_top_level_content_range",
    "multipart/byteranges responses also carry a Content-Range in the header section",
    breaks={"range-multipart-byteranges"},
    app=dict(after=(top_level_content_range,)),
)
quirk(
    "multipart_parts_without_content_range",
    "multipart/byteranges body parts carry no Content-Range",
    breaks={"range-multipart-parts-content-range"},
    app=dict(after=(parts_without_content_range,)),
)
quirk(
    "single_range_multipart",
    "a single range is answered as multipart/byteranges",
    breaks={
        "range-content-range-valid", "range-first-bytes", "range-last-clipped", "range-open-ended",
        "range-single-not-multipart", "range-suffix", "range-support-recorded"
    },
    app=dict(partial=ranges.multipart),
)

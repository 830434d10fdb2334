"""Conditional requests (RFC 9110 §13): validators of a static file and the precondition order of §13.2.2.

``evaluate(request, validators, quirks)`` returns 304, 412 or None (perform the method).  It is only
called when the unconditional response would be a 2xx (an existing resource, GET or HEAD): §13.2.1.
"""
from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from email.utils import formatdate
from typing import List, Optional, Tuple

from .messages import _IMF, _RFC850, parse_http_date

_TAG = re.compile(r'\s*(W/)?("[\x21\x23-\x7e\x80-\xff]*")\s*')


@dataclass(frozen=True)
class Validators:
    etag: str  # strong entity-tag, quoted
    mtime: int  # seconds since the epoch, never in the future
    last_modified: str  # IMF-fixdate of mtime


def static_validators(st: os.stat_result) -> Validators:
    """The validators of a file: ETag from size and mtime, Last-Modified clamped to now (§8.8.2.1)."""
    mtime = min(int(st.st_mtime), int(time.time()))
    return Validators('"%x-%x"' % (st.st_size, st.st_mtime_ns), mtime, formatdate(mtime, usegmt=True))


def _tags(values: List[str]) -> Tuple[bool, List[Tuple[bool, str]]]:
    """(star, [(weak, opaque-tag)]) of an If-Match / If-None-Match list; malformed members are skipped."""
    star, tags = False, []
    for element in ",".join(values).split(","):
        if element.strip(" \t") == "*":
            star = True
            continue
        m = _TAG.fullmatch(element)
        if m:
            tags.append((bool(m.group(1)), m.group(2)))
    return star, tags


def if_match(values: List[str], etag: str, quirks: frozenset) -> bool:
    """§13.1.1: strong comparison; a weak tag never matches."""
    star, tags = _tags(values)
    weak_ok = "if_match_weak" in quirks
    return star or any(tag == etag and (weak_ok or not weak) for weak, tag in tags)


def if_none_match_false(values: List[str], etag: str, quirks: frozenset) -> bool:
    """§13.1.2: weak comparison; the condition is false when some member matches."""
    star, tags = _tags(values)
    strong_only = "if_none_match_strong" in quirks
    return star or any(tag == etag and not (strong_only and weak) for weak, tag in tags)


def _date(values: List[str], quirks: frozenset = frozenset()) -> Optional[int]:
    """One valid HTTP-date (any of the three formats, RFC 9110 §5.6.7), else None."""
    if len(values) != 1:
        return None
    value = values[0].strip(" \t")
    if "http_date_imf_only" in quirks and not _IMF.fullmatch(value):
        return None
    m = _RFC850.fullmatch(value)
    if m and "rfc850_years_2000s" in quirks:  # quirk: 94 -> 2094
        value = value.replace("-%s " % m.group(3), "-20%s " % m.group(3)).split(", ", 1)[1]
        day, mon, year_time = value.split("-", 2)
        value = "Mon, %s %s %s" % (day, mon, year_time)
        return parse_http_date(value)
    return parse_http_date(value)


def evaluate(request, v: Validators, quirks: frozenset) -> Optional[int]:
    """RFC 9110 §13.2.2, steps 1-4, for GET/HEAD on an existing representation."""
    im = request.header_values("If-Match")
    ius = request.header_values("If-Unmodified-Since")
    inm = request.header_values("If-None-Match")
    ims = request.header_values("If-Modified-Since")
    safe = request.method in ("GET", "HEAD")
    if "precondition_order_inm_first" in quirks and inm and if_none_match_false(inm, v.etag, quirks):
        return 304 if safe else 412
    if im and "ignore_if_match" not in quirks:
        if not if_match(im, v.etag, quirks):
            return 412
    elif ius and "ignore_if_unmodified_since" not in quirks:
        since = _date(ius, quirks)
        if since is None and "invalid_ius_412" in quirks:
            return 412
        if since is not None and v.mtime > since:
            return 412
    if inm and "ignore_if_none_match" not in quirks:
        if if_none_match_false(inm, v.etag, quirks):
            return 304 if safe else 412
        if "ims_overrides_inm" not in quirks:
            return None
    if ims and safe and "ignore_if_modified_since" not in quirks:
        since = _date(ims, quirks)
        if since is None and "invalid_ims_not_modified" in quirks and ims:
            return 304
        if since is not None and v.mtime <= since:
            return 304
    if "if_range_alone_412" in quirks and not request.header_values("Range") and request.header_values("If-Range"):
        return None if if_range_holds(request, v, quirks) else 412
    return None


def if_range_holds(request, v: Validators, quirks: frozenset) -> bool:
    """§13.1.5: an entity-tag must match strongly; a date must equal Last-Modified exactly."""
    values = request.header_values("If-Range")
    if not values or "ignore_if_range" in quirks:
        return True
    value = values[0].strip(" \t")
    if value[:1] == '"' or value[:3] == 'W/"':
        return value == v.etag
    return value == v.last_modified

"""Conditional requests (RFC 9110 §13): validators of a static file and the precondition order of §13.2.2.

``evaluate(request, validators, rules)`` returns 304, 412 or None (perform the method).  It is only
called when the unconditional response would be a 2xx (an existing resource): §13.2.1.  Each precondition
field is evaluated by the rules' function of that name (:func:`if_match`, ... here, when strict), which
says True (the condition holds), False, or None (not evaluated: as if the field were absent).
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from email.utils import formatdate
from typing import List, Optional, Tuple

from .grammar import ENTITY_TAG


@dataclass(frozen=True)
class Validators:
    etag: str  # strong entity-tag, quoted
    mtime: int  # seconds since the epoch, never in the future
    last_modified: str  # IMF-fixdate of mtime


def static_validators(st: os.stat_result) -> Validators:
    """The validators of a file: ETag from size and mtime, Last-Modified clamped to now (§8.8.2.1)."""
    mtime = min(int(st.st_mtime), int(time.time()))
    return Validators('"%x-%x"' % (st.st_size, st.st_mtime_ns), mtime, formatdate(mtime, usegmt=True))


def tags(values: List[str]) -> Tuple[bool, List[Tuple[bool, str]]]:
    """(star, [(weak, opaque-tag)]) of an If-Match / If-None-Match list; malformed members are skipped."""
    star, out = False, []
    for element in ",".join(values).split(","):
        if element.strip(" \t") == "*":
            star = True
            continue
        m = ENTITY_TAG.fullmatch(element)
        if m:
            out.append((bool(m.group(1)), m.group(2)))
    return star, out


def if_match(values: List[str], v: Validators, rules=None) -> Optional[bool]:
    """§13.1.1: strong comparison; a weak tag never matches."""
    star, members = tags(values)
    return star or any(tag == v.etag and not weak for weak, tag in members)


def if_none_match(values: List[str], v: Validators, rules=None) -> Optional[bool]:
    """§13.1.2: weak comparison; the condition is false when some member matches."""
    star, members = tags(values)
    return not (star or any(tag == v.etag for _, tag in members))


def http_date(values: List[str], rules) -> Optional[int]:
    """One valid HTTP-date (any of the three formats, RFC 9110 §5.6.7), else None."""
    return rules.parse_date(values[0].strip(" \t")) if len(values) == 1 else None


def if_unmodified_since(values: List[str], v: Validators, rules) -> Optional[bool]:
    """§13.1.4: an invalid date is ignored."""
    since = http_date(values, rules)
    return None if since is None else v.mtime <= since


def if_modified_since(values: List[str], v: Validators, rules) -> Optional[bool]:
    """§13.1.3: an invalid date is ignored."""
    since = http_date(values, rules)
    return None if since is None else v.mtime > since


def evaluate(request, v: Validators, rules) -> Optional[int]:
    """RFC 9110 §13.2.2, steps 1-4, then the rules' ``preconditions`` hooks."""
    status = _steps(request, v, rules)
    for hook in rules.preconditions:
        status = hook(request, v, status, rules)
    return status


def _steps(request, v: Validators, rules) -> Optional[int]:
    im = request.header_values("If-Match")
    held = rules.if_match(im, v, rules) if im else None
    if held is None:
        ius = request.header_values("If-Unmodified-Since")
        held = rules.if_unmodified_since(ius, v, rules) if ius else None
    if held is False:
        return 412
    safe = request.method in ("GET", "HEAD")
    inm = request.header_values("If-None-Match")
    if inm:
        held = rules.if_none_match(inm, v, rules)
        if held is False:
            return 304 if safe else 412
        if held:
            return None  # step 4 is skipped when If-None-Match was evaluated
    ims = request.header_values("If-Modified-Since") if safe else None
    if ims and rules.if_modified_since(ims, v, rules) is False:
        return 304
    return None


def if_range_holds(request, v: Validators) -> bool:
    """§13.1.5: an entity-tag must match strongly; a date must equal Last-Modified exactly."""
    values = request.header_values("If-Range")
    if not values:
        return True
    value = values[0].strip(" \t")
    if value[:1] == '"' or value[:3] == 'W/"':
        return value == v.etag
    return value == v.last_modified

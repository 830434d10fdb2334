"""The AppRules: what the application answers (the app's seam); strict by default.

Only quirks change them (see quirks/__init__.py).  Three kinds of field:

- hooks (tuples, empty when strict; they add up across quirks): functions the app calls at one point;
- strict pieces: a function the app calls for one piece of logic, whose default is the strict one;
  a quirk swaps it (only one quirk of a combination may);
- policies: plain values (sets of names) whose default is the strict choice.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, FrozenSet

from . import conditional, negotiation, ranges, semantics
from .messages import parse_http_date


@dataclass(frozen=True)
class AppRules:
    # ---------------------------------------------------------------- hooks
    #: ``(request) -> request``: the request the app goes on with (the content a PUT stores, ...)
    rewrite: tuple = ()
    #: ``(request) -> Optional[Response]``: an answer before routing (after the Expect check)
    before: tuple = ()
    #: ``(request, response) -> response``: every answer of the app passes through them, in order
    after: tuple = ()
    #: ``(method) -> Optional[Response | str]`` for a method on a file: a Response answers it, a method
    #: name serves the file as that method; the strict rule (GET, HEAD, else 405) applies when all say None
    file_methods: tuple = ()
    #: ``(request, validators, status, rules) -> status`` after the §13.2.2 evaluation (304, 412 or None)
    preconditions: tuple = ()
    # --------------------------------------------------------- strict pieces
    #: ``(request) -> Optional[Response]``: 417 to an expectation other than 100-continue
    expectations: Callable = semantics.check_expectations
    #: ``(field values, validators, rules) -> True / False / None (not evaluated: as if absent)``
    if_match: Callable = conditional.if_match
    if_none_match: Callable = conditional.if_none_match
    if_modified_since: Callable = conditional.if_modified_since
    if_unmodified_since: Callable = conditional.if_unmodified_since
    #: ``(request, validators) -> bool``: does the If-Range condition (if any) hold?
    if_range: Callable = conditional.if_range_holds
    #: ``(str) -> Optional[int]``: a received HTTP-date (all three formats)
    parse_date: Callable = parse_http_date
    #: ``(request, content type) -> Optional[str]``: the content coding of a static response
    select_coding: Callable = negotiation.select
    #: ``(Range value, length) -> Optional[[(first, last)]]``: the satisfiable byte ranges
    parse_ranges: Callable = ranges.parse_ranges
    #: ``(first, last, length) -> str``: a Content-Range value
    content_range: Callable = ranges.content_range
    #: ``(200 response, ranges, rules) -> 206 response``: one part for one range, else multipart/byteranges
    partial: Callable = ranges.partial
    # -------------------------------------------------------------- policies
    #: the methods whose Range is answered (RFC 9110 §14.2: GET only)
    range_methods: FrozenSet[str] = frozenset({"GET"})
    #: absolute-form schemes answered 421 (this server has no TLS)
    refused_schemes: FrozenSet[str] = frozenset({"https"})
    #: lower-case field names a TRACE reflection leaves out (§9.3.8: credentials and cookies)
    trace_hidden_fields: FrozenSet[str] = semantics.SENSITIVE

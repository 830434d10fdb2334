"""Quirks of HTTP semantics (RFC 9110 §13): conditional requests and received HTTP-dates.

They swap the evaluation of one precondition field (``AppRules.if_match``, ...), the date parser, or add
a ``preconditions`` hook that changes the order of §13.2.2.
"""
from __future__ import annotations

from typing import List, Optional

from ..conditional import Validators, http_date, tags
from ..grammar import IMF_FIXDATE, RFC850_DATE
from ..messages import Request, Response, parse_http_date
from .app_hooks import answer
from .declare import family

quirk = family("semantics")


def not_evaluated(values: List[str], v: Validators, rules) -> Optional[bool]:
    """The field is ignored (as if absent)."""
    return None


def weak_if_match(values: List[str], v: Validators, rules) -> Optional[bool]:
    star, members = tags(values)
    return star or any(tag == v.etag for _, tag in members)


def strong_if_none_match(values: List[str], v: Validators, rules) -> Optional[bool]:
    star, members = tags(values)
    return not (star or any(tag == v.etag and not weak for weak, tag in members))


def invalid_date_unmodified(values: List[str], v: Validators, rules) -> Optional[bool]:
    since = http_date(values, rules)
    return False if since is None else v.mtime > since


def invalid_date_fails(values: List[str], v: Validators, rules) -> Optional[bool]:
    since = http_date(values, rules)
    return False if since is None else v.mtime <= since


def inm_first(request: Request, v: Validators, status, rules):
    inm = request.header_values("If-None-Match")
    if inm and rules.if_none_match(inm, v, rules) is False:
        return 304 if request.method in ("GET", "HEAD") else 412
    return status


def ims_after_inm(request: Request, v: Validators, status, rules):
    if status is None and request.method in ("GET", "HEAD") and request.header_values("If-None-Match"):
        ims = request.header_values("If-Modified-Since")
        if ims and rules.if_modified_since(ims, v, rules) is False:
            return 304
    return status


def if_range_alone(request: Request, v: Validators, status, rules):
    if status is None and not request.header_values("Range") and request.header_values("If-Range"):
        return None if rules.if_range(request, v) else 412
    return status


def always_holds(request: Request, v: Validators) -> bool:
    return True


def missing_preconditions(request: Request, response: Response) -> Response:
    """A missing resource: If-Match fails (412), If-None-Match does not (304)."""
    if response.status == 404:
        if request.header_values("If-Match"):
            return answer(412, "precondition failed")
        if request.header_values("If-None-Match"):
            return Response(304, [])
    return response


def options_preconditions(request: Request) -> Optional[Response]:
    if request.method == "OPTIONS" and request.header_values("If-Match"):
        return answer(412, "precondition failed")
    return None


def imf_only(value: str) -> Optional[int]:
    return parse_http_date(value) if IMF_FIXDATE.fullmatch(value) else None


def rfc850_in_2000s(value: str) -> Optional[int]:
    """RFC 850 dates: 94 -> 2094."""
    m = RFC850_DATE.fullmatch(value)
    if m:
        value = value.replace("-%s " % m.group(3), "-20%s " % m.group(3)).split(", ", 1)[1]
        day, mon, year_time = value.split("-", 2)
        value = "Mon, %s %s %s" % (day, mon, year_time)
    return parse_http_date(value)


quirk(
    "if_match_weak",
    "If-Match uses the weak comparison (W/ tags match)",
    breaks={"cond-if-match-weak-tag-fails"},
    app=dict(if_match=weak_if_match),
)
quirk(
    "ignore_if_match",
    "If-Match is ignored",
    breaks={
        "cond-if-match-mismatch-412", "cond-if-match-mismatch-not-performed",
        "cond-if-match-weak-tag-fails", "cond-order-if-match-before-if-none-match"
    },
    app=dict(if_match=not_evaluated),
)
quirk(
    "if_none_match_strong",
    "If-None-Match uses the strong comparison (W/ tags never match)",
    breaks={"cond-if-none-match-weak-tag-matches"},
    app=dict(if_none_match=strong_if_none_match),
)
quirk(
    "ignore_if_none_match",
    "If-None-Match is ignored",
    breaks={
        "cond-if-none-match-current-304", "cond-if-none-match-head-304", "cond-if-none-match-in-list-304",
        "cond-if-none-match-star-304", "cond-if-none-match-weak-tag-matches",
        "cond-ims-ignored-with-if-none-match", "cond-order-if-none-match-before-ims",
        "not-modified-content-length", "not-modified-keeps-200-fields",
        "not-modified-no-representation-metadata", "not-modified-same-etag"
    },
    app=dict(if_none_match=not_evaluated),
)
quirk(
    "ims_overrides_inm",
    "If-Modified-Since is evaluated even when If-None-Match is present",
    breaks={"cond-ims-ignored-with-if-none-match"},
    app=dict(preconditions=(ims_after_inm,)),
)
quirk(
    "invalid_ims_not_modified",
    "an If-Modified-Since that is not one valid HTTP-date counts as not modified (304)",
    breaks={"cond-ims-invalid-date-ignored", "cond-ims-list-ignored"},
    app=dict(if_modified_since=invalid_date_unmodified),
)
quirk(
    "ignore_if_modified_since",
    "If-Modified-Since is ignored",
    breaks={
        "cond-ims-unmodified-304", "ims-asctime-date-accepted", "ims-rfc850-date-accepted",
        "ims-rfc850-past-century"
    },
    app=dict(if_modified_since=not_evaluated),
)
quirk(
    "invalid_ius_412",
    "an If-Unmodified-Since that is not a valid HTTP-date fails the precondition (412)",
    breaks={"cond-ius-invalid-date-ignored"},
    app=dict(if_unmodified_since=invalid_date_fails),
)
quirk(
    "ignore_if_unmodified_since",
    "If-Unmodified-Since is ignored",
    breaks={"cond-ius-before-last-modified-412", "cond-order-ius-before-if-none-match"},
    app=dict(if_unmodified_since=not_evaluated),
)
quirk(
    "if_range_alone_412",
    "If-Range without Range is evaluated like If-Match: a mismatch is answered 412",
    breaks={"cond-if-range-without-range-ignored"},
    app=dict(preconditions=(if_range_alone,)),
)
quirk(
    "ignore_if_range",
    "If-Range is ignored: the Range is served even when the validator does not match",
    breaks={"cond-if-range-etag-mismatch-full", "cond-if-range-old-date-full"},
    app=dict(if_range=always_holds),
)
quirk(
    "preconditions_before_existence",
    "a missing resource gets 412 to If-Match and 304 to If-None-Match: *",
    breaks={"cond-missing-resource-if-match", "cond-missing-resource-if-none-match-star"},
    app=dict(after=(missing_preconditions,)),
)
quirk(
    "preconditions_on_options",
    "If-Match is evaluated on OPTIONS requests (412 when false)",
    breaks={"cond-options-ignores-if-match"},
    app=dict(before=(options_preconditions,)),
)
quirk(
    "precondition_order_inm_first",
    "If-None-Match is evaluated before If-Match",
    breaks={"cond-order-if-match-before-if-none-match", "cond-order-ius-before-if-none-match"},
    app=dict(preconditions=(inm_first,)),
)
quirk(
    "http_date_imf_only",
    "received HTTP-dates are understood only in IMF-fixdate form (RFC 850 and asctime ignored)",
    breaks={"ims-asctime-date-accepted", "ims-rfc850-date-accepted"},
    app=dict(parse_date=imf_only),
)
quirk(
    "rfc850_years_2000s",
    "RFC 850 two-digit years are always read as 20yy (94 -> 2094)",
    breaks={"ims-rfc850-past-century"},
    app=dict(parse_date=rfc850_in_2000s),
)

"""RFC 9110 §13 and §15.4.5: conditional requests and 304 (Not Modified).

The cases take the target resource's current validators from an unconditional GET and send them
back.  A target that sends no ETag (or no Last-Modified) skips the cases that need one.
"""

from __future__ import annotations

import time

from h1conform.cases import case
from h1conform.semantics import MISSING, etag_of, get, imf_fixdate, last_modified_of, resource, skip, text
from h1conform.verdicts import SUCCESS, check, expect_status

NO_MATCH = '"h1conform-no-such-tag"'


def _weak(etag: str) -> str:
    return etag if etag.startswith("W/") else "W/" + etag


def _strong_etag(probe):
    base = resource(probe)
    etag = etag_of(base)
    if etag.startswith("W/"):
        skip("the target resource's ETag is weak: the strong comparison cannot match it")
    return base, etag


@case(id="cond-if-match-weak-tag-fails", requirements=("9110-13.1.1-r1",),
      rule="If-Match uses the strong comparison: W/<current tag> does not match (412)")
def test_cond_if_match_weak_tag_fails(probe):
    _, etag = _strong_etag(probe)
    resp = get(probe, headers=[("If-Match", _weak(etag))])
    check(probe, resp.status not in SUCCESS, "If-Match: W/<current ETag> is false: not a 2xx (412 usual)",
          resp.summary())


@case(id="cond-if-match-mismatch-not-performed", requirements=("9110-13.1.1-r2",),
      rule="If-Match with no current tag: the method is not performed (412 usual)")
def test_cond_if_match_mismatch_not_performed(probe):
    etag_of(resource(probe))
    resp = get(probe, headers=[("If-Match", NO_MATCH)])
    check(probe, resp.status not in SUCCESS, f"If-Match: {NO_MATCH} is false: not a 2xx (412 usual)", resp.summary())


@case(id="cond-if-match-mismatch-412", requirements=("9110-13.1.1-r2",),
      rule="If-Match with a list of other tags on GET: 412, not the representation")
def test_cond_if_match_mismatch_412(probe):
    etag_of(resource(probe))
    resp = get(probe, headers=[("If-Match", f'"h1-a", {NO_MATCH}')])
    expect_status(probe, resp, {412}, "GET with If-Match naming only other tags")


@case(id="cond-if-none-match-weak-tag-matches", requirements=("9110-13.1.2-r1",),
      rule="If-None-Match uses the weak comparison: W/<current tag> matches (304)")
def test_cond_if_none_match_weak_tag_matches(probe):
    _, etag = _strong_etag(probe)
    expect_status(probe, get(probe, headers=[("If-None-Match", _weak(etag))]), {304},
                  "GET with If-None-Match: W/<current ETag>")


@case(id="cond-if-none-match-current-304", requirements=("9110-13.1.2-r2",),
      rule="If-None-Match with the current ETag on GET: 304")
def test_cond_if_none_match_current_304(probe):
    etag = etag_of(resource(probe))
    expect_status(probe, get(probe, headers=[("If-None-Match", etag)]), {304}, "GET with If-None-Match: <ETag>")


@case(id="cond-if-none-match-in-list-304", requirements=("9110-13.1.2-r2",),
      rule="If-None-Match listing other tags and the current one: 304")
def test_cond_if_none_match_in_list_304(probe):
    etag = etag_of(resource(probe))
    expect_status(probe, get(probe, headers=[("If-None-Match", f"{NO_MATCH}, {etag}")]), {304},
                  "GET with If-None-Match: <other>, <ETag>")


@case(id="cond-if-none-match-star-304", requirements=("9110-13.1.2-r2",),
      rule="If-None-Match: * on an existing resource, GET: 304")
def test_cond_if_none_match_star_304(probe):
    etag_of(resource(probe))
    expect_status(probe, get(probe, headers=[("If-None-Match", "*")]), {304}, "GET with If-None-Match: *")


@case(id="cond-if-none-match-head-304", requirements=("9110-13.1.2-r2",),
      rule="If-None-Match with the current ETag on HEAD: 304")
def test_cond_if_none_match_head_304(probe):
    etag = etag_of(resource(probe))
    expect_status(probe, get(probe, method="HEAD", headers=[("If-None-Match", etag)]), {304},
                  "HEAD with If-None-Match: <ETag>")


@case(id="cond-ims-ignored-with-if-none-match", requirements=("9110-13.1.3-r1",),
      rule="If-Modified-Since is ignored when If-None-Match is present")
def test_cond_ims_ignored_with_if_none_match(probe):
    base = resource(probe)
    etag_of(base)
    now = imf_fixdate(time.time() + 3600)
    resp = get(probe, headers=[("If-None-Match", NO_MATCH), ("If-Modified-Since", now)])
    check(probe, resp.status == 200 and resp.body == base.body,
          "200 with the full representation (If-None-Match is true; If-Modified-Since is not evaluated)",
          resp.summary())


def _ims_ignored(probe, headers, what):
    base = resource(probe)
    resp = get(probe, headers=headers)
    check(probe, resp.status == 200 and resp.body == base.body, f"200 with the full representation ({what})",
          resp.summary())


@case(id="cond-ims-invalid-date-ignored", requirements=("9110-13.1.3-r2",),
      rule="an If-Modified-Since that is not an HTTP-date is ignored: 200")
def test_cond_ims_invalid_date_ignored(probe):
    _ims_ignored(probe, [("If-Modified-Since", "not-a-date")], "If-Modified-Since: not-a-date is ignored")


@case(id="cond-ims-list-ignored", requirements=("9110-13.1.3-r2",),
      rule="If-Modified-Since sent twice (a list) is ignored: 200")
def test_cond_ims_list_ignored(probe):
    future = imf_fixdate(time.time() + 86400)
    _ims_ignored(probe, [("If-Modified-Since", future), ("If-Modified-Since", future)],
                 "two If-Modified-Since fields are invalid and ignored")


@case(id="cond-ims-unmodified-304", requirements=("9110-13.1.3-r3",),
      rule="If-Modified-Since equal to Last-Modified on GET: 304")
def test_cond_ims_unmodified_304(probe):
    base = resource(probe)
    last_modified_of(base)
    expect_status(probe, get(probe, headers=[("If-Modified-Since", text(base.header("last-modified")))]), {304},
                  "GET with If-Modified-Since: <Last-Modified>")


@case(id="cond-ius-invalid-date-ignored", requirements=("9110-13.1.4-r1",),
      rule="an If-Unmodified-Since that is not an HTTP-date is ignored: 200")
def test_cond_ius_invalid_date_ignored(probe):
    _ims_ignored(probe, [("If-Unmodified-Since", "not-a-date")], "If-Unmodified-Since: not-a-date is ignored")


@case(id="cond-ius-before-last-modified-412", requirements=("9110-13.1.4-r2",),
      rule="If-Unmodified-Since before Last-Modified: the method is not performed (412 usual)")
def test_cond_ius_before_last_modified_412(probe):
    stamp = last_modified_of(resource(probe))
    resp = get(probe, headers=[("If-Unmodified-Since", imf_fixdate(stamp - 86400))])
    check(probe, resp.status not in SUCCESS, "If-Unmodified-Since a day before Last-Modified: not a 2xx (412 usual)",
          resp.summary())


@case(id="cond-if-range-without-range-ignored", requirements=("9110-13.1.5-r1",),
      rule="If-Range without Range is ignored: the normal 200")
def test_cond_if_range_without_range_ignored(probe):
    _ims_ignored(probe, [("If-Range", NO_MATCH)], "If-Range without Range is ignored")


def _range_capable(probe):
    base = resource(probe)
    part = get(probe, headers=[("Range", "bytes=0-0")])
    if part.status != 206:
        skip(f"the target answers Range: bytes=0-0 with {part.status}: it does not support byte ranges")
    return base


@case(id="cond-if-range-etag-mismatch-full", requirements=("9110-13.1.5-r2",),
      rule="Range with an If-Range tag that does not match: the full 200, Range ignored")
def test_cond_if_range_etag_mismatch_full(probe):
    base = _range_capable(probe)
    resp = get(probe, headers=[("Range", "bytes=0-0"), ("If-Range", NO_MATCH)])
    check(probe, resp.status == 200 and resp.body == base.body, "200 with the full representation",
          resp.summary())


@case(id="cond-if-range-old-date-full", requirements=("9110-13.1.5-r2",),
      rule="Range with an If-Range date unlike Last-Modified: the full 200")
def test_cond_if_range_old_date_full(probe):
    base = _range_capable(probe)
    stamp = last_modified_of(base)
    resp = get(probe, headers=[("Range", "bytes=0-0"), ("If-Range", imf_fixdate(stamp - 86400))])
    check(probe, resp.status == 200 and resp.body == base.body, "200 with the full representation",
          resp.summary())


@case(id="cond-missing-resource-if-match", requirements=("9110-13.2.1-r1",),
      rule="preconditions are ignored when the answer would be 404: If-Match, missing resource")
def test_cond_missing_resource_if_match(probe):
    plain = get(probe, MISSING)
    resp = get(probe, MISSING, headers=[("If-Match", NO_MATCH)])
    check(probe, resp.status == plain.status, f"the unconditional answer ({plain.status})", resp.summary())


@case(id="cond-missing-resource-if-none-match-star", requirements=("9110-13.2.1-r1",),
      rule="If-None-Match: * on a missing resource: the 404, never a 304")
def test_cond_missing_resource_if_none_match_star(probe):
    plain = get(probe, MISSING)
    resp = get(probe, MISSING, headers=[("If-None-Match", "*")])
    check(probe, resp.status == plain.status, f"the unconditional answer ({plain.status})", resp.summary())


@case(id="cond-options-ignores-if-match", requirements=("9110-13.2.1-r2",),
      rule="OPTIONS ignores conditional fields: If-Match that does not match changes nothing")
def test_cond_options_ignores_if_match(probe):
    plain = get(probe, method="OPTIONS")
    resp = get(probe, method="OPTIONS", headers=[("If-Match", NO_MATCH)])
    check(probe, resp.status == plain.status, f"the unconditional OPTIONS answer ({plain.status})", resp.summary())


@case(id="cond-order-if-match-before-if-none-match", requirements=("9110-13.2.2-r1",),
      rule="If-Match is evaluated first: false If-Match + matching If-None-Match is 412")
def test_cond_order_if_match_before_if_none_match(probe):
    etag = etag_of(resource(probe))
    expect_status(probe, get(probe, headers=[("If-Match", NO_MATCH), ("If-None-Match", etag)]), {412},
                  "GET with If-Match: <other> and If-None-Match: <ETag>")


@case(id="cond-order-ius-before-if-none-match", requirements=("9110-13.2.2-r1",),
      rule="If-Unmodified-Since before If-None-Match: false IUS + matching If-None-Match is 412")
def test_cond_order_ius_before_if_none_match(probe):
    base = resource(probe)
    etag = etag_of(base)
    stamp = last_modified_of(base)
    resp = get(probe, headers=[("If-Unmodified-Since", imf_fixdate(stamp - 86400)), ("If-None-Match", etag)])
    expect_status(probe, resp, {412}, "GET with a failing If-Unmodified-Since and If-None-Match: <ETag>")


@case(id="cond-order-if-none-match-before-ims", requirements=("9110-13.2.2-r1",),
      rule="a matching If-None-Match gives 304 whatever If-Modified-Since says")
def test_cond_order_if_none_match_before_ims(probe):
    etag = etag_of(resource(probe))
    resp = get(probe, headers=[("If-None-Match", etag), ("If-Modified-Since", imf_fixdate(86400 * 365))])
    expect_status(probe, resp, {304}, "GET with If-None-Match: <ETag> and an old If-Modified-Since")


# -- 304 Not Modified (RFC 9110 §15.4.5) ---------------------------------------------------------------

def _not_modified(probe):
    base = resource(probe)
    etag = etag_of(base)
    resp = get(probe, headers=[("If-None-Match", etag)])
    if resp.status != 304:
        skip(f"the target answers If-None-Match: <ETag> with {resp.status}, not 304")
    return base, resp


@case(id="not-modified-keeps-200-fields", requirements=("9110-15.4.5-r1",),
      rule="a 304 carries the Content-Location, Date, ETag, Vary, Cache-Control and Expires a 200 would")
def test_not_modified_keeps_200_fields(probe):
    base, resp = _not_modified(probe)
    names = ("content-location", "date", "etag", "vary", "cache-control", "expires")
    lacking = [n for n in names if base.header(n) is not None and resp.header(n) is None]
    check(probe, not lacking, "every one of " + ", ".join(names) + " that the 200 has",
          f"missing in the 304: {lacking}" if lacking else "all present")


@case(id="not-modified-same-etag", requirements=("9110-15.4.5-r1",),
      rule="the ETag of a 304 is the one the 200 carries")
def test_not_modified_same_etag(probe):
    base, resp = _not_modified(probe)
    check(probe, resp.header("etag") == base.header("etag"), f"ETag: {text(base.header('etag'))}",
          f"ETag: {text(resp.header('etag'))}")


@case(id="not-modified-no-representation-metadata", requirements=("9110-15.4.5-r2",),
      rule="a 304 carries no Content-Type, Content-Encoding or Content-Language")
def test_not_modified_no_representation_metadata(probe):
    _, resp = _not_modified(probe)
    extra = [n for n in ("content-type", "content-encoding", "content-language") if resp.header(n) is not None]
    check(probe, not extra, "none of Content-Type, Content-Encoding, Content-Language",
          f"present: {extra}" if extra else "none")

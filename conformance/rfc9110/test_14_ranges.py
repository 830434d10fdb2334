"""RFC 9110 §14 and §15.3.7: range requests and 206 (Partial Content).

Range support is optional (a 200 with the whole representation is always allowed); the cases that
judge a 206 skip when the target answers a plain ``Range: bytes=0-0`` with 200.
"""

from __future__ import annotations

import re

from h1conform import grammar
from h1conform.cases import case
from h1conform.semantics import get, resource, skip, text
from h1conform.verdicts import check, expect_status

RANGES = {
    "partial": "206 (Partial Content) with the requested byte",
    "full": "200 with the whole representation (range support is optional)",
}
MANY = {
    "ignored": "200 with the whole representation",
    "rejected": "416 (or another 4xx)",
    "coalesced": "206 whose content is at most about the size of the representation",
    "amplified": "206 serving every range, far larger than the representation -- allowed (RFC 9110 §14.2: a server"
                 " \"MAY ignore or reject\" such a Range), but RFC 9110 §17.15 warns that servers \"ought to ignore,"
                 " coalesce, or reject egregious range requests\": a denial-of-service amplifier",
}
_CR = grammar.content_range_bytes_re


def _range_capable(probe):
    base = resource(probe)
    part = get(probe, headers=[("Range", "bytes=0-0")])
    if part.status != 206:
        skip(f"the target answers Range: bytes=0-0 with {part.status}: it does not support byte ranges")
    if len(base.body) < 4:
        skip("the target resource has fewer than 4 bytes")
    return base


def _content_range(probe, resp, length):
    value = resp.header("content-range")
    m = _CR.fullmatch(value or b"")
    check(probe, m is not None and m.group(3) != b"*", "Content-Range: bytes first-last/length",
          f"Content-Range: {value!r}")
    first, last, total = int(m.group(1)), int(m.group(2)), int(m.group(3))
    check(probe, first <= last < total and total == length,
          f"first <= last < complete-length, and complete-length = {length} (the 200's content length)",
          f"Content-Range: {text(value)}")
    return first, last


def _single(probe, spec, want):
    base = _range_capable(probe)
    resp = get(probe, headers=[("Range", spec)])
    expect_status(probe, resp, {206}, f"Range: {spec}")
    first, last = _content_range(probe, resp, len(base.body))
    lo, hi = want(len(base.body))
    check(probe, (first, last) == (lo, hi) and resp.body == base.body[lo:hi + 1],
          f"Content-Range: bytes {lo}-{hi}/{len(base.body)} and exactly those {hi - lo + 1} bytes",
          f"Content-Range: {text(resp.header('content-range'))}; {len(resp.body)} body bytes {resp.body[:40]!r}")


@case(id="range-huge-number-handled", requirements=("9110-14.1.2-r1",),
      rule="a byte range beyond 2^64 is handled without overflow: 206, 200 or 416, never 5xx")
def test_range_huge_number_handled(probe):
    resource(probe)
    ex = probe.exchange(probe.request("GET", headers=[("Range", "bytes=0-18446744073709551616")]))
    resp = ex.responses[0] if ex.responses else None
    expect_status(probe, resp, {200, 206, 416}, "Range: bytes=0-18446744073709551616")
    check(probe, ex.persisted, "the connection still answers a follow-up request", ex.describe())


@case(id="range-support-recorded", requirements=("9110-14.2-r1",),
      accepted=RANGES, rule="range support is optional: Range: bytes=0-0 gets a 206 or the full 200")
def test_range_support_recorded(probe):
    base = resource(probe)
    resp = get(probe, headers=[("Range", "bytes=0-0")])
    if resp.status == 206 and resp.body == base.body[:1]:
        branch = "partial"
    elif resp.status == 200 and resp.body == base.body:
        branch = "full"
    else:
        branch = "other"
    probe.choose(RANGES, branch, resp.summary())


@case(id="range-ignored-on-head", requirements=("9110-14.2-r2",),
      rule="Range is ignored on HEAD (only GET has range semantics): no 206")
def test_range_ignored_on_head(probe):
    resource(probe)
    resp = get(probe, method="HEAD", headers=[("Range", "bytes=0-0")])
    check(probe, resp.status != 206 and resp.header("content-range") is None,
          "the HEAD answer of a GET without Range: no 206, no Content-Range", resp.summary())


@case(id="range-unknown-unit-ignored", requirements=("9110-14.2-r3",),
      rule="a Range with an unknown unit (items=0-0) is ignored: the full 200")
def test_range_unknown_unit_ignored(probe):
    base = resource(probe)
    resp = get(probe, headers=[("Range", "items=0-0")])
    check(probe, resp.status == 200 and resp.body == base.body, "200 with the full representation", resp.summary())


@case(id="range-many-overlapping-guarded", requirements=("9110-14.2-r4",),
      accepted=MANY, rule="200 overlapping ranges may be ignored, rejected or coalesced; not a huge multipart")
def test_range_many_overlapping_guarded(probe):
    base = resource(probe)
    spec = "bytes=" + ",".join(["0-1", "1-2"] * 100)
    resp = get(probe, headers=[("Range", spec)])
    if resp.status == 200:
        branch = "ignored"
    elif 400 <= resp.status < 500:
        branch = "rejected"
    elif resp.status == 206 and len(resp.body) <= 2 * len(base.body) + 1024:
        branch = "coalesced"
    else:
        branch = "amplified"
    probe.choose(MANY, branch, f"{resp.summary()} for a {len(base.body)}-byte representation")


INVALID = {
    "ignored": "200 with the whole representation (RFC 9110 §14.2: a server \"MAY ignore or reject a Range header"
               " field that contains an invalid ranges-specifier\")",
    "rejected": "416 (or another 4xx): the same sentence's \"reject\"",
}


@case(id="range-invalid-spec-ignored-or-rejected", requirements=("9110-14.2-r4",),
      accepted=INVALID, rule="Range: bytes=abc-xyz (no valid range-spec) is ignored or rejected: never a 206 or a 5xx")
def test_range_invalid_spec_ignored_or_rejected(probe):
    base = resource(probe)
    resp = get(probe, headers=[("Range", "bytes=abc-xyz")])
    if resp.status == 200 and resp.body == base.body:
        branch = "ignored"
    elif 400 <= resp.status < 500:
        branch = "rejected"
    else:
        branch = "other"
    probe.choose(INVALID, branch, resp.summary())


@case(id="range-satisfiable-served", requirements=("9110-14.2-r5",),
      rule="a satisfiable range on a range-capable resource is answered 206")
def test_range_satisfiable_served(probe):
    _range_capable(probe)
    expect_status(probe, get(probe, headers=[("Range", "bytes=1-2")]), {206}, "Range: bytes=1-2")


@case(id="range-unsatisfiable-416", requirements=("9110-14.2-r6",),
      rule="a range starting beyond the representation is answered 416")
def test_range_unsatisfiable_416(probe):
    base = _range_capable(probe)
    expect_status(probe, get(probe, headers=[("Range", f"bytes={len(base.body) + 1000}-")]), {416},
                  "Range: bytes=<length + 1000>-")


@case(id="range-content-range-in-request-ignored", requirements=("9110-14.4-r1",),
      rule="Content-Range in a GET request is ignored: the full 200")
def test_range_content_range_in_request_ignored(probe):
    base = resource(probe)
    resp = get(probe, headers=[("Content-Range", f"bytes 0-1/{len(base.body)}")])
    check(probe, resp.status == 200 and resp.body == base.body, "200 with the full representation", resp.summary())


@case(id="range-content-range-valid", requirements=("9110-14.4-r2",),
      rule="a 206 Content-Range is valid (first <= last < length) and matches the content sent")
def test_range_content_range_valid(probe):
    base = _range_capable(probe)
    resp = get(probe, headers=[("Range", "bytes=1-2")])
    expect_status(probe, resp, {206}, "Range: bytes=1-2")
    first, last = _content_range(probe, resp, len(base.body))
    check(probe, len(resp.body) == last - first + 1 and resp.body == base.body[first:last + 1],
          f"{last - first + 1} content bytes, the representation's bytes {first}-{last}",
          f"{len(resp.body)} bytes: {resp.body[:40]!r}")


@case(id="range-416-content-range", requirements=("9110-14.4-r3",),
      rule="a 416 carries Content-Range: bytes */<complete length>")
def test_range_416_content_range(probe):
    base = _range_capable(probe)
    resp = get(probe, headers=[("Range", f"bytes={len(base.body) + 1000}-")])
    if resp.status != 416:
        skip(f"no 416 to judge: the target answered {resp.status}")
    value = resp.header("content-range")
    check(probe, value == f"bytes */{len(base.body)}".encode(), f"Content-Range: bytes */{len(base.body)}",
          f"Content-Range: {value!r}")


@case(id="range-partial-keeps-200-fields", requirements=("9110-15.3.7-r1",),
      rule="a 206 carries the Date, Cache-Control, ETag, Expires, Content-Location and Vary a 200 would")
def test_range_partial_keeps_200_fields(probe):
    base = _range_capable(probe)
    resp = get(probe, headers=[("Range", "bytes=0-0")])
    names = ("date", "cache-control", "etag", "expires", "content-location", "vary")
    lacking = [n for n in names if base.header(n) is not None and resp.header(n) is None]
    check(probe, not lacking, "every one of " + ", ".join(names) + " that the 200 has",
          f"missing in the 206: {lacking}" if lacking else "all present")


@case(id="range-first-bytes", requirements=("9110-15.3.7.1-r1",),
      rule="Range: bytes=0-2 gets Content-Range: bytes 0-2/<length> and exactly those 3 bytes")
def test_range_first_bytes(probe):
    _single(probe, "bytes=0-2", lambda n: (0, 2))


@case(id="range-suffix", requirements=("9110-15.3.7.1-r1",),
      rule="a suffix range (bytes=-3) gets the last 3 bytes with their Content-Range")
def test_range_suffix(probe):
    _single(probe, "bytes=-3", lambda n: (n - 3, n - 1))


@case(id="range-open-ended", requirements=("9110-15.3.7.1-r1",),
      rule="an open-ended range (bytes=2-) gets everything from byte 2 with its Content-Range")
def test_range_open_ended(probe):
    _single(probe, "bytes=2-", lambda n: (2, n - 1))


@case(id="range-last-clipped", requirements=("9110-15.3.7.1-r1",),
      rule="a last-pos beyond the end is clipped: bytes=1-999999 gets bytes 1 to the end")
def test_range_last_clipped(probe):
    _single(probe, "bytes=1-999999", lambda n: (1, n - 1))


def _multipart(probe):
    base = _range_capable(probe)
    resp = get(probe, headers=[("Range", "bytes=0-0,2-3")])
    expect_status(probe, resp, {206}, "Range: bytes=0-0,2-3")
    ctype = text(resp.header("content-type"))
    m = re.match(r'\s*multipart/byteranges\s*;.*boundary="?([^";]+)"?', ctype, re.I)
    return base, resp, ctype, (m.group(1) if m else None)


def _parts(body: bytes, boundary: str):
    """[(headers {name: value}, content)] of a multipart body."""
    delim = b"--" + boundary.encode("latin-1")
    out = []
    for chunk in body.split(delim)[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, content = chunk.lstrip(b"\r\n").partition(b"\r\n\r\n")
        fields = {}
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            fields[name.strip().lower()] = value.strip()
        out.append((fields, content[:-2] if content.endswith(b"\r\n") else content))
    return out


@case(id="range-multipart-byteranges", requirements=("9110-15.3.7.2-r1",),
      rule="several ranges: multipart/byteranges with a boundary and no Content-Range in the header section")
def test_range_multipart_byteranges(probe):
    base, resp, ctype, boundary = _multipart(probe)
    if boundary is None and resp.header("content-range") is not None and not ctype.lower().startswith("multipart"):
        probe.observe("multipart/byteranges, or one coalesced part", f"coalesced: {text(resp.header('content-range'))}")
        return
    check(probe, boundary is not None and resp.header("content-range") is None,
          "Content-Type: multipart/byteranges; boundary=..., and no Content-Range field in the header section",
          f"Content-Type: {ctype}; Content-Range: {resp.header('content-range')!r}")


@case(id="range-multipart-parts-content-range", requirements=("9110-15.3.7.2-r2",),
      rule="each body part of a multipart/byteranges carries its own Content-Range")
def test_range_multipart_parts_content_range(probe):
    base, resp, ctype, boundary = _multipart(probe)
    if boundary is None:
        skip(f"the target coalesced the ranges into one part ({ctype})")
    parts = _parts(resp.body, boundary)
    bad = []
    for fields, content in parts:
        m = _CR.fullmatch(fields.get(b"content-range", b""))
        if m is None or base.body[int(m.group(1)):int(m.group(2)) + 1] != content:
            bad.append((fields.get(b"content-range"), content[:20]))
    check(probe, len(parts) >= 1 and not bad, "every part has a Content-Range naming exactly its content",
          f"{len(parts)} parts; wrong: {bad}" if bad or not parts else f"{len(parts)} parts")


@case(id="range-single-not-multipart", requirements=("9110-15.3.7.2-r3",),
      rule="a single range is never answered as multipart/byteranges")
def test_range_single_not_multipart(probe):
    _range_capable(probe)
    resp = get(probe, headers=[("Range", "bytes=0-1")])
    ctype = text(resp.header("content-type"))
    check(probe, not ctype.lower().lstrip().startswith("multipart/byteranges"),
          "not multipart/byteranges", f"{resp.summary()}; Content-Type: {ctype}")

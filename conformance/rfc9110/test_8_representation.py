"""RFC 9110 §8: representation metadata -- Content-Type, Content-Encoding, Content-Length,
Last-Modified and ETag."""

from __future__ import annotations

import re

from h1conform import grammar
from h1conform.cases import case
from h1conform.semantics import MISSING, get, http_date, not_allowed, one, resource, skip, summary, text
from h1conform.verdicts import check


@case(id="content-type-on-content", requirements=("9110-8.3-r1",),
      rule="responses with content (the resource, a 404) carry Content-Type")
def test_content_type_on_content(probe):
    got = [get(probe), get(probe, MISSING)]
    lacking = [summary(r) for r in got if r.body and r.header("content-type") is None]
    check(probe, not lacking, "Content-Type on every response with content", "; ".join(lacking) or "present")


@case(id="content-coding-labelled", requirements=("9110-8.4-r1",),
      rule="content gzip-coded for Accept-Encoding: gzip is labelled Content-Encoding: gzip")
def test_content_coding_labelled(probe):
    base = resource(probe)
    resp = get(probe, headers=[("Accept-Encoding", "gzip")])
    coded = resp.body[:2] == b"\x1f\x8b" and base.body[:2] != b"\x1f\x8b"
    codings = text(resp.header("content-encoding")).lower()
    check(probe, not coded or "gzip" in codings, "gzip-coded content only with Content-Encoding: gzip",
          f"{resp.summary()}; content starts {resp.body[:2]!r}; Content-Encoding: {codings!r}")


@case(id="not-modified-content-length", requirements=("9110-8.6-r2",),
      rule="a Content-Length in a 304 equals the 200's; none is fine")
def test_not_modified_content_length(probe):
    base = resource(probe)
    etag = base.header("etag")
    if etag is None:
        skip("the target resource carries no ETag")
    resp = get(probe, headers=[("If-None-Match", text(etag))])
    if resp.status != 304:
        skip(f"no 304 to judge: If-None-Match: <ETag> was answered {resp.status}")
    values = resp.values("content-length")
    check(probe, all(v == str(len(base.body)).encode() for v in values),
          f"no Content-Length, or Content-Length: {len(base.body)}", f"Content-Length: {values!r}")


@case(id="no-content-length-in-204", requirements=("9110-8.6-r3",),
      rule="a 204 (here to OPTIONS) carries no Content-Length")
def test_no_content_length_in_204(probe):
    got = [r for r in (get(probe, method="OPTIONS"), get(probe, "*", method="OPTIONS")) if r.status == 204]
    if not got:
        skip("the target answers OPTIONS without a 204: nothing to judge")
    bad = [summary(r) for r in got if r.values("content-length")]
    check(probe, not bad, "no Content-Length in any 204", "; ".join(bad) or f"{len(got)} clean 204s")


@case(id="content-length-when-known", requirements=("9110-8.6-r5",),
      rule="static content and fixed error pages (200, 404, 405) carry Content-Length")
def test_content_length_when_known(probe):
    got = [get(probe), get(probe, MISSING), one(probe, not_allowed(probe))]
    lacking = [summary(r) for r in got if r.body and r.framing != "content-length"]
    check(probe, not lacking, "Content-Length on each", "; ".join(lacking) or "present")


@case(id="last-modified-present", requirements=("9110-8.8.2.1-r1",),
      rule="a static resource carries Last-Modified")
def test_last_modified_present(probe):
    base = resource(probe)
    check(probe, base.header("last-modified") is not None, "a Last-Modified field", "absent"
          if base.header("last-modified") is None else "present")


@case(id="last-modified-not-after-date", requirements=("9110-8.8.2.1-r2",),
      rule="Last-Modified is never later than the response's Date")
def test_last_modified_not_after_date(probe):
    base = resource(probe)
    lm, date = base.header("last-modified"), base.header("date")
    if lm is None or date is None:
        skip("the response lacks Last-Modified or Date")
    lm_t, date_t = http_date(text(lm)), http_date(text(date))
    check(probe, lm_t is not None and date_t is not None and lm_t <= date_t, "Last-Modified <= Date",
          f"Last-Modified: {text(lm)}; Date: {text(date)}")


@case(id="etag-grammar", requirements=("9110-8.8.3-r1",),
      rule='ETag is a quoted opaque tag, weak ones prefixed by a case-sensitive W/ (GET and HEAD)')
def test_etag_grammar(probe):
    got = [get(probe), get(probe, method="HEAD")]
    values = [v for r in got for v in r.values("etag")]
    if not values:
        skip("the target resource carries no ETag")
    bad = [v for v in values if not grammar.entity_tag_re.fullmatch(v)]
    check(probe, not bad, 'every ETag matches [W/]"etagc*"', f"ETag values: {values!r}")


@case(id="etag-present", requirements=("9110-8.8.3.1-r1",),
      rule="a static resource carries an ETag")
def test_etag_present(probe):
    base = resource(probe)
    check(probe, base.header("etag") is not None, "an ETag field", "absent" if base.header("etag") is None
          else "present")


# RFC 9110 §10.2.4: "Each product identifier consists of a name and optional version" (its example: "Server:
# CERN/3.0 libwww/2.17"), and an origin server "SHOULD NOT generate a Server header field containing needlessly
# fine-grained detail and SHOULD limit the addition of subproducts by third parties".  A name with its version, patch
# level included, is the field's own shape; what is flagged is an inventory: more than three products (modules) or a
# build string naming an OS distribution with its own version.
_OS_BUILD = re.compile(rb"\((?:ubuntu|debian|centos|red ?hat|fedora|win32|win64|freebsd)[^)]*[0-9][^)]*\)", re.I)
MAX_PRODUCTS = 3


@case(id="server-field-not-detailed", requirements=("9110-10.2.4-r1",),
      rule="Server names the product without needless detail: no module inventory, no versioned OS build string")
def test_server_field_not_detailed(probe):
    values = get(probe).values("server")
    products = [p for v in values for p in re.sub(rb"\([^)]*\)", b" ", v).split()]
    bad = [v for v in values if _OS_BUILD.search(v)]
    check(probe, not bad and len(products) <= MAX_PRODUCTS,
          f"Server naming at most {MAX_PRODUCTS} products, without an OS build string with its version",
          f"Server: {values!r}")


@case(id="unknown-coding-gets-identity", requirements=("9110-12.5.3-r1",),
      rule="Accept-Encoding naming only an unknown coding gets the identity content")
def test_unknown_coding_gets_identity(probe):
    base = resource(probe)
    resp = get(probe, headers=[("Accept-Encoding", "x-h1conform-unknown")])
    coding = text(resp.header("content-encoding")).strip().lower()
    check(probe, resp.status == 200 and coding in ("", "identity") and resp.body == base.body,
          "200 without Content-Encoding, the identity content", f"{resp.summary()}; Content-Encoding: {coding!r}")


"""RFC 9110 §15.4: redirects -- 301, 302, 307 and 308 carry a Location field.

A target shows its redirects where it has them: a directory named without its trailing slash (the
target resource's, when it is one, and ``/dir``), and ``/redirect/<code>`` (the bundled server's).  A
case judges every response with its status code among those and skips when the target sent none.
"""

from __future__ import annotations

import re

from h1conform.cases import case
from h1conform.semantics import get, skip, summary, text
from h1conform.verdicts import check

_CTL_OR_SPACE = re.compile(rb"[\x00-\x20\x7f]")


def _candidates(probe, code: int) -> list:
    paths = [f"/redirect/{code}"]
    if code == 301:
        resource = probe.target.resource.partition("?")[0]
        if len(resource) > 1 and resource.endswith("/"):
            paths.insert(0, resource.rstrip("/"))
        paths.insert(0, "/dir")
    return paths


def _expect_location(probe, code: int) -> None:
    got = [get(probe, path) for path in _candidates(probe, code)]
    redirects = [r for r in got if r.status == code]
    if not redirects:
        skip(f"the target sent no {code} to {', '.join(r.request.label for r in got if r.request)}: nothing to judge")
    bad = [f"{summary(r)}; Location: {r.values('location')!r}" for r in redirects
           if len(r.values("location")) != 1 or not r.values("location")[0]
           or _CTL_OR_SPACE.search(r.values("location")[0])]
    check(probe, not bad, f"every {code} carries one Location field with a URI reference",
          "; ".join(bad) or "; ".join(f"{summary(r)}; Location: {text(r.header('location'))}" for r in redirects))


@case(id="redirect-301-has-location", requirements=("9110-15.4.2-r1",),
      rule="a 301 (e.g. a directory named without its trailing slash) carries Location with the new URI")
def test_redirect_301_has_location(probe):
    _expect_location(probe, 301)


@case(id="redirect-302-has-location", requirements=("9110-15.4.3-r1",),
      rule="a 302 carries Location with the different URI")
def test_redirect_302_has_location(probe):
    _expect_location(probe, 302)


@case(id="redirect-307-has-location", requirements=("9110-15.4.8-r1",),
      rule="a 307 carries Location with the different URI")
def test_redirect_307_has_location(probe):
    _expect_location(probe, 307)


@case(id="redirect-308-has-location", requirements=("9110-15.4.9-r1",),
      rule="a 308 carries Location with the new permanent URI")
def test_redirect_308_has_location(probe):
    _expect_location(probe, 308)

"""RFC 9110 §4.1 and §7.4: long URIs are supported; an https target on a plain connection is refused."""

from __future__ import annotations

from h1conform.cases import case
from h1conform.semantics import get, resource, skip
from h1conform.verdicts import SUCCESS, check


@case(id="uri-8000-octets-supported", requirements=("9110-4.1-r1",), level="SHOULD", section="RFC 9110 §4.1",
      rule="a request-target of 8000 octets is supported: the resource with a long query is not refused 414")
def test_uri_8000_octets_supported(probe):
    base = resource(probe)
    sep = "&" if "?" in probe.target.resource else "?"
    path = probe.target.resource + sep + "h1conform=" + "a" * (8000 - len(probe.target.resource) - 11)
    resp = get(probe, path)
    check(probe, resp.status == base.status, f"the same answer as without the query ({base.status})",
          f"{resp.summary()} for an {len(path)}-octet target")


@case(id="https-target-refused-on-plain", requirements=("9110-7.4-r1",), level="MUST", section="RFC 9110 §7.4",
      rule="an https:// request-target received over plain TCP is refused (421 or another 4xx), never served")
def test_https_target_refused_on_plain(probe):
    if probe.target.tls:
        skip("the target is reached over TLS: an https target is legitimate there")
    resp = get(probe, f"https://{probe.target.host_header}{probe.target.resource}")
    check(probe, resp.status not in SUCCESS and resp.status >= 400, "a 4xx (421 Misdirected Request fits)",
          resp.summary())

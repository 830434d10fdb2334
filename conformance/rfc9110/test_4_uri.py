"""RFC 9110 §4.1 and §7.4: long URIs are supported; an https target on a plain connection is refused."""

from __future__ import annotations

from h1conform.cases import case
from h1conform.semantics import get, resource, skip
from h1conform.verdicts import SUCCESS, check, inconclusive

#: statuses that refuse a request as too long for the server (RFC 9112 §3: 414; RFC 9110 §15.5.1 and §15.5.20)
TOO_LONG = frozenset({400, 414, 431})
LONG_URI = {
    "same-answer": "the answer the resource gets without the query -- RFC 9110 §4.1: \"It is RECOMMENDED that all "
                   "senders and recipients support, at a minimum, URIs with lengths of 8000 octets in protocol "
                   "elements.\"",
}
HTTPS_ON_PLAIN = {
    "rejected": "a 4xx or 5xx (421 fits) -- RFC 9110 §7.4: \"a request for an \\\"https\\\" resource MUST be rejected "
                "unless it has been received over a connection that has been secured\"; \"The 421 (Misdirected "
                "Request) status code in a response indicates that the origin server has rejected the request\"",
    "redirected": "a 3xx: not processed, the client sent elsewhere -- RFC 9110 §7.4: the server decides whether to "
                  "\"process the request itself, forward the request to another server, redirect the client to a "
                  "different resource, respond with an error, or drop the connection\"",
    "dropped": "the connection closed without a response -- the same sentence: \"or drop the connection\"",
}


@case(id="uri-8000-octets-supported", requirements=("9110-4.1-r1",),
      accepted=LONG_URI,
      rule="a request-target of 8000 octets is supported: the resource with a long query is not refused 414")
def test_uri_8000_octets_supported(probe):
    base = resource(probe)
    sep = "&" if "?" in probe.target.resource else "?"
    path = probe.target.resource + sep + "h1conform=" + "a" * (8000 - len(probe.target.resource) - 11)
    resp = get(probe, path)
    expected = f"the same answer as without the query ({base.status})"
    actual = f"{resp.summary()} for an {len(path)}-octet target"
    if resp.status == base.status:
        probe.choose(LONG_URI, "same-answer", actual)
        return
    check(probe, resp.status not in TOO_LONG, expected, actual + ": refused as too long")
    inconclusive(probe, expected, actual,
                 f"{resp.status} is not a refusal for length (400/414/431): the route answers the query its own "
                 "way, so whether an 8000-octet target is supported does not show",
                 "point --target at a resource that ignores its query")


@case(id="https-target-refused-on-plain", requirements=("9110-7.4-r1",),
      accepted=HTTPS_ON_PLAIN,
      rule="an https:// request-target received over plain TCP is refused (421 or another 4xx), never served")
def test_https_target_refused_on_plain(probe):
    if probe.target.tls:
        skip("the target is reached over TLS: an https target is legitimate there")
    ex = probe.exchange(probe.request("GET", f"https://{probe.target.host_header}{probe.target.resource}"),
                        follow_up=False)
    resp = ex.responses[0] if ex.responses else None
    if resp is None:
        check(probe, ex.closed, " or ".join(HTTPS_ON_PLAIN.values()), ex.describe())
        probe.choose(HTTPS_ON_PLAIN, "dropped", ex.describe())
        return
    check(probe, resp.status not in SUCCESS, "the https request not served (no 2xx)", resp.summary())
    branch = "rejected" if 400 <= resp.status < 600 else "redirected" if 300 <= resp.status < 400 else "other"
    probe.choose(HTTPS_ON_PLAIN, branch, resp.summary())

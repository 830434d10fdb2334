"""RFC 9110 §9: methods -- GET and HEAD, unknown and disallowed methods, HEAD, CONNECT, OPTIONS, TRACE."""

from __future__ import annotations

from h1conform.cases import case
from h1conform.semantics import UNKNOWN_METHOD, get, not_allowed, one, resource, skip, text
from h1conform.verdicts import SUCCESS, check, expect_responses, expect_status

CONNECT = {
    "not-allowed": "405 (Method Not Allowed)",
    "not-implemented": "501 (Not Implemented)",
    "refused": "another 4xx",
    "tunnel": "2xx: a tunnel (then without Content-Length or Transfer-Encoding)",
}
SECRET = "h1conform-secret-7f3a"


@case(id="method-get-and-head-supported", requirements=("9110-9.1-r1",), level="MUST", section="RFC 9110 §9.1",
      rule="a general-purpose server supports GET and HEAD: neither is answered 405 or 501")
def test_method_get_and_head_supported(probe):
    got = [get(probe, method=m) for m in ("GET", "HEAD")]
    bad = [f"{m}: {r.status}" for m, r in zip(("GET", "HEAD"), got) if r.status in (405, 501)]
    check(probe, not bad, "GET and HEAD on the resource: not 405/501",
          "; ".join(bad) or "; ".join(r.summary() for r in got))


@case(id="method-unknown-501", requirements=("9110-9.1-r2",), level="SHOULD", section="RFC 9110 §9.1",
      rule="an unrecognized method (BREW) is answered 501")
def test_method_unknown_501(probe):
    expect_status(probe, get(probe, method=UNKNOWN_METHOD), {501}, f"{UNKNOWN_METHOD} on the resource")


@case(id="method-unknown-with-body-501", requirements=("9110-9.1-r2",), level="SHOULD", section="RFC 9110 §9.1",
      rule="an unrecognized method with content (FROBNICATE, Content-Length: 3) is answered 501")
def test_method_unknown_with_body_501(probe):
    expect_status(probe, get(probe, method="FROBNICATE", body=b"abc"), {501}, "FROBNICATE with content")


@case(id="method-not-allowed-405", requirements=("9110-9.1-r3",), level="SHOULD", section="RFC 9110 §9.1",
      rule="a known method the resource does not allow (POST on a static file) is answered 405")
def test_method_not_allowed_405(probe):
    resp = one(probe, not_allowed(probe))
    if resp.status in SUCCESS:
        skip("the target resource accepts POST")
    expect_status(probe, resp, {405}, "POST on the resource")


@case(id="head-no-content", requirements=("9110-9.3.2-r1",), level="MUST NOT", section="RFC 9110 §9.3.2",
      rule="a HEAD response has no content: a GET pipelined after it gets its own, complete response")
def test_head_no_content(probe):
    base = resource(probe)
    ex = probe.exchange(probe.request("HEAD"), probe.request("GET"), follow_up=False)
    expect_responses(probe, ex, 2, "to HEAD then GET")
    second = ex.responses[1]
    check(probe, second.status == 200 and second.body == base.body,
          "the second response is the GET's 200 with the whole representation", second.summary())


@case(id="head-same-fields-as-get", requirements=("9110-9.3.2-r2",), level="SHOULD", section="RFC 9110 §9.3.2",
      rule="HEAD sends the fields GET would: Content-Type, Content-Length, ETag, Last-Modified")
def test_head_same_fields_as_get(probe):
    base = resource(probe)
    head = get(probe, method="HEAD")
    names = ("content-type", "content-length", "etag", "last-modified")
    differ = [f"{n}: GET {text(base.header(n))!r} HEAD {text(head.header(n))!r}" for n in names
              if base.header(n) is not None and head.header(n) != base.header(n)]
    check(probe, head.status == 200 and not differ, "200 with the same " + ", ".join(names) + " as GET",
          f"{head.summary()}; " + ("; ".join(differ) or "same fields"))


@case(id="connect-origin-recorded", requirements=("9110-9.3.6-r2",), level="MAY", section="RFC 9110 §9.3.6",
      accepted=CONNECT, rule="an origin server may refuse CONNECT (405/501) or open a tunnel")
def test_connect_origin_recorded(probe):
    target = probe.target.host_header if ":" in probe.target.host_header else f"{probe.target.host_header}:80"
    ex = probe.exchange(probe.request("CONNECT", target), follow_up=False)
    resp = ex.responses[0] if ex.responses else None
    if resp is None:
        branch, actual = "none", ex.describe()
    else:
        actual = resp.summary()
        if resp.status == 405:
            branch = "not-allowed"
        elif resp.status == 501:
            branch = "not-implemented"
        elif 400 <= resp.status < 500:
            branch = "refused"
        elif resp.status in SUCCESS and not resp.values("content-length") and not resp.values("transfer-encoding"):
            branch = "tunnel"
        else:
            branch = "other"
    probe.choose(CONNECT, branch, actual)


def _options_allow(probe, path, what):
    resp = get(probe, path, method="OPTIONS")
    if resp.status == 501:
        probe.observe("2xx with Allow, or 501 (OPTIONS not supported)", resp.summary())
        return
    check(probe, resp.status in SUCCESS and resp.header("allow") is not None,
          f"{what}: 2xx with an Allow field (or 501)", f"{resp.summary()}; Allow: {resp.header('allow')!r}")


@case(id="options-resource-allow", requirements=("9110-9.3.7-r1",), level="SHOULD", section="RFC 9110 §9.3.7",
      rule="a successful OPTIONS on the resource advertises the allowed methods in Allow")
def test_options_resource_allow(probe):
    _options_allow(probe, None, "OPTIONS on the resource")


@case(id="options-asterisk-allow", requirements=("9110-9.3.7-r1",), level="SHOULD", section="RFC 9110 §9.3.7",
      rule="a successful OPTIONS * advertises the server's methods in Allow")
def test_options_asterisk_allow(probe):
    _options_allow(probe, "*", "OPTIONS *")


@case(id="trace-reflects-or-refused", requirements=("9110-9.3.8-r1",), level="SHOULD", section="RFC 9110 §9.3.8",
      rule="TRACE is answered 200 message/http reflecting the request, or refused (405/501)")
def test_trace_reflects_or_refused(probe):
    resp = get(probe, method="TRACE", headers=[("X-H1conform-Trace", "marker-31")])
    if resp.status in (405, 501):
        probe.observe("200 message/http reflecting the request, or 405/501", resp.summary())
        return
    ctype = text(resp.header("content-type")).lower()
    check(probe, resp.status == 200 and ctype.startswith("message/http") and b"marker-31" in resp.body,
          "200 with Content-Type: message/http holding the request (or 405/501)",
          f"{resp.summary()}; Content-Type: {ctype!r}")


@case(id="trace-omits-credentials", requirements=("9110-9.3.8-r2",), level="SHOULD", section="RFC 9110 §9.3.8",
      rule="a TRACE reflection leaves out Authorization and Cookie", needs=("echo",))
def test_trace_omits_credentials(probe):
    resp = get(probe, probe.feature_path("echo"), method="TRACE",
               headers=[("Authorization", f"Bearer {SECRET}"), ("Cookie", f"session={SECRET}")])
    if resp.status not in SUCCESS:
        skip(f"TRACE on the echo endpoint is answered {resp.status}: no reflection to judge")
    check(probe, SECRET.encode() not in resp.body, "the reflection without the Authorization and Cookie values",
          f"{resp.summary()}; the secret is {'present' if SECRET.encode() in resp.body else 'absent'}")

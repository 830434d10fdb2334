"""RFC 9110 §9: methods -- GET and HEAD, unknown and disallowed methods, HEAD, CONNECT, OPTIONS, TRACE."""

from __future__ import annotations

from h1conform.cases import case
from h1conform.semantics import UNKNOWN_METHOD, get, not_allowed, one, resource, skip, text
from h1conform.verdicts import SUCCESS, check, expect_responses, first_head, inconclusive, route_answer

CONNECT = {
    "not-allowed": "405 (Method Not Allowed) -- RFC 9110 §9.1: \"An origin server that receives a request method "
                   "that is recognized and implemented, but not allowed for the target resource, SHOULD respond with "
                   "the 405 (Method Not Allowed) status code\"",
    "not-implemented": "501 (Not Implemented) -- RFC 9110 §9.3.6: \"most origin servers do not implement CONNECT\"; "
                       "§9.1: \"unrecognized or not implemented SHOULD respond with the 501\"",
    "refused": "any other status that is not 2xx (3xx, 4xx, 5xx; e.g. a 308 redirect or a 404) -- RFC 9110 §9.3.6: "
               "\"Any response other than a successful response indicates that the tunnel has not yet been "
               "formed\"",
    "tunnel": "2xx without Content-Length or Transfer-Encoding: a tunnel -- RFC 9110 §9.3.6: \"An origin server "
              "MAY accept a CONNECT request\"",
}
SECRET = "h1conform-secret-7f3a"


@case(id="method-get-and-head-supported", requirements=("9110-9.1-r1",),
      rule="a general-purpose server supports GET and HEAD: neither is answered 405 or 501")
def test_method_get_and_head_supported(probe):
    got = [get(probe, method=m) for m in ("GET", "HEAD")]
    bad = [f"{m}: {r.status}" for m, r in zip(("GET", "HEAD"), got) if r.status in (405, 501)]
    check(probe, not bad, "GET and HEAD on the resource: not 405/501",
          "; ".join(bad) or "; ".join(r.summary() for r in got))


UNKNOWN = {
    "not-implemented": "501 (Not Implemented) -- RFC 9110 §9.1: \"An origin server that receives a request method "
                       "that is unrecognized or not implemented SHOULD respond with the 501 (Not Implemented) status "
                       "code\"",
}
NOT_ALLOWED = {
    "not-allowed": "405 (Method Not Allowed) -- RFC 9110 §9.1: \"An origin server that receives a request method "
                   "that is recognized and implemented, but not allowed for the target resource, SHOULD respond with "
                   "the 405 (Method Not Allowed) status code\"",
    "not-implemented": "501, when the target implements POST nowhere -- RFC 9110 §9.1: \"An origin server that "
                       "receives a request method that is unrecognized or not implemented SHOULD respond with the 501 "
                       "(Not Implemented) status code\"",
}
ROUTE_REMEDY = "point --target at a resource the route answers 200 to GET and does not redirect, protect or hide"


def _route_inconclusive(probe, resp, expected: str, what: str) -> None:
    """A redirect, 401/403/404/410 or a server error the route gives from its configuration: not about the method."""
    if route_answer(resp):
        inconclusive(probe, expected, f"{what}: {resp.summary()}",
                     f"{resp.status} is an answer the route gives from its configuration (redirect, access, "
                     "existence, its own failure) before the method is looked at: it does not show how the "
                     "method was read", ROUTE_REMEDY)


def _unknown_method(probe, resp, what: str) -> None:
    expected = f"{what}: " + " or ".join(UNKNOWN.values())
    if resp.status == 501:
        probe.choose(UNKNOWN, "not-implemented", resp.summary())
        return
    _route_inconclusive(probe, resp, expected, what)
    check(probe, False, expected, resp.summary())


@case(id="method-unknown-501", requirements=("9110-9.1-r2",),
      accepted=UNKNOWN, rule="an unrecognized method (BREW) is answered 501")
def test_method_unknown_501(probe):
    _unknown_method(probe, get(probe, method=UNKNOWN_METHOD), f"{UNKNOWN_METHOD} on the resource")


@case(id="method-unknown-with-body-501", requirements=("9110-9.1-r2",),
      accepted=UNKNOWN, rule="an unrecognized method with content (FROBNICATE, Content-Length: 3) is answered 501")
def test_method_unknown_with_body_501(probe):
    _unknown_method(probe, get(probe, method="FROBNICATE", body=b"abc"), "FROBNICATE with content")


def _post_implemented_elsewhere(probe) -> str:
    """Where the target shows that it implements POST (its echo endpoint or collection answers one 2xx), or ''."""
    for feature in ("echo", "uploads"):
        if probe.target.has(feature):
            ex = probe.exchange(probe.request("POST", probe.target.path(feature), body=b"h1conform",
                                              headers=[("Content-Type", "text/plain")]), follow_up=False)
            if ex.responses and 200 <= ex.responses[0].status < 300:
                return f"POST {probe.target.path(feature)} is answered {ex.responses[0].status}"
    return ""


@case(id="method-not-allowed-405", requirements=("9110-9.1-r3",),
      accepted=NOT_ALLOWED,
      rule="a known method the resource does not allow (POST on a static file) is answered 405 (501 if not implemented)")
def test_method_not_allowed_405(probe):
    resp = one(probe, not_allowed(probe))
    if resp.status in SUCCESS:
        skip("the target resource accepts POST")
    expected = "POST on the resource: " + " or ".join(NOT_ALLOWED.values())
    if resp.status == 501:
        elsewhere = _post_implemented_elsewhere(probe)
        check(probe, not elsewhere, "501 only when POST is implemented nowhere on the target; else 405",
              f"{resp.summary()}, yet {elsewhere}: POST is implemented")
        probe.choose(NOT_ALLOWED, "not-implemented", resp.summary())
        return
    _route_inconclusive(probe, resp, expected, "POST on the resource")
    probe.choose(NOT_ALLOWED, "not-allowed" if resp.status == 405 else "other", resp.summary())


@case(id="head-no-content", requirements=("9110-9.3.2-r1",),
      rule="a HEAD response has no content: a GET pipelined after it gets its own, complete response")
def test_head_no_content(probe):
    base = resource(probe)
    ex = probe.exchange(probe.request("HEAD"), probe.request("GET"), follow_up=False)
    expect_responses(probe, ex, 2, "to HEAD then GET")
    second = ex.responses[1]
    check(probe, second.status == 200 and second.body == base.body,
          "the second response is the GET's 200 with the whole representation", second.summary())


@case(id="head-same-fields-as-get", requirements=("9110-9.3.2-r2",),
      rule="HEAD sends the fields GET would: Content-Type, Content-Length, ETag, Last-Modified")
def test_head_same_fields_as_get(probe):
    base = resource(probe)
    head = get(probe, method="HEAD")
    names = ("content-type", "content-length", "etag", "last-modified")
    differ = [f"{n}: GET {text(base.header(n))!r} HEAD {text(head.header(n))!r}" for n in names
              if base.header(n) is not None and head.header(n) != base.header(n)]
    check(probe, head.status == 200 and not differ, "200 with the same " + ", ".join(names) + " as GET",
          f"{head.summary()}; " + ("; ".join(differ) or "same fields"))


@case(id="connect-origin-recorded", requirements=("9110-9.3.6-r2",),
      accepted=CONNECT, rule="an origin server may refuse CONNECT (any status but 2xx; 405/501 usual) or open a tunnel")
def test_connect_origin_recorded(probe):
    target = probe.target.host_header if ":" in probe.target.host_header else f"{probe.target.host_header}:80"
    ex = probe.exchange(probe.request("CONNECT", target), follow_up=False)
    resp = ex.responses[0] if ex.responses else None
    status, names = (resp.status, {n.decode("latin-1").lower() for n, _ in resp.headers}) if resp is not None \
        else (None, set()) if ex.error else first_head(ex.transcript.received)
    if status is None:
        probe.choose(CONNECT, "unparseable" if ex.error else "no-response", ex.describe())
        return
    actual = resp.summary() if resp is not None else f"{status} ({ex.describe()})"
    if status in SUCCESS:
        framed = [n for n in ("content-length", "transfer-encoding") if n in names]
        check(probe, not framed, "a 2xx to CONNECT without Content-Length or Transfer-Encoding (RFC 9110 §9.3.6: "
              "\"A server MUST NOT send any Transfer-Encoding or Content-Length header fields in a 2xx (Successful) "
              "response to CONNECT\")", f"{actual}; it carries {', '.join(framed)}", level="MUST NOT")
        branch = "tunnel"
    elif status == 405:
        branch = "not-allowed"
    elif status == 501:
        branch = "not-implemented"
    elif 300 <= status < 600:
        branch = "refused"
    else:
        branch = "other"
    probe.choose(CONNECT, branch, actual)


def _options_allow(probe, path, what):
    resp = get(probe, path, method="OPTIONS")
    if resp.status not in SUCCESS:
        skip(f"{what} is answered {resp.summary()}: the rule (\"A server generating a successful response to "
             "OPTIONS SHOULD send any header that might indicate optional features\", RFC 9110 §9.3.7) is about "
             "successful responses only")
    check(probe, resp.header("allow") is not None,
          f"{what}: the successful response carries Allow", f"{resp.summary()}; Allow: {resp.header('allow')!r}")


@case(id="options-resource-allow", requirements=("9110-9.3.7-r1",),
      rule="a successful OPTIONS on the resource advertises the allowed methods in Allow")
def test_options_resource_allow(probe):
    _options_allow(probe, None, "OPTIONS on the resource")


@case(id="options-asterisk-allow", requirements=("9110-9.3.7-r1",),
      rule="a successful OPTIONS * advertises the server's methods in Allow")
def test_options_asterisk_allow(probe):
    _options_allow(probe, "*", "OPTIONS *")


TRACE = {
    "reflected": "200 whose content holds the request as received (message/http is one way) -- RFC 9110 §9.3.8: "
                 "\"The final recipient of the request SHOULD reflect the message received, excluding some fields "
                 "described below, back to the client as the content of a 200 (OK) response.  The \"message/http\" "
                 "format (Section 10.1 of [HTTP/1.1]) is one way to do so.\"",
    "not-allowed": "405 -- RFC 9110 §9.1: \"recognized and implemented, but not allowed for the target resource, "
                   "SHOULD respond with the 405 (Method Not Allowed) status code\"",
    "not-implemented": "501 -- RFC 9110 §9.1: \"unrecognized or not implemented SHOULD respond with the 501 (Not "
                       "Implemented) status code\"",
}


@case(id="trace-reflects-or-refused", requirements=("9110-9.3.8-r1",),
      accepted=TRACE, rule="TRACE is answered 200 reflecting the request, or refused (405/501)")
def test_trace_reflects_or_refused(probe):
    resp = get(probe, method="TRACE", headers=[("X-H1conform-Trace", "marker-31")])
    if resp.status in (405, 501):
        probe.choose(TRACE, "not-allowed" if resp.status == 405 else "not-implemented", resp.summary())
        return
    _route_inconclusive(probe, resp, " or ".join(TRACE.values()), "TRACE on the resource")
    ctype = text(resp.header("content-type")).lower()
    reflected = resp.status == 200 and b"marker-31" in resp.body
    probe.choose(TRACE, "reflected" if reflected else "other", f"{resp.summary()}; Content-Type: {ctype!r}")


@case(id="trace-omits-credentials", requirements=("9110-9.3.8-r2",),
      rule="a TRACE reflection leaves out Authorization and Cookie", needs=("echo",))
def test_trace_omits_credentials(probe):
    resp = get(probe, probe.feature_path("echo"), method="TRACE",
               headers=[("Authorization", f"Bearer {SECRET}"), ("Cookie", f"session={SECRET}")])
    if resp.status not in SUCCESS:
        skip(f"TRACE on the echo endpoint is answered {resp.status}: no reflection to judge")
    check(probe, SECRET.encode() not in resp.body, "the reflection without the Authorization and Cookie values",
          f"{resp.summary()}; the secret is {'present' if SECRET.encode() in resp.body else 'absent'}")

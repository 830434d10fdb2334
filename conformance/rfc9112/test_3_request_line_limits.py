"""RFC 9112 §3, §3.3, §8, §7.1.1 and RFC 9110 §5.4: limits, defaults and cut-short requests.

How long a request-line a server accepts (at least 8000 octets) and what it
answers when one is too long (414 for the target, 501 for an unknown long
method); header sections past the server's limits (a 4xx, never silent
truncation); a missing or empty authority (reject or use a default site, a
MAY); a request cut short by the client's FIN (an error or a silent close, a
MAY); an oversized chunk extension (ought to be refused).
"""

from __future__ import annotations

from h1conform.cases import case
from h1conform.client import HALF_CLOSE
from h1conform.probe import RawRequest, echo_json
from h1conform.reference import RequestInfo
from h1conform.smuggling import Family, register
from h1conform.verdicts import check, inconclusive

MISSING = "/h1conform-no-such-resource"


def _first(ex):
    return ex.responses[0] if ex.responses else None


@case(id="request-line-8000-octets-accepted", requirements=("9112-3-r4",),
      rule="a request-line of 8000 octets is processed normally (no 414 / 400)")
def test_request_line_8000_octets_accepted(probe):
    target = MISSING + "?" + "a" * (8000 - len("GET  HTTP/1.1") - len(MISSING) - 1)
    ex = probe.exchange(probe.request("GET", target), follow_up=False)
    resp = _first(ex)
    check(probe, resp is not None and resp.status not in (400, 414, 431), "processed normally (e.g. 404)",
          ex.describe())


#: statuses that say "refused for its size or shape", not "parsed and routed": a length refusal must be a 414
LENGTH_REFUSALS = (400, 413, 431)


@case(id="request-target-too-long-414", requirements=("9112-3-r3",),
      rule="a request-target longer than the server will parse gets 414 (one it parsed gets its route's answer)",
      accepted={"refused-414": "414 (URI Too Long): RFC 9112 §3, 'A server that receives a request-target longer"
                               " than any URI it wishes to parse MUST respond with a 414 (URI Too Long)'",
                "parsed": "the target was parsed and routed (the answer a short missing target gets, or another"
                          " route status such as 403/404/500): the rule's condition, a target longer than the server"
                          " wishes to parse, did not arise -- skipped"})
def test_request_target_too_long_414(probe):
    ex = probe.exchange(probe.request("GET", "/" + "a" * 65536), follow_up=False)
    resp = _first(ex)
    expected = "414 URI Too Long, or the route's answer when the target was parsed"
    if resp is not None and resp.status == 414:
        probe.observe(expected, ex.describe())
        return
    short = _first(probe.exchange(probe.request("GET", "/" + "a" * 16), follow_up=False))
    if resp is not None and resp.status not in LENGTH_REFUSALS:
        import pytest

        probe.observe(expected, ex.describe())
        pytest.skip(f"the 64 KiB target was parsed and routed ({resp.status}; a short missing target gets "
                    f"{short.status if short else 'no answer'}): nothing here is longer than the target wishes to parse")
    check(probe, False, expected + " (a refusal for length must be a 414)",
          ex.describe() + (f"; a short missing target gets {short.status}" if short else ""))


@case(id="method-too-long-501", requirements=("9112-3-r2",),
      rule="a method longer than any the server implements gets 501")
def test_method_too_long_501(probe):
    ex = probe.exchange(probe.request("X" * 2048), follow_up=False)
    resp = _first(ex)
    check(probe, resp is not None and resp.status == 501, "501 Not Implemented", ex.describe())


def _oversized(probe, what: str, fields: list):
    """Refused with a 4xx (or a close), or accepted whole.  A server may accept large heads; what the
    rule forbids is dropping what it will not read.  With an echo endpoint an accepted request must show
    every field with its full value; without one an accepted request is recorded as such."""
    path = probe.target.path("echo") if probe.target.has("echo") else probe.target.resource
    raw = (b"GET " + path.encode() + b" HTTP/1.1\r\nHost: " + probe.target.host_header.encode() + b"\r\n"
           + b"".join(b"%s: %s\r\n" % f for f in fields) + b"\r\n")
    ex = probe.exchange(RawRequest(raw, RequestInfo("GET")), follow_up=False)
    resp = _first(ex)
    if resp is not None and resp.status >= 500:
        inconclusive(probe, f"refused with a 4xx, or accepted whole ({what})", ex.describe(),
                     f"a {resp.status} says the head was accepted and what is behind the server (an application, a"
                     " gateway hop) failed: that shows neither a refusal nor whether every field was read whole",
                     "an echo endpoint served by the server itself, or one whose hop takes large heads")
    if resp is None or resp.status >= 400:
        ok = (resp is not None and 400 <= resp.status < 500) or (resp is None and ex.ending in ("closed", "reset"))
        check(probe, ok, f"a 4xx (431 is usual) for {what}, or a close", ex.describe())
        return
    data = echo_json(resp) if probe.target.has("echo") else None
    if data is None:
        probe.observe(f"refused with a 4xx, or accepted whole ({what})", f"accepted: {resp.summary()}")
        return
    seen = {n.encode("latin-1"): v.encode("latin-1") for n, v in data.get("headers", [])}
    missing = [n for n, v in fields if seen.get(n) != v]
    check(probe, not missing, f"refused with a 4xx, or every field of {what} seen whole",
          f"accepted, but {len(missing)} of {len(fields)} fields missing or cut: {missing[:3]!r}")


@case(id="fields-one-huge-line-refused", requirements=("9110-5.4-r1",),
      rule="a field line larger than the server accepts gets a 4xx (431); one it accepts is read whole")
def test_fields_one_huge_line_refused(probe):
    _oversized(probe, "a 256 KiB field line", [(b"X-Big", b"a" * (256 * 1024))])


@case(id="fields-huge-section-refused", requirements=("9110-5.4-r1",),
      rule="a header section larger than the server accepts gets a 4xx (431); one it accepts is read whole")
def test_fields_huge_section_refused(probe):
    _oversized(probe, "a 1 MiB header section", [(b"X-%d" % i, b"b" * 1000) for i in range(1024)])


@case(id="fields-too-many-lines-refused", requirements=("9110-5.4-r1",),
      rule="more field lines than the server accepts get a 4xx (431); the ones it accepts are all read")
def test_fields_too_many_lines_refused(probe):
    _oversized(probe, "10,000 field lines", [(b"X-%d" % i, b"1") for i in range(10000)])


INCOMPLETE = {"error": "an error response (400/408) then a close", "closed": "a close without a response"}


@case(id="incomplete-request-then-fin", requirements=("9112-8-r1",),
      accepted=INCOMPLETE, rule="a request cut short by the client may get an error before the close, or just the close")
def test_incomplete_request_then_fin(probe):
    head = probe.request("GET")
    ex = probe.exchange(RawRequest(bytes(head[:-2]), head.info), HALF_CLOSE, follow_up=False, wait_close=True)
    resp = _first(ex)
    if resp is not None and resp.status in (400, 408) and ex.ending in ("closed", "reset"):
        branch = "error"
    elif resp is None and ex.ending in ("closed", "reset"):
        branch = "closed"
    else:
        branch = "other"
    probe.choose(INCOMPLETE, branch, ex.describe())


GET = dict(method=b"GET")
authority = Family("host", ("9112-3.3-r1",), allow=frozenset({"rejected", "zero"}),
                   extra=GET)
# RFC 9112 §7.1.1: a server "ought to limit the total length of chunk extensions received in a request to an amount
# reasonable for the services provided": refusing, or an answer from the head and a close (answered-closed, nothing
# buffered), or reading it whole (256 KiB was within this server's limit) are all recorded; not a requirement.
chunk_ext = Family("chunk-ext", ("9112-7.1.1-r2",),
                   allow=frozenset({"rejected", "closed", "answered-closed", "processed", "zero", "chunked"}),
                   extra=dict(reject=frozenset({400, 413, 431}), chunked_body=b"hello"))
VARIANTS = [
    authority("host-missing-http10-default", (), b"", "HTTP/1.0 without Host: reject, or serve a default site",
              version=b"HTTP/1.0", host=False),
    authority("host-empty-default", (), b"", "an empty Host: reject, or serve a default site",
              host=False, raw_head=b"GET {path} HTTP/1.1\r\nHost:\r\n\r\n"),
    chunk_ext("chunk-ext-huge-refused", [b"Transfer-Encoding: chunked"],
              b"5;" + b"a" * (256 * 1024) + b"\r\nhello\r\n0\r\n\r\n",
              "an extension of 256 KiB on one chunk ought to be refused (4xx or close), not buffered",
              method=b"POST", tags=("limits",)),
]
register(globals(), VARIANTS)



"""Request-smuggling and desync probes: one ambiguous request, judged on one connection.

A probe is a :class:`Variant`: a request whose framing (or routing) some parsers
read one way and others another way.  It is sent in one write on its own
connection (followed, if the connection stays open, by the usual follow-up
request), and what came back is classified into one *branch*:

==================  ============================================================
``rejected``        the first response has a rejection status, then the connection closed
``rejected-open``   rejected, but the connection stayed open (the RFC asks for a close)
``rejected-draining`` rejected, then neither a close nor an answer to the follow-up (still reading the body)
``closed``          the target closed without answering
``chunked``         one response; the body was read as chunked (echo shows ``chunked_body``)
``length``          one response; the body was read by Content-Length (echo shows ``cl_body``)
``zero``            one response; the request was read as having no body ... and nothing else
``processed``       one response, no echo to tell which reading (no extra response either), and the
                    connection did not close: it persisted (the follow-up was answered) or went quiet
``answered-closed`` one response outside the rejection set to a request that announces a body, no echo
                    showing how (or whether) the body was read, then the target closed without
                    answering the follow-up (lighttpd answering a static file from the head; Go's
                    net/http declining a large body).  Safe: nothing later on the connection was read
                    as a request.  Where the RFC requires a rejection it is *inconclusive*, not a pass
``refused``         one error response outside the variant's rejection set
``split``           more than one response (besides the follow-up's recognised answer): bytes of the
                    body were answered as a request
``stalled``         no response before the deadline: the target waits for bytes that never come
==================  ============================================================

Each variant lists the branches the RFC allows (``allow``) and, for the others,
why they are dangerous (:data:`DANGER`); :data:`SAFE` says, for an allowed
branch that is not a reading of the request, what makes it safe.  A branch
outside ``allow`` is repeated (3 tries by default) before it is reported; if the
tries disagree the finding is a warning, not a failure.  Detection never relies
on timing except ``stalled``, which is reported as a warning unless confirmed.

``answered-closed`` is accepted wherever a processing branch is (the variant
lets the server process the request, and the close ends the connection before
the ambiguity can matter) and in the huge-length families (:data:`HUGE_OK`).
Where only a rejection conforms, the case cannot tell what the server would do
on a route that reads bodies: it is inconclusive, with the remedy ``--echo-path``.
A request without a body or framing field that is answered and closed was
simply ``processed``: there was no body to leave unread.

Without echo the follow-up's answer is recognised by how the follow-up alone is
answered (:class:`h1conform.probe.PlainAnswer`), so a late response to leftover
body bytes counts as ``split``, never as persistence.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Dict, FrozenSet, List, Optional, Sequence, Tuple

from . import spec
from .cases import case
from .errors import Inconclusive, Violation
from .probe import Exchange, Probe, RawRequest, crlf_offsets, echo_json, split
from .reference import RequestInfo
from .verdicts import ROUTE_STATUSES, status_text

PROCESSING = frozenset({"chunked", "length", "zero", "processed"})
#: statuses that say the request was refused before it was processed (a 404 or 405 was processed)
REFUSALS = frozenset({400, 408, 411, 413, 414, 417, 431, 501, 505})
#: for "never read a huge length as a small one": any error status refuses, and refusing while still
#: draining the announced body is safe too (nothing after it is answered)
ANY_ERROR = frozenset(range(400, 600))
HUGE_OK = frozenset({"rejected", "closed", "rejected-draining", "stalled", "answered-closed", "answered-draining"})
REPEATS = 3
MAY_STALL = "may-stall"  # the tag of a variant whose allowed outcomes include a stall
#: field names whose presence announces a request body (with ``Variant.body``, the test of "announces a body")
_BODY_FIELDS = re.compile(rb"(?im)^[ \t]*(content-length|transfer[-_]encoding)[ \t\x0b]*:")

ANSWERED_CLOSED = ("one response outside the rejection set, no echo showing how the body was read, then the target "
                   "closed without answering the follow-up: whatever it did with the body, no later byte on this "
                   "connection is read as a request (RFC 9112 §9.3: \"A server MUST read the "
                   "entire request message body or close the connection after sending its response\"; §9.6: it "
                   "\"MUST NOT process any further requests received on that connection\")")
ECHO_REMEDY = "--echo-path to an endpoint that reads request bodies"
SAFE = {
    "answered-closed": ANSWERED_CLOSED,
    "closed": "the target closed without a response: no byte of this request was answered as another request",
    "rejected-draining": "an error response, then the target kept reading what it took for the announced body and "
                         "answered nothing else: the huge length was not read as a small one",
    "stalled": "no response before the deadline: the target is still waiting for the rest of what it reads as the "
               "message (the announced, huge, body; or the end of a line it has not seen end), so none of these "
               "bytes was read as a request",
    "rejected-open": "an error response, and the connection kept: the request has no body, so no byte of it can be "
                     "read as another request (RFC 9112 §9.3: \"HTTP/1.1 defaults to the use of 'persistent "
                     "connections'\")",
    "answered-draining": "answered from the head, then the target kept reading what it took for the announced body "
                         "and answered nothing else (RFC 9112 §9.3: \"A server MUST read the entire request message "
                         "body or close the connection after sending its response\"): the length was not read as "
                         "a small one",
}

DANGER = {
    "chunked": "the server read the body as chunked where the rule says it must not; a front end that does not "
               "would see other request boundaries",
    "length": "the server framed the body by this Content-Length where the rule says it must not; a front end that "
              "reads the framing differently (e.g. by Transfer-Encoding) would see other request boundaries",
    "zero": "the server read no body; a front end that reads one would forward the body as part of this request, "
            "while this server answers it as the next request",
    "processed": "the server accepted the ambiguous request and did not close the connection; a front end that "
                 "reads it differently would desync",
    "split": "bytes of the body were answered as a separate request: a smuggled request reached the application",
    "stalled": "the server waits for more body bytes than were sent: it read a larger length than the sender meant",
    "rejected-open": "the server rejected the request but kept the connection open; the RFC asks for a close "
                     "because the framing is unknowable, and the unread bytes may be read as a request",
    "closed": "the server closed without any response (safe, but the RFC asks for a 400 first)",
    "rejected-draining": "the server rejected the request but did not close; it kept reading what it took for the body",
    "rejected": "the server rejected a request the RFC requires it to accept",
    "answered-closed": "the server answered from the head and closed (safe on this route), but other tries showed "
                       "something else",
    "answered-draining": "the server answered, then waited for more bytes than were sent and answered nothing else: "
                         "it read a larger length than the sender meant",
    "refused": "the server answered with an error status the rule does not expect here",
    "refused-then-error": "the route refused the request, then another error came: other tries showed something else",
    "other-body": "the server read a body that matches neither reading",
    "misread": "the server processed the request but read a field differently from the RFC's reading (see echo)",
}

#: tags every smuggling case carries; ``--select smuggling`` runs them all
TAG = "smuggling"


@dataclass(frozen=True)
class Variant:
    id: str
    klass: str  # e.g. "te-obfuscation"
    fields: Tuple[bytes, ...]  # raw field lines after Host, without CRLF
    body: bytes = b""
    allow: FrozenSet[str] = frozenset({"rejected"})
    requirements: Tuple[str, ...] = ()
    level: Optional[str] = None  # None: the catalog row of the first requirement says (h1conform.cases.case)
    section: Optional[str] = None  # likewise
    rule: str = ""
    method: bytes = b"POST"
    version: bytes = b"HTTP/1.1"
    chunked_body: Optional[bytes] = None  # what the echo shows for the "chunked" reading
    cl_body: Optional[bytes] = None  # ... for the "length" reading
    reject: FrozenSet[int] = frozenset({400})
    host: bool = True
    request_line: Optional[bytes] = None  # overrides method/target/version entirely
    raw_head: Optional[bytes] = None  # overrides everything up to the body (use {host} and {path})
    needs_close_after: bool = False  # a processing branch must be followed by a close (CL+TE, TE in 1.0)
    echo_ok: Optional[Callable[[dict], bool]] = None  # with an echo: how a processed request must have been read
    split: bool = False  # send the request cut at every CRLF, with a short pause at each cut
    tags: Tuple[str, ...] = ()
    #: the rule shows only where the target answers an unknown method unlike GET (calibration tells): a GET-like
    #: answer to ``get`` from a route that answers every method like GET says nothing about case-sensitivity
    method_distinct: bool = False
    #: a route's own answer (404, 403, ...: :data:`h1conform.verdicts.ROUTE_STATUSES`) shows neither a refusal of
    #: what the rule is about nor that the request was served: inconclusive
    route_blind: bool = False


def build(probe: Probe, v: Variant) -> RawRequest:
    path = probe.target.path("echo") if probe.target.has("echo") else probe.target.resource
    host = probe.target.host_header.encode()
    if v.raw_head is not None:
        head = v.raw_head.replace(b"{host}", host).replace(b"{path}", path.encode())
    else:
        line = v.request_line.replace(b"{path}", path.encode()) if v.request_line else \
            v.method + b" " + path.encode() + b" " + v.version
        lines = [line] + ([b"Host: " + host] if v.host else []) + list(v.fields)
        head = b"\r\n".join(lines) + b"\r\n\r\n"
    method = (v.request_line or v.raw_head or v.method).split(b" ", 1)[0].decode("latin-1")
    return RawRequest(head + v.body, RequestInfo(method=method if method.isalpha() else "GET"))


def classify(probe: Probe, v: Variant, ex: Exchange) -> Tuple[str, str]:
    """(branch, what was seen)."""
    rs = ex.responses
    seen = ex.describe()
    if not rs:
        if ex.ending == "timeout":
            return "stalled", seen
        return "closed", seen
    first = rs[0]
    if first.status in v.reject:
        if len(rs) > 1:
            return "split", seen
        if ex.closed:
            return "rejected", seen
        return ("rejected-open", seen) if ex.persisted else ("rejected-draining", seen)
    if len(rs) == 2 and first.status >= 400 and (rs[1].status or 0) >= 400 and ex.closed \
            and not probe.target.has("echo"):
        # the route refused the request from its head; the error that followed (then a close) may refuse the rest
        # of this request's body, read while draining it, or the body read as a request: the wire is the same
        return "refused-then-error", seen
    if len(rs) > 1 or ex.unsolicited:
        return "split", seen
    if ex.ending == "timeout" and not ex.follow_up_sent:
        return "stalled", seen
    if ex.ending == "timeout" and ex.follow_up is None and announces_body(v) and echo_json(first) is None:
        return "answered-draining", seen  # answered from the head, then still reading what it took for the body
    data = echo_json(first) if probe.target.has("echo") else None
    if first.status in REFUSALS:
        return "refused", seen  # a parse-level refusal outside the variant's rejection set
    if data is None:
        if ex.closed and announces_body(v):
            return "answered-closed", seen + "; no echo shows how the body was read"
        branch = "processed"
    else:
        body = data.get("body", "").encode("latin-1")
        if v.chunked_body is not None and body == v.chunked_body:
            branch = "chunked"
        elif v.cl_body is not None and body == v.cl_body:
            branch = "length"
        elif body == b"":
            branch = "zero"
        else:
            branch = "other-body"
        seen += f"; echo body {body[:60]!r}"
        if v.echo_ok is not None and not v.echo_ok(data):
            headers = [h for h in data.get("headers", []) if h[0].lower() not in ("host", "content-length")]
            return "misread", seen + f"; echo headers {headers!r}"[:400]
    if v.needs_close_after and branch in PROCESSING and not ex.closed:
        return branch + "-open", seen + " (the connection stayed open)"
    return branch, seen


def announces_body(v: Variant) -> bool:
    """The request carries body bytes or a framing field: what the server would read as its body matters."""
    head = b"\n".join(v.fields) + b"\n" + (v.raw_head or b"")
    return bool(v.body) or bool(_BODY_FIELDS.search(head))


def _allowed(v: Variant, branch: str) -> bool:
    if branch in v.allow:
        return True
    # no echo: cannot tell which reading; a variant that lets the server process the request accepts any
    # reading that is followed by a close, and "processed" where its processing branches are allowed
    return branch in ("processed", "answered-closed") and bool(v.allow & PROCESSING)


def _expected(v: Variant) -> str:
    words = {"rejected": f"{status_text(v.reject)} then close", "closed": "a close",
             "chunked": "the body read as chunked", "length": "the body framed by Content-Length",
             "zero": "no body (the next bytes are the next request)", "processed": "processed",
             "answered-closed": "an answer from the head, then a close",
             "answered-draining": "an answer from the head, then the body drained (nothing else answered)",
             "rejected-open": "an error status, the body read and the connection kept (nothing answered from it)"}
    text = " or ".join(words.get(b, b) for b in sorted(v.allow))
    return text + (", then close" if v.needs_close_after else "")


def run_variant(probe: Probe, v: Variant) -> None:
    req = build(probe, v)
    tries = []
    segments = split(req, crlf_offsets(req), pause=0.01) if v.split else [req]
    ahead: List[Exchange] = []  # confirmations made at once
    while len(tries) < REPEATS:
        # "stalled" is concluded after the answer wait calibration derived from the target's response time, never
        # its patience: what the target does with the same bytes is under test (an answer that comes later makes
        # the tries disagree, which is a warning, never a failure); the confirmations of a stall wait less, and
        # wait together, each on its own connection
        if not ahead and tries and tries[-1] == "stalled":
            ahead = _at_once(probe, segments, REPEATS - len(tries), _confirm_wait(probe))
        if ahead:
            ex = ahead.pop(0)
            probe.transcripts.append(ex.transcript)
        else:
            ex = probe.exchange(*segments)
        branch, seen = classify(probe, v, ex)
        tries.append(branch)
        if _allowed(v, branch) or branch in ("answered-closed", "refused-then-error"):
            break  # an allowed branch, or one no repetition can turn into a finding
    branch = tries[-1]
    probe.branch = branch
    if v.echo_ok is not None and branch in ("processed", "answered-closed", "answered-draining") \
            and not probe.target.has("echo"):
        # the rule is about how a field was read (kept, merged, split): only the echo shows that; an answer that
        # framed the message right says nothing about it
        probe.observe(_expected(v), f"{branch}: {seen}")
        raise Inconclusive(_expected(v), f"{branch}: {seen}", remedy=ECHO_REMEDY,
                           reason="the rule is about how the target read a field, and without an echo endpoint no "
                                  "answer shows it (the message was framed without a desync: that much was seen)")
    first = ex.responses[0] if ex.responses else None
    if v.route_blind and first is not None and first.status in ROUTE_STATUSES:
        probe.observe(_expected(v), f"{branch}: {seen}")
        raise Inconclusive(_expected(v), f"{branch}: {seen}", remedy="",
                           reason=f"a {first.status} is the route's own answer: it says no resource was found (or "
                                  "allowed) there, neither that this request was refused for what the rule is about "
                                  "nor that it was served")
    if _allowed(v, branch):
        probe.observe(_expected(v), f"{branch}: {seen}")
        return
    calibration = probe.calibration
    if v.method_distinct and branch in PROCESSING | {"answered-closed", "answered-draining"} \
            and calibration is not None \
            and calibration.same_as_get("unknown-method"):
        probe.observe(_expected(v), f"{branch}: {seen}")
        raise Inconclusive(_expected(v), f"{branch}: {seen}", remedy="a resource that answers unknown methods with"
                           " 501 or 405 (--target URL)",
                           reason="this target answers an unknown method like GET (calibration: unknown-method "
                                  f"{calibration.status('unknown-method')}, GET {calibration.status('GET')}), so a "
                                  "GET-like answer shows nothing about how the method was read")
    if branch == "refused-then-error" and len(set(tries)) == 1:
        probe.observe(_expected(v), f"{branch}: {seen}")
        raise Inconclusive(_expected(v), f"{branch}: {seen}", remedy=ECHO_REMEDY,
                           reason="the route refused the request from its head, and the error after it (then a "
                                  "close) may be about the rest of this request's body, read while draining it, or "
                                  "about the body read as another request: only a route that reads bodies tells")
    if branch == "answered-closed" and len(set(tries)) == 1:
        probe.observe(_expected(v), f"{branch}: {seen}")
        raise Inconclusive(_expected(v), f"{branch}: {seen}", remedy=ECHO_REMEDY, reason=_answered_closed_reason(probe))
    danger = DANGER.get(branch) or DANGER.get(branch.replace("-open", ""), branch)
    if branch == "split" and v.needs_close_after:
        danger = ("the server may have framed the message as the RFC says (by Transfer-Encoding), but it kept the"
                  " connection and answered the bytes after the body as another request; RFC 9112 §6.1 requires"
                  " a close after such a request because a front end that framed it by Content-Length forwarded"
                  " those bytes as body: they reached the application as a smuggled request")
    if branch.endswith("-open") and branch != "rejected-open":
        danger += "; and the RFC requires closing the connection after such a request"
    if len(set(tries)) > 1:
        raise Violation(_expected(v), f"not confirmed ({', '.join(tries)}): {seen}. Why it matters: {danger}",
                        level="SHOULD")
    level = "SHOULD" if branch == "stalled" and len(tries) < REPEATS else None
    raise Violation(_expected(v), f"{branch} ({len(tries)}/{REPEATS} tries): {seen}. Why it matters: {danger}",
                    level=level)


STALL_CONFIRM_MIN_S = 0.5


def _confirm_wait(probe: Probe) -> float:
    """The read deadline of a confirmation after a stall: 20 times the target's response time, at least 0.5 s."""
    calibration = probe.calibration
    rtt = calibration.response_time_s if calibration is not None else probe.timeout
    return min(probe.answer_wait(), max(STALL_CONFIRM_MIN_S, 20 * rtt))


def _at_once(probe: Probe, segments, n: int, wait: float) -> List[Exchange]:
    """``n`` tries of the same bytes at the same time, each on its own connection, in try order (their transcripts
    are the case's as each is used)."""
    share = None if probe.case_bytes_left is None else max(1, probe.case_bytes_left // n)
    clones = [Probe(probe.target, timeout=probe.timeout, max_bytes=probe.max_bytes, case_bytes=share)
              for _ in range(n)]
    for clone in clones:
        clone.calibration = probe.calibration
    with ThreadPoolExecutor(max_workers=n, thread_name_prefix="h1conform-confirm") as pool:
        return list(pool.map(lambda clone: clone.exchange(*segments, timeout=wait), clones))


def _answered_closed_reason(probe: Probe) -> str:
    reason = ("the target answered and closed, and no echo shows how (or whether) it read the body: safe on this "
              "route, but nothing shows what it does with this framing on a route that reads request bodies")
    calibration = probe.calibration
    if calibration is not None and str(calibration.body_reading).startswith("answers-from-head"):
        reason += f" (calibration: {calibration.body_reading} on {calibration.resource})"
    return reason


def register(namespace: Dict, variants: Sequence[Variant]) -> None:
    """Turn each variant into a case function ``test_<id>`` in the calling module."""
    for v in variants:
        def make(v: Variant) -> Callable:
            def test(probe: Probe) -> None:
                run_variant(probe, v)
            test.__name__ = test.__qualname__ = "test_" + v.id.replace("-", "_")
            test.__doc__ = v.rule
            test.__module__ = namespace["__name__"]
            return test

        func = make(v)
        level = v.level or spec.defaults(v.requirements[0])[1]
        accepted = {b: SAFE.get(b) or DANGER.get(b, b) if b not in PROCESSING | {"rejected"} else _expected(v)
                    for b in v.allow} if level in ("MAY", "INFO") else None
        # a variant that allows a stall (the target may wait for bytes that never come) says so: the pool starts
        # those first, so that their answer wait is not the run's tail (h1conform.parallel)
        stalls = (MAY_STALL,) if "stalled" in v.allow else ()
        case(id=v.id, requirements=v.requirements, level=v.level, section=v.section, rule=v.rule,
             accepted=accepted, tags=(TAG, v.klass) + v.tags + stalls)(func)
        namespace[func.__name__] = func


@dataclass
class Family:
    """Shared settings for a list of variants (keeps the tables short)."""

    klass: str
    requirements: Tuple[str, ...]
    section: Optional[str] = None  # None: the catalog row of the first requirement says (h1conform.cases.case)
    level: Optional[str] = None  # likewise
    allow: FrozenSet[str] = frozenset({"rejected"})
    extra: dict = field(default_factory=dict)

    def __call__(self, id: str, fields: Sequence[bytes] = (), body: bytes = b"", rule: str = "", **kw) -> Variant:
        """One variant; a variant that names its own ``requirements`` takes its section and level from them (the
        catalog, or its own ``section=``/``level=``), not from the family."""
        own = "requirements" in kw
        params = dict(klass=self.klass, section=None if own else self.section, requirements=self.requirements,
                      level=None if own else self.level, allow=self.allow, **self.extra)
        params.update(kw)
        return Variant(id=id, fields=tuple(fields), body=body, rule=rule, **params)

"""Learn the target before the cases judge it.

A status a route gives anyway is not evidence about framing: a static file that answers 405 to every POST says
nothing about how the server would read an ambiguous body.  So before the cases run, the suite asks the target's
resource (and its echo endpoint, when one is given) a few plain questions, each on its own connection and each
followed by the usual follow-up request, and records:

* how each method is answered (GET, HEAD, POST with a small body, PUT, DELETE, OPTIONS, an unknown method, a
  long target, CONNECT): status, whether the connection persisted (proven by the follow-up) or closed;
* whether a request body is read: the head of a POST is sent alone, and the body only after a wait derived from
  the target's response time.  A response before the body was sent means *answered from the head*; what the
  connection does next (closes, or reads the body and persists) is recorded;
* the response time (the fastest of a few plain GET round trips), from which "nothing more is coming" waits are derived.

Cases read it through ``probe.calibration`` (``None`` outside a suite run, e.g. in the self-tests); it is written
into every report.  A target that does not answer a plain GET with HTTP is stopped here, with one line
(:class:`~h1conform.errors.TargetNotHTTP`), instead of failing every case.
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Dict, List, Optional

from .client import Connection, Pause
from .errors import TargetNotHTTP, TargetUnreachable
from .probe import Exchange, Probe, RawRequest
from .reference import RequestInfo
from .request_bytes import build_request
from .target import Target

#: bounds of the "nothing more is coming" wait derived from the response time (``--timeout`` stays the cap)
MIN_QUIET_S = 0.05
MAX_QUIET_S = 1.0
QUIET_FACTOR = 10
#: how long a read waits for a byte of an answer: a hundred times the response time, twenty times the slowest
#: route calibration saw (times a quarter of the cases run at once, past 4 and up to 32), at least 1 s (--timeout caps it): a
#: target that answers in milliseconds and sends nothing for a second is not going to answer
MIN_ANSWER_WAIT_S = 1.0
ANSWER_WAIT_FACTOR = 100
SLOWEST_ROUTE_FACTOR = 20
LONG_TARGET_OCTETS = 8000  # RFC 9110 §4.1: senders and recipients SHOULD support at least 8000 octets
PROBE_BODY = b"h1conform-body16"
CONCURRENCY_LEVELS = (64, 32, 16, 8, 4, 2)  # tried in turn
CPU_BOUND_JOBS = 16
#: the most cases at once that the answer wait allows for as load: beyond it (on a target that never closes,
#: where each case ends on a quiet wait) the cases added are waiting
LOADED_JOBS = 32
MEASURING_SWITCH_S = 0.00005
MAX_BYTES = 1024 * 1024  # per connection: calibration reads plain answers, never more (a flood costs this much)


@dataclass(frozen=True)
class RouteAnswer:
    """How one plain request was answered."""

    request: str  # e.g. "POST /index.html (16-byte body)"
    status: Optional[int]  # None: no response
    persisted: bool  # the follow-up request was answered on the same connection
    closed: bool  # the target ended the connection without answering the follow-up
    seconds: float  # from the first byte sent to the first byte of the answer
    seen: str  # the exchange, described

    @property
    def answered(self) -> bool:
        return self.status is not None


@dataclass(frozen=True)
class Calibration:
    resource: str
    answers: Dict[str, RouteAnswer]  # "GET", "HEAD", "POST", ..., "long-target", "CONNECT", "echo-POST"
    body_reading: str  # reads | answers-from-head-then-closes | answers-from-head-then-persists | unknown
    body_reading_seen: str
    response_time_s: float
    quiet_s: float  # the wait after which "nothing more is coming" is concluded
    concurrency: int = 1  # connections the target serves at once (held partial requests beside an answered one)
    answer_wait_s: float = 0.0  # the read deadline for an answer (0: not measured, --timeout)
    #: the target closed after answering a request with Connection: close (else every case ends on a quiet wait)
    honours_close: bool = True
    notes: List[str] = field(default_factory=list)

    def status(self, key: str) -> Optional[int]:
        answer = self.answers.get(key)
        return answer.status if answer else None

    def same_as_get(self, key: str) -> bool:
        """The route answers ``key`` exactly like a GET (status), so a GET-like answer shows nothing about it."""
        return self.answers.get(key) is not None and self.status(key) == self.status("GET")

    @property
    def reads_bodies(self) -> bool:
        return self.body_reading == "reads"

    def as_dict(self) -> dict:
        d = asdict(self)
        d["answers"] = {k: asdict(v) for k, v in self.answers.items()}
        for answer in d["answers"].values():  # the long target is 64 KiB: its first bytes say what it was
            if len(answer["request"]) > 100:
                answer["request"] = f"{answer['request'][:60]}... ({len(answer['request'])} characters)"
        return d

    def summary(self) -> str:
        parts = [f"{k} {v.status if v.status is not None else 'no answer'}" for k, v in self.answers.items()]
        return (f"calibration of {self.resource}: " + ", ".join(parts) + f"; request bodies: {self.body_reading};"
                f" response time {self.response_time_s * 1000:.0f} ms (quiet wait {self.quiet_s * 1000:.0f} ms, answer"
                f" wait {self.answer_wait_s:g} s);"
                f" serves {self.concurrency} connections at once"
                + ("" if self.honours_close else "; keeps connections open after Connection: close"))

    @property
    def jobs(self) -> int:
        return jobs_for(self.concurrency, self.honours_close)


def jobs_for(concurrency: int, honours_close: bool) -> int:
    """Cases to run at once: what the target serves, up to :data:`CPU_BOUND_JOBS` where cases end as soon as the
    target closes (our side's work bounds the run there, and more threads only contend), up to everything the
    target serves where every case ends on a quiet wait (it never closes)."""
    return min(concurrency, CPU_BOUND_JOBS) if honours_close else concurrency


def _answer(request: str, ex: Exchange, started: float) -> RouteAnswer:
    first = next((r for r in ex.responses if r.request is not None), None)
    events = ex.transcript.events
    sent = next((e.t for e in events if e.kind == "send"), None)
    answered = next((e.t for e in events if e.kind == "recv"), None)
    # the time to the answer's first byte: the follow-up and the quiet wait after it are not the route's time
    seconds = answered - sent if sent is not None and answered is not None else time.monotonic() - started
    return RouteAnswer(request=request, status=first.status if first is not None else None,
                       persisted=ex.persisted, closed=ex.closed, seconds=round(seconds, 4), seen=ex.describe())


def _ask(probe: Probe, key: str, req: RawRequest, answers: Dict[str, RouteAnswer], **kw) -> Exchange:
    started = time.monotonic()
    ex = probe.exchange(req, **kw)
    answers[key] = _answer(req.info.label or key, ex, started)
    return ex


def _response_time(probe: Probe, tries: int = 5) -> float:
    """The fastest of a few plain GETs: what adds to the target's own time (a cold cache on its side, pytest
    collecting beside the calibration on ours) only ever adds."""
    times = []
    for _ in range(tries):
        started = time.monotonic()
        ex = probe.exchange(probe.request("GET", close=True), follow_up=False)
        if not ex.responses or not ex.responses[0].complete:
            break
        times.append(time.monotonic() - started)
    return min(times) if times else probe.timeout


def _body_reading(probe: Probe, path: str, quiet: float) -> tuple:
    """Send a POST's head, wait ``quiet``, then its body: was it answered before the body came?"""
    req = probe.request("POST", path, body=PROBE_BODY, headers=[("Content-Type", "text/plain")])
    head_len = len(req) - len(PROBE_BODY)
    head = RawRequest(bytes(req[:head_len]), req.info)
    ex = probe.exchange(head, Pause(quiet), PROBE_BODY, requests=[req.info])
    if not ex.responses:
        return "unknown", ex.describe()
    first = ex.responses[0]
    body_sent = [e.t for e in ex.transcript.events if e.kind == "send"][1:2]
    answered_at = next((e.t for e in ex.transcript.events if e.kind == "recv"), None)
    early = (not ex.all_sent) or (body_sent and answered_at is not None and answered_at < body_sent[0])
    if not early:
        return "reads", ex.describe()
    if ex.persisted:
        return "answers-from-head-then-persists", ex.describe()
    return "answers-from-head-then-closes", f"{first.status} before the body was sent; {ex.describe()}"


def _concurrency(probe: Probe, quiet: float, levels=CONCURRENCY_LEVELS) -> int:
    """How many connections the target serves at once: hold ``k`` connections with an unfinished request head
    and see whether a plain GET on one more is answered; the largest ``k`` that works (1 when none does)."""
    wait = min(max(quiet * 4, 0.2), probe.timeout)
    head = f"GET {probe.target.resource} HTTP/1.1\r\nHost: {probe.target.host_header}\r\n".encode()
    for k in levels:
        held = []
        try:
            for _ in range(k):
                conn = Connection(probe.target, timeout=wait, max_bytes=MAX_BYTES)
                held.append(conn)
                conn.send(head)
            ex = probe.exchange(probe.request("GET", close=True), follow_up=False, timeout=wait)
        except TargetUnreachable:  # its listen queue is full (cheroot's holds 5): fewer at once
            ex = None
        finally:
            for conn in held:
                conn.close()
        if ex is not None and ex.responses and ex.responses[0].complete:
            return k
    return 1


def calibrate(target: Target, *, timeout: float) -> Calibration:
    """Ask the target the plain questions above; raise TargetNotHTTP when a plain GET gets no HTTP answer."""
    return begin(target, timeout=timeout).result()


def begin(target: Target, *, timeout: float) -> Future[Calibration]:
    """Ask the plain GET now, raising TargetNotHTTP when it gets no HTTP answer, and learn the rest in a background
    thread (while pytest collects the cases, say): the future's result is the :class:`Calibration`."""
    # While it measures (in the background), the interpreter hands its lock between threads every 50 us instead
    # of every 5 ms: a measuring thread that waits for the lock pytest's collection holds would add that wait to
    # every time it takes (a 1 ms target measured at 10-25 ms), and every wait derived from them with it.
    switch = sys.getswitchinterval()
    sys.setswitchinterval(min(switch, MEASURING_SWITCH_S))
    try:
        probe, answers, honours_close = _first_contact(target, timeout)
    except BaseException:
        sys.setswitchinterval(switch)
        raise
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="h1conform-calibration")
    future = pool.submit(_learn, probe, answers, honours_close, switch)
    pool.shutdown(wait=False)
    return future


def _first_contact(target: Target, timeout: float):
    """The plain GET: does the target answer with HTTP?"""
    probe = Probe(target, timeout=timeout, max_bytes=MAX_BYTES)
    answers: Dict[str, RouteAnswer] = {}
    ex = _ask(probe, "GET", probe.request("GET"), answers)
    honours_close = ex.follow_up is None or ex.ending != "open"
    if not ex.responses or ex.error:
        got = ex.transcript.received
        seen = f"it sent {got[:48]!r}, which is not an HTTP/1.x response" if got and not got.startswith(b"HTTP/") \
            else ex.describe()
        if got[:1] in (b"\x15", b"\x16") and got[1:2] == b"\x03" and not target.tls:
            seen = f"it answered with a TLS record ({got[:7]!r}): it speaks TLS, so give an https:// URL"
        raise TargetNotHTTP(f"target {target.display} does not answer a plain GET {target.resource} with HTTP: {seen}")
    return probe, answers, honours_close


def _learn(probe: Probe, answers: Dict[str, RouteAnswer], honours_close: bool, switch: float) -> Calibration:
    """The rest of calibration, after the plain GET: the response time, how many connections the target serves
    at once, the routes' questions, whether a body is read; one at a time, so that each time is the target's own.
    The interpreter's switch interval is set back to ``switch`` at the end."""
    try:
        return _learn_all(probe, answers, honours_close)
    finally:
        sys.setswitchinterval(switch)


def _learn_all(probe: Probe, answers: Dict[str, RouteAnswer], honours_close: bool) -> Calibration:
    target = probe.target
    rtt = _response_time(probe)
    quiet = min(max(rtt * QUIET_FACTOR, MIN_QUIET_S), MAX_QUIET_S, probe.timeout)
    # the rest of calibration waits for "nothing more" as the cases will (a target that never closes costs the
    # quiet wait after each follow-up, not the default)
    probe.calibration = Calibration(resource=target.resource, answers={}, body_reading="unknown",
                                    body_reading_seen="", response_time_s=rtt, quiet_s=quiet)
    concurrency = _concurrency(probe, quiet)
    long_path = target.resource + ("&" if "?" in target.resource else "?") + "q=" + "a" * LONG_TARGET_OCTETS
    connect = RawRequest(build_request("CONNECT", target.host_header, host=target.host_header),
                         RequestInfo("CONNECT", "1.1", label=f"CONNECT {target.host_header}"))
    with_body = dict(body=PROBE_BODY, headers=[("Content-Type", "text/plain")])
    questions = [("HEAD", probe.request("HEAD"), {}), ("POST", probe.request("POST", **with_body), {}),
                 ("PUT", probe.request("PUT", **with_body), {}), ("DELETE", probe.request("DELETE"), {}),
                 ("OPTIONS", probe.request("OPTIONS"), {}), ("unknown-method", probe.request("H1CONFORMPROBE"), {}),
                 ("long-target", probe.request("GET", long_path), {}), ("CONNECT", connect, dict(follow_up=False))]
    echo = target.path("echo") if target.has("echo") else None
    if echo:
        questions.append(("echo-POST", probe.request("POST", echo, **with_body), {}))

    for key, req, kw in questions:  # one after the other: a route's time is its own, not the others' load
        _ask(probe, key, req, answers, **kw)
    reading, seen = _body_reading(probe, echo or target.resource, quiet)
    notes = [f"request bodies judged on the echo endpoint {echo}"] if echo else []
    # the slowest route answered (an echo that forks a CGI process, say) bounds the wait below too, and it answers
    # slower still when the cases run at once (each of them forks a process): the factor grows with the jobs
    slowest = max((a.seconds for a in answers.values() if a.answered), default=0.0)
    jobs = jobs_for(concurrency, honours_close)
    load = min(jobs, LOADED_JOBS) / 4  # past that, more cases at once are more of them waiting, not more load
    answer_wait = min(max(rtt * ANSWER_WAIT_FACTOR, slowest * SLOWEST_ROUTE_FACTOR * max(1.0, load),
                          MIN_ANSWER_WAIT_S), probe.timeout)
    return Calibration(resource=target.resource, answers=answers, body_reading=reading, body_reading_seen=seen,
                       response_time_s=round(rtt, 4), quiet_s=round(quiet, 4), concurrency=concurrency,
                       honours_close=honours_close,
                       answer_wait_s=round(answer_wait, 3),
                       notes=notes)

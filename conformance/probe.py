"""What a case holds: build requests, run exchanges, record and check what came back.

A case never touches a socket and never parses bytes itself.  It builds the
bytes (:meth:`Probe.request`, :func:`split`), hands them to
:meth:`Probe.exchange`, and states what it accepts with the checks in
:mod:`h1conform.verdicts`.

An exchange reads until every request sent has had its final response, or the
peer ends the connection, or the read deadline passes.  Then, unless told not
to, it sends one *follow-up* request (``Connection: close``) on the same
connection: if it is answered, the connection was still usable; extra
responses the target sent on its own are counted before it.  That proves
persistence, and the absence of stray responses, without waiting out a timer.

The follow-up's answer must be recognised for what it is.  With an echo
endpoint the follow-up names itself (its target ends in ``?h1conform-follow-up``).
Without one, the plain follow-up request is asked alone, once per target, on a
fresh connection (:class:`PlainAnswer`: status, body length, ETag), and a
response counts as the follow-up's answer only if it is the last one, began
after the follow-up was written, and looks like that plain answer.  Any other
response, such as a late 400 for body bytes the target read as a request, is
one nobody asked for: a desync stays visible instead of passing for persistence.
"""

from __future__ import annotations

import json
import threading
import time
import weakref
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple, Union

from .client import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, HALF_CLOSE, OPEN, Connection, Pause, Segment
from .reference import RequestInfo, Response, ResponseReader
from .request_bytes import build_request
from .target import Target
from .wire import WireEvent, capture


class RawRequest(bytes):
    """Request bytes that remember the method and version the reference needs."""

    info: RequestInfo

    def __new__(cls, data: bytes, info: RequestInfo) -> "RawRequest":
        obj = super().__new__(cls, data)
        obj.info = info
        return obj


class Part(bytes):
    """A piece of a split request; the first piece carries the request's info."""

    info: Optional[RequestInfo]

    def __new__(cls, data: bytes, info: Optional[RequestInfo]) -> "Part":
        obj = super().__new__(cls, data)
        obj.info = info
        return obj


def split(req: RawRequest, cuts: Iterable[int], pause: float = 0.02) -> List[Segment]:
    """Cut ``req`` at the given byte offsets, with a deliberate pause between pieces."""
    points = sorted({c for c in cuts if 0 < c < len(req)})
    pieces, last = [], 0
    for p in points + [len(req)]:
        pieces.append(bytes(req[last:p]))
        last = p
    segs: List[Segment] = []
    for i, piece in enumerate(pieces):
        if i:
            segs.append(Pause(pause))
        segs.append(Part(piece, req.info if i == 0 else None))
    return segs


def crlf_offsets(data: bytes) -> List[int]:
    """Offsets just after every CRLF in ``data`` (the CRLF boundaries of a head)."""
    out, i = [], data.find(b"\r\n")
    while i >= 0:
        out.append(i + 2)
        i = data.find(b"\r\n", i + 2)
    return out


def coalesce(segments: Sequence[Segment]) -> List[Segment]:
    """Join adjacent byte segments into one write: requests given one after the
    other without a Pause are pipelined in a single write."""
    out: List[Segment] = []
    for seg in segments:
        if isinstance(seg, (bytes, bytearray)) and out and isinstance(out[-1], (bytes, bytearray)):
            out[-1] = bytes(out[-1]) + bytes(seg)
        else:
            out.append(seg)
    return out


@dataclass
class Exchange:
    """What one connection showed: the responses, how it ended, the transcript."""

    responses: List[Response]  # to the case's requests, then any nobody asked for
    follow_up: Optional[Response]  # the answer to the follow-up request, if any
    follow_up_sent: bool
    ending: str  # closed | reset | timeout | limit | open
    error: Optional[str]  # unparseable bytes, as the reference saw them
    leftover: bytes
    transcript: object
    requests: List[RequestInfo] = field(default_factory=list)
    send_done_at: float = 0.0  # when the last segment of the case was written
    all_sent: bool = True  # False: the target ended the connection before every segment was written
    follow_up_alone: str = ""  # how the follow-up alone is answered, when no response here matched it

    @property
    def persisted(self) -> bool:
        """The connection answered a follow-up request after the case's responses."""
        return self.follow_up is not None

    @property
    def closed(self) -> bool:
        """The target ended the connection (FIN or RST), without answering the follow-up."""
        return self.ending in ("closed", "reset") and self.follow_up is None

    @property
    def unsolicited(self) -> List[Response]:
        return [r for r in self.responses if r.request is None]

    def describe_end(self) -> str:
        if self.follow_up is not None:
            return "the connection stayed open and answered a follow-up request"
        return {"closed": "the target closed the connection", "reset": "the target reset the connection",
                "timeout": "the target neither answered nor closed before the deadline",
                "limit": "the target sent more than the byte limit",
                "open": "the connection was still open"}.get(self.ending, self.ending)

    def describe(self) -> str:
        parts = [r.summary() for r in self.responses] or ["no response"]
        text = "; ".join(parts)
        if not self.all_sent:
            text = "the connection ended before all request bytes were sent; " + text
        if self.error:
            text += f"; then {self.error}"
        if self.follow_up_alone and self.unsolicited:
            text += f" (none of them is the follow-up's answer: alone it is answered {self.follow_up_alone})"
        return f"{text}; {self.describe_end()}"


@dataclass(frozen=True)
class PlainAnswer:
    """How the plain follow-up request is answered when sent alone on a fresh connection.

    ``body_length`` and ``etag`` are None when the target did not give the same value twice (a page that
    changes on every request): then only what was stable is compared."""

    status: int
    body_length: Optional[int]
    etag: Optional[bytes]

    @classmethod
    def learn(cls, responses: Sequence[Response]) -> Optional["PlainAnswer"]:
        """From one or two answers to the plain request (None when there is none, or their statuses differ)."""
        done = [r for r in responses if r.complete]
        if not done or any(r.status != done[0].status for r in done):
            return None
        lengths = {len(r.body) for r in done}
        etags = {r.header("etag") for r in done}
        return cls(done[0].status, lengths.pop() if len(lengths) == 1 else None,
                   etags.pop() if len(etags) == 1 else None)

    def matches(self, resp: Response) -> bool:
        """Same status, and the same body length and ETag where those were stable."""
        return (resp.complete and resp.status == self.status
                and (self.body_length is None or len(resp.body) == self.body_length)
                and (self.etag is None or resp.header("etag") == self.etag))

    def describe(self) -> str:
        length = f" with {self.body_length} body bytes" if self.body_length is not None else ""
        etag = f", ETag {self.etag.decode('latin-1')}" if self.etag else ""
        return f"{self.status}{length}{etag}"


#: per target (by identity): the plain follow-up answer, learnt once; None when the target did not answer it
_PLAIN_ANSWERS: Dict[int, Tuple["weakref.ref", Optional[PlainAnswer]]] = {}
_PLAIN_LOCKS: Dict[int, threading.Lock] = {}
_TABLE_LOCK = threading.Lock()


class Probe:
    """Bound to one target and one case; records expected/actual and transcripts."""

    def __init__(self, target: Target, *, timeout: float = DEFAULT_TIMEOUT,
                 max_bytes: int = DEFAULT_MAX_BYTES, case_bytes: Optional[int] = None) -> None:
        self.target = target
        self.timeout = timeout
        self.max_bytes = max_bytes  # per connection
        #: what all of the case's connections may receive together (a flood costs the run a bounded amount
        #: however many cases run at once); None: no bound beyond each connection's
        self.case_bytes_left = case_bytes
        self.expected = ""
        self.actual = ""
        self.branch = ""
        self.transcripts: list = []
        self.calibration = None  # what calibration learnt of the target (h1conform.calibration), when it ran
        self.started = time.monotonic()  # the case's start: wire events count from it
        self.started_wall = time.time()
        self._rendered: Optional[str] = None  # set by release()
        self._wire: Optional[List[WireEvent]] = None  # set by release()

    # -- building requests ----------------------------------------------------
    def request(self, method: str = "GET", path: Optional[str] = None, *, version: str = "1.1",
                headers: Sequence[Tuple[str, str]] = (), body: Optional[bytes] = None,
                host: bool = True, length: Union[bool, int] = True, chunked: Optional[bytes] = None,
                close: bool = False, keep_alive: bool = False) -> RawRequest:
        """Build request bytes.  ``length=True`` adds Content-Length when a body is
        given; ``chunked`` is an already chunk-encoded body (adds TE: chunked)."""
        target = path if path is not None else self.target.resource
        data = build_request(method, target, host=self.target.host_header if host else None, version=version,
                             fields=headers, body=body, length=length, chunked_body=chunked, close=close,
                             keep_alive=keep_alive)
        return RawRequest(data, RequestInfo(method=method, version=version, label=f"{method} {target}"))

    def feature_path(self, feature: str) -> str:
        """The path of an optional feature; skips the case when the target lacks it."""
        if not self.target.has(feature):
            import pytest

            pytest.skip(f"target has no {feature} resource (see `h1conform run --help`)")
        return self.target.path(feature)

    def echo(self, method: str = "POST", **kw) -> RawRequest:
        return self.request(method, self.feature_path("echo"), **kw)

    # -- running ----------------------------------------------------------------
    def exchange(self, *segments: Segment, requests: Optional[Sequence[RequestInfo]] = None,
                 follow_up: bool = True, timeout: Optional[float] = None,
                 one_at_a_time: bool = False, wait_close: bool = False) -> Exchange:
        """Send ``segments`` on a new connection and collect what comes back.

        ``one_at_a_time``: before each request after the first, wait for the
        previous one's response (sequential requests instead of a pipeline).
        ``wait_close``: after the responses, keep reading until the target ends
        the connection or the read deadline passes (use with ``follow_up=False``)."""
        if requests is None:
            requests = [s.info for s in segments if isinstance(s, (RawRequest, Part)) and s.info]
        reader = ResponseReader(requests)
        budget = self.max_bytes if self.case_bytes_left is None else max(1, min(self.max_bytes, self.case_bytes_left))
        conn = Connection(self.target, timeout=timeout or self.answer_wait(), max_bytes=budget,
                          connect_timeout=self.timeout)
        try:
            if one_at_a_time:
                all_sent = self._send_one_at_a_time(conn, reader, segments)
            else:
                all_sent = conn.send(*coalesce(segments), on_receive=reader.feed)
            send_done = conn.transcript.time_of_last_send()
            if not conn.ended:
                conn.read_until(lambda: reader.complete >= len(requests) or reader.error is not None,
                                reader.feed)
            follow_sent, follow_offset = False, 0
            if follow_up and not reader.error and not reader.tunnel and conn.transcript.ending == OPEN \
                    and not conn.poll_closed(reader.feed):
                req = self.request("GET", self._follow_up_path(), close=True)
                reader.add_request(RequestInfo("GET", "1.1", label="follow-up"))
                follow_sent = True
                follow_offset = len(reader.stream)
                conn.send(req, on_receive=reader.feed)
                # until a response that began after the follow-up was written is complete (or the end), then a
                # quiet wait derived from the target's response time for anything sent after it: never the full
                # read deadline on a target that ignores the follow-up's Connection: close
                conn.read_until(lambda: reader.error is not None or any(
                    r.complete and r.start >= follow_offset for r in reader.responses), reader.feed)
                if not conn.ended and not reader.error:
                    conn.read_for(self.quiet_wait(), reader.feed)
            if wait_close and not follow_sent:
                conn.read_until(lambda: reader.error is not None, reader.feed)
            if conn.ended:
                reader.feed_eof()
        finally:
            conn.close()
            if self.case_bytes_left is not None:
                self.case_bytes_left -= len(conn.transcript.received)
        responses = list(reader.responses)
        follow = self._find_follow_up(responses, len(requests), follow_offset) if follow_sent else None
        for r in responses[len(requests):]:
            r.request = None  # a response nobody asked for
        alone = ""
        if follow_sent and follow is None and len(responses) > len(requests) and not self.target.has("echo"):
            plain = self.plain_answer()
            alone = plain.describe() if plain is not None else ""
        ex = Exchange(responses=responses, follow_up=follow, follow_up_sent=follow_sent,
                      ending=conn.transcript.ending, error=reader.error, leftover=reader.leftover,
                      transcript=conn.transcript, requests=list(requests), send_done_at=send_done,
                      all_sent=all_sent, follow_up_alone=alone)
        self.transcripts.append(conn.transcript)
        return ex

    #: the wait for "nothing more is coming" when calibration has not measured the target
    DEFAULT_QUIET_S = 0.2

    def answer_wait(self) -> float:
        """The read deadline of an exchange: derived from the target's response time by calibration, --timeout
        at most (and before calibration)."""
        wait = self.calibration.answer_wait_s if self.calibration is not None else 0.0
        return min(wait, self.timeout) if wait > 0 else self.timeout

    def quiet_wait(self) -> float:
        """How long to wait before concluding that nothing more is coming (or that an answer the target would
        send at once is not being sent): derived from the target's response time by calibration (see
        :data:`h1conform.calibration.QUIET_FACTOR`), --timeout at most."""
        quiet = self.calibration.quiet_s if self.calibration is not None else self.DEFAULT_QUIET_S
        return min(quiet, self.timeout)

    FOLLOW_UP_QUERY = "h1conform-follow-up"

    def _follow_up_path(self) -> str:
        """With an echo endpoint the follow-up names itself, so its answer is told apart for sure."""
        if self.target.has("echo"):
            return f"{self.target.path('echo')}?{self.FOLLOW_UP_QUERY}"
        return self.target.resource

    def _find_follow_up(self, responses: List[Response], asked: int, offset: int) -> Optional[Response]:
        """Remove and return the follow-up's answer from ``responses``.

        With an echo endpoint it is the response that echoes the follow-up's
        target.  Without one, it is the last response, if it began after the
        follow-up was written and matches how the follow-up alone is answered
        (:meth:`plain_answer`); a target that did not answer the follow-up
        alone leaves only the first two tests."""
        if len(responses) <= asked:
            return None
        if self.target.has("echo"):
            for i in range(len(responses) - 1, asked - 1, -1):
                data = echo_json(responses[i]) if responses[i].complete else None
                if data and str(data.get("target", "")).endswith(self.FOLLOW_UP_QUERY):
                    return responses.pop(i)
            return None
        last = responses[-1]
        if not (last.complete and last.start >= offset):
            return None
        plain = self.plain_answer()
        return responses.pop() if plain is None or plain.matches(last) else None

    def plain_answer(self) -> Optional[PlainAnswer]:
        """How the follow-up request alone is answered on a fresh connection: learnt once per target (one
        connection: the plain request, then, if the connection persists, the follow-up itself, so that a page
        that changes on every request is noticed), then remembered.  The transcript is not the case's."""
        key = id(self.target)
        with _TABLE_LOCK:
            lock = _PLAIN_LOCKS.setdefault(key, threading.Lock())
        with lock:
            entry = _PLAIN_ANSWERS.get(key)
            if entry is not None and entry[0]() is self.target:
                return entry[1]
            learner = Probe(self.target, timeout=self.timeout, max_bytes=self.max_bytes)
            path = self._follow_up_path()
            ex = learner.exchange(learner.request("GET", path), learner.request("GET", path, close=True),
                                  one_at_a_time=True, follow_up=False)
            answer = PlainAnswer.learn([r for r in ex.responses if r.request is not None])
            _PLAIN_ANSWERS[key] = (weakref.ref(self.target), answer)
            return answer

    @staticmethod
    def _send_one_at_a_time(conn: Connection, reader: ResponseReader, segments) -> bool:
        sent = 0
        for seg in segments:
            if isinstance(seg, RawRequest) and sent:
                conn.read_until(lambda: reader.complete >= sent or reader.error is not None, reader.feed)
                if conn.transcript.ending != OPEN or reader.error:
                    return False
            if not conn.send(seg, on_receive=reader.feed):
                return False
            sent += isinstance(seg, RawRequest)
        return True

    # -- recording ----------------------------------------------------------------
    def observe(self, expected: str, actual: str) -> None:
        """Record what was expected and seen (kept for passing cases too)."""
        self.expected, self.actual = expected, actual

    def choose(self, case_accepted: dict, branch: str, actual: str) -> None:
        """Record which accepted behaviour (MAY / allowed choice) the target took."""
        from .errors import Violation

        if branch not in case_accepted:
            raise Violation(" or ".join(case_accepted.values()), actual)
        self.branch = branch
        self.observe(" or ".join(case_accepted.values()), f"{branch}: {actual}")

    def render_transcripts(self) -> str:
        if self._rendered is not None:
            return self._rendered
        return "\n".join(t.render() for t in self.transcripts)

    def wire(self) -> List[WireEvent]:
        """The case's connections as wire events (h1conform.wire), held to the case's byte budget for reports."""
        if self._wire is not None:
            return self._wire
        return capture(self.transcripts, self.started)

    def __getstate__(self) -> dict:
        """A released probe crosses from the case process to pytest's (h1conform.case_process) with what reports
        show, not with its target and calibration, which that side has."""
        return dict(self.__dict__, target=None, calibration=None, transcripts=[])

    def release(self) -> int:
        """Keep only what reports show (the rendered transcripts, the wire events within their byte budget) and
        drop the raw transcripts; the bytes received."""
        received = sum(len(e.data) for t in self.transcripts for e in t.events if e.kind == "recv")
        self._rendered = self.render_transcripts()
        self._wire = self.wire()
        self.transcripts = []
        return received


def echo_json(resp: Response) -> Optional[dict]:
    """The echo endpoint's view of the request, or None when the body is not its JSON."""
    try:
        data = json.loads(resp.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


__all__ = ["Probe", "RawRequest", "Part", "split", "crlf_offsets", "Exchange", "Pause", "HALF_CLOSE",
           "echo_json", "PlainAnswer"]

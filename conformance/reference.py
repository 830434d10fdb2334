"""The reference: split received bytes into responses with h11, then apply the strict layer.

h11 (client role) decides framing: where each response's head and body end,
given the method of the request it answers.  One h11 connection is used per
response so that bytes after a response that asked to close (which h11 would
refuse) are still split and counted: an unasked-for response is a finding,
not a parse error.  The strict layer (:mod:`h1conform.strict`) then judges
the exact bytes of each head and chunked body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import List, Optional, Sequence, Tuple

import h11

from . import strict

_MAX_HEAD = 1024 * 1024


@dataclass(frozen=True)
class RequestInfo:
    """What the reference needs to know about a request to frame its response."""

    method: str = "GET"
    version: str = "1.1"
    label: str = ""


@dataclass
class Response:
    status: int
    reason: bytes
    http_version: bytes
    headers: List[Tuple[bytes, bytes]]  # original case, in order
    head: bytes = b""  # raw bytes of status line + fields + empty line
    body: bytes = b""
    complete: bool = False
    framing: str = ""  # content-length | chunked | close-delimited | none
    informational: List[int] = field(default_factory=list)  # 1xx codes that came first
    request: Optional[RequestInfo] = None  # None: nobody asked for it
    start: int = 0  # offset in the received stream
    end: int = 0
    findings: List[strict.Finding] = field(default_factory=list)
    trailers: List[Tuple[bytes, bytes]] = field(default_factory=list)  # of a chunked body

    def values(self, name: str) -> List[bytes]:
        key = name.lower().encode()
        return [v for n, v in self.headers if n.lower() == key]

    def header(self, name: str) -> Optional[bytes]:
        vals = self.values(name)
        return b", ".join(vals) if vals else None

    @property
    def connection_options(self) -> set:
        return {t.strip().lower().decode("latin-1") for v in self.values("connection")
                for t in v.split(b",") if t.strip()}

    @property
    def says_close(self) -> bool:
        return "close" in self.connection_options

    def summary(self) -> str:
        return f"{self.status} {self.reason.decode('latin-1')} ({self.framing}, {len(self.body)} body bytes)"


def _framing(resp: Response, method: str) -> str:
    if method == "CONNECT" and 200 <= resp.status < 300:
        return "tunnel"  # RFC 9112 §6.3: "the connection will become a tunnel immediately after the empty line"
    if method == "HEAD" or resp.status in (204, 304) or 100 <= resp.status < 200:
        return "none"
    if resp.values("transfer-encoding"):
        return "chunked"
    if resp.values("content-length"):
        return "content-length"
    return "close-delimited"


class ResponseReader:
    """Incremental: feed bytes as they arrive; ``responses`` grows as each completes."""

    def __init__(self, requests: Sequence[RequestInfo] = ()) -> None:
        self.requests: List[RequestInfo] = list(requests)
        self.responses: List[Response] = []
        self.error: Optional[str] = None
        self.error_offset: Optional[int] = None
        self.eof = False
        #: a 2xx to CONNECT was read: what follows its head is tunnel bytes, not responses
        self.tunnel = False
        self._stream = bytearray()
        self._base = 0  # offset where the current h11 connection started
        self._fed = 0  # bytes fed to the current h11 connection
        self._current: Optional[Response] = None
        self._body = bytearray()
        self._informational: List[int] = []
        self._conn: Optional[h11.Connection] = None

    # -- public ----------------------------------------------------------------
    def add_request(self, info: RequestInfo) -> None:
        self.requests.append(info)

    @property
    def complete(self) -> int:
        return sum(1 for r in self.responses if r.complete)

    @property
    def stream(self) -> bytes:
        """Every byte received so far."""
        return bytes(self._stream)

    @property
    def leftover(self) -> bytes:
        """Bytes after the last complete response that do not (yet) form one."""
        end = self.responses[-1].end if self.responses else 0
        return bytes(self._stream[end:])

    def feed(self, data: bytes) -> None:
        if not data or self.error:
            return
        self._stream += data
        if self.tunnel:
            return
        self._fed += len(data)
        if self._conn is None:  # made when the bytes of the next response begin
            self._conn = self._new_conn()
        self._conn.receive_data(data)
        self._pump()

    def feed_eof(self) -> None:
        if self.eof:
            return
        self.eof = True
        if self.error or self.tunnel:
            return
        if self._current is None and self._offset() == len(self._stream):
            return  # clean close between responses
        if self._conn is None:
            self._conn = self._new_conn()
        try:
            self._conn.receive_data(b"")
        except RuntimeError:
            return
        self._pump()
        if self._current is not None and self.error is None:
            self.error = f"connection closed inside a response ({len(self._body)} body bytes read)"
            self.error_offset = len(self._stream)
            self._finish(complete=False)

    # -- internals --------------------------------------------------------------
    def _request_for(self, index: int) -> Optional[RequestInfo]:
        return self.requests[index] if index < len(self.requests) else None

    def _new_conn(self) -> h11.Connection:
        conn = h11.Connection(h11.CLIENT, max_incomplete_event_size=_MAX_HEAD)
        info = self._request_for(len(self.responses)) or RequestInfo()
        # Always described to h11 as a persistent HTTP/1.1 request: persistence
        # is judged by the cases, h11 only frames.
        conn.send(_request_event(info.method))
        conn.send(_END_OF_MESSAGE)
        return conn

    def _offset(self) -> int:
        pending = len(self._conn.trailing_data[0]) if self._conn is not None else 0
        return self._base + self._fed - pending

    def _pump(self) -> None:
        while self._conn is not None:
            try:
                event = self._conn.next_event()
            except h11.RemoteProtocolError as exc:
                self.error = f"unparseable response bytes: {exc}"
                self.error_offset = self._offset()
                if self._current is not None:
                    self._finish(complete=False)
                return
            if event is h11.NEED_DATA or event is h11.PAUSED:
                return
            if isinstance(event, h11.InformationalResponse):
                self._informational.append(event.status_code)
            elif isinstance(event, h11.Response):
                start = self._base if not self.responses else self.responses[-1].end
                head_end = self._offset()
                info = self._request_for(len(self.responses))
                resp = Response(
                    status=event.status_code, reason=bytes(event.reason), http_version=bytes(event.http_version),
                    headers=[(bytes(n), bytes(v)) for n, v, *_ in _raw_items(event.headers)],
                    informational=self._informational, request=info, start=start,
                )
                head_start = self._head_start(start, head_end) if self._informational else start
                resp.head = bytes(self._stream[head_start:head_end])
                resp.framing = _framing(resp, (info or RequestInfo()).method)
                self._current = resp
                self._head_end = head_end
                self._body = bytearray()
                self._informational = []
                if resp.framing == "tunnel":  # complete at its head: nothing after it is parsed as HTTP
                    self._finish(complete=True)
                    self.tunnel = True
                    return
            elif isinstance(event, h11.Data):
                self._body += event.data
            elif isinstance(event, h11.EndOfMessage):
                if self._current is not None:
                    self._current.trailers = [(bytes(n), bytes(v)) for n, v, *_ in _raw_items(event.headers)]
                self._finish(complete=True)
            elif isinstance(event, h11.ConnectionClosed):
                return

    def _head_start(self, start: int, head_end: int) -> int:
        """Skip 1xx heads that came before the final response head."""
        data = bytes(self._stream[start:head_end])
        idx = data.rfind(b"\n\r\n", 0, len(data) - 2)
        idx2 = data.rfind(b"\n\n", 0, len(data) - 1)
        cut = max(idx + 3 if idx >= 0 else 0, idx2 + 2 if idx2 >= 0 else 0)
        return start + cut

    def _finish(self, complete: bool) -> None:
        resp = self._current
        assert resp is not None
        end = self._offset() if complete else len(self._stream)
        resp.end = end
        resp.body = bytes(self._body)
        resp.complete = complete
        resp.findings = strict.check_head(resp.head) + strict.check_fields(resp.headers)
        if resp.framing == "chunked" and complete:
            resp.findings += strict.check_chunked(bytes(self._stream[self._head_end:end]))
        self.responses.append(resp)
        self._current = None
        if not complete or resp.framing == "tunnel":
            return
        # Start a fresh h11 connection for whatever follows this response.
        rest = bytes(self._stream[end:])
        self._base = end
        self._fed = 0
        self._conn = None  # until bytes come for it (most responses are the last of their connection)
        if rest:
            self._conn = self._new_conn()
            self._fed = len(rest)
            self._conn.receive_data(rest)
            if self.eof:
                self._conn.receive_data(b"")


@lru_cache(maxsize=64)
def _request_event(method: str) -> h11.Request:
    """The request h11 is told a response answers (events are immutable: one per method is enough)."""
    return h11.Request(method=method, target="/", headers=[("Host", "reference")])


_END_OF_MESSAGE = h11.EndOfMessage()


def _raw_items(headers):
    return headers.raw_items() if hasattr(headers, "raw_items") else list(headers)


def parse_responses(data: bytes, requests: Sequence[RequestInfo] = (), *, eof: bool = True) -> ResponseReader:
    """Parse a whole received stream at once (for tests and offline checks)."""
    reader = ResponseReader(requests)
    reader.feed(data)
    if eof:
        reader.feed_eof()
    return reader

"""One client connection: parse requests, call the app, frame and write responses.

A :class:`Connection` never blocks.  The server's workers call :meth:`Connection.on_readable` when bytes (or
the peer's FIN) arrived, :meth:`Connection.on_writable` when output can move again and
:meth:`Connection.on_timeout` when the deadline passed; each answers with the next deadline
(``time.monotonic()`` seconds) or ``None`` (close the socket now), and ``want_write`` says which readiness to
wait for.  Output the peer does not take at once is queued (files as sendfile ranges); while any is queued
no further request is parsed (back-pressure), and a peer that takes nothing for ``write_timeout`` is dropped.
"""
from __future__ import annotations

import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Iterable, Iterator, List, Optional, Set, Tuple

from .messages import Request, Response, error_response, reason_phrase
from .output import Output
from .parser import NEED_DATA, Body, EndOfRequest, Limits, ProtocolError, RequestHead, RequestParser
from .persistence import Plan, plan_persistence
from .routes import App
from .rules import STRICT, Rules
from .static import FileResponse, StaticFiles

SERVER_NAME = "h1conform-sut"
RECV_SIZE = 65536


@dataclass
class ConnectionConfig:
    app: App
    limits: Limits = field(default_factory=Limits)
    rules: Rules = STRICT
    idle_timeout: float = 5.0  # waiting for the next request on a kept-alive connection
    request_timeout: float = 10.0  # whole-request deadline: from its first byte to its last
    write_timeout: float = 10.0  # a response write that cannot make progress for this long aborts
    linger_timeout: float = 1.0  # draining after our FIN, so a pipelined tail causes no RST
    stopping: threading.Event = field(default_factory=threading.Event)
    static: Optional[StaticFiles] = None  # fast path for static files (None: everything goes through app)
    serving: bool = True  # False once ConnectionRules.oversize_stops_serving took effect


_date = [0, ""]  # [second, formatted Date value]: formatted once per second, shared by all connections


def http_date() -> str:
    now = int(time.time())
    if _date[0] != now:
        _date[1], _date[0] = formatdate(now, usegmt=True), now
    return _date[1]


def _chunked(pieces: Iterable[bytes], size_format: bytes = b"%x\r\n", trailers=()) -> Iterator[bytes]:
    for piece in pieces:
        if piece:
            yield size_format % len(piece) + piece + b"\r\n"
    yield b"0\r\n" + b"".join(("%s: %s\r\n" % t).encode("latin-1") for t in trailers) + b"\r\n"


class Connection:
    def __init__(self, sock: socket.socket, config: ConnectionConfig) -> None:
        sock.setblocking(False)
        self.sock = sock
        self.cfg = config
        self.rules = config.rules.connection
        self.parser = RequestParser(config.limits, config.rules.parser)
        self.pending: List[list] = []  # responses held back (only when not ConnectionRules.responses_in_order)
        self.head: Optional[RequestHead] = None
        self.body: List[bytes] = []
        self.wanted: Optional[bool] = None
        self.request_deadline: Optional[float] = None
        self.lingering = False  # our FIN is sent; reading and discarding until the peer's FIN
        self.out = Output(sock)  # what the peer has not taken yet (false when empty)
        self.want_write = False  # wait for writability (output queued), not readability
        self.close_when_sent = False  # the connection closes once self.out is empty
        self.deadline = 0.0  # managed by the server: the last value returned by on_readable / on_timeout
        self.held = False  # ConnectionRules.half_close_cancels: bytes held back for a moment, waiting for a FIN

    @property
    def idle(self) -> bool:
        """Between requests, nothing buffered (safe to close at shutdown)."""
        return self.lingering or (not self.parser.in_message and not self.out)

    # ------------------------------------------------------------ events
    def on_readable(self) -> Optional[float]:
        if not self.cfg.serving:
            return None  # every connection is dropped
        if self.lingering:
            return self._drain()
        try:
            data = self.sock.recv(RECV_SIZE)
        except (BlockingIOError, InterruptedError):
            return self.deadline
        except OSError:
            return None
        p = self.parser
        if data:
            p.feed(data)
            if self.rules.half_close_cancels and not self.held:
                self.held = True  # answer only if no FIN follows within 50 ms
                return time.monotonic() + 0.05
        elif self.rules.half_close_cancels:
            return None  # the client's FIN cancels every request not answered yet
        else:
            p.feed_eof()
        try:
            if not self._process():
                self.close_when_sent = True
            return self._next()
        except OSError:
            return None  # peer reset

    def on_writable(self) -> Optional[float]:
        try:
            if not self.out.write_some():
                return time.monotonic() + self.cfg.write_timeout  # it moved: the write deadline starts again
            if not self.close_when_sent and not self._process():
                self.close_when_sent = True
            return self._next()
        except OSError:
            return None

    def _next(self) -> Optional[float]:
        """What to wait for after a step: output to drain, our close, the rest of a request, the next one."""
        p = self.parser
        now = time.monotonic()
        if self.out:
            self.want_write = True
            return now + self.cfg.write_timeout
        self.want_write = False
        if self.close_when_sent:
            return self._finish()
        if p.in_message:
            if self.request_deadline is None:
                self.request_deadline = now + self.cfg.request_timeout
            return self.request_deadline
        return now + self.cfg.idle_timeout

    def on_timeout(self) -> Optional[float]:
        if self.held:  # no FIN came, answer now
            self.held = False
            try:
                if not self._process():
                    self.close_when_sent = True
                return self._next()
            except OSError:
                return None
        if not self.want_write and not self.lingering and not self.parser.in_message \
                and self.rules.reset_idle_connections:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # an RST
        if self.want_write or self.lingering or not self.parser.in_message:
            return None  # the peer stopped reading, lingered long enough, or stayed idle
        p = self.parser
        try:  # RFC 9112 §8: may answer an incomplete request before closing
            self._write_error(408, "request not completed in time", p.current_method, (1, 1))
        except OSError:
            return None
        return None if self.out else self._finish()

    def _finish(self) -> Optional[float]:
        """Our side is done: send FIN, then drain what the peer still sends (bounded) so it gets no RST."""
        if self.parser.eof:
            return None  # the peer's FIN was read: nothing unread can follow
        try:
            self.sock.shutdown(socket.SHUT_WR)
        except OSError:
            return None
        self.lingering = True
        self.deadline = time.monotonic() + self.cfg.linger_timeout
        return self._drain()

    def _drain(self) -> Optional[float]:
        try:
            for _ in range(16):
                if not self.sock.recv(RECV_SIZE):
                    return None
        except (BlockingIOError, InterruptedError):
            pass
        except OSError:
            return None
        return self.deadline

    # ------------------------------------------------------------ requests
    def _process(self) -> bool:
        """Turn buffered bytes into responses; False when the connection must close now."""
        p = self.parser
        while True:
            if self.out:
                return True  # back-pressure: the peer reads this response before we parse the next request
            try:
                ev = p.next_event()
            except ProtocolError as exc:
                if not self._answer_error(exc):
                    return False
                self.head, self.request_deadline = None, None
                continue
            if ev is NEED_DATA:
                self._flush()
                return not (p.eof or (self.cfg.stopping.is_set() and not p.in_message))
            if isinstance(ev, RequestHead):
                self.head, self.body, self.wanted = ev, [], None  # wanted: decided at the first body byte
                if self.rules.early_error_leaves_body and not self._wants_body():
                    request = Request.from_parts(ev.method, ev.target, ev.version, ev.headers)
                    response = self._call_app(request)
                    if response.status >= 400:  # answer now; the body bytes stay to be parsed
                        p.abandon_body()
                        if self._complete(request.method, ev.version, ev.headers, response):
                            return False
                        continue
                self._maybe_continue(ev)
                continue
            if isinstance(ev, Body):
                if self.wanted or (self.wanted is None and self._wants_body()):
                    self.body.append(ev.data)
                continue
            head = self.head
            assert head is not None and isinstance(ev, EndOfRequest)
            self.head, self.request_deadline = None, None
            response = None
            static = self.cfg.static
            if static is not None:
                response = static.lookup(head.method, head.target, head.version, head.headers)
            if response is None:
                request = Request.from_parts(
                    head.method, head.target, head.version, head.headers, b"".join(self.body), ev.trailers
                )
                response = self._call_app(request)
            self.body = []
            if self._complete(head.method.decode("latin-1"), head.version, head.headers, response):
                return False

    def _wants_body(self) -> bool:
        head = self.head
        assert head is not None
        self.wanted = self.cfg.app.wants_body(head.method.decode("latin-1"), head.target.decode("latin-1"))
        return self.wanted

    def _call_app(self, request: Request) -> Response:
        try:
            return self.cfg.app.handle(request)
        except Exception:  # the app must not take the connection down with it
            return error_response(500, "internal error")

    def _complete(self, method: str, version: Tuple[int, int], headers, response: Response) -> bool:
        """Send the response; return True when the connection must close now."""
        values = [v.decode("latin-1") for n, v in headers if n.lower() == b"connection"] if headers else []
        options = self.rules.connection_options(values) if values else set()
        if self._respond(method, version, options, response):
            return True
        if not self.rules.keep_pipelined:
            self.parser.discard_buffered()
        return False

    def _maybe_continue(self, head: RequestHead) -> None:
        """RFC 9110 §10.1.1: answer Expect: 100-continue before reading an announced body."""
        p, rules = self.parser, self.rules
        if rules.continue_to_http10 and head.version < (1, 1):
            pass  # an HTTP/1.0 client gets a 100 too
        elif p.buffered or head.version < (1, 1) or not (p.body_framing == "chunked" or p.body_length > 0):
            return
        expects = rules.expects_continue
        if rules.send_continue and any(n.lower() == b"expect" and expects(v) for n, v in head.headers):
            self._flush()
            self._send([b"HTTP/1.1 100 Continue\r\n\r\n"])
            if rules.close_after_continue:
                raise OSError("closing after 100 Continue")  # the final response never comes

    # ------------------------------------------------------------ responses
    def _respond(self, method: str, version: Tuple[int, int], options: Set[str], response: Response) -> bool:
        """Frame and emit one response; return True when the connection must close now."""
        wire_cache = getattr(response, "wire_cache", None)  # set by the static fast path (strict rules only)
        if wire_cache is not None:
            return self._respond_cached(method, version, options, response, wire_cache)
        rules = self.rules
        status = response.status
        bodiless = status < 200 or status in (204, 304)
        headers = list(response.headers)
        close_delimited = response.close_delimited
        chunked = False
        if response.stream is not None:
            if version >= (1, 1) or rules.chunked_to_http10:
                chunked = True
            else:
                close_delimited = True
        plan = plan_persistence(
            version, options, rules, close_delimited=close_delimited and not bodiless, force_close=self.cfg.stopping.is_set()
        )
        payload: Iterable = ()
        if bodiless:
            pass
        elif chunked:
            pieces = list(response.stream or ())
            headers.append(("Transfer-Encoding", "chunked"))
            if rules.content_length_beside_chunked:
                headers.append(("Content-Length", str(sum(map(len, pieces)))))
            trailers = list(response.trailers)
            if trailers and rules.announce_trailers:  # RFC 9110 §6.6.2: announce them
                headers.append(("Trailer", ", ".join(n for n, _ in trailers)))
            payload = _chunked(pieces, rules.chunk_size_format, trailers)
        elif close_delimited:
            payload = list(response.stream) if response.stream is not None else [response.body]
        else:
            size = response.size if isinstance(response, FileResponse) else len(response.body)
            error = rules.content_length_error if status == 200 and size > 0 else 0
            headers.append(("Content-Length", str(size + error)))
            payload = [response] if isinstance(response, FileResponse) else [response.body]
        if method == "HEAD" and not rules.content_to_head:
            payload = ()
        if status in rules.content_after:
            payload = [b"unexpected content"]
        self._emit(self._head(status, headers, plan, version), payload)
        if plan.close_after:
            self._flush()
        return plan.close_after

    def _respond_cached(self, method: str, version, options: Set[str], response: Response, wire_cache: dict) -> bool:
        """A cached static 200: its bytes on the wire, head and all, are reused within the same second."""
        plan = plan_persistence(version, options, self.rules, force_close=self.cfg.stopping.is_set())
        date = http_date()
        key = (method == "HEAD", plan.send_close, plan.send_keep_alive, version == (1, 0), date)
        wire = wire_cache.get(key)
        if wire is None:
            headers = response.headers + [("Content-Length", str(len(response.body)))]
            wire = self._head(200, headers, plan, version)
            if method != "HEAD":
                wire += response.body
            if len(wire_cache) >= 8:
                wire_cache.clear()
            wire_cache[key] = wire
        self._send([wire])
        if plan.close_after:
            self._flush()
        return plan.close_after

    def _answer_error(self, exc: ProtocolError) -> bool:
        """Answer a ProtocolError; return True if the connection goes on (only rules other than strict)."""
        p, rules = self.parser, self.rules
        if exc.status in (413, 414, 431) and rules.oversize_stops_serving:
            self.cfg.serving = False
        plan: Plan = plan_persistence((1, 1), set(), rules, force_close=True)
        for hook in rules.after_bad_request:
            plan = hook(exc.status, plan)
        if p.eof:
            plan.close_after = True
        self._write_error(exc.status, exc.reason, p.current_method, p.current_version or (1, 1), plan)
        if plan.close_after:
            return False
        p.recover()
        return True

    def _write_error(self, status: int, reason: str, method: Optional[bytes], version, plan: Optional[Plan] = None) -> None:
        if plan is None:
            plan = plan_persistence((1, 1), set(), self.rules, force_close=True)
        response = error_response(status, reason)
        for hook in self.rules.error_hooks:
            response = hook(response)
        headers = response.headers + [("Content-Length", str(len(response.body)))]
        payload = [] if method == b"HEAD" and not self.rules.content_to_head else [response.body]
        self._emit(self._head(status, headers, plan, version), payload)
        self._flush()

    def _head(self, status: int, headers: List[Tuple[str, str]], plan: Plan, version: Tuple[int, int]) -> bytes:
        lines = ["HTTP/1.1 %d %s" % (status, reason_phrase(status)), "Date: " + http_date(), "Server: " + SERVER_NAME]
        lines.extend("%s: %s" % hv for hv in headers)
        if plan.send_close:
            lines.append("Connection: close")
        elif plan.send_keep_alive:
            lines.append("Connection: keep-alive")
        for hook in self.rules.head_hooks:
            lines = hook(lines, version, self.parser.raw_version)
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    # --------------------------------------------------------------- output
    def _emit(self, head: bytes, payload: Iterable) -> None:
        parts = [head]
        parts.extend(payload)
        if not self.rules.responses_in_order:
            self.pending.append(parts)
        else:
            self._send(parts)

    def _flush(self) -> None:
        pending, self.pending = self.pending, []
        for parts in reversed(pending):  # only filled when responses may go out of order
            self._send(parts)

    def _send(self, parts: list) -> None:
        self.out.send(parts)

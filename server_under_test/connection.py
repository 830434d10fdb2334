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
    wedged: bool = False  # set only by the wedge_after_oversize quirk


@dataclass
class Plan:
    send_close: bool  # put "Connection: close" in the response
    send_keep_alive: bool  # put "Connection: keep-alive" in the response (HTTP/1.0)
    close_after: bool  # close the connection once the response is written


def connection_options(headers: List[Tuple[str, str]], quirks: frozenset) -> Set[str]:
    """Connection options: a case-insensitive comma list, empty elements allowed (RFC 9110 §7.6.1)."""
    return _options([v for n, v in headers if n.lower() == "connection"], quirks)


def _options(values: List[str], quirks: frozenset) -> Set[str]:
    if not values:
        return set()
    if "connection_whole_value_only" in quirks:
        return {", ".join(values).strip(" \t").lower()}
    options = set()
    for value in values:
        for element in value.split(","):
            element = element.strip(" \t")
            if element:
                options.add(element if "connection_options_case_sensitive" in quirks else element.lower())
    return options


def plan_persistence(
    version: Tuple[int, int], options: Set[str], quirks: frozenset, close_delimited: bool = False, force_close: bool = False
) -> Plan:
    """RFC 9112 §9.3 / §9.6: does the connection persist after this response, and what do we say?"""
    keep_alive_header = False
    if version >= (1, 1):
        persistent = True
    elif "keep-alive" in options and "no_http10_keep_alive" not in quirks:
        persistent = True
        keep_alive_header = "no_keep_alive_header_http10" not in quirks
    else:
        persistent = "keep_http10_open" in quirks
    if "close" in options and "ignore_connection_close" not in quirks:
        persistent = False
    if force_close or "no_persistence" in quirks:
        persistent = False
    if close_delimited:
        persistent = "close_delimited_keep_open" in quirks
    send_close = not persistent and "close_without_signal" not in quirks
    return Plan(send_close, persistent and keep_alive_header, not persistent)


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
        self.quirks = config.rules.quirks
        self.parser = RequestParser(config.limits, config.rules.parser)
        self.pending: List[list] = []  # responses held back (pipeline_out_of_order only)
        self.head: Optional[RequestHead] = None
        self.body: List[bytes] = []
        self.wanted: Optional[bool] = None
        self.request_deadline: Optional[float] = None
        self.lingering = False  # our FIN is sent; reading and discarding until the peer's FIN
        self.out = Output(sock)  # what the peer has not taken yet (false when empty)
        self.want_write = False  # wait for writability (output queued), not readability
        self.close_when_sent = False  # the connection closes once self.out is empty
        self.deadline = 0.0  # managed by the server: the last value returned by on_readable / on_timeout
        self.held = False  # quirk: half_close_aborts -- bytes held back for a moment, waiting for a FIN

    @property
    def idle(self) -> bool:
        """Between requests, nothing buffered (safe to close at shutdown)."""
        return self.lingering or (not self.parser.in_message and not self.out)

    # ------------------------------------------------------------ events
    def on_readable(self) -> Optional[float]:
        if self.cfg.wedged:
            return None  # quirk: wedge_after_oversize -- every connection is dropped
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
            if "half_close_aborts" in self.quirks and not self.held:
                self.held = True  # quirk: answer only if no FIN follows within 50 ms
                return time.monotonic() + 0.05
        elif "half_close_aborts" in self.quirks:
            return None  # quirk: the client's FIN cancels every request not answered yet
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
        if self.held:  # quirk: half_close_aborts -- no FIN came, answer now
            self.held = False
            try:
                if not self._process():
                    self.close_when_sent = True
                return self._next()
            except OSError:
                return None
        if not self.want_write and not self.lingering and not self.parser.in_message \
                and "idle_close_reset" in self.quirks:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # quirk: RST
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
                if "skip_unread_body" in self.quirks and not self._wants_body():
                    request = Request.from_parts(ev.method, ev.target, ev.version, ev.headers)
                    response = self._call_app(request)
                    if response.status >= 400:  # quirk: answer now; the body bytes stay to be parsed
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
        if self._respond(method, version, _options(values, self.quirks), response):
            return True
        if "drop_pipelined" in self.quirks:
            self.parser.discard_buffered()
        return False

    def _maybe_continue(self, head: RequestHead) -> None:
        """RFC 9110 §10.1.1: answer Expect: 100-continue before reading an announced body."""
        p = self.parser
        b = self.quirks
        if "continue_to_http10" in b and head.version < (1, 1):
            pass  # quirk: falls through to send 100 to an HTTP/1.0 client
        elif p.buffered or head.version < (1, 1) or not (p.body_framing == "chunked" or p.body_length > 0):
            return
        same = (lambda v: v == b"100-continue") if "expect_case_sensitive" in b else (lambda v: v.lower() == b"100-continue")
        if "no_continue" not in b and any(n.lower() == b"expect" and same(v) for n, v in head.headers):
            self._flush()
            self._send([b"HTTP/1.1 100 Continue\r\n\r\n"])
            if "continue_then_close" in b:
                raise OSError("quirk: continue_then_close")  # the final response never comes

    # ------------------------------------------------------------ responses
    def _respond(self, method: str, version: Tuple[int, int], options: Set[str], response: Response) -> bool:
        """Frame and emit one response; return True when the connection must close now."""
        wire_cache = getattr(response, "wire_cache", None)  # set by the static fast path (no quirks)
        if wire_cache is not None:
            return self._respond_cached(method, version, options, response, wire_cache)
        b = self.quirks
        status = response.status
        bodiless = status < 200 or status in (204, 304)
        headers = list(response.headers)
        close_delimited = response.close_delimited
        chunked = False
        if response.stream is not None:
            if version >= (1, 1) or "chunked_to_http10" in b:
                chunked = True
            else:
                close_delimited = True
        plan = plan_persistence(
            version, options, b, close_delimited=close_delimited and not bodiless, force_close=self.cfg.stopping.is_set()
        )
        payload: Iterable = ()
        if bodiless:
            pass
        elif chunked:
            pieces = list(response.stream or ())
            headers.append(("Transfer-Encoding", "chunked"))
            if "content_length_with_chunked" in b:
                headers.append(("Content-Length", str(sum(map(len, pieces)))))
            trailers = list(response.trailers)
            if trailers and "trailer_not_announced" not in b:  # RFC 9110 §6.6.2: announce them
                headers.append(("Trailer", ", ".join(n for n, _ in trailers)))
            payload = _chunked(pieces, b"%X \r\n" if "chunk_size_padded" in b else b"%x\r\n", trailers)
        elif close_delimited:
            payload = list(response.stream) if response.stream is not None else [response.body]
        else:
            size = response.size if isinstance(response, FileResponse) else len(response.body)
            short = "content_length_short" in b and status == 200 and size > 0
            headers.append(("Content-Length", str(size - short)))
            payload = [response] if isinstance(response, FileResponse) else [response.body]
        if method == "HEAD" and "body_in_head_response" not in b:
            payload = ()
        if (status == 304 and "body_in_304" in b) or (status == 204 and "body_in_204" in b):
            payload = [b"unexpected content"]  # quirk: content after a 204/304 header section
        self._emit(self._head(status, headers, plan, version), payload)
        if plan.close_after:
            self._flush()
        return plan.close_after

    def _respond_cached(self, method: str, version, options: Set[str], response: Response, wire_cache: dict) -> bool:
        """A cached static 200: its bytes on the wire, head and all, are reused within the same second."""
        plan = plan_persistence(version, options, self.quirks, force_close=self.cfg.stopping.is_set())
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
        """Answer a ProtocolError; return True if the connection goes on (quirks only)."""
        p = self.parser
        if exc.status in (413, 414, 431) and "wedge_after_oversize" in self.quirks:
            self.cfg.wedged = True  # quirk: one oversized request and the server stops serving
        plan = plan_persistence((1, 1), set(), self.quirks, force_close=True)
        if exc.status == 400 and "no_close_after_bad_request" in self.quirks:
            plan = Plan(False, False, False)
        elif plan.send_close and "ignore_own_close" in self.quirks:
            plan.close_after = False  # quirk: said close, keeps going (resync after the bad head)
        if p.eof:
            plan.close_after = True
        self._write_error(exc.status, exc.reason, p.current_method, p.current_version or (1, 1), plan)
        if plan.close_after:
            return False
        p.recover()
        return True

    def _write_error(self, status: int, reason: str, method: Optional[bytes], version, plan: Optional[Plan] = None) -> None:
        if plan is None:
            plan = plan_persistence((1, 1), set(), self.quirks, force_close=True)
        response = error_response(status, reason)
        if status == 505 and "empty_505_body" in self.quirks:
            response.body = b""  # quirk: no explanation, no list of supported versions
        headers = response.headers + [("Content-Length", str(len(response.body)))]
        payload = [] if method == b"HEAD" and "body_in_head_response" not in self.quirks else [response.body]
        self._emit(self._head(status, headers, plan, version), payload)
        self._flush()

    def _head(self, status: int, headers: List[Tuple[str, str]], plan: Plan, version: Tuple[int, int]) -> bytes:
        b = self.quirks
        proto = "HTTP/1.0" if version == (1, 0) and "http10_response_version" in b else "HTTP/1.1"
        if "downgrade_to_http10" in b:
            proto = "HTTP/1.0"
        elif "status_line_echoes_request_version" in b:
            proto = self.parser.raw_version.decode("latin-1")
        if "lowercase_status_version" in b:
            proto = proto.lower()
        lines = ["%s %d %s" % (proto, status, reason_phrase(status))]
        if "date_rfc850" in b:
            lines.append("Date: " + time.strftime("%A, %d-%b-%y %H:%M:%S GMT", time.gmtime()))
        elif "stale_date" in b:
            lines.append("Date: " + formatdate(time.time() - 3600, usegmt=True))
        elif "no_date" not in b:
            lines.append("Date: " + http_date())
        lines.append("Server: " + SERVER_NAME)
        if "space_before_first_field" in b:
            lines[1] = " " + lines[1]
        lines.extend("%s: %s" % hv for hv in headers)
        if plan.send_close:
            lines.append("Connection: close")
        elif plan.send_keep_alive:
            lines.append("Connection: keep-alive")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    # --------------------------------------------------------------- output
    def _emit(self, head: bytes, payload: Iterable) -> None:
        parts = [head]
        parts.extend(payload)
        if "pipeline_out_of_order" in self.quirks:
            self.pending.append(parts)
        else:
            self._send(parts)

    def _flush(self) -> None:
        pending, self.pending = self.pending, []
        for parts in reversed(pending):  # only filled with pipeline_out_of_order
            self._send(parts)

    def _send(self, parts: list) -> None:
        self.out.send(parts)

"""One client connection: read requests, call the app, frame and write responses.

:func:`handle_connection` is a plain function of ``(socket, ConnectionConfig)``
so that the threading model (server.py) can change without touching it.
"""
from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Iterable, Iterator, List, Optional, Set, Tuple

from .parser import NEED_DATA, Body, EndOfRequest, Limits, ProtocolError, RequestHead, RequestParser
from .routes import App, Request, Response, error_response, reason_phrase

SERVER_NAME = "h1conform-sut"


@dataclass
class ConnectionConfig:
    app: App
    limits: Limits = field(default_factory=Limits)
    broken: frozenset = frozenset()
    idle_timeout: float = 5.0  # waiting for the next request on a kept-alive connection
    request_timeout: float = 10.0  # waiting for the rest of a started request
    write_timeout: float = 10.0
    linger_timeout: float = 1.0  # draining after our FIN, so a pipelined tail causes no RST
    stopping: threading.Event = field(default_factory=threading.Event)


@dataclass
class Plan:
    send_close: bool  # put "Connection: close" in the response
    send_keep_alive: bool  # put "Connection: keep-alive" in the response (HTTP/1.0)
    close_after: bool  # close the connection once the response is written


def connection_options(headers: List[Tuple[str, str]], broken: frozenset) -> Set[str]:
    """Connection options: a case-insensitive comma list, empty elements allowed (RFC 9110 §7.6.1)."""
    values = [v for n, v in headers if n.lower() == "connection"]
    if "connection_whole_value_only" in broken:
        return {", ".join(values).strip(" \t").lower()} if values else set()
    options = set()
    for value in values:
        for element in value.split(","):
            element = element.strip(" \t")
            if element:
                options.add(element if "connection_options_case_sensitive" in broken else element.lower())
    return options


def plan_persistence(
    version: Tuple[int, int], options: Set[str], broken: frozenset, close_delimited: bool = False, force_close: bool = False
) -> Plan:
    """RFC 9112 §9.3 / §9.6: does the connection persist after this response, and what do we say?"""
    keep_alive_header = False
    if version >= (1, 1):
        persistent = True
    elif "keep-alive" in options and "no_http10_keep_alive" not in broken:
        persistent = True
        keep_alive_header = "no_keep_alive_header_http10" not in broken
    else:
        persistent = "keep_http10_open" in broken
    if "close" in options and "ignore_connection_close" not in broken:
        persistent = False
    if force_close or "no_persistence" in broken:
        persistent = False
    if close_delimited:
        persistent = "close_delimited_keep_open" in broken
    send_close = not persistent and "close_without_signal" not in broken
    return Plan(send_close, persistent and keep_alive_header, not persistent)


def _chunked(pieces: Iterable[bytes]) -> Iterator[bytes]:
    for piece in pieces:
        if piece:
            yield b"%x\r\n%s\r\n" % (len(piece), piece)
    yield b"0\r\n\r\n"


class _Connection:
    def __init__(self, sock: socket.socket, config: ConnectionConfig) -> None:
        self.sock = sock
        self.cfg = config
        self.broken = config.broken
        self.parser = RequestParser(config.limits, config.broken)
        self.pending: List[List[bytes]] = []  # responses held back (pipeline_out_of_order only)

    # ------------------------------------------------------------ main loop
    def run(self) -> None:
        p = self.parser
        head: Optional[RequestHead] = None
        body: List[bytes] = []
        wanted = True
        while True:
            try:
                ev = p.next_event()
            except ProtocolError as exc:
                if not self._answer_error(exc):
                    return
                head = None
                continue
            if ev is NEED_DATA:
                self._flush()
                if p.eof or (self.cfg.stopping.is_set() and not p.in_message) or not self._receive():
                    return
                continue
            if isinstance(ev, RequestHead):
                head, body = ev, []
                wanted = self.cfg.app.wants_body(ev.method.decode("latin-1"), ev.target.decode("latin-1"))
                if not wanted and "skip_unread_body" in self.broken:
                    request = Request.from_parts(ev.method, ev.target, ev.version, ev.headers)
                    response = self._call_app(request)
                    if response.status >= 400:  # broken: answer now; the body bytes stay to be parsed
                        p.abandon_body()
                        if self._complete(request, response):
                            return
                        continue
                self._maybe_continue(ev)
                continue
            if isinstance(ev, Body):
                if wanted:
                    body.append(ev.data)
                continue
            assert head is not None and isinstance(ev, EndOfRequest)
            request = Request.from_parts(head.method, head.target, head.version, head.headers, b"".join(body), ev.trailers)
            head, body = None, []
            if self._complete(request, self._call_app(request)):
                return

    def _call_app(self, request: Request) -> Response:
        try:
            return self.cfg.app.handle(request)
        except Exception:  # the app must not take the connection down with it
            return error_response(500, "internal error")

    def _complete(self, request: Request, response: Response) -> bool:
        """Send the response; return True when the connection must close now."""
        if self._respond(request, response):
            return True
        if "drop_pipelined" in self.broken:
            self.parser.discard_buffered()
        return False

    def _receive(self) -> bool:
        p = self.parser
        self.sock.settimeout(self.cfg.request_timeout if p.in_message else self.cfg.idle_timeout)
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            if p.in_message:  # RFC 9112 §8: may answer an incomplete request before closing
                self._write_error(408, "request not completed in time", p.current_method, (1, 1))
            return False
        except OSError:
            return False
        if data:
            p.feed(data)
        else:
            p.feed_eof()
        return True

    def _maybe_continue(self, head: RequestHead) -> None:
        """RFC 9110 §10.1.1: answer Expect: 100-continue before reading an announced body."""
        p = self.parser
        expects = any(n.lower() == b"expect" and v.lower() == b"100-continue" for n, v in head.headers)
        has_body = p.body_framing == "chunked" or (p.body_framing == "length" and p.body_length > 0)
        if expects and has_body and head.version >= (1, 1) and p.buffered == 0:
            self._flush()
            self._send([b"HTTP/1.1 100 Continue\r\n\r\n"])

    # ------------------------------------------------------------ responses
    def _respond(self, request: Request, response: Response) -> bool:
        """Frame and emit one response; return True when the connection must close now."""
        b = self.broken
        status = response.status
        bodiless = status < 200 or status in (204, 304)
        headers = list(response.headers)
        close_delimited = response.close_delimited
        chunked = False
        if response.stream is not None:
            if request.version >= (1, 1) or "chunked_to_http10" in b:
                chunked = True
            else:
                close_delimited = True
        plan = plan_persistence(
            request.version, connection_options(request.headers, b), b,
            close_delimited=close_delimited and not bodiless, force_close=self.cfg.stopping.is_set(),
        )
        payload: Iterable[bytes] = ()
        if bodiless:
            pass
        elif chunked:
            pieces = list(response.stream or ())
            headers.append(("Transfer-Encoding", "chunked"))
            if "content_length_with_chunked" in b:
                headers.append(("Content-Length", str(sum(map(len, pieces)))))
            payload = _chunked(pieces)
        elif close_delimited:
            payload = list(response.stream) if response.stream is not None else [response.body]
        else:
            short = "content_length_short" in b and status == 200 and len(response.body) > 0
            headers.append(("Content-Length", str(len(response.body) - short)))
            payload = [response.body]
        if request.method == "HEAD" and "body_in_head_response" not in b:
            payload = ()
        self._emit(self._head(status, headers, plan, request.version), payload)
        if plan.close_after:
            self._flush()
        return plan.close_after

    def _answer_error(self, exc: ProtocolError) -> bool:
        """Answer a ProtocolError; return True if the connection goes on (broken switches only)."""
        p = self.parser
        plan = plan_persistence((1, 1), set(), self.broken, force_close=True)
        if exc.status == 400 and "no_close_after_bad_request" in self.broken:
            plan = Plan(False, False, False)
        elif plan.send_close and "ignore_own_close" in self.broken:
            plan.close_after = False  # broken: said close, keeps going (resync after the bad head)
        if p.eof:
            plan.close_after = True
        self._write_error(exc.status, exc.reason, p.current_method, p.current_version or (1, 1), plan)
        if plan.close_after:
            return False
        p.recover()
        return True

    def _write_error(self, status: int, reason: str, method: Optional[bytes], version, plan: Optional[Plan] = None) -> None:
        if plan is None:
            plan = plan_persistence((1, 1), set(), self.broken, force_close=True)
        response = error_response(status, reason)
        headers = response.headers + [("Content-Length", str(len(response.body)))]
        payload = [] if method == b"HEAD" and "body_in_head_response" not in self.broken else [response.body]
        self._emit(self._head(status, headers, plan, version), payload)
        self._flush()

    def _head(self, status: int, headers: List[Tuple[str, str]], plan: Plan, version: Tuple[int, int]) -> bytes:
        b = self.broken
        proto = "HTTP/1.0" if version == (1, 0) and "http10_response_version" in b else "HTTP/1.1"
        if "lowercase_status_version" in b:
            proto = proto.lower()
        lines = ["%s %d %s" % (proto, status, reason_phrase(status))]
        if "date_rfc850" in b:
            lines.append("Date: " + time.strftime("%A, %d-%b-%y %H:%M:%S GMT", time.gmtime()))
        elif "no_date" not in b:
            lines.append("Date: " + formatdate(time.time(), usegmt=True))
        lines.append("Server: " + SERVER_NAME)
        lines.extend("%s: %s" % hv for hv in headers)
        if plan.send_close:
            lines.append("Connection: close")
        elif plan.send_keep_alive:
            lines.append("Connection: keep-alive")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    # --------------------------------------------------------------- output
    def _emit(self, head: bytes, payload: Iterable[bytes]) -> None:
        parts = [head]
        parts.extend(payload)
        if "pipeline_out_of_order" in self.broken:
            self.pending.append(parts)
        else:
            self._send(parts)

    def _flush(self) -> None:
        pending, self.pending = self.pending, []
        for parts in reversed(pending):  # only filled with pipeline_out_of_order
            self._send(parts)

    def _send(self, parts: List[bytes]) -> None:
        self.sock.settimeout(self.cfg.write_timeout)
        if len(parts) <= 2 and sum(map(len, parts)) <= 256 * 1024:
            self.sock.sendall(b"".join(parts))
        else:
            for part in parts:
                self.sock.sendall(part)


def graceful_close(sock: socket.socket, linger: float) -> None:
    """Half-close, then read and discard (bounded in time) so unread input causes no RST."""
    try:
        sock.shutdown(socket.SHUT_WR)
        deadline = time.monotonic() + linger
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            sock.settimeout(remaining)
            if not sock.recv(65536):
                break
    except OSError:
        pass
    finally:
        sock.close()


def handle_connection(sock: socket.socket, config: ConnectionConfig) -> None:
    """Serve one accepted connection until it closes; always closes *sock*."""
    try:
        _Connection(sock, config).run()
    except OSError:
        pass  # peer reset, write timeout, server shutdown
    finally:
        graceful_close(sock, config.linger_timeout)

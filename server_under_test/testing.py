"""Tiny raw-socket HTTP/1.x client helpers for the server's own tests (stdlib only).

Strict enough to notice framing mistakes: it reads exactly Content-Length
octets, decodes chunked strictly, and treats a response without either as
close-delimited.
"""
from __future__ import annotations

import select
import socket
import time
from dataclasses import dataclass, field
from typing import List, Optional, Tuple


@dataclass
class RawResponse:
    version: str
    status: int
    reason: str
    headers: List[Tuple[str, str]]
    body: bytes = b""
    framing: str = "none"  # "length", "chunked", "close" or "none"
    trailers: List[Tuple[str, str]] = field(default_factory=list)

    def header(self, name: str) -> Optional[str]:
        values = self.header_values(name)
        return values[0] if values else None

    def header_values(self, name: str) -> List[str]:
        name = name.lower()
        return [v for n, v in self.headers if n.lower() == name]

    def has_token(self, name: str, token: str) -> bool:
        return any(t.strip().lower() == token for v in self.header_values(name) for t in v.split(","))


class ResponseReader:
    """Reads successive responses from a socket (or from bytes already received)."""

    def __init__(self, sock: Optional[socket.socket] = None, data: bytes = b"", timeout: float = 5.0) -> None:
        self.sock = sock
        self.buf = bytearray(data)
        self.eof = sock is None
        self.timeout = timeout

    def _fill(self) -> None:
        if self.eof:
            raise EOFError("connection closed")
        assert self.sock is not None
        self.sock.settimeout(self.timeout)
        try:
            data = self.sock.recv(65536)
        except ConnectionResetError:
            data = b""
        if not data:
            self.eof = True
            raise EOFError("connection closed")
        self.buf += data

    def _line(self) -> bytes:
        while True:
            i = self.buf.find(b"\r\n")
            if i >= 0:
                line = bytes(self.buf[:i])
                del self.buf[: i + 2]
                return line
            self._fill()

    def _exact(self, n: int) -> bytes:
        while len(self.buf) < n:
            self._fill()
        data = bytes(self.buf[:n])
        del self.buf[:n]
        return data

    def _fields(self) -> List[Tuple[str, str]]:
        fields = []
        while True:
            line = self._line()
            if not line:
                return fields
            name, sep, value = line.partition(b":")
            if not sep or name != name.strip() or line[:1] in (b" ", b"\t"):
                raise ValueError("malformed field line %r" % line)
            fields.append((name.decode("latin-1"), value.strip(b" \t").decode("latin-1")))

    def read_head(self) -> RawResponse:
        """Read a status line and header section only.  EOFError if the peer closed first."""
        status_line = self._line()
        parts = status_line.decode("latin-1").split(" ", 2)
        if len(parts) < 3 or not parts[1].isdigit():
            raise ValueError("malformed status line %r" % status_line)
        return RawResponse(parts[0], int(parts[1]), parts[2], self._fields())

    def read_response(self, method: str = "GET") -> RawResponse:
        """Read one response (1xx included).  EOFError if the peer closed before a status line."""
        resp = self.read_head()
        if method == "HEAD" or resp.status < 200 or resp.status in (204, 304):
            return resp
        te = resp.header_values("Transfer-Encoding")
        cl = resp.header_values("Content-Length")
        if te:
            if [t.strip().lower() for t in ",".join(te).split(",")][-1] != "chunked":
                raise ValueError("unsupported transfer coding %r" % te)
            resp.framing, resp.body = "chunked", self._read_chunked(resp)
        elif cl:
            resp.framing, resp.body = "length", self._exact(int(cl[0]))
        else:
            resp.framing, resp.body = "close", self.read_to_eof()
        return resp

    def read_final(self, method: str = "GET") -> RawResponse:
        """Skip 1xx responses and return the final one."""
        while True:
            resp = self.read_response(method)
            if resp.status >= 200:
                return resp

    def _read_chunked(self, resp: RawResponse) -> bytes:
        body = bytearray()
        while True:
            line = self._line()
            size_text = line.split(b";", 1)[0]
            if not size_text or size_text.strip(b"0123456789abcdefABCDEF"):
                raise ValueError("bad chunk size line %r" % line)
            size = int(size_text, 16)
            if size == 0:
                resp.trailers = self._fields()
                return bytes(body)
            body += self._exact(size)
            if self._exact(2) != b"\r\n":
                raise ValueError("chunk data not followed by CRLF")

    def read_to_eof(self) -> bytes:
        try:
            while True:
                self._fill()
        except EOFError:
            pass
        data = bytes(self.buf)
        self.buf.clear()
        return data

    def read_until_eof(self, timeout: float) -> Tuple[bytes, bool]:
        """Collect bytes for at most *timeout* seconds; return (bytes, whether EOF was seen)."""
        assert self.sock is not None or self.eof
        deadline = time.monotonic() + timeout
        while not self.eof:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            readable, _, _ = select.select([self.sock], [], [], remaining)
            if readable:
                try:
                    self._fill()
                except EOFError:
                    break
        data = bytes(self.buf)
        self.buf.clear()
        return data, self.eof

    def closed(self, timeout: Optional[float] = None) -> bool:
        """True when the peer closes with no further bytes within *timeout*; False if data arrives."""
        if self.buf:
            return False
        if self.eof:
            return True
        assert self.sock is not None
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            readable, _, _ = select.select([self.sock], [], [], remaining)
            if readable:
                try:
                    self._fill()
                except EOFError:
                    return True
                return False

    def silent(self, timeout: float) -> bool:
        """True if nothing at all (no bytes, no EOF) arrives within *timeout* seconds."""
        if self.buf or self.eof:
            return False
        assert self.sock is not None
        readable, _, _ = select.select([self.sock], [], [], timeout)
        return not readable


def connect(address: Tuple[str, int], timeout: float = 5.0) -> socket.socket:
    sock = socket.create_connection(address, timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def exchange(address: Tuple[str, int], data: bytes, timeout: float = 5.0, shut_wr: bool = False) -> bytes:
    """Send *data*, optionally half-close, and return every byte received until the server closes."""
    with connect(address, timeout) as sock:
        sock.sendall(data)
        if shut_wr:
            sock.shutdown(socket.SHUT_WR)
        return ResponseReader(sock, timeout=timeout).read_to_eof()


def parse_all(data: bytes, methods: Optional[List[str]] = None) -> List[RawResponse]:
    """Split bytes received on one connection into responses (final and 1xx)."""
    reader = ResponseReader(None, data)
    responses: List[RawResponse] = []
    while reader.buf:
        method = methods[len(responses)] if methods and len(responses) < len(methods) else "GET"
        responses.append(reader.read_response(method))
    return responses

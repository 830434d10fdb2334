"""The raw-socket client: segments and pauses in, a timed transcript out.

Every read and write has a deadline; reading stops at a byte bound so a
flooding server cannot exhaust memory.  How a connection ended is told apart:
the peer closed cleanly (``closed``), reset it (``reset``), said nothing before
the deadline (``timeout``), sent more than the bound (``limit``), or is still
open because we had what we wanted (``open``).
"""

from __future__ import annotations

import select
import socket
import ssl
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, List, Optional, Union

from .errors import TargetUnreachable
from .target import Target

DEFAULT_TIMEOUT = 2.0
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
TOTAL_READ_FACTOR = 3  # a read ends after this many read deadlines in all, however the bytes trickle
_RECV_SIZE = 65536

CLOSED = "closed"
RESET = "reset"
TIMEOUT = "timeout"
LIMIT = "limit"
OPEN = "open"


@dataclass(frozen=True)
class Pause:
    """A deliberate pause between two segments (part of the probe, not a wait for readiness)."""

    seconds: float


class HalfClose:
    """Send FIN (shutdown SHUT_WR) and keep reading."""

    def __repr__(self) -> str:
        return "HALF_CLOSE"


HALF_CLOSE = HalfClose()
Segment = Union[bytes, Pause, HalfClose]


@dataclass
class Event:
    t: float  # seconds since the connection was opened
    kind: str  # "send" | "recv" | "pause" | "half-close" | "end"
    data: bytes = b""
    note: str = ""


@dataclass
class Transcript:
    """Everything that happened on one connection, in order."""

    target: str
    events: List[Event] = field(default_factory=list)
    ending: str = OPEN
    opened: float = 0.0  # time.monotonic() when the connection was opened (each event's t counts from it)
    closed: Optional[float] = None  # seconds after ``opened`` when we closed our socket

    @property
    def received(self) -> bytes:
        return b"".join(e.data for e in self.events if e.kind == "recv")

    @property
    def sent(self) -> bytes:
        return b"".join(e.data for e in self.events if e.kind == "send")

    def received_before(self, t: float) -> bytes:
        return b"".join(e.data for e in self.events if e.kind == "recv" and e.t < t)

    def time_of_last_send(self) -> float:
        sends = [e.t for e in self.events if e.kind == "send"]
        return sends[-1] if sends else 0.0

    def render(self, limit: int = 600, events: int = 40) -> str:
        """The transcript as text: each event's bytes up to ``limit``, at most ``events`` events (the first
        ones and the last few; a flood is summarised, not copied)."""
        lines = [f"transcript ({self.target}):"]
        kept = self.events
        if len(kept) > events:
            hidden = kept[events - 5:-5]
            nbytes = sum(len(e.data) for e in hidden)
            kept = kept[:events - 5] + [Event(hidden[0].t, "...", note=f"{len(hidden)} more events, {nbytes} bytes")] \
                + kept[-5:]
        for e in kept:
            if e.kind in ("send", "recv"):
                arrow = ">" if e.kind == "send" else "<"
                shown = e.data[:limit]
                more = f" ... (+{len(e.data) - limit} bytes)" if len(e.data) > limit else ""
                lines.append(f"  {e.t:7.3f} {arrow} {shown!r}{more}")
            else:
                lines.append(f"  {e.t:7.3f} = {e.kind} {e.note}".rstrip())
        return "\n".join(lines)


def open_socket(host: str, port: int, timeout: float) -> socket.socket:
    """A TCP connection, as :func:`socket.create_connection` opens it, but an IP address is connected to without
    the resolver: on loopback its lookup (and the IDNA encoding of the name) costs more than the connect."""
    family = _ip_family(host)
    if family is None:
        return socket.create_connection((host, port), timeout=timeout)
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect((host, port))
    except BaseException:
        sock.close()
        raise
    return sock


@lru_cache(maxsize=16)
def _ip_family(host: str) -> Optional[int]:
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.inet_pton(family, host)
            return family
        except OSError:
            continue
    return None


@lru_cache(maxsize=2)
def _tls_context(verify: bool) -> ssl.SSLContext:
    """One context per run and kind (making one loads the system's CA certificates)."""
    ctx = ssl.create_default_context()
    if not verify:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


class Connection:
    """One TCP (or TLS) connection to the target, recording a transcript."""

    def __init__(self, target: Target, *, timeout: float = DEFAULT_TIMEOUT,
                 max_bytes: int = DEFAULT_MAX_BYTES, connect_timeout: Optional[float] = None) -> None:
        self.target = target
        self.timeout = timeout
        #: a SYN dropped by a full listen queue is sent again after 1 s: the connect waits for that
        self.connect_timeout = max(timeout, connect_timeout or 0.0)
        self.max_bytes = max_bytes
        self.transcript = Transcript(target.display)
        self._received = 0
        self._t0 = self.transcript.opened = time.monotonic()
        self.sock = self._connect()

    # -- setup ---------------------------------------------------------------
    def _connect(self) -> socket.socket:
        try:
            sock = open_socket(self.target.host, self.target.port, self.connect_timeout)
        except socket.timeout:
            raise TargetUnreachable(f"target {self.target.display} unreachable: connect timed out") from None
        except OSError as exc:
            raise TargetUnreachable(
                f"target {self.target.display} unreachable: {(exc.strerror or str(exc)).lower()}") from None
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.target.tls:
            try:
                sock = _tls_context(self.target.verify_tls).wrap_socket(sock, server_hostname=self.target.host)
            except (OSError, ssl.SSLError) as exc:
                sock.close()
                hint = " (does the port speak plain HTTP? then give http://)" if "WRONG_VERSION_NUMBER" in str(exc) \
                    else ""
                raise TargetUnreachable(f"target {self.target.display}: TLS handshake failed: {exc}{hint}") from None
        return sock

    def _now(self) -> float:
        return time.monotonic() - self._t0

    def _record(self, kind: str, data: bytes = b"", note: str = "") -> None:
        self.transcript.events.append(Event(self._now(), kind, data, note))

    @property
    def ended(self) -> bool:
        return self.transcript.ending in (CLOSED, RESET, LIMIT)

    def _end(self, how: str, note: str = "") -> None:
        if not self.ended:
            self.transcript.ending = how
            self._record("end", note=how + (f" ({note})" if note else ""))

    # -- sending -------------------------------------------------------------
    def send(self, *segments: Segment, on_receive: Callable[[bytes], None] | None = None) -> bool:
        """Write each segment; pauses keep reading so arrivals are timestamped.
        False when the connection ended before every segment was written."""
        for seg in segments:
            if self.ended:
                return False
            if isinstance(seg, Pause):
                self._record("pause", note=f"{seg.seconds:g} s")
                self._read_for(seg.seconds, on_receive)
            elif isinstance(seg, HalfClose):
                self._record("half-close")
                try:
                    self.sock.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
            else:
                if not self._write(bytes(seg)):
                    return False
                self._read_for(0.0, on_receive)
        return True

    def _write(self, data: bytes) -> bool:
        self.sock.settimeout(self.timeout)
        try:
            self.sock.sendall(data)
        except socket.timeout:
            self._record("send", data, note="partial")
            self._end(TIMEOUT, "write deadline passed")
            return False
        except OSError as exc:  # reset, broken pipe
            self._end(RESET, f"while sending: {exc.strerror or exc}")
            return False
        self._record("send", data)
        return True

    # -- receiving -----------------------------------------------------------
    def _recv_once(self, wait: float) -> Optional[bytes]:
        """One recv with a deadline; None when nothing arrived in time."""
        if not isinstance(self.sock, ssl.SSLSocket) or not self.sock.pending():
            ready, _, _ = select.select([self.sock], [], [], max(wait, 0.0))
            if not ready:
                return None
        try:
            self.sock.settimeout(max(wait, 0.001))
            data = self.sock.recv(min(_RECV_SIZE, self.max_bytes - self._received + 1))
        except socket.timeout:
            return None
        except ssl.SSLWantReadError:
            return None
        except (ConnectionResetError, ConnectionAbortedError) as exc:
            self._end(RESET, exc.strerror or str(exc))
            return b""
        except OSError as exc:
            self._end(RESET, str(exc))
            return b""
        if not data:
            self._end(CLOSED)
            return b""
        self._received += len(data)
        if self._received > self.max_bytes:
            keep = len(data) - (self._received - self.max_bytes)
            self._record("recv", data[:keep])
            self._end(LIMIT, f"more than {self.max_bytes} bytes")
            return b""
        self._record("recv", data)
        return data

    def _read_for(self, seconds: float, on_receive) -> None:
        deadline = time.monotonic() + seconds
        while not self.ended:
            data = self._recv_once(deadline - time.monotonic())
            if data is None:
                return
            if data and on_receive:
                on_receive(data)

    def read_for(self, seconds: float, on_receive=None) -> None:
        """Read whatever arrives for ``seconds`` (a bounded quiet wait); the connection's ending is not changed
        when nothing comes."""
        self._read_for(seconds, on_receive)

    def read_until(self, done: Callable[[], bool], on_receive=None, *, timeout: float | None = None) -> None:
        """Read until ``done()`` holds, the peer ends the connection, no byte arrives for ``timeout`` seconds
        (the read deadline), or the read has lasted ``TOTAL_READ_FACTOR`` times that in all (so a target that
        trickles one byte a second cannot hold a read open forever)."""
        wait = self.timeout if timeout is None else timeout
        give_up = time.monotonic() + wait * TOTAL_READ_FACTOR
        while not self.ended and not done():
            left = give_up - time.monotonic()
            data = self._recv_once(min(wait, left)) if left > 0 else None
            if data is None:
                self._end(TIMEOUT, f"the read went on for {wait * TOTAL_READ_FACTOR:g} s in all" if left < wait
                          else f"no byte for {wait:g} s")
                return
            if data and on_receive:
                on_receive(data)

    def poll_closed(self, on_receive=None) -> bool:
        """Without waiting: has the peer already closed?  Reads what is there."""
        self._read_for(0.0, on_receive)
        return self.ended

    def close(self) -> None:
        if self.transcript.closed is None:
            self.transcript.closed = self._now()
        try:
            self.sock.close()
        except OSError:
            pass

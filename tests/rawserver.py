"""Small TCP servers for client, reference and evidence tests, on 127.0.0.1 port 0.

:class:`RawServer` has one behaviour: it answers with fixed bytes, then closes, resets, stalls or floods.
:class:`ScriptServer` runs a handler per connection, to imitate how one real server reads requests."""

from __future__ import annotations

import socket
import struct
import threading


class ScriptServer:
    """A threaded TCP server on 127.0.0.1 port 0 that runs ``handler(conn)`` for each connection.

    ``conn`` is a :class:`ScriptConn`: buffered reads of a request head or a number of octets, with a deadline,
    so a handler can behave like one real server (answer from the head, read by Content-Length, ...)."""

    def __init__(self, handler, timeout: float = 3.0) -> None:
        self.handler, self.timeout = handler, timeout
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(32)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                sock, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            self.connections += 1
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def _serve(self, sock: socket.socket) -> None:
        sock.settimeout(self.timeout)
        conn = ScriptConn(sock, self._stop)
        try:
            self.handler(conn)
        except OSError:
            pass
        finally:
            sock.close()

    def close(self) -> None:
        self._stop.set()
        self.sock.close()

    def __enter__(self) -> "ScriptServer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class ScriptConn:
    def __init__(self, sock: socket.socket, stop: threading.Event) -> None:
        self.sock, self.stop, self.buffer, self.eof = sock, stop, b"", False

    def _more(self) -> bool:
        if self.eof or self.stop.is_set():
            return False
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return False
        if not data:
            self.eof = True
        self.buffer += data
        return bool(data)

    def head(self):
        """The next request head (up to and including its empty line), or None at EOF / deadline."""
        while b"\r\n\r\n" not in self.buffer:
            if not self._more():
                return None
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        return head + b"\r\n\r\n"

    def take(self, n: int) -> bytes:
        """Up to ``n`` octets (fewer at EOF or the deadline)."""
        while len(self.buffer) < n and self._more():
            pass
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def wait_for(self, marker: bytes) -> bool:
        """Read until ``marker`` is in the buffer (without consuming it)."""
        while marker not in self.buffer:
            if not self._more():
                return False
        return True

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def close_gracefully(self) -> None:
        """Half-close, then discard what the client still sends until it closes (RFC 9112 §9.6 staged close)."""
        self.sock.shutdown(socket.SHUT_WR)
        while self._more():
            self.buffer = b""


class RawServer(ScriptServer):
    """One behaviour: after the request head (unless ``read_first`` is False), send ``reply``, then ``then``:
    close (a graceful FIN), reset, stall or flood."""

    def __init__(self, reply: bytes = b"", then: str = "close", read_first: bool = True) -> None:
        self.reply, self.then, self.read_first = reply, then, read_first
        super().__init__(self._handle, timeout=5.0)

    def _handle(self, conn: ScriptConn) -> None:
        if self.read_first:
            conn.head()  # the whole request head, however it was split (or what came before EOF)
        if self.reply:
            conn.send(self.reply)
        if self.then == "close":
            conn.sock.shutdown(socket.SHUT_WR)
            conn.sock.recv(65536)
        elif self.then == "reset":
            conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif self.then == "stall":
            conn.stop.wait(10)
        elif self.then == "flood":
            chunk = b"x" * 65536
            while not conn.stop.is_set():
                conn.send(chunk)


def response(status: int, body: bytes = b"", close: bool = False, reason: bytes = b"X") -> bytes:
    """A status line with Content-Length (and Connection: close when asked) and ``body``."""
    return (b"HTTP/1.1 %d %s\r\nContent-Length: %d\r\n%s\r\n" % (status, reason, len(body),
                                                                   b"Connection: close\r\n" if close else b"")
            + body)

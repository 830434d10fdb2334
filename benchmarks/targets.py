"""Small raw-socket targets with one pathological behaviour each, for benchmarks/suite_speed.py.

Each listens on 127.0.0.1 port 0 in a daemon thread and serves every connection in its own thread:

==============  ===========================================================================================
``http10-open`` a correct minimal server (200 with Content-Length) that never closes a connection, whatever
                the version or Connection field says
``fixed-200``   answers each request head with one fixed ``200`` (Content-Length: 2), never reads a body
``silent``      accepts and never answers
``trickle``     answers with a valid response, one byte per second
``flood``       answers with a status line, then body bytes without end
``ssh``         an SSH banner, then silence
``close``       closes at once on accept
``reset``       resets at once on accept
==============  ===========================================================================================
"""

from __future__ import annotations

import socket
import struct
import threading

KINDS = ("http10-open", "fixed-200", "silent", "trickle", "flood", "ssh", "close", "reset")
OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"


def _heads(conn: socket.socket, stop: threading.Event):
    """Yield each request head (and skip its Content-Length body) until the peer closes."""
    buf = b""
    while not stop.is_set():
        while b"\r\n\r\n" not in buf:
            chunk = conn.recv(65536)
            if not chunk:
                return
            buf += chunk
        head, _, buf = buf.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length" and value.strip().isdigit():
                length = int(value.strip())
        while len(buf) < length:
            chunk = conn.recv(65536)
            if not chunk:
                return
            buf += chunk
        buf = buf[length:]
        yield head


def _serve(kind: str, conn: socket.socket, stop: threading.Event) -> None:
    conn.settimeout(30)
    if kind in ("http10-open", "fixed-200"):
        for head in _heads(conn, stop):
            conn.sendall(OK if kind == "fixed-200" or not head.startswith(b"HEAD ") else OK[:-2])
    elif kind == "silent":
        stop.wait(30)
    elif kind == "trickle":
        for byte in OK:
            if stop.wait(1.0):
                return
            conn.sendall(bytes([byte]))
    elif kind == "flood":
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
        chunk = b"x" * 65536
        while not stop.is_set():
            conn.sendall(chunk)
    elif kind == "ssh":
        conn.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
        stop.wait(30)
    elif kind == "reset":
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


class RawTarget:
    def __init__(self, kind: str) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
        self.kind = kind
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        try:
            _serve(self.kind, conn, self.stop)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.sock.close()

    def __enter__(self) -> "RawTarget":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

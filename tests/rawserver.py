"""A one-behaviour TCP server for client and reference tests: answers with fixed
bytes, then closes, resets, stalls or floods.  Listens on 127.0.0.1 port 0."""

from __future__ import annotations

import socket
import struct
import threading


class RawServer:
    def __init__(self, reply: bytes = b"", then: str = "close", read_first: bool = True) -> None:
        self.reply, self.then, self.read_first = reply, then, read_first
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self._stop = threading.Event()
        self._conns: list = []
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            self._conns.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        try:
            if self.read_first:  # the whole request head, however it was split
                got = b""
                while b"\r\n\r\n" not in got:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    got += chunk
            if self.reply:
                conn.sendall(self.reply)
            if self.then == "close":
                conn.shutdown(socket.SHUT_WR)
                conn.recv(65536)
            elif self.then == "reset":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            elif self.then == "stall":
                self._stop.wait(10)
            elif self.then == "flood":
                chunk = b"x" * 65536
                while not self._stop.is_set():
                    conn.sendall(chunk)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self.sock.close()
        for c in self._conns:
            try:
                c.close()
            except OSError:
                pass

    def __enter__(self) -> "RawServer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

"""Listening socket and threads for the reference server (one thread per connection)."""
from __future__ import annotations

import os
import selectors
import socket
import threading
import time
from typing import Dict, Iterable, Optional, Tuple, Union

from .broken import validate_switches
from .connection import ConnectionConfig, handle_connection
from .parser import Limits
from .routes import App


class Server:
    """The bundled HTTP/1.1 reference server.

    ``start()`` binds and listens before it returns ``(host, port)``; the
    accept loop then runs in a daemon thread and each connection gets its own
    daemon thread running :func:`connection.handle_connection`.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        docroot: Union[str, "os.PathLike[str]", None] = None,
        limits: Optional[Limits] = None,
        broken: Iterable[str] = frozenset(),
        idle_timeout: float = 5.0,
        request_timeout: float = 10.0,
        write_timeout: float = 10.0,
        linger_timeout: float = 1.0,
        backlog: int = 128,
    ) -> None:
        self.host = host
        self.port = port
        self.broken = validate_switches(broken)
        self.backlog = backlog
        self.config = ConnectionConfig(
            app=App(docroot),
            limits=limits if limits is not None else Limits(),
            broken=self.broken,
            idle_timeout=idle_timeout,
            request_timeout=request_timeout,
            write_timeout=write_timeout,
            linger_timeout=linger_timeout,
        )
        self._listener: Optional[socket.socket] = None
        self._wake_r: Optional[socket.socket] = None
        self._wake_w: Optional[socket.socket] = None
        self._accept_thread: Optional[threading.Thread] = None
        self._connections: Dict[threading.Thread, socket.socket] = {}
        self._lock = threading.Lock()
        self._stop_requested = threading.Event()
        self._stopped = False

    @property
    def docroot(self) -> str:
        return self.config.app.docroot

    # ---------------------------------------------------------------- life
    def start(self) -> Tuple[str, int]:
        if self._listener is not None:
            return self.address
        family, type_, proto, _, sockaddr = socket.getaddrinfo(
            self.host, self.port, 0, socket.SOCK_STREAM, 0, socket.AI_PASSIVE
        )[0]
        listener = socket.socket(family, type_, proto)
        try:
            if os.name != "nt":
                listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(sockaddr)
            listener.listen(self.backlog)
            listener.setblocking(False)
        except OSError:
            listener.close()
            raise
        self._listener = listener
        self._wake_r, self._wake_w = socket.socketpair()
        self._accept_thread = threading.Thread(target=self._accept_loop, name="h1conform-sut-accept", daemon=True)
        self._accept_thread.start()
        return self.address

    @property
    def address(self) -> Tuple[str, int]:
        if self._listener is None:
            raise RuntimeError("server not started")
        name = self._listener.getsockname()
        return name[0], name[1]

    def request_stop(self) -> None:
        """Ask serve_forever() to return (safe to call from a signal handler)."""
        self._stop_requested.set()

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self.start()
        try:
            while not self._stop_requested.wait(poll_interval):
                pass
        finally:
            self.stop()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop accepting, close the listener, end connections; joins threads for at most *timeout* s."""
        if self._stopped or self._listener is None:
            self._stopped = True
            return
        self._stopped = True
        self._stop_requested.set()
        self.config.stopping.set()
        deadline = time.monotonic() + timeout
        try:
            assert self._wake_w is not None
            self._wake_w.send(b"x")
        except OSError:
            pass
        if self._accept_thread is not None:
            self._accept_thread.join(max(0.0, deadline - time.monotonic()))
        for sock in (self._listener, self._wake_r, self._wake_w):
            if sock is not None:
                sock.close()
        with self._lock:
            connections = list(self._connections.items())
        for _thread, sock in connections:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for thread, _sock in connections:
            thread.join(max(0.0, deadline - time.monotonic()))

    def __enter__(self) -> "Server":
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # ------------------------------------------------------------- threads
    def _accept_loop(self) -> None:
        assert self._listener is not None and self._wake_r is not None
        with selectors.DefaultSelector() as sel:
            sel.register(self._listener, selectors.EVENT_READ)
            sel.register(self._wake_r, selectors.EVENT_READ)
            while not self.config.stopping.is_set():
                for key, _ in sel.select():
                    if key.fileobj is self._wake_r:
                        return
                    try:
                        conn, _addr = self._listener.accept()
                    except (BlockingIOError, InterruptedError):
                        continue
                    except OSError:
                        if self.config.stopping.is_set():
                            return
                        time.sleep(0.05)  # e.g. EMFILE: back off instead of spinning
                        continue
                    self._spawn(conn)

    def _spawn(self, conn: socket.socket) -> None:
        conn.settimeout(self.config.idle_timeout)
        try:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
        thread = threading.Thread(target=self._run_connection, args=(conn,), name="h1conform-sut-conn", daemon=True)
        with self._lock:
            self._connections[thread] = conn
        thread.start()

    def _run_connection(self, conn: socket.socket) -> None:
        try:
            handle_connection(conn, self.config)
        finally:
            with self._lock:
                self._connections.pop(threading.current_thread(), None)

"""Listening socket, worker pool and timers of the reference server.

A fixed pool of worker threads shares one one-shot poller (poller.py): the listener and every connection sit
in it, and each readiness event goes to exactly one worker, which owns that connection until it hands it back.
A worker that accepts tries each new connection at once (its request is usually there already), answers
every complete request buffered on a connection (connection.py), then re-arms it and takes the next event.
No worker ever waits on a peer: idle keep-alive connections, slow senders and slow readers (their output is
queued, see connection.py) all sit in the poller.  A timer thread enforces each connection's deadline (idle
timeout, whole-request deadline, write progress, linger after close) and resumes accepting after EMFILE or
when the connection limit is no longer reached.
"""
from __future__ import annotations

import os
import socket
import sys
import threading
import time
import traceback
from typing import Callable, Iterable, List, Optional, Set, Tuple, Union

from .connection import Connection, ConnectionConfig
from .parser import Limits
from .poller import make_poller
from .quirks import rules_for
from .routes import App
from .rules import STRICT
from .static import StaticFiles

_LISTENER = object()  # the poller's token for the listening socket


class Server:
    """The bundled HTTP/1.1 reference server.

    ``start()`` binds and listens before it returns ``(host, port)``; ``stop()`` stops accepting, lets
    responses in flight finish (for at most its *timeout*), closes every connection and joins the threads.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        docroot: Union[str, "os.PathLike[str]", None] = None,
        limits: Optional[Limits] = None,
        quirks: Iterable[str] = frozenset(),
        idle_timeout: float = 5.0,
        request_timeout: float = 10.0,
        write_timeout: float = 10.0,
        linger_timeout: float = 1.0,
        backlog: int = 2048,
        workers: int = 4,
        max_connections: int = 10000,
        file_cache: bool = True,
        poller: str = "auto",
    ) -> None:
        self.host = host
        self.port = port
        self.rules = rules_for(quirks)
        self.quirks = self.rules.quirks
        if workers < 1 or max_connections < 1 or backlog < 1:
            raise ValueError("workers, max_connections and backlog must be at least 1")
        self.backlog = backlog
        self.workers = workers
        self.max_connections = max_connections
        app = App(docroot, rules=self.rules.app)
        static = StaticFiles(app) if file_cache and self._static_is_strict() else None
        self.config = ConnectionConfig(
            app=app,
            limits=limits if limits is not None else Limits(),
            rules=self.rules,
            idle_timeout=idle_timeout,
            request_timeout=request_timeout,
            write_timeout=write_timeout,
            linger_timeout=linger_timeout,
            static=static,
        )
        self._poller_kind = poller
        self._poller = None
        self._listener: Optional[socket.socket] = None
        self._threads: List[threading.Thread] = []
        self._all: Set[Connection] = set()  # every open connection
        self._waiting: Set[Connection] = set()  # in the poller, owned by nobody; claimed by removing
        self._accept_paused = False
        self._changed = threading.Condition()  # notified while stopping, when a connection closes or waits
        self._halt = threading.Event()  # the timer thread and the workers exit
        self._stop_requested = threading.Event()
        self._stopped = False
        self.tick = max(0.01, min(0.1, idle_timeout / 4, request_timeout / 4, linger_timeout / 4))

    def _static_is_strict(self) -> bool:
        """May the static-file fast path answer?  It bypasses the app and the connection's writer, so only
        while their rules are strict (a quirk of the parser leaves it on)."""
        return self.rules.app == STRICT.app and self.rules.connection == STRICT.connection

    @property
    def docroot(self) -> str:
        return self.config.app.docroot

    @property
    def connection_count(self) -> int:
        return len(self._all)

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
        self._poller = poller = make_poller(self._poller_kind)
        poller.register(listener, _LISTENER)
        self._threads = [threading.Thread(target=self._timer, name="h1conform-sut-timer", daemon=True)]
        self._threads += [
            threading.Thread(target=self._work, name="h1conform-sut-worker-%d" % i, daemon=True)
            for i in range(self.workers)
        ]
        for thread in self._threads:
            thread.start()
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

    def serve_forever(self, poll_interval: float = 0.5, shutdown_timeout: float = 5.0) -> None:
        self.start()
        try:
            while not self._stop_requested.wait(poll_interval):
                pass
        finally:
            self.stop(shutdown_timeout)

    def stop(self, timeout: float = 2.0) -> None:
        """Stop accepting; finish responses in flight; close every connection; join the threads.

        Idle connections are closed at once; one with a request in progress may finish it (its response
        then says ``Connection: close``) until *timeout* s have passed, then it is closed too.
        """
        if self._stopped or self._listener is None:
            self._stopped = True
            return
        self._stopped = True
        self._stop_requested.set()
        self.config.stopping.set()
        deadline = time.monotonic() + timeout
        poller = self._poller
        assert poller is not None
        poller.close_socket(self._listener)
        with self._changed:
            while True:
                for conn in list(self._waiting):
                    if conn.idle and self._claim(conn):
                        self._close(conn, abort=True)
                remaining = deadline - time.monotonic()
                if not self._all or remaining <= 0:
                    break
                self._changed.wait(min(remaining, self.tick))
        for conn in list(self._all):  # out of time: end the rest (a worker blocked writing sees an error)
            if self._claim(conn):
                self._close(conn, abort=True)
            else:
                try:
                    conn.sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        self._halt.set()
        poller.wake_all()
        for thread in self._threads:
            thread.join(max(0.2, deadline - time.monotonic()))
        poller.close()

    def __enter__(self) -> "Server":
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # ------------------------------------------------------------ internals
    def _claim(self, conn: Connection) -> bool:
        try:
            self._waiting.remove(conn)  # atomic: exactly one thread succeeds
            return True
        except KeyError:
            return False

    def _close(self, conn: Connection, abort: bool = False) -> None:
        self._all.discard(conn)
        if abort:
            try:
                conn.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        assert self._poller is not None
        self._poller.close_socket(conn.sock)
        if self._accept_paused and not self._stopped:
            self._resume_accepting()
        if self._stopped or not self._all:
            with self._changed:
                self._changed.notify_all()

    def wait_until_idle(self, timeout: float) -> bool:
        """Wait until no connection is open (for tests); False if *timeout* s passed first."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._all, timeout)

    def _run(self, conn: Connection, step: Callable[[], Optional[float]], first: bool = False) -> None:
        """Let *conn* handle an event, then hand it back to the poller or close it."""
        try:
            deadline = step()
        except Exception:  # a bug must cost one connection, not a worker
            traceback.print_exc(file=sys.stderr)
            deadline = None
        if deadline is None:
            self._close(conn)
            return
        conn.deadline = deadline
        self._waiting.add(conn)
        assert self._poller is not None
        try:
            if first:
                self._poller.register(conn.sock, conn, conn.want_write)
            else:
                self._poller.rearm(conn.sock, conn.want_write)
        except (OSError, ValueError):
            if self._claim(conn):
                self._close(conn)
        if self._stopped:
            with self._changed:
                self._changed.notify_all()

    def _work(self) -> None:
        poller = self._poller
        assert poller is not None
        claim, run = self._claim, self._run
        while True:
            try:
                ready = poller.wait(1.0)
            except (OSError, ValueError):  # the poller was closed under us
                return
            if ready is None or self._halt.is_set():
                return
            for obj in ready:
                if obj is _LISTENER:
                    self._accept()
                elif claim(obj):
                    run(obj, obj.on_writable if obj.want_write else obj.on_readable)
            ready = obj = None  # hold no closed connection while waiting

    def _accept(self) -> None:
        listener, cfg = self._listener, self.config
        assert listener is not None and self._poller is not None
        fresh = []
        for _ in range(64):
            if len(self._all) >= self.max_connections:
                self._accept_paused = True
                break
            try:
                sock, _addr = listener.accept()
            except (BlockingIOError, InterruptedError, ConnectionAbortedError):
                break
            except OSError:
                if not self._stopped:  # EMFILE, ENOBUFS, ...: the timer resumes accepting
                    self._accept_paused = True
                break
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
            conn = Connection(sock, cfg)
            conn.deadline = time.monotonic() + cfg.idle_timeout
            self._all.add(conn)
            fresh.append(conn)
        if not self._accept_paused:
            self._resume_accepting()
        for conn in fresh:  # the request is usually there already: no trip through the poller
            self._run(conn, conn.on_readable, first=True)

    def _resume_accepting(self) -> None:
        self._accept_paused = False
        try:
            assert self._poller is not None and self._listener is not None
            self._poller.rearm(self._listener)
        except (OSError, ValueError, AssertionError):
            pass  # stopped meanwhile

    def _timer(self) -> None:
        """Deadlines: idle timeout, whole-request deadline (408), linger; resume accepting after EMFILE."""
        while not self._halt.wait(self.tick):
            if self._accept_paused and not self._stopped and len(self._all) < self.max_connections:
                self._resume_accepting()
            now = time.monotonic()
            expired = [c for c in list(self._waiting) if c.deadline <= now]
            for conn in expired:
                if self._claim(conn):
                    self._run(conn, conn.on_timeout)
            expired = conn = None  # hold no closed connection while waiting

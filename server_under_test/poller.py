"""One-shot readiness notification (readable, or writable) shared by the server's worker threads (leader/followers).

Every worker calls :meth:`wait`; each readiness event goes to exactly one worker, and a registered socket
reports at most once until it is :meth:`rearm`-ed -- so the worker that got it owns the connection until it
hands it back.  Idle connections cost no thread: they sit here.

``EpollPoller`` (Linux) uses ``EPOLLONESHOT`` on one epoll set that all workers wait on.  ``SelectPoller``
(elsewhere) lets one worker at a time select while the others queue on a lock, and emulates one-shot by
unregistering what it reports; changes from other threads are applied by that worker (woken through a
socketpair), and closing a registered socket is deferred to it too.
"""
from __future__ import annotations

import select
import selectors
import socket
import threading
from collections import deque
from typing import Any, Callable, Deque, Dict, List, Optional


class EpollPoller:
    def __init__(self) -> None:
        self._ep = select.epoll()
        self._objs: Dict[int, Any] = {}
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._ep.register(self._wake_r.fileno(), select.EPOLLIN)  # level-triggered: wakes every worker
        self._read = select.EPOLLIN | select.EPOLLONESHOT
        self._write = select.EPOLLOUT | select.EPOLLONESHOT

    def register(self, sock: socket.socket, obj: Any, write: bool = False) -> None:
        fd = sock.fileno()
        self._objs[fd] = obj
        self._ep.register(fd, self._write if write else self._read)

    def rearm(self, sock: socket.socket, write: bool = False) -> None:
        self._ep.modify(sock.fileno(), self._write if write else self._read)

    def close_socket(self, sock: socket.socket) -> None:
        """Forget *sock* and close it."""
        fd = sock.fileno()
        if fd >= 0:
            try:
                self._ep.unregister(fd)
            except (OSError, ValueError):
                pass
            self._objs.pop(fd, None)
        sock.close()

    def wait(self, timeout: float) -> Optional[List[Any]]:
        """Objects whose sockets became readable; None once :meth:`wake_all` was called."""
        wake = self._wake_r.fileno()
        out = []
        for fd, _ in self._ep.poll(timeout, 8):
            if fd == wake:
                return None
            obj = self._objs.get(fd)
            if obj is not None:
                out.append(obj)
        return out

    def wake_all(self) -> None:
        try:
            self._wake_w.send(b"x")
        except OSError:
            pass

    def close(self) -> None:
        self._ep.close()
        self._wake_r.close()
        self._wake_w.close()


class SelectPoller:
    def __init__(self) -> None:
        self._sel = selectors.DefaultSelector()
        self._lock = threading.Lock()  # held by the one worker that selects
        self._ops: Deque[Callable[[], None]] = deque()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._sel.register(self._wake_r, selectors.EVENT_READ, None)
        self._stopped = False
        self._armed: Dict[socket.socket, Any] = {}  # reported, waiting for rearm()

    def _later(self, op: Callable[[], None]) -> None:
        self._ops.append(op)
        try:
            self._wake_w.send(b"x")
        except OSError:
            pass

    def register(self, sock: socket.socket, obj: Any, write: bool = False) -> None:
        events = selectors.EVENT_WRITE if write else selectors.EVENT_READ
        self._later(lambda: self._sel.register(sock, events, obj))

    def rearm(self, sock: socket.socket, write: bool = False) -> None:
        obj = self._armed.pop(sock, None)
        if obj is not None:
            self.register(sock, obj, write)

    def close_socket(self, sock: socket.socket) -> None:
        self._armed.pop(sock, None)

        def op() -> None:
            try:
                self._sel.unregister(sock)
            except (KeyError, ValueError):
                pass
            sock.close()

        self._later(op)

    def wait(self, timeout: float) -> Optional[List[Any]]:
        if not self._lock.acquire(timeout=timeout):
            return None if self._stopped else []
        try:
            if self._stopped:
                return None
            while self._ops:
                self._ops.popleft()()
            out = []
            for key, _ in self._sel.select(timeout):
                if key.data is None:
                    try:
                        while self._wake_r.recv(4096):
                            pass
                    except OSError:
                        pass
                    continue
                self._sel.unregister(key.fileobj)
                self._armed[key.fileobj] = key.data  # type: ignore[index]
                out.append(key.data)
            return None if self._stopped else out
        finally:
            self._lock.release()

    def wake_all(self) -> None:
        self._stopped = True
        self._later(lambda: None)

    def close(self) -> None:
        while self._ops:
            self._ops.popleft()()
        self._sel.close()
        self._wake_r.close()
        self._wake_w.close()


def make_poller(kind: str = "auto"):
    if kind == "epoll" or (kind == "auto" and hasattr(select, "epoll")):
        return EpollPoller()
    return SelectPoller()

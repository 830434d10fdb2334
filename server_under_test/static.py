"""The static-file fast path: what ``App.handle`` answers to a plain GET/HEAD of a file, without the cost.

:meth:`StaticFiles.lookup` returns the very ``Response`` that ``App.handle`` gave for the same method,
target and version (it is what the app built, kept), or ``None`` to send the request the slow way.  It
answers only when every header field of the request is one the app's answer to an origin-form GET/HEAD of
a file does not depend on (``Host``, ``User-Agent``, ``Accept``, ``Connection``): a Range, a precondition,
Expect, Upgrade, Accept-Encoding, ... all go through the app.  It bypasses the app's rules and the
connection's writer: a server whose app or connection rules are not strict does not use it (server.py).

- Path resolution (``App.resolve``: the docroot jail) is cached for ``ttl`` seconds per target.
- Every hit costs one ``stat`` of the resolved file: a file whose inode, size, mtime or ctime changed (or
  that became a symlink, or sits under a directory swapped for one) is resolved and built again at once.
- Files up to ``max_file`` octets are kept in memory (``max_bytes`` in all, ``max_entries`` entries).
- Larger files keep only their header fields: a :class:`FileResponse` carries the path and the connection
  writes it with ``socket.sendfile`` (zero-copy where the platform has it).
"""
from __future__ import annotations

import os
import time
from typing import Dict, Optional, Tuple

from .messages import Request, Response
from .routes import App, PathRejected

_SPECIAL = frozenset({"/echo", "/stream", "/close-delimited"})
_NEUTRAL = frozenset({b"host", b"user-agent", b"accept", b"connection"})


class FileResponse(Response):
    """A 200 response whose body is the file at ``path`` (``size`` octets), written with sendfile."""

    def __init__(self, headers, path: str, size: int, signature: Tuple[int, ...]) -> None:
        super().__init__(200, headers, b"")
        self.path, self.size, self.signature = path, size, signature

    def open_checked(self):
        """The file, opened; OSError if it is no longer the one whose headers were sent."""
        f = open(self.path, "rb")
        if _signature(os.fstat(f.fileno())) != self.signature:
            f.close()
            raise OSError("file changed while being served")
        return f


def _signature(st: os.stat_result) -> Tuple[int, ...]:
    return (st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class _Entry:
    __slots__ = ("full", "signature", "response", "resolved_until", "size")

    def __init__(self, full: str, signature: Tuple[int, ...], response: Response, resolved_until: float) -> None:
        self.full, self.signature, self.response, self.resolved_until = full, signature, response, resolved_until
        self.size = len(response.body)


class StaticFiles:
    def __init__(
        self, app: App, ttl: float = 1.0, max_file: int = 256 * 1024, max_bytes: int = 32 * 1024 * 1024,
        max_entries: int = 1024,
    ) -> None:
        self.app = app
        self.ttl, self.max_file, self.max_bytes, self.max_entries = ttl, max_file, max_bytes, max_entries
        self._cache: Dict[bytes, _Entry] = {}
        self._bytes = 0

    def lookup(self, method: bytes, target: bytes, version: Tuple[int, int], headers) -> Optional[Response]:
        """The app's response to an unconditional GET/HEAD of *target*, or None (use the app)."""
        if target[:1] != b"/" or method not in (b"GET", b"HEAD"):
            return None
        for name, _ in headers:
            if name.lower() not in _NEUTRAL:
                return None
        key = (method, target, version)
        try:
            entry = self._cache.get(key)
            now = time.monotonic()
            if entry is not None:
                if now < entry.resolved_until and _signature(os.stat(entry.full)) == entry.signature:
                    return entry.response
                self._forget(key)
            return self._load(key, now)
        except (OSError, ValueError):
            return None

    def _forget(self, key) -> None:
        entry = self._cache.pop(key, None)
        if entry is not None:
            self._bytes -= entry.size

    def _load(self, key, now: float) -> Optional[Response]:
        method, target, version = key
        path = target.decode("latin-1").partition("?")[0]
        if path in _SPECIAL:
            return None
        try:
            full = self.app.resolve(path)
        except PathRejected:
            return None
        st = os.stat(full)
        signature = _signature(st)
        if int(st.st_mtime) > time.time():
            return None  # Last-Modified of a file from the future follows the clock: not cacheable
        response = self.app.handle(Request(method.decode("latin-1"), target.decode("latin-1"), version, []))
        if (
            response.status != 200 or response.stream is not None or response.close_delimited
            or len(response.body) != st.st_size or _signature(os.stat(full)) != signature
        ):
            return None  # not a plain file answer, or the file changed meanwhile: the app answers again
        if st.st_size > self.max_file:
            response = FileResponse(response.headers, full, st.st_size, signature)
        else:
            response.wire_cache = {}  # type: ignore[attr-defined]  # the connection's rendered bytes
        if len(self._cache) >= self.max_entries or self._bytes + st.st_size > self.max_bytes:
            self._cache.clear()
            self._bytes = 0
        self._cache[key] = entry = _Entry(full, signature, response, now + self.ttl)
        self._bytes += entry.size
        return response

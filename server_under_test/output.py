"""A connection's output queue: write what the peer takes now, keep the rest, never block.

Bytes are sent with ``send``; a :class:`static.FileResponse` body is written from the file with
``os.sendfile`` (zero-copy) in pieces, so a large file costs no memory and a slow reader no thread.
"""
from __future__ import annotations

import os
import socket
from collections import deque
from typing import Deque, Union

from .static import FileResponse


class _FileOut:
    """A FileResponse body being written: the open file and how far it got."""

    def __init__(self, response: FileResponse) -> None:
        self.file = response.open_checked()
        self.offset, self.remaining = 0, response.size

    def send(self, sock: socket.socket) -> bool:
        """Send the next piece; True when done.  BlockingIOError when the socket is full."""
        try:
            if hasattr(os, "sendfile"):
                n = os.sendfile(sock.fileno(), self.file.fileno(), self.offset, min(self.remaining, 1 << 20))
            else:  # pragma: no cover - Windows
                self.file.seek(self.offset)
                n = sock.send(self.file.read(min(self.remaining, 1 << 16)))
        except (BlockingIOError, InterruptedError):
            raise
        except OSError:
            self.file.close()
            raise
        if n == 0:
            self.file.close()
            raise OSError("file shrank while being served")
        self.offset += n
        self.remaining -= n
        if self.remaining == 0:
            self.file.close()
            return True
        return False


class Output:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.queue: Deque[Union[bytes, memoryview, _FileOut]] = deque()

    def __len__(self) -> int:
        return len(self.queue)

    def send(self, parts: list) -> None:
        """Write what the peer takes now; queue the rest.  OSError if the peer is gone."""
        if len(parts) <= 2 and not isinstance(parts[-1], FileResponse) and sum(map(len, parts)) <= 256 * 1024:
            parts = [b"".join(parts)]
        queue = self.queue
        if not queue and len(parts) == 1:  # the common case: one syscall
            data = parts[0]
            try:
                sent = self.sock.send(data)
            except (BlockingIOError, InterruptedError):
                sent = 0
            if sent < len(data):
                queue.append(memoryview(data)[sent:])
            return
        for part in parts:
            if isinstance(part, FileResponse):
                queue.append(_FileOut(part))
            elif len(part):
                queue.append(part)
        self.write_some()

    def write_some(self) -> bool:
        """Move queued output to the socket until it would block; True when nothing is left."""
        queue, sock = self.queue, self.sock
        try:
            while queue:
                item = queue[0]
                if isinstance(item, _FileOut):
                    if item.send(sock):
                        queue.popleft()
                    continue
                sent = sock.send(item)
                if sent < len(item):
                    queue[0] = memoryview(item)[sent:]
                else:
                    queue.popleft()
        except (BlockingIOError, InterruptedError):
            return False
        return True

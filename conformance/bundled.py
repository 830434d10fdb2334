"""The bundled server as the suite's default target, in a process of its own.

In its own process the server does not share the suite's interpreter (its parsing does not compete with the
cases' for one lock, so the run uses both cores) and a crash of either side cannot take the other with it.  It is
started on port 0; readiness is the address it prints once it listens (a deadline, no sleep); it is stopped with
SIGTERM (a graceful stop), then killed if it has not exited in time.
"""

from __future__ import annotations

import re
import select
import subprocess
import sys
import time
from typing import List, Optional, Tuple

from .target import Target

IDLE_TIMEOUT = 0.5  # started by the suite, it times idle connections out quickly
PATHS = {"echo": "/echo", "stream": "/stream", "close_delimited": "/close-delimited", "uploads": "/uploads/"}
START_DEADLINE_S = 15.0
STOP_DEADLINE_S = 5.0
_LISTENING = re.compile(r"listening on http://\[?([0-9a-fA-F:.]+)\]?:([0-9]+)/")


class BundledServerError(RuntimeError):
    """The bundled server could not be started (one line: what it printed)."""


class BundledProcess:
    def __init__(self, *, idle_timeout: float = IDLE_TIMEOUT, extra: List[str] = ()) -> None:
        self.idle_timeout = idle_timeout
        self.args = [sys.executable, "-m", "h1conform_server", "--host", "127.0.0.1", "--port", "0",
                     "--idle-timeout", str(idle_timeout), *extra]
        self.proc: Optional[subprocess.Popen] = None

    def spawn(self) -> None:
        """Start the process without waiting (so that its start overlaps the collection of the cases)."""
        if self.proc is None:
            self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def start(self) -> Tuple[str, int]:
        """Spawn it if needed and wait until it listens; its address."""
        self.spawn()
        deadline = time.monotonic() + START_DEADLINE_S
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            line = self.proc.stdout.readline()
            if not line:  # it exited
                err = self.proc.stderr.read().strip().splitlines()
                self.stop()
                raise BundledServerError(err[-1] if err else f"it exited with status {self.proc.returncode}")
            m = _LISTENING.search(line)
            if m:
                return m.group(1), int(m.group(2))
        self.stop()
        raise BundledServerError(f"it printed no address within {START_DEADLINE_S:g} s")

    def target(self) -> Target:
        """Wait until it listens (:meth:`start`): the target it is, with its resources."""
        host, port = self.start()
        return Target(host=host, port=port, label=f"bundled server http://{host}:{port}",
                      idle_timeout=self.idle_timeout, paths=dict(PATHS))

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(STOP_DEADLINE_S)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(STOP_DEADLINE_S)
        for pipe in (self.proc.stdout, self.proc.stderr):
            pipe.close()

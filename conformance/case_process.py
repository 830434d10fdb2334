"""The case pool in a process of its own, for ``h1conform run`` on Linux.

The run is bound by the client's CPU in one interpreter: the cases' own work (building requests, reading and
parsing what comes back) and pytest's protocol for each item take turns on one lock, while the machine's other
core serves the bundled server, or idles.  So once the cases are collected and the target calibrated, the suite
forks: the child runs the pool (:class:`h1conform.parallel.Prerun`, threads), the ``alone`` cases first, on a
target nothing else loads yet, then the rest; the parent is pytest, reporting each case in order as its outcome
arrives.  Verdicts are made in the parent, by :func:`h1conform.cases.judge`, exactly as for the thread pool: only
where the case ran differs.

Each outcome crosses a pipe as it ends: a length-prefixed pickle of ``(nodeid, probe, exception, seconds)``.  The
probe has been released (its rendered transcript and wire events, no raw bytes: :meth:`Probe.__getstate__`);
pytest's skip exception, which cannot be pickled, crosses as its message; an exception of a case that cannot be
pickled crosses as its text.  The child inherits what the run knows (the cases, the target, its calibration, the
run's budgets) and ends with :func:`os._exit`: no pytest teardown, no atexit handler, no buffered output of the
parent's flushed twice.  If it dies, every case it did not report is an ``error`` at once.  SIGINT and SIGTERM end
it at once (default handlers); the parent writes the reports of what ran, and kills it when the session ends.

Only ``h1conform run`` forks (a plugin in somebody else's pytest session does not fork their process), and only
on Linux, where forking a process that holds sockets and an SSL context is sound.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import sys
import threading
import traceback
from concurrent.futures import Future
from typing import Dict, List, Optional, Tuple

import pytest

from .cases import Case
from .parallel import Prerun

_LENGTH = struct.Struct(">I")
EXIT_CHILD_FAILED = 70
THREAD_END_S = 1.0


class CaseProcessDied(RuntimeError):
    """The case process ended before it reported every case."""


def available() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork")


class ForkedPrerun:
    """Like :class:`~h1conform.parallel.Prerun` for the suite (``start``, ``outcome``, ``stop``), in a child."""

    def __init__(self, jobs: int, make_probe, before_case, after_case, on_unreachable=None) -> None:
        self.args = (jobs, make_probe, before_case, after_case, on_unreachable)
        self.futures: Dict[str, Future] = {}
        self.pid: Optional[int] = None
        self.reader: Optional[threading.Thread] = None

    def start(self, items: List[Tuple[str, Case]]) -> None:
        self.futures = {nodeid: Future() for nodeid, _ in items}
        for thread in threading.enumerate():  # calibration's threads have done their work: they end before the fork
            if thread is not threading.current_thread() and thread.name.startswith("h1conform-"):
                thread.join(THREAD_END_S)
        read_end, write_end = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read_end)
            _child(write_end, items, self.args)
        os.close(write_end)
        self.pid = pid
        self.reader = threading.Thread(target=self._read, args=(read_end,), name="h1conform-outcomes", daemon=True)
        self.reader.start()

    def _read(self, fd: int) -> None:
        """Hand each outcome to the case waiting for it; at the end, the cases never reported are errors."""
        why = "it exited"
        with os.fdopen(fd, "rb") as pipe:
            while True:
                head = pipe.read(_LENGTH.size)
                if len(head) < _LENGTH.size:
                    break
                data = pipe.read(_LENGTH.unpack(head)[0])
                try:
                    nodeid, probe, exc, seconds = pickle.loads(data)
                except Exception as exc:  # noqa: BLE001  (named in every case left: they become errors)
                    why = f"an outcome could not be read ({type(exc).__name__}: {exc})"
                    break
                fut = self.futures.get(nodeid)
                if fut is not None and not fut.done():
                    fut.set_result((probe, _restored(exc), seconds))
        for fut in self.futures.values():
            if not fut.done():
                fut.set_result((None, CaseProcessDied(f"not run: the case process ended first ({why})"), 0.0))

    def outcome(self, nodeid: str):
        fut = self.futures.get(nodeid)
        return None if fut is None else fut.result()

    def stop(self) -> None:
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)  # done already after a whole run; still running after an interrupt
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
            self.pid = None
        if self.reader is not None:
            self.reader.join()
            self.reader = None


def _child(fd: int, items: List[Tuple[str, Case]], args) -> None:
    """Run every case and write each outcome as it ends; exit, never return."""
    code = EXIT_CHILD_FAILED
    try:
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_DFL)
        pipe = os.fdopen(fd, "wb")
        lock = threading.Lock()

        def send(nodeid: str, outcome) -> None:
            probe, exc, seconds = outcome
            data = _pickled(nodeid, probe, exc, seconds)
            with lock:
                try:
                    pipe.write(_LENGTH.pack(len(data)) + data)
                    pipe.flush()
                except OSError:  # the parent is gone: nobody waits for the rest
                    os._exit(0)

        prerun = Prerun(*args)
        prerun.run_all(items, send)
        prerun.stop()
        pipe.close()
        code = 0
    except BaseException:  # a bug of ours: said once, and the parent makes the cases left errors
        traceback.print_exc()
    finally:
        os._exit(code)


def _pickled(nodeid: str, probe, exc: Optional[BaseException], seconds: float) -> bytes:
    if isinstance(exc, pytest.skip.Exception):
        exc = ("skip", exc.msg)
    try:
        return pickle.dumps((nodeid, probe, exc, seconds))
    except Exception:  # noqa: BLE001  (an exception of a case that does not pickle: its text is enough)
        exc = RuntimeError(f"{type(exc).__name__}: {exc}")
    try:
        return pickle.dumps((nodeid, probe, exc, seconds))
    except Exception:  # noqa: BLE001  (nor its probe: the verdict crosses without the transcript)
        return pickle.dumps((nodeid, None, exc, seconds))


def _restored(exc):
    if isinstance(exc, tuple) and exc[:1] == ("skip",):
        return pytest.skip.Exception(exc[1])
    return exc

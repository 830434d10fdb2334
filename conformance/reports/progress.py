"""The progress line of ``h1conform run`` at a terminal: ``[123/417] 4.1 s  case-id``.

One line on stderr, redrawn in place (``\\r``) as pytest reaches each case: the cases done of the total, the time
since the cases began, the case being waited for.  It stands for pytest's dots, and is cleared before the summary.
Only for a person at a terminal (:func:`wanted`): never with ``-v`` (one line per case already), nor where stdout or
stderr is not a terminal (a pipe, a file, a CI log), nor where ``CI`` is set or ``TERM=dumb``.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from typing import Mapping, Optional, TextIO

import pytest


def _tty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or closed
        return False


def wanted(*, verbose: bool, stdout: Optional[TextIO] = None, stderr: Optional[TextIO] = None,
           environ: Optional[Mapping[str, str]] = None) -> bool:
    environ = os.environ if environ is None else environ
    return (not verbose and _tty(stdout or sys.stdout) and _tty(stderr or sys.stderr) and not environ.get("CI")
            and environ.get("TERM") != "dumb")


class Progress:
    """A pytest plugin object (``h1conform run`` registers it when :func:`wanted`)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.total = 0
        self.done = 0
        self.current = ""
        self.start = time.monotonic()
        self.drawn = False

    def line(self) -> str:
        return f"[{self.done}/{self.total}] {time.monotonic() - self.start:.1f} s  {self.current}"

    def _draw(self) -> None:
        width = shutil.get_terminal_size((80, 24)).columns
        self.stream.write("\r" + self.line()[:max(10, width - 1)] + "\x1b[K")
        self.stream.flush()
        self.drawn = True

    def clear(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = False

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.total = len(session.items)
        self.start = time.monotonic()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_report_teststatus(self, report, config):
        """Keep each outcome's category (pytest's last line counts them) but print no letter for it."""
        outcome = yield
        category, _letter, word = outcome.get_result()
        outcome.force_result((category, "", word))

    def pytest_runtest_logstart(self, nodeid: str, location) -> None:
        self.current = nodeid.rsplit("::", 1)[-1]
        self._draw()

    def pytest_runtest_logfinish(self, nodeid: str, location) -> None:
        self.done += 1
        self._draw()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtestloop(self, session: pytest.Session):
        yield
        self.clear()

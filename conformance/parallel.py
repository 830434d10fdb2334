"""Cases run on their own connections in parallel, reported in order by pytest.

pytest runs items one after the other.  With ``--jobs N`` (N > 1; by default what calibration found the target
sustains), every case that can run beside others is started ahead in a pool of N threads when the run loop
begins; when pytest reaches its item, the item waits for that case's outcome and reports it as if it had run
there: the same probe, the same exception, judged by :func:`h1conform.cases.judge` in the same place.  Output
order and verdicts do not depend on N.  A case declared ``alone=True`` (arrival times compared with pauses)
never runs beside the bulk: when pytest reaches the first of them, every case started ahead has
finished, and only then are the ``alone`` cases started, together (they mostly wait on the target's clock, so they
load it little).  The pool is threads; ``h1conform run`` on Linux runs it in a process of its own
(:mod:`h1conform.case_process`, which calls :meth:`Prerun.run_all` there), so that the cases' CPU and pytest's
reporting use a core each.
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Dict, List, Optional, Tuple

import pytest

from .cases import Case
from .errors import Inconclusive, TargetUnreachable, Violation
from .probe import Probe

MAX_JOBS = 64
#: outcomes that are verdicts, not bugs: their tracebacks are not kept (pytest.skip's exception is one too)
VERDICTS = (Violation, Inconclusive, pytest.skip.Exception)


#: tags of the cases started ahead of the rest, in this order: those that wait on the target's clock (an idle
#: timeout), on their own pauses, or (a stall allowed) for an answer that may never come, so that none of them is
#: the run's tail; the rest start in the order pytest reports them, so that its reports keep pace with the pool
START_FIRST = ("idle-timeout", "partial-reads", "may-stall")


def _start_rank(c: Case) -> int:
    return next((i for i, tag in enumerate(START_FIRST) if tag in c.tags), len(START_FIRST))


class Prerun:
    """The pool and the outcome of each case started ahead (``(probe, exception, seconds)``)."""

    def __init__(self, jobs: int, make_probe, before_case, after_case, on_unreachable=None) -> None:
        self.pool = ThreadPoolExecutor(max_workers=max(1, min(jobs, MAX_JOBS)), thread_name_prefix="h1conform")
        self.make_probe = make_probe  # () -> Probe
        self.before_case = before_case  # (Case) -> None; raises to stop the case (time budget spent, target dead)
        self.after_case = after_case  # (Probe) -> None: counts its bytes and keeps only its rendered transcript
        self.on_unreachable = on_unreachable  # (Case, TargetUnreachable) -> None: is the target gone for good?
        self.futures: Dict[str, Future] = {}
        self.later: List[Tuple[str, Case]] = []

    def start(self, items: List[Tuple[str, Case]]) -> None:
        self.later = [(nodeid, c) for nodeid, c in items if c.alone]
        self._submit([(nodeid, c) for nodeid, c in items if not c.alone])

    def _submit(self, items: List[Tuple[str, Case]]) -> List[Future]:
        for nodeid, c in sorted(items, key=lambda item: _start_rank(item[1])):  # a stable sort: pytest's order after
            self.futures[nodeid] = self.pool.submit(self._run, c)
        return [self.futures[nodeid] for nodeid, _ in items]

    def run_all(self, items: List[Tuple[str, Case]], on_done) -> None:
        """Run every case, the ``alone`` ones first (on a target nothing else loads yet), calling
        ``on_done(nodeid, outcome)`` as each ends; return when all have (the case process runs them so)."""
        for group in ([item for item in items if item[1].alone], [item for item in items if not item[1].alone]):
            futures = self._submit(group)
            for (nodeid, _), fut in zip(group, futures):
                fut.add_done_callback(lambda f, nodeid=nodeid: on_done(nodeid, f.result()))
            wait(futures)

    def start_alone(self) -> None:
        """The bulk has finished: start the cases that must not run beside it (once)."""
        for fut in list(self.futures.values()):
            fut.exception()
        for nodeid, c in self.later:
            self.futures[nodeid] = self.pool.submit(self._run, c)
        self.later = []

    def _run(self, c: Case) -> Tuple[Optional[Probe], Optional[BaseException], float]:
        start = time.perf_counter()
        probe = None
        try:
            self.before_case(c)
            probe = self.make_probe()
            c.func(probe)
        except BaseException as exc:  # judged later in pytest's report hook, like a case run in place (a
            return self._done(c, probe, exc, start)  # skip is pytest's Skipped, a BaseException)
        return self._done(c, probe, None, start)

    def _done(self, c: Case, probe: Optional[Probe], exc: Optional[BaseException], start: float):
        seconds = time.perf_counter() - start
        if probe is not None:
            self.after_case(probe)  # at once: a waiting outcome holds no raw bytes, and the byte budget is current
        if isinstance(exc, TargetUnreachable) and self.on_unreachable is not None:
            self.on_unreachable(c, exc)
        if exc is not None and isinstance(exc, VERDICTS):
            exc = exc.with_traceback(None)  # its frames hold the exchange's bytes; a verdict needs none of them
        return probe, exc, seconds

    def outcome(self, nodeid: str):
        """The case's outcome, waiting for it (an ``alone`` case starts the alone group); None if never started."""
        if nodeid not in self.futures and any(n == nodeid for n, _ in self.later):
            self.start_alone()
        fut = self.futures.get(nodeid)
        return None if fut is None else fut.result()

    def stop(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

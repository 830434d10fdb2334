"""Cases run on their own connections in parallel, reported in order by pytest.

pytest runs items one after the other.  With ``--jobs N`` (N > 1; by default what calibration found the target
sustains), every case that can run beside others is started ahead in a pool of N threads when the run loop
begins; when pytest reaches its item, the item waits for that case's outcome and reports it as if it had run
there: the same probe, the same exception, judged by :func:`h1conform.cases.judge` in the same place.  Output
order and verdicts do not depend on N.  A case declared ``alone=True`` (idle timeouts, arrival times compared
with pauses) is not started ahead: when its turn comes it waits until every case started ahead has finished,
then runs by itself.  The cases are network-bound, so threads are enough.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Dict, List, Optional, Tuple

from .cases import Case
from .probe import Probe

MAX_JOBS = 8


class Prerun:
    """The pool and the outcome of each case started ahead (``(probe, exception, seconds)``)."""

    def __init__(self, jobs: int, make_probe, before_case) -> None:
        self.pool = ThreadPoolExecutor(max_workers=max(1, min(jobs, MAX_JOBS)), thread_name_prefix="h1conform")
        self.make_probe = make_probe  # () -> Probe
        self.before_case = before_case  # (Case) -> None; raises to stop the case (time budget spent, target dead)
        self.futures: Dict[str, Future] = {}
        self.lock = threading.Lock()

    def start(self, items: List[Tuple[object, Case]]) -> None:
        for nodeid, c in items:
            if not c.alone:
                self.futures[nodeid] = self.pool.submit(self._run, c)

    def _run(self, c: Case) -> Tuple[Optional[Probe], Optional[BaseException], float]:
        start = time.perf_counter()
        probe = None
        try:
            self.before_case(c)
            probe = self.make_probe()
            c.func(probe)
        except BaseException as exc:  # judged later in pytest's report hook, like a case run in place (a
            return probe, exc, time.perf_counter() - start  # skip is pytest's Skipped, a BaseException)
        return probe, None, time.perf_counter() - start

    def outcome(self, nodeid: str):
        """The started case's outcome, waiting for it; None when this case was not started ahead."""
        fut = self.futures.get(nodeid)
        return None if fut is None else fut.result()

    def drain(self) -> None:
        """Wait until every case started ahead has finished (a case that runs alone is next)."""
        for fut in list(self.futures.values()):
            fut.exception()

    def stop(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

"""The suite's fixtures and hooks, active only where h1conform cases are collected.

``conformance/conftest.py`` registers this module when pytest collects the suite
(``pytest --pyargs h1conform``, or ``h1conform run``); ``pytest -p h1conform.suite`` registers it for a
project's own cases written with :func:`h1conform.cases.case`.  Each case becomes a test named by its case id
whose outcome is decided by :func:`h1conform.cases.judge`: a MUST violation fails the test, a SHOULD violation is
a warning (the test passes unless ``--h1-strict``), a MAY case records which behaviour the target chose.  Every
hook returns at once for an item that is not a case.
"""

from __future__ import annotations

import fnmatch
import functools
import inspect
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import List, Optional, Tuple

import pytest
from _pytest._code.code import ReprEntryNative, ReprExceptionInfo, ReprFileLocation, ReprTraceback

from . import case_process
from .bundled import BundledProcess, BundledServerError
from .calibration import begin
from .cases import Case, Result, judge
from .errors import TargetNotHTTP, TargetUnreachable
from .parallel import Prerun
from .plugin import options
from .probe import Probe
from .reports import FORMATS, RunInfo, write_all
from .reports.summary import result_properties, summary_lines
from .target import Target, check_reachable

_LEVEL_RANK = {"must": 0, "should": 1, "may": 2}
#: what the whole run may receive before each case is held to a small per-connection limit: a target that floods
#: costs a fixed budget, and the cases after it report "more than the byte limit"
RUN_BYTE_BUDGET = 64 * 1024 * 1024
IN_FLIGHT_BYTES = 16 * 1024 * 1024  # what the cases running at once may have received, together
SPENT_CASE_BYTES = 64 * 1024


class H1Session:
    """Per-run state: the validated options, the target (started or checked on first use), the results."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.options = options(config)
        self.results: List[Result] = []
        self.target: Optional[Target] = None
        self.server = None
        self.calibration = None  # learnt on first use of the target (h1conform.calibration)
        self.dead: Optional[str] = None  # set when the target stopped accepting connections mid-run
        self.bytes_received = 0  # over the whole run, against RUN_BYTE_BUDGET
        self.prerun: Optional[Prerun] = None
        #: what ``h1conform run`` hands over (its ``_Handover``), None in any other session
        self.handover = next((p.h1conform_handover for p in config.pluginmanager.get_plugins()
                              if hasattr(p, "h1conform_handover")), None)
        #: the session is ``h1conform run``'s (only our plugin, our cases): the cases are collected without
        #: fixtures, and their pool may run in a process of its own
        self.own_session = self.handover is not None
        self.started = time.time()
        if self.options.target is None:  # the bundled server starts while the cases are collected
            given = self.handover.server if self.handover is not None else None
            self.server = given or BundledProcess()  # ``h1conform run`` spawned it before pytest started
            self.server.spawn()
        max_time = config.option.h1_max_time
        self.deadline = time.monotonic() + max_time if max_time else None
        self._learning: Optional[Future] = None
        if not config.option.collectonly:  # learnt while the cases are collected, waited for on first use
            pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="h1conform-target")
            self._learning = pool.submit(self._learn_target)
            pool.shutdown(wait=False)

    def run_info(self) -> RunInfo:
        """What the reports say about the run (h1conform.reports)."""
        return RunInfo.of(self.target, self.calibration, self.started, time.time() - self.started)

    def get_target(self) -> Target:
        """The target, started (the bundled server) or checked, and calibrated; a target that cannot be used ends
        the run here with one line, instead of failing every case."""
        if self.target is None:
            try:  # not begun only in a --collect-only session that uses the fixture
                self.target, calibrating = self._learning.result() if self._learning else self._learn_target()
                self.calibration = calibrating.result()
            except (TargetUnreachable, TargetNotHTTP) as exc:
                pytest.exit(str(exc), returncode=2)
            except (BundledServerError, OSError) as exc:
                what = "cannot start the bundled server" if self.server is not None else "cannot reach the target"
                pytest.exit(f"h1conform: {what}: {exc}", returncode=2)
        return self.target

    def _learn_target(self) -> Tuple[Target, Future]:
        """Start or check the target and begin its calibration (in the background, from pytest_configure)."""
        opt, spec = self.config.option, self.options.target
        if spec is not None:
            check_reachable(spec, self.options.timeout)
            target = replace(spec, verify_tls=not opt.h1_insecure, idle_timeout=opt.h1_idle_timeout)
            target = target.with_paths(echo=opt.h1_echo_path, uploads=opt.h1_uploads_path)
        else:
            target = self.server.target()
        given = self.handover
        if given is not None and given.calibration is not None and given.resource == target.resource:
            return target, given.calibration  # what ``h1conform run`` already began to learn
        return target, begin(target, timeout=self.options.timeout)

    def new_probe(self) -> Probe:
        """A probe for one case, held to what is left of the run's byte budget."""
        max_bytes = min(self.config.option.h1_max_bytes, max(SPENT_CASE_BYTES, RUN_BYTE_BUDGET - self.bytes_received))
        # cases running at once share what may be held in memory at a time
        case_bytes = max(SPENT_CASE_BYTES, IN_FLIGHT_BYTES // max(1, self.jobs()))
        p = Probe(self.get_target(), timeout=self.options.timeout, max_bytes=max_bytes,
                  case_bytes=max(max_bytes, case_bytes))
        p.calibration = self.calibration
        return p

    def account(self, probe: Probe) -> None:
        """Count what the case received against the run's budget, and let its raw bytes go."""
        received = probe.release()
        with _LOCK:
            self.bytes_received += received

    def check_can_start(self, c: Case) -> None:
        """Raise when a case must not start: the target died (error), the time budget is spent (skip)."""
        if self.dead is not None:
            raise TargetUnreachable(f"not run: {self.dead}")
        if self.deadline is not None and time.monotonic() > self.deadline:
            pytest.skip(f"not run: the run's time budget (--max-time {self.config.option.h1_max_time:g} s) was spent")

    def note_death(self, c: Case, exc: BaseException) -> None:
        """A case that could not connect: if a fresh connect fails too, the target is gone for the rest of the
        run (where the cases run: the pool notes it as they end, ahead of pytest's reports)."""
        if self.dead is None and self.target is not None and isinstance(exc, TargetUnreachable):
            try:
                check_reachable(self.target, self.options.timeout)
            except TargetUnreachable as again:
                self.dead = f"the target stopped accepting connections during {c.id} ({again})"

    def jobs(self) -> int:
        asked = self.config.option.h1_jobs
        return asked if asked else (self.calibration.jobs if self.calibration is not None else 1)

    def close(self) -> None:
        if self.prerun is not None:
            self.prerun.stop()
            self.prerun = None
        if self.server is not None:
            self.server.stop()
            self.server = None

    def wanted(self, c: Case) -> bool:
        if _LEVEL_RANK[c.severity] > _LEVEL_RANK[self.options.level]:
            return False
        if not self.options.select:
            return True
        names = [c.id, c.section_key, *c.requirements, *c.tags]
        return any(fnmatch.fnmatchcase(n, g) for g in self.options.select for n in names)


_KEY = pytest.StashKey[H1Session]()
_LOCK = threading.Lock()


def h1_session(config: pytest.Config) -> Optional[H1Session]:
    """The run's state, or None where the suite is not active."""
    return config.stash.get(_KEY, None)


def _case_of(item) -> Optional[Case]:
    return getattr(getattr(item, "function", None), "h1case", None)


def pytest_configure(config: pytest.Config) -> None:
    for line in (
        "must: an h1conform case checking a MUST / MUST NOT requirement",
        "should: an h1conform case checking a SHOULD / SHOULD NOT requirement",
        "may: an h1conform case recording a MAY choice",
        "requirement(*ids): the catalog requirement ids an h1conform case checks",
        "section(key): the RFC section of an h1conform case, e.g. 9112-9.3",
    ):
        config.addinivalue_line("markers", line)
    if _KEY not in config.stash:
        config.stash[_KEY] = H1Session(config)


def pytest_unconfigure(config: pytest.Config) -> None:
    h1 = h1_session(config)
    if h1 is not None:
        h1.close()


def pytest_pycollect_makeitem(collector, name: str, obj):
    """A case is collected under its case id (``test_9_6_close.py::close-request-closes``), so that the id is
    its name everywhere: ``-k``, ``-v``, JUnit ``testcase name``."""
    c = getattr(obj, "h1case", None)
    if isinstance(c, Case) and name.startswith("test_") and callable(obj):
        h1 = h1_session(collector.config)
        if h1 is not None and h1.own_session:
            # ``h1conform run``'s own session: no conftest of anyone else can override the suite's fixtures, so a
            # case is collected without them (pytest's fixture machinery costs more per item than the suite's own
            # report does); pytest_pyfunc_call gives it its probe
            obj = functools.partial(obj, probe=None)
            obj.h1case = c
        return CaseFunction.from_parent(collector, name=c.id, callobj=obj)
    return None


class CaseFunction(pytest.Function):
    """A case's test item.  It is located by its module and its function's first line, as pytest would find them,
    without pytest's search for the function's source file (a stat of it for every item)."""

    def reportinfo(self):
        code = _case_of(self).func.__code__  # a factory's cases are where the factory is (smuggling.py)
        return Path(code.co_filename), code.co_firstlineno - 1, self.getmodpath()


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list) -> None:
    h1 = h1_session(config)
    keep, drop = [], []
    for item in items:
        c = _case_of(item)
        if c is None:
            keep.append(item)
            continue
        if not h1.wanted(c):
            drop.append(item)
            continue
        item.add_marker(getattr(pytest.mark, c.severity))
        item.add_marker(pytest.mark.requirement(*c.requirements))
        item.add_marker(pytest.mark.section(c.section_key))
        item.extra_keyword_matches.update((c.id, *c.tags))  # so that -k matches case ids and tags
        keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session")
def h1_target(request: pytest.FixtureRequest) -> Target:
    """The target under test (the bundled server when no --h1-target is given)."""
    return h1_session(request.config).get_target()


@pytest.fixture
def probe(request: pytest.FixtureRequest, h1_target: Target) -> Probe:
    """A probe bound to the target and to this case."""
    h1 = h1_session(request.config)
    c: Optional[Case] = getattr(request.function, "h1case", None)
    if c is not None:
        _skip_unless_served(c, h1_target)
    p = h1.new_probe()
    request.node.h1_probe = p
    return p


def _wanted_items(session: pytest.Session, h1: H1Session) -> list:
    target = h1.get_target()
    return [(item.nodeid, c) for item in session.items for c in [_case_of(item)]
            if c is not None and all(target.has(f) for f in c.needs)]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtestloop(session: pytest.Session):
    """With more than one job, start the cases that can run beside others ahead (h1conform.parallel)."""
    h1 = h1_session(session.config)
    if h1 is not None and not session.config.option.collectonly and any(_case_of(i) for i in session.items):
        h1.get_target()
        if h1.jobs() > 1:
            pool = case_process.ForkedPrerun if h1.own_session and case_process.available() else Prerun
            h1.prerun = pool(h1.jobs(), h1.new_probe, h1.check_can_start, h1.account, h1.note_death)
            h1.prerun.start(_wanted_items(session, h1))
    try:
        yield
    finally:
        if h1 is not None and h1.prerun is not None:
            h1.prerun.stop()


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function):
    """Run a case, or take its outcome from the pool (h1conform.parallel), as if it had run here.

    A case's exception is the evidence its verdict is judged on (in the report hook below), not a crash: it is
    kept on the item, and pytest formats no traceback that the report would throw away (formatting one for every
    failure costs more than running the case).  Under ``--pdb`` it goes to pytest, to be debugged."""
    h1 = h1_session(pyfuncitem.config)
    if h1 is None or _case_of(pyfuncitem) is None:
        return None
    done = h1.prerun.outcome(pyfuncitem.nodeid) if h1.prerun is not None else None
    if done is not None:
        probe, exc, seconds = done
        pyfuncitem.h1_probe, pyfuncitem.h1_seconds = probe, seconds
    elif pyfuncitem.config.option.usepdb and not h1.own_session:
        return None
    else:
        func = pyfuncitem.obj
        try:
            if h1.own_session:  # collected without fixtures
                pyfuncitem.h1_probe = probe = h1.new_probe()
                _case_of(pyfuncitem).func(probe)
            else:
                func(**{name: pyfuncitem.funcargs[name] for name in _argnames(func)})
            exc = None
        except (Exception, pytest.skip.Exception) as raised:
            exc = raised
    if exc is not None and pyfuncitem.config.option.usepdb and not h1.own_session:
        raise exc
    pyfuncitem.h1_exc = exc
    return True


@functools.lru_cache(maxsize=None)
def _argnames(func) -> tuple:
    return tuple(inspect.signature(func).parameters)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A case the target has no resource for is skipped; after the run's time budget, skipped, saying so; after the
    target died, an error at once."""
    h1 = h1_session(item.config)
    c = _case_of(item)
    if c is None or h1 is None:
        return
    if h1.own_session:  # collected without the probe fixture, which says so otherwise
        _skip_unless_served(c, h1.get_target())
    if h1.prerun is None:
        h1.check_can_start(c)


def _skip_unless_served(c: Case, target: Target) -> None:
    missing = [f for f in c.needs if not target.has(f)]
    if missing:
        pytest.skip(f"target has no {', '.join(missing)} resource")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    rep = outcome.get_result()
    c = _case_of(item)
    if c is None or call.when == "teardown" or (call.when == "setup" and rep.passed):
        return
    h1 = h1_session(item.config)
    probe = getattr(item, "h1_probe", None)
    exc = call.excinfo.value if call.excinfo is not None else None
    if call.when == "call" and exc is None:
        exc = getattr(item, "h1_exc", None)  # kept by pytest_pyfunc_call (a case not started ahead: its setup skipped it)
    seconds = getattr(item, "h1_seconds", call.duration)  # a case started ahead: its own time, not the wait
    result = judge(c, exc, probe if call.when == "call" else None, seconds, h1.options.strict,
                   h1.options.fail_on)
    if call.when == "call" and exc is not None and h1.prerun is None:  # the pool notes it itself
        h1.note_death(c, exc)
    if probe is not None and call.when == "call":
        if probe.transcripts:  # a case run in place (one started ahead was accounted for when it ended)
            h1.account(probe)
        del item.h1_probe  # the raw transcripts go with it; the result keeps the rendered one
    deviation = h1.options.deviations.get(c.id)
    if deviation:
        result.deviation = deviation
    h1.results.append(result)
    item.h1_result = result
    item.user_properties.extend(result_properties(result))  # JUnit <properties> (written at teardown)
    if result.outcome == "inconclusive":  # never a pass: pytest shows it as skipped, with the reason
        rep.outcome = "skipped"
        rep.longrepr = (str(item.path), item.location[1] or 0, f"inconclusive: {result.detail}")
    elif result.outcome in ("fail", "error") and deviation:
        rep.outcome = "skipped"
        rep.wasxfail = f"known deviation: {deviation}"
    elif result.outcome in ("fail", "error"):
        rep.outcome = "failed"
        rep.longrepr = _failure_repr(c, result, str(item.path), item.location[1] or 0)
    elif result.outcome == "skip":
        rep.outcome = "skipped"
        rep.longrepr = (str(item.path), item.location[1] or 0, f"Skipped: {result.detail}")
    elif result.outcome in ("pass", "warn", "info"):
        rep.outcome = "passed"
        rep.longrepr = None


def _failure_repr(c: Case, r: Result, path: str, lineno: int) -> ReprExceptionInfo:
    """The failure as pytest's own report type: the whole text for the FAILURES section and JUnit, and a one-line
    crash message for the short summary (which, on CI, would otherwise repeat the whole text with its transcript).
    It is the type pytest-xdist knows how to send between processes."""
    text = _render_failure(c, r)
    entry = ReprEntryNative([line + "\n" for line in text.split("\n")])
    crash = ReprFileLocation(path, lineno, f"{c.id} [{c.level}] {r.actual}")
    return ReprExceptionInfo(reprtraceback=ReprTraceback([entry], None, "native"), reprcrash=crash)


def _render_failure(c: Case, r: Result) -> str:
    lines = [f"{c.id} [{c.level}] {c.section}: {c.rule}",
             f"  requirements: {', '.join(c.requirements)}"]
    if r.outcome == "error":
        lines.append(f"  error: {r.detail}")
    elif r.detail:  # a warn made a failure by --h1-fail-on says so
        lines.append(f"  {r.detail}")
    lines += [f"  Expected: {r.expected}", f"  Actual:   {r.actual}"]
    if r.transcript:
        lines.append(r.transcript)
    return "\n".join(lines)


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    h1 = h1_session(config)
    if h1 is None or not h1.results or config.option.h1_summary == "off":
        return
    terminalreporter.section("h1conform")
    if h1.calibration is not None:
        terminalreporter.write_line(h1.calibration.summary())
    for line in summary_lines(h1.results, h1.target.display if h1.target else "?", failures=False):
        terminalreporter.write_line(line)


def pytest_sessionfinish(session: pytest.Session, exitstatus) -> None:
    h1 = h1_session(session.config)
    if h1 is None:
        return
    write_all({name: getattr(session.config.option, f"h1_{name}") for name in FORMATS}, h1.results, h1.run_info())
    h1.close()

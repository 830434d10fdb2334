"""The pytest plugin (entry point ``pytest11: h1conform``).

``pytest --pyargs conformance --target HOST:PORT`` runs the suite against any
server; without ``--target`` the bundled server is started on port 0.  Each
case becomes a test whose outcome is decided by :func:`conformance.cases.judge`:
a MUST violation fails the test, a SHOULD violation is reported as a warning
(the test passes unless ``--strict-should``), a MAY case records which
behaviour the target chose.
"""

from __future__ import annotations

import fnmatch
from dataclasses import replace
from typing import Dict, List, Optional

import pytest

from .cases import Case, Result, judge
from .errors import BadTarget, TargetUnreachable
from .probe import Probe
from .report import json_report, load_deviations, summary_lines, write_json
from .target import Target, check_reachable, parse_target

LEVEL_CHOICES = ("must", "should", "may")
BUNDLED_IDLE_TIMEOUT = 1.0  # the bundled server, started by the suite, times idle connections out quickly
_LEVEL_RANK = {"must": 0, "should": 1, "may": 2}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("h1conform", "h1conform: HTTP/1.x conformance suite")
    group.addoption("--target", default=None, metavar="HOST:PORT|URL",
                    help="server to test (default: start the bundled server on 127.0.0.1, port 0)")
    try:
        group.addoption("--timeout", "--h1-timeout", dest="h1_timeout", type=float, default=2.0, metavar="S",
                        help="deadline in seconds for every socket read and write (default 2)")
    except ValueError:  # another plugin (pytest-timeout) owns --timeout
        group.addoption("--h1-timeout", dest="h1_timeout", type=float, default=2.0, metavar="S",
                        help="deadline in seconds for every socket read and write (default 2)")
    group.addoption("--level", dest="h1_level", default="may", metavar="must|should|may",
                    help="run cases of this level and stricter (default may: all)")
    group.addoption("--select", dest="h1_select", action="append", default=[], metavar="GLOB[,GLOB]",
                    help="run only cases whose id, requirement id, section (9112-9.3) or tag matches")
    group.addoption("--deviations", dest="h1_deviations", default=None, metavar="FILE",
                    help="TOML file of known deviations of the target ([deviations] case-id = \"reason\")")
    group.addoption("--echo-path", dest="h1_echo_path", default=None, metavar="PATH",
                    help="the target's echo endpoint (returns the parsed request as JSON)")
    group.addoption("--uploads-path", dest="h1_uploads_path", default=None, metavar="PATH",
                    help="the target's writable collection (POST creates members; PUT, GET, DELETE on them)")
    group.addoption("--idle-timeout", dest="h1_idle_timeout", type=float, default=None, metavar="S",
                    help="the target's keep-alive idle timeout, if known: enables the idle-close case")
    group.addoption("--max-bytes", dest="h1_max_bytes", type=int, default=16 * 1024 * 1024,
                    help="never read more than this many bytes on one connection (default 16 MiB)")
    group.addoption("--insecure", dest="h1_insecure", action="store_true",
                    help="do not verify the TLS certificate of an https:// target")
    group.addoption("--strict-should", dest="h1_strict", action="store_true",
                    help="count SHOULD violations as failures")
    group.addoption("--h1-json", dest="h1_json", default=None, metavar="FILE", help="write the JSON report here")
    group.addoption("--h1-summary", dest="h1_summary", default="on", choices=("on", "off"),
                    help="print the h1conform summary at the end (default on)")


class H1Session:
    """Per-run state: the target, the results, the deviations list."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.results: List[Result] = []
        self.target: Optional[Target] = None
        self.server = None
        opt = config.option
        self.timeout: float = opt.h1_timeout
        self.level: str = (opt.h1_level or "may").lower()
        self.select = [g.strip() for s in opt.h1_select for g in s.split(",") if g.strip()]
        self.strict: bool = opt.h1_strict
        if self.timeout <= 0:
            raise pytest.UsageError(f"--timeout must be a positive number of seconds, not {self.timeout}")
        if self.level not in LEVEL_CHOICES:
            raise pytest.UsageError(f"--level must be one of must, should, may; not {opt.h1_level!r}")
        try:
            self.deviations: Dict[str, str] = load_deviations(opt.h1_deviations) if opt.h1_deviations else {}
        except (OSError, ValueError) as exc:
            raise pytest.UsageError(f"--deviations {opt.h1_deviations}: {exc}") from None
        self.target_spec: Optional[Target] = None
        if opt.target:
            try:
                self.target_spec = parse_target(opt.target)
            except BadTarget as exc:
                raise pytest.UsageError(str(exc)) from None

    # -- the target ------------------------------------------------------------------
    def get_target(self) -> Target:
        if self.target is not None:
            return self.target
        opt = self.config.option
        if self.target_spec is not None:
            target = self.target_spec
            try:
                check_reachable(target, self.timeout)
            except TargetUnreachable as exc:
                pytest.exit(str(exc), returncode=2)
            target = replace(target, verify_tls=not opt.h1_insecure, idle_timeout=opt.h1_idle_timeout)
            target = target.with_paths(echo=opt.h1_echo_path, uploads=opt.h1_uploads_path)
        else:
            from server_under_test.server import Server

            self.server = Server(host="127.0.0.1", port=0, idle_timeout=BUNDLED_IDLE_TIMEOUT)
            host, port = self.server.start()
            target = Target(host=host, port=port, label=f"bundled server http://{host}:{port}",
                            idle_timeout=BUNDLED_IDLE_TIMEOUT,
                            paths={"echo": "/echo", "stream": "/stream", "close_delimited": "/close-delimited",
                                   "uploads": "/uploads/"})
        self.target = target
        return target

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    # -- selection ---------------------------------------------------------------------
    def wanted(self, c: Case) -> bool:
        if _LEVEL_RANK[c.severity] > _LEVEL_RANK[self.level]:
            return False
        if not self.select:
            return True
        names = [c.id, c.section_key, *c.requirements, *c.tags]
        return any(fnmatch.fnmatchcase(n, g) for g in self.select for n in names)


_KEY = pytest.StashKey[H1Session]()


def _session(config: pytest.Config) -> H1Session:
    return config.stash[_KEY]


def pytest_configure(config: pytest.Config) -> None:
    for line in (
        "must: an h1conform case checking a MUST / MUST NOT requirement",
        "should: an h1conform case checking a SHOULD / SHOULD NOT requirement",
        "may: an h1conform case recording a MAY choice",
        "requirement(*ids): the catalog requirement ids an h1conform case checks",
        "section(key): the RFC section of an h1conform case, e.g. 9112-9.3",
    ):
        config.addinivalue_line("markers", line)
    config.stash[_KEY] = H1Session(config)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _KEY in config.stash:
        config.stash[_KEY].close()


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list) -> None:
    h1 = _session(config)
    keep, drop = [], []
    for item in items:
        c: Optional[Case] = getattr(getattr(item, "function", None), "h1case", None)
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
    """The target under test (the bundled server when no --target is given)."""
    return _session(request.config).get_target()


@pytest.fixture
def probe(request: pytest.FixtureRequest, h1_target: Target) -> Probe:
    """A probe bound to the target and to this case."""
    h1 = _session(request.config)
    c: Optional[Case] = getattr(request.function, "h1case", None)
    if c is not None:
        missing = [f for f in c.needs if not h1_target.has(f)]
        if missing:
            pytest.skip(f"target has no {', '.join(missing)} resource")
    p = Probe(h1_target, timeout=h1.timeout, max_bytes=request.config.option.h1_max_bytes)
    request.node.h1_probe = p
    return p


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    rep = outcome.get_result()
    c: Optional[Case] = getattr(getattr(item, "function", None), "h1case", None)
    if c is None:
        return
    h1 = _session(item.config)
    probe = getattr(item, "h1_probe", None)
    exc = call.excinfo.value if call.excinfo is not None else None
    if call.when == "teardown" or (call.when == "setup" and rep.passed):
        return
    result = judge(c, exc, probe if call.when == "call" else None, call.duration, h1.strict)
    deviation = h1.deviations.get(c.id)
    if deviation:
        result.deviation = deviation
    h1.results.append(result)
    item.h1_result = result
    if result.outcome in ("fail", "error") and deviation:
        rep.outcome = "skipped"
        rep.wasxfail = f"known deviation: {deviation}"
    elif result.outcome in ("fail", "error"):
        rep.outcome = "failed"
        rep.longrepr = _render_failure(c, result)
    elif result.outcome in ("pass", "warn", "info"):
        rep.outcome = "passed"
        rep.longrepr = None


def _render_failure(c: Case, r: Result) -> str:
    lines = [f"{c.id} [{c.level}] {c.section}: {c.rule}",
             f"  requirements: {', '.join(c.requirements)}"]
    if r.outcome == "error":
        lines.append(f"  error: {r.detail}")
    lines += [f"  Expected: {r.expected}", f"  Actual:   {r.actual}"]
    if r.transcript:
        lines.append(r.transcript)
    return "\n".join(lines)


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    h1 = _session(config)
    if not h1.results or config.option.h1_summary == "off":
        return
    tr = terminalreporter
    tr.section("h1conform")
    for line in summary_lines(h1.results, h1.target.display if h1.target else "?"):
        tr.write_line(line)


def pytest_sessionfinish(session: pytest.Session, exitstatus) -> None:
    h1 = _session(session.config)
    if session.config.option.h1_json:
        write_json(session.config.option.h1_json,
                   json_report(h1.results, h1.target.display if h1.target else None))
    h1.close()


__all__ = ["H1Session"]

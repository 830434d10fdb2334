"""The pytest plugin (entry point ``pytest11: h1conform``): the suite's options, and nothing else.

It is loaded into every pytest session of an environment where h1conform is installed, so it is a
good citizen there: every option carries the ``--h1-`` prefix (no well-known plugin uses it, so nothing
can clash with pytest-timeout's ``--timeout`` or anyone's ``--target``), it defines no fixture and its only
hook validates the ``--h1-*`` options (reading no file unless one names it).  The suite's fixtures and hooks live in
:mod:`h1conform.suite`; they are registered only when the suite is collected (``pytest --pyargs h1conform``,
through ``conformance/conftest.py``) or when asked for (``pytest -p h1conform.suite`` for your own cases).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, FrozenSet, Optional, Tuple

import pytest

from .errors import BadTarget
from .impact import parse_fail_on
from .reports import FORMATS, prepare_output
from .target import Target, parse_target

LEVEL_CHOICES = ("must", "should", "may")
DEFAULT_TIMEOUT = 2.0
DEFAULT_MAX_BYTES = 1024 * 1024  # no case needs more (the largest answers are 64 KiB); a flood costs this per connection


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("h1conform", "h1conform: HTTP/1.x conformance suite (pytest --pyargs h1conform)")
    group.addoption("--h1-target", dest="h1_target", default=None, metavar="HOST:PORT|URL",
                    help="server to test (default: start the bundled server on 127.0.0.1, port 0)")
    group.addoption("--h1-timeout", dest="h1_timeout", type=float, default=DEFAULT_TIMEOUT, metavar="S",
                    help="deadline in seconds for every socket read and write (default 2)")
    group.addoption("--h1-level", dest="h1_level", default="may", metavar="must|should|may",
                    help="run cases of this level and stricter (default may: all)")
    group.addoption("--h1-select", dest="h1_select", action="append", default=[], metavar="GLOB[,GLOB]",
                    help="run only cases whose id, requirement id, section (9112-9.3) or tag matches")
    group.addoption("--h1-deviations", dest="h1_deviations", default=None, metavar="FILE",
                    help="TOML file of known deviations of the target: an expectations file (its fails), or a"
                         " [deviations] table of case-id = \"reason\"")
    group.addoption("--h1-echo-path", dest="h1_echo_path", default=None, metavar="PATH",
                    help="the target's echo endpoint (returns the parsed request as JSON)")
    group.addoption("--h1-uploads-path", dest="h1_uploads_path", default=None, metavar="PATH",
                    help="the target's writable collection (POST creates members; PUT, GET, DELETE on them)")
    group.addoption("--h1-idle-timeout", dest="h1_idle_timeout", type=float, default=None, metavar="S",
                    help="the target's keep-alive idle timeout, if known: enables the idle-close case")
    group.addoption("--h1-max-bytes", dest="h1_max_bytes", type=int, default=DEFAULT_MAX_BYTES, metavar="N",
                    help="never read more than this many bytes on one connection (default 1 MiB)")
    group.addoption("--h1-insecure", dest="h1_insecure", action="store_true",
                    help="do not verify the TLS certificate of an https:// target")
    group.addoption("--h1-strict", dest="h1_strict", action="store_true",
                    help="count SHOULD violations as failures")
    group.addoption("--h1-fail-on", dest="h1_fail_on", action="append", default=[], metavar="IMPACT[,IMPACT]",
                    help="a warn (a SHOULD broken, a MAY left) of a case of this impact (desync, injection, dos)"
                         " counts as a failure")
    group.addoption("--h1-max-time", dest="h1_max_time", type=float, default=None, metavar="S",
                    help="time budget of the whole run: cases not started by then are reported as skipped")
    group.addoption("--h1-jobs", dest="h1_jobs", type=int, default=0, metavar="N",
                    help="cases run in parallel on their own connections (default 0: what the target sustains, "
                         "found by calibration, at most 16 (32 on a target that never closes); 1: one at a time)")
    for name, help in FORMATS.items():  # --h1-json, --h1-junit, --h1-html, --h1-pcap (h1conform.reports)
        group.addoption(f"--h1-{name}", dest=f"h1_{name}", default=None, metavar="FILE", help=help)
    group.addoption("--h1-summary", dest="h1_summary", default="on", choices=("on", "off"),
                    help="print the h1conform summary at the end (default on)")


@dataclass(frozen=True)
class Options:
    """The ``--h1-*`` options, validated."""

    target: Optional[Target]
    timeout: float
    level: str
    select: Tuple[str, ...]
    strict: bool
    deviations: Dict[str, str] = field(default_factory=dict)
    fail_on: FrozenSet[str] = frozenset()  # impacts whose warns are failures


def read_options(config: pytest.Config) -> Options:
    """Validate the ``--h1-*`` options; a bad one is a :class:`pytest.UsageError` (one line, exit 4)."""
    opt = config.option
    if opt.h1_timeout <= 0:
        raise pytest.UsageError(f"--h1-timeout must be a positive number of seconds, not {opt.h1_timeout:g}")
    level = (opt.h1_level or "may").lower()
    if level not in LEVEL_CHOICES:
        raise pytest.UsageError(f"--h1-level must be one of must, should, may; not {opt.h1_level!r}")
    if opt.h1_max_time is not None and opt.h1_max_time <= 0:
        raise pytest.UsageError(f"--h1-max-time must be a positive number of seconds, not {opt.h1_max_time:g}")
    if opt.h1_jobs < 0:
        raise pytest.UsageError(f"--h1-jobs must be 0 (automatic) or more, not {opt.h1_jobs}")
    if opt.h1_max_bytes <= 0:
        raise pytest.UsageError(f"--h1-max-bytes must be positive, not {opt.h1_max_bytes}")
    target = None
    if opt.h1_target is not None:
        try:
            target = parse_target(opt.h1_target)
        except BadTarget as exc:
            raise pytest.UsageError(str(exc).replace("--target", "--h1-target")) from None
    deviations: Dict[str, str] = {}
    if opt.h1_deviations:
        from .expectations import load_deviations  # imported here: a session without the option never needs it

        try:
            deviations = load_deviations(opt.h1_deviations)
        except (OSError, ValueError) as exc:
            raise pytest.UsageError(f"--h1-deviations {opt.h1_deviations}: {exc}") from None
    for name in FORMATS:
        path = getattr(opt, f"h1_{name}")
        try:
            if path is not None:
                prepare_output(path)
        except OSError as exc:
            raise pytest.UsageError(f"--h1-{name} {path}: {exc.strerror or exc}") from None
    try:
        fail_on = parse_fail_on(opt.h1_fail_on)
    except ValueError as exc:
        raise pytest.UsageError(f"--h1-fail-on: {exc}") from None
    select = tuple(g.strip() for s in opt.h1_select for g in s.split(",") if g.strip())
    return Options(target=target, timeout=opt.h1_timeout, level=level, select=select, strict=opt.h1_strict,
                   deviations=deviations, fail_on=fail_on)


_OPTIONS = pytest.StashKey[Options]()


def options(config: pytest.Config) -> Options:
    """The validated ``--h1-*`` options of this session (read once)."""
    if _OPTIONS not in config.stash:
        config.stash[_OPTIONS] = read_options(config)
    return config.stash[_OPTIONS]


def pytest_configure(config: pytest.Config) -> None:
    """Validates the ``--h1-*`` options (no I/O unless --h1-deviations names a file or a report is asked for: its
    folder is made), so that a typo or a path that cannot be written is reported before collection, in one line."""
    options(config)

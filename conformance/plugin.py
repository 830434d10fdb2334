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
from .options import add_to_pytest, problem
from .target import Target, parse_target


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("h1conform", "h1conform: HTTP/1.x conformance suite (pytest --pyargs h1conform)")
    add_to_pytest(group)  # h1conform.options: the same options as `h1conform run`, with the --h1- prefix


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
    wrong = problem(lambda o: getattr(opt, f"h1_{o.dest}"), "h1-")
    if wrong:
        raise pytest.UsageError(wrong)
    level = (opt.h1_level or "may").lower()
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
    fail_on = parse_fail_on(opt.h1_fail_on)  # checked above
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

"""Errors named for what happened; translated to exit codes and outcomes at the boundary."""

from __future__ import annotations


def _restore(cls, args, state):
    exc = cls.__new__(cls, *args)
    exc.__dict__.update(state)
    return exc


class _Portable:
    """Pickled with its fields (their keyword-only arguments defeat the default): an outcome crosses from the case
    process to pytest's (h1conform.case_process)."""

    def __reduce__(self):
        return _restore, (type(self), self.args, self.__dict__)


class H1ConformError(Exception):
    """Base class of every error h1conform raises on purpose."""


class BadTarget(H1ConformError, ValueError):
    """The --target value is not HOST:PORT or an http(s):// URL."""


class TargetUnreachable(H1ConformError):
    """A TCP (or TLS) connection to the target could not be made."""


class TargetNotHTTP(H1ConformError):
    """The target accepts connections but does not answer a plain request with HTTP/1.x (silent, closes, resets,
    speaks another protocol): the run stops after calibration with one line."""


class ServerUnavailable(H1ConformError):
    """A server of the matrix cannot run here (not installed, cannot be installed, did not start): one line why."""


class Inconclusive(_Portable, Exception):
    """The case ran, but nothing it saw tells a compliant target from a non-compliant one on this target.

    ``expected`` and ``actual`` are as for :class:`Violation`; ``reason`` says why the observation cannot decide
    (the route answered before the body mattered, no echo endpoint, ...) and ``remedy`` what would make the
    case conclusive (``--echo-path``, a resource that accepts POST, ...).  Never counted as a pass."""

    def __init__(self, expected: str, actual: str, *, reason: str, remedy: str = "") -> None:
        super().__init__(f"inconclusive: {reason}")
        self.expected = expected
        self.actual = actual
        self.reason = reason
        self.remedy = remedy


class BrokenInstall(H1ConformError):
    """A package of h1conform is not the one this installation shipped (e.g. a stray folder shadows it)."""


class FuzzPackageMissing(BrokenInstall):
    """The fuzz package (``h1conform_fuzz``) of this installation cannot be imported: ``h1conform fuzz`` cannot run."""


class Violation(_Portable, AssertionError):
    """The target did something the rule under test does not allow.

    ``expected`` and ``actual`` are short human sentences; the transcript of
    the exchange that showed it is attached by the probe that raised it.
    ``level`` overrides the case's level when one check inside a case is
    stricter (for example a MUST that a MAY case can still see broken).
    """

    def __init__(self, expected: str, actual: str, *, level: str | None = None) -> None:
        super().__init__(f"expected: {expected}; actual: {actual}")
        self.expected = expected
        self.actual = actual
        self.level = level

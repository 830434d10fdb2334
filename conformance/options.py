"""The suite's options, declared once.

``h1conform run --NAME`` and the pytest plugin's ``--h1-NAME`` are both made from :data:`OPTIONS`, are checked
by the same :func:`problem`, and the command line hands what it was given to the plugin with
:func:`plugin_args`.  An option only the plugin offers says ``run=False``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, List, Optional, Tuple

from .client import DEFAULT_TIMEOUT
from .impact import FAIL_ON_CHOICES, parse_fail_on
from .reports import FORMATS, prepare_output

LEVELS = ("must", "should", "may")
#: no case needs more on one connection (the largest answers are 64 KiB); a flood costs this per connection
DEFAULT_MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Option:
    name: str  # --NAME, --h1-NAME
    help: str
    kind: str = "value"  # "value", "flag" (store_true) or "list" (repeatable, each value a comma list)
    type: Callable[[str], Any] = str
    default: Any = None
    metavar: Optional[str] = None
    #: the value -> what is wrong with it (a sentence after the option's name), or None
    check: Optional[Callable[[Any], Optional[str]]] = None
    run: bool = True  # offered by ``h1conform run`` (else by the plugin only)

    @property
    def dest(self) -> str:
        return self.name.replace("-", "_")

    def keywords(self) -> dict:
        if self.kind == "flag":
            return {"action": "store_true", "help": self.help}
        if self.kind == "list":
            return {"action": "append", "default": [], "metavar": self.metavar, "help": self.help}
        return {"type": self.type, "default": self.default, "metavar": self.metavar, "help": self.help}


def _positive_seconds(value) -> Optional[str]:
    return None if value is None or value > 0 else f"must be a positive number of seconds, not {value:g}"


def _positive(value) -> Optional[str]:
    return None if value > 0 else f"must be positive, not {value}"


def _jobs(value) -> Optional[str]:
    return None if value >= 0 else f"must be 0 (automatic) or more, not {value}"


def _level(value) -> Optional[str]:
    return None if (value or "may").lower() in LEVELS else f"must be one of must, should, may; not {value!r}"


def _impacts(values) -> Optional[str]:
    try:
        parse_fail_on(values)
    except ValueError as exc:
        return str(exc)
    return None


def _writable(path) -> Optional[str]:
    if path is None:
        return None
    try:
        prepare_output(path)
    except OSError as exc:
        return f"{path}: {exc.strerror or exc}"
    return None


OPTIONS = (
    Option("target", "server to test: HOST:PORT, [V6]:PORT or http(s)://host[:port][/resource] (default: the "
                     "bundled server, started on 127.0.0.1 on a free port)", metavar="HOST:PORT|URL"),
    Option("timeout", f"deadline in seconds for every socket read and write (default {DEFAULT_TIMEOUT:g})",
           type=float, default=DEFAULT_TIMEOUT, metavar="S", check=_positive_seconds),
    Option("level", "run cases of this level and stricter (default may: all)", default="may",
           metavar="must|should|may", check=_level),
    Option("select", "run only cases whose id, requirement id, section (9112-9.3) or tag matches", kind="list",
           metavar="GLOB[,GLOB]"),
    Option("strict", "SHOULD violations count as failures", kind="flag"),
    Option("fail-on", f"a warn (a SHOULD broken, a MAY left) of a case of this impact ({', '.join(FAIL_ON_CHOICES)})"
                      " counts as a failure; the RFC levels of the others are kept", kind="list",
           metavar="IMPACT[,IMPACT]", check=_impacts),
    Option("jobs", "cases run in parallel, each on its own connections (default 0: what the target sustains, "
                   "found by calibration, at most 16 (64 on a target that never closes); 1: one at a time); "
                   "verdicts and output order do not change", type=int, default=0, metavar="N", check=_jobs),
    Option("max-time", "time budget of the whole run: cases not started by then are reported as skipped",
           type=float, metavar="S", check=_positive_seconds),
    Option("max-bytes", "never read more than this many bytes on one connection (default 1 MiB)", type=int,
           default=DEFAULT_MAX_BYTES, metavar="N", check=_positive, run=False),
    Option("echo-path", "the target's echo endpoint (answers with the parsed request as JSON), if it has one",
           metavar="PATH"),
    Option("uploads-path", "the target's writable collection (POST creates members; PUT, GET, DELETE on them), if it "
                           "has one", metavar="PATH"),
    Option("idle-timeout", "the target's keep-alive idle timeout, if known: enables the idle-close case",
           type=float, metavar="S", check=_positive_seconds),
    Option("deviations", "TOML file of the target's known deviations: an expectations file (its fails), or a "
                         "[deviations] table of case-id = \"reason\"", metavar="FILE"),
    Option("insecure", "do not verify the TLS certificate of an https:// target", kind="flag"),
    *(Option(name, help, metavar="FILE", check=_writable) for name, help in FORMATS.items()),
    Option("summary", "print the h1conform summary at the end (default on)", default="on", metavar="on|off",
           check=lambda v: None if v in ("on", "off") else f"must be on or off, not {v!r}", run=False),
)


def add_to_argparse(parser, names: Optional[Tuple[str, ...]] = None) -> None:
    """``--NAME`` for every option ``h1conform run`` offers (or only those *names*, for another command)."""
    for o in OPTIONS:
        if o.run and (names is None or o.name in names):
            parser.add_argument(f"--{o.name}", dest=o.dest, **o.keywords())


def add_to_pytest(group) -> None:
    """``--h1-NAME`` for every option, in the plugin's group."""
    for o in OPTIONS:
        group.addoption(f"--h1-{o.name}", dest=f"h1_{o.dest}", **o.keywords())


def problem(values: Callable[[Option], Any], prefix: str, names: Optional[Tuple[str, ...]] = None) -> Optional[str]:
    """The first option (of *names*, if given) whose value is wrong, as ``--PREFIXNAME <what is wrong>``; None if
    all are right."""
    for o in OPTIONS:
        if names is not None and o.name not in names:
            continue
        wrong = o.check(values(o)) if o.check is not None else None
        if wrong:
            return f"--{prefix}{o.name} {wrong}"
    return None


def plugin_args(namespace, leave_out=()) -> List[str]:
    """The ``--h1-*`` arguments that give the plugin what ``h1conform run`` was given (defaults left out, and
    the options named in *leave_out*)."""
    args: List[str] = []
    for o in OPTIONS:
        if not o.run or o.name in leave_out:
            continue
        value = getattr(namespace, o.dest)
        if o.kind == "flag":
            args += [f"--h1-{o.name}"] if value else []
        elif o.kind == "list":
            for v in value:
                args += [f"--h1-{o.name}", str(v)]
        elif value is not None and value != o.default:
            args += [f"--h1-{o.name}", str(value)]
    return args

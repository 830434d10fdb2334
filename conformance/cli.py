"""``h1conform run | diff | serve | matrix | fuzz | coverage | list``.

``run`` is a thin wrapper around pytest (the suite *is* a pytest suite): it
checks the target first, runs ``pytest --pyargs h1conform`` in-process with
the plugin's options, writes the reports and prints the summary last.

Exit codes: 0 no MUST failure; 1 a MUST failure or an error (or a SHOULD
failure under --strict, or a warn of an impact --fail-on names); 2 usage error, unreachable target or one
that does not speak HTTP; 3 no case ran; 130 / 143 interrupted by SIGINT / SIGTERM (the reports of what ran are
written).  ``diff``: 0; 1 on a new MUST failure; 2 when a report cannot be read (h1conform.reports.diff).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import time
from dataclasses import replace
from typing import List, Optional

from .errors import FuzzPackageMissing

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_NO_CASES = 0, 1, 2, 3  # and 128 + N after signal N (130 SIGINT, 143 SIGTERM)
#: pytest's own plugins a run of the suite does not use (each one less is a hook call less per case); the pool
#: keeps each case's exceptions itself, and reports are written by h1conform
UNUSED_PYTEST_PLUGINS = ("cacheprovider", "logging", "warnings", "faulthandler", "unraisableexception",
                         "threadexception", "doctest", "pastebin", "junitxml", "legacypath", "tmpdir",
                         "monkeypatch", "recwarn", "stepwise", "setuponly", "setupplan", "unittest", "subtests")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one clear line, exit 2
        self.exit(EXIT_USAGE, f"h1conform: error: {message} (see {self.prog} --help)\n")


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"h1conform: error: {message}", file=sys.stderr)
    return code


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="h1conform", description="HTTP/1.0 + HTTP/1.1 server conformance suite")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    run = sub.add_parser("run", help="run the suite (against the bundled server unless --target is given)")
    from .options import add_to_argparse

    add_to_argparse(run)  # h1conform.options: the same options as the plugin's --h1-*
    run.add_argument("-v", "--verbose", action="store_true", help="one line per case")
    run.add_argument("-k", dest="keyword", metavar="EXPR", help="pytest -k expression (case ids are keywords)")

    dif = sub.add_parser("diff", help="compare two JSON reports: new failures, fixed ones, changed branches (exit 1 on"
                                      " a new MUST failure)")
    dif.add_argument("old", metavar="OLD.json")
    dif.add_argument("new", metavar="NEW.json")

    # `serve` hands its arguments to the bundled server's own parser (see main()).
    sub.add_parser("serve", help="run the bundled server (options: h1conform serve --help)", add_help=False)

    fuzz = sub.add_parser("fuzz", help="mutational network fuzzing of a target (the bundled server by default)")
    try:
        fuzz_options().add_arguments(fuzz)
    except FuzzPackageMissing:  # every other command still works; `h1conform fuzz` says so in one line (_main)
        fuzz.add_argument("ignored", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)

    mat = sub.add_parser("matrix", help="the suite against real servers (nginx, apache2, ..., waitress, ...): tables,"
                                        " reports, and the comparison with their reviewed expectations")
    from . import matrix_command

    matrix_command.add_arguments(mat)

    cov = sub.add_parser("coverage", help="requirements covered per RFC section, and what is not covered and why")
    cov.add_argument("--json", action="store_true", help="print JSON")

    lst = sub.add_parser("list", help="list the cases")
    lst.add_argument("--json", action="store_true", help="print JSON: {\"cases\": [...]}")
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    from .errors import BrokenInstall

    try:
        return _main(argv)
    except (BrokenInstall, ImportError) as exc:  # an installation we cannot run from: one line, not a traceback
        return _fail(str(exc))
    except BrokenPipeError:  # e.g. `h1conform list | head`: the reader left; not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def fuzz_options():
    """The options of ``h1conform fuzz`` (:mod:`h1conform_fuzz.options`).  The CLI is the one module of
    h1conform that imports the fuzz package (which is built on h1conform): here and for the ``fuzz`` command."""
    try:
        from h1conform_fuzz import options
    except ImportError as exc:
        raise FuzzPackageMissing(f"`h1conform fuzz` needs the h1conform_fuzz package, which cannot be imported ({exc});"
                                 " reinstall h1conform (pip install h1conform)") from exc
    return options


def _main(argv: Optional[List[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["serve"]:
        return cmd_serve(argv[1:])
    if argv[:1] == ["fuzz"]:
        fuzz_options()  # a missing fuzz package is said in one line before the options are parsed
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:  # said by the subcommand's parser, so the line points at its --help
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
        commands.get(args.command, parser).error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command == "run":
        return cmd_run(args)
    if args.command == "list":
        return cmd_list(args)
    if args.command == "diff":
        from .reports.diff import main as diff_main

        return diff_main(args.old, args.new)
    if args.command == "coverage":
        from .coverage import as_json, compute, report_lines

        cov = compute()
        print(as_json(cov) if args.json else "\n".join(report_lines(cov)))
        return EXIT_OK
    if args.command == "matrix":
        from . import matrix_command

        return matrix_command.main(args)
    if args.command == "fuzz":
        from h1conform_fuzz import network  # the fuzz package depends on this one, never the reverse (but here)

        return network.run(args)
    build_parser().print_help()
    return EXIT_USAGE


# -- run ---------------------------------------------------------------------------------
class _Collector:
    """Picks the results up from the plugin at the end of the pytest session."""

    def __init__(self) -> None:
        self.results = None
        self.target = None
        self.calibration = None
        self.run_info = None

    def pytest_sessionfinish(self, session) -> None:
        from .suite import h1_session

        h1 = h1_session(session.config)
        if h1 is not None:
            self.results = list(h1.results)
            self.target = h1.target.display if h1.target else None
            self.calibration = h1.calibration
            self.run_info = h1.run_info()


@contextlib.contextmanager
def _signals_interrupt():
    """SIGINT and SIGTERM stop the run the way Ctrl-C stops pytest (the session still finishes, so the reports
    of what ran are written); the list yielded holds the signal number afterwards."""
    got: List[int] = []

    def stop(signum, frame):
        if got:  # a second signal: stop now
            raise SystemExit(128 + signum)
        got.append(signum)
        raise KeyboardInterrupt

    old = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield got
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)


class _Handover:
    """What ``h1conform run`` hands the suite (which reads it as ``H1Session.handover``): that the session is ours
    (only our plugin and our cases, so the cases are collected without fixtures and their pool may run in a process
    of its own), the bundled server it spawned before pytest started, and the calibration it began (a future, with
    the resource it is of), so that the target is learnt once."""

    def __init__(self, server=None, resource=None, calibration=None) -> None:
        self.h1conform_handover = self
        self.server, self.resource, self.calibration = server, resource, calibration


def cmd_run(args) -> int:
    server = None
    if args.target is None:  # the bundled server starts while pytest is imported and collects the cases
        from .bundled import BundledProcess

        server = BundledProcess()
        server.spawn()
    try:
        return _run(args, server)
    finally:
        if server is not None:
            server.stop()


def _run(args, server) -> int:
    import pytest

    from .calibration import begin
    from .errors import BadTarget, TargetNotHTTP, TargetUnreachable
    from .options import plugin_args, problem
    from .reports import FORMATS, RunInfo, write_all
    from .reports.progress import Progress, wanted
    from .reports.summary import summary_lines
    from .target import check_reachable, parse_target

    started = time.time()
    wrong = problem(lambda o: getattr(args, o.dest) if o.run else o.default, "")
    if wrong:
        return _fail(wrong)
    handover = _Handover(server=server)
    if args.target is not None:
        try:
            target = replace(parse_target(args.target), verify_tls=not args.insecure)
            target = target.with_paths(echo=args.echo_path, uploads=args.uploads_path)
            check_reachable(target, args.timeout)
            # the plain GET now (a target that does not speak HTTP ends the run here, with one line); the rest of
            # calibration goes on while pytest starts and collects the cases
            handover.resource, handover.calibration = target.resource, begin(target, timeout=args.timeout)
        except (BadTarget, TargetUnreachable, TargetNotHTTP) as exc:
            return _fail(str(exc))
    if args.deviations and not os.path.isfile(args.deviations):
        return _fail(f"--deviations {args.deviations}: no such file")
    outputs = {name: getattr(args, name) for name in FORMATS}

    # Only our plugin (other plugins of the environment are not loaded: the run is the same wherever it runs, and
    # starts fast), and no assertion rewriting (cases state their rules with h1conform.verdicts, not assert).
    pytest_args = ["--pyargs", "h1conform", "-c", os.devnull, "--rootdir", os.getcwd(), "-p", "h1conform.plugin",
                   *(arg for name in UNUSED_PYTEST_PLUGINS for arg in ("-p", f"no:{name}")),
                   "--capture=no", "--assert=plain", "--h1-summary=off", "--tb=no", "-rN"]
    pytest_args.append("-v" if args.verbose else "-q")
    progress = Progress(sys.stderr) if wanted(verbose=args.verbose) else None
    if progress is not None:  # the progress line stands for pytest's dots
        pytest_args += ["-o", "console_output_style=classic"]
    # every --NAME given, as the plugin's --h1-NAME; not the reports: they are written here, with the calibration
    pytest_args += plugin_args(args, leave_out=FORMATS)
    if args.keyword:
        pytest_args += ["-k", args.keyword]
    collector = _Collector()
    plugins = [collector, handover]
    if progress is not None:
        plugins.append(progress)
    autoload = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    try:
        with _signals_interrupt() as interrupted:
            try:
                ret = pytest.main(pytest_args, plugins=plugins)
            except KeyboardInterrupt:  # the signal came after pytest's own handling (while it was finishing)
                ret = pytest.ExitCode.INTERRUPTED
    finally:
        if autoload is None:
            del os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"]
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = autoload
    if not interrupted and ret in (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.INTERRUPTED):
        return EXIT_USAGE
    results = collector.results or []
    run_info = collector.run_info or RunInfo(calibration=collector.calibration)
    write_all(outputs, results, replace(run_info, started=started, duration_s=time.time() - started))
    ran = [r for r in results if r.outcome != "skip"]
    if collector.calibration is not None:
        print(collector.calibration.summary())
    for line in summary_lines(results, collector.target or "?") if results else []:
        print(line)
    if interrupted:  # the reports of what ran are written above
        name = signal.Signals(interrupted[0]).name
        print(f"h1conform: interrupted by {name} after {len(results)} cases", file=sys.stderr)
        return 128 + interrupted[0]
    if not ran:
        print("h1conform: no case ran", file=sys.stderr)
        return EXIT_NO_CASES
    bad = [r for r in results if r.outcome in ("fail", "error") and not r.deviation]
    return EXIT_FAIL if bad else EXIT_OK


# -- serve -------------------------------------------------------------------------------
def cmd_serve(argv: List[str]) -> int:
    """The bundled server's own command line (``python -m h1conform_server``), default port 8080."""
    from h1conform_server.__main__ import main as serve_main

    if not any(a == "--port" or a.startswith("--port=") for a in argv):
        argv += ["--port", "8080"]
    return serve_main(argv, prog="h1conform serve")


# -- list --------------------------------------------------------------------------------
def cmd_list(args) -> int:
    from .catalog import load_cases

    cases = load_cases()
    if args.json:
        print(json.dumps({"cases": [{"id": c.id, "requirements": list(c.requirements), "level": c.level,
                                     "section": c.section, "impact": c.impact, "rule": c.rule,
                                     "tags": list(c.tags)}
                                    for c in cases]}, indent=2))
        return EXIT_OK
    for c in cases:
        print(f"{c.id:48} {c.level:10} {c.section:16} {c.impact:9} {','.join(c.requirements)}")
    print(f"{len(cases)} cases")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

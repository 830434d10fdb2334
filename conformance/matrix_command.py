"""``h1conform matrix [SERVER ...]``: run the matrix, write its tables and reports, compare with the reviewed
expectations.  Exit codes: 0 every run that could run matches its expectations (or ``--no-check``); 1 a run
differs from its file (each difference printed); 2 a usage error or no server could run; 130 / 143 interrupted
by SIGINT / SIGTERM (the servers it started are stopped, the tables hold the runs that finished)."""

from __future__ import annotations

import argparse
import os
import signal
import sys

from .matrix import RUN_BUDGET_S, RUNS, check, run_matrix
from .servers import MATRIX, SERVERS


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("servers", nargs="*", metavar="SERVER",
                   help=f"servers to run (default: every one of the matrix: {', '.join(MATRIX)})")
    p.add_argument("--out", default="matrix-report", metavar="DIR",
                   help="folder for matrix.md, matrix.html and each run's JSON report, page and log"
                        " (default: matrix-report)")
    p.add_argument("--runs", default=",".join(RUNS), metavar="RUN[,RUN]",
                   help="plain (without the echo endpoint), echo (with it), or both (default)")
    p.add_argument("--markdown", metavar="FILE",
                   help="also write the Markdown table to FILE, without links (e.g. docs/matrix.md)")
    p.add_argument("--no-check", dest="check", action="store_false",
                   help="do not compare the runs with fixtures/expectations/<server>.toml")
    p.add_argument("--max-time", type=float, default=RUN_BUDGET_S, metavar="S",
                   help=f"time budget of each run (default {RUN_BUDGET_S:g})")


def main(args) -> int:
    from .matrix_tables import markdown, matrix_html, run_html

    unknown = [s for s in args.servers if s not in SERVERS]
    runs = [r.strip() for r in args.runs.split(",") if r.strip()]
    if unknown:
        print(f"h1conform: error: unknown server {unknown[0]!r}: choose from {', '.join(SERVERS)}", file=sys.stderr)
        return 2
    if not runs or any(r not in RUNS for r in runs):
        print(f"h1conform: error: --runs {args.runs!r}: choose from {', '.join(RUNS)}", file=sys.stderr)
        return 2
    try:
        os.makedirs(args.out, exist_ok=True)
    except OSError as exc:
        print(f"h1conform: error: --out {args.out}: {exc.strerror}", file=sys.stderr)
        return 2
    results: list = []
    interrupted = None

    def stop(signum, _frame):  # SIGTERM as SIGINT: unwind, so that every started server is stopped on the way
        raise KeyboardInterrupt(signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        run_matrix(args.servers or MATRIX, args.out, runs=runs, budget_s=args.max_time, done=results)
    except KeyboardInterrupt as exc:
        interrupted = exc.args[0] if exc.args else signal.SIGINT
    finally:
        signal.signal(signal.SIGTERM, previous)
    with open(os.path.join(args.out, "matrix.md"), "w", encoding="utf-8") as fh:
        fh.write("# h1conform matrix\n\n" + markdown(results))
    with open(os.path.join(args.out, "matrix.html"), "w", encoding="utf-8") as fh:
        fh.write(matrix_html(results))
    for r in results:
        if r.ran:
            with open(os.path.join(args.out, f"{r.name}.html"), "w", encoding="utf-8") as fh:
                fh.write(run_html(r))
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as fh:
            fh.write("# The real-server matrix\n\n" + markdown(results, links=False))
    ran = [r for r in results if r.ran]
    print(f"h1conform matrix: {len(ran)} of {len(results)} runs; tables in {os.path.join(args.out, 'matrix.html')}")
    if interrupted is not None:
        print(f"h1conform matrix: interrupted; the tables hold the {len(results)} runs that finished", file=sys.stderr)
        return 128 + int(interrupted)
    if not ran:
        return 2
    differences = [line for r in ran for line in check(r)] if args.check else []
    for line in differences:
        print(f"  {line}")
    if differences:
        print(f"h1conform matrix: {len(differences)} differences from the reviewed expectations")
    return 1 if differences else 0

"""Whole `h1conform run` processes against kinds of target, side by side in one run: wall time, peak RSS, exit code.

    python benchmarks/suite_speed.py                   # every kind below that is available
    python benchmarks/suite_speed.py --kinds bundled,flood --runs 3

Kinds: ``bundled`` (the bundled server, started by the run), any real server of the matrix (``nginx``, ``waitress``,
... or ``servers`` for all of them, started by h1conform.servers where installed), and the raw targets of
benchmarks/targets.py
(``http10-open``, ``fixed-200``, ``silent``, ``trickle``, ``flood``, ``ssh``, ``close``, ``reset``).  Each run is
a child process measured with ``os.wait4`` (its own peak RSS), from process start to exit.  Every target is up
before the first run, and with ``--runs N`` the kinds take turns (N rounds of one run each), so that a slow spell
of the machine falls on every kind alike; each kind's median and range are printed.  The acceptance of
issue 12: answering targets within 3x the bundled server's wall time, the bundled one in 2 s or less; silent,
trickling and non-HTTP targets exit 2 within 15 s; a flood costs at most 150 MB.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from h1conform.errors import ServerUnavailable
from h1conform.servers import MATRIX, SERVERS, running
from targets import KINDS, RawTarget  # benchmarks/targets.py: run as a script, its folder is first on sys.path

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def started(kind: str):
    """Yields the --target value for ``kind`` (None: the bundled server), or raises LookupError if unavailable."""
    if kind == "bundled":
        yield None
    elif kind in KINDS:
        with RawTarget(kind) as raw:
            yield f"127.0.0.1:{raw.port}"
    elif kind in SERVERS:
        try:
            with running(kind) as srv:
                yield srv.target
        except ServerUnavailable as exc:
            raise LookupError(str(exc)) from None
    else:
        raise LookupError(f"unknown kind {kind!r}")


def one_run(target) -> tuple:
    args = [sys.executable, "-m", "h1conform.cli", "run"] + (["--target", target] if target else [])
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().strip().splitlines()
    proc.stderr.close()
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), (err[-1] if err else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1,
                        help="rounds: each runs every kind once, in turn (the median of a kind's runs is printed)")
    parser.add_argument("--kinds", default="bundled,nginx,waitress," + ",".join(KINDS),
                        help="comma-separated; 'servers' stands for every real server of the matrix")
    args = parser.parse_args()
    kinds = [k for part in args.kinds.split(",") for k in (MATRIX if part == "servers" else (part,))]
    runs = {}
    with contextlib.ExitStack() as stack:
        targets = {}
        for kind in kinds:  # every target is up before the first run: the rounds interleave the kinds
            try:
                targets[kind] = stack.enter_context(started(kind))
            except LookupError as exc:
                print(f"{kind:12} skipped: {exc}")
        # a round runs every kind once, so that a slow spell of the machine falls on every kind alike
        for _ in range(args.runs):
            for kind, target in targets.items():
                runs.setdefault(kind, []).append(one_run(target))
    print(f"{'target':12} {'wall s':>7} {'range':>11} {'peak MB':>8} {'exit':>4}  x bundled  last stderr line")
    base = statistics.median(r[0] for r in runs["bundled"]) if "bundled" in runs else None
    for kind, got in runs.items():
        wall = statistics.median(r[0] for r in got)
        spread = f"{min(r[0] for r in got):.2f}-{max(r[0] for r in got):.2f}"
        rss = max(r[1] for r in got)
        ratio = f"{wall / base:8.1f}x" if base else " " * 9
        print(f"{kind:12} {wall:7.2f} {spread:>11} {rss:8.0f} {got[-1][2]:>4}  {ratio}  {got[-1][3][:90]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

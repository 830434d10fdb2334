"""``h1conform matrix``: the suite against each real server of the matrix, without and with its echo endpoint; a
server x case table (Markdown and HTML, each cell linking to that case in the run's report page), each run's JSON
report, and the comparison with each server's reviewed expectations (``fixtures/expectations/<server>.toml``).

Each run is a whole ``h1conform run`` in a child process, against a server started by :mod:`h1conform.servers`;
a server that is not installed (or cannot start) is a column that says why, never a row of failures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

import h1conform_fixtures

from . import expectations as exp
from .errors import ServerUnavailable
from .servers import running, unavailable

RUNS = ("plain", "echo")
#: the time budget of one run (the suite's --max-time), and of the child process around it
RUN_BUDGET_S = 240.0


@dataclass
class MatrixRun:
    server: str
    run: str  # "plain" or "echo"
    outcomes: Dict[str, str] = field(default_factory=dict)  # case id -> outcome
    cases: Dict[str, dict] = field(default_factory=dict)  # case id -> the JSON report's entry
    missing: str = ""  # why it did not run
    exit_code: Optional[int] = None
    wall_s: float = 0.0
    summary: Dict[str, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.server}-{self.run}"

    @property
    def ran(self) -> bool:
        return not self.missing


def expectations_path(server: str) -> str:
    return str(h1conform_fixtures.path("expectations", f"{server}.toml"))


def run_one(server: str, run: str, out_dir: str, extra: Sequence[str] = (), budget_s: float = RUN_BUDGET_S,
            log=None) -> MatrixRun:
    """One whole suite run; its JSON report and output go to out_dir/<server>-<run>.json and .log."""
    result = MatrixRun(server, run)
    why = unavailable(server, echo=run == "echo")
    if why:
        result.missing = why
        return result
    report = os.path.join(out_dir, f"{result.name}.json")
    start = time.monotonic()
    try:
        with running(server, echo=run == "echo") as srv:
            argv = [sys.executable, "-m", "h1conform.cli", "run", "--target", srv.target, "--json", report,
                    "--max-time", f"{budget_s:g}"]
            if srv.echo_path:
                argv += ["--echo-path", srv.echo_path]
            with open(os.path.join(out_dir, f"{result.name}.log"), "w") as out:
                try:
                    result.exit_code = subprocess.call(argv + list(extra), stdout=out, stderr=subprocess.STDOUT,
                                                       timeout=budget_s + 60)
                except subprocess.TimeoutExpired:
                    result.missing = f"the run did not end within {budget_s + 60:g} s"
    except ServerUnavailable as exc:
        result.missing = str(exc)
    result.wall_s = time.monotonic() - start
    if not result.missing:
        try:
            with open(report, encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError):
            result.missing = f"the run wrote no report (exit code {result.exit_code}; see {result.name}.log)"
        else:
            result.cases = {c["id"]: c for c in data["cases"]}
            result.outcomes = {c["id"]: c.get("observed", c["outcome"]) for c in data["cases"]}
            result.summary = data["summary"]
    if log is not None:
        state = result.missing or ", ".join(f"{v} {k}" for k, v in result.summary.items() if v)
        print(f"h1conform matrix: {result.name}: {state} ({result.wall_s:.1f} s)", file=log, flush=True)
    return result


def check(run: MatrixRun) -> List[str]:
    """What differs between a run and its server's reviewed expectations (both ways), as lines."""
    path = expectations_path(run.server)
    if not os.path.exists(path):
        return [f"{run.name}: no expectations file {path}"]
    try:
        expected = exp.load(path, known_cases=set(run.outcomes) or None)
    except (OSError, ValueError) as exc:
        return [f"{run.name}: {path}: {exc}"]
    return [f"{run.name}: {m}" for m in exp.compare(expected, run.run, run.outcomes)]


def run_matrix(servers: Sequence[str], out_dir: str, *, runs: Sequence[str] = RUNS, extra: Sequence[str] = (),
               budget_s: float = RUN_BUDGET_S, log=sys.stderr, done: Optional[List[MatrixRun]] = None
               ) -> List[MatrixRun]:
    """Every run, one after the other; ``done`` (if given) holds those that finished, should the loop be
    interrupted."""
    os.makedirs(out_dir, exist_ok=True)
    done = [] if done is None else done
    for s in servers:
        for r in runs:
            done.append(run_one(s, r, out_dir, extra, budget_s, log))
    return done

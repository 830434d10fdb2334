"""How long the whole suite takes against the bundled server (wall clock).

    python benchmarks/suite_speed.py [--runs 5] [--select GLOB]

Runs ``h1conform run`` in a subprocess ``--runs`` times (each run starts the
bundled server on port 0, runs every case and stops it) and prints the
minimum, median and maximum wall time, and the number of cases.  The target
for the foundation is <= 5 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def one_run(select: list) -> tuple:
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "report.json")
        args = [sys.executable, "-m", "h1conform.cli", "run", "--json", report]
        for s in select:
            args += ["--select", s]
        start = time.perf_counter()
        proc = subprocess.run(args, capture_output=True, text=True)
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            sys.exit(f"h1conform run exited {proc.returncode}:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
        with open(report) as fh:
            data = json.load(fh)
    case_time = sum(c["duration_s"] for c in data["cases"])
    return wall, len(data["cases"]), case_time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--select", action="append", default=[])
    args = parser.parse_args()
    results = [one_run(args.select) for _ in range(args.runs)]
    walls = sorted(r[0] for r in results)
    print(f"cases: {results[0][1]}  runs: {args.runs}  cpus: {os.cpu_count()}")
    print(f"wall  (process start to exit): min {walls[0]:.2f} s  median {statistics.median(walls):.2f} s  "
          f"max {walls[-1]:.2f} s")
    print(f"sum of case durations: {statistics.median(r[2] for r in results):.2f} s (median)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

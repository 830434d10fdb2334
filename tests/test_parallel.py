"""--jobs changes how fast, never what: the same verdicts and branches, reported in the same order."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from h1conform.catalog import load_cases

CLI = [sys.executable, "-m", "h1conform.cli"]


def _verdicts(tmp_path, name, *args):
    out = tmp_path / f"{name}.json"
    r = subprocess.run([*CLI, "run", "--json", str(out), *args], capture_output=True, text=True, timeout=300)
    assert r.returncode in (0, 1), r.stderr
    cases = json.loads(out.read_text())["cases"]
    return [(c["id"], c["outcome"], c.get("branch")) for c in cases]


def test_same_verdicts_one_at_a_time_and_in_parallel_on_the_bundled_server(tmp_path):
    serial = _verdicts(tmp_path, "serial", "--jobs", "1")
    parallel = _verdicts(tmp_path, "parallel")  # the default: what calibration found the server sustains
    assert len(serial) == len(load_cases()) and serial == parallel


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed (apt-get install nginx-light)")
def test_same_verdicts_one_at_a_time_and_in_parallel_on_nginx(tmp_path):
    import os

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    proc = subprocess.Popen([sys.executable, os.path.join(root, "scripts", "real_server.py"), "serve", "nginx"],
                            stdout=subprocess.PIPE, text=True)
    try:
        target = proc.stdout.readline().strip()
        assert target, "scripts/real_server.py serve nginx printed no address"
        serial = _verdicts(tmp_path, "serial", "--target", target, "--jobs", "1")
        parallel = _verdicts(tmp_path, "parallel", "--target", target)
    finally:
        proc.terminate()
        proc.wait(20)
    differ = [(a, b) for a, b in zip(serial, parallel) if a != b]
    assert len(serial) == len(parallel) and not differ, differ


def test_the_cases_that_may_wait_long_start_first_the_rest_in_pytests_order():
    from h1conform import parallel, smuggling

    cases = load_cases()
    stalls = [c.id for c in cases if smuggling.MAY_STALL in c.tags]
    # derived from the declarations: exactly the variants that allow "stalled" (a huge or unended length)
    assert "smuggle-cl-wraps-2-32" in stalls and "content-too-large-413" in stalls and len(stalls) < 20
    assert all("stalled" in c.accepted or c.severity != "may" for c in cases if c.id in stalls)
    started = []
    pool = parallel.Prerun(1, lambda: None, lambda c: started.append(c.id), lambda p: None)
    try:
        pool.start([(c.id, c) for c in cases])
        for c in cases:
            pool.outcome(c.id)
    finally:
        pool.stop()
    by_id = {c.id: c for c in cases}
    ahead = [i for i in started if not by_id[i].alone]  # the alone cases start after them all
    ranks = [parallel._start_rank(by_id[i]) for i in ahead]
    assert ranks == sorted(ranks), [(i, r) for i, r in zip(ahead, ranks)][:20]  # idle, partial reads, may-stall
    bulk = [c.id for c in cases if not c.alone and parallel._start_rank(c) == len(parallel.START_FIRST)]
    assert [i for i in started if i in set(bulk)] == bulk

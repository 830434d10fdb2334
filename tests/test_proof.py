"""Proof of the suite: every case passes against the bundled server and fails
against a server with a quirk that breaks exactly its rule.

The proof table is derived from the quirks' declarations (server_under_test/quirks/): each quirk names the
cases that must stop passing with it on (a MAY case counts when it records a different choice), and
``PROVEN_TOGETHER`` the cases only a combination breaks.  For a narrow quirk that set is *exact*: no other
case may change.  A quirk that garbles every response (a lower-case status line, a wrong Content-Length)
or stops all pipelining breaks many cases by cascade; it is declared ``cascades=True`` and checked as "at
least these".  A case that no quirk names is unproven, and that is a failure too.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from h1conform.cases import run_case
from h1conform.catalog import load_cases
from h1conform.probe import Probe
from h1conform.target import Target
from h1conform_server.quirks import PROVEN_TOGETHER, QUIRKS
from h1conform_server.server import Server

CASES = load_cases()
PATHS = {"echo": "/echo", "stream": "/stream", "close_delimited": "/close-delimited", "uploads": "/uploads/"}
IDLE = 1.0  # the bundled server's idle timeout here, as in the plugin
TIMEOUT = 0.5  # short: servers whose quirk makes them stall are judged at the deadline

PROOF = {**{(q.name,): set(q.breaks) for q in QUIRKS.values()},
         **{names: set(ids) for names, ids in PROVEN_TOGETHER.items()}}
CASCADING = {(q.name,) for q in QUIRKS.values() if q.cascades} | {("no_persistence", "close_without_signal")}


BY_ID = {c.id: c for c in CASES}


def scope(switches) -> list:
    """The cases an entry runs: the ones it lists, and every case in the same modules (RFC
    sections), where an unexpected change would be noticed.  A cascading entry runs only its own."""
    listed = PROOF[switches]
    if switches in CASCADING:
        return [BY_ID[i] for i in sorted(listed)]
    modules = {BY_ID[i].func.__module__ for i in listed}
    return [c for c in CASES if c.id in listed or c.func.__module__ in modules]


def _run_all(quirks=frozenset(), cases=None):
    """Run ``cases`` (all by default) against a bundled server with ``quirks`` on; id -> Result."""
    with Server(host="127.0.0.1", port=0, quirks=frozenset(quirks), idle_timeout=IDLE) as server:
        host, port = server.address
        target = Target(host, port, paths=PATHS, idle_timeout=IDLE)

        def one(c):
            return c.id, run_case(c, Probe(target, timeout=TIMEOUT))

        with ThreadPoolExecutor(max_workers=8) as pool:
            return dict(pool.map(one, cases if cases is not None else CASES))


@pytest.fixture(scope="module")
def baseline():
    return _run_all()


def test_bundled_server_passes_every_case(baseline):
    bad = {i: f"{r.outcome}: expected {r.expected}; actual {r.actual}; {r.detail}"
           for i, r in baseline.items() if r.outcome not in ("pass", "info")}
    assert not bad


def _where(quirks) -> str:
    """The files that declare these quirks (where a contributor adds a case to a quirk's ``breaks``)."""
    return ", ".join(sorted({f"server_under_test/quirks/{QUIRKS[n].family}.py" for n in quirks if n in QUIRKS}))


def candidates(case) -> list:
    """Quirks that break other cases of the same module: the likeliest to break this one too."""
    module = case.func.__module__
    return sorted(n for (n,), ids in ((k, v) for k, v in PROOF.items() if len(k) == 1)
                  if any(BY_ID[i].func.__module__ == module for i in ids if i in BY_ID))


def test_every_case_is_proven_by_some_quirk():
    proven = set().union(*PROOF.values())
    unproven = [c for c in CASES if c.id not in proven]
    lines = []
    for c in unproven:
        near = candidates(c)[:6]
        hint = f"quirks breaking its module's other cases: {', '.join(near)} ({_where(near)})" if near else \
            "no quirk breaks its module yet: declare one in server_under_test/quirks/"
        lines.append(f"{c.id} ({c.func.__module__}): {hint}")
    assert not unproven, ("no quirk breaks these cases; prove each with a quirk that breaks exactly its rule "
                          "(CONTRIBUTING.md, 'Prove it'):\n" + "\n".join(lines))


def test_proof_lists_only_known_cases():
    unknown = {i for ids in PROOF.values() for i in ids} - set(BY_ID)
    assert not unknown


def test_every_quirk_breaks_a_case():
    idle = sorted(q.name for q in QUIRKS.values() if not q.breaks)
    assert not idle, f"these quirks break no case (a quirk nobody needs, or a case missing): {idle}"


@pytest.mark.parametrize("switches", list(PROOF), ids=lambda k: "+".join(k))
def test_quirk_fails_exactly_its_cases(switches, baseline):
    results = _run_all(switches, scope(switches))
    changed = {i for i, r in results.items()
               if r.outcome not in ("pass", "info") or (r.case.severity == "may" and r.branch != baseline[i].branch)}
    want = PROOF[switches]
    unexpected = (changed - want) if switches not in CASCADING else set()
    detail = {i: f"{results[i].outcome}: {results[i].actual} {results[i].detail}"
              for i in (want - changed) | unexpected}
    where = _where(switches) if len(switches) == 1 else "server_under_test/quirks/together.py"
    assert want <= changed and not unexpected, (
        f"{'+'.join(switches)}: still passing: {sorted(want - changed)}; changed but not declared: "
        f"{sorted(unexpected)} (the declaration's breaks= is in {where}): {detail}")

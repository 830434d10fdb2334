"""The README's figures and option tables, checked against the code: a stale number fails here."""

from __future__ import annotations

import os
import re

from h1conform.catalog import load_cases
from h1conform.cli import build_parser
from h1conform.coverage import compute
from h1conform_server.quirks import QUIRKS

README = open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "README.md"),
              encoding="utf-8").read()
CASES = load_cases()


def _one(pattern: str) -> re.Match:
    found = list(re.finditer(pattern, README))
    assert len(found) == 1, f"README: expected one match of {pattern!r}, found {len(found)}"
    return found[0]


def test_case_and_coverage_figures():
    m = _one(r"Today: \*\*(\d+) cases; (\d+)/(\d+) `testable=yes` rows and (\d+)/(\d+) `partly` rows\*\*")
    cov = compute()
    assert int(m.group(1)) == len(CASES)
    assert (int(m.group(2)), int(m.group(3))) == cov.ratio("yes")
    assert (int(m.group(4)), int(m.group(5))) == cov.ratio("partly")


def test_smuggling_figure():
    m = _one(r"(\d+) cases tagged `smuggling`")
    assert int(m.group(1)) == sum("smuggling" in c.tags for c in CASES)


def test_quirk_figure():
    assert int(_one(r"\.\.\.; (\d+) in all:").group(1)) == len(QUIRKS)


def test_every_case_count_in_the_readme_is_the_current_one():
    for m in re.finditer(r"\b(?:all )?(\d+) cases\b(?! tagged)", README):
        if "h1conform: " in README[max(0, m.start() - 40):m.start()]:
            continue  # a sample terminal line from a run of a few cases
        assert int(m.group(1)) == len(CASES), f"README says {m.group(0)!r}"


def _flags(parser) -> set:
    return {s for a in parser._actions for s in a.option_strings}


def test_run_options_in_the_readme_exist():
    run = build_parser()._subparsers._group_actions[0].choices["run"]
    table = README.split("## Testing your server", 1)[1].split("Exit codes", 1)[0]
    documented = set(re.findall(r"`(--[a-z0-9-]+)", table))
    assert documented and documented <= _flags(run), documented - _flags(run)


def test_plugin_options_in_the_readme_exist(pytestconfig):
    section = README.split("### As a pytest plugin", 1)[1].split("###", 1)[0]
    documented = set(re.findall(r"`(--h1-[a-z0-9-]+)`", section))
    group = pytestconfig._parser.getgroup("h1conform")
    registered = {n for o in group.options for n in o.names()}
    assert documented == registered

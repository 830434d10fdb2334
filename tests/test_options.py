"""The suite's options are declared once (h1conform.options): `h1conform run --NAME` and the plugin's `--h1-NAME`
come from the same table, are checked by the same rule, and the command line hands its values to the plugin."""

from __future__ import annotations

import pytest
from h1conform.cli import build_parser
from h1conform.options import OPTIONS, plugin_args, problem


def _run_parser():
    parser = build_parser()
    return next(a for a in parser._actions if a.dest == "command").choices["run"]


def test_run_and_the_plugin_offer_the_same_options(pytestconfig):
    run = {s for a in _run_parser()._actions for s in a.option_strings}
    plugin = {s for o in OPTIONS for s in [f"--h1-{o.name}"] if hasattr(pytestconfig.option, f"h1_{o.dest}")}
    assert {f"--{o.name}" for o in OPTIONS if o.run} <= run
    assert plugin == {f"--h1-{o.name}" for o in OPTIONS}


def test_what_run_is_given_reaches_the_plugin_and_defaults_stay_out():
    args = _run_parser().parse_args(["--timeout", "0.5", "--select", "persist-*", "--select", "pipeline-*",
                                     "--strict", "--jobs", "4", "--json", "r.json"])
    assert plugin_args(args, leave_out=("json",)) == [
        "--h1-timeout", "0.5", "--h1-select", "persist-*", "--h1-select", "pipeline-*", "--h1-strict",
        "--h1-jobs", "4"]
    assert plugin_args(_run_parser().parse_args([])) == []


@pytest.mark.parametrize("argv, message", [(["--timeout", "0"], "--timeout must be a positive number"),
                                           (["--jobs", "-1"], "--jobs must be 0 (automatic) or more"),
                                           (["--level", "often"], "--level must be one of must, should, may"),
                                           (["--fail-on", "speed"], "--fail-on speed is not an impact")])
def test_one_rule_checks_both(argv, message):
    args = _run_parser().parse_args(argv)
    wrong = problem(lambda o: getattr(args, o.dest) if o.run else o.default, "")
    assert wrong is not None and wrong.startswith(message), wrong
    as_plugin = problem(lambda o: getattr(args, o.dest) if o.run else o.default, "h1-")
    assert as_plugin == "--h1-" + wrong[2:]

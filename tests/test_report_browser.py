"""The HTML report in a real browser (headless Chromium, skipped where it is not installed): it renders every case
after its script ran, and a filter works after a real click (the DevTools protocol over --remote-debugging-pipe)."""

from __future__ import annotations

import json
import subprocess

import pytest

from .devtools import BROWSER, DEADLINE_S, FLAGS, DevTools

pytestmark = pytest.mark.skipif(BROWSER is None, reason="no chromium (apt-get install chromium) to render the report")


def _case_ids(reports) -> list:
    return [c["id"] for c in json.loads(reports.path("json").read_text())["cases"]]


def test_chromium_renders_every_case(reports, tmp_path):
    r = subprocess.run([BROWSER, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
                        reports.path("html").as_uri()], capture_output=True, text=True, timeout=DEADLINE_S)
    assert r.returncode == 0, r.stderr[-2000:]
    dom = r.stdout
    assert 'data-ready="1"' in dom  # the script ran
    ids = _case_ids(reports)
    assert f'data-shown="{len(ids)}"' in dom and f"{len(ids)} of {len(ids)} cases shown" in dom
    missing = [i for i in ids if f'id="{i}"' not in dom]
    assert not missing


def test_an_outcome_filter_and_a_case_open_on_a_click(reports, tmp_path):
    report = json.loads(reports.path("json").read_text())
    fails = [c["id"] for c in report["cases"] if c["outcome"] == "fail"]
    assert fails and len(fails) < len(report["cases"])
    browser = DevTools(reports.path("html").as_uri(), str(tmp_path / "profile"))
    try:
        browser.attach()
        assert browser.until("document.body && document.body.dataset.ready", "1") == "1"
        browser.click("#filters button[data-outcome=fail]")
        assert browser.until("document.body.dataset.shown", str(len(fails))) == str(len(fails))
        shown = browser.evaluate("Array.prototype.filter.call(document.querySelectorAll('details.case'),"
                                 " function (e) { return !e.hidden; }).map(function (e) { return e.id; })")
        assert shown == fails
        browser.click(f"[id='{fails[0]}'] > summary")
        assert browser.until(f"document.getElementById('{fails[0]}').open", True) is True
        wire = browser.evaluate(f"document.getElementById('{fails[0]}').querySelector('pre.wire').innerText")
        assert "\\r\\n" in wire and "> GET " in wire
        browser.click("#filters button[data-outcome=fail]")  # again: every case
        assert browser.until("document.body.dataset.shown", str(len(report["cases"]))) == str(len(report["cases"]))
    finally:
        browser.close()

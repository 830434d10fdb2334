"""The HTML report in a real browser (headless Chromium, skipped where it is not installed): it renders every case
after its script ran, and a filter works after a real click (the DevTools protocol over --remote-debugging-pipe)."""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import time

import pytest

BROWSER = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no chromium (apt-get install chromium) to render the report")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
         "--disable-extensions", "--window-size=1200,900"]
DEADLINE_S = 60.0


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


class DevTools:
    """The Chrome DevTools protocol over the pipe (fd 3: commands in, fd 4: answers out, NUL-terminated JSON)."""

    def __init__(self, url: str, profile: str) -> None:
        cmd_r, self.cmd_w = os.pipe()
        self.resp_r, resp_w = os.pipe()

        def on_fds_3_and_4() -> None:  # in the child, before exec
            os.dup2(cmd_r, 3)
            os.dup2(resp_w, 4)

        self.proc = subprocess.Popen([BROWSER, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe", url],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     preexec_fn=on_fds_3_and_4, close_fds=False)
        os.close(cmd_r)
        os.close(resp_w)
        self.next_id, self.buffer = 0, b""
        self.deadline = time.monotonic() + DEADLINE_S
        self.session = None

    def call(self, method: str, **params):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if self.session and not method.startswith(("Target.", "Browser.")):
            msg["sessionId"] = self.session
        os.write(self.cmd_w, json.dumps(msg).encode() + b"\0")
        while True:
            while b"\0" not in self.buffer:
                left = self.deadline - time.monotonic()
                ready, _, _ = select.select([self.resp_r], [], [], max(0.0, left))
                assert ready, f"no answer to {method} before the deadline"
                data = os.read(self.resp_r, 1 << 20)
                assert data, f"the browser closed the pipe (waiting for {method})"
                self.buffer += data
            raw, self.buffer = self.buffer.split(b"\0", 1)
            answer = json.loads(raw)
            if answer.get("id") == self.next_id:
                assert "error" not in answer, answer
                return answer["result"]

    def evaluate(self, expression: str):
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def until(self, expression: str, want):
        """Poll an expression until it gives ``want`` (or the deadline passes); its last value."""
        value = None
        while time.monotonic() < self.deadline:
            value = self.evaluate(expression)
            if value == want:
                return value
            time.sleep(0.05)
        return value

    def click(self, selector: str) -> None:
        """A real mouse click (pressed and released) at the middle of the element."""
        self.evaluate(f"document.querySelector({json.dumps(selector)}).scrollIntoView({{block: 'center'}})")
        box = self.evaluate(f"(function(){{var r = document.querySelector({json.dumps(selector)})"
                            ".getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2];})()")
        x, y = box
        self.call("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (AssertionError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        os.close(self.cmd_w)
        os.close(self.resp_r)


def test_an_outcome_filter_and_a_case_open_on_a_click(reports, tmp_path):
    report = json.loads(reports.path("json").read_text())
    fails = [c["id"] for c in report["cases"] if c["outcome"] == "fail"]
    assert fails and len(fails) < len(report["cases"])
    browser = DevTools(reports.path("html").as_uri(), str(tmp_path / "profile"))
    try:
        page = None
        while page is None and time.monotonic() < browser.deadline:
            pages = [t for t in browser.call("Target.getTargets")["targetInfos"] if t["type"] == "page"]
            page = pages[0] if pages else time.sleep(0.05)
        assert page is not None, "no page in the browser"
        browser.session = browser.call("Target.attachToTarget", targetId=page["targetId"], flatten=True)["sessionId"]
        assert browser.until("document.body && document.body.dataset.ready", "1") == "1"
        browser.click("#filters button[data-outcome=fail]")
        assert browser.until("document.body.dataset.shown", str(len(fails))) == str(len(fails))
        shown = browser.evaluate("Array.prototype.filter.call(document.querySelectorAll('details.case'),"
                                 " function (e) { return !e.hidden; }).map(function (e) { return e.id; })")
        assert shown == fails
        browser.click(f"[id='{fails[0]}'] > summary")
        assert browser.until(f"document.getElementById('{fails[0]}').open", True) is True
        wire = browser.evaluate(f"document.getElementById('{fails[0]}').querySelector('pre.wire').innerText")
        assert "␍␊" in wire and "> GET " in wire
        browser.click("#filters button[data-outcome=fail]")  # again: every case
        assert browser.until("document.body.dataset.shown", str(len(report["cases"]))) == str(len(report["cases"]))
    finally:
        browser.close()

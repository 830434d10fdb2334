"""A small client of the Chrome DevTools protocol over ``--remote-debugging-pipe`` (no WebSocket library): the
report tests click in a real browser with it, and ``scripts/report_screenshots.py`` takes the docs' screenshots."""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import time

BROWSER = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
         "--disable-extensions", "--hide-scrollbars", "--window-size=1200,900"]
DEADLINE_S = 60.0


class DevTools:
    """The Chrome DevTools protocol over the pipe (fd 3: commands in, fd 4: answers out, NUL-terminated JSON)."""

    def __init__(self, url: str, profile: str) -> None:
        cmd_r, self.cmd_w = os.pipe()
        self.resp_r, resp_w = os.pipe()

        def on_fds_3_and_4() -> None:  # in the child, before exec: copies above 10 first, since the pipe's own
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (cmd_r, resp_w)]  # fds may be 3 or 4 already
            os.dup2(high[0], 3)  # (inheritable, unlike a dup2 of an fd onto itself)
            os.dup2(high[1], 4)

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

    def attach(self) -> None:
        """Attach to the browser's page (the URL it was started with)."""
        page = None
        while page is None and time.monotonic() < self.deadline:
            pages = [t for t in self.call("Target.getTargets")["targetInfos"] if t["type"] == "page"]
            page = pages[0] if pages else time.sleep(0.05)
        assert page is not None, "no page in the browser"
        self.session = self.call("Target.attachToTarget", targetId=page["targetId"], flatten=True)["sessionId"]

    def screenshot(self, path: str) -> None:
        with open(path, "wb") as fh:
            fh.write(base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"]))

"""Screenshots of an HTML report for docs/, from a real browser (headless Chromium over the DevTools pipe).

    h1conform run --target 127.0.0.1:PORT --html r.html
    python scripts/report_screenshots.py r.html docs/report-summary.png docs/report-failure.png [CASE-ID]

The first is the top of the report (the summary); the second shows only the failures, with one of them (CASE-ID,
or the first failure) opened at its transcript.  Run from the checkout (it uses tests/devtools.py).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import tempfile

_DEVTOOLS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "devtools.py")


def _devtools():
    """tests/devtools.py, loaded from its file (the tests are not an installed package)."""
    spec = importlib.util.spec_from_file_location("h1conform_devtools", _DEVTOOLS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv) -> int:
    html, summary_png, failure_png = argv[:3]
    with tempfile.TemporaryDirectory() as profile:
        browser = _devtools().DevTools("file://" + os.path.abspath(html), profile)
        try:
            browser.attach()
            assert browser.until("document.body && document.body.dataset.ready", "1") == "1"
            browser.screenshot(summary_png)
            case = argv[3] if len(argv) > 3 else browser.evaluate(
                "document.querySelector('details.case[data-outcome=fail]').id")
            browser.click("#filters button[data-outcome=fail]")
            browser.click(f"[id={json.dumps(case)}] > summary")
            browser.evaluate(f"document.getElementById({json.dumps(case)}).scrollIntoView()")
            browser.screenshot(failure_png)
        finally:
            browser.close()
    print(f"{summary_png}, {failure_png} ({case})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

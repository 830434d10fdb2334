"""The matrix as tables people read: Markdown (for docs/matrix.md and CI logs) and one self-contained HTML file,
plus a page per run with every case (rule, expected, actual, transcript) for the cells to link to."""

from __future__ import annotations

import html
import time
from collections import OrderedDict
from typing import Dict, List, Sequence

from . import expectations
from .cases import Case
from .catalog import load_cases
from .matrix import MatrixRun, expectations_path
from .report import version

WORD = {"pass": "pass", "fail": "**FAIL**", "warn": "*warn*", "info": "info", "inconclusive": "inconcl.",
        "skip": "skip", "error": "**ERROR**"}
COLOUR = {"pass": "#d7f5d7", "fail": "#f7c6c6", "warn": "#fbe6b0", "info": "#dde8f7", "inconclusive": "#eee",
          "skip": "#f6f6f6", "error": "#f0a0a0"}


def _columns(runs: Sequence[MatrixRun]) -> "OrderedDict[str, Dict[str, MatrixRun]]":
    cols: "OrderedDict[str, Dict[str, MatrixRun]]" = OrderedDict()
    for r in runs:
        cols.setdefault(r.server, {})[r.run] = r
    return cols


def _cell(by_run: Dict[str, MatrixRun], case: str) -> List[tuple]:
    """(run, outcome) for the runs of one server that ran this case; one entry when they agree."""
    seen = [(name, r.outcomes[case]) for name, r in by_run.items() if r.ran and case in r.outcomes]
    if len({o for _, o in seen}) == 1:
        return seen[:1]
    return seen


def _header_note(by_run: Dict[str, MatrixRun]) -> str:
    missing = [f"{name}: {r.missing}" for name, r in by_run.items() if not r.ran]
    return "; ".join(missing)


def _version(server: str) -> str:
    try:
        return expectations.load(expectations_path(server)).version
    except (OSError, ValueError):
        return "?"


def markdown(runs: Sequence[MatrixRun], *, links: bool = True, cases: Sequence[Case] = ()) -> str:
    cases = list(cases) or load_cases()
    cols = _columns(runs)
    versions = {server: _version(server) for server in cols}
    lines = [f"Written by `h1conform matrix` (h1conform {version()}, {time.strftime('%Y-%m-%d')}). Every FAIL, warn "
             "and error below is argued, with the RFC sentence it breaks, in `fixtures/expectations/<server>.toml`; "
             "`pytest -m matrix` checks each run against its file both ways.", "",
             "| server | version | run | pass | fail | warn | info | inconclusive | skip | error | wall |",
             "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for server, by_run in cols.items():
        for name, r in by_run.items():
            if r.ran:
                n = r.summary
                lines.append(f"| {server} | {versions[server]} | {name} | " + " | ".join(
                    str(n.get(k, 0)) for k in ("pass", "fail", "warn", "info", "inconclusive", "skip", "error"))
                    + f" | {r.wall_s:.0f} s |")
            else:
                lines.append(f"| {server} | {versions[server]} | {name} | not run: {r.missing} |||||||| |")
    lines += ["", "Each cell: the outcome without the echo endpoint / with it (one word when both agree).", ""]
    lines.append("| case | level | " + " | ".join(cols) + " |")
    lines.append("|---|---|" + "---|" * len(cols))
    for c in cases:
        cells = []
        for by_run in cols.values():
            parts = []
            for name, outcome in _cell(by_run, c.id):
                word = WORD.get(outcome, outcome)
                parts.append(f"[{word}]({by_run[name].name}.html#{c.id})" if links else word)
            cells.append(" / ".join(parts) or "-")
        lines.append(f"| `{c.id}` | {c.level} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


_STYLE = ("body{font:14px system-ui,sans-serif;margin:1em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
          "padding:2px 6px;text-align:left;vertical-align:top}th{position:sticky;top:0;background:#fff}"
          "a{color:inherit;text-decoration:none}pre{white-space:pre-wrap;background:#f6f6f6;padding:6px}"
          + "".join(f".o-{k}{{background:{v}}}" for k, v in COLOUR.items()))


def _page(title: str, body: str) -> str:
    return (f"<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><title>{html.escape(title)}</title>"
            f"<style>{_STYLE}</style></head><body>\n{body}\n</body></html>\n")


def matrix_html(runs: Sequence[MatrixRun], cases: Sequence[Case] = ()) -> str:
    cases = list(cases) or load_cases()
    cols = _columns(runs)
    head = "".join(f"<th title='{html.escape(_header_note(b))}'>{html.escape(s)}</th>" for s, b in cols.items())
    rows = []
    for c in cases:
        cells = []
        for by_run in cols.values():
            parts = [f"<a class='o-{o}' href='{by_run[name].name}.html#{c.id}'>{html.escape(o)}</a>"
                     for name, o in _cell(by_run, c.id)]
            cells.append("<td>" + " / ".join(parts) + "</td>")
        rows.append(f"<tr><td><code>{html.escape(c.id)}</code></td><td>{c.level}</td>{''.join(cells)}</tr>")
    missing = "".join(f"<li>{html.escape(r.name)}: {html.escape(r.missing)}</li>" for r in runs if not r.ran)
    body = ("<h1>h1conform matrix</h1><p>Each cell: the outcome without the echo endpoint / with it.</p>"
            + (f"<p>Not run:</p><ul>{missing}</ul>" if missing else "")
            + f"<table><tr><th>case</th><th>level</th>{head}</tr>\n" + "\n".join(rows) + "</table>")
    return _page("h1conform matrix", body)


def run_html(r: MatrixRun, cases: Sequence[Case] = ()) -> str:
    """Every case of one run, each under an anchor named by its id."""
    cases = list(cases) or load_cases()
    parts = [f"<h1>{html.escape(r.name)}</h1><p><a href='matrix.html'>the matrix</a></p>"]
    for c in cases:
        entry = r.cases.get(c.id)
        if entry is None:
            continue
        outcome = entry.get("observed", entry["outcome"])
        rows = [("outcome", outcome), ("level", c.level), ("section", c.section), ("rule", c.rule),
                ("requirements", ", ".join(c.requirements)), ("expected", entry.get("expected", "")),
                ("actual", entry.get("actual", "")), ("branch", entry.get("branch", "")),
                ("detail", entry.get("detail", ""))]
        table = "".join(f"<tr><th>{k}</th><td>{html.escape(str(v))}</td></tr>" for k, v in rows if v)
        transcript = entry.get("transcript")
        parts.append(f"<section id='{html.escape(c.id)}'><h2 class='o-{outcome}'>{html.escape(c.id)}</h2>"
                     f"<table>{table}</table>"
                     + (f"<pre>{html.escape(transcript)}</pre>" if transcript else "") + "</section>")
    return _page(r.name, "\n".join(parts))

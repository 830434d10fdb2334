"""The matrix as tables people read: Markdown (for docs/matrix.md and CI logs) and one self-contained HTML file,
plus a page per run with every case (rule, expected, actual, transcript) for the cells to link to."""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Dict, List, Sequence

from . import expectations
from .cases import Case
from .catalog import load_cases
from .matrix import MatrixRun, expectations_path
from .reports.htmlkit import esc, page, wire_html
from .reports.summary import version
from .wire import WireEvent

WORD = {"pass": "pass", "fail": "**FAIL**", "warn": "*warn*", "info": "info", "inconclusive": "inconcl.",
        "skip": "skip", "error": "**ERROR**"}


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


_STYLE = "th{position:sticky;top:0}a{text-decoration:none}"


def _page(title: str, body: str) -> str:
    return page(title, body, style=_STYLE)


def matrix_html(runs: Sequence[MatrixRun], cases: Sequence[Case] = ()) -> str:
    cases = list(cases) or load_cases()
    cols = _columns(runs)
    head = "".join(f"<th title='{esc(_header_note(b))}'>{esc(s)}</th>" for s, b in cols.items())
    rows = []
    for c in cases:
        cells = []
        for by_run in cols.values():
            parts = [f"<a class='o-{o}' href='{by_run[name].name}.html#{c.id}'>{esc(o)}</a>"
                     for name, o in _cell(by_run, c.id)]
            cells.append("<td>" + " / ".join(parts) + "</td>")
        rows.append(f"<tr><td><code>{esc(c.id)}</code></td><td>{c.level}</td>{''.join(cells)}</tr>")
    missing = "".join(f"<li>{esc(r.name)}: {esc(r.missing)}</li>" for r in runs if not r.ran)
    body = ("<h1>h1conform matrix</h1><p>Each cell: the outcome without the echo endpoint / with it.</p>"
            + (f"<p>Not run:</p><ul>{missing}</ul>" if missing else "")
            + f"<table><tr><th>case</th><th>level</th>{head}</tr>\n" + "\n".join(rows) + "</table>")
    return _page("h1conform matrix", body)


def _transcript(entry: dict) -> str:
    """The case's wire events (a report of version 2), or the text of a version 1 report."""
    transcript = entry.get("transcript")
    if isinstance(transcript, list):
        return wire_html(WireEvent.from_json(e) for e in transcript)
    return f"<pre>{esc(transcript)}</pre>" if transcript else ""


def run_html(r: MatrixRun, cases: Sequence[Case] = ()) -> str:
    """Every case of one run, each under an anchor named by its id."""
    cases = list(cases) or load_cases()
    parts = [f"<h1>{esc(r.name)}</h1><p><a href='matrix.html'>the matrix</a></p>"]
    for c in cases:
        entry = r.cases.get(c.id)
        if entry is None:
            continue
        outcome = entry.get("observed", entry["outcome"])
        rows = [("outcome", outcome), ("level", c.level), ("section", c.section), ("rule", c.rule),
                ("requirements", ", ".join(c.requirements)), ("expected", entry.get("expected", "")),
                ("actual", entry.get("actual", "")), ("branch", entry.get("branch", "")),
                ("detail", entry.get("detail", ""))]
        table = "".join(f"<tr><th>{k}</th><td>{esc(str(v))}</td></tr>" for k, v in rows if v)
        parts.append(f"<section id='{esc(c.id)}'><h2 class='o-{outcome}'>{esc(c.id)}</h2>"
                     f"<table>{table}</table>{_transcript(entry)}</section>")
    return _page(r.name, "\n".join(parts))

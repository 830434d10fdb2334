"""The HTML report: one self-contained file (inline CSS and script, no external resource) that people read.

A summary (counts by outcome, a chart, counts by level and by RFC section), filters (outcome buttons, level,
section, tag, free text over id, rule, requirements, expected and actual), then every case, collapsed: its rule,
requirement ids with the RFC sentence and a link to the section, expected and actual, the branch it chose, why it
was inconclusive or skipped, and its transcript with CR, LF and control bytes visible (:mod:`.htmlkit`).  Each case
is an element whose id is the case id: ``report.html#close-request-closes`` opens that case.  The links to
rfc-editor.org are plain anchors; nothing is loaded from anywhere.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Dict, List, Tuple

from ..cases import KNOWN_DEVIATION, LEVELS, Result
from ..impact import IMPACTS
from . import RunInfo
from .htmlkit import COLOUR, esc, page, wire_html
from .summary import counts, version

ORDER = ("fail", "error", KNOWN_DEVIATION, "warn", "inconclusive", "info", "pass", "skip")
RFC_URL = "https://www.rfc-editor.org/rfc/rfc{rfc}#section-{section}"

STYLE = """
header p{margin:.2em 0;color:#444}.o{display:inline-block;min-width:7em;padding:1px 6px;border-radius:3px}
#filters{position:sticky;top:0;background:#fff;padding:6px 0;border-bottom:1px solid #ccc;z-index:1}
#filters button{font:inherit;border:1px solid #999;border-radius:3px;padding:2px 8px;margin:2px;cursor:pointer}
#filters button[aria-pressed=true]{outline:2px solid #000}
.case{border-bottom:1px solid #eee;scroll-margin-top:5em}.case>summary{cursor:pointer;padding:3px 0}
.case>summary code{font-weight:bold}.case .lv,.case .sec{color:#555;margin:0 .4em}
.case .body{margin:0 0 1em 2em}.case dt{font-weight:bold;margin-top:.4em}.case dd{margin-left:1em}
blockquote{margin:.2em 0 .2em 1em;color:#333;font-style:italic}
.bar{display:flex;height:14px;min-width:200px}.bar span{display:block;height:100%}
#sections td:last-child{width:40%}
"""

SCRIPT = r"""
(function () {
  var cases = Array.prototype.slice.call(document.querySelectorAll('details.case'));
  var state = {outcome: ''};
  function value(id) { return document.getElementById(id).value; }
  function apply() {
    var level = value('flevel'), impact = value('fimpact'), section = value('fsection'), tag = value('ftag');
    var text = value('ftext').trim().toLowerCase(), shown = 0;
    cases.forEach(function (el) {
      var d = el.dataset;
      var ok = (!state.outcome || d.outcome === state.outcome) && (!level || d.level === level)
        && (!impact || d.impact === impact)
        && (!section || d.section === section) && (!tag || (' ' + d.tags + ' ').indexOf(' ' + tag + ' ') >= 0)
        && (!text || d.text.indexOf(text) >= 0);
      el.hidden = !ok;
      if (ok) shown++;
    });
    document.getElementById('shown').textContent = shown + ' of ' + cases.length + ' cases shown';
    document.body.dataset.shown = shown;
  }
  document.querySelectorAll('#filters button[data-outcome]').forEach(function (b) {
    b.addEventListener('click', function () {
      state.outcome = state.outcome === b.dataset.outcome ? '' : b.dataset.outcome;
      document.querySelectorAll('#filters button[data-outcome]').forEach(function (o) {
        o.setAttribute('aria-pressed', String(o.dataset.outcome === state.outcome));
      });
      apply();
    });
  });
  ['flevel', 'fimpact', 'fsection', 'ftag', 'ftext'].forEach(function (id) {
    document.getElementById(id).addEventListener('input', apply);
  });
  function openHash() {
    var el = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (el && el.tagName === 'DETAILS') { el.hidden = false; el.open = true; el.scrollIntoView(); }
  }
  window.addEventListener('hashchange', openHash);
  apply();
  openHash();
  document.body.dataset.ready = '1';
})();
"""


def _rfc_link(section: str) -> str:
    rfc, _, sec = section.replace("RFC ", "").partition(" §")
    return RFC_URL.format(rfc=rfc, section=sec)


def _requirements() -> Dict[str, object]:
    try:
        from ..catalog import requirements

        return requirements()
    except Exception:  # a case of a project's own, or an install without the fixtures: ids without their sentence
        return {}


def _chart(n: Dict[str, int]) -> Tuple[str, str]:
    """The outcomes as one stacked bar (SVG), with a legend."""
    total = sum(n.values()) or 1
    x, rects, legend = 0.0, [], []
    for k in ORDER:
        if n.get(k):
            w = 1000 * n[k] / total
            rects.append(f"<rect x='{x:.1f}' y='0' width='{w:.1f}' height='28' fill='{COLOUR[k]}' stroke='#888'>"
                         f"<title>{k}: {n[k]}</title></rect>")
            x += w
    for k in ORDER:
        legend.append(f"<button type=button class='o o-{k}' data-outcome='{k}' aria-pressed=false>{k} "
                      f"<b>{n.get(k, 0)}</b></button>")
    svg = (f"<svg role=img aria-label='outcomes' viewBox='0 0 1000 28' width='100%' height='28' "
           f"preserveAspectRatio='none'>{''.join(rects)}</svg>")
    return svg, "".join(legend)


def _bar(c: Counter) -> str:
    total = sum(c.values()) or 1
    return "<div class=bar>" + "".join(
        f"<span class='o-{k}' style='width:{100 * c[k] / total:.1f}%' title='{k}: {c[k]}'></span>"
        for k in ORDER if c.get(k)) + "</div>"


def _table(rows: Dict[str, Counter], first: str, table_id: str, bars: bool = False) -> str:
    head = "".join(f"<th class='o-{k}'>{k}</th>" for k in ORDER)
    body = "".join(f"<tr><td>{esc(name)}</td>" + "".join(f"<td>{c.get(k, 0) or ''}</td>" for k in ORDER)
                   + (f"<td>{_bar(c)}</td>" if bars else "") + "</tr>" for name, c in rows.items())
    return (f"<table id={table_id}><tr><th>{first}</th>{head}" + ("<th></th>" if bars else "") + f"</tr>{body}"
            "</table>")


def _summary(results: List[Result], run: RunInfo) -> str:
    n = counts(results)
    svg, legend = _chart(n)
    by_level = {lv: Counter(r.reported for r in results if r.case.level == lv) for lv in LEVELS}
    by_level = {k: v for k, v in by_level.items() if v}
    by_impact = {i: Counter(r.reported for r in results if r.case.impact == i) for i in IMPACTS}
    by_impact = {k: v for k, v in by_impact.items() if v}
    by_section: Dict[str, Counter] = {}
    for r in sorted(results, key=lambda r: r.case.section_key):
        by_section.setdefault(r.case.section, Counter())[r.reported] += 1
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(run.started)) if run.started else "?"
    cal = run.calibration.summary() if run.calibration is not None else "no calibration"
    return (f"<header><h1>h1conform report</h1><p>{len(results)} cases against <b>{esc(run.target or '?')}</b>"
            f", {when}, {run.duration_s:.1f} s (h1conform {esc(version())})</p><p>{esc(cal)}</p></header>"
            f"<section id=summary><h2>Summary</h2>{svg}"
            f"<h3>By level</h3>{_table(by_level, 'level', 'levels')}"
            f"<h3>By impact</h3>{_table(by_impact, 'impact', 'impacts')}"
            f"<details><summary>By RFC section ({len(by_section)})</summary>"
            f"{_table(by_section, 'section', 'sections', bars=True)}</details></section>"), legend


def _select(select_id: str, label: str, options) -> str:
    opts = "".join(f"<option value='{esc(o)}'>{esc(o)}</option>" for o in options)
    return f"<label>{label} <select id={select_id}><option value=''>all</option>{opts}</select></label> "


def _filters(results: List[Result], legend: str) -> str:
    sections = sorted({r.case.section for r in results}, key=lambda s: (s.split(" §")[0], [
        int(p) if p.isdigit() else 0 for p in s.split(" §")[-1].split(".")]))
    levels = [lv for lv in LEVELS if any(r.case.level == lv for r in results)]
    tags = sorted({t for r in results for t in r.case.tags})
    impacts = [i for i in IMPACTS if any(r.case.impact == i for r in results)]
    return (f"<section id=filters>{legend}<br>{_select('flevel', 'level', levels)}"
            f"{_select('fimpact', 'impact', impacts)}"
            f"{_select('fsection', 'section', sections)}{_select('ftag', 'tag', tags)}"
            "<label>text <input id=ftext type=search placeholder='id, rule, requirement, actual...'></label> "
            "<span id=shown></span></section>")


def _case(r: Result, reqs: Dict[str, object]) -> str:
    c = r.case
    items = [("rule", esc(c.rule))]
    quotes = []
    for rid in c.requirements:
        req = reqs.get(rid)
        quote = f"<blockquote>{esc(req.anchor)}</blockquote>" if req is not None and req.anchor else ""
        quotes.append(f"<code>{esc(rid)}</code>{quote}")
    items.append(("requirements", "".join(f"<div>{q}</div>" for q in quotes)
                  + f"<a href='{esc(_rfc_link(c.section))}'>{esc(c.section)}</a>"))
    for name, value in (("expected", r.expected), ("actual", r.actual)):
        if value:
            items.append((name, esc(value)))
    if r.branch:
        items.append(("chose", f"<b>{esc(r.branch)}</b>: {esc(c.accepted.get(r.branch, ''))}"))
    if r.detail:
        items.append(("why inconclusive" if r.outcome == "inconclusive" else r.outcome, esc(r.detail)))
    if r.remedy:
        items.append(("to decide it", esc(r.remedy)))
    if r.deviation:
        items.append(("known deviation", f"{esc(r.deviation)} (observed: {esc(r.outcome)})"))
    items.append(("impact", esc(c.impact)))
    if c.tags:
        items.append(("tags", esc(", ".join(c.tags))))
    items.append(("duration", f"{r.duration_s:.3f} s"))
    wire = wire_html(r.wire) or "<p>no transcript (the case opened no connection)</p>"
    text = " ".join((c.id, c.rule, *c.requirements, r.expected, r.actual, r.branch, r.detail)).lower()
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in items)
    return (f"<details class=case id='{esc(c.id)}' data-outcome='{r.reported}' data-level='{esc(c.level)}' "
            f"data-impact='{esc(c.impact)}' data-section='{esc(c.section)}' data-tags='{esc(' '.join(c.tags))}' "
            f"data-text='{esc(text)}'>"
            f"<summary><span class='o o-{r.reported}'>{r.reported}</span> <code>{esc(c.id)}</code>"
            f"<span class=lv>{esc(c.level)}</span><span class=sec>{esc(c.section)}</span>{esc(c.rule)}</summary>"
            f"<div class=body><dl>{dl}</dl><h4>transcript</h4>{wire}</div></details>")


def report_html(results: List[Result], run: RunInfo) -> str:
    reqs = _requirements()
    rank = {k: i for i, k in enumerate(ORDER)}
    shown = sorted(results, key=lambda r: (rank[r.reported], r.case.section_key, r.case.id))
    summary, legend = _summary(results, run)
    body = (summary + _filters(results, legend) + "<main id=cases>\n"
            + "\n".join(_case(r, reqs) for r in shown) + "\n</main>"
            + "<noscript><p>The filters need JavaScript; every case is above.</p></noscript>")
    return page(f"h1conform report: {run.target or '?'}", body, style=STYLE, script=SCRIPT)


def write(path: str, results: List[Result], run: RunInfo) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(report_html(results, run))

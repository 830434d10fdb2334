"""What every HTML page of h1conform shares (the HTML report, the matrix tables and run pages): the page around a
body, the outcome colours, escaping, and the wire rendered with its control bytes visible.

Pages are self-contained: inline CSS (and script), no external resource.  Everything that comes from a target or a
case is escaped here; bytes are shown as they were: printable ASCII as itself, CR as ``\\r``, LF as ``\\n`` (the
line then breaks), TAB as ``\\t``, any other byte as ``\\xHH``, each of those marked (class ``c``, bold red) so that
a stray CR or NUL is seen at once.  (ASCII escapes rather than ␍ ␊: every monospace font has them.)
"""

from __future__ import annotations

import html
import re
from typing import Iterable

COLOUR = {"pass": "#d7f5d7", "fail": "#f7c6c6", "warn": "#fbe6b0", "info": "#dde8f7", "inconclusive": "#eee",
          "skip": "#f6f6f6", "error": "#f0a0a0", "known-deviation": "#e6d8f2"}
STYLE = ("body{font:14px system-ui,sans-serif;margin:1em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
         "padding:2px 6px;text-align:left;vertical-align:top}th{background:#fff}"
         "a{color:inherit}pre{white-space:pre-wrap;word-break:break-all;background:#f6f6f6;padding:6px}"
         "pre .c{color:#b00;font-weight:bold}pre .send{color:#024}pre .recv{color:#240}pre .meta{color:#777}"
         + "".join(f".o-{k}{{background:{v}}}" for k, v in COLOUR.items()))
_CONTROL = re.compile(r"\r\n|[^\x20-\x7e]")
_SHOW = {"\r\n": "<span class=c>\\r\\n</span>\n", "\r": "<span class=c>\\r</span>",
         "\n": "<span class=c>\\n</span>\n", "\t": "<span class=c>\\t</span>"}
ARROW = {"send": ">", "recv": "<"}


def esc(value) -> str:
    return html.escape(str(value), quote=True)


def page(title: str, body: str, *, style: str = "", script: str = "") -> str:
    return (f"<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><title>{esc(title)}</title>"
            f"<meta name=viewport content='width=device-width'><style>{STYLE}{style}</style></head><body>\n{body}\n"
            + (f"<script>{script}</script>\n" if script else "") + "</body></html>\n")


def _control(m: re.Match) -> str:
    ch = m.group(0)
    return _SHOW.get(ch) or "<span class=c>\\x%02x</span>" % ord(ch)


def show_bytes(data: bytes) -> str:
    """Bytes as HTML, control bytes visible (LF ends a line)."""
    text = html.escape(data.decode("latin-1"), quote=False)
    return _CONTROL.sub(_control, text)


def wire_html(events: Iterable) -> str:
    """A case's wire events (h1conform.wire.WireEvent) as one ``<pre>``: connection, time, direction, bytes."""
    lines = []
    for e in events:
        head = f"#{e.conn} {e.t:8.3f} "
        if e.dir in ARROW:
            pad = "\n" + " " * (len(head) + 2)
            body = show_bytes(e.data).rstrip("\n").replace("\n", pad)
            cut = f"<span class=meta> … {e.truncated} more bytes not kept</span>" if e.truncated else ""
            lines.append(f"<span class={e.dir}>{head}{ARROW[e.dir]} {body}</span>{cut}")
        else:
            note = f" ({esc(e.note)})" if e.note else ""
            lines.append(f"<span class=meta>{head}= {esc(e.dir)}{note}</span>")
    return "<pre class=wire>" + "\n".join(lines) + "</pre>" if lines else ""

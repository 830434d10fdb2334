"""What a broken case puts at risk: its *impact*, beside its RFC level, decided here and nowhere else.

The RFC level says how strongly the RFC asks for a behaviour; the impact says what goes wrong when a server does
not behave so, for someone who puts it behind (or in front of) another HTTP parser:

``desync``     two parsers could disagree on where a message ends (request smuggling, response splitting or
               queue poisoning): the framing of RFC 9112 §6-7, where a line or the head ends (§2.2), what hides a
               Content-Length or Transfer-Encoding field (§5.1, §5.2), a body read before it has all arrived,
               and which response answers which request on a persistent connection.
``injection``  a parser could read a different request than the one meant: field names and values (CTL, NUL,
               obs-text), the request-line, the request-target and Host.
``dos``        the server could be made to spend unbounded memory or time, or to stop serving: limits.
``none``       interoperability only.

The rule reads what the case probes (its tags, then its RFC section), in this order, first match wins:

1. :data:`OVERRIDES`, where the rule below is wrong for one case (each with its reason);
2. a tag of :data:`DESYNC_TAGS` -> ``desync``;
3. a section of :data:`DESYNC_SECTIONS` (or under one) -> ``desync``;
4. a tag of :data:`INJECTION_TAGS` -> ``injection``;
5. a tag of :data:`DOS_TAGS` or a section of :data:`DOS_SECTIONS` -> ``dos``;
6. ``none``.

It needs only a case's ``id``, ``tags`` and ``section`` (a :class:`h1conform.cases.Case`), and imports nothing
of h1conform, so that :mod:`.cases` can use it.
"""

from __future__ import annotations

from typing import Dict, Tuple

IMPACTS = ("desync", "injection", "dos", "none")
#: the values ``--fail-on`` takes (``none`` is never a danger)
FAIL_ON_CHOICES = IMPACTS[:-1]

DESYNC_TAGS = frozenset({
    "desync", "cl-te", "te-obfuscation", "content-length", "chunk-size", "chunk-framing", "chunk-ext",
    "trailers", "method-bodies", "missing-length", "line-endings", "pipelining",
    # a response before the whole head or body has arrived: the rest is read as another request
    "partial-reads",
})
#: framing: message parsing and line ends (9112 §2.2), whitespace before the colon and obs-fold (§5.1, §5.2: how
#: a Content-Length or Transfer-Encoding field is hidden), message body length (§6) and transfer codings (§7),
#: Content-Length (9110 §8.6)
DESYNC_SECTIONS = ("RFC 9112 §2.2", "RFC 9112 §5.1", "RFC 9112 §5.2", "RFC 9112 §6", "RFC 9112 §7",
                   "RFC 9110 §8.6")
INJECTION_TAGS = frozenset({"field-values", "field-names", "request-line", "request-target", "target", "host"})
DOS_TAGS = frozenset({"limits"})
DOS_SECTIONS = ("RFC 9110 §5.4",)  # field limits

#: case id -> (impact, why the rule above is wrong for it)
OVERRIDES: Dict[str, Tuple[str, str]] = {
    "no-content-ends-at-head": ("desync", "content after a 204 head is read as the next response"),
    "not-modified-ends-at-head": ("desync", "content after a 304 head is read as the next response"),
    "head-no-content": ("desync", "content after a HEAD response's head is read as the next response"),
    "smuggle-http09-request": ("desync", "an HTTP/0.9 answer has no head: a 1.x client cannot tell where it ends"),
    "absolute-form-host-ignored": ("injection", "which host a request is for when its target and Host disagree"),
    "content-length-when-known": ("none", "asks for Content-Length when known; without it chunked or close frames"),
    "chunk-ext-huge-refused": ("dos", "an unbounded chunk extension buffered, not where the chunk ends"),
    "request-target-too-long-414": ("dos", "a request-target the server must bound, not parse differently"),
    "method-too-long-501": ("dos", "a method longer than any known: the server must bound what it buffers"),
    "range-many-overlapping-guarded": ("dos", "many overlapping ranges amplify the response (CVE-2011-3192)"),
    "range-huge-number-handled": ("dos", "a range number beyond 2^64 must not crash the server (5xx)"),
    "oversized-input-then-still-serving": ("dos", "whether the server still serves after oversized input"),
}


def _under(section: str, prefixes) -> bool:
    return any(section == p or section.startswith(p + ".") for p in prefixes)


def impact_of(case) -> str:
    """The impact of ``case`` (one of :data:`IMPACTS`), by the rule of this module."""
    if case.id in OVERRIDES:
        return OVERRIDES[case.id][0]
    tags = set(case.tags)
    if tags & DESYNC_TAGS or _under(case.section, DESYNC_SECTIONS):
        return "desync"
    if tags & INJECTION_TAGS:
        return "injection"
    if tags & DOS_TAGS or _under(case.section, DOS_SECTIONS):
        return "dos"
    return "none"


def parse_fail_on(values) -> frozenset:
    """``--fail-on`` values (repeatable, each a comma list) as a set; a ValueError names a wrong one."""
    chosen = {v.strip().lower() for value in values for v in value.split(",") if v.strip()}
    wrong = sorted(chosen - set(FAIL_ON_CHOICES))
    if wrong:
        raise ValueError(f"{', '.join(wrong)} is not an impact; choose among {', '.join(FAIL_ON_CHOICES)}")
    return frozenset(chosen)

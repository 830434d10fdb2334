"""RFC 9112 §2.2, §5, §5.1, §5.2 and RFC 9110 §5.5: field lines and line endings (smuggling classes 8-10).

Line endings: a bare CR never ends a line (reject, or read it as SP); a bare
LF MAY end the start-line and field lines (both choices conform, recorded).
Field values: CR, LF or NUL inside are rejected or replaced by SP; obs-text
(0x80-0xFF, including 0x85 and 0xA0 that Unicode-aware code strips) is data.
Field names: whitespace before the colon is a MUST-400; a whitespace-preceded
first line is rejected or ignored; non-token names, empty names and lines
without a colon are grammar errors (400); obs-fold is rejected or unfolded to SP.
"""

from __future__ import annotations

import re

from h1conform.smuggling import Family, register


def header(name: str):
    """Echo check: the request's field ``name`` (if present) as the server read it."""
    def values(data: dict):
        return [v for n, v in data.get("headers", []) if n.lower() == name.lower()]
    return values


def has_value(name: str, *allowed: str):
    get = header(name)
    return lambda data: all(v in allowed for v in get(data)) and bool(get(data))


def unfolded(name: str):
    """RFC 9112 §5.2: a recipient MAY "replace each received obs-fold with one or more SP octets": ``a``, then one
    or more SP (a kept HTAB beside them changes nothing in how the value reads), then ``b``."""
    get = header(name)
    return lambda data: bool(get(data)) and all(re.fullmatch(r"a[ \t]+b", v) and " " in v for v in get(data))


def lacks(name: str):
    get = header(name)
    return lambda data: not get(data)


GET = dict(method=b"GET")
VARIANTS = []

# -- class 8: line endings ------------------------------------------------------------------------------
lf = Family("line-endings", ("9112-2.2-r2",), allow=frozenset({"rejected", "zero"}),
            extra=GET)
VARIANTS += [
    # with no CRLF at all, a server that does not take LF for a line end ("MAY recognize") has no request-line
    # yet: it may wait for the rest of an incomplete request (RFC 9112 §8), and no byte is read as a request
    lf("smuggle-bare-lf-everywhere", (), b"", "bare LF line ends may be accepted or rejected (recorded)",
       raw_head=b"GET {path} HTTP/1.1\nHost: {host}\nX-A: 1\n\n", allow=frozenset({"rejected", "zero", "stalled"})),
    lf("smuggle-bare-lf-request-line", (), b"", "a bare LF after the request-line may be accepted or rejected",
       raw_head=b"GET {path} HTTP/1.1\nHost: {host}\r\n\r\n"),
    lf("smuggle-bare-lf-one-field", (), b"", "a bare LF after one field line may be accepted or rejected",
       raw_head=b"GET {path} HTTP/1.1\r\nHost: {host}\nX-A: 1\r\n\r\n"),
]
cr = Family("line-endings", ("9112-2.2-r3",), allow=frozenset({"rejected"}), extra=GET)
RULE_CR = "a bare CR is never a line end: the element is invalid (400) or the CR reads as SP"
VARIANTS += [
    cr("smuggle-bare-cr-request-line-end", (), b"", RULE_CR, raw_head=b"GET {path} HTTP/1.1\rHost: {host}\r\n\r\n"),
    cr("smuggle-bare-cr-field-line-end", (), b"", RULE_CR + " (a hidden Content-Length after a bare CR)",
       raw_head=b"POST {path} HTTP/1.1\r\nHost: {host}\r\nX-A: 1\rContent-Length: 5\r\n\r\nhello"),
    cr("smuggle-bare-cr-head-end", (), b"", RULE_CR + " (a head ended by CRLF CR then X)",
       raw_head=b"GET {path} HTTP/1.1\r\nHost: {host}\r\n\rX-A: 1\r\n\r\n"),
    Family("line-endings", ("9112-2.2-r3",), allow=frozenset({"rejected", "zero"}), extra=GET)(
        "smuggle-bare-cr-in-value", [b"X-A: a\rb"], b"", RULE_CR + " (CR inside a value: 400 or read as SP)",
        echo_ok=has_value("X-A", "a b")),
]

# -- class 9: field values -------------------------------------------------------------------------------
ctl = Family("field-values", ("9110-5.5-r3",), allow=frozenset({"rejected", "zero"}), extra=GET)
RULE_CTL = "CR, LF or NUL inside a field value: reject, or replace each with SP"
VARIANTS += [
    ctl("smuggle-value-nul", [b"X-A: a\x00b"], b"", RULE_CTL, echo_ok=has_value("X-A", "a b")),
    Family("field-values", ("9110-5.5-r4",), allow=frozenset({"rejected", "zero"}),
           extra=GET)(
        "smuggle-value-ctl-01", [b"X-A: a\x01b"], b"", "other CTLs in values may be rejected or kept (recorded)"),
    Family("field-values", ("9110-5.5-r4",), allow=frozenset({"rejected", "zero"}),
           extra=GET)(
        "smuggle-value-del", [b"X-A: a\x7fb"], b"", "DEL in a value may be rejected or kept (recorded)"),
]
obs = Family("field-values", ("9110-5.5-r2",), allow=frozenset({"zero"}), extra=GET)
RULE_OBS = "obs-text (0x80-0xFF) in a value is opaque data, kept as it is"
VARIANTS += [
    obs("smuggle-value-obs-text-latin1", [b"X-A: caf\xe9"], b"", RULE_OBS, echo_ok=has_value("X-A", "caf\xe9")),
    obs("smuggle-value-nel-kept", [b"X-A: a\x85"], b"", RULE_OBS + " (0x85 is not whitespace)",
        echo_ok=has_value("X-A", "a\x85")),
    obs("smuggle-value-nbsp-kept", [b"X-A: \xa0a"], b"", RULE_OBS + " (0xA0 is not whitespace)",
        echo_ok=has_value("X-A", "\xa0a")),
    Family("field-values", ("9112-2.2-r1",), allow=frozenset({"zero", "rejected"}), extra=GET)(
        "smuggle-value-utf8-line-separator", [b"X-A: a\xe2\x80\xa8X-B: b"], b"",
        "octets, not Unicode: U+2028 in UTF-8 never ends a line (no field X-B appears)", echo_ok=lacks("X-B")),
]

# -- class 10: field names ---------------------------------------------------------------------------------
ws = Family("field-names", ("9112-5.1-r1",), extra=GET)
RULE_WS = "whitespace between a field name and the colon gets 400"
VARIANTS += [
    ws("smuggle-name-space-before-colon-host", [], b"", RULE_WS + " (Host : x)",
       raw_head=b"GET {path} HTTP/1.1\r\nHost : {host}\r\n\r\n"),
    ws("smuggle-name-space-before-colon", [b"X-A : 1"], b"", RULE_WS),
    ws("smuggle-name-tab-before-colon-cl", [b"Content-Length\t: 5"], b"hello", RULE_WS + " (Content-Length<HTAB>:)",
       method=b"POST"),
]
indented = Family("field-names", ("9112-2.2-r7",), allow=frozenset({"rejected", "zero"}), extra=GET)
RULE_INDENT = "a whitespace-preceded line right after the request-line: reject, or ignore that line entirely"
VARIANTS += [
    indented("smuggle-name-indented-first-line", (), b"", RULE_INDENT, echo_ok=lacks("X-Probe"),
             raw_head=b"GET {path} HTTP/1.1\r\n X-Probe: 1\r\nHost: {host}\r\n\r\n"),
    indented("smuggle-name-tab-indented-first-line", (), b"", RULE_INDENT, echo_ok=lacks("X-Probe"),
             raw_head=b"GET {path} HTTP/1.1\r\n\tX-Probe: 1\r\nHost: {host}\r\n\r\n"),
]
name = Family("field-names", ("9112-5-r1",), extra=GET)
RULE_NAME = "a field line that is not token \":\" value is a grammar error: 400"
VARIANTS += [
    name(f"smuggle-name-{n}", [line], b"", RULE_NAME)
    for n, line in [("no-colon", b"X-A 1"), ("empty", b": x"), ("at-sign", b"X@A: 1"), ("inner-space", b"X A: 1"),
                    ("nul", b"X\x00A: 1"), ("del", b"X\x7fA: 1"), ("non-ascii", b"X\xe9: 1"), ("slash", b"X/A: 1")]
]
fold = Family("field-names", ("9112-5.2-r2",), allow=frozenset({"rejected", "zero"}), extra=GET)
RULE_FOLD = "obs-fold in a request: reject with 400, or replace each fold by SP"
VARIANTS += [
    fold("smuggle-fold-value", [b"X-A: a", b" b"], b"", RULE_FOLD, echo_ok=unfolded("X-A")),
    fold("smuggle-fold-tab", [b"X-A: a", b"\tb"], b"", RULE_FOLD + " (HTAB)", echo_ok=unfolded("X-A")),
    fold("smuggle-fold-content-length", [b"Content-Length: 1", b" 0"], b"0123456789", RULE_FOLD +
         " (Content-Length: 1 folded onto 0 unfolds to '1 0': invalid, 400)", method=b"POST",
         allow=frozenset({"rejected"}), cl_body=b"0123456789"),
]
# -- request cases (issue 14): near-misses of Content-Length's name -------------------------------------------
VARIANTS += [
    # HTAB and 0x85 are no tchar: the line is not field-name ":" (RFC 9110 §5.1 field-name = token); read as
    # Content-Length (HTAB as "-", 0x85 stripped as Unicode whitespace) it would frame a body
    name("smuggle-name-tab-inside-cl", [b"Content\tLength: 5"], b"hello", RULE_NAME + " (Content<HTAB>Length)",
         method=b"POST", cl_body=b"hello"),
    name("smuggle-name-nel-after-cl", [b"Content-Length\x85: 5"], b"hello", RULE_NAME + " (Content-Length<0x85>:)",
         method=b"POST", cl_body=b"hello"),
    name("smuggle-name-colon-only", [b":"], b"", RULE_NAME + " (a line that is only a colon)"),
    # Content_Length is a valid token, so an unknown field: RFC 9110 §5.1 "Other recipients SHOULD ignore
    # unrecognized header and trailer fields"; the GET has no body, and read as Content-Length: 5 it would take
    # the next request's first octets (or wait for them).  Refusing it (400, whether the connection is kept or not:
    # the GET has no body to leave unread) reads nothing as a body either.  What is judged is the framing (the echo
    # shows an empty body and the follow-up is answered), not the name the echo shows: CGI and WSGI carry both
    # Content_Length and Content-Length as HTTP_CONTENT_LENGTH, so an echo behind them cannot tell the two apart.
    Family("field-names", ("9110-5.1-r2",), allow=frozenset({"zero", "rejected", "rejected-open"}), extra=GET)(
        "smuggle-cl-underscore-name", [b"Content_Length: 5"], b"",
        "Content_Length is an unknown field, ignored: the GET has no body"),
]

register(globals(), VARIANTS)

"""The strict layer: what h11 tolerates in a response and a sender must not generate.

h11 is a robust *recipient*: it accepts bare LF line ends, obs-fold, whitespace
after a chunk size, Content-Length together with Transfer-Encoding and a
lower-case ``http/1.1``.  A conformance suite judges the *sender*, so each of
those is a finding here, named with the requirement it breaks.  Findings are
data; cases decide which ones their rule is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Sequence, Tuple

from . import grammar


@dataclass(frozen=True)
class Finding:
    requirement: str  # id in fixtures/spec/requirements.tsv
    what: str  # short description naming the offending bytes




def check_head(head: bytes) -> List[Finding]:
    """Check one raw response head: status line, field lines, terminating empty line."""
    findings: List[Finding] = []
    for m in grammar.bare_cr_re.finditer(head):
        findings.append(Finding("9112-2.2-r4", f"bare CR at offset {m.start()} of the header section"))
        break
    for m in grammar.bare_lf_re.finditer(head):
        findings.append(Finding("9110-2.2-r1", f"bare LF (no CR) at offset {m.start()} of the header section"))
        break
    if not head.endswith(b"\r\n\r\n"):
        findings.append(Finding("9110-2.2-r1", "header section does not end with CRLF CRLF"))
    lines = re.split(rb"\r?\n", head)
    while lines and lines[-1] == b"":
        lines.pop()
    if not lines:
        return findings + [Finding("9112-4-r2", "empty response head")]
    status, fields = lines[0], lines[1:]
    if not grammar.status_line_re.fullmatch(status):
        if re.fullmatch(grammar.HTTP_VERSION + grammar.SP + grammar.STATUS_CODE, status):
            findings.append(Finding("9112-4-r1", f"no SP after the status code: {status!r}"))
        else:
            findings.append(Finding("9112-4-r2", f"status line does not match the grammar: {status!r}"))
    if fields and fields[0][:1] in (b" ", b"\t"):
        findings.append(Finding("9112-2.2-r6", f"whitespace between the status line and the first field: {fields[0]!r}"))
        fields = fields[1:]
    for line in fields:
        if line[:1] in (b" ", b"\t"):
            findings.append(Finding("9112-5.2-r1", f"obs-fold (line folding) in a response field: {line!r}"))
        elif not grammar.field_line_re.fullmatch(line):
            findings.append(Finding("9110-2.2-r1", f"field line does not match the grammar: {line!r}"))
    return findings


def check_fields(headers: Sequence[Tuple[bytes, bytes]]) -> List[Finding]:
    """Field-level rules on the parsed (name, value) pairs of one response."""
    findings: List[Finding] = []
    names = [n.lower() for n, _ in headers]
    if b"content-length" in names and b"transfer-encoding" in names:
        findings.append(Finding("9112-6.2-r1", "Content-Length sent together with Transfer-Encoding"))
    lengths = [v for n, v in headers if n.lower() == b"content-length"]
    for value in lengths:
        if not grammar.content_length_re.fullmatch(value):
            findings.append(Finding("9110-2.2-r1", f"Content-Length value is not 1*DIGIT: {value!r}"))
    if len(lengths) > 1:
        findings.append(Finding("9110-5.3-r1", f"Content-Length sent {len(lengths)} times"))
    for single in (b"date", b"content-type", b"etag", b"location", b"last-modified"):
        if names.count(single) > 1:
            findings.append(Finding("9110-5.3-r1", f"{single.decode()} sent {names.count(single)} times"))
    codings = [c.strip().lower() for n, v in headers if n.lower() == b"transfer-encoding"
               for c in v.split(b",") if c.strip()]
    if codings.count(b"chunked") > 1:
        findings.append(Finding("9112-6.1-r2", "chunked applied more than once"))
    return findings


def check_chunked(raw: bytes) -> List[Finding]:
    """Scan a raw chunked body (from after the head to the end of the trailer section)."""
    findings: List[Finding] = []
    pos = 0
    while pos < len(raw):
        m = grammar.chunk_line_re.match(raw, pos)
        if not m:
            line_end = raw.find(b"\n", pos)
            line = raw[pos:line_end + 1 if line_end >= 0 else len(raw)]
            findings.append(Finding("9110-2.2-r1", f"chunk-size line does not match the grammar: {line[:80]!r}"))
            return findings
        size = int(m.group("chunk_size"), 16)
        pos = m.end()
        if size == 0:
            break
        pos += size
        if raw[pos:pos + 2] != b"\r\n":
            findings.append(Finding("9110-2.2-r1", f"chunk data not followed by CRLF: {raw[pos:pos + 8]!r}"))
            return findings
        pos += 2
    # trailer section: field lines then CRLF
    trailer = raw[pos:]
    if trailer and not trailer.endswith(b"\r\n"):
        findings.append(Finding("9110-2.2-r1", f"trailer section does not end with CRLF: {trailer[-8:]!r}"))
    for line in trailer.split(b"\r\n"):
        if line and not grammar.field_line_re.fullmatch(line):
            findings.append(Finding("9110-2.2-r1", f"trailer field line does not match the grammar: {line!r}"))
    return findings

"""The strict walk of the reference request parser: one request's raw bytes against the grammar.

:mod:`h1conform.reference_request` runs this walk beside h11 on every request of a stream; the walk decides
what h11 tolerates and the RFC does not (its rule ids are listed there), and it finds where each message ends.
Every rule comes from :mod:`h1conform.grammar`.  :func:`target_parts` is the reference's reading of a
request-target, for those who need its authority or path (the fuzzers' oracles).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Tuple

from . import grammar

__all__ = ["Fields", "Rejected", "Incomplete", "Walk", "walk_message", "valid_host", "check_target", "target_parts"]

Fields = List[Tuple[bytes, bytes]]


class Rejected(Exception):
    """The request breaks the rule *rule* (see :mod:`h1conform.reference_request`); a server answers *status*."""

    def __init__(self, rule: str, detail: str, status: int = 400) -> None:
        super().__init__(detail)
        self.rule, self.detail, self.status = rule, detail, status


class Incomplete(Exception):
    """The stream ends inside the request."""


def valid_host(value: bytes, *, require_host: bool, authority_form: bool = False) -> bool:
    m = (grammar.authority_form_re if authority_form else grammar.host_re).fullmatch(value)
    if m is None:
        return False
    port = m.group("port")
    # RFC 9110 §4.2.1: an http(s) authority with an empty host is invalid; the Host value is that
    # authority, and an empty value (no authority, RFC 9112 §3.2) is the only host-less form.
    if (require_host or port is not None) and not m.group("host"):
        return False
    return not port or int(port) <= 65535


def check_target(method: bytes, target: bytes) -> None:
    if method == b"CONNECT":  # RFC 9112 §3.2.3: authority-form = uri-host ":" port, CONNECT only
        if not valid_host(target, require_host=True, authority_form=True):
            raise Rejected("target", "CONNECT needs authority-form")
        return
    if target == b"*":  # RFC 9112 §3.2.4: asterisk-form, OPTIONS only
        if method != b"OPTIONS":
            raise Rejected("target", "asterisk-form without OPTIONS")
        return
    if target.startswith(b"/"):
        if not grammar.origin_form_re.fullmatch(target):
            raise Rejected("target", "invalid origin-form")
        return
    m = grammar.absolute_form_re.fullmatch(target)
    if m is None:
        raise Rejected("target", "not origin-form nor absolute-form http(s)")
    authority = m.group("authority")
    if b"@" in authority:  # RFC 9110 §4.2.4: userinfo is an error
        raise Rejected("target", "userinfo in absolute-form")
    if not valid_host(authority, require_host=True):  # RFC 9110 §4.2.1: empty host MUST be rejected
        raise Rejected("target", "invalid authority in absolute-form")


def target_parts(target: bytes) -> Tuple[bytes, bytes]:
    """(authority, path) of a request-target as the reference reads it: origin-form ``(b"", path)``,
    absolute-form ``(authority, path)`` (``/`` for an empty path), authority-form ``(target, b"")``,
    asterisk-form ``(b"", b"*")``.  The query is left out; the target need not be valid."""
    if target.startswith(b"/") or target == b"*":
        return b"", target.split(b"?", 1)[0]
    if b"://" not in target:
        return target, b""
    rest = target.split(b"://", 1)[1]
    ends = [i for i in (rest.find(b"/"), rest.find(b"?")) if i >= 0]
    authority = rest[: min(ends)] if ends else rest
    return authority, rest[len(authority):].split(b"?", 1)[0] or b"/"


@dataclass
class Walk:
    method: bytes = b""
    target: bytes = b""
    version: Tuple[int, int] = (1, 1)
    headers: Fields = field(default_factory=list)
    trailers: Fields = field(default_factory=list)
    body_length: int = 0
    end: int = 0


def line_at(data: bytes, start: int) -> Tuple[bytes, int]:
    """The line at *start* without its CRLF, and the offset after it."""
    lf = data.find(b"\n", start)
    if lf < 0:
        raise Incomplete()
    if lf == start or data[lf - 1] != 13:
        raise Rejected("bare-lf", f"line ending in LF without CR at offset {lf}")
    line = data[start : lf - 1]
    if b"\r" in line:
        raise Rejected("bare-cr", "bare CR at offset %d" % (start + line.index(b"\r")))
    return line, lf + 1


def field_section(data: bytes, pos: int, limits, first: bool) -> Tuple[Fields, int]:
    """Field lines up to and including the empty line; returns (fields, offset after it)."""
    start, fields = pos, []
    while True:
        try:
            line, nxt = line_at(data, pos)
        except Incomplete:
            if limits is not None and len(data) - start > limits.max_header_bytes:
                raise Rejected("limit-header-bytes", "field section too large", 431) from None
            raise
        if limits is not None and nxt - start > limits.max_header_bytes:
            raise Rejected("limit-header-bytes", "field section too large", 431)
        if not line:
            return fields, nxt
        pos = nxt
        if line[:1] in (b" ", b"\t"):
            if first and not fields:
                raise Rejected("ws-before-field", "whitespace-preceded line before the first field")
            raise Rejected("obs-fold", "obs-fold (line folding)")
        m = grammar.field_line_re.fullmatch(line)
        if m is None:
            raise Rejected("field-line", f"field line does not match the grammar: {line[:60]!r}")
        fields.append((m.group("field_name"), m.group("field_value")))
        if limits is not None and len(fields) > limits.max_header_fields:
            raise Rejected("limit-header-fields", "too many field lines", 431)


def transfer_codings(values: List[bytes]) -> List[bytes]:
    """RFC 9110 §5.6.1 list of transfer-coding names (empty elements allowed; parameters make it non-chunked)."""
    names = []
    for element in b",".join(values).split(b","):
        element = element.strip(b" \t")
        if not element:
            continue
        if not grammar.token_re.fullmatch(element):  # a token, or a coding with parameters: not one we implement
            names.append(b"?" + element)
        else:
            names.append(element.lower())
    return names


def walk_head(data: bytes, pos: int, limits) -> Walk:
    w = Walk()
    try:
        line, nxt = line_at(data, pos)
    except Incomplete:
        if limits is not None and len(data) - pos > limits.max_request_line + 1:
            raise Rejected("limit-request-line", "request-line too long", 414) from None
        raise
    if limits is not None and len(line) > limits.max_request_line:
        raise Rejected("limit-request-line", "request-line too long", 414)
    m = grammar.request_line_re.fullmatch(line)
    if m is None or not grammar.token_re.fullmatch(m.group("method")) or not m.group("target"):
        raise Rejected("request-line", f"request-line does not match the grammar: {line[:60]!r}")
    vm = grammar.http_version_re.fullmatch(m.group("version"))
    if vm is None:
        raise Rejected("request-line", f"invalid HTTP-version {m.group('version')[:20]!r}")
    if vm.group("major") != b"1":
        raise Rejected("version", "HTTP major version is not 1", 505)
    w.method, w.target = m.group("method"), m.group("target")
    w.version = (1, 0) if vm.group("minor") == b"0" else (1, 1)
    check_target(w.method, w.target)
    w.headers, w.end = field_section(data, nxt, limits, first=True)

    by_name: dict = {}
    for name, value in w.headers:
        by_name.setdefault(name.lower(), []).append(value)
    hosts = by_name.get(b"host", [])
    if len(hosts) > 1:
        raise Rejected("host", "more than one Host field")
    if not hosts and w.version >= (1, 1):
        raise Rejected("host", "HTTP/1.1 request without Host")
    if hosts and not valid_host(hosts[0], require_host=False):
        raise Rejected("host", f"invalid Host value {hosts[0][:40]!r}")
    te, cl = by_name.get(b"transfer-encoding"), by_name.get(b"content-length")
    if te is not None:
        if w.version < (1, 1):
            raise Rejected("te-http10", "Transfer-Encoding in an HTTP/1.0 request")
        if cl is not None:
            raise Rejected("cl-te", "both Content-Length and Transfer-Encoding")
        codings = transfer_codings(te)
        if not codings or codings[-1] != b"chunked":
            raise Rejected("te", "final transfer coding is not chunked")
        if b"chunked" in codings[:-1]:
            raise Rejected("te", "chunked applied more than once")
        if len(codings) > 1:
            raise Rejected("te", "unsupported transfer coding", 501)
        w.body_length = -1
    elif cl is not None:
        if len(cl) > 1:
            raise Rejected("content-length", "more than one Content-Length field line")
        if not grammar.content_length_re.fullmatch(cl[0]):
            raise Rejected("content-length", f"Content-Length is not 1*DIGIT: {cl[0][:30]!r}")
        w.body_length = int(cl[0])
        if limits is not None and w.body_length > limits.max_body:
            raise Rejected("limit-body", "body larger than the limit", 413)
    return w


def walk_chunked(data: bytes, pos: int, limits, w: Walk) -> bytes:
    body = bytearray()
    while True:
        lf = data.find(b"\n", pos)
        if limits is not None:
            max_line = 16 + limits.max_chunk_ext  # without CRLF
            if (lf < 0 and len(data) - pos > max_line + 1) or (lf >= 0 and lf - 1 - pos > max_line):
                raise Rejected("limit-chunk-line", "chunk-size line too long")
        line, nxt = line_at(data, pos)
        m = grammar.chunk_line_re.fullmatch(line + b"\r\n")
        if m is None:
            raise Rejected("chunk-line", f"chunk-size line does not match the grammar: {line[:40]!r}")
        size_digits, ext = m.group("chunk_size"), m.group("chunk_ext")
        if len(size_digits.lstrip(b"0")) > 16:
            raise Rejected("limit-chunk-size", "chunk size has more than 16 significant digits")
        if limits is not None and len(ext) > limits.max_chunk_ext:
            raise Rejected("limit-chunk-ext", "chunk extensions too long")
        size = int(size_digits, 16)
        if limits is not None and len(body) + size > limits.max_body:
            raise Rejected("limit-body", "body larger than the limit", 413)
        pos = nxt
        if size == 0:
            w.trailers, w.end = field_section(data, pos, limits, first=False)
            return bytes(body)
        chunk = data[pos : pos + size]
        body += chunk
        pos += len(chunk)
        if len(chunk) < size:
            raise Incomplete()
        crlf = data[pos : pos + 2]
        if crlf != b"\r\n"[: len(crlf)]:
            raise Rejected("chunk-crlf", "chunk data not followed by CRLF")
        if len(crlf) < 2:
            raise Incomplete()
        pos += 2


def walk_message(data: bytes, pos: int, limits) -> Tuple[Walk, bytes]:
    w = walk_head(data, pos, limits)
    if w.body_length < 0:
        return w, walk_chunked(data, w.end, limits, w)
    body = data[w.end : w.end + w.body_length]
    if len(body) < w.body_length:
        raise Incomplete()
    w.end += w.body_length
    return w, body

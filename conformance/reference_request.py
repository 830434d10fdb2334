"""The reference *request* parser: h11 in SERVER role plus a strict layer.

h11 frames each request and gives its values (method, target, fields, body,
trailers).  Like :mod:`h1conform.strict` for responses, the strict layer
walks the raw bytes with the pieces of :mod:`h1conform.grammar` and rejects
what h11 tolerates from a client, each rejection named by a rule id:

==================  ===========================================================
rule                why (what h11 alone would accept)
==================  ===========================================================
bare-lf             RFC 9112 §2.2: a recipient MAY accept LF alone as a line
                    terminator; h11 does, a desync vector behind a proxy, so we
                    take the other branch and reject.
bare-cr             RFC 9112 §2.2: a bare CR MUST be rejected or replaced by SP.
request-line        RFC 9112 §3: method SP request-target SP HTTP-version, one
                    SP each; HTTP-name is case-sensitive (``http/1.1`` is bad).
version             RFC 9110 §6.2 / §15.6.6: major != 1 is rejected (h11 takes
                    any ``HTTP/d.d``); 1.x with x >= 1 is processed as 1.1.
target              RFC 9112 §3.2: the four request-target forms with their
                    RFC 3986 grammar (h11 takes any run of VCHAR).  We model an
                    *origin server*: absolute-form only for http/https without
                    userinfo (RFC 9110 §4.2.4), authority-form only with
                    CONNECT, asterisk-form only with OPTIONS.
ws-before-field     RFC 9112 §2.2: whitespace between the request-line and the
                    first field line: reject (h11: "continuation line").
obs-fold            RFC 9112 §5.2: a server MAY reject obs-fold; h11 unfolds.
field-line          RFC 9112 §5 / RFC 9110 §5.5: name ":" OWS value OWS; no
                    whitespace before the colon (§5.1, MUST 400), no CTL in the
                    value (h11's ``[^\\x00\\s]`` lets \\x01-\\x08, \\x7f through).
host                RFC 9112 §3.2: 1.1 without Host, more than one Host, or an
                    invalid value (uri-host [":" port]) MUST be a 400.
content-length      RFC 9110 §8.6 / RFC 9112 §6.3: exactly one field line of
                    1*DIGIT.  ``5, 5`` and a repeated line are lists a sender
                    MUST NOT generate; the recipient MAY accept them, we reject.
cl-te               RFC 9112 §6.3 (3): a server MAY reject CL + TE; we do
                    (h11 silently lets TE win).
te-http10           RFC 9112 §6.1: TE in an HTTP/1.0 request is faulty framing.
te                  RFC 9112 §6.3 (4): final coding not chunked is a 400;
                    §6.1: chunked only once; any other coding is not
                    implemented (501, RFC 9112 §6.1 SHOULD).
chunk-line          RFC 9112 §7.1: ``chunk-size [ chunk-ext ] CRLF`` with the
                    chunk-ext grammar (h11: whitespace after the size, and any
                    bytes after a ";").
chunk-crlf          RFC 9112 §7.1: chunk-data is followed by CRLF.
incomplete          RFC 9112 §8: the connection closed inside a message.
limit-*             the documented limits of the server (``Limits``), applied
                    only when limits are given: request-line octets without
                    CRLF; field-section octets up to and including the empty
                    line (trailer sections too); field lines; decoded body
                    octets; chunk-ext octets; significant chunk-size digits
                    (16); chunk-size line octets (16 + max_chunk_ext).
h11:<message>       h11 refused what the strict walk allowed (see
                    docs/fuzzing.md: these are h11 being stricter than the RFC).
==================  ===========================================================

The strict walk and h11 must agree on where each message ends and on the
field values; if they do not, :class:`ReferenceInconsistency` is raised (a bug
in the reference, which the fuzzers report like any other).

Leading empty lines (CRLF) before a request-line are skipped, as RFC 9112 §2.2
says a server SHOULD (h11 refuses them: "no request line received").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

import h11
from h1conform import grammar

__all__ = ["RefLimits", "Request", "Rejection", "Outcome", "ReferenceInconsistency", "parse_stream"]

Fields = List[Tuple[bytes, bytes]]


@dataclass(frozen=True)
class RefLimits:
    """The same knobs as ``h1conform_server.parser.Limits`` (any object with these attributes works)."""

    max_request_line: int = 8192
    max_header_bytes: int = 64 * 1024
    max_header_fields: int = 100
    max_body: int = 10 * 1024 * 1024
    max_chunk_ext: int = 4096


@dataclass(frozen=True)
class Request:
    method: bytes
    target: bytes
    version: Tuple[int, int]  # (1, 0) or (1, 1): 1.x, x >= 1, is processed as 1.1
    headers: Fields  # original-case names, values without OWS
    body: bytes = b""
    trailers: Fields = field(default_factory=list)
    start: int = 0  # offsets of the message in the stream (after skipped empty lines)
    end: int = 0

    def key(self) -> tuple:
        return (self.method, self.target, self.version, tuple(self.headers), self.body, tuple(self.trailers))

    @property
    def closes(self) -> bool:
        """After this request the connection need not persist (Connection: close, or HTTP/1.0)."""
        opts = {t.strip(b" \t").lower() for n, v in self.headers if n.lower() == b"connection" for t in v.split(b",")}
        return b"close" in opts or self.version < (1, 1)


@dataclass(frozen=True)
class Rejection:
    rule: str  # see the module docstring
    status: int  # what a server would answer (400, 413, 414, 431, 501, 505)
    detail: str
    index: int  # which request in the stream (0-based)
    offset: int  # where that request starts


@dataclass
class Outcome:
    requests: List[Request]
    rejection: Optional[Rejection] = None
    pending: bool = False  # eof=False and the stream ends inside a message

    @property
    def accepted(self) -> bool:
        return self.rejection is None

    def key(self) -> tuple:
        return (tuple(r.key() for r in self.requests), self.rejection is None)


class ReferenceInconsistency(AssertionError):
    """h11 and the strict walk disagree about a message both accepted."""


class _Reject(Exception):
    def __init__(self, rule: str, detail: str, status: int = 400) -> None:
        super().__init__(detail)
        self.rule, self.detail, self.status = rule, detail, status


class _Incomplete(Exception):
    pass


# -- grammar: RFC 3986 pieces for request-target and Host (RFC 9112 §3.2, RFC 9110 §7.2) -------------
UNRESERVED = rb"[A-Za-z0-9\-._~]"
PCT_ENCODED = rb"%" + grammar.HEXDIG + grammar.HEXDIG
SUB_DELIMS = rb"[!$&'()*+,;=]"
# pchar = unreserved / pct-encoded / sub-delims / ":" / "@"
PCHAR = rb"(?:" + UNRESERVED + rb"|" + PCT_ENCODED + rb"|" + SUB_DELIMS + rb"|[:@])"
# query = *( pchar / "/" / "?" )
QUERY = rb"(?:" + PCHAR + rb"|[/?])*"
# absolute-path = 1*( "/" segment ); origin-form = absolute-path [ "?" query ]
ORIGIN_FORM = rb"(?:/" + PCHAR + rb"*)+(?:\?" + QUERY + rb")?"
# path-abempty = *( "/" segment )
PATH_ABEMPTY = rb"(?:/" + PCHAR + rb"*)*"
# dec-octet / IPv4address
DEC_OCTET = rb"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]|[0-9])"
IPV4 = DEC_OCTET + rb"(?:\." + DEC_OCTET + rb"){3}"
H16 = grammar.HEXDIG + rb"{1,4}"
LS32 = rb"(?:" + H16 + rb":" + H16 + rb"|" + IPV4 + rb")"


def _h16s(n: int) -> bytes:  # n times ( h16 ":" )
    return rb"(?:" + H16 + rb":){%d}" % n


def _pre(n: int) -> bytes:  # [ *n( h16 ":" ) h16 ]
    return rb"(?:(?:" + H16 + rb":){0,%d}" % n + H16 + rb")?" if n >= 0 else b""


# RFC 3986 §3.2.2 IPv6address, the nine alternatives verbatim (no zone identifier: RFC 6874 is not part of HTTP)
IPV6 = rb"(?:" + rb"|".join([
    _h16s(6) + LS32,
    rb"::" + _h16s(5) + LS32,
    rb"(?:" + H16 + rb")?::" + _h16s(4) + LS32,
    _pre(1) + rb"::" + _h16s(3) + LS32,
    _pre(2) + rb"::" + _h16s(2) + LS32,
    _pre(3) + rb"::" + H16 + rb":" + LS32,
    _pre(4) + rb"::" + LS32,
    _pre(5) + rb"::" + H16,
    _pre(6) + rb"::",
]) + rb")"
IPVFUTURE = rb"v" + grammar.HEXDIG + rb"+\.(?:" + UNRESERVED + rb"|" + SUB_DELIMS + rb"|:)+"
IP_LITERAL = rb"\[(?:" + IPV6 + rb"|" + IPVFUTURE + rb")\]"
REG_NAME = rb"(?:" + UNRESERVED + rb"|" + PCT_ENCODED + rb"|" + SUB_DELIMS + rb")*"
URI_HOST = rb"(?:" + IP_LITERAL + rb"|" + REG_NAME + rb")"  # IPv4address is a reg-name, syntactically
# port = *DIGIT; an origin server takes it as a TCP port: at most 5 digits, <= 65535 (checked after)
PORT = grammar.DIGIT + rb"{0,5}"

_host_re = re.compile(rb"(?P<host>" + URI_HOST + rb")(?::(?P<port>" + PORT + rb"))?")
_authority_re = re.compile(rb"(?P<host>" + URI_HOST + rb"):(?P<port>" + grammar.DIGIT + rb"{1,5})")
_absolute_re = re.compile(rb"(?i:https?)://(?P<authority>[^/?#]*)" + PATH_ABEMPTY + rb"(?:\?" + QUERY + rb")?")
_origin_re = re.compile(ORIGIN_FORM)
_method_re = re.compile(grammar.TOKEN)
_request_line_re = re.compile(
    rb"(?P<method>[^ ]*) (?P<target>[^ ]*) (?P<version>[^ ]*)"
)
_version_re = re.compile(grammar.HTTP_VERSION)
_field_line_re = grammar.field_line_re
_chunk_line_re = grammar.chunk_line_re
_digits_re = grammar.content_length_re


def _valid_host(value: bytes, *, require_host: bool, authority_form: bool = False) -> bool:
    m = (_authority_re if authority_form else _host_re).fullmatch(value)
    if m is None:
        return False
    port = m.group("port")
    # RFC 9110 §4.2.1: an http(s) authority with an empty host is invalid; the Host value is that
    # authority, and an empty value (no authority, RFC 9112 §3.2) is the only host-less form.
    if (require_host or port is not None) and not m.group("host"):
        return False
    return not port or int(port) <= 65535


def _check_target(method: bytes, target: bytes) -> None:
    if method == b"CONNECT":  # RFC 9112 §3.2.3: authority-form = uri-host ":" port, CONNECT only
        if not _valid_host(target, require_host=True, authority_form=True):
            raise _Reject("target", "CONNECT needs authority-form")
        return
    if target == b"*":  # RFC 9112 §3.2.4: asterisk-form, OPTIONS only
        if method != b"OPTIONS":
            raise _Reject("target", "asterisk-form without OPTIONS")
        return
    if target.startswith(b"/"):
        if not _origin_re.fullmatch(target):
            raise _Reject("target", "invalid origin-form")
        return
    m = _absolute_re.fullmatch(target)
    if m is None:
        raise _Reject("target", "not origin-form nor absolute-form http(s)")
    authority = m.group("authority")
    if b"@" in authority:  # RFC 9110 §4.2.4: userinfo is an error
        raise _Reject("target", "userinfo in absolute-form")
    if not _valid_host(authority, require_host=True):  # RFC 9110 §4.2.1: empty host MUST be rejected
        raise _Reject("target", "invalid authority in absolute-form")


# -- the strict walk ---------------------------------------------------------------------------------
@dataclass
class _Walk:
    method: bytes = b""
    target: bytes = b""
    version: Tuple[int, int] = (1, 1)
    headers: Fields = field(default_factory=list)
    trailers: Fields = field(default_factory=list)
    body_length: int = 0
    end: int = 0


def _line(data: bytes, start: int) -> Tuple[bytes, int]:
    """The line at *start* without its CRLF, and the offset after it."""
    lf = data.find(b"\n", start)
    if lf < 0:
        raise _Incomplete()
    if lf == start or data[lf - 1] != 13:
        raise _Reject("bare-lf", f"line ending in LF without CR at offset {lf}")
    line = data[start : lf - 1]
    if b"\r" in line:
        raise _Reject("bare-cr", "bare CR at offset %d" % (start + line.index(b"\r")))
    return line, lf + 1


def _field_section(data: bytes, pos: int, limits, first: bool) -> Tuple[Fields, int]:
    """Field lines up to and including the empty line; returns (fields, offset after it)."""
    start, fields = pos, []
    while True:
        try:
            line, nxt = _line(data, pos)
        except _Incomplete:
            if limits is not None and len(data) - start > limits.max_header_bytes:
                raise _Reject("limit-header-bytes", "field section too large", 431) from None
            raise
        if limits is not None and nxt - start > limits.max_header_bytes:
            raise _Reject("limit-header-bytes", "field section too large", 431)
        if not line:
            return fields, nxt
        pos = nxt
        if line[:1] in (b" ", b"\t"):
            if first and not fields:
                raise _Reject("ws-before-field", "whitespace-preceded line before the first field")
            raise _Reject("obs-fold", "obs-fold (line folding)")
        m = _field_line_re.fullmatch(line)
        if m is None:
            raise _Reject("field-line", f"field line does not match the grammar: {line[:60]!r}")
        fields.append((m.group("field_name"), m.group("field_value")))
        if limits is not None and len(fields) > limits.max_header_fields:
            raise _Reject("limit-header-fields", "too many field lines", 431)


def _transfer_codings(values: List[bytes]) -> List[bytes]:
    """RFC 9110 §5.6.1 list of transfer-coding names (empty elements allowed; parameters make it non-chunked)."""
    names = []
    for element in b",".join(values).split(b","):
        element = element.strip(b" \t")
        if not element:
            continue
        if not _method_re.fullmatch(element):  # a token, or a coding with parameters: not one we implement
            names.append(b"?" + element)
        else:
            names.append(element.lower())
    return names


def _walk_head(data: bytes, pos: int, limits) -> _Walk:
    w = _Walk()
    try:
        line, nxt = _line(data, pos)
    except _Incomplete:
        if limits is not None and len(data) - pos > limits.max_request_line + 1:
            raise _Reject("limit-request-line", "request-line too long", 414) from None
        raise
    if limits is not None and len(line) > limits.max_request_line:
        raise _Reject("limit-request-line", "request-line too long", 414)
    m = _request_line_re.fullmatch(line)
    if m is None or not _method_re.fullmatch(m.group("method")) or not m.group("target"):
        raise _Reject("request-line", f"request-line does not match the grammar: {line[:60]!r}")
    vm = _version_re.fullmatch(m.group("version"))
    if vm is None:
        raise _Reject("request-line", f"invalid HTTP-version {m.group('version')[:20]!r}")
    if vm.group("major") != b"1":
        raise _Reject("version", "HTTP major version is not 1", 505)
    w.method, w.target = m.group("method"), m.group("target")
    w.version = (1, 0) if vm.group("minor") == b"0" else (1, 1)
    _check_target(w.method, w.target)
    w.headers, w.end = _field_section(data, nxt, limits, first=True)

    by_name: dict = {}
    for name, value in w.headers:
        by_name.setdefault(name.lower(), []).append(value)
    hosts = by_name.get(b"host", [])
    if len(hosts) > 1:
        raise _Reject("host", "more than one Host field")
    if not hosts and w.version >= (1, 1):
        raise _Reject("host", "HTTP/1.1 request without Host")
    if hosts and not _valid_host(hosts[0], require_host=False):
        raise _Reject("host", f"invalid Host value {hosts[0][:40]!r}")
    te, cl = by_name.get(b"transfer-encoding"), by_name.get(b"content-length")
    if te is not None:
        if w.version < (1, 1):
            raise _Reject("te-http10", "Transfer-Encoding in an HTTP/1.0 request")
        if cl is not None:
            raise _Reject("cl-te", "both Content-Length and Transfer-Encoding")
        codings = _transfer_codings(te)
        if not codings or codings[-1] != b"chunked":
            raise _Reject("te", "final transfer coding is not chunked")
        if b"chunked" in codings[:-1]:
            raise _Reject("te", "chunked applied more than once")
        if len(codings) > 1:
            raise _Reject("te", "unsupported transfer coding", 501)
        w.body_length = -1
    elif cl is not None:
        if len(cl) > 1:
            raise _Reject("content-length", "more than one Content-Length field line")
        if not _digits_re.fullmatch(cl[0]):
            raise _Reject("content-length", f"Content-Length is not 1*DIGIT: {cl[0][:30]!r}")
        w.body_length = int(cl[0])
        if limits is not None and w.body_length > limits.max_body:
            raise _Reject("limit-body", "body larger than the limit", 413)
    return w


def _walk_chunked(data: bytes, pos: int, limits, w: _Walk) -> bytes:
    body = bytearray()
    while True:
        lf = data.find(b"\n", pos)
        if limits is not None:
            max_line = 16 + limits.max_chunk_ext  # without CRLF
            if (lf < 0 and len(data) - pos > max_line + 1) or (lf >= 0 and lf - 1 - pos > max_line):
                raise _Reject("limit-chunk-line", "chunk-size line too long")
        line, nxt = _line(data, pos)
        m = _chunk_line_re.fullmatch(line + b"\r\n")
        if m is None:
            raise _Reject("chunk-line", f"chunk-size line does not match the grammar: {line[:40]!r}")
        size_digits, ext = m.group("chunk_size"), m.group("chunk_ext")
        if len(size_digits.lstrip(b"0")) > 16:
            raise _Reject("limit-chunk-size", "chunk size has more than 16 significant digits")
        if limits is not None and len(ext) > limits.max_chunk_ext:
            raise _Reject("limit-chunk-ext", "chunk extensions too long")
        size = int(size_digits, 16)
        if limits is not None and len(body) + size > limits.max_body:
            raise _Reject("limit-body", "body larger than the limit", 413)
        pos = nxt
        if size == 0:
            w.trailers, w.end = _field_section(data, pos, limits, first=False)
            return bytes(body)
        chunk = data[pos : pos + size]
        body += chunk
        pos += len(chunk)
        if len(chunk) < size:
            raise _Incomplete()
        crlf = data[pos : pos + 2]
        if crlf != b"\r\n"[: len(crlf)]:
            raise _Reject("chunk-crlf", "chunk data not followed by CRLF")
        if len(crlf) < 2:
            raise _Incomplete()
        pos += 2


def _walk_message(data: bytes, pos: int, limits) -> Tuple[_Walk, bytes]:
    w = _walk_head(data, pos, limits)
    if w.body_length < 0:
        return w, _walk_chunked(data, w.end, limits, w)
    body = data[w.end : w.end + w.body_length]
    if len(body) < w.body_length:
        raise _Incomplete()
    w.end += w.body_length
    return w, body


# -- h11 ---------------------------------------------------------------------------------------------
def _h11_message(data: bytes, pos: int, eof: bool):
    """One request with a fresh h11 SERVER connection: (Request, body, trailers, end offset)."""
    conn = h11.Connection(h11.SERVER, max_incomplete_event_size=len(data) + 1)
    conn.receive_data(data[pos:])
    if eof:
        conn.receive_data(b"")
    req, body, trailers = None, bytearray(), []
    while True:
        event = conn.next_event()
        if isinstance(event, h11.Request):
            req = event
        elif isinstance(event, h11.Data):
            body += event.data
        elif isinstance(event, h11.EndOfMessage):
            trailers = _raw_headers(event)
            break
        else:  # NEED_DATA / PAUSED / ConnectionClosed before the end: the walk said complete
            raise ReferenceInconsistency(f"h11 stopped with {event!r} where the strict walk saw a whole message")
    end = len(data) - len(conn.trailing_data[0])
    assert req is not None
    return req, bytes(body), trailers, end


_H11_RULES = (
    ("Only Transfer-Encoding: chunked is supported", "h11:te-only-chunked"),
    ("multiple Transfer-Encoding headers", "h11:te-multiple"),
    ("illegal chunk header", "h11:chunk-header"),
    ("bad Content-Length", "h11:content-length"),
    ("conflicting Content-Length headers", "h11:cl-conflict"),
)


def _h11_rule(message: str) -> str:
    for prefix, rule in _H11_RULES:
        if message.startswith(prefix):
            return rule
    return "h11:other"


def _raw_headers(event) -> Fields:
    return [(bytes(n), bytes(v)) for n, v in event.headers.raw_items()]


def _folded(fields: Fields) -> Fields:
    # h11 lower-cases the Transfer-Encoding value and reduces a Content-Length list to one value (in
    # trailer sections too): compare case-folded, Content-Length as its set of list elements
    return [(n.lower(), b",".join(sorted({e.strip() for e in v.split(b",")})) if n.lower() == b"content-length"
             else v.lower()) for n, v in fields]


def parse_stream(data: bytes, *, limits=None, eof: bool = True) -> Outcome:
    """Every request in *data*, in order, until the stream ends or a request is rejected."""
    data = bytes(data)
    out = Outcome([])
    pos = 0
    while True:
        while data.startswith(b"\r\n", pos):  # RFC 9112 §2.2: ignore empty lines before a request-line
            pos += 2
        if pos >= len(data):
            return out
        index = len(out.requests)
        try:
            w, body = _walk_message(data, pos, limits)
        except _Reject as exc:
            out.rejection = Rejection(exc.rule, exc.status, exc.detail, index, pos)
            return out
        except _Incomplete:
            if eof:
                out.rejection = Rejection("incomplete", 400, "the stream ended inside a request", index, pos)
            else:
                out.pending = True
            return out
        try:
            req, h_body, h_trailers, end = _h11_message(data, pos, eof)
        except h11.RemoteProtocolError as exc:
            out.rejection = Rejection(_h11_rule(str(exc)), exc.error_status_hint, str(exc)[:120], index, pos)
            return out
        headers = _raw_headers(req)
        if (end, _folded(headers), h_body, _folded(h_trailers)) != (w.end, _folded(w.headers), body,
                                                                   _folded(w.trailers)):
            raise ReferenceInconsistency(
                f"h11 and the strict walk disagree on request {index}: end {end} vs {w.end}, "
                f"fields {headers!r} vs {w.headers!r}, body {h_body[:40]!r} vs {body[:40]!r}, "
                f"trailers {h_trailers!r} vs {w.trailers!r}")
        # values as sent (the walk's), checked equal to h11's up to case
        out.requests.append(Request(bytes(req.method), bytes(req.target), w.version, w.headers, h_body,
                                    w.trailers, pos, end))
        pos = end

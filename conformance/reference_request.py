"""The reference *request* parser: h11 in SERVER role plus a strict layer.

h11 frames each request and gives its values (method, target, fields, body,
trailers).  Like :mod:`h1conform.strict` for responses, the strict layer
(:mod:`h1conform.request_walk`) walks the raw bytes with the pieces of
:mod:`h1conform.grammar` and rejects what h11 tolerates from a client, each
rejection named by a rule id:

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

from dataclasses import dataclass, field
from typing import List, Optional, Tuple

import h11

from .request_walk import Fields, Incomplete, Rejected, walk_message

__all__ = ["RefLimits", "Request", "Rejection", "Outcome", "ReferenceInconsistency", "parse_stream"]


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
            w, body = walk_message(data, pos, limits)
        except Rejected as exc:
            out.rejection = Rejection(exc.rule, exc.status, exc.detail, index, pos)
            return out
        except Incomplete:
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

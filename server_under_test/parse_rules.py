"""The parser's seam: :class:`ParseRules`, how requests are read, strict by default.

Each field is a rule of RFC 9112's grammar and framing that the parser consults; its default is the strict
rule (a function of grammar.py, or the strict choice of a MAY/SHOULD).  Only quirks (quirks/) set anything
else, and the parser never names a quirk.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, FrozenSet, List, Optional, Tuple

from .events import Fields
from .grammar import (
    ProtocolError,
    check_target,
    line_overflow,
    parse_chunk_size,
    parse_content_length,
    parse_field_line,
    parse_version,
    split_request_line,
    valid_host,
)

#: method, request-target, HTTP-version as sent, its (major, minor), and whether no version was sent (HTTP/0.9)
RequestLine = Tuple[bytes, bytes, bytes, Tuple[int, int], bool]


def request_line(line: bytes) -> RequestLine:
    """``request-line = method SP request-target SP HTTP-version`` (RFC 9112 §3), the line without CRLF."""
    method, target, version = split_request_line(line)
    return method, target, version, parse_version(version), False


def check_host(hosts: List[bytes], version: Tuple[int, int]) -> None:
    """RFC 9112 §3.2: a server MUST respond with 400 to an HTTP/1.1 request without Host, to more than one
    Host field line, and to a Host field with an invalid value."""
    if len(hosts) > 1:
        raise ProtocolError(400, "more than one Host field")
    if not hosts and version >= (1, 1):
        raise ProtocolError(400, "missing Host field")
    if hosts and not valid_host(hosts[0]):
        raise ProtocolError(400, "invalid Host field")


def field_index(fields: Fields) -> Dict[bytes, List[bytes]]:
    """Field values by name; names are case-insensitive (RFC 9110 §5.1)."""
    by_name: Dict[bytes, List[bytes]] = {}
    for name, value in fields:
        by_name.setdefault(name.lower(), []).append(value)
    return by_name


@dataclass(frozen=True)
class ParseRules:
    # -- lines
    #: the octets as received -> the octets parsed (None: as received)
    feed_filter: Optional[Callable[[bytes], bytes]] = None
    #: RFC 9112 §2.2 "a recipient MAY recognize a single LF as a line terminator": strict is CRLF only
    bare_lf_in_head: bool = False
    #: the same for chunk-size and trailer lines (RFC 9112 §7.1 chunked-body uses CRLF)
    bare_lf_in_chunks: bool = False
    #: RFC 9112 §2.2 "SHOULD ignore at least one empty line (CRLF) received prior to the request-line"
    empty_lines_before_request: bool = True
    #: the answer to a request cut short by the peer's close (None: no answer)
    truncated_request_status: Optional[int] = 400
    #: a head still missing its end, read so far, is taken as a request without fields
    partial_head_is_request: bool = False
    # -- request-line
    #: octets of a request-line (None: Limits.max_request_line)
    max_request_line: Optional[int] = None
    #: the error for a request-line over the limit, from its first octets
    request_line_overflow: Callable[[bytes], ProtocolError] = line_overflow
    request_line: Callable[[bytes], RequestLine] = request_line
    #: (method, request-target) -> None, or ProtocolError (RFC 9112 §3.2)
    check_target: Callable[[bytes, bytes], None] = check_target
    # -- field lines
    field_line: Callable[[bytes], Tuple[bytes, bytes]] = parse_field_line
    #: one received line read as several lines (None: a line is a line)
    split_line: Optional[Callable[[bytes], List[bytes]]] = None
    #: (the previous value, a continuation line) -> the value (None: obs-fold is an error, RFC 9112 §5.2)
    obs_fold: Optional[Callable[[bytes, bytes], bytes]] = None
    #: over the header limits, long values are cut and extra fields dropped instead of a 431
    oversized_fields_cut: bool = False
    #: (head fields, trailer fields) -> None; may add to the head's fields or raise (None: trailers stay
    #: apart from the header section, RFC 9110 §6.5.1)
    trailers: Optional[Callable[[Fields, Fields], None]] = None
    # -- the head
    check_host: Callable[[List[bytes], Tuple[int, int]], None] = check_host
    field_index: Callable[[Fields], Dict[bytes, List[bytes]]] = field_index
    #: readings of the Transfer-Encoding values (and the Content-Length values beside them), in turn
    transfer_coding: Tuple[Callable[[List[bytes], Optional[List[bytes]]], Optional[List[bytes]]], ...] = ()
    #: (Content-Length values, the body limit) -> the length
    content_length: Callable[[List[bytes], int], int] = parse_content_length
    #: RFC 9112 §6.1: TE in an HTTP/1.0 request is faulty: framing it is refused (400)
    te_in_http10_rejected: bool = True
    #: RFC 9112 §6.3: a server MAY reject a request with both TE and Content-Length (strict: it does, 400)
    te_with_content_length_rejected: bool = True
    #: methods whose framed body is not read (its octets are the next request)
    bodyless_methods: FrozenSet[bytes] = frozenset()
    #: a request with neither TE nor Content-Length has a body until the close (RFC 9112 §6.3: it has none)
    unframed_body_until_close: bool = False
    # -- the body
    #: reads a body is taken from after its head completed (None: until it is complete)
    body_reads: Optional[int] = None
    #: (chunk-size line without CRLF, the chunk-ext limit) -> the size
    chunk_size: Callable[[bytes, int], int] = parse_chunk_size
    #: chunk extensions are checked against RFC 9112 §7.1.1's grammar
    chunk_ext_checked: bool = True
    #: octets of chunk extensions on one line (None: Limits.max_chunk_ext)
    max_chunk_ext: Optional[int] = None
    #: the octets after chunk data -> how many end it (None: need more; raise if wrong; None hook: CRLF)
    chunk_data_end: Optional[Callable[[bytearray], Optional[int]]] = None
    #: chunks a body may have (None: any number)
    max_chunks: Optional[int] = None
    # -- framing cases (issue 14)
    #: a chunked body cut short by the peer's close ends there, as if its last chunk had come (RFC 9112 §8: it is
    #: incomplete)
    chunked_ends_at_close: bool = False
    #: (chunks read, body octets) at the last chunk -> None, or raise (none: any chunked body is complete there)
    at_last_chunk: Tuple[Callable[[int, int], None], ...] = ()

    # -- request cases (issue 14)
    #: a line before the request-line (without CRLF) -> whether it is skipped like an empty line (None: only empty
    #: lines are, RFC 9112 §2.2; any other line is the request-line)
    line_skipped_before_request: Optional[Callable[[bytes], bool]] = None


STRICT = ParseRules()

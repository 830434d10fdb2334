"""Sans-IO HTTP/1.x request parser (RFC 9112, strict).

Feed bytes with :meth:`RequestParser.feed`, signal the peer's half-close with
:meth:`RequestParser.feed_eof`, and pull events with
:meth:`RequestParser.next_event`: ``RequestHead``, ``Body`` (zero or more),
``EndOfRequest``, or ``NEED_DATA``.  Any grammar or limit violation raises
:class:`ProtocolError` (and keeps raising it until :meth:`recover`).  The
events do not depend on how the bytes were split across ``feed`` calls (only
the sizes of ``Body`` pieces do), and every byte is scanned O(1) times.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import List, Optional, Tuple, Union

from .grammar import (
    ProtocolError,
    check_target,
    check_transfer_coding,
    line_overflow,
    parse_chunk_size,
    parse_content_length,
    parse_field_line,
    parse_version,
    split_request_line,
    valid_host,
)
from .quirks import lenient
from .quirks import validate as validate_quirks

__all__ = ["Limits", "ProtocolError", "RequestHead", "Body", "EndOfRequest", "NEED_DATA", "RequestParser"]

Fields = List[Tuple[bytes, bytes]]


@dataclass(frozen=True)
class Limits:
    max_request_line: int = 8192  # octets, without CRLF; a longer target -> 414
    max_header_bytes: int = 64 * 1024  # whole field section (also used for trailers) -> 431
    max_header_fields: int = 100  # field lines -> 431
    max_body: int = 10 * 1024 * 1024  # decoded body octets -> 413
    max_chunk_ext: int = 4096  # chunk-extension octets on one chunk-size line -> 400


@dataclass(frozen=True)
class RequestHead:
    method: bytes
    target: bytes
    version: Tuple[int, int]
    headers: Fields  # original-case names, values with OWS stripped


@dataclass(frozen=True)
class Body:
    data: bytes


@dataclass(frozen=True)
class EndOfRequest:
    trailers: Fields = field(default_factory=list)


class _Sentinel:
    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name


NEED_DATA = _Sentinel("NEED_DATA")
_AGAIN = _Sentinel("_AGAIN")  # internal: state changed, keep stepping
Event = Union[RequestHead, Body, EndOfRequest, _Sentinel]

# parser states
_CANONICAL = (b"Transfer-Encoding", b"Content-Length", b"Host")
_CACHED_HEADS = 256  # per Limits value
_SHARED_HEADS: dict = {}  # Limits -> {raw head: RequestHead}; dict get/set are atomic, so threads may share it
_CACHED_HEAD_MAX = 2048  # octets: longer heads are parsed every time

_IDLE, _FIELDS, _LENGTH, _UNTIL_EOF, _CHUNK_SIZE, _CHUNK_DATA, _CHUNK_CRLF, _TRAILERS, _RESYNC, _ERROR = range(10)


class RequestParser:
    def __init__(self, limits: Optional[Limits] = None, quirks: frozenset = frozenset()) -> None:
        self.limits = limits if limits is not None else Limits()
        self.quirks = validate_quirks(quirks)
        self._buf = bytearray()
        self._eof = False
        self._error: Optional[ProtocolError] = None
        self._state = _IDLE
        self._scan = 0  # next LF search starts here (index into _buf)
        self._line_start = 0  # first byte of the next unparsed line
        self._section_start = 0  # first byte of the field section (size limit)
        self._fields: Fields = []
        self._target = b""
        self._remaining = 0
        self._body_total = 0
        self._truncate_body = False
        self._reads_left: Optional[int] = None
        self._head_headers: Fields = []
        self.raw_version = b"HTTP/1.1"
        #: heads of bodiless GET/HEAD requests already parsed (None: no caching, with quirks).
        #: Shared by every parser with the same limits: the same bytes always parse the same way.
        self._heads: Optional[dict] = _SHARED_HEADS.setdefault(self.limits, {}) if not self.quirks else None
        #: method / version of the request being parsed (None before its request-line)
        self.current_method: Optional[bytes] = None
        self.current_version: Optional[Tuple[int, int]] = None
        #: framing of the current body: "length", "chunked" or "eof"; body_length for "length"
        self.body_framing: Optional[str] = None
        self.body_length = 0

    # ---------------------------------------------------------------- input
    def feed(self, data: bytes) -> None:
        if data and not self._eof:
            if "bare_cr_line_end" in self.quirks:  # quirk: a lone CR ends a line
                data = re.sub(rb"\r(?!\n)", b"\r\n", data)
            self._buf += data

    def feed_eof(self) -> None:
        self._eof = True

    @property
    def eof(self) -> bool:
        return self._eof

    @property
    def buffered(self) -> int:
        """Octets received but not yet turned into events."""
        return len(self._buf)

    @property
    def in_message(self) -> bool:
        """True while a request has been started but not completed."""
        return self._state != _IDLE or len(self._buf) > 0

    # ------------------------------------------------------------- control
    def recover(self) -> None:
        """After a ProtocolError: skip up to and including the next empty line, then parse on."""
        self._error = None
        self._reset_message()
        self._state = _RESYNC

    def abandon_body(self) -> None:
        """Right after a RequestHead: pretend the body is empty (its bytes stay buffered)."""
        self._reset_message()

    def discard_buffered(self) -> None:
        """Between requests: drop every buffered octet."""
        if self._state == _IDLE:
            self._buf.clear()
            self._scan = 0

    # -------------------------------------------------------------- events
    def next_event(self) -> Event:
        if self._error is not None:
            raise self._error
        try:
            while True:
                ev = self._step()
                if ev is not _AGAIN:
                    return ev
        except ProtocolError as exc:
            self._error, self._state = exc, _ERROR
            raise
        except Exception as exc:  # defensive: the contract is "only ProtocolError"
            self._error, self._state = ProtocolError(400, "malformed request"), _ERROR
            raise self._error from exc

    def _step(self) -> Event:
        st = self._state
        if st == _IDLE:
            return self._request_line()
        if st in (_FIELDS, _TRAILERS):
            return self._field_lines(st == _TRAILERS)
        if st == _LENGTH:
            return self._length_body()
        if st == _CHUNK_SIZE:
            return self._chunk_size()
        if st == _CHUNK_DATA:
            return self._chunk_data()
        if st == _CHUNK_CRLF:
            return self._chunk_crlf()
        if st == _UNTIL_EOF:
            return self._until_eof_body()
        if st == _RESYNC:
            return self._resync()
        raise ProtocolError(400, "parser in error state")

    # ------------------------------------------------------------- helpers
    def _find_lf(self) -> int:
        i = self._buf.find(b"\n", self._scan)
        self._scan = len(self._buf) if i < 0 else i + 1
        return i

    def _consume(self, n: int) -> None:
        del self._buf[:n]
        self._scan = self._line_start = self._section_start = 0

    def _reset_message(self) -> None:
        self._state = _IDLE
        self._scan = self._line_start = self._section_start = 0
        self._fields = []
        self._remaining = self._body_total = 0
        self._truncate_body = False
        self._reads_left = None
        self.current_method = self.current_version = None
        self.body_framing, self.body_length = None, 0

    def _need_data(self) -> Event:
        if not self._eof:
            return NEED_DATA
        if self._state == _IDLE and not self._buf:
            return NEED_DATA  # clean close between requests
        if "incomplete_request_silent" in self.quirks:  # quirk: close without a word
            self._buf.clear()
            self._reset_message()
            return NEED_DATA
        raise ProtocolError(400, "connection closed before the request was complete")

    def _body_need_data(self) -> Event:
        if self._truncate_body:  # quirk: body_first_read_only
            return self._end_request([])
        if self._reads_left is not None:  # quirk: body_one_more_read
            if self._reads_left == 0:
                return self._end_request([])
            self._reads_left -= 1
        return self._need_data()

    def _end_request(self, trailers: Fields) -> Event:
        self._reset_message()
        return EndOfRequest(trailers)

    # --------------------------------------------------------- request line
    def _request_line(self) -> Event:
        if not self.quirks and self._heads is not None:
            hit = self._cached_head()
            if hit is not None:
                return hit
        limit = 4096 if "request_line_limit_4k" in self.quirks else self.limits.max_request_line
        i = self._find_lf()
        if i < 0:
            if len(self._buf) > limit + 1:
                err = line_overflow(bytes(self._buf[:limit]))
                if err.status == 414 and "long_target_400" in self.quirks:  # quirk: 400, not 414
                    raise ProtocolError(400, "request-line too long")
                raise err
            return self._need_data()
        if i > limit + 1:
            err = line_overflow(bytes(self._buf[:limit]))
            if err.status == 414 and "long_target_400" in self.quirks:  # quirk: 400, not 414
                raise ProtocolError(400, "request-line too long")
            raise err
        line = bytes(self._buf[:i])
        if line in (b"\r", b"") and (line or "bare_lf_accepted" in self.quirks):
            if "no_leading_crlf_tolerance" in self.quirks:
                raise ProtocolError(400, "empty line before the request-line")
            self._consume(i + 1)
            return _AGAIN
        if not line.endswith(b"\r"):
            if "bare_lf_accepted" not in self.quirks:
                raise ProtocolError(400, "request-line not terminated by CRLF")
            line += b"\r"
        http09 = self._parse_request_line(line[:-1])
        self._line_start = self._section_start = i + 1
        self._fields = []
        self._state = _FIELDS
        if http09:  # quirk: http09_accepted -- no header section follows
            return self._finish_head(i + 1)
        return _AGAIN

    def _cached_head(self) -> Optional[Event]:
        """A GET/HEAD head without a body, byte for byte the same as one already parsed, parses the
        same: reuse that result (clients repeat their requests, on one connection and across them)."""
        end = self._buf.find(b"\r\n\r\n", 0, _CACHED_HEAD_MAX)
        if end < 0:
            return None
        head = self._heads.get(bytes(self._buf[: end + 4]))  # type: ignore[union-attr]
        if head is None:
            return None
        self._consume(end + 4)
        self.current_method, self.current_version, self._target = head.method, head.version, head.target
        self._head_headers = list(head.headers)
        self._start_length(0)
        return RequestHead(head.method, head.target, head.version, self._head_headers)

    def _parse_request_line(self, line: bytes) -> bool:
        """Parse and check the request-line; True for an HTTP/0.9 line (only with http09_accepted)."""
        b = self.quirks
        if b & {"request_line_lenient", "method_lenient", "version_lenient", "http09_accepted"}:
            parts = line.split() if "request_line_lenient" in b else line.split(b" ")
            if len(parts) == 2 and "http09_accepted" in b:
                parts.append(b"HTTP/1.0")
            if len(parts) == 3 and "method_lenient" in b:
                parts[0] = parts[0].upper()
            if len(parts) == 3 and "request_line_lenient" in b:
                line = b" ".join(parts)
            if len(parts) == 3 and "method_lenient" in b:
                method, target, version = parts
            else:
                method, target, version = split_request_line(b" ".join(parts) if len(parts) == 3 else line)
            parsed = lenient.version(version) if "version_lenient" in b else parse_version(version)
            http09 = len(line.split()) == 2
        elif "target_space_joined" in b and line.count(b" ") > 2:  # quirk: "GET /a b HTTP/1.1" is /a%20b
            first, last = line.index(b" "), line.rindex(b" ")
            method, target, version = line[:first], line[first + 1:last].replace(b" ", b"%20"), line[last + 1:]
            parsed, http09 = parse_version(version), False
        else:
            method, target, version = split_request_line(line)
            parsed, http09 = parse_version(version), False
            if "unknown_minor_version_rejected" in b and version not in (b"HTTP/1.0", b"HTTP/1.1"):
                raise ProtocolError(505, "HTTP version not supported")
        if len(method) > 32 and "long_method_400" in b:  # quirk: 400 instead of 501
            raise ProtocolError(400, "method too long")
        self.current_method = method
        self.current_version = parsed
        self.raw_version = version  # as sent (only the status_line_echoes_request_version switch looks at it)
        if "target_lenient" not in b:  # quirk: any request-target is accepted
            check_target(method, target)
        self._target = target
        return http09

    # ---------------------------------------------------- fields / trailers
    def _field_lines(self, trailers: bool) -> Event:
        max_bytes = self.limits.max_header_bytes
        while True:
            i = self._find_lf()
            if i < 0:
                if len(self._buf) - self._section_start > max_bytes and "header_limit_truncates" not in self.quirks:
                    raise ProtocolError(431, "header section too large")
                if trailers:
                    return self._body_need_data()
                if "answer_incomplete_head" in self.quirks and not self._eof:
                    return self._incomplete_head()
                return self._need_data()
            if i + 1 - self._section_start > max_bytes and "header_limit_truncates" not in self.quirks:
                raise ProtocolError(431, "header section too large")
            line = bytes(self._buf[self._line_start : i])
            self._line_start = i + 1
            lf_ok = "bare_lf_accepted" in self.quirks or (trailers and "chunk_framing_lenient" in self.quirks)
            if lf_ok and not line.endswith(b"\r"):
                line += b"\r"
            if line == b"\r":
                if trailers:
                    fields = self._fields
                    if fields and "trailers_rejected" in self.quirks:  # quirk: a trailer section is an error
                        raise ProtocolError(400, "trailer fields are not supported")
                    if "trailers_merged" in self.quirks:  # quirk: trailers become header fields
                        self._head_headers.extend(fields)
                    self._consume(i + 1)
                    return self._end_request(fields)
                return self._finish_head(i + 1)
            if not line.endswith(b"\r"):
                raise ProtocolError(400, "field line not terminated by CRLF")
            if line[:1] in (b" ", b"\t") and self._fields and "obs_fold_joined" in self.quirks:
                name, value = self._fields[-1]  # quirk: a folded line is glued on without the SP
                self._fields[-1] = (name, value + line[:-1].strip(b" \t"))
                continue
            if "unicode_line_splitting" in self.quirks:  # quirk: str.splitlines() on the decoded line
                parts = line[:-1].decode("utf-8", "surrogateescape").splitlines()
                for part in parts[1:]:
                    self._fields.append(self._field(part.encode("utf-8", "surrogateescape")))
                line = parts[0].encode("utf-8", "surrogateescape") + b"\r" if parts else b"\r"
            self._fields.append(self._field(line[:-1]))
            if "header_limit_truncates" in self.quirks and len(self._fields[-1][1]) > 8192:
                self._fields[-1] = (self._fields[-1][0], self._fields[-1][1][:8192])  # quirk: cut, not refused
            if len(self._fields) > self.limits.max_header_fields:
                if "header_limit_truncates" in self.quirks:  # quirk: extra fields silently dropped
                    self._fields.pop()
                    continue
                raise ProtocolError(431, "too many header fields")

    def _field(self, line: bytes) -> Tuple[bytes, bytes]:
        b = self.quirks
        if not b & {"field_name_lenient", "ctl_in_values_kept", "strip_unicode_whitespace", "naive_field_split",
                    "obs_text_rejected"}:
            return parse_field_line(line)
        if "naive_field_split" in b:  # quirk: split on ": " exactly, value kept as it is
            name, sep, value = line.partition(b": ")
            if not sep:
                raise ProtocolError(400, "field line without ': '")
            return parse_field_line(name + b":")[0], value
        if "obs_text_rejected" in b and re.search(rb"[\x80-\xff]", line):  # quirk: only ASCII accepted
            raise ProtocolError(400, "non-ASCII octet in a field line")
        if "field_name_lenient" in b:  # quirk: whitespace around names ignored, lines without colon kept
            return lenient.field_line(line)
        name, _, value = line.partition(b":")
        if "strip_unicode_whitespace" in b:  # quirk: \x85, \xa0, VT, FF, NUL stripped from values
            value = lenient.strip_value(value)
        if "ctl_in_values_kept" in b:  # quirk: NUL and other controls kept in values
            name, _ = parse_field_line(name + b":")
            return name, value.strip(b" \t")
        return parse_field_line(name + b":" + value)

    def _incomplete_head(self) -> Event:
        # quirk: answer_incomplete_head -- the request line alone is the request
        head = RequestHead(self.current_method or b"", self._target, self.current_version or (1, 1), [])
        self._consume(self._section_start)
        self._fields = []
        self._start_length(0)
        return head

    def _finish_head(self, end: int) -> Event:
        headers, method, version = self._fields, self.current_method, self.current_version
        assert method is not None and version is not None
        by_name: dict = {}
        for name, value in headers:
            by_name.setdefault(name.lower(), []).append(value)
        b = self.quirks
        hosts = by_name.get(b"host", [])
        if "empty_host_rejected" in b and (not hosts or hosts == [b""]):  # quirk: no default site
            raise ProtocolError(400, "missing or empty Host")
        if "host_lenient" not in b:  # quirk: host_lenient skips all three checks
            if len(hosts) > 1:
                raise ProtocolError(400, "more than one Host field")
            if not hosts and version >= (1, 1):
                raise ProtocolError(400, "missing Host field")
            if hosts and not valid_host(hosts[0]):
                raise ProtocolError(400, "invalid Host field")
        if "field_names_case_sensitive" in b:  # quirk: only the canonical spelling of a name counts
            by_name = {}
            for name, value in headers:
                by_name.setdefault(name.lower() if name in _CANONICAL else b"~" + name, []).append(value)
        te, cl = by_name.get(b"transfer-encoding"), by_name.get(b"content-length")
        if te and b & {"te_value_lenient", "te_final_coding_lenient", "cl_te_prefer_content_length"}:
            te = self._lenient_te(te, cl)
        if te and "te_repeated_dropped" in b and len(te) > 1:
            te = None  # quirk: two Transfer-Encoding lines, no body
        if te and "te_case_sensitive" in b and any(v.strip(b" \t") != b"chunked" for v in te):
            raise ProtocolError(501, "unsupported transfer coding")  # quirk: Chunked is not chunked
        if te and "naive_field_split" in b and te != [b"chunked"]:
            raise ProtocolError(501, "unsupported transfer coding")  # quirk: the value compared as it is
        if te and "empty_list_elements_rejected" in b and any(not e.strip() for v in te for e in v.split(b",")):
            raise ProtocolError(400, "empty list element")  # quirk: ", chunked" is refused
        if "leading_zeros_rejected" in b and any(v[:1] == b"0" and len(v) > 1 for v in cl or []):
            raise ProtocolError(400, "leading zeros in Content-Length")  # quirk: 0005 is refused
        length = 0
        if te:
            if version < (1, 1) and "te_http10_honoured" not in b:
                raise ProtocolError(400, "Transfer-Encoding in an HTTP/1.0 request")
            if cl and "cl_te_chunked_keep_open" not in b:
                raise ProtocolError(400, "both Transfer-Encoding and Content-Length")
            check_transfer_coding(te)
        elif cl:
            if "content_length_lenient" in b:  # quirk: int() on the first list element, wraps at 64 bits
                length = min(lenient.int_like_python(cl[0], 10), self.limits.max_body)
            else:
                length = parse_content_length(cl, self.limits.max_body)
        if self._heads is not None and not b and not te and not cl and method in (b"GET", b"HEAD") \
                and end <= _CACHED_HEAD_MAX:
            if len(self._heads) >= _CACHED_HEADS:
                self._heads.clear()
            self._heads[bytes(self._buf[:end])] = RequestHead(method, self._target, version, list(headers))
        self._consume(end)
        self._fields = []
        if te and "ignore_body_on_get" in b and method in (b"GET", b"HEAD", b"OPTIONS", b"DELETE"):
            self._start_length(0)  # quirk: the chunked body is not read either
        elif te:
            self._state, self.body_framing = _CHUNK_SIZE, "chunked"
        elif not cl and method not in (b"GET", b"HEAD") and "wait_for_body_without_length" in self.quirks:
            self._state, self.body_framing = _UNTIL_EOF, "eof"
        else:
            if "ignore_body_on_get" in self.quirks and method in (b"GET", b"HEAD", b"OPTIONS", b"DELETE"):
                length = 0
            self._start_length(length)
        if "body_first_read_only" in self.quirks:
            self._truncate_body = True
        if "body_one_more_read" in self.quirks:
            self._reads_left = 1
        self._head_headers = headers
        return RequestHead(method, self._target, version, headers)

    def _lenient_te(self, te: Fields, cl) -> Optional[List[bytes]]:
        b = self.quirks
        if "te_value_lenient" in b:  # quirk: "chunk" anywhere in the value means chunked
            found = lenient.transfer_coding(te)
            te = [found] if found else None
        if te and "te_final_coding_lenient" in b:  # quirk: chunked anywhere in the list; unknown codings ignored
            names = [n.strip(b" \t").lower() for v in te for n in v.split(b",")]
            te = [b"chunked"] if b"chunked" in names else None
        if te and cl and "cl_te_prefer_content_length" in b:  # quirk: Content-Length wins over TE
            te = None
        return te

    # ------------------------------------------------------------------ body
    def _start_length(self, length: int) -> None:
        self._state, self.body_framing, self.body_length = _LENGTH, "length", length
        self._remaining = length

    def _take(self, limit: int) -> bytes:
        n = min(limit, len(self._buf))
        data = bytes(self._buf[:n])
        del self._buf[:n]
        self._scan = 0
        return data

    def _length_body(self) -> Event:
        if self._remaining == 0:
            return self._end_request([])
        if not self._buf:
            return self._body_need_data()
        data = self._take(self._remaining)
        self._remaining -= len(data)
        return Body(data)

    def _until_eof_body(self) -> Event:
        if self._buf:
            data = self._take(len(self._buf))
            self._body_total += len(data)
            if self._body_total > self.limits.max_body:
                raise ProtocolError(413, "request body too large")
            return Body(data)
        if self._eof:
            return self._end_request([])
        return NEED_DATA

    def _chunk_size(self) -> Event:
        max_ext = 1 << 30 if "chunk_ext_unbounded" in self.quirks else self.limits.max_chunk_ext
        max_line = 16 + max_ext + 1
        i = self._find_lf()
        if i < 0:
            if len(self._buf) > max_line:
                raise ProtocolError(400, "chunk-size line too long")
            return self._body_need_data()
        if i > max_line:
            raise ProtocolError(400, "chunk-size line too long")
        line = bytes(self._buf[:i])
        b = self.quirks
        if not line.endswith(b"\r"):
            if "chunk_framing_lenient" not in b:
                raise ProtocolError(400, "chunk-size line not terminated by CRLF")
            line += b"\r"
        raw_size = line[:-1].split(b";")[0]
        if "chunk_size_decimal" in b and not raw_size.isdigit():  # quirk: sizes read as decimal
            raise ProtocolError(400, "chunk size is not a number")
        if "leading_zeros_rejected" in b and raw_size[:1] == b"0" and len(raw_size) > 1:
            raise ProtocolError(400, "leading zeros in a chunk size")  # quirk: 0005 and 000 are refused
        if "chunk_ext_rejected" in b and b";" in line:
            raise ProtocolError(400, "chunk extensions are not supported")  # quirk: extensions refused
        if "chunk_size_lenient" in b:  # quirk: int(x, 16) on the size, wraps at 32 bits
            size = lenient.int_like_python(line[:-1].split(b";")[0], 16)
        elif "chunk_framing_lenient" in b:  # quirk: extensions not checked at all
            size = parse_chunk_size(line[:-1].split(b";")[0].rstrip(b" \t"), self.limits.max_chunk_ext)
        else:
            size = parse_chunk_size(line[:-1], max_ext)
        if size and self._body_total + size > self.limits.max_body:
            raise ProtocolError(413, "request body too large")
        self._consume(i + 1)
        if size == 0:
            self._fields = []
            self._state = _TRAILERS
        else:
            self._remaining, self._state = size, _CHUNK_DATA
            if "single_chunk_only" in b and self._body_total:  # quirk: the body ends after its first chunk
                self._fields = []
                self._state = _TRAILERS
        return _AGAIN

    def _chunk_data(self) -> Event:
        if not self._buf:
            return self._body_need_data()
        data = self._take(self._remaining)
        self._remaining -= len(data)
        self._body_total += len(data)
        if self._remaining == 0:
            self._state = _CHUNK_CRLF
        return Body(data)

    def _chunk_crlf(self) -> Event:
        buf = self._buf
        if "chunk_framing_lenient" in self.quirks:  # quirk: LF alone, or any two bytes, end the data
            if not buf:
                return self._body_need_data()
            if buf[0] != 10 and len(buf) < 2:
                return self._body_need_data()
            self._consume(1 if buf[0] == 10 else 2)
            self._state = _CHUNK_SIZE
            return _AGAIN
        if (len(buf) >= 1 and buf[0] != 13) or (len(buf) >= 2 and buf[1] != 10):
            raise ProtocolError(400, "chunk data not followed by CRLF")
        if len(buf) < 2:
            return self._body_need_data()
        self._consume(2)
        self._state = _CHUNK_SIZE
        return _AGAIN

    def _resync(self) -> Event:
        i = self._buf.find(b"\r\n\r\n", self._scan)
        if i < 0:
            keep = min(3, len(self._buf))
            del self._buf[: len(self._buf) - keep]
            self._scan = 0
            if self._eof:
                self._buf.clear()
                self._state = _IDLE
            return NEED_DATA
        self._consume(i + 4)
        self._state = _IDLE
        return _AGAIN

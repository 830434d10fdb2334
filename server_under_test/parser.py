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

from typing import Optional, Tuple

from .events import AGAIN as _AGAIN
from .events import NEED_DATA, Body, EndOfRequest, Event, Fields, Limits, RequestHead
from .grammar import ProtocolError, check_transfer_coding
from .parse_rules import STRICT, ParseRules

__all__ = ["Limits", "ProtocolError", "RequestHead", "Body", "EndOfRequest", "NEED_DATA", "RequestParser"]

# parser states
_CACHED_HEADS = 256  # per Limits value
_SHARED_HEADS: dict = {}  # Limits -> {raw head: RequestHead}; dict get/set are atomic, so threads may share it
_CACHED_HEAD_MAX = 2048  # octets: longer heads are parsed every time

_IDLE, _FIELDS, _LENGTH, _UNTIL_EOF, _CHUNK_SIZE, _CHUNK_DATA, _CHUNK_CRLF, _TRAILERS, _RESYNC, _ERROR = range(10)


class RequestParser:
    def __init__(self, limits: Optional[Limits] = None, rules: ParseRules = STRICT) -> None:
        self.limits = limits if limits is not None else Limits()
        self.rules = rules
        self._strict = rules == STRICT
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
        self._reads_left: Optional[int] = None
        self._chunks = 0
        self._head_headers: Fields = []
        self.raw_version = b"HTTP/1.1"
        #: heads of bodiless GET/HEAD requests already parsed (None: no caching, with other than strict rules).
        #: Shared by every parser with the same limits: the same bytes always parse the same way.
        self._heads: Optional[dict] = _SHARED_HEADS.setdefault(self.limits, {}) if self._strict else None
        #: method / version of the request being parsed (None before its request-line)
        self.current_method: Optional[bytes] = None
        self.current_version: Optional[Tuple[int, int]] = None
        #: framing of the current body: "length", "chunked" or "eof"; body_length for "length"
        self.body_framing: Optional[str] = None
        self.body_length = 0

    # ---------------------------------------------------------------- input
    def feed(self, data: bytes) -> None:
        if data and not self._eof:
            if self.rules.feed_filter is not None:
                data = self.rules.feed_filter(data)
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
        self._remaining = self._body_total = self._chunks = 0
        self._reads_left = None
        self.current_method = self.current_version = None
        self.body_framing, self.body_length = None, 0

    def _need_data(self) -> Event:
        if not self._eof:
            return NEED_DATA
        if self._state == _IDLE and not self._buf:
            return NEED_DATA  # clean close between requests
        if self.rules.truncated_request_status is None:  # no answer at all
            self._buf.clear()
            self._reset_message()
            return NEED_DATA
        raise ProtocolError(self.rules.truncated_request_status, "connection closed before the request was complete")

    def _body_need_data(self) -> Event:
        if self._reads_left is not None:  # the body is taken from so many reads only
            if self._reads_left == 0:
                return self._end_request([])
            self._reads_left -= 1
        if self._eof and self.body_framing == "chunked" and self.rules.chunked_ends_at_close:
            return self._end_request([])
        return self._need_data()

    def _end_request(self, trailers: Fields) -> Event:
        self._reset_message()
        return EndOfRequest(trailers)

    # --------------------------------------------------------- request line
    def _request_line(self) -> Event:
        rules = self.rules
        if self._heads is not None:
            hit = self._cached_head()
            if hit is not None:
                return hit
        limit = rules.max_request_line or self.limits.max_request_line
        i = self._find_lf()
        if i < 0:
            if len(self._buf) > limit + 1:
                raise rules.request_line_overflow(bytes(self._buf[:limit]))
            return self._need_data()
        if i > limit + 1:
            raise rules.request_line_overflow(bytes(self._buf[:limit]))
        line = bytes(self._buf[:i])
        if line in (b"\r", b"") and (line or rules.bare_lf_in_head):
            if not rules.empty_lines_before_request:
                raise ProtocolError(400, "empty line before the request-line")
            self._consume(i + 1)
            return _AGAIN
        if not line.endswith(b"\r"):
            if not rules.bare_lf_in_head:
                raise ProtocolError(400, "request-line not terminated by CRLF")
            line += b"\r"
        if rules.line_skipped_before_request is not None and rules.line_skipped_before_request(line[:-1]):
            self._consume(i + 1)
            return _AGAIN
        method, target, version, parsed, http09 = rules.request_line(line[:-1])
        self.current_method, self.current_version = method, parsed
        self.raw_version = version  # as sent (a status line that repeats it needs it)
        rules.check_target(method, target)
        self._target = target
        self._line_start = self._section_start = i + 1
        self._fields = []
        self._state = _FIELDS
        if http09:  # HTTP/0.9: no header section follows
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

    # ---------------------------------------------------- fields / trailers
    def _field_lines(self, trailers: bool) -> Event:
        rules = self.rules
        max_bytes = self.limits.max_header_bytes
        cut = rules.oversized_fields_cut
        lf_ok = rules.bare_lf_in_head or (trailers and rules.bare_lf_in_chunks)
        while True:
            i = self._find_lf()
            if i < 0:
                if len(self._buf) - self._section_start > max_bytes and not cut:
                    raise ProtocolError(431, "header section too large")
                if trailers:
                    return self._body_need_data()
                if rules.partial_head_is_request and not self._eof:
                    return self._partial_head()
                return self._need_data()
            if i + 1 - self._section_start > max_bytes and not cut:
                raise ProtocolError(431, "header section too large")
            line = bytes(self._buf[self._line_start : i])
            self._line_start = i + 1
            if lf_ok and not line.endswith(b"\r"):
                line += b"\r"
            if line == b"\r":
                if trailers:
                    fields = self._fields
                    if rules.trailers is not None:
                        rules.trailers(self._head_headers, fields)
                    self._consume(i + 1)
                    return self._end_request(fields)
                return self._finish_head(i + 1)
            if not line.endswith(b"\r"):
                raise ProtocolError(400, "field line not terminated by CRLF")
            if line[:1] in (b" ", b"\t") and self._fields and rules.obs_fold is not None:
                name, value = self._fields[-1]
                self._fields[-1] = (name, rules.obs_fold(value, line[:-1]))
                continue
            if rules.split_line is not None:
                *more, last = rules.split_line(line[:-1]) or [b""]
                self._fields.extend(rules.field_line(part) for part in more)
                line = last + b"\r"
            self._fields.append(rules.field_line(line[:-1]))
            if cut and len(self._fields[-1][1]) > 8192:
                self._fields[-1] = (self._fields[-1][0], self._fields[-1][1][:8192])
            if len(self._fields) > self.limits.max_header_fields:
                if cut:
                    self._fields.pop()
                    continue
                raise ProtocolError(431, "too many header fields")

    def _partial_head(self) -> Event:
        """The request-line alone, as a request without fields (ParseRules.partial_head_is_request)."""
        head = RequestHead(self.current_method or b"", self._target, self.current_version or (1, 1), [])
        self._consume(self._section_start)
        self._fields = []
        self._start_length(0)
        return head

    def _finish_head(self, end: int) -> Event:
        headers, method, version = self._fields, self.current_method, self.current_version
        assert method is not None and version is not None
        rules = self.rules
        by_name = rules.field_index(headers)
        rules.check_host(by_name.get(b"host", []), version)
        te, cl = by_name.get(b"transfer-encoding"), by_name.get(b"content-length")
        for reading in rules.transfer_coding:
            if te:
                te = reading(te, cl)
        length = 0
        if te:
            if version < (1, 1) and rules.te_in_http10_rejected:
                raise ProtocolError(400, "Transfer-Encoding in an HTTP/1.0 request")
            if cl and rules.te_with_content_length_rejected:
                raise ProtocolError(400, "both Transfer-Encoding and Content-Length")
            check_transfer_coding(te)
        elif cl:
            length = rules.content_length(cl, self.limits.max_body)
        if self._heads is not None and not te and not cl and method in (b"GET", b"HEAD") \
                and end <= _CACHED_HEAD_MAX:
            if len(self._heads) >= _CACHED_HEADS:
                self._heads.clear()
            self._heads[bytes(self._buf[:end])] = RequestHead(method, self._target, version, list(headers))
        self._consume(end)
        self._fields = []
        if method in rules.bodyless_methods:
            self._start_length(0)  # the body's octets are read as the next request
        elif te:
            self._state, self.body_framing = _CHUNK_SIZE, "chunked"
        elif not cl and method not in (b"GET", b"HEAD") and rules.unframed_body_until_close:
            self._state, self.body_framing = _UNTIL_EOF, "eof"
        else:
            self._start_length(length)
        self._reads_left = rules.body_reads
        self._head_headers = headers
        return RequestHead(method, self._target, version, headers)

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
        rules = self.rules
        max_ext = rules.max_chunk_ext or self.limits.max_chunk_ext
        max_line = 16 + max_ext + 1
        i = self._find_lf()
        if i < 0:
            if len(self._buf) > max_line:
                raise ProtocolError(400, "chunk-size line too long")
            return self._body_need_data()
        if i > max_line:
            raise ProtocolError(400, "chunk-size line too long")
        line = bytes(self._buf[:i])
        if not line.endswith(b"\r"):
            if not rules.bare_lf_in_chunks:
                raise ProtocolError(400, "chunk-size line not terminated by CRLF")
            line += b"\r"
        line = line[:-1]
        if not rules.chunk_ext_checked:
            line = line.split(b";")[0].rstrip(b" \t")
        size = rules.chunk_size(line, max_ext)
        if size and self._body_total + size > self.limits.max_body:
            raise ProtocolError(413, "request body too large")
        self._consume(i + 1)
        self._chunks += 1
        if size == 0 or (rules.max_chunks is not None and self._chunks > rules.max_chunks):
            for check in rules.at_last_chunk:
                check(self._chunks, self._body_total)
            self._fields = []
            self._state = _TRAILERS
        else:
            self._remaining, self._state = size, _CHUNK_DATA
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
        if self.rules.chunk_data_end is not None:
            n = self.rules.chunk_data_end(buf)
            if n is None:
                return self._body_need_data()
        else:
            if (len(buf) >= 1 and buf[0] != 13) or (len(buf) >= 2 and buf[1] != 10):
                raise ProtocolError(400, "chunk data not followed by CRLF")
            if len(buf) < 2:
                return self._body_need_data()
            n = 2
        self._consume(n)
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

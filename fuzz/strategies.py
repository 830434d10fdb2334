"""Hypothesis strategies for HTTP/1.x requests, built on the grammar pieces of :mod:`h1conform.grammar`.

The same pieces define the strict layer, so what these strategies call valid is what the reference
(:mod:`h1conform_fuzz.reference_request`) accepts.  Every strategy is a plural noun with keyword-only options:

* :func:`field_lines` -- lists of ``(name, value)`` field lines (RFC 9110 §5.5);
* :func:`chunked_bodies` -- :class:`Chunked` bodies: chunk sizes, extensions, trailers (RFC 9112 §7.1);
* :func:`request_heads` -- request-line plus field lines plus the empty line, as bytes (RFC 9112 §3);
* :func:`requests` -- complete valid :class:`HttpRequest` objects (head + body framed by
  Content-Length or chunked);
* :func:`invalid_requests` -- :class:`HttpRequest` objects broken in one named way (``.violation``).

Everything shrinks towards the simplest request: ``GET <path> HTTP/1.1``, Host only, no body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import List, Optional, Sequence, Tuple

from h1conform import grammar
from h1conform.request_bytes import build_request
from hypothesis import strategies as st

__all__ = ["HttpRequest", "Chunked", "field_lines", "chunked_bodies", "request_heads", "requests",
           "invalid_requests", "VIOLATIONS"]

Fields = List[Tuple[bytes, bytes]]

#: Fields the strategies never generate at random (they would change framing or persistence).
RESERVED = frozenset({b"host", b"content-length", b"transfer-encoding", b"connection", b"expect", b"upgrade",
                      b"te", b"trailer", b"keep-alive"})


@dataclass(frozen=True)
class Chunked:
    chunks: Tuple[Tuple[bytes, bytes], ...]  # (chunk data, chunk-ext text) per non-empty chunk
    trailers: Tuple[Tuple[bytes, bytes], ...] = ()
    upper_hex: bool = False

    @property
    def data(self) -> bytes:
        return b"".join(c for c, _ in self.chunks)

    def encode(self) -> bytes:
        out = bytearray()
        for data, ext in self.chunks:
            size = b"%X" % len(data) if self.upper_hex else b"%x" % len(data)
            out += size + ext + b"\r\n" + data + b"\r\n"
        out += b"0\r\n"
        for n, v in self.trailers:
            out += n + b": " + v + b"\r\n"
        return bytes(out + b"\r\n")


@dataclass(frozen=True)
class HttpRequest:
    method: bytes = b"GET"
    target: bytes = b"/"
    version: bytes = b"1.1"
    fields: Tuple[Tuple[bytes, bytes], ...] = ()  # after Host, before the framing fields
    host: Optional[bytes] = b"127.0.0.1"
    body: bytes = b""
    chunked: Optional[Chunked] = None
    violation: str = ""  # for invalid_requests: which rule is broken
    raw: Optional[bytes] = None  # invalid_requests: the exact bytes, when they cannot be rebuilt

    def to_bytes(self) -> bytes:
        if self.raw is not None:
            return self.raw
        text = lambda b: b.decode("latin-1")  # noqa: E731  (build_request writes latin-1: every byte round-trips)
        return build_request(text(self.method), text(self.target), version=text(self.version),
                             host=None if self.host is None else text(self.host),
                             fields=[(text(n), text(v)) for n, v in self.fields], body=self.body or None,
                             chunked_body=None if self.chunked is None else self.chunked.encode())

    @property
    def decoded_body(self) -> bytes:
        return self.chunked.data if self.chunked is not None else self.body

    @property
    def method_str(self) -> str:
        return self.method.decode("latin-1")


def _regex(pattern: bytes):
    return st.from_regex(re.compile(pattern), fullmatch=True)


def tokens(*, max_size: int = 12):
    """``token`` (RFC 9110 §5.6.2) from grammar.TOKEN."""
    return _regex(grammar.TOKEN).filter(lambda t: len(t) <= max_size)


def field_values(*, max_size: int = 40):
    """``field-value`` (RFC 9110 §5.5) from grammar.FIELD_VALUE."""
    return _regex(grammar.FIELD_VALUE).filter(lambda v: len(v) <= max_size)


def field_lines(*, min_size: int = 0, max_size: int = 4, names: Optional[Sequence[bytes]] = None):
    """Lists of ``(name, value)`` field lines; framing and connection fields are left out."""
    name = st.sampled_from(list(names)) if names else tokens().filter(lambda n: n.lower() not in RESERVED)
    return st.lists(st.tuples(name, field_values()), min_size=min_size, max_size=max_size)


def chunk_extensions():
    """``chunk-ext`` text (RFC 9112 §7.1.1) from grammar.CHUNK_EXT: ``;name`` or ``;name=value``.

    BWS before the first ";" is valid but h11 refuses it (difference D4 in docs/fuzzing.md), so it is
    left out: these strategies generate what the reference accepts."""
    return st.one_of(st.just(b""), _regex(grammar.CHUNK_EXT).filter(lambda e: len(e) <= 40 and e[:1] == b";"))


def chunked_bodies(*, max_chunks: int = 3, max_chunk: int = 20, extensions: bool = True, trailers: bool = True):
    """Chunked bodies: 1..max_chunks non-empty chunks, optional extensions and trailer fields."""
    chunk = st.tuples(st.binary(min_size=1, max_size=max_chunk),
                      chunk_extensions() if extensions else st.just(b""))
    return st.builds(
        Chunked,
        chunks=st.lists(chunk, min_size=1, max_size=max_chunks).map(tuple),
        trailers=(field_lines(max_size=2) if trailers else st.just([])).map(tuple),
        upper_hex=st.booleans(),
    )


_ORIGIN_QUERY = rb"(?:" + grammar.PCHAR + rb"|[/?]){0,12}"  # grammar.QUERY, at most 12 pieces


def request_targets(*, path: str = "/"):
    """origin-form targets on *path*: the path itself, optionally with a query."""
    p = path.encode("latin-1")
    return st.one_of(st.just(p), _regex(_ORIGIN_QUERY).map(lambda q: p + b"?" + q))


def requests(*, path: str = "/", host: str = "127.0.0.1", methods: Sequence[str] = ("GET", "POST", "PUT", "DELETE",
             "HEAD", "OPTIONS"), versions: Sequence[str] = ("1.1", "1.0"), bodies: bool = True,
             max_fields: int = 3):
    """Complete valid requests (an HTTP/1.0 one never has a chunked body; GET/HEAD/DELETE/OPTIONS none)."""

    @st.composite
    def build(draw):
        method = draw(st.sampled_from(list(methods))).encode("latin-1")
        version = draw(st.sampled_from(list(versions))).encode("latin-1")
        req = HttpRequest(method=method, target=draw(request_targets(path=path)), version=version,
                          fields=tuple(draw(field_lines(max_size=max_fields))), host=host.encode("latin-1"))
        if bodies and method in (b"POST", b"PUT"):
            kind = draw(st.sampled_from(["length", "chunked"] if version == b"1.1" else ["length"]))
            if kind == "chunked":
                req = replace(req, chunked=draw(chunked_bodies()))
            else:
                req = replace(req, body=draw(st.binary(max_size=40)))
        return req

    return build()


def request_heads(*, path: str = "/", host: str = "127.0.0.1", methods: Sequence[str] = ("GET", "HEAD"),
                  versions: Sequence[str] = ("1.1", "1.0"), max_fields: int = 3):
    """Request heads as bytes: request-line, Host and field lines, the empty line (no body)."""
    return requests(path=path, host=host, methods=methods, versions=versions, bodies=False,
                    max_fields=max_fields).map(lambda r: r.to_bytes())


#: The ways :func:`invalid_requests` breaks a valid request, each a rule of the strict layer.
VIOLATIONS = ("bare-lf", "obs-fold", "ws-before-colon", "cl-te", "content-length-list", "chunk-size-ws",
              "lowercase-version", "two-hosts", "no-host", "ctl-in-value", "bad-chunk-ext", "space-in-target")


def invalid_requests(*, path: str = "/", host: str = "127.0.0.1", violations: Sequence[str] = VIOLATIONS):
    """Requests broken in exactly one named way (``.violation``); the reference rejects each of them."""

    @st.composite
    def build(draw):
        violation = draw(st.sampled_from(list(violations)))
        base = draw(requests(path=path, host=host, methods=("GET", "POST"), versions=("1.1",), bodies=False,
                             max_fields=2))
        head = base.to_bytes()
        if violation == "bare-lf":
            crlfs = [m.start() for m in re.finditer(rb"\r\n", head)]
            i = draw(st.sampled_from(crlfs))
            raw = head[:i] + head[i + 1:]
        elif violation == "obs-fold":
            raw = head[:-2] + b"X-Fold: a\r\n " + draw(tokens()) + b"\r\n\r\n"
        elif violation == "ws-before-colon":
            raw = head[:-2] + draw(tokens()) + draw(st.sampled_from([b" ", b"\t"])) + b": v\r\n\r\n"
        elif violation == "cl-te":
            raw = head[:-2] + b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        elif violation == "content-length-list":
            raw = head[:-2] + b"Content-Length: 1, 1\r\n\r\nx"
        elif violation == "chunk-size-ws":
            raw = head[:-2] + b"Transfer-Encoding: chunked\r\n\r\n1 \r\nx\r\n0\r\n\r\n"
        elif violation == "bad-chunk-ext":
            raw = head[:-2] + b"Transfer-Encoding: chunked\r\n\r\n1;\"x\"\r\nx\r\n0\r\n\r\n"
        elif violation == "lowercase-version":
            raw = head.replace(b" HTTP/1.1\r\n", b" http/1.1\r\n", 1)
        elif violation == "two-hosts":
            raw = head[:-2] + b"Host: " + host.encode("latin-1") + b"\r\n\r\n"
        elif violation == "no-host":
            raw = replace(base, host=None).to_bytes()
        elif violation == "ctl-in-value":
            raw = head[:-2] + b"X-Ctl: a" + bytes([draw(st.sampled_from([0, 1, 8, 11, 12, 27, 127]))]) + b"b\r\n\r\n"
        else:  # space-in-target
            raw = head.replace(b" HTTP/1.1", b" x HTTP/1.1", 1)
        return replace(base, violation=violation, raw=raw)

    return build()

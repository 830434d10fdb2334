"""Mutational generator for the network fuzzer: request vectors + grammar-aware mutations.

Every case is a pure function of one integer seed (:func:`generate`), so a finding is reproduced by its
seed alone, or by the bytes and cut points saved with it.

A case starts from 1-4 valid requests (:func:`seed_requests`, built like the suite's vectors: GET/HEAD,
bodies framed by Content-Length and chunked, HTTP/1.0, keep-alive, absolute-form, Expect), pipelined
in one stream, then applies 1-4 mutations drawn from :data:`MUTATIONS`:

* request line: method case, target forms (absolute, authority, ``*``, bad percent-encoding), extra SP,
  version variants (1.0, 1.2, 2.0, ``http/1.1``);
* fields: insert an interesting field line (Content-Length / Transfer-Encoding / Host / Connection
  variants, obs-fold, whitespace before the colon, CTLs), delete, duplicate, change name case;
* framing: Content-Length off by one or as a list, TE added to a CL request, chunk lines with
  extensions / whitespace / leading zeros, bodies cut short or overlong;
* line endings: a CRLF becomes LF, CR, or gains a CR; empty lines before a request;
* bytes: flip, insert a dictionary token, delete or duplicate a range.

The stream is then cut at 0-4 positions (request boundaries and random offsets) into separate writes.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Callable, List, Sequence, Tuple

from h1conform import grammar
from h1conform.request_bytes import build_request
from h1conform.request_bytes import chunked as chunked_coding

__all__ = ["Case", "seed_requests", "generate", "MUTATIONS"]


@dataclass(frozen=True)
class Case:
    seed: int
    data: bytes
    cuts: Tuple[int, ...]  # offsets where the stream is split into separate writes
    mutations: Tuple[str, ...]

    def segments(self) -> List[bytes]:
        points = [c for c in self.cuts if 0 < c < len(self.data)]
        edges = [0] + sorted(set(points)) + [len(self.data)]
        return [self.data[a:b] for a, b in zip(edges, edges[1:])]


def _req(method: str, target: str, host: str, *, version: str = "1.1", fields: Sequence[Tuple[str, str]] = (),
         body: bytes = b"", chunked: bool = False) -> bytes:
    return build_request(method, target, host=host, version=version, fields=fields,
                         chunked_body=chunked_coding(body) if chunked else None, body=body or None)


def seed_requests(host: str = "127.0.0.1", echo_path: str = "/echo") -> List[bytes]:
    """Valid requests the cases start from (the echo path when the target has one)."""
    p = echo_path or "/"
    return [
        _req("GET", p, host),
        _req("HEAD", p, host),
        _req("GET", p + "?q=1&r=%41", host, fields=[("Accept", "*/*"), ("X-Obs", "caf\xe9")]),
        _req("POST", p, host, body=b"hello"),
        _req("PUT", p, host, body=b"a\r\nb", fields=[("Content-Type", "text/plain")]),
        _req("POST", p, host, body=b"chunked body", chunked=True),
        _req("POST", p, host, body=b"xyz", fields=[("Expect", "100-continue")]),
        _req("GET", p, host, version="1.0"),
        _req("GET", p, host, version="1.0", fields=[("Connection", "keep-alive")]),
        _req("GET", f"http://{host}{p}", host),
        _req("DELETE", p, host, fields=[("Connection", "close")]),
        _req("OPTIONS", p, host),
    ]


# -- mutations ----------------------------------------------------------------------------------------
_FIELDS = [
    b"Content-Length: 0", b"Content-Length: 1", b"Content-Length: 4", b"Content-Length: 1, 1",
    b"Content-Length: 01", b"Content-Length: -1", b"Content-Length: 0x5", b"Content-Length: 99999999999999999999",
    b"Content-Length : 1", b"Content-Length:\t2 ", b"Transfer-Encoding: chunked", b"Transfer-Encoding: Chunked",
    b"Transfer-Encoding: gzip, chunked", b"Transfer-Encoding: chunked, chunked", b"Transfer-Encoding: ,chunked",
    b"Transfer-Encoding: identity", b"Transfer-Encoding: chunked;q=1", b"Transfer-Encoding:", b"Host: a",
    b"Host:", b"Host: [::1]:80", b"Host: a:99999", b"Host: a b", b"Host: u@a", b"Host: a,b", b"Host: [::1%25x]",
    b"Connection: close", b"Connection: keep-alive", b"Connection: CLOSE, x", b"Expect: 100-continue",
    b"X: a\r\n b", b" X: folded", b"X : y", b"X\x00: y", b"X: \x01", b"X: \x7f", b"X: \x80\xff", b":",
    b"X-Long: " + b"a" * 300, b"Trailer: T", b"Upgrade: h2c", b"\tX: y",
]
_TOKENS = [
    b"\r\n", b"\n", b"\r", b" ", b"\t", b"\x00", b":", b";", b",", b"0", b"9", b"f", b"\r\n\r\n", b"HTTP/1.1",
    b"chunked", b"Content-Length: ", b"Transfer-Encoding: ", b"Host: ", b"0\r\n\r\n", b"%", b"?", b"#", b"/",
    b"\x80", b"\xff", b"GET / HTTP/1.1\r\n",
]
_VERSIONS = [b"HTTP/1.0", b"HTTP/1.1", b"HTTP/1.2", b"HTTP/2.0", b"HTTP/0.9", b"http/1.1", b"HTTP/1.10",
             b"HTTP/1", b"HTTP/1.1 ", b"HTTP/ 1.1"]
_TARGETS = [b"*", b"/echo?x", b"/echo#f", b"/echo%zz", b"/e%41cho", b"http://127.0.0.1/echo",
            b"https://127.0.0.1/echo", b"ftp://a/echo", b"http://u@a/echo", b"http:///echo", b"127.0.0.1:80",
            b"/ech o", b"echo", b"//echo", b"/echo/../x", b"/\xff"]
_METHODS = [b"GET", b"HEAD", b"POST", b"get", b"G\x00T", b"CONNECT", b"OPTIONS", b"TRACE", b"PATCH", b"BREW",
            b"GET /"]
_CHUNK_LINES = [b"3", b"03", b"3;a=b", b"3 ;a", b"3 ", b"3\t", b"0x3", b"-3", b"3;a=\"q\"", b"00000000000000000003",
                b"fffffffffffffffff", b"3;", b"3;=", b"A"]
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_REQUEST_LINE = re.compile(rb"(?m)^(" + grammar.TOKEN + rb") (\S+) (HTTP/\d\.\d)\r?$")


def _positions(data: bytes, needle: bytes) -> List[int]:
    out, i = [], data.find(needle)
    while i >= 0:
        out.append(i)
        i = data.find(needle, i + 1)
    return out


def _line_starts(data: bytes) -> List[int]:
    return [0] + [i + 1 for i in _positions(data, b"\n") if i + 1 < len(data)]


def m_crlf(rng: random.Random, data: bytes) -> bytes:
    pos = _positions(data, b"\r\n")
    if not pos:
        return data
    i = rng.choice(pos)
    repl = rng.choice([b"\n", b"\r", b"\r\r\n", b"\n\r", b"\r\n\r\n", b" \r\n"])
    return data[:i] + repl + data[i + 2:]


def m_leading_empty(rng: random.Random, data: bytes) -> bytes:
    starts = [m.start() for m in _REQUEST_LINE.finditer(data)] or [0]
    i = rng.choice(starts)
    return data[:i] + rng.choice([b"\r\n", b"\r\n\r\n", b"\n", b" \r\n"]) + data[i:]


def m_insert_field(rng: random.Random, data: bytes) -> bytes:
    pos = [i + 2 for i in _positions(data, b"\r\n")]
    if not pos:
        return data
    i = rng.choice(pos)
    return data[:i] + rng.choice(_FIELDS) + b"\r\n" + data[i:]


def m_delete_line(rng: random.Random, data: bytes) -> bytes:
    starts = _line_starts(data)
    i = rng.choice(starts)
    j = data.find(b"\n", i)
    return data if j < 0 else data[:i] + data[j + 1:]


def m_duplicate_line(rng: random.Random, data: bytes) -> bytes:
    i = rng.choice(_line_starts(data))
    j = data.find(b"\n", i)
    return data if j < 0 else data[:j + 1] + data[i:j + 1] + data[j + 1:]


def m_name_case(rng: random.Random, data: bytes) -> bytes:
    names = [m for m in re.finditer(rb"(?m)^([!-9;-~]+):", data)]
    if not names:
        return data
    m = rng.choice(names)
    name = m.group(1)
    new = rng.choice([name.lower(), name.upper(), name.swapcase()])
    return data[:m.start(1)] + new + data[m.end(1):]


def m_request_line(rng: random.Random, data: bytes) -> bytes:
    lines = list(_REQUEST_LINE.finditer(data))
    if not lines:
        return data
    m = rng.choice(lines)
    which = rng.randrange(4)
    if which == 0:
        return data[:m.start(1)] + rng.choice(_METHODS) + data[m.end(1):]
    if which == 1:
        return data[:m.start(2)] + rng.choice(_TARGETS) + data[m.end(2):]
    if which == 2:
        return data[:m.start(3)] + rng.choice(_VERSIONS) + data[m.end(3):]
    sp = rng.choice([m.end(1), m.end(2)])
    return data[:sp] + rng.choice([b" ", b"\t", b"  "]) + data[sp:]


def m_content_length(rng: random.Random, data: bytes) -> bytes:
    found = list(re.finditer(rb"(?i)content-length:[ \t]*([0-9]+)", data))
    if not found:
        return m_insert_field(rng, data)
    m = rng.choice(found)
    n = int(m.group(1))
    new = rng.choice([n + 1, max(n - 1, 0), 0, n * 2, n + 1000])
    text = rng.choice([b"%d" % new, b"%d, %d" % (new, new), b"0%d" % new, b"%d " % new, b"+%d" % new])
    return data[:m.start(1)] + text + data[m.end(1):]


def m_chunk_line(rng: random.Random, data: bytes) -> bytes:
    found = list(re.finditer(rb"\r\n\r\n([0-9a-fA-F]+)\r\n", data)) + list(re.finditer(rb"\r\n([0-9a-fA-F]+)\r\n",
                                                                                          data))
    if not found:
        return data
    m = rng.choice(found)
    return data[:m.start(1)] + rng.choice(_CHUNK_LINES) + data[m.end(1):]


def m_body(rng: random.Random, data: bytes) -> bytes:
    heads = list(_HEAD_END.finditer(data))
    if not heads:
        return data
    m = rng.choice(heads)
    choice = rng.randrange(3)
    if choice == 0:
        return data[:m.end()] + data[m.end() + rng.randint(1, 4):]  # cut the body short
    if choice == 1:
        return data[:m.end()] + rng.choice([b"x", b"0\r\n\r\n", b"GET / HTTP/1.1\r\n\r\n"]) + data[m.end():]
    return data[:m.start()] + b"\r\nTransfer-Encoding: chunked" + data[m.start():]  # TE on a CL request


def m_bytes(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return rng.choice(_TOKENS)
    i = rng.randrange(len(data))
    op = rng.randrange(4)
    if op == 0:
        return data[:i] + bytes([data[i] ^ (1 << rng.randrange(8))]) + data[i + 1:]
    if op == 1:
        return data[:i] + rng.choice(_TOKENS) + data[i:]
    j = min(len(data), i + rng.randint(1, 16))
    if op == 2:
        return data[:i] + data[j:]
    return data[:j] + data[i:j] + data[j:]


MUTATIONS: List[Tuple[str, Callable[[random.Random, bytes], bytes]]] = [
    ("crlf", m_crlf), ("leading-empty", m_leading_empty), ("insert-field", m_insert_field),
    ("delete-line", m_delete_line), ("duplicate-line", m_duplicate_line), ("name-case", m_name_case),
    ("request-line", m_request_line), ("content-length", m_content_length), ("chunk-line", m_chunk_line),
    ("body", m_body), ("bytes", m_bytes),
]


def generate(seed: int, seeds: Sequence[bytes]) -> Case:
    """The case for *seed*: pipelined seed requests, mutated, cut into writes."""
    rng = random.Random(seed)
    reqs = [rng.choice(seeds) for _ in range(rng.choice([1, 1, 2, 2, 3, 4]))]
    data = b"".join(reqs)
    boundaries, acc = [], 0
    for r in reqs[:-1]:
        acc += len(r)
        boundaries.append(acc)
    names = []
    if rng.random() < 0.9:  # one case in ten is the valid pipeline as is (oracles on valid input)
        for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4])):
            name, fn = rng.choice(MUTATIONS)
            data = fn(rng, data)
            names.append(name)
    cuts: List[int] = []
    if len(data) > 1 and rng.random() < 0.6:
        pool = [b for b in boundaries if 0 < b < len(data)]
        for _ in range(rng.randint(1, 4)):
            cuts.append(rng.choice(pool) if pool and rng.random() < 0.3 else rng.randrange(1, len(data)))
    return Case(seed, data, tuple(sorted(set(cuts))), tuple(names))

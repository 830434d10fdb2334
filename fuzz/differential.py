"""The differential invariant: the bundled request parser against the reference (h11 + strict layer).

Shared by the atheris harness (``fuzz_request_parser.py``), the regression
corpus replay (``tests/test_fuzz_corpus.py``, plain pytest) and the network
fuzzer (``h1conform fuzz``), so all three judge a byte stream the same way.

:func:`check` raises :class:`Finding` when

* the bundled parser raises anything but its own ``ProtocolError``, or a
  ``ProtocolError`` that wraps an internal error (its defensive ``except``);
* feeding the stream whole, byte by byte or at random splits gives different
  results (the completed requests, and the status of the final error);
* it disagrees with the reference on accept/reject or on the parsed method,
  target, version, fields, body or trailers of any request — unless the
  difference is one of :data:`DOCUMENTED` (docs/fuzzing.md has the table).
"""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from h1conform.reference_request import Outcome, parse_stream
from h1conform.request_walk import target_parts
from h1conform_server.parser import NEED_DATA, Body, EndOfRequest, Limits, ProtocolError, RequestHead, RequestParser

__all__ = ["FUZZ_LIMITS", "EXPECTED", "DOCUMENTED", "Finding", "BundledOutcome", "run_bundled", "splits", "harness_mode",
           "compare", "check"]

#: Small limits so that every limit path is reachable with short inputs; the reference gets the same numbers.
FUZZ_LIMITS = Limits(max_request_line=128, max_header_bytes=512, max_header_fields=12, max_body=512, max_chunk_ext=32)

#: The only exceptions the bundled parser may raise.
EXPECTED = (ProtocolError,)

#: Differences between the bundled parser and the reference that are documented, justified choices
#: (rule of the reference's rejection -> id of the row in docs/fuzzing.md).  Anything else is a finding.
DOCUMENTED = {
    "h11:te-only-chunked": "D3",  # h11 takes exactly one `chunked`; RFC 9110 §5.6.1 lists (", chunked") are valid
    "h11:te-multiple": "D3",  # two Transfer-Encoding lines ("", "chunked"): one list, valid
    "h11:chunk-header": "D4",  # h11 caps chunk-size at 20 hex digits, leading zeros included
    "h11:content-length": "D4",  # h11 caps Content-Length at 20 digits (only without limits)
    "h11:cl-conflict": "D6",  # h11 validates Content-Length (and Transfer-Encoding) in trailer sections too
}


def _host_values(request) -> List[bytes]:
    return [v for n, v in request.headers if n.lower() == b"host"]


#: Requests the reference accepts but which a server may reject by a documented choice
#: (id of the row in docs/fuzzing.md -> predicate on the reference's parse of the request).
PERMITTED_REJECTIONS = {
    # RFC 9110 §5.3: a recipient may combine repeated field lines into one comma-separated value, so a
    # comma in Host cannot be told apart from two Host lines (MUST 400, RFC 9112 §3.2).  reg-name allows
    # "," (RFC 3986 sub-delims); the bundled parser rejects it.
    # The same for the host of an absolute-form or authority-form (CONNECT) request-target.
    "D5": lambda req: any(b"," in v for v in _host_values(req)) or b"," in target_parts(req.target)[0],
}


def permitted_rejection(request) -> Optional[str]:
    for doc_id, applies in PERMITTED_REJECTIONS.items():
        if applies(request):
            return doc_id
    return None


#: Known, unfixed bugs of the bundled parser (fixtures/findings/manifest.json has them as "xfail"): the
#: harness and the network fuzzer against the bundled server skip inputs they explain, so a campaign keeps
#: looking for new ones.  Set H1CONFORM_FUZZ_KNOWN=report to report them anyway.
# K1 (an IPv6 zone identifier accepted in Host) was fixed in server_under_test/grammar.py valid_host.
KNOWN_BUGS: dict = {}
REPORT_KNOWN = os.environ.get("H1CONFORM_FUZZ_KNOWN", "") == "report"


def known_bug(ref: Outcome, data: bytes) -> Optional[str]:
    """The known bug that explains the bundled parser accepting the request the reference rejected."""
    rej = ref.rejection
    if rej is None:
        return None
    end = data.find(b"\r\n\r\n", rej.offset)
    head = data[rej.offset : end if end >= 0 else len(data)]
    for name, applies in KNOWN_BUGS.items():
        if applies(rej, head):
            return name
    return None


class Finding(AssertionError):
    """An invariant broken by one input."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


@dataclass(frozen=True)
class BundledOutcome:
    requests: Tuple[tuple, ...]  # (method, target, version, headers, body, trailers) per completed request
    status: Optional[int]  # None: every byte parsed into complete requests
    reason: str = ""

    @property
    def accepted(self) -> bool:
        return self.status is None


def run_bundled(chunks: Sequence[bytes], limits: Limits = FUZZ_LIMITS) -> BundledOutcome:
    """Feed *chunks* then EOF, draining events after each feed."""
    p = RequestParser(limits)
    done: List[tuple] = []
    head: Optional[RequestHead] = None
    body = bytearray()

    def drain() -> None:
        nonlocal head, body
        while True:
            ev = p.next_event()
            if ev is NEED_DATA:
                return
            if isinstance(ev, RequestHead):
                if head is not None:
                    raise Finding("event-order", "RequestHead while another request is open")
                head, body = ev, bytearray()
            elif isinstance(ev, Body):
                if head is None:
                    raise Finding("event-order", "Body outside a request")
                body += ev.data
            elif isinstance(ev, EndOfRequest):
                if head is None:
                    raise Finding("event-order", "EndOfRequest outside a request")
                done.append((head.method, head.target, head.version, tuple(head.headers), bytes(body),
                             tuple(ev.trailers)))
                head = None
            else:
                raise Finding("event-type", f"unexpected event {ev!r}")

    try:
        for chunk in chunks:
            p.feed(chunk)
            drain()
        p.feed_eof()
        drain()
    except EXPECTED as exc:
        if exc.__cause__ is not None:  # the parser's defensive `except Exception` caught a real bug
            raise exc.__cause__
        return BundledOutcome(tuple(done), exc.status, exc.reason)
    if head is not None:
        raise Finding("eof", "NEED_DATA after EOF inside a request (no error raised)")
    return BundledOutcome(tuple(done), None)


def splits(data: bytes, mode: str, seed: Optional[int] = None) -> List[bytes]:
    """``whole``, ``bytes`` (one byte per feed) or ``random`` (1-8 cut points drawn from *seed*, default: a
    CRC of the data, so an input always splits the same way; a small LCG, cheaper than random.Random)."""
    if mode == "whole" or len(data) < 2:
        return [data]
    if mode == "bytes":
        return [data[i : i + 1] for i in range(len(data))]
    x = zlib.crc32(data) if seed is None else seed & 0xFFFFFFFF
    cuts = set()
    for _ in range(1 + x % 8):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        cuts.add(1 + x % (len(data) - 1))
    edges = [0] + sorted(cuts) + [len(data)]
    return [data[a:b] for a, b in zip(edges, edges[1:])]


def harness_mode(data: bytes) -> str:
    """The split the atheris harness checks for *data*: byte by byte for inputs up to 32 bytes and for one
    longer input in eight (by CRC), random splits otherwise -- over a campaign every mode runs on a great
    many inputs, at a cost that keeps the harness within 1/3 of plain h11's speed.  The corpus replay runs
    both on every input."""
    if len(data) <= 32 or zlib.crc32(data) & 7 == 0:
        return "bytes"
    return "random"


def _ref_key(r) -> tuple:
    return (r.method, r.target, r.version, tuple(r.headers), r.body, tuple(r.trailers))


def compare(bundled: BundledOutcome, ref: Outcome, data: bytes = b"", *,
            suppress_known: bool = not REPORT_KNOWN) -> Optional[str]:
    """None when they agree; the id of a documented difference (or "known" for a known bug, see
    :data:`KNOWN_BUGS`); else raise :class:`Finding`."""
    ref_requests = [_ref_key(r) for r in ref.requests]
    if list(bundled.requests) == ref_requests and bundled.accepted == ref.accepted:
        return None  # the status of a shared rejection may differ (D1)
    if ref.rejection is not None and ref.rejection.rule in DOCUMENTED:
        k = ref.rejection.index
        if list(bundled.requests[:k]) == ref_requests[:k]:
            return DOCUMENTED[ref.rejection.rule]
    k = len(bundled.requests)
    if not bundled.accepted and k < len(ref_requests) and list(bundled.requests) == ref_requests[:k]:
        doc_id = permitted_rejection(ref.requests[k])
        if doc_id is not None:
            return doc_id
    n = min(len(bundled.requests), len(ref_requests))
    if len(bundled.requests) > len(ref_requests) or bundled.accepted:
        if suppress_known and list(bundled.requests[:len(ref_requests)]) == ref_requests \
                and known_bug(ref, data) is not None:
            return "known"
    for i in range(n):
        if bundled.requests[i] != ref_requests[i]:
            fields = ("method", "target", "version", "headers", "body", "trailers")
            diff = [f"{f}: {b!r:.80} vs {r!r:.80}" for f, b, r in zip(fields, bundled.requests[i], ref_requests[i])
                    if b != r]
            raise Finding("interpretation", f"request {i} parsed differently (bundled vs reference) -- "
                          + "; ".join(diff))
    if len(bundled.requests) > len(ref_requests):
        rej = ref.rejection
        raise Finding("accepted-invalid", f"bundled parser accepted request {n} which the reference rejects"
                      f" ({rej.rule}: {rej.detail})" if rej else "")
    if len(bundled.requests) < len(ref_requests):
        raise Finding("rejected-valid", f"bundled parser rejected request {n} ({bundled.status} {bundled.reason})"
                      " which the reference accepts")
    if bundled.accepted:
        rej = ref.rejection
        raise Finding("accepted-invalid", f"bundled parser accepted the tail which the reference rejects"
                      f" ({rej.rule}: {rej.detail})" if rej else "")
    raise Finding("rejected-valid", f"bundled parser rejected the tail ({bundled.status} {bundled.reason})"
                  " which the reference accepts")


def check(data: bytes, *, limits: Limits = FUZZ_LIMITS, modes: Sequence[str] = ("bytes", "random"),
          suppress_known: bool = not REPORT_KNOWN) -> Optional[str]:
    """All three invariants for one input; returns None or a documented difference id, raises Finding."""
    whole = run_bundled([data], limits)
    for mode in modes:
        other = run_bundled(splits(data, mode), limits)
        if (other.requests, other.status) != (whole.requests, whole.status):
            raise Finding("split", f"feeding {mode} gives {len(other.requests)} requests / {other.status}"
                          f" ({other.reason}) but whole gives {len(whole.requests)} / {whole.status} ({whole.reason})")
    ref = parse_stream(data, limits=limits)
    return compare(whole, ref, data, suppress_known=suppress_known)

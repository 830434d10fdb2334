"""The one builder of request bytes: a request-line, the fields in order, and the content framed.

Used by the probe (:meth:`h1conform.probe.Probe.request`, which every case builds on), by calibration and by the
network fuzzer's seed requests, so a request is written one way everywhere.  Requests that break the grammar on
purpose (smuggling variants, mutations) start from these bytes or are written out byte by byte where they are
declared.
"""

from __future__ import annotations

from typing import Optional, Sequence, Tuple, Union

__all__ = ["build_request", "chunked"]


def build_request(method: str, target: str, *, host: Optional[str], version: str = "1.1",
                  fields: Sequence[Tuple[str, str]] = (), body: Optional[bytes] = None,
                  length: Union[bool, int] = True, chunked_body: Optional[bytes] = None,
                  close: bool = False, keep_alive: bool = False) -> bytes:
    """``METHOD target HTTP/version``, then ``Host`` (unless *host* is None), *fields*, ``Connection: close`` /
    ``keep-alive`` when asked, and the framing: *chunked_body* is already chunk-encoded (adds
    ``Transfer-Encoding: chunked``); a *body* gets ``Content-Length`` (its length with ``length=True``, the given
    number with an int, none with ``False``).  Field values are latin-1 text."""
    lines = [f"{method} {target} HTTP/{version}"]
    if host is not None:
        lines.append(f"Host: {host}")
    lines.extend(f"{name}: {value}" for name, value in fields)
    if close:
        lines.append("Connection: close")
    if keep_alive:
        lines.append("Connection: keep-alive")
    payload = b""
    if chunked_body is not None:
        lines.append("Transfer-Encoding: chunked")
        payload = chunked_body
    elif body is not None:
        if length is True:
            lines.append(f"Content-Length: {len(body)}")
        elif length is not False:
            lines.append(f"Content-Length: {length}")
        payload = body
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload


def chunked(body: bytes) -> bytes:
    """*body* as one chunk (none when empty) and the last chunk, without trailers (RFC 9112 §7.1)."""
    return (b"%x\r\n%s\r\n" % (len(body), body) if body else b"") + b"0\r\n\r\n"

"""Content-coding negotiation for static files (RFC 9110 §12.5.3, §12.5.5).

A text file is sent gzip-coded (``Content-Encoding: gzip``) to a GET or HEAD whose Accept-Encoding
accepts gzip with a non-zero weight and that has no Range (ranges apply to the identity content).  The
coded representation is a different representation: it has its own strong ETag (``"...-gzip"``) and
is compressed with a fixed gzip header time, so the same file always gives the same octets.  Every
response of a negotiable resource says ``Vary: Accept-Encoding`` (the identity one too: a cache must
not hand it to a client that asked differently).

:func:`select` is the strict ``AppRules.select_coding``.
"""
from __future__ import annotations

import gzip
from dataclasses import replace
from typing import Optional

from .conditional import Validators
from .grammar import QVALUE

VARY = ("Vary", "Accept-Encoding")


def negotiable(content_type: str) -> bool:
    """Resources whose content may be coded: text."""
    return content_type.startswith("text/")


def _weight(params: str) -> float:
    for param in params.split(";"):
        m = QVALUE.fullmatch(param)
        if m:
            return float(m.group(1))
    return 1.0


def accepts_gzip(request) -> bool:
    """Accept-Encoding lists gzip (or x-gzip, or ``*`` without gzip) with a non-zero weight."""
    weights = {}
    for element in ",".join(request.header_values("Accept-Encoding")).split(","):
        coding, _, params = element.partition(";")
        coding = coding.strip(" \t").lower()
        if coding:
            weights.setdefault("gzip" if coding == "x-gzip" else coding, _weight(params))
    if "gzip" in weights:
        return weights["gzip"] > 0
    return weights.get("*", 0) > 0


def codable(request, content_type: str) -> bool:
    """May the response to *request* be coded at all?  (Text, to GET or HEAD, without Range.)"""
    return negotiable(content_type) and request.method in ("GET", "HEAD") and not request.header_values("Range")


def select(request, content_type: str) -> Optional[str]:
    """The content coding to send (``"gzip"``) or None for the identity content."""
    return "gzip" if codable(request, content_type) and accepts_gzip(request) else None


def validators(v: Validators, coding: Optional[str]) -> Validators:
    """The validators of the selected representation: the coded one has its own ETag."""
    return v if coding is None else replace(v, etag=v.etag[:-1] + '-%s"' % coding)


def encode(response, coding: Optional[str], v: Validators):
    """Code a 200's content; the ETag becomes the coded representation's."""
    if coding is None or response.status != 200:
        return response
    response.body = gzip.compress(response.body, mtime=0)
    response.headers[:] = [(n, v.etag if n == "ETag" else val) for n, val in response.headers]
    response.headers.append(("Content-Encoding", coding))
    return response

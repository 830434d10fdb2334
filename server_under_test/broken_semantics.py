"""Broken-server switches for HTTP semantics (RFC 9110): methods, status codes,
conditional requests, representation metadata.  See broken.py for how switches are used.
"""
from __future__ import annotations

SEMANTIC_SWITCHES: dict[str, str] = {
}

"""Broken-server switches for message syntax and framing (the smuggling probes).

Each one makes the parser lenient in exactly one known-dangerous way; see
broken.py for how switches are used.
"""
from __future__ import annotations

PARSING_SWITCHES: dict[str, str] = {
}

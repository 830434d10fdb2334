"""Deliberately lenient parsing, used only by the broken-server switches of broken_parsing.py.

Each function is the mistake a real parser makes: Python's int() on a length,
stripping Unicode whitespace, finding "chunk" in a Transfer-Encoding value.
The conformance suite's smuggling probes must catch every one of them.
"""
from __future__ import annotations

import re
from typing import List, Optional, Tuple

_JUNK = b" \t\x0b\x0c\x00\x85\xa0\"'"
_MASK32 = (1 << 32) - 1


def int_like_python(text: bytes, base: int) -> int:
    """int() the way careless code does: strips, accepts +/-/_/0x, wraps at 32 bits, junk -> 0."""
    text = text.strip(_JUNK).split(b",")[0].strip().replace(b"_", b"")
    try:
        value = int(text.decode("latin-1"), 0 if base == 10 and text[:2].lower() == b"0x" else base)
    except ValueError:
        try:
            value = int(float(text.decode("latin-1")))
        except ValueError:
            digits = re.match(rb"[0-9A-Fa-f]*" if base == 16 else rb"[0-9]*", text).group()  # type: ignore
            value = int(digits, base) if digits else 0
    return abs(value) & _MASK32


def transfer_coding(values: List[bytes]) -> Optional[bytes]:
    """A value that contains "chunk" anywhere, in any case, quoted or padded, means chunked."""
    joined = b",".join(values).lower()
    return b"chunked" if b"chunk" in joined else None


def field_line(line: bytes) -> Tuple[bytes, bytes]:
    """Whitespace anywhere around the name is dropped; a line without a colon is a field with no value."""
    name, _, value = line.partition(b":")
    return name.strip(b" \t\x0b\x0c").replace(b"_", b"-"), value.strip(b" \t")


def strip_value(value: bytes) -> bytes:
    return value.strip(_JUNK.replace(b'"', b"").replace(b"'", b""))


def version(text: bytes) -> Tuple[int, int]:
    """Case-insensitive, leading zeros and extra digits ignored; anything else is 1.1."""
    m = re.match(rb"(?i)\s*http/0*([0-9]+)(?:\.0*([0-9]+))?", text)
    if not m:
        return (1, 1)
    major, minor = int(m.group(1)), int(m.group(2) or b"0")
    return (1, 0) if (major, minor) == (1, 0) or (major == 1 and m.group(2) is None) else (1, 1)

"""The ParseRules: how requests are read (the parser's seam);
strict by default.  Only quirks change them (see quirks/__init__.py)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ParseRules:
    pass

"""The rules the bundled server follows, one frozen object per seam, strict by default.

The parser reads its :class:`ParseRules`, a connection its :class:`ConnectionRules` (persistence policy and
writer hooks), the application its :class:`AppRules`.  Quirks (``quirks/``) are the only code that makes
them anything but strict; :data:`STRICT` is what a server without quirks runs with.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import FrozenSet

from .app_rules import AppRules
from .connection_rules import ConnectionRules
from .parse_rules import ParseRules

__all__ = ["Rules", "STRICT", "ParseRules", "ConnectionRules", "AppRules"]


@dataclass(frozen=True)
class Rules:
    parser: ParseRules = field(default_factory=ParseRules)
    connection: ConnectionRules = field(default_factory=ConnectionRules)
    app: AppRules = field(default_factory=AppRules)
    #: the quirks these rules were made from (for display, and for the code not yet moved to a seam)
    quirks: FrozenSet[str] = frozenset()


STRICT = Rules()

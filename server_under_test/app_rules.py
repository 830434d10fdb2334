"""The AppRules: what the application answers (the app's seam);
strict by default.  Only quirks change them (see quirks/__init__.py)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AppRules:
    pass

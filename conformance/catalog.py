"""The list of cases (and, re-exported from :mod:`.spec`, the requirements catalog they name)."""

from __future__ import annotations

import importlib
import pkgutil
from typing import List

from .cases import REGISTRY, Case
from .spec import Requirement, fixtures_dir, requirements

__all__ = ["CASE_PACKAGES", "load_cases", "Requirement", "fixtures_dir", "requirements"]

CASE_PACKAGES = ("h1conform.rfc9112", "h1conform.rfc9110")


def load_cases() -> List[Case]:
    """Import every case module and return the cases, ordered by section then id."""
    for pkg_name in CASE_PACKAGES:
        pkg = importlib.import_module(pkg_name)
        for mod in pkgutil.iter_modules(pkg.__path__):
            if mod.name.startswith("test_"):
                importlib.import_module(f"{pkg_name}.{mod.name}")
    return sorted(REGISTRY.values(), key=lambda c: (c.section_key, c.id))

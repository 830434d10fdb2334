"""The requirements catalog (a data file) and the list of cases."""

from __future__ import annotations

import csv
import importlib
import io
import pkgutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List

from .cases import REGISTRY, Case
from .errors import BrokenInstall

CASE_PACKAGES = ("h1conform.rfc9112", "h1conform.rfc9110")


def fixtures_dir() -> Path:
    """``fixtures/`` of the source tree, installed as the ``h1conform_fixtures`` package."""
    import h1conform_fixtures

    if not hasattr(h1conform_fixtures, "path"):  # an empty folder of that name, left by an earlier install
        raise BrokenInstall(f"h1conform_fixtures is {', '.join(h1conform_fixtures.__path__)}, which is not the"
                            " package h1conform installed (a folder left by an earlier install?): remove it")
    return h1conform_fixtures.path()


@dataclass(frozen=True)
class Requirement:
    id: str
    rfc: str
    section: str
    level: str
    subject: str
    summary: str
    observable: str
    testable: str
    basis: str
    area: str
    anchor: str


@lru_cache(maxsize=1)
def requirements() -> Dict[str, Requirement]:
    text = (fixtures_dir() / "spec" / "requirements.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    return {row["id"]: Requirement(**row) for row in rows}


def load_cases() -> List[Case]:
    """Import every case module and return the cases, ordered by section then id."""
    for pkg_name in CASE_PACKAGES:
        pkg = importlib.import_module(pkg_name)
        for mod in pkgutil.iter_modules(pkg.__path__):
            if mod.name.startswith("test_"):
                importlib.import_module(f"{pkg_name}.{mod.name}")
    return sorted(REGISTRY.values(), key=lambda c: (c.section_key, c.id))

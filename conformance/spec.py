"""The requirements catalog, ``fixtures/spec/requirements.tsv``: one row per RFC requirement.

A case names requirement ids; its ``section`` and ``level`` default from the row of its first one
(:func:`defaults`), so a case module states them only where they differ from the catalog.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, Tuple

from .errors import BrokenInstall

__all__ = ["Requirement", "fixtures_dir", "requirements", "defaults"]


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


def defaults(req_id: str) -> Tuple[str, str]:
    """(section, level) of the catalog row *req_id*: ``("RFC 9112 §9.3", "MUST")``; KeyError when there is none."""
    row = requirements()[req_id]
    return f"RFC {row.rfc} §{row.section}", row.level

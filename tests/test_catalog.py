"""The case registry against the requirements catalog."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
from h1conform.catalog import fixtures_dir, load_cases, requirements

CASES = load_cases()
SHARED = Path(__file__).resolve().parents[2] / "shared" / "spec" / "requirements.tsv"


def test_at_least_forty_cases():
    assert len(CASES) >= 40


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.id)
def test_case_names_catalog_requirements(c):
    catalog = requirements()
    unknown = [r for r in c.requirements if r not in catalog]
    assert not unknown, f"{c.id} names requirement ids that are not in the catalog: {unknown}"


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.id)
def test_case_section_matches_a_requirement(c):
    catalog = requirements()
    sections = {f"RFC {catalog[r].rfc} §{catalog[r].section}" for r in c.requirements}
    assert c.section in sections, f"{c.id}: section {c.section} is none of its requirements' {sections}"


def test_case_ids_are_unique_and_stable_words():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.skipif(not SHARED.exists(), reason="no ../shared/spec beside the checkout")
def test_catalog_copy_is_in_sync_with_shared_spec():
    assert filecmp.cmp(SHARED, fixtures_dir() / "spec" / "requirements.tsv", shallow=False)

"""The distribution installs only import names that start with h1conform, and ships the data it reads."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_the_wheel_has_one_namespace_and_its_data(tmp_path):
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), ROOT],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    (wheel,) = tmp_path.glob("h1conform-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/", 1)[0] for n in names if not n.split("/", 1)[0].endswith((".dist-info", ".data"))}
    assert top == {"h1conform", "h1conform_server", "h1conform_fixtures", "h1conform_fuzz"}, top
    for data in ("h1conform_fixtures/__init__.py", "h1conform_fixtures/spec/requirements.tsv",
                 "h1conform_fixtures/spec/uncovered.tsv", "h1conform_fixtures/docroot/index.html",
                 "h1conform/conftest.py", "h1conform/reference_request.py", "h1conform_fuzz/network.py",
                 "h1conform/reports/report.schema.json"):
        assert data in names, data


def test_every_package_folder_is_installed():
    """A folder with an __init__.py under a package's directory is a subpackage: a plain `pip install .`
    leaves it out unless pyproject.toml lists it (an editable install would hide the omission)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(root, "pyproject.toml"), "rb") as fh:
        setuptools = tomllib.load(fh)["tool"]["setuptools"]
    listed = set(setuptools["packages"])
    found = set()
    for name, folder in setuptools["package-dir"].items():
        for here, dirs, files in os.walk(os.path.join(root, folder)):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            if "__init__.py" in files:
                rel = os.path.relpath(here, os.path.join(root, folder))
                found.add(name if rel == "." else name + "." + rel.replace(os.sep, "."))
    assert found <= listed, f"not in pyproject.toml's packages: {sorted(found - listed)}"

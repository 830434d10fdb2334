"""Make ``python fuzz/fuzz_X.py`` work from a source checkout: put the repository root on sys.path."""

from __future__ import annotations

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

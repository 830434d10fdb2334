"""Quirks: each one breaks exactly one rule of the bundled server, so that the suite can prove a case detects
that rule broken (the case passes on the strict server and fails with the quirk on).

A quirk is declared once, with :func:`quirk`: its name, what it does, the cases it breaks, and what it changes
at the server's seams, as keyword arguments naming a field of a seam's rules (see ``rules.py``):

- ``parser=``: :class:`~h1conform_server.parse_rules.ParseRules`, how requests are read;
- ``connection=``: :class:`~h1conform_server.connection_rules.ConnectionRules`, persistence and the writer;
- ``app=``: :class:`~h1conform_server.app_rules.AppRules`, what the application answers.

The strict code consults those rules and never names a quirk.  :func:`rules_for` turns quirk names into the
rules a server runs with; an unknown name is an :class:`UnknownQuirk`.  Hooks (fields whose strict value is a
tuple) add up across quirks; any other field may be set by one quirk of a combination only.  The proof table
of the project's tests is derived from these declarations (``breaks``, ``cascades`` and ``PROVEN_TOGETHER``).
"""
from __future__ import annotations

# the declarations, registered on import (the semantics family spans semantics.py and the four after it)
from . import (  # noqa: F401
    byte_ranges,
    conditionals,
    core,
    parsing,
    representation,
    requests,
    resources,
    responses,
    semantics,
    together,
)
from .declare import PROVEN_TOGETHER, QUIRKS, Quirk, QuirkConflict, UnknownQuirk, rules_for, validate

__all__ = ["Quirk", "QUIRKS", "PROVEN_TOGETHER", "UnknownQuirk", "QuirkConflict", "rules_for", "validate"]

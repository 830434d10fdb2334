"""Proof table for HTTP semantics (RFC 9110); see test_proof.py."""

from __future__ import annotations

PROOF: dict = {
}

# Switches whose effect cascades into many cases: checked as "at least these".
CASCADING: set = set()

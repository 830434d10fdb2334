"""Proof table for message syntax and framing (the smuggling probes); see test_proof.py."""

from __future__ import annotations

PROOF: dict = {
}

# Switches whose effect cascades into many cases: checked as "at least these".
CASCADING: set = set()

"""The persistence policy: does a connection persist after a response, and what does the response say about
it (RFC 9112 §9.3, §9.6).  The choices a quirk can change are ConnectionRules fields."""
from __future__ import annotations

from typing import Set, Tuple

from .connection_rules import ConnectionRules, Plan

__all__ = ["Plan", "plan_persistence"]


def plan_persistence(version: Tuple[int, int], options: Set[str], rules: ConnectionRules,
                     close_delimited: bool = False, force_close: bool = False) -> Plan:
    keep_alive_header = False
    if version >= (1, 1):
        persistent = True
    elif "keep-alive" in options and rules.http10_keep_alive:
        persistent = True
        keep_alive_header = rules.announce_http10_keep_alive
    else:
        persistent = rules.http10_persistent_by_default
    if "close" in options and rules.honour_close_option:
        persistent = False
    if force_close or not rules.persistent:
        persistent = False
    if close_delimited:
        persistent = not rules.close_delimited_closes
    send_close = not persistent and rules.announce_close
    return Plan(send_close, persistent and keep_alive_header, not persistent)

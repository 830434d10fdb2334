"""Hooks that the response and persistence quirks (core.py, responses.py) put into ConnectionRules: each is
the one mistake its quirk names."""
from __future__ import annotations

import time
from email.utils import formatdate
from typing import List, Set, Tuple

from ..connection_rules import Plan
from ..messages import Response

Lines = List[str]


def _with_version(lines: Lines, proto: str) -> Lines:
    return [proto + lines[0][len("HTTP/1.1"):], *lines[1:]]


def http10_status_line_to_http10(lines: Lines, version: Tuple[int, int], sent: bytes) -> Lines:
    """An HTTP/1.0 request is answered with an HTTP/1.0 status line."""
    return _with_version(lines, "HTTP/1.0") if version == (1, 0) else lines


def status_line_http10(lines: Lines, version: Tuple[int, int], sent: bytes) -> Lines:
    return _with_version(lines, "HTTP/1.0")


def status_line_repeats_request(lines: Lines, version: Tuple[int, int], sent: bytes) -> Lines:
    return _with_version(lines, sent.decode("latin-1"))


def status_line_lower_case(lines: Lines, version: Tuple[int, int], sent: bytes) -> Lines:
    proto, rest = lines[0].split(" ", 1)
    return [proto.lower() + " " + rest, *lines[1:]]


def _date(lines: Lines, value: str) -> Lines:
    return [("Date: " + value) if line.startswith("Date: ") else line for line in lines]


def date_rfc850(lines: Lines, version: Tuple[int, int], sent: bytes) -> Lines:
    return _date(lines, time.strftime("%A, %d-%b-%y %H:%M:%S GMT", time.gmtime()))


def date_an_hour_old(lines: Lines, version: Tuple[int, int], sent: bytes) -> Lines:
    return _date(lines, formatdate(time.time() - 3600, usegmt=True))


def no_date(lines: Lines, version: Tuple[int, int], sent: bytes) -> Lines:
    return [line for line in lines if not line.startswith("Date: ")]


def space_before_first_field(lines: Lines, version: Tuple[int, int], sent: bytes) -> Lines:
    return [lines[0], " " + lines[1], *lines[2:]] if len(lines) > 1 else lines


def options_whole_value(values: List[str]) -> Set[str]:
    """The Connection value is compared as one string, not as a list."""
    return {", ".join(values).strip(" \t").lower()}


def options_case_sensitive(values: List[str]) -> Set[str]:
    return {e.strip(" \t") for v in values for e in v.split(",") if e.strip(" \t")}


def expects_lower_case_only(value: bytes) -> bool:
    return value == b"100-continue"


def no_close_after_400(status: int, plan: Plan) -> Plan:
    """A 400 is sent without Connection: close, and the connection goes on."""
    return Plan(False, False, False) if status == 400 else plan


def keeps_reading_after_saying_close(status: int, plan: Plan) -> Plan:
    """The error response says close, and the server keeps reading anyway (resync after the bad head)."""
    if plan.send_close:
        plan.close_after = False
    return plan


def empty_505(response: Response) -> Response:
    """A 505 without an explanation or the list of supported versions."""
    if response.status == 505:
        response.body = b""
    return response

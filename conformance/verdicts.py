"""Checks a case states its rule with.  Each records Expected/Actual on the probe
and raises :class:`~h1conform.errors.Violation` when the target broke the rule."""

from __future__ import annotations

import re
from typing import Collection, Optional

from .errors import Inconclusive, Violation
from .probe import Exchange, Probe
from .reference import Response


def check(probe: Probe, ok: bool, expected: str, actual: str, *, level: Optional[str] = None) -> None:
    probe.observe(expected, actual)
    if not ok:
        raise Violation(expected, actual, level=level)


def inconclusive(probe: Probe, expected: str, actual: str, reason: str, remedy: str = "") -> None:
    """Stop the case: it ran, but what it saw cannot tell compliant from non-compliant on this target."""
    probe.observe(expected, actual)
    raise Inconclusive(expected, actual, reason=reason, remedy=remedy)


def status_text(codes: Collection[int]) -> str:
    codes = sorted(codes)
    if len(codes) > 6 and codes == list(range(codes[0], codes[-1] + 1)):
        return f"{codes[0]}-{codes[-1]}"
    return "/".join(str(c) for c in codes)


SUCCESS = range(200, 300)
CLIENT_ERROR = range(400, 500)


def expect_responses(probe: Probe, ex: Exchange, n: int, what: str = "") -> None:
    """Exactly ``n`` final responses to the case's requests, none unasked-for, all complete."""
    complete = [r for r in ex.responses if r.complete]
    noun = "response" if n == 1 else "responses"
    check(probe, len(complete) == n and len(ex.responses) == n,
          f"exactly {n} complete {noun}{' ' + what if what else ''}",
          f"{len(complete)} complete of {len(ex.responses)}: {ex.describe()}")


def expect_answered_in_order_prefix(probe: Probe, ex: Exchange, n: int, what: str) -> bool:
    """All ``n`` requests answered, or a prefix of them where the last response
    says Connection: close and the connection then closed (a server may stop
    persisting, RFC 9112 §9.3; the client retries the rest).  True when all
    ``n`` were answered."""
    complete = [r for r in ex.responses if r.complete]
    k = len(complete)
    stopped = 0 < k < n and complete[-1].says_close and ex.closed and len(ex.responses) == k
    check(probe, (k == n and len(ex.responses) == n) or stopped,
          f"{n} complete responses {what} (or fewer, the last saying Connection: close, then a close)",
          f"{k} complete of {len(ex.responses)}: {ex.describe()}")
    return k == n


def expect_status(probe: Probe, resp: Optional[Response], accept: Collection[int], what: str = "the response") -> None:
    actual = "no response" if resp is None else f"{resp.status} {resp.reason.decode('latin-1')}"
    check(probe, resp is not None and resp.status in accept, f"{what}: status {status_text(accept)}", actual)


def expect_closed(probe: Probe, ex: Exchange, after: str) -> None:
    """The target closed the connection (and answered nothing more) after ``after``."""
    check(probe, ex.closed and not ex.unsolicited,
          f"the connection is closed after {after}, and nothing more is answered",
          ex.describe())


def expect_persisted(probe: Probe, ex: Exchange, after: str) -> None:
    """The connection was still usable after ``after``: a follow-up request was answered."""
    check(probe, ex.persisted and not ex.unsolicited,
          f"the connection stays open after {after} (a follow-up request is answered)",
          ex.describe())


def expect_no_early_bytes(probe: Probe, ex: Exchange, until: float, what: str) -> None:
    """Nothing arrived before time ``until`` (seconds into the connection)."""
    early = ex.transcript.received_before(until)
    if not ex.all_sent:
        check(probe, False, f"no response bytes before {what}",
              f"the target answered and ended the connection before it: {ex.describe()}")
    check(probe, not early, f"no response bytes before {what}",
          f"{len(early)} bytes arrived before it: {early[:80]!r}")


def expect_same_answer(probe: Probe, whole: Exchange, ex: Exchange, how: str) -> None:
    """``ex`` (the request sent ``how``) got exactly one response, the same status
    and body as the request sent whole in one write."""
    expect_responses(probe, ex, 1, f"to the request sent {how}")
    base = whole.responses[0] if whole.responses else None
    got = ex.responses[0]
    same = base is not None and base.status == got.status and base.body == got.body
    check(probe, same, f"the same answer as when sent in one write ({base.summary() if base else 'no response'})",
          got.summary())


def echo_of(probe: Probe, resp: Response) -> dict:
    """The echo endpoint's JSON, or a violation when the response is not it."""
    from .probe import echo_json

    data = echo_json(resp) if resp is not None and resp.status == 200 else None
    check(probe, data is not None, "a 200 response from the echo endpoint with its JSON body",
          resp.summary() if resp is not None else "no response")
    return data


def before_content(ex: Exchange) -> bytes:
    """What arrived before the case's last segment (its content) was written.  When the target ended the
    connection before that segment could be written, the content was never sent: everything that arrived
    came before it."""
    if not ex.all_sent:
        return ex.transcript.received
    return ex.transcript.received_before(ex.send_done_at)


def answered_before_content(ex: Exchange) -> bool:
    """A response began before the case's last segment was written (or the content was never sent)."""
    return before_content(ex).startswith(b"HTTP/")


def first_status(data: bytes) -> Optional[int]:
    """The status code of the first status line in ``data`` (``HTTP/1.x NNN``), or None."""
    m = re.match(rb"HTTP/1\.[0-9] ([0-9]{3})", data)
    return int(m.group(1)) if m else None


#: statuses a route gives from its own configuration -- a redirect, authentication, access, existence, its own
#: failure -- which it can decide before the method, the content or the framing of the request are looked at
ROUTE_STATUSES = frozenset({301, 302, 303, 307, 308, 401, 403, 404, 410, 500, 502, 503})


def route_answer(resp: Optional[Response]) -> bool:
    """The response is one a route gives from its configuration alone (see :data:`ROUTE_STATUSES`)."""
    return resp is not None and resp.status in ROUTE_STATUSES


def first_head(data: bytes):
    """(status, lower-case field names) of the first response head in ``data``, or (None, set()).

    For answers the reference does not hand back as a response -- a 2xx to CONNECT switches the connection to a
    tunnel, and when the target then neither closes nor sends more, no response is recorded."""
    status = first_status(data)
    if status is None:
        return None, set()
    head = data.split(b"\r\n\r\n", 1)[0]
    names = {line.split(b":", 1)[0].strip().lower().decode("latin-1") for line in head.split(b"\r\n")[1:]
             if b":" in line}
    return status, names

"""A case's connections as one list of wire events: the bytes every report format carries (JSON, HTML, pcap).

:func:`capture` turns the client's transcripts (:class:`h1conform.client.Transcript`, one per connection) into
:class:`WireEvent` s in time order.  ``conn`` numbers the case's connections from 1 in the order they were opened;
``t`` is seconds since the case started (the probe was made); ``dir`` is one of :data:`DIRS`:

==============  =====================================================================================
``open``        we opened the connection (the TCP handshake)
``send``        bytes we wrote (``data``)
``recv``        bytes the target sent (``data``)
``pause``       a deliberate pause of the case before its next segment (``note``: how long)
``half-close``  we sent FIN (shutdown for writing) and kept reading
``eof``         the target closed the connection (FIN)
``reset``       the target reset the connection (RST), or writing to it failed
``timeout``     the target neither answered nor closed before a read or write deadline
``limit``       the target sent more than the connection's byte limit; reading stopped
``close``       we closed the connection
==============  =====================================================================================

A report must not balloon on a target that floods: a case keeps at most ``budget`` bytes of data in all (the
first ones); an event cut short, or emptied, says by how many bytes in ``truncated``.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Iterable, List

DIRS = ("open", "send", "recv", "pause", "half-close", "eof", "reset", "timeout", "limit", "close")
DATA_DIRS = ("send", "recv")
#: the data bytes one case keeps for its reports (the largest answers a case asks for are 64 KiB)
CASE_WIRE_BYTES = 128 * 1024
_END = {"closed": "eof", "reset": "reset", "timeout": "timeout", "limit": "limit"}


@dataclass(frozen=True)
class WireEvent:
    conn: int
    t: float
    dir: str
    data: bytes = b""
    truncated: int = 0  # bytes of this event left out (the case's byte budget was spent)
    note: str = ""

    def as_json(self) -> dict:
        d = {"conn": self.conn, "t": round(self.t, 6), "dir": self.dir,
             "data": base64.b64encode(self.data).decode("ascii")}
        if self.truncated:
            d["truncated"] = self.truncated
        if self.note:
            d["note"] = self.note
        return d

    @classmethod
    def from_json(cls, d: dict) -> "WireEvent":
        return cls(conn=int(d["conn"]), t=float(d["t"]), dir=str(d["dir"]),
                   data=base64.b64decode(d.get("data", "")), truncated=int(d.get("truncated", 0)),
                   note=str(d.get("note", "")))


def _events_of(conn: int, transcript, start: float) -> List[WireEvent]:
    offset = max(0.0, transcript.opened - start) if transcript.opened else 0.0
    out = [WireEvent(conn, offset, "open")]
    for e in transcript.events:
        t = offset + e.t
        if e.kind in DATA_DIRS:
            out.append(WireEvent(conn, t, e.kind, bytes(e.data), note=e.note))
        elif e.kind == "end":  # note: "closed", "reset (why)", "timeout (why)", "limit (why)"
            how, _, why = e.note.partition(" ")
            out.append(WireEvent(conn, t, _END.get(how, how), note=why.strip("()")))
        elif e.kind in ("pause", "half-close"):
            out.append(WireEvent(conn, t, e.kind, note=e.note))
    if transcript.closed is not None:
        out.append(WireEvent(conn, offset + transcript.closed, "close"))
    return out


def capture(transcripts: Iterable, start: float, budget: int = CASE_WIRE_BYTES) -> List[WireEvent]:
    """Every connection's events, in time order, numbered by connection; ``start`` is the case's start
    (``time.monotonic()``); at most ``budget`` data bytes are kept."""
    events = [e for n, tr in enumerate(transcripts, 1) for e in _events_of(n, tr, start)]
    events.sort(key=lambda e: e.t)  # stable: a connection's own events keep their order
    out, left = [], budget
    for e in events:
        if e.dir in DATA_DIRS and len(e.data) > left:
            e = WireEvent(e.conn, e.t, e.dir, e.data[:left], len(e.data) - left, e.note)
        left -= len(e.data)
        out.append(e)
    return out


def truncated_bytes(events: Iterable[WireEvent]) -> int:
    return sum(e.truncated for e in events)

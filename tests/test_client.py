"""The raw-socket client: deadlines, close vs reset vs timeout, the byte bound, the transcript."""

from __future__ import annotations

import time

import pytest
from h1conform.client import CLOSED, LIMIT, RESET, TIMEOUT, Connection, Pause
from h1conform.errors import TargetUnreachable
from h1conform.probe import Probe
from h1conform.target import Target

from .rawserver import RawServer

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"


def _target(srv: RawServer) -> Target:
    return Target("127.0.0.1", srv.port)


def _read_all(conn: Connection) -> None:
    conn.read_until(lambda: False)


def test_clean_close_is_closed():
    with RawServer(OK, then="close") as srv:
        conn = Connection(_target(srv), timeout=2)
        conn.send(b"GET / HTTP/1.1\r\n\r\n")
        _read_all(conn)
        conn.close()
    assert conn.transcript.ending == CLOSED
    assert conn.transcript.received == OK


def test_reset_is_reset():
    with RawServer(OK, then="reset") as srv:
        conn = Connection(_target(srv), timeout=2)
        conn.send(b"GET / HTTP/1.1\r\n\r\n")
        _read_all(conn)
        conn.close()
    assert conn.transcript.ending == RESET


def test_stall_hits_the_deadline_not_a_hang():
    with RawServer(b"", then="stall") as srv:
        conn = Connection(_target(srv), timeout=0.2)
        start = time.monotonic()
        conn.send(b"GET / HTTP/1.1\r\n\r\n")
        _read_all(conn)
        conn.close()
    assert conn.transcript.ending == TIMEOUT
    assert time.monotonic() - start < 1.5


def test_flood_stops_at_the_byte_limit():
    with RawServer(b"", then="flood") as srv:
        conn = Connection(_target(srv), timeout=2, max_bytes=200_000)
        conn.send(b"GET / HTTP/1.1\r\n\r\n")
        _read_all(conn)
        conn.close()
    assert conn.transcript.ending == LIMIT
    assert len(conn.transcript.received) == 200_000


def test_unreachable_is_a_named_error():
    with pytest.raises(TargetUnreachable, match="unreachable"):
        Connection(Target("127.0.0.1", 1), timeout=1)


def test_transcript_records_directions_pauses_and_times():
    with RawServer(OK, then="close") as srv:
        conn = Connection(_target(srv), timeout=2)
        conn.send(b"GET / HTTP/1.1\r\n", Pause(0.05), b"\r\n")
        _read_all(conn)
        conn.close()
    kinds = [e.kind for e in conn.transcript.events]
    assert kinds[0] == "send" and "pause" in kinds and "recv" in kinds and kinds[-1] == "end"
    times = [e.t for e in conn.transcript.events]
    assert times == sorted(times)
    text = conn.transcript.render()
    assert "> b'GET / HTTP/1.1\\r\\n'" in text and "< b'HTTP/1.1 200 OK" in text


def test_exchange_counts_unsolicited_responses():
    """Two responses to one request: the second is reported as nobody's."""
    with RawServer(OK + OK, then="close") as srv:
        probe = Probe(_target(srv), timeout=1)
        ex = probe.exchange(probe.request("GET"), follow_up=False, wait_close=True)
    assert len(ex.responses) == 2 and len(ex.unsolicited) == 1
    assert ex.closed

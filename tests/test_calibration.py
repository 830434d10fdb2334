"""Calibration: what the suite learns of a target before judging it, and the early stop for targets that do
not speak HTTP."""

from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace

import pytest
from h1conform import calibration
from h1conform.calibration import MEASURING_SWITCH_S, begin, calibrate
from h1conform.errors import TargetNotHTTP
from h1conform.target import Target
from h1conform_server.server import Server

from .rawserver import RawServer

CLOSE_200 = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"


def test_bundled_server_reads_bodies_and_persists():
    with Server(host="127.0.0.1", port=0) as server:
        host, port = server.address
        cal = calibrate(Target(host, port, paths={"echo": "/echo"}), timeout=1.0)
    assert cal.status("GET") == 200 and cal.status("POST") == 405 and cal.status("echo-POST") == 200
    assert cal.status("unknown-method") == 501 and not cal.same_as_get("unknown-method")
    assert cal.answers["GET"].persisted and cal.reads_bodies
    assert 0 < cal.quiet_s <= 1.0
    assert set(cal.as_dict()) >= {"answers", "body_reading", "response_time_s", "quiet_s"}


def test_calibration_hands_the_lock_on_often_while_it_measures_then_restores_it():
    """Measured while pytest collects the cases beside it, a time would include the waits for this interpreter's
    lock (5 ms each by default): while calibration measures, the lock is handed on every 50 us."""
    switch = sys.getswitchinterval()
    with Server(host="127.0.0.1", port=0) as server:
        host, port = server.address
        learning = begin(Target(host, port), timeout=1.0)
        during = sys.getswitchinterval()
        learning.result()
    assert during == pytest.approx(MEASURING_SWITCH_S) and during < switch and sys.getswitchinterval() == switch


def test_the_response_time_is_the_fastest_try(monkeypatch):
    """What adds to the target's own time (a cold cache there, a busy interpreter here) only ever adds."""
    clock = iter([0.0, 0.009, 1.0, 1.002, 2.0, 2.004, 3.0, 3.030, 4.0, 4.003])
    monkeypatch.setattr(calibration.time, "monotonic", lambda: next(clock))

    class Answered:
        def exchange(self, *args, **kw):
            return SimpleNamespace(responses=[SimpleNamespace(complete=True)])

        def request(self, *args, **kw):
            return b""

    assert calibration._response_time(Answered()) == pytest.approx(0.002)


def test_a_server_answering_from_the_head_then_closing_is_seen_as_such():
    """Like lighttpd with a POST to a static file: the answer comes when the header section ends."""
    with RawServer(reply=CLOSE_200, then="close") as raw:
        cal = calibrate(Target("127.0.0.1", raw.port), timeout=1.0)
    assert cal.body_reading == "answers-from-head-then-closes"
    assert not cal.reads_bodies and cal.answers["GET"].closed
    assert cal.same_as_get("POST") and cal.same_as_get("unknown-method")  # every method answered like GET


@pytest.mark.parametrize("then, reply, words", [
    ("stall", b"", "neither answered nor closed"),
    ("stall", b"SSH-2.0-OpenSSH_9.2\r\n", "not an HTTP/1.x response"),
    ("reset", b"", "reset"),
])
def test_a_target_that_does_not_speak_http_is_stopped(then, reply, words):
    with RawServer(reply=reply, then=then) as raw:
        with pytest.raises(TargetNotHTTP, match=words):
            calibrate(Target("127.0.0.1", raw.port), timeout=0.5)


def test_run_stops_with_one_line_on_a_silent_port():
    with RawServer(reply=b"", then="stall") as raw:
        r = subprocess.run([sys.executable, "-m", "h1conform.cli", "run", "--target", f"127.0.0.1:{raw.port}",
                            "--timeout", "0.5"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "does not answer" in r.stderr
    assert r.stdout == ""

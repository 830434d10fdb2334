"""RFC 9112 §2.2: input that is not an HTTP/1 request at all -- the HTTP/2 connection preface and random octets.

RFC 9112 §2.2: "When a server listening only for HTTP request messages, or processing what appears from the
start-line to be an HTTP request message, receives a sequence of octets that does not match the HTTP-message
grammar aside from the robustness exceptions listed above, the server SHOULD respond with a 400 (Bad Request)
response and close the connection."

A connection that sends nothing has no case: RFC 9112 §9.5 lets a server "close the transport connection at any
time" and RFC 9110 §15.5.9 lets it send a 408 first, while keeping it open is allowed too; the only way to tell
the three apart is a timer, and none of them breaks a rule (the idle timeout itself is idle-timeout-graceful-close).
"""

from __future__ import annotations

import random

from h1conform.cases import case
from h1conform.probe import RawRequest
from h1conform.reference import RequestInfo
from h1conform.smuggling import Family, register
from h1conform.verdicts import check

#: 256 octets from a fixed seed (the same bytes on every run; this seed gives no CR, LF or SP among them: one line
#: of binary), then CRLF CRLF so that a line-based reader sees an end
_RNG = random.Random(13)
RANDOM = bytes(_RNG.randrange(256) for _ in range(256)) + b"\r\n\r\n"

VARIANTS = [
    Family("input", ("9112-2.2-r8",), extra=dict(method=b"GET", tags=("request-line",)))(
        "input-random-octets", (), b"", "256 random octets (fixed seed) get 400 and a close", host=False,
        raw_head=RANDOM),
]

register(globals(), VARIANTS)

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
PREFACE_ANSWERS = {
    "refused-closed": "an error status (400, 505, ...), then a close -- RFC 9112 §2.2: the server \"SHOULD respond "
                      "with a 400 (Bad Request) response and close the connection\"; RFC 9110 §15.6.6: \"The 505 (HTTP "
                      "Version Not Supported) status code indicates that the server does not support, or refuses to "
                      "support, the major version of HTTP that was used in the request message\"",
    "http2": "the HTTP/2 server connection preface (a SETTINGS frame on stream 0): the server speaks HTTP/2 with prior "
             "knowledge -- RFC 9113 §3.3: \"A client that knows that a server supports HTTP/2 can establish a TCP "
             "connection and send the connection preface (Section 3.4) followed by HTTP/2 frames\"; §3.4: \"The "
             "server connection preface consists of a potentially empty SETTINGS frame (Section 6.5) that MUST be the "
             "first frame the server sends in the HTTP/2 connection.\"",
    "refused-each": "an error status to PRI * HTTP/2.0 (which matches the request-line grammar: a method token, the "
                    "asterisk-form, HTTP/DIGIT.DIGIT; RFC 9110 §9.1: an unrecognized method \"SHOULD respond with "
                    "the 501 (Not Implemented) status code\"), then 400 to the line SM and a close (RFC 9112 §2.2, "
                    "as above)",
}


@case(id="input-http2-preface", requirements=("9112-2.2-r8",), accepted=PREFACE_ANSWERS, tags=("request-line",),
      rule="the HTTP/2 connection preface on an HTTP/1 connection is refused (an error status) and the connection "
           "closed; nothing in it is served")
def test_input_http2_preface(probe):
    # two requests for the reference to frame: PRI * HTTP/2.0, and the line SM (answered by one that reads it so)
    ex = probe.exchange(RawRequest(PREFACE, RequestInfo("PRI", "2.0", "PRI *")), follow_up=False, wait_close=True,
                        requests=[RequestInfo("PRI", "2.0", "PRI *"), RequestInfo("GET", "1.1", "SM")])
    expected = "an error status (400 or 505 typical; 501 to PRI then 400 to SM), then a close; or HTTP/2"
    received = ex.transcript.received
    if not ex.responses and _settings_frame(received):
        probe.choose(PREFACE_ANSWERS, "http2", f"an HTTP/2 SETTINGS frame: {received[:24]!r}")
        return
    statuses = [r.status for r in ex.responses]
    check(probe, all((s or 0) >= 400 for s in statuses), expected, f"a non-error answer: {ex.describe()}")
    check(probe, bool(statuses) and ex.closed and not ex.unsolicited, expected, ex.describe())
    branch = "refused-closed" if len(statuses) == 1 else "refused-each" if statuses[-1] == 400 else "other"
    probe.choose(PREFACE_ANSWERS, branch, ex.describe())


def _settings_frame(data: bytes) -> bool:
    """An HTTP/2 frame header (RFC 9113 §4.1: 24-bit length, type, flags, 31-bit stream id) of a SETTINGS frame
    (type 0x04) on stream 0, whose length is a multiple of 6 (RFC 9113 §6.5)."""
    if len(data) < 9:
        return False
    length = int.from_bytes(data[:3], "big")
    return data[3] == 0x04 and data[5:9] == b"\x00\x00\x00\x00" and length % 6 == 0

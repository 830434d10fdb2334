#!/usr/bin/env python3
"""atheris harness over h11 alone: the speed baseline for fuzz_request_parser.py.

It does what the reference does minus the strict layer and minus the bundled parser: every request of the
stream, one fresh ``h11.Connection(h11.SERVER)`` each, then EOF.

    python fuzz/bench_h11_only.py -runs=200000 fixtures/corpus/fuzz_request_parser
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    import h11

EXPECTED = (h11.RemoteProtocolError,)


def TestOneInput(data: bytes) -> None:
    """Invariant: h11 (server role) raises nothing but RemoteProtocolError on any request stream."""
    pos = 0
    while pos < len(data):
        conn = h11.Connection(h11.SERVER, max_incomplete_event_size=len(data) + 1)
        conn.receive_data(data[pos:])
        conn.receive_data(b"")
        try:
            while True:
                ev = conn.next_event()
                if isinstance(ev, h11.EndOfMessage) or ev is h11.NEED_DATA or ev is h11.PAUSED \
                        or isinstance(ev, h11.ConnectionClosed):
                    break
        except EXPECTED:
            return
        if not isinstance(ev, h11.EndOfMessage):
            return
        pos = len(data) - len(conn.trailing_data[0])


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""atheris harness: the client-side reference (h11 client role + strict layer) on random response streams.

    python fuzz/fuzz_response_checker.py -runs=100000 -dict=fixtures/dict/fuzz_response_checker.dict \\
        fixtures/corpus/fuzz_response_checker

Input layout: the first byte chooses the methods of up to four requests the responses answer (two bits
each: GET, HEAD, POST, CONNECT); the rest is the received byte stream.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    import h11  # noqa: F401
    from h1conform import reference, strict  # noqa: F401
    from h1conform_fuzz import response_invariants


#: Nothing may escape the reader: h11's RemoteProtocolError is turned into ``reader.error`` inside it.
EXPECTED: tuple = ()


def TestOneInput(data: bytes) -> None:
    """Invariant: for any response stream and any request methods, ResponseReader never raises; it
    terminates with at most one response per 10 input bytes (it makes progress, it never loops); what it
    keeps is linear in the input (heads + bodies <= 2 x input + 4 KiB); and feeding the stream whole or at
    random splits gives the same responses (status, framing, body, completeness) and the same error
    presence."""
    response_invariants.check(data)


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

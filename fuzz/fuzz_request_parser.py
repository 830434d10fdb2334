#!/usr/bin/env python3
"""atheris harness: the bundled request parser (sans-IO) against the reference (h11 + strict layer).

    python fuzz/fuzz_request_parser.py -runs=200000 -dict=fixtures/dict/fuzz_request_parser.dict \\
        fixtures/corpus/fuzz_request_parser

Any libFuzzer flag works (``-max_total_time``, ``-jobs``/``-workers``, ``-dict``, corpus dirs,
``-atheris_runs``).  A crash file it writes is a finding: copy it into fixtures/findings/ and list it in
fixtures/findings/manifest.json so that plain pytest replays it (tests/test_fuzz_corpus.py).
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    import h11  # noqa: F401  (instrumented: coverage of the reference counts too)
    from h1conform_fuzz import differential
    from h1conform_server import parser  # noqa: F401

#: The exceptions an input may raise without being a finding: none escape; the parser's own
#: ProtocolError is caught inside differential.run_bundled (differential.EXPECTED).
EXPECTED = differential.EXPECTED


def TestOneInput(data: bytes) -> None:
    """Invariant: for any byte stream, the bundled parser raises nothing but its own ProtocolError (never
    one wrapping an internal error); feeding it whole and split -- one byte at a time or at random cut
    points, as differential.harness_mode picks -- gives the same requests and the same final status; and it
    agrees with the
    reference (h11 + strict layer) on accept/reject and on method, target, version, fields, body and
    trailers of every request, except for the documented differences (differential.DOCUMENTED,
    docs/fuzzing.md)."""
    differential.check(data, modes=(differential.harness_mode(data),))


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

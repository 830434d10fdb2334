"""The options of ``h1conform fuzz``, declared once: the CLI builds its ``fuzz`` subcommand from
:func:`add_arguments` (without importing the fuzzer itself), and :func:`validate` is the one check of their values.

Exit codes of the command: 0 no finding, 1 findings, 2 usage error or unreachable target.
"""

from __future__ import annotations

from typing import Optional

from h1conform.options import add_to_argparse, problem

SHARED = ("target", "timeout")  # declared once, in h1conform.options (the same as `h1conform run`'s)

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
DEFAULT_TIME_S = 60.0
DEFAULT_FINDINGS_DIR = "h1conform-findings"

__all__ = ["EXIT_OK", "EXIT_FINDINGS", "EXIT_USAGE", "add_arguments", "validate"]


def add_arguments(parser) -> None:
    add_to_argparse(parser, names=SHARED)
    parser.add_argument("--time", type=float, default=DEFAULT_TIME_S, metavar="S",
                        help=f"seconds to run (default {DEFAULT_TIME_S:g})")
    parser.add_argument("--seed", type=int, default=None, metavar="N", help="campaign seed (default: random)")
    parser.add_argument("--max-execs", type=int, default=None, metavar="N", help="stop after N executions")
    parser.add_argument("--findings", default=DEFAULT_FINDINGS_DIR, metavar="DIR",
                        help=f"where findings are written (default ./{DEFAULT_FINDINGS_DIR})")
    parser.add_argument("--echo-path", metavar="PATH",
                        help="the target's echo endpoint (default /echo for the bundled server, none otherwise)")
    parser.add_argument("--replay", metavar="FILE", help="replay one saved finding (.json) and judge it again")
    parser.add_argument("-q", "--quiet", action="store_true", help="no live progress line")


def validate(args) -> Optional[str]:
    """What is wrong with the parsed options, in one line; None when nothing is."""
    wrong = problem(lambda o: getattr(args, o.dest), "", names=SHARED)
    if wrong:
        return wrong
    if args.time <= 0:
        return f"--time must be a positive number of seconds, not {args.time:g}"
    if args.max_execs is not None and args.max_execs <= 0:
        return f"--max-execs must be positive, not {args.max_execs}"
    return None

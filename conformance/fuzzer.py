"""The network fuzzer behind ``h1conform fuzz`` (placeholder until issue 6 lands)."""

from __future__ import annotations


def add_arguments(parser) -> None:
    parser.add_argument("--target", help="HOST:PORT or http(s) URL (default: the bundled server)")
    parser.add_argument("--time", type=float, default=60.0, help="seconds to run")
    parser.add_argument("--seed", type=int, default=None, help="random seed")


def run(args) -> int:
    print("h1conform: error: fuzz is not implemented yet")
    return 2

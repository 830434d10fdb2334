"""Fuzzing for h1conform: atheris harnesses, the reference request parser, Hypothesis strategies and the
network fuzzer's mutations (docs/fuzzing.md).  A plain package of the source tree, not installed."""

"""Fuzzing for h1conform, installed as ``h1conform_fuzz`` (docs/fuzzing.md): the network fuzzer behind
``h1conform fuzz`` (:mod:`.network`, its options in :mod:`.options`, its oracles in :mod:`.oracle`), its mutations,
the differential invariant shared with the atheris harnesses, and Hypothesis strategies.

Layers: this package is built on ``h1conform`` (the reference: its grammar, request and response parsers,
client) and on the bundled server it fuzzes; neither imports it, except ``h1conform.cli`` for the ``fuzz``
command (tests/test_layers.py checks this)."""

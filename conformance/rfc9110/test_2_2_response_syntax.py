"""RFC 9110 §2.2 and §5.3: what a server generates matches the grammar, and singleton fields appear once.

Each case samples several kinds of responses (h1conform.semantics.sample) and judges them with the
strict layer (conformance/strict.py) plus the grammars of Date, Last-Modified, ETag and Content-Length.
"""

from __future__ import annotations

from h1conform import grammar
from h1conform.cases import case
from h1conform.semantics import sample, summary
from h1conform.verdicts import check


def _grammar_problems(resp):
    out = [f.what for f in resp.findings if f.requirement == "9110-2.2-r1"]
    for name in ("date", "last-modified"):
        out += [f"{name}: {v!r}" for v in resp.values(name) if not grammar.imf_fixdate_re.fullmatch(v)]
    out += [f"etag: {v!r}" for v in resp.values("etag") if not grammar.entity_tag_re.fullmatch(v)]
    return out


@case(id="response-elements-match-grammar", requirements=("9110-2.2-r1",),
      rule="every generated element matches its ABNF: status line, field lines, Date, Last-Modified, ETag, chunks")
def test_response_elements_match_grammar(probe):
    bad = [f"{summary(r)}: {p}" for r in sample(probe) for p in _grammar_problems(r)]
    check(probe, not bad, "no element outside its grammar", "; ".join(bad) or "all match")


@case(id="response-no-duplicate-singletons", requirements=("9110-5.3-r1",),
      rule="no singleton field (Content-Length, Content-Type, Date, ETag, ...) appears twice in a response")
def test_response_no_duplicate_singletons(probe):
    bad = [f"{summary(r)}: {f.what}" for r in sample(probe) for f in r.findings if f.requirement == "9110-5.3-r1"]
    check(probe, not bad, "each singleton field at most once", "; ".join(bad) or "none repeated")

"""RFC 9112 §2.2 and §5.2: response heads have no bare CR and no obs-fold.

h11 unfolds obs-fold and may refuse a bare CR; the strict layer names both. A head h11 refuses
is judged from the raw bytes that were received.
"""

from __future__ import annotations

from h1conform import grammar
from h1conform.cases import case
from h1conform.semantics import MISSING, not_allowed, summary
from h1conform.verdicts import check


def _heads(probe):
    """(label, head bytes, findings) of the sampled responses; an unparseable one contributes its raw head."""
    out = []
    reqs = [probe.request("GET"), probe.request("GET", MISSING), probe.request("OPTIONS"), not_allowed(probe)]
    for req in reqs:
        ex = probe.exchange(req, follow_up=False)
        if ex.responses and ex.responses[0].complete:
            r = ex.responses[0]
            out.append((summary(r), r.head, r.findings))
        else:
            raw = ex.transcript.received
            out.append((req.info.label + ": " + ex.describe(), raw.split(b"\r\n\r\n")[0] + b"\r\n\r\n", []))
    return out


@case(id="response-no-bare-cr", requirements=("9112-2.2-r4",),
      rule="no bare CR in a status line or header section: every CR is followed by LF")
def test_response_no_bare_cr(probe):
    bad = [label for label, head, findings in _heads(probe)
           if grammar.bare_cr_re.search(head) or any(f.requirement == "9112-2.2-r4" for f in findings)]
    check(probe, not bad, "no bare CR in any response head", "; ".join(bad) or "none")


@case(id="response-no-obs-fold", requirements=("9112-5.2-r1",),
      rule="no field line is folded (a line starting with SP or HTAB) in a response")
def test_response_no_obs_fold(probe):
    bad = [label for label, head, findings in _heads(probe)
           if any(f.requirement == "9112-5.2-r1" for f in findings)]
    check(probe, not bad, "no obs-fold in any response head", "; ".join(bad) or "none")


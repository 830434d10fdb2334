"""RFC 9112 §4: the status line the server sends.

status-line = HTTP-version SP status-code SP [ reason-phrase ], with
HTTP-version case-sensitive ("HTTP", not "http") and the SP after the code
required even when the reason is empty.  h11 accepts more than this; the
strict layer (h1conform.strict) holds the server to the grammar.
"""

from __future__ import annotations

from h1conform.cases import case
from h1conform.verdicts import check, expect_responses

MISSING = "/h1conform-no-such-resource"


def _status_findings(resp):
    return [f for f in resp.findings if f.requirement in ("9112-4-r1", "9112-4-r2")]


@case(id="response-status-line-grammar", requirements=("9112-4-r2", "9112-4-r1"),
      rule="the status line is HTTP-version SP 3DIGIT SP reason-phrase, exactly")
def test_response_status_line_grammar(probe):
    responses = []
    for req in (probe.request("GET"), probe.request("GET", MISSING)):
        ex = probe.exchange(req, follow_up=False)
        expect_responses(probe, ex, 1)
        responses.append(ex.responses[0])
    bad = [f.what for r in responses for f in _status_findings(r)]
    lines = [r.head.split(b"\r\n", 1)[0] for r in responses]
    check(probe, not bad, "status lines matching the RFC 9112 §4 grammar", "; ".join(bad) or repr(lines))

"""RFC 9110 §11: HTTP authentication -- a 401 carries WWW-Authenticate with a challenge.

The case asks ``/private`` (the bundled server's protected resource) without credentials and with
wrong ones; it skips when the target answers neither with 401.
"""

from __future__ import annotations

import re

from h1conform import grammar
from h1conform.cases import case
from h1conform.semantics import get, skip, summary
from h1conform.verdicts import check

PRIVATE = "/private"
WRONG = "Basic aDFjb25mb3JtOndyb25nLXBhc3N3b3Jk"  # h1conform:wrong-password
# challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ]: at least an auth-scheme token
_CHALLENGE = re.compile(rb"[ \t,]*" + grammar.AUTH_SCHEME + rb"(?:[ ,][\x20-\x7e\t]*)?")


@case(id="unauthorized-has-challenge", requirements=("9110-11.6.1-r1",),
      rule="a 401 (no or wrong credentials) carries WWW-Authenticate with at least one challenge")
def test_unauthorized_has_challenge(probe):
    got = [get(probe, PRIVATE), get(probe, PRIVATE, headers=[("Authorization", WRONG)])]
    denied = [r for r in got if r.status == 401]
    if not denied:
        skip(f"the target answers {PRIVATE} without a 401: {'; '.join(r.summary() for r in got)}")
    bad = [f"{summary(r)}; WWW-Authenticate: {r.values('www-authenticate')!r}" for r in denied
           if not any(_CHALLENGE.fullmatch(v) for v in r.values("www-authenticate"))]
    check(probe, not bad, "every 401 has a WWW-Authenticate field with a challenge (auth-scheme [params])",
          "; ".join(bad) or "; ".join(f"{summary(r)}; WWW-Authenticate: {r.values('www-authenticate')!r}"
                                      for r in denied))

"""RFC 9112 §3.2: request-target forms the server accepts -- absolute-form (whatever Host says)
and asterisk-form with OPTIONS.

An absolute-form answer that differs from the origin-form one (other than a 400) is the route's choice -- the
authority may name a host the target does not serve by that name, or the target may route absolute-form
requests elsewhere -- so it is inconclusive, not a failure.  The Host case first shows that the absolute-form
request with the right Host is answered like origin-form; only then does a changed Host show something.
"""

from __future__ import annotations

from h1conform.cases import case
from h1conform.semantics import get
from h1conform.verdicts import SUCCESS, check, inconclusive

ABSOLUTE = {
    "same-answer": "the origin-form answer (same status and content) -- RFC 9112 §3.2.2: \"A server MUST accept "
                   "the absolute-form in requests even though most HTTP/1.1 clients will only send the absolute-form "
                   "to a proxy.\"",
}
HOST_IGNORED = {
    "same-answer": "the answer the same absolute-form request gets with its own Host -- RFC 9112 §3.2.2: \"the "
                   "origin server MUST ignore the received Host header field (if any) and instead use the host "
                   "information of the request-target\"",
}
ASTERISK = {
    "success": "a 2xx -- RFC 9112 §3.2.4: the asterisk-form \"is only used for a server-wide OPTIONS request\"",
    "not-implemented": "501 -- RFC 9110 §9.1: \"unrecognized or not implemented SHOULD respond with the 501 (Not "
                       "Implemented) status code\"",
    "not-allowed": "405 -- RFC 9110 §9.1: \"recognized and implemented, but not allowed for the target resource, "
                   "SHOULD respond with the 405 (Method Not Allowed) status code\"",
    "routed": "another status but 400 (e.g. 404: the server parsed the request-line and looked for a resource): the"
              " requirement is only that the request is not rejected as malformed; no server sentence requires a"
              " 2xx to OPTIONS *",
}
REMEDY = "give --target the host name (and port) the server serves, as a URL, so the absolute-form names it"


def _absolute(probe):
    scheme = "https" if probe.target.tls else "http"
    return f"{scheme}://{probe.target.host_header}{probe.target.resource}"


def _same(base, resp) -> bool:
    return resp.status == base.status and resp.body == base.body


@case(id="absolute-form-accepted", requirements=("9112-3.2.2-r2",),
      accepted=ABSOLUTE, rule="an absolute-form request-target (GET http://host:port/path) is accepted like origin-form")
def test_absolute_form_accepted(probe):
    base = get(probe)
    resp = get(probe, _absolute(probe))
    expected = f"GET <absolute-form>: the origin-form answer ({base.summary()})"
    if _same(base, resp):
        probe.choose(ABSOLUTE, "same-answer", resp.summary())
        return
    check(probe, resp.status != 400, expected, f"{resp.summary()}: the absolute-form was refused as malformed")
    # The absolute-form names the same target URI as the origin-form request with its Host (same authority, same
    # path: RFC 9112 §3.3), so a different answer shows the target was not taken as that URI (e.g. the whole URI
    # read as a path) -- unless the server does not serve this authority at all, which --target URL settles.
    check(probe, False, expected, f"{resp.summary()}: the same target URI in absolute-form gets another answer "
          f"than in origin-form ({base.status}); if the server does not serve the authority "
          f"{probe.target.host_header!r}, {REMEDY}")


@case(id="absolute-form-host-ignored", requirements=("9112-3.2.2-r1",),
      accepted=HOST_IGNORED,
      rule="with an absolute-form target the Host field is ignored: Host: other.invalid changes nothing")
def test_absolute_form_host_ignored(probe):
    base = get(probe)
    own = get(probe, _absolute(probe))
    expected = "GET <absolute-form> with Host: other.invalid: the answer it gets with its own Host"
    if not _same(base, own):
        inconclusive(probe, expected, f"with its own Host: {own.summary()}; origin-form: {base.summary()}",
                     "the absolute-form request is not answered like origin-form even with the right Host, so a "
                     "different answer with another Host would not show that Host was used", REMEDY)
    resp = get(probe, _absolute(probe), host=False, headers=[("Host", "other.invalid")])
    check(probe, _same(own, resp), f"{expected} ({own.summary()})", resp.summary())
    probe.choose(HOST_IGNORED, "same-answer", resp.summary())


@case(id="options-asterisk-accepted", requirements=("9112-3.2.4-r2",),
      accepted=ASTERISK, rule="OPTIONS * is a valid request: not rejected as malformed (400)")
def test_options_asterisk_accepted(probe):
    resp = get(probe, "*", method="OPTIONS")
    branch = ("success" if resp.status in SUCCESS else "not-implemented" if resp.status == 501
              else "not-allowed" if resp.status == 405 else "malformed" if resp.status == 400 else "routed")
    probe.choose(ASTERISK, branch, resp.summary())

"""RFC 9112 §3.2: request-target forms the server accepts -- absolute-form (whatever Host says)
and asterisk-form with OPTIONS."""

from __future__ import annotations

from h1conform.cases import case
from h1conform.semantics import get
from h1conform.verdicts import SUCCESS, check


def _absolute(probe):
    scheme = "https" if probe.target.tls else "http"
    return f"{scheme}://{probe.target.host_header}{probe.target.resource}"


def _same(probe, resp, base, what):
    check(probe, resp.status == base.status and resp.body == base.body,
          f"{what}: the origin-form answer ({base.summary()})", resp.summary())


@case(id="absolute-form-accepted", requirements=("9112-3.2.2-r2",), level="MUST", section="RFC 9112 §3.2.2",
      rule="an absolute-form request-target (GET http://host:port/path) is accepted like origin-form")
def test_absolute_form_accepted(probe):
    base = get(probe)
    _same(probe, get(probe, _absolute(probe)), base, "GET <absolute-form>")


@case(id="absolute-form-host-ignored", requirements=("9112-3.2.2-r1",), level="MUST", section="RFC 9112 §3.2.2",
      rule="with an absolute-form target the Host field is ignored: Host: other.invalid changes nothing")
def test_absolute_form_host_ignored(probe):
    base = get(probe)
    resp = get(probe, _absolute(probe), host=False, headers=[("Host", "other.invalid")])
    _same(probe, resp, base, "GET <absolute-form> with Host: other.invalid")


@case(id="options-asterisk-accepted", requirements=("9112-3.2.4-r2",), level="SHOULD", section="RFC 9112 §3.2.4",
      rule="OPTIONS * is a valid request: 2xx (or 501 without OPTIONS support), not 400 or 404")
def test_options_asterisk_accepted(probe):
    resp = get(probe, "*", method="OPTIONS")
    check(probe, resp.status in SUCCESS or resp.status == 501, "a 2xx, or 501", resp.summary())

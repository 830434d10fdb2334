"""RFC 9110 §7.8: Upgrade -- a server may ignore it, and must ignore it in HTTP/1.0."""

from __future__ import annotations

from h1conform.cases import case
from h1conform.verdicts import check

UPGRADE = {
    "ignored": "the normal final response, on HTTP/1.1 (Upgrade ignored)",
    "switched": "101 Switching Protocols naming the offered protocol",
}


def _upgrade_exchange(probe, version, upgrade, extra=()):
    headers = [("Connection", "Upgrade"), ("Upgrade", upgrade)] + list(extra)
    return probe.exchange(probe.request("GET", version=version, headers=headers), follow_up=False)


@case(id="upgrade-unknown-protocol-recorded", requirements=("9110-7.8-r1",),
      accepted=UPGRADE, rule="a server may ignore Upgrade (here an unknown protocol) and answer on HTTP/1.1")
def test_upgrade_unknown_protocol_recorded(probe):
    ex = _upgrade_exchange(probe, "1.1", "h1conform-unknown/1")
    resp = ex.responses[0] if ex.responses else None
    if resp is not None and resp.complete and not resp.informational and 200 <= resp.status < 400:
        branch = "ignored"
    elif resp is not None and 101 in resp.informational:
        branch = "switched"
    else:
        branch = "refused"
    probe.choose(UPGRADE, branch, ex.describe())


def _http10_ignored(probe, upgrade, extra=()):
    ex = _upgrade_exchange(probe, "1.0", upgrade, extra)
    resp = ex.responses[0] if ex.responses else None
    check(probe, ex.error is None and resp is not None and resp.complete and 101 not in resp.informational
          and resp.status != 101, "a final HTTP/1.1 response, no 101", ex.describe())


@case(id="upgrade-http10-h2c-ignored", requirements=("9110-7.8-r5",),
      rule="Upgrade in an HTTP/1.0 request is ignored: Upgrade: h2c gets no 101")
def test_upgrade_http10_h2c_ignored(probe):
    _http10_ignored(probe, "h2c", [("HTTP2-Settings", "AAMAAABkAAQCAAAAAAIAAAAA")])


@case(id="upgrade-http10-websocket-ignored", requirements=("9110-7.8-r5",),
      rule="Upgrade in an HTTP/1.0 request is ignored: Upgrade: websocket gets no 101")
def test_upgrade_http10_websocket_ignored(probe):
    _http10_ignored(probe, "websocket", [("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
                                         ("Sec-WebSocket-Version", "13")])

"""RFC 9110 §12.5: content negotiation -- Vary on negotiated responses, no Accept-Encoding on a 415
that is about the media type."""

from __future__ import annotations

from h1conform.cases import case
from h1conform.semantics import get, one, resource, skip, summary, text
from h1conform.verdicts import check

UNSUPPORTED = "application/x-h1conform-unsupported"


def _varies_on_accept_encoding(resp) -> bool:
    members = {m.strip(" \t").lower() for v in resp.values("vary") for m in v.decode("latin-1").split(",")}
    return "accept-encoding" in members or "*" in members


@case(id="negotiated-response-has-vary", requirements=("9110-12.5.5-r1",),
      rule="when Accept-Encoding changes the content (gzip or identity), both responses carry Vary: Accept-Encoding")
def test_negotiated_response_has_vary(probe):
    identity = resource(probe)
    coded = get(probe, headers=[("Accept-Encoding", "gzip")])
    codings = [text(r.header("content-encoding")).strip().lower() for r in (identity, coded)]
    if coded.status != 200 or (codings[0] == codings[1] and coded.body == identity.body):
        skip("Accept-Encoding: gzip gets the same content as no Accept-Encoding: no negotiation to judge")
    bad = [f"{label}: {summary(r)}; Vary: {r.values('vary')!r}" for label, r in
           (("without Accept-Encoding", identity), ("with Accept-Encoding: gzip", coded))
           if not _varies_on_accept_encoding(r)]
    check(probe, not bad, "Vary naming Accept-Encoding (or *) on both responses",
          "; ".join(bad) or f"Vary: {identity.values('vary')!r} and {coded.values('vary')!r}; "
                            f"Content-Encoding: {codings[0] or 'none'} and {codings[1] or 'none'}")


@case(id="unsupported-media-type-no-accept-encoding", requirements=("9110-12.5.3-r2",),
      needs=("echo",),
      rule=f"a 415 for an unsupported media type (Content-Type: {UNSUPPORTED}) carries no Accept-Encoding")
def test_unsupported_media_type_no_accept_encoding(probe):
    resp = one(probe, probe.echo("POST", headers=[("Content-Type", UNSUPPORTED)], body=b"<not json>"))
    if resp.status != 415:
        skip(f"the echo endpoint accepts {UNSUPPORTED} ({resp.status}): no 415 to judge")
    check(probe, not resp.values("accept-encoding"), "a 415 without an Accept-Encoding field",
          f"{resp.summary()}; Accept-Encoding: {resp.values('accept-encoding')!r}")

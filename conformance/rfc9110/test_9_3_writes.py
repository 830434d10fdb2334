"""RFC 9110 §9.3.3-§9.3.5 and §14.5: POST, PUT and DELETE on a writable collection (``--uploads-path``).

Every case works on members of its own (``h1conform-<uuid4>``), so it can run again, or beside
itself, and it deletes what it created.  A case skips when the target does not apply the write it
needs (405, 501, 403, a full collection, ...): the rule is about what a successful write answers.
"""

from __future__ import annotations

import uuid
from urllib.parse import urljoin, urlsplit

from h1conform.cases import case
from h1conform.semantics import get, one, skip, text
from h1conform.verdicts import SUCCESS, check

TEXT = [("Content-Type", "text/plain")]


def _member(probe) -> str:
    base = probe.feature_path("uploads")
    return f"{base if base.endswith('/') else base + '/'}h1conform-{uuid.uuid4().hex}"


def _put(probe, path, body: bytes, headers=()):
    return one(probe, probe.request("PUT", path, headers=TEXT + list(headers), body=body), "to the PUT")


def _delete(probe, path):
    return one(probe, probe.request("DELETE", path), "to the DELETE")


def _cleanup(probe, path) -> None:
    """Remove a member this case created; what the target answers is not judged here."""
    probe.exchange(probe.request("DELETE", path), follow_up=False)


def _created(probe, body: bytes = b"created by h1conform\n"):
    """A new member created with PUT; skips unless the target applied it."""
    path = _member(probe)
    resp = _put(probe, path, body)
    if resp.status not in SUCCESS:
        skip(f"the target did not apply a PUT that creates a member: {resp.summary()}")
    return path, resp


@case(id="post-create-201-location", requirements=("9110-9.3.3-r1",),
      needs=("uploads",), rule="a POST that creates a resource is answered 201 with a Location naming it")
def test_post_create_201_location(probe):
    base = probe.feature_path("uploads")
    resp = one(probe, probe.request("POST", base, headers=TEXT, body=b"posted by h1conform\n"), "to the POST")
    if resp.status not in SUCCESS:
        skip(f"the collection did not accept the POST: {resp.summary()}")
    location = text(resp.header("location"))
    try:
        if location:
            _cleanup(probe, urlsplit(urljoin(base, location)).path or base)
    finally:
        check(probe, resp.status == 201 and bool(location), "201 with a Location field naming the new resource",
              f"{resp.summary()}; Location: {location or 'absent'}")


@case(id="put-create-201", requirements=("9110-9.3.4-r1",),
      needs=("uploads",), rule="a PUT that creates a resource (a new name) is answered 201 (Created)")
def test_put_create_201(probe):
    path, resp = _created(probe)
    _cleanup(probe, path)
    check(probe, resp.status == 201, "201 to the PUT that created the resource", resp.summary())


@case(id="put-replace-200-or-204", requirements=("9110-9.3.4-r1",),
      needs=("uploads",), rule="a PUT that replaces an existing resource is answered 200 or 204, not 201")
def test_put_replace_200_or_204(probe):
    path, _ = _created(probe)
    try:
        resp = _put(probe, path, b"replaced by h1conform\n")
    finally:
        _cleanup(probe, path)
    if resp.status not in SUCCESS:
        skip(f"the target did not apply the second PUT: {resp.summary()}")
    check(probe, resp.status in (200, 204), "200 or 204 to the PUT that replaced the resource", resp.summary())


@case(id="put-validators-match-stored", requirements=("9110-9.3.4-r2",),
      needs=("uploads",),
      rule="a PUT success carries ETag / Last-Modified only when the content was stored as sent and they are its own")
def test_put_validators_match_stored(probe):
    bodies = (b"line one\r\nline two \r\n\ttabbed\r\n", b"second\r\nversion\r\n")
    path, created = _created(probe, bodies[0])
    seen = []
    try:
        _judge_put_validators(probe, path, bodies[0], created, seen)
        _judge_put_validators(probe, path, bodies[1], _put(probe, path, bodies[1]), seen)
    finally:
        _cleanup(probe, path)
    probe.observe("validators in a PUT success only for content stored as sent", "; ".join(seen))


def _judge_put_validators(probe, path, sent: bytes, resp, seen: list) -> None:
    """Right after a PUT: its validators, if any, are those of the content a GET now returns, unchanged."""
    if resp.status not in SUCCESS:
        seen.append(f"{resp.summary()}: not applied")
        return
    etag, modified = resp.header("etag"), resp.header("last-modified")
    if etag is None and modified is None:
        seen.append(f"{resp.summary()}: no validators")
        return
    now = get(probe, path)
    stored_as_sent = now.status == 200 and now.body == sent
    same = all(v is None or v == now.header(n) for n, v in (("etag", etag), ("last-modified", modified)))
    check(probe, stored_as_sent and same,
          "validators in a PUT success only for content stored as sent: a GET then returns the same "
          "octets with the same ETag / Last-Modified",
          f"PUT {resp.summary()} with ETag {text(etag)!r}, Last-Modified {text(modified)!r}; GET "
          f"{now.summary()} with ETag {text(now.header('etag'))!r}, Last-Modified "
          f"{text(now.header('last-modified'))!r}; content {'as sent' if now.body == sent else 'changed'}")
    seen.append(f"{resp.summary()}: validators match the stored content")


@case(id="delete-success-status", requirements=("9110-9.3.5-r1",),
      needs=("uploads",), rule="a successful DELETE is answered 200, 202 or 204")
def test_delete_success_status(probe):
    path, _ = _created(probe)
    resp = _delete(probe, path)
    if resp.status in (200, 202, 204):
        probe.observe("200, 202 or 204 to a successful DELETE", resp.summary())
        return
    after = get(probe, path)
    if after.status not in (404, 410):
        _cleanup(probe, path)
        skip(f"the DELETE was not applied ({resp.summary()}; a GET then got {after.status})")
    check(probe, False, "200, 202 or 204 to a successful DELETE",
          f"{resp.summary()}; the resource is gone (a GET then got {after.status})")


@case(id="put-content-range-400", requirements=("9110-14.5-r1",),
      needs=("uploads",),
      rule="a PUT with Content-Range to a resource without partial-PUT support is answered 400, not applied whole")
def test_put_content_range_400(probe):
    path, _ = _created(probe, b"hello world")
    try:
        resp = _put(probe, path, b"WORLD", [("Content-Range", "bytes 6-10/11")])
        now = get(probe, path) if resp.status in SUCCESS else None
    finally:
        _cleanup(probe, path)
    if now is not None and now.status == 200 and now.body == b"hello WORLD":
        probe.observe("400, or a partial PUT applied", f"{resp.summary()}: partial PUT supported (hello WORLD)")
        return
    actual = resp.summary()
    if now is not None:
        actual += f"; a GET then got {now.summary()}: {now.body[:40]!r}"
    check(probe, resp.status == 400, "400 (or a partial PUT that replaced bytes 6-10 only)", actual)

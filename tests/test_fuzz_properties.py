"""Hypothesis properties over the wire against the bundled server (port 0), with fuzz/strategies.py.

* splitting a valid request at any byte positions gives the same response;
* a valid pipelined sequence gets the same responses as the same requests sent one by one;
* every response (to valid and deliberately invalid requests) parses under the reference;
* shrinking gives a minimal example (shown against a server with the ``drop_pipelined`` switch).
"""

from __future__ import annotations

from typing import List, Sequence

import pytest
from h1conform.client import HALF_CLOSE, Connection, Pause
from h1conform.reference import RequestInfo, parse_responses
from h1conform.reference_request import parse_stream
from h1conform.target import Target
from h1conform_fuzz.strategies import HttpRequest, invalid_requests, requests
from h1conform_server.server import Server
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

TIMEOUT = 3.0
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])


@pytest.fixture(scope="module")
def target():
    with Server(host="127.0.0.1", port=0) as server:
        host, port = server.address
        yield Target(host=host, port=port)


def _info(r: HttpRequest) -> RequestInfo:
    return RequestInfo(r.method_str, r.version.decode())


def _send(target: Target, segments: Sequence[bytes], infos: List[RequestInfo]):
    """One connection: write the segments (separate writes), half-close, read to the close."""
    conn = Connection(target, timeout=TIMEOUT)
    try:
        parts: list = []
        for seg in segments:
            if parts:
                parts.append(Pause(0.0))
            parts.append(seg)
        conn.send(*parts, HALF_CLOSE)
        conn.read_until(lambda: False)
    finally:
        conn.close()
    assert conn.transcript.ending == "closed", conn.transcript.render()
    reader = parse_responses(conn.transcript.received, infos)
    assert reader.error is None, (reader.error, conn.transcript.render())
    return reader.responses


def _normal(responses) -> list:
    """What must not depend on how the bytes were written: status, fields but Date, body."""
    return [(r.status, [(n.lower(), v) for n, v in r.headers if n.lower() != b"date"], r.body) for r in responses]


@SETTINGS
@given(req=requests(path="/echo"), data=st.data())
def test_split_anywhere_same_response(target, req, data):
    raw = req.to_bytes()
    cuts = sorted(set(data.draw(st.lists(st.integers(1, max(1, len(raw) - 1)), max_size=4), label="cuts")))
    pieces = [raw[a:b] for a, b in zip([0] + cuts, cuts + [len(raw)]) if raw[a:b]]
    whole = _send(target, [raw], [_info(req)])
    split = _send(target, pieces, [_info(req)])
    assert len(whole) == 1 and whole[0].status < 400
    assert _normal(split) == _normal(whole)


@SETTINGS
@given(reqs=st.lists(requests(path="/echo", versions=("1.1",)), min_size=2, max_size=4))
def test_pipelined_same_as_one_by_one(target, reqs):
    infos = [_info(r) for r in reqs]
    pipelined = _send(target, [b"".join(r.to_bytes() for r in reqs)], infos)
    one_by_one = [resp for r in reqs for resp in _send(target, [r.to_bytes()], [_info(r)])]
    assert _normal(pipelined) == _normal(one_by_one)


@SETTINGS
@given(req=st.one_of(requests(path="/echo"), invalid_requests(path="/echo")))
def test_every_response_parses_under_the_reference(target, req):
    raw = req.to_bytes()
    ref = parse_stream(raw)
    assert ref.accepted != bool(req.violation), (req.violation, ref.rejection)
    responses = _send(target, [raw], [_info(req)])
    assert len(responses) == 1
    assert responses[0].findings == [], responses[0].findings
    assert (responses[0].status >= 400) == bool(req.violation)


def test_shrinking_gives_a_minimal_example():
    """Against a server that drops pipelined requests, the pipelining property fails; Hypothesis shrinks the
    counterexample to two plain GET /echo requests."""
    with Server(host="127.0.0.1", port=0, quirks={"drop_pipelined"}) as server:
        host, port = server.address
        broken = Target(host=host, port=port)

        def fails(reqs) -> bool:
            infos = [_info(r) for r in reqs]
            conn = Connection(broken, timeout=TIMEOUT)
            try:
                conn.send(b"".join(r.to_bytes() for r in reqs), HALF_CLOSE)
                conn.read_until(lambda: False)
            finally:
                conn.close()
            return parse_responses(conn.transcript.received, infos).complete < len(reqs)

        example = find(st.lists(requests(path="/echo", versions=("1.1",)), min_size=1, max_size=4), fails,
                       settings=settings(max_examples=200, deadline=None, database=None))
    assert example == [HttpRequest(target=b"/echo"), HttpRequest(target=b"/echo")]

"""The network fuzzer's oracles against scripted servers: pairing stops where the target may have read the
stream differently, a rule is only broken with evidence, and findings are deduplicated by cause."""

from __future__ import annotations

import socket

import pytest
from h1conform.target import parse_target
from h1conform_fuzz import network
from h1conform_fuzz.findings import FindingStore
from h1conform_fuzz.mutate import Case
from h1conform_fuzz.oracle import Verdict, signature

from .rawserver import ScriptServer

BODY = b"<html><body>38 bytes of page</body></html>"[:38]
OK = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 38\r\nConnection: keep-alive\r\n\r\n"
BAD = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 11\r\nConnection: close\r\n\r\nbad request"
NOT_ALLOWED = b"HTTP/1.1 405 Not Allowed\r\nContent-Length: 3\r\nConnection: keep-alive\r\n\r\nno!"
GET = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"
HEAD = b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n"


def _until_fin_then(answer):
    """A connection handler: read to the client's FIN, send ``answer(received)``, close."""
    def handle(conn) -> None:
        for _ in range(10000):  # bounded: until the FIN
            if not conn._more():
                break
        conn.send(answer(conn.buffer))
        conn.sock.shutdown(socket.SHUT_WR)
    return handle


@pytest.fixture
def serve():
    servers = []

    def start(answer):
        srv = ScriptServer(_until_fin_then(answer), timeout=5.0)
        servers.append(srv)
        judge = network.Judge(parse_target(f"127.0.0.1:{srv.port}"), timeout=2.0, echo_path=None, limits=None)
        return judge

    yield start
    for srv in servers:
        srv.close()


def _findings(judge, data: bytes, cuts=()):
    result = judge.run(data, list(cuts))
    return result, result.findings


def test_400_and_close_after_an_invalid_request_in_the_middle_is_no_finding(serve):
    # RFC 9112 §2.2 / §9.6: a 400 + close; the HEAD behind it is never answered (nothing is owed after it)
    judge = serve(lambda got: OK + BODY + BAD)
    invalid = b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 2\r\n\r\n"
    result, found = _findings(judge, GET + invalid + HEAD, cuts=[len(GET), len(GET) + 7])
    assert found == [], found
    assert result.verdicts == []


def test_valid_head_response_after_a_request_the_target_read_leniently_is_no_finding(serve):
    # nginx takes a leading bare LF (RFC 9112 §2.2 MAY), answers 405, then the HEAD (38-byte Content-Length,
    # no body): the old reader framed it as a GET and reported 38 missing body bytes
    judge = serve(lambda got: NOT_ALLOWED + OK)
    data = b"\nOPTIONS / HTTP/1.1\r\nHost: a\r\n\r\n" + HEAD
    result, found = _findings(judge, data)
    assert found == [], found


def test_bare_lf_accepted_then_head_is_a_note_not_a_finding(serve):
    judge = serve(lambda got: OK + BODY + OK + BODY + OK)
    data = GET + b"GET / HTTP/1.1\nHost: a\n\n" + HEAD
    result, found = _findings(judge, data)
    assert found == [], found
    assert [v.kind for v in result.verdicts] == ["accepted-invalid"] and result.verdicts[0].note
    assert "MAY recognize a single LF" in result.verdicts[0].rule


def test_refused_body_request_stops_pairing(serve):
    # a 413 to a request with a body, refused before its end: the target reads the body as a HEAD request,
    # so its next response is a HEAD response (Content-Length 38, no body) where the reference expects the
    # answer to a GET.  Pairing stops at the 413: no "unparseable", nothing more owed
    too_large = b"HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\n\r\n"
    judge = serve(lambda got: too_large + OK + OK + BODY)
    data = b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: %d\r\n\r\n%s" % (len(HEAD), HEAD) + GET
    result, found = _findings(judge, data)
    assert found == [], found


def test_invalid_host_answered_200_is_one_deduplicated_finding(serve, tmp_path):
    judge = serve(lambda got: OK + BODY * (got.count(b"HTTP/1.1\r\n")))
    store = FindingStore(str(tmp_path), "127.0.0.1:1")
    for seed, host in enumerate([b"a b", b"a:99999", b"u@a", b"a:1:2"]):
        data = b"GET / HTTP/1.1\r\nHost: " + host + b"\r\n\r\n"
        result, found = _findings(judge, data)
        assert [v.kind for v in found] == ["accepted-invalid"], result.verdicts
        assert "MUST respond with a 400 (Bad Request)" in found[0].rule
        store.add(Case(seed, data, (), ()), 1, result)
    assert store.total == 4 and len(store.counts) == 1, store.counts
    (sig, count), = store.counts.items()
    assert count == 4 and sig.startswith("accepted-invalid [RFC9112-3.2")
    store.report(open(tmp_path / "report.txt", "w"))
    assert (tmp_path / "summary.json").exists()
    assert len(list(tmp_path.glob("accepted-invalid-*.json"))) == 3  # examples per signature


def test_answering_after_a_close_request_is_a_finding(serve):
    judge = serve(lambda got: OK + BODY + OK + BODY)
    first = b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
    result, found = _findings(judge, first + GET)
    assert [v.kind for v in found] == ["answered-after-close"], result.verdicts
    assert "MUST NOT process any further requests" in found[0].rule


def test_signature_ignores_the_mutated_bytes():
    a = Verdict("accepted-invalid", "request 0 is invalid (host: invalid Host value b'a b') but got 200",
                       rule="RFC9112-3.2-r5 MUST: ...", trigger="host: invalid Host value …")
    b = Verdict("accepted-invalid", "request 2 is invalid (host: invalid Host value b'x:1:2') but got 204",
                       rule="RFC9112-3.2-r5 MUST: ...", trigger="host: invalid Host value …")
    assert signature(a) == signature(b)
    c = Verdict("unparseable-response", "unparseable response bytes: illegal status line: bytearray(b'x 12')")
    d = Verdict("unparseable-response", "unparseable response bytes: illegal status line: bytearray(b'yy 3')")
    assert signature(c) == signature(d)

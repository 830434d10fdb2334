"""--target parsing."""

from __future__ import annotations

import pytest
from h1conform.errors import BadTarget
from h1conform.target import parse_target


@pytest.mark.parametrize("raw, host, port, tls, resource", [
    ("127.0.0.1:8080", "127.0.0.1", 8080, False, "/"),
    ("localhost:1", "localhost", 1, False, "/"),
    ("[::1]:8443", "::1", 8443, False, "/"),
    ("http://127.0.0.1:8080/index.html", "127.0.0.1", 8080, False, "/index.html"),
    ("http://example.test", "example.test", 80, False, "/"),
    ("https://127.0.0.1/x?y=1", "127.0.0.1", 443, True, "/x?y=1"),
])
def test_valid_targets(raw, host, port, tls, resource):
    t = parse_target(raw)
    assert (t.host, t.port, t.tls, t.resource) == (host, port, tls, resource)


@pytest.mark.parametrize("raw", ["", "127.0.0.1", "127.0.0.1:", "127.0.0.1:99999", "127.0.0.1:0", ":80",
                                 "ftp://x:21", "http://", "http://x:port", "[zz]:80", "a b:80"])
def test_invalid_targets(raw):
    with pytest.raises(BadTarget, match="invalid --target"):
        parse_target(raw)


def test_host_header_omits_default_port():
    assert parse_target("http://h").host_header == "h"
    assert parse_target("h:8080").host_header == "h:8080"
    assert parse_target("[::1]:80").host_header == "[::1]"

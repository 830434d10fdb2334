"""HTTP-semantics behaviour of the bundled app that sits around routing (RFC 9110): expectations and TRACE.

routes.App checks the expectations (:func:`check_expectations`, the strict ``AppRules.expectations``)
before it routes; the TRACE reflection of /echo leaves out the fields of :data:`SENSITIVE`
(``AppRules.trace_hidden_fields``).
"""
from __future__ import annotations

from typing import FrozenSet, Iterable

from .messages import Response, StrFields, error_response

SENSITIVE = frozenset({"authorization", "proxy-authorization", "cookie"})


def check_expectations(request) -> "Response | None":
    """§10.1.1: 417 to an HTTP/1.1 request with an expectation other than 100-continue, else None."""
    expect = request.header_values("Expect")
    if expect and request.version >= (1, 1) and any(v.strip(" \t").lower() != "100-continue" for v in expect):
        return error_response(417, "only 100-continue is a known expectation")
    return None


def trace_echo_headers(headers: Iterable, hidden: FrozenSet[str] = SENSITIVE) -> StrFields:
    """The request fields a TRACE reflection may show (§9.3.8: omit credentials and cookies)."""
    return [(n, v) for n, v in headers if n.lower() not in hidden]

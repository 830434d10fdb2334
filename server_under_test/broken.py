"""Declarative "broken server" switches.

Each switch turns off exactly one rule of the reference server so that the
conformance suite can prove that a case really detects that violation: a case
must pass against the normal server and fail against a server with the one
matching switch on.  The switches are checked with plain ``"name" in broken``
tests in parser.py, connection.py and routes.py.
"""
from __future__ import annotations

from typing import Iterable

CORE_SWITCHES: dict[str, str] = {
    "answer_incomplete_head": (
        "a read that leaves the header section incomplete but holds a complete request "
        "line is answered at once as a request without fields; the rest is parsed as a new request"
    ),
    "body_first_read_only": (
        "a request body (CL or chunked) is taken only from bytes buffered when the head "
        "completed; the missing rest is ignored and later bytes are parsed as new requests"
    ),
    "body_one_more_read": (
        "a request body (CL or chunked) is taken from the bytes buffered when the head completed and one more "
        "read; the missing rest is ignored and later bytes are parsed as new requests"
    ),
    "wait_for_body_without_length": (
        "a request other than GET/HEAD with neither Content-Length nor Transfer-Encoding "
        "reads its body until the peer closes"
    ),
    "ignore_body_on_get": (
        "a Content-Length body on GET/HEAD/OPTIONS/DELETE is not read (its bytes are parsed as the next request)"
    ),
    "close_delimited_keep_open": (
        "after a close-delimited response (/close-delimited, /stream to HTTP/1.0) the connection is kept "
        "open, whatever else would close it, and no Connection: close is sent"
    ),
    "chunked_to_http10": "/stream answers HTTP/1.0 clients with chunked too",
    "close_without_signal": "never send the Connection: close header (closing behaviour unchanged)",
    "no_persistence": "close after every response (with Connection: close)",
    "keep_http10_open": "HTTP/1.0 requests without keep-alive are kept persistent (no Connection: close)",
    "no_http10_keep_alive": "HTTP/1.0 keep-alive is not honoured: close after the response, with Connection: close",
    "no_keep_alive_header_http10": "HTTP/1.0 keep-alive is honoured but the response omits Connection: keep-alive",
    "ignore_connection_close": "the request's Connection: close is ignored (connection persists, no close in the response)",
    "connection_options_case_sensitive": "Connection options compared case-sensitively (only lowercase close/keep-alive)",
    "connection_whole_value_only": "the Connection value is compared as a whole string, not as a list",
    "ignore_own_close": (
        "after an error response the server decided to close with (a 400 etc., carrying Connection: close) "
        "keep reading and answering requests, resyncing after the next empty line; closes the client asked "
        "for (Connection: close, HTTP/1.0) are unaffected"
    ),
    "no_close_after_bad_request": (
        "a 400 is sent without Connection: close and the connection continues after the next empty line"
    ),
    "drop_pipelined": "after answering a request, discard the bytes already buffered (pipelined requests are lost)",
    "pipeline_out_of_order": "responses to requests that were buffered together are sent in reverse order",
    "body_in_head_response": "HEAD responses include the body",
    "no_leading_crlf_tolerance": "an empty line before a request-line is a 400",
    "skip_unread_body": (
        "when a route that does not use the body answers with an error (e.g. 404/405 to a POST), the body is "
        "left unread and the connection kept open (the body bytes are parsed as a request)"
    ),
    "http10_response_version": "HTTP/1.0 requests are answered with an HTTP/1.0 status line",
    "no_date": "omit the Date header",
    "date_rfc850": "the Date header is sent in the obsolete RFC 850 format (Sunday, 06-Nov-94 08:49:37 GMT)",
    "lowercase_status_version": "the status line starts with http/1.1 instead of HTTP/1.1",
    "content_length_with_chunked": "chunked responses also carry a Content-Length header",
    "content_length_short": "Content-Length is one less than the body actually sent (static files and /echo)",
}

from .broken_parsing import PARSING_SWITCHES  # noqa: E402  (message syntax and framing: smuggling probes)
from .broken_responses import RESPONSE_SWITCHES  # noqa: E402  (status line, framing, 100-continue, staying up)
from .broken_semantics import SEMANTIC_SWITCHES  # noqa: E402  (methods, status codes, conditionals, ...)

SWITCHES: dict[str, str] = {**CORE_SWITCHES, **PARSING_SWITCHES, **RESPONSE_SWITCHES, **SEMANTIC_SWITCHES}


def validate_switches(broken: Iterable[str] | None) -> frozenset[str]:
    """Return *broken* as a frozenset; raise ValueError for unknown switch names."""
    if broken is None:
        return frozenset()
    if isinstance(broken, (str, bytes)):
        raise ValueError("broken must be a collection of switch names, not a single string")
    names = frozenset(broken)
    unknown = sorted(n for n in names if n not in SWITCHES)
    if unknown:
        raise ValueError(
            "unknown broken switch(es): %s (known: %s)" % (", ".join(map(str, unknown)), ", ".join(sorted(SWITCHES)))
        )
    return names

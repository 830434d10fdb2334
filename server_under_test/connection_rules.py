"""The connection's seam: :class:`ConnectionRules`, the persistence policy and the response writer's hooks,
strict by default.  Only quirks (quirks/) set anything else; connection.py and persistence.py never name one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, FrozenSet, List, Set, Tuple

from .messages import Response


@dataclass
class Plan:
    """What persistence.plan_persistence decided for one response."""

    send_close: bool  # put "Connection: close" in the response
    send_keep_alive: bool  # put "Connection: keep-alive" in the response (HTTP/1.0)
    close_after: bool  # close the connection once the response is written


def connection_options(values: List[str]) -> Set[str]:
    """Connection options: a case-insensitive comma list, empty elements allowed (RFC 9110 §7.6.1)."""
    options = set()
    for value in values:
        for element in value.split(","):
            element = element.strip(" \t")
            if element:
                options.add(element.lower())
    return options


def expects_continue(value: bytes) -> bool:
    """RFC 9110 §10.1.1: the expectation is compared case-insensitively."""
    return value.lower() == b"100-continue"


@dataclass(frozen=True)
class ConnectionRules:
    # -- persistence (RFC 9112 §9.3, §9.6)
    #: the Connection field's values -> its options
    connection_options: Callable[[List[str]], Set[str]] = connection_options
    #: connections persist at all
    persistent: bool = True
    #: an HTTP/1.0 request with keep-alive gets a persistent connection ...
    http10_keep_alive: bool = True
    #: ... and "Connection: keep-alive" in the response, saying so
    announce_http10_keep_alive: bool = True
    #: an HTTP/1.0 request without keep-alive persists (RFC 9112 §9.3: it does not)
    http10_persistent_by_default: bool = False
    #: the request's "close" option closes the connection after the response (RFC 9112 §9.6 MUST)
    honour_close_option: bool = True
    #: a close-delimited response closes the connection (RFC 9112 §6.3: it must, to end the content)
    close_delimited_closes: bool = True
    #: a close is said with "Connection: close" (RFC 9112 §9.6 SHOULD)
    announce_close: bool = True
    #: (status, the plan the server chose) -> the plan, after a request it could not read, in turn
    after_bad_request: Tuple[Callable[[int, Plan], Plan], ...] = ()
    #: requests already buffered behind an answered one are read (not dropped)
    keep_pipelined: bool = True
    #: responses go out in the order of their requests (RFC 9112 §9.3.2 MUST)
    responses_in_order: bool = True
    #: an error answered by a route that does not read the body leaves the body unread and the connection open
    early_error_leaves_body: bool = False
    #: the peer's FIN within 50 ms of a request cancels its answer
    half_close_cancels: bool = False
    #: an idle connection is closed with a reset (RST) instead of a FIN
    reset_idle_connections: bool = False
    # -- 100-continue (RFC 9110 §10.1.1)
    expects_continue: Callable[[bytes], bool] = expects_continue
    send_continue: bool = True
    continue_to_http10: bool = False
    close_after_continue: bool = False
    # -- the writer
    #: (head lines: the status line, then the field lines; the request's version; its version as sent)
    #: -> head lines, in turn
    head_hooks: Tuple[Callable[[List[str], Tuple[int, int], bytes], List[str]], ...] = ()
    #: a streamed response to HTTP/1.0 is chunked (RFC 9112 §7.1: only HTTP/1.1 recipients understand it)
    chunked_to_http10: bool = False
    #: a chunked response also carries Content-Length (RFC 9112 §6.2 MUST NOT)
    content_length_beside_chunked: bool = False
    #: added to a 200's Content-Length (it must be the exact octet count)
    content_length_error: int = 0
    #: trailer fields of a chunked response are announced with Trailer (RFC 9110 §6.6.2 SHOULD)
    announce_trailers: bool = True
    #: the chunk-size line of a chunked response, as a %-format of the size
    chunk_size_format: bytes = b"%x\r\n"
    #: a response to HEAD carries its content (RFC 9110 §9.3.2: it must not)
    content_to_head: bool = False
    #: statuses whose responses are followed by content anyway (RFC 9110 §15.3.5, §15.4.5: 204, 304 have none)
    content_after: FrozenSet[int] = frozenset()
    #: an error response -> the error response, in turn
    error_hooks: Tuple[Callable[[Response], Response], ...] = ()
    #: after a refused oversized request (413/414/431) the server stops serving every connection
    oversize_stops_serving: bool = False


STRICT = ConnectionRules()

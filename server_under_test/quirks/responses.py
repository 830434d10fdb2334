"""Quirks of how responses are written (status line, framing, Date, 100-continue) and of staying up."""
from __future__ import annotations

from . import writer
from .declare import family

quirk = family("responses")

quirk(
    "space_before_first_field",
    "the first field line of every response starts with a space",
    breaks={"response-no-space-before-first-field"},
    cascades=True,
    connection=dict(head_hooks=(writer.space_before_first_field,)),
)
quirk(
    "downgrade_to_http10",
    "every response says HTTP/1.0, whatever the request said",
    breaks={"response-version-not-downgraded"},
    connection=dict(head_hooks=(writer.status_line_http10,)),
)
quirk(
    "status_line_echoes_request_version",
    "the status line repeats the request's HTTP-version (HTTP/1.2 for HTTP/1.2)",
    breaks={"response-version-not-echoed"},
    connection=dict(head_hooks=(writer.status_line_repeats_request,)),
)
quirk(
    "chunk_size_padded",
    "chunk-size lines of chunked responses are upper-case hex followed by a space",
    breaks={"response-chunked-well-formed"},
    connection=dict(chunk_size_format=b"%X \r\n"),
)
quirk(
    "empty_505_body",
    "505 responses have no content",
    breaks={"version-505-explains"},
    connection=dict(error_hooks=(writer.empty_505,)),
)
quirk(
    "body_in_304",
    "304 responses are followed by content",
    breaks={"not-modified-ends-at-head"},
    connection=dict(content_after=frozenset({304})),
)
quirk(
    "body_in_204",
    "204 responses are followed by content",
    breaks={"no-content-ends-at-head"},
    connection=dict(content_after=frozenset({204})),
)
quirk(
    "stale_date",
    "the Date field is an hour old",
    breaks={"date-close-to-now"},
    connection=dict(head_hooks=(writer.date_an_hour_old,)),
)
quirk(
    "expect_case_sensitive",
    "only lower-case 100-continue gets a 100 (100-Continue does not)",
    breaks={"expect-continue-case-insensitive"},
    connection=dict(expects_continue=writer.expects_lower_case_only),
)
quirk(
    "continue_to_http10",
    "HTTP/1.0 requests with Expect: 100-continue get a 100 Continue",
    breaks={"expect-continue-ignored-for-http10"},
    connection=dict(continue_to_http10=True),
)
quirk(
    "no_continue",
    "Expect: 100-continue never gets a 100: the server waits for the content",
    breaks={
        "expect-continue-before-content", "expect-continue-case-insensitive", "expect-continue-then-final"
    },
    connection=dict(send_continue=False),
)
quirk(
    "continue_then_close",
    "after a 100 Continue the server closes without a final response",
    breaks={"expect-continue-then-final"},
    connection=dict(close_after_continue=True),
)
quirk(
    "trailer_not_announced",
    "trailer fields of chunked responses are sent without a Trailer field announcing them",
    breaks={"response-trailers-announced"},
    connection=dict(announce_trailers=False),
)
quirk(
    "half_close_aborts",
    "a FIN right after a request (within 50 ms) cancels it: no response",
    breaks={"half-close-after-request-answered"},
    connection=dict(half_close_cancels=True),
)
quirk(
    "idle_close_reset",
    "an idle keep-alive connection is timed out with a reset (RST), not a FIN",
    breaks={"idle-timeout-graceful-close"},
    connection=dict(reset_idle_connections=True),
)
quirk(
    "wedge_after_oversize",
    "after one request refused as too large (413/414/431) every connection is dropped",
    breaks={"oversized-input-then-still-serving"},
    cascades=True,
    connection=dict(oversize_stops_serving=True),
)

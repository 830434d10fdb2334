"""Broken-server switches for how responses are written (status line, framing, Date, 100-continue)
and for staying up; checked in connection.py.  See broken.py for how switches are used."""
from __future__ import annotations

RESPONSE_SWITCHES: dict[str, str] = {
    "space_before_first_field": "the first field line of every response starts with a space",
    "downgrade_to_http10": "every response says HTTP/1.0, whatever the request said",
    "status_line_echoes_request_version": "the status line repeats the request's HTTP-version (HTTP/1.2 for HTTP/1.2)",
    "chunk_size_padded": "chunk-size lines of chunked responses are upper-case hex followed by a space",
    "empty_505_body": "505 responses have no content",
    "body_in_304": "304 responses are followed by content",
    "body_in_204": "204 responses are followed by content",
    "stale_date": "the Date field is an hour old",
    "expect_case_sensitive": "only lower-case 100-continue gets a 100 (100-Continue does not)",
    "continue_to_http10": "HTTP/1.0 requests with Expect: 100-continue get a 100 Continue",
    "no_continue": "Expect: 100-continue never gets a 100: the server waits for the content",
    "continue_then_close": "after a 100 Continue the server closes without a final response",
    "trailer_not_announced": "trailer fields of chunked responses are sent without a Trailer field announcing them",
    "half_close_aborts": "a FIN right after a request (within 50 ms) cancels it: no response",
    "idle_close_reset": "an idle keep-alive connection is timed out with a reset (RST), not a FIN",
    "wedge_after_oversize": "after one request refused as too large (413/414/431) every connection is dropped",
}

"""Quirks of the core behaviour: partial reads, bodies without a length, persistence, pipelining, response basics."""
from __future__ import annotations

from . import writer
from .declare import family

quirk = family("core")

quirk(
    "answer_incomplete_head",
    ("a read that leaves the header section incomplete but holds a complete request line is answered "
     "at once as a request without fields; the rest is parsed as a new request"),
    breaks={
        "partial-head-byte-by-byte", "partial-head-empty-line-delayed", "partial-head-http10-split",
        "partial-head-pipelined-second-split", "partial-head-request-line-alone",
        "partial-head-split-at-crlf", "partial-head-split-inside-final-crlf", "partial-head-split-mid-token"
    },
    parser=dict(partial_head_is_request=True),
)
quirk(
    "body_first_read_only",
    ("a request body (CL or chunked) is taken only from bytes buffered when the head completed; the "
     "missing rest is ignored and later bytes are parsed as new requests"),
    breaks={
        "chunked-no-last-chunk-then-fin", "partial-body-byte-by-byte", "partial-body-head-alone-first",
        "partial-body-incomplete-then-half-close", "partial-body-split-paused", "partial-body-three-pieces-paused"
    },
    parser=dict(body_reads=0),
)
quirk(
    "body_one_more_read",
    ("a request body (CL or chunked) is taken from the bytes buffered when the head completed and one "
     "more read; the missing rest is ignored and later bytes are parsed as new requests"),
    breaks={
        "chunked-no-last-chunk-then-fin", "partial-body-byte-by-byte", "partial-body-incomplete-then-half-close",
        "partial-body-three-pieces-paused"
    },
    parser=dict(body_reads=1),
)
quirk(
    "wait_for_body_without_length",
    ("a request other than GET/HEAD with neither Content-Length nor Transfer-Encoding reads its body "
     "until the peer closes"),
    breaks={
        "no-length-http10-post", "no-length-post-answered-without-waiting", "no-length-post-echo-empty",
        "no-length-post-pipelined", "no-length-put-pipelined"
    },
    parser=dict(unframed_body_until_close=True),
)
quirk(
    "ignore_body_on_get",
    ("a Content-Length body on GET/HEAD/OPTIONS/DELETE/TRACE is not read (its bytes are parsed as the next "
     "request)"),
    breaks={
        "get-body-framed-by-content-length", "head-body-framed-by-content-length", "smuggle-body-on-delete",
        "smuggle-body-on-get", "smuggle-body-on-head", "smuggle-body-on-options", "smuggle-body-on-trace",
        "smuggle-chunked-body-on-get", "smuggle-chunked-body-on-head"
    },
    parser=dict(bodyless_methods=frozenset({b"GET", b"HEAD", b"OPTIONS", b"DELETE", b"TRACE"})),
)
quirk(
    "close_delimited_keep_open",
    ("after a close-delimited response (/close-delimited, /stream to HTTP/1.0) the connection is kept "
     "open, whatever else would close it, and no Connection: close is sent"),
    breaks={
        "response-close-delimited-ends-with-close", "response-stream-http10-ends-with-close",
        "response-stream-http10-not-chunked"
    },
    connection=dict(close_delimited_closes=False),
)
quirk(
    "chunked_to_http10",
    "/stream answers HTTP/1.0 clients with chunked too",
    breaks={"response-stream-http10-not-chunked"},
    connection=dict(chunked_to_http10=True),
)
quirk(
    "close_without_signal",
    "never send the Connection: close header (closing behaviour unchanged)",
    breaks={"close-request-echoed", "persist-http10-close-signalled"},
    connection=dict(announce_close=False),
)
quirk(
    "no_persistence",
    "close after every response (with Connection: close)",
    breaks={"persist-http10-keep-alive", "persist-http11-default", "persist-http11-several-requests"},
    connection=dict(persistent=False),
)
quirk(
    "keep_http10_open",
    "HTTP/1.0 requests without keep-alive are kept persistent (no Connection: close)",
    breaks={"persist-http10-default-close", "persist-http10-pipelined-not-answered"},
    connection=dict(http10_persistent_by_default=True),
)
quirk(
    "no_http10_keep_alive",
    "HTTP/1.0 keep-alive is not honoured: close after the response, with Connection: close",
    breaks={"persist-http10-keep-alive"},
    connection=dict(http10_keep_alive=False),
)
quirk(
    "no_keep_alive_header_http10",
    "HTTP/1.0 keep-alive is honoured but the response omits Connection: keep-alive",
    breaks={"persist-http10-keep-alive"},
    connection=dict(announce_http10_keep_alive=False),
)
quirk(
    "ignore_connection_close",
    "the request's Connection: close is ignored (connection persists, no close in the response)",
    breaks={
        "close-option-empty-list-elements", "close-option-in-list", "close-option-mixed-case",
        "close-option-uppercase", "close-request-closes", "close-request-echoed",
        "pipeline-after-connection-close", "pipeline-after-connection-close-later"
    },
    connection=dict(honour_close_option=False),
)
quirk(
    "connection_options_case_sensitive",
    "Connection options compared case-sensitively (only lowercase close/keep-alive)",
    breaks={"close-option-mixed-case", "close-option-uppercase"},
    connection=dict(connection_options=writer.options_case_sensitive),
)
quirk(
    "connection_whole_value_only",
    "the Connection value is compared as a whole string, not as a list",
    breaks={"close-option-empty-list-elements", "close-option-in-list"},
    connection=dict(connection_options=writer.options_whole_value),
)
quirk(
    "ignore_own_close",
    ("after an error response the server decided to close with (a 400 etc., carrying Connection: "
     "close) keep reading and answering requests, resyncing after the next empty line; closes the "
     "client asked for (Connection: close, HTTP/1.0) are unaffected"),
    breaks={"close-response-then-eof", "pipeline-bad-request-closes"},
    connection=dict(after_bad_request=(writer.keeps_reading_after_saying_close,)),
)
quirk(
    "no_close_after_bad_request",
    "a 400 is sent without Connection: close and the connection continues after the next empty line",
    breaks={"pipeline-bad-request-closes"},
    connection=dict(after_bad_request=(writer.no_close_after_400,)),
)
quirk(
    "drop_pipelined",
    "after answering a request, discard the bytes already buffered (pipelined requests are lost)",
    breaks={
        "expect-continue-content-sent-at-once", "no-length-get-pipelined", "no-length-post-pipelined",
        "no-length-put-pipelined", "partial-head-pipelined-second-split", "pipeline-after-content-length-zero",
        "pipeline-bad-request-closes", "pipeline-chunked-then-get", "pipeline-empty-line-between",
        "pipeline-head-then-get", "pipeline-mixed-head-get", "pipeline-posts-with-bodies",
        "pipeline-split-across-writes", "pipeline-ten-gets-in-order", "pipeline-three-gets-in-order",
        "pipeline-unread-body-not-a-request", "response-content-length-exact"
    },
    connection=dict(keep_pipelined=False),
)
quirk(
    "pipeline_out_of_order",
    "responses to requests that were buffered together are sent in reverse order",
    breaks={
        "pipeline-after-content-length-zero", "pipeline-bad-request-closes", "pipeline-chunked-then-get",
        "pipeline-head-then-get", "pipeline-mixed-head-get", "pipeline-posts-with-bodies",
        "pipeline-ten-gets-in-order", "pipeline-three-gets-in-order"
    },
    connection=dict(responses_in_order=False),
)
quirk(
    "body_in_head_response",
    "HEAD responses include the body",
    breaks={
        "head-no-content", "pipeline-head-then-get", "pipeline-mixed-head-get",
        "response-head-transfer-encoding"
    },
    cascades=True,
    connection=dict(content_to_head=True),
)
quirk(
    "no_leading_crlf_tolerance",
    "an empty line before a request-line is a 400",
    breaks={"leading-empty-line-ignored", "pipeline-empty-line-between"},
    parser=dict(empty_lines_before_request=False),
)
quirk(
    "skip_unread_body",
    ("when a route that does not use the body answers with an error (e.g. 404/405 to a POST), the body "
     "is left unread and the connection kept open (the body bytes are parsed as a request)"),
    breaks={"expect-early-final-signalled", "pipeline-unread-body-not-a-request"},
    connection=dict(early_error_leaves_body=True),
)
quirk(
    "http10_response_version",
    "HTTP/1.0 requests are answered with an HTTP/1.0 status line",
    breaks={"persist-http10-response-version"},
    connection=dict(head_hooks=(writer.http10_status_line_to_http10,)),
)
quirk(
    "no_date",
    "omit the Date header",
    breaks={"date-optional-in-5xx-recorded", "last-modified-not-after-date", "response-date-present"},
    connection=dict(head_hooks=(writer.no_date,)),
)
quirk(
    "date_rfc850",
    "the Date header is sent in the obsolete RFC 850 format (Sunday, 06-Nov-94 08:49:37 GMT)",
    breaks={"response-date-imf-fixdate"},
    connection=dict(head_hooks=(writer.date_rfc850,)),
)
quirk(
    "lowercase_status_version",
    "the status line starts with http/1.1 instead of HTTP/1.1",
    breaks={"response-status-line-grammar"},
    cascades=True,
    connection=dict(head_hooks=(writer.status_line_lower_case,)),
)
quirk(
    "content_length_with_chunked",
    "chunked responses also carry a Content-Length header",
    breaks={"response-no-content-length-with-chunked"},
    connection=dict(content_length_beside_chunked=True),
)
quirk(
    "content_length_short",
    "Content-Length is one less than the body actually sent (static files and /echo)",
    breaks={"response-content-length-exact"},
    cascades=True,
    connection=dict(content_length_error=-1),
)

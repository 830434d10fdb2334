"""Proof table for the core cases (partial reads, missing length, keep-alive, pipelining, response basics).

Maps a tuple of broken-server switches to the cases that must stop passing with them on; see test_proof.py.
"""

from __future__ import annotations

PARTIAL_HEAD = {
    "partial-head-split-at-crlf", "partial-head-split-mid-token", "partial-head-byte-by-byte",
    "partial-head-split-inside-final-crlf", "partial-head-empty-line-delayed", "partial-head-request-line-alone",
    "partial-head-http10-split", "partial-head-pipelined-second-split",
}
NO_LENGTH = {
    "no-length-post-answered-without-waiting", "no-length-post-pipelined", "no-length-post-echo-empty",
    "no-length-http10-post", "no-length-put-pipelined", "no-length-get-pipelined",
}

PROOF = {
    ("answer_incomplete_head",): PARTIAL_HEAD,
    ("body_first_read_only",): {
        "partial-body-split-paused", "partial-body-byte-by-byte", "partial-body-head-alone-first",
        "partial-body-incomplete-then-half-close", "partial-body-three-pieces-paused",
    },
    ("body_one_more_read",): {"partial-body-three-pieces-paused", "partial-body-byte-by-byte",
                              "partial-body-incomplete-then-half-close"},
    ("wait_for_body_without_length",): NO_LENGTH - {"no-length-get-pipelined"},
    ("ignore_body_on_get",): {"get-body-framed-by-content-length", "head-body-framed-by-content-length",
                              "smuggle-body-on-delete", "smuggle-body-on-get", "smuggle-body-on-head",
                              "smuggle-body-on-options", "smuggle-chunked-body-on-get", "smuggle-chunked-body-on-head"},
    ("close_delimited_keep_open",): {
        "response-close-delimited-ends-with-close", "response-stream-http10-ends-with-close",
        "response-stream-http10-not-chunked",  # the response never completes, so it is never judged complete
    },
    ("chunked_to_http10",): {"response-stream-http10-not-chunked"},
    ("close_without_signal",): {"close-request-echoed", "persist-http10-close-signalled"},
    ("no_persistence",): {"persist-http11-default", "persist-http11-several-requests", "persist-http10-keep-alive"},
    ("no_persistence", "close_without_signal"): {
        "persist-http11-default", "persist-http11-several-requests", "persist-close-signalled",
        "persist-http10-keep-alive", "close-request-echoed", "persist-http10-close-signalled",
    },
    ("keep_http10_open",): {"persist-http10-default-close", "persist-http10-pipelined-not-answered"},
    ("no_http10_keep_alive",): {"persist-http10-keep-alive"},
    ("no_keep_alive_header_http10",): {"persist-http10-keep-alive"},
    ("ignore_connection_close",): {
        "close-request-closes", "close-request-echoed", "close-option-uppercase", "close-option-mixed-case",
        "close-option-in-list", "close-option-empty-list-elements", "pipeline-after-connection-close",
        "pipeline-after-connection-close-later",
    },
    ("connection_options_case_sensitive",): {"close-option-uppercase", "close-option-mixed-case"},
    ("connection_whole_value_only",): {"close-option-in-list", "close-option-empty-list-elements"},
    ("ignore_own_close",): {"close-response-then-eof", "pipeline-bad-request-closes"},
    ("no_close_after_bad_request",): {"pipeline-bad-request-closes"},
    ("drop_pipelined",): {
        "pipeline-three-gets-in-order", "pipeline-ten-gets-in-order", "pipeline-split-across-writes",
        "pipeline-posts-with-bodies", "pipeline-chunked-then-get", "pipeline-head-then-get",
        "pipeline-mixed-head-get", "no-length-get-pipelined", "no-length-post-pipelined", "no-length-put-pipelined",
        "pipeline-empty-line-between", "pipeline-unread-body-not-a-request", "partial-head-pipelined-second-split",
        "pipeline-bad-request-closes", "response-content-length-exact",
    },
    ("pipeline_out_of_order",): {
        "pipeline-three-gets-in-order", "pipeline-ten-gets-in-order", "pipeline-posts-with-bodies",
        "pipeline-chunked-then-get", "pipeline-head-then-get", "pipeline-mixed-head-get", "pipeline-bad-request-closes",
    },
    ("body_in_head_response",): {"pipeline-head-then-get", "pipeline-mixed-head-get"},
    ("no_leading_crlf_tolerance",): {"pipeline-empty-line-between", "leading-empty-line-ignored"},
    ("skip_unread_body",): {"pipeline-unread-body-not-a-request"},
    ("http10_response_version",): {"persist-http10-response-version"},
    ("no_date",): {"response-date-present"},
    ("date_rfc850",): {"response-date-imf-fixdate"},
    ("lowercase_status_version",): {"response-status-line-grammar"},
    ("content_length_with_chunked",): {"response-no-content-length-with-chunked"},
    ("content_length_short",): {"response-content-length-exact"},
}

# Switches whose effect cascades into most cases: checked as "at least these".
CASCADING = {("no_persistence", "close_without_signal"), ("lowercase_status_version",), ("content_length_short",),
             # whether head-body-framed-by-content-length also notices depends on how the HEAD body's bytes
             # arrive, so this entry is checked as "at least these" (that case is proven by ignore_body_on_get)
             ("body_in_head_response",)}

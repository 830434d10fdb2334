"""Proof table for how responses are written and for staying up (server_under_test/broken_responses.py)."""

from __future__ import annotations

PROOF: dict = {
    ("space_before_first_field",): {"response-no-space-before-first-field"},
    ("downgrade_to_http10",): {"response-version-not-downgraded"},
    ("status_line_echoes_request_version",): {"response-version-not-echoed"},
    ("chunk_size_padded",): {"response-chunked-well-formed"},
    ("empty_505_body",): {"version-505-explains"},
    ("body_in_304",): {"not-modified-ends-at-head"},
    ("body_in_204",): {"no-content-ends-at-head"},
    ("stale_date",): {"date-close-to-now"},
    ("expect_case_sensitive",): {"expect-continue-case-insensitive"},
    ("continue_to_http10",): {"expect-continue-ignored-for-http10"},
    # no 100 at all: before-content fails, case-insensitive cannot see the spelling (inconclusive) and
    # then-final has no 100 to follow (skip)
    ("no_continue",): {"expect-continue-before-content", "expect-continue-case-insensitive",
                       "expect-continue-then-final"},
    # the 100 still comes before the content (both spellings), so only the missing final response shows
    ("continue_then_close",): {"expect-continue-then-final"},
    ("wedge_after_oversize",): {"oversized-input-then-still-serving"},
    ("trailer_not_announced",): {"response-trailers-announced"},
    ("half_close_aborts",): {"half-close-after-request-answered"},
    ("idle_close_reset",): {"idle-timeout-graceful-close"},
}

# A leading space before the first field makes every response unparseable, and a wedged server fails whatever
# runs after the wedge: both are checked as "at least these".
CASCADING: set = {("space_before_first_field",), ("wedge_after_oversize",)}

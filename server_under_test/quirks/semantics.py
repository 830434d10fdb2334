"""Quirks of HTTP semantics (RFC 9110): methods, status codes, conditional requests, representation metadata."""
from __future__ import annotations

from .declare import family

quirk = family("semantics")

quirk(
    "route_by_host_header",
    "absolute-form requests are routed by Host: a Host unlike the target authority gets 404",
    breaks={"absolute-form-host-ignored"},
)
quirk(
    "absolute_form_rejected",
    "an absolute-form request-target (http://host/path) is answered 400",
    breaks={"absolute-form-accepted", "absolute-form-host-ignored"},
)
quirk(
    "options_star_rejected",
    "OPTIONS * is answered 400",
    breaks={"options-asterisk-accepted", "options-asterisk-allow"},
)
quirk(
    "short_uri_limit",
    "request-targets longer than 4096 octets are answered 414",
    breaks={"uri-8000-octets-supported"},
)
quirk(
    "https_target_served",
    "an https:// request-target received on a plain connection is served like http://",
    breaks={"https-target-refused-on-plain"},
)
quirk(
    "upgrade_http10",
    "an HTTP/1.0 request with Upgrade is answered 101 Switching Protocols",
    breaks={"no-1xx-to-http10-upgrade", "upgrade-http10-h2c-ignored", "upgrade-http10-websocket-ignored"},
)
quirk(
    "reject_upgrade",
    "a request with an Upgrade field is answered 400",
    breaks={"upgrade-unknown-protocol-recorded"},
)
quirk(
    "expect_unknown_ignored",
    "an unknown expectation (Expect: foo) is ignored instead of answered 417",
    breaks={"expect-unknown-recorded"},
)
quirk(
    "expect_100_no_content_417",
    "Expect: 100-continue on a request without content is answered 417",
    breaks={"expect-continue-without-content-recorded"},
)
quirk(
    "bare_cr_in_field",
    "405 responses carry a field value with a bare CR",
    breaks={
        "connect-not-allowed-has-allow", "connect-origin-recorded", "content-length-when-known",
        "method-not-allowed-405", "method-not-allowed-has-allow", "response-elements-match-grammar",
        "response-length-delimited-preferred", "response-no-bare-cr", "response-no-duplicate-singletons",
        "status-code-in-range", "trace-reflects-or-refused"
    },
)
quirk(
    "folded_field",
    "404 responses carry a field folded onto a second line (obs-fold)",
    breaks={"response-no-obs-fold"},
)
quirk(
    "duplicate_content_type",
    "405 responses carry Content-Type twice",
    breaks={"response-no-duplicate-singletons"},
)
quirk(
    "status_out_of_range",
    "405 responses are sent with status 605",
    breaks={
        "connect-not-allowed-has-allow", "connect-origin-recorded", "method-not-allowed-405",
        "method-not-allowed-has-allow", "status-code-in-range", "trace-reflects-or-refused"
    },
)
quirk(
    "chunked_listed_twice",
    "chunked /stream responses say Transfer-Encoding: chunked twice",
    breaks={
        "response-chunked-applied-once", "response-elements-match-grammar",
        "response-head-transfer-encoding", "response-no-content-length-with-chunked",
        "response-no-duplicate-singletons", "response-only-chunked-without-te", "status-code-in-range"
    },
)
quirk(
    "transfer_encoding_in_204",
    "204 responses carry Transfer-Encoding: chunked",
    breaks={"response-204-no-transfer-encoding"},
)
quirk(
    "content_length_in_204",
    "204 responses carry Content-Length: 0",
    breaks={"no-content-length-in-204"},
)
quirk(
    "not_modified_content_length_zero",
    "304 responses carry Content-Length: 0",
    breaks={"not-modified-content-length"},
)
quirk(
    "close_delimited_errors",
    "405 responses are close-delimited (no Content-Length)",
    breaks={"content-length-when-known", "response-length-delimited-preferred"},
)
quirk(
    "empty_error_bodies",
    "404 and 501 responses have no explanatory body",
    breaks={"client-error-explanatory-content", "server-error-explanatory-content"},
)
quirk(
    "no_content_type",
    "404 responses carry no Content-Type",
    breaks={"content-type-on-content"},
)
quirk(
    "gzip_without_content_encoding",
    "static 200 responses to Accept-Encoding: gzip are gzipped without Content-Encoding",
    breaks={"content-coding-labelled"},
)
quirk(
    "coding_ignores_accept_encoding",
    "static 200 responses to any Accept-Encoding are gzipped (Content-Encoding: gzip)",
    breaks={"unknown-coding-gets-identity"},
)
quirk(
    "no_etag",
    "static responses carry no ETag",
    breaks={
        "cond-if-match-mismatch-412", "cond-if-match-mismatch-not-performed",
        "cond-if-match-weak-tag-fails", "cond-if-none-match-current-304", "cond-if-none-match-head-304",
        "cond-if-none-match-in-list-304", "cond-if-none-match-star-304",
        "cond-if-none-match-weak-tag-matches", "cond-ims-ignored-with-if-none-match",
        "cond-order-if-match-before-if-none-match", "cond-order-if-none-match-before-ims",
        "cond-order-ius-before-if-none-match", "etag-grammar", "etag-present",
        "not-modified-content-length", "not-modified-keeps-200-fields",
        "not-modified-no-representation-metadata", "not-modified-same-etag", "ok-carries-validators"
    },
)
quirk(
    "etag_unquoted",
    "HEAD responses carry the ETag without its double quotes",
    breaks={"etag-grammar", "head-same-fields-as-get", "response-elements-match-grammar"},
)
quirk(
    "no_last_modified",
    "static responses carry no Last-Modified",
    breaks={
        "cond-if-range-old-date-full", "cond-ims-unmodified-304", "cond-ius-before-last-modified-412",
        "cond-order-ius-before-if-none-match", "ims-asctime-date-accepted", "ims-rfc850-date-accepted",
        "ims-rfc850-past-century", "last-modified-not-after-date", "last-modified-present",
        "ok-carries-validators"
    },
)
quirk(
    "last_modified_future",
    "Last-Modified is one day after the response's Date",
    breaks={
        "cond-ius-before-last-modified-412", "cond-order-ius-before-if-none-match",
        "last-modified-not-after-date"
    },
)
quirk(
    "server_field_detailed",
    "responses carry a second Server field listing versions, OS and modules",
    breaks={"server-field-not-detailed"},
)
quirk(
    "unknown_method_405",
    "an unknown method is answered 405 instead of 501",
    breaks={"method-unknown-501", "method-unknown-with-body-501"},
)
quirk(
    "known_method_501",
    ("a known method a static resource does not allow (DELETE, PUT, ...) is answered 501 instead of "
     "405"),
    breaks={"method-not-allowed-405", "method-not-allowed-has-allow"},
)
quirk(
    "head_not_allowed",
    "HEAD on a static resource is answered 405",
    breaks={
        "cond-if-none-match-head-304", "head-same-fields-as-get", "method-get-and-head-supported",
        "pipeline-mixed-head-get"
    },
)
quirk(
    "head_without_validators",
    "HEAD responses omit ETag and Last-Modified",
    breaks={"head-same-fields-as-get"},
)
quirk(
    "connect_not_implemented",
    "CONNECT is answered 501 instead of 405",
    breaks={"connect-not-allowed-has-allow", "connect-origin-recorded"},
)
quirk(
    "options_without_allow",
    "OPTIONS responses carry no Allow field",
    breaks={"options-asterisk-allow", "options-resource-allow"},
)
quirk(
    "method_not_allowed_without_allow",
    "405 responses carry no Allow field",
    breaks={"connect-not-allowed-has-allow", "method-not-allowed-has-allow"},
)
quirk(
    "trace_serves_resource",
    "TRACE on a static resource is answered 200 with the resource, not a reflection",
    breaks={"trace-reflects-or-refused"},
)
quirk(
    "trace_reflects_credentials",
    "a TRACE reflection (/echo) includes Authorization and Cookie fields",
    breaks={"trace-omits-credentials"},
)
quirk(
    "if_match_weak",
    "If-Match uses the weak comparison (W/ tags match)",
    breaks={"cond-if-match-weak-tag-fails"},
)
quirk(
    "ignore_if_match",
    "If-Match is ignored",
    breaks={
        "cond-if-match-mismatch-412", "cond-if-match-mismatch-not-performed",
        "cond-if-match-weak-tag-fails", "cond-order-if-match-before-if-none-match"
    },
)
quirk(
    "if_none_match_strong",
    "If-None-Match uses the strong comparison (W/ tags never match)",
    breaks={"cond-if-none-match-weak-tag-matches"},
)
quirk(
    "ignore_if_none_match",
    "If-None-Match is ignored",
    breaks={
        "cond-if-none-match-current-304", "cond-if-none-match-head-304", "cond-if-none-match-in-list-304",
        "cond-if-none-match-star-304", "cond-if-none-match-weak-tag-matches",
        "cond-ims-ignored-with-if-none-match", "cond-order-if-none-match-before-ims",
        "not-modified-content-length", "not-modified-keeps-200-fields",
        "not-modified-no-representation-metadata", "not-modified-same-etag"
    },
)
quirk(
    "ims_overrides_inm",
    "If-Modified-Since is evaluated even when If-None-Match is present",
    breaks={"cond-ims-ignored-with-if-none-match"},
)
quirk(
    "invalid_ims_not_modified",
    "an If-Modified-Since that is not one valid HTTP-date counts as not modified (304)",
    breaks={"cond-ims-invalid-date-ignored", "cond-ims-list-ignored"},
)
quirk(
    "ignore_if_modified_since",
    "If-Modified-Since is ignored",
    breaks={
        "cond-ims-unmodified-304", "ims-asctime-date-accepted", "ims-rfc850-date-accepted",
        "ims-rfc850-past-century"
    },
)
quirk(
    "invalid_ius_412",
    "an If-Unmodified-Since that is not a valid HTTP-date fails the precondition (412)",
    breaks={"cond-ius-invalid-date-ignored"},
)
quirk(
    "ignore_if_unmodified_since",
    "If-Unmodified-Since is ignored",
    breaks={"cond-ius-before-last-modified-412", "cond-order-ius-before-if-none-match"},
)
quirk(
    "if_range_alone_412",
    "If-Range without Range is evaluated like If-Match: a mismatch is answered 412",
    breaks={"cond-if-range-without-range-ignored"},
)
quirk(
    "ignore_if_range",
    "If-Range is ignored: the Range is served even when the validator does not match",
    breaks={"cond-if-range-etag-mismatch-full", "cond-if-range-old-date-full"},
)
quirk(
    "preconditions_before_existence",
    "a missing resource gets 412 to If-Match and 304 to If-None-Match: *",
    breaks={"cond-missing-resource-if-match", "cond-missing-resource-if-none-match-star"},
)
quirk(
    "preconditions_on_options",
    "If-Match is evaluated on OPTIONS requests (412 when false)",
    breaks={"cond-options-ignores-if-match"},
)
quirk(
    "precondition_order_inm_first",
    "If-None-Match is evaluated before If-Match",
    breaks={"cond-order-if-match-before-if-none-match", "cond-order-ius-before-if-none-match"},
)
quirk(
    "http_date_imf_only",
    "received HTTP-dates are understood only in IMF-fixdate form (RFC 850 and asctime ignored)",
    breaks={"ims-asctime-date-accepted", "ims-rfc850-date-accepted"},
)
quirk(
    "rfc850_years_2000s",
    "RFC 850 two-digit years are always read as 20yy (94 -> 2094)",
    breaks={"ims-rfc850-past-century"},
)
quirk(
    "not_modified_without_etag",
    "304 responses omit the ETag the 200 carries",
    breaks={"not-modified-keeps-200-fields", "not-modified-same-etag"},
)
quirk(
    "not_modified_with_content_type",
    "304 responses carry Content-Type",
    breaks={"not-modified-no-representation-metadata"},
)
quirk(
    "range_any_unit",
    "a Range with an unknown unit (items=0-5) is served as bytes",
    breaks={"range-unknown-unit-ignored"},
)
quirk(
    "range_on_head",
    "HEAD requests with Range are answered 206",
    breaks={"range-ignored-on-head"},
)
quirk(
    "range_overflow_500",
    "range numbers longer than 18 digits are answered 500",
    breaks={"range-huge-number-handled"},
)
quirk(
    "range_unlimited",
    "any number of ranges is served as one multipart/byteranges response",
    breaks={"range-many-overlapping-guarded"},
)
quirk(
    "ranges_only_from_zero",
    "byte ranges that do not start at byte 0 are answered 416",
    breaks={
        "range-content-range-valid", "range-last-clipped", "range-multipart-parts-content-range",
        "range-open-ended", "range-satisfiable-served", "range-suffix"
    },
)
quirk(
    "no_ranges",
    "Range is ignored: always 200 with the full representation",
    breaks={
        "cond-if-range-etag-mismatch-full", "cond-if-range-old-date-full", "range-416-content-range",
        "range-content-range-valid", "range-first-bytes", "range-last-clipped",
        "range-multipart-byteranges", "range-multipart-parts-content-range", "range-open-ended",
        "range-partial-keeps-200-fields", "range-satisfiable-served", "range-single-not-multipart",
        "range-suffix", "range-support-recorded", "range-unsatisfiable-416"
    },
)
quirk(
    "unsatisfiable_200",
    "an unsatisfiable Range is answered 200 with the full representation instead of 416",
    breaks={"range-416-content-range", "range-unsatisfiable-416"},
)
quirk(
    "range_from_content_range",
    "a GET with Content-Range and no Range is answered 206 with that range",
    breaks={"range-content-range-in-request-ignored"},
)
quirk(
    "content_range_off_by_one",
    "Content-Range says last-byte-pos + 1 (the body is right)",
    breaks={
        "range-content-range-valid", "range-first-bytes", "range-last-clipped",
        "range-multipart-parts-content-range", "range-open-ended", "range-suffix"
    },
)
quirk(
    "no_416_content_range",
    "416 responses carry no Content-Range",
    breaks={"range-416-content-range"},
)
quirk(
    "partial_without_etag",
    "206 responses omit the ETag the 200 carries",
    breaks={"range-partial-keeps-200-fields"},
)
quirk(
    "multipart_top_level_content_range",
    "multipart/byteranges responses also carry a Content-Range in the header section",
    breaks={"range-multipart-byteranges"},
)
quirk(
    "multipart_parts_without_content_range",
    "multipart/byteranges body parts carry no Content-Range",
    breaks={"range-multipart-parts-content-range"},
)
quirk(
    "single_range_multipart",
    "a single range is answered as multipart/byteranges",
    breaks={
        "range-content-range-valid", "range-first-bytes", "range-last-clipped", "range-open-ended",
        "range-single-not-multipart", "range-suffix", "range-support-recorded"
    },
)
quirk(
    "redirect_without_location",
    "3xx redirects (/redirect/<code>, a directory without its slash) carry no Location",
    breaks={
        "redirect-301-has-location", "redirect-302-has-location", "redirect-307-has-location",
        "redirect-308-has-location"
    },
)
quirk(
    "unauthorized_without_challenge",
    "401 responses (/private) carry no WWW-Authenticate",
    breaks={"unauthorized-has-challenge"},
)
quirk(
    "unsupported_media_type_accept_encoding",
    "a 415 for an unsupported media type (/echo) carries Accept-Encoding",
    breaks={"unsupported-media-type-no-accept-encoding"},
)
quirk(
    "no_vary",
    "responses carry no Vary, also when the content coding was chosen by Accept-Encoding",
    breaks={"negotiated-response-has-vary"},
)
quirk(
    "post_create_without_location",
    "a POST that creates an upload is answered 201 without Location",
    breaks={"post-create-201-location"},
)
quirk(
    "put_create_200",
    "a PUT that creates an upload is answered 200 instead of 201",
    breaks={"put-create-201"},
)
quirk(
    "put_replace_201",
    "a PUT that replaces an upload is answered 201 instead of 200/204",
    breaks={"put-replace-200-or-204"},
)
quirk(
    "put_validators_altered",
    "PUT stores the content with CRLF turned into LF, yet answers with the new ETag",
    breaks={"put-validators-match-stored"},
)
quirk(
    "delete_redirects",
    "a successful DELETE is answered 303 See Other to the collection",
    breaks={"delete-success-status"},
)
quirk(
    "content_range_put_replaces",
    "a PUT with Content-Range is not refused: its content replaces the whole upload",
    breaks={"put-content-range-400"},
)

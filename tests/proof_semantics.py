"""Proof table for HTTP semantics (RFC 9110); see test_proof.py.

The switches are in server_under_test/broken_semantics.py.  Where a switch makes a case skip (the
target then lacks what the case needs, e.g. no ETag), that counts as "stops passing" too.
"""

from __future__ import annotations

from . import proof_core

PROOF: dict = {
    ("route_by_host_header",): {"absolute-form-host-ignored"},
    ("absolute_form_rejected",): {"absolute-form-accepted", "absolute-form-host-ignored"},
    ("options_star_rejected",): {"options-asterisk-accepted", "options-asterisk-allow"},
    ("short_uri_limit",): {"uri-8000-octets-supported"},
    ("https_target_served",): {"https-target-refused-on-plain"},
    ("upgrade_http10",): {
        "no-1xx-to-http10-upgrade", "upgrade-http10-h2c-ignored", "upgrade-http10-websocket-ignored",
    },
    ("reject_upgrade",): {"upgrade-unknown-protocol-recorded"},
    ("expect_unknown_ignored",): {"expect-unknown-recorded"},
    ("expect_100_no_content_417",): {"expect-continue-without-content-recorded"},
    ("bare_cr_in_field",): {
        "connect-not-allowed-has-allow", "connect-origin-recorded", "content-length-when-known",
        "method-not-allowed-405", "method-not-allowed-has-allow", "response-elements-match-grammar",
        "response-length-delimited-preferred", "response-no-bare-cr", "response-no-duplicate-singletons",
        "status-code-in-range", "trace-reflects-or-refused",
    },
    ("folded_field",): {"response-no-obs-fold"},
    ("duplicate_content_type",): {"response-no-duplicate-singletons"},
    ("status_out_of_range",): {
        "connect-not-allowed-has-allow", "connect-origin-recorded", "method-not-allowed-405",
        "method-not-allowed-has-allow", "status-code-in-range", "trace-reflects-or-refused",
    },
    ("chunked_listed_twice",): {
        "response-chunked-applied-once", "response-elements-match-grammar", "response-head-transfer-encoding",
        "response-no-content-length-with-chunked", "response-no-duplicate-singletons",
        "response-only-chunked-without-te", "status-code-in-range",
    },
    ("transfer_encoding_in_204",): {"response-204-no-transfer-encoding"},
    ("content_length_in_204",): {"no-content-length-in-204"},
    ("not_modified_content_length_zero",): {"not-modified-content-length"},
    ("close_delimited_errors",): {"content-length-when-known", "response-length-delimited-preferred"},
    ("empty_error_bodies",): {"client-error-explanatory-content", "server-error-explanatory-content"},
    ("no_content_type",): {"content-type-on-content"},
    ("gzip_without_content_encoding",): {"content-coding-labelled"},
    ("coding_ignores_accept_encoding",): {"unknown-coding-gets-identity"},
    ("no_etag",): {
        "cond-if-match-mismatch-412", "cond-if-match-mismatch-not-performed", "cond-if-match-weak-tag-fails",
        "cond-if-none-match-current-304", "cond-if-none-match-head-304", "cond-if-none-match-in-list-304",
        "cond-if-none-match-star-304", "cond-if-none-match-weak-tag-matches", "cond-ims-ignored-with-if-none-match",
        "cond-order-if-match-before-if-none-match", "cond-order-if-none-match-before-ims",
        "cond-order-ius-before-if-none-match", "etag-grammar", "etag-present", "not-modified-content-length",
        "not-modified-keeps-200-fields", "not-modified-no-representation-metadata", "not-modified-same-etag",
        "ok-carries-validators",
    },
    ("etag_unquoted",): {"etag-grammar", "head-same-fields-as-get", "response-elements-match-grammar"},
    ("no_last_modified",): {
        "cond-if-range-old-date-full", "cond-ims-unmodified-304", "cond-ius-before-last-modified-412",
        "cond-order-ius-before-if-none-match", "ims-asctime-date-accepted", "ims-rfc850-date-accepted",
        "ims-rfc850-past-century", "last-modified-not-after-date", "last-modified-present", "ok-carries-validators",
    },
    ("last_modified_future",): {
        "cond-ius-before-last-modified-412", "cond-order-ius-before-if-none-match", "last-modified-not-after-date",
    },
    ("server_field_detailed",): {"server-field-not-detailed"},
    # (date-optional-in-5xx-recorded still finds a 5xx, the 505 to HTTP/2.0; it is proven by no_date)
    ("unknown_method_405",): {"method-unknown-501", "method-unknown-with-body-501"},
    ("known_method_501",): {"method-not-allowed-405", "method-not-allowed-has-allow"},
    ("head_not_allowed",): {
        "cond-if-none-match-head-304", "head-same-fields-as-get", "method-get-and-head-supported",
        "pipeline-mixed-head-get",
    },
    ("head_without_validators",): {"head-same-fields-as-get"},
    ("connect_not_implemented",): {"connect-not-allowed-has-allow", "connect-origin-recorded"},
    ("options_without_allow",): {"options-asterisk-allow", "options-resource-allow"},
    ("method_not_allowed_without_allow",): {"connect-not-allowed-has-allow", "method-not-allowed-has-allow"},
    ("trace_serves_resource",): {"trace-reflects-or-refused"},
    ("trace_reflects_credentials",): {"trace-omits-credentials"},
    ("if_match_weak",): {"cond-if-match-weak-tag-fails"},
    ("ignore_if_match",): {
        "cond-if-match-mismatch-412", "cond-if-match-mismatch-not-performed", "cond-if-match-weak-tag-fails",
        "cond-order-if-match-before-if-none-match",
    },
    ("if_none_match_strong",): {"cond-if-none-match-weak-tag-matches"},
    ("ignore_if_none_match",): {
        "cond-if-none-match-current-304", "cond-if-none-match-head-304", "cond-if-none-match-in-list-304",
        "cond-if-none-match-star-304", "cond-if-none-match-weak-tag-matches", "cond-ims-ignored-with-if-none-match",
        "cond-order-if-none-match-before-ims", "not-modified-content-length", "not-modified-keeps-200-fields",
        "not-modified-no-representation-metadata", "not-modified-same-etag",
    },
    ("ims_overrides_inm",): {"cond-ims-ignored-with-if-none-match"},
    ("invalid_ims_not_modified",): {"cond-ims-invalid-date-ignored", "cond-ims-list-ignored"},
    ("ignore_if_modified_since",): {
        "cond-ims-unmodified-304", "ims-asctime-date-accepted", "ims-rfc850-date-accepted",
        "ims-rfc850-past-century",
    },
    ("invalid_ius_412",): {"cond-ius-invalid-date-ignored"},
    ("ignore_if_unmodified_since",): {"cond-ius-before-last-modified-412", "cond-order-ius-before-if-none-match"},
    ("if_range_alone_412",): {"cond-if-range-without-range-ignored"},
    ("ignore_if_range",): {"cond-if-range-etag-mismatch-full", "cond-if-range-old-date-full"},
    ("preconditions_before_existence",): {
        "cond-missing-resource-if-match", "cond-missing-resource-if-none-match-star",
    },
    ("preconditions_on_options",): {"cond-options-ignores-if-match"},
    ("precondition_order_inm_first",): {
        "cond-order-if-match-before-if-none-match", "cond-order-ius-before-if-none-match",
    },
    ("http_date_imf_only",): {"ims-asctime-date-accepted", "ims-rfc850-date-accepted"},
    ("rfc850_years_2000s",): {"ims-rfc850-past-century"},
    ("not_modified_without_etag",): {"not-modified-keeps-200-fields", "not-modified-same-etag"},
    ("not_modified_with_content_type",): {"not-modified-no-representation-metadata"},
    ("range_any_unit",): {"range-unknown-unit-ignored"},
    ("range_on_head",): {"range-ignored-on-head"},
    ("range_overflow_500",): {"range-huge-number-handled"},
    ("range_unlimited",): {"range-many-overlapping-guarded"},
    ("ranges_only_from_zero",): {
        "range-content-range-valid", "range-last-clipped", "range-multipart-parts-content-range", "range-open-ended",
        "range-satisfiable-served", "range-suffix",
    },
    ("no_ranges",): {
        "cond-if-range-etag-mismatch-full", "cond-if-range-old-date-full", "range-416-content-range",
        "range-content-range-valid", "range-first-bytes", "range-last-clipped", "range-multipart-byteranges",
        "range-multipart-parts-content-range", "range-open-ended", "range-partial-keeps-200-fields",
        "range-satisfiable-served", "range-single-not-multipart", "range-suffix", "range-support-recorded",
        "range-unsatisfiable-416",
    },
    ("unsatisfiable_200",): {"range-416-content-range", "range-unsatisfiable-416"},
    ("range_from_content_range",): {"range-content-range-in-request-ignored"},
    ("content_range_off_by_one",): {
        "range-content-range-valid", "range-first-bytes", "range-last-clipped",
        "range-multipart-parts-content-range", "range-open-ended", "range-suffix",
    },
    ("no_416_content_range",): {"range-416-content-range"},
    ("partial_without_etag",): {"range-partial-keeps-200-fields"},
    ("multipart_top_level_content_range",): {"range-multipart-byteranges"},
    ("multipart_parts_without_content_range",): {"range-multipart-parts-content-range"},
    ("single_range_multipart",): {
        "range-content-range-valid", "range-first-bytes", "range-last-clipped", "range-open-ended",
        "range-single-not-multipart", "range-suffix", "range-support-recorded",
    },
    # redirects, authentication, negotiation
    ("redirect_without_location",): {
        "redirect-301-has-location", "redirect-302-has-location", "redirect-307-has-location",
        "redirect-308-has-location",
    },
    ("unauthorized_without_challenge",): {"unauthorized-has-challenge"},
    ("unsupported_media_type_accept_encoding",): {"unsupported-media-type-no-accept-encoding"},
    ("no_vary",): {"negotiated-response-has-vary"},
    # the writable collection
    ("post_create_without_location",): {"post-create-201-location"},
    ("put_create_200",): {"put-create-201"},
    ("put_replace_201",): {"put-replace-200-or-204"},
    ("put_validators_altered",): {"put-validators-match-stored"},
    ("delete_redirects",): {"delete-success-status"},
    ("content_range_put_replaces",): {"put-content-range-400"},
}

# Core switches that also break semantics cases.  test_proof.py merges the tables with this one last,
# so these entries extend (never replace) the core sets.
_ALSO = {
    ("body_in_head_response",): {"head-no-content", "response-head-transfer-encoding"},
    ("no_date",): {"date-optional-in-5xx-recorded", "last-modified-not-after-date"},
    ("skip_unread_body",): {"expect-early-final-signalled"},
}
for _key, _ids in _ALSO.items():
    PROOF[_key] = proof_core.PROOF.get(_key, set()) | _ids

# Switches whose effect cascades into many cases: checked as "at least these".
CASCADING: set = set()

"""Proof table for message syntax and framing: the smuggling probes (conformance/smuggling.py).

Each entry: the parser switches of server_under_test/broken_parsing.py that are on, and exactly the
smuggling cases that stop passing (within the modules those cases live in).  A few entries combine a
lenient reading with keeping a CL+TE connection open, because the bundled server rejects CL+TE and
would otherwise hide the first mistake behind its 400.
"""

from __future__ import annotations

PROOF: dict = {
    ('cl_te_prefer_content_length',): {
        "smuggle-cl-te-cl-shorter", "smuggle-cl-te-cl-zero", "smuggle-cl-te-same-length", "smuggle-cl-te-tail-request",
        "smuggle-split-cl-te", "smuggle-te-backslash-with-cl", "smuggle-te-chunked-gzip-with-cl", "smuggle-te-cl-order",
        "smuggle-te-cl-tail-request", "smuggle-te-doubled-word-with-cl", "smuggle-te-http10-with-cl",
        "smuggle-te-inner-space-with-cl", "smuggle-te-nbsp-after-with-cl", "smuggle-te-nbsp-before-with-cl",
        "smuggle-te-nel-after-with-cl", "smuggle-te-nel-before-with-cl", "smuggle-te-prefixed-with-cl",
        "smuggle-te-quoted-with-cl", "smuggle-te-single-quoted-with-cl", "smuggle-te-slash-with-cl",
        "smuggle-te-suffixed-with-cl", "smuggle-te-then-identity-with-cl", "smuggle-te-truncated-with-cl",
        "smuggle-te-unicode-k-with-cl"
    },
    ('cl_te_chunked_keep_open',): {
        "smuggle-cl-te-cl-shorter", "smuggle-cl-te-cl-zero", "smuggle-cl-te-same-length", "smuggle-cl-te-tail-request",
        "smuggle-split-cl-te", "smuggle-te-cl-order", "smuggle-te-cl-tail-request"
    },
    ('te_http10_honoured',): {
        "smuggle-te-http10"
    },
    ('te_final_coding_lenient',): {
        "smuggle-te-backslash", "smuggle-te-backslash-with-cl", "smuggle-te-chunked-gzip", "smuggle-te-chunked-param",
        "smuggle-te-chunked-param-spaced", "smuggle-te-doubled-word",
        "smuggle-te-doubled-word-with-cl", "smuggle-te-gzip-only", "smuggle-te-gzip-parameter", "smuggle-te-identity",
        "smuggle-te-inner-space", "smuggle-te-inner-space-with-cl", "smuggle-te-nbsp-after",
        "smuggle-te-nbsp-after-with-cl", "smuggle-te-nbsp-before", "smuggle-te-nbsp-before-with-cl",
        "smuggle-te-nel-after", "smuggle-te-nel-after-with-cl", "smuggle-te-nel-before",
        "smuggle-te-nel-before-with-cl", "smuggle-te-prefixed", "smuggle-te-prefixed-with-cl", "smuggle-te-quoted",
        "smuggle-te-quoted-with-cl", "smuggle-te-single-quoted", "smuggle-te-single-quoted-with-cl", "smuggle-te-slash",
        "smuggle-te-slash-with-cl", "smuggle-te-suffixed", "smuggle-te-suffixed-with-cl", "smuggle-te-then-identity",
        "smuggle-te-truncated", "smuggle-te-truncated-with-cl", "smuggle-te-two-lines-chunked-then-identity",
        "smuggle-te-two-lines-gzip-then-chunked", "smuggle-te-unicode-k", "smuggle-te-unicode-k-with-cl",
        "smuggle-te-unknown-then-chunked"
    },
    ('te_value_lenient',): {
        "smuggle-te-backslash", "smuggle-te-chunked-gzip", "smuggle-te-chunked-param",
        "smuggle-te-chunked-param-spaced", "smuggle-te-doubled-word",
        "smuggle-te-gzip-only", "smuggle-te-gzip-parameter", "smuggle-te-identity", "smuggle-te-inner-space",
        "smuggle-te-inner-space-with-cl", "smuggle-te-nbsp-after", "smuggle-te-nbsp-before", "smuggle-te-nel-after",
        "smuggle-te-nel-before", "smuggle-te-prefixed", "smuggle-te-quoted", "smuggle-te-single-quoted",
        "smuggle-te-slash", "smuggle-te-suffixed", "smuggle-te-then-identity", "smuggle-te-truncated",
        "smuggle-te-two-lines-chunked-then-identity", "smuggle-te-two-lines-gzip-then-chunked", "smuggle-te-unicode-k",
        "smuggle-te-unicode-k-with-cl", "smuggle-te-unknown-then-chunked"
    },
    ('strip_unicode_whitespace',): {
        "smuggle-cl-nbsp-after", "smuggle-cl-vt-after", "smuggle-split-te-vt", "smuggle-te-ff-after",
        "smuggle-te-ff-before", "smuggle-te-nbsp-after", "smuggle-te-nbsp-before", "smuggle-te-nel-after",
        "smuggle-te-nel-before", "smuggle-te-nul-after", "smuggle-te-vt-after", "smuggle-te-vt-before",
        "smuggle-value-nbsp-kept", "smuggle-value-nel-kept"
    },
    ('field_name_lenient',): {
        "smuggle-bare-cr-field-line-end", "smuggle-bare-cr-head-end", "smuggle-bare-cr-in-value",
        "smuggle-fold-content-length", "smuggle-fold-tab", "smuggle-fold-value", "smuggle-name-at-sign",
        "smuggle-name-del", "smuggle-name-empty", "smuggle-name-indented-first-line", "smuggle-name-inner-space",
        "smuggle-name-no-colon", "smuggle-name-non-ascii", "smuggle-name-nul", "smuggle-name-slash",
        "smuggle-name-space-before-colon", "smuggle-name-space-before-colon-host", "smuggle-name-tab-before-colon-cl",
        "smuggle-name-tab-indented-first-line", "smuggle-te-space-before-colon", "smuggle-te-tab-before-colon",
        "smuggle-te-vt-before-colon", "smuggle-value-ctl-01", "smuggle-value-del", "smuggle-value-nul"
    },
    ('ctl_in_values_kept',): {
        "smuggle-bare-cr-field-line-end", "smuggle-bare-cr-in-value", "smuggle-value-ctl-01", "smuggle-value-del",
        "smuggle-value-nul"
    },
    ('content_length_lenient',): {
        "smuggle-cl-arabic-digit", "smuggle-cl-decimal", "smuggle-cl-digit-letter", "smuggle-cl-empty",
        "smuggle-cl-exponent", "smuggle-cl-hex", "smuggle-cl-inner-space", "smuggle-cl-letters",
        "smuggle-cl-list-comma-only", "smuggle-cl-list-different", "smuggle-cl-list-same",
        "smuggle-cl-list-trailing-comma", "smuggle-cl-minus", "smuggle-cl-nbsp-after", "smuggle-cl-plus",
        "smuggle-cl-quoted", "smuggle-cl-two-lines-different", "smuggle-cl-two-lines-different-reversed",
        "smuggle-cl-two-lines-same", "smuggle-cl-underscore", "smuggle-cl-wraps-2-32", "smuggle-cl-wraps-2-64",
        "smuggle-split-cl-plus", "content-too-large-413",
    },
    ('chunk_size_lenient',): {
        "smuggle-chunk-nul-in-extension", "smuggle-chunk-size-hex-prefix", "smuggle-chunk-size-leading-space",
        "smuggle-chunk-size-leading-underscore", "smuggle-chunk-size-minus", "smuggle-chunk-size-non-hex",
        "smuggle-chunk-size-nul", "smuggle-chunk-size-plus", "smuggle-chunk-size-semicolon-no-name",
        "smuggle-chunk-size-seventeen-digits", "smuggle-chunk-size-trailing-space", "smuggle-chunk-size-trailing-tab",
        "smuggle-chunk-size-underscore", "smuggle-chunk-size-wraps-2-32", "smuggle-chunk-size-wraps-2-64",
        "smuggle-chunk-unterminated-quote", "smuggle-split-chunk-size-wraps"
    },
    ('chunk_framing_lenient',): {
        "smuggle-chunk-lf-after-data", "smuggle-chunk-lf-after-size", "smuggle-chunk-lf-everywhere",
        "smuggle-chunk-nul-in-extension", "smuggle-chunk-size-semicolon-no-name", "smuggle-chunk-size-trailing-space",
        "smuggle-chunk-size-trailing-tab", "smuggle-chunk-two-bytes-after-data", "smuggle-chunk-unterminated-quote"
    },
    ('trailers_merged',): {
        "smuggle-split-trailer-content-length", "smuggle-trailer-content-length", "smuggle-trailer-host",
        "smuggle-trailer-transfer-encoding", "smuggle-trailer-unknown-field"
    },
    ('bare_cr_line_end',): {
        "smuggle-bare-cr-field-line-end", "smuggle-bare-cr-head-end", "smuggle-bare-cr-request-line-end",
        "smuggle-chunk-cr-after-data"
    },
    ('bare_lf_accepted',): {
        "smuggle-bare-lf-everywhere", "smuggle-bare-lf-one-field", "smuggle-bare-lf-request-line"
    },
    ('host_lenient',): {
        "smuggle-host-invalid-comma", "smuggle-host-invalid-open-bracket", "smuggle-host-invalid-path",
        "smuggle-host-invalid-port-letters", "smuggle-host-port-too-big", "smuggle-host-invalid-space",
        "smuggle-host-invalid-two-ports", "smuggle-host-invalid-userinfo", "smuggle-host-missing-http11",
        "smuggle-host-twice-different", "smuggle-host-twice-http10", "smuggle-host-twice-same"
    },
    ('version_lenient',): {
        "smuggle-version-capitalised", "smuggle-version-http2", "smuggle-version-http3", "smuggle-version-leading-zero",
        "smuggle-version-lower-case", "smuggle-version-no-minor", "smuggle-version-no-slash",
        "smuggle-version-three-parts", "smuggle-version-trailing-junk", "smuggle-version-two-digit-minor"
    },
    ('http09_accepted',): {
        "smuggle-http09-request"
    },
    ('method_lenient',): {
        "smuggle-method-at-sign", "smuggle-method-lower-case", "smuggle-method-mixed-case", "smuggle-method-nul",
        "smuggle-method-paren"
    },
    ('te_case_sensitive',): {
        "smuggle-te-capitalised", "smuggle-te-empty-list-element", "smuggle-te-mixed-case", "smuggle-te-upper-case"
    },
    ('te_repeated_dropped',): {
        "smuggle-te-chunked-twice", "smuggle-te-two-lines-chunked-then-identity", "smuggle-te-two-lines-gzip-then-chunked"
    },
    ('field_names_case_sensitive',): {
        "smuggle-cl-name-upper-case", "smuggle-te-name-lower-case", "smuggle-te-name-mixed-case"
    },
    ('naive_field_split',): {
        "smuggle-bare-cr-field-line-end", "smuggle-bare-cr-in-value", "smuggle-cl-ows-around", "smuggle-te-capitalised",
        "smuggle-te-empty-list-element", "smuggle-te-mixed-case", "smuggle-te-no-space-after-colon",
        "smuggle-te-ows-around", "smuggle-te-upper-case", "smuggle-value-ctl-01", "smuggle-value-del",
        "smuggle-value-nul"
    },
    ('empty_list_elements_rejected',): {
        "smuggle-te-empty-list-element"
    },
    ('leading_zeros_rejected',): {
        "smuggle-chunk-last-000", "smuggle-chunk-size-leading-zeros", "smuggle-cl-leading-zeros"
    },
    ('chunk_size_decimal',): {
        "smuggle-chunk-ext-bws", "smuggle-chunk-size-lower-hex", "smuggle-chunk-size-upper-hex"
    },
    ('chunk_ext_rejected',): {
        "smuggle-chunk-ext-bws", "smuggle-chunk-ext-name-only", "smuggle-chunk-ext-on-last", "smuggle-chunk-ext-quoted",
        "smuggle-chunk-ext-quoted-pair", "smuggle-chunk-ext-token"
    },
    ('single_chunk_only',): {
        "smuggle-chunk-many"
    },
    ('trailers_rejected',): {
        "smuggle-trailer-accepted"
    },
    ('obs_text_rejected',): {
        "smuggle-value-nbsp-kept", "smuggle-value-nel-kept", "smuggle-value-obs-text-latin1"
    },
    ('unicode_line_splitting',): {
        "smuggle-bare-cr-field-line-end", "smuggle-cl-vt-after", "smuggle-split-te-vt", "smuggle-te-ff-after",
        "smuggle-te-vt-after", "smuggle-value-utf8-line-separator"
    },
    ('obs_fold_joined',): {
        "smuggle-fold-content-length", "smuggle-fold-tab", "smuggle-fold-value"
    },
    ('unknown_minor_version_rejected',): {
        "smuggle-version-http12"
    },
    ('request_line_lenient',): {
        "smuggle-request-line-double-space", "smuggle-request-line-leading-space", "smuggle-request-line-tabs",
        "smuggle-request-line-trailing-space"
    },
    ('field_name_lenient', 'cl_te_chunked_keep_open'): {
        "smuggle-bare-cr-field-line-end", "smuggle-bare-cr-head-end", "smuggle-bare-cr-in-value",
        "smuggle-cl-te-cl-shorter", "smuggle-cl-te-cl-zero", "smuggle-cl-te-same-length", "smuggle-cl-te-tail-request",
        "smuggle-fold-content-length", "smuggle-fold-tab", "smuggle-fold-value", "smuggle-name-at-sign",
        "smuggle-name-del", "smuggle-name-empty", "smuggle-name-indented-first-line", "smuggle-name-inner-space",
        "smuggle-name-no-colon", "smuggle-name-non-ascii", "smuggle-name-nul", "smuggle-name-slash",
        "smuggle-name-space-before-colon", "smuggle-name-space-before-colon-host", "smuggle-name-tab-before-colon-cl",
        "smuggle-name-tab-indented-first-line", "smuggle-split-cl-te", "smuggle-split-space-before-colon",
        "smuggle-te-cl-order", "smuggle-te-cl-tail-request", "smuggle-te-indented-first-line",
        "smuggle-te-space-before-colon", "smuggle-te-space-before-colon-with-cl", "smuggle-te-tab-before-colon",
        "smuggle-te-underscore-name", "smuggle-te-vt-before-colon", "smuggle-value-ctl-01", "smuggle-value-del",
        "smuggle-value-nul"
    },
    ('strip_unicode_whitespace', 'cl_te_chunked_keep_open'): {
        "smuggle-cl-nbsp-after", "smuggle-cl-te-cl-shorter", "smuggle-cl-te-cl-zero", "smuggle-cl-te-same-length",
        "smuggle-cl-te-tail-request", "smuggle-cl-vt-after", "smuggle-split-cl-te", "smuggle-split-te-vt",
        "smuggle-te-cl-order", "smuggle-te-cl-tail-request", "smuggle-te-ff-after", "smuggle-te-ff-after-with-cl",
        "smuggle-te-ff-before", "smuggle-te-ff-before-with-cl", "smuggle-te-nbsp-after",
        "smuggle-te-nbsp-after-with-cl", "smuggle-te-nbsp-before", "smuggle-te-nbsp-before-with-cl",
        "smuggle-te-nel-after", "smuggle-te-nel-after-with-cl", "smuggle-te-nel-before",
        "smuggle-te-nel-before-with-cl", "smuggle-te-nul-after", "smuggle-te-nul-after-with-cl", "smuggle-te-vt-after",
        "smuggle-te-vt-after-with-cl", "smuggle-te-vt-before", "smuggle-te-vt-before-with-cl",
        "smuggle-value-nbsp-kept", "smuggle-value-nel-kept"
    },
    ('obs_fold_joined', 'cl_te_chunked_keep_open'): {
        "smuggle-cl-te-cl-shorter", "smuggle-cl-te-cl-zero", "smuggle-cl-te-same-length", "smuggle-cl-te-tail-request",
        "smuggle-fold-content-length", "smuggle-fold-tab", "smuggle-fold-value", "smuggle-split-cl-te",
        "smuggle-te-cl-order", "smuggle-te-cl-tail-request", "smuggle-te-folded-value"
    },
    ('host_lenient', 'ctl_in_values_kept'): {
        "smuggle-bare-cr-field-line-end", "smuggle-bare-cr-in-value", "smuggle-host-invalid-comma",
        "smuggle-host-invalid-ctl", "smuggle-host-invalid-open-bracket", "smuggle-host-invalid-path",
        "smuggle-host-invalid-port-letters", "smuggle-host-port-too-big", "smuggle-host-invalid-space",
        "smuggle-host-invalid-two-ports", "smuggle-host-invalid-userinfo", "smuggle-host-missing-http11",
        "smuggle-host-twice-different", "smuggle-host-twice-http10", "smuggle-host-twice-same", "smuggle-value-ctl-01",
        "smuggle-value-del", "smuggle-value-nul"
    },
    ('chunk_framing_lenient', 'chunk_size_lenient'): {
        "smuggle-chunk-cr-after-data", "smuggle-chunk-lf-after-data", "smuggle-chunk-lf-after-size",
        "smuggle-chunk-lf-everywhere", "smuggle-chunk-nul-in-extension", "smuggle-chunk-size-hex-prefix",
        "smuggle-chunk-size-leading-space", "smuggle-chunk-size-leading-underscore", "smuggle-chunk-size-minus",
        "smuggle-chunk-size-non-hex", "smuggle-chunk-size-nul", "smuggle-chunk-size-plus",
        "smuggle-chunk-size-semicolon-no-name", "smuggle-chunk-size-seventeen-digits",
        "smuggle-chunk-size-trailing-space", "smuggle-chunk-size-trailing-tab", "smuggle-chunk-size-underscore",
        "smuggle-chunk-size-wraps-2-32", "smuggle-chunk-size-wraps-2-64", "smuggle-chunk-two-bytes-after-data",
        "smuggle-chunk-unterminated-quote", "smuggle-split-chunk-size-wraps"
    },
    ('request_line_limit_4k',): {
        "request-line-8000-octets-accepted"
    },
    ('long_target_400',): {
        "request-target-too-long-414"
    },
    ('long_method_400',): {
        "method-too-long-501"
    },
    ('header_limit_truncates',): {
        "fields-huge-section-refused", "fields-one-huge-line-refused", "fields-too-many-lines-refused"
    },
    ('incomplete_request_silent',): {
        "incomplete-request-then-fin"
    },
    ('empty_host_rejected',): {
        "host-empty-default", "host-missing-http10-default"
    },
    ('chunk_ext_unbounded',): {
        "chunk-ext-huge-refused"
    },
    # request-target forms (conformance/rfc9112/test_3_2_request_target_forms.py)
    ("target_lenient",): {
        "target-connect-invalid-port", "target-http-uri-userinfo", "target-asterisk-with-get",
        "target-authority-form-with-get", "target-origin-form-fragment", "target-http-uri-empty-host",
        "target-connect-empty-port", "target-origin-form-no-slash",
    },
    ("target_space_joined",): {"target-space-not-corrected", "target-space-inside"},
}

# Switches whose effect cascades into many cases: checked as "at least these".
CASCADING: set = set()

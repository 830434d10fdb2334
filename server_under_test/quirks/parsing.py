"""Quirks of message syntax and framing: each makes the parser lenient in one known-dangerous way (the smuggling probes)."""
from __future__ import annotations

from . import lenient
from .app_hooks import tunnel_without_port
from .declare import family

quirk = family("parsing")

quirk(
    "cl_te_prefer_content_length",
    "a request with both Transfer-Encoding and Content-Length is framed by Content-Length",
    breaks={
        "smuggle-cl-te-cl-longer", "smuggle-cl-te-cl-shorter", "smuggle-cl-te-cl-zero", "smuggle-cl-te-same-length",
        "smuggle-cl-te-tail-request", "smuggle-split-cl-te", "smuggle-te-backslash-with-cl",
        "smuggle-te-capitalised-tail-request", "smuggle-te-chunked-gzip-with-cl", "smuggle-te-cl-order",
        "smuggle-te-cl-tail-request", "smuggle-te-doubled-word-with-cl", "smuggle-te-empty-value-with-cl",
        "smuggle-te-ff-byte-after-with-cl", "smuggle-te-http10-with-cl", "smuggle-te-inner-space-with-cl",
        "smuggle-te-leading-comma-tail-request", "smuggle-te-leading-comma-with-cl",
        "smuggle-te-name-lower-case-tail-request", "smuggle-te-nbsp-after-with-cl",
        "smuggle-te-nbsp-before-with-cl", "smuggle-te-nel-after-with-cl", "smuggle-te-nel-before-with-cl",
        "smuggle-te-prefixed-with-cl", "smuggle-te-quoted-with-cl", "smuggle-te-shy-after-with-cl",
        "smuggle-te-single-quoted-with-cl", "smuggle-te-slash-with-cl", "smuggle-te-suffixed-with-cl",
        "smuggle-te-then-identity-with-cl", "smuggle-te-trailing-comma-with-cl", "smuggle-te-truncated-with-cl",
        "smuggle-te-unicode-k-with-cl"
    },
    parser=dict(transfer_coding=(lenient.te_yields_to_content_length,)),
)
quirk(
    "cl_te_chunked_keep_open",
    ("a request with both Transfer-Encoding and Content-Length is read as chunked and the connection "
     "kept open"),
    breaks={
        "smuggle-cl-te-cl-longer", "smuggle-cl-te-cl-shorter", "smuggle-cl-te-cl-zero", "smuggle-cl-te-same-length",
        "smuggle-cl-te-tail-request", "smuggle-split-cl-te", "smuggle-te-capitalised-tail-request",
        "smuggle-te-cl-order", "smuggle-te-cl-tail-request", "smuggle-te-leading-comma-tail-request",
        "smuggle-te-leading-comma-with-cl", "smuggle-te-name-lower-case-tail-request",
        "smuggle-te-trailing-comma-with-cl"
    },
    parser=dict(te_with_content_length_rejected=False),
)
quirk(
    "te_http10_honoured",
    "Transfer-Encoding in an HTTP/1.0 request is honoured and the connection kept open",
    breaks={"smuggle-te-http10"},
    parser=dict(te_in_http10_rejected=False),
)
quirk(
    "te_final_coding_lenient",
    "chunked anywhere in the Transfer-Encoding list means chunked; unknown codings ignored",
    breaks={
        "smuggle-te-backslash", "smuggle-te-backslash-with-cl", "smuggle-te-chunked-gzip",
        "smuggle-te-chunked-param", "smuggle-te-chunked-param-spaced", "smuggle-te-doubled-word",
        "smuggle-te-doubled-word-with-cl", "smuggle-te-empty-value", "smuggle-te-empty-value-with-cl",
        "smuggle-te-ff-byte-after", "smuggle-te-ff-byte-after-with-cl", "smuggle-te-gzip-only",
        "smuggle-te-gzip-parameter", "smuggle-te-identity", "smuggle-te-inner-space",
        "smuggle-te-inner-space-with-cl", "smuggle-te-nbsp-after", "smuggle-te-nbsp-after-with-cl",
        "smuggle-te-nbsp-before", "smuggle-te-nbsp-before-with-cl", "smuggle-te-nel-after",
        "smuggle-te-nel-after-with-cl", "smuggle-te-nel-before", "smuggle-te-nel-before-with-cl",
        "smuggle-te-prefixed", "smuggle-te-prefixed-with-cl", "smuggle-te-quoted", "smuggle-te-quoted-with-cl",
        "smuggle-te-shy-after", "smuggle-te-shy-after-with-cl", "smuggle-te-single-quoted",
        "smuggle-te-single-quoted-with-cl", "smuggle-te-slash", "smuggle-te-slash-with-cl", "smuggle-te-suffixed",
        "smuggle-te-suffixed-with-cl", "smuggle-te-then-identity", "smuggle-te-truncated",
        "smuggle-te-truncated-with-cl", "smuggle-te-two-lines-chunked-then-identity",
        "smuggle-te-two-lines-gzip-then-chunked", "smuggle-te-unicode-k", "smuggle-te-unicode-k-with-cl",
        "smuggle-te-unknown-then-chunked"
    },
    parser=dict(transfer_coding=(lenient.te_chunked_anywhere,)),
)
quirk(
    "te_value_lenient",
    "a Transfer-Encoding value containing 'chunk' anywhere (any case, quoted, padded) means chunked",
    breaks={
        "smuggle-te-backslash", "smuggle-te-chunked-gzip", "smuggle-te-chunked-param",
        "smuggle-te-chunked-param-spaced", "smuggle-te-doubled-word", "smuggle-te-empty-value",
        "smuggle-te-empty-value-with-cl", "smuggle-te-ff-byte-after", "smuggle-te-gzip-only",
        "smuggle-te-gzip-parameter", "smuggle-te-identity", "smuggle-te-inner-space",
        "smuggle-te-inner-space-with-cl", "smuggle-te-nbsp-after", "smuggle-te-nbsp-before", "smuggle-te-nel-after",
        "smuggle-te-nel-before", "smuggle-te-prefixed", "smuggle-te-quoted", "smuggle-te-shy-after",
        "smuggle-te-single-quoted", "smuggle-te-slash", "smuggle-te-suffixed", "smuggle-te-then-identity",
        "smuggle-te-truncated", "smuggle-te-two-lines-chunked-then-identity",
        "smuggle-te-two-lines-gzip-then-chunked", "smuggle-te-unicode-k", "smuggle-te-unicode-k-with-cl",
        "smuggle-te-unknown-then-chunked"
    },
    parser=dict(transfer_coding=(lenient.te_containing_chunk,)),
)
quirk(
    "strip_unicode_whitespace",
    "field values are stripped of VT, FF, NUL, 0x85 and 0xA0 before use",
    breaks={
        "smuggle-cl-nbsp-after", "smuggle-cl-vt-after", "smuggle-split-te-vt", "smuggle-te-ff-after",
        "smuggle-te-ff-before", "smuggle-te-nbsp-after", "smuggle-te-nbsp-before", "smuggle-te-nel-after",
        "smuggle-te-nel-before", "smuggle-te-nul-after", "smuggle-te-vt-after", "smuggle-te-vt-before",
        "smuggle-value-nbsp-kept", "smuggle-value-nel-kept"
    },
    parser=dict(field_line=lenient.field_line_stripped),
)
quirk(
    "field_name_lenient",
    ("whitespace around field names is ignored, _ reads as -, indented lines are fields, lines need no "
     "colon"),
    breaks={
        "smuggle-bare-cr-field-line-end", "smuggle-bare-cr-head-end", "smuggle-bare-cr-in-value",
        "smuggle-cl-underscore-name", "smuggle-fold-content-length", "smuggle-fold-tab", "smuggle-fold-value",
        "smuggle-name-at-sign", "smuggle-name-colon-only", "smuggle-name-del", "smuggle-name-empty",
        "smuggle-name-indented-first-line", "smuggle-name-inner-space", "smuggle-name-nel-after-cl",
        "smuggle-name-no-colon", "smuggle-name-non-ascii", "smuggle-name-nul", "smuggle-name-slash",
        "smuggle-name-space-before-colon", "smuggle-name-space-before-colon-host",
        "smuggle-name-tab-before-colon-cl", "smuggle-name-tab-indented-first-line", "smuggle-name-tab-inside-cl",
        "smuggle-te-after-bare-cr", "smuggle-te-cr-in-name-with-cl", "smuggle-te-del-before-colon-with-cl",
        "smuggle-te-nul-before-colon-with-cl", "smuggle-te-space-before-colon", "smuggle-te-tab-before-colon",
        "smuggle-te-vt-before-colon", "smuggle-value-ctl-01", "smuggle-value-del", "smuggle-value-nul"
    },
    parser=dict(field_line=lenient.field_line),
)
quirk(
    "ctl_in_values_kept",
    "NUL and other control octets in field values are accepted and kept",
    breaks={
        "smuggle-bare-cr-field-line-end", "smuggle-bare-cr-in-value", "smuggle-te-after-bare-cr",
        "smuggle-value-ctl-01", "smuggle-value-del", "smuggle-value-nul"
    },
    parser=dict(field_line=lenient.field_line_controls_kept),
)
quirk(
    "content_length_lenient",
    "Content-Length is read with int(): first list element, +/-/_/0x accepted, wraps at 2^32",
    breaks={
        "content-too-large-413", "smuggle-cl-arabic-digit", "smuggle-cl-decimal", "smuggle-cl-digit-letter",
        "smuggle-cl-empty", "smuggle-cl-exponent", "smuggle-cl-hex", "smuggle-cl-inner-space", "smuggle-cl-letters",
        "smuggle-cl-list-comma-only", "smuggle-cl-list-different", "smuggle-cl-list-same",
        "smuggle-cl-list-trailing-comma", "smuggle-cl-minus", "smuggle-cl-nbsp-after", "smuggle-cl-octal-prefix",
        "smuggle-cl-plus", "smuggle-cl-quoted", "smuggle-cl-two-lines-different",
        "smuggle-cl-two-lines-different-reversed", "smuggle-cl-two-lines-same",
        "smuggle-cl-two-lines-zero-then-length", "smuggle-cl-underscore", "smuggle-cl-wraps-2-32",
        "smuggle-cl-wraps-2-64", "smuggle-split-cl-plus"
    },
    parser=dict(content_length=lenient.content_length_int),
)
quirk(
    "chunk_size_lenient",
    "chunk sizes are read with int(x, 16): 0x/+/-/_/whitespace accepted, wraps at 2^32",
    breaks={
        "smuggle-chunk-cr-after-size", "smuggle-chunk-ext-bare-cr", "smuggle-chunk-ext-invalid-token",
        "smuggle-chunk-nul-in-extension", "smuggle-chunk-size-cr-before-ext", "smuggle-chunk-size-empty-line",
        "smuggle-chunk-size-hex-prefix", "smuggle-chunk-size-leading-space",
        "smuggle-chunk-size-leading-underscore", "smuggle-chunk-size-minus", "smuggle-chunk-size-non-hex",
        "smuggle-chunk-size-nul", "smuggle-chunk-size-plus", "smuggle-chunk-size-semicolon-no-name",
        "smuggle-chunk-size-seventeen-digits", "smuggle-chunk-size-trailing-space",
        "smuggle-chunk-size-trailing-tab", "smuggle-chunk-size-underscore", "smuggle-chunk-size-wraps-2-32",
        "smuggle-chunk-size-wraps-2-64", "smuggle-chunk-unterminated-quote", "smuggle-split-chunk-size-wraps"
    },
    parser=dict(chunk_size=lenient.chunk_size_int),
)
quirk(
    "chunk_framing_lenient",
    "bare LF ends a chunk-size line, LF or any two octets end chunk data, extensions unchecked",
    breaks={
        "smuggle-chunk-ext-bare-cr", "smuggle-chunk-ext-invalid-token", "smuggle-chunk-lf-after-data",
        "smuggle-chunk-lf-after-size", "smuggle-chunk-lf-everywhere", "smuggle-chunk-nul-in-extension",
        "smuggle-chunk-size-semicolon-no-name", "smuggle-chunk-size-trailing-space",
        "smuggle-chunk-size-trailing-tab", "smuggle-chunk-two-bytes-after-data", "smuggle-chunk-unterminated-quote"
    },
    parser=dict(bare_lf_in_chunks=True, chunk_ext_checked=False, chunk_data_end=lenient.chunk_data_end_any),
)
quirk(
    "trailers_merged",
    "trailer fields of a chunked request are merged into its header fields",
    breaks={
        "smuggle-split-trailer-content-length", "smuggle-trailer-authorization", "smuggle-trailer-content-length",
        "smuggle-trailer-content-type", "smuggle-trailer-host", "smuggle-trailer-transfer-encoding",
        "smuggle-trailer-unknown-field"
    },
    parser=dict(trailers=lenient.trailers_merged),
)
quirk(
    "bare_cr_line_end",
    "a bare CR ends a line in the request head",
    breaks={
        "smuggle-bare-cr-field-line-end", "smuggle-bare-cr-head-end", "smuggle-bare-cr-request-line-end",
        "smuggle-chunk-cr-after-data", "smuggle-chunk-cr-after-size"
    },
    parser=dict(feed_filter=lenient.bare_cr_to_crlf),
)
quirk(
    "bare_lf_accepted",
    "a bare LF ends the request-line and field lines (a MAY: flips the recorded choice)",
    breaks={"smuggle-bare-lf-everywhere", "smuggle-bare-lf-one-field", "smuggle-bare-lf-request-line"},
    parser=dict(bare_lf_in_head=True),
)
quirk(
    "host_lenient",
    "Host is not checked: missing, repeated and invalid values are all accepted",
    breaks={
        "smuggle-host-invalid-comma", "smuggle-host-invalid-open-bracket", "smuggle-host-invalid-path",
        "smuggle-host-invalid-port-letters", "smuggle-host-invalid-space", "smuggle-host-invalid-two-ports",
        "smuggle-host-invalid-userinfo", "smuggle-host-missing-http11", "smuggle-host-port-too-big",
        "smuggle-host-twice-different", "smuggle-host-twice-http10", "smuggle-host-twice-same"
    },
    parser=dict(check_host=lenient.no_host_check),
)
quirk(
    "version_lenient",
    "HTTP-version read leniently: any case, leading zeros, extra digits; unknown majors as 1.1",
    breaks={
        "smuggle-version-capitalised", "smuggle-version-http2", "smuggle-version-http3",
        "smuggle-version-huge-minor", "smuggle-version-leading-zero", "smuggle-version-lower-case",
        "smuggle-version-major-wraps-2-32", "smuggle-version-no-minor", "smuggle-version-no-slash",
        "smuggle-version-three-parts", "smuggle-version-trailing-junk", "smuggle-version-two-digit-minor"
    },
    parser=dict(request_line=lenient.request_line_any_version),
)
quirk(
    "http09_accepted",
    "a request-line without a version is taken as a complete HTTP/1.0 request",
    breaks={"smuggle-http09-request"},
    parser=dict(request_line=lenient.request_line_http09),
)
quirk(
    "method_lenient",
    "methods are upper-cased and not checked against the token grammar",
    breaks={
        "smuggle-method-at-sign", "smuggle-method-lower-case", "smuggle-method-mixed-case",
        "smuggle-method-nul", "smuggle-method-paren"
    },
    parser=dict(request_line=lenient.request_line_method_any_case),
)
quirk(
    "te_case_sensitive",
    "only lower-case 'chunked' is a transfer coding (Chunked gets 501)",
    breaks={
        "smuggle-te-capitalised", "smuggle-te-empty-list-element", "smuggle-te-mixed-case",
        "smuggle-te-trailing-comma", "smuggle-te-upper-case"
    },
    parser=dict(transfer_coding=(lenient.te_case_sensitive,)),
)
quirk(
    "te_repeated_dropped",
    "a Transfer-Encoding given on several field lines is dropped: the request has no body",
    breaks={
        "smuggle-te-chunked-twice", "smuggle-te-two-lines-chunked-then-identity",
        "smuggle-te-two-lines-gzip-then-chunked"
    },
    parser=dict(transfer_coding=(lenient.te_repeated_ignored,)),
)
quirk(
    "field_names_case_sensitive",
    "Transfer-Encoding, Content-Length and Host count only in that exact spelling",
    breaks={
        "smuggle-cl-name-upper-case", "smuggle-te-name-lower-case", "smuggle-te-name-lower-case-tail-request",
        "smuggle-te-name-mixed-case"
    },
    parser=dict(field_index=lenient.canonical_names_only),
)
quirk(
    "naive_field_split",
    "field lines are split on ': ' exactly and the value is used unstripped",
    breaks={
        "smuggle-bare-cr-field-line-end", "smuggle-bare-cr-in-value", "smuggle-cl-ows-around",
        "smuggle-te-after-bare-cr",
        "smuggle-te-capitalised", "smuggle-te-empty-list-element", "smuggle-te-mixed-case",
        "smuggle-te-no-space-after-colon", "smuggle-te-ows-around", "smuggle-te-trailing-comma",
        "smuggle-te-upper-case", "smuggle-value-ctl-01", "smuggle-value-del", "smuggle-value-nul"
    },
    parser=dict(field_line=lenient.field_line_naive, transfer_coding=(lenient.te_exactly_chunked,)),
)
quirk(
    "empty_list_elements_rejected",
    "a Transfer-Encoding list with an empty element gets 400",
    breaks={"smuggle-te-empty-list-element", "smuggle-te-trailing-comma"},
    parser=dict(transfer_coding=(lenient.te_empty_elements_refused,)),
)
quirk(
    "leading_zeros_rejected",
    "Content-Length and chunk sizes with leading zeros (0005, 000) get 400",
    breaks={
        "smuggle-chunk-last-000", "smuggle-chunk-size-leading-zeros", "smuggle-cl-leading-zero-octal-010",
        "smuggle-cl-leading-zero-octal-0200", "smuggle-cl-leading-zeros"
    },
    parser=dict(content_length=lenient.content_length_no_leading_zeros, chunk_size=lenient.chunk_size_no_leading_zeros),
)
quirk(
    "chunk_size_decimal",
    "chunk sizes are read as decimal: hex digits a-f get 400",
    breaks={"smuggle-chunk-ext-bws", "smuggle-chunk-size-lower-hex", "smuggle-chunk-size-upper-hex"},
    parser=dict(chunk_size=lenient.chunk_size_decimal),
)
quirk(
    "chunk_ext_rejected",
    "any chunk extension gets 400",
    breaks={
        "smuggle-chunk-ext-bws", "smuggle-chunk-ext-name-only", "smuggle-chunk-ext-on-last",
        "smuggle-chunk-ext-quoted", "smuggle-chunk-ext-quoted-pair", "smuggle-chunk-ext-token"
    },
    parser=dict(chunk_size=lenient.chunk_ext_refused),
)
quirk(
    "single_chunk_only",
    "a chunked body ends after its first chunk; the rest is read as the next request",
    breaks={"smuggle-chunk-many"},
    parser=dict(max_chunks=1),
)
quirk(
    "trailers_rejected",
    "a chunked request with trailer fields gets 400 (a MAY: flips the recorded choice)",
    breaks={"smuggle-trailer-accepted"},
    parser=dict(trailers=lenient.trailers_refused),
)
quirk(
    "obs_text_rejected",
    "octets 0x80-0xFF in a field line get 400",
    breaks={"smuggle-value-nbsp-kept", "smuggle-value-nel-kept", "smuggle-value-obs-text-latin1"},
    parser=dict(field_line=lenient.field_line_ascii_only),
)
quirk(
    "unicode_line_splitting",
    "field lines are decoded as UTF-8 and split again with str.splitlines()",
    breaks={
        "smuggle-bare-cr-field-line-end", "smuggle-cl-vt-after", "smuggle-split-te-vt",
        "smuggle-te-ff-after", "smuggle-te-vt-after", "smuggle-value-utf8-line-separator"
    },
    parser=dict(split_line=lenient.split_like_str_splitlines),
)
quirk(
    "obs_fold_joined",
    "an obs-fold line is glued to the previous value without the SP",
    breaks={
        "smuggle-fold-content-length", "smuggle-fold-tab", "smuggle-fold-value", "smuggle-te-in-folded-line"
    },
    parser=dict(obs_fold=lenient.fold_without_space),
)
quirk(
    "unknown_minor_version_rejected",
    "HTTP/1.2 and other unknown 1.x versions get 505",
    breaks={"smuggle-version-http12"},
    parser=dict(request_line=lenient.request_line_only_10_and_11),
)
quirk(
    "request_line_limit_4k",
    "request-lines longer than 4096 octets are refused (414)",
    breaks={"request-line-8000-octets-accepted"},
    parser=dict(max_request_line=4096),
)
quirk(
    "long_target_400",
    "a request-target too long to parse gets 400 instead of 414",
    breaks={"request-target-too-long-414"},
    parser=dict(request_line_overflow=lenient.overflow_is_400),
)
quirk(
    "long_method_400",
    "a method longer than 32 octets gets 400 instead of 501",
    breaks={"method-too-long-501"},
    parser=dict(request_line=lenient.request_line_long_method_400),
)
quirk(
    "header_limit_truncates",
    "header sections over the size or field-count limit are silently truncated, not refused",
    breaks={"fields-huge-section-refused", "fields-one-huge-line-refused", "fields-too-many-lines-refused"},
    parser=dict(oversized_fields_cut=True),
)
quirk(
    "empty_host_rejected",
    "HTTP/1.0 without Host and an empty Host get 400 (no default site: flips a MAY choice)",
    breaks={"host-empty-default", "host-missing-http10-default"},
    parser=dict(check_host=lenient.host_required),
)
quirk(
    "chunk_ext_unbounded",
    "chunk extensions of any length are buffered and accepted",
    breaks={"chunk-ext-huge-refused"},
    parser=dict(max_chunk_ext=1 << 30),
)
quirk(
    "incomplete_request_silent",
    "a request cut short by the client FIN is dropped silently (flips a MAY choice)",
    breaks={"incomplete-request-then-fin"},
    parser=dict(truncated_request_status=None),
)
quirk(
    "target_lenient",
    "the request-target is not checked: any form with any method, fragments, userinfo, empty hosts",
    breaks={
        "target-asterisk-with-get", "target-authority-form-with-get", "target-connect-empty-port",
        "target-connect-invalid-port", "target-http-uri-empty-host", "target-http-uri-userinfo",
        "target-origin-form-fragment", "target-origin-form-no-slash", "target-raw-ctl", "target-raw-del",
        "target-raw-overlong-utf8", "target-raw-utf8"
    },
    parser=dict(check_target=lenient.any_target),
    app=dict(before=(tunnel_without_port,)),  # the app's part: a CONNECT without a valid port is a tunnel
)
quirk(
    "target_space_joined",
    "spaces inside the request-target are read as %20 instead of an invalid request-line",
    breaks={"target-space-inside", "target-space-not-corrected"},
    parser=dict(request_line=lenient.request_line_target_spaces),
)
quirk(
    "request_line_lenient",
    "the request-line is split on any run of whitespace (a MAY: flips the recorded choice)",
    breaks={
        "smuggle-request-line-double-space", "smuggle-request-line-leading-space",
        "smuggle-request-line-tabs", "smuggle-request-line-trailing-space"
    },
    parser=dict(request_line=lenient.request_line_any_whitespace),
)
quirk(
    "content_length_octal",
    "a Content-Length with a leading zero is read as octal, as strtol(s, NULL, 0) does (010 is 8)",
    breaks={"smuggle-cl-leading-zero-octal-010", "smuggle-cl-leading-zero-octal-0200"},
    parser=dict(content_length=lenient.content_length_octal),
)
quirk(
    "chunked_ends_at_close",
    "a chunked request body cut short by the client's close is taken as complete and answered",
    breaks={"chunked-no-last-chunk-then-fin"},
    parser=dict(chunked_ends_at_close=True),
)
quirk(
    "empty_chunked_body_rejected",
    "a chunked request body of only the last chunk (0 CRLF CRLF) gets 400",
    breaks={"smuggle-chunk-empty-body"},
    parser=dict(at_last_chunk=(lenient.empty_chunked_body_refused,)),
)

"""Cases that only a combination of quirks breaks: a desync needs one parser that reads the message one way
and another that reads it the other way (here: a lenient front and the framing the back end chose)."""
from __future__ import annotations

from .declare import proven_together

proven_together(('no_persistence', 'close_without_signal'), {
    "close-request-echoed", "persist-close-signalled", "persist-http10-close-signalled",
    "persist-http10-keep-alive", "persist-http11-default", "persist-http11-several-requests"
})

proven_together(('field_name_lenient', 'cl_te_chunked_keep_open'), {
    "smuggle-bare-cr-field-line-end", "smuggle-bare-cr-head-end", "smuggle-bare-cr-in-value",
    "smuggle-cl-nul-after-with-te", "smuggle-cl-te-cl-longer", "smuggle-cl-te-cl-shorter", "smuggle-cl-te-cl-zero",
    "smuggle-cl-te-same-length", "smuggle-cl-te-tail-request", "smuggle-cl-underscore-name",
    "smuggle-fold-content-length", "smuggle-fold-tab", "smuggle-fold-value", "smuggle-name-at-sign",
    "smuggle-name-colon-only", "smuggle-name-del", "smuggle-name-empty", "smuggle-name-indented-first-line",
    "smuggle-name-inner-space", "smuggle-name-nel-after-cl", "smuggle-name-no-colon", "smuggle-name-non-ascii",
    "smuggle-name-nul", "smuggle-name-slash", "smuggle-name-space-before-colon",
    "smuggle-name-space-before-colon-host", "smuggle-name-tab-before-colon-cl",
    "smuggle-name-tab-indented-first-line", "smuggle-name-tab-inside-cl", "smuggle-split-cl-te",
    "smuggle-split-space-before-colon", "smuggle-te-after-bare-cr", "smuggle-te-capitalised-tail-request",
    "smuggle-te-cl-order", "smuggle-te-cl-tail-request", "smuggle-te-cr-in-name-with-cl",
    "smuggle-te-del-before-colon-with-cl", "smuggle-te-in-folded-line", "smuggle-te-indented-first-line",
    "smuggle-te-leading-comma-tail-request", "smuggle-te-leading-comma-with-cl",
    "smuggle-te-name-lower-case-tail-request", "smuggle-te-nul-before-colon-with-cl",
    "smuggle-te-space-before-colon", "smuggle-te-space-before-colon-with-cl", "smuggle-te-tab-before-colon",
    "smuggle-te-trailing-comma-with-cl", "smuggle-te-underscore-name", "smuggle-te-vt-before-colon",
    "smuggle-value-ctl-01", "smuggle-value-del", "smuggle-value-nul"
})

proven_together(('strip_unicode_whitespace', 'cl_te_chunked_keep_open'), {
    "smuggle-cl-nbsp-after", "smuggle-cl-nul-after-with-te", "smuggle-cl-te-cl-longer", "smuggle-cl-te-cl-shorter",
    "smuggle-cl-te-cl-zero", "smuggle-cl-te-same-length", "smuggle-cl-te-tail-request", "smuggle-cl-vt-after",
    "smuggle-split-cl-te", "smuggle-split-te-vt", "smuggle-te-capitalised-tail-request", "smuggle-te-cl-order",
    "smuggle-te-cl-tail-request", "smuggle-te-ff-after", "smuggle-te-ff-after-with-cl", "smuggle-te-ff-before",
    "smuggle-te-ff-before-with-cl", "smuggle-te-leading-comma-tail-request", "smuggle-te-leading-comma-with-cl",
    "smuggle-te-name-lower-case-tail-request", "smuggle-te-nbsp-after", "smuggle-te-nbsp-after-with-cl",
    "smuggle-te-nbsp-before", "smuggle-te-nbsp-before-with-cl", "smuggle-te-nel-after",
    "smuggle-te-nel-after-with-cl", "smuggle-te-nel-before", "smuggle-te-nel-before-with-cl",
    "smuggle-te-nul-after", "smuggle-te-nul-after-with-cl", "smuggle-te-trailing-comma-with-cl",
    "smuggle-te-vt-after", "smuggle-te-vt-after-with-cl", "smuggle-te-vt-before", "smuggle-te-vt-before-with-cl",
    "smuggle-value-nbsp-kept", "smuggle-value-nel-kept"
})

proven_together(('obs_fold_joined', 'cl_te_chunked_keep_open'), {
    "smuggle-cl-te-cl-longer", "smuggle-cl-te-cl-shorter", "smuggle-cl-te-cl-zero", "smuggle-cl-te-same-length",
    "smuggle-cl-te-tail-request", "smuggle-fold-content-length", "smuggle-fold-tab", "smuggle-fold-value",
    "smuggle-split-cl-te", "smuggle-te-capitalised-tail-request", "smuggle-te-cl-order",
    "smuggle-te-cl-tail-request", "smuggle-te-folded-value", "smuggle-te-in-folded-line",
    "smuggle-te-leading-comma-tail-request", "smuggle-te-leading-comma-with-cl",
    "smuggle-te-name-lower-case-tail-request", "smuggle-te-trailing-comma-with-cl"
})

proven_together(('host_lenient', 'ctl_in_values_kept'), {
    "smuggle-bare-cr-field-line-end", "smuggle-bare-cr-in-value", "smuggle-host-invalid-comma",
    "smuggle-host-invalid-ctl", "smuggle-host-invalid-open-bracket", "smuggle-host-invalid-path",
    "smuggle-host-invalid-port-letters", "smuggle-host-invalid-space", "smuggle-host-invalid-two-ports",
    "smuggle-host-invalid-userinfo", "smuggle-host-missing-http11", "smuggle-host-port-too-big",
    "smuggle-host-twice-different", "smuggle-host-twice-http10", "smuggle-host-twice-same",
    "smuggle-te-after-bare-cr", "smuggle-value-ctl-01", "smuggle-value-del", "smuggle-value-nul"
})

proven_together(('chunk_framing_lenient', 'chunk_size_lenient'), {
    "smuggle-chunk-cr-after-data", "smuggle-chunk-cr-after-size", "smuggle-chunk-ext-bare-cr",
    "smuggle-chunk-ext-invalid-token", "smuggle-chunk-lf-after-data", "smuggle-chunk-lf-after-size",
    "smuggle-chunk-lf-everywhere", "smuggle-chunk-nul-in-extension", "smuggle-chunk-size-cr-before-ext",
    "smuggle-chunk-size-empty-line", "smuggle-chunk-size-hex-prefix", "smuggle-chunk-size-leading-space",
    "smuggle-chunk-size-leading-underscore", "smuggle-chunk-size-minus", "smuggle-chunk-size-non-hex",
    "smuggle-chunk-size-nul", "smuggle-chunk-size-plus", "smuggle-chunk-size-semicolon-no-name",
    "smuggle-chunk-size-seventeen-digits", "smuggle-chunk-size-trailing-space", "smuggle-chunk-size-trailing-tab",
    "smuggle-chunk-size-underscore", "smuggle-chunk-size-wraps-2-32", "smuggle-chunk-size-wraps-2-64",
    "smuggle-chunk-two-bytes-after-data", "smuggle-chunk-unterminated-quote", "smuggle-split-chunk-size-wraps"
})

# -- framing cases (issue 14) -----------------------------------------------------------------------------------
# a bare LF ends the line (a MAY) and hides a Transfer-Encoding beside the Content-Length: read as chunked and the
# connection kept, the front end that took the LF for data framed the body by Content-Length
proven_together(('bare_lf_accepted', 'cl_te_chunked_keep_open'), {
    "smuggle-cl-te-cl-longer", "smuggle-cl-te-cl-shorter", "smuggle-cl-te-cl-zero", "smuggle-cl-te-same-length",
    "smuggle-cl-te-tail-request", "smuggle-te-after-bare-lf", "smuggle-te-capitalised-tail-request",
    "smuggle-te-cl-order", "smuggle-te-cl-tail-request", "smuggle-te-leading-comma-tail-request",
    "smuggle-te-leading-comma-with-cl", "smuggle-te-name-lower-case-tail-request",
    "smuggle-te-trailing-comma-with-cl"
})

# control octets kept in a Transfer-Encoding value, then the value ignored because it is no list ending in chunked:
# without Content-Length the body is answered as a request, with it the body is framed by Content-Length
proven_together(('ctl_in_values_kept', 'te_final_coding_lenient'), {
    "smuggle-te-after-bare-cr", "smuggle-te-backslash", "smuggle-te-backslash-with-cl", "smuggle-te-bare-cr-after",
    "smuggle-te-bare-cr-after-with-cl", "smuggle-te-bs-after", "smuggle-te-bs-after-with-cl",
    "smuggle-te-chunked-gzip", "smuggle-te-chunked-param", "smuggle-te-chunked-param-spaced",
    "smuggle-te-del-after", "smuggle-te-del-after-with-cl", "smuggle-te-doubled-word",
    "smuggle-te-doubled-word-with-cl", "smuggle-te-empty-value", "smuggle-te-empty-value-with-cl",
    "smuggle-te-eot-after", "smuggle-te-eot-after-with-cl", "smuggle-te-ff-after", "smuggle-te-ff-after-with-cl",
    "smuggle-te-ff-before", "smuggle-te-ff-before-with-cl", "smuggle-te-ff-byte-after",
    "smuggle-te-ff-byte-after-with-cl", "smuggle-te-gzip-only", "smuggle-te-gzip-parameter", "smuggle-te-identity",
    "smuggle-te-inner-space", "smuggle-te-inner-space-with-cl", "smuggle-te-nbsp-after",
    "smuggle-te-nbsp-after-with-cl", "smuggle-te-nbsp-before", "smuggle-te-nbsp-before-with-cl",
    "smuggle-te-nel-after", "smuggle-te-nel-after-with-cl", "smuggle-te-nel-before",
    "smuggle-te-nel-before-with-cl", "smuggle-te-nul-after", "smuggle-te-nul-after-with-cl", "smuggle-te-prefixed",
    "smuggle-te-prefixed-with-cl", "smuggle-te-quoted", "smuggle-te-quoted-with-cl", "smuggle-te-shy-after",
    "smuggle-te-shy-after-with-cl", "smuggle-te-single-quoted", "smuggle-te-single-quoted-with-cl",
    "smuggle-te-slash", "smuggle-te-slash-with-cl", "smuggle-te-soh-after", "smuggle-te-soh-after-with-cl",
    "smuggle-te-suffixed", "smuggle-te-suffixed-with-cl", "smuggle-te-then-identity", "smuggle-te-truncated",
    "smuggle-te-truncated-with-cl", "smuggle-te-two-lines-chunked-then-identity",
    "smuggle-te-two-lines-gzip-then-chunked", "smuggle-te-unicode-k", "smuggle-te-unicode-k-with-cl",
    "smuggle-te-unknown-then-chunked", "smuggle-te-us-after", "smuggle-te-us-after-with-cl", "smuggle-te-vt-after",
    "smuggle-te-vt-after-with-cl", "smuggle-te-vt-before", "smuggle-te-vt-before-with-cl"
})

"""Broken-server switches for message syntax and framing (the smuggling probes).

Each one makes the parser lenient in exactly one known-dangerous way; see
broken.py for how switches are used.
"""
from __future__ import annotations

PARSING_SWITCHES: dict[str, str] = {
    "cl_te_prefer_content_length": "a request with both Transfer-Encoding and Content-Length is framed by Content-Length",
    "cl_te_chunked_keep_open": "a request with both Transfer-Encoding and Content-Length is read as chunked and the "
                               "connection kept open",
    "te_http10_honoured": "Transfer-Encoding in an HTTP/1.0 request is honoured and the connection kept open",
    "te_final_coding_lenient": "chunked anywhere in the Transfer-Encoding list means chunked; unknown codings ignored",
    "te_value_lenient": "a Transfer-Encoding value containing 'chunk' anywhere (any case, quoted, padded) means chunked",
    "strip_unicode_whitespace": "field values are stripped of VT, FF, NUL, 0x85 and 0xA0 before use",
    "field_name_lenient": "whitespace around field names is ignored, _ reads as -, indented lines are fields, "
                          "lines need no colon",
    "ctl_in_values_kept": "NUL and other control octets in field values are accepted and kept",
    "content_length_lenient": "Content-Length is read with int(): first list element, +/-/_/0x accepted, wraps at 2^32",
    "chunk_size_lenient": "chunk sizes are read with int(x, 16): 0x/+/-/_/whitespace accepted, wraps at 2^32",
    "chunk_framing_lenient": "bare LF ends a chunk-size line, LF or any two octets end chunk data, extensions unchecked",
    "trailers_merged": "trailer fields of a chunked request are merged into its header fields",
    "bare_cr_line_end": "a bare CR ends a line in the request head",
    "bare_lf_accepted": "a bare LF ends the request-line and field lines (a MAY: flips the recorded choice)",
    "host_lenient": "Host is not checked: missing, repeated and invalid values are all accepted",
    "version_lenient": "HTTP-version read leniently: any case, leading zeros, extra digits; unknown majors as 1.1",
    "http09_accepted": "a request-line without a version is taken as a complete HTTP/1.0 request",
    "method_lenient": "methods are upper-cased and not checked against the token grammar",
    "te_case_sensitive": "only lower-case 'chunked' is a transfer coding (Chunked gets 501)",
    "te_repeated_dropped": "a Transfer-Encoding given on several field lines is dropped: the request has no body",
    "field_names_case_sensitive": "Transfer-Encoding, Content-Length and Host count only in that exact spelling",
    "naive_field_split": "field lines are split on ': ' exactly and the value is used unstripped",
    "empty_list_elements_rejected": "a Transfer-Encoding list with an empty element gets 400",
    "leading_zeros_rejected": "Content-Length and chunk sizes with leading zeros (0005, 000) get 400",
    "chunk_size_decimal": "chunk sizes are read as decimal: hex digits a-f get 400",
    "chunk_ext_rejected": "any chunk extension gets 400",
    "single_chunk_only": "a chunked body ends after its first chunk; the rest is read as the next request",
    "trailers_rejected": "a chunked request with trailer fields gets 400 (a MAY: flips the recorded choice)",
    "obs_text_rejected": "octets 0x80-0xFF in a field line get 400",
    "unicode_line_splitting": "field lines are decoded as UTF-8 and split again with str.splitlines()",
    "obs_fold_joined": "an obs-fold line is glued to the previous value without the SP",
    "unknown_minor_version_rejected": "HTTP/1.2 and other unknown 1.x versions get 505",
    "request_line_limit_4k": "request-lines longer than 4096 octets are refused (414)",
    "long_target_400": "a request-target too long to parse gets 400 instead of 414",
    "long_method_400": "a method longer than 32 octets gets 400 instead of 501",
    "header_limit_truncates": "header sections over the size or field-count limit are silently truncated, not refused",
    "empty_host_rejected": "HTTP/1.0 without Host and an empty Host get 400 (no default site: flips a MAY choice)",
    "chunk_ext_unbounded": "chunk extensions of any length are buffered and accepted",
    "incomplete_request_silent": "a request cut short by the client FIN is dropped silently (flips a MAY choice)",
    "target_lenient": "the request-target is not checked: any form with any method, fragments, userinfo, empty hosts",
    "target_space_joined": "spaces inside the request-target are read as %20 instead of an invalid request-line",
    "request_line_lenient": "the request-line is split on any run of whitespace (a MAY: flips the recorded choice)",
}

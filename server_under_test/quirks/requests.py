"""Quirks of the request-line and request-target shapes of issue 14: each reads one invalid request-line as a valid
request, as lenient parsers do."""
from __future__ import annotations

from . import lenient
from .declare import family

quirk = family("parsing")

quirk(
    "request_line_lf_separator",
    "a LF inside the request-line is read as a SP: GET /<LF>HTTP/1.1 is served as GET / HTTP/1.1",
    breaks={"smuggle-request-line-lf-separator"},
    parser=dict(feed_filter=lenient.request_line_lf_to_space),
)
quirk(
    "request_line_missing_target",
    "a request-line without a target (GET HTTP/1.1) is served as GET / HTTP/1.1",
    breaks={"smuggle-request-line-no-target"},
    parser=dict(request_line=lenient.request_line_missing_target_is_root),
)
quirk(
    "target_backslash_as_slash",
    "a backslash in the request-target is read as / and the request served",
    breaks={"target-backslash"},
    parser=dict(request_line=lenient.request_line_backslash_as_slash),
)
quirk(
    "target_cut_at_nul",
    "the request-target ends at its first raw NUL (a C-string reading), and the rest of it is dropped",
    breaks={"target-raw-nul"},
    parser=dict(request_line=lenient.request_line_target_cut_at_nul),
)
quirk(
    "garbage_line_before_request_skipped",
    "a line without any SP before the request-line is skipped like an empty line, and the request after it served",
    breaks={"smuggle-request-line-garbage-line-first"},
    parser=dict(line_skipped_before_request=lenient.line_without_space),
)
quirk(
    "invalid_method_501",
    "a request-line whose method is not a token gets 501 (as an unknown method), not 400",
    breaks={"input-random-octets", "smuggle-method-at-sign", "smuggle-method-nul", "smuggle-method-paren",
            "smuggle-request-line-garbage-line-first"},
    parser=dict(request_line=lenient.invalid_method_is_unknown),
)
quirk(
    "h2_preface_awaits_frames",
    "the HTTP/2 connection preface is read as the start of an HTTP/2 connection whose frames never come: "
    "nothing is answered",
    breaks={"input-http2-preface"},
    parser=dict(feed_filter=lenient.h2_preface_swallowed),
)
quirk(
    "version_space_after_slash",
    "HTTP/ 1.1 (a SP after the slash) is read as HTTP/1.1",
    breaks={"smuggle-version-space-after-slash"},
    parser=dict(request_line=lenient.request_line_version_space_joined),
)

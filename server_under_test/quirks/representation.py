"""Quirks of HTTP semantics (RFC 9110): the fields of a response, validators and content codings.

Mostly ``after`` hooks: each adds, drops or changes one thing of the app's responses of some status.
"""
from __future__ import annotations

import time
from email.utils import formatdate

from .. import negotiation
from ..messages import Request, Response
from .app_hooks import add, adding, drop, dropping, on_status
from .declare import family

quirk = family("semantics")

DETAILED_SERVER = "Apache/2.4.41 (Ubuntu) OpenSSL/1.1.1f mod_wsgi/4.6.8 Python/3.8.10"
_CODED = '-gzip"'


def _set(**attributes):
    def change(response: Response) -> Response:
        for name, value in attributes.items():
            setattr(response, name, value)
        return response

    return change


def chunked_twice(request: Request, response: Response) -> Response:
    if response.stream is not None and request.version >= (1, 1):
        add(response, "Transfer-Encoding", "chunked")
    return response


def unlabelled_coding(request: Request, response: Response) -> Response:
    """The coded content stays; its Content-Encoding goes, and the ETag is the identity one again."""
    if response.status == 200 and ("Content-Encoding", "gzip") in response.headers:
        drop(response, "Content-Encoding")
        response.headers[:] = [(n, v[:-len(_CODED)] + '"' if n == "ETag" and v.endswith(_CODED) else v)
                               for n, v in response.headers]
    return response


def gzip_whenever_asked(request: Request, content_type: str):
    if negotiation.codable(request, content_type) and request.header_values("Accept-Encoding"):
        return "gzip"
    return negotiation.select(request, content_type)


def dropping_always(*names: str):
    def hook(request: Request, response: Response) -> Response:
        return drop(response, *names)

    return hook


def on_head(change):
    def hook(request: Request, response: Response) -> Response:
        return change(response) if request.method == "HEAD" else response

    return hook


def _unquoted_etag(response: Response) -> Response:
    response.headers[:] = [(n, v.strip('"') if n == "ETag" else v) for n, v in response.headers]
    return response


def future_last_modified(request: Request, response: Response) -> Response:
    future = formatdate(time.time() + 86400, usegmt=True)
    response.headers[:] = [(n, future if n == "Last-Modified" else v) for n, v in response.headers]
    return response


def detailed_server(request: Request, response: Response) -> Response:
    return add(response, "Server", DETAILED_SERVER)


quirk(
    "bare_cr_in_field",
    "405 responses carry a field value with a bare CR",
    breaks={
        "connect-not-allowed-has-allow", "connect-origin-recorded", "content-length-when-known",
        "method-not-allowed-405", "method-not-allowed-has-allow", "response-elements-match-grammar",
        "response-length-delimited-preferred", "response-no-bare-cr", "response-no-duplicate-singletons",
        "status-code-in-range", "trace-reflects-or-refused"
    },
    app=dict(after=(adding(405, "X-Detail", "not\rfound"),)),
)
quirk(
    "folded_field",
    "404 responses carry a field folded onto a second line (obs-fold)",
    breaks={"response-no-obs-fold"},
    app=dict(after=(adding(404, "X-Detail", "not\r\n found"),)),
)
quirk(
    "duplicate_content_type",
    "405 responses carry Content-Type twice",
    breaks={"response-no-duplicate-singletons"},
    app=dict(after=(adding(405, "Content-Type", "text/html"),)),
)
quirk(
    "status_out_of_range",
    "405 responses are sent with status 605",
    breaks={
        "connect-not-allowed-has-allow", "connect-origin-recorded", "method-not-allowed-405",
        "method-not-allowed-has-allow", "status-code-in-range", "trace-reflects-or-refused"
    },
    app=dict(after=(on_status(405, _set(status=605)),)),
)
quirk(
    "chunked_listed_twice",
    "chunked /stream responses say Transfer-Encoding: chunked twice",
    breaks={
        "response-chunked-applied-once", "response-elements-match-grammar",
        "response-head-transfer-encoding", "response-no-content-length-with-chunked",
        "response-no-duplicate-singletons", "response-only-chunked-without-te", "status-code-in-range"
    },
    app=dict(after=(chunked_twice,)),
)
quirk(
    "transfer_encoding_in_204",
    "204 responses carry Transfer-Encoding: chunked",
    breaks={"response-204-no-transfer-encoding"},
    app=dict(after=(adding(204, "Transfer-Encoding", "chunked"),)),
)
quirk(
    "content_length_in_204",
    "204 responses carry Content-Length: 0",
    breaks={"no-content-length-in-204"},
    app=dict(after=(adding(204, "Content-Length", "0"),)),
)
quirk(
    "close_delimited_errors",
    "405 responses are close-delimited (no Content-Length)",
    breaks={"content-length-when-known", "response-length-delimited-preferred"},
    app=dict(after=(on_status(405, _set(close_delimited=True)),)),
)
quirk(
    "empty_error_bodies",
    "404 and 501 responses have no explanatory body",
    breaks={"client-error-explanatory-content", "server-error-explanatory-content"},
    app=dict(after=(on_status((404, 501), _set(body=b"")),)),
)
quirk(
    "no_content_type",
    "404 responses carry no Content-Type",
    breaks={"content-type-on-content"},
    app=dict(after=(dropping(404, "Content-Type"),)),
)
quirk(
    "server_field_detailed",
    "responses carry a second Server field listing versions, OS and modules",
    breaks={"server-field-not-detailed"},
    app=dict(after=(detailed_server,)),
)
quirk(
    "gzip_without_content_encoding",
    "static 200 responses to Accept-Encoding: gzip are gzipped without Content-Encoding",
    breaks={"content-coding-labelled"},
    app=dict(after=(unlabelled_coding,)),
)
quirk(
    "coding_ignores_accept_encoding",
    "static 200 responses to any Accept-Encoding are gzipped (Content-Encoding: gzip)",
    breaks={"unknown-coding-gets-identity"},
    app=dict(select_coding=gzip_whenever_asked),
)
quirk(
    "no_vary",
    "responses carry no Vary, also when the content coding was chosen by Accept-Encoding",
    breaks={"negotiated-response-has-vary"},
    app=dict(after=(dropping_always("Vary"),)),
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
    app=dict(after=(dropping_always("ETag"),)),
)
quirk(
    "etag_unquoted",
    "HEAD responses carry the ETag without its double quotes",
    breaks={"etag-grammar", "head-same-fields-as-get", "response-elements-match-grammar"},
    app=dict(after=(on_head(_unquoted_etag),)),
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
    app=dict(after=(dropping_always("Last-Modified"),)),
)
quirk(
    "last_modified_future",
    "Last-Modified is one day after the response's Date",
    breaks={
        "cond-ius-before-last-modified-412", "cond-order-ius-before-if-none-match",
        "last-modified-not-after-date"
    },
    app=dict(after=(future_last_modified,)),
)
quirk(
    "head_without_validators",
    "HEAD responses omit ETag and Last-Modified",
    breaks={"head-same-fields-as-get"},
    app=dict(after=(on_head(lambda response: drop(response, "ETag", "Last-Modified")),)),
)
quirk(
    "not_modified_content_length_zero",
    "304 responses carry Content-Length: 0",
    breaks={"not-modified-content-length"},
    app=dict(after=(adding(304, "Content-Length", "0"),)),
)
quirk(
    "not_modified_without_etag",
    "304 responses omit the ETag the 200 carries",
    breaks={"not-modified-keeps-200-fields", "not-modified-same-etag"},
    app=dict(after=(dropping(304, "ETag"),)),
)
quirk(
    "not_modified_with_content_type",
    "304 responses carry Content-Type",
    breaks={"not-modified-no-representation-metadata"},
    app=dict(after=(adding(304, "Content-Type", "text/html; charset=utf-8"),)),
)
quirk(
    "partial_without_etag",
    "206 responses omit the ETag the 200 carries",
    breaks={"range-partial-keeps-200-fields"},
    app=dict(after=(dropping(206, "ETag"),)),
)

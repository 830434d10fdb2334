"""HTTP-semantics behaviour of the bundled app that sits around routing (RFC 9110):
expectations, upgrades, absolute-form targets, TRACE, and the response-level quirks.

routes.App calls :func:`before_route` (may answer at once), then routes, then :func:`finish`.
Every quirks-server switch here is named in quirks/semantics.py and checked with ``"name" in quirks``.
"""
from __future__ import annotations

import re
import time
from email.utils import formatdate
from typing import Optional

from .messages import Response, error_response

SENSITIVE = frozenset({"authorization", "proxy-authorization", "cookie"})
MAX_TARGET = 4096  # only with the short_uri_limit switch


def _authority(target: str) -> Optional[str]:
    m = re.match(r"[A-Za-z][A-Za-z0-9+.\-]*://([^/?#]*)", target)
    return m.group(1).lower() if m else None


def before_route(request, quirks: frozenset):
    """Answers that do not depend on the resource, or None to route the request."""
    expect = [v.strip(" \t").lower() for v in request.header_values("Expect")]
    if expect and request.version >= (1, 1):
        if any(v != "100-continue" for v in expect) and "expect_unknown_ignored" not in quirks:
            return error_response(417, "only 100-continue is a known expectation")
        if not request.body and "expect_100_no_content_417" in quirks:
            return error_response(417, "100-continue without content")
    upgrade = [t.strip(" \t") for v in request.header_values("Upgrade") for t in v.split(",") if t.strip(" \t")]
    if upgrade and "reject_upgrade" in quirks:
        return error_response(400, "Upgrade is not supported")
    if upgrade and request.version == (1, 0) and "upgrade_http10" in quirks:
        return Response(101, [("Upgrade", upgrade[0]), ("Connection", "upgrade")])
    if "short_uri_limit" in quirks and len(request.target) > MAX_TARGET:
        return error_response(414, "request-target longer than %d octets" % MAX_TARGET)
    authority = _authority(request.target)
    if authority is not None:
        if "absolute_form_rejected" in quirks:
            return error_response(400, "absolute-form request-target")
        hosts = [h.strip(" \t").lower() for h in request.header_values("Host")]
        if "route_by_host_header" in quirks and hosts and hosts[0] != authority:
            return error_response(404, "no such virtual host: %s" % hosts[0])
    return None


def trace_echo_headers(request, quirks: frozenset):
    """The request fields a TRACE reflection may show (§9.3.8: omit credentials and cookies)."""
    if "trace_reflects_credentials" in quirks:
        return list(request.headers)
    return [(n, v) for n, v in request.headers if n.lower() not in SENSITIVE]


def finish(request, response, quirks: frozenset):
    """Apply the response-level quirks (one rule each) to an app response."""
    if not quirks:
        return response
    h = response.headers
    status, method = response.status, request.method

    def drop(*names):
        lowered = {n.lower() for n in names}
        h[:] = [(n, v) for n, v in h if n.lower() not in lowered]

    static = any(n == "ETag" for n, _ in h) or status == 304
    if status == 405 and "bare_cr_in_field" in quirks:
        h.append(("X-Detail", "not\rfound"))
    if status == 404 and "folded_field" in quirks:
        h.append(("X-Detail", "not\r\n found"))
    if status == 404 and "no_content_type" in quirks:
        drop("Content-Type")
    if status == 405 and "duplicate_content_type" in quirks:
        h.append(("Content-Type", "text/html"))
    if status == 405 and "method_not_allowed_without_allow" in quirks:
        drop("Allow")
    if status == 405 and "close_delimited_errors" in quirks:
        response.close_delimited = True
    if status == 405 and "status_out_of_range" in quirks:
        response.status = 605
    if status in (404, 501) and "empty_error_bodies" in quirks:
        response.body = b""
    if status == 204 and "transfer_encoding_in_204" in quirks:
        h.append(("Transfer-Encoding", "chunked"))
    if status == 204 and "content_length_in_204" in quirks:
        h.append(("Content-Length", "0"))
    if method == "OPTIONS" and "options_without_allow" in quirks:
        drop("Allow")
    if response.stream is not None and request.version >= (1, 1) and "chunked_listed_twice" in quirks:
        h.append(("Transfer-Encoding", "chunked"))
    if static:
        if method == "HEAD" and "etag_unquoted" in quirks:
            h[:] = [(n, v.strip('"') if n == "ETag" else v) for n, v in h]
        if "no_etag" in quirks:
            drop("ETag")
        if "no_last_modified" in quirks:
            drop("Last-Modified")
        if "last_modified_future" in quirks:
            h[:] = [(n, formatdate(time.time() + 86400, usegmt=True) if n == "Last-Modified" else v) for n, v in h]
        if method == "HEAD" and "head_without_validators" in quirks:
            drop("ETag", "Last-Modified")
        if status == 304 and "not_modified_without_etag" in quirks:
            drop("ETag")
        if status == 304 and "not_modified_with_content_type" in quirks:
            h.append(("Content-Type", "text/html; charset=utf-8"))
        if status == 304 and "not_modified_content_length_zero" in quirks:
            h.append(("Content-Length", "0"))
        if status == 206 and "partial_without_etag" in quirks:
            drop("ETag")
    # (the content-coding switches are applied where the coding is chosen: negotiation.py)
    if "no_vary" in quirks:
        drop("Vary")
    if 300 <= status < 400 and status != 304 and "redirect_without_location" in quirks:
        drop("Location")
    if status == 401 and "unauthorized_without_challenge" in quirks:
        drop("WWW-Authenticate")
    if status == 415 and "unsupported_media_type_accept_encoding" in quirks:
        h.append(("Accept-Encoding", "gzip, deflate"))
    if "server_field_detailed" in quirks:
        h.append(("Server", "Apache/2.4.41 (Ubuntu) OpenSSL/1.1.1f mod_wsgi/4.6.8 Python/3.8.10"))
    return response

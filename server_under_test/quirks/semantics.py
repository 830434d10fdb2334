"""Quirks of HTTP semantics (RFC 9110): requests and methods (routing, targets, Expect, Upgrade, methods, TRACE).

The semantics family spans this module and its topical siblings: representation.py (the fields of a
response, validators, content codings), conditionals.py (preconditions, HTTP-dates), byte_ranges.py (Range)
and resources.py (redirects, authentication, /uploads/).  Each quirk changes the app's rules
(:class:`~h1conform_server.app_rules.AppRules`) with a hook or a strict piece defined next to it.
"""
from __future__ import annotations

import re
from typing import Optional

from ..messages import Request, Response
from ..routes import KNOWN_METHODS, STATIC_ALLOW
from .app_hooks import answer, authority_form, drop, dropping
from .declare import family

quirk = family("semantics")

MAX_TARGET = 4096


def _authority(target: str) -> Optional[str]:
    m = re.match(r"[A-Za-z][A-Za-z0-9+.\-]*://([^/?#]*)", target)
    return m.group(1).lower() if m else None


def route_by_host(request: Request) -> Optional[Response]:
    authority = _authority(request.target)
    hosts = [h.strip(" \t").lower() for h in request.header_values("Host")]
    if authority is not None and hosts and hosts[0] != authority:
        return answer(404, "no such virtual host: %s" % hosts[0])
    return None


def refuse_absolute_form(request: Request) -> Optional[Response]:
    return answer(400, "absolute-form request-target") if _authority(request.target) is not None else None


def refuse_options_star(request: Request) -> Optional[Response]:
    return answer(400, "OPTIONS * is not supported") if request.target == "*" else None


def refuse_long_target(request: Request) -> Optional[Response]:
    if len(request.target) > MAX_TARGET:
        return answer(414, "request-target longer than %d octets" % MAX_TARGET)
    return None


def _upgrade(request: Request):
    return [t.strip(" \t") for v in request.header_values("Upgrade") for t in v.split(",") if t.strip(" \t")]


def switch_http10(request: Request) -> Optional[Response]:
    upgrade = _upgrade(request) if request.version == (1, 0) else None
    return Response(101, [("Upgrade", upgrade[0]), ("Connection", "upgrade")]) if upgrade else None


def refuse_upgrade(request: Request) -> Optional[Response]:
    return answer(400, "Upgrade is not supported") if _upgrade(request) else None


def no_expectation_check(request: Request) -> Optional[Response]:
    return None


def continue_needs_content(request: Request) -> Optional[Response]:
    if request.version >= (1, 1) and request.header_values("Expect") and not request.body:
        return answer(417, "100-continue without content")
    return None


def unknown_method_not_allowed(request: Request) -> Optional[Response]:
    return answer(405, "", [("Allow", STATIC_ALLOW)]) if request.method not in KNOWN_METHODS else None


def connect_not_implemented(request: Request) -> Optional[Response]:
    if request.method in KNOWN_METHODS and authority_form(request):
        return answer(501, "CONNECT is not implemented")
    return None


def known_method_not_implemented(method: str):
    return None if method in ("GET", "HEAD") else answer(501, "method not implemented")


def head_not_allowed(method: str):
    return answer(405, "", [("Allow", "GET, OPTIONS")]) if method == "HEAD" else None


def trace_as_get(method: str):
    return "GET" if method == "TRACE" else None


def options_without_allow(request: Request, response: Response) -> Response:
    return drop(response, "Allow") if request.method == "OPTIONS" else response


quirk(
    "route_by_host_header",
    "absolute-form requests are routed by Host: a Host unlike the target authority gets 404",
    breaks={"absolute-form-host-ignored"},
    app=dict(before=(route_by_host,)),
)
quirk(
    "absolute_form_rejected",
    "an absolute-form request-target (http://host/path) is answered 400",
    breaks={"absolute-form-accepted", "absolute-form-host-ignored"},
    app=dict(before=(refuse_absolute_form,)),
)
quirk(
    "options_star_rejected",
    "OPTIONS * is answered 400",
    breaks={"options-asterisk-accepted", "options-asterisk-allow"},
    app=dict(before=(refuse_options_star,)),
)
quirk(
    "short_uri_limit",
    "request-targets longer than 4096 octets are answered 414",
    breaks={"uri-8000-octets-supported"},
    app=dict(before=(refuse_long_target,)),
)
quirk(
    "https_target_served",
    "an https:// request-target received on a plain connection is served like http://",
    breaks={"https-target-refused-on-plain"},
    app=dict(refused_schemes=frozenset()),
)
quirk(
    "upgrade_http10",
    "an HTTP/1.0 request with Upgrade is answered 101 Switching Protocols",
    breaks={"no-1xx-to-http10-upgrade", "upgrade-http10-h2c-ignored", "upgrade-http10-websocket-ignored"},
    app=dict(before=(switch_http10,)),
)
quirk(
    "reject_upgrade",
    "a request with an Upgrade field is answered 400",
    breaks={"upgrade-unknown-protocol-recorded"},
    app=dict(before=(refuse_upgrade,)),
)
quirk(
    "expect_unknown_ignored",
    "an unknown expectation (Expect: foo) is ignored instead of answered 417",
    breaks={"expect-unknown-recorded"},
    app=dict(expectations=no_expectation_check),
)
quirk(
    "expect_100_no_content_417",
    "Expect: 100-continue on a request without content is answered 417",
    breaks={"expect-continue-without-content-recorded"},
    app=dict(before=(continue_needs_content,)),
)
quirk(
    "unknown_method_405",
    "an unknown method is answered 405 instead of 501",
    breaks={"method-unknown-501", "method-unknown-with-body-501"},
    app=dict(before=(unknown_method_not_allowed,)),
)
quirk(
    "known_method_501",
    ("a known method a static resource does not allow (DELETE, PUT, ...) is answered 501 instead of "
     "405"),
    breaks={"method-not-allowed-405", "method-not-allowed-has-allow"},
    app=dict(file_methods=(known_method_not_implemented,)),
)
quirk(
    "head_not_allowed",
    "HEAD on a static resource is answered 405",
    breaks={
        "cond-if-none-match-head-304", "head-same-fields-as-get", "method-get-and-head-supported",
        "pipeline-mixed-head-get"
    },
    app=dict(file_methods=(head_not_allowed,)),
)
quirk(
    "connect_not_implemented",
    "CONNECT is answered 501 instead of 405",
    breaks={"connect-not-allowed-has-allow", "connect-origin-recorded"},
    app=dict(before=(connect_not_implemented,)),
)
quirk(
    "options_without_allow",
    "OPTIONS responses carry no Allow field",
    breaks={"options-asterisk-allow", "options-resource-allow"},
    app=dict(after=(options_without_allow,)),
)
quirk(
    "method_not_allowed_without_allow",
    "405 responses carry no Allow field",
    breaks={"connect-not-allowed-has-allow", "method-not-allowed-has-allow"},
    app=dict(after=(dropping(405, "Allow"),)),
)
quirk(
    "trace_serves_resource",
    "TRACE on a static resource is answered 200 with the resource, not a reflection",
    breaks={"trace-reflects-or-refused"},
    app=dict(file_methods=(trace_as_get,)),
)
quirk(
    "trace_reflects_credentials",
    "a TRACE reflection (/echo) includes Authorization and Cookie fields",
    breaks={"trace-omits-credentials"},
    app=dict(trace_hidden_fields=frozenset()),
)

"""Quirks of HTTP semantics (RFC 9110): the small resources (redirects, /private, /echo's 415) and the
writable collection /uploads/ (POST, PUT, DELETE)."""
from __future__ import annotations

from dataclasses import replace

from ..messages import Request, Response
from ..resources import UPLOADS, redirect_response
from .app_hooks import adding, drop, dropping, upload_path
from .declare import family

quirk = family("semantics")


def redirect_without_location(request: Request, response: Response) -> Response:
    return drop(response, "Location") if 300 <= response.status < 400 and response.status != 304 else response


def _on_upload(method: str, status: int, change):
    def hook(request: Request, response: Response) -> Response:
        if request.method == method and response.status == status and upload_path(request):
            return change(response)
        return response

    return hook


def _status(status: int):
    def change(response: Response) -> Response:
        response.status = status
        return response

    return change


def _replaced_201(response: Response) -> Response:
    return Response(201, [("Content-Type", "text/plain; charset=utf-8")] + response.headers, b"replaced\n")


def _put_upload(request: Request) -> bool:
    return request.method == "PUT" and upload_path(request)


def crlf_to_lf(request: Request) -> Request:
    """The content a PUT stores is transformed (CRLF -> LF); the ETag sent is still the stored one's."""
    return replace(request, body=request.body.replace(b"\r\n", b"\n")) if _put_upload(request) else request


def forget_content_range(request: Request) -> Request:
    """A PUT's Content-Range is not seen: its content replaces the whole upload."""
    if _put_upload(request) and request.header_values("Content-Range"):
        return replace(request, headers=[(n, v) for n, v in request.headers if n.lower() != "content-range"])
    return request


quirk(
    "redirect_without_location",
    "3xx redirects (/redirect/<code>, a directory without its slash) carry no Location",
    breaks={
        "redirect-301-has-location", "redirect-302-has-location", "redirect-307-has-location",
        "redirect-308-has-location"
    },
    app=dict(after=(redirect_without_location,)),
)
quirk(
    "unauthorized_without_challenge",
    "401 responses (/private) carry no WWW-Authenticate",
    breaks={"unauthorized-has-challenge"},
    app=dict(after=(dropping(401, "WWW-Authenticate"),)),
)
quirk(
    "unsupported_media_type_accept_encoding",
    "a 415 for an unsupported media type (/echo) carries Accept-Encoding",
    breaks={"unsupported-media-type-no-accept-encoding"},
    app=dict(after=(adding(415, "Accept-Encoding", "gzip, deflate"),)),
)
quirk(
    "post_create_without_location",
    "a POST that creates an upload is answered 201 without Location",
    breaks={"post-create-201-location"},
    app=dict(after=(_on_upload("POST", 201, lambda response: drop(response, "Location")),)),
)
quirk(
    "put_create_200",
    "a PUT that creates an upload is answered 200 instead of 201",
    breaks={"put-create-201"},
    app=dict(after=(_on_upload("PUT", 201, _status(200)),)),
)
quirk(
    "put_replace_201",
    "a PUT that replaces an upload is answered 201 instead of 200/204",
    breaks={"put-replace-200-or-204"},
    app=dict(after=(_on_upload("PUT", 204, _replaced_201),)),
)
quirk(
    "put_validators_altered",
    "PUT stores the content with CRLF turned into LF, yet answers with the new ETag",
    breaks={"put-validators-match-stored"},
    app=dict(rewrite=(crlf_to_lf,)),
)
quirk(
    "delete_redirects",
    "a successful DELETE is answered 303 See Other to the collection",
    breaks={"delete-success-status"},
    app=dict(after=(_on_upload("DELETE", 204, lambda response: redirect_response(303, UPLOADS)),)),
)
quirk(
    "content_range_put_replaces",
    "a PUT with Content-Range is not refused: its content replaces the whole upload",
    breaks={"put-content-range-400"},
    app=dict(rewrite=(forget_content_range,)),
)

"""What the app's quirks share: small helpers for their hooks (``AppRules.before``, ``after``, ...), and the
app's part of a quirk declared in another family (``target_lenient`` of parsing.py).  No declarations."""
from __future__ import annotations

import re
from typing import Callable, Optional

from ..messages import Request, Response, error_response, split_target
from ..resources import UPLOADS
from ..routes import KNOWN_METHODS


def drop(response: Response, *names: str) -> Response:
    """*response* without the fields *names*."""
    lowered = {n.lower() for n in names}
    response.headers[:] = [(n, v) for n, v in response.headers if n.lower() not in lowered]
    return response


def add(response: Response, name: str, value: str) -> Response:
    response.headers.append((name, value))
    return response


def on_status(status, change: Callable[[Response], Response]):
    """An ``after`` hook applying *change* to the responses of status *status* (an int or a collection)."""
    statuses = {status} if isinstance(status, int) else set(status)

    def hook(request: Request, response: Response) -> Response:
        return change(response) if response.status in statuses else response

    return hook


def dropping(status, *names: str):
    """An ``after`` hook dropping the fields *names* from responses of status *status*."""
    return on_status(status, lambda response: drop(response, *names))


def adding(status, name: str, value: str):
    """An ``after`` hook adding the field ``name: value`` to responses of status *status*."""
    return on_status(status, lambda response: add(response, name, value))


def upload_path(request: Request) -> bool:
    path = split_target(request.target)[1]
    return path is not None and path.startswith(UPLOADS)


def authority_form(request: Request) -> bool:
    return request.target != "*" and split_target(request.target)[1] is None


def tunnel_without_port(request: Request) -> Optional[Response]:
    """(``target_lenient``) A CONNECT whose port is empty or invalid is accepted as a tunnel that ends at once."""
    if request.method in KNOWN_METHODS and authority_form(request) and not re.fullmatch(r".*:[0-9]+", request.target):
        return Response(200, [], b"", close_delimited=True)
    return None


def answer(status: int, detail: str = "", headers=()):
    """An error response (built anew for each use: hooks later in the chain may change it)."""
    return error_response(status, detail, list(headers))

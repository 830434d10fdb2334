"""h1conform reference HTTP/1.1 server ("server under test").

Standard library only.  Public entry points::

    from h1conform_server import Server, Limits
    with Server(port=0, quirks={"no_date"}) as srv:
        host, port = srv.address
"""
from __future__ import annotations

from .messages import Request, Response
from .parser import NEED_DATA, Body, EndOfRequest, Limits, ProtocolError, RequestHead, RequestParser
from .quirks import QUIRKS, UnknownQuirk, rules_for
from .routes import App
from .server import Server

__all__ = [
    "QUIRKS",
    "UnknownQuirk",
    "rules_for",
    "NEED_DATA",
    "Body",
    "EndOfRequest",
    "Limits",
    "ProtocolError",
    "RequestHead",
    "RequestParser",
    "App",
    "Request",
    "Response",
    "Server",
]

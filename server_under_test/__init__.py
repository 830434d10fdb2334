"""h1conform reference HTTP/1.1 server ("server under test").

Standard library only.  Public entry points::

    from h1conform_server import Server, Limits
    with Server(port=0, broken={"no_date"}) as srv:
        host, port = srv.address
"""
from __future__ import annotations

from .broken import SWITCHES, validate_switches
from .messages import Request, Response
from .parser import NEED_DATA, Body, EndOfRequest, Limits, ProtocolError, RequestHead, RequestParser
from .routes import App
from .server import Server

__all__ = [
    "SWITCHES",
    "validate_switches",
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

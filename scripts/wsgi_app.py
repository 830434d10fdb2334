"""Kept for older commands (``waitress-serve wsgi_app:app`` from scripts/): the WSGI app is now shipped as
``h1conform_fixtures.echo.wsgi`` (a page at ``/``, the echo at ``/echo``), which scripts/real_server.py runs."""

from h1conform_fixtures.echo.wsgi import app, echo, with_echo

__all__ = ["app", "echo", "with_echo"]

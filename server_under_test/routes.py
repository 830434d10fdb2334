"""The application behind the reference server: static files, /echo, /stream, /close-delimited, and the
small resources of resources.py (/redirect/<code>, /private, /uploads/).

``App(docroot, rules=AppRules()).handle(request) -> Response`` knows nothing about sockets or
framing; connection.py turns a :class:`Response` into bytes on the wire.  The app follows its
:class:`~h1conform_server.app_rules.AppRules` (strict by default): their hooks and strict pieces are
called at the points named there, and only quirks (quirks/) make them anything but strict.
"""
from __future__ import annotations

import json
import mimetypes
import os
from typing import Union
from urllib.parse import unquote_to_bytes

from . import conditional, negotiation, ranges, resources, semantics
from .app_rules import AppRules
from .messages import Request, Response, error_response, split_target

KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PATCH"})
STATIC_ALLOW = "GET, HEAD, OPTIONS"
ECHO_ALLOW = "GET, HEAD, POST, PUT, DELETE, OPTIONS, TRACE, PATCH"
_STRICT = AppRules()


def _default_docroot() -> str:
    """The docroot shipped in the h1conform_fixtures package (``fixtures/docroot`` of the source tree)."""
    import h1conform_fixtures

    if not hasattr(h1conform_fixtures, "path"):  # an empty folder of that name, left by an earlier install
        raise ImportError(f"h1conform_fixtures is {', '.join(h1conform_fixtures.__path__)}, which is not the"
                          " package h1conform installed (a folder left by an earlier install?): remove it")
    return str(h1conform_fixtures.path("docroot"))


DEFAULT_DOCROOT = _default_docroot()
STREAM_PIECES = (b"chunk-1\n", b"chunk-2\n", b"chunk-3\n")
CLOSE_DELIMITED_BODY = b"this body is delimited by closing the connection\n"
#: /echo refuses content of this media type with 415 (RFC 9110 §15.5.16; no Accept-Encoding: §12.5.3)
UNSUPPORTED_MEDIA_TYPE = "application/x-h1conform-unsupported"


# ------------------------------------------------------------ the app
class PathRejected(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail


class Moved(PathRejected):
    """A directory named without its trailing slash: 301 to the slashed path."""

    def __init__(self, location: str) -> None:
        super().__init__(301, "a directory: see %s" % location)
        self.location = location


class App:
    def __init__(self, docroot: Union[str, "os.PathLike[str]", None] = None,
                 rules: AppRules = _STRICT) -> None:
        self.docroot = os.path.realpath(os.fspath(docroot) if docroot is not None else DEFAULT_DOCROOT)
        #: what this app answers (the Server passes its own: ``Server.rules.app``)
        self.rules = rules
        self.uploads = resources.Uploads()  # /uploads/: this app's in-memory writable collection

    def wants_body(self, method: str, target: str) -> bool:
        """Does the route use the request body?  (If not, the server discards it.)"""
        path = split_target(target)[1]
        if method in ("POST", "PUT") and path is not None and path.startswith(resources.UPLOADS):
            return True
        return method in KNOWN_METHODS and path == "/echo"

    def handle(self, request: Request) -> Response:
        rules = self.rules
        for rewrite in rules.rewrite:
            request = rewrite(request)
        response = rules.expectations(request)
        if response is None:
            for hook in rules.before:
                response = hook(request)
                if response is not None:
                    break
            else:
                response = self.route(request)
        for hook in rules.after:
            response = hook(request, response)
        return response

    def route(self, request: Request) -> Response:
        method = request.method
        if method not in KNOWN_METHODS:
            return error_response(501, "method not implemented")
        if request.target == "*":  # the parser allows it only with OPTIONS
            return Response(204, [("Allow", STATIC_ALLOW)])
        scheme, path = split_target(request.target)
        if path is None:  # authority-form (CONNECT): no tunnels here
            return error_response(405, "CONNECT is not supported", [("Allow", STATIC_ALLOW)])
        if scheme in self.rules.refused_schemes:
            return error_response(421, "%s is not served on this connection" % scheme)
        if path == "/echo":
            if method == "OPTIONS":
                return Response(204, [("Allow", ECHO_ALLOW)])
            ctype = request.header_values("Content-Type")
            if ctype and ctype[0].partition(";")[0].strip(" \t").lower() == UNSUPPORTED_MEDIA_TYPE:
                return error_response(415, "the echo endpoint does not take %s" % UNSUPPORTED_MEDIA_TYPE)
            if method == "TRACE":  # RFC 9110 §9.3.8: no credentials or cookies in the reflection
                shown = semantics.trace_echo_headers(request.headers, self.rules.trace_hidden_fields)
                request = Request(request.method, request.target, request.version, shown, request.body,
                                  request.trailers)
            return self.echo(request)
        if path.startswith("/redirect/"):
            return resources.redirect(request, path)
        if path == "/private":
            return resources.private(request)
        if path + "/" == resources.UPLOADS or path.startswith(resources.UPLOADS):
            return self.uploads.handle(request, path, self.rules)
        if method == "OPTIONS":
            return Response(204, [("Allow", STATIC_ALLOW)])
        if path in ("/stream", "/close-delimited"):
            if method not in ("GET", "HEAD"):
                return error_response(405, "", [("Allow", STATIC_ALLOW)])
            ctype = [("Content-Type", "text/plain; charset=utf-8")]
            if path == "/stream":
                return Response(200, ctype, stream=STREAM_PIECES,
                                trailers=[("X-Stream-Pieces", str(len(STREAM_PIECES)))])
            return Response(200, ctype, CLOSE_DELIMITED_BODY, close_delimited=True)
        try:
            full = self.resolve(path)
        except Moved as exc:
            query = request.target.partition("?")[2]
            return resources.redirect_response(301, exc.location + ("?" + query if query else ""))
        except PathRejected as exc:
            return error_response(exc.status, exc.detail)
        return self.static(full, request)

    def static(self, full: str, request: Request) -> Response:
        """GET/HEAD on a file: preconditions (conditional.py), the file, byte ranges (ranges.py)."""
        rules = self.rules
        method = request.method
        for hook in rules.file_methods:
            answer = hook(method)
            if isinstance(answer, str):
                method = answer
                break
            if answer is not None:
                return answer
        if method not in ("GET", "HEAD"):
            return error_response(405, "", [("Allow", STATIC_ALLOW)])
        try:
            v = conditional.static_validators(os.stat(full))
        except OSError:
            return error_response(404, "no such resource")
        ctype = self.content_type(full)
        vary = [negotiation.VARY] if negotiation.negotiable(ctype) else []
        coding = rules.select_coding(request, ctype)
        selected = negotiation.validators(v, coding)  # the validators of the representation to send
        status = conditional.evaluate(request, selected, rules)
        if status == 304:
            return Response(304, [("ETag", selected.etag), ("Last-Modified", v.last_modified)] + vary)
        if status == 412:
            return error_response(412, "precondition failed")
        response = self.serve_file(full, request)
        response.headers.extend(vary)
        response = ranges.apply(request, response, v, rules)
        return negotiation.encode(response, coding, selected)

    @staticmethod
    def echo(request: Request) -> Response:
        payload = {
            "method": request.method,
            "target": request.target,
            "version": "HTTP/%d.%d" % request.version,
            "headers": [[n, v] for n, v in request.headers],
            "body": request.body.decode("latin-1"),
            "body_length": len(request.body),
            "trailers": [[n, v] for n, v in request.trailers],
        }
        return Response(200, [("Content-Type", "application/json")], json.dumps(payload).encode("ascii"))

    def resolve(self, path: str) -> str:
        """Map an origin-form path to a regular file inside the docroot, or raise PathRejected."""
        lowered = path.lower()
        if any(bad in lowered for bad in ("%2e", "%2f", "%5c", "%00", "\\", "\x00")):
            raise PathRejected(400, "encoded dot, slash, backslash or NUL in path")
        raw = unquote_to_bytes(path)
        segments = raw.split(b"/")
        if b"\x00" in raw or b"\\" in raw or b".." in segments:
            raise PathRejected(400, "dot-dot segment in path")
        rel = os.fsdecode(b"/".join(s for s in segments if s and s != b"."))
        full = self._inside(os.path.join(self.docroot, rel))
        if os.path.isdir(full):
            if not raw.endswith(b"/"):
                raise Moved(path + "/")
            full = self._inside(os.path.join(full, "index.html"))
        elif raw.endswith(b"/"):
            raise PathRejected(404, "not a directory")
        if not os.path.isfile(full):
            raise PathRejected(404, "no such resource")
        return full

    def _inside(self, candidate: str) -> str:
        real = os.path.realpath(candidate)
        try:
            inside = os.path.commonpath([real, self.docroot]) == self.docroot
        except ValueError:
            inside = False
        if not inside:
            raise PathRejected(404, "no such resource")
        return real

    @staticmethod
    def serve_file(full: str, request: Request) -> Response:
        try:
            with open(full, "rb") as f:
                st = os.fstat(f.fileno())
                data = f.read()
        except OSError:
            return error_response(404, "no such resource")
        v = conditional.static_validators(st)  # preconditions: App.static, before this is called
        validators = [("ETag", v.etag), ("Last-Modified", v.last_modified)]
        return Response(200, [("Content-Type", App.content_type(full))] + validators, data)

    @staticmethod
    def content_type(full: str) -> str:
        ctype = mimetypes.guess_type(full)[0] or "application/octet-stream"
        return ctype + "; charset=utf-8" if ctype.startswith("text/") else ctype

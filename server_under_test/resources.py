"""Small special resources of the bundled app: redirects, a resource behind authentication, and an
in-memory writable collection.

- ``/redirect/<code>`` (301, 302, 303, 307, 308): that status with ``Location: /`` and a short note;
- ``/private``: 401 with ``WWW-Authenticate: Basic realm="h1conform"`` unless :data:`CREDENTIALS` are sent;
- ``/uploads/``: :class:`Uploads`, a bounded per-app store (POST creates ``/uploads/<n>``; PUT creates or
  replaces ``/uploads/<name>``; GET, HEAD and DELETE on members).

Like routes.App they know nothing of sockets; the uploads take the app's rules (app_rules.py) for their
preconditions.
"""
from __future__ import annotations

import base64
import hashlib
import html
import re
import threading
import time
from dataclasses import dataclass
from email.utils import formatdate
from typing import Dict, List, Optional, Tuple

from . import conditional
from .grammar import MEDIA_TYPE
from .messages import Response, error_response, reason_phrase

REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
REDIRECT_ALLOW = "GET, HEAD, OPTIONS"
REALM = "h1conform"
CREDENTIALS = "Basic " + base64.b64encode(b"h1conform:open-sesame").decode("ascii")
PRIVATE_BODY = b"private resource of the h1conform reference server\n"

UPLOADS = "/uploads/"
MAX_UPLOADS = 64
MAX_UPLOAD_SIZE = 64 * 1024
COLLECTION_ALLOW = "GET, HEAD, POST, OPTIONS"
MEMBER_ALLOW = "GET, HEAD, PUT, DELETE, OPTIONS"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


def _resp(status: int, headers, body: bytes = b""):
    return Response(status, list(headers), body)


def _error(status: int, detail: str = "", headers=()):
    return error_response(status, detail, list(headers))


def redirect_response(status: int, location: str):
    """A redirect with Location and a short hypertext note linking to it (RFC 9110 §15.4)."""
    link = html.escape(location, quote=True)
    body = '<!DOCTYPE html>\n<title>%d %s</title>\n<p>See <a href="%s">%s</a>.</p>\n' % (
        status, reason_phrase(status), link, link)
    return _resp(status, [("Content-Type", "text/html; charset=utf-8"), ("Location", location)], body.encode("utf-8"))


def redirect(request, path: str):
    """``/redirect/<code>``: GET and HEAD are redirected to ``/``."""
    code = path[len("/redirect/"):]
    if not (code.isdigit() and int(code) in REDIRECT_CODES):
        return _error(404, "no such redirect (301, 302, 303, 307 and 308 exist)")
    if request.method == "OPTIONS":
        return _resp(204, [("Allow", REDIRECT_ALLOW)])
    if request.method not in ("GET", "HEAD"):
        return _error(405, "", [("Allow", REDIRECT_ALLOW)])
    return redirect_response(int(code), "/")


def private(request):
    """``/private``: 401 with a Basic challenge unless the request carries :data:`CREDENTIALS`."""
    if request.method == "OPTIONS":
        return _resp(204, [("Allow", REDIRECT_ALLOW)])
    auth = request.header_values("Authorization")
    scheme, _, token = (auth[0].strip(" \t") if len(auth) == 1 else "").partition(" ")
    if not (scheme.lower() == "basic" and token.strip(" ") == CREDENTIALS.split(" ", 1)[1]):
        return _error(401, "this resource needs credentials", [("WWW-Authenticate", 'Basic realm="%s"' % REALM)])
    if request.method not in ("GET", "HEAD"):
        return _error(405, "", [("Allow", REDIRECT_ALLOW)])
    return _resp(200, [("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "private")], PRIVATE_BODY)


# ------------------------------------------------------------ /uploads/
@dataclass(frozen=True)
class Upload:
    data: bytes
    content_type: str
    validators: conditional.Validators


def _validators(data: bytes) -> conditional.Validators:
    now = int(time.time())
    return conditional.Validators('"%s"' % hashlib.sha256(data).hexdigest()[:32], now, formatdate(now, usegmt=True))


class Uploads:
    """A writable collection kept in memory: at most :data:`MAX_UPLOADS` members of at most
    :data:`MAX_UPLOAD_SIZE` octets each; every operation holds one lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: Dict[str, Upload] = {}
        self._next = 1

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def handle(self, request, path: str, rules):
        if path == UPLOADS.rstrip("/"):
            return redirect_response(301, UPLOADS)
        if path == UPLOADS:
            return self._collection(request)
        name = path[len(UPLOADS):]
        if not _NAME.fullmatch(name):
            return _error(404, "no such upload (names are letters, digits, '.', '_' and '-')")
        return self._member(request, name, rules)

    @staticmethod
    def _content(request) -> Tuple[Optional[object], bytes, str]:
        """(error response or None, content, media type) of a POST or PUT."""
        if len(request.body) > MAX_UPLOAD_SIZE:
            return _error(413, "uploads are limited to %d octets" % MAX_UPLOAD_SIZE), b"", ""
        ctypes = request.header_values("Content-Type")
        ctype = ctypes[0].strip(" \t") if len(ctypes) == 1 else "application/octet-stream"
        if not MEDIA_TYPE.fullmatch(ctype) or len(ctype) > 200:
            return _error(400, "invalid Content-Type"), b"", ""
        return None, request.body, ctype

    def _collection(self, request):
        method = request.method
        if method == "OPTIONS":
            return _resp(204, [("Allow", COLLECTION_ALLOW)])
        if method in ("GET", "HEAD"):
            with self._lock:
                names = sorted(self._items)
            body = "".join("%s%s\n" % (UPLOADS, n) for n in names).encode("ascii")
            return _resp(200, [("Content-Type", "text/plain; charset=utf-8")], body)
        if method != "POST":
            return _error(405, "", [("Allow", COLLECTION_ALLOW)])
        error, data, ctype = self._content(request)
        if error is not None:
            return error
        with self._lock:
            if len(self._items) >= MAX_UPLOADS:
                return _error(507, "the collection is full (%d uploads)" % MAX_UPLOADS)
            while str(self._next) in self._items:
                self._next += 1
            name = str(self._next)
            self._next += 1
            self._items[name] = Upload(data, ctype, _validators(data))
        location = UPLOADS + name
        headers = [("Content-Type", "text/plain; charset=utf-8"), ("Location", location)]
        return _resp(201, headers, ("created %s\n" % location).encode("ascii"))

    def _member(self, request, name: str, rules):
        method = request.method
        if method == "OPTIONS":
            return _resp(204, [("Allow", MEMBER_ALLOW)])
        if method in ("GET", "HEAD"):
            with self._lock:
                item = self._items.get(name)
            if item is None:
                return _error(404, "no such upload")
            v = item.validators
            status = conditional.evaluate(request, v, rules)
            if status == 304:
                return _resp(304, [("ETag", v.etag), ("Last-Modified", v.last_modified)])
            if status == 412:
                return _error(412, "precondition failed")
            return _resp(200, [("Content-Type", item.content_type), ("ETag", v.etag),
                               ("Last-Modified", v.last_modified)], item.data)
        if method == "PUT":
            return self._put(request, name, rules)
        if method == "DELETE":
            with self._lock:
                item = self._items.get(name)
                if item is None:
                    return _error(404, "no such upload")
                if conditional.evaluate(request, item.validators, rules) == 412:
                    return _error(412, "precondition failed")
                del self._items[name]
            return _resp(204, [])
        return _error(405, "", [("Allow", MEMBER_ALLOW)])

    def _put(self, request, name: str, rules):
        # RFC 9110 §14.5: no partial PUT here, so a Content-Range is refused
        if request.header_values("Content-Range"):
            return _error(400, "partial PUT (Content-Range) is not supported")
        error, data, ctype = self._content(request)
        if error is not None:
            return error
        with self._lock:
            old = self._items.get(name)
            if old is not None:
                if conditional.evaluate(request, old.validators, rules) == 412:
                    return _error(412, "precondition failed")
            elif request.header_values("If-Match"):
                return _error(412, "precondition failed: no current representation")
            elif len(self._items) >= MAX_UPLOADS:
                return _error(507, "the collection is full (%d uploads)" % MAX_UPLOADS)
            item = Upload(data, ctype, _validators(data))
            self._items[name] = item
        # RFC 9110 §9.3.4: the content is stored as received, so its ETag may be sent
        etag = [("ETag", item.validators.etag)]
        if old is None:
            return _resp(201, [("Content-Type", "text/plain; charset=utf-8"), ("Location", UPLOADS + name)] + etag,
                         ("created %s%s\n" % (UPLOADS, name)).encode("ascii"))
        return _resp(204, etag)


def names(store: Uploads) -> List[str]:
    """The members of ``store`` (for tests)."""
    with store._lock:
        return sorted(store._items)

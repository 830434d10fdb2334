"""The WSGI app real servers run for the suite: ``/`` is a small page, ``/echo``
answers with the request as the server handed it to the app (JSON)."""

from __future__ import annotations

import json

PAGE = b"<!DOCTYPE html>\n<title>h1conform</title>\n<p>hello from a real server</p>\n"


def app(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    if path == "/echo":
        length = environ.get("CONTENT_LENGTH") or ""
        stream = environ["wsgi.input"]
        body = stream.read(int(length)) if length.isdigit() else stream.read()
        if length.isdigit() and len(body) < int(length):  # a careful app: the server handed over a short body
            msg = b"request body shorter than its Content-Length\n"
            start_response("400 Bad Request", [("Content-Type", "text/plain"), ("Content-Length", str(len(msg)))])
            return [msg]
        target = path + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else "")
        # Only HTTP_* fields: WSGI servers set CONTENT_LENGTH themselves (e.g. after de-chunking),
        # so echoing it would look like a Content-Length the client never sent.
        headers = [[k[5:].replace("_", "-").title(), v] for k, v in environ.items() if k.startswith("HTTP_")]
        out = json.dumps({"method": environ["REQUEST_METHOD"], "target": target,
                          "version": environ.get("SERVER_PROTOCOL", ""), "headers": headers,
                          "body": body.decode("latin-1"), "body_length": len(body), "trailers": []}).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(out)))])
        return [out]
    if path in ("/", "/index.html"):
        start_response("200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(PAGE)))])
        return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [PAGE]
    msg = b"not found\n"
    start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", str(len(msg)))])
    return [msg]

"""``python -m h1conform_server [--host H] [--port P] [--docroot DIR] [--quirk NAME,...] [limits ...]``"""
from __future__ import annotations

import argparse
import os
import signal
import sys
from typing import List, Optional

from .parser import Limits
from .quirks import QUIRKS
from .server import Server

_DEFAULT_LIMITS = Limits()


def _positive(kind):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError("%r is not a number" % text) from None
        if not value > 0:
            raise argparse.ArgumentTypeError("%r must be greater than 0" % text)
        return value

    parse.__name__ = kind.__name__
    return parse


def main(argv: Optional[List[str]] = None, prog: str = "python -m h1conform_server") -> int:
    ap = argparse.ArgumentParser(prog=prog, description="h1conform reference HTTP/1.1 server")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    ap.add_argument("--docroot", default=None, help="directory served as static files (default: fixtures/docroot)")
    ap.add_argument(
        "--quirk", dest="quirks", action="append", default=[], metavar="NAME[,NAME...]",
        help="break one rule on purpose (repeatable), to prove a case detects it; see --list-quirks",
    )
    ap.add_argument("--list-quirks", action="store_true", help="list the quirks (name, what it does) and exit")
    pos_f, pos_i = _positive(float), _positive(int)
    t = ap.add_argument_group("timeouts (seconds)")
    t.add_argument("--idle-timeout", type=pos_f, default=5.0, help="keep-alive connection with no request (5)")
    t.add_argument("--request-timeout", type=pos_f, default=10.0,
                   help="whole-request deadline, first byte to last; then 408 and close (10)")
    t.add_argument("--write-timeout", type=pos_f, default=10.0, help="a peer taking none of a response (10)")
    t.add_argument("--linger-timeout", type=pos_f, default=1.0, help="draining input after our close (1)")
    t.add_argument("--shutdown-timeout", type=pos_f, default=5.0,
                   help="on SIGINT/SIGTERM, time for responses in flight to finish (5)")
    lim = ap.add_argument_group("limits (exceeding one answers 414 / 431 / 413 and closes)")
    lim.add_argument("--max-request-line", type=pos_i, default=_DEFAULT_LIMITS.max_request_line,
                     help="octets in the request-line -> 414 (%(default)s)")
    lim.add_argument("--max-header-bytes", type=pos_i, default=_DEFAULT_LIMITS.max_header_bytes,
                     help="octets in the header section -> 431 (%(default)s)")
    lim.add_argument("--max-header-fields", type=pos_i, default=_DEFAULT_LIMITS.max_header_fields,
                     help="field lines -> 431 (%(default)s)")
    lim.add_argument("--max-body", type=pos_i, default=_DEFAULT_LIMITS.max_body,
                     help="request body octets -> 413 (%(default)s)")
    cap = ap.add_argument_group("capacity")
    cap.add_argument("--workers", type=pos_i, default=4,
                     help="worker threads (4; no worker waits on a peer, more only add lock contention)")
    cap.add_argument("--max-connections", type=pos_i, default=10000,
                     help="open connections; more wait in the listen backlog (10000)")
    cap.add_argument("--backlog", type=pos_i, default=2048, help="listen backlog (2048; the OS may cap it)")
    cap.add_argument("--no-file-cache", action="store_true",
                     help="serve every static file through the app (no in-memory cache, no sendfile)")
    args = ap.parse_args(argv)
    if args.list_quirks:
        for name, q in sorted(QUIRKS.items()):
            print("%s\t%s" % (name, q.doc))
        return 0
    if not 0 <= args.port <= 65535:
        ap.error(f"--port {args.port} is outside 0-65535")
    if args.docroot is not None and not os.path.isdir(args.docroot):
        ap.error(f"--docroot {args.docroot}: not a directory")
    quirks = {name.strip() for item in args.quirks for name in item.split(",") if name.strip()}
    limits = Limits(
        max_request_line=args.max_request_line, max_header_bytes=args.max_header_bytes,
        max_header_fields=args.max_header_fields, max_body=args.max_body,
    )
    try:
        server = Server(
            args.host, args.port, docroot=args.docroot, quirks=quirks, limits=limits,
            idle_timeout=args.idle_timeout, request_timeout=args.request_timeout, write_timeout=args.write_timeout,
            linger_timeout=args.linger_timeout, workers=args.workers, max_connections=args.max_connections,
            backlog=args.backlog, file_cache=not args.no_file_cache,
        )
    except ValueError as exc:
        ap.error(str(exc))
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: server.request_stop())
    try:
        host, port = server.start()
    except OSError as exc:
        ap.exit(2, f"{ap.prog}: error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}\n")
    shown = "[%s]" % host if ":" in host else host
    print("listening on http://%s:%d/" % (shown, port), flush=True)
    server.serve_forever(shutdown_timeout=args.shutdown_timeout)
    return 0


if __name__ == "__main__":
    sys.exit(main())

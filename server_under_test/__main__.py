"""``python -m server_under_test [--host H] [--port P] [--docroot DIR] [--broken NAME,...]``"""
from __future__ import annotations

import argparse
import os
import signal
import sys
from typing import List, Optional

from .broken import SWITCHES
from .server import Server


def main(argv: Optional[List[str]] = None, prog: str = "python -m server_under_test") -> int:
    ap = argparse.ArgumentParser(prog=prog, description="h1conform reference HTTP/1.1 server")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    ap.add_argument("--docroot", default=None, help="directory served as static files (default: fixtures/docroot)")
    ap.add_argument("--idle-timeout", type=float, default=5.0, help="keep-alive idle timeout in seconds")
    ap.add_argument(
        "--broken", action="append", default=[], metavar="NAME[,NAME...]",
        help="switch off one rule (repeatable); see --list-broken",
    )
    ap.add_argument("--list-broken", action="store_true", help="list the broken-server switches and exit")
    args = ap.parse_args(argv)
    if args.list_broken:
        for name, description in sorted(SWITCHES.items()):
            print("%s\t%s" % (name, description))
        return 0
    if not 0 <= args.port <= 65535:
        ap.error(f"--port {args.port} is outside 0-65535")
    if args.docroot is not None and not os.path.isdir(args.docroot):
        ap.error(f"--docroot {args.docroot}: not a directory")
    broken = {name.strip() for item in args.broken for name in item.split(",") if name.strip()}
    try:
        server = Server(args.host, args.port, docroot=args.docroot, broken=broken, idle_timeout=args.idle_timeout)
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
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())

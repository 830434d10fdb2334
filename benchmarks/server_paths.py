"""CPU time per request of the bundled server's own code paths, in process (no network, no load tool):
the parser, the app, and a connection (over a socketpair) with and without the static-file fast path.

    python benchmarks/server_paths.py                       # this checkout
    python benchmarks/server_paths.py --compare /path/to/other/checkout [--rounds 6]

With ``--compare`` both checkouts' ``server_under_test`` run in turn, in fresh processes, ``--rounds`` times
each, and the best (lowest) figure of each is printed side by side: process CPU time is steadier than req/s
on a shared machine, and alternating cancels drift.  Used for issue 13's "within 5% of before".
"""
from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCROOT = os.path.join(ROOT, "fixtures", "docroot")
GET = b"GET /index.html HTTP/1.1\r\nHost: t\r\nUser-Agent: x\r\nAccept: */*\r\n\r\n"
POST = b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello"
CHUNKED = b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5;x=1\r\nhello\r\n0\r\n\r\n"
COND = b"GET /index.html HTTP/1.1\r\nHost: t\r\nIf-None-Match: \"x\"\r\nRange: bytes=0-3\r\n\r\n"
MIX = GET + POST + CHUNKED + COND  # four requests


def _parse(n: int) -> float:
    from h1conform_server.parser import NEED_DATA, RequestParser

    p, data = RequestParser(), MIX * 50
    t = time.process_time()
    for _ in range(n // 200):
        p.feed(data)
        while p.next_event() is not NEED_DATA:
            pass
    return (time.process_time() - t) / n * 1e6


def _app(n: int) -> float:
    from h1conform_server.messages import Request
    from h1conform_server.routes import App

    app = App(DOCROOT)
    requests = [Request.from_parts(b"GET", b"/index.html", (1, 1), [(b"Host", b"t")]),
                Request.from_parts(b"POST", b"/echo", (1, 1), [(b"Host", b"t"), (b"Content-Length", b"5")], b"hello"),
                Request.from_parts(b"GET", b"/index.html", (1, 1), [(b"Host", b"t"), (b"Range", b"bytes=0-3")]),
                Request.from_parts(b"GET", b"/missing", (1, 1), [(b"Host", b"t")])]
    t = time.process_time()
    for _ in range(n // 4):
        for r in requests:
            app.handle(r)
    return (time.process_time() - t) / n * 1e6


def _drain(sock: socket.socket) -> None:
    try:
        while sock.recv(1 << 20):
            pass
    except BlockingIOError:
        pass


def _connection(n: int, static: bool) -> float:
    from h1conform_server.connection import Connection, ConnectionConfig
    from h1conform_server.routes import App
    from h1conform_server.static import StaticFiles

    app = App(DOCROOT)
    ours, peer = socket.socketpair()
    peer.setblocking(False)
    conn = Connection(ours, ConnectionConfig(app=app, static=StaticFiles(app) if static else None))
    batch = MIX * 10
    t = time.process_time()
    for _ in range(n // 40):
        peer.sendall(batch)
        conn.on_readable()
        while conn.want_write:
            _drain(peer)
            conn.on_writable()
        _drain(peer)
    return (time.process_time() - t) / n * 1e6


def measure() -> dict:
    return {"parser": _parse(20000), "app": _app(8000), "connection, static path": _connection(8000, True),
            "connection, app path": _connection(8000, False)}


def _run(checkout: str) -> dict:
    """One measurement in a fresh process, with *checkout*'s server_under_test imported as h1conform_server."""
    with tempfile.TemporaryDirectory() as tmp:
        os.symlink(os.path.join(os.path.abspath(checkout), "server_under_test"), os.path.join(tmp, "h1conform_server"))
        env = dict(os.environ, PYTHONPATH=tmp + os.pathsep + os.environ.get("PYTHONPATH", ""))
        out = subprocess.run([sys.executable, os.path.abspath(__file__), "--child"], env=env, check=True,
                             capture_output=True, text=True, timeout=300).stdout
    return {k: float(v) for k, v in (line.rsplit("=", 1) for line in out.splitlines() if "=" in line)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--compare", metavar="CHECKOUT", help="another checkout to measure side by side")
    ap.add_argument("--rounds", type=int, default=6, help="runs of each checkout; the best is kept (6)")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        for k, v in measure().items():
            print(f"{k}={v:.2f}")
        return 0
    trees = {"this": ROOT} if not args.compare else {"other": args.compare, "this": ROOT}
    best: dict = {}
    for _ in range(args.rounds):
        for name, path in trees.items():
            for k, v in _run(path).items():
                best.setdefault(k, {})[name] = min(best.get(k, {}).get(name, float("inf")), v)
    print(f"{'path':26}" + "".join(f"{n + ' µs/req':>16}" for n in trees) + ("      change" if args.compare else ""))
    for k, d in best.items():
        change = f"{(d['this'] / d['other'] - 1) * 100:+11.0f}%" if args.compare else ""
        print(f"{k:26}" + "".join(f"{d[n]:16.1f}" for n in trees) + change)
    return 0


if __name__ == "__main__":
    sys.exit(main())

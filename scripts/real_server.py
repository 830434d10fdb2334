"""Start a real HTTP server of the matrix (``h1conform.servers``) on a loopback port, and run the suite against it.

    python scripts/real_server.py nginx                 # the suite against Debian's nginx serving fixtures/docroot
    python scripts/real_server.py waitress --json r.json   # a PyPI server, from its own environment
    python scripts/real_server.py apache2 --with-echo   # the echo at /echo too; the suite gets --echo-path /echo
    python scripts/real_server.py serve lighttpd [--with-echo]   # print 127.0.0.1:PORT, serve until SIGINT/SIGTERM

``h1conform matrix`` runs several servers and compares each with its reviewed expectations; this script is for one
server at a time, with any ``h1conform run`` options after its name.
"""

from __future__ import annotations

import signal
import subprocess
import sys

from h1conform.errors import ServerUnavailable
from h1conform.servers import running


def run_suite(name: str, rest: list, echo: bool) -> int:
    with running(name, echo=echo) as srv:
        args = [sys.executable, "-m", "h1conform.cli", "run", "--target", srv.target]
        if srv.echo_path and "--echo-path" not in rest:
            args += ["--echo-path", srv.echo_path]
        return subprocess.call(args + rest)


def serve(name: str, echo: bool) -> int:
    """Print 127.0.0.1:PORT on stdout and keep the server up until SIGINT or SIGTERM (or until it exits)."""
    def interrupt(signum, _frame):
        raise KeyboardInterrupt

    for signum in (signal.SIGINT, signal.SIGTERM):  # SIGINT too: a background job may inherit it ignored
        signal.signal(signum, interrupt)
    with running(name, echo=echo) as srv:
        print(srv.target, flush=True)
        print(f"{name} serving on {srv.target} (log: {srv.log}); stop with Ctrl-C or SIGTERM", file=sys.stderr)
        try:
            code = srv.process.wait()  # ends on a signal (the handler raises) or when the server exits by itself
        except KeyboardInterrupt:
            return 0
        print(f"{name} exited by itself with code {code}", file=sys.stderr)
        return 1


def main(argv: list) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 2
    echo = "--with-echo" in argv
    argv = [a for a in argv if a != "--with-echo"]
    try:
        if argv[0] == "serve":
            if len(argv) != 2:
                raise SystemExit("usage: python scripts/real_server.py serve SERVER [--with-echo]")
            return serve(argv[1], echo)
        return run_suite(argv[0], argv[1:], echo)
    except ServerUnavailable as exc:
        print(f"real_server.py: {argv[-1] if argv[0] == 'serve' else argv[0]}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

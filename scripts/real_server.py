"""Start a real HTTP server on a loopback port and run the suite against it.

    python scripts/real_server.py waitress [h1conform run options...]
    python scripts/real_server.py gunicorn --json report.json
    python scripts/real_server.py nginx          # Debian's nginx serving fixtures/docroot
    python scripts/real_server.py serve lighttpd # print 127.0.0.1:PORT and serve until SIGINT/SIGTERM

Servers: waitress, gunicorn, cheroot (from PyPI) and bundled run a tiny WSGI app (``scripts/wsgi_app.py``):
a static page at ``/`` and an echo endpoint at ``/echo``.  nginx, apache2, lighttpd, caddy and h2o (Debian
packages) serve a copy of fixtures/docroot, from a throwaway temp prefix, with the config template
``fixtures/servers/<server>.conf`` (``$port``, ``$docroot`` and ``$tmp`` substituted).  The server is started
on a free port, the script waits until the port accepts connections (a readiness check with a deadline, not a
sleep), runs ``h1conform run --target``, stops the server and exits with the suite's exit code.  Known
deviations of each server live in ``fixtures/expectations/<server>.toml``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SERVERS = ROOT / "fixtures" / "servers"

WSGI = ("waitress", "gunicorn", "cheroot", "bundled")
# Debian-packaged servers: binary, arguments that keep it in the foreground with our config ($conf, $tmp)
NATIVE = {
    "nginx": ("nginx", ["-p", "$tmp", "-c", "$conf", "-e", "stderr"]),
    "apache2": ("apache2", ["-f", "$conf", "-DFOREGROUND"]),
    "lighttpd": ("lighttpd", ["-D", "-f", "$conf"]),
    "caddy": ("caddy", ["run", "--config", "$conf", "--adapter", "caddyfile"]),
    "h2o": ("h2o", ["-c", "$conf"]),
}
APT = {"nginx": "nginx-light (or nginx)"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wsgi_command(server: str, port: int) -> list:
    py = sys.executable
    if server == "waitress":
        return [py, "-m", "waitress", "--listen", f"127.0.0.1:{port}", "wsgi_app:app"]
    if server == "gunicorn":
        # gunicorn.app.wsgiapp.run is the console script's entry point (older releases have no __main__)
        return [py, "-c", "from gunicorn.app.wsgiapp import run; run()", "-b", f"127.0.0.1:{port}", "-w", "1",
                "--threads", "4", "wsgi_app:app"]
    if server == "cheroot":
        return [py, "-m", "cheroot", "--bind", f"127.0.0.1:{port}", "wsgi_app:app"]
    return [py, "-m", "h1conform_server", "--port", str(port)]


def native_command(server: str, port: int, tmp: str) -> list:
    """Write fixtures/servers/<server>.conf into tmp, with a docroot copy the server's workers can read."""
    name, args = NATIVE[server]
    binary = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")
    if not binary:
        raise SystemExit(f"{name} is not installed: apt-get install {APT.get(server, server)}")
    # servers started as root serve as www-data or nobody: the prefix and the copy must be world-readable
    os.chmod(tmp, 0o755)
    docroot = os.path.join(tmp, "docroot")
    shutil.copytree(ROOT / "fixtures" / "docroot", docroot)
    conf = os.path.join(tmp, f"{server}.conf")
    values = {"port": port, "docroot": docroot, "tmp": tmp, "conf": conf}
    template = string.Template((SERVERS / f"{server}.conf").read_text())
    Path(conf).write_text(template.safe_substitute(values))
    return [binary] + [string.Template(a).substitute(values) for a in args]


def wait_ready(port: int, proc: subprocess.Popen, deadline_s: float = 15.0) -> None:
    """Connect until the port answers, the process dies, or the deadline passes."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit(f"server exited early with code {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(min(0.05, max(0.0, end - time.monotonic())))  # poll interval of the readiness check
    raise SystemExit(f"server did not listen on 127.0.0.1:{port} within {deadline_s:g} s")


def stop(proc: subprocess.Popen, grace_s: float = 10.0) -> None:
    """SIGTERM, then SIGKILL to the server's own process group (its workers) after a bounded wait."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=grace_s)
            return
        except subprocess.TimeoutExpired:
            pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # the group exists while a worker is left
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=grace_s)


@contextlib.contextmanager
def running(server: str):
    """Start server on a free loopback port; yield (port, process, log file); stop it, remove its temp prefix."""
    if server not in WSGI and server not in NATIVE:
        raise SystemExit(f"unknown server {server!r}: choose one of {', '.join(WSGI + tuple(NATIVE))}")
    port = free_port()
    tmp = tempfile.mkdtemp(prefix=f"h1conform-{server}-")
    log = os.path.join(tmp, "server.log")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
               XDG_DATA_HOME=tmp, XDG_CONFIG_HOME=tmp)  # caddy's data and config folders
    try:
        argv = native_command(server, port, tmp) if server in NATIVE else wsgi_command(server, port)
        with open(log, "wb") as out:
            proc = subprocess.Popen(argv, cwd=HERE, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        try:
            try:
                wait_ready(port, proc)
            except SystemExit:
                sys.stderr.write(Path(log).read_text(errors="replace")[-4000:])
                raise
            yield port, proc, log
        finally:
            stop(proc)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_suite(server: str, rest: list) -> int:
    with running(server) as (port, _proc, _log):
        args = [sys.executable, "-m", "h1conform.cli", "run", "--target", f"127.0.0.1:{port}"]
        if server in WSGI:  # the WSGI app has an echo endpoint; the native servers serve files only
            args += ["--echo-path", "/echo"]
        expectations = ROOT / "fixtures" / "expectations" / f"{server}.toml"
        if expectations.exists() and "--deviations" not in rest:
            args += ["--deviations", str(expectations)]
        return subprocess.call(args + rest)


def serve(server: str) -> int:
    """Print 127.0.0.1:PORT on stdout and keep the server up until SIGINT or SIGTERM (or until it exits)."""
    def interrupt(signum, _frame):
        raise KeyboardInterrupt

    for signum in (signal.SIGINT, signal.SIGTERM):  # SIGINT too: a background job may inherit it ignored
        signal.signal(signum, interrupt)
    with running(server) as (port, proc, log):
        print(f"127.0.0.1:{port}", flush=True)
        print(f"{server} serving on 127.0.0.1:{port} (log: {log}); stop with Ctrl-C or SIGTERM", file=sys.stderr)
        try:
            code = proc.wait()  # ends on a signal (the handler raises) or when the server exits by itself
        except KeyboardInterrupt:
            return 0
        print(f"{server} exited by itself with code {code}", file=sys.stderr)
        return 1


def main(argv: list) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 2
    if argv[0] == "serve":
        if len(argv) != 2:
            raise SystemExit("usage: python scripts/real_server.py serve SERVER")
        return serve(argv[1])
    return run_suite(argv[0], argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

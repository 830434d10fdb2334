"""Start a real HTTP server from PyPI on a loopback port and run the suite against it.

    python scripts/real_server.py waitress [h1conform run options...]
    python scripts/real_server.py gunicorn --json report.json
    python scripts/real_server.py nginx          # Debian's nginx serving fixtures/docroot

The server runs a tiny WSGI app (``scripts/wsgi_app.py``): a static page at
``/`` and an echo endpoint at ``/echo``.  It is started on a free port, the
script waits until the port accepts connections (a readiness check with a
deadline, not a sleep), runs ``h1conform run --target``, stops the server and
exits with the suite's exit code.  Known deviations of each server live in
``fixtures/expectations/<server>.toml``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def command(server: str, port: int) -> list:
    py = sys.executable
    if server == "waitress":
        return [py, "-m", "waitress", "--listen", f"127.0.0.1:{port}", "wsgi_app:app"]
    if server == "gunicorn":
        # gunicorn.app.wsgiapp.run is the console script's entry point (older releases have no __main__)
        return [py, "-c", "from gunicorn.app.wsgiapp import run; run()", "-b", f"127.0.0.1:{port}", "-w", "1",
                "--threads", "4", "wsgi_app:app"]
    if server == "cheroot":
        return [py, "-m", "cheroot", "--bind", f"127.0.0.1:{port}", "wsgi_app:app"]
    if server == "nginx":
        return nginx_command(port)
    if server == "bundled":
        return [py, "-m", "h1conform_server", "--port", str(port)]
    raise SystemExit(f"unknown server {server!r}: choose waitress, gunicorn, cheroot, nginx or bundled")


NGINX_CONF = """
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {docroot};
        location / {{ }}
    }}
}}
"""


def nginx_command(port: int) -> list:
    """nginx from Debian (apt-get install nginx), serving fixtures/docroot from a throwaway prefix."""
    import shutil
    import tempfile

    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(binary):
        raise SystemExit("nginx is not installed: apt-get install nginx-light (or nginx)")
    tmp = tempfile.mkdtemp(prefix="h1conform-nginx-")
    conf = os.path.join(tmp, "nginx.conf")
    with open(conf, "w") as fh:
        fh.write(NGINX_CONF.format(tmp=tmp, port=port, docroot=ROOT / "fixtures" / "docroot"))
    return [binary, "-p", tmp, "-c", conf, "-e", "stderr"]


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


def main(argv: list) -> int:
    if not argv:
        print(__doc__)
        return 2
    server, rest = argv[0], argv[1:]
    port = free_port()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.Popen(command(server, port), cwd=HERE, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(port, proc)
        args = [sys.executable, "-m", "h1conform.cli", "run", "--target", f"127.0.0.1:{port}"]
        if server != "nginx":  # the WSGI app has an echo endpoint; nginx serves files only
            args += ["--echo-path", "/echo"]
        expectations = ROOT / "fixtures" / "expectations" / f"{server}.toml"
        if expectations.exists() and "--deviations" not in rest:
            args += ["--deviations", str(expectations)]
        return subprocess.call(args + rest)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Start a real HTTP server on a loopback port and run the suite against it.

    python scripts/real_server.py waitress [h1conform run options...]
    python scripts/real_server.py gunicorn --json report.json
    python scripts/real_server.py nginx          # Debian's nginx serving fixtures/docroot
    python scripts/real_server.py serve lighttpd # print 127.0.0.1:PORT and serve until SIGINT/SIGTERM
    python scripts/real_server.py apache2 --with-echo   # the CGI echo at /echo too; the suite gets --echo-path /echo
    python scripts/real_server.py serve lighttpd --with-echo

Servers: waitress, gunicorn, cheroot (from PyPI) and bundled run the shipped WSGI app
(``h1conform_fixtures.echo.wsgi:app``): a static page at ``/`` and an echo endpoint at ``/echo``; uvicorn and
hypercorn (from PyPI, when installed) run the same as ASGI (``h1conform_fixtures.echo.asgi:app``).  nginx,
apache2, lighttpd, caddy and h2o (Debian packages) serve a copy of fixtures/docroot, from a throwaway temp
prefix, with the config template ``fixtures/servers/<server>.conf`` (``$port``, ``$docroot``, ``$tmp`` and
``$echo`` substituted).  With ``--with-echo`` they also run the shipped CGI echo (``echo.cgi``, copied to
``$tmp/cgi-bin``) at ``/echo``: ``$echo`` becomes ``fixtures/servers/<server>-echo.conf`` (apache2: mod_cgid;
lighttpd: mod_cgi; nginx: fcgiwrap, started here as www-data; h2o: fcgiwrap spawned by h2o; caddy has no CGI),
and the suite is given ``--echo-path /echo``.  The server is started
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
ASGI = ("uvicorn", "hypercorn")
WSGI_APP = "h1conform_fixtures.echo.wsgi:app"
ASGI_APP = "h1conform_fixtures.echo.asgi:app"
# Debian-packaged servers: binary, arguments that keep it in the foreground with our config ($conf, $tmp)
NATIVE = {
    "nginx": ("nginx", ["-p", "$tmp", "-c", "$conf", "-e", "stderr"]),
    "apache2": ("apache2", ["-f", "$conf", "-DFOREGROUND"]),
    "lighttpd": ("lighttpd", ["-D", "-f", "$conf"]),
    "caddy": ("caddy", ["run", "--config", "$conf", "--adapter", "caddyfile"]),
    "h2o": ("h2o", ["-c", "$conf"]),
}
APT = {"nginx": "nginx-light (or nginx)"}
#: native servers that can run the CGI echo (fixtures/servers/<server>-echo.conf), and what else they need for it
ECHO_NEEDS = {"apache2": ["/usr/lib/apache2/modules/mod_cgid.so", "/usr/lib/apache2/modules/mod_alias.so"],
              "lighttpd": ["/usr/lib/lighttpd/mod_cgi.so"],  # mod_alias is built in
              "nginx": ["/usr/sbin/fcgiwrap"], "h2o": ["/usr/sbin/fcgiwrap"]}
NO_ECHO = {"caddy": "Debian's caddy 2.6 has no CGI or FastCGI-spawning module (its FastCGI transport needs a "
                    "FastCGI server beside it): run the WSGI/ASGI echo behind it, see docs/echo-endpoints.md"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wsgi_command(server: str, port: int) -> list:
    py = sys.executable
    if server == "waitress":
        return [py, "-m", "waitress", "--listen", f"127.0.0.1:{port}", WSGI_APP]
    if server == "gunicorn":
        # gunicorn.app.wsgiapp.run is the console script's entry point (older releases have no __main__)
        return [py, "-c", "from gunicorn.app.wsgiapp import run; run()", "-b", f"127.0.0.1:{port}", "-w", "1",
                "--threads", "4", WSGI_APP]
    if server == "cheroot":
        return [py, "-m", "cheroot", "--bind", f"127.0.0.1:{port}", WSGI_APP]
    if server == "uvicorn":
        return [py, "-m", "uvicorn", "--host", "127.0.0.1", "--port", str(port), "--no-access-log", ASGI_APP]
    if server == "hypercorn":
        return [py, "-m", "hypercorn", "--bind", f"127.0.0.1:{port}", ASGI_APP]
    return [py, "-m", "h1conform_server", "--port", str(port)]


def echo_unavailable(server: str):
    """Why ``server`` cannot run the CGI echo here, or None."""
    if server in NO_ECHO:
        return NO_ECHO[server]
    missing = [p for p in ECHO_NEEDS.get(server, []) if not os.path.exists(p)]
    if missing:
        return f"{server} --with-echo needs {', '.join(missing)}" + (
            " (apt-get install fcgiwrap)" if any("fcgiwrap" in m for m in missing) else "")
    return None


def install_cgi(tmp: str) -> str:
    """Copy the shipped CGI echo to tmp/cgi-bin/echo.cgi, readable and executable by the server's workers."""
    import h1conform_fixtures.echo

    cgi_bin = os.path.join(tmp, "cgi-bin")
    os.makedirs(cgi_bin, mode=0o755, exist_ok=True)
    os.chmod(cgi_bin, 0o755)
    script = os.path.join(cgi_bin, "echo.cgi")
    shutil.copyfile(h1conform_fixtures.echo.cgi_script(), script)
    os.chmod(script, 0o755)
    return script


def helper_commands(server: str, values: dict) -> list:
    """Processes that must run beside the server for its echo: nginx's FastCGI server (fcgiwrap)."""
    if server == "nginx" and values.get("fcgi_port"):
        return [["/usr/sbin/fcgiwrap", "-c", "4", "-s", f"tcp:127.0.0.1:{values['fcgi_port']}",
                 "-p", values["script"]]]
    return []


def native_command(server: str, port: int, tmp: str, with_echo: bool = False, values_out=None) -> list:
    """Write fixtures/servers/<server>.conf into tmp, with a docroot copy the server's workers can read (and, with
    echo, the CGI echo and fixtures/servers/<server>-echo.conf in place of ``$echo``)."""
    name, args = NATIVE[server]
    binary = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")
    if not binary:
        raise SystemExit(f"{name} is not installed: apt-get install {APT.get(server, server)}")
    # servers started as root serve as www-data or nobody: the prefix and the copy must be world-readable
    os.chmod(tmp, 0o755)
    docroot = os.path.join(tmp, "docroot")
    shutil.copytree(ROOT / "fixtures" / "docroot", docroot)
    conf = os.path.join(tmp, f"{server}.conf")
    values = {"port": port, "docroot": docroot, "tmp": tmp, "conf": conf, "echo": ""}
    if with_echo:
        why = echo_unavailable(server)
        if why:
            raise SystemExit(why)
        values["script"] = install_cgi(tmp)
        if server == "nginx":
            values["fcgi_port"] = free_port()
        snippet = string.Template((SERVERS / f"{server}-echo.conf").read_text())
        values["echo"] = snippet.safe_substitute(values).rstrip("\n")
    if values_out is not None:
        values_out.update(values)
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
            # what the leader forked and left behind in its group (fcgiwrap's preforked children): SIGTERM too
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGTERM)
            return
        except subprocess.TimeoutExpired:
            pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # the group exists while a worker is left
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=grace_s)


def has_echo(server: str, with_echo: bool) -> bool:
    """Does the started server answer at /echo?  The WSGI and ASGI apps always do; native servers with --with-echo."""
    return server in WSGI or server in ASGI or (with_echo and server in NATIVE)


@contextlib.contextmanager
def running(server: str, with_echo: bool = False):
    """Start server on a free loopback port; yield (port, process, log file); stop it, remove its temp prefix."""
    known = WSGI + ASGI + tuple(NATIVE)
    if server not in known:
        raise SystemExit(f"unknown server {server!r}: choose one of {', '.join(known)}")
    if server in ASGI:
        import importlib.util

        if importlib.util.find_spec(server) is None:
            raise SystemExit(f"{server} is not installed: pip install {server}")
    port = free_port()
    tmp = tempfile.mkdtemp(prefix=f"h1conform-{server}-")
    log = os.path.join(tmp, "server.log")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
               XDG_DATA_HOME=tmp, XDG_CONFIG_HOME=tmp)  # caddy's data and config folders
    helpers = []
    proc = None
    try:
        values = {}
        argv = (native_command(server, port, tmp, with_echo, values) if server in NATIVE
                else wsgi_command(server, port))
        with open(log, "wb") as out:
            for cmd in helper_commands(server, values):  # fcgiwrap runs the CGI as www-data, like the workers
                helper = subprocess.Popen(cmd, cwd=tmp, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                          stderr=subprocess.STDOUT, start_new_session=True,
                                          **({"user": "www-data", "group": "www-data", "extra_groups": []}
                                             if os.geteuid() == 0 else {}))
                helpers.append(helper)
                wait_ready(values["fcgi_port"], helper)
            proc = subprocess.Popen(argv, cwd=HERE, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_ready(port, proc)
        except SystemExit:
            sys.stderr.write(Path(log).read_text(errors="replace")[-4000:])
            raise
        yield port, proc, log
    finally:
        try:
            for p in ([proc] if proc is not None else []) + helpers:
                stop(p)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def run_suite(server: str, rest: list, with_echo: bool = False) -> int:
    with running(server, with_echo) as (port, _proc, _log):
        args = [sys.executable, "-m", "h1conform.cli", "run", "--target", f"127.0.0.1:{port}"]
        if has_echo(server, with_echo) and "--echo-path" not in rest:
            args += ["--echo-path", "/echo"]
        expectations = ROOT / "fixtures" / "expectations" / f"{server}.toml"
        if expectations.exists() and "--deviations" not in rest:
            args += ["--deviations", str(expectations)]
        return subprocess.call(args + rest)


def serve(server: str, with_echo: bool = False) -> int:
    """Print 127.0.0.1:PORT on stdout and keep the server up until SIGINT or SIGTERM (or until it exits)."""
    def interrupt(signum, _frame):
        raise KeyboardInterrupt

    for signum in (signal.SIGINT, signal.SIGTERM):  # SIGINT too: a background job may inherit it ignored
        signal.signal(signum, interrupt)
    with running(server, with_echo) as (port, proc, log):
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
    with_echo = "--with-echo" in argv
    argv = [a for a in argv if a != "--with-echo"]
    if argv[0] == "serve":
        if len(argv) != 2:
            raise SystemExit("usage: python scripts/real_server.py serve SERVER [--with-echo]")
        return serve(argv[1], with_echo)
    return run_suite(argv[0], argv[1:], with_echo)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

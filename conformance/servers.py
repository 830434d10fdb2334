"""The real servers of the matrix: each started on a free loopback port from a config kept in the package, with or
without its echo endpoint, behind a readiness check with a deadline; stopped with its whole process group.

Debian servers (nginx, apache2, lighttpd, caddy, h2o) serve a copy of ``fixtures/docroot`` with the template
``fixtures/servers/<name>.conf`` (``$port``, ``$docroot``, ``$tmp``, ``$echo`` substituted); with the echo, ``$echo``
becomes ``<name>-echo.conf``: the shipped CGI echo through apache2's mod_cgid, lighttpd's mod_cgi, fcgiwrap behind
nginx and h2o, and for caddy (whose Debian build has no CGI) a reverse proxy to the bundled server's ``/echo``.

Servers from PyPI run the shipped WSGI or ASGI echo app (a page at ``/``, the echo at ``/echo``) from their own
virtual environment, one per server at a pinned release, created on first use under :func:`envs_dir` and reused:
never installed into the environment h1conform runs in.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional, Tuple

import h1conform_fixtures
import h1conform_fixtures.echo

from .errors import ServerUnavailable

DEBIAN, PYPI, BUNDLED = "debian", "pypi", "bundled"
START_DEADLINE_S = 20.0
FCGIWRAP = "/usr/sbin/fcgiwrap"


@dataclass(frozen=True)
class RealServer:
    name: str
    kind: str
    #: Debian: the binary and the arguments that keep it in the foreground ($conf, $tmp); PyPI: the pinned release
    binary: str = ""
    args: Tuple[str, ...] = ()
    apt: str = ""
    requirement: str = ""
    #: PyPI: the command, run by the server's own Python in a folder holding the echo apps ($port)
    command: Tuple[str, ...] = ()
    #: files the echo needs beyond the server itself
    echo_needs: Tuple[str, ...] = ()

    @property
    def version_pin(self) -> str:
        return self.requirement.partition("==")[2]


def _debian(name, binary, args, apt="", echo_needs=()):
    return RealServer(name, DEBIAN, binary=binary, args=tuple(args), apt=apt or name, echo_needs=tuple(echo_needs))


def _pypi(name, requirement, *command):
    return RealServer(name, PYPI, requirement=requirement, command=command)


_WSGI, _ASGI = "h1conform_echo_wsgi:app", "h1conform_echo_asgi:app"
_TORNADO = ("import tornado.httpserver, tornado.ioloop, tornado.wsgi, h1conform_echo_wsgi as m; "
            "tornado.httpserver.HTTPServer(tornado.wsgi.WSGIContainer(m.app)).listen($port, '127.0.0.1'); "
            "tornado.ioloop.IOLoop.current().start()")
SERVERS = {s.name: s for s in (
    RealServer("bundled", BUNDLED),
    _debian("nginx", "nginx", ["-p", "$tmp", "-c", "$conf", "-e", "stderr"], "nginx-light", [FCGIWRAP]),
    _debian("apache2", "apache2", ["-f", "$conf", "-DFOREGROUND"], "",
            ["/usr/lib/apache2/modules/mod_cgid.so", "/usr/lib/apache2/modules/mod_alias.so"]),
    _debian("lighttpd", "lighttpd", ["-D", "-f", "$conf"], "", ["/usr/lib/lighttpd/mod_cgi.so"]),
    _debian("caddy", "caddy", ["run", "--config", "$conf", "--adapter", "caddyfile"]),
    _debian("h2o", "h2o", ["-c", "$conf"], "", [FCGIWRAP]),
    _pypi("waitress", "waitress==3.0.2", "-m", "waitress", "--listen", "127.0.0.1:$port", _WSGI),
    # gunicorn.app.wsgiapp.run is the console script's entry point; 16 threads: a request being read holds one
    _pypi("gunicorn", "gunicorn==27.0.1", "-c", "from gunicorn.app.wsgiapp import run; run()",
          "-b", "127.0.0.1:$port", "-w", "1", "--threads", "16", _WSGI),
    _pypi("cheroot", "cheroot==11.1.2", "-m", "cheroot", "--bind", "127.0.0.1:$port", _WSGI),
    _pypi("uvicorn", "uvicorn==0.54.0", "-m", "uvicorn", "--host", "127.0.0.1", "--port", "$port",
          "--no-access-log", _ASGI),
    _pypi("hypercorn", "hypercorn==0.18.0", "-m", "hypercorn", "--bind", "127.0.0.1:$port", _ASGI),
    _pypi("tornado", "tornado==6.6.1", "-c", _TORNADO),
    _pypi("twisted", "twisted==26.10.0", "-m", "twisted", "web", "--listen", "tcp:$port:interface=127.0.0.1",
          "--wsgi", "h1conform_echo_wsgi.app"),
)}
#: the servers of the matrix (the bundled one is the reference, not a column of its own)
MATRIX = tuple(name for name, s in SERVERS.items() if s.kind != BUNDLED)


def envs_dir() -> Path:
    """Where the PyPI servers' environments live: $H1CONFORM_SERVER_ENVS, else the user's cache folder."""
    explicit = os.environ.get("H1CONFORM_SERVER_ENVS")
    if explicit:
        return Path(explicit)
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache) / "h1conform" / "servers"


def server(name: str) -> RealServer:
    try:
        return SERVERS[name]
    except KeyError:
        raise ServerUnavailable(f"unknown server {name!r}: choose from {', '.join(SERVERS)}") from None


def _binary(s: RealServer) -> Optional[str]:
    return shutil.which(s.binary) or shutil.which(s.binary, path="/usr/sbin:/usr/bin")


def unavailable(name: str, *, echo: bool = False) -> Optional[str]:
    """Why ``name`` cannot run here (with its echo), or None.  PyPI servers are available wherever pip can install
    them; that is found out when their environment is made."""
    s = server(name)
    if s.kind == DEBIAN:
        if not _binary(s):
            return f"{s.binary} is not installed (apt-get install {s.apt})"
        missing = [p for p in s.echo_needs if not os.path.exists(p)] if echo else []
        if missing:
            hint = " (apt-get install fcgiwrap)" if FCGIWRAP in missing else ""
            return f"{name} with its echo needs {', '.join(missing)}{hint}"
        if echo and os.geteuid() == 0 and s.name != "caddy":
            import pwd

            try:
                pwd.getpwnam("www-data")
            except KeyError:
                return "no www-data user to run the CGI echo as"
    return None


def ensure_env(s: RealServer) -> str:
    """The Python of ``s``'s own environment, made on first use (a lock keeps parallel callers from racing)."""
    home = envs_dir() / f"{s.name}-{s.version_pin}-py{sys.version_info[0]}{sys.version_info[1]}"
    python = home / "bin" / "python"
    done = home / ".h1conform-ready"
    if done.exists():
        return str(python)
    try:
        home.parent.mkdir(parents=True, exist_ok=True)
        lock = open(str(home) + ".lock", "w")
    except OSError as exc:
        raise ServerUnavailable(f"cannot install {s.requirement}: {home.parent} is not writable ({exc.strerror}); "
                                "set H1CONFORM_SERVER_ENVS to a folder that is") from None
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if done.exists():
            return str(python)
        shutil.rmtree(home, ignore_errors=True)
        own_pip = subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True).returncode == 0
        steps = ([[sys.executable, "-m", "venv", "--without-pip", str(home)],
                  [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                   "--disable-pip-version-check", s.requirement]] if own_pip else
                 [[sys.executable, "-m", "venv", str(home)],
                  [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", s.requirement]])
        for step in steps:
            try:
                r = subprocess.run(step, capture_output=True, text=True, timeout=300)
            except subprocess.TimeoutExpired:
                raise ServerUnavailable(f"installing {s.requirement} took over 300 s") from None
            if r.returncode != 0:
                lines = [ln for ln in (r.stderr or r.stdout).splitlines() if ln.strip()] or ["(no output)"]
                raise ServerUnavailable(f"cannot install {s.requirement} into {home}: {lines[-1].strip()}")
        done.write_text(s.requirement + "\n")
    return str(python)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(port: int, proc: subprocess.Popen, log: str, deadline_s: float = START_DEADLINE_S) -> None:
    """Connect until the port answers, the process dies, or the deadline passes (a readiness check, not a sleep)."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise ServerUnavailable(f"exited with code {proc.returncode} at start: {_tail(log)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(min(0.05, max(0.0, end - time.monotonic())))  # the readiness check's poll interval
    raise ServerUnavailable(f"did not listen on 127.0.0.1:{port} within {deadline_s:g} s: {_tail(log)}")


def _tail(log: str) -> str:
    try:
        lines = [ln for ln in Path(log).read_text(errors="replace").splitlines() if ln.strip()]
    except OSError:
        return "(no log)"
    return lines[-1].strip()[:300] if lines else "(nothing logged)"


def stop(proc: subprocess.Popen, grace_s: float = 10.0) -> None:
    """SIGTERM, then SIGKILL to the server's own process group (its workers) after a bounded wait."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=grace_s)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGTERM)  # what the leader forked and left in its group (fcgiwrap's)
            return
        except subprocess.TimeoutExpired:
            pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=grace_s)


@dataclass
class Running:
    name: str
    port: int
    echo_path: Optional[str]
    log: str
    process: subprocess.Popen

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.port}"


def _template(name: str) -> string.Template:
    return string.Template(h1conform_fixtures.path("servers", name).read_text())


def _debian_setup(s: RealServer, port: int, tmp: str, echo: bool, env: dict):
    """Write the config into tmp with a docroot copy the workers can read; the command and its helper commands."""
    os.chmod(tmp, 0o755)  # servers started as root serve as www-data or nobody
    docroot = os.path.join(tmp, "docroot")
    shutil.copytree(str(h1conform_fixtures.path("docroot")), docroot)
    conf = os.path.join(tmp, f"{s.name}.conf")
    values = {"port": port, "docroot": docroot, "tmp": tmp, "conf": conf, "echo": ""}
    helpers = []
    if echo:
        cgi_bin = os.path.join(tmp, "cgi-bin")
        os.makedirs(cgi_bin, mode=0o755)
        os.chmod(cgi_bin, 0o755)
        script = os.path.join(cgi_bin, "echo.cgi")
        shutil.copyfile(str(h1conform_fixtures.echo.cgi_script()), script)
        os.chmod(script, 0o755)
        values["helper_port"] = free_port()
        as_www = {"user": "www-data", "group": "www-data", "extra_groups": []} if os.geteuid() == 0 else {}
        if s.name == "nginx":  # nginx's FastCGI server, running the CGI as the workers do
            helpers.append(([FCGIWRAP, "-c", "4", "-s", f"tcp:127.0.0.1:{values['helper_port']}", "-p", script],
                            as_www))
        elif s.name == "caddy":  # the bundled server's /echo behind caddy's reverse proxy
            helpers.append(([sys.executable, "-m", "h1conform_server", "--host", "127.0.0.1",
                             "--port", str(values["helper_port"])], {}))
        values["echo"] = _template(f"{s.name}-echo.conf").safe_substitute(values).rstrip("\n")
    Path(conf).write_text(_template(f"{s.name}.conf").safe_substitute(values))
    env.update(XDG_DATA_HOME=tmp, XDG_CONFIG_HOME=tmp)  # caddy's data and config folders
    return [_binary(s)] + [string.Template(a).substitute(values) for a in s.args], helpers, values


def _echo_apps(tmp: str) -> None:
    """The shipped WSGI and ASGI echo apps (standard library only) as top-level modules in tmp."""
    here = Path(h1conform_fixtures.echo.__file__).resolve().parent
    for kind in ("wsgi", "asgi"):
        shutil.copyfile(str(here / f"{kind}.py"), os.path.join(tmp, f"h1conform_echo_{kind}.py"))


@contextlib.contextmanager
def running(name: str, *, echo: bool = False) -> Iterator[Running]:
    """Start ``name`` on a free loopback port (with its echo endpoint at /echo); stop it and remove its temp
    prefix on the way out.  Raises :class:`ServerUnavailable` with one line saying why it could not start."""
    s = server(name)
    why = unavailable(name, echo=echo)
    if why:
        raise ServerUnavailable(why)
    port = free_port()
    tmp = tempfile.mkdtemp(prefix=f"h1conform-{name}-")
    log = os.path.join(tmp, "server.log")
    env = dict(os.environ)
    started = []
    try:
        helpers, values = [], {}
        if s.kind == DEBIAN:
            argv, helpers, values = _debian_setup(s, port, tmp, echo, env)
        elif s.kind == PYPI:
            python = ensure_env(s)
            _echo_apps(tmp)
            env["PYTHONPATH"] = tmp
            argv = [python] + [string.Template(a).substitute(port=port) for a in s.command]
        else:
            argv = [sys.executable, "-m", "h1conform_server", "--host", "127.0.0.1", "--port", str(port)]
        with open(log, "wb") as out:
            for cmd, user in helpers:
                helper = subprocess.Popen(cmd, cwd=tmp, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                          stderr=subprocess.STDOUT, start_new_session=True, **user)
                started.append(helper)
                wait_ready(values["helper_port"], helper, log)
            proc = subprocess.Popen(argv, cwd=tmp, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True)
            started.insert(0, proc)
        wait_ready(port, proc, log)
        # the Python apps always serve /echo: without the echo, the suite is just not told of it
        yield Running(name, port, "/echo" if echo else None, log, proc)
    finally:
        try:
            for p in started:
                stop(p)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

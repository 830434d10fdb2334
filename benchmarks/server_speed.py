"""Requests per second of the bundled server against cheroot and a naive thread-per-connection server.

    python benchmarks/server_speed.py [--duration 10] [--servers bundled,cheroot,naive] [--no-pin]

Every server runs in its own process and serves the same small file (``/index.html`` of a temporary copy of
``fixtures/docroot``) on a free loopback port.  Three loads, each measured once per server:

- ``ka-5``: ``wrk -t1 -c5`` (keep-alive, 5 connections)
- ``ka-500``: ``wrk -t1 -c500`` (keep-alive, 500 connections; socket errors and timeouts are counted)
- ``no-ka``: ``ab -c20`` (HTTP/1.0, a new connection per request)

On a machine with at least two CPUs the server is pinned to CPU 0 and the load generator to CPU 1, so the
numbers compare servers, not scheduling luck.  ``wrk`` and ``ab`` come from Debian (``apt-get install wrk
apache2-utils``); a load whose tool is missing is reported as skipped, and the script exits 3 if nothing could
be measured.  Both competitors get their best case: the file is read once at start-up and kept in memory.

Targets (issue 3): ka-5 >= 3x cheroot; no-ka >= 1.5x naive; ka-500 with zero socket errors and timeouts.
Besides req/s the table shows the server's CPU time per request (Linux): on a busy machine, where other
processes take turns on the server's CPU, that ratio is the steadier one.  ``--repeat N`` keeps the best of
N runs of each load.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from typing import Dict, List, Optional, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCROOT = os.path.join(ROOT, "fixtures", "docroot")
FILE = "/index.html"
LOADS = ("ka-5", "ka-500", "no-ka")


# ------------------------------------------------------------------ competitors (run in a child process)
def serve_cheroot(docroot: str) -> None:
    from cheroot import wsgi

    with open(os.path.join(docroot, FILE.lstrip("/")), "rb") as f:
        body = f.read()
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))]

    def app(environ, start_response):
        if environ["PATH_INFO"] != FILE:
            start_response("404 Not Found", [("Content-Length", "0")])
            return [b""]
        start_response("200 OK", headers)
        return [body]

    server = wsgi.Server(("127.0.0.1", 0), app, request_queue_size=1024)
    server.prepare()
    print("listening on http://127.0.0.1:%d/" % server.bind_addr[1], flush=True)
    server.serve()


def serve_naive(docroot: str) -> None:
    """The classic first HTTP server: accept, one thread per connection, keep-alive for HTTP/1.1."""
    with open(os.path.join(docroot, FILE.lstrip("/")), "rb") as f:
        body = f.read()
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    print("listening on http://127.0.0.1:%d/" % listener.getsockname()[1], flush=True)

    def handle(conn: socket.socket) -> None:
        buf = b""
        with conn:
            conn.settimeout(10)
            try:
                while True:
                    while b"\r\n\r\n" not in buf:
                        data = conn.recv(65536)
                        if not data:
                            return
                        buf += data
                    head, _, buf = buf.partition(b"\r\n\r\n")
                    lower = head.lower()
                    keep = lower.split(b"\r\n", 1)[0].endswith(b"http/1.1") and b"connection: close" not in lower
                    keep = keep or b"connection: keep-alive" in lower
                    conn.sendall(
                        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\nConnection: %s\r\n\r\n%s"
                        % (len(body), b"keep-alive" if keep else b"close", body)
                    )
                    if not keep:
                        return
            except OSError:
                return

    while True:
        conn, _ = listener.accept()
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


# ------------------------------------------------------------------ driver
def start(kind: str, docroot: str, cpu: Optional[int], extra: List[str]) -> Tuple[subprocess.Popen, int]:
    if kind == "bundled":
        args = [sys.executable, "-m", "h1conform_server", "--port", "0", "--docroot", docroot] + extra
    else:
        args = [sys.executable, os.path.abspath(__file__), "--serve", kind, "--docroot", docroot]
    preexec = (lambda: os.sched_setaffinity(0, {cpu})) if cpu is not None else None
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, preexec_fn=preexec)
    assert proc.stdout is not None
    line = proc.stdout.readline().decode()
    m = re.search(r":(\d+)/", line)
    if not m:
        proc.kill()
        sys.exit("%s did not start: %r" % (kind, line))
    return proc, int(m.group(1))


def run_tool(args: List[str], cpu: Optional[int], timeout: float) -> str:
    preexec = (lambda: os.sched_setaffinity(0, {cpu})) if cpu is not None else None
    proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout, preexec_fn=preexec)
    return proc.stdout + proc.stderr


def cpu_seconds(pid: int) -> Optional[float]:
    """User + system CPU time of a process (Linux /proc), or None."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def measure(load: str, port: int, duration: int, cpu: Optional[int], pid: int) -> Dict[str, object]:
    before = cpu_seconds(pid)
    result = run_load(load, port, duration, cpu)
    after = cpu_seconds(pid)
    if before is not None and after is not None and result.get("requests"):
        result["cpu_us"] = 1e6 * (after - before) / float(result["requests"])  # type: ignore[arg-type]
    return result


def run_load(load: str, port: int, duration: int, cpu: Optional[int]) -> Dict[str, object]:
    url = "http://127.0.0.1:%d%s" % (port, FILE)
    if load.startswith("ka-"):
        if not shutil.which("wrk"):
            return {"skipped": "wrk not installed (apt-get install wrk)"}
        conns = load[3:]
        out = run_tool(["wrk", "-t1", "-c" + conns, "-d%ds" % duration, "--timeout", "2s", url], cpu, duration + 30)
        rps = re.search(r"Requests/sec:\s*([\d.]+)", out)
        errs = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        total = re.search(r"(\d+) requests in", out)
        socket_errors = sum(int(x) for x in errs.groups()[:3]) if errs else 0
        return {
            "rps": float(rps.group(1)) if rps else 0.0,
            "errors": socket_errors + (int(non2xx.group(1)) if non2xx else 0),
            "timeouts": int(errs.group(4)) if errs else 0,
            "requests": int(total.group(1)) if total else 0,
            "raw": out if not rps else "",
        }
    if not shutil.which("ab"):
        return {"skipped": "ab not installed (apt-get install apache2-utils)"}
    out = run_tool(["ab", "-q", "-r", "-c", "20", "-t", str(duration), "-n", "10000000", url], cpu, duration + 60)
    rps = re.search(r"Requests per second:\s*([\d.]+)", out)
    failed = re.search(r"Failed requests:\s*(\d+)", out)
    non2xx = re.search(r"Non-2xx responses:\s*(\d+)", out)
    total = re.search(r"Complete requests:\s*(\d+)", out)
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "errors": (int(failed.group(1)) if failed else 0) + (int(non2xx.group(1)) if non2xx else 0),
        "timeouts": 0,
        "requests": int(total.group(1)) if total else 0,
        "raw": out if not rps else "",
    }


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration", type=int, default=10, help="seconds per load (default 10)")
    ap.add_argument("--servers", default="bundled,cheroot,naive")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each load; the best is kept (default 1)")
    ap.add_argument("--loads", default=",".join(LOADS))
    ap.add_argument("--bundled-args", default="", help="extra options for the bundled server, e.g. '--workers 4'")
    ap.add_argument("--no-pin", action="store_true", help="do not pin the server and the load generator to CPUs")
    ap.add_argument("--serve", choices=("cheroot", "naive"), help=argparse.SUPPRESS)
    ap.add_argument("--docroot", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.serve:
        (serve_cheroot if args.serve == "cheroot" else serve_naive)(args.docroot)
        return 0
    missing = [tool for tool in ("wrk", "ab") if not shutil.which(tool)]
    if missing:
        print("NOTE: %s missing: install with `apt-get install -y wrk apache2-utils`; those loads are skipped"
              % " and ".join(missing))
    pin = not args.no_pin and hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) >= 2
    server_cpu, tool_cpu = (0, 1) if pin else (None, None)
    servers = [s for s in args.servers.split(",") if s]
    loads = [x for x in args.loads.split(",") if x]
    results: Dict[Tuple[str, str], Dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        docroot = os.path.join(tmp, "docroot")
        shutil.copytree(DOCROOT, docroot)
        for kind in servers:
            if kind == "cheroot":
                try:
                    import cheroot  # noqa: F401
                except ImportError:
                    print("NOTE: cheroot not installed (pip install cheroot); skipped")
                    continue
            proc, port = start(kind, docroot, server_cpu, args.bundled_args.split())
            try:
                for load in loads:
                    for _ in range(args.repeat):
                        r = measure(load, port, args.duration, tool_cpu, proc.pid)
                        if r.get("raw"):
                            print("%s %s: could not parse the tool's output:\n%s" % (kind, load, r["raw"]))
                        best = results.get((kind, load))
                        if best is None or float(r.get("rps", 0)) > float(best.get("rps", 0)):  # type: ignore
                            results[kind, load] = r
            finally:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
    print("cpus: %s  pinned: %s  duration: %d s per load  file: %s"
          % (os.cpu_count(), "server cpu 0, tool cpu 1" if pin else "no", args.duration, FILE))
    print("%-8s %-8s %10s %8s %9s %12s" % ("server", "load", "req/s", "errors", "timeouts", "cpu us/req"))
    for (kind, load), r in results.items():
        if "skipped" in r:
            print("%-8s %-8s  skipped: %s" % (kind, load, r["skipped"]))
        else:
            cpu_us = "%.0f" % r["cpu_us"] if "cpu_us" in r else "-"
            print("%-8s %-8s %10.0f %8d %9d %12s" % (kind, load, r["rps"], r["errors"], r["timeouts"], cpu_us))
    measured = {k: r for k, r in results.items() if "rps" in r}
    if not measured:
        return 3

    def ratio(load: str, other: str) -> Optional[float]:
        a, b = measured.get(("bundled", load)), measured.get((other, load))
        return float(a["rps"]) / float(b["rps"]) if a and b and b["rps"] else None  # type: ignore[arg-type]

    def cpu_ratio(load: str, other: str) -> str:
        a, b = measured.get(("bundled", load)), measured.get((other, load))
        if a and b and a.get("cpu_us") and b.get("cpu_us"):
            return "; server CPU per request: %.2fx less" % (float(b["cpu_us"]) / float(a["cpu_us"]))  # type: ignore
        return ""

    verdicts = []
    r = ratio("ka-5", "cheroot")
    if r is not None:
        verdicts.append(("ka-5 vs cheroot: %.2fx (target >= 3x)%s" % (r, cpu_ratio("ka-5", "cheroot")), r >= 3))
    r = ratio("no-ka", "naive")
    if r is not None:
        verdicts.append(("no-ka vs naive: %.2fx (target >= 1.5x)%s" % (r, cpu_ratio("no-ka", "naive")), r >= 1.5))
    big = measured.get(("bundled", "ka-500"))
    if big:
        bad = int(big["errors"]) + int(big["timeouts"])  # type: ignore[arg-type]
        verdicts.append(("ka-500 errors+timeouts: %d (target 0)" % bad, bad == 0))
    for text, ok in verdicts:
        print("%s  %s" % ("MET " if ok else "MISS", text))
    return 0 if all(ok for _, ok in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())

"""The report formats (h1conform.reports): the JSON with the wire and its schema, the self-contained HTML, the pcap
(read back by tshark where it is installed), ``h1conform diff``, the progress line, and bad output paths."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import struct
import subprocess
import sys

import pytest
from h1conform.cases import REGISTRY, Result
from h1conform.catalog import load_cases
from h1conform.cli import main
from h1conform.client import Event, Transcript
from h1conform.reports import FORMATS, RunInfo
from h1conform.reports.diff import diff
from h1conform.reports.html import report_html
from h1conform.reports.json import schema_path
from h1conform.reports.progress import wanted
from h1conform.wire import WireEvent, capture

CLI = [sys.executable, "-m", "h1conform.cli"]
jsonschema = pytest.importorskip("jsonschema")


def run(*args, timeout=120, **kw):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout, **kw)


def _validate(report: dict) -> None:
    with open(schema_path(), encoding="utf-8") as fh:
        schema = json.load(fh)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(report, schema, cls=jsonschema.Draft202012Validator)


def test_the_json_has_every_case_s_wire_and_matches_its_schema(reports):
    assert reports.returncode == 1, reports.stdout  # the MUST failure
    report = json.loads(reports.path("json").read_text())
    _validate(report)
    assert report["report_version"] == 2 and report["address"]["port"] == reports.port
    cases = {c["id"]: c for c in report["cases"]}
    assert {c["outcome"] for c in cases.values()} >= {"fail", "warn", "info", "pass", "skip"}
    for c in cases.values():
        if c["outcome"] == "skip":
            continue
        dirs = [e["dir"] for e in c["transcript"]]
        assert dirs[0] == "open" and "send" in dirs and "recv" in dirs and dirs[-1] == "close", (c["id"], dirs)
        assert [e["t"] for e in c["transcript"]] == sorted(e["t"] for e in c["transcript"])
        assert c["transcript_text"].startswith("transcript (")
    sent = b"".join(base64.b64decode(e["data"]) for e in cases["smuggle-bare-lf-one-field"]["transcript"]
                    if e["dir"] == "send" and e["conn"] == 1)
    assert sent.startswith(b"GET ") and b"\n" in sent.replace(b"\r\n", b"")  # the exact bytes, bare LF included
    assert cases["persist-http10-keep-alive"]["branch"] and cases["persist-http10-keep-alive"]["branch_means"]


def test_a_case_s_wire_is_held_to_its_byte_budget_and_says_what_was_cut():
    tr = Transcript("t", opened=100.0, closed=0.5)
    tr.events = [Event(0.1, "send", b"x" * 10), Event(0.2, "recv", b"y" * 100), Event(0.3, "recv", b"z" * 50),
                 Event(0.4, "end", note="limit (more than 160 bytes)")]
    events = capture([tr], start=99.0, budget=60)
    assert [e.dir for e in events] == ["open", "send", "recv", "recv", "limit", "close"]
    assert [len(e.data) for e in events] == [0, 10, 50, 0, 0, 0] and [e.truncated for e in events][2:4] == [50, 50]
    assert events[0].t == 1.0 and events[-1].t == 1.5 and events[4].note == "more than 160 bytes"
    assert WireEvent.from_json(events[2].as_json()) == events[2]


def _result(case_id: str, outcome: str, wire) -> Result:
    return Result(case=REGISTRY[case_id], outcome=outcome, expected="e <x>", actual="a & b", wire=wire,
                  started=1_700_000_000.0)


def test_the_html_is_self_contained_and_escapes_and_shows_control_bytes():
    load_cases()
    nasty = b"GET /<script>alert(1)</script> HTTP/1.1\r\nX: a\rb\t\x00\xff\n\r\n"
    wire = [WireEvent(1, 0.0, "open"), WireEvent(1, 0.01, "send", nasty), WireEvent(1, 0.02, "eof")]
    results = [_result("persist-http11-default", "fail", wire), _result("persist-http10-keep-alive", "pass", [])]
    page = report_html(results, RunInfo(target="http://127.0.0.1:1/"))
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for shown in ("\\r\\n", "\\r", "\\t", "\\x00", "\\xff", "\\n"):
        assert f"<span class=c>{shown}</span>" in page, shown
    assert "e &lt;x&gt;" in page and "a &amp; b" in page
    for case_id in ("persist-http11-default", "persist-http10-keep-alive"):
        assert f"id='{case_id}'" in page


def test_the_html_report_loads_nothing_from_anywhere(reports):
    page = reports.path("html").read_text(encoding="utf-8")
    assert "<link" not in page and "@import" not in page and "url(" not in page
    assert not re.search(r"<(script|img|iframe|object|embed|source)[^>]*\ssrc=", page)
    links = re.findall(r"""(?:href|src)=['"]?([^'" >]+)""", page)
    external = [u for u in links if re.match(r"(?i)[a-z]+:", u)]
    assert external and all(u.startswith("https://www.rfc-editor.org/rfc/rfc91") for u in external), external
    report = json.loads(reports.path("json").read_text())
    assert all(f"id='{c['id']}'" in page for c in report["cases"])


def _read_pcap(data: bytes):
    magic, major, minor, _, _, snaplen, link = struct.unpack_from("<IHHiIII", data)
    assert (magic, major, minor, link) == (0xA1B2C3D4, 2, 4, 1)
    i, out = 24, []
    while i < len(data):
        sec, usec, incl, orig = struct.unpack_from("<IIII", data, i)
        out.append((sec * 1_000_000 + usec, data[i + 16:i + 16 + incl]))
        i += 16 + incl
    return out


def _ones(data: bytes) -> int:
    data += b"\x00" * (len(data) % 2)
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def test_the_pcap_is_time_ordered_tcp_with_right_checksums_one_stream_per_connection(reports):
    packets = _read_pcap(reports.path("pcap").read_bytes())
    assert [t for t, _ in packets] == sorted(t for t, _ in packets)
    streams = {}
    for _, frame in packets:
        ip, tcp = frame[14:34], frame[34:]
        assert frame[12:14] == b"\x08\x00" and _ones(ip) == 0xFFFF  # IPv4, header checksum right
        pseudo = ip[12:20] + struct.pack("!BBH", 0, 6, len(tcp))
        assert _ones(pseudo + tcp) == 0xFFFF  # TCP checksum right
        sport, dport = struct.unpack("!HH", tcp[:4])
        streams.setdefault(sport if dport == 80 else dport, []).append(tcp[13])
    report = json.loads(reports.path("json").read_text())
    conns = sum(len({e["conn"] for e in c["transcript"]}) for c in report["cases"])
    assert len(streams) == conns
    assert all(flags[0] == 0x02 and flags[1] == 0x12 for flags in streams.values())  # SYN, SYN-ACK first


@pytest.mark.skipif(shutil.which("tshark") is None, reason="tshark is not installed (apt-get install tshark)")
def test_tshark_dissects_the_pcap_as_http(reports):
    r = subprocess.run(["tshark", "-r", str(reports.path("pcap")), "-Y", "http.request", "-T", "fields",
                        "-e", "tcp.stream", "-e", "http.request.method"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    rows = [line.split("\t") for line in r.stdout.splitlines()]
    report = json.loads(reports.path("json").read_text())
    ran = [c for c in report["cases"] if c["transcript"]]
    assert len(rows) >= len(ran) and len({s for s, _ in rows}) >= len(ran)
    assert {m for _, m in rows} >= {"GET"}


def _report(path, cases):
    path.write_text(json.dumps({"tool": "h1conform", "report_version": 2, "cases": cases}))
    return str(path)


def test_diff_names_new_failures_fixes_and_changed_branches(tmp_path):
    old = _report(tmp_path / "old.json", [
        {"id": "a-must", "level": "MUST", "outcome": "pass"}, {"id": "b-should", "level": "SHOULD", "outcome": "warn"},
        {"id": "c-may", "level": "MAY", "outcome": "info", "branch": "closes"},
        {"id": "d-gone", "level": "MUST", "outcome": "pass"}])
    new = _report(tmp_path / "new.json", [
        {"id": "a-must", "level": "MUST", "outcome": "fail", "actual": "kept open"},
        {"id": "b-should", "level": "SHOULD", "outcome": "pass"},
        {"id": "c-may", "level": "MAY", "outcome": "info", "branch": "persists"},
        {"id": "e-new", "level": "SHOULD", "outcome": "pass"}])
    r = run("diff", old, new)
    assert r.returncode == 1, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "NEW FAIL a-must [MUST] pass -> fail: kept open"
    assert "FIXED    b-should [SHOULD] warn -> pass" in lines and "BRANCH   c-may [MAY] closes -> persists" in lines
    assert "ADDED    e-new [SHOULD] pass" in lines and "REMOVED  d-gone [MUST] was pass" in lines
    assert lines[-1].startswith("h1conform diff: 1 new failures (1 MUST), 0 new warnings, 1 fixed")
    assert diff(new, new)[1] == 0
    should = _report(tmp_path / "should.json", [{"id": "b-should", "level": "SHOULD", "outcome": "fail"}])
    assert diff(old, should)[1] == 0  # a SHOULD case failing (--strict) is not a MUST failure


@pytest.mark.parametrize("content", [None, "{not json", '{"tool": "other"}', '{"tool": "h1conform", "cases": [{}]}'])
def test_diff_of_an_unreadable_report_is_one_line_exit_2(tmp_path, content, capsys):
    bad = tmp_path / "bad.json"
    if content is not None:
        bad.write_text(content)
    good = _report(tmp_path / "good.json", [])
    assert main(["diff", good, str(bad)]) == 2
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and "bad.json" in err and not out


def test_diff_reads_the_run_s_own_report(reports):
    path = str(reports.path("json"))
    assert diff(path, path) == ([
        "h1conform diff: 0 new failures (0 MUST), 0 new warnings, 0 fixed, 0 other outcome changes, "
        "0 changed branches, 0 added cases, 0 removed cases"], 0)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_a_report_path_that_cannot_be_written_is_refused_before_the_run(tmp_path, name):
    (tmp_path / "file").write_text("")
    r = run("run", f"--{name}", str(tmp_path / "file" / "r.out"))
    assert r.returncode == 2 and f"--{name}" in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert "cases against" not in r.stdout and "calibration" not in r.stdout


def test_the_plugin_writes_every_format_through_the_same_interface(tmp_path):
    paths = {name: tmp_path / "out" / f"r.{name}" for name in FORMATS}
    base = [sys.executable, "-m", "pytest", "--pyargs", "h1conform", "-p", "no:cacheprovider", "-q",
            "-k", "persist-http11-default"]
    argv = [*base, *(a for n, p in paths.items() for a in (f"--h1-{n}", str(p)))]
    r = subprocess.run(argv, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    report = json.loads(paths["json"].read_text())
    _validate(report)
    assert [c["id"] for c in report["cases"]] == ["persist-http11-default"]
    assert "id='persist-http11-default'" in paths["html"].read_text() and "<testsuite" in paths["junit"].read_text()
    assert len(_read_pcap(paths["pcap"].read_bytes())) > 5
    r = subprocess.run([*base, "--h1-html", str(tmp_path / "out" / "r.json" / "x.html")], capture_output=True,
                       text=True, timeout=120, cwd=tmp_path)
    assert r.returncode == 4 and "--h1-html" in r.stderr and "Traceback" not in r.stderr


def _run_in_pty(argv, env, deadline_s=60.0) -> bytes:
    import pty
    import select
    import time

    master, slave = pty.openpty()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    out, deadline = b"", time.monotonic() + deadline_s
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            try:
                data = os.read(master, 65536)
            except OSError:  # the child closed the pty
                break
            if not data:
                break
            out += data
    finally:
        os.close(master)
        proc.kill() if proc.poll() is None else None
        proc.wait(timeout=10)
    return out


def test_the_progress_line_is_for_a_terminal_only():
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["TERM"] = "xterm"
    argv = [*CLI, "run", "--select", "persist-http11-*"]
    out = _run_in_pty(argv, env).decode("utf-8", "replace")
    assert re.search(r"\r\[1/\d+\] \d+\.\d s  persist-http11-", out), out
    assert "\r\x1b[K" in out  # cleared ...
    assert out.rstrip().splitlines()[-1].startswith("h1conform: ")  # ... before the summary, which is last
    assert "\r[" not in out.split("\r\x1b[K")[-1]
    piped = run("run", "--select", "persist-http11-*", env=env)
    assert piped.returncode == 0 and "\r[" not in piped.stderr + piped.stdout and "\x1b[K" not in piped.stderr


class _Tty:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize("verbose, out, err, environ, shown", [
    (False, True, True, {}, True), (True, True, True, {}, False), (False, False, True, {}, False),
    (False, True, False, {}, False), (False, True, True, {"CI": "true"}, False),
    (False, True, True, {"TERM": "dumb"}, False)])
def test_the_progress_line_is_never_in_verbose_runs_pipes_or_ci(verbose, out, err, environ, shown):
    assert wanted(verbose=verbose, stdout=_Tty(out), stderr=_Tty(err), environ=environ) is shown

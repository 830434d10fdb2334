"""The network fuzzer behind ``h1conform fuzz``: mutated request streams against any target.

Each execution opens one connection, writes one mutated stream (:mod:`h1conform_fuzz.mutate`, cut into several
writes), half-closes, and reads until the target closes.  The oracles (:mod:`.fuzz_oracle`) pair response *i*
with request *i* only until the target may have read the stream differently (an error status, a close, the
request the reference rejects) and report only with evidence, quoting the rule:

* every trusted response parses under the reference (h11 + the strict layer, :mod:`.reference`);
* the target neither hangs (no close within ``--timeout`` after our FIN) nor drops the connection
  without the responses it owes, unless it sent an error response or ``close`` first;
* a request the reference rejects is not answered with a success where the RFC says MUST 400 (Host,
  whitespace before a colon, an invalid Content-Length, a final coding other than chunked), and nothing
  after it is answered where the RFC says MUST close; leniencies the RFC permits (bare LF, obs-fold,
  whitespace in the request-line, ...) and SHOULD-level ones are counted as notes, not findings;
* no request is answered after one that asked to close (or an HTTP/1.0 one without keep-alive);
* against the bundled server (whose specification the reference is) every rejection counts and a valid
  request answered with 400 is a finding;
* with an echo endpoint, the target's interpretation of each accepted request matches the reference's.

Findings are deduplicated by signature (kind + rule + normalised cause) with a count, printed at the end
and written to ``--findings DIR/summary.json``; the first three cases of each signature are saved as
``<kind>-<hash>.bin`` (the bytes) and ``.json`` (seed, cut points, the verdict and its rule, the transcript
and a one-line replay command).  Exit codes: 0 no finding, 1 findings, 2 usage error or unreachable target.

The request reference lives in the ``fuzz`` package of the source tree (not installed): this module
finds it next to the ``conformance`` package, so ``h1conform fuzz`` needs a source checkout or an
editable install.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def add_arguments(parser) -> None:
    parser.add_argument("--target", help="HOST:PORT or http(s) URL (default: the bundled server, started on port 0)")
    parser.add_argument("--time", type=float, default=60.0, metavar="S", help="seconds to run (default 60)")
    parser.add_argument("--seed", type=int, default=None, metavar="N", help="campaign seed (default: random)")
    parser.add_argument("--timeout", type=float, default=2.0, metavar="S",
                        help="deadline for every socket read and write (default 2)")
    parser.add_argument("--max-execs", type=int, default=None, metavar="N", help="stop after N executions")
    parser.add_argument("--findings", default="h1conform-findings", metavar="DIR",
                        help="where findings are written (default ./h1conform-findings)")
    parser.add_argument("--echo-path", metavar="PATH",
                        help="the target's echo endpoint (default /echo for the bundled server, none otherwise)")
    parser.add_argument("--replay", metavar="FILE", help="replay one saved finding (.json) and judge it again")
    parser.add_argument("-q", "--quiet", action="store_true", help="no live progress line")


def _fail(message: str) -> int:
    print(f"h1conform: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _import_fuzz():
    """The fuzz package (shipped as ``h1conform_fuzz``): mutations, the differential oracle, the reference parser."""
    from h1conform_fuzz import differential, mutate, reference_request

    return differential, mutate, reference_request


# -- one execution ------------------------------------------------------------------------------------
from .fuzz_oracle import Verdict, oracles, pair, signature  # noqa: E402  (Verdict: re-exported)


@dataclass
class Result:
    verdicts: List[Verdict] = field(default_factory=list)
    transcript: object = None
    responses: int = 0

    @property
    def findings(self) -> List[Verdict]:
        return [v for v in self.verdicts if not v.note]


class Judge:
    """Sends one case and applies the oracles."""

    def __init__(self, target, *, timeout: float, echo_path: Optional[str], limits, fuzz_mods,
                 suppress_known: bool = False) -> None:
        self.suppress_known = suppress_known  # only against the bundled server
        self.target = target
        self.timeout = timeout
        self.echo_path = echo_path
        self.limits = limits
        self.differential, self.mutate, self.reference_request = fuzz_mods

    def run(self, data: bytes, cuts) -> Result:
        from .client import HALF_CLOSE, Connection, Pause

        try:
            ref = self.reference_request.parse_stream(data, limits=self.limits)
        except self.reference_request.ReferenceInconsistency as exc:  # a bug in the reference itself
            return Result([Verdict("reference-inconsistency", str(exc)[:300])])
        edges = [0] + [c for c in cuts if 0 < c < len(data)] + [len(data)]
        segments: list = []
        for a, b in zip(edges, edges[1:]):
            if segments:
                segments.append(Pause(0.0))
            segments.append(data[a:b])
        conn = Connection(self.target, timeout=self.timeout, max_bytes=4 * 1024 * 1024)
        try:
            conn.send(*segments, HALF_CLOSE)
            conn.read_until(lambda: False)
        finally:
            conn.close()
        ending = conn.transcript.ending
        documented = self._documented(ref, data)
        paired = pair(ref, data, conn.transcript.received, ending in ("closed", "reset"),
                      judge_rejected=not documented)
        result = Result(transcript=conn.transcript, responses=len(paired.responses))
        result.verdicts = oracles(ref, data, paired, ending, spec=self.suppress_known, documented=documented,
                                  echo_path=self.echo_path, permitted_rejection=self.differential.permitted_rejection,
                                  timeout=self.timeout)
        return result

    def _documented(self, ref, data: bytes) -> bool:
        """The reference cannot judge the rejected request: a documented difference, or (bundled server) a
        known bug of the bundled parser (fixtures/findings/manifest.json)."""
        rej = ref.rejection
        if rej is None:
            return False
        if rej.rule in self.differential.DOCUMENTED:
            return True
        return self.suppress_known and not self.differential.REPORT_KNOWN \
            and self.differential.known_bug(ref, data) is not None


# -- findings -----------------------------------------------------------------------------------------
class FindingStore:
    """Findings deduplicated by :func:`~.fuzz_oracle.signature`: a count per signature, files for the first
    ``per_signature`` cases of each, and ``summary.json`` (one entry per signature) at the end.  Notes
    (permitted or SHOULD-level behaviour) are only counted."""

    def __init__(self, directory: str, target_arg: Optional[str], per_signature: int = 3) -> None:
        self.directory = directory
        self.target_arg = target_arg
        self.per_signature = per_signature
        self.counts: Dict[str, int] = {}
        self.first: Dict[str, Verdict] = {}
        self.examples: Dict[str, List[str]] = {}
        self.notes: Dict[str, int] = {}
        self.by_kind: Dict[str, int] = {}
        self.files: List[str] = []

    def add(self, case, campaign_seed: int, result: Result) -> None:
        for v in result.verdicts:
            sig = signature(v)
            if v.note:
                self.notes[sig] = self.notes.get(sig, 0) + 1
                continue
            self.count(v)
            if self.counts[sig] <= self.per_signature:
                self.examples.setdefault(sig, []).append(self._write(case, campaign_seed, v, result))

    def count(self, v: Verdict, n: int = 1) -> None:
        sig = signature(v)
        self.counts[sig] = self.counts.get(sig, 0) + n
        self.first.setdefault(sig, v)
        self.by_kind[v.kind] = self.by_kind.get(v.kind, 0) + n

    def _write(self, case, campaign_seed: int, v: Verdict, result: Result) -> str:
        os.makedirs(self.directory, exist_ok=True)
        digest = hashlib.sha1(case.data + repr(case.cuts).encode()).hexdigest()[:12]
        stem = os.path.join(self.directory, f"{v.kind}-{digest}")
        with open(stem + ".bin", "wb") as fh:
            fh.write(case.data)
        target = f" --target {self.target_arg}" if self.target_arg else ""
        meta = {
            "kind": v.kind, "detail": v.detail, "rule": v.rule, "signature": signature(v),
            "campaign_seed": campaign_seed, "case_seed": case.seed,
            "mutations": list(case.mutations), "cuts": list(case.cuts), "bytes_file": os.path.basename(stem + ".bin"),
            "data_base64": base64.b64encode(case.data).decode("ascii"), "target": self.target_arg or "bundled",
            "replay": f"h1conform fuzz{target} --replay {stem}.json",
            "transcript": result.transcript.render(300) if result.transcript is not None else "",
        }
        with open(stem + ".json", "w", encoding="utf-8") as fh:
            json.dump(meta, fh, indent=2)
        self.files.append(stem + ".json")
        return stem + ".json"

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def report(self, out) -> None:
        """The deduplicated list, most frequent first, and summary.json."""
        order = sorted(self.counts, key=lambda s: (-self.counts[s], s))
        if order:
            print(f"h1conform fuzz: {len(order)} distinct findings (signature: kind [rule] cause):", file=out)
        for sig in order:
            v, ex = self.first[sig], self.examples.get(sig, [])
            print(f"  {self.counts[sig]:6d} x {sig}", file=out)
            print(f"           {v.detail[:150]}", file=out)
            if v.rule:
                print(f"           rule: {v.rule[:220]}", file=out)
            if ex:
                print(f"           replay: {os.path.basename(ex[0])}", file=out)
        if self.notes:
            notes = sorted(self.notes.items(), key=lambda kv: -kv[1])
            print(f"h1conform fuzz: not findings ({sum(self.notes.values())} notes: permitted by the RFC, SHOULD-level,"
                  " or a valid request refused): " + "; ".join(f"{s} {n}" for s, n in notes[:8])
                  + (f"; ... {len(notes) - 8} more" if len(notes) > 8 else ""), file=out)
        if order or self.notes:
            os.makedirs(self.directory, exist_ok=True)
            summary = {"findings": [{"signature": s, "count": self.counts[s], "kind": self.first[s].kind,
                                     "rule": self.first[s].rule, "detail": self.first[s].detail,
                                     "examples": [os.path.basename(e) for e in self.examples.get(s, [])]}
                                    for s in order],
                       "notes": dict(sorted(self.notes.items(), key=lambda kv: -kv[1]))}
            with open(os.path.join(self.directory, "summary.json"), "w", encoding="utf-8") as fh:
                json.dump(summary, fh, indent=2)


# -- the command --------------------------------------------------------------------------------------
class _Progress:
    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.last = 0.0

    def show(self, execs: int, elapsed: float, findings: int, final: bool = False) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        interval = 0.5 if self.tty else 10.0
        if not final and now - self.last < interval:
            return
        self.last = now
        rate = execs / elapsed if elapsed > 0 else 0.0
        line = f"[fuzz] {elapsed:6.1f} s  execs {execs}  exec/s {rate:.0f}  findings {findings}"
        if self.tty:
            sys.stderr.write("\r" + line + ("\n" if final else ""))
        elif not final:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()


def _still_answers(target, timeout: float) -> bool:
    """After the campaign: does the target still answer a plain request?"""
    from .client import Connection
    from .errors import TargetUnreachable
    from .reference import RequestInfo, ResponseReader

    reader = ResponseReader([RequestInfo("GET")])
    try:
        conn = Connection(target, timeout=timeout)
    except TargetUnreachable:
        return False
    try:
        conn.send(f"GET / HTTP/1.1\r\nHost: {target.host_header}\r\nConnection: close\r\n\r\n".encode("latin-1"),
                  on_receive=reader.feed)
        conn.read_until(lambda: reader.complete >= 1, reader.feed)
    finally:
        conn.close()
    return reader.complete >= 1


def run(args) -> int:
    from .errors import BadTarget, TargetUnreachable
    from .target import check_reachable, parse_target

    if args.timeout <= 0:
        return _fail(f"--timeout must be a positive number of seconds, not {args.timeout:g}")
    if args.time <= 0:
        return _fail(f"--time must be a positive number of seconds, not {args.time:g}")
    if args.max_execs is not None and args.max_execs <= 0:
        return _fail(f"--max-execs must be positive, not {args.max_execs}")
    mods = _import_fuzz()
    replay = None
    if args.replay:
        try:
            with open(args.replay, encoding="utf-8") as fh:
                replay = json.load(fh)
            replay_data = base64.b64decode(replay["data_base64"])
        except (OSError, ValueError, KeyError) as exc:
            return _fail(f"--replay {args.replay}: not a finding file ({exc})")

    server = None
    limits = None
    echo_path = args.echo_path
    try:
        if args.target is not None:
            try:
                target = parse_target(args.target)
                check_reachable(target, args.timeout)
            except (BadTarget, TargetUnreachable) as exc:
                return _fail(str(exc))
        else:
            from h1conform_server.server import Server

            from .target import Target

            server = Server(host="127.0.0.1", port=0)
            host, port = server.start()
            target = Target(host=host, port=port, label=f"bundled server http://{host}:{port}")
            limits = server.config.limits  # the reference applies the bundled server's documented limits
            echo_path = echo_path or "/echo"
        judge = Judge(target, timeout=args.timeout, echo_path=echo_path, limits=limits, fuzz_mods=mods,
                      suppress_known=server is not None)
        if replay is not None:
            return _replay(judge, replay, replay_data)
        return _campaign(args, judge, mods, target, server)
    finally:
        if server is not None:
            server.stop()


def _replay(judge: Judge, meta: dict, data: bytes) -> int:
    result = judge.run(data, meta.get("cuts", []))
    print(result.transcript.render(2000))
    print(f"recorded: {meta.get('kind')}: {meta.get('detail')}")
    for v in result.verdicts:
        print(f"{'note' if v.note else 'FINDING'} {v.kind}: {v.detail}" + (f"\n  rule: {v.rule}" if v.rule else ""))
    if not result.findings:
        print("h1conform fuzz: replay: no finding now")
        return EXIT_OK
    return EXIT_FINDINGS


def _campaign(args, judge: Judge, mods, target, server) -> int:
    from .errors import TargetUnreachable

    _differential, mutate, _ref = mods
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2 ** 32)
    host_header = target.host_header
    seeds = mutate.seed_requests(host_header, judge.echo_path or target.resource or "/")
    store = FindingStore(args.findings, args.target)
    progress = _Progress(args.quiet)
    threads_before = set(threading.enumerate())
    print(f"h1conform fuzz: {target.display}, seed {seed}, {args.time:g} s"
          + (f", at most {args.max_execs} execs" if args.max_execs else "")
          + (f", echo {judge.echo_path}" if judge.echo_path else ", no echo endpoint"), file=sys.stderr)
    t0 = time.monotonic()
    deadline = t0 + args.time
    execs = 0
    interrupted = False
    error = None
    master = random.Random(seed)
    try:
        while time.monotonic() < deadline and (args.max_execs is None or execs < args.max_execs):
            case = mutate.generate(master.getrandbits(63), seeds)
            try:
                result = judge.run(case.data, case.cuts)
            except TargetUnreachable as exc:
                error = str(exc)
                result = Result([Verdict("unreachable", str(exc))])
                store.add(case, seed, result)
                break
            execs += 1
            if result.verdicts:
                store.add(case, seed, result)
            progress.show(execs, time.monotonic() - t0, store.total)
    except KeyboardInterrupt:
        interrupted = True
    elapsed = time.monotonic() - t0
    progress.show(execs, elapsed, store.total, final=True)
    if server is not None:  # every connection was closed by the server before the next exec
        # threads started during the campaign must end; join them with a bound (no sleep)
        end = time.monotonic() + 2 * args.timeout
        for t in [t for t in threading.enumerate() if t not in threads_before]:
            t.join(max(0.0, end - time.monotonic()))
        leaked = [t.name for t in threading.enumerate() if t not in threads_before]
        alive = _still_answers(judge.target, args.timeout)
        print(f"h1conform fuzz: server threads before {len(threads_before)}, after {threading.active_count()}"
              f" (left over: {len(leaked)}{' ' + ', '.join(leaked[:5]) if leaked else ''});"
              f" server {'still answers' if alive else 'DOES NOT ANSWER'}", file=sys.stderr)
        if leaked:
            store.count(Verdict("thread-leak", f"{len(leaked)} connection threads left over"), len(leaked))
        if not alive:
            store.count(Verdict("server-crash", "the server does not answer after the campaign"))
    rate = execs / elapsed if elapsed > 0 else 0.0
    total = store.total
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(store.by_kind.items())) or "none"
    print(f"h1conform fuzz: {execs} execs in {elapsed:.1f} s ({rate:.0f} exec/s) against {target.display}:"
          f" {total} findings, {len(store.counts)} distinct ({kinds})" + (" -- interrupted" if interrupted else ""))
    store.report(sys.stdout)
    if store.files:
        print(f"h1conform fuzz: {len(store.files)} finding files in {store.directory}/ ; replay one with:")
        with open(store.files[0], encoding="utf-8") as fh:
            print("  " + json.load(fh)["replay"])
    print(f"h1conform fuzz: rerun this campaign with --seed {seed}")
    if error:
        print(f"h1conform: error: {error}", file=sys.stderr)
    return EXIT_FINDINGS if total else EXIT_OK

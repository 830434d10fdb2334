"""The network fuzzer behind ``h1conform fuzz``: mutated request streams against any target.

Each execution opens one connection, writes one mutated stream (:mod:`h1conform_fuzz.mutate`, cut into several
writes), half-closes, and reads until the target closes.  The oracles (:mod:`.oracle`) pair response *i*
with request *i* only until the target may have read the stream differently (an error status, a close, the
request the reference rejects) and report only with evidence, quoting the rule:

* every trusted response parses under the reference (h11 + the strict layer, :mod:`h1conform.reference`);
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

The options are declared in :mod:`.options` (the CLI builds its ``fuzz`` subcommand from them without importing
this module); ``h1conform fuzz`` calls :func:`run`.
"""

from __future__ import annotations

import base64
import json
import random
import sys
import threading
import time
from typing import Optional

from h1conform.client import HALF_CLOSE, Connection, Pause
from h1conform.errors import BadTarget, TargetUnreachable
from h1conform.reference import RequestInfo, ResponseReader
from h1conform.reference_request import ReferenceInconsistency, parse_stream
from h1conform.request_bytes import build_request
from h1conform.target import Target, check_reachable, parse_target

from . import differential, mutate
from .findings import FindingStore, Result
from .options import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, validate
from .oracle import Verdict, oracles, pair

__all__ = ["Judge", "Result", "FindingStore", "run"]


def _fail(message: str) -> int:
    print(f"h1conform: error: {message}", file=sys.stderr)
    return EXIT_USAGE


# -- one execution ------------------------------------------------------------------------------------
class Judge:
    """Sends one case and applies the oracles."""

    def __init__(self, target, *, timeout: float, echo_path: Optional[str], limits,
                 suppress_known: bool = False) -> None:
        self.suppress_known = suppress_known  # only against the bundled server
        self.target = target
        self.timeout = timeout
        self.echo_path = echo_path
        self.limits = limits

    def run(self, data: bytes, cuts) -> Result:
        try:
            ref = parse_stream(data, limits=self.limits)
        except ReferenceInconsistency as exc:  # a bug in the reference itself
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
                                  echo_path=self.echo_path, permitted_rejection=differential.permitted_rejection,
                                  timeout=self.timeout)
        return result

    def _documented(self, ref, data: bytes) -> bool:
        """The reference cannot judge the rejected request: a documented difference, or (bundled server) a
        known bug of the bundled parser (fixtures/findings/manifest.json)."""
        rej = ref.rejection
        if rej is None:
            return False
        if rej.rule in differential.DOCUMENTED:
            return True
        return self.suppress_known and not differential.REPORT_KNOWN and differential.known_bug(ref, data) is not None


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
    reader = ResponseReader([RequestInfo("GET")])
    try:
        conn = Connection(target, timeout=timeout)
    except TargetUnreachable:
        return False
    try:
        conn.send(build_request("GET", "/", host=target.host_header, close=True), on_receive=reader.feed)
        conn.read_until(lambda: reader.complete >= 1, reader.feed)
    finally:
        conn.close()
    return reader.complete >= 1


def run(args) -> int:
    problem = validate(args)
    if problem:
        return _fail(problem)
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
            from h1conform_server.server import Server  # the default target: imported only when it runs

            server = Server(host="127.0.0.1", port=0)
            host, port = server.start()
            target = Target(host=host, port=port, label=f"bundled server http://{host}:{port}")
            limits = server.config.limits  # the reference applies the bundled server's documented limits
            echo_path = echo_path or "/echo"
        judge = Judge(target, timeout=args.timeout, echo_path=echo_path, limits=limits,
                      suppress_known=server is not None)
        if replay is not None:
            return _replay(judge, replay, replay_data)
        return _campaign(args, judge, target, server)
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


def _campaign(args, judge: Judge, target, server) -> int:
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

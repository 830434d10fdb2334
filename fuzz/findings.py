"""What one execution of ``h1conform fuzz`` found (:class:`Result`), and a campaign's findings: deduplicated
by signature, saved for replay, summarised (:class:`FindingStore`).

Each finding file pair is ``<kind>-<hash>.bin`` (the bytes) and ``.json`` (seed, cut points, the verdict and its
rule, the transcript and a one-line replay command); ``summary.json`` has one entry per signature.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from .oracle import Verdict, signature

__all__ = ["Result", "FindingStore"]


@dataclass
class Result:
    """The verdicts of one execution, with the transcript they quote."""

    verdicts: List[Verdict] = field(default_factory=list)
    transcript: object = None
    responses: int = 0

    @property
    def findings(self) -> List[Verdict]:
        return [v for v in self.verdicts if not v.note]


class FindingStore:
    """Findings deduplicated by :func:`~.oracle.signature`: a count per signature, files for the first
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

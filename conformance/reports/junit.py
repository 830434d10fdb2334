"""The JUnit XML report of ``h1conform run --junit FILE`` (``--h1-junit FILE``), in the shape JUnit consumers read.

One ``<testsuite name="h1conform">``; one ``<testcase>`` per case, named by its case id, with the RFC section
as its ``classname`` (``h1conform.9112-9.6``), so that CI viewers group the cases by section.  JUnit knows only
pass, failure, error and skipped, so the other outcomes are mapped the way consumers show them:

========================  ==========================================================================
fail                      ``<failure type="MUST" message="...">`` Expected, Actual and the transcript
error                     ``<error>`` with the reason
skip                      ``<skipped message="reason">``
inconclusive              ``<skipped type="inconclusive">``: ran, but saw nothing that decides (never a pass),
                          with the reason, what would make it conclusive, and the transcript
known-deviation           ``<skipped type="known-deviation">`` with the reason and what was observed
warn                      a pass carrying ``<system-out>`` (WARN, Expected, Actual, the transcript);
                          a ``<failure type="SHOULD">`` under ``--strict``
info                      a pass carrying ``<system-out>`` (the accepted behaviour the target chose)
========================  ==========================================================================

Every testcase also has ``<properties>`` (``h1conform.outcome``, ``.level``, ``.section``, ``.requirements``,
``.branch``, ...) for tools that read testcase properties (Jenkins; junitparser through ``TestCase.child(Properties)``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import List, Optional

from ..cases import KNOWN_DEVIATION, Result
from . import RunInfo
from .summary import result_properties


def _evidence(r: Result) -> str:
    lines = [f"{r.reported.upper()} {r.case.id} [{r.case.level}, {r.case.section}] {r.case.rule}",
             f"requirements: {', '.join(r.case.requirements)}"]
    if r.branch:
        lines.append(f"chose: {r.branch} - {r.case.accepted.get(r.branch, '')}")
    if r.detail:
        lines.append(f"{'why inconclusive' if r.outcome == 'inconclusive' else 'detail'}: {r.detail}")
    if r.remedy:
        lines.append(f"to make it conclusive: {r.remedy}")
    if r.expected or r.actual:
        lines += [f"Expected: {r.expected}", f"Actual:   {r.actual}"]
    if r.deviation:
        lines.append(f"known deviation: {r.deviation} (observed: {r.outcome})")
    if r.transcript:
        lines.append(r.transcript)
    return "\n".join(lines)


def _message(r: Result) -> str:
    return f"Expected: {r.expected} | Actual: {r.actual}" if (r.expected or r.actual) else r.detail


def testcase(r: Result) -> ET.Element:
    el = ET.Element("testcase", name=r.case.id, classname=f"h1conform.{r.case.section_key}",
                    time=f"{r.duration_s:.3f}")
    props = ET.SubElement(el, "properties")
    for name, value in result_properties(r):
        ET.SubElement(props, "property", name=name, value=value)
    if r.reported == "fail":
        ET.SubElement(el, "failure", type=r.case.level, message=_message(r)).text = _evidence(r)
    elif r.reported == "error":
        ET.SubElement(el, "error", type="error", message=r.detail).text = _evidence(r)
    elif r.reported == "skip":
        ET.SubElement(el, "skipped", message=r.detail)
    elif r.reported == "inconclusive":
        ET.SubElement(el, "skipped", type="inconclusive", message=f"inconclusive: {r.detail}").text = _evidence(r)
    elif r.reported == KNOWN_DEVIATION:
        ET.SubElement(el, "skipped", type=KNOWN_DEVIATION, message=f"known deviation: {r.deviation}").text = \
            _evidence(r)
    elif r.reported in ("warn", "info"):
        ET.SubElement(el, "system-out").text = _evidence(r)
    return el


def junit_xml(results: List[Result], target: Optional[str], calibration=None) -> bytes:
    suite = ET.Element("testsuite", name="h1conform", tests=str(len(results)),
                       failures=str(sum(r.reported == "fail" for r in results)),
                       errors=str(sum(r.reported == "error" for r in results)),
                       skipped=str(sum(r.reported in ("skip", "inconclusive", KNOWN_DEVIATION) for r in results)),
                       time=f"{sum(r.duration_s for r in results):.3f}")
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", name="h1conform.target", value=target or "")
    if calibration is not None:
        ET.SubElement(props, "property", name="h1conform.calibration", value=calibration.summary())
    suite.extend(testcase(r) for r in results)
    root = ET.Element("testsuites")
    root.append(suite)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def write(path: str, results: List[Result], run: RunInfo) -> None:
    with open(path, "wb") as fh:
        fh.write(junit_xml(results, run.target, run.calibration))

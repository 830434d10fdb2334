"""Helpers for the RFC 9110 semantics cases: one-request exchanges, the resource's validators,
HTTP-date forms, and sampling a few kinds of responses from the target.

Like every case helper they never touch a socket: they build requests with the probe and judge
what :meth:`Probe.exchange` recorded.
"""

from __future__ import annotations

import calendar
import time
from email.utils import formatdate, parsedate_to_datetime
from typing import List, Optional, Sequence, Tuple

from .probe import Probe, RawRequest
from .reference import Response
from .verdicts import check, expect_responses

MISSING = "/h1conform-no-such-resource"
UNKNOWN_METHOD = "BREW"


def skip(reason: str) -> None:
    import pytest

    pytest.skip(reason)


def one(probe: Probe, req: RawRequest, what: str = "") -> Response:
    """Send one request on its own connection; exactly one complete response is expected."""
    ex = probe.exchange(req, follow_up=False)
    expect_responses(probe, ex, 1, what)
    return ex.responses[0]


def get(probe: Probe, path: Optional[str] = None, *, method: str = "GET",
        headers: Sequence[Tuple[str, str]] = (), **kw) -> Response:
    return one(probe, probe.request(method, path, headers=headers, **kw))


def resource(probe: Probe, method: str = "GET", headers: Sequence[Tuple[str, str]] = ()) -> Response:
    """The target resource's unconditional response; skips the case unless it is a 200."""
    resp = get(probe, method=method, headers=headers)
    if resp.status != 200:
        skip(f"the target resource answers {resp.status}, not 200: nothing to compare with")
    return resp


def text(value: Optional[bytes]) -> str:
    return "" if value is None else value.decode("latin-1")


def etag_of(resp: Response) -> str:
    """The resource's ETag; skips the case when the target sends none."""
    etag = resp.header("etag")
    if not etag:
        skip("the target resource carries no ETag")
    return text(etag)


def last_modified_of(resp: Response) -> int:
    """Last-Modified as seconds since the epoch; skips when absent or unparseable."""
    value = resp.header("last-modified")
    stamp = http_date(text(value)) if value else None
    if stamp is None:
        skip("the target resource carries no (valid) Last-Modified")
    return stamp


def http_date(value: str) -> Optional[int]:
    try:
        return int(parsedate_to_datetime(value).timestamp())
    except (TypeError, ValueError, IndexError):
        return None


def imf_fixdate(stamp: float) -> str:
    return formatdate(stamp, usegmt=True)


def rfc850_date(stamp: float) -> str:
    return time.strftime("%A, %d-%b-%y %H:%M:%S GMT", time.gmtime(stamp))


def asctime_date(stamp: float) -> str:
    t = time.gmtime(stamp)
    return time.strftime("%a %b ", t) + f"{t.tm_mday:2d}" + time.strftime(" %H:%M:%S %Y", t)


def epoch(year: int, month: int = 1, day: int = 1) -> int:
    return calendar.timegm((year, month, day, 0, 0, 0, 0, 0, 0))


def not_allowed(probe: Probe) -> RawRequest:
    """A request a static resource usually does not allow: POST with empty content (-> 405)."""
    return probe.request("POST", body=b"")


def sample(probe: Probe, *, head: bool = True) -> List[Response]:
    """A few kinds of responses, one request per connection: the resource (GET, and HEAD), a missing
    resource (404), OPTIONS, POST (which a static resource usually does not allow), an unknown method,
    and /stream when the target has it."""
    reqs = [probe.request("GET"), probe.request("GET", MISSING), probe.request("OPTIONS"),
            not_allowed(probe), probe.request(UNKNOWN_METHOD)]
    if head:
        reqs.insert(1, probe.request("HEAD"))
    if probe.target.has("stream"):
        reqs.append(probe.request("GET", probe.target.path("stream")))
    out = []
    for req in reqs:
        ex = probe.exchange(req, follow_up=False)
        check(probe, ex.error is None and len(ex.responses) == 1 and ex.responses[0].complete,
              f"one complete, parseable response to {req.info.label}", ex.describe())
        out.append(ex.responses[0])
    return out


def summary(resp: Response) -> str:
    label = resp.request.label if resp.request is not None else "?"
    return f"{label}: {resp.summary()}"

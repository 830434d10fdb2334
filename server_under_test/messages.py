"""The messages the app and the connection exchange (:class:`Request`, :class:`Response`), error responses and
HTTP dates: the types module under the router (:mod:`.routes`) and its helpers (conditional requests, ranges,
resources, semantics), which all import from here and never from the router."""

from __future__ import annotations

import calendar
import re
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Iterable, List, Optional, Tuple

from .grammar import ASCTIME_DATE, IMF_FIXDATE, MONTHS, RFC850_DATE

StrFields = List[Tuple[str, str]]


@dataclass
class Request:
    method: str
    target: str
    version: Tuple[int, int]
    headers: StrFields  # original-case names; all strings are latin-1 decoded octets
    body: bytes = b""
    trailers: StrFields = field(default_factory=list)

    @classmethod
    def from_parts(cls, method: bytes, target: bytes, version: Tuple[int, int], headers, body: bytes = b"", trailers=()):
        dec = lambda b: b.decode("latin-1")  # noqa: E731
        return cls(
            dec(method), dec(target), version, [(dec(n), dec(v)) for n, v in headers], body,
            [(dec(n), dec(v)) for n, v in trailers],
        )

    def header_values(self, name: str) -> List[str]:
        name = name.lower()
        return [v for n, v in self.headers if n.lower() == name]


@dataclass
class Response:
    status: int
    headers: StrFields = field(default_factory=list)
    body: bytes = b""
    #: body of unknown length: chunked to HTTP/1.1 clients, close-delimited to HTTP/1.0
    stream: Optional[Iterable[bytes]] = None
    #: frame by closing the connection (no Content-Length, no Transfer-Encoding)
    close_delimited: bool = False
    #: trailer fields sent after a chunked stream (announced in a Trailer field by the connection)
    trailers: StrFields = field(default_factory=list)


def reason_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def error_response(status: int, detail: str = "", headers: StrFields = ()) -> Response:  # type: ignore[assignment]
    text = "%d %s\n" % (status, reason_phrase(status))
    if detail:
        text += detail.replace("\r", " ").replace("\n", " ") + "\n"
    return Response(status, [("Content-Type", "text/plain; charset=utf-8")] + list(headers), text.encode("utf-8"))


def split_target(target: str) -> Tuple[str, Optional[str]]:
    """Return (scheme, path) for a request-target; path is None for ``*`` and authority-form."""
    if target.startswith("/"):
        return "", target.partition("?")[0]
    m = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*)://[^/?#]*", target)
    if m is None:
        return "", None
    rest = target[m.end() :]
    return m.group(1).lower(), (rest.partition("?")[0] or "/")


# ------------------------------------------------------------ HTTP dates


def parse_http_date(value: str) -> Optional[int]:
    """Seconds since the epoch for an IMF-fixdate, RFC 850 or asctime date; None if invalid."""
    value = value.strip(" \t")
    try:
        m = IMF_FIXDATE.fullmatch(value)
        if m:
            day, mon, year, hh, mm, ss = m.groups()
        elif RFC850_DATE.fullmatch(value):
            day, mon, yy, hh, mm, ss = RFC850_DATE.fullmatch(value).groups()  # type: ignore[union-attr]
            now_year = time.gmtime().tm_year
            year = str(now_year - now_year % 100 + int(yy))
            if int(year) > now_year + 50:
                year = str(int(year) - 100)
        elif ASCTIME_DATE.fullmatch(value):
            mon, day, hh, mm, ss, year = ASCTIME_DATE.fullmatch(value).groups()  # type: ignore[union-attr]
        else:
            return None
        t = (int(year), MONTHS[mon], int(day), int(hh), int(mm), int(ss))
        if not (1 <= t[2] <= calendar.monthrange(t[0], t[1])[1] and t[3] < 24 and t[4] < 60 and t[5] < 61):
            return None
        return calendar.timegm(t + (0, 0, 0))
    except (ValueError, KeyError):
        return None

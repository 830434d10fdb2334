"""What the request parser yields (RequestHead, Body, EndOfRequest, NEED_DATA) and the limits it enforces."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Tuple, Union

Fields = List[Tuple[bytes, bytes]]


@dataclass(frozen=True)
class Limits:
    max_request_line: int = 8192  # octets, without CRLF; a longer target -> 414
    max_header_bytes: int = 64 * 1024  # whole field section (also used for trailers) -> 431
    max_header_fields: int = 100  # field lines -> 431
    max_body: int = 10 * 1024 * 1024  # decoded body octets -> 413
    max_chunk_ext: int = 4096  # chunk-extension octets on one chunk-size line -> 400


@dataclass(frozen=True)
class RequestHead:
    method: bytes
    target: bytes
    version: Tuple[int, int]
    headers: Fields  # original-case names, values with OWS stripped


@dataclass(frozen=True)
class Body:
    data: bytes


@dataclass(frozen=True)
class EndOfRequest:
    trailers: Fields = field(default_factory=list)


class _Sentinel:
    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name


NEED_DATA = _Sentinel("NEED_DATA")
AGAIN = _Sentinel("AGAIN")  # the parser's own: state changed, keep stepping
Event = Union[RequestHead, Body, EndOfRequest, _Sentinel]

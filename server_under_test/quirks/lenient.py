"""Deliberately lenient parsing: the hooks that the parsing quirks (parsing.py, core.py) put into ParseRules.

Each function is the mistake a real parser makes: Python's int() on a length,
stripping Unicode whitespace, finding "chunk" in a Transfer-Encoding value.
The conformance suite's smuggling probes must catch every one of them.
"""
from __future__ import annotations

import re
from typing import Dict, List, Optional, Tuple

from .. import parse_rules
from ..grammar import (
    TOKEN,
    ProtocolError,
    line_overflow,
    parse_chunk_size,
    parse_content_length,
    parse_field_line,
    parse_version,
    split_request_line,
)
from ..parse_rules import Fields, RequestLine

_JUNK = b" \t\x0b\x0c\x00\x85\xa0\"'"
_MASK32 = (1 << 32) - 1


def int_like_python(text: bytes, base: int) -> int:
    """int() the way careless code does: strips, accepts +/-/_/0x, wraps at 32 bits, junk -> 0."""
    text = text.strip(_JUNK).split(b",")[0].strip().replace(b"_", b"")
    try:
        value = int(text.decode("latin-1"), 0 if base == 10 and text[:2].lower() == b"0x" else base)
    except ValueError:
        try:
            value = int(float(text.decode("latin-1")))
        except ValueError:
            digits = re.match(rb"[0-9A-Fa-f]*" if base == 16 else rb"[0-9]*", text).group()  # type: ignore
            value = int(digits, base) if digits else 0
    return abs(value) & _MASK32


def transfer_coding(values: List[bytes]) -> Optional[bytes]:
    """A value that contains "chunk" anywhere, in any case, quoted or padded, means chunked."""
    joined = b",".join(values).lower()
    return b"chunked" if b"chunk" in joined else None


def field_line(line: bytes) -> Tuple[bytes, bytes]:
    """Whitespace anywhere around the name is dropped; a line without a colon is a field with no value."""
    name, _, value = line.partition(b":")
    return name.strip(b" \t\x0b\x0c").replace(b"_", b"-"), value.strip(b" \t")


def strip_value(value: bytes) -> bytes:
    return value.strip(_JUNK.replace(b'"', b"").replace(b"'", b""))


def version(text: bytes) -> Tuple[int, int]:
    """Case-insensitive, leading zeros and extra digits ignored; anything else is 1.1."""
    m = re.match(rb"(?i)\s*http/0*([0-9]+)(?:\.0*([0-9]+))?", text)
    if not m:
        return (1, 1)
    major, minor = int(m.group(1)), int(m.group(2) or b"0")
    return (1, 0) if (major, minor) == (1, 0) or (major == 1 and m.group(2) is None) else (1, 1)


# -- hooks for ParseRules (parse_rules.py); each is the one mistake its quirk names -------------------------
def bare_cr_to_crlf(data: bytes) -> bytes:
    """A CR not followed by LF ends a line (the octets are rewritten as CRLF)."""
    return re.sub(rb"\r(?!\n)", b"\r\n", data)


def overflow_is_400(prefix: bytes) -> ProtocolError:
    err = line_overflow(prefix)
    return ProtocolError(400, "request-line too long") if err.status == 414 else err


def request_line_any_whitespace(line: bytes) -> RequestLine:
    """Split on runs of any whitespace (SP, HTAB, VT, FF, CR), not on single SPs."""
    return parse_rules.request_line(b" ".join(line.split()) if len(line.split()) == 3 else line)


def request_line_method_any_case(line: bytes) -> RequestLine:
    """The method is upper-cased and not checked against the token grammar (``get`` is GET)."""
    parts = line.split(b" ")
    if len(parts) == 3:
        return parts[0].upper(), parts[1], parts[2], parse_version(parts[2]), False
    return parse_rules.request_line(line)


def request_line_any_version(line: bytes) -> RequestLine:
    """Any version-like text is taken (case-insensitive, extra digits); anything else is 1.1."""
    method, target, sent = split_request_line(line)
    return method, target, sent, version(sent), False


def request_line_http09(line: bytes) -> RequestLine:
    """``GET /`` without a version is an HTTP/0.9 request, read as HTTP/1.0 without a header section."""
    parts = line.split(b" ")
    if len(parts) == 2:
        method, target, sent = split_request_line(line + b" HTTP/1.0")
        return method, target, sent, (1, 0), True
    return parse_rules.request_line(line)


def request_line_target_spaces(line: bytes) -> RequestLine:
    """``GET /a b HTTP/1.1`` is the target /a%20b (the first and last SP delimit)."""
    if line.count(b" ") <= 2:
        return parse_rules.request_line(line)
    first, last = line.index(b" "), line.rindex(b" ")
    method, target, sent = line[:first], line[first + 1:last].replace(b" ", b"%20"), line[last + 1:]
    return method, target, sent, parse_version(sent), False


def request_line_only_10_and_11(line: bytes) -> RequestLine:
    """HTTP/1.2 and other 1.x minors get 505 instead of being handled as 1.1."""
    parsed = parse_rules.request_line(line)
    if parsed[2] not in (b"HTTP/1.0", b"HTTP/1.1"):
        raise ProtocolError(505, "HTTP version not supported")
    return parsed


def request_line_long_method_400(line: bytes) -> RequestLine:
    """A method over 32 octets is a 400 (not the 501 of an unknown method)."""
    parsed = parse_rules.request_line(line)
    if len(parsed[0]) > 32:
        raise ProtocolError(400, "method too long")
    return parsed


def any_target(method: bytes, target: bytes) -> None:
    """Every request-target is accepted."""


def no_host_check(hosts: List[bytes], version: Tuple[int, int]) -> None:
    """Host is not checked: missing, repeated and invalid values all pass."""


def host_required(hosts: List[bytes], version: Tuple[int, int]) -> None:
    """No default site: a missing or empty Host is a 400, whatever the version."""
    if not hosts or hosts == [b""]:
        raise ProtocolError(400, "missing or empty Host")
    parse_rules.check_host(hosts, version)


_CANONICAL = (b"Transfer-Encoding", b"Content-Length", b"Host")


def canonical_names_only(fields: Fields) -> Dict[bytes, List[bytes]]:
    """Only the canonical spelling of Transfer-Encoding / Content-Length / Host counts."""
    by_name: Dict[bytes, List[bytes]] = {}
    for name, value in fields:
        by_name.setdefault(name.lower() if name in _CANONICAL else b"~" + name, []).append(value)
    return by_name


def field_line_naive(line: bytes) -> Tuple[bytes, bytes]:
    """Split on ": " exactly; the value is kept as it is."""
    name, sep, value = line.partition(b": ")
    if not sep:
        raise ProtocolError(400, "field line without ': '")
    return parse_field_line(name + b":")[0], value


def field_line_ascii_only(line: bytes) -> Tuple[bytes, bytes]:
    """obs-text (0x80-0xFF) in a field line is refused."""
    if re.search(rb"[\x80-\xff]", line):
        raise ProtocolError(400, "non-ASCII octet in a field line")
    return parse_field_line(line)


def field_line_stripped(line: bytes) -> Tuple[bytes, bytes]:
    """VT, FF, NUL, 0x85 and 0xA0 are stripped from around the value."""
    name, _, value = line.partition(b":")
    return parse_field_line(name + b":" + strip_value(value))


def field_line_controls_kept(line: bytes) -> Tuple[bytes, bytes]:
    """NUL and other control octets in a value are kept."""
    name, _, value = line.partition(b":")
    return parse_field_line(name + b":")[0], value.strip(b" \t")


def fold_without_space(value: bytes, line: bytes) -> bytes:
    """A continuation line is glued onto the previous value without the SP obs-fold stands for."""
    return value + line.strip(b" \t")


def split_like_str_splitlines(line: bytes) -> List[bytes]:
    """str.splitlines() on the decoded line: VT, FF, FS, GS, RS, NEL, LS, PS end lines too."""
    text = line.decode("utf-8", "surrogateescape")
    return [part.encode("utf-8", "surrogateescape") for part in text.splitlines()]


def trailers_refused(head: Fields, trailers: Fields) -> None:
    if trailers:
        raise ProtocolError(400, "trailer fields are not supported")


def trailers_merged(head: Fields, trailers: Fields) -> None:
    head.extend(trailers)


def te_containing_chunk(te: List[bytes], cl) -> Optional[List[bytes]]:
    found = transfer_coding(te)
    return [found] if found else None


def te_chunked_anywhere(te: List[bytes], cl) -> Optional[List[bytes]]:
    """chunked anywhere in the list means chunked; unknown codings are ignored."""
    names = [n.strip(b" \t").lower() for v in te for n in v.split(b",")]
    return [b"chunked"] if b"chunked" in names else None


def te_yields_to_content_length(te: List[bytes], cl) -> Optional[List[bytes]]:
    return None if cl else te


def te_repeated_ignored(te: List[bytes], cl) -> Optional[List[bytes]]:
    """Two Transfer-Encoding lines: no body."""
    return None if len(te) > 1 else te


def te_case_sensitive(te: List[bytes], cl) -> Optional[List[bytes]]:
    if any(v.strip(b" \t") != b"chunked" for v in te):
        raise ProtocolError(501, "unsupported transfer coding")
    return te


def te_exactly_chunked(te: List[bytes], cl) -> Optional[List[bytes]]:
    """The value is compared as it is: only one line of exactly ``chunked``."""
    if te != [b"chunked"]:
        raise ProtocolError(501, "unsupported transfer coding")
    return te


def te_empty_elements_refused(te: List[bytes], cl) -> Optional[List[bytes]]:
    if any(not e.strip() for v in te for e in v.split(b",")):
        raise ProtocolError(400, "empty list element")
    return te


def content_length_no_leading_zeros(values: List[bytes], max_body: int) -> int:
    if any(v[:1] == b"0" and len(v) > 1 for v in values):
        raise ProtocolError(400, "leading zeros in Content-Length")
    return parse_content_length(values, max_body)


def content_length_int(values: List[bytes], max_body: int) -> int:
    """int() on the first list element, wrapping at 2^32."""
    return min(int_like_python(values[0], 10), max_body)


def chunk_size_no_leading_zeros(line: bytes, max_ext: int) -> int:
    raw = line.split(b";")[0]
    if raw[:1] == b"0" and len(raw) > 1:
        raise ProtocolError(400, "leading zeros in a chunk size")
    return parse_chunk_size(line, max_ext)


def chunk_size_decimal(line: bytes, max_ext: int) -> int:
    """The size is read as decimal: a hex digit makes it no number."""
    if not line.split(b";")[0].isdigit():
        raise ProtocolError(400, "chunk size is not a number")
    return parse_chunk_size(line, max_ext)


def chunk_ext_refused(line: bytes, max_ext: int) -> int:
    if b";" in line:
        raise ProtocolError(400, "chunk extensions are not supported")
    return parse_chunk_size(line, max_ext)


def chunk_size_int(line: bytes, max_ext: int) -> int:
    """int(x, 16) on the size: 0x, +, -, _ and whitespace accepted, wrapping at 2^32."""
    return int_like_python(line.split(b";")[0], 16)


def chunk_data_end_any(buf: bytearray) -> Optional[int]:
    """LF alone, or any two octets, end the chunk data."""
    if not buf or (buf[0] != 10 and len(buf) < 2):
        return None
    return 1 if buf[0] == 10 else 2


# -- framing cases (issue 14) ------------------------------------------------------------------------------------
def content_length_octal(values: List[bytes], max_body: int) -> int:
    """strtol(value, NULL, 0): a Content-Length with a leading zero is octal (010 is 8, 0200 is 128)."""
    length = parse_content_length(values, max_body)
    text = values[0]
    if text[:1] == b"0" and len(text) > 1:
        digits = re.match(rb"[0-7]*", text).group()  # type: ignore[union-attr]
        return int(digits, 8) if digits else 0
    return length


def empty_chunked_body_refused(chunks: int, octets: int) -> None:
    """A chunked body whose first chunk is the last one is taken as malformed."""
    if octets == 0:
        raise ProtocolError(400, "empty chunked body")

# -- request cases (issue 14) ------------------------------------------------------------------------------------
def request_line_lf_to_space(data: bytes) -> bytes:
    """A bare LF before the first CRLF of what was received is read as a SP (``GET /<LF>HTTP/1.1`` is
    GET / HTTP/1.1)."""
    end = data.find(b"\r\n")
    if end < 0:
        return data
    return re.sub(rb"(?<!\r)\n", b" ", data[:end]) + data[end:]


def request_line_missing_target_is_root(line: bytes) -> RequestLine:
    """``GET HTTP/1.1`` (two words, the second a version) is read as ``GET / HTTP/1.1``."""
    parts = line.split(b" ")
    if len(parts) == 2 and parts[1].startswith(b"HTTP/"):
        return parse_rules.request_line(parts[0] + b" / " + parts[1])
    return parse_rules.request_line(line)


def request_line_backslash_as_slash(line: bytes) -> RequestLine:
    """A backslash in the request-target is read as ``/`` (as file systems with ``\\`` separators do)."""
    method, target, sent, version_, http09 = parse_rules.request_line(line)
    return method, target.replace(b"\\", b"/"), sent, version_, http09


def request_line_target_cut_at_nul(line: bytes) -> RequestLine:
    """The request-target ends at its first NUL, as a C string would (``/a<NUL>b`` is ``/a``)."""
    method, target, sent, version_, http09 = parse_rules.request_line(line)
    return method, target.split(b"\x00", 1)[0], sent, version_, http09


def line_without_space(line: bytes) -> bool:
    """A line with no SP in it cannot be a request-line: it is skipped, as if it were empty."""
    return b" " not in line


def invalid_method_is_unknown(line: bytes) -> RequestLine:
    """A method that is not a token is answered like an unknown method (501), not as a malformed request-line."""
    if not TOKEN.fullmatch(line.split(b" ", 1)[0]):
        raise ProtocolError(501, "method not implemented")
    return parse_rules.request_line(line)


H2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"


def h2_preface_swallowed(data: bytes) -> bytes:
    """The HTTP/2 connection preface is taken as the start of an HTTP/2 connection (prior knowledge): it and what
    follows it are read as frames that never complete, so nothing is answered."""
    return b"" if data.startswith(H2_PREFACE) else data


def request_line_version_space_joined(line: bytes) -> RequestLine:
    """``HTTP/ 1.1``: a SP right after ``HTTP/`` is dropped before the version is read."""
    return parse_rules.request_line(line.replace(b" HTTP/ ", b" HTTP/"))

"""The bundled server's request grammar (RFC 9112 / RFC 9110 / RFC 3986): pure checks of one delimited element.

Every function takes complete bytes and either returns the parsed value or raises :class:`ProtocolError`;
buffering and line splitting live in parser.py.  Each piece stands under the ABNF rule it transcribes.

This grammar is the server's own on purpose: the conformance suite's reference (h1conform.grammar, h11) is
written separately, so that one mistake made in both cannot hide itself.  Do not import one from the other.
"""
from __future__ import annotations

import ipaddress
import re
from typing import List, Tuple


class ProtocolError(Exception):
    """The request cannot be processed; answer ``status`` and close."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__("%d %s" % (status, reason))
        self.status = status
        self.reason = reason


# tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
_TCHAR = rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]"
# token = 1*tchar                                                       (RFC 9110 §5.6.2; method, field-name)
TOKEN = re.compile(_TCHAR + rb"+")
# HTTP-version = HTTP-name "/" DIGIT "." DIGIT ; HTTP-name = %s"HTTP"   (RFC 9112 §2.3: case-sensitive)
_VERSION = re.compile(rb"HTTP/([0-9])\.([0-9])")
# Content-Length = 1*DIGIT                                              (RFC 9110 §8.6)
_DIGITS = re.compile(rb"[0-9]+")
# chunk-size = 1*HEXDIG                                                 (RFC 9112 §7.1)
_HEX = re.compile(rb"[0-9A-Fa-f]*")
# field-value = *field-content ; field-vchar = VCHAR / obs-text         (RFC 9110 §5.5)
# a value holds no CTL but HTAB: CR, LF and NUL "MUST be rejected or replaced" (RFC 9110 §5.5); we reject
_BAD_VALUE = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")
# pchar = unreserved / pct-encoded / sub-delims / ":" / "@"             (RFC 3986 §3.3; "%" checked by _BAD_PCT)
_PCHARS = rb"[A-Za-z0-9\-._~!$&'()*+,;=:@%/]"
# origin-form = absolute-path [ "?" query ] ; absolute-path = 1*( "/" segment ) ; query = *( pchar / "/" / "?" )
_PATH_QUERY = re.compile(rb"(?:/" + _PCHARS + rb"*)?(?:\?(?:" + _PCHARS + rb"|\?)*)?")
# absolute-form = absolute-URI = scheme ":" hier-part [ "?" query ] ; scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
# (only the "//" authority form: http and https URIs always have one, RFC 9110 §4.2)
_ABSOLUTE = re.compile(rb"([A-Za-z][A-Za-z0-9+.\-]*)://([^/?#]*)(.*)", re.S)
# pct-encoded = "%" HEXDIG HEXDIG                                       (RFC 3986 §2.1)
_BAD_PCT = re.compile(rb"%(?![0-9A-Fa-f]{2})")
# reg-name = *( unreserved / pct-encoded / sub-delims )                 (RFC 3986 §3.2.2)
_REG_NAME = re.compile(rb"(?:[A-Za-z0-9\-._~!$&'()*+;=]|%[0-9A-Fa-f]{2})*")
# IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )     (RFC 3986 §3.2.2)
_IPV_FUTURE = re.compile(rb"v[0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+")
# quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE               (RFC 9110 §5.6.4)
# qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text ; quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
_QUOTED = rb'"(?:[\t !#-\[\]-~\x80-\xff]|\\[\t -~\x80-\xff])*"'
# chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )   (RFC 9112 §7.1.1)
# chunk-ext-name = token ; chunk-ext-val = token / quoted-string ; BWS = OWS = *( SP / HTAB )
_CHUNK_EXT = re.compile(
    rb"(?:[ \t]*;[ \t]*" + _TCHAR + rb"+(?:[ \t]*=[ \t]*(?:" + _TCHAR + rb"+|" + _QUOTED + rb"))?)+"
)


def valid_host(value: bytes, require_host: bool = False, require_port: bool = False) -> bool:
    """``Host = uri-host [ ":" port ]`` (RFC 9110 §7.2); ``uri-host = IP-literal / IPv4address / reg-name``,
    ``IP-literal = "[" ( IPv6address / IPvFuture ) "]"``, ``port = *DIGIT`` (RFC 3986 §3.2).  Commas,
    userinfo and bad ports are invalid.

    An empty value is valid (RFC 9112 §3.2) unless *require_host*.
    """
    if value.startswith(b"["):
        end = value.find(b"]")
        if end < 0:
            return False
        host, rest = value[1:end], value[end + 1 :]
        if b"%" in host:  # ipaddress accepts a zone id ("fe80::1%eth0"); RFC 3986 IPv6address has none
            return False
        if not _IPV_FUTURE.fullmatch(host):
            try:
                ipaddress.IPv6Address(host.decode("ascii"))
            except ValueError:
                return False
        if rest and not rest.startswith(b":"):
            return False
        port = rest[1:] if rest else None
    else:
        host, sep, port_part = value.partition(b":")
        if not _REG_NAME.fullmatch(host):
            return False
        port = port_part if sep else None
    if (require_host or port is not None) and not host:
        return False
    if not port:  # absent or empty port
        return not require_port
    return _DIGITS.fullmatch(port) is not None and len(port) <= 5 and int(port) <= 65535


def line_overflow(prefix: bytes) -> ProtocolError:
    """The error for a request-line longer than the limit, judged on its first *limit* octets."""
    sp = prefix.find(b" ")
    if sp < 0:
        if TOKEN.fullmatch(prefix):
            return ProtocolError(501, "method not implemented (too long)")
        return ProtocolError(400, "malformed request-line")
    if not TOKEN.fullmatch(prefix[:sp]):
        return ProtocolError(400, "invalid method")
    return ProtocolError(414, "request-target too long")


def split_request_line(line: bytes) -> Tuple[bytes, bytes, bytes]:
    """``request-line = method SP request-target SP HTTP-version`` (RFC 9112 §3), with exactly one SP each
    (the MAY to split on other whitespace is not taken); ``method = token``."""
    parts = line.split(b" ")
    if len(parts) != 3 or not all(parts):
        raise ProtocolError(400, "malformed request-line")
    if not TOKEN.fullmatch(parts[0]):
        raise ProtocolError(400, "invalid method")
    return parts[0], parts[1], parts[2]


def parse_version(version: bytes) -> Tuple[int, int]:
    """``HTTP-version`` (RFC 9112 §2.3).  Major != 1 -> 505; 1.x (x >= 1) -> (1, 1) (RFC 9110 §2.5: a higher
    minor version is handled as the highest one we implement)."""
    m = _VERSION.fullmatch(version)
    if m is None:
        raise ProtocolError(400, "invalid HTTP-version")
    if m.group(1) != b"1":
        raise ProtocolError(505, "HTTP version not supported")
    return (1, 0) if m.group(2) == b"0" else (1, 1)


def check_target(method: bytes, target: bytes) -> None:
    """``request-target = origin-form / absolute-form / authority-form / asterisk-form`` (RFC 9112 §3.2):
    authority-form for CONNECT only, asterisk-form for OPTIONS only, absolute-form with http/https only."""
    if _BAD_PCT.search(target):
        raise ProtocolError(400, "invalid percent-encoding in request-target")
    if method == b"CONNECT":
        if not valid_host(target, require_host=True, require_port=True):
            raise ProtocolError(400, "CONNECT needs an authority-form target")
        return
    if target.startswith(b"/"):
        if not _PATH_QUERY.fullmatch(target):
            raise ProtocolError(400, "invalid request-target")
        return
    if target == b"*":
        if method != b"OPTIONS":
            raise ProtocolError(400, "asterisk-form is only allowed with OPTIONS")
        return
    m = _ABSOLUTE.fullmatch(target)
    if m is None:
        raise ProtocolError(400, "invalid request-target")
    if m.group(1).lower() not in (b"http", b"https"):
        raise ProtocolError(400, "unsupported URI scheme in request-target")
    if b"@" in m.group(2):
        raise ProtocolError(400, "userinfo in request-target")
    if not valid_host(m.group(2), require_host=True):
        raise ProtocolError(400, "invalid authority in request-target")
    if not _PATH_QUERY.fullmatch(m.group(3)):
        raise ProtocolError(400, "invalid request-target")


def parse_field_line(line: bytes) -> Tuple[bytes, bytes]:
    """``field-line = field-name ":" OWS field-value OWS`` (RFC 9112 §5; the line without CRLF).

    obs-fold and any whitespace before the first field name get 400 (RFC 9112 §5.2: a server MUST either
    reject obs-fold with 400 or replace it; §2.2: whitespace-preceded first line: reject or ignore); so does
    whitespace between the name and the colon (RFC 9112 §5.1 MUST 400)."""
    if line[:1] in (b" ", b"\t"):
        raise ProtocolError(400, "obsolete line folding / whitespace-preceded line")
    colon = line.find(b":")
    if colon < 0:
        raise ProtocolError(400, "field line without colon")
    name = line[:colon]
    if not TOKEN.fullmatch(name):
        raise ProtocolError(400, "invalid field name")
    value = line[colon + 1 :].strip(b" \t")
    if _BAD_VALUE.search(value):
        raise ProtocolError(400, "invalid octet in field value")
    return name, value


def parse_content_length(values: List[bytes], max_body: int) -> int:
    """``Content-Length = 1*DIGIT`` on exactly one field line (RFC 9110 §8.6).  A list, even ``5, 5``, and
    repeats are rejected: the MAY to accept identical values (RFC 9112 §6.3) is not taken."""
    if len(values) > 1:
        raise ProtocolError(400, "more than one Content-Length field")
    if not _DIGITS.fullmatch(values[0]):
        raise ProtocolError(400, "invalid Content-Length")
    digits = values[0].lstrip(b"0") or b"0"
    if len(digits) > 18 or int(digits) > max_body:
        raise ProtocolError(413, "request body too large")
    return int(digits)


def check_transfer_coding(values: List[bytes]) -> None:
    """``Transfer-Encoding = #transfer-coding`` (RFC 9112 §6.1); the combined list must end in ``chunked``
    (case-insensitive) and hold nothing else this server implements: another coding gets 501 (RFC 9112 §6.1:
    "SHOULD respond with 501"), chunked twice or not last gets 400 (RFC 9112 §6.3)."""
    names = []
    for element in b",".join(values).split(b","):
        element = element.strip(b" \t")
        if not element:
            continue  # empty list elements are allowed (RFC 9110 §5.6.1)
        name, semi, _params = element.partition(b";")
        name = name.rstrip(b" \t")
        if not TOKEN.fullmatch(name):
            raise ProtocolError(400, "invalid Transfer-Encoding")
        if semi:
            raise ProtocolError(400, "parameters on a transfer coding")
        names.append(name.lower())
    if not names or names[-1] != b"chunked":
        raise ProtocolError(400, "final transfer coding is not chunked")
    if b"chunked" in names[:-1]:
        raise ProtocolError(400, "chunked applied more than once")
    if len(names) > 1:
        raise ProtocolError(501, "unsupported transfer coding")


def parse_chunk_size(line: bytes, max_ext: int) -> int:
    """``chunk-size [ chunk-ext ]`` (RFC 9112 §7.1; the line without CRLF): extensions are checked against
    the grammar, then ignored (RFC 9112 §7.1.1: a recipient MUST ignore extensions it does not understand)."""
    digits = _HEX.match(line).group()  # type: ignore[union-attr]
    ext = line[len(digits) :]
    if not digits:
        raise ProtocolError(400, "missing chunk size")
    if len(digits.lstrip(b"0")) > 16:
        raise ProtocolError(400, "chunk size too large")
    if len(ext) > max_ext:
        raise ProtocolError(400, "chunk extensions too long")
    if ext and not _CHUNK_EXT.fullmatch(ext):
        raise ProtocolError(400, "invalid chunk extension")
    return int(digits, 16)


# -- field values of RFC 9110, as text (the app reads decoded field values) --------------------------------------
# entity-tag = [ weak ] opaque-tag ; weak = %s"W/" ; opaque-tag = DQUOTE *etagc DQUOTE
# etagc = %x21 / %x23-7E / obs-text                                     (RFC 9110 §8.8.3); one list member, OWS around
ENTITY_TAG = re.compile(r'\s*(W/)?("[\x21\x23-\x7e\x80-\xff]*")\s*')
# HTTP-date = IMF-fixdate / obs-date ; obs-date = rfc850-date / asctime-date   (RFC 9110 §5.6.7)
MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
_DAY_NAME = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"  # day-name
_DAY_NAME_L = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"  # day-name-l
_MONTH = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"  # month
_TIME_OF_DAY = r"([0-9]{2}):([0-9]{2}):([0-9]{2})"  # time-of-day = hour ":" minute ":" second
# IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT ; date1 = day SP month SP year
IMF_FIXDATE = re.compile(_DAY_NAME + r", ([0-9]{2}) " + _MONTH + r" ([0-9]{4}) " + _TIME_OF_DAY + r" GMT")
# rfc850-date = day-name-l "," SP date2 SP time-of-day SP GMT ; date2 = day "-" month "-" 2DIGIT
RFC850_DATE = re.compile(_DAY_NAME_L + r", ([0-9]{2})-" + _MONTH + r"-([0-9]{2}) " + _TIME_OF_DAY + r" GMT")
# asctime-date = day-name SP date3 SP time-of-day SP year ; date3 = month SP ( 2DIGIT / ( SP DIGIT ) )
ASCTIME_DATE = re.compile(_DAY_NAME + r" " + _MONTH + r" ([0-9 ][0-9]) " + _TIME_OF_DAY + r" ([0-9]{4})")
# media-type = type "/" subtype parameters ; type = subtype = token      (RFC 9110 §8.3.1; parameters loosely)
MEDIA_TYPE = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:[ \t]*;[\x20-\x7e\t]*)?")
# weight = OWS ";" OWS "q=" qvalue ; qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )  (RFC 9110 §12.4.2)
# (here the part after ";": any digit before the point, checked for <= 1 by the caller; "q" case-insensitive)
QVALUE = re.compile(r"[ \t]*q[ \t]*=[ \t]*([0-9](?:\.[0-9]{0,3})?)[ \t]*", re.I)
# int-range = first-pos "-" [ last-pos ] ; suffix-range = "-" suffix-length   (RFC 9110 §14.1.1), OWS around
RANGE_SPEC = re.compile(r"\s*(?:([0-9]+)-([0-9]*)|-([0-9]+))\s*")

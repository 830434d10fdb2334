"""The reference's grammar: RFC 9110 / RFC 9112 (and the RFC 3986 pieces they use) as named regex pieces.

Modelled on h11's ``_abnf.py``: every piece sits under the ABNF rule it
implements, and every place where we are stricter or looser than the RFC says
why.  The pieces are bytes patterns.  This is the one grammar module of the
reference side: the strict response layer (:mod:`h1conform.strict`), the
reference request parser (:mod:`h1conform.request_walk`), the cases and the
fuzzers (``h1conform_fuzz``) all take their rules from here, and nothing else
on that side compiles a piece of HTTP grammar of its own.

Unlike h11 we do *not* accept the leniencies a robust parser may allow (bare
LF, obs-fold, whitespace after a chunk size).  This module describes what a
*sender* must generate (RFC 9110 §2.2: "a sender MUST NOT generate protocol
elements that do not match the grammar"), which is what we hold servers to.

The bundled server (``h1conform_server``, server_under_test/grammar.py) has a
grammar of its own and imports nothing from here, on purpose: it is the thing
under test, and the reference checks it (the differential fuzzer compares the
two parsers).  Sharing these pieces would make a grammar mistake agree with
itself, so the duplication across the two sides is deliberate and is kept.
"""

from __future__ import annotations

import re

# RFC 5234 Appendix B.1 core rules -------------------------------------------

# DIGIT = %x30-39
DIGIT = rb"[0-9]"
# HEXDIG (case-insensitive per RFC 5234 §2.3)
HEXDIG = rb"[0-9A-Fa-f]"
# SP, HTAB, VCHAR
SP = rb" "
HTAB = rb"\t"
VCHAR = rb"[\x21-\x7e]"

# RFC 9110 §5.5: obs-text = %x80-FF
OBS_TEXT = rb"[\x80-\xff]"

# RFC 9110 §5.6.3: OWS = *( SP / HTAB ); RWS = 1*( SP / HTAB ); BWS = OWS
OWS = rb"[ \t]*"
RWS = rb"[ \t]+"
BWS = OWS

# RFC 9110 §5.6.2
# tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
#         "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
TCHAR = rb"[-!#$%&'*+.^_`|~0-9A-Za-z]"
# token = 1*tchar
TOKEN = TCHAR + rb"+"

# RFC 9110 §5.6.4
# qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
QDTEXT = rb"[\t !\x23-\x5b\x5d-\x7e\x80-\xff]"
# quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
QUOTED_PAIR = rb"\\[\t \x21-\x7e\x80-\xff]"
# quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
QUOTED_STRING = rb'"(?:' + QDTEXT + rb"|" + QUOTED_PAIR + rb')*"'

# RFC 9110 §5.5
# field-name = token
FIELD_NAME = TOKEN
# field-vchar = VCHAR / obs-text
FIELD_VCHAR = rb"[\x21-\x7e\x80-\xff]"
# field-content = field-vchar [ 1*( SP / HTAB / field-vchar ) field-vchar ]
FIELD_CONTENT = FIELD_VCHAR + rb"(?:[ \t\x21-\x7e\x80-\xff]*" + FIELD_VCHAR + rb")?"
# field-value = *field-content
# (written as an optional field-content: a run of field-content pieces
# collapses to one because SP/HTAB are allowed between field-vchars)
FIELD_VALUE = rb"(?:" + FIELD_CONTENT + rb")?"

# RFC 9112 §5: field-line = field-name ":" OWS field-value OWS
# obs-fold is *not* included: RFC 9112 §5.2 says a server MUST NOT generate it.
FIELD_LINE = (
    rb"(?P<field_name>" + FIELD_NAME + rb")"
    rb":" + OWS + rb"(?P<field_value>" + FIELD_VALUE + rb")" + OWS
)

# RFC 9112 §2.3: HTTP-version = HTTP-name "/" DIGIT "." DIGIT ; HTTP-name = %s"HTTP"
# %s means case-sensitive: "http/1.1" does not match.
HTTP_VERSION = rb"HTTP/(?P<major>" + DIGIT + rb")\.(?P<minor>" + DIGIT + rb")"

# RFC 3986 pieces for request-target (RFC 9112 §3.2) and Host (RFC 9110 §7.2) ------

# unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"
UNRESERVED = rb"[A-Za-z0-9\-._~]"
# pct-encoded = "%" HEXDIG HEXDIG
PCT_ENCODED = rb"%" + HEXDIG + HEXDIG
# sub-delims = "!" / "$" / "&" / "'" / "(" / ")" / "*" / "+" / "," / ";" / "="
SUB_DELIMS = rb"[!$&'()*+,;=]"
# pchar = unreserved / pct-encoded / sub-delims / ":" / "@"
PCHAR = rb"(?:" + UNRESERVED + rb"|" + PCT_ENCODED + rb"|" + SUB_DELIMS + rb"|[:@])"
# query = *( pchar / "/" / "?" )
QUERY = rb"(?:" + PCHAR + rb"|[/?])*"
# segment = *pchar ; path-abempty = *( "/" segment )
PATH_ABEMPTY = rb"(?:/" + PCHAR + rb"*)*"
# RFC 9110 §4.1: absolute-path = 1*( "/" segment )
ABSOLUTE_PATH = rb"(?:/" + PCHAR + rb"*)+"
# dec-octet = DIGIT / %x31-39 DIGIT / "1" 2DIGIT / "2" %x30-34 DIGIT / "25" %x30-35
DEC_OCTET = rb"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]|[0-9])"
# IPv4address = dec-octet "." dec-octet "." dec-octet "." dec-octet
IPV4 = DEC_OCTET + rb"(?:\." + DEC_OCTET + rb"){3}"
# h16 = 1*4HEXDIG ; ls32 = ( h16 ":" h16 ) / IPv4address
H16 = HEXDIG + rb"{1,4}"
LS32 = rb"(?:" + H16 + rb":" + H16 + rb"|" + IPV4 + rb")"


def _h16s(n: int) -> bytes:  # n( h16 ":" )
    return rb"(?:" + H16 + rb":){%d}" % n


def _pre(n: int) -> bytes:  # [ *n( h16 ":" ) h16 ]
    return rb"(?:(?:" + H16 + rb":){0,%d}" % n + H16 + rb")?"


# IPv6address, the nine alternatives of RFC 3986 §3.2.2 verbatim (no zone identifier: RFC 6874 is not part of HTTP)
IPV6 = rb"(?:" + rb"|".join([
    _h16s(6) + LS32,                       #                            6( h16 ":" ) ls32
    rb"::" + _h16s(5) + LS32,              #                       "::" 5( h16 ":" ) ls32
    rb"(?:" + H16 + rb")?::" + _h16s(4) + LS32,  # [               h16 ] "::" 4( h16 ":" ) ls32
    _pre(1) + rb"::" + _h16s(3) + LS32,    # [ *1( h16 ":" ) h16 ] "::" 3( h16 ":" ) ls32
    _pre(2) + rb"::" + _h16s(2) + LS32,    # [ *2( h16 ":" ) h16 ] "::" 2( h16 ":" ) ls32
    _pre(3) + rb"::" + H16 + rb":" + LS32,  # [ *3( h16 ":" ) h16 ] "::"    h16 ":"   ls32
    _pre(4) + rb"::" + LS32,               # [ *4( h16 ":" ) h16 ] "::"              ls32
    _pre(5) + rb"::" + H16,                # [ *5( h16 ":" ) h16 ] "::"              h16
    _pre(6) + rb"::",                      # [ *6( h16 ":" ) h16 ] "::"
]) + rb")"
# IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
IPVFUTURE = rb"v" + HEXDIG + rb"+\.(?:" + UNRESERVED + rb"|" + SUB_DELIMS + rb"|:)+"
# IP-literal = "[" ( IPv6address / IPvFuture ) "]"
IP_LITERAL = rb"\[(?:" + IPV6 + rb"|" + IPVFUTURE + rb")\]"
# reg-name = *( unreserved / pct-encoded / sub-delims )
REG_NAME = rb"(?:" + UNRESERVED + rb"|" + PCT_ENCODED + rb"|" + SUB_DELIMS + rb")*"
# host = IP-literal / IPv4address / reg-name   (RFC 9110 §4.2.1: uri-host = <host, see RFC 3986 §3.2.2>)
# IPv4address is a reg-name, syntactically, so it needs no alternative of its own.
URI_HOST = rb"(?:" + IP_LITERAL + rb"|" + REG_NAME + rb")"
# port = *DIGIT; an origin server takes it as a TCP port: at most 5 digits, <= 65535 (checked by the user)
PORT = DIGIT + rb"{0,5}"

# RFC 9110 §7.2: Host = uri-host [ ":" port ]
HOST = rb"(?P<host>" + URI_HOST + rb")(?::(?P<port>" + PORT + rb"))?"

# RFC 9112 §3.2: request-target = origin-form / absolute-form / authority-form / asterisk-form
# origin-form = absolute-path [ "?" query ]
ORIGIN_FORM = ABSOLUTE_PATH + rb"(?:\?" + QUERY + rb")?"
# absolute-form = absolute-URI; we model an *origin server*: only the http and https schemes (RFC 9110 §4.2),
# scheme case-insensitive (RFC 3986 §3.1), the authority checked as a Host value by the user (userinfo is an
# error, RFC 9110 §4.2.4).  No fragment: absolute-URI has none.
ABSOLUTE_FORM = rb"(?i:https?)://(?P<authority>[^/?#]*)" + PATH_ABEMPTY + rb"(?:\?" + QUERY + rb")?"
# authority-form = uri-host ":" port   (CONNECT only; the port is required: at least one digit)
AUTHORITY_FORM = rb"(?P<host>" + URI_HOST + rb"):(?P<port>" + DIGIT + rb"{1,5})"
# asterisk-form = "*"   (OPTIONS only)
ASTERISK_FORM = rb"\*"

# RFC 9112 §3: request-line = method SP request-target SP HTTP-version ; method = token
# Split on the two SP first (each piece is then matched on its own, so a rejection can say which piece is bad).
METHOD = TOKEN
REQUEST_LINE = rb"(?P<method>[^ ]*) (?P<target>[^ ]*) (?P<version>[^ ]*)"

# RFC 9112 §4
# status-code = 3DIGIT
STATUS_CODE = DIGIT + rb"{3}"
# reason-phrase = 1*( HTAB / SP / VCHAR / obs-text )
REASON_PHRASE = rb"[\t \x21-\x7e\x80-\xff]+"
# status-line = HTTP-version SP status-code SP [ reason-phrase ]
# The SP after the status code is required even when the reason is empty.
STATUS_LINE = (
    HTTP_VERSION + SP + rb"(?P<status_code>" + STATUS_CODE + rb")" + SP
    + rb"(?P<reason>" + REASON_PHRASE + rb")?"
)

# RFC 9112 §7.1: chunk-size = 1*HEXDIG
CHUNK_SIZE = HEXDIG + rb"+"
# RFC 9112 §7.1.1
# chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
# chunk-ext-name = token ; chunk-ext-val = token / quoted-string
CHUNK_EXT = (
    rb"(?:" + BWS + rb";" + BWS + TOKEN
    + rb"(?:" + BWS + rb"=" + BWS + rb"(?:" + TOKEN + rb"|" + QUOTED_STRING + rb"))?)*"
)
# chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF   (the size line part)
# Deviation from h11: h11 accepts whitespace after the size without an
# extension (a known desync vector); the grammar above does not, since BWS
# is only allowed when a ";" follows.
CHUNK_LINE = rb"(?P<chunk_size>" + CHUNK_SIZE + rb")(?P<chunk_ext>" + CHUNK_EXT + rb")\r\n"

# RFC 9110 §5.6.7: HTTP-date = IMF-fixdate / obs-date
# day-name = %s"Mon" / %s"Tue" / %s"Wed" / %s"Thu" / %s"Fri" / %s"Sat" / %s"Sun"
DAY_NAME = rb"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
# month = %s"Jan" / %s"Feb" / ... / %s"Dec"
MONTH = rb"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
# time-of-day = hour ":" minute ":" second ; hour, minute, second = 2DIGIT
TIME_OF_DAY = DIGIT + rb"{2}:" + DIGIT + rb"{2}:" + DIGIT + rb"{2}"
# IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT ; date1 = day SP month SP year ; day = 2DIGIT
IMF_FIXDATE = DAY_NAME + rb", " + DIGIT + rb"{2} " + MONTH + rb" " + DIGIT + rb"{4} " + TIME_OF_DAY + rb" GMT"
# obs-date = rfc850-date / asctime-date  (a recipient MUST accept them, a sender MUST generate IMF-fixdate)
# day-name-l = %s"Monday" / ... / %s"Sunday"
DAY_NAME_L = rb"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# rfc850-date = day-name-l "," SP date2 SP time-of-day SP GMT ; date2 = day "-" month "-" 2DIGIT
RFC850_DATE = DAY_NAME_L + rb", " + DIGIT + rb"{2}-" + MONTH + rb"-" + DIGIT + rb"{2} " + TIME_OF_DAY + rb" GMT"
# asctime-date = day-name SP date3 SP time-of-day SP year ; date3 = month SP ( 2DIGIT / ( SP DIGIT ) )
ASCTIME_DATE = DAY_NAME + rb" " + MONTH + rb" (?:" + DIGIT + rb"{2}| " + DIGIT + rb") " + TIME_OF_DAY + rb" " \
    + DIGIT + rb"{4}"
HTTP_DATE = rb"(?:" + IMF_FIXDATE + rb"|" + RFC850_DATE + rb"|" + ASCTIME_DATE + rb")"

# RFC 9110 §8.8.3: entity-tag = [ weak ] opaque-tag ; weak = %s"W/" ; opaque-tag = DQUOTE *etagc DQUOTE
# etagc = %x21 / %x23-7E / obs-text   (VCHAR except DQUOTE, plus obs-text)
ETAGC = rb"[\x21\x23-\x7e\x80-\xff]"
ENTITY_TAG = rb"(?P<weak>W/)?" + rb'"' + ETAGC + rb'*"'

# RFC 9110 §8.3.1: media-type = type "/" subtype parameters ; type = token ; subtype = token
# parameters = *( OWS ";" OWS [ parameter ] ) ; parameter = parameter-name "=" parameter-value
# parameter-name = token ; parameter-value = ( token / quoted-string )
PARAMETER = TOKEN + rb"=(?:" + TOKEN + rb"|" + QUOTED_STRING + rb")"
PARAMETERS = rb"(?:" + OWS + rb";" + OWS + rb"(?:" + PARAMETER + rb")?)*"
MEDIA_TYPE = rb"(?P<type>" + TOKEN + rb")/(?P<subtype>" + TOKEN + rb")(?P<parameters>" + PARAMETERS + rb")"
# one parameter of a parameters list, for iterating over them (RFC 9110 §5.6.6: names are case-insensitive)
PARAMETER_ITEM = rb";" + OWS + rb"(?P<name>" + TOKEN + rb")=(?P<value>" + TOKEN + rb"|" + QUOTED_STRING + rb")"

# RFC 9110 §14.4: Content-Range = range-unit SP ( range-resp / unsatisfied-range ), here for the "bytes" unit
# range-resp = incl-range "/" ( complete-length / "*" ) ; incl-range = first-pos "-" last-pos ; *-pos = 1*DIGIT
# (groups 1-3: first-pos, last-pos, complete-length or "*"; unsatisfied-range = "*/" complete-length is not matched)
CONTENT_RANGE_BYTES = rb"bytes (" + DIGIT + rb"+)-(" + DIGIT + rb"+)/(" + DIGIT + rb"+|\*)"

# RFC 9110 §11.3: challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ] ; auth-scheme = token
AUTH_SCHEME = TOKEN

# RFC 9112 §2.2: a bare CR (a CR not immediately followed by LF) is invalid; a bare LF is a line end only by
# a recipient's leniency (MAY).  Neither is ABNF; both are what the strict layer looks for.
BARE_CR = rb"\r(?!\n)"
BARE_LF = rb"(?<!\r)\n"
# RFC 9110 §5.5: CTLs a field value must not carry (HTAB is allowed; NUL, CR, LF must be rejected or replaced)
FIELD_VALUE_CTL = rb"[\x00-\x08\x0a-\x1f\x7f]"

# Compiled forms ---------------------------------------------------------------

status_line_re = re.compile(STATUS_LINE)
field_line_re = re.compile(FIELD_LINE)
chunk_line_re = re.compile(CHUNK_LINE)
imf_fixdate_re = re.compile(IMF_FIXDATE)
http_date_re = re.compile(HTTP_DATE)
entity_tag_re = re.compile(ENTITY_TAG)
media_type_re = re.compile(MEDIA_TYPE)
parameter_item_re = re.compile(PARAMETER_ITEM)
token_re = re.compile(TOKEN)
content_range_bytes_re = re.compile(CONTENT_RANGE_BYTES)
bare_cr_re = re.compile(BARE_CR)
bare_lf_re = re.compile(BARE_LF)
field_value_ctl_re = re.compile(FIELD_VALUE_CTL)
request_line_re = re.compile(REQUEST_LINE)
http_version_re = re.compile(HTTP_VERSION)
host_re = re.compile(HOST)
origin_form_re = re.compile(ORIGIN_FORM)
absolute_form_re = re.compile(ABSOLUTE_FORM)
authority_form_re = re.compile(AUTHORITY_FORM)
# A Content-Length value a sender may generate: RFC 9110 §8.6 1*DIGIT.
content_length_re = re.compile(DIGIT + rb"+")

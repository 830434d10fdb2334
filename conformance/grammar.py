"""RFC 9110 / RFC 9112 grammar as named regular-expression pieces.

Modelled on h11's ``_abnf.py``: every piece sits under the ABNF rule it
implements, and every place where we are stricter or looser than the RFC says
why.  The pieces are bytes patterns; they are shared by the strict response
layer (:mod:`h1conform.strict`) and by the fuzzers.

Unlike h11 we do *not* accept the leniencies a robust parser may allow (bare
LF, obs-fold, whitespace after a chunk size).  This module describes what a
*sender* must generate (RFC 9110 §2.2: "a sender MUST NOT generate protocol
elements that do not match the grammar"), which is what we hold servers to.
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

# RFC 9110 §5.6.7: IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT
DAY_NAME = rb"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
MONTH = rb"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
IMF_FIXDATE = (
    DAY_NAME + rb", " + DIGIT + rb"{2} " + MONTH + rb" " + DIGIT + rb"{4} "
    + DIGIT + rb"{2}:" + DIGIT + rb"{2}:" + DIGIT + rb"{2} GMT"
)

# Compiled forms used by the strict layer --------------------------------------

status_line_re = re.compile(STATUS_LINE)
field_line_re = re.compile(FIELD_LINE)
chunk_line_re = re.compile(CHUNK_LINE)
imf_fixdate_re = re.compile(IMF_FIXDATE)
token_re = re.compile(TOKEN)
# A Content-Length value a sender may generate: RFC 9110 §8.6 1*DIGIT.
content_length_re = re.compile(DIGIT + rb"+")

"""The oracles of ``h1conform fuzz``: pair responses with requests, and report only with evidence.

Pairing.  Response *i* answers request *i* only while the target has read the stream the way the
reference did.  Pairing therefore stops after the first response whose request the target may have
read differently: an error status (it may have refused the request before its end), a response that
says ``close`` or answers a request after which the connection must close, and the response to the
request the reference rejects (a lenient target may read those bytes as anything).  Nothing after the
stop point is framed (HEAD/204/304 bodies depend on which request a response answers) or owed; it is
only seen as "more responses followed", which is the evidence for the must-close rules.

Evidence.  A request the reference rejects is a finding only when the RFC leaves the target no other
choice (:func:`requirement`: MUST 400, or MUST close after responding) -- bare LF, obs-fold, extra
whitespace in the request-line, other CTLs, bad targets are MAY or SHOULD (the target may accept them);
those are counted as *notes*, not findings.  A valid request answered with 400 is a finding only for the
bundled server, whose specification the reference is (``spec=True``); against any other target it is a
note (no RFC requirement makes a server accept a request).  Every finding quotes its rule (the
requirement id of ``fixtures/spec/requirements.tsv`` and its anchor sentence).

Deduplication.  :func:`signature` is kind + requirement id + the normalised trigger (the rule's cause
without the mutated bytes or numbers), so one cause found 500 times is one line with a count.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from typing import List, Optional, Tuple

from h1conform import grammar
from h1conform.reference import RequestInfo, parse_responses
from h1conform.request_walk import target_parts

_PARSER_STATUSES = {400, 408, 411, 413, 414, 417, 431, 500, 501, 505}


@dataclass
class Verdict:
    kind: str
    detail: str
    rule: str = ""  # "<requirement id> <LEVEL>: <the RFC sentence>"; empty for the reference's own oracles
    trigger: str = ""  # the normalised cause (signature); empty: derived from the detail
    note: bool = False  # not a finding: the RFC permits it, or only a SHOULD is involved


@dataclass(frozen=True)
class Requirement:
    req_id: str
    level: str
    quote: str
    reject: bool = False  # MUST reject: a 2xx/3xx is a finding
    close: bool = False  # MUST close after responding: a further response is a finding

    @property
    def text(self) -> str:
        return f"{self.req_id} {self.level}: {self.quote}"


def _r(req_id, level, quote, reject=False, close=False) -> Requirement:
    return Requirement(req_id, level, quote, reject, close)


HOST = _r("RFC9112-3.2-r3/r4/r5", "MUST", "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1 "
          "request message that lacks a Host header field and to any request message that contains more than one "
          "Host header field line or a Host header field with an invalid field value.", reject=True)
WS_COLON = _r("RFC9112-5.1-r1", "MUST", "A server MUST reject, with a response status code of 400 (Bad Request), any "
              "received request message that contains whitespace between a header field name and colon.", reject=True)
BAD_CL = _r("RFC9112-6.3-r4", "MUST", "If the unrecoverable error is in a request message, the server MUST respond "
            "with a 400 (Bad Request) status code and then close the connection.", reject=True, close=True)
CL_LIST = _r("RFC9112-6.3-r5", "MAY", "unless the field value can be successfully parsed as a comma-separated list, all "
             "values in the list are valid, and all values in the list are the same")
TE_FINAL = _r("RFC9112-6.3-r3", "MUST", "If a Transfer-Encoding header field is present in a request and the chunked "
              "transfer coding is not the final encoding, ... the server MUST respond with the 400 (Bad Request) "
              "status code and then close the connection.", reject=True, close=True)
TE_PARAM = _r("RFC9112-7.1-r6", "SHOULD", "The chunked coding does not define any parameters. Their presence SHOULD "
              "be treated as an error.")
TE_OTHER = _r("RFC9112-6.1-r7", "SHOULD", "A server that receives a request message with a transfer coding it does "
              "not understand SHOULD respond with 501 (Not Implemented).")
CL_TE = _r("RFC9112-6.1-r10", "MUST", "Regardless, the server MUST close the connection after responding to such a "
           "request to avoid the potential attacks.", close=True)
TE_10 = _r("RFC9112-6.1-r11", "MUST", "A server or client that receives an HTTP/1.0 message containing a "
           "Transfer-Encoding header field MUST treat the message as if the framing is faulty, even if a "
           "Content-Length is present, and close the connection after processing the message.", close=True)
CLOSE_REQ = _r("RFC9112-9.6-r4", "MUST NOT", "A server that receives a \"close\" connection option MUST initiate "
               "closure of the connection after it sends the final response to the request that contained the "
               "\"close\" connection option. ... The server MUST NOT process any further requests received on that "
               "connection.")
CLOSE_10 = _r("RFC9112-9.3-r3", "MUST", "If the received protocol is HTTP/1.0, the \"keep-alive\" connection option is "
              "present, ... the connection will persist after the current response; otherwise, the connection will "
              "close after the current response.")
CLOSE_RESP = _r("RFC9112-9.6-r6", "MUST NOT", "A server that sends a \"close\" connection option MUST initiate closure "
                "of the connection after it sends the response containing the \"close\" connection option. The "
                "server MUST NOT process any further requests received on that connection.")
PERMITTED = {  # reference rules a target may accept: (requirement id, level, why a 2xx is no evidence)
    "bare-lf": ("RFC9112-2.2-r2", "MAY", "a recipient MAY recognize a single LF as a line terminator"),
    "bare-cr": ("RFC9112-2.2-r3", "MUST", "MUST consider that element to be invalid or replace each bare CR with SP"),
    "obs-fold": ("RFC9112-5.2-r2", "MUST", "MUST either reject the message ... or replace each received obs-fold "
                 "with one or more SP octets"),
    "ws-before-field": ("RFC9112-2.2-r7", "MUST", "MUST either reject the message as invalid or consume each "
                        "whitespace-preceded line without further processing of it"),
    "request-line": ("RFC9112-3.2-r1", "SHOULD", "Recipients of an invalid request-line SHOULD respond with either "
                     "a 400 (Bad Request) error or a 301"),
    "target": ("RFC9112-3.2-r1", "SHOULD", "Recipients of an invalid request-line SHOULD respond with either a 400 "
               "(Bad Request) error or a 301"),
    "version": ("RFC9110-15.6.6", "MAY", "505: the server does not support, or refuses to support, the major version"),
    "chunk-line": ("RFC9112-2.2-r8", "SHOULD", "the server SHOULD respond with a 400 (Bad Request) response and "
                   "close the connection"),
    "chunk-crlf": ("RFC9112-2.2-r8", "SHOULD", "the server SHOULD respond with a 400 (Bad Request) response and "
                   "close the connection"),
}
_WS_OR = ("RFC9112-3-r1", "MAY", "recipients MAY instead parse on whitespace-delimited word boundaries")
_CTL = ("RFC9110-5.5-r4", "MAY", "recipients MAY retain such characters for the sake of robustness")
_NUL = ("RFC9110-5.5-r3", "MUST", "MUST either reject the message or replace each of those characters with SP")
_GRAMMAR = ("RFC9112-2.2-r8", "SHOULD", "the server SHOULD respond with a 400 (Bad Request) response and close")


def _quoted(detail: str) -> bytes:
    m = re.search(r"b(['\"]).*\1", detail)
    if not m:
        return b""
    try:
        return ast.literal_eval(m.group(0))
    except (ValueError, SyntaxError):
        return b""


def _trigger(text: str) -> str:
    """The cause without the mutated bytes: quoted bytes, numbers and offsets go."""
    text = re.sub(r"b(['\"]).*?\1(?=[ )\]:;,]|$)", "…", text)
    text = re.sub(r"bytearray\(.*?\)(?=[ )\]:;,]|$)", "…", text)
    text = re.sub(r"\b(at offset|offset) [0-9]+", "", text)
    return re.sub(r"[0-9]+", "N", text).strip()[:100]


def _head_values(data: bytes, start: int, name: bytes) -> List[bytes]:
    end = data.find(b"\r\n\r\n", start)
    head = data[start:end if end >= 0 else len(data)]
    return [ln.split(b":", 1)[1].strip(b" \t") for ln in head.split(b"\r\n")[1:]
            if b":" in ln and ln.split(b":", 1)[0].lower() == name]


def requirement(rej, data: bytes) -> Tuple[Requirement, str]:
    """The RFC requirement a target that answered the request *rej* rejects could break, and the trigger."""
    rule, detail = rej.rule, rej.detail
    trigger = f"{rule}: {_trigger(detail)}"
    if rule == "host":
        return HOST, trigger
    if rule == "field-line":
        line = _quoted(detail)
        if re.match(grammar.TOKEN + grammar.RWS + rb":", line):
            return WS_COLON, "field-line: whitespace between field name and colon"
        value = line.split(b":", 1)[1] if b":" in line else b""
        if b":" in line and grammar.token_re.fullmatch(line.split(b":", 1)[0]) and grammar.field_value_ctl_re.search(value):
            req_id, level, quote = _NUL if b"\x00" in value else _CTL
            return _r(req_id, level, quote), "field-line: CTL in a field value"
        return _r(*_GRAMMAR), "field-line: not name \":\" value"
    if rule == "content-length":
        vals = [e.strip(b" \t") for v in _head_values(data, rej.offset, b"content-length") for e in v.split(b",")]
        if vals and all(v.isdigit() for v in vals) and len(set(vals)) == 1:
            return CL_LIST, "content-length: a list of one repeated valid value"
        return BAD_CL, trigger
    if rule == "te":
        if "final" in detail:
            codings = [e.strip(b" \t").lower() for v in _head_values(data, rej.offset, b"transfer-encoding")
                       for e in v.split(b",") if e.strip(b" \t")]
            if codings and codings[-1].split(b";")[0].strip(b" \t") == b"chunked":
                return TE_PARAM, "te: parameters on chunked"
            return TE_FINAL, trigger
        return TE_OTHER, trigger
    if rule == "cl-te":
        return CL_TE, trigger
    if rule == "te-http10":
        return TE_10, trigger
    if rule == "request-line" and re.search(rb"[ \t]{2}|\t|[ \t]$| HTTP/\S+ +$", _quoted(detail) or b"x"):
        return _r(*_WS_OR), "request-line: whitespace other than one SP"
    req_id, level, quote = PERMITTED.get(rule, _GRAMMAR)
    return _r(req_id, level, quote), trigger


# -- pairing ------------------------------------------------------------------------------------------
def _tokens(req, name: bytes) -> set:
    return {t.strip(b" \t").lower() for n, v in req.headers if n.lower() == name for t in v.split(b",") if t.strip()}


def must_close(req) -> Optional[Requirement]:
    """After this request the server MUST close (Connection: close; HTTP/1.0 without keep-alive)."""
    opts = _tokens(req, b"connection")
    if b"close" in opts:
        return CLOSE_REQ
    if req.version < (1, 1) and b"keep-alive" not in opts:
        return CLOSE_10
    return None


def _has_body(req) -> bool:
    return bool(req.body) or bool(_tokens(req, b"transfer-encoding")) or bool(_tokens(req, b"content-length") - {b"0"})


@dataclass
class Paired:
    responses: list  # trusted responses, response i answering request i (the last may answer the rejected one)
    after: bytes  # what the target sent after the last trusted response (not framed)
    error: Optional[str]  # an unparseable response inside the trusted part
    stop: str  # why pairing stopped
    error_index: int = -1  # which response the error is in
    error_bytes: bytes = b""  # the received bytes from the start of that response

    @property
    def more(self) -> bool:
        """The target sent another response after the last trusted one."""
        return self.after.lstrip(b"\r\n")[:5] == b"HTTP/"


def _pair(reader, ref, n_slots: int) -> Paired:
    n_ref = len(ref.requests)
    trusted, stop = [], "end of the responses"
    for i, resp in enumerate(reader.responses):
        if i >= n_slots:
            stop = "a response to no request the reference read"
            break
        trusted.append(resp)
        if not resp.complete:
            stop = "incomplete response"
            break
        if i >= n_ref:
            stop = "the response to the request the reference rejects"
            break
        req = ref.requests[i]
        if resp.says_close or must_close(req) is not None:
            stop = "the connection must close"
            break
        if resp.status >= 400 and (resp.status in _PARSER_STATUSES or _has_body(req)):
            stop = f"the target refused request {i} ({resp.status}): it may have read it differently"
            break
    else:
        if reader.error and len(reader.responses) < n_slots:  # an unparseable head where a response was due
            end = trusted[-1].end if trusted else 0
            return Paired(trusted, b"", reader.error, "unparseable", len(trusted), reader.stream[end:])
    last = trusted[-1] if trusted else None
    if reader.error and last is not None and not last.complete:
        return Paired(trusted, b"", reader.error, stop, len(trusted) - 1, reader.stream[last.start:])
    end = last.end if last is not None else 0
    return Paired(trusted, reader.stream[end:], None, stop)


def pair(ref, data: bytes, received: bytes, eof: bool, *, judge_rejected: bool = True) -> Paired:
    """Trusted responses.  The rejected request's response is framed as answering its method if the bytes
    there start with ``HEAD``/``GET``-like token, else as GET, then HEAD -- the framing after which the
    stream ends or a status line follows wins."""
    infos = [RequestInfo(r.method.decode("latin-1"), "1.1") for r in ref.requests]
    cands = [infos]
    if ref.rejection is not None and judge_rejected:
        m = grammar.token_re.match(data, ref.rejection.offset)
        first = "HEAD" if m and m.group() == b"HEAD" else "GET"
        cands = [infos + [RequestInfo(first)], infos + [RequestInfo("GET" if first == "HEAD" else "HEAD")]]
    best = None
    for infos_c in cands:
        p = _pair(parse_responses(received, infos_c, eof=eof), ref, len(infos_c))
        if best is None:
            best = p
        if p.error is None and (not p.after or p.more):
            return p
    return best


def _close_trigger(need: Requirement, raw: bytes) -> str:
    low = raw.lower()
    if need is CLOSE_RESP:
        return "the response said close"
    if need is CLOSE_REQ:
        return "request has close" + (" and keep-alive" if b"keep-alive" in low else "")
    return "HTTP/1.0 without a keep-alive option" + ("; 'keep-alive' inside another value" if b"keep-alive" in low
                                                     else "")


# -- echo ---------------------------------------------------------------------------------------------
def is_echo(echo_path: Optional[str], req) -> bool:
    if not echo_path:
        return False
    return target_parts(req.target)[1] == echo_path.encode("latin-1")


def echo_verdicts(echo_path: Optional[str], i: int, req, resp) -> List[Verdict]:
    if resp.status != 200 or req.method == b"HEAD" or not is_echo(echo_path, req):
        return []
    try:
        seen = json.loads(resp.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return [Verdict("echo", f"response {i} from the echo path is not JSON: {resp.body[:60]!r}")]
    dec = lambda b: b.decode("latin-1")  # noqa: E731
    want = {
        "method": dec(req.method), "target": dec(req.target), "version": "HTTP/%d.%d" % req.version,
        "headers": [[dec(n), dec(v)] for n, v in req.headers], "body": dec(req.body),
        "trailers": [[dec(n), dec(v)] for n, v in req.trailers],
    }
    diffs = [k for k, v in want.items() if seen.get(k) != v]
    if diffs:
        detail = "; ".join(f"{k}: {str(seen.get(k))[:80]} vs {str(want[k])[:80]}" for k in diffs)
        return [Verdict("interpretation", f"request {i}: the target's echo differs from the reference -- {detail}",
                        trigger="echo differs in " + ", ".join(diffs))]
    return []


# -- signature ----------------------------------------------------------------------------------------
def signature(v: Verdict) -> str:
    req_id = v.rule.split(" ", 1)[0] if v.rule else ""
    return " ".join(p for p in (v.kind, f"[{req_id}]" if req_id else "", v.trigger or _trigger(v.detail)) if p)


# -- the oracles --------------------------------------------------------------------------------------
def oracles(ref, data: bytes, p: Paired, ending: str, *, spec: bool, documented: bool, echo_path: Optional[str],
            permitted_rejection, timeout: float) -> List[Verdict]:
    """*spec*: the reference is the target's specification (the bundled server): every rejection counts."""
    out: List[Verdict] = []
    n_ref, rej = len(ref.requests), ref.rejection
    resps = p.responses
    complete = [r for r in resps if r.complete]
    if ending == "timeout":
        out.append(Verdict("hang", f"no close within {timeout:g} s after the client's FIN ({len(resps)} responses "
                                   "received)", trigger="no close after FIN"))
    if p.error:
        no_head = p.error_index >= n_ref and not p.error_bytes.lstrip(b"\r\n").startswith(b"HTTP/")
        out.append(Verdict("unparseable-response", p.error, note=no_head and not spec,
                           trigger="no HTTP/1.x status line in the answer to the invalid request (HTTP/0.9?)"
                           if no_head else _trigger(p.error.split(" (")[0])))
    for i, resp in enumerate(resps):
        for f in resp.findings:
            out.append(Verdict("response-grammar", f"response {i} ({resp.status}): {f.requirement} {f.what}",
                               trigger=f"{f.requirement} {_trigger(f.what)}"))
    # owed: a response per accepted request, up to the first after which the connection may close
    owed = 0
    for req in ref.requests:
        owed += 1
        if req.closes:
            break
    excused = any(r.status >= 400 or r.says_close for r in complete)
    if len(complete) < owed and not excused and ending != "limit" and not p.error:
        out.append(Verdict("missing-response", f"{len(complete)} responses to {owed} owed requests; the connection "
                                               f"ended: {ending}", trigger=f"connection ended: {ending}"))
    for i, resp in enumerate(complete[:n_ref]):
        req = ref.requests[i]
        if resp.status == 400:
            parser_level = (resp.says_close and not req.closes) or is_echo(echo_path, req)
            if parser_level and permitted_rejection(req) is None:
                out.append(Verdict("rejected-valid", f"request {i} ({req.method!r} {req.target[:60]!r}) is valid for "
                                                     "the reference but got 400", note=not spec,
                                   trigger="valid request answered 400"))
            break
        if resp.status >= 400:
            break
        out.extend(echo_verdicts(echo_path, i, req, resp))
    early_error = any(r.status >= 400 for r in complete[:n_ref])
    if rej is not None and rej.rule != "incomplete" and not documented and not early_error and len(complete) > n_ref:
        resp = complete[n_ref]
        need, trigger = requirement(rej, data)
        what = f"request {n_ref} is invalid for the reference ({rej.rule}: {rej.detail})"
        if 200 <= resp.status < 400:
            out.append(Verdict("accepted-invalid", f"{what} but got {resp.status}",
                               rule="" if spec else need.text, trigger=trigger, note=not (spec or need.reject)))
        if p.more and (spec or need.close) and resp.status >= 400:
            out.append(Verdict("answered-after-error", f"a response after the {resp.status} to invalid request "
                                                       f"{n_ref} ({rej.rule})", rule="" if spec else need.text,
                               trigger=trigger))
        elif p.more and need.close and not spec:
            out.append(Verdict("answered-after-close", f"a response after the {resp.status} to request {n_ref} "
                                                       f"({rej.rule}: {rej.detail})", rule=need.text, trigger=trigger))
        elif p.more and resp.says_close:
            out.append(Verdict("answered-after-close", f"a response after the {resp.status} to request {n_ref}, "
                                                       "which said Connection: close", rule=CLOSE_RESP.text,
                               trigger="response says close"))
    elif p.more and complete and len(complete) == len(resps):
        i = len(complete) - 1
        need = CLOSE_RESP if complete[i].says_close else (must_close(ref.requests[i]) if i < n_ref else None)
        if need is not None:
            raw = b", ".join(v for n, v in ref.requests[i].headers if n.lower() == b"connection") if i < n_ref else b""
            out.append(Verdict("answered-after-close", f"a response after the response to request {i} "
                                                       f"({need.req_id}; request Connection: {raw[:60]!r})",
                               rule=need.text, trigger=_close_trigger(need, raw)))
    return out

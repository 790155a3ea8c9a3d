"""Scenario vocabulary shared by every gatemock protocol.

A request chooses what the mock does with the query-string parameter `gm`:

    /anything?gm=status:404,body:1000

Items are separated by ','; an item is NAME or NAME:ARG.  The query string is
split on '&', then on ',', and only then percent-decoded (%XX; '+' stays a
literal '+'), so '%2C' and '%26' carry a literal ',' or '&'.  Several gm=
parameters are concatenated.  No gm parameter at all means `echo`.
QUERY_STRING is used because it survives every gateway unchanged (paths get
rewritten, split into SCRIPT_NAME/PATH_INFO or normalised).

This module is pure: it turns a query string into a Plan, and a Plan plus a
protocol's "sink" into bytes on the wire (play()).  Protocol modules build
the head (cgi_head() here, or their own for HTTP) and own the transport.
"""

import hashlib
import json
from urllib.parse import unquote_to_bytes

# Body bytes are this 64-byte pattern repeated, so a truncated, shifted or
# duplicated body is visible in a test: byte i is PATTERN[i % 64].
PATTERN = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-\n"

REASONS = {100: "Continue", 101: "Switching Protocols", 200: "OK",
           201: "Created", 204: "No Content", 301: "Moved Permanently",
           302: "Found", 303: "See Other", 304: "Not Modified",
           307: "Temporary Redirect", 308: "Permanent Redirect",
           400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
           404: "Not Found", 405: "Method Not Allowed", 500:
           "Internal Server Error", 502: "Bad Gateway",
           503: "Service Unavailable", 504: "Gateway Timeout"}

# Faults understood by every protocol (the head and body framing faults),
# and the ones only FastCGI understands (record-level faults).
COMMON_FAULTS = {"close-head", "close-body", "big-head", "bad-head",
                 "nocolon-head", "bad-cl", "dup-cl", "long-body", "bad-te",
                 "bad-chunk", "head-body"}
FCGI_FAULTS = {"version", "reqid", "truncated", "padding", "no-end",
               "two-end", "overloaded", "cant-mpx", "unknown-role"}

BIG_HEAD_DEFAULT = 70000   # over lighttpd's 64 KiB head limit and nginx's 4-8k


def pattern(n, start=0):
    """Return n pattern bytes starting at pattern offset start."""
    reps = (start % 64 + n) // 64 + 1
    return (PATTERN * reps)[start % 64:start % 64 + n]


def latin1(b):
    """Bytes to str one-to-one, so any byte survives the JSON echo."""
    return b.decode("latin-1") if isinstance(b, bytes) else b


class ScenarioError(Exception):
    pass


class Plan:
    """What to answer; built from the request's gm items by parse()."""

    def __init__(self):
        self.items = []          # (name, arg) as given, for the log line
        self.status = None       # int, or None: the protocol's default
        self.reason = None
        self.headers = []        # extra (name, value) pairs, in order
        self.content_type = None
        self.body = None         # bytes, or None: the echo JSON
        self.stream = None       # (count, size, delay seconds)
        self.sleep_head = 0.0
        self.pause_mid = 0.0
        self.hang = False
        self.fault = None
        self.fault_arg = None
        self.nph = False
        self.lf = False
        self.cl = False
        self.upgrade = None      # None, "ws" or "tunnel"
        self.deny = False
        self.variables = []      # authorizer Variable-* pairs
        self.stderr = None       # bytes for FastCGI STDERR / CGI stderr
        self.appstatus = 0

    def describe(self):
        if not self.items:
            return "echo"
        return ",".join(n + (":" + a if a else "") for n, a in self.items)

    def default_type(self):
        """application/json for the echo, text/plain for generated bodies."""
        if self.body is None and not self.stream:
            return "application/json"
        return "text/plain"

    def parts(self, echo_body):
        """The body as (delay-before-seconds, bytes) pieces."""
        if self.stream:
            count, size, delay = self.stream
            return [(delay if i else 0.0, pattern(size, i * size))
                    for i in range(count)]
        body = echo_body if self.body is None else self.body
        if self.pause_mid:
            half = len(body) // 2
            return [(0.0, body[:half]), (self.pause_mid, body[half:])]
        return [(0.0, body)]


def _int(arg, name, lo=0, hi=1 << 31):
    try:
        v = int(arg)
    except (TypeError, ValueError):
        raise ScenarioError("%s needs an integer argument" % name)
    if not lo <= v <= hi:
        raise ScenarioError("%s: %d out of range %d..%d" % (name, v, lo, hi))
    return v


def _pair(arg, name):
    if not arg or "=" not in arg:
        raise ScenarioError("%s needs NAME=VALUE" % name)
    k, _, v = arg.partition("=")
    return (k, v)


def items_from_query(query):
    """Split a raw query string into decoded (name, arg) gm items."""
    items = []
    for param in (query or "").split("&"):
        key, eq, value = param.partition("=")
        if key != "gm" or not eq:
            continue
        for raw in value.split(","):
            if not raw:
                continue
            name, _, arg = raw.partition(":")
            items.append((unquote_to_bytes(name).decode("latin-1"),
                          unquote_to_bytes(arg).decode("latin-1")))
    return items


def parse(query, faults=COMMON_FAULTS):
    """Build a Plan from a raw query string; ScenarioError on a bad item."""
    p = Plan()
    p.items = items_from_query(query)
    for name, arg in p.items:
        if name == "echo":
            p.body = None
        elif name == "status":
            code, _, reason = arg.partition(":")
            p.status = _int(code, name, 100, 999)
            p.reason = reason or None
        elif name == "body":
            p.body = pattern(_int(arg, name, 0, 1 << 30))
        elif name == "text":
            p.body = arg.encode("latin-1")
        elif name == "type":
            p.content_type = arg
        elif name == "header":
            p.headers.append(_pair(arg, name))
        elif name == "cookie":
            for i in range(1, _int(arg, name, 0, 1000) + 1):
                p.headers.append(("Set-Cookie", "gm%d=v%d; Path=/" % (i, i)))
        elif name == "location":
            p.headers.append(("Location", arg))
        elif name == "sendfile":
            p.headers.append(("X-Sendfile", arg))
        elif name == "stream":
            f = (arg.split(":") + ["", "", ""])[:3]
            p.stream = (_int(f[0] or "5", name, 0, 100000),
                        _int(f[1] or "16", name, 1, 1 << 20),
                        _int(f[2] or "100", name, 0, 600000) / 1000.0)
        elif name == "sleep":
            p.sleep_head = _int(arg, name, 0, 3600000) / 1000.0
        elif name == "pause":
            p.pause_mid = _int(arg, name, 0, 3600000) / 1000.0
        elif name == "hang":
            p.hang = True
        elif name == "fault":
            f, _, farg = arg.partition(":")
            if f not in faults:
                raise ScenarioError("unknown fault %r (this mock knows: %s)"
                                    % (f, " ".join(sorted(faults))))
            p.fault, p.fault_arg = f, farg or None
        elif name in ("nph", "lf", "cl"):
            setattr(p, name, True)
        elif name in ("ws", "tunnel"):
            p.upgrade = name
        elif name == "deny":
            p.deny = True
        elif name == "var":
            p.variables.append(_pair(arg, name))
        elif name == "stderr":
            p.stderr = arg.encode("latin-1")
        elif name == "appstatus":
            p.appstatus = _int(arg, name, 0, 0xFFFFFFFF)
        else:
            raise ScenarioError("unknown scenario item %r" % name)
    return p


def error_plan(msg):
    """A 400 answer naming the mistake, for a gm item the mock can't do."""
    p = Plan()
    p.items = [("invalid", "")]
    p.status, p.reason = 400, "Bad Request"
    p.content_type = "text/plain"
    p.body = ("gatemock: %s\n" % msg).encode("latin-1", "replace")
    return p


def echo_json(info):
    """Serialise an echo dict: one key per line, one list item per line.

    Keys keep insertion order; the result is plain JSON for any parser.
    """
    out = []
    for k, v in info.items():
        if isinstance(v, list) and v:
            items = ",\n  ".join(json.dumps(x) for x in v)
            out.append(" %s: [\n  %s\n ]" % (json.dumps(k), items))
        else:
            out.append(" %s: %s" % (json.dumps(k), json.dumps(v)))
    return ("{\n" + ",\n".join(out) + "\n}\n").encode("ascii")


def body_info(body):
    return {"body_length": len(body),
            "body_sha256": hashlib.sha256(body).hexdigest()}


def head_lines(p, total, default_type):
    """Header lines shared by CGI-style and HTTP heads (no status line)."""
    lines = []
    if p.fault == "nocolon-head":
        lines.append("gatemock-no-colon-here")
    ctype = p.content_type if p.content_type is not None else default_type
    if ctype:
        lines.append("Content-Type: " + ctype)
    lines += ["%s: %s" % kv for kv in p.headers]
    if p.fault == "big-head":
        n = int(p.fault_arg or BIG_HEAD_DEFAULT)
        lines.append("X-Gatemock-Big: " + "a" * n)
    if p.fault == "bad-cl":
        lines.append("Content-Length: 12abc")
    elif p.fault == "dup-cl":
        lines.append("Content-Length: %d" % total)
        lines.append("Content-Length: %d" % (total + 1))
    elif p.fault == "bad-te":
        lines.append("Transfer-Encoding: gzip")
    elif p.fault == "bad-chunk":
        lines.append("Transfer-Encoding: chunked")
    elif p.cl or p.fault in ("close-body", "long-body"):
        lines.append("Content-Length: %d" % total)
    return lines


def status_text(p, default):
    code = p.status or default
    reason = p.reason or REASONS.get(code, "Gatemock")
    if p.fault == "bad-head":
        return "9x9", "Bad"
    return str(code), reason


def cgi_head(p, total, default_type="text/plain", nph_default=False):
    """A CGI response head (RFC 3875 §6.2): Status:, or an NPH status line.

    Status: is written only when the scenario set one (so `location:`
    alone tests the gateway's implicit 302) or for the bad-head fault.
    """
    lines = []
    if p.nph or nph_default:
        code, reason = status_text(p, 200)
        lines.append("HTTP/1.1 %s %s" % (code, reason))
    elif p.status or p.fault == "bad-head":
        lines.append("Status: %s %s" % status_text(p, 200))
    lines += head_lines(p, total, default_type)
    eol = "\n" if p.lf else "\r\n"
    return ("".join(line + eol for line in lines) + eol).encode("latin-1")


BAD_CHUNK_BODY = b"zz\r\nhello\r\n0\r\n\r\n"
LONG_BODY_EXTRA = b"EXTRA-BYTES-PAST-CONTENT-LENGTH\n"


def is_head(method):
    """True for a HEAD request (REQUEST_METHOD as bytes or str)."""
    if isinstance(method, bytes):
        method = method.decode("latin-1")
    return method == "HEAD"


def play(p, sink, build_head, echo_body, frame=None, last=b"",
         head_only=False):
    """Drive a response through sink, honouring timing and common faults.

    sink: write(bytes), sleep(seconds) -> False when aborted, hang(),
    abort() (close now, no protocol trailer), finish() (normal end).
    build_head(total) -> head bytes.  frame(bytes) wraps body pieces (HTTP
    chunked); last is written after the body (the HTTP last-chunk).
    head_only (a HEAD request to a CGI-style mock): send the head the GET
    would get (same Content-Length with `cl`) and no body, as RFC 3875
    §4.3.2 asks of the script; close-body then closes right after the head.
    The fault head-body sends the body anyway.
    """
    if p.hang:
        sink.hang()
        return
    if not sink.sleep(p.sleep_head):
        return
    if p.fault == "close-head":
        sink.abort()
        return
    parts = p.parts(echo_body)
    total = sum(len(b) for _, b in parts)
    head = build_head(total)
    if head_only and p.fault != "head-body":
        sink.write(head)
        if p.fault == "close-body":
            sink.abort()
        else:
            sink.finish()
        return
    if p.fault == "close-body":
        body = b"".join(b for _, b in parts)
        sink.write(head)
        sink.write(body[:total // 2])
        sink.abort()
        return
    sink.write(head)
    if p.fault == "bad-chunk":
        sink.write(BAD_CHUNK_BODY)
        sink.finish()
        return
    frame = frame or (lambda b: b)
    for delay, data in parts:
        if not sink.sleep(delay):
            return
        if data:
            sink.write(frame(data))
    if p.fault == "long-body":
        sink.write(LONG_BODY_EXTRA)
    if last:
        sink.write(last)
    sink.finish()

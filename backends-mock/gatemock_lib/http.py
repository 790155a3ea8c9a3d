"""HTTP/1.1 origin mock (the backend behind a reverse proxy).

Reads requests on a persistent connection (RFC 9112 §9.3: HTTP/1.1 keeps
the connection unless `Connection: close`; HTTP/1.0 closes unless
`Connection: keep-alive`), bodies framed by Content-Length or chunked
(RFC 9112 §7.1, trailers echoed), and answers per the gm scenario.
Responses are always `HTTP/1.1`; a streamed body is chunked for an HTTP/1.1
request and close-delimited for HTTP/1.0.  An `Upgrade` request with gm=ws
(or, with no gm at all, `Upgrade: websocket`) gets 101 and the echo.
"""

from . import scenario, websocket
from .server import SockSink, SockStream, log

MAX_HEAD = 65536   # a request head larger than this gets 431


class BadRequest(Exception):
    pass


class Conn:
    def __init__(self, sock):
        self.sock = sock
        self.buf = bytearray()

    def fill(self):
        data = self.sock.recv(65536)
        if not data:
            return False
        self.buf += data
        return True

    def line(self, limit=MAX_HEAD):
        while True:
            i = self.buf.find(b"\n")
            if i >= 0:
                out = bytes(self.buf[:i + 1])
                del self.buf[:i + 1]
                return out
            if len(self.buf) > limit:
                raise BadRequest("line too long")
            if not self.fill():
                return None

    def exact(self, n):
        while len(self.buf) < n:
            if not self.fill():
                raise BadRequest("EOF in body")
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out


TCHAR = frozenset(b"!#$%&'*+-.^_`|~0123456789"
                  b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
HEXDIG = frozenset(b"0123456789abcdefABCDEF")


def _body(line):
    """A line without its CRLF (or bare LF, which RFC 9112 §2.2 lets a
    recipient take as a line end); a CR anywhere else is refused (§2.2)."""
    body = line[:-2] if line.endswith(b"\r\n") else line[:-1]
    if b"\r" in body:
        raise BadRequest("bare CR")
    return body


def field_line(line):
    """(name, value) of one header or trailer field line (RFC 9112 §5,
    RFC 9110 §5.1, §5.5), value without surrounding OWS."""
    body = _body(line)
    if body[:1] in (b" ", b"\t"):
        raise BadRequest("obs-fold line")   # RFC 9112 §5.2: we reject
    name, colon, value = body.partition(b":")
    if not colon:
        raise BadRequest("header line without colon")
    if name[-1:] in (b" ", b"\t"):
        raise BadRequest("whitespace before colon")   # RFC 9112 §5.1 MUST
    if not name or not all(ch in TCHAR for ch in name):
        raise BadRequest("field name %r is not a token" % name)
    value = value.strip(b" \t")
    if any((ch < 0x20 and ch != 0x09) or ch == 0x7f for ch in value):
        raise BadRequest("control byte in field value")   # RFC 9110 §5.5
    return name.decode("latin-1"), value.decode("latin-1")


def request_line(line):
    """(method, target, version) of a request line (RFC 9112 §3): single
    SPs, a token method, HTTP/1.x (§2.3).  The target is not checked: the
    mock only takes the query string from it."""
    parts = line.split(" ")
    if len(parts) != 3 or not all(parts):
        raise BadRequest("bad request line %r" % line)
    method, target, version = parts
    if not all(ord(ch) in TCHAR for ch in method):
        raise BadRequest("method %r is not a token" % method)
    if len(version) != 8 or not version.startswith("HTTP/1.") or \
            not version[7].isdigit() or not version[7].isascii():
        raise BadRequest("unsupported version %r" % version)
    return method, target, version


def read_head(c):
    """(request_line, [(name, value)]) or None at a clean EOF."""
    first = c.line()
    while first in (b"\r\n", b"\n"):   # RFC 9112 §2.2: skip leading CRLF
        first = c.line()
    if first is None:
        return None
    first = _body(first)
    size, headers = len(first), []
    while True:
        line = c.line()
        if line is None:
            raise BadRequest("EOF in head")
        size += len(line)
        if size > MAX_HEAD:
            raise BadRequest("head too large")
        if line in (b"\r\n", b"\n"):
            break
        headers.append(field_line(line))
    return first.decode("latin-1"), headers


def read_chunked(c):
    body, trailers = bytearray(), []
    while True:
        line = c.line(4096)
        if line is None:
            raise BadRequest("EOF in chunk size")
        # RFC 9112 §7.1: chunk-size = 1*HEXDIG, then BWS ";" ext or the
        # line end.  The extensions themselves are ignored (§7.1.1).
        size, semi, _ = _body(line).partition(b";")
        if semi:
            size = size.rstrip(b" \t")
        if not size or not all(ch in HEXDIG for ch in size):
            raise BadRequest("bad chunk size %r" % size)
        n = int(size, 16)
        if len(size) > 16 or n >= 1 << 63:
            raise BadRequest("chunk size %r too large" % size)
        if n == 0:
            break
        body += c.exact(n)
        if c.exact(2) != b"\r\n":
            raise BadRequest("chunk not followed by CRLF")
    while True:
        line = c.line()
        if line is None:
            raise BadRequest("EOF in trailer section")
        if line in (b"\r\n", b"\n"):
            return bytes(body), trailers
        trailers.append(list(field_line(line)))   # RFC 9112 §7.1.2


def get(headers, name):
    vals = [v for k, v in headers if k.lower() == name]
    return vals[0] if vals else None


def handle(ctx, sock, conn_no):
    c = Conn(sock)
    n = 0
    while True:
        try:
            req = read_head(c)
            if req is None:
                return
            n += 1
            if not one(ctx, c, conn_no, n, *req):
                return
        except BadRequest as e:
            sock.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
                         b"Connection: close\r\n\r\n")
            log(ctx, "conn=%d bad request: %s -> 400" % (conn_no, e))
            return


def one(ctx, c, conn_no, n, line, headers):
    """Answer one request; True when the connection stays open."""
    method, target, version = request_line(line)
    te = get(headers, "transfer-encoding")
    trailers = []
    if te is not None:
        if te.lower() != "chunked":
            raise BadRequest("unsupported transfer-encoding %r" % te)
        body, trailers = read_chunked(c)
    else:
        cl = get(headers, "content-length") or "0"
        if not cl.isdigit():
            raise BadRequest("bad content-length %r" % cl)
        body = c.exact(int(cl))
    conn_tokens = (get(headers, "connection") or "").lower()
    keep = ("close" not in conn_tokens) if version == "HTTP/1.1" else \
        ("keep-alive" in conn_tokens)
    query = target.partition("?")[2]
    try:
        plan = scenario.parse(query)
    except scenario.ScenarioError as e:
        plan = scenario.error_plan(str(e))
    upg = get(headers, "upgrade")
    if plan.upgrade is None and not plan.items and upg and \
            upg.lower() == "websocket":
        plan.upgrade = "ws"
    if plan.upgrade:
        lines = websocket.upgrade_head_lines(
            plan.upgrade, get(headers, "sec-websocket-key"), upg)
        head = "\r\n".join(["HTTP/1.1 101 Switching Protocols"] + lines)
        c.sock.sendall((head + "\r\n\r\n").encode("latin-1"))
        summary = websocket.run_upgraded(plan.upgrade, SockStream(c.sock),
                                         bytes(c.buf))
        log(ctx, "conn=%d req=%d %s -> 101 %s" % (conn_no, n, line, summary))
        return False
    echo = dict(mock="http", id=ctx.id, pid=ctx.pid, conn=conn_no,
                conn_request=n, request_line=line, method=method,
                target=target, version=version,
                headers=[[k, v] for k, v in headers],
                chunked=te is not None, trailers=trailers)
    echo.update(scenario.body_info(body))
    echo["scenario"] = plan.describe()
    echo_body = scenario.echo_json(echo)
    chunked = bool(plan.stream) and version == "HTTP/1.1" and \
        plan.fault not in ("close-body", "long-body", "bad-cl", "dup-cl",
                           "bad-te", "bad-chunk")
    close_delimited = bool(plan.stream) and not chunked and \
        plan.fault not in ("close-body", "long-body")
    if close_delimited or plan.fault in scenario.COMMON_FAULTS:
        keep = False
    ctype = plan.default_type()

    def build_head(total):
        code, reason = scenario.status_text(
            plan, 302 if get(plan.headers, "location") else 200)
        lines = ["HTTP/1.1 %s %s" % (code, reason)]
        lines += scenario.head_lines(plan, total, ctype)
        framed = plan.fault in ("bad-cl", "dup-cl", "bad-te", "bad-chunk",
                                "close-body", "long-body")
        if chunked:
            lines.append("Transfer-Encoding: chunked")
        elif not close_delimited and not framed:
            lines.append("Content-Length: %d" % total)
        if not keep:
            lines.append("Connection: close")
        eol = "\n" if plan.lf else "\r\n"
        return ("".join(line + eol for line in lines) + eol).encode("latin-1")

    frame = (lambda b: b"%x\r\n%s\r\n" % (len(b), b)) if chunked else None
    sink = SockSink(c.sock)
    if method == "HEAD" and plan.fault != "head-body":
        plan.body = b""   # RFC 9110 §9.3.2: no body, same head otherwise
    scenario.play(plan, sink, build_head, echo_body, frame,
                  b"0\r\n\r\n" if chunked else b"")
    log(ctx, "conn=%d req=%d %s gm=%s -> %s" % (
        conn_no, n, line, plan.describe(),
        plan.fault or plan.status or "ok"))
    return keep and not sink.closed

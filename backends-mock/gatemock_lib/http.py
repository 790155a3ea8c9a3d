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


def read_head(c):
    """(request_line, [(name, value)]) or None at a clean EOF."""
    first = c.line()
    while first in (b"\r\n", b"\n"):   # RFC 9112 §2.2: skip leading CRLF
        first = c.line()
    if first is None:
        return None
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
        name, colon, value = line.partition(b":")
        if not colon:
            raise BadRequest("header line without colon")
        headers.append((name.decode("latin-1"),
                        value.strip().decode("latin-1")))
    return first.rstrip(b"\r\n").decode("latin-1"), headers


def read_chunked(c):
    body, trailers = bytearray(), []
    while True:
        line = c.line(4096)
        if line is None:
            raise BadRequest("EOF in chunk size")
        size = line.split(b";")[0].strip()
        try:
            n = int(size, 16)
        except ValueError:
            raise BadRequest("bad chunk size %r" % size)
        if n == 0:
            break
        body += c.exact(n)
        if c.exact(2) != b"\r\n":
            raise BadRequest("chunk not followed by CRLF")
    while True:
        line = c.line()
        if line in (None, b"\r\n", b"\n"):
            return bytes(body), trailers
        name, _, value = line.partition(b":")
        trailers.append([name.decode("latin-1"),
                         value.strip().decode("latin-1")])


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
    parts = line.split(" ")
    if len(parts) != 3:
        raise BadRequest("bad request line %r" % line)
    method, target, version = parts
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
    if method == "HEAD":
        plan.body = b""   # RFC 9110 §9.3.2: no body, same head otherwise
    scenario.play(plan, sink, build_head, echo_body, frame,
                  b"0\r\n\r\n" if chunked else b"")
    log(ctx, "conn=%d req=%d %s gm=%s -> %s" % (
        conn_no, n, line, plan.describe(),
        plan.fault or plan.status or "ok"))
    return keep and not sink.closed

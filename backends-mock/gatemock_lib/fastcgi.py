"""FastCGI application mock (FastCGI Specification 1.0, Open Market 1996).

A connection thread reads records (§3.3: version, type, requestId u16be,
contentLength u16be, paddingLength, reserved, then content and padding).
Management records (requestId 0, §4) are answered inline: FCGI_GET_VALUES
gets FCGI_GET_VALUES_RESULT with the values from the command line for the
names it knows (§4.1); a type this mock does not know gets
FCGI_UNKNOWN_TYPE (§4.2).  FCGI_BEGIN_REQUEST (§5.1) starts a request; when
its PARAMS stream is terminated by an empty record a request thread plays
the scenario from QUERY_STRING, reading FCGI_STDIN as it arrives (§5.3).
The response is FCGI_STDOUT records, an empty STDOUT, then
FCGI_END_REQUEST (§5.5).  Without FCGI_KEEP_CONN the mock closes after
END_REQUEST (§5.1); --ignore-keep-conn makes it close always.

A second BEGIN_REQUEST while one is active gets END_REQUEST with
FCGI_CANT_MPX_CONN, unless --mpx: then requests run concurrently and their
STDOUT is cut into small records so that they interleave on the wire.
Roles other than RESPONDER (1) and AUTHORIZER (2) get FCGI_UNKNOWN_ROLE.
"""

import struct
import threading
import time

from . import scenario, websocket
from .server import log, recv_exact

BEGIN_REQUEST, ABORT_REQUEST, END_REQUEST, PARAMS, STDIN, STDOUT, STDERR, \
    DATA, GET_VALUES, GET_VALUES_RESULT, UNKNOWN_TYPE = range(1, 12)
TYPE_NAMES = {1: "BEGIN_REQUEST", 2: "ABORT_REQUEST", 3: "END_REQUEST",
              4: "PARAMS", 5: "STDIN", 6: "STDOUT", 7: "STDERR", 8: "DATA",
              9: "GET_VALUES", 10: "GET_VALUES_RESULT", 11: "UNKNOWN_TYPE"}
RESPONDER, AUTHORIZER, FILTER = 1, 2, 3
KEEP_CONN = 1
REQUEST_COMPLETE, CANT_MPX_CONN, OVERLOADED, UNKNOWN_ROLE = 0, 1, 2, 3
FAULT_STATUS = {"cant-mpx": CANT_MPX_CONN, "overloaded": OVERLOADED,
                "unknown-role": UNKNOWN_ROLE}
MAX_CONTENT = 65535
FAULTS = scenario.COMMON_FAULTS | scenario.FCGI_FAULTS


def record(rtype, rid, content=b"", version=1, padlen=0, padbytes=None):
    """One record; padbytes defaults to padlen zero bytes."""
    if padbytes is None:
        padbytes = b"\0" * padlen
    return struct.pack("!BBHHBx", version, rtype, rid & 0xFFFF,
                       len(content), padlen) + content + padbytes


def end_request(rid, app_status=0, proto_status=REQUEST_COMPLETE):
    return record(END_REQUEST, rid,
                  struct.pack("!IB3x", app_status, proto_status))


# Types only the application sends (§4.1, §4.2, §5.3, §5.5): a web server
# never sends them, so from it they are answered like an unknown type.
APP_TYPES = (END_REQUEST, STDOUT, STDERR, GET_VALUES_RESULT, UNKNOWN_TYPE)


def check_record(rtype, rid, content):
    """How the mock takes a record from the web server, before handling it.

    None: handle it.  "unknown-type": answer FCGI_UNKNOWN_TYPE (§4.2) -- a
    type outside 1..11, an application-to-server type, or a management
    record (requestId 0, §3.3) of any type but GET_VALUES.  Any other
    string is a protocol error: the mock logs it and closes.
    """
    if rtype not in TYPE_NAMES or rtype in APP_TYPES:
        return "unknown-type"
    if rid == 0 and rtype != GET_VALUES:
        return "unknown-type"
    if rid != 0 and rtype == GET_VALUES:
        return "GET_VALUES with requestId %d (management records use 0, " \
            "§4)" % rid
    if rtype == BEGIN_REQUEST and len(content) != 8:
        return "BEGIN_REQUEST body of %d bytes (§5.1: 8)" % len(content)
    if rtype == ABORT_REQUEST and content:
        return "ABORT_REQUEST with %d content bytes (§5.4: none)" % \
            len(content)
    return None


def encode_pairs(pairs):
    """Name-value pairs (§3.4): 1-byte lengths < 128, else 4-byte | 1<<31."""
    out = bytearray()
    for k, v in pairs:
        for n in (len(k), len(v)):
            out += bytes([n]) if n < 128 else struct.pack("!I", n | 1 << 31)
        out += k + v
    return bytes(out)


def decode_pairs(data):
    pairs, p = [], 0
    while p < len(data):
        lens = []
        for _ in range(2):
            if p >= len(data):
                raise ValueError("truncated length at %d" % p)
            if data[p] & 0x80:
                if p + 4 > len(data):
                    raise ValueError("truncated 4-byte length at %d" % p)
                lens.append(struct.unpack_from("!I", data, p)[0] & 0x7FFFFFFF)
                p += 4
            else:
                lens.append(data[p])
                p += 1
        if p + lens[0] + lens[1] > len(data):
            raise ValueError("pair runs past the stream at %d" % p)
        pairs.append((data[p:p + lens[0]],
                      data[p + lens[0]:p + lens[0] + lens[1]]))
        p += lens[0] + lens[1]
    return pairs


class Req:
    """One request id on one connection."""

    def __init__(self, conn, rid, role, flags, n):
        self.conn, self.rid, self.role, self.flags, self.n = \
            conn, rid, role, flags, n
        self.trace = []
        self.params_buf = bytearray()
        self.params_done = False
        self.stdin = bytearray()     # unread STDIN bytes
        self.stdin_total = bytearray()
        self.stdin_done = False
        self.data_len = 0
        self.cond = threading.Condition()
        self.gone = threading.Event()   # aborted or connection closed
        self.fault = None
        self.sent_first = False
        self.app_status = 0
        self.hanging = False
        self.thread = None

    # -- STDIN as a stream (echo waits for all of it; upgrade streams it)
    def feed(self, content):
        with self.cond:
            if content:
                self.stdin += content
                self.stdin_total += content
            else:
                self.stdin_done = True
            self.cond.notify_all()

    def wake(self):
        self.gone.set()
        with self.cond:
            self.cond.notify_all()

    def recv(self):
        with self.cond:
            while not self.stdin and not self.stdin_done and \
                    not self.gone.is_set():
                self.cond.wait()
            out = bytes(self.stdin)
            self.stdin.clear()
            return out

    def send(self, data):
        self.write(data)

    def wait_stdin(self):
        with self.cond:
            while not self.stdin_done and not self.gone.is_set():
                self.cond.wait()
            return bytes(self.stdin_total)

    # -- the sink play() drives
    def write(self, data):
        if self.gone.is_set():
            return
        c = self.conn
        out_rid = self.rid + 1 if self.fault == "reqid" else self.rid
        step = c.ctx.opts.mpx_record if c.ctx.opts.mpx else MAX_CONTENT
        for i in range(0, len(data), step):
            piece = data[i:i + step]
            if not self.sent_first:
                self.sent_first = True
                if self.fault == "version":
                    c.send(record(STDOUT, out_rid, piece, version=2))
                    continue
                if self.fault == "padding":
                    c.send(record(STDOUT, out_rid, piece, padlen=8,
                                  padbytes=b""))
                    continue
                if self.fault == "truncated":
                    c.send(record(STDOUT, out_rid, piece)[:8 + len(piece) // 2])
                    self.abort()
                    return
            c.send(c.stdout_record(out_rid, piece))
            if c.ctx.opts.mpx and i + step < len(data):
                time.sleep(0.002)   # let other request threads interleave

    def sleep(self, seconds):
        return not self.gone.wait(seconds) if seconds > 0 else \
            not self.gone.is_set()

    def hang(self):
        self.hanging = True
        if not self.conn.eof:
            self.gone.wait()

    def abort(self):
        self.gone.set()
        self.conn.close()

    def finish(self):
        if self.gone.is_set():
            return
        c = self.conn
        out_rid = self.rid + 1 if self.fault == "reqid" else self.rid
        c.send(c.stdout_record(out_rid, b""))
        if self.fault == "no-end":
            self.abort()
            return
        end = end_request(out_rid, self.app_status)
        # Forget the request before END_REQUEST leaves: a keep-alive peer
        # may reuse the id at once, and its BEGIN_REQUEST must not find
        # this one still active (that race answered CANT_MPX_CONN).
        c.forget(self)
        c.send(end + end if self.fault == "two-end" else end)
        c.done(self)


class FcgiConn:
    def __init__(self, ctx, sock, conn_no):
        self.ctx, self.sock, self.no = ctx, sock, conn_no
        self.wlock = threading.Lock()
        self.reqs = {}
        self.count = 0
        self.closed = False
        self.eof = False

    def send(self, data):
        with self.wlock:
            if not self.closed:
                try:
                    self.sock.sendall(data)
                except OSError:
                    self.closed = True

    def stdout_record(self, rid, content, rtype=STDOUT):
        pad = (-len(content)) % 8 if self.ctx.opts.pad8 else 0
        return record(rtype, rid, content, padlen=pad)

    def close(self):
        with self.wlock:
            if not self.closed:
                self.closed = True
                try:
                    self.sock.shutdown(2)   # wakes the reader's recv()
                except OSError:
                    pass

    def forget(self, req):
        if self.reqs.get(req.rid) is req:
            del self.reqs[req.rid]

    def done(self, req):
        self.forget(req)
        if not (req.flags & KEEP_CONN) or self.ctx.opts.ignore_keep_conn:
            self.close()

    def run(self):
        buf = bytearray()
        while not self.closed:
            if not recv_exact(self.sock, 8, buf):
                break
            version, rtype, rid, clen, plen = struct.unpack("!BBHHBx",
                                                            bytes(buf[:8]))
            if not recv_exact(self.sock, 8 + clen + plen, buf):
                break
            content = bytes(buf[8:8 + clen])
            del buf[:8 + clen + plen]
            self.on_record(version, rtype, rid, content, plen)
        # End of input.  A request still reading STDIN, or hanging, can
        # never complete: wake it.  One already answering finishes (the
        # peer may only have half-closed), then the socket is closed.
        self.eof = True
        for r in list(self.reqs.values()):
            if not r.stdin_done or r.hanging:
                r.wake()
        for r in list(self.reqs.values()):
            if r.thread is not None:
                r.thread.join()
        self.closed = True

    def on_record(self, version, rtype, rid, content, plen):
        entry = {"type": TYPE_NAMES.get(rtype, str(rtype)), "request_id": rid,
                 "content_length": len(content), "padding_length": plen}
        if version != 1:
            entry["version"] = version
        verdict = check_record(rtype, rid, content)
        if verdict == "unknown-type":
            self.send(record(UNKNOWN_TYPE, 0, struct.pack("!B7x", rtype)))
            log(self.ctx, "conn=%d unknown record type %d id %d -> "
                "UNKNOWN_TYPE" % (self.no, rtype, rid))
            return
        if verdict:
            log(self.ctx, "conn=%d protocol error: %s -> close"
                % (self.no, verdict))
            self.close()
            return
        if rtype == GET_VALUES:
            self.get_values(content)
            return
        if rtype == BEGIN_REQUEST:
            role, flags = struct.unpack("!HB5x", content)
            entry.update(role=role, flags=flags,
                         keep_conn=bool(flags & KEEP_CONN))
            self.begin(rid, role, flags, entry)
            return
        r = self.reqs.get(rid)
        if r is None:
            return   # §3.3: records for inactive request ids are ignored
        r.trace.append(entry)
        if rtype == PARAMS and not r.params_done:
            if content:
                r.params_buf += content
            else:
                r.params_done = True
                r.thread = threading.Thread(target=self.respond, args=(r,),
                                            daemon=True)
                r.thread.start()
        elif rtype == STDIN:
            r.feed(content)
        elif rtype == DATA:
            r.data_len += len(content)
        elif rtype == ABORT_REQUEST:
            log(self.ctx, "conn=%d rid=%d aborted" % (self.no, rid))
            r.gone.set()
            self.send(end_request(rid, 0))
            self.done(r)

    def get_values(self, content):
        known = {b"FCGI_MAX_CONNS": self.ctx.opts.max_conns,
                 b"FCGI_MAX_REQS": self.ctx.opts.max_reqs,
                 b"FCGI_MPXS_CONNS": self.ctx.opts.mpxs_conns}
        try:
            names = [k for k, _ in decode_pairs(content)]
        except ValueError:
            names = []
        pairs = [(k, str(known[k]).encode()) for k in names if k in known]
        self.send(record(GET_VALUES_RESULT, 0, encode_pairs(pairs)))
        log(self.ctx, "conn=%d GET_VALUES %s -> %s" % (
            self.no, b",".join(names).decode("latin-1"),
            b",".join(k + b"=" + v for k, v in pairs).decode("latin-1")))

    def begin(self, rid, role, flags, entry):
        if rid in self.reqs:
            return   # §5.1: a BEGIN for an active id is ignored
        self.count += 1
        if self.reqs and not self.ctx.opts.mpx:
            self.send(end_request(rid, 0, CANT_MPX_CONN))
            log(self.ctx, "conn=%d rid=%d -> CANT_MPX_CONN" % (self.no, rid))
            return
        if role not in (RESPONDER, AUTHORIZER):
            self.send(end_request(rid, 0, UNKNOWN_ROLE))
            log(self.ctx, "conn=%d rid=%d role=%d -> UNKNOWN_ROLE"
                % (self.no, rid, role))
            if not flags & KEEP_CONN:
                self.close()
            return
        r = Req(self, rid, role, flags, self.count)
        r.trace.append(entry)
        self.reqs[rid] = r

    def respond(self, r):
        try:
            params = decode_pairs(bytes(r.params_buf))
            perr = None
        except ValueError as e:
            params, perr = [], str(e)
        env = dict(params)
        query = env.get(b"QUERY_STRING", b"").decode("latin-1")
        try:
            plan = scenario.parse(query, FAULTS)
        except scenario.ScenarioError as e:
            plan = scenario.error_plan(str(e))
        if plan.upgrade is None and not plan.items and \
                env.get(b"HTTP_UPGRADE", b"").lower() == b"websocket":
            plan.upgrade = "ws"
        what = "rid=%d %s %s" % (r.rid,
                                 env.get(b"REQUEST_METHOD", b"-").decode("latin-1"),
                                 env.get(b"REQUEST_URI", b"-").decode("latin-1"))
        if plan.upgrade:
            self.upgrade(r, plan, env, what)
            return
        body = r.wait_stdin()
        if r.gone.is_set() and not r.stdin_done:
            log(self.ctx, "conn=%d %s: connection closed before end of STDIN"
                % (self.no, what))
            return
        r.fault = plan.fault
        if plan.stderr is not None:
            self.send(self.stdout_record(r.rid, plan.stderr, STDERR) +
                      self.stdout_record(r.rid, b"", STDERR))
        if plan.fault in FAULT_STATUS:
            self.send(end_request(r.rid, 0, FAULT_STATUS[plan.fault]))
            self.done(r)
        else:
            if r.role == AUTHORIZER:
                authorizer_plan(plan)
            r.app_status = plan.appstatus
            echo = self.echo(r, params, perr, body, plan)
            ctype = plan.default_type()
            scenario.play(plan, r,
                          lambda total: scenario.cgi_head(plan, total, ctype),
                          echo, head_only=scenario.is_head(
                              env.get(b"REQUEST_METHOD", b"")))
        log(self.ctx, "conn=%d req=%d %s role=%d gm=%s -> %s" % (
            self.no, r.n, what, r.role, plan.describe(),
            plan.fault or plan.status or "ok"))

    def echo(self, r, params, perr, body, plan):
        info = dict(mock="fastcgi", id=self.ctx.id, pid=self.ctx.pid,
                    conn=self.no, conn_request=r.n, request_id=r.rid,
                    role=r.role, flags=r.flags,
                    keep_conn=bool(r.flags & KEEP_CONN),
                    params=[[scenario.latin1(k), scenario.latin1(v)]
                            for k, v in params])
        if perr:
            info["params_error"] = perr
        info["params_terminated"] = r.params_done
        info["stdin_terminated"] = r.stdin_done
        info.update(scenario.body_info(body))
        info["data_length"] = r.data_len
        info["records"] = list(r.trace)
        info["scenario"] = plan.describe()
        return scenario.echo_json(info)

    def upgrade(self, r, plan, env, what):
        lines = websocket.upgrade_head_lines(
            plan.upgrade, env.get(b"HTTP_SEC_WEBSOCKET_KEY", b""),
            env.get(b"HTTP_UPGRADE", b"").decode("latin-1"))
        head = "\r\n".join(["Status: 101 Switching Protocols"] + lines)
        r.write((head + "\r\n\r\n").encode("latin-1"))
        summary = websocket.run_upgraded(plan.upgrade, r)
        r.app_status = plan.appstatus
        r.finish()
        log(self.ctx, "conn=%d req=%d %s upgrade -> 101 %s"
            % (self.no, r.n, what, summary))


def authorizer_plan(plan):
    """Turn a plan into an authorizer answer (FastCGI §6.3).

    Allow (the default): Status 200, `Variable-Gatemock-Auth: allow` plus
    one Variable-NAME per var: item, empty body.  deny: Status 403 and a
    short body.  An explicit status: wins over both.
    """
    explicit_body = any(n in ("echo", "body", "text") for n, _ in plan.items)
    if plan.deny:
        plan.status = plan.status or 403
        if not explicit_body:
            plan.body = b"gatemock: denied\n"
        return
    plan.status = plan.status or 200
    plan.headers = [("Variable-Gatemock-Auth", "allow")] + \
        [("Variable-" + k, v) for k, v in plan.variables] + plan.headers
    if not explicit_body:
        plan.body = b""


def handle(ctx, sock, conn_no):
    FcgiConn(ctx, sock, conn_no).run()

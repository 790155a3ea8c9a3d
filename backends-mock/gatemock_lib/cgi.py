"""CGI program mock (RFC 3875).

Runs once per request: the meta-variables arrive in the environment
(§4.1), the body on stdin (CONTENT_LENGTH bytes, §4.2), the response goes
to stdout (§6): a CGI head with `Status:` (§6.3.3) or, with `nph`, a full
HTTP status line (§5, NPH scripts), then the body.  `lf` writes LF-only
line endings, which §6 allows and servers must accept.

Upgrade (lighttpd `cgi.upgrade = "enable"`): after `Status: 101` stdin
stays open and stdin/stdout are a raw bidirectional pipe to the client.
The faults that close early simply exit; there is no framing to break.
"""

import os
import sys

from . import scenario, websocket
from .server import Ctx, log


class FdStream:
    def recv(self):
        try:
            return os.read(0, 65536)
        except OSError:
            return b""

    def send(self, data):
        write_all(data)


def write_all(data):
    while data:
        n = os.write(1, data)
        data = data[n:]


class StdoutSink:
    def __init__(self):
        self.closed = False

    def write(self, data):
        write_all(data)

    def sleep(self, seconds):
        if seconds > 0:
            import time
            time.sleep(seconds)
        return True

    def hang(self):
        # Never answer: wait until the server closes our stdin or kills us.
        while os.read(0, 65536):
            pass
        self.closed = True

    def abort(self):
        self.closed = True

    def finish(self):
        pass


def read_body(length):
    out = bytearray()
    while len(out) < length:
        data = os.read(0, length - len(out))
        if not data:
            break
        out += data
    return bytes(out)


def main(ident):
    ctx = Ctx("cgi", ident, None)
    env = list(os.environb.items())
    envd = dict(env)
    query = envd.get(b"QUERY_STRING", b"").decode("latin-1")
    try:
        plan = scenario.parse(query)
    except scenario.ScenarioError as e:
        plan = scenario.error_plan(str(e))
    if plan.upgrade is None and not plan.items and \
            envd.get(b"HTTP_UPGRADE", b"").lower() == b"websocket":
        plan.upgrade = "ws"
    what = "%s %s" % (envd.get(b"REQUEST_METHOD", b"-").decode("latin-1"),
                      envd.get(b"REQUEST_URI", b"-").decode("latin-1"))
    if plan.stderr is not None:
        sys.stderr.write(plan.stderr.decode("latin-1") + "\n")
    if plan.upgrade:
        lines = websocket.upgrade_head_lines(
            plan.upgrade, envd.get(b"HTTP_SEC_WEBSOCKET_KEY", b""),
            envd.get(b"HTTP_UPGRADE", b"").decode("latin-1"))
        first = "HTTP/1.1 101 Switching Protocols" if plan.nph else \
            "Status: 101 Switching Protocols"
        write_all(("\r\n".join([first] + lines) + "\r\n\r\n").encode())
        summary = websocket.run_upgraded(plan.upgrade, FdStream())
        log(ctx, "%s upgrade -> 101 %s" % (what, summary))
        return 0
    try:
        length = int(envd.get(b"CONTENT_LENGTH", b"0") or b"0")
    except ValueError:
        length = 0
    body = read_body(length)
    echo = dict(mock="cgi", id=ident, pid=ctx.pid, conn=1, conn_request=1,
                argv=sys.argv,
                env=[[k.decode("latin-1"), v.decode("latin-1")]
                     for k, v in env])
    echo.update(scenario.body_info(body))
    echo["scenario"] = plan.describe()
    ctype = plan.default_type()
    scenario.play(plan, StdoutSink(),
                  lambda total: scenario.cgi_head(plan, total, ctype),
                  scenario.echo_json(echo),
                  head_only=scenario.is_head(envd.get(b"REQUEST_METHOD", b"")))
    log(ctx, "%s gm=%s -> %s" % (what, plan.describe(),
                                 plan.fault or plan.status or "ok"))
    return 0

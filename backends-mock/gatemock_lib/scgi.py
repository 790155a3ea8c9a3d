"""SCGI and uwsgi mocks: one request per connection, CGI-style answer.

SCGI (python.ca/scgi/protocol.txt): the request is a netstring
`<len>:` NAME NUL VALUE NUL ... `,` whose first header must be
CONTENT_LENGTH and which must contain SCGI=1; CONTENT_LENGTH body bytes
follow.  uwsgi (uwsgi-docs "The uwsgi protocol"): a 4-byte packet header
modifier1 (u8), datasize (u16 little-endian), modifier2 (u8), then datasize
bytes of vars, each `u16le keylen, key, u16le vallen, value`; the body
follows.  Both answer with a CGI response (Status: header, or an NPH status
line with `nph`) and close.  After a 101 the socket carries raw bytes both
ways (lighttpd's mod_scgi "upgrade" => "enable").
"""

import struct

from . import scenario, websocket
from .server import SockSink, SockStream, log, recv_exact

MAX_NETSTRING_DIGITS = 10


def read_scgi(sock, buf):
    """(params, info) or raises ValueError; buf keeps bytes past the head."""
    while b":" not in buf[:MAX_NETSTRING_DIGITS + 1]:
        if len(buf) > MAX_NETSTRING_DIGITS or not recv_exact(sock, len(buf) + 1, buf):
            raise ValueError("no netstring length")
    digits, _, _ = bytes(buf).partition(b":")
    if not digits.isdigit():
        raise ValueError("netstring length %r is not decimal" % digits)
    if len(digits) > 1 and digits.startswith(b"0"):
        # netstrings.txt: "Leading zeros are prohibited" ("0:" is fine).
        raise ValueError("netstring length %r has a leading zero" % digits)
    n = int(digits)
    start = len(digits) + 1
    if not recv_exact(sock, start + n + 1, buf):
        raise ValueError("EOF inside netstring")
    block = bytes(buf[start:start + n])
    comma = buf[start + n:start + n + 1]
    del buf[:start + n + 1]
    if comma != b",":
        raise ValueError("netstring not terminated by ','")
    fields = block.split(b"\0")
    if fields and fields[-1] == b"":
        fields.pop()
    else:
        raise ValueError("header block does not end with NUL")
    if len(fields) % 2:
        raise ValueError("odd number of NUL-separated strings")
    params = list(zip(fields[0::2], fields[1::2]))
    info = {"netstring_length": n,
            "first_is_content_length": bool(params) and
            params[0][0] == b"CONTENT_LENGTH",
            "has_scgi_1": (b"SCGI", b"1") in params}
    return params, info


def content_length(params, empty_ok=False):
    """The CONTENT_LENGTH value as an int; ValueError unless it is 1*DIGIT.
    Python's int() alone would also take " 5", "+5", "-5" and "1_0".
    Absent means 0 (SCGI's read_scgi reports that it was not first).
    empty_ok (uwsgi): an empty value means 0, as nginx sends it for a GET;
    SCGI says CONTENT_LENGTH is always the body length, "0" without one."""
    value = dict(params).get(b"CONTENT_LENGTH", b"0")
    if empty_ok and not value:
        return 0
    if not value.isdigit():
        raise ValueError("CONTENT_LENGTH %r is not decimal digits" % value)
    return int(value)


def read_uwsgi(sock, buf):
    if not recv_exact(sock, 4, buf):
        raise ValueError("EOF in uwsgi packet header")
    mod1, size, mod2 = struct.unpack("<BHB", bytes(buf[:4]))
    if not recv_exact(sock, 4 + size, buf):
        raise ValueError("EOF in uwsgi vars")
    block = bytes(buf[4:4 + size])
    del buf[:4 + size]
    params, p = [], 0
    while p < len(block):
        if p + 2 > len(block):
            raise ValueError("truncated key length at %d" % p)
        kl = struct.unpack_from("<H", block, p)[0]
        key = block[p + 2:p + 2 + kl]
        p += 2 + kl
        if p + 2 > len(block):
            raise ValueError("truncated value length at %d" % p)
        vl = struct.unpack_from("<H", block, p)[0]
        val = block[p + 2:p + 2 + vl]
        p += 2 + vl
        if p > len(block):
            raise ValueError("var runs past datasize")
        params.append((key, val))
    return params, {"modifier1": mod1, "datasize": size, "modifier2": mod2}


def handle(ctx, sock, conn_no):
    buf = bytearray()
    proto = ctx.proto
    try:
        if proto == "scgi":
            params, info = read_scgi(sock, buf)
        else:
            params, info = read_uwsgi(sock, buf)
    except ValueError as e:
        log(ctx, "conn=%d malformed %s request: %s" % (conn_no, proto, e))
        return
    env = dict(params)
    query = env.get(b"QUERY_STRING", b"").decode("latin-1")
    try:
        plan = scenario.parse(query)
    except scenario.ScenarioError as e:
        plan = scenario.error_plan(str(e))
    if plan.upgrade is None and not plan.items and \
            env.get(b"HTTP_UPGRADE", b"").lower() == b"websocket":
        plan.upgrade = "ws"
    nph = proto == "uwsgi" and ctx.opts.uwsgi_nph
    what = "%s %s" % (env.get(b"REQUEST_METHOD", b"-").decode("latin-1"),
                      env.get(b"REQUEST_URI", b"-").decode("latin-1"))
    if plan.upgrade:
        upgrade(ctx, sock, buf, plan, env, conn_no, what, nph)
        return
    try:
        length = content_length(params, empty_ok=proto == "uwsgi")
    except ValueError as e:
        log(ctx, "conn=%d malformed %s request: %s" % (conn_no, proto, e))
        return
    if not recv_exact(sock, length, buf):
        log(ctx, "conn=%d EOF in body (%d of %d)" % (conn_no, len(buf), length))
        return
    body = bytes(buf[:length])
    echo = dict(mock=proto, id=ctx.id, pid=ctx.pid, conn=conn_no,
                conn_request=1, **info)
    echo["params"] = [[scenario.latin1(k), scenario.latin1(v)]
                      for k, v in params]
    echo.update(scenario.body_info(body))
    echo["extra_bytes_after_body"] = len(buf) - length
    echo["scenario"] = plan.describe()
    echo_body = scenario.echo_json(echo)
    ctype = plan.default_type()
    sink = SockSink(sock)
    scenario.play(plan, sink,
                  lambda total: scenario.cgi_head(plan, total, ctype, nph),
                  echo_body,
                  head_only=scenario.is_head(env.get(b"REQUEST_METHOD", b"")))
    log(ctx, "conn=%d %s gm=%s -> %s" % (conn_no, what, plan.describe(),
                                         plan.fault or plan.status or "ok"))


def upgrade(ctx, sock, buf, plan, env, conn_no, what, nph):
    key = env.get(b"HTTP_SEC_WEBSOCKET_KEY", b"")
    lines = websocket.upgrade_head_lines(
        plan.upgrade, key, env.get(b"HTTP_UPGRADE", b"").decode("latin-1"))
    first = "HTTP/1.1 101 Switching Protocols" if nph or plan.nph else \
        "Status: 101 Switching Protocols"
    sock.sendall(("\r\n".join([first] + lines) + "\r\n\r\n").encode("latin-1"))
    summary = websocket.run_upgraded(plan.upgrade, SockStream(sock), bytes(buf))
    log(ctx, "conn=%d %s upgrade -> 101 %s" % (conn_no, what, summary))

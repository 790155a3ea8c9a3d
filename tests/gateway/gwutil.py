"""Helpers shared by the gateway tests: lighttpd host blocks and a raw
HTTP/1.1 client that shows framing as it is."""

from ghutil import read_to_close

FASTCGI = """
server.modules += ("mod_fastcgi")
fastcgi.server = ( @exts@ )
"""


def host(sock, **opts):
    """One anonymous host block on a unix socket, options as lighttpd."""
    items = ['"socket" => "%s"' % sock] if sock else []
    for k, v in opts.items():
        k = k.replace("_", "-")
        if isinstance(v, bool):
            v = '"enable"' if v else '"disable"'
        elif isinstance(v, int):
            v = str(v)
        elif isinstance(v, (list, tuple)):
            v = "(" + ", ".join('"%s"' % x for x in v) + ")"
        else:
            v = '"%s"' % v
        items.append('"%s" => %s' % (k, v))
    return "(" + ", ".join(items) + ")"


def get(srv, target, method="GET", body=b"", headers=(), version="1.1"):
    """One request on a fresh connection; (status, headers, body, raw)."""
    with srv.connect(10) as s:
        h = "".join("%s: %s\r\n" % kv for kv in headers)
        if body and not any(k.lower() in ("content-length",
                                          "transfer-encoding")
                            for k, _ in headers):
            h += "Content-Length: %d\r\n" % len(body)
        s.sendall(("%s %s HTTP/%s\r\nHost: t\r\nConnection: close\r\n%s\r\n"
                   % (method, target, version, h)).encode() + body)
        raw = read_to_close(s, 10)
    head, _, rest = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin1").split("\r\n")
    hdrs = {}
    for ln in lines[1:]:
        k, v = ln.split(":", 1)
        hdrs.setdefault(k.strip().lower(), []).append(v.strip())
    return int(lines[0].split()[1]), hdrs, rest, raw


# server.stream-response-body 2: tests of streamed responses set it, as
# "not set" is lighttpd's 0 (the response is held, spec/gateway.md
# GW-HOLD-1).
STREAM_RESPONSE = "server.stream-response-body = 2\n"


def dechunk(b):
    out = b""
    while True:
        line, _, b = b.partition(b"\r\n")
        if not line:
            return out, False
        n = int(line, 16)
        if n == 0:
            return out, True
        out, b = out + b[:n], b[n + 2:]
        if not b:
            return out, False

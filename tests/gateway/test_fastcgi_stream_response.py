"""server.stream-response-body through the FastCGI gateway (spec/gateway.md
GW-HOLD-*): 0 (lighttpd's default, also when not set) holds the response
until the backend is done, in memory and then in a temp file under
server.upload-dirs, and sends it with an exact Content-Length; a backend
dying mid-body is then a clean 502. 1 and 2 stream: the first bytes leave
before the backend ends."""

import hashlib
import os
import time

import pytest

from ghutil import read_to_close
from gwutil import dechunk, get
from harness import wait_until

PATTERN = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-\n"


def opt(mode):
    return "" if mode is None else "server.stream-response-body = %d\n" % mode


def pattern(n):
    return (PATTERN * (n // len(PATTERN) + 1))[:n]


def timed(srv, target):
    """(seconds to the head, seconds to the end, raw response)."""
    with srv.connect(15) as s:
        s.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: t\r\n"
                  b"Connection: close\r\n\r\n")
        t0 = time.monotonic()
        first = s.recv(4096)
        while b"\r\n\r\n" not in first:
            first += s.recv(4096)
        t1 = time.monotonic()
        rest = read_to_close(s, 15)
        t2 = time.monotonic()
    return t1 - t0, t2 - t0, first + rest


@pytest.mark.parametrize("mode", [None, 0])
def test_held_response_arrives_whole_with_content_length(gw, mode):
    srv = gw(extra=opt(mode))
    head_at, end_at, raw = timed(srv, b"/app.php?gm=stream:3:16:500")
    head, _, body = raw.partition(b"\r\n\r\n")
    # Nothing before the backend finished (two 500 ms pauses).
    assert head_at > 0.9 and end_at - head_at < 0.5
    assert b"\r\nContent-Length: 48\r\n" in head
    assert b"chunked" not in head.lower()
    assert body == pattern(48)


@pytest.mark.parametrize("mode", [1, 2])
def test_streamed_response_starts_before_the_end(gw, mode):
    srv = gw(extra=opt(mode))
    head_at, end_at, raw = timed(srv, b"/app.php?gm=stream:3:16:500")
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head_at < 0.4 and end_at > 0.9
    assert b"Transfer-Encoding: chunked" in head
    assert dechunk(body) == (pattern(48), True)


@pytest.mark.parametrize("mode", [None, 0, 2])
def test_large_response_arrives_intact(gw, mode):
    n = 80 * 65536  # 5 MiB: the held copy goes through the temp file
    srv = gw(extra=opt(mode))
    st, h, body, _ = get(srv, "/app.php?gm=stream:80:65536:0")
    assert st == 200
    if mode == 2:
        body, done = dechunk(body)
        assert done
    else:
        assert h["content-length"] == [str(n)]
    assert hashlib.sha256(body).hexdigest() == \
        hashlib.sha256(pattern(n)).hexdigest()


@pytest.mark.parametrize("gm", ["cl,body:300000,fault:close-body",
                                "text:hello,fault:no-end"])
def test_backend_dying_mid_body_is_a_clean_502_when_held(gw, gm):
    srv = gw(extra=opt(0))
    st, h, body, _ = get(srv, "/app.php?gm=" + gm)
    # Nothing had been sent: a whole 502 page, not a cut 200.
    assert st == 502
    assert h["content-length"] == [str(len(body))]
    # The connection is still in sync: the next request works.
    st, h, body, _ = get(srv, "/app.php?gm=text:after")
    assert st == 200 and body == b"after"


def test_held_response_spool_is_released(gw):
    srv = gw(extra=opt(0))
    for _ in range(3):
        st, _, body, _ = get(srv, "/app.php?gm=stream:4:65536:0")
        assert st == 200 and len(body) == 4 * 65536
    # No temp file stays open once the responses are sent.
    assert not spooled(srv.proc.pid)


def spooled(pid):
    """The unlinked temp files pid holds open."""
    out = []
    for f in os.listdir("/proc/%d/fd" % pid):
        try:
            if "(deleted)" in os.readlink("/proc/%d/fd/%s" % (pid, f)):
                out.append(f)
        except FileNotFoundError:
            pass
    return out


def test_client_leaving_a_held_response_releases_backend_and_spool(gw):
    srv = gw(extra=opt(0))
    s = srv.connect()
    s.sendall(b"GET /app.php?gm=stream:40:65536:50 HTTP/1.1\r\n"
              b"Host: t\r\n\r\n")
    # Past LIMIT_RESP_MEM: the held body is in its temp file by now.
    wait_until(lambda: spooled(srv.proc.pid), timeout=5, what="spool file")
    s.close()
    wait_until(lambda: not spooled(srv.proc.pid), timeout=5,
               what="spool file closed")
    st, _, body, _ = get(srv, "/app.php?gm=text:after")
    assert st == 200 and body == b"after"

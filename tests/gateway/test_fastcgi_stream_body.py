"""server.stream-request-body 1/2 through the FastCGI gateway (issue 7,
spec/gateway.md GW-STREAM-*): the request is dispatched at its head, the
body goes to the backend as it arrives, the client is not read while the
backend is behind, and chunked bodies are still spooled whole."""

import hashlib
import json
import os
import socket
import struct
import threading
import time

import pytest

from ghutil import read_to_close
from gwutil import STREAM_RESPONSE, dechunk, get, host


def opt(mode):
    return "server.stream-request-body = %d\n" % mode + STREAM_RESPONSE


def fds(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def echo_json(raw):
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 "), head
    if b"chunked" in head.lower():
        body, _ = dechunk(body)
    return json.loads(body.decode("latin1"))


@pytest.mark.parametrize("mode", [1, 2])
def test_streamed_body_reaches_the_app_whole(gw, mode):
    srv = gw(extra=opt(mode))
    body = os.urandom(5 * 1024 * 1024 + 7)
    with srv.connect(20) as s:
        s.sendall(b"POST /app.php HTTP/1.1\r\nHost: t\r\nConnection: close"
                  b"\r\nContent-Length: %d\r\n\r\n" % len(body))
        for i in range(0, len(body), 700000):
            s.sendall(body[i:i + 700000])
            time.sleep(0.02)
        j = echo_json(read_to_close(s, 20))
    assert j["body_length"] == len(body)
    assert j["body_sha256"] == hashlib.sha256(body).hexdigest()
    assert dict(j["params"])["CONTENT_LENGTH"] == str(len(body))


@pytest.mark.parametrize("mode,backend_fds", [(0, 0), (1, 1), (2, 1)])
def test_backend_is_contacted_before_the_body_is_complete(gw, mode,
                                                          backend_fds):
    srv = gw(extra=opt(mode))
    body = os.urandom(100000)
    s = srv.connect(10)
    time.sleep(0.1)
    before = fds(srv.proc.pid)
    s.sendall(b"POST /app.php HTTP/1.1\r\nHost: t\r\nConnection: close"
              b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body[:1000])
    time.sleep(0.3)
    assert fds(srv.proc.pid) == before + backend_fds
    s.sendall(body[1000:])
    j = echo_json(read_to_close(s, 10))
    s.close()
    assert j["body_sha256"] == hashlib.sha256(body).hexdigest()


def test_chunked_body_is_still_spooled_with_exact_length(gw):
    srv = gw(extra=opt(2))
    data = os.urandom(5000)
    chunked = b"".join(b"%x\r\n%s\r\n" % (1000, data[i:i + 1000])
                       for i in range(0, 5000, 1000)) + b"0\r\n\r\n"
    st, h, body, _ = get(srv, "/app.php", method="POST", body=chunked,
                         headers=[("Transfer-Encoding", "chunked")])
    assert st == 200
    j = json.loads(dechunk(body)[0])
    assert dict(j["params"])["CONTENT_LENGTH"] == "5000"
    assert j["body_sha256"] == hashlib.sha256(data).hexdigest()


def test_client_is_not_read_while_the_backend_does_not_read(gw, tmp):
    """A backend that accepts and never reads: the server stops reading
    the client once GW_BODY_HWM is queued, so the client's send stalls
    within the kernels' socket buffers instead of the whole body being
    spooled."""
    sock = os.path.join(tmp, "slow.sock")
    ls = socket.socket(socket.AF_UNIX)
    ls.bind(sock)
    ls.listen(4)
    held = []
    threading.Thread(target=lambda: held.append(ls.accept()),
                     daemon=True).start()
    srv = gw(exts={".php": [host(sock)]}, extra=opt(2), mock=False)
    total = 48 << 20
    sent = 0
    chunk = b"x" * 65536
    with srv.connect(10) as s:
        s.sendall(b"POST /app.php HTTP/1.1\r\nHost: t\r\nContent-Length: "
                  b"%d\r\n\r\n" % total)
        s.setblocking(False)
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and sent < total:
            try:
                sent += s.send(chunk)
            except BlockingIOError:
                time.sleep(0.05)
    ls.close()
    os.unlink(sock)
    for c in held:
        c[0].close()
    assert sent < total // 2, sent


def test_client_leaving_mid_body_releases_the_backend(gw):
    """Reset (SO_LINGER 0) or plain close (FIN) before the body is all
    sent: the backend connection is closed, and nothing spins."""
    srv = gw(extra=opt(1))
    before = fds(srv.proc.pid)
    for i in range(20):
        s = srv.connect(10)
        s.sendall(b"POST /app.php HTTP/1.1\r\nHost: t\r\n"
                  b"Content-Length: 100000\r\n\r\n" + b"y" * 1000)
        time.sleep(0.05)
        if i % 2:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack("ii", 1, 0))
        s.close()
    t = time.monotonic()
    while fds(srv.proc.pid) > before and time.monotonic() - t < 3:
        time.sleep(0.05)
    assert fds(srv.proc.pid) <= before
    st, _, body, _ = get(srv, "/app.php?gm=text:ok")
    assert st == 200 and dechunk(body) == (b"ok", True)
    with open("/proc/%d/stat" % srv.proc.pid) as f:
        utime = int(f.read().split()[13])
    assert utime < 300, "the server spun: %d ticks" % utime


def test_expect_100_continue_then_streamed_body(gw):
    srv = gw(extra=opt(2))
    body = os.urandom(200000)
    with srv.connect(10) as s:
        s.sendall(b"POST /app.php HTTP/1.1\r\nHost: t\r\nConnection: close"
                  b"\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n"
                  % len(body))
        assert s.recv(25) == b"HTTP/1.1 100 Continue\r\n\r\n"
        s.sendall(body)
        j = echo_json(read_to_close(s, 10))
    assert j["body_sha256"] == hashlib.sha256(body).hexdigest()


def test_early_answer_closes_the_connection_after_it(gw, tmp):
    """No backend: 503 before the body is read; the connection cannot
    carry another request and closes after the response."""
    srv = gw(exts={".php": [host(os.path.join(tmp, "none.sock"))]},
             extra=opt(1), mock=False)
    with srv.connect(10) as s:
        s.sendall(b"POST /app.php HTTP/1.1\r\nHost: t\r\n"
                  b"Content-Length: 1000000\r\n\r\n" + b"z" * 1000)
        raw = read_to_close(s, 5)
    assert raw.startswith(b"HTTP/1.1 503 ")

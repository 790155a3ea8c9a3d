"""Client abort and half-close while a FastCGI request waits for the
backend's head or streams its body (issue 7, spec/gateway.md GW-ABORT-*):
a reset client releases the backend connection and its fd at once; a
half-closed client (FIN after the whole request) still gets its answer
(RFC 9112 §9.6); tcp-fin-propagate passes that FIN on to the backend."""

import os
import socket
import struct
import time

from ghutil import read_to_close
from gwutil import STREAM_RESPONSE, dechunk, get, host
from harness import wait_until

REQ = b"GET /app.php?gm=%s HTTP/1.1\r\nHost: t\r\n\r\n"


def fds(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def reset(s):
    """Close with SO_LINGER 0: the kernel sends RST, not FIN."""
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def test_client_reset_while_waiting_for_head_releases_backend(gw):
    srv = gw(extra=STREAM_RESPONSE)
    s = srv.connect()
    s.sendall(REQ % b"text:x")
    assert b"200 OK" in s.recv(4096)
    s.close()
    time.sleep(0.2)
    before, mock_before = fds(srv.proc.pid), fds(srv.mock.pid)
    for _ in range(100):
        s = srv.connect()
        s.sendall(REQ % b"hang")
        time.sleep(0.01)
        reset(s)
    # Every backend connection is closed: ours and the mock's side.
    wait_until(lambda: fds(srv.proc.pid) <= before, timeout=5,
               what="gatehouse fds back to %d" % before)
    wait_until(lambda: fds(srv.mock.pid) <= mock_before + 2, timeout=5,
               what="mock connections closed")
    st, _, body, _ = get(srv, "/app.php?gm=text:after")
    assert st == 200 and dechunk(body) == (b"after", True)
    time.sleep(0.1)
    assert fds(srv.proc.pid) <= before + 1
    assert "request aborted" in srv.errlog()


def test_client_reset_while_body_streams_releases_backend(gw):
    srv = gw(extra=STREAM_RESPONSE)
    s = srv.connect()
    s.sendall(REQ % b"stream:50:16:100")
    assert b"200 OK" in s.recv(4096)
    before = fds(srv.proc.pid)
    reset(s)
    wait_until(lambda: fds(srv.proc.pid) <= before - 2, timeout=2,
               what="client and backend fds closed")


def test_half_closed_client_still_gets_the_response(gw):
    srv = gw()
    s = srv.connect()
    s.sendall(REQ % b"sleep:300,text:answer")
    s.shutdown(socket.SHUT_WR)
    raw = read_to_close(s, 5)
    s.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 ")
    assert body.endswith(b"answer") or dechunk(body) == (b"answer", True)
    assert "request aborted" not in srv.errlog()


def test_half_closed_client_gets_a_streamed_body_whole(gw):
    srv = gw(extra=STREAM_RESPONSE)
    s = srv.connect()
    s.sendall(REQ % b"stream:4:8:150")
    s.shutdown(socket.SHUT_WR)
    raw = read_to_close(s, 5)
    s.close()
    assert raw.startswith(b"HTTP/1.1 200 ")
    assert dechunk(raw.partition(b"\r\n\r\n")[2]) == (b"0123456789abcdef"
                                                       b"ghijklmnopqrstuv",
                                                       True)


def test_tcp_fin_propagate_passes_the_half_close_to_the_backend(gw, tmp):
    sock = os.path.join(tmp, "fc.sock")
    srv = gw(exts={".php": [host(sock, tcp_fin_propagate=True)]})
    s = srv.connect()
    s.sendall(REQ % b"hang")
    time.sleep(0.2)
    s.shutdown(socket.SHUT_WR)
    t = time.monotonic()
    raw = read_to_close(s, 5)
    s.close()
    # The mock saw EOF and closed before answering: 502, quickly.
    assert raw.startswith(b"HTTP/1.1 502 "), raw[:80]
    assert time.monotonic() - t < 3


def test_without_tcp_fin_propagate_the_backend_is_not_told(gw):
    srv = gw()
    s = srv.connect()
    s.settimeout(1.0)
    s.sendall(REQ % b"hang")
    time.sleep(0.2)
    s.shutdown(socket.SHUT_WR)
    try:
        got = s.recv(100)
    except socket.timeout:
        got = None
    s.close()
    assert got is None

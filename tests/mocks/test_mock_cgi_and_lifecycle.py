"""gatemock cgi run as a CGI program, and process lifecycle of every mock:
SIGTERM, socket files, fd-0 listening socket, logging."""

import json
import os
import signal
import socket
import subprocess
import time

import pytest

from harness import (GATEMOCK, connect, exchange, wait_listening,
                     wait_until)
from harness.wire import WS_ACCEPT, WS_KEY, fcgi_request, stdout_bytes
from harness.wire import ws_client_frame


def run_cgi(query, body=b"", extra=None, timeout=10):
    env = {"GATEWAY_INTERFACE": "CGI/1.1", "REQUEST_METHOD": "POST",
           "QUERY_STRING": query, "CONTENT_LENGTH": str(len(body)),
           "REQUEST_URI": "/c?" + query, "PATH": os.environ["PATH"]}
    env.update(extra or {})
    p = subprocess.run([GATEMOCK, "cgi", "--id", "c1"], input=body, env=env,
                       capture_output=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def test_cgi_echo_reports_environment_and_body():
    rc, out, err = run_cgi("gm=echo", b"data", {"X_ORDER": "1"})
    head, _, body = out.partition(b"\r\n\r\n")
    assert rc == 0 and head == b"Content-Type: application/json"
    e = json.loads(body)
    assert ["QUERY_STRING", "gm=echo"] in e["env"]
    assert e["body_length"] == 4 and e["id"] == "c1" and e["mock"] == "cgi"
    assert err.count(b"\n") == 1 and b"POST /c?gm=echo gm=echo -> ok" in err


@pytest.mark.parametrize("query,expect", [
    ("gm=nph,status:202,text:x",
     b"HTTP/1.1 202 Gatemock\r\nContent-Type: text/plain\r\n\r\nx"),
    ("gm=lf,location:/other", b"Content-Type: application/json\n"
     b"Location: /other\n\n"),
    ("gm=location:/local,type:,text:", b"Location: /local\r\n\r\n"),
    ("gm=cookie:2,sendfile:/srv/x,text:",
     b"Content-Type: text/plain\r\nSet-Cookie: gm1=v1; Path=/\r\n"
     b"Set-Cookie: gm2=v2; Path=/\r\nX-Sendfile: /srv/x\r\n\r\n"),
    ("gm=text:abc,fault:close-body",
     b"Content-Type: text/plain\r\nContent-Length: 3\r\n\r\na"),
    ("gm=fault:close-head", b""),
])
def test_cgi_head_variants_exact(query, expect):
    rc, out, _ = run_cgi(query)
    assert rc == 0
    assert out.startswith(expect) if b"json" in expect else out == expect


@pytest.mark.parametrize("query,expect", [
    # RFC 3875 §4.3.2: no body for HEAD; the GET's head, Content-Length too
    ("gm=text:hello,cl",
     b"Content-Type: text/plain\r\nContent-Length: 5\r\n\r\n"),
    ("gm=echo", b"Content-Type: application/json\r\n\r\n"),
    ("gm=text:hello,fault:close-body",
     b"Content-Type: text/plain\r\nContent-Length: 5\r\n\r\n"),
    ("gm=text:hello,fault:head-body",
     b"Content-Type: text/plain\r\n\r\nhello"),
])
def test_cgi_head_request_gets_the_head_only(query, expect):
    rc, out, err = run_cgi(query, extra={"REQUEST_METHOD": "HEAD"})
    assert rc == 0 and out == expect
    assert b"HEAD /c?" in err


def test_cgi_stderr_item_writes_to_stderr():
    _, _, err = run_cgi("gm=stderr:boom,text:")
    assert err.startswith(b"boom\n")


def test_cgi_websocket_over_stdin_stdout():
    frames = ws_client_frame(1, b"hey") + ws_client_frame(8, b"\x03\xe8")
    rc, out, _ = run_cgi("gm=ws", frames, {
        "HTTP_UPGRADE": "websocket", "HTTP_SEC_WEBSOCKET_KEY":
        WS_KEY.decode(), "CONTENT_LENGTH": "0"})
    assert rc == 0 and out == (
        b"Status: 101 Switching Protocols\r\nUpgrade: websocket\r\n"
        b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + WS_ACCEPT +
        b"\r\n\r\n\x81\x03hey\x88\x02\x03\xe8")


@pytest.mark.parametrize("proto", ["fastcgi", "scgi", "uwsgi", "http"])
def test_sigterm_exits_0_and_removes_the_socket_file(gatemock, proto):
    m = gatemock(proto)
    with connect(m.addr) as idle:      # an open connection must not delay
        assert os.path.exists(m.sock_path)
        t0 = time.monotonic()
        m.proc.popen.send_signal(signal.SIGTERM)
        assert m.proc.popen.wait(5) == 0
        assert time.monotonic() - t0 < 2
        idle.settimeout(2)
    assert not os.path.exists(m.sock_path)
    assert "exiting on signal 15" in m.logs()


def test_each_request_logs_one_line(gatemock):
    m = gatemock("fastcgi")
    for q in (b"gm=text:a", b"gm=status:404"):
        exchange(m.addr, fcgi_request(q))
    lines = wait_until(lambda: [ln for ln in m.logs().splitlines()
                                if "gm=" in ln][1:] and
                       [ln for ln in m.logs().splitlines() if "gm=" in ln],
                       what="two log lines")
    assert len(lines) == 2 and lines[1].endswith("-> 404")


def test_listening_socket_inherited_on_fd0(procs, tmp):
    """No --listen: accept on fd 0 (FCGI_LISTENSOCK_FILENO), as lighttpd's
    bin-path spawns it; the inherited socket file is not ours to remove."""
    path = os.path.join(tmp, "fd0.sock")
    lsock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    lsock.bind(path)
    lsock.listen(8)
    p = procs.start([GATEMOCK, "fastcgi", "--id", "fd0"], name="fd0",
                    stdin=lsock)
    lsock.close()
    wait_listening(path, proc=p)
    e = json.loads(stdout_bytes(exchange(path, fcgi_request(b"")))
                   .partition(b"\r\n\r\n")[2])
    assert e["id"] == "fd0"
    assert p.stop() == 0
    assert os.path.exists(path)    # lighttpd unlinks its own sockets
    os.unlink(path)


def test_listen_on_tcp_ipv4_and_ipv6(gatemock):
    for listen in ("tcp", "tcp6"):
        m = gatemock("scgi", listen=listen)
        assert exchange(m.addr, b"24:CONTENT_LENGTH\x000\x00SCGI\x001\x00,"
                        b"").startswith(b"Content-Type: application/json")


def test_hanging_request_does_not_delay_shutdown(gatemock):
    m = gatemock("http", listen="tcp")
    with connect(m.addr) as s:
        s.sendall(b"GET /?gm=hang HTTP/1.1\r\nHost: t\r\n\r\n")
        time.sleep(0.1)
        m.proc.popen.send_signal(signal.SIGTERM)
        assert m.proc.popen.wait(5) == 0

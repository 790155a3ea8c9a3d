"""gatemock http driven with raw HTTP/1.1 bytes over TCP."""

import json
import socket
import time

import pytest

from harness import connect, exchange, recv_all, recv_until
from harness.wire import WS_ACCEPT, WS_KEY, ws_client_frame


def get(path, extra=b""):
    return b"GET " + path + b" HTTP/1.1\r\nHost: t\r\nConnection: close\r\n" \
        + extra + b"\r\n"


def body_of(resp):
    return resp.partition(b"\r\n\r\n")[2]


def test_http_echo_reports_request_line_headers_in_order_and_body(gatemock):
    m = gatemock("http", listen="tcp", id="h1")
    req = (b"POST /p?gm=echo HTTP/1.1\r\nHost: t\r\nX-Dup: 1\r\nX-Dup: 2\r\n"
           b"Content-Length: 5\r\nConnection: close\r\n\r\nhello")
    resp = exchange(m.addr, req)
    assert resp.startswith(b"HTTP/1.1 200 OK\r\nContent-Type: "
                           b"application/json\r\nContent-Length: ")
    e = json.loads(body_of(resp))
    assert e["request_line"] == "POST /p?gm=echo HTTP/1.1"
    assert e["headers"] == [["Host", "t"], ["X-Dup", "1"], ["X-Dup", "2"],
                            ["Content-Length", "5"], ["Connection", "close"]]
    assert e["body_length"] == 5 and e["id"] == "h1"


def test_http_echo_decodes_chunked_body_and_trailers(gatemock):
    m = gatemock("http", listen="tcp")
    req = (b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
           b"Connection: close\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n"
           b"T: 1\r\n\r\n")
    e = json.loads(body_of(exchange(m.addr, req)))
    assert e["chunked"] and e["body_length"] == 5
    assert e["trailers"] == [["T", "1"]]


def test_http_keep_alive_counts_requests_per_connection(gatemock):
    m = gatemock("http", listen="tcp6")
    with connect(m.addr) as s:
        for n in (1, 2):
            s.sendall(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            resp = recv_until(s, lambda b: b.endswith(b"}\n"))
            assert json.loads(body_of(resp))["conn_request"] == n


def test_http_status_headers_exact(gatemock):
    m = gatemock("http", listen="tcp")
    resp = exchange(m.addr, get(b"/?gm=status:404,cookie:2,location:/x,"
                                b"sendfile:/f,body:10"))
    assert resp == (b"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n"
                    b"Set-Cookie: gm1=v1; Path=/\r\nSet-Cookie: gm2=v2; "
                    b"Path=/\r\nLocation: /x\r\nX-Sendfile: /f\r\n"
                    b"Content-Length: 10\r\nConnection: close\r\n\r\n"
                    b"0123456789")


def test_http_location_without_status_is_302(gatemock):
    m = gatemock("http", listen="tcp")
    resp = exchange(m.addr, get(b"/?gm=location:http://example.com/,text:"))
    assert resp.startswith(b"HTTP/1.1 302 Found\r\n")


def test_http_stream_is_chunked_with_delays(gatemock):
    m = gatemock("http", listen="tcp")
    with connect(m.addr) as s:
        s.sendall(get(b"/?gm=stream:3:4:150"))
        t0 = time.monotonic()
        first = recv_until(s, lambda b: b"\r\n\r\n4\r\n0123\r\n" in b)
        t1 = time.monotonic()
        rest = recv_all(s)
    assert first.startswith(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                            b"Transfer-Encoding: chunked\r\nConnection: "
                            b"close\r\n\r\n")
    assert rest == b"4\r\n4567\r\n4\r\n89ab\r\n0\r\n\r\n"
    assert time.monotonic() - t1 >= 0.25 and t1 - t0 < 0.2


def test_http_stream_to_http10_is_close_delimited(gatemock):
    m = gatemock("http", listen="tcp")
    resp = exchange(m.addr, b"GET /?gm=stream:2:4:0 HTTP/1.0\r\n\r\n")
    assert resp == (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                    b"Connection: close\r\n\r\n01234567")


def test_http_sleep_and_hang(gatemock):
    m = gatemock("http", listen="tcp")
    with connect(m.addr) as hung:
        hung.sendall(get(b"/?gm=hang"))
        t0 = time.monotonic()
        resp = exchange(m.addr, get(b"/?gm=sleep:300,text:x"))
        assert time.monotonic() - t0 >= 0.29 and resp.endswith(b"\r\n\r\nx")
        hung.settimeout(0.2)
        with pytest.raises(socket.timeout):
            hung.recv(1)


H = (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n")
FAULTS = {
    "close-head": b"",
    "close-body": H + b"Content-Length: 5\r\nConnection: close\r\n\r\nhe",
    "bad-head": b"HTTP/1.1 9x9 Bad\r\nContent-Type: text/plain\r\n"
                b"Content-Length: 5\r\nConnection: close\r\n\r\nhello",
    "nocolon-head": b"HTTP/1.1 200 OK\r\ngatemock-no-colon-here\r\n"
                    b"Content-Type: text/plain\r\nContent-Length: 5\r\n"
                    b"Connection: close\r\n\r\nhello",
    "big-head:10": H + b"X-Gatemock-Big: aaaaaaaaaa\r\nContent-Length: 5\r\n"
                       b"Connection: close\r\n\r\nhello",
    "bad-cl": H + b"Content-Length: 12abc\r\nConnection: close\r\n\r\nhello",
    "dup-cl": H + b"Content-Length: 5\r\nContent-Length: 6\r\n"
                  b"Connection: close\r\n\r\nhello",
    "bad-te": H + b"Transfer-Encoding: gzip\r\nConnection: close\r\n\r\nhello",
    "bad-chunk": H + b"Transfer-Encoding: chunked\r\nConnection: close\r\n"
                     b"\r\nzz\r\nhello\r\n0\r\n\r\n",
    "long-body": H + b"Content-Length: 5\r\nConnection: close\r\n\r\nhello"
                     b"EXTRA-BYTES-PAST-CONTENT-LENGTH\n",
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_http_fault_emits_exact_documented_bytes(gatemock, fault):
    m = gatemock("http", listen="tcp")
    # keep-alive request: a fault must still close the connection
    req = b"GET /?gm=text:hello,fault:" + fault.encode() + \
        b" HTTP/1.1\r\nHost: t\r\n\r\n"
    assert exchange(m.addr, req) == FAULTS[fault]


def test_http_fastcgi_only_fault_is_refused_with_400(gatemock):
    m = gatemock("http", listen="tcp")
    resp = exchange(m.addr, get(b"/?gm=fault:two-end"))
    assert resp.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert b"unknown fault 'two-end'" in resp


def test_http_malformed_request_gets_400_and_close(gatemock):
    m = gatemock("http", listen="tcp")
    resp = exchange(m.addr, b"GET / HTTP/1.1\r\nNoColon\r\n\r\n")
    assert resp == (b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
                    b"Connection: close\r\n\r\n")


def ws_handshake(path=b"/?gm=ws"):
    return (b"GET " + path + b" HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\n"
            b"Connection: Upgrade\r\nSec-WebSocket-Key: " + WS_KEY +
            b"\r\nSec-WebSocket-Version: 13\r\n\r\n")


@pytest.mark.parametrize("path", [b"/?gm=ws", b"/plain"])
def test_http_websocket_echo_ping_and_close(gatemock, path):
    m = gatemock("http", listen="tcp")
    with connect(m.addr) as s:
        s.sendall(ws_handshake(path) + ws_client_frame(2, b"\x00\x01"))
        got = recv_until(s, lambda b: b.endswith(b"\x82\x02\x00\x01"))
        assert got == (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: "
                       b"websocket\r\nConnection: Upgrade\r\n"
                       b"Sec-WebSocket-Accept: " + WS_ACCEPT + b"\r\n\r\n"
                       b"\x82\x02\x00\x01")
        s.sendall(ws_client_frame(1, b"frag", fin=False) +
                  ws_client_frame(0, b"ment") + ws_client_frame(9, b""))
        assert recv_until(s, lambda b: len(b) >= 14) == \
            b"\x01\x04frag\x80\x04ment\x8a\x00"
        s.sendall(ws_client_frame(8, b"\x03\xe8"))
        assert recv_all(s) == b"\x88\x02\x03\xe8"


def test_http_tunnel_echoes_raw_bytes_after_101(gatemock):
    m = gatemock("http", listen="tcp")
    with connect(m.addr) as s:
        s.sendall(b"GET /?gm=tunnel HTTP/1.1\r\nHost: t\r\nUpgrade: foo\r\n"
                  b"Connection: upgrade\r\n\r\nearly")
        got = recv_until(s, lambda b: b.endswith(b"early"))
        assert got == (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: foo\r\n"
                       b"Connection: Upgrade\r\n\r\nearly")
        s.sendall(b"more")
        assert recv_until(s, lambda b: len(b) >= 4) == b"more"


def test_http_head_gets_no_body_unless_head_body_fault(gatemock):
    m = gatemock("http", listen="tcp")
    head = (b"HEAD /h?gm=text:hello HTTP/1.1\r\nHost: t\r\n"
            b"Connection: close\r\n")
    assert exchange(m.addr, head + b"\r\n") == (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 0"
        b"\r\nConnection: close\r\n\r\n")
    bad = head.replace(b"hello", b"hello,fault:head-body")
    assert exchange(m.addr, bad + b"\r\n") == (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5"
        b"\r\nConnection: close\r\n\r\nhello")

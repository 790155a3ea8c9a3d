"""gatemock scgi and uwsgi driven with raw netstrings and uwsgi packets."""

import json
import time

import pytest

from harness import connect, exchange, recv_all, recv_until
from harness.wire import (WS_ACCEPT, WS_KEY, netstring_request,
                          uwsgi_request, ws_client_frame)


def pairs(query, body=b"", extra=()):
    return [(b"CONTENT_LENGTH", str(len(body)).encode()),
            (b"QUERY_STRING", query), (b"REQUEST_METHOD", b"POST"),
            (b"REQUEST_URI", b"/s?" + query)] + list(extra) + [(b"SCGI", b"1")]


def request(proto, query, body=b"", extra=()):
    p = pairs(query, body, extra)
    if proto == "scgi":
        return netstring_request(p, body)
    return uwsgi_request(p[:-1], body)


def test_scgi_echo_checks_netstring_and_reports_params(gatemock):
    m = gatemock("scgi", id="s1")
    resp = exchange(m.addr, netstring_request(
        pairs(b"", b"abc", [(b"X", b"1"), (b"X", b"2")]), b"abc"))
    head, _, body = resp.partition(b"\r\n\r\n")
    assert head == b"Content-Type: application/json"
    e = json.loads(body)
    assert e["first_is_content_length"] and e["has_scgi_1"]
    assert e["params"][4:6] == [["X", "1"], ["X", "2"]]
    assert e["body_length"] == 3 and e["id"] == "s1"
    assert e["netstring_length"] == 82


def test_uwsgi_echo_reports_packet_header(gatemock):
    m = gatemock("uwsgi")
    e = json.loads(exchange(m.addr, uwsgi_request(
        pairs(b"", b"xy")[:-1], b"xy", mod1=0, mod2=0)).partition(
        b"\r\n\r\n")[2])
    assert (e["modifier1"], e["modifier2"], e["datasize"]) == (0, 0, 75)
    assert e["params"][0] == ["CONTENT_LENGTH", "2"]
    assert e["body_length"] == 2


def test_uwsgi_nph_switch_answers_with_status_line(gatemock):
    m = gatemock("uwsgi", "--uwsgi-nph")
    resp = exchange(m.addr, request("uwsgi", b"gm=text:hi"))
    assert resp == b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhi"


@pytest.mark.parametrize("proto", ["scgi", "uwsgi"])
@pytest.mark.parametrize("query,expect", [
    (b"gm=status:503,cookie:1,location:/y,text:no",
     b"Status: 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
     b"Set-Cookie: gm1=v1; Path=/\r\nLocation: /y\r\n\r\nno"),
    (b"gm=nph,lf,body:3", b"HTTP/1.1 200 OK\nContent-Type: text/plain\n\n012"),
    (b"gm=text:hello,fault:close-body",
     b"Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhe"),
    (b"gm=text:hello,fault:close-head", b""),
    (b"gm=text:hello,fault:bad-head",
     b"Status: 9x9 Bad\r\nContent-Type: text/plain\r\n\r\nhello"),
    (b"gm=text:hello,fault:dup-cl",
     b"Content-Type: text/plain\r\nContent-Length: 5\r\nContent-Length: 6"
     b"\r\n\r\nhello"),
    (b"gm=text:hello,fault:bad-chunk",
     b"Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
     b"zz\r\nhello\r\n0\r\n\r\n"),
])
def test_scgi_uwsgi_scenarios_exact_bytes(gatemock, proto, query, expect):
    m = gatemock(proto)
    assert exchange(m.addr, request(proto, query)) == expect


@pytest.mark.parametrize("proto", ["scgi", "uwsgi"])
def test_scgi_uwsgi_stream_and_sleep(gatemock, proto):
    m = gatemock(proto, listen="tcp")
    with connect(m.addr) as s:
        t0 = time.monotonic()
        s.sendall(request(proto, b"gm=sleep:200,stream:2:4:200"))
        head = recv_until(s, lambda b: b.endswith(b"0123"))
        t1 = time.monotonic()
        assert recv_all(s) == b"4567"
        t2 = time.monotonic()
    assert head == b"Content-Type: text/plain\r\n\r\n0123"
    assert t1 - t0 >= 0.19 and t2 - t1 >= 0.18


@pytest.mark.parametrize("proto", ["scgi", "uwsgi"])
def test_scgi_uwsgi_websocket_raw_after_header(gatemock, proto):
    m = gatemock(proto)
    extra = [(b"HTTP_UPGRADE", b"websocket"),
             (b"HTTP_SEC_WEBSOCKET_KEY", WS_KEY)]
    with connect(m.addr) as s:
        s.sendall(request(proto, b"", extra=extra) +
                  ws_client_frame(1, b"hi"))
        got = recv_until(s, lambda b: b.endswith(b"\x81\x02hi"))
        assert got == (b"Status: 101 Switching Protocols\r\nUpgrade: "
                       b"websocket\r\nConnection: Upgrade\r\n"
                       b"Sec-WebSocket-Accept: " + WS_ACCEPT +
                       b"\r\n\r\n\x81\x02hi")
        s.sendall(ws_client_frame(8, b""))
        assert recv_all(s) == b"\x88\x00"


def test_scgi_malformed_netstring_is_closed_without_answer(gatemock):
    m = gatemock("scgi")
    assert exchange(m.addr, b"5:abcde;") == b""
    assert "not terminated by ','" in m.logs()


@pytest.mark.parametrize("proto", ["scgi", "uwsgi"])
@pytest.mark.parametrize("query,expect", [
    # RFC 3875 §4.3.2: no body for HEAD; the GET's head, Content-Length too
    (b"gm=text:hello,cl",
     b"Content-Type: text/plain\r\nContent-Length: 5\r\n\r\n"),
    (b"gm=nph,body:3", b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n"),
    (b"gm=text:hello,fault:head-body",
     b"Content-Type: text/plain\r\n\r\nhello"),
])
def test_scgi_uwsgi_head_request_gets_the_head_only(gatemock, proto, query,
                                                    expect):
    m = gatemock(proto)
    p = [(k, b"HEAD" if k == b"REQUEST_METHOD" else v)
         for k, v in pairs(query)]
    req = netstring_request(p) if proto == "scgi" else uwsgi_request(p[:-1])
    assert exchange(m.addr, req) == expect

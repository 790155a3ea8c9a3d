"""gatemock fastcgi driven with raw FastCGI records over a unix socket."""

import hashlib
import json
import socket
import time

import pytest

from harness import connect, exchange, recv_all, recv_until
from harness.wire import (ABORT, END, GET_VALUES, GET_VALUES_RESULT, PARAMS,
                          STDERR, STDIN, STDOUT, UNKNOWN_TYPE, begin, end,
                          fcgi_request, nv, rec, split_records, stdout_bytes,
                          WS_ACCEPT, WS_KEY, ws_client_frame)

HEAD = b"Content-Type: text/plain\r\n\r\n"
HELLO_ANSWER = (rec(STDOUT, 1, HEAD) + rec(STDOUT, 1, b"hello") +
                rec(STDOUT, 1) + end(1))


def echo_of(data, rid=1):
    out = stdout_bytes(data, rid)
    head, _, body = out.partition(b"\r\n\r\n")
    assert head == b"Content-Type: application/json"
    return json.loads(body)


def test_fcgi_echo_reports_params_in_order_body_and_record_trace(gatemock):
    m = gatemock("fastcgi", id="fc1")
    req = fcgi_request(b"gm=echo", b"hello world", stdin_records=2,
                       extra=[(b"DUP", b"a"), (b"DUP", b"b")])
    data = exchange(m.addr, req)
    e = echo_of(data)
    assert e["mock"] == "fastcgi" and e["id"] == "fc1"
    assert e["conn_request"] == 1 and e["request_id"] == 1
    assert e["params"] == [["QUERY_STRING", "gm=echo"],
                           ["REQUEST_METHOD", "POST"],
                           ["REQUEST_URI", "/t?gm=echo"],
                           ["DUP", "a"], ["DUP", "b"]]
    assert e["body_length"] == 11
    assert e["body_sha256"] == hashlib.sha256(b"hello world").hexdigest()
    assert e["params_terminated"] and e["stdin_terminated"]
    assert e["keep_conn"] is False and e["role"] == 1
    assert [(r["type"], r["content_length"]) for r in e["records"]] == [
        ("BEGIN_REQUEST", 8), ("PARAMS", 76), ("PARAMS", 0),
        ("STDIN", 6), ("STDIN", 5), ("STDIN", 0)]
    # ...and the stream ends with an empty STDOUT and END_REQUEST, then EOF
    assert data.endswith(b"\x01\x06\x00\x01\x00\x00\x00\x00"
                         b"\x01\x03\x00\x01\x00\x08\x00\x00"
                         b"\x00\x00\x00\x00\x00\x00\x00\x00")


def test_fcgi_keep_conn_reuses_connection_and_counts_requests(gatemock):
    m = gatemock("fastcgi")
    conns = set()
    with connect(m.addr) as s:
        for n in (1, 2, 3):
            s.sendall(fcgi_request(b"", rid=1, keep=True))
            data = recv_until(s, lambda b: b.endswith(end(1)))
            e = echo_of(data)
            assert e["conn_request"] == n and e["keep_conn"] is True
            assert e["records"][0]["flags"] == 1
            conns.add(e["conn"])
    assert len(conns) == 1


def test_fcgi_without_keep_conn_closes_after_end_request(gatemock):
    m = gatemock("fastcgi")
    data = exchange(m.addr, fcgi_request(b"gm=text:hello"))
    assert data == HELLO_ANSWER


def test_fcgi_ignore_keep_conn_switch_closes_anyway(gatemock):
    m = gatemock("fastcgi", "--ignore-keep-conn")
    data = exchange(m.addr, fcgi_request(b"gm=text:hello", keep=True))
    assert data == HELLO_ANSWER   # exchange() returns only at EOF


def test_fcgi_pad8_pads_records_to_multiples_of_8(gatemock):
    m = gatemock("fastcgi", "--pad8")
    data = exchange(m.addr, fcgi_request(b"gm=text:hello"))
    assert data == (rec(STDOUT, 1, HEAD, pad=4) + rec(STDOUT, 1, b"hello",
                    pad=3) + rec(STDOUT, 1) + end(1))


HEADERS_QUERY = (b"gm=status:404,cookie:2,location:/x,sendfile:/srv/f,"
                 b"header:X-A=1%2C2,body:10")
HEADERS_HEAD = (b"Status: 404 Not Found\r\nContent-Type: text/plain\r\n"
                b"Set-Cookie: gm1=v1; Path=/\r\nSet-Cookie: gm2=v2; Path=/\r\n"
                b"Location: /x\r\nX-Sendfile: /srv/f\r\nX-A: 1,2\r\n\r\n")


@pytest.mark.parametrize("query,head,body", [
    (HEADERS_QUERY, HEADERS_HEAD, b"0123456789"),
    (b"gm=location:http://example.com/a%3Fb=1",
     b"Content-Type: application/json\r\n"
     b"Location: http://example.com/a?b=1\r\n\r\n", None),
    (b"gm=status:299:Fine+Thanks,text:x,cl",
     b"Status: 299 Fine+Thanks\r\nContent-Type: text/plain\r\n"
     b"Content-Length: 1\r\n\r\n", b"x"),
    (b"gm=nph,text:x", b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n",
     b"x"),
    (b"gm=lf,status:201,text:x", b"Status: 201 Created\nContent-Type: "
     b"text/plain\n\n", b"x"),
    (b"gm=type:,text:x", b"\r\n", b"x"),
])
def test_fcgi_status_header_and_body_control_exact_head(gatemock, query,
                                                        head, body):
    m = gatemock("fastcgi")
    out = stdout_bytes(exchange(m.addr, fcgi_request(query)))
    assert out.startswith(head)
    if body is not None:
        assert out[len(head):] == body


def test_fcgi_unknown_scenario_item_answers_400_naming_it(gatemock):
    m = gatemock("fastcgi")
    out = stdout_bytes(exchange(m.addr, fcgi_request(b"gm=nonsense")))
    assert out == (b"Status: 400 Bad Request\r\nContent-Type: text/plain\r\n"
                   b"\r\ngatemock: unknown scenario item 'nonsense'\n")


def timed_records(sock, until, timeout=5):
    """[(arrival time, record)] until a record equals until."""
    sock.settimeout(timeout)
    buf, out = b"", []
    while True:
        data = sock.recv(65536)
        assert data, "EOF before the expected record"
        buf += data
        recs, buf = split_records(buf)
        now = time.monotonic()
        out += [(now, r) for r in recs]
        if recs and rec(recs[-1][1], recs[-1][2], recs[-1][3]) == until:
            return out


def test_fcgi_stream_sends_chunks_apart_in_separate_records(gatemock):
    m = gatemock("fastcgi")
    with connect(m.addr) as s:
        t0 = time.monotonic()
        s.sendall(fcgi_request(b"gm=stream:3:8:150"))
        got = timed_records(s, end(1))
    body = [(t, r[3]) for t, r in got if r[1] == STDOUT and r[3]][1:]
    assert [c for _, c in body] == [b"01234567", b"89abcdef", b"ghijklmn"]
    assert body[1][0] - body[0][0] >= 0.12 and body[2][0] - t0 >= 0.28


def test_fcgi_sleep_delays_the_head(gatemock):
    m = gatemock("fastcgi")
    with connect(m.addr) as s:
        t0 = time.monotonic()
        s.sendall(fcgi_request(b"gm=sleep:300,text:hi"))
        got = timed_records(s, end(1))
    assert got[0][0] - t0 >= 0.29


def test_fcgi_pause_delays_the_second_half_of_the_body(gatemock):
    m = gatemock("fastcgi")
    with connect(m.addr) as s:
        s.sendall(fcgi_request(b"gm=pause:300,body:10"))
        got = timed_records(s, end(1))
    stdout = [(t, r[3]) for t, r in got if r[1] == STDOUT and r[3]]
    assert [c for _, c in stdout] == [HEAD, b"01234", b"56789"]
    assert stdout[2][0] - stdout[1][0] >= 0.28


def test_fcgi_hang_never_answers_and_does_not_block_others(gatemock):
    m = gatemock("fastcgi")
    with connect(m.addr) as hung:
        hung.sendall(fcgi_request(b"gm=hang"))
        assert exchange(m.addr, fcgi_request(b"gm=text:hello")) == \
            HELLO_ANSWER
        hung.settimeout(0.4)
        with pytest.raises(socket.timeout):
            hung.recv(1)


def test_fcgi_abort_request_ends_a_hanging_request(gatemock):
    m = gatemock("fastcgi")
    with connect(m.addr) as s:
        s.sendall(fcgi_request(b"gm=hang", keep=True))
        time.sleep(0.1)
        s.sendall(rec(ABORT, 1))
        assert recv_until(s, lambda b: len(b) >= 16) == end(1)


T = b"gm=text:hello,fault:"
CL5 = b"Content-Type: text/plain\r\nContent-Length: 5\r\n\r\n"
FAULTS = {
    "close-head": b"",
    "close-body": rec(STDOUT, 1, CL5) + rec(STDOUT, 1, b"he"),
    "big-head:100": rec(STDOUT, 1, b"Content-Type: text/plain\r\n"
                        b"X-Gatemock-Big: " + b"a" * 100 + b"\r\n\r\n") +
    HELLO_ANSWER[36:],
    "bad-head": rec(STDOUT, 1, b"Status: 9x9 Bad\r\n" + HEAD) +
    HELLO_ANSWER[36:],
    "nocolon-head": rec(STDOUT, 1, b"gatemock-no-colon-here\r\n" + HEAD) +
    HELLO_ANSWER[36:],
    "bad-cl": rec(STDOUT, 1, b"Content-Type: text/plain\r\n"
                  b"Content-Length: 12abc\r\n\r\n") + HELLO_ANSWER[36:],
    "dup-cl": rec(STDOUT, 1, b"Content-Type: text/plain\r\nContent-Length: 5"
                  b"\r\nContent-Length: 6\r\n\r\n") + HELLO_ANSWER[36:],
    "bad-te": rec(STDOUT, 1, b"Content-Type: text/plain\r\nTransfer-Encoding:"
                  b" gzip\r\n\r\n") + HELLO_ANSWER[36:],
    "bad-chunk": rec(STDOUT, 1, b"Content-Type: text/plain\r\nTransfer-"
                     b"Encoding: chunked\r\n\r\n") +
    rec(STDOUT, 1, b"zz\r\nhello\r\n0\r\n\r\n") + rec(STDOUT, 1) + end(1),
    "long-body": rec(STDOUT, 1, CL5) + rec(STDOUT, 1, b"hello") +
    rec(STDOUT, 1, b"EXTRA-BYTES-PAST-CONTENT-LENGTH\n") + rec(STDOUT, 1) +
    end(1),
    "version": b"\x02\x06\x00\x01\x00\x1c\x00\x00" + HEAD +
    HELLO_ANSWER[36:],
    "reqid": rec(STDOUT, 2, HEAD) + rec(STDOUT, 2, b"hello") +
    rec(STDOUT, 2) + end(2),
    "truncated": b"\x01\x06\x00\x01\x00\x1c\x00\x00" + HEAD[:14],
    "padding": b"\x01\x06\x00\x01\x00\x1c\x08\x00" + HEAD + HELLO_ANSWER[36:],
    "no-end": HELLO_ANSWER[:-16],
    "two-end": HELLO_ANSWER + end(1),
    "overloaded": b"\x01\x03\x00\x01\x00\x08\x00\x00"
                  b"\x00\x00\x00\x00\x02\x00\x00\x00",
    "cant-mpx": end(1, 0, 1),
    "unknown-role": end(1, 0, 3),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fcgi_fault_emits_exact_documented_bytes(gatemock, fault):
    m = gatemock("fastcgi")
    data = exchange(m.addr, fcgi_request(T + fault.encode()))
    assert data == FAULTS[fault]


def test_fcgi_stderr_and_appstatus(gatemock):
    m = gatemock("fastcgi")
    data = exchange(m.addr, fcgi_request(b"gm=text:hello,stderr:oops,"
                                         b"appstatus:7"))
    assert data == (rec(STDERR, 1, b"oops") + rec(STDERR, 1) +
                    HELLO_ANSWER[:-16] + end(1, 7))


def test_fcgi_get_values_answers_configured_values_only(gatemock):
    m = gatemock("fastcgi", "--max-conns", "7", "--max-reqs", "9")
    q = nv(b"FCGI_MAX_CONNS", b"") + nv(b"FCGI_MAX_REQS", b"") + \
        nv(b"FCGI_MPXS_CONNS", b"") + nv(b"OTHER", b"")
    with connect(m.addr) as s:
        s.sendall(rec(GET_VALUES, 0, q))
        got = recv_until(s, lambda b: len(b) >= 8 + 51)
    assert got == rec(GET_VALUES_RESULT, 0,
                      b"\x0e\x01FCGI_MAX_CONNS7\x0d\x01FCGI_MAX_REQS9"
                      b"\x0f\x01FCGI_MPXS_CONNS0")


def test_fcgi_unknown_record_type_gets_unknown_type(gatemock):
    m = gatemock("fastcgi")
    with connect(m.addr) as s:
        s.sendall(rec(42, 0, b"xyz"))
        got = recv_until(s, lambda b: len(b) >= 16)
    assert got == b"\x01\x0b\x00\x00\x00\x08\x00\x00*\0\0\0\0\0\0\0"
    assert got == rec(UNKNOWN_TYPE, 0, b"\x2a" + b"\0" * 7)


def test_fcgi_second_request_id_without_mpx_gets_cant_mpx_conn(gatemock):
    m = gatemock("fastcgi")
    with connect(m.addr) as s:
        s.sendall(begin(1, keep=True) + begin(2, keep=True))
        assert recv_until(s, lambda b: len(b) >= 16) == end(2, 0, 1)


def test_fcgi_filter_role_gets_unknown_role(gatemock):
    m = gatemock("fastcgi")
    data = exchange(m.addr, begin(1, role=3))
    assert data == end(1, 0, 3)


def test_fcgi_mpx_serves_request_ids_concurrently_interleaved(gatemock):
    m = gatemock("fastcgi", "--mpx")
    reqs = b"".join(fcgi_request(b"gm=body:3000", rid=r, keep=True)
                    for r in (1, 2, 3))
    with connect(m.addr) as s:
        s.sendall(reqs)
        data = recv_until(s, lambda b: sum(
            1 for r in split_records(b)[0] if r[1] == END) == 3)
    recs, rest = split_records(data)
    assert rest == b""
    order = [r[2] for r in recs if r[1] == STDOUT]
    assert order != sorted(order), "STDOUT records were not interleaved"
    for rid in (1, 2, 3):
        body = stdout_bytes(data, rid).partition(b"\r\n\r\n")[2]
        assert len(body) == 3000
    with connect(m.addr) as s:
        s.sendall(rec(GET_VALUES, 0, nv(b"FCGI_MPXS_CONNS", b"")))
        assert recv_until(s, lambda b: len(b) >= 26) == rec(
            GET_VALUES_RESULT, 0, b"\x0f\x01FCGI_MPXS_CONNS1")


def test_fcgi_authorizer_allow_sends_variables(gatemock):
    m = gatemock("fastcgi")
    data = exchange(m.addr, fcgi_request(b"gm=var:REMOTE_USER=alice", role=2))
    assert stdout_bytes(data) == (
        b"Status: 200 OK\r\nContent-Type: text/plain\r\n"
        b"Variable-Gatemock-Auth: allow\r\nVariable-REMOTE_USER: alice"
        b"\r\n\r\n")
    assert data.endswith(rec(STDOUT, 1) + end(1))


def test_fcgi_authorizer_deny_answers_403_with_body(gatemock):
    m = gatemock("fastcgi")
    data = exchange(m.addr, fcgi_request(b"gm=deny", role=2))
    assert stdout_bytes(data) == (b"Status: 403 Forbidden\r\nContent-Type: "
                                  b"text/plain\r\n\r\ngatemock: denied\n")


def test_fcgi_params_with_4_byte_lengths_over_several_records(gatemock):
    m = gatemock("fastcgi")
    long_value = b"v" * 300
    params = nv(b"QUERY_STRING", b"") + nv(b"LONG", long_value)
    req = (begin(1) + rec(PARAMS, 1, params[:100]) +
           rec(PARAMS, 1, params[100:]) + rec(PARAMS, 1) + rec(STDIN, 1))
    e = echo_of(exchange(m.addr, req))
    assert e["params"][1] == ["LONG", "v" * 300]
    assert [r["type"] for r in e["records"]] == [
        "BEGIN_REQUEST", "PARAMS", "PARAMS", "PARAMS", "STDIN"]


def test_fcgi_upgrade_websocket_over_stdin_stdout_records(gatemock):
    m = gatemock("fastcgi")
    extra = [(b"HTTP_UPGRADE", b"websocket"),
             (b"HTTP_SEC_WEBSOCKET_KEY", WS_KEY)]
    req = fcgi_request(b"gm=ws", extra=extra)[:-8]   # STDIN left open
    with connect(m.addr) as s:
        s.sendall(req)
        head = recv_until(s, lambda b: b"\r\n\r\n" in b)
        assert stdout_bytes(head) == (
            b"Status: 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + WS_ACCEPT +
            b"\r\n\r\n")
        s.sendall(rec(STDIN, 1, ws_client_frame(1, b"Hello")))
        assert recv_until(s, lambda b: len(b) >= 15) == \
            rec(STDOUT, 1, b"\x81\x05Hello")
        s.sendall(rec(STDIN, 1, ws_client_frame(9, b"p")))
        assert recv_until(s, lambda b: len(b) >= 11) == \
            rec(STDOUT, 1, b"\x8a\x01p")
        s.sendall(rec(STDIN, 1, ws_client_frame(8, b"\x03\xe8bye")))
        assert recv_all(s) == (rec(STDOUT, 1, b"\x88\x02\x03\xe8") +
                               rec(STDOUT, 1) + end(1))


@pytest.mark.parametrize("query,stdout", [
    # RFC 3875 §4.3.2: no body for HEAD; the head is the one GET gets,
    # Content-Length (with `cl`) included.
    (b"gm=text:hello,cl",
     b"Content-Type: text/plain\r\nContent-Length: 5\r\n\r\n"),
    (b"gm=status:404,text:gone", b"Status: 404 Not Found\r\n" + HEAD),
    (b"gm=echo", b"Content-Type: application/json\r\n\r\n"),
    (b"gm=stream:2:4:0", HEAD),
    # the fixture for a misbehaving app: the body goes out anyway
    (b"gm=text:hello,fault:head-body", HEAD + b"hello"),
])
def test_fcgi_head_request_gets_the_head_only(gatemock, query, stdout):
    m = gatemock("fastcgi")
    data = exchange(m.addr, fcgi_request(query, method=b"HEAD"))
    body = stdout[len(stdout.partition(b"\r\n\r\n")[0]) + 4:]
    head = stdout[:len(stdout) - len(body)]
    expect = rec(STDOUT, 1, head) + (rec(STDOUT, 1, body) if body else b"") \
        + rec(STDOUT, 1) + end(1)
    assert data == expect


def test_fcgi_head_body_fault_is_a_no_op_for_get(gatemock):
    m = gatemock("fastcgi")
    data = exchange(m.addr, fcgi_request(b"gm=text:hello,fault:head-body"))
    assert data == HELLO_ANSWER

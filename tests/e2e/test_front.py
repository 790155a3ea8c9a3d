"""HTTP/1.1 front end: persistence, pipelining, HTTP/1.0, Host rules,
request bodies, Expect: 100-continue and every framing error status
(RFC 9110, RFC 9112; spec/http1.md)."""

import socket
import time

import pytest

from ghutil import parse_all, read_response, read_to_close


def test_keep_alive_serves_two_requests_on_one_connection(gh):
    srv = gh()
    with srv.connect() as s:
        for path, body in ((b"/a.txt", b"0123456789"),
                           (b"/sub/b.css", b"b{}\n")):
            s.sendall(b"GET " + path + b" HTTP/1.1\r\nHost: t\r\n\r\n")
            status, hdrs, got, _ = read_response(s)
            assert (status, got) == (200, body)
            assert "connection" not in hdrs


def test_pipelined_requests_answered_in_order(gh):
    srv = gh()
    reqs = b"".join(b"GET %s HTTP/1.1\r\nHost: t\r\n\r\n" % p for p in
                    (b"/a.txt", b"/nope", b"/sub/b.css", b"/index.html"))
    reqs += b"GET /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
    out = parse_all(srv.raw(reqs))
    assert [r[0] for r in out] == [200, 404, 200, 200, 200]
    assert out[0][2] == b"0123456789" and out[2][2] == b"b{}\n"
    assert out[-1][1]["connection"] == "close"


def test_http10_without_keep_alive_closes(gh):
    srv = gh()
    data = srv.raw(b"GET /a.txt HTTP/1.0\r\n\r\n")
    assert data.startswith(b"HTTP/1.0 200 ")
    assert b"Connection: close\r\n" in data
    assert data.endswith(b"0123456789")


def test_http10_with_keep_alive_persists(gh):
    srv = gh()
    with srv.connect() as s:
        s.sendall(b"GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        status, hdrs, body, head = read_response(s)
        assert head.startswith("HTTP/1.0 200")
        assert hdrs["connection"] == "keep-alive"
        s.sendall(b"GET /a.txt HTTP/1.0\r\n\r\n")
        status, hdrs, body, _ = read_response(s)
        assert status == 200 and hdrs["connection"] == "close"


def test_connection_close_from_11_client_closes(gh):
    srv = gh()
    data = srv.raw(b"GET /a.txt HTTP/1.1\r\nHost: t\r\n"
                   b"Connection: close\r\n\r\n")
    assert data.startswith(b"HTTP/1.1 200 ") and b"Connection: close" in data


def test_http11_without_host_is_400(gh):
    srv = gh()
    assert srv.raw(b"GET / HTTP/1.1\r\n\r\n").startswith(b"HTTP/1.1 400 ")


def test_http10_without_host_is_served(gh):
    srv = gh()
    assert srv.raw(b"GET / HTTP/1.0\r\n\r\n").startswith(b"HTTP/1.0 200 ")


def test_two_host_fields_are_400(gh):
    srv = gh()
    data = srv.raw(b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
    assert data.startswith(b"HTTP/1.1 400 ")


def test_invalid_host_is_400(gh):
    srv = gh()
    data = srv.raw(b"GET / HTTP/1.1\r\nHost: a b/c\r\n\r\n")
    assert data.startswith(b"HTTP/1.1 400 ")


def test_absolute_form_authority_wins_over_host(gh):
    srv = gh()  # to learn the docroot path
    srv.proc.stop()
    srv = gh(extra='$HTTP["host"] == "other" { server.document-root = "%s" }'
             % (srv.docroot + "/sub"))
    data = srv.raw(b"GET http://other/ HTTP/1.1\r\nHost: t\r\n"
                   b"Connection: close\r\n\r\n")
    assert data.startswith(b"HTTP/1.1 200 ") and data.endswith(b"sub index\n")
    data = srv.raw(b"GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    assert data.endswith(b"<p>home</p>\n")


def test_post_with_content_length_body(gh):
    srv = gh()
    data = srv.raw(b"POST /a.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 5"
                   b"\r\nConnection: close\r\n\r\nhello")
    assert data.startswith(b"HTTP/1.1 200 ")


def test_chunked_body_with_trailers_then_next_request(gh):
    srv = gh()
    req = (b"POST /a.txt HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked"
           b"\r\n\r\n5\r\nhello\r\n3;ext=1\r\nabc\r\n0\r\n"
           b"Content-Length: 99\r\nX-Trailer: y\r\n\r\n"
           b"GET /sub/b.css HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    out = parse_all(srv.raw(req))
    assert [r[0] for r in out] == [200, 200]
    assert out[1][2] == b"b{}\n"


def test_body_over_memory_threshold_is_spilled_and_read(gh):
    srv = gh()
    body = b"x" * 300000
    with srv.connect() as s:
        s.sendall(b"POST /a.txt HTTP/1.1\r\nHost: t\r\nContent-Length: %d"
                  b"\r\n\r\n" % len(body) + body)
        status, _, got, _ = read_response(s)
        assert status == 200 and got == b"0123456789"
        s.sendall(b"GET /sub/b.css HTTP/1.1\r\nHost: t\r\n\r\n")
        assert read_response(s)[2] == b"b{}\n"


def test_chunked_body_over_threshold_is_spilled(gh):
    srv = gh()
    chunk = b"y" * 50000
    body = b"".join(b"%x\r\n" % len(chunk) + chunk + b"\r\n"
                    for _ in range(4)) + b"0\r\n\r\n"
    data = srv.raw(b"POST /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close"
                   b"\r\nTransfer-Encoding: chunked\r\n\r\n" + body)
    assert data.startswith(b"HTTP/1.1 200 ")


def test_expect_100_continue_gets_interim_response(gh):
    srv = gh()
    with srv.connect() as s:
        s.sendall(b"POST /a.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 4"
                  b"\r\nExpect: 100-continue\r\n\r\n")
        interim = s.recv(25)
        assert interim == b"HTTP/1.1 100 Continue\r\n\r\n"
        s.sendall(b"data")
        assert read_response(s)[0] == 200


def test_expect_100_continue_not_sent_to_http10(gh):
    srv = gh()
    with srv.connect() as s:
        s.sendall(b"POST /a.txt HTTP/1.0\r\nContent-Length: 4"
                  b"\r\nExpect: 100-continue\r\n\r\n")
        s.settimeout(0.3)
        with pytest.raises(socket.timeout):
            s.recv(100)
        s.sendall(b"data")
        data = read_to_close(s)
        assert data.startswith(b"HTTP/1.0 200 ")


def test_408_when_request_head_stalls(gh):
    srv = gh(extra="server.max-read-idle = 1")
    with srv.connect() as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: t\r\n")
        data = read_to_close(s, timeout=5)
    assert data.startswith(b"HTTP/1.1 408 ")


def test_keep_alive_idle_connection_closed_silently(gh):
    srv = gh(extra="server.max-keep-alive-idle = 1")
    with srv.connect() as s:
        s.sendall(b"GET /a.txt HTTP/1.1\r\nHost: t\r\n\r\n")
        assert read_response(s)[0] == 200
        t0 = time.monotonic()
        assert read_to_close(s, timeout=5) == b""
        assert time.monotonic() - t0 < 4


def test_max_keep_alive_requests_closes_after_limit(gh):
    srv = gh(extra="server.max-keep-alive-requests = 2")
    reqs = b"GET /a.txt HTTP/1.1\r\nHost: t\r\n\r\n" * 3
    out = parse_all(srv.raw(reqs))
    assert len(out) == 2 and out[1][1]["connection"] == "close"


def test_max_connections_pauses_accepting(gh):
    srv = gh(extra="server.max-connections = 2")
    a, b = srv.connect(), srv.connect()
    c = srv.connect()  # completes in the kernel backlog
    c.sendall(b"GET /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    c.settimeout(0.5)
    with pytest.raises(socket.timeout):
        c.recv(10)
    a.close()
    data = read_to_close(c)
    assert data.startswith(b"HTTP/1.1 200 ")
    b.close()
    c.close()


@pytest.mark.parametrize("req,status", [
    (b"GET / HTTP/1.1 x\r\nHost: t\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: t\r\nBad Name: x\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: t\r\n folded\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1x\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n"
     b"Content-Length: 2\r\n\r\n", 400),
    (b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
     b"zz\r\n", 400),
    (b"POST /a.txt HTTP/1.1\r\nHost: t\r\n\r\n", 411),
    (b"POST /a.txt HTTP/1.0\r\n\r\n", 411),
    (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: t\r\n\r\n", 414),
    (b"GET / HTTP/1.1\r\nHost: t\r\nExpect: teapot\r\n\r\n", 417),
    (b"GET / HTTP/1.1\r\nHost: t\r\nX: " + b"v" * 9000 + b"\r\n\r\n", 431),
    (b"GET / HTTP/1.1\r\nHost: t\r\n" + b"X: v\r\n" * 150 + b"\r\n", 431),
    (b"BREW /pot HTTP/1.1\r\nHost: t\r\n\r\n", 501),
    # well framed, so the connection could persist: ask for the close
    (b"PUT /a.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n"
     b"Connection: close\r\n\r\n", 501),
    (b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked\r\n"
     b"\r\n", 501),
    (b"GET / HTTP/2.0\r\nHost: t\r\n\r\n", 505),
    (b"GET /a%00b HTTP/1.1\r\nHost: t\r\n\r\n", 400),
    (b"GET /a%zz HTTP/1.1\r\nHost: t\r\n\r\n", 400),
])
def test_framing_errors_get_clean_status_and_close(gh, req, status):
    srv = gh()
    data = srv.raw(req)
    line = data.split(b"\r\n", 1)[0]
    assert line.split(b" ")[1] == b"%d" % status, data[:200]
    assert b"Connection: close\r\n" in data


def test_413_for_content_length_over_max_request_size(gh):
    srv = gh(extra="server.max-request-size = 1")
    data = srv.raw(b"POST /a.txt HTTP/1.1\r\nHost: t\r\n"
                   b"Content-Length: 2048\r\n\r\n" + b"x" * 2048)
    assert data.startswith(b"HTTP/1.1 413 ")


def test_413_for_chunked_body_over_max_request_size(gh):
    srv = gh(extra="server.max-request-size = 1")
    chunk = b"x" * 1500
    data = srv.raw(b"POST /a.txt HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: "
                   b"chunked\r\n\r\n5dc\r\n" + chunk + b"\r\n0\r\n\r\n")
    assert data.startswith(b"HTTP/1.1 413 ")


def test_error_log_names_connection_and_escapes_peer_bytes(gh):
    srv = gh()
    srv.raw(b"GET /\x1b[31m HTTP/1.1\r\nHost: t\r\n\r\n")
    log = srv.errlog()
    assert "conn " in log and "400" in log
    assert "\x1b" not in log


def test_access_log_uses_lighttpd_default_format(gh):
    srv = gh()
    srv.raw(b"GET /a.txt HTTP/1.1\r\nHost: example\r\nReferer: r\r\n"
            b"User-Agent: ua/1\r\nConnection: close\r\n\r\n")
    srv.proc.stop(signal_term())  # flushes the access log
    with open(srv.accesslog) as f:
        line = f.read().strip().splitlines()[-1]
    assert line.startswith("127.0.0.1 example - [")
    assert line.endswith('"GET /a.txt HTTP/1.1" 200 10 "r" "ua/1"')


def signal_term():
    import signal
    return signal.SIGTERM


def test_pipelined_post_after_get_keeps_order(gh):
    srv = gh()
    reqs = (b"GET /a.txt HTTP/1.1\r\nHost: t\r\n\r\n"
            b"POST /sub/b.css HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\n"
            b"abc"
            b"GET /index.html HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    out = parse_all(srv.raw(reqs))
    assert [(r[0], r[2]) for r in out] == [
        (200, b"0123456789"), (200, b"b{}\n"), (200, b"<p>home</p>\n")]


def test_write_idle_timeout_closes_client_that_does_not_read(gh):
    srv = gh(extra="server.max-write-idle = 1")
    with open(srv.docroot + "/huge.bin", "wb") as f:
        f.write(b"z" * (32 << 20))
    s = srv.connect()
    s.sendall(b"GET /huge.bin HTTP/1.1\r\nHost: t\r\n\r\n")
    time.sleep(2.5)  # the server gives up after 1 s without progress
    got = 0
    s.settimeout(5)
    try:
        while True:
            d = s.recv(1 << 20)
            if not d:
                break
            got += len(d)
    except ConnectionResetError:
        pass
    s.close()
    assert got < (32 << 20)


def test_server_socket_block_adds_listener_with_own_settings(gh):
    from harness import free_port
    port2 = free_port()
    srv = gh()  # to learn the docroot path
    srv.proc.stop()
    srv = gh(extra='$SERVER["socket"] == "127.0.0.1:%d" {\n'
                   '  server.document-root = "%s/sub"\n}'
             % (port2, srv.docroot))
    with socket.create_connection(("127.0.0.1", port2), 5) as s:
        s.sendall(b"GET / HTTP/1.0\r\n\r\n")
        assert read_to_close(s).endswith(b"sub index\n")
    assert srv.raw(b"GET / HTTP/1.0\r\n\r\n").endswith(b"<p>home</p>\n")


def test_unix_socket_listener(gh):
    import os
    srv = gh()
    path = os.path.join(srv.tmp, "gh.sock")
    srv.proc.stop()
    srv = gh(extra='$SERVER["socket"] == "%s" { }' % path)
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(5)
    s.connect(path)
    s.sendall(b"GET /a.txt HTTP/1.0\r\n\r\n")
    assert read_to_close(s).endswith(b"0123456789")
    s.close()
    srv.proc.stop()
    assert not os.path.exists(path)  # removed at exit


def test_half_closed_client_still_gets_pipelined_responses(gh):
    srv = gh()
    reqs = b"GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n" * 3
    with srv.connect() as s:
        s.sendall(reqs)
        s.shutdown(socket.SHUT_WR)
        out = parse_all(read_to_close(s))
    assert [r[0] for r in out] == [200, 200, 200]
    assert all(len(r[2]) == 102400 for r in out)


def test_implemented_modules_load_without_a_warning(gh):
    srv = gh(extra='server.modules += ("mod_rewrite", "mod_redirect", '
             '"mod_alias", "mod_setenv", "mod_status")')
    assert "does not implement" not in srv.errlog()


def test_gatecheck_http_front_end_cases_pass(gh):
    import os
    import subprocess
    from harness import REPO
    gc = os.path.join(REPO, "build", "gatecheck")
    if not os.path.exists(gc):
        pytest.skip("build/gatecheck not built")
    srv = gh()
    r = subprocess.run([gc, "http", "--url", srv.url("/"), "-q"],
                       capture_output=True, timeout=300)
    out = (r.stdout + r.stderr).decode("utf-8", "replace")
    assert r.returncode == 0, out
    assert " 0 failed" in out, out

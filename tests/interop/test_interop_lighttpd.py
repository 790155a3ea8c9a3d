"""Interop: lighttpd 1.4 in front of every mock.

One lighttpd per module (started once, always stopped), routing:
  /fcgi/   mod_fastcgi, mock spawned by lighttpd via bin-path (fd-0 socket),
           "upgrade" => "enable"
  /auth/   mod_fastcgi authorizer + responder, both the same mock
  /scgi/   mod_scgi, scgi.protocol "scgi", upgrade enabled
  /uwsgi/  mod_scgi, scgi.protocol "uwsgi"
  /proxy/  mod_proxy to the http mock, proxy.header upgrade enabled
  *.cgi    mod_cgi running `gatemock cgi`, cgi.upgrade enabled
"""

import http.client
import json
import os
import shutil
import socket
import subprocess

import pytest

from harness import (GATEMOCK, Procs, connect, free_port, make_tmpdir,
                     recv_all, recv_until, remove_tmpdir, render,
                     wait_listening, write_file)
from harness.wire import WS_ACCEPT, WS_KEY, ws_client_frame

LIGHTTPD_CONF = """
server.modules = ("mod_fastcgi", "mod_scgi", "mod_proxy", "mod_cgi")
server.document-root = "@tmp@/docroot"
server.bind = "127.0.0.1"
server.port = @port@
server.errorlog = "@tmp@/lighttpd-error.log"
server.breakagelog = "@tmp@/lighttpd-breakage.log"
server.max-keep-alive-requests = 0
server.stream-response-body = 2

fastcgi.server = (
    "/fcgi/" => ((
        "bin-path" => "@gatemock@ fastcgi",
        "bin-environment" => ("GATEMOCK_ID" => "spawned"),
        "socket" => "@tmp@/spawned.sock",
        "max-procs" => 1,
        "check-local" => "disable",
        "upgrade" => "enable",
    )),
    "/auth/" => (
        "authz" => (
            "socket" => "@fcgi@",
            "mode" => "authorizer",
            "check-local" => "disable",
        ),
        "resp" => (
            "socket" => "@fcgi@",
            "check-local" => "disable",
        ),
    ),
)
scgi.server = (
    "/scgi/" => (( "socket" => "@scgi@", "check-local" => "disable",
                   "upgrade" => "enable" )),
)
$HTTP["url"] =^ "/uwsgi/" {
    scgi.protocol = "uwsgi"
    scgi.server = (
        "/uwsgi/" => (( "socket" => "@uwsgi@", "check-local" => "disable" )),
    )
}
proxy.server = (
    "/proxy/" => (( "host" => "127.0.0.1", "port" => @http_port@ )),
)
proxy.header = ( "upgrade" => "enable" )
cgi.assign = ( ".cgi" => "" )
cgi.upgrade = "enable"
"""

CGI_WRAPPER = "#!/bin/sh\nexec @gatemock@ cgi --id lighttpd-cgi\n"


@pytest.fixture(scope="module")
def lighttpd():
    tmp = make_tmpdir()
    procs = Procs(tmp)
    try:
        mocks = {}
        for proto, listen in (("fastcgi", "unix"), ("scgi", "unix"),
                              ("uwsgi", "unix"), ("http", "tcp")):
            if listen == "unix":
                addr = os.path.join(tmp, proto + ".sock")
                spec = "unix:" + addr
            else:
                addr = ("127.0.0.1", free_port())
                spec = "%s:%d" % addr
            p = procs.start([GATEMOCK, proto, "--listen", spec, "--id",
                             "lt-" + proto], name="gatemock-" + proto)
            wait_listening(addr, proc=p)
            mocks[proto] = addr
        os.mkdir(os.path.join(tmp, "docroot"))
        write_file(os.path.join(tmp, "docroot", "mock.cgi"),
                   render(CGI_WRAPPER, gatemock=GATEMOCK), 0o755)
        port = free_port()
        conf = write_file(os.path.join(tmp, "lighttpd.conf"), render(
            LIGHTTPD_CONF, tmp=tmp, port=port, gatemock=GATEMOCK,
            fcgi=mocks["fastcgi"], scgi=mocks["scgi"], uwsgi=mocks["uwsgi"],
            http_port=mocks["http"][1]))
        p = procs.start(["lighttpd", "-D", "-f", conf], name="lighttpd")
        wait_listening(("127.0.0.1", port), proc=p)
        yield port, procs
    except BaseException:
        procs.dump()
        raise
    finally:
        procs.stop_all()
        if os.environ.get("GATEHOUSE_TEST_DUMP"):
            procs.dump()
            print(open(os.path.join(tmp, "lighttpd-error.log")).read())
        remove_tmpdir(tmp)


def get(port, path, body=None, method=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request(method or ("POST" if body else "GET"), path, body=body)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r, data


@pytest.mark.parametrize("path,mock", [
    ("/fcgi/x", "fastcgi"), ("/scgi/x", "scgi"), ("/uwsgi/x", "uwsgi"),
    ("/proxy/x", "http"), ("/mock.cgi", "cgi")])
def test_lighttpd_echo_through_every_gateway(lighttpd, path, mock):
    port, procs = lighttpd
    r, data = get(port, path + "?gm=echo", b"abc")
    assert r.status == 200, data
    e = json.loads(data)
    assert e["mock"] == mock and e["body_length"] == 3
    if mock == "fastcgi":
        assert e["id"] == "spawned"          # started by lighttpd, fd 0
        assert e["keep_conn"] is False       # lighttpd never sets it
        assert [x["type"] for x in e["records"]][:3] == [
            "BEGIN_REQUEST", "PARAMS", "PARAMS"]
    if mock == "scgi":
        assert e["first_is_content_length"] and e["has_scgi_1"]
    if mock == "uwsgi":
        assert e["modifier1"] == 0 and e["modifier2"] == 0


@pytest.mark.parametrize("path", ["/fcgi/", "/scgi/", "/uwsgi/", "/proxy/",
                                  "/mock.cgi"])
def test_lighttpd_status_cookies_and_bad_content_length(lighttpd, path):
    port, _ = lighttpd
    r, data = get(port, path + "?gm=status:404,cookie:2,body:10")
    assert r.status == 404 and data == b"0123456789"
    assert len(r.headers.get_all("Set-Cookie")) == 2
    r, _ = get(port, path + "?gm=text:hello,fault:close-head")
    assert r.status in (500, 502), r.status   # nothing before EOF


def test_lighttpd_cgi_lf_only_head_and_location_302(lighttpd):
    port, _ = lighttpd
    r, data = get(port, "/mock.cgi?gm=lf,status:203,text:ok")
    assert r.status == 203 and data == b"ok"
    r, _ = get(port, "/fcgi/?gm=location:http://example.com/,text:")
    assert r.status == 302 and r.getheader("Location") == "http://example.com/"


def test_lighttpd_fastcgi_authorizer_allow_passes_variables(lighttpd):
    port, _ = lighttpd
    r, data = get(port, "/auth/x?gm=var:AUTH_USER=alice")
    assert r.status == 200, data
    env = dict(json.loads(data)["params"])
    assert env["GATEMOCK_AUTH"] == "allow" and env["AUTH_USER"] == "alice"


def test_lighttpd_fastcgi_authorizer_deny_returns_its_answer(lighttpd):
    port, _ = lighttpd
    r, data = get(port, "/auth/x?gm=deny")
    assert r.status == 403 and data == b"gatemock: denied\n"


def ws_roundtrip(port, path):
    with connect(("127.0.0.1", port)) as s:
        s.sendall(b"GET " + path + b" HTTP/1.1\r\nHost: t\r\n"
                  b"Upgrade: websocket\r\nConnection: Upgrade\r\n"
                  b"Sec-WebSocket-Key: " + WS_KEY + b"\r\n"
                  b"Sec-WebSocket-Version: 13\r\n\r\n")
        head = recv_until(s, lambda b: b"\r\n\r\n" in b)
        assert head.startswith(b"HTTP/1.1 101 Switching Protocols\r\n"), head
        # RFC 6455 §4.1: the client fails the handshake without Upgrade
        assert b"\r\nupgrade: websocket\r\n" in head.lower(), head
        assert b"Sec-WebSocket-Accept: " + WS_ACCEPT + b"\r\n" in head
        s.sendall(ws_client_frame(1, b"hello"))
        assert recv_until(s, lambda b: len(b) >= 7) == b"\x81\x05hello"
        s.sendall(ws_client_frame(9, b"pi"))
        assert recv_until(s, lambda b: len(b) >= 4) == b"\x8a\x02pi"
        s.sendall(ws_client_frame(8, b"\x03\xe8"))
        assert recv_until(s, lambda b: len(b) >= 4) == b"\x88\x02\x03\xe8"


PROBE_CONF = """
server.modules = ("mod_scgi")
server.document-root = "@tmp@"
server.bind = "127.0.0.1"
server.port = 1
scgi.server = ( "/p/" => (( "host" => "127.0.0.1", "port" => 2,
                            "upgrade" => "@value@" )) )
"""


def lighttpd_knows_host_upgrade():
    """Whether this lighttpd parses the gw host option "upgrade".

    A known boolean host key with a non-boolean value fails `lighttpd -tt`
    ("check-local" => "bogus" does: "unexpected type for key").  lighttpd
    1.4.69 accepts "upgrade" => "bogus" silently, as it does any unknown
    key, so "upgrade" => "enable" there is ignored."""
    if not shutil.which("lighttpd"):
        return True   # nothing to mark; the fixture reports the missing peer
    tmp = make_tmpdir()
    try:
        conf = write_file(os.path.join(tmp, "probe.conf"),
                          render(PROBE_CONF, tmp=tmp, value="bogus"))
        p = subprocess.run(["lighttpd", "-tt", "-f", conf],
                           capture_output=True, timeout=10)
        return p.returncode != 0
    finally:
        remove_tmpdir(tmp)


LT_HOST_UPGRADE = lighttpd_knows_host_upgrade()

# Measured with lighttpd 1.4.69 (Debian 1.4.69-1) and a raw listener in
# place of the mock, fastcgi.debug/scgi.debug = 2 and
# debug.log-request-header/-response-header: the request reaches the backend
# with HTTP_UPGRADE=websocket, HTTP_CONNECTION=Upgrade and the key, but
# mod_fastcgi sends the empty FCGI_STDIN right after PARAMS (with upgrade on
# it is deferred), the backend's "Upgrade: websocket" is dropped from its 101
# (1.4.69 keeps a backend Upgrade header for mod_proxy and mod_cgi only), the
# client gets "HTTP/1.1 101 Switching Protocols, Connection: close,
# Sec-WebSocket-Accept, Transfer-Encoding: chunked" and its frames are never
# relayed.  The same for Status: 101 and for an NPH "HTTP/1.1 101" line.
# (lighttpd 1.4.6x http_response_process_headers() drops a backend Upgrade
# header unless the backend is mod_proxy or mod_cgi.)  So neither the mock
# (its head is Status 101 + Upgrade + Connection + Sec-WebSocket-Accept, as
# mod_cgi takes it) nor the config is at fault; this lighttpd cannot upgrade
# FastCGI or SCGI.
LT_UPGRADE_GAP = pytest.mark.xfail(
    condition=not LT_HOST_UPGRADE, strict=True, reason=(
        "lighttpd without the gw host option \"upgrade\" (1.4.69: "
        "\"upgrade\" => \"bogus\" passes lighttpd -tt) ignores it: FastCGI "
        "STDIN is ended at once, the backend's Upgrade header is dropped, "
        "the client gets a chunked 101 without Upgrade and no tunnel "
        "(FastCGI: end of body b'0\\r\\n\\r\\n' instead of the echo; "
        "SCGI: the echo never comes)"))


@pytest.mark.parametrize("path", [
    pytest.param(b"/fcgi/ws?gm=ws", marks=LT_UPGRADE_GAP),
    pytest.param(b"/scgi/ws?gm=ws", marks=LT_UPGRADE_GAP),
    b"/proxy/ws?gm=ws", b"/mock.cgi?gm=ws"])
def test_lighttpd_websocket_upgrade_through_gateway(lighttpd, path):
    port, _ = lighttpd
    ws_roundtrip(port, path)


def test_lighttpd_streams_chunks_as_they_come(lighttpd):
    port, _ = lighttpd
    with connect(("127.0.0.1", port)) as s:
        s.sendall(b"GET /fcgi/?gm=stream:2:4:400 HTTP/1.1\r\nHost: t\r\n"
                  b"Connection: close\r\n\r\n")
        first = recv_until(s, lambda b: b"0123" in b, timeout=0.35)
        assert b"0123" in first and b"4567" not in first
        assert b"4567" in recv_all(s)

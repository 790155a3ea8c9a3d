"""Interop: the mocks driven by real third-party clients and servers.

cgi-fcgi (libfcgi) -> fastcgi mock; curl -> http mock;
nginx fastcgi_pass / scgi_pass / uwsgi_pass -> fastcgi, scgi, uwsgi mocks.
"""

import hashlib
import http.client
import json
import os
import shutil
import subprocess

import pytest

from harness import free_port, render, wait_listening, write_file

needs = pytest.mark.skipif


def test_cgi_fcgi_drives_fastcgi_mock(gatemock):
    m = gatemock("fastcgi", listen="tcp", id="libfcgi")
    env = {"QUERY_STRING": "gm=echo", "REQUEST_METHOD": "POST",
           "CONTENT_LENGTH": "5", "PATH": os.environ["PATH"]}
    p = subprocess.run(["cgi-fcgi", "-bind", "-connect", "%s:%d" % m.addr],
                       input=b"hello", env=env, capture_output=True,
                       timeout=10)
    head, _, body = p.stdout.partition(b"\r\n\r\n")
    assert p.returncode == 0 and head == b"Content-Type: application/json"
    e = json.loads(body)
    assert e["id"] == "libfcgi" and e["body_length"] == 5
    assert ["CONTENT_LENGTH", "5"] in e["params"]
    # libfcgi pads its PARAMS record to a multiple of 8 (FastCGI §3.3)
    params = [r for r in e["records"] if r["type"] == "PARAMS"]
    assert (params[0]["content_length"] + params[0]["padding_length"]) % 8 == 0


def test_cgi_fcgi_sees_status_and_cookies_from_unix_socket(gatemock):
    m = gatemock("fastcgi")
    env = {"QUERY_STRING": "gm=status:404,cookie:2,text:gone",
           "REQUEST_METHOD": "GET"}
    p = subprocess.run(["cgi-fcgi", "-bind", "-connect", m.addr], env=env,
                       capture_output=True, timeout=10)
    assert p.stdout == (b"Status: 404 Not Found\r\nContent-Type: text/plain"
                        b"\r\nSet-Cookie: gm1=v1; Path=/\r\nSet-Cookie: "
                        b"gm2=v2; Path=/\r\n\r\ngone")


def curl(*args):
    p = subprocess.run(["curl", "-sS", "--max-time", "10"] + list(args),
                       capture_output=True, timeout=15)
    return p.returncode, p.stdout, p.stderr


def test_curl_drives_http_mock(gatemock):
    m = gatemock("http", listen="tcp", id="web")
    base = "http://127.0.0.1:%d" % m.addr[1]
    rc, out, _ = curl("--data-binary", "hello", base + "/a?gm=echo")
    e = json.loads(out)
    assert rc == 0 and e["method"] == "POST" and e["body_length"] == 5
    rc, out, _ = curl("-i", base + "/?gm=status:201,cookie:2,body:5")
    assert out.startswith(b"HTTP/1.1 201 Created\r\n")
    assert out.count(b"Set-Cookie: ") == 2 and out.endswith(b"\r\n\r\n01234")
    rc, out, _ = curl(base + "/?gm=stream:4:8:50")
    assert rc == 0 and out == b"0123456789abcdefghijklmnopqrstuv"
    # two URLs on one curl command: one connection, request counter 1, 2
    rc, out, _ = curl(base + "/1", base + "/2")
    bodies = [json.loads(b"{" + x) for x in out.split(b"{")[1:]]
    assert [b["conn_request"] for b in bodies] == [1, 2]
    assert bodies[0]["conn"] == bodies[1]["conn"]
    rc, _, err = curl(base + "/?gm=text:hello,fault:close-body")
    assert rc == 18    # CURLE_PARTIAL_FILE


NGINX_CONF = """
user root;
worker_processes 1;
pid @tmp@/nginx.pid;
error_log @tmp@/nginx-error.log info;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path @tmp@/nginx-body;
    proxy_temp_path @tmp@/nginx-proxy;
    fastcgi_temp_path @tmp@/nginx-fastcgi;
    uwsgi_temp_path @tmp@/nginx-uwsgi;
    scgi_temp_path @tmp@/nginx-scgi;
    upstream fcgi_pool {
        server unix:@fcgi@;
        keepalive 2;
    }
    server {
        listen 127.0.0.1:@port@;
        location /fcgi/ {
            include /etc/nginx/fastcgi_params;
            fastcgi_pass unix:@fcgi@;
        }
        location /fcgi-keep/ {
            include /etc/nginx/fastcgi_params;
            fastcgi_keep_conn on;
            fastcgi_pass fcgi_pool;
        }
        location /scgi/ {
            include /etc/nginx/scgi_params;
            scgi_pass unix:@scgi@;
        }
        location /uwsgi/ {
            include /etc/nginx/uwsgi_params;
            uwsgi_pass unix:@uwsgi@;
        }
    }
}
"""


@pytest.fixture
def nginx(gatemock, procs, tmp):
    mocks = {p: gatemock(p, id="ngx-" + p) for p in ("fastcgi", "scgi",
                                                    "uwsgi")}
    port = free_port()
    conf = write_file(os.path.join(tmp, "nginx.conf"), render(
        NGINX_CONF, tmp=tmp, port=port, fcgi=mocks["fastcgi"].addr,
        scgi=mocks["scgi"].addr, uwsgi=mocks["uwsgi"].addr))
    p = procs.start(["nginx", "-e", os.path.join(tmp, "nginx-stderr.log"),
                     "-p", tmp, "-c", conf, "-g", "daemon off;"],
                    name="nginx")
    wait_listening(("127.0.0.1", port), proc=p)
    return port


def request(port, method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r, data


@pytest.mark.parametrize("loc,mock", [("fcgi", "fastcgi"), ("scgi", "scgi"),
                                      ("uwsgi", "uwsgi")])
def test_nginx_passes_to_mock_and_back(nginx, loc, mock):
    body = b"x" * 100000
    r, data = request(nginx, "POST", "/%s/a?gm=echo" % loc, body)
    assert r.status == 200, data
    e = json.loads(data)
    assert e["mock"] == mock and e["id"] == "ngx-" + mock
    assert e["body_sha256"] == hashlib.sha256(body).hexdigest()
    env = dict(e["params"])
    assert env["QUERY_STRING"] == "gm=echo" and env["REQUEST_METHOD"] == "POST"
    if mock == "fastcgi":
        stdin = [x for x in e["records"] if x["type"] == "STDIN"]
        assert len(stdin) > 2 and stdin[-1]["content_length"] == 0
    r, data = request(nginx, "GET", "/%s/?gm=status:404,cookie:2,body:10"
                      % loc)
    assert r.status == 404 and data == b"0123456789"
    assert len(r.headers.get_all("Set-Cookie")) == 2
    r, _ = request(nginx, "GET", "/%s/?gm=fault:close-head" % loc)
    assert r.status == 502


def test_nginx_fastcgi_keep_conn_reuses_one_connection(nginx):
    seen = []
    for _ in range(3):
        r, data = request(nginx, "GET", "/fcgi-keep/?gm=echo")
        e = json.loads(data)
        assert e["keep_conn"] is True
        seen.append((e["conn"], e["conn_request"]))
    assert seen[1][0] == seen[0][0] and seen[2][1] == seen[0][1] + 2


def test_nginx_fastcgi_stream_arrives_chunked(nginx):
    r, data = request(nginx, "GET", "/fcgi/?gm=stream:3:5:50")
    assert r.status == 200 and data == b"0123456789abcde"

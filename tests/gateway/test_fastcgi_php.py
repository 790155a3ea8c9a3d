"""FastCGI against a real php-fpm 8.2 pool on a unix socket (issue 7):
$_SERVER for a script with PATH_INFO and a query, POST and 5 MB uploads
checked by SHA-256, a chunked upload arriving with an exact
CONTENT_LENGTH, and output flushed by the script arriving before it ends."""

import hashlib
import json
import os
import shutil
import socket
import time

import pytest

from harness import wait_until
from ghutil import read_to_close
from gwutil import STREAM_RESPONSE, dechunk, get, host

FPM = shutil.which("php-fpm8.2")
pytestmark = pytest.mark.skipif(FPM is None, reason="php-fpm8.2 missing")

POOL = """\
[global]
error_log = @tmp@/fpm.log
daemonize = no
[www]
listen = @tmp@/php.sock
pm = static
pm.max_children = 2
catch_workers_output = yes
php_admin_value[post_max_size] = 16M
php_admin_value[output_buffering] = 0
"""

INFO = r"""<?php
$in = file_get_contents('php://input');
header('Content-Type: application/json');
echo json_encode(['server' => $_SERVER, 'len' => strlen($in),
    'sha' => hash('sha256', $in)]);
"""

STREAM = r"""<?php
header('Content-Type: text/plain');
for ($i = 0; $i < 3; $i++) { echo "part$i\n"; flush(); usleep(600000); }
"""


@pytest.fixture
def php(gw, procs, tmp):
    return start_php(gw, procs, tmp)


@pytest.fixture
def php_stream(gw, procs, tmp):
    return start_php(gw, procs, tmp, extra=STREAM_RESPONSE)


def start_php(gw, procs, tmp, extra=""):
    conf = os.path.join(tmp, "fpm.conf")
    with open(conf, "w") as f:
        f.write(POOL.replace("@tmp@", tmp))
    procs.start([FPM, "-F", "-R", "-y", conf], name="php-fpm")
    sock = os.path.join(tmp, "php.sock")
    wait_until(lambda: os.path.exists(sock), timeout=10, what="php-fpm")
    srv = gw(exts={".php": [host(sock)]}, extra=extra, mock=False)
    for name, text in (("info.php", INFO), ("stream.php", STREAM)):
        with open(os.path.join(srv.docroot, name), "w") as f:
            f.write(text)
    return srv


def run(srv, target, **kw):
    st, h, body, _ = get(srv, target, **kw)
    assert st == 200, body
    if h.get("transfer-encoding") == ["chunked"]:
        body = dechunk(body)[0]
    return json.loads(body)


def test_php_server_vars_for_path_info_and_query(php):
    j = run(php, "/info.php/extra/path?x=1")
    s = j["server"]
    assert s["SCRIPT_NAME"] == "/info.php"
    assert s["PATH_INFO"] == "/extra/path"
    assert s["SCRIPT_FILENAME"] == php.docroot + "/info.php"
    assert s["QUERY_STRING"] == "x=1"
    assert s["REQUEST_URI"] == "/info.php/extra/path?x=1"
    assert s["PHP_SELF"] == "/info.php/extra/path"
    assert s["REQUEST_METHOD"] == "GET"


@pytest.mark.parametrize("size", [1000, 5 * 1024 * 1024])
def test_php_post_upload_sha256(php, size):
    body = os.urandom(size)
    j = run(php, "/info.php", method="POST", body=body,
            headers=[("Content-Type", "application/octet-stream")])
    assert j["len"] == size
    assert j["sha"] == hashlib.sha256(body).hexdigest()
    assert j["server"]["CONTENT_LENGTH"] == str(size)


@pytest.mark.parametrize("mode", [1, 2])
def test_php_streamed_request_body_sha256(gw, procs, tmp, mode):
    srv = start_php(gw, procs, tmp,
                    extra="server.stream-request-body = %d\n" % mode)
    body = os.urandom(5 * 1024 * 1024)
    j = run(srv, "/info.php", method="POST", body=body,
            headers=[("Content-Type", "application/octet-stream")])
    assert j["len"] == len(body)
    assert j["sha"] == hashlib.sha256(body).hexdigest()
    assert j["server"]["CONTENT_LENGTH"] == str(len(body))


def test_php_half_closed_client_gets_the_response(php_stream):
    php = php_stream
    with php.connect(10) as s:
        s.sendall(b"GET /stream.php HTTP/1.1\r\nHost: t\r\n\r\n")
        s.shutdown(socket.SHUT_WR)
        raw = read_to_close(s, 10)
    assert raw.startswith(b"HTTP/1.1 200 ")
    assert dechunk(raw.partition(b"\r\n\r\n")[2]) == (
        b"part0\npart1\npart2\n", True)


def test_php_chunked_upload_has_exact_content_length(php):
    data = os.urandom(3000)
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(data[i:i + 700]),
                                          data[i:i + 700])
                       for i in range(0, 3000, 700)) + b"0\r\n\r\n"
    j = run(php, "/info.php", method="POST", body=chunked,
            headers=[("Transfer-Encoding", "chunked"),
                     ("Content-Type", "application/octet-stream")])
    assert j["server"]["CONTENT_LENGTH"] == "3000"
    assert j["sha"] == hashlib.sha256(data).hexdigest()


def test_php_streamed_output_arrives_before_script_ends(php_stream):
    php = php_stream
    with php.connect(10) as s:
        s.sendall(b"GET /stream.php HTTP/1.1\r\nHost: t\r\n"
                  b"Connection: close\r\n\r\n")
        t0 = time.monotonic()
        got = b""
        while b"part0" not in got:
            got += s.recv(4096)
        t1 = time.monotonic()
        while True:
            d = s.recv(4096)
            if not d:
                break
            got += d
        t2 = time.monotonic()
    assert t1 - t0 < 0.5 and t2 - t0 > 1.0
    assert b"part2" in got

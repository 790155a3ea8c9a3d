"""FastCGI against fcgiwrap 1.1 running shell CGI scripts (issue 7): the
environment a script sees, a POST body on stdin, a script's Status and
its stderr reaching the error log."""

import os
import shutil

import pytest

from harness import wait_until
from gwutil import dechunk, get, host

FCGIWRAP = shutil.which("fcgiwrap")
pytestmark = pytest.mark.skipif(FCGIWRAP is None, reason="fcgiwrap missing")

ENV = """#!/bin/sh
printf 'Content-Type: text/plain\\r\\n\\r\\n'
echo "SCRIPT_NAME=$SCRIPT_NAME"
echo "PATH_INFO=$PATH_INFO"
echo "QUERY_STRING=$QUERY_STRING"
echo "CONTENT_LENGTH=$CONTENT_LENGTH"
echo "BODY=$(head -c "${CONTENT_LENGTH:-0}")"
"""

FAIL = """#!/bin/sh
echo "script complains" >&2
printf 'Status: 418 Teapot\\r\\nContent-Type: text/plain\\r\\n\\r\\nshort'
"""


@pytest.fixture
def wrap(gw, procs, tmp):
    sock = os.path.join(tmp, "wrap.sock")
    procs.start([FCGIWRAP, "-f", "-s", "unix:" + sock], name="fcgiwrap")
    wait_until(lambda: os.path.exists(sock), timeout=10, what="fcgiwrap")
    srv = gw(exts={".cgi": [host(sock)]}, mock=False)
    for name, text in (("env.cgi", ENV), ("fail.cgi", FAIL)):
        path = os.path.join(srv.docroot, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o755)
    yield srv
    try:
        os.unlink(sock)
    except OSError:
        pass


def body_of(srv, target, **kw):
    st, h, body, _ = get(srv, target, **kw)
    if h.get("transfer-encoding") == ["chunked"]:
        body = dechunk(body)[0]
    return st, body.decode()


def test_fcgiwrap_shell_script_env_and_body(wrap):
    st, text = body_of(wrap, "/env.cgi/p/q?a=b", method="POST",
                       body=b"hello")
    assert st == 200
    assert "SCRIPT_NAME=/env.cgi\n" in text
    assert "PATH_INFO=/p/q\n" in text
    assert "QUERY_STRING=a=b\n" in text
    assert "CONTENT_LENGTH=5\n" in text and "BODY=hello\n" in text


def test_fcgiwrap_status_and_stderr(wrap):
    st, text = body_of(wrap, "/fail.cgi")
    assert st == 418 and text == "short"
    assert "script complains" in wrap.errlog()

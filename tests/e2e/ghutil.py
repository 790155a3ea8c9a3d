"""Helpers for the gatehouse end-to-end tests: the config template, the
docroot every test gets, a Server handle, and HTTP/1.1 readers that do not
hide framing (the tests check framing, so they read raw bytes)."""

import os
import shutil
import signal
import socket
import subprocess
import time

import pytest

from harness import REPO, free_port, render, wait_listening, write_file

GATEHOUSE_BIN = os.environ.get(
    "GATEHOUSE_BIN", os.path.join(REPO, "build-asan", "gatehouse"))

TEMPLATE = """\
server.modules = ("mod_access", "mod_accesslog")
server.document-root = "@docroot@"
server.bind = "127.0.0.1"
server.port = @port@
server.errorlog = "@errorlog@"
server.upload-dirs = ("@tmp@")
accesslog.filename = "@accesslog@"
index-file.names = ("index.html")
mimetype.assign = (".html" => "text/html", ".txt" => "text/plain",
                   ".css" => "text/css", "" => "application/octet-stream")
@extra@
"""

BIG = bytes(range(256)) * 400  # 102400 bytes: sent by sendfile(2)


def make_docroot(root):
    os.makedirs(os.path.join(root, "sub"))
    os.makedirs(os.path.join(root, "empty"))
    write_file(os.path.join(root, "index.html"), "<p>home</p>\n")
    write_file(os.path.join(root, "a.txt"), "0123456789")
    write_file(os.path.join(root, "sub", "b.css"), "b{}\n")
    write_file(os.path.join(root, "sub", "index.html"), "sub index\n")
    write_file(os.path.join(root, "secret.inc"), "no\n")
    write_file(os.path.join(root, "app.php"), "<?php ?>\n")
    write_file(os.path.join(root, "a<b>&.txt"), "odd name\n")
    with open(os.path.join(root, "big.bin"), "wb") as f:
        f.write(BIG)


class Server:
    def __init__(self, proc, port, tmp, docroot, conf):
        self.proc, self.port, self.tmp = proc, port, tmp
        self.docroot, self.conf = docroot, conf
        self.addr = ("127.0.0.1", port)
        self.errorlog = os.path.join(tmp, "error.log")
        self.accesslog = os.path.join(tmp, "access.log")

    def connect(self, timeout=5.0):
        s = socket.create_connection(self.addr, timeout)
        s.settimeout(timeout)
        return s

    def raw(self, data, timeout=5.0):
        """Send data, half-close nothing, read until the server closes."""
        with self.connect(timeout) as s:
            s.sendall(data)
            return read_to_close(s, timeout)

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def errlog(self):
        try:
            with open(self.errorlog, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""


def read_to_close(s, timeout=5.0):
    s.settimeout(timeout)
    out = bytearray()
    while True:
        try:
            d = s.recv(65536)
        except ConnectionResetError:
            break
        if not d:
            break
        out += d
    return bytes(out)


def read_response(s, timeout=5.0):
    """One response from s (Content-Length or chunked bodies): (status,
    headers dict lower-cased, body, raw head)."""
    s.settimeout(timeout)
    buf = bytearray()
    while b"\r\n\r\n" not in buf:
        d = s.recv(1)
        if not d:
            raise EOFError("closed before a response head: %r" % bytes(buf))
        buf += d
    head = bytes(buf).decode("latin1")
    lines = head.split("\r\n")
    status = int(lines[0].split(" ")[1])
    hdrs = {}
    for ln in lines[1:]:
        if ln:
            k, v = ln.split(":", 1)
            hdrs[k.strip().lower()] = v.strip()
    body = b""
    if "content-length" in hdrs:
        n = int(hdrs["content-length"])
        while len(body) < n:
            d = s.recv(n - len(body))
            if not d:
                break
            body += d
    elif hdrs.get("transfer-encoding") == "chunked":
        f = s.makefile("rb")
        while True:
            size = int(f.readline().strip(), 16)
            if size == 0:
                while f.readline() not in (b"\r\n", b""):
                    pass
                break
            body += f.read(size)
            f.read(2)
    return status, hdrs, body, head


def parse_all(data):
    """Split a byte stream of Content-Length responses into
    (status, headers, body) tuples."""
    out = []
    while data:
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        hdrs = {}
        for ln in lines[1:]:
            k, v = ln.split(":", 1)
            hdrs[k.strip().lower()] = v.strip()
        n = int(hdrs.get("content-length", len(rest)))
        if status == 304 or status < 200:
            n = 0
        out.append((status, hdrs, rest[:n]))
        data = rest[n:]
    return out


def curl(*args, timeout=10):
    """Run curl; returns CompletedProcess (stdout bytes)."""
    if shutil.which("curl") is None:
        pytest.skip("curl not installed")
    return subprocess.run(["curl", "-sS", "--max-time", str(timeout)] +
                          list(args), capture_output=True, timeout=timeout + 5)


def wait_for(pred, timeout=5.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(0.02)
    raise TimeoutError(what)

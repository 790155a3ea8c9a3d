"""Fixtures for the gateway tests (issue 7): a FastCGI backend (gatemock on
a unix socket, or a php-fpm pool started with -R) and a gatehouse whose
config routes to it. Reuses the e2e config template and readers."""

import os
import signal
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "e2e"))

from ghutil import GATEHOUSE_BIN, TEMPLATE, Server, make_docroot  # noqa
from gwutil import FASTCGI  # noqa: E402
from harness import (GATEMOCK, free_port, render, wait_listening,  # noqa
                     wait_until, write_file)


@pytest.fixture
def gw(procs, tmp, request):
    """gw(exts={".php": [gwutil.host(...)]}, extra="", mock=True) -> Server with
    .sock (the mock's socket) and .mock (its Proc)."""
    started = []

    def start(exts=None, extra="", mock=True, mock_args=()):
        docroot = os.path.join(tmp, "www")
        if not os.path.isdir(docroot):
            make_docroot(docroot)
        sock = os.path.join(tmp, "fc.sock")
        m = None
        if mock:
            m = procs.start([GATEMOCK, "fastcgi", "--listen", "unix:" + sock,
                             "--id", "m1"] + list(mock_args), name="gatemock")
            wait_until(lambda: os.path.exists(sock), what="mock socket")
        if exts is None:
            exts = {".php": ['("socket" => "%s")' % sock]}
        text = ", ".join('"%s" => (%s)' % (k, ", ".join(v))
                         for k, v in exts.items())
        port = free_port()
        conf = write_file(os.path.join(tmp, "gatehouse.conf"), render(
            TEMPLATE, docroot=docroot, port=port, tmp=tmp,
            extra=FASTCGI.replace("@exts@", text) + extra,
            errorlog=os.path.join(tmp, "error.log"),
            accesslog=os.path.join(tmp, "access.log")))
        p = procs.start([GATEHOUSE_BIN, "-D", "-f", conf], name="gatehouse")
        srv = Server(p, port, tmp, docroot, conf)
        srv.sock, srv.mock = sock, m
        started.append(srv)
        wait_listening(srv.addr, proc=p)
        return srv

    yield start
    failed = any(getattr(request.node, "rep_" + w, None) is not None and
                 getattr(request.node, "rep_" + w).failed
                 for w in ("setup", "call"))
    codes = [(s, s.proc.stop(signal.SIGTERM, timeout=10)) for s in started]
    if failed:
        for s in started:
            print("----- gatehouse error log -----\n" + s.errlog())
    for s, rc in codes:
        assert rc == 0, "gatehouse exited %s:\n%s\n%s" % (
            rc, s.proc.logs(), s.errlog())

"""End-to-end fixtures for the gatehouse server (issue 6).

`gh(extra="...")` renders a lighttpd-syntax config from TEMPLATE into the
test's temp dir, starts the server (the ASan+UBSan build by default: env
GATEHOUSE_BIN overrides build-asan/gatehouse) in the foreground on a free
port, waits until it accepts connections, and returns a Server.  Every
server is stopped with SIGTERM when the test ends and must exit 0 (so a
sanitizer report or a leak fails the test); its error log is printed when
the test failed.
"""

import os
import signal

import pytest

from ghutil import GATEHOUSE_BIN, TEMPLATE, Server, make_docroot
from harness import free_port, render, wait_listening, write_file


@pytest.fixture
def gh(procs, tmp, request):
    started = []

    def start(extra="", args=(), wait=True, port=None):
        docroot = os.path.join(tmp, "www")
        if not os.path.isdir(docroot):
            make_docroot(docroot)
        port = port or free_port()
        conf = write_file(os.path.join(tmp, "gatehouse.conf"), render(
            TEMPLATE, docroot=docroot, port=port, tmp=tmp, extra=extra,
            errorlog=os.path.join(tmp, "error.log"),
            accesslog=os.path.join(tmp, "access.log")))
        p = procs.start([GATEHOUSE_BIN, "-D", "-f", conf] + list(args),
                        name="gatehouse")
        srv = Server(p, port, tmp, docroot, conf)
        started.append(srv)
        if wait:
            wait_listening(srv.addr, proc=p)
        return srv

    yield start
    failed = any(getattr(request.node, "rep_" + w, None) is not None and
                 getattr(request.node, "rep_" + w).failed
                 for w in ("setup", "call"))
    codes = []
    for srv in started:
        codes.append((srv, srv.proc.stop(signal.SIGTERM, timeout=10)))
    if failed:
        for srv in started:
            print("----- gatehouse error log -----\n" + srv.errlog())
    for srv, rc in codes:
        assert rc == 0, "gatehouse exited %s:\n%s\n%s" % (
            rc, srv.proc.logs(), srv.errlog())

"""Fixtures shared by every Gatehouse pytest suite.

See tests/harness/__init__.py for the conventions (running as root,
loopback only, foreground processes always stopped, bounded waits).
"""

import os
import stat
import sys
import uuid

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
from harness import (GATEMOCK, TOKEN_VAR, Procs,  # noqa: E402
                     free_port, make_tmpdir, remove_tmpdir, wait_listening)

# Every process the tests start inherits this token, so the session can
# prove at the end that none of them is still running.
SESSION_TOKEN = os.environ.setdefault(TOKEN_VAR, uuid.uuid4().hex)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


def _failed(request):
    return any(getattr(request.node, "rep_" + w, None) is not None and
               getattr(request.node, "rep_" + w).failed
               for w in ("setup", "call"))


@pytest.fixture
def tmp():
    """A per-test 0755 directory under /tmp for sockets, configs, logs.

    Torn down after procs, so it also checks that every process removed
    the unix socket files it created."""
    d = make_tmpdir()
    yield d
    socks = [os.path.join(r, f) for r, _, fs in os.walk(d) for f in fs
             if stat.S_ISSOCK(os.lstat(os.path.join(r, f)).st_mode)]
    remove_tmpdir(d)
    assert not socks, "socket files left behind: %s" % socks


@pytest.fixture
def procs(request, tmp):
    """Start processes with procs.start(argv, name=...); all are stopped
    when the test ends, and their logs are printed if it failed."""
    reg = Procs(tmp)
    yield reg
    reg.stop_all()
    if _failed(request):
        reg.dump()


class Mock:
    """A running gatemock: .addr is a unix path or (host, port)."""

    def __init__(self, proc, addr, sock_path):
        self.proc, self.addr, self.sock_path = proc, addr, sock_path

    def logs(self):
        return self.proc.logs()


@pytest.fixture
def gatemock(procs, tmp):
    """Factory: gatemock("fastcgi", "--mpx", listen="unix"|"tcp"|"tcp6",
    id="name") starts a mock and waits until it accepts connections."""
    counter = [0]

    def start(proto, *args, listen="unix", id=None):
        counter[0] += 1
        name = "gatemock-%s-%d" % (proto, counter[0])
        path = None
        if listen == "unix":
            path = os.path.join(tmp, "%s.sock" % name)
            spec, addr = "unix:" + path, path
        elif listen == "tcp6":
            port = free_port("::1")
            spec, addr = "[::1]:%d" % port, ("::1", port)
        else:
            port = free_port()
            spec, addr = "127.0.0.1:%d" % port, ("127.0.0.1", port)
        argv = [GATEMOCK, proto, "--listen", spec, "--id", id or name]
        p = procs.start(argv + list(args), name=name)
        wait_listening(addr, proc=p)
        return Mock(p, addr, path)

    return start


@pytest.fixture(scope="session", autouse=True)
def no_leftovers():
    """Fail the session if any started process or temp dir outlives it."""
    yield
    left = harness.token_processes(SESSION_TOKEN)
    dirs = {d for d in harness.MADE_DIRS if os.path.exists(d)}
    for d in dirs:
        remove_tmpdir(d)
    msg = []
    if left:
        msg.append("processes left running: " + "; ".join(
            "%d %s" % (pid, harness.cmdline(pid)) for pid in left))
        for pid in left:
            try:
                os.kill(pid, 9)
            except OSError:
                pass
    if dirs:
        msg.append("temp dirs left behind: %s" % sorted(dirs))
    if msg:
        pytest.fail("leftovers after the session: " + " | ".join(msg),
                    pytrace=False)

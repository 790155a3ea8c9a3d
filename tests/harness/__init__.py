"""Shared helpers for Gatehouse's pytest suites (mocks, interop, e2e).

Conventions every test follows:

* Tests run as root (CI and developer machines alike).  Real peers are
  started so that root works and so that every process can reach every
  socket: nginx gets `user root;` in its config (its workers would
  otherwise drop to www-data and fail to open root-owned paths), php-fpm is
  started with `-R` (it refuses to run as root without it), lighttpd runs
  without `server.username`.  Sockets and configs live in a per-test
  directory made by make_tmpdir(): under /tmp, mode 0755, with a short path
  (sun_path holds 107 bytes) so any uid can traverse it.
* Only loopback: 127.0.0.1, ::1 and unix sockets; TCP ports come from
  free_port().
* Every process is started in the foreground (`nginx -g 'daemon off;'`,
  `lighttpd -D`, `php-fpm -F`) through Proc, in its own process group and
  with the session token in its environment; Proc.stop() kills the group,
  so children (nginx workers, spawned backends) go with it.  The procs
  fixture stops everything a test started, even when it fails, and prints
  each process's log on failure.  At the end of the session conftest
  checks that no process carrying the token and no temp dir is left.
* Every wait is a bounded loop (wait_listening, wait_until).
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
GATEMOCK = os.path.join(REPO, "backends-mock", "gatemock")
TOKEN_VAR = "GATEHOUSE_TEST_TOKEN"
TMP_PREFIX = "gh-test-"
# Folders this process made: the leftover check looks at these only, so
# two pytest sessions running side by side never judge each other's.
MADE_DIRS = set()

_handed_out = set()


def free_port(host="127.0.0.1"):
    """A TCP port nobody listens on now, never the same one twice."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for _ in range(50):
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.bind((host, 0))
            port = s.getsockname()[1]
        if port not in _handed_out:
            _handed_out.add(port)
            return port
    raise RuntimeError("no free port found")


def make_tmpdir():
    """A fresh 0755 directory under /tmp with a short path."""
    d = tempfile.mkdtemp(prefix=TMP_PREFIX, dir="/tmp")
    os.chmod(d, 0o755)
    MADE_DIRS.add(d)
    return d


def remove_tmpdir(d):
    shutil.rmtree(d, ignore_errors=True)


def render(template, **values):
    """Fill @name@ placeholders; every placeholder must be given.

    @...@ is used because nginx and lighttpd configs are full of {}, $ and
    %, which str.format and string.Template would trip over.
    """
    out = template
    for k, v in values.items():
        out = out.replace("@%s@" % k, str(v))
    left = [w for w in out.split("@")[1::2] if w.isidentifier()]
    if left:
        raise KeyError("render: no value for @%s@" % left[0])
    return out


def write_file(path, text, mode=0o644):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    return path


def connect(addr, timeout=5.0):
    """Socket connected to a unix path (str) or (host, port)."""
    if isinstance(addr, str):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    else:
        fam = socket.AF_INET6 if ":" in addr[0] else socket.AF_INET
        s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect(addr)
    except OSError:
        s.close()
        raise
    return s


def wait_listening(addr, timeout=10.0, proc=None):
    """Poll until addr accepts a connection; fail early if proc died."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError("%s exited (%s) before listening on %s:\n%s"
                               % (proc.name, proc.poll(), addr, proc.logs()))
        try:
            connect(addr, 1.0).close()
            return
        except OSError as e:
            last = e
        time.sleep(0.02)
    raise TimeoutError("nothing listening on %s after %.1fs (%s)%s" % (
        addr, timeout, last, "\n" + proc.logs() if proc else ""))


def wait_until(pred, timeout=5.0, step=0.02, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(step)
    raise TimeoutError("%s not met after %.1fs" % (what, timeout))


def recv_all(sock, timeout=5.0, limit=1 << 26):
    """Everything until the peer closes; raises on timeout."""
    sock.settimeout(timeout)
    out = bytearray()
    while len(out) < limit:
        data = sock.recv(65536)
        if not data:
            break
        out += data
    return bytes(out)


def recv_until(sock, pred, timeout=5.0):
    """Read until pred(buffer) is true or EOF; returns the buffer."""
    sock.settimeout(timeout)
    out = bytearray()
    while not pred(out):
        data = sock.recv(65536)
        if not data:
            break
        out += data
    return bytes(out)


def exchange(addr, data, timeout=5.0, half_close=False):
    """Connect, send data, read until EOF."""
    with connect(addr, timeout) as s:
        s.sendall(data)
        if half_close:
            s.shutdown(socket.SHUT_WR)
        return recv_all(s, timeout)


class Proc:
    """A foreground process in its own process group, logging to files."""

    def __init__(self, argv, name=None, logdir=None, env=None, cwd=None,
                 stdin=None):
        self.argv = [str(a) for a in argv]
        self.name = name or os.path.basename(self.argv[0])
        self.logdir = logdir or tempfile.gettempdir()
        self.log_path = os.path.join(self.logdir, "%s.%d.log" % (
            self.name, int(time.monotonic() * 1e6)))
        full_env = dict(os.environ)
        full_env.update(env or {})
        self._log = open(self.log_path, "wb")
        self.popen = subprocess.Popen(
            self.argv, stdin=stdin if stdin is not None else
            subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
            env=full_env, cwd=cwd, start_new_session=True)
        self.pid = self.popen.pid

    def poll(self):
        return self.popen.poll()

    def logs(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def signal_group(self, sig):
        try:
            os.killpg(self.pid, sig)
        except ProcessLookupError:
            pass

    def stop(self, sig=signal.SIGTERM, timeout=5.0):
        """Signal the whole group, wait, then SIGKILL; returns exit code."""
        if self.popen.poll() is None:
            self.signal_group(sig)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.signal_group(signal.SIGKILL)
                self.popen.wait(timeout)
        # Children that outlived the leader (e.g. nginx workers) too.
        self.signal_group(signal.SIGKILL)
        self._log.close()
        return self.popen.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class Procs:
    """Registry used by the procs fixture: stop all, dump logs on failure."""

    def __init__(self, logdir):
        self.logdir = logdir
        self.all = []

    def start(self, argv, name=None, **kw):
        p = Proc(argv, name=name, logdir=self.logdir, **kw)
        self.all.append(p)
        return p

    def stop_all(self):
        codes = {}
        for p in reversed(self.all):
            codes[p.name] = p.stop()
        return codes

    def dump(self):
        for p in self.all:
            print("----- %s (pid %d, argv %s) -----\n%s" % (
                p.name, p.pid, " ".join(p.argv), p.logs()))


def token_processes(token):
    """pids (other than ours) whose environment carries the token."""
    needle = ("%s=%s" % (TOKEN_VAR, token)).encode()
    me = os.getpid()
    found = []
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == me:
            continue
        try:
            with open("/proc/%s/environ" % d, "rb") as f:
                env = f.read().split(b"\0")
            with open("/proc/%s/stat" % d, "rb") as f:
                state = f.read().rsplit(b")", 1)[1].split()[0]
        except OSError:
            continue
        if needle in env and state != b"Z":
            found.append(int(d))
    return found


def cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().replace(b"\0", b" ").decode("latin-1")
    except OSError:
        return "?"

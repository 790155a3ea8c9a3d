"""Listening socket, accept loop, signals and logging for the socket mocks.

The listener is `--listen unix:/path`, `--listen HOST:PORT` (`[::1]:PORT`
for IPv6), or, with no --listen, the socket inherited on fd 0
(FCGI_LISTENSOCK_FILENO; lighttpd's bin-path passes it that way for
FastCGI, SCGI and proxy).  Each accepted connection gets a thread, so a
sleeping or hanging request never blocks another one.

SIGTERM and SIGINT close the listener, remove a unix socket file that this
process created (never one it inherited), log one line and exit 0.
"""

import os
import selectors
import signal
import socket
import stat
import sys
import threading
import time

START = time.monotonic()


class Ctx:
    """Per-process settings every connection handler can read."""

    def __init__(self, proto, ident, opts):
        self.proto = proto
        self.id = ident
        self.opts = opts
        self.pid = os.getpid()
        self._lock = threading.Lock()
        self._conns = 0

    def next_conn(self):
        with self._lock:
            self._conns += 1
            return self._conns


def log(ctx, msg):
    """One line to stderr; never raises (stderr may be gone)."""
    line = "gatemock %s id=%s pid=%d %s\n" % (ctx.proto, ctx.id or "-",
                                             ctx.pid, msg)
    try:
        sys.stderr.write(line)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def parse_listen(spec):
    """('unix', path) or ('tcp', (host, port, family))."""
    if spec.startswith("unix:"):
        return "unix", spec[5:]
    host, sep, port = spec.rpartition(":")
    if not sep or not port.isdigit():
        raise ValueError("--listen wants unix:/path or HOST:PORT, not %r"
                         % spec)
    if host.startswith("[") and host.endswith("]"):
        return "tcp", (host[1:-1], int(port), socket.AF_INET6)
    return "tcp", (host or "127.0.0.1", int(port), socket.AF_INET)


def open_listener(spec):
    """(socket, path-to-unlink-or-None)."""
    if spec is None:
        s = socket.socket(fileno=os.dup(0))
        os.close(0)
        os.open(os.devnull, os.O_RDONLY)   # keep fd 0 taken, harmlessly
        return s, None
    kind, addr = parse_listen(spec)
    if kind == "unix":
        try:
            if stat.S_ISSOCK(os.lstat(addr).st_mode):
                os.unlink(addr)   # a stale socket from a killed run
        except FileNotFoundError:
            pass
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(addr)
        s.listen(128)
        return s, addr
    host, port, family = addr
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, port))
    s.listen(128)
    return s, None


def serve(ctx, listen_spec, handler):
    """Accept forever; handler(ctx, sock, conn_no) runs in its own thread."""
    lsock, created = open_listener(listen_spec)
    rfd, wfd = os.pipe()
    os.set_blocking(wfd, False)
    stop = []

    def on_signal(signum, frame):
        stop.append(signum)
        try:
            os.write(wfd, b"x")
        except OSError:
            pass

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    sel = selectors.DefaultSelector()
    sel.register(lsock, selectors.EVENT_READ)
    sel.register(rfd, selectors.EVENT_READ)
    where = listen_spec or "fd0:%s" % (lsock.getsockname() or "unix",)
    log(ctx, "listening on %s" % where)
    while not stop:
        for key, _ in sel.select():
            if key.fileobj is not lsock:
                continue
            try:
                conn, _ = lsock.accept()
            except (BlockingIOError, InterruptedError, ConnectionAbortedError):
                continue
            n = ctx.next_conn()
            t = threading.Thread(target=_run, args=(ctx, handler, conn, n),
                                 daemon=True)
            t.start()
    lsock.close()
    if created:
        try:
            os.unlink(created)
        except OSError:
            pass
    log(ctx, "exiting on signal %d" % stop[0])
    sys.stderr.flush()
    os._exit(0)


def _run(ctx, handler, conn, n):
    try:
        handler(ctx, conn, n)
    except (ConnectionError, BrokenPipeError, OSError) as e:
        log(ctx, "conn=%d io error: %s" % (n, e))
    except Exception as e:   # a mock bug must not kill the process
        log(ctx, "conn=%d internal error: %r" % (n, e))
    finally:
        try:
            conn.close()
        except OSError:
            pass


def recv_exact(sock, n, buf):
    """Read until buf (a bytearray) holds n bytes; False at EOF."""
    while len(buf) < n:
        data = sock.recv(max(65536, n - len(buf)))
        if not data:
            return False
        buf += data
    return True


class SockStream:
    """Stream view of a socket for the upgrade echo."""

    def __init__(self, sock):
        self.sock = sock

    def recv(self):
        try:
            return self.sock.recv(65536)
        except OSError:
            return b""

    def send(self, data):
        self.sock.sendall(data)


class SockSink:
    """play() sink writing straight to a socket (SCGI, uwsgi, HTTP)."""

    def __init__(self, sock, on_done=None):
        self.sock = sock
        self.closed = False
        self.on_done = on_done

    def write(self, data):
        self.sock.sendall(data)

    def sleep(self, seconds):
        if seconds > 0:
            time.sleep(seconds)
        return True

    def hang(self):
        # Hold the connection open, reading and discarding, until the peer
        # goes away (or SIGTERM ends the process).
        while self.sock.recv(65536):
            pass
        self.closed = True

    def abort(self):
        self.closed = True

    def finish(self):
        pass
